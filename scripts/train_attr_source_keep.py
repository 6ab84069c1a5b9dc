"""Learn which written sources to keep, from PolNeAR train.

    .venv/bin/python scripts/train_attr_source_keep.py [--data DIR] [--out DIR] [--cache FILE] [--c C]

The extractor runs with everything learned and the transformer tagger, but
keeping every source (``load_lexicon(source_keep=False)``), over the train
articles the tagger was not trained on: everywhere else its logits, which
the model reads, are those of its own training data (``--all-articles``
takes every article, for a corpus the tagger never saw). Each written source is
an example, labelled by whether it is one of the article's gold source
spans, with :func:`reportedly.extract.attr_source_keep.source_keep_features`.
The threshold under which a source is dropped is the one that gives the best
source F1 over the articles' spans in five-fold cross-validation by article.
A logistic regression fit on all of them is written as plain weights, with
the threshold, to ``reportedly/data/attr_model/source_keep_model.json``.

It runs after every other attribution training script: the sources it
judges are the ones the other models have drawn. Without the tagger there is
nothing to learn from (the rules alone gain nothing measurable from it) and
no file is written.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from reportedly.extract.attr_eval import load_training_set, read_ann, role_spans, training_arguments, trim_span  # noqa: E402
from reportedly.extract.attr_lexicon import AttrLexicon  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attribution import find_attributions  # noqa: E402

#: Thresholds tried in cross-validation.
_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
_FOLDS = 5

#: One article's examples: the gold source spans and, per written source, its trimmed span and features.
Article = tuple[set[tuple[int, int]], list[tuple[tuple[int, int] | None, dict[str, float]]]]


class _Recorder:
    """Stands in for the model during extraction: keeps every source, noting its features."""

    def __init__(self) -> None:
        self.rows: list[dict[str, float]] = []

    def keeps(self, features: dict[str, float]) -> bool:
        self.rows.append(features)
        return True


def article_examples(doc: Doc, gold_path: Path, lex: AttrLexicon) -> Article:
    """Every written source of ``doc`` with its features, and the gold source spans."""
    recorder = _Recorder()
    # the recorder stands where the model would: it has the one method extraction calls
    atts = find_attributions(doc, replace(lex, source_keep=recorder))  # type: ignore[arg-type]
    text = doc.text
    spans = [trim_span(text, *a.source_span) for a in atts if a.source_span is not None]
    # one call per written source, in the order of the attributions
    assert len(spans) == len(recorder.rows), (len(spans), len(recorder.rows))
    return role_spans(text, read_ann(gold_path), "source"), list(zip(spans, recorder.rows))


def source_f1(articles: list[Article], probs: np.ndarray, threshold: float) -> float:
    """Exact source F1 over the articles' span sets, keeping sources scored at or above ``threshold``."""
    tp = pred = gold = 0
    k = 0
    for gold_spans, rows in articles:
        kept = set()
        for span, _ in rows:
            if span is not None and probs[k] >= threshold:
                kept.add(span)
            k += 1
        tp += len(kept & gold_spans)
        pred += len(kept)
        gold += len(gold_spans)
    p, r = tp / max(pred, 1), tp / max(gold, 1)
    return 2 * p * r / (p + r) if p + r else 0.0


def _xy(articles: list[Article]) -> tuple[list[dict[str, float]], list[int]]:
    return [f for _, rows in articles for _, f in rows], [int(s in g) for g, rows in articles for s, _ in rows]


def _fit(articles: list[Article], c: float) -> tuple[object, object]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    x, y = _xy(articles)
    vec = DictVectorizer()
    return vec, LogisticRegression(C=c, max_iter=3000).fit(vec.fit_transform(x), y)


def cross_validated(articles: list[Article], c: float) -> np.ndarray:
    """Each example's probability from a model fit on the other folds' articles."""
    folds = np.arange(len(articles)) % _FOLDS
    probs: list[np.ndarray] = [np.zeros(0)] * len(articles)
    for k in range(_FOLDS):
        train = [a for a, f in zip(articles, folds) if f != k]
        # a fold whose rest holds one class only keeps everything it scores
        fitted = _fit(train, c) if len(set(_xy(train)[1])) == 2 else None
        for i, (a, f) in enumerate(zip(articles, folds)):
            if f != k or not a[1]:
                continue
            if fitted is None:
                probs[i] = np.ones(len(a[1]))
            else:
                probs[i] = fitted[1].predict_proba(fitted[0].transform(_xy([a])[0]))[:, 1]  # type: ignore[attr-defined]
    return np.concatenate(probs) if probs else np.zeros(0)


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=0.3, c_help="inverse regularisation of the classifier")
    ap.add_argument("--all-articles", action="store_true",
                    help="learn from every article, not only those the tagger was not trained on (a corpus it never saw)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    lex = load_lexicon(source_keep=False)
    held = lex.tagger.held_out if lex.tagger is not None else frozenset()
    if not held and not args.all_articles:
        print("no tagger, or one with no held-out articles: nothing to learn", file=sys.stderr)
        return 2
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded
    articles = [article_examples(d, gold[p.stem], lex) for p, d in zip(paths, docs) if args.all_articles or p.stem in held]
    x, y = _xy(articles)
    if len(set(y)) < 2:
        print("the articles give no right and wrong sources both: nothing to learn", file=sys.stderr)
        return 2
    print(f"{len(articles)} articles, {len(y)} written sources, {np.mean(y):.1%} of them gold")
    probs = cross_validated(articles, args.c)
    keep_all = source_f1(articles, np.ones(len(y)), 0.5)
    scores = {t: source_f1(articles, probs, t) for t in _THRESHOLDS}
    threshold = max(scores, key=lambda t: (scores[t], -t))
    print(f"source F1, keeping all: {keep_all:.2%}; cross-validated by threshold: "
          + ", ".join(f"{t}: {s:.2%}" for t, s in scores.items()) + f"; chose {threshold}")
    vec, model = _fit(articles, args.c)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0]) if w != 0.0}  # type: ignore[attr-defined]
    out = args.out / "source_keep_model.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {"C": args.c, "sources": len(y), "tagger": {"bias": float(model.intercept_[0]), "threshold": threshold, "weights": weights}}  # type: ignore[attr-defined]
    out.write_text(json.dumps(data, sort_keys=True, indent=0), encoding="utf-8")
    print(f"wrote {len(weights)} weights to {out}; {time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
