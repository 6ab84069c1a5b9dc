"""Where reported content starts and ends: a learned boundary model.

The dependency rules find *what* a cue reports but often miss where
annotators draw its edges: a trailing relative clause, apposition or
"after ..." clause that belongs to the narrator, not the source; a "to" that
belongs to the cue ("sought to clarify X"); a coordinated second report.
Given a cue and the rules' content span, every token of the sentence near
that span is a candidate first or last token of the content; a logistic
regression trained on PolNeAR train (``scripts/train_attr_bounds.py``,
weights in ``data/attr_model/bounds_model.json``) scores the candidates
from parse features, the rules' own choice among them, and the argmax wins.

Only single-fragment content that is not a whole quotation is refined; a
quotation's marks are its boundaries. Without the weights nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources

from spacy.tokens import Doc, Token

__all__ = ["BoundsModel", "end_features", "load_bounds_model", "refine_span", "start_features"]

#: Parts of speech whose word form is a feature: function words decide boundaries.
_CLOSED = {"DET", "ADP", "SCONJ", "CCONJ", "PRON", "PART", "AUX", "PUNCT", "ADV"}
#: How far before the rules' start a start candidate may lie.
_START_BACK = 4
#: How many tokens after the start an end candidate may lie.
_END_REACH = 80


def _word(tok: Token | None) -> str:
    if tok is None:
        return "<none>"
    return tok.lower_ if tok.pos_ in _CLOSED or tok.is_punct else tok.pos_


def _offset(i: int, ref: int) -> str:
    d = i - ref
    return str(d) if -5 <= d <= 5 else ("far-" if d < 0 else "far+")


def _next(doc: Doc, i: int, hi: int) -> Token | None:
    j = i + 1
    while j < hi and doc[j].is_space:
        j += 1
    return doc[j] if j < hi else None


def _prev(doc: Doc, i: int, lo: int) -> Token | None:
    j = i - 1
    while j >= lo and doc[j].is_space:
        j -= 1
    return doc[j] if j >= lo else None


def _edge_deps(tok: Token, right: bool) -> list[str]:
    """Dependency labels of the constituents that ``tok`` closes (or opens):
    a boundary at a constituent's edge is far likelier than inside one."""
    out = []
    node = tok
    for _ in range(6):
        if (node.right_edge if right else node.left_edge).i != tok.i:
            break
        out.append(node.dep_)
        if node.head is node:
            break
        node = node.head
    return out


def end_features(tok: Token, rule_end: int, hi: int, frame: str, root: int = -1, cue: frozenset[int] | set[int] = frozenset()) -> list[str]:
    """Features of ``tok`` as the last token of the content (``hi``: end of the sentence unit)."""
    doc = tok.doc
    n = _next(doc, tok.i, hi)
    n2 = _next(doc, n.i, hi) if n is not None else None
    ndep = n.dep_ if n is not None else "<none>"
    nw = _word(n)
    attach = "<none>" if n is None else n.dep_ + ("<" if n.head.i <= tok.i else ">")
    feats = [
        "bias",
        "dep=" + tok.dep_,
        "w=" + _word(tok),
        "ndep=" + ndep,
        "nw=" + nw,
        "nw2=" + nw + "|" + _word(n2),
        "att=" + attach,
        "d=" + _offset(tok.i, rule_end),
        "f|d=" + frame + "|" + _offset(tok.i, rule_end),
        "f|nw=" + frame + "|" + nw,
        "f|att=" + frame + "|" + attach,
        "last" if _only_punct_after(doc, tok.i, hi) else "notlast",
    ]
    edges = _edge_deps(tok, right=True)
    feats.extend("redge=" + d for d in edges)
    feats.extend("nw|redge=" + nw + "|" + d for d in edges[:2])
    if n is not None:
        opened = _opened(n)
        # what the next constituent is and where it hangs decides whether it is reported too
        where = "root" if opened.head.i == root else ("cue" if opened.head.i in cue else ("left" if opened.head.i < n.i else "right"))
        feats += [
            "odep=" + opened.dep_,
            "odep|where=" + opened.dep_ + "|" + where,
            "odep|nw=" + opened.dep_ + "|" + nw,
            "f|odep|where=" + frame + "|" + opened.dep_ + "|" + where,
            "olen=" + _bucket(opened.right_edge.i - opened.left_edge.i + 1),
        ]
    feats.append("len=" + _bucket(tok.i - root))
    return feats


