"""Assembling claim frames from a parsed Doc.

:func:`build_claims` joins what the extractors find in a parsed ``Doc``:

* figures from :func:`reportedly.extract.quantities.find_quantities`
  (one **quantity claim** per mention),
* attributions from :func:`reportedly.extract.attribution.find_attributions`
  (one **statement claim** per attribution with content),
* hedges (:mod:`reportedly.extract.hedges`) and the reference time
  (:mod:`reportedly.extract.timeref`).

Which source a figure gets (in this order):

1. the attribution whose content covers it ("They claim that about 4,000
   fighters ..."; the attribution module has resolved "They");
2. else an attribution in the same sentence, the one whose cue is nearest
   ("4,000 fighters remain, officials said");
3. else a **continuation** of the latest report, when the sentence has no
   attribution of its own and either
   a. it is the very next sentence in the same paragraph and talks about a
      thing the report talked about ("The Pentagon indicated that ... the
      number of ISIS fighters was reduced. The campaigns had removed about
      45,000 individuals ..., dropping the number of militants down to
      15,000": "number"), or
   b. it comes at most :data:`CONTINUATION_WINDOW` sentences later (any
      paragraph: news paragraphs are one or two sentences) and the figure's
      own clause counts a kind of thing the report talked about ("They
      claim that about 4,000 fighters ... . Syria's numbers are higher; an
      estimated 7,000 fighters ...": "fighter").
   "Talked about" means a shared common-noun lemma; names and the general
   nouns of ``data/frames_generic_nouns.txt`` do not count (a campaign
   story names Trump in every sentence).
   Any attribution, even one without a source ("It is suspected that"),
   ends the report. A continued figure without a time expression or places
   of its own takes the report's ("As of last summer, the Pentagon
   indicated that in Iraq and Syria ..."); its ``source.resolved_from`` is
   "(continued)".
4. else no source (the article's own voice).

Figures inside a source ("Three officials") are the source's count, not
claims, and a previous value already folded into a change ("had fallen to
19,000, down from 30,000") is not a claim of its own either. A figure's
missing actor is taken from the article when exactly one organisation owns
the counted noun there ("ISIS fighters").

A statement needs content with a clause or a quotation ("reported the
story" is not an assertion a ledger can hold). Its evidence runs from the
sentence of the source as written to the end of the content; hedges come
from the content and from the cue's own modifiers ("reportedly told").

Offsets in the result point into the full text: ``offset`` is where ``doc``
starts in it when a long article was parsed in chunks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from importlib import resources
from dataclasses import dataclass, field, replace
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from reportedly.extract.frames_ledger import ledger_cue
from reportedly.extract.hedges import HedgeHit, hedge_hits
from reportedly.extract.claimable import Mention, dated, not_a_figure, points_to_a_time
from reportedly.extract.docview import (
    doc_text,
    entities_within,
    entity_labels_from,
    paragraph_breaks,
    sentences,
    space_flags,
    span_text,
    tree,
)
from reportedly.extract.timeref import TimeFinder, span_ents
from reportedly.types import Claim, Source, TimeRef, claim_id

__all__ = [
    "CONTINUATION_WINDOW",
    "AttributionLike",
    "QuantityMentionLike",
    "build_claims",
    "split_sentences",
]

#: How many sentences after a report a figure may still continue it (rule 3b).
CONTINUATION_WINDOW = 3

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
#: Dependencies that open a clause of their own; hedges and places inside
#: such a clause belong to it, not to a figure outside it.
_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "csubj", "csubjpass", "parataxis", "acl", "xcomp"}
#: Prepositions that place a figure ("in Iraq", "across Syria"); "of", "to"
#: and "from" do not ("the collapse of Mosul", "relocated to Libya").
_PLACE_PREPS = {"in", "inside", "across", "throughout", "within", "near", "around", "at"}
_PLACE_LABELS = {"GPE", "LOC"}
_ACTOR_LABELS = {"ORG", "NORP"}


class QuantityMentionLike(Mention, Protocol):
    """What :func:`build_claims` needs of a quantity mention."""

    hedges: list[str]


class AttributionLike(Protocol):
    """What :func:`build_claims` needs of an attribution."""

    source: Source | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    content: list[tuple[int, int]]
    sentence_start: int
    sentence_end: int


QuantityFinder = Callable[[Span], Sequence[QuantityMentionLike]]
AttributionFinder = Callable[[Doc], Sequence[AttributionLike]]


# --------------------------------------------------------------------------- sentences


def split_sentences(doc: Doc) -> list[Span]:
    """``doc.sents`` split again at blank lines, without edge whitespace.

    Scraped text often lacks the final full stop of a title or a credit
    line, so the parser runs paragraphs together; a blank line always ends a
    sentence.
    """
    out: list[Span] = []
    space = space_flags(doc)
    # a blank line is a whitespace token of its own (a token's trailing
    # whitespace is at most one space), so only those tokens can split
    breaks = paragraph_breaks(doc)
    for sent in sentences(doc):
        start = sent.start
        for b in breaks[bisect.bisect_left(breaks, sent.start) : bisect.bisect_left(breaks, sent.end)]:
            _append_trimmed(doc, space, start, b, out)
            start = b + 1
        _append_trimmed(doc, space, start, sent.end, out)
    return out


def _append_trimmed(doc: Doc, space: list[int], start: int, end: int, out: list[Span]) -> None:
    while start < end and space[start]:
        start += 1
    while end > start and space[end - 1]:
        end -= 1
    if end > start:
        out.append(Span(doc, start, end))


# --------------------------------------------------------------------------- helpers


@dataclass(slots=True)
class _Report:
    """The latest attribution, which unattributed figures may continue."""

    attribution: AttributionLike
    sentence: int
    paragraph: int
    lemmas: set[str]
    time: TimeRef
    hedges: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)


def _sentence_index(starts: list[int], char: int) -> int:
    return max(bisect.bisect_right(starts, char) - 1, 0)


def _covers(fragments: Sequence[tuple[int, int]], start: int, end: int) -> int | None:
    """Length of the smallest fragment covering [start, end), None if none does."""
    sizes = [e - s for s, e in fragments if s <= start and end <= e]
    return min(sizes) if sizes else None


def _source_span(att: AttributionLike) -> tuple[int, int] | None:
    """The source as written in the sentence (not a resolved antecedent)."""
    written = getattr(att, "source_span", None)
    if written is not None:
        return written  # type: ignore[no-any-return]
    src = att.source
    if src is None or src.start is None or src.end is None or src.resolved_from:
        return None
    return src.start, src.end


def _clause(tok: Token) -> Token:
    """The head of the clause ``tok`` sits in: its nearest verbal ancestor."""
    node = tok
    while node.head.i != node.i:
        if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
            return node
        node = node.head
    return node


def _clause_ids(head: Token, keep: set[int]) -> list[int]:
    """Indices of the clause under ``head`` without nested clauses that hold
    none of ``keep``, in text order; walked over the Doc's parse arrays."""
    doc = head.doc
    heads, deps, children = tree(doc)
    strings = doc.vocab.strings
    nested = {strings[label] for label in _CLAUSE_DEPS}
    out: list[int] = []
    stack = [head.i]
    while stack:
        node = stack.pop()
        out.append(node)
        for child in children[node]:
            if deps[child] in nested and not any(_under(k, child, heads) for k in keep):
                continue
            stack.append(child)
    return sorted(out)


