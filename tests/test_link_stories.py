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
