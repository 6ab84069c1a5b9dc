"""Attribution's learned steps on what the rules found.

* the transformer tagger's own reports, where no rule found one;
* content edges redrawn by the boundary model (with the tagger's content
  edge model), source edges by the source edge model, cue ends by the cue
  edge model;
* the sentence units and contexts these models read, shared with their
  training scripts (``scripts/train_attr_*.py``) so that training and
  extraction read the same thing.

:func:`reportedly.extract.attribution.find_attributions` calls them in order.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc, Span, Token

from reportedly.extract.attr_bounds import BoundsModel, refine_span_ranked
from reportedly.extract.attr_cue_edge import CueEdgeModel
from reportedly.extract.attr_source_bounds import SourceContext, refine_source
from reportedly.extract.attr_spans import (
    Attribution,
    _chars,
    _Found,
    _fragments,
    _inside_quote,
    _sentences_and_breaks,
    _strip_punct,
    _trim,
    _unit,
)
from reportedly.extract.attr_tagger import LABELS as _TAGGER_LABELS
from reportedly.extract.attr_tagger import DocScores

__all__ = ["all_units", "cue_edge_context", "refinable", "source_context"]


#: What a cue of the tagger's own may be: a verb ("tweeted") or a noun ("criticism").
_TAGGER_CUE_POS = frozenset({"VERB", "AUX", "NOUN"})


def _run_around(values: np.ndarray, col: int, i: int, low: int, high: int) -> tuple[int, int]:
    """The contiguous tokens (first, last) around ``i`` within ``[low, high)`` whose ``col`` logit is positive."""
    first = last = i
    while first - 1 >= low and values[first - 1, col] > 0:
        first -= 1
    while last + 1 < high and values[last + 1, col] > 0:
        last += 1
    return first, last


def _nearest_run(values: np.ndarray, col: int, lo: int, hi: int, cue: tuple[int, int]) -> tuple[int, int] | None:
    """The run of tokens of ``[lo, hi)`` whose ``col`` logit is positive that
    lies nearest ``cue`` (first, last token) on either side, without entering
    it; None where no token outside the cue is positive."""
    best: tuple[int, int] | None = None
    for i in range(lo, hi):
        if cue[0] <= i <= cue[1] or values[i, col] <= 0:
            continue
        distance = cue[0] - i if i < cue[0] else i - cue[1]
        if best is None or distance < best[0]:
            best = (distance, i)
    if best is None:
        return None
    i = best[1]
    return _run_around(values, col, i, *((lo, cue[0]) if i < cue[0] else (cue[1] + 1, hi)))


def all_units(doc: Doc) -> list[tuple[int, int]]:
    """Every sentence unit of ``doc`` (see :func:`_unit`) that holds a word, in order.

    Built from the sentences and paragraph breaks directly: asking
    :func:`_unit` token by token cost a twentieth of attribution's time.
    """
    bounds, breaks = _sentences_and_breaks(doc)
    space = doc.to_array([IS_SPACE])
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(bounds)):
        cuts = breaks[bisect_left(breaks, start) : bisect_left(breaks, end)]
        for lo, hi in zip([start] + [b + 1 for b in cuts], cuts + [end]):
            if lo < hi and not space[lo:hi].all():
                out.append((lo, hi))
    return out


def _tagger_attributions(
    doc: Doc,
    text: str,
    regions: list[tuple[int, int]],
    values: np.ndarray,
    units: list[tuple[int, int]],
    found: list[_Found],
    threshold: float,
) -> list[_Found]:
    """Reports no rule found, where the tagger marks a cue with a logit above
    ``threshold``: the cue is the run of words it marks, the source and the
    content the runs it marks nearest the cue in the same sentence unit.
    ``values``: the tagger's logits, read for all of ``units``.

    Most cues annotators mark that no rule proposes are verbs of a long tail
    ("Trump tweeted", "The New York Times reports:") that the tagger learned
    from PolNeAR train as a whole; the threshold keeps to the confident ones.
    """
    taken = {t.i for f in found for t in f.cue}
    seen: set[int] = set()
    out: list[_Found] = []
    for lo, hi in units:
        for i in range(lo, hi):
            if i in seen or values[i, _CUE] <= threshold or doc[i].pos_ not in _TAGGER_CUE_POS:
                continue
            cue = _run_around(values, _CUE, i, lo, hi)
            seen.update(range(cue[0], cue[1] + 1))
            if taken.intersection(range(cue[0], cue[1] + 1)) or _inside_quote(doc[cue[0]].idx, regions):
                continue
            content = _nearest_run(values, _CONTENT, lo, hi, cue)
            spans = _fragments(text, list(doc[content[0] : content[1] + 1])) if content else []
            cue_tokens = [t for t in doc[cue[0] : cue[1] + 1] if not t.is_punct]
            if not spans or not cue_tokens:
                continue
            source = _nearest_run(values, _SOURCE, lo, hi, cue)
            out.append(
                _Found(
                    cue_tokens,
                    None,
                    list(doc[source[0] : source[1] + 1]) if source else None,
                    spans,
                    [],
                    "tagger",
                    1.0 / (1.0 + math.exp(-float(values[i, _CUE]))),
                )
            )
    return out




def _is_whole_quote(text: str, span: tuple[int, int], regions: list[tuple[int, int]]) -> bool:
    """Whether ``span`` is a quotation, give or take its marks and closing punctuation."""
    a, b = span
    for r0, r1 in regions:
        if r0 <= a and b <= r1 and not text[r0:a].strip(" “\"'‘") and not text[b:r1].strip(" ,.!?;:—–-'\"”’"):
            return True
    return False


def refinable(doc: Doc, text: str, att: Attribution, regions: list[tuple[int, int]]) -> tuple[int, int, int, int, set[int]] | None:
    """What the boundary model needs of an attribution: its content's first and
    last token, the sentence unit ``[lo, hi)`` and the cue's token indices; None
    where the content is not one fragment inside the unit or is a whole quotation.
    Shared with ``scripts/train_attr_bounds.py``."""
    if len(att.content) != 1 or att.cue_start is None or att.cue_end is None:
        return None
    if _is_whole_quote(text, att.content[0], regions):
        return None
    cue = doc.char_span(att.cue_start, att.cue_end, alignment_mode="expand")
    span = doc.char_span(*att.content[0], alignment_mode="expand")
    if cue is None or span is None or not len(span):
        return None
    lo, hi = _unit(cue[0])
    if span.start < lo or span.end > hi:
        return None
    # the rules' edges as word tokens: quote marks and punctuation are no candidates
    words = [t.i for t in span if not (t.is_punct or t.is_space)]
    if not words:
        return None
    return words[0], words[-1], lo, hi, {t.i for t in cue}


_CUE = _TAGGER_LABELS.index("cue")
_SOURCE = _TAGGER_LABELS.index("source")
_SOURCE_START = _TAGGER_LABELS.index("source_start")
_SOURCE_END = _TAGGER_LABELS.index("source_end")
_CONTENT = _TAGGER_LABELS.index("content")
_CONTENT_START = _TAGGER_LABELS.index("content_start")
_CONTENT_END = _TAGGER_LABELS.index("content_end")


def _refine_bounds(
    doc: Doc,
    text: str,
    atts: list[Attribution],
    regions: list[tuple[int, int]],
    model: BoundsModel,
    scores: DocScores | None = None,
) -> None:
    """Redraw single-fragment content edges with the learned boundary model,
    helped by the transformer tagger and its content edge model where they
    are loaded: first without the edge model, then again with it where the
    boundary model's lead is under its gate, all such cues read in one batch."""
    asks_edges = scores is not None and model.reads_edges
    todo = []
    for att in atts:
        ctx = refinable(doc, text, att, regions)
        if ctx is None:
            continue
        first, last, lo, hi, cue = ctx
        edges = scores.ensure([(lo, hi)])[:, [_CONTENT_START, _CONTENT_END]] if scores is not None else None
        # the linear scores, kept only where a second pass may need them
        memo: tuple[dict[int, float], dict[int, float]] | None = ({}, {}) if asks_edges else None
        found = refine_span_ranked(model, doc, first, last, lo, hi, cue, att.pattern, edges, memo=memo)
        if found is None:
            continue
        todo.append((att, ctx, edges, found, memo))
    if asks_edges:
        assert scores is not None
        gate = model.edge_gate
        doubtful = [k for k, item in enumerate(todo) if gate is None or item[3][2] < gate]
        asked = scores.content_edges([todo[k][1][2:] for k in doubtful])
        for k, by_cue in zip(doubtful, asked):
            if by_cue is None:
                continue
            att, ctx, edges, _, memo = todo[k]
            first, last, lo, hi, cue = ctx
            again = refine_span_ranked(model, doc, first, last, lo, hi, cue, att.pattern, edges, by_cue, memo)
            if again is not None:
                todo[k] = (att, ctx, edges, again, memo)
    for att, _, _, (s, e, _), _ in todo:
        span = _trim(text, doc[s].idx, doc[e].idx + len(doc[e].text))
        if span is not None:
            att.content = [span]