def _under(i: int, top: int, heads: list[int]) -> bool:
    """Whether token ``i`` is ``top`` or below it: a climb of its heads."""
    while i != top:
        if heads[i] == i:
            return False
        i = heads[i]
    return True


class _Hedges:
    """Hedge hits of each span, found once per document: a sentence with
    several figures and reports is asked for its hedges once per claim."""

    def __init__(self) -> None:
        self._hits: dict[tuple[int, int], list[HedgeHit]] = {}

    def hits(self, span: Span) -> list[HedgeHit]:
        key = (span.start, span.end)
        if key not in self._hits:
            self._hits[key] = hedge_hits(span)
        return self._hits[key]

    def tokens(self, span: Span) -> list[tuple[str, Token]]:
        return [(hit.word, hit.first) for hit in self.hits(span)]


def _hedges_of(clause: Sequence[int], sent: Span, figure: Span, hedges: _Hedges) -> list[str]:
    """Hedges of a figure's clause (token indices); an approximator counts only on its own
    figure ("down from up to more than 30,000" does not hedge "19,000")."""
    ids = set(clause)
    out: list[str] = []
    for hit in hedges.hits(sent):
        if hit.first.i not in ids:
            continue
        if hit.condition == "num" and not (figure.start - 3 <= hit.last.i < figure.end):
            continue
        out.append(hit.word)
    return out


