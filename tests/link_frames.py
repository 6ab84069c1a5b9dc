"""Hand-built documents and claim frames shaped like the seed articles.

Linking tests build on these instead of running extraction, so that they
test the linking rules alone; the end-to-end test runs the real pipeline.
"""

from __future__ import annotations

from reportedly.types import Change, Claim, Document, Quantity, Source, TimeRef, claim_id

__all__ = ["qclaim", "sclaim", "seed_corpus"]


def qclaim(
    doc: Document,
    sentence: str,
    text: str,
    *,
    low: float,
    high: float | None = None,
    bound: str = "=",
    vague: bool = False,
    entity: str = "fighters",
    lemma: str | None = None,
    actor: str | None = None,
    locations: tuple[str, ...] = (),
    source: str | None = None,
    time: tuple[str | None, str | None] = (None, None),
    time_text: str | None = None,
    change: Change | None = None,
) -> Claim:
    """A quantity claim whose sentence is located in ``doc.text``."""
    s0 = doc.text.index(sentence)
    q0 = doc.text.index(text, s0)
    return Claim(
        id=claim_id(doc.id, "quantity", q0, q0 + len(text), entity),
        doc_id=doc.id,
        kind="quantity",
        sentence=sentence,
        sentence_start=s0,
        sentence_end=s0 + len(sentence),
        start=q0,
        end=q0 + len(text),
        source=Source(text=source, name=source, kind="organisation") if source else None,
        time=TimeRef(text=time_text, start=time[0], end=time[1], anchor="text" if time_text else "none"),
        quantity=Quantity(
            text=text, start=q0, end=q0 + len(text), value=low if high is None else None,
            low=low, high=high if high is not None else (None if vague else low), bound=bound, vague=vague,  # type: ignore[arg-type]
            unit=lemma or entity.rstrip("s"), entity=entity, entity_lemma=lemma or entity.rstrip("s"),
            actor=actor, locations=list(locations), change=change,
        ),
    )


def sclaim(doc: Document, sentence: str, content: str, source: str | None, via: tuple[str, ...] = ()) -> Claim:
    """A statement claim with ``content`` inside ``sentence``."""
    s0 = doc.text.index(sentence)
    c0 = doc.text.index(content, s0)
    return Claim(
        id=claim_id(doc.id, "statement", c0, c0 + len(content)),
        doc_id=doc.id,
        kind="statement",
        sentence=sentence,
        sentence_start=s0,
        sentence_end=s0 + len(sentence),
        start=c0,
        end=c0 + len(content),
        source=Source(text=source, name=source, kind="unnamed", via=list(via)) if source else None,
        content=content,
        content_start=c0,
        content_end=c0 + len(content),
    )


_A = (
    "Three Iraq intelligence and defense officials told The Associated Press that there are still thousands of "
    "ISIS militants and supporters roaming free. They claim that approximately 4,000 fighters and 3,000 supporters "
    "are still in Iraq. Syria's numbers are higher; an estimated 7,000 fighters and 5,000 supporters remain. "
    "As of last summer, the Pentagon indicated that in Iraq and Syria the number of ISIS fighters was dramatically "
    "reduced, dropping the number of militants down to 15,000. Recent reports have stated that al-Baghdadi was "
    "killed, but the anonymous officials reportedly told The AP that he is in fact alive."
)
_B = (
    "By Rudaw. United States defense statistics released earlier this month indicate that the number of ISIS "
    "militants in Iraq and Syria had fallen to between 19,000 and 25,000, down from earlier estimates of up to "
    "more than 30,000 fighters. Experts believe that many of the leadership have relocated to Libya."
)


def seed_corpus() -> tuple[list[Document], list[Claim]]:
    """Two documents like seeds 000 (2017-07-20) and 003 (Rudaw repost, 2016-08-20), plus a copy of 003."""
    a = Document(id="doc000", path="000.txt", text=_A, publisher="Daily Caller", published="2017-07-20")
    b = Document(id="doc003", path="003.txt", text=_B, publisher="Blog", published="2016-08-20",
                 original_publisher="Rudaw", repost=True)
    # The same article again with a share footer: must be counted once.
    c = Document(id="doc003copy", path="003b.txt", text=_B + " Share this: Twitter, Facebook.", publisher="Other blog",
                 published="2016-08-21")
    july = ("2017-07-20", "2017-07-20")
    aug = ("2016-08-01", "2016-08-31")
    claims = [
        qclaim(a, "They claim that approximately 4,000 fighters and 3,000 supporters are still in Iraq.", "approximately 4,000",
               low=4000, bound="~", locations=("Iraq",), source="Iraqi intelligence and defense officials", time=july),
        qclaim(a, "They claim that approximately 4,000 fighters and 3,000 supporters are still in Iraq.", "3,000",
               low=3000, bound="~", entity="supporters", locations=("Iraq",), source="Iraqi intelligence and defense officials", time=july),
        qclaim(a, "Syria's numbers are higher; an estimated 7,000 fighters and 5,000 supporters remain.", "7,000",
               low=7000, bound="~", locations=("Syria",), source="Iraqi intelligence and defense officials", time=july),
        qclaim(a, "As of last summer, the Pentagon indicated that in Iraq and Syria the number of ISIS fighters was dramatically "
               "reduced, dropping the number of militants down to 15,000.", "15,000", low=15000, entity="militants", actor="ISIS",
               locations=("Iraq", "Syria"), source="Pentagon", time=("2016-06-01", "2016-08-31"), time_text="As of last summer",
               change=Change(direction="down")),
        sclaim(a, "Recent reports have stated that al-Baghdadi was killed, but the anonymous officials reportedly told The AP "
               "that he is in fact alive.", "al-Baghdadi was killed", "Recent reports"),
        sclaim(a, "Recent reports have stated that al-Baghdadi was killed, but the anonymous officials reportedly told The AP "
               "that he is in fact alive.", "he is in fact alive", "anonymous officials", via=("The AP",)),
    ]
    for doc in (b, c):
        claims.append(
            qclaim(doc, "United States defense statistics released earlier this month indicate that the number of ISIS "
                   "militants in Iraq and Syria had fallen to between 19,000 and 25,000, down from earlier estimates of up to "
                   "more than 30,000 fighters.", "between 19,000 and 25,000", low=19000, high=25000, entity="militants",
                   actor="Islamic State", locations=("Iraq", "Syria"), source="United States defense statistics", time=aug,
                   time_text="earlier this month",
                   change=Change(direction="down", previous_low=30000, previous_high=None, previous_bound=">",
                                 previous_text="up to more than 30,000 fighters"))
        )
    return [a, b, c], claims