def _only_punct_after(doc: Doc, i: int, hi: int) -> bool:
    """Whether nothing but punctuation and space follows token ``i`` before ``hi``.

    Scanned back from ``hi``: a sentence rarely ends in more than a token or
    two of punctuation, and every end candidate asks.
    """
    j = hi - 1
    while j > i and (doc[j].is_punct or doc[j].is_space):
        j -= 1
    return j <= i


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else ("8-15" if n < 16 else "16+"))


def _opened(tok: Token) -> Token:
    """The largest constituent that starts at ``tok``."""
    node = tok
    while node.head is not node and node.head.left_edge.i == tok.i:
        node = node.head
    return node


def start_features(tok: Token, rule_start: int, lo: int, cue: set[int], frame: str) -> list[str]:
    """Features of ``tok`` as the first token of the content (``lo``: start of the sentence unit)."""
    doc = tok.doc
    p = _prev(doc, tok.i, lo)
    pw = _word(p)
    in_cue = p is not None and p.i in cue
    head = "cue" if tok.head.i in cue else ("in" if tok.head.i > tok.i else "out")
    feats = [
        "bias",
        "sdep=" + tok.dep_,
        "sw=" + _word(tok),
        "spw=" + pw,
        "spdep=" + (p.dep_ if p is not None else "<none>"),
        "sprevcue" if in_cue else "sprevnot",
        "shead=" + head,
        "sd=" + _offset(tok.i, rule_start),
        "f|sd=" + frame + "|" + _offset(tok.i, rule_start),
        "f|sw=" + frame + "|" + _word(tok),
        "sw|spw=" + _word(tok) + "|" + pw,
        "sw|head=" + _word(tok) + "|" + head,
        "aftercue" if cue and tok.i > max(cue) else "beforecue",
    ]
    feats.extend("ledge=" + d for d in _edge_deps(tok, right=False))
    return feats


class BoundsModel:
    """Start and end weights of the boundary model (plain dicts: no sklearn at run time)."""

    __slots__ = ("start", "end")

    def __init__(self, start: Mapping[str, float], end: Mapping[str, float]) -> None:
        self.start = start
        self.end = end

    @staticmethod
    def score(weights: Mapping[str, float], feats: list[str]) -> float:
        return sum(weights.get(f, 0.0) for f in feats)


def load_bounds_model() -> BoundsModel | None:
    """The shipped boundary weights, or None where they are absent."""
    path = resources.files("reportedly.data").joinpath("attr_model/bounds_model.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return BoundsModel(
        {str(k): float(v) for k, v in data["start"].items()}, {str(k): float(v) for k, v in data["end"].items()}
    )


def candidates(doc: Doc, first: int, last: int, lo: int, hi: int, cue: set[int]) -> tuple[list[Token], list[Token]]:
    """Start and end candidates around the rules' content tokens ``first..last`` in the unit ``[lo, hi)``."""
    starts = [
        t
        for t in doc[max(lo, first - _START_BACK) : min(hi, last + 1)]
        if not (t.is_punct or t.is_space) and t.i not in cue
    ]
    ends = [t for t in doc[max(lo, first - _START_BACK) : min(hi, first + _END_REACH)] if not (t.is_punct or t.is_space) and t.i not in cue]
    return starts, ends


def refine_span(
    model: BoundsModel, doc: Doc, first: int, last: int, lo: int, hi: int, cue: set[int], frame: str
) -> tuple[int, int] | None:
    """The best (first, last) token indices for the content, or None where no candidate fits."""
    starts, ends = candidates(doc, first, last, lo, hi, cue)
    if not starts or not ends:
        return None
    best_s = max(starts, key=lambda t: model.score(model.start, start_features(t, first, lo, cue, frame)))
    # The content runs on one side of the cue: it never spans it.
    limit = min((c for c in cue if c > best_s.i), default=hi)
    ends = [t for t in ends if best_s.i <= t.i < limit]
    if not ends:
        return None
    root = doc[first : last + 1].root.i
    best_e = max(ends, key=lambda t: model.score(model.end, end_features(t, last, hi, frame, root, cue)))
    return best_s.i, best_e.i
