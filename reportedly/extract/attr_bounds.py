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
from collections.abc import Callable, Mapping, Sequence
from importlib import resources

import numpy as np
from spacy.tokens import Doc, Token

from reportedly.extract.docview import ParseView, parse_view

__all__ = ["BoundsModel", "end_features", "lead", "load_bounds_model", "refine_span", "refine_span_ranked", "start_features"]

#: Parts of speech whose word form is a feature: function words decide boundaries.
_CLOSED = {"DET", "ADP", "SCONJ", "CCONJ", "PRON", "PART", "AUX", "PUNCT", "ADV"}
#: How far before the rules' start a start candidate may lie.
_START_BACK = 4
#: How many tokens after the start an end candidate may lie.
_END_REACH = 80


def _word(v: ParseView, i: int | None) -> str:
    if i is None:
        return "<none>"
    return v.lower[i] if v.pos[i] in _CLOSED or v.punct[i] else v.pos[i]


def _offset(i: int, ref: int) -> str:
    d = i - ref
    return str(d) if -5 <= d <= 5 else ("far-" if d < 0 else "far+")


def _next(v: ParseView, i: int, hi: int) -> int | None:
    j = i + 1
    while j < hi and v.space[j]:
        j += 1
    return j if j < hi else None


def _prev(v: ParseView, i: int, lo: int) -> int | None:
    j = i - 1
    while j >= lo and v.space[j]:
        j -= 1
    return j if j >= lo else None


def _edge_deps(v: ParseView, i: int, right: bool) -> list[str]:
    """Dependency labels of the constituents that token ``i`` closes (or opens):
    a boundary at a constituent's edge is far likelier than inside one."""
    out = []
    edge = v.right if right else v.left
    node = i
    for _ in range(6):
        if edge[node] != i:
            break
        out.append(v.dep[node])
        if v.heads[node] == node:
            break
        node = v.heads[node]
    return out


def end_features(tok: Token, rule_end: int, hi: int, frame: str, root: int = -1, cue: frozenset[int] | set[int] = frozenset()) -> list[str]:
    """Features of ``tok`` as the last token of the content (``hi``: end of the sentence unit)."""
    return _end_features(parse_view(tok.doc), tok.i, rule_end, hi, frame, root, cue)


def _end_features(
    v: ParseView, i: int, rule_end: int, hi: int, frame: str, root: int = -1, cue: frozenset[int] | set[int] = frozenset()
) -> list[str]:
    n = _next(v, i, hi)
    n2 = _next(v, n, hi) if n is not None else None
    ndep = v.dep[n] if n is not None else "<none>"
    nw = _word(v, n)
    attach = "<none>" if n is None else v.dep[n] + ("<" if v.heads[n] <= i else ">")
    w = _word(v, i)
    d = _offset(i, rule_end)
    feats = [
        "bias",
        "dep=" + v.dep[i],
        "w=" + w,
        "ndep=" + ndep,
        "nw=" + nw,
        "nw2=" + nw + "|" + _word(v, n2),
        "att=" + attach,
        "d=" + d,
        "f|d=" + frame + "|" + d,
        "f|nw=" + frame + "|" + nw,
        "f|att=" + frame + "|" + attach,
        "last" if _only_punct_after(v, i, hi) else "notlast",
    ]
    edges = _edge_deps(v, i, right=True)
    feats.extend("redge=" + dep for dep in edges)
    feats.extend("nw|redge=" + nw + "|" + dep for dep in edges[:2])
    if n is not None:
        opened = _opened(v, n)
        odep = v.dep[opened]
        head = v.heads[opened]
        # what the next constituent is and where it hangs decides whether it is reported too
        where = "root" if head == root else ("cue" if head in cue else ("left" if head < n else "right"))
        feats += [
            "odep=" + odep,
            "odep|where=" + odep + "|" + where,
            "odep|nw=" + odep + "|" + nw,
            "f|odep|where=" + frame + "|" + odep + "|" + where,
            "olen=" + _bucket(v.right[opened] - v.left[opened] + 1),
        ]
    feats.append("len=" + _bucket(i - root))
    return feats


def _only_punct_after(v: ParseView, i: int, hi: int) -> bool:
    """Whether nothing but punctuation and space follows token ``i`` before ``hi``.

    Scanned back from ``hi``: a sentence rarely ends in more than a token or
    two of punctuation, and every end candidate asks.
    """
    j = hi - 1
    while j > i and (v.punct[j] or v.space[j]):
        j -= 1
    return j <= i


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else ("8-15" if n < 16 else "16+"))


def _opened(v: ParseView, i: int) -> int:
    """The largest constituent that starts at token ``i``."""
    node = i
    while v.heads[node] != node and v.left[v.heads[node]] == i:
        node = v.heads[node]
    return node