def _cue_hedges(doc: Doc, att: AttributionLike, sent: Span, hedges: _Hedges) -> list[str]:
    """Hedges on the reporting itself: "reportedly told", "is suspected"."""
    if att.cue_start is None or att.cue_end is None:
        return []
    cue = doc.char_span(att.cue_start, att.cue_end, alignment_mode="expand")
    if cue is None or len(cue) == 0:
        return []
    near = {cue.root.i} | {c.i for c in cue.root.children if c.dep_ in ("advmod", "aux", "auxpass")}
    return [word for word, tok in hedges.tokens(sent) if tok.i in near]


_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)


def _merge(*lists: Sequence[str]) -> list[str]:
    """Hedges of several origins, each once ("an estimated" and "estimated" are one)."""
    out: list[str] = []
    for items in lists:
        for item in items:
            word = _ARTICLE.sub("", item.strip().lower())
            if word and word not in out:
                out.append(word)
    return out


def _place_root(ent: Span) -> Token:
    """Follow conjunctions back to the first conjunct ("in Iraq and Syria")."""
    tok = ent.root
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _places(ents: Sequence[Span], exclude: list[tuple[int, int]]) -> list[str]:
    out: list[str] = []
    for ent in ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        if any(s <= ent.start_char and ent.end_char <= e for s, e in exclude):
            continue
        root = _place_root(ent)
        placed = (root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS) or root.dep_ == "poss"
        text = span_text(ent)
        if placed and text not in out:
            out.append(text)
    return out


def _actor(entity_tokens: Sequence[Token], exclude: list[tuple[int, int]]) -> str | None:
    """An organisation named inside the counted noun phrase ("ISIS militants",
    "fighters of ISIS", "the number of ISIS fighters")."""
    for tok in entity_tokens:
        if tok.pos_ not in ("NOUN", "PROPN", "NUM"):
            continue  # a verb's subtree is the whole clause, not the noun phrase
        # a subtree lies between its edges: without an organisation starting there, no walk
        if not _ACTOR_LABELS.intersection(entity_labels_from(tok.doc, tok.left_edge.i, tok.right_edge.i)):
            continue
        for sub in tok.subtree:
            if sub.ent_type_ in _ACTOR_LABELS and sub.ent_iob_ == "B":
                if any(s <= sub.idx < e for s, e in exclude):
                    continue
                if not _owner(sub):
                    continue  # "millions of Americans": the counted thing, not its owner
                end = sub.i + 1
                while end < len(sub.doc) and sub.doc[end].ent_iob_ == "I":
                    end += 1
                return span_text(sub.doc[sub.i : end])
    return None


def _owner(tok: Token) -> bool:
    """Does the entity starting at ``tok`` own a noun ("ISIS fighters", "ISIS's
    fighters", "fighters of ISIS") rather than being counted or named in passing?"""
    last = tok
    while last.i + 1 < len(tok.doc) and tok.doc[last.i + 1].ent_iob_ == "I":
        last = tok.doc[last.i + 1]
    if last.dep_ in ("compound", "poss", "nmod") and last.head.pos_ == "NOUN":
        return True
    # "fighters of ISIS" (but not "millions of Americans": a figure's "of" names what it counts)
    owned = last.head.head
    return last.dep_ == "pobj" and last.head.lower_ == "of" and owned.pos_ == "NOUN" and not owned.like_num and owned.ent_type_ != "CARDINAL"


