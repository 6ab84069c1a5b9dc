"""The learned source confidence model: its features on hand-built parses,
its scoring, and what attribution does with a source it doubts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from reportedly.extract.attr_lexicon import load_lexicon
from reportedly.extract.attr_source_keep import SourceKeepModel, load_source_keep_model, source_keep_features
from reportedly.extract.attr_tagger import LABELS, NO_SCORE
from reportedly.extract.attribution import find_attributions
from reportedly.types import Source


def _it_seems() -> Doc:
    """ "It seems the deal is dead, Smith said." """
    words = ["It", "seems", "the", "deal", "is", "dead", ",", "Smith", "said", "."]
    heads = [1, 1, 3, 4, 1, 4, 8, 8, 1, 1]
    deps = ["nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "punct", "nsubj", "parataxis", "punct"]
    pos = ["PRON", "VERB", "DET", "NOUN", "AUX", "ADJ", "PUNCT", "PROPN", "VERB", "PUNCT"]
    lemmas = ["it", "seem", "the", "deal", "be", "dead", ",", "Smith", "say", "."]
    spaces = [True, True, True, True, True, False, True, True, False, False]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


def test_features_describe_the_head_the_frame_and_the_cue():
    doc = _it_seems()
    f = source_keep_features(doc[0:1], Source(text="It", kind="unknown"), [doc[1]], "verb:ccomp", 0.5)
    assert f["head=it"] == 1.0 and f["hd=it|nsubj"] == 1.0
    assert f["pattern=verb:ccomp"] == 1.0 and f["frame=verb"] == 1.0 and f["kind=unknown"] == 1.0
    assert f["res=pron"] == 1.0 and f["side=before"] == 1.0 and f["gap=0"] == 1.0
    assert f["cue=seem"] == 1.0
    assert f["cue_logit"] == pytest.approx(0.0)
    assert not any(k.startswith("tagger") for k in f)


def test_an_open_class_head_is_read_by_its_part_of_speech():
    doc = _it_seems()
    f = source_keep_features(doc[7:8], Source(text="Smith", kind="person"), [doc[8]], "verb:ccomp", 0.99)
    assert f["head=PROPN"] == 1.0 and "head=smith" not in f
    assert f["cue_logit"] == pytest.approx(np.log(0.99 / 0.01))


def test_the_tagger_logits_over_the_span_and_around_it():
    doc = _it_seems()
    logits = np.full((len(doc), len(LABELS)), NO_SCORE, dtype=np.float32)
    logits[:, :] = -3.0
    src = LABELS.index("source")
    logits[7, src] = 4.0  # the tagger takes Smith for the source
    logits[1, LABELS.index("cue")] = -1.0
    f = source_keep_features(doc[0:1], Source(text="It", kind="unknown"), [doc[1]], "verb:ccomp", 0.5, logits)
    assert f["tagger_source_mean"] == -3.0 and f["tagger_source_share"] == 0.0
    assert f["tagger_other_source_max"] == 4.0
    assert f["tagger_cue_max"] == -1.0
    # tokens the tagger never read carry no evidence
    logits[0] = NO_SCORE
    f = source_keep_features(doc[0:1], Source(text="It", kind="unknown"), [doc[1]], "verb:ccomp", 0.5, logits)
    assert "tagger_source_mean" not in f


def test_the_model_scores_and_thresholds():
    model = SourceKeepModel({"head=it": -3.0, "cue_logit": 0.5}, 1.0, 0.35)
    assert model.score({"head=it": 1.0, "cue_logit": 0.0}) == pytest.approx(1 / (1 + np.exp(2.0)))
    assert not model.keeps({"head=it": 1.0, "cue_logit": 0.0})
    assert model.keeps({"head=PROPN": 1.0, "cue_logit": 2.0})


def test_the_file_holds_the_tagger_pipelines_model_only(tmp_path: Path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"tagger": {"bias": 0.5, "threshold": 0.4, "weights": {"head=it": -2.0}}}), encoding="utf-8")
    model = load_source_keep_model(path, tagger=True)
    assert model is not None and model.threshold == 0.4 and model.weights["head=it"] == -2.0
    assert load_source_keep_model(path, tagger=False) is None
    assert load_source_keep_model(tmp_path / "absent.json", tagger=True) is None


def test_a_doubted_source_is_dropped_and_the_cue_and_content_stay(nlp):
    doc = nlp("It is clear that the plan failed, the mayor said on Monday.")
    lex = load_lexicon(tagger=False)
    kept = find_attributions(doc, replace(lex, source_keep=SourceKeepModel({}, 5.0, 0.5)))
    dropped = find_attributions(doc, replace(lex, source_keep=SourceKeepModel({"head=DET": -20.0, "head=NOUN": -20.0}, 5.0, 0.5)))
    said = [a for a in kept if a.cue and a.cue.startswith("said")]
    assert said and said[0].source is not None and said[0].source_span is not None
    twin = [a for a in dropped if a.cue_start == said[0].cue_start]
    assert twin and twin[0].source is None and twin[0].source_span is None
    # the cue and content are the ones drawn with the source in place
    assert (twin[0].cue, twin[0].content) == (said[0].cue, said[0].content)


class _StubTagger:
    """Marks the given words as a source with a high logit, everything else low."""

    def __init__(self, words: set[str]) -> None:
        self.words = words

    def fill(self, doc: Doc, spans, out: np.ndarray) -> None:
        for lo, hi in spans:
            for t in doc[lo:hi]:
                out[t.i] = -5.0
                if t.text in self.words:
                    out[t.i, LABELS.index("source")] = 5.0


def _announced(nlp, words: set[str], model: SourceKeepModel | None):
    doc = nlp("It was announced on Monday that the old factory will close.")
    lex = replace(load_lexicon(tagger=False), tagger=_StubTagger(words), source_keep=model)
    [att] = [a for a in find_attributions(doc, lex) if a.cue and "announced" in a.cue]
    return doc, att


def test_where_the_rules_give_no_source_the_taggers_run_is_a_candidate(nlp):
    doc, att = _announced(nlp, {"Monday"}, None)
    assert att.source_span is None  # a passive with no agent: the rules give none
    doc, att = _announced(nlp, {"Monday"}, SourceKeepModel({}, 5.0, 0.5))
    assert att.source_span is not None and doc.text[slice(*att.source_span)] == "Monday"
    # the model judges it like any other source
    doc, att = _announced(nlp, {"Monday"}, SourceKeepModel({"origin=tagger": -20.0}, 5.0, 0.5))
    assert att.source_span is None


def test_a_tagger_run_inside_the_content_is_never_the_source(nlp):
    doc, att = _announced(nlp, {"factory"}, SourceKeepModel({}, 5.0, 0.5))
    assert att.source_span is None