def start_features(tok: Token, rule_start: int, lo: int, cue: set[int], frame: str) -> list[str]:
    """Features of ``tok`` as the first token of the content (``lo``: start of the sentence unit)."""
    return _start_features(parse_view(tok.doc), tok.i, rule_start, lo, cue, frame)


def _start_features(v: ParseView, i: int, rule_start: int, lo: int, cue: set[int], frame: str) -> list[str]:
    p = _prev(v, i, lo)
    pw = _word(v, p)
    in_cue = p is not None and p in cue
    head = "cue" if v.heads[i] in cue else ("in" if v.heads[i] > i else "out")
    w = _word(v, i)
    sd = _offset(i, rule_start)
    feats = [
        "bias",
        "sdep=" + v.dep[i],
        "sw=" + w,
        "spw=" + pw,
        "spdep=" + (v.dep[p] if p is not None else "<none>"),
        "sprevcue" if in_cue else "sprevnot",
        "shead=" + head,
        "sd=" + sd,
        "f|sd=" + frame + "|" + sd,
        "f|sw=" + frame + "|" + w,
        "sw|spw=" + w + "|" + pw,
        "sw|head=" + w + "|" + head,
        "aftercue" if cue and i > max(cue) else "beforecue",
    ]
    feats.extend("ledge=" + dep for dep in _edge_deps(v, i, right=False))
    return feats


