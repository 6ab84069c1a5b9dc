"""The source boundary model's training script, run for real on hand-written articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


ARTICLES = {
    "pruitt": (
        "Scott Pruitt, the attorney general of Oklahoma, one of the states suing the agency, said the rule was illegal.",
        "Scott Pruitt, the attorney general of Oklahoma", "said", "the rule was illegal",
    ),
    "mayor": ("The former mayor of the city said the bridge would reopen in May.", "The former mayor of the city", "said", "the bridge would reopen in May"),
    "union": ("A union of flight attendants in Ohio said on Thursday that it backed the plan.", "A union of flight attendants", "said", "it backed the plan"),
}


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("train_attr_source_bounds")


def test_training_writes_start_and_end_weights(write_corpus, script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data", ARTICLES)
    out = tmp_path / "model"
    assert script.main(["--data", str(data), "--out", str(out)]) == 0
    model = json.loads((out / "source_bounds_model.json").read_text(encoding="utf-8"))
    assert model["spans"] == 3 and model["start"] and model["end"]
    # two of the three rules' spans run past the gold source's end
    assert "the rules' own edges are right in 33.3%" in capsys.readouterr().out


def test_one_word_sources_leave_nothing_to_learn(write_corpus, script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data", {"one": ("Officials said the road was closed.", "Officials", "said", "the road was closed")})
    assert script.main(["--data", str(data), "--out", str(tmp_path / "model")]) == 2
    assert "nothing to learn" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()
