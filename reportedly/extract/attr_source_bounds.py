"""Where a written source starts and ends: a learned boundary model.

The rules take a source as its head's subtree, less a few trimmings
(:func:`reportedly.extract.attribution._source_tokens`). PolNeAR's
annotators draw the edge elsewhere often enough to cost a tenth of the
sources: they keep an apposition ("Scott Pruitt, the Republican attorney
general of Oklahoma") but leave out what follows it ("..., one of the states
suing the EPA"), a participle ("A Quinnipiac University poll released in
late August"), a time ("the Human Rights Council in 2015") or a leading
quantifier ("Both Mr. King and Mr. Schultz"). Every word token near the
rules' span is a candidate first or last token of the source; a logistic
regression trained on PolNeAR train (``scripts/train_attr_source_bounds.py``,
weights in ``data/attr_model/source_bounds_model.json``) scores them from
parse features and the rules' own choice, with the transformer tagger's
source-edge logits where it is loaded, and the argmax wins.

A source of one token (a pronoun, a name) is left alone. Without the
weights nothing changes.
"""

from __future__ import annotations

import numpy as np
from spacy.tokens import Doc

from reportedly.extract.attr_bounds import BoundsModel, _bucket, _edge_deps, _next, _offset, _opened, _prev, _word, load_bounds_model
from reportedly.extract.docview import ParseView, parse_view

__all__ = ["SourceContext", "load_source_bounds_model", "refine_source", "source_candidates", "source_end_features", "source_start_features"]

#: How far before the rules' first token a start candidate may lie.
_BACK = 2
#: How far after the rules' last token an end candidate may lie.
_AHEAD = 3

#: What the model needs of a source: its first and last token, its head, the
#: sentence unit ``[lo, hi)`` and the cue's token indices.
SourceContext = tuple[int, int, int, int, int, frozenset[int]]


def source_candidates(doc: Doc, ctx: SourceContext) -> tuple[list[int], list[int]]:
    """Start and end candidates (token indices) of a source: word tokens on
    the head's side of the cue, the head itself always among them."""
    return _candidates(parse_view(doc), ctx)


def _candidates(v: ParseView, ctx: SourceContext) -> tuple[list[int], list[int]]:
    first, last, head, lo, hi, cue = ctx
    # the source never runs into its cue
    left = max([lo] + [c + 1 for c in cue if c < head])
    right = min([hi] + [c for c in cue if c > head])

    def keep(i: int) -> bool:
        return not (v.punct[i] or v.space[i])

    starts = [i for i in range(max(left, first - _BACK), head + 1) if keep(i)]
    ends = [i for i in range(head, min(right, last + _AHEAD + 1)) if keep(i)]
    return starts, ends


def source_start_features(doc: Doc, i: int, ctx: SourceContext, frame: str) -> list[str]:
    """Features of token ``i`` as the first token of the source."""
    return _start_features(parse_view(doc), i, ctx, frame)


def _start_features(v: ParseView, i: int, ctx: SourceContext, frame: str) -> list[str]:
    first, _last, head, lo, _hi, _cue = ctx
    p = _prev(v, i, lo)
    pw = _word(v, p)
    w = _word(v, i)
    d = _offset(i, first)
    to_head = "head" if i == head else ("in" if v.heads[i] > i else "out")
    feats = [
        "bias",
        "dep=" + v.dep[i],
        "w=" + w,
        "lw=" + v.lower[i],
        "pw=" + pw,
        "pdep=" + (v.dep[p] if p is not None else "<none>"),
        "d=" + d,
        "hd=" + _offset(i, head),
        "f|d=" + frame + "|" + d,
        "w|pw=" + w + "|" + pw,
        "w|th=" + w + "|" + to_head,
        "dep|th=" + v.dep[i] + "|" + to_head,
    ]
    feats.extend("ledge=" + dep for dep in _edge_deps(v, i, right=False))
    return feats


def source_end_features(doc: Doc, i: int, ctx: SourceContext, frame: str) -> list[str]:
    """Features of token ``i`` as the last token of the source."""
    return _end_features(parse_view(doc), i, ctx, frame)


def _end_features(v: ParseView, i: int, ctx: SourceContext, frame: str) -> list[str]:
    _first, last, head, _lo, hi, cue = ctx
    n = _next(v, i, hi)
    nw = _word(v, n)
    w = _word(v, i)
    d = _offset(i, last)
    feats = [
        "bias",
        "dep=" + v.dep[i],
        "w=" + w,
        "nw=" + nw,
        "ndep=" + (v.dep[n] if n is not None else "<none>"),
        "d=" + d,
        "hd=" + _offset(i, head),
        "f|d=" + frame + "|" + d,
        "w|nw=" + w + "|" + nw,
        "ncue" if n is not None and n in cue else "nnot",
    ]
    edges = _edge_deps(v, i, right=True)
    feats.extend("redge=" + dep for dep in edges)
    feats.extend("nw|redge=" + nw + "|" + dep for dep in edges[:2])
    if n is not None and n not in cue:
        opened = _opened(v, n)
        odep = v.dep[opened]
        where = "head" if v.heads[opened] == head else ("left" if v.heads[opened] < n else "right")
        size = _bucket(v.right[opened] - v.left[opened] + 1)
        feats += [
            "odep=" + odep,
            "odep|where=" + odep + "|" + where,
            "odep|nw=" + odep + "|" + nw,
            "odep|len=" + odep + "|" + size,
            "d|odep=" + d + "|" + odep,
        ]
    return feats


def load_source_bounds_model() -> BoundsModel | None:
    """The shipped source boundary weights, or None where they are absent."""
    return load_bounds_model("source_bounds_model.json")


def refine_source(
    model: BoundsModel, doc: Doc, ctx: SourceContext, frame: str, edges: np.ndarray | None = None
) -> tuple[int, int] | None:
    """The best (first, last) token indices of the source, or None where no candidate fits.

    ``edges``: the tagger's source-start and source-end logits per token of
    ``doc`` (tokens x 2), added to the linear scores with the model's weights.
    """
    v = parse_view(doc)
    starts, ends = _candidates(v, ctx)
    if not starts or not ends:
        return None
    return (
        model.best("start", starts, lambda i: _start_features(v, i, ctx, frame), edges),
        model.best("end", ends, lambda i: _end_features(v, i, ctx, frame), edges),
    )