def source_context(doc: Doc, first: int, last: int, cue: list[Token], content: list[tuple[int, int]]) -> SourceContext | None:
    """What the source boundary model needs of a written source ``doc[first:last+1]``
    (see :data:`reportedly.extract.attr_source_bounds.SourceContext`), its unit cut
    short of the content on either side; None for a one-word source.
    Shared with ``scripts/train_attr_source_bounds.py``."""
    words = [i for i in range(first, last + 1) if not (doc[i].is_punct or doc[i].is_space)]
    if len(words) < 2:
        return None
    head = doc[first : last + 1].root.i
    lo, hi = _unit(doc[head])
    for a, b in content:
        if b <= doc[first].idx:
            lo = max(lo, next((t.i for t in doc[lo:first] if t.idx >= b), first))
        elif a >= doc[last].idx + len(doc[last].text):
            hi = min(hi, next((t.i for t in doc[last + 1 : hi] if t.idx + len(t.text) > a), hi))
    return words[0], words[-1], head, lo, hi, frozenset(t.i for t in cue)


def _refine_source(
    doc: Doc,
    span: Span,
    cue: list[Token],
    content: list[tuple[int, int]],
    frame: str,
    model: BoundsModel,
    scores: DocScores | None,
) -> Span:
    """The written source with its edges redrawn by the learned source boundary model."""
    ctx = source_context(doc, span.start, span.end - 1, cue, content)
    if ctx is None:
        return span
    edges = None
    if scores is not None:
        # its whole unit, as read for every other use: a part of it would be read again
        edges = scores.ensure([_unit(doc[ctx[2]])])[:, [_SOURCE_START, _SOURCE_END]]
    best = refine_source(model, doc, ctx, frame, edges)
    return doc[best[0] : best[1] + 1] if best is not None else span


