"""The per-Doc views of ``extract/docview.py`` give what spaCy's own accessors give."""

from __future__ import annotations

from reportedly.extract.docview import (
    entities,
    entities_within,
    lower_words,
    paragraph_breaks,
    parse_view,
    sentence_of,
    sentences,
    space_flags,
    span_text,
    tokens_overlapping,
)
from reportedly.extract.timeref import span_ents

TEXT = (
    "Rebel Victory Claimed\n\n"
    "The Syrian Observatory for Human Rights said on Monday that about 4,000 fighters "
    "remained in Raqqa.  Officials in Washington put the number at 3,500 last week.\n"
    "Nothing else was said."
)


def test_views_match_spacy(nlp) -> None:
    doc = nlp(TEXT)
    assert [s.text for s in sentences(doc)] == [s.text for s in doc.sents]
    assert all(sentence_of(t) == t.sent for t in doc)
    assert lower_words(doc) == [t.lower_ for t in doc]
    assert space_flags(doc) == [int(t.is_space) for t in doc]
    assert paragraph_breaks(doc) == [t.i for t in doc if t.is_space and t.text.count("\n") >= 2]
    for sent in doc.sents:
        assert span_text(sent) == sent.text
        assert entities_within(sent) == [(e.start, e.end, e.label_) for e in sent.ents]
        assert [(e.start, e.end, e.label_) for e in span_ents(sent)] == [(e.start, e.end, e.label_) for e in sent.ents]


def test_entities_cut_at_the_span_end(nlp) -> None:
    doc = nlp("The Syrian Observatory for Human Rights counted 4,000 fighters.")
    org = next(e for e in doc.ents if e.label_ == "ORG")
    part = doc[org.start : org.end - 1]
    # a walk over the span's own tokens opens the entity and cuts it at the span's end
    assert entities(part) == [(org.start, org.end - 1, "ORG")]
    # only entities wholly inside count as the span's own
    assert entities_within(part) == []
    # one that began before the span is no entity of the span
    assert entities(doc[org.start + 1 : len(doc)]) == [(e.start, e.end, e.label_) for e in doc.ents if e.start > org.start]


def test_tokens_overlapping(nlp) -> None:
    doc = nlp("Prices rose 5% to $1.2bn on Monday.")
    sent = next(iter(doc.sents))
    start = doc.text.index("$1.2bn")
    expected = [t.text for t in doc if start <= t.idx < start + len("$1.2bn")]
    assert [t.text for t in tokens_overlapping(sent, start, start + len("$1.2bn"))] == expected


def test_entity_labels_by_start_and_span_ents_by_label(nlp) -> None:
    from reportedly.extract.docview import entity_labels_from

    doc = nlp("ISIS fighters left Mosul in June, Iraqi officials said.")
    ents = [(e.start, e.label_) for e in doc.ents]
    assert entity_labels_from(doc, 0, len(doc) - 1) == [label for _, label in ents]
    assert entity_labels_from(doc, 1, 1) == [label for start, label in ents if start == 1]
    sent = doc[:]
    places = [(e.start, e.end) for e in doc.ents if e.label_ in ("GPE", "LOC")]
    assert [(e.start, e.end) for e in span_ents(sent, {"GPE", "LOC"})] == places


def test_in_subtree_is_membership_of_token_subtree(nlp) -> None:
    from reportedly.extract.docview import in_subtree

    doc = nlp("The ministry said on Friday that about 4,000 fighters who had fled returned to Mosul.")
    for top in doc:
        members = {t.i for t in top.subtree}
        assert [in_subtree(t, top) for t in doc] == [t.i in members for t in doc]


def test_tree_arrays_are_the_parse(nlp) -> None:
    from reportedly.extract.docview import tree

    doc = nlp("Officials, who asked not to be named, said that 300 people had died since Monday.")
    heads, deps, children = tree(doc)
    assert heads == [t.head.i for t in doc]
    assert [doc.vocab.strings[d] for d in deps] == [t.dep_ for t in doc]
    assert children == [[c.i for c in t.children] for t in doc]


def test_parse_view_is_the_tokens_words_tags_and_tree(nlp) -> None:
    doc = nlp(TEXT)
    view = parse_view(doc)
    assert view.lower == [t.lower_ for t in doc]
    assert view.pos == [t.pos_ for t in doc]
    assert view.dep == [t.dep_ for t in doc]
    assert view.punct == [t.is_punct for t in doc]
    assert view.heads == [t.head.i for t in doc]
    assert view.left == [t.left_edge.i for t in doc]
    assert view.right == [t.right_edge.i for t in doc]
    assert parse_view(doc) is view  # built once per Doc