def _load_generic_nouns() -> frozenset[str]:
    text = resources.files("reportedly.data").joinpath("frames_generic_nouns.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# Read-only vocabulary, a constant of the module.
_GENERIC_NOUNS = _load_generic_nouns()


def _noun_lemmas(tokens: Sequence[Token]) -> set[str]:
    """Common-noun lemmas, the kinds of things a report talks about.

    Names are left out ("Trump" recurs in every sentence of a campaign
    story) and so are nouns too general to tie two sentences together.
    """
    return {
        lemma
        for t in tokens
        if t.pos_ == "NOUN" and not t.is_stop and (lemma := t.lemma_.lower()) not in _GENERIC_NOUNS
    }


def _shift_source(src: Source | None, offset: int) -> Source | None:
    if src is None or offset == 0:
        return src
    return replace(
        src,
        via=list(src.via),
        start=None if src.start is None else src.start + offset,
        end=None if src.end is None else src.end + offset,
    )


def _plus(value: int | None, offset: int) -> int | None:
    return None if value is None else value + offset


# --------------------------------------------------------------------------- assembly


def build_claims(
    doc: Doc,
    doc_id: str,
    published: str | None,
    *,
    offset: int = 0,
    quantities: QuantityFinder | None = None,
    attributions: AttributionFinder | None = None,
) -> list[Claim]:
    """Quantity and statement claims of a parsed ``doc``, in text order.

    ``quantities``/``attributions`` default to the project's extractors;
    tests inject fakes. ``offset`` is added to every character offset (the
    position of ``doc`` in the full article when it was parsed in chunks).
    """
    if quantities is None:
        from reportedly.extract.quantities import find_quantities

        quantities = find_quantities
    if attributions is None:
        from reportedly.extract.attribution import find_attributions

        attributions = find_attributions

    sents = split_sentences(doc)
    if not sents:
        return []
    starts = [s.start_char for s in sents]
    full = doc_text(doc)  # Doc.text joins every token: read it once per Doc
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(full)]
    paragraph = [bisect.bisect_right(breaks, s.start_char) for s in sents]

    found = list(attributions(doc))
    # Only speech, cognition and evidence reports are ledger sources (see
    # frames_ledger); "rejected the plan" attributes nothing to anyone.
    atts = [a for a in found if ledger_cue(a, doc)]
    by_sentence: dict[int, list[AttributionLike]] = {}
    for att in atts:
        anchor = att.cue_start if att.cue_start is not None else min((s for s, _ in att.content), default=att.sentence_start)
        by_sentence.setdefault(_sentence_index(starts, anchor), []).append(att)
    source_spans = [span for att in atts if (span := _source_span(att)) is not None]

    claims: list[Claim] = []
    seen: set[str] = set()
    times = TimeFinder(published)
    hedges = _Hedges()

    def add(claim: Claim) -> None:
        if claim.id not in seen:
            seen.add(claim.id)
            claims.append(claim)

    for att in atts:
        if not ledger_cue(att, doc, statement=True):
            continue
        statement = _statement_claim(doc, full, doc_id, _cut_nested(full, att, atts), sents, starts, offset, times, hedges)
        if statement is not None:
            add(statement)

    report: _Report | None = None
    for i, sent in enumerate(sents):
        own = by_sentence.get(i, [])
        if own:
            # the sentence's last sourced attribution is the report that
            # following sentences may continue; a sourceless one ends it, and
            # so does a poll's finding ("In the poll, X led by 5"), which
            # names what it covers in its own sentence
            sourced = [a for a in own if a.source is not None]
            att = max(sourced, key=lambda a: a.cue_start or 0) if sourced else own[0]
            report = None if att.source is None or getattr(att, "pattern", "") == "finding" else _Report(
                attribution=att,
                sentence=i,
                paragraph=paragraph[i],
                lemmas=_noun_lemmas(_content_tokens(doc, att)),
                time=times.find(sent, near=_cue_span(att)),
                hedges=_cue_hedges(doc, att, sent, hedges),
                locations=_places([e for e in span_ents(sent, _PLACE_LABELS) if _covers(att.content, e.start_char, e.end_char)], source_spans),
            )
        continued = None
        if not own and report is not None:
            continued = report
        mentions = list(quantities(sent))
        folded = {
            (m.quantity.change.previous_text or "")
            for m in mentions
            if m.quantity.change is not None and m.quantity.change.previous_text
        }
        for mention in mentions:
            q = mention.quantity
            if getattr(mention, "role", "figure") == "previous" and q.text in folded and not dated(full, q, times.expressions(sent)):
                # "down from 30,000": already the previous value of a change; one
                # with its own time ("down from 15,000 in August") is also a claim
                # of that time, which other reports of August can confirm
                continue
            if _counts_source(doc, mention, source_spans):
                continue  # "Three officials": the source's count
            if points_to_a_time(full, mention.quantity):
                continue  # "three years ago": the claim's time, not a figure
            if not_a_figure(full, sent, mention):
                continue  # "iOS 8", "(52)", a URL's digits
            claim = _quantity_claim(
                doc, doc_id, sent, i, paragraph, mention, own, atts, continued, source_spans, offset, times, hedges
            )
            if claim is not None:
                add(claim)
    _propagate_actors(doc, claims)
    claims.sort(key=lambda c: (c.start, c.end, c.kind))
    return claims


