"""Learn where reported content starts and ends, from PolNeAR train.

    .venv/bin/python scripts/train_attr_bounds.py [--data DIR] [--out DIR] [--cache FILE] [--c C]

The extractor runs with its learned cues but the rules' content boundaries
(``load_lexicon(bounds=False)``). Each attribution whose cue overlaps a gold
cue, and whose gold content is one fragment that starts and ends on token
edges of the cue's sentence, gives a training group: every start candidate
(label: is it the gold first token?) and every end candidate (is it the gold
last token?) of :func:`reportedly.extract.attr_bounds.candidates`. Two
logistic regressions over :func:`start_features` and :func:`end_features`
are written as plain weights to ``reportedly/data/attr_model/bounds_model.json``
(no scikit-learn at run time). Parsing dominates the run time; ``--cache``
keeps the parsed docs (the same DocBin ``scripts/train_attribution.py`` writes).

Where the transformer edge tagger is installed (``scripts/train_attr_tagger.py``
runs first), the script also weighs its content-start and content-end logits
against the linear scores: the regressions are fit without the articles the
tagger was not trained on, every weight of :data:`TAGGER_WEIGHTS` is tried on
those articles, and the weights that get most edges right are stored beside
the regressions (``"tagger"``), which are then refit on every article.
Where the content edge model is installed too
(``scripts/train_attr_content_edge.py`` runs before this one), its
log-probabilities for each span's cue are weighed on top of the tagger's
chosen weights (:data:`EDGE_WEIGHTS`), so that where its gate spares it the
boundary model stands as it would without it. Weights and gate are chosen
together: among the gates of :data:`EDGE_GATES` that ask about at most
:data:`GATE_BUDGET` of the held-out spans (the model costs a pass per span
asked), the one whose best weights get the most held-out edges right, the
smallest of a tie, with its best weights.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from reportedly.extract.attr_bounds import BoundsModel, lead  # noqa: E402

from reportedly.extract.attr_bounds import candidates, end_features, start_features  # noqa: E402
from reportedly.extract.attr_eval import Relation, fit_weights, held_out_logits, load_training_set, read_ann, training_arguments, trim_span  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attr_learned import all_units, refinable  # noqa: E402
from reportedly.extract.attribution import find_attributions, quote_regions  # noqa: E402


def _gold_for(text: str, cue: tuple[int, int], gold: list[Relation]) -> tuple[int, int] | None:
    """The single trimmed content fragment of the gold relation whose cue overlaps ``cue``."""
    for rel in gold:
        if any(a < cue[1] and cue[0] < b for a, b in rel.cue):
            frags = [t for t in (trim_span(text, a, b) for a, b in rel.content) if t]
            return frags[0] if len(frags) == 1 else None
    return None


@dataclass(slots=True)
class Group:
    """The start and end candidates of one attribution: feature rows, labels and token indices."""

    xs: list[list[str]]
    ys: list[int]
    si: list[int]
    xe: list[list[str]]
    ye: list[int]
    ei: list[int]
    unit: tuple[int, int]
    cue: tuple[int, ...] = ()  # the cue's tokens, where the content edge model reads them


def examples(doc: Doc, gold: list[Relation], lex: object) -> list[Group]:
    """Training groups of one article."""
    text = doc.text
    regions = quote_regions(text)
    out: list[Group] = []
    for att in find_attributions(doc, lex):  # type: ignore[arg-type]
        ctx = refinable(doc, text, att, regions)
        if ctx is None or att.cue_start is None or att.cue_end is None:
            continue
        target = _gold_for(text, (att.cue_start, att.cue_end), gold)
        if target is None:
            continue
        first, last, lo, hi, cue = ctx
        starts, ends = candidates(doc, first, last, lo, hi, cue)
        s_lab = [int(trim_span(text, t.idx, len(text)) == (target[0], len(text)) or t.idx == target[0]) for t in starts]
        e_lab = [int(t.idx + len(t.text) == target[1] or trim_span(text, 0, t.idx + len(t.text)) == (0, target[1])) for t in ends]
        if sum(s_lab) != 1 or sum(e_lab) != 1:
            continue  # the gold edges are not among the candidates
        frame = att.pattern
        root = doc[first : last + 1].root.i
        out.append(
            Group(
                [start_features(t, first, lo, cue, frame) for t in starts],
                s_lab,
                [t.i for t in starts],
                [end_features(t, last, hi, frame, root, cue) for t in ends],
                e_lab,
                [t.i for t in ends],
                (lo, hi),
                tuple(sorted(cue)),
            )
        )
    return out


def _fit_groups(groups: list[Group], c: float) -> tuple[dict[str, float], dict[str, float]]:
    xs = [r for g in groups for r in g.xs]
    ys = [y for g in groups for y in g.ys]
    xe = [r for g in groups for r in g.xe]
    ye = [y for g in groups for y in g.ye]
    return fit_weights(xs, ys, c), fit_weights(xe, ye, c)


#: Tagger weights tried against the linear scores.
TAGGER_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
#: Steps tried: what a candidate loses per word it adds to the span, with the tagger's vote.
STEPS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
#: Weights tried for the content edge model's log-probabilities, where it is installed.
EDGE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
#: Gates tried (see BoundsModel.edge_gate), smallest first; None: always ask.
EDGE_GATES = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, None)
#: The largest share of spans a gate may send to the content edge model: each
#: is a pass of its layers, and attribution's speed target leaves room for about this many.
GATE_BUDGET = 0.30


def _held_out_edges(groups: list[Group], docs: dict[str, Doc], stems: list[str]) -> list[np.ndarray | None] | None:
    """The content edge model's log-probabilities for each group's cue
    (``stems[k]`` holds ``groups[k]``), read as at extraction, one batch per
    article; None where no content edge model is installed."""
    from reportedly.extract.attr_tagger import DocScores, load_tagger

    tagger = load_tagger()
    if tagger is None or tagger.edge is None:
        return None
    by_stem: dict[str, list[int]] = {}
    for k, stem in enumerate(stems):
        by_stem.setdefault(stem, []).append(k)
    found: dict[int, np.ndarray | None] = {}
    for stem, ks in by_stem.items():
        scores = DocScores(tagger, docs[stem], tagger.edge.from_layer)
        # every unit first, as extraction reads them: a piece's state depends on the text read with it
        scores.ensure(all_units(docs[stem]))
        asks = [(groups[k].unit[0], groups[k].unit[1], set(groups[k].cue)) for k in ks]
        found.update(zip(ks, scores.content_edges(asks)))
    return [found[k] for k in range(len(groups))]


def weigh_tagger(
    groups: dict[str, list[Group]],
    docs: dict[str, Doc],
    c: float,
    labels: tuple[str, str] = ("content_start", "content_end"),
    cue_edges: bool = False,
) -> dict[str, float | None] | None:
    """The weights of the tagger's start and end logits (``labels``) and the
    steps (see :class:`~reportedly.extract.attr_bounds.BoundsModel`) that get
    most edges right on the held-out articles, with the linear model fit on
    the rest; then, with ``cue_edges`` where the content edge model is
    installed, its weights on top of those and its gate. Keyed as
    ``bounds_model.json`` stores them under ``"tagger"``; None where no
    tagger is installed."""
    from reportedly.extract.attr_tagger import LABELS

    found = held_out_logits(groups, docs, "the boundary model")
    if found is None:
        return None
    held, scored = found
    start_w, end_w = _fit_groups([g for s, gs in groups.items() if s not in held for g in gs], c)
    cs, ce = LABELS.index(labels[0]), LABELS.index(labels[1])
    edge_of = None
    if cue_edges:
        stems = [s for s in sorted(held) for _ in groups.get(s, [])]
        edge_of = _held_out_edges([g for g, _ in scored], docs, stems)
    rows = []
    for k, (g, logits) in enumerate(scored):
        ls = np.array([BoundsModel.score(start_w, r) for r in g.xs])
        le = np.array([BoundsModel.score(end_w, r) for r in g.xe])
        # words each candidate adds: a start before the last start candidate, an end after the first end one
        added_s = g.si[-1] - np.array(g.si)
        added_e = np.array(g.ei) - g.ei[0]
        edges = edge_of[k] if edge_of is not None else None
        es = edges[g.si, 0] if edges is not None else np.zeros(len(g.si))
        ee = edges[g.ei, 1] if edges is not None else np.zeros(len(g.ei))
        rows.append(((ls, logits[g.si, cs], added_s, es, np.array(g.ys)), (le, logits[g.ei, ce], added_e, ee, np.array(g.ye))))
    print(f"{len(rows)} held-out spans: right edges by tagger weight (start / end) at the best step")
    chosen: list[tuple[float, float, float]] = []
    for part, name in ((0, "start"), (1, "end")):

        def right(w: float, step: float) -> float:
            hits = sum(int(y[int(np.argmax(lin + w * tag - step * added))]) for lin, tag, added, _edge, y in (r[part] for r in rows))
            return hits / max(len(rows), 1)

        # per tagger weight, its best step (none without the tagger's vote); a tie keeps the smaller
        best = {w: max((right(w, step), -step) for step in (STEPS if w else (0.0,))) for w in TAGGER_WEIGHTS}
        for w, (share, neg_step) in best.items():
            print(f"  {name} w={w:<4} {share:.1%} (step {-neg_step})")
        w = max(TAGGER_WEIGHTS, key=lambda w: (best[w][0], -w))
        step = -best[w][1]
        chosen.append((w, step))
    out: dict[str, float | None] = {"start": chosen[0][0], "end": chosen[1][0], "start_step": chosen[0][1], "end_step": chosen[1][1]}
    if edge_of is not None:
        # the content edge model is weighed on top of the tagger's choice, so
        # that where the gate spares it the boundary model stands as it would alone
        edges = _choose_edges(rows, chosen)
        if edges["edge_start"] or edges["edge_end"]:
            out.update(edges)
    return out


def _choose_edges(rows: list, chosen: list[tuple[float, float]]) -> dict[str, float | None]:
    """The content edge model's start and end weights (:data:`EDGE_WEIGHTS`)
    and its gate (:data:`EDGE_GATES`), chosen together on the held-out spans
    (``rows``) on top of the tagger's weights and steps (``chosen``): of the
    gates within :data:`GATE_BUDGET`, the one whose best weights get the
    most held-out edges right (starts and ends together), the smallest of a
    tie. The budget is what keeps the model affordable; the weights that suit
    a gate depend on which spans it asks about."""
    picks = []
    for r in rows:
        per = []
        for part, (w, step) in enumerate(chosen):
            lin, tag, added, edge, y = r[part]
            per.append((lin + w * tag - step * added, edge, y))
        gap = min(lead(plain) for plain, _, _ in per)
        picks.append((gap, per))
    n = max(len(picks), 1)

    def right(gate: float | None, part: int, we: float) -> float:
        hits = 0
        for gap, per in picks:
            plain, edge, y = per[part]
            hits += int(y[int(np.argmax(plain + we * edge if gate is None or gap < gate else plain))])
        return hits / n

    print("  gate: share of spans asked, held-out start / end right at its best weights (start, end)")
    best_of: dict[float | None, tuple[int, float, float]] = {}
    for gate in EDGE_GATES:
        asked = sum(gate is None or gap < gate for gap, _ in picks) / n
        by_start = {w: right(gate, 0, w) for w in EDGE_WEIGHTS}
        by_end = {w: right(gate, 1, w) for w in EDGE_WEIGHTS}
        # the smallest weight of a tie
        ws = max(EDGE_WEIGHTS, key=lambda w: (by_start[w], -w))
        we = max(EDGE_WEIGHTS, key=lambda w: (by_end[w], -w))
        s, e = by_start[ws], by_end[we]
        print(f"    {gate!s:<5} {asked:6.1%} {s:.1%} / {e:.1%} ({ws}, {we})" + ("" if asked <= GATE_BUDGET else "  over budget"))
        if asked <= GATE_BUDGET:
            best_of[gate] = (round((s + e) * n), ws, we)
    if not best_of:
        return {"edge_start": 0.0, "edge_end": 0.0, "edge_gate": None}
    # gates are tried smallest first, and max keeps the first of a tie
    gate = max(best_of, key=lambda g: best_of[g][0])
    _, ws, we = best_of[gate]
    return {"edge_start": ws, "edge_end": we, "edge_gate": gate}


def fit_and_write(
    groups: dict[str, list[Group]],
    docs: dict[str, Doc],
    c: float,
    out: Path,
    labels: tuple[str, str] = ("content_start", "content_end"),
    cue_edges: bool = False,
) -> None:
    """Weigh the tagger's ``labels`` logits, fit both regressions on every
    group and write them, with the tagger's weights, as JSON to ``out``."""
    all_groups = [g for gs in groups.values() for g in gs]
    weights = weigh_tagger(groups, docs, c, labels, cue_edges=cue_edges)
    start, end = _fit_groups(all_groups, c)
    out.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"C": c, "spans": len(all_groups), "start": start, "end": end}
    if weights is not None:
        data["tagger"] = weights
    out.write_text(json.dumps(data, sort_keys=True, indent=0), encoding="utf-8")
    print(f"wrote {len(start)} start and {len(end)} end weights (tagger: {weights}) to {out}")


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=2.0, c_help="inverse regularisation of both classifiers")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded

    # the cue edge model runs after the bounds at extraction: the bounds see the rules' cues
    lex = load_lexicon(bounds=False, cue_edge=False, source_bounds=False, source_keep=False)
    groups = {path.stem: examples(doc, read_ann(gold[path.stem]), lex) for path, doc in zip(paths, docs)}
    all_groups = [g for gs in groups.values() for g in gs]
    print(f"{len(all_groups)} content spans: {sum(len(g.ys) for g in all_groups)} start and "
          f"{sum(len(g.ye) for g in all_groups)} end candidates")
    fit_and_write(groups, {p.stem: d for p, d in zip(paths, docs)}, args.c, args.out / "bounds_model.json", cue_edges=True)
    print(f"{time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
