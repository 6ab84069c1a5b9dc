"""The learned source boundary model: its candidates, its scoring and the
context attribution hands it, on hand-built parses (no trained weights needed)."""

from __future__ import annotations

import numpy as np
import spacy
from spacy.tokens import Doc

from reportedly.extract.attr_bounds import BoundsModel
from reportedly.extract.attr_source_bounds import refine_source, source_candidates, source_end_features
from reportedly.extract.attr_learned import source_context


def _pruitt() -> Doc:
    """ "Scott Pruitt, the attorney general in Oklahoma, said it." """
    words = ["Scott", "Pruitt", ",", "the", "attorney", "general", "in", "Oklahoma", ",", "said", "it", "."]
    heads = [1, 9, 1, 5, 5, 1, 5, 6, 1, 9, 9, 9]
    deps = ["compound", "nsubj", "punct", "det", "compound", "appos", "prep", "pobj", "punct", "ROOT", "dobj", "punct"]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "NOUN", "ADP", "PROPN", "PUNCT", "VERB", "PRON", "PUNCT"]
    spaces = [True, False, True, True, True, True, True, False, True, True, False, False]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)


def _context(doc: Doc, content: list[tuple[int, int]] | None = None):
    said = doc[9]
    ctx = source_context(doc, 0, 7, [said], content if content is not None else [(doc[10].idx, doc[10].idx + 2)])
    assert ctx is not None
    return ctx


def test_the_context_names_the_head_and_the_cue():
    doc = _pruitt()
    first, last, head, lo, hi, cue = _context(doc)
    assert (first, last, head) == (0, 7, 1)
    assert cue == frozenset({9})
    assert lo == 0 and hi == 10  # the unit, cut where the content ("it") begins


def test_a_one_word_source_is_left_alone():
    doc = _pruitt()
    assert source_context(doc, 1, 1, [doc[9]], []) is None


def test_candidates_are_words_that_never_reach_the_cue():
    doc = _pruitt()
    starts, ends = source_candidates(doc, _context(doc))
    assert starts == [0, 1]  # nothing before the sentence, nothing after the head
    assert ends == [1, 3, 4, 5, 6, 7]  # the head to the last word before "said", commas left out
    assert 9 not in ends


def test_content_before_the_source_bounds_its_start():
    # "“It is over,” Scott Pruitt said."
    words = ["“", "It", "is", "over", ",", "”", "Scott", "Pruitt", "said", "."]
    heads = [2, 2, 8, 2, 2, 2, 7, 8, 8, 8]
    deps = ["punct", "nsubj", "ccomp", "acomp", "punct", "punct", "compound", "nsubj", "ROOT", "punct"]
    spaces = [False, True, True, False, False, True, True, True, False, False]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps)
    content = [(doc[1].idx, doc[3].idx + len("over"))]
    ctx = source_context(doc, 6, 7, [doc[8]], content)
    assert ctx is not None
    starts, _ = source_candidates(doc, ctx)
    assert starts == [6, 7]  # "over" and the quote marks are the content's


def test_weights_move_the_end_off_the_rules_last_word():
    doc = _pruitt()
    ctx = _context(doc)
    keep = BoundsModel({"d=0": 1.0}, {"d=0": 1.0})
    assert refine_source(keep, doc, ctx, "verb:ccomp") == (0, 7)
    # an end before a prepositional phrase that hangs off the apposition
    assert "odep|where=prep|left" in source_end_features(doc, 5, ctx, "verb:ccomp")
    cut = BoundsModel({"d=0": 1.0}, {"odep|where=prep|left": 2.0, "d=0": 1.0})
    assert refine_source(cut, doc, ctx, "verb:ccomp") == (0, 5)


def test_the_tagger_moves_an_edge_only_with_a_weight():
    doc = _pruitt()
    ctx = _context(doc)
    edges = np.zeros((len(doc), 2), dtype=np.float32)
    edges[1, 0] = 4.0  # start at "Pruitt"
    edges[1, 1] = 4.0  # end there too
    flat = BoundsModel({"d=0": 1.0}, {"d=0": 1.0})
    weighted = BoundsModel({"d=0": 1.0}, {"d=0": 1.0}, tagger_start=1.0, tagger_end=1.0)
    assert refine_source(flat, doc, ctx, "verb:ccomp", edges) == (0, 7)
    assert refine_source(weighted, doc, ctx, "verb:ccomp", edges) == (1, 1)
