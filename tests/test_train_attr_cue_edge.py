"""The cue edge model's training script, run for real on hand-written articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ARTICLES = {
    "tuesday": ("The mayor said Tuesday that the bridge would reopen in May.", "The mayor", "said Tuesday", "the bridge would reopen in May"),
    "statement": ("The governor said in a statement that the tax would rise.", "The governor", "said in a statement", "the tax would rise"),
    "doubt": ("The senator cast doubt on the official unemployment figures.", "The senator", "cast doubt on", "the official unemployment figures"),
    "plain": ("The union said on its website that the strike would go on.", "The union", "said", "the strike would go on"),
}


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("train_attr_cue_edge")


def test_training_writes_weights_that_take_in_words_and_content(write_corpus, script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data", ARTICLES)
    out = tmp_path / "model"
    assert script.main(["--data", str(data), "--out", str(out)]) == 0
    model = json.loads((out / "cue_edge_model.json").read_text(encoding="utf-8"))
    assert model["cues"] == 4 and model["weights"]
    # candidates inside the content were among the rows it learned from
    assert "into" in model["weights"]
    assert "4 cues:" in capsys.readouterr().out
    # none of these articles is one the tagger was kept from: no weight for its vote
    assert "tagger" not in model


def test_a_gold_end_inside_the_content_is_a_candidate(script, nlp):
    from reportedly.extract.attr_eval import Relation
    from reportedly.extract.attr_lexicon import load_lexicon

    text = "The senator cast doubt on the official unemployment figures."
    doc = nlp(text)
    span = lambda s: (text.index(s), text.index(s) + len(s))  # noqa: E731
    gold = [Relation([span("The senator")], [span("cast doubt on")], [span("the official unemployment figures")])]
    # the rules' content starts at "doubt"; the gold cue ends two words into it
    rules = load_lexicon(tagger=False, bounds=False, cue_edge=False, source_bounds=False)
    (group,) = script.examples(doc, gold, rules)
    chosen = group.ends[group.ys.index(1)]
    assert doc[chosen].text == "on" and "into" in group.xs[group.ys.index(1)]
    assert doc[group.ends[-1]].text != "figures"  # the content keeps a word


def test_no_choice_of_ends_leaves_nothing_to_learn(write_corpus, script, tmp_path: Path, capsys):
    # a comma ends the cue: no choice to learn from
    data = write_corpus(tmp_path / "data", {"one": ("Officials said, “The road is closed.”", "Officials", "said", "The road is closed.")})
    assert script.main(["--data", str(data), "--out", str(tmp_path / "model")]) == 2
    assert "nothing to learn" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()