def _actor_names(doc: Doc) -> dict[str, set[str]]:
    """Counted-noun lemma -> organisations the article attaches to it.

    "ISIS fighters", "fighters of ISIS", and conjuncts ("ISIS militants and
    supporters") each say who the noun belongs to.
    """
    seen: dict[str, set[str]] = {}
    # the Doc's entity bounds, read once per Doc: ``Doc.ents`` makes a Span of every entity
    for start, end, label in entities_within(doc[:]):
        if label != "ORG":
            continue
        name = span_text(Span(doc, start, end))
        last = doc[end - 1]
        head = last.head
        if last.dep_ == "pobj" and head.lower_ == "of":
            head = head.head  # "fighters of ISIS"
        elif last.dep_ not in ("compound", "poss", "nmod", "amod"):
            continue
        if head.pos_ != "NOUN":
            continue
        for noun in [head, *[c for c in head.children if c.dep_ == "conj" and c.pos_ == "NOUN"]]:
            seen.setdefault(noun.lemma_.lower(), set()).add(name)
    return seen


def _propagate_actors(doc: Doc, claims: list[Claim]) -> None:
    """Fill a figure's missing actor from the rest of the article.

    "approximately 4,000 fighters" in an article that elsewhere speaks of
    "ISIS fighters" belong to ISIS; only done when the article attaches
    exactly one organisation to that noun, so that a story about two armies
    leaves the actor empty rather than guessing.
    """
    actors = _actor_names(doc)
    for claim in claims:
        q = claim.quantity
        if q is not None and q.actor and q.entity_lemma:
            actors.setdefault(q.entity_lemma.lower(), set()).add(q.actor)
    for claim in claims:
        q = claim.quantity
        if q is None or q.actor or not q.entity_lemma:
            continue
        names = actors.get(q.entity_lemma.lower(), set())
        if len(names) == 1:
            q.actor = next(iter(names))


#: Heads of a share of people ("Sixty-six percent said"): the figure is a
#: finding, not a head count of the source.
_SHARE_WORDS = {"percent", "per", "cent", "%", "percentage", "majority", "share"}


def _counts_source(doc: Doc, mention: QuantityMentionLike, source_spans: list[tuple[int, int]]) -> bool:
    """Whether a figure counts its source's own noun ("Three officials", "two
    of them"): such a figure is the source's size, not a claim. Other
    figures inside a source span stay ("The 2019 Rich List ... with a net
    worth of 1.356 billion", "About 70% voted")."""
    q = mention.quantity
    tokens = doc[mention.token_start : mention.token_end]
    for s, e in source_spans:
        if not (s <= q.start and q.end <= e):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        if head.lower_ in _SHARE_WORDS:
            continue
        ids = {t.i for t in tokens}
        if head.i in ids and head.pos_ == "NUM":
            return True  # "Three of the officials said"
        if any(t.head.i == head.i and t.dep_ in {"nummod", "quantmod"} for t in tokens):
            return True
    return False


