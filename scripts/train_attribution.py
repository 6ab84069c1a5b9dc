"""Learn which verbs, in which frames, are attribution cues, from PolNeAR train.

    .venv/bin/python scripts/train_attribution.py [--data DIR] [--out DIR] [--cache FILE] [--c C]

Every verb in the training articles (outside quotations, as at extraction
time) that governs something reportable is a candidate: the extractor's own
:func:`verb_frame` says how ("ccomp", "paren", "quote", "object", "prep");
the gold annotation (the first annotator's ``.ann``) says whether it is a cue.
Two artefacts go to ``reportedly/data/attr_model/``:

* ``cue_model.json`` (about 1 MB): a logistic regression over
  :func:`cue_features` (lemma, frame, subject, tag, dependents and the words
  around the verb, and their combinations with the lemma), stored as plain
  feature weights so that scoring needs no scikit-learn at run time, with
  the probability threshold whose attributions scored best on held-out
  article folds (the mean exact F1 of source, cue and content, each fold
  run through the extractor with a classifier trained on the others), and
  after it, chosen the same way, a stricter threshold for verb cues inside
  another attribution's content, which annotators mark less often;
* ``cue_frames.tsv`` (a few dozen kB): the share of cues per (lemma, frame),
  the fallback when the classifier's weights are absent.

Where neither file is present the extractor runs on the hand-written lists.
Parsing the 840 articles dominates the run time (about 4 minutes on two free
cores); ``--cache`` keeps the parsed docs for reruns (then about 2 minutes,
most of it choosing the threshold).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from spacy.tokens import Doc

    from reportedly.extract.attr_tagger import Tagger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from reportedly.extract.attr_eval import ROLES, Scorer, load_training_set, read_ann, to_relations, training_arguments  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attribution import (  # noqa: E402
    cue_features,
    find_attributions,
    quote_regions,
    verb_frame,
    verb_subject,
)
from reportedly.extract.attr_tagger import NO_SCORE, load_tagger  # noqa: E402

#: Pairs seen fewer times than this are not written: too few to estimate a share.
MIN_COUNT = 2


def _fold_models(x: "csr_matrix", labels: list[int], groups: list[int], c: float) -> dict[int, tuple[np.ndarray, float, np.ndarray]]:
    """One classifier per article fold, trained on the other folds: each
    fold's (weights, bias, held-out probabilities of its own candidates)."""
    from sklearn.linear_model import LogisticRegression

    y = np.array(labels)
    fold = np.array(groups)
    out = {}
    for k in sorted(set(groups)):
        model = LogisticRegression(C=c, max_iter=3000).fit(x[fold != k], y[fold != k])
        out[k] = (model.coef_[0], float(model.intercept_[0]), model.predict_proba(x[fold == k])[:, 1])
    return out


#: Weights smaller than this are not shipped (nor used when choosing the threshold).
MIN_WEIGHT = 0.05
#: Thresholds tried for the classifier.
THRESHOLDS = [round(float(t), 2) for t in np.arange(0.25, 0.651, 0.05)]
#: Thresholds tried for verb cues inside another attribution's content.
NESTED_THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9]


def _kept_weights(names: list[str], coef: np.ndarray) -> dict[str, float]:
    return {n: round(float(w), 4) for n, w in zip(names, coef) if abs(w) >= MIN_WEIGHT}


def _candidate_f1s(models: dict[int, tuple[np.ndarray, float, np.ndarray]], labels: list[int], groups: list[int]) -> None:
    """Held-out F1 of the candidates alone, printed for reference."""
    y = np.array(labels)
    fold = np.array(groups)
    prob = np.zeros(len(y))
    for k, (_w, _b, p) in models.items():
        prob[fold == k] = p
    for threshold in THRESHOLDS:
        picked = prob >= threshold
        tp = int((picked & (y == 1)).sum())
        f1 = 2 * tp / (int(picked.sum()) + int(y.sum())) if tp else 0.0
        print(f"  threshold {threshold:.2f}: held-out candidate F1 {f1:.4f}")


