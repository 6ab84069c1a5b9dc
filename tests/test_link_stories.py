"""Stories: a slice of ECB+ (topics with two look-alike events) and small corpora."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reportedly.link.stories import cluster_stories, story_ids

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from ecbplus import bcubed  # noqa: E402


def test_ecbplus_slice(shared_data: Path) -> None:
    path = shared_data / "clustering" / "ecbplus" / "documents.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    # Ten topics (twenty events, about 230 articles): the size of the held-back part.
    topics = sorted({r["topic"] for r in rows})[::3][:10]
    part = [r for r in rows if r["topic"] in topics]
    texts = [" ".join(s["text"] for s in r["sentences"]) for r in part]
    labels = cluster_stories(texts)
    p, r, f1 = bcubed(labels, [x["cluster"] for x in part])
    assert f1 >= 0.90, (p, r, f1)


def test_bcubed_is_a_real_measure() -> None:
    assert bcubed([0, 0, 1, 1], ["a", "a", "b", "b"])[2] == 1.0
    p, r, _ = bcubed([0, 0, 0, 0], ["a", "a", "b", "b"])
    assert (p, r) == (0.5, 1.0)


def test_small_corpus_uses_cosine_only() -> None:
    quake = "A magnitude 6.1 earthquake struck northern Indonesia on Sunday, killing at least 12 people in Aceh."
    quake2 = "At least 12 people were killed when an earthquake of magnitude 6.1 hit Aceh province in Indonesia on Sunday."
    budget = "The city council approved a new budget after a long debate about schools and road repairs."
    labels = cluster_stories([quake, quake2, budget])
    assert labels[0] == labels[1] != labels[2]
    ids = story_ids(["q1", "q2", "b"], labels)
    assert ids["q1"] == ids["q2"] != ids["b"]


def _same_partition(a: list[int], b: list[int]) -> bool:
    return len(set(a)) == len(set(zip(a, b))) == len(set(b))


def test_sparse_average_linkage_matches_dense_when_every_pair_is_given() -> None:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    from reportedly.link.stories import _sparse_average_linkage

    rng = np.random.default_rng(3)
    points = np.concatenate([rng.normal(c, 0.15, size=(15, 2)) for c in (0.0, 1.0, 2.5)])
    sim = np.clip(1.0 - np.linalg.norm(points[:, None] - points[None, :], axis=2), 0.0, 1.0)
    rows, cols = np.nonzero(~np.eye(len(points), dtype=bool))
    sparse = _sparse_average_linkage(len(points), rows, cols, sim[rows, cols], floor=0.25)
    dense = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=0.75).fit_predict(1.0 - sim)
    assert _same_partition(sparse.tolist(), dense.tolist())
    assert len(set(sparse.tolist())) == 3


def test_blocked_search_finds_events_by_their_rare_terms() -> None:
    import random

    from reportedly.link.stories import StoryParams

    rng = random.Random(5)
    common = "said officials people city government report week security forces area".split()
    texts, events = [], []
    for i in range(90):
        event = i % 3
        own = [f"event{event}word{j}" for j in range(8)]
        words = [rng.choice(common) for _ in range(10)] + [rng.choice(own) for _ in range(20)]
        rng.shuffle(words)
        texts.append(" ".join(words))
        events.append(event)
    # Common words (in more than 40 documents) take no part in the neighbour
    # search, and every component goes through the sparse linkage.
    labels = cluster_stories(texts, StoryParams(max_df_block=40, max_docs=1, block=16))
    assert _same_partition(labels, events)


def test_condensed_average_linkage_matches_sklearn() -> None:
    import numpy as np
    from scipy.spatial.distance import squareform
    from sklearn.cluster import AgglomerativeClustering

    from reportedly.link.stories import _average_linkage_condensed

    rng = np.random.default_rng(11)
    for m in (3, 5, 12, 40):
        points = rng.uniform(0.0, 1.5, size=(m, 2))
        dist = np.linalg.norm(points[:, None] - points[None, :], axis=2)
        ours = _average_linkage_condensed(squareform(dist, checks=False), 0.75)
        ref = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                      distance_threshold=0.75).fit_predict(dist)
        assert _same_partition(ours.tolist(), ref.tolist()), m


def test_blocking_terms_keep_each_rows_heaviest_rare_terms() -> None:
    import numpy as np
    import scipy.sparse as sp

    from reportedly.link.stories import StoryParams, _blocking_terms

    # Column 0 is in every row (too common to block on); the rest are rare.
    x = sp.csr_matrix(np.array([[0.9, 0.5, 0.1, 0.3], [0.9, 0.0, 0.2, 0.6], [0.9, 0.0, 0.0, 0.0]], dtype=np.float32))
    xb = _blocking_terms(x, StoryParams(max_df_block=2, block_terms=1)).toarray()
    assert (xb != 0).tolist() == [[False, True, False, False], [False, False, False, True], [False] * 4]
    assert xb[1, 3] == x[1, 3]