def _cut_nested(text: str, att: AttributionLike, atts: list[AttributionLike]) -> AttributionLike:
    """ "Trump said the wall will be built, the Times reported": Trump's
    content ends before the trailing report (whose source the attribution
    module has made Trump's intermediary)."""
    if att.cue_end is None:
        return att
    content = list(att.content)
    for other in atts:
        written = _source_span(other)
        if other is att or written is None or other.cue_start is None or written[0] <= att.cue_end:
            continue
        for k, (a, b) in enumerate(content):
            trailing = all(a <= c and d <= written[0] for c, d in other.content)  # reports what precedes it
            if trailing and other.content and a < written[0] and other.cue_start < b and written[0] < other.cue_start:
                cut = text[a : written[0]].rstrip(" ,;:—–-\n")
                if cut:
                    content[k] = (a, a + len(cut))
    if content == list(att.content):
        return att
    return replace(att, content=content)  # type: ignore[type-var]


def _cue_span(att: AttributionLike) -> tuple[int, int] | None:
    if att.cue_start is None or att.cue_end is None:
        return None
    return att.cue_start, att.cue_end


def _content_tokens(doc: Doc, att: AttributionLike) -> list[Token]:
    out: list[Token] = []
    for s, e in att.content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.extend(span)
    return out


def _continues(
    report: _Report, i: int, paragraph: list[int], clause_lemmas: set[str], sentence_lemmas: set[str]
) -> bool:
    """Rule 3 of the module docstring: does sentence ``i`` continue ``report``?"""
    distance = i - report.sentence
    if distance == 1 and paragraph[i] == report.paragraph:
        return bool(sentence_lemmas & report.lemmas)
    return 0 < distance <= CONTINUATION_WINDOW and bool(clause_lemmas & report.lemmas)


def _quantity_claim(
    doc: Doc,
    doc_id: str,
    sent: Span,
    index: int,
    paragraph: list[int],
    mention: QuantityMentionLike,
    own: list[AttributionLike],
    atts: list[AttributionLike],
    report: _Report | None,
    source_spans: list[tuple[int, int]],
    offset: int,
    times: TimeFinder,
    hedges: _Hedges,
) -> Claim | None:
    q = mention.quantity
    span = doc[mention.token_start : mention.token_end]
    if len(span) == 0:
        return None
    clause_head = _clause(span.root)
    clause = _clause_ids(clause_head, set(range(span.start, span.end)))

    # --- source
    att: AttributionLike | None = None
    # content may also run in from an attribution anchored in an earlier
    # sentence (a quote continued over several sentences), so look at all
    covering = [(size, a) for a in atts if (size := _covers(a.content, q.start, q.end)) is not None]
    if covering:
        att = min(covering, key=lambda x: x[0])[1]
    elif own:
        att = min(own, key=lambda a: abs((a.cue_start or 0) - q.start))
    time = times.find(sent, near=(q.start, q.end))
    cue_hedges: list[str] = []
    resolved_by_continuation = False
    report_places: list[str] = []
    if att is not None:
        cue_hedges = _cue_hedges(doc, att, sent, hedges)
    elif report is not None:
        clause_lemmas = _noun_lemmas([doc[k] for k in clause])
        if q.entity_lemma and q.entity_lemma.lower() not in _GENERIC_NOUNS:
            clause_lemmas.add(q.entity_lemma.lower())
        if _continues(report, index, paragraph, clause_lemmas, _noun_lemmas(sent)):
            att = report.attribution
            cue_hedges = report.hedges
            resolved_by_continuation = True
            report_places = report.locations
            if time.anchor != "text" and report.time.anchor == "text":
                time = replace(report.time)

    # --- hedges: the mention's own, its clause's, and the report's
    found_hedges = _merge(mention.hedges, _hedges_of(clause, sent, span, hedges), cue_hedges)

    # --- actor and places from the sentence, only where the mention left them empty
    quantity = replace(q, locations=list(q.locations))
    if not quantity.locations:
        ents = span_ents(sent, _PLACE_LABELS)  # only places are read below
        clause_ids = set(clause)
        in_clause = [e for e in ents if e.root.i in clause_ids]
        # a continued figure without places of its own is where the report said
        quantity.locations = _places(in_clause, source_spans) or _places(ents, source_spans) or list(report_places)
    if not quantity.actor:
        quantity.actor = _actor([span.root, span.root.head], source_spans)
    quantity.start += offset
    quantity.end += offset

    source = _shift_source(att.source if att is not None else None, offset)
    if resolved_by_continuation and source is not None and source.resolved_from is None:
        # the source sits in an earlier sentence: say so, as a pronoun would
        source = replace(source, via=list(source.via), resolved_from="(continued)")
    start, end = q.start + offset, q.end + offset
    return Claim(
        id=claim_id(doc_id, "quantity", start, end),
        doc_id=doc_id,
        kind="quantity",
        sentence=span_text(sent),
        sentence_start=sent.start_char + offset,
        sentence_end=sent.end_char + offset,
        start=start,
        end=end,
        source=source,
        cue=att.cue if att is not None else None,
        cue_start=_plus(att.cue_start, offset) if att is not None else None,
        cue_end=_plus(att.cue_end, offset) if att is not None else None,
        hedges=found_hedges,
        time=time,
        quantity=quantity,
    )


