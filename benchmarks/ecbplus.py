"""ECB+ story clustering: B-cubed precision / recall / F1 against the gold events.

    .venv/bin/python benchmarks/ecbplus.py [--data DIR] [--out FILE]

Groups the articles of ``DIR/documents.jsonl`` (default
``../shared/data/clustering/ecbplus``) into stories from their text alone
(doc ids, topics, clusters and urls are never read by the method), writes one
line per article ``{"doc": doc_id, "cluster": id}`` to ``--out``, and prints
B-cubed P/R/F1 for :func:`reportedly.link.stories.cluster_stories` side by
side with the baseline: TF-IDF + average linkage with its threshold tuned
on the same data (the best of a sweep, so the baseline is flattered).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.link.stories import StoryParams, cluster_stories  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "clustering" / "ecbplus"


def bcubed(pred: Sequence[object], gold: Sequence[object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin), averaged over items."""
    pc: dict[object, set[int]] = defaultdict(set)
    gc: dict[object, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold)):
        pc[p].add(i)
        gc[g].add(i)
    prec = rec = 0.0
    for p, g in zip(pred, gold):
        inter = len(pc[p] & gc[g])
        prec += inter / len(pc[p])
        rec += inter / len(gc[g])
    prec /= len(gold)
    rec /= len(gold)
    return prec, rec, 2 * prec * rec / (prec + rec)


def baseline(texts: Sequence[str], gold: Sequence[str]) -> tuple[float, list[int]]:
    """TF-IDF + average linkage, threshold swept on the data itself (best kept)."""
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    best: tuple[float, float, list[int]] = (-1.0, 0.0, [])
    for t in np.arange(0.50, 1.0, 0.02):
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average", distance_threshold=t).fit_predict(dist)
        f1 = bcubed(labels, gold)[2]
        if f1 > best[0]:
            best = (f1, float(t), [int(v) for v in labels])
    return best[1], best[2]


def load(path: Path) -> tuple[list[str], list[str], list[str | None]]:
    ids, texts, gold = [], [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            ids.append(rec["doc_id"])
            texts.append(" ".join(s["text"] for s in rec["sentences"]))
            gold.append(rec.get("cluster"))
    return ids, texts, gold


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding documents.jsonl")
    ap.add_argument("--out", type=Path, default=None, help="write {doc, cluster} lines here")
    args = ap.parse_args(argv)
    path = args.data / "documents.jsonl"
    if not path.is_file():
        print(f"ECB+ not found at {path}; pass --data DIR", file=sys.stderr)
        return 2
    ids, texts, gold = load(path)
    t0 = time.perf_counter()
    labels = cluster_stories(texts, StoryParams())
    elapsed = time.perf_counter() - t0
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for doc_id, label in zip(ids, labels):
                fh.write(json.dumps({"doc": doc_id, "cluster": label}) + "\n")
    if any(g is None for g in gold):
        print(f"{len(ids)} articles clustered into {len(set(labels))} stories in {elapsed:.1f}s (no gold clusters to score)")
        return 0
    p, r, f = bcubed(labels, gold)
    t, base = baseline(texts, gold)  # type: ignore[arg-type]
    bp, br, bf = bcubed(base, gold)
    print(f"ECB+ {path} : {len(ids)} articles, {len(set(gold))} gold stories")
    print(f"{'method':<46} {'stories':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    print(f"{'reportedly (TF-IDF 1-2g + shared nbrs + years)':<46} {len(set(labels)):>7} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    print(f"{f'baseline TF-IDF avg-linkage (t={t:.2f}, tuned)':<46} {len(set(base)):>7} {bp:>6.3f} {br:>6.3f} {bf:>6.3f}")
    print(f"F1 ratio reportedly/baseline: {f / bf:.3f}; clustering took {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
