"""The source confidence model's training script, run for real on hand-written articles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest


#: Named people are the sources annotators mark; "it" before "seems" never is.
ARTICLES = {
    f"a{k}": article
    for k, article in enumerate(
        [
            ("The mayor said the bridge would reopen in May.", "The mayor", "said", "the bridge would reopen in May"),
            ("It seems the plan has failed.", None, "seems", "the plan has failed"),
            ("Senator Jones said the bill would pass.", "Senator Jones", "said", "the bill would pass"),
            ("It appears that the talks have stalled.", None, "appears", "the talks have stalled"),
            ("The governor said the roads were safe.", "The governor", "said", "the roads were safe"),
            ("It seems that nobody voted.", None, "seems", "nobody voted"),
            ("A spokesman said the company would appeal.", "A spokesman", "said", "the company would appeal"),
            ("It appears the money is gone.", None, "appears", "the money is gone"),
            ("The coach said the team was ready.", "The coach", "said", "the team was ready"),
            ("It seems the storm has passed.", None, "seems", "the storm has passed"),
        ]
    )
}


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("train_attr_source_keep")


def test_f1_keeps_the_sources_scored_over_the_threshold(script):
    articles = [({(0, 5)}, [((0, 5), {}), ((10, 12), {})]), ({(3, 4)}, [((7, 9), {})])]
    probs = np.array([0.9, 0.2, 0.6])
    # kept at 0.5: (0, 5) right, (7, 9) wrong; of two gold, one found
    assert script.source_f1(articles, probs, 0.5) == pytest.approx(0.5)
    assert script.source_f1(articles, probs, 0.95) == 0.0


def test_training_writes_weights_and_a_threshold(write_corpus, script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data", ARTICLES)
    out = tmp_path / "model"
    assert script.main(["--data", str(data), "--out", str(out), "--all-articles"]) == 0
    model = json.loads((out / "source_keep_model.json").read_text(encoding="utf-8"))["tagger"]
    assert model["threshold"] in script._THRESHOLDS
    # "It" is wrong every time: the model learns to doubt it
    assert model["weights"]["head=it"] < 0
    # the five named sources are written and gold; how many of the "It"s are
    # written at all turns on the shipped cue classifier, so only most must be
    found = re.search(r"10 articles, (\d+) written sources, ([\d.]+)% of them gold", capsys.readouterr().out)
    assert found is not None and int(found[1]) >= 8
    assert float(found[2]) == pytest.approx(100 * 5 / int(found[1]), abs=0.05)


def test_all_sources_right_leaves_nothing_to_learn(write_corpus, script, tmp_path: Path, capsys):
    named = {k: v for k, v in ARTICLES.items() if v[1] is not None}
    data = write_corpus(tmp_path / "data", named)
    assert script.main(["--data", str(data), "--out", str(tmp_path / "model"), "--all-articles"]) == 2
    assert "nothing to learn" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()
