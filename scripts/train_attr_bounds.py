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
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.tokens import Doc  # noqa: E402

from reportedly.extract.attr_bounds import candidates, end_features, start_features  # noqa: E402
from reportedly.extract.attr_eval import Relation, load_training_set, training_arguments, read_ann, trim_span  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attribution import find_attributions, quote_regions, refinable  # noqa: E402
from reportedly.extract.model import load_base_model  # noqa: E402


def _gold_for(text: str, cue: tuple[int, int], gold: list[Relation]) -> tuple[int, int] | None:
    """The single trimmed content fragment of the gold relation whose cue overlaps ``cue``."""
    for rel in gold:
        if any(a < cue[1] and cue[0] < b for a, b in rel.cue):
            frags = [t for t in (trim_span(text, a, b) for a, b in rel.content) if t]
            return frags[0] if len(frags) == 1 else None
    return None


def examples(doc: Doc, gold: list[Relation], lex: object) -> tuple[list[list[str]], list[int], list[list[str]], list[int]]:
    """Start and end training rows of one article."""
    text = doc.text
    regions = quote_regions(text)
    xs: list[list[str]] = []
    ys: list[int] = []
    xe: list[list[str]] = []
    ye: list[int] = []
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
        xs.extend(start_features(t, first, lo, cue, frame) for t in starts)
        ys.extend(s_lab)
        root = doc[first : last + 1].root.i
        xe.extend(end_features(t, last, hi, frame, root, cue) for t in ends)
        ye.extend(e_lab)
    return xs, ys, xe, ye


def _fit(rows: list[list[str]], labels: list[int], c: float) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in rows])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, labels)
    # "bias" is a feature of every row, so the intercept folds into it.
    weights = {str(n): float(w) for n, w in zip(vec.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = weights.get("bias", 0.0) + float(model.intercept_[0])
    return {k: round(v, 4) for k, v in weights.items() if abs(v) >= 0.01}


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=2.0, c_help="inverse regularisation of both classifiers")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    nlp = load_base_model()
    loaded = load_training_set(args.data, nlp, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded

    # the cue edge model runs after the bounds at extraction: the bounds see the rules' cues
    lex = load_lexicon(bounds=False, cue_edge=False)
    xs: list[list[str]] = []
    ys: list[int] = []
    xe: list[list[str]] = []
    ye: list[int] = []
    for path, doc in zip(paths, docs):
        a, b, c, d = examples(doc, read_ann(gold[path.stem]), lex)
        xs += a
        ys += b
        xe += c
        ye += d
    print(f"{sum(ys)} content spans: {len(ys)} start and {len(ye)} end candidates")
    start = _fit(xs, ys, args.c)
    end = _fit(xe, ye, args.c)
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "bounds_model.json"
    out.write_text(
        json.dumps({"C": args.c, "spans": sum(ys), "start": start, "end": end}, sort_keys=True, indent=0),
        encoding="utf-8",
    )
    print(f"wrote {len(start)} start and {len(end)} end weights to {out} in {time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