def _best_threshold(
    models: dict[int, tuple[np.ndarray, float, np.ndarray]],
    names: list[str],
    folds: int,
    paths: list[Path],
    gold: dict[str, Path],
    docs: list["Doc"],
) -> tuple[float, float]:
    """The threshold whose attributions score best on held-out article folds,
    and the stricter one for nested cues chosen the same way after it.

    A candidate's F1 is not the goal: a cue the classifier keeps brings its
    source and content, right or wrong, and a cue it drops loses them. So
    each fold's articles are run through the whole extractor with the
    classifier trained on the other folds, and the threshold with the best
    mean exact F1 of source, cue and content (PolNeAR's scoring) wins. The
    boundary and cue-edge models and the tagger are left out so that this
    choice does not depend on weights trained after it.
    """
    base = load_lexicon(bounds=False, cue_edge=False, tagger=False, source_bounds=False, source_keep=False)
    lexicons = {
        k: replace(base, cue_weights=MappingProxyType(_kept_weights(names, w)), cue_bias=b)
        for k, (w, b, _p) in models.items()
    }
    gold_rel = [read_ann(gold[p.stem]) for p in paths]

    def held_out(threshold: float, nested: float) -> float:
        scorer = Scorer()
        for n, doc in enumerate(docs):
            lex = replace(lexicons[n % folds], cue_threshold=threshold, nested_cue_threshold=nested)
            scorer.add(doc.text, gold_rel[n], to_relations(find_attributions(doc, lex)))
        f1 = [scorer.roles[role].exact[2] for role in ROLES]
        label = f"threshold {threshold:.2f}" + (f", nested {nested:.2f}" if nested else "")
        print(f"  {label}: held-out exact F1 source {f1[0]:.4f} cue {f1[1]:.4f} content {f1[2]:.4f}")
        return sum(f1) / 3

    best, best_score = 0.5, -1.0
    for threshold in THRESHOLDS:
        score = held_out(threshold, 0.0)
        if score > best_score + 1e-9:
            best, best_score = threshold, score
    # Then the stricter threshold for cues nested in another report's content
    # (0: none), with the main threshold fixed.
    nested_best = 0.0
    for nested in NESTED_THRESHOLDS:
        if nested <= best:
            continue
        score = held_out(best, nested)
        if score > best_score + 1e-9:
            nested_best, best_score = nested, score
    return best, nested_best


#: Weights of the tagger's cue logit tried in the classifier (0: without it).
TAGGER_WEIGHTS = [0.0, 0.5, 1.0, 1.5, 2.0]
#: Cue logits above which the tagger's own cues are tried (0: none of its own).
PROPOSE_THRESHOLDS = [0.0, 1.5, 2.0, 2.5, 3.0, 4.0]


class _MemoTagger:
    """The edge tagger with each sentence unit's logits kept, so that trying
    many weights and thresholds on the same articles reads each unit once."""

    def __init__(self, tagger: "Tagger") -> None:
        self.tagger = tagger
        self.memo: dict[tuple[int, int, int], np.ndarray] = {}

    def fill(self, doc: "Doc", spans: list[tuple[int, int]], out: np.ndarray) -> None:
        for lo, hi in spans:
            key = (id(doc), lo, hi)
            if key not in self.memo:
                part = np.full_like(out, NO_SCORE)
                self.tagger.fill(doc, [(lo, hi)], part)
                self.memo[key] = part[lo:hi].copy()
            out[lo:hi] = self.memo[key]


