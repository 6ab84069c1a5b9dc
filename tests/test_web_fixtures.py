"""A small real store for the web tests (no tests here): hand-built claims written by Store.

The articles are written for these tests (never the seeds' or the evaluation
data's text). One of them is hostile: it carries a script tag, an
``onerror=`` attribute, a ``javascript:`` link and an HTML comment, all of
which must come out of every page as inert text.
"""

from __future__ import annotations

from pathlib import Path

from typing import Any

from reportedly.link import relink
from reportedly.store import Store
from reportedly.types import Claim, Document, Quantity, Source, TimeRef, claim_id, content_id

__all__ = ["HOSTILE_MARKERS", "build_store", "quantity_claim"]

ARTICLE_A = (
    "Rebels hold out in the hills\n\n"
    "Two army officers told The Daily Ledger that about 4,000 fighters remain in the northern hills. "
    "The officers spoke on condition of anonymity.\n\n"
    "The ministry said 1,200 fighters had surrendered since March."
)
ARTICLE_B = (
    "Hill rebels fewer than thought\n\n"
    "The defence ministry said on Tuesday that 2,500 fighters remain in the northern hills, "
    "down from 6,000 last year."
)
ARTICLE_C = (
    "Police count fewer rebels\n\n"
    "Local police said 900 fighters remain in the northern hills."
)
ARTICLE_D = (
    "Militant numbers across the border\n\n"
    "Analysts said 5,000 fighters are in Iraq. "
    "Analysts said 6,000 fighters are in Syria."
)
ARTICLE_E = (
    "The coalition's tally\n\n"
    "The coalition said 20,000 fighters are in Iraq and Syria."
)
HOSTILE = (
    "Report <script>window.pwned = 1; alert('x')</script> ends\n\n"
    'Officials said 300 fighters <img src="x" onerror="window.pwned=2"> crossed the river. '
    '<a href="javascript:window.pwned=3">click</a> <!-- hidden comment --> done.'
)
#: Substrings of the hostile article that must never appear unescaped in HTML.
HOSTILE_MARKERS = ("<script>", "<img src", 'onerror="', 'href="javascript:', "<!-- hidden")


def quantity_claim(
    doc: Document,
    sentence: str,
    figure: str,
    value: float,
    *,
    source: str | None,
    source_name: str | None = None,
    cue: str | None = "said",
    time: tuple[str, str] | None = None,
    entity: str = "fighter",
    locations: tuple[str, ...] = ("northern hills",),
    actor: str | None = "Hill Front",
    low: float | None = None,
    high: float | None = None,
) -> Claim:
    """A quantity claim whose offsets point at ``sentence``/``figure`` in ``doc.text``."""
    s0 = doc.text.index(sentence)
    q0 = doc.text.index(figure, s0)
    src = None
    if source is not None:
        x0 = doc.text.index(source, s0)
        src = Source(text=source, name=source_name or source, kind="organisation", start=x0, end=x0 + len(source))
    c0 = doc.text.index(cue, s0) if cue else None
    start, end = time or ((doc.published or "")[:10], (doc.published or "")[:10])
    return Claim(
        id=claim_id(doc.id, "quantity", q0, q0 + len(figure)),
        doc_id=doc.id,
        kind="quantity",
        sentence=sentence,
        sentence_start=s0,
        sentence_end=s0 + len(sentence),
        start=q0,
        end=q0 + len(figure),
        source=src,
        cue=cue,
        cue_start=c0,
        cue_end=None if c0 is None or cue is None else c0 + len(cue),
        time=TimeRef(text=None, start=start, end=end, anchor="published"),
        quantity=Quantity(
            text=figure, start=q0, end=q0 + len(figure), value=value,
            low=value if low is None else low, high=value if high is None else high,
            unit=entity, entity=entity + "s", entity_lemma=entity, actor=actor, locations=list(locations),
        ),
    )


def _doc(text: str, publisher: str, published: str, path: str) -> Document:
    title = text.split("\n", 1)[0]
    return Document(id=content_id(text), path=path, text=text, title=title, publisher=publisher, published=published)


def build_store(path: Path, link: bool = True) -> dict[str, Any]:
    """Write the articles and their claims, link them; return the ids tests need."""
    a = _doc(ARTICLE_A, "The Daily Ledger", "2017-07-20", "a.txt")
    b = _doc(ARTICLE_B, "Hill Times", "2017-08-02", "b.txt")
    h = _doc(HOSTILE, "Evil Gazette", "2017-08-05", "hostile.html")
    a1 = quantity_claim(
        a, "Two army officers told The Daily Ledger that about 4,000 fighters remain in the northern hills.",
        "about 4,000", 4000, source="Two army officers", source_name="army officers", cue="told",
        low=3500, high=4500,
    )
    a2 = quantity_claim(a, "The ministry said 1,200 fighters had surrendered since March.", "1,200", 1200,
                        source="The ministry", source_name="defence ministry", time=("2017-03-01", "2017-07-20"))
    b1 = quantity_claim(b, "The defence ministry said on Tuesday that 2,500 fighters remain in the northern hills, "
                        "down from 6,000 last year.", "2,500", 2500, source="The defence ministry",
                        source_name="defence ministry")
    c = _doc(ARTICLE_C, "River Post", "2017-08-02", "c.txt")
    c1 = quantity_claim(c, "Local police said 900 fighters remain in the northern hills.", "900", 900,
                        source="Local police")
    d = _doc(ARTICLE_D, "Border Wire", "2017-09-01", "d.txt")
    d1 = quantity_claim(d, "Analysts said 5,000 fighters are in Iraq.", "5,000", 5000, source="Analysts",
                        locations=("Iraq",), actor=None)
    d2 = quantity_claim(d, "Analysts said 6,000 fighters are in Syria.", "6,000", 6000, source="Analysts",
                        locations=("Syria",), actor=None)
    e = _doc(ARTICLE_E, "Coalition Bulletin", "2017-09-01", "e.txt")
    e1 = quantity_claim(e, "The coalition said 20,000 fighters are in Iraq and Syria.", "20,000", 20000,
                        source="The coalition", source_name="coalition", locations=("Iraq", "Syria"), actor=None)
    h_sentence = 'Officials said 300 fighters <img src="x" onerror="window.pwned=2"> crossed the river.'
    h1 = quantity_claim(h, h_sentence, "300", 300, source="Officials", source_name="<b>Officials</b>")
    with Store(path) as store:
        store.add_batch([(a, [a1, a2]), (b, [b1]), (c, [c1]), (d, [d1, d2]), (e, [e1]), (h, [h1])])
        if link:
            relink(store)
    return {
        "docs": {"a": a.id, "b": b.id, "c": c.id, "d": d.id, "e": e.id, "hostile": h.id},
        "claims": {"a1": a1.id, "a2": a2.id, "b1": b1.id, "c1": c1.id, "d1": d1.id, "d2": d2.id, "e1": e1.id, "h1": h1.id},
    }
