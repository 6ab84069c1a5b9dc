"""The compiled attribute ruler gives what spaCy's AttributeRuler gives."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from reportedly.extract.attribute_rules import compile_ruler, use_compiled_rules
from reportedly.extract.model import load_base_model

SENTENCES = [
    "Y'all gonna see it, let's go, c'mon, we gotta win.",
    "There are 4,000 fighters left, officials said. There's no doubt; it's over.",
    "He ain't done, and she isn't either.\n\nHe gets what he got.",
    "His  estimate, according to the Pentagon, was 15,000 as of last summer.",
    "  ",
    "",
]


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def published() -> Language:
    return load_base_model(compiled_rules=False)


def test_the_shipped_model_is_compiled_and_gives_the_same_annotations(published: Language) -> None:
    compiled = load_base_model()
    assert not isinstance(compiled.get_pipe("attribute_ruler"), AttributeRuler)
    assert isinstance(published.get_pipe("attribute_ruler"), AttributeRuler)
    assert compiled.pipe_names == published.pipe_names
    for text in SENTENCES:
        assert _annotations(compiled(text)) == _annotations(published(text)), text


def _hand_ruler() -> tuple[Language, AttributeRuler]:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["cats", "dogs"]}}]], {"POS": "NOUN", "LEMMA": "pet"})
    ruler.add([[{"LOWER": "dogs"}]], {"LEMMA": "dog"})  # later rule overrides the lemma only
    ruler.add([[{"LOWER": "big"}, {"LOWER": "dogs"}]], {"POS": "PROPN"}, index=-1)
    ruler.add([[{"LOWER": {"NOT_IN": ["cats", "dogs", "big"]}, "IS_SPACE": False}]], {"POS": "X"})
    ruler.add([[{"LOWER": {"REGEX": "^[0-9]+$"}}]], {"POS": "NUM"})
    return nlp, ruler


def test_rule_order_indices_and_predicates_as_spacy_applies_them() -> None:
    nlp, ruler = _hand_ruler()
    compiled = compile_ruler(ruler)
    assert compiled is not None
    words = ["big", "dogs", "and", "cats", "42", "dogs"]
    expected = ruler(Doc(nlp.vocab, words=words))
    got = compiled(Doc(nlp.vocab, words=words))
    assert [(t.pos_, t.lemma_) for t in got] == [(t.pos_, t.lemma_) for t in expected]
    assert [(t.pos_, t.lemma_) for t in got] == [
        ("", ""), ("PROPN", "dog"), ("X", ""), ("NOUN", "pet"), ("NUM", ""), ("NOUN", "dog")
    ]


def test_a_ruler_with_operators_is_left_as_it_is() -> None:
    nlp, ruler = _hand_ruler()
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]], {"POS": "ADJ"})
    assert compile_ruler(ruler) is None
    assert not use_compiled_rules(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)