_QUOTE_MARKS = "\"“”‘’'«»"


def _propositional(tokens: Sequence[Token], text: str, att: AttributionLike) -> bool:
    """Is the content an assertion a ledger can hold?

    A statement needs a clause (a verb) or a quotation; "reported the
    story" or "described her" report nothing checkable. Content that
    swallows its own cue ("... ,” Damir said") is a broken frame.
    """
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    if len(words) < 2:
        return False
    if att.cue_start is not None and att.cue_end is not None:
        if _covers(att.content, att.cue_start, att.cue_end) is not None:
            return False
    return text.lstrip()[:1] in _QUOTE_MARKS or any(t.pos_ in ("VERB", "AUX") for t in words)


def _statement_claim(
    doc: Doc,
    full: str,
    doc_id: str,
    att: AttributionLike,
    sents: list[Span],
    starts: list[int],
    offset: int,
    times: TimeFinder,
    hedge_memo: _Hedges,
) -> Claim | None:
    fragments = sorted((s, e) for s, e in att.content if e > s)
    if not fragments:
        return None
    start, end = fragments[0][0], max(e for _, e in fragments)
    # evidence: every sentence from the source/cue as written to the content's end
    anchors = [start, end - 1]
    if att.cue_start is not None and att.cue_end is not None:
        anchors += [att.cue_start, att.cue_end - 1]
    written = _source_span(att)
    if written is not None:
        anchors += [written[0], written[1] - 1]
    first = sents[_sentence_index(starts, min(anchors))]
    last = sents[_sentence_index(starts, max(anchors))]
    s_start, s_end = first.start_char, max(last.end_char, first.end_char)
    evidence = doc.char_span(s_start, s_end, alignment_mode="expand")
    content_tokens = _content_tokens(doc, att)
    if not _propositional(content_tokens, full[start:end], att):
        return None
    content_ids = {t.i for t in content_tokens}
    hedges: list[str] = []
    time = TimeRef()
    if evidence is not None:
        cue_sent = sents[_sentence_index(starts, att.cue_start if att.cue_start is not None else start)]
        hedges = _merge(
            _cue_hedges(doc, att, evidence, hedge_memo),
            [word for word, tok in hedge_memo.tokens(evidence) if tok.i in content_ids],
        )
        time = times.find(cue_sent, near=_cue_span(att))
    text = " ".join(full[s:e] for s, e in fragments)
    c_start, c_end = start + offset, end + offset
    return Claim(
        id=claim_id(doc_id, "statement", c_start, c_end),
        doc_id=doc_id,
        kind="statement",
        sentence=full[s_start:s_end],
        sentence_start=s_start + offset,
        sentence_end=s_end + offset,
        start=c_start,
        end=c_end,
        source=_shift_source(att.source, offset),
        cue=att.cue,
        cue_start=_plus(att.cue_start, offset),
        cue_end=_plus(att.cue_end, offset),
        hedges=hedges,
        time=time,
        content=text,
        content_start=c_start,
        content_end=c_end,
    )