def _tagger_source(doc: Doc, f: _Found, scores: DocScores) -> list[Token] | None:
    """The run of words the tagger marks as a source nearest ``f``'s cue in
    its sentence unit, outside its content; None where there is none."""
    lo, hi = _unit(f.cue[0])
    run = _nearest_run(scores.ensure([(lo, hi)]), _SOURCE, lo, hi, (f.cue[0].i, f.cue[-1].i))
    if run is None:
        return None
    tokens = _strip_punct(list(doc[run[0] : run[1] + 1]))
    if not tokens:
        return None
    a, b = _chars(tokens)
    if any(x < b and a < y for x, y in f.content):
        return None
    return tokens


def cue_edge_context(doc: Doc, att: Attribution) -> tuple[Token, int, int, set[int], tuple[int, int] | None] | None:
    """What the cue edge model needs of a verb cue: its verb, its last token,
    the end of its sentence unit, the tokens it may not take in (content
    and source) and the first and last token of a content that starts
    after the cue, whose leading words it may take in (None where the
    content starts before the cue or is one word; the walk stops at a
    quotation's mark); None for other patterns. Shared with ``scripts/train_attr_cue_edge.py``."""
    if not att.pattern.startswith("verb") or att.cue_start is None or att.cue_end is None:
        return None
    cue = doc.char_span(att.cue_start, att.cue_end, alignment_mode="expand")
    if cue is None or not len(cue):
        return None
    blocked: set[int] = set()
    for a, b in att.content + ([att.source_span] if att.source_span else []):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            blocked.update(range(span.start, span.end))
    first = doc.char_span(*att.content[0], alignment_mode="expand") if att.content else None
    into = (first.start, first.end - 1) if first is not None and first.start >= cue.end and len(first) > 1 else None
    return cue.root, cue.end - 1, _unit(cue.root)[1], blocked, into


def _extend_cues(doc: Doc, text: str, atts: list[Attribution], model: CueEdgeModel, scores: DocScores | None = None) -> None:
    """Run verb cues on over the words annotators take in ("said Tuesday",
    "claimed credit for"), the content then starting after them; helped by
    the tagger's cue logits where it is loaded."""
    for att in atts:
        ctx = cue_edge_context(doc, att)
        if ctx is None:
            continue
        verb, last, hi, blocked, into = ctx
        cue_logits = None
        if scores is not None and model.tagger_cue:
            cue_logits = scores.ensure([_unit(verb)])[:, _CUE]
        end = model.best_end(doc, verb, last, hi, blocked, att.pattern, into, cue_logits)
        if end == last:
            continue
        att.cue_end = doc[end].idx + len(doc[end].text)
        att.cue = text[att.cue_start : att.cue_end]
        if into is not None and end >= into[0]:
            rest = _trim(text, att.cue_end, att.content[0][1])
            if rest is not None:
                att.content[0] = rest
