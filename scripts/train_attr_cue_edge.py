"""Learn where verb cues end, from PolNeAR train.

    .venv/bin/python scripts/train_attr_cue_edge.py [--data DIR] [--out DIR] [--cache FILE] [--c C]

The extractor runs with its learned cues and content boundaries but the
rules' cue ends and source edges (``load_lexicon(cue_edge=False,
source_bounds=False)``). Each verb attribution whose cue starts where a
gold cue starts, and whose gold end is among the candidates of
:func:`reportedly.extract.attr_cue_edge.edge_candidates` (two at least),
gives a training group: every candidate end (label: is it the gold end?).
A logistic regression over :func:`edge_features` is written as plain
weights to ``reportedly/data/attr_model/cue_edge_model.json`` (no
scikit-learn at run time). ``--cache`` reads the parsed docs (the DocBin
``scripts/train_attribution.py`` writes) instead of parsing again.

Where the transformer tagger is installed, the weight of its cue logits
(summed over the words a candidate takes in) is chosen as in
``scripts/train_attr_bounds.py``: the regression is fit without the
articles the tagger was not trained on, each of :data:`TAGGER_WEIGHTS` is
tried on those, and the weight that gets most ends right is stored beside
the regression refit on every article (``"tagger"``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from reportedly.extract.attr_cue_edge import CueEdgeModel, edge_candidates, edge_features, taken_logits  # noqa: E402
from reportedly.extract.attr_eval import Relation, fit_weights, held_out_logits, load_training_set, read_ann, training_arguments, trim_span  # noqa: E402
from reportedly.extract.attr_lexicon import AttrLexicon, load_lexicon  # noqa: E402
from reportedly.extract.attr_learned import cue_edge_context  # noqa: E402
from reportedly.extract.attr_spans import unit_of  # noqa: E402
from reportedly.extract.attribution import find_attributions  # noqa: E402


@dataclass(slots=True)
class Group:
    """The candidate ends of one cue: feature rows, labels, token indices,
    the cue's own last token and its sentence unit."""

    xs: list[list[str]]
    ys: list[int]
    ends: list[int]
    last: int
    unit: tuple[int, int]


def examples(doc: Doc, gold: list[Relation], lex: AttrLexicon) -> list[Group]:
    """Candidate-end training groups of one article."""
    text = doc.text
    gold_cues = {t for t in (trim_span(text, a, b) for rel in gold for a, b in rel.cue) if t}
    out: list[Group] = []
    for att in find_attributions(doc, lex):
        ctx = cue_edge_context(doc, att)
        if ctx is None or att.cue_start is None or att.cue_end is None:
            continue
        own = trim_span(text, att.cue_start, att.cue_end)
        if own is None:
            continue
        ends = sorted(b for a, b in gold_cues if a == own[0])
        if not ends:
            continue
        verb, last, hi, blocked, into = ctx
        cands = edge_candidates(doc, last, hi, blocked, into)
        if len(cands) == 1:
            continue  # nothing to choose
        labels = [int(doc[e].idx + len(doc[e].text) == ends[0]) for e in cands]
        if sum(labels) != 1:
            continue  # the gold end is not among the candidates
        rows = [edge_features(doc, verb, last, e, hi, att.pattern, into) for e in cands]
        out.append(Group(rows, labels, cands, last, unit_of(verb)))
    return out


def fit(groups: list[Group], c: float) -> dict[str, float]:
    """The regression over every candidate of ``groups``, as plain weights."""
    return fit_weights([r for g in groups for r in g.xs], [y for g in groups for y in g.ys], c)


#: Weights of the tagger's cue logits tried against the linear scores.
TAGGER_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


def weigh_tagger(groups: dict[str, list[Group]], docs: dict[str, Doc], c: float) -> float | None:
    """The weight of the tagger's cue logits that gets most ends right on the
    held-out articles, with the regression fit on the rest; None where no
    tagger is installed."""
    from reportedly.extract.attr_tagger import LABELS

    found = held_out_logits(groups, docs, "the cue edge model")
    if found is None:
        return None
    held, scored = found
    model = CueEdgeModel(fit([g for stem, gs in groups.items() if stem not in held for g in gs], c))
    col = LABELS.index("cue")
    rows = []
    for g, logits in scored:
        linear = np.array([sum(model.weights.get(f, 0.0) for f in r) for r in g.xs])
        rows.append((linear, taken_logits(logits[:, col], g.last, g.ends), g.ys.index(1)))
    right = {w: sum(int(np.argmax(lin + w * tag)) == gold for lin, tag, gold in rows) / max(len(rows), 1) for w in TAGGER_WEIGHTS}
    print(f"{len(rows)} held-out cues: right ends by tagger weight")
    for w, share in right.items():
        print(f"  w={w:<4} {share:.1%}")
    # a tie keeps the smaller weight
    return max(TAGGER_WEIGHTS, key=lambda w: (right[w], -w))


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=1.0, c_help="inverse regularisation")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded

    lex = load_lexicon(cue_edge=False, source_bounds=False, source_keep=False)
    groups = {path.stem: examples(doc, read_ann(gold[path.stem]), lex) for path, doc in zip(paths, docs)}
    all_groups = [g for gs in groups.values() for g in gs]
    print(f"{len(all_groups)} cues: {sum(len(g.ys) for g in all_groups)} candidate ends")
    if len({y for g in all_groups for y in g.ys}) < 2:
        print("no cue with a choice of ends: nothing to learn", file=sys.stderr)
        return 2
    tagger_cue = weigh_tagger(groups, {p.stem: d for p, d in zip(paths, docs)}, args.c)
    weights = fit(all_groups, args.c)
    data: dict[str, object] = {"C": args.c, "cues": len(all_groups), "weights": weights}
    if tagger_cue is not None:
        data["tagger"] = {"cue": tagger_cue}
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "cue_edge_model.json"
    out.write_text(json.dumps(data, sort_keys=True, indent=0), encoding="utf-8")
    print(f"wrote {len(weights)} weights (tagger: {tagger_cue}) to {out} in {time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
