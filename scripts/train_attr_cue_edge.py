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
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.tokens import Doc  # noqa: E402

from reportedly.extract.attr_cue_edge import edge_candidates, edge_features  # noqa: E402
from reportedly.extract.attr_eval import Relation, load_training_set, training_arguments, read_ann, trim_span  # noqa: E402
from reportedly.extract.attr_lexicon import AttrLexicon, load_lexicon  # noqa: E402
from reportedly.extract.attribution import cue_edge_context, find_attributions  # noqa: E402


def examples(doc: Doc, gold: list[Relation], lex: AttrLexicon) -> tuple[list[list[str]], list[int]]:
    """Candidate-end training rows of one article."""
    text = doc.text
    gold_cues = {t for t in (trim_span(text, a, b) for rel in gold for a, b in rel.cue) if t}
    xs: list[list[str]] = []
    ys: list[int] = []
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
        xs.extend(edge_features(doc, verb, last, e, hi, att.pattern, into) for e in cands)
        ys.extend(labels)
    return xs, ys


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=1.0, c_help="inverse regularisation")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded

    lex = load_lexicon(cue_edge=False, source_bounds=False, source_keep=False)
    xs: list[list[str]] = []
    ys: list[int] = []
    groups = 0
    for path, doc in zip(paths, docs):
        x, y = examples(doc, read_ann(gold[path.stem]), lex)
        xs += x
        ys += y
        groups += sum(y)
    print(f"{groups} cues: {len(ys)} candidate ends")

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in xs])
    model = LogisticRegression(C=args.c, max_iter=3000)
    model.fit(x, ys)
    # "bias" is a feature of every row, so the intercept folds into it.
    weights = {str(n): float(w) for n, w in zip(vec.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = weights.get("bias", 0.0) + float(model.intercept_[0])
    weights = {k: round(v, 4) for k, v in weights.items() if abs(v) >= 0.01}
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "cue_edge_model.json"
    out.write_text(json.dumps({"C": args.c, "cues": groups, "weights": weights}, sort_keys=True, indent=0), encoding="utf-8")
    print(f"wrote {len(weights)} weights to {out} in {time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