def _weigh_tagger(
    x: "csr_matrix",
    labels: list[int],
    doc_of: list[int],
    names: list[str],
    c: float,
    paths: list[Path],
    gold: dict[str, Path],
    docs: list["Doc"],
) -> dict[str, float] | None:
    """The weight of the tagger's cue logit, with both thresholds chosen again,
    on the articles the tagger was not trained on; None where no tagger is
    installed or it does not help there.

    The classifier is fit on the other articles; each setting runs the held-out
    articles through the extractor (without the boundary and cue-edge models,
    as for the thresholds) and the best mean exact F1 of source, cue and
    content wins, against the best without the tagger on the same articles.
    With that weight, the cue logit above which the tagger's own cues join
    (:func:`reportedly.extract.attribution.find_attributions`) is chosen the
    same way ("propose"; 0: none).
    """
    from sklearn.linear_model import LogisticRegression

    tagger = load_tagger()
    if tagger is None:
        print("no tagger installed: the cue classifier runs alone")
        return None
    held = [n for n, p in enumerate(paths) if p.stem in tagger.held_out]
    if not held:
        print("the tagger kept no training article out: the cue classifier runs alone")
        return None
    held_set = set(held)
    train_rows = np.array([d not in held_set for d in doc_of])
    model = LogisticRegression(C=c, max_iter=3000).fit(x[train_rows], np.array(labels)[train_rows])
    base = replace(
        load_lexicon(bounds=False, cue_edge=False, tagger=False, source_bounds=False, source_keep=False),
        cue_weights=MappingProxyType(_kept_weights(names, model.coef_[0])),
        cue_bias=float(model.intercept_[0]),
        tagger=_MemoTagger(tagger),  # type: ignore[arg-type]
    )
    gold_rel = {n: read_ann(gold[paths[n].stem]) for n in held}

    def run(weight: float, threshold: float, nested: float, propose: float = 0.0) -> float:
        lex = replace(
            base, cue_tagger_weight=weight, cue_threshold=threshold, nested_cue_threshold=nested, tagger_cue_threshold=propose
        )
        scorer = Scorer()
        for n in held:
            scorer.add(docs[n].text, gold_rel[n], to_relations(find_attributions(docs[n], lex)))
        return sum(scorer.roles[role].exact[2] for role in ROLES) / 3

    print(f"weighing the tagger's cue vote on {len(held)} held-out articles (mean exact F1):")
    best: dict[float, tuple[float, float, float]] = {}
    for weight in TAGGER_WEIGHTS:
        score, threshold = max((run(weight, t, 0.0), t) for t in THRESHOLDS)
        nested_best = 0.0
        for nested in NESTED_THRESHOLDS:
            if nested > threshold:
                s = run(weight, threshold, nested)
                if s > score + 1e-9:
                    score, nested_best = s, nested
        best[weight] = (score, threshold, nested_best)
        print(f"  weight {weight}: {score:.4f} (threshold {threshold}, nested {nested_best})")
    weight = max(TAGGER_WEIGHTS, key=lambda w: (best[w][0], -w))
    if weight == 0.0:
        return None
    _, threshold, nested = best[weight]
    print("the tagger's own cues, by the cue logit they need (mean exact F1):")
    tried = {}
    for propose in PROPOSE_THRESHOLDS:
        tried[propose] = run(weight, threshold, nested, propose)
        print(f"  {'none' if propose == 0 else propose}: {tried[propose]:.4f}")
    # a tie goes to the stricter threshold, and to none at all
    propose = max(PROPOSE_THRESHOLDS, key=lambda t: (round(tried[t], 4), t == 0.0, t))
    return {"weight": weight, "threshold": threshold, "nested_threshold": nested, "propose": propose}


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=0.5, c_help="inverse regularisation of the cue classifier")
    ap.add_argument("--folds", type=int, default=4, help="article folds for choosing the threshold")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded

    feats: list[dict[str, int]] = []
    labels: list[int] = []
    groups: list[int] = []
    doc_of: list[int] = []
    total: Counter[tuple[str, str]] = Counter()
    cues: Counter[tuple[str, str]] = Counter()
    for n_doc, (path, doc) in enumerate(zip(paths, docs)):
        text = doc.text
        regions = quote_regions(text)
        cue_chars: set[int] = set()
        for rel in read_ann(gold[path.stem]):
            for a, b in rel.cue:
                cue_chars.update(range(a, b))
        for tok in doc:
            if tok.pos_ not in {"VERB", "AUX"} or any(a < tok.idx < b for a, b in regions):
                continue
            subject, passive = verb_subject(tok)
            frame, _content, _extra = verb_frame(tok, subject, regions, text)
            if not frame:
                continue
            feats.append(dict.fromkeys(cue_features(tok, subject, passive, frame), 1))
            labels.append(int(tok.idx in cue_chars))
            groups.append(n_doc % args.folds)
            doc_of.append(n_doc)
            key = (tok.lemma_.lower(), frame)
            total[key] += 1
            if tok.idx in cue_chars:
                cues[key] += 1

    args.out.mkdir(parents=True, exist_ok=True)
    rows = sorted((k for k, n in total.items() if n >= MIN_COUNT), key=lambda k: (-total[k], k))
    lines = [
        "# lemma\tframe\tshare annotated as cue\toccurrences (PolNeAR train, scripts/train_attribution.py)",
        *(f"{lemma}\t{frame}\t{cues[(lemma, frame)] / total[(lemma, frame)]:.3f}\t{total[(lemma, frame)]}"
          for lemma, frame in rows),
    ]
    out = args.out / "cue_frames.tsv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} (lemma, frame) pairs to {out}")

    # The cue classifier: a logistic regression over the same candidates,
    # stored as plain feature weights (JSON) so that scoring needs no sklearn.
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    names = [str(n) for n in vec.get_feature_names_out()]
    models = _fold_models(x, labels, groups, args.c)
    _candidate_f1s(models, labels, groups)
    threshold, nested_threshold = _best_threshold(models, names, args.folds, paths, gold, docs)
    with_tagger = _weigh_tagger(x, labels, doc_of, names, args.c, paths, gold, docs)
    model = LogisticRegression(C=args.c, max_iter=3000)
    model.fit(x, labels)
    weights = _kept_weights(names, model.coef_[0])
    model_path = args.out / "cue_model.json"
    data = {"bias": round(float(model.intercept_[0]), 4), "C": args.c, "candidates": len(labels),
            "threshold": threshold, "nested_threshold": nested_threshold, "weights": weights}
    if with_tagger is not None:
        data["tagger"] = with_tagger
    model_path.write_text(
        json.dumps(data, sort_keys=True, indent=0),
        encoding="utf-8",
    )
    print(f"trained the cue classifier on {len(labels)} candidates ({sum(labels)} cues), "
          f"{len(weights)} weights, threshold {threshold}, nested {nested_threshold}, to {model_path} in {time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