class BoundsModel:
    """Start and end weights of the boundary model (plain dicts: no sklearn at run time).

    ``tagger_start`` and ``tagger_end`` weigh the transformer tagger's
    content-start and content-end logits (:mod:`attr_tagger`) against the
    linear scores; with the tagger's vote, ``start_step`` and ``end_step``
    take that much off a candidate's score per word it adds to the span (a
    start per word before the last start candidate, an end per word after
    the first end candidate): each regression scores a candidate on its
    own, and the argmax of the sum ran long. ``edge_start`` and
    ``edge_end`` weigh the cue-conditioned content edge model's
    log-probabilities (:mod:`attr_content_edge`) the same way. All were
    chosen on articles neither model was trained on. That model reads one
    unit per cue, which costs; ``edge_gate``: it is asked only where the
    chosen start or end leads the runner-up by less than this (None:
    always), since where the other scores agree it seldom changes an edge.
    """

    __slots__ = ("start", "end", "tagger_start", "tagger_end", "start_step", "end_step", "edge_start", "edge_end", "edge_gate")

    def __init__(
        self,
        start: Mapping[str, float],
        end: Mapping[str, float],
        tagger_start: float = 0.0,
        tagger_end: float = 0.0,
        start_step: float = 0.0,
        end_step: float = 0.0,
        edge_start: float = 0.0,
        edge_end: float = 0.0,
        edge_gate: float | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.tagger_start = tagger_start
        self.tagger_end = tagger_end
        self.start_step = start_step
        self.end_step = end_step
        self.edge_start = edge_start
        self.edge_end = edge_end
        self.edge_gate = edge_gate

    @property
    def reads_edges(self) -> bool:
        """Whether the content edge model's scores count at all."""
        return bool(self.edge_start or self.edge_end)

    @staticmethod
    def score(weights: Mapping[str, float], feats: list[str]) -> float:
        return sum(weights.get(f, 0.0) for f in feats)

    def best(
        self,
        part: str,
        candidates: list[int],
        features: Callable[[int], list[str]],
        edges: np.ndarray | None,
        cue_edges: np.ndarray | None = None,
    ) -> int:
        """The candidate token (``candidates`` ascending) with the highest
        ``part`` ("start" or "end") score: the linear weights over
        ``features(i)``, plus the tagger's logit (``edges`` column 0 for
        starts, 1 for ends) times its weight less the step per word the
        candidate adds, plus the content edge model's log-probability
        (``cue_edges``, same columns) times its weight; the first candidate
        wins a tie."""
        return self.ranked(part, candidates, features, edges, cue_edges)[0]

    def ranked(
        self,
        part: str,
        candidates: list[int],
        features: Callable[[int], list[str]],
        edges: np.ndarray | None,
        cue_edges: np.ndarray | None = None,
        memo: dict[int, float] | None = None,
    ) -> tuple[int, float]:
        """:meth:`best`, and by how much its score leads the runner-up's
        (infinite for a single candidate). ``memo`` keeps each candidate's
        linear score for a second call on the same span."""
        if part == "start":
            weights, w, col, step, we = self.start, self.tagger_start, 0, self.start_step, self.edge_start
            added: Callable[[int], int] = lambda i: candidates[-1] - i  # noqa: E731
        else:
            weights, w, col, step, we = self.end, self.tagger_end, 1, self.end_step, self.edge_end
            added = lambda i: i - candidates[0]  # noqa: E731
        if edges is None or not w:
            edges, w, step = None, 0.0, 0.0
        if cue_edges is None or not we:
            cue_edges, we = None, 0.0
        totals = []
        for i in candidates:
            if memo is None:
                z = self.score(weights, features(i))
            elif (z := memo.get(i)) is None:  # type: ignore[assignment]
                z = memo[i] = self.score(weights, features(i))
            if edges is not None:
                z += w * float(edges[i, col]) - step * added(i)
            if cue_edges is not None:
                z += we * float(cue_edges[i, col])
            totals.append(z)
        return candidates[int(np.argmax(totals))], lead(totals)


def lead(scores: Sequence[float] | np.ndarray) -> float:
    """By how much the top score leads the runner-up (infinite for a single
    score): what :attr:`BoundsModel.edge_gate` is compared with, at extraction
    and where ``scripts/train_attr_bounds.py`` chooses it."""
    if len(scores) < 2:
        return float("inf")
    top2 = np.partition(np.asarray(scores, dtype=float), -2)[-2:]
    return float(top2[1] - top2[0])


def load_bounds_model(name: str = "bounds_model.json") -> BoundsModel | None:
    """The shipped boundary weights in ``data/attr_model/<name>``, or None
    where they are absent (the source edge model has the same shape)."""
    path = resources.files("reportedly.data").joinpath(f"attr_model/{name}")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    tagger = data.get("tagger", {})
    return BoundsModel(
        {str(k): float(v) for k, v in data["start"].items()},
        {str(k): float(v) for k, v in data["end"].items()},
        float(tagger.get("start", 0.0)),
        float(tagger.get("end", 0.0)),
        float(tagger.get("start_step", 0.0)),
        float(tagger.get("end_step", 0.0)),
        float(tagger.get("edge_start", 0.0)),
        float(tagger.get("edge_end", 0.0)),
        float(tagger["edge_gate"]) if tagger.get("edge_gate") is not None else None,
    )


def candidates(doc: Doc, first: int, last: int, lo: int, hi: int, cue: set[int]) -> tuple[list[Token], list[Token]]:
    """Start and end candidates around the rules' content tokens ``first..last`` in the unit ``[lo, hi)``."""
    starts, ends = _candidate_indices(parse_view(doc), first, last, lo, hi, cue)
    return [doc[i] for i in starts], [doc[i] for i in ends]


def _candidate_indices(v: ParseView, first: int, last: int, lo: int, hi: int, cue: set[int]) -> tuple[list[int], list[int]]:
    """:func:`candidates`, as token indices: neither punctuation, space nor cue."""

    def keep(i: int) -> bool:
        return not (v.punct[i] or v.space[i]) and i not in cue

    begin = max(lo, first - _START_BACK)
    starts = [i for i in range(begin, min(hi, last + 1)) if keep(i)]
    ends = [i for i in range(begin, min(hi, first + _END_REACH)) if keep(i)]
    return starts, ends


def refine_span(
    model: BoundsModel,
    doc: Doc,
    first: int,
    last: int,
    lo: int,
    hi: int,
    cue: set[int],
    frame: str,
    edges: np.ndarray | None = None,
    cue_edges: np.ndarray | None = None,
) -> tuple[int, int] | None:
    """The best (first, last) token indices for the content, or None where no candidate fits.

    ``edges``: the tagger's content-start and content-end logits per token of
    ``doc`` (tokens x 2), added to the linear scores with the model's weights;
    ``cue_edges``: the content edge model's log-probabilities for this cue, likewise.
    """
    found = refine_span_ranked(model, doc, first, last, lo, hi, cue, frame, edges, cue_edges)
    return None if found is None else found[:2]


def refine_span_ranked(
    model: BoundsModel,
    doc: Doc,
    first: int,
    last: int,
    lo: int,
    hi: int,
    cue: set[int],
    frame: str,
    edges: np.ndarray | None = None,
    cue_edges: np.ndarray | None = None,
    memo: tuple[dict[int, float], dict[int, float]] | None = None,
) -> tuple[int, int, float] | None:
    """:func:`refine_span`, and the smaller of the two edges' leads over
    their runners-up (what :attr:`BoundsModel.edge_gate` is compared with).
    ``memo``: two dicts (starts, ends) that keep the linear scores, so that
    asking again with ``cue_edges`` scores no candidate twice."""
    v = parse_view(doc)
    starts, ends = _candidate_indices(v, first, last, lo, hi, cue)
    if not starts or not ends:
        return None
    memo_s, memo_e = memo if memo is not None else (None, None)
    best_s, lead_s = model.ranked("start", starts, lambda i: _start_features(v, i, first, lo, cue, frame), edges, cue_edges, memo_s)
    # The content runs on one side of the cue: it never spans it.
    limit = min((c for c in cue if c > best_s), default=hi)
    ends = [i for i in ends if best_s <= i < limit]
    if not ends:
        return None
    root = doc[first : last + 1].root.i
    best_e, lead_e = model.ranked("end", ends, lambda i: _end_features(v, i, last, hi, frame, root, cue), edges, cue_edges, memo_e)
    return best_s, best_e, min(lead_s, lead_e)
