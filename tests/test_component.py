"""The spaCy components and the Extractor: doc._.claims, per-doc metadata,
paragraph boundaries, chunked long texts, pass-through and failure isolation."""

from __future__ import annotations

import pytest

import reportedly.extract.component as component
from reportedly.extract import Extractor, split_chunks
from reportedly.types import Document, content_id

TEXT = (
    "Officials count the fighters\n\n"
    "Three officials told The Associated Press last week that about 4,000 fighters remain in Iraq.\n\n"
    "The ministry said on Monday that 1,200 families had returned to Mosul."
)


def document(text: str, published: str | None = "2017-07-20", **kw) -> Document:
    return Document(id=kw.pop("id", content_id(text)), path=kw.pop("path", "x.txt"), text=text, published=published, **kw)


@pytest.fixture(scope="module")
def extractor(nlp) -> Extractor:
    return Extractor(nlp)


def test_component_sets_claims_with_per_doc_metadata(nlp) -> None:
    doc = nlp.make_doc(TEXT)
    doc._.doc_id = "abc"
    doc._.published = "2017-07-20"
    doc = nlp(doc)
    claims = doc._.claims
    assert claims and all(c.doc_id == "abc" for c in claims)
    fighters = next(c for c in claims if c.kind == "quantity" and "4,000" in c.quantity.text)
    assert fighters.time.text == "last week" and fighters.time.start == "2017-07-10"
    assert fighters.source is not None and fighters.source.count == 3


def test_component_default_publication_date_from_config(nlp) -> None:
    configured = component.ClaimsComponent(nlp, "reportedly_claims", published="2016-08-20")
    doc = nlp.make_doc(TEXT)
    for name, proc in nlp.pipeline:
        if name != "reportedly_claims":
            doc = proc(doc)
    claims = configured(doc)._.claims
    families = next(c for c in claims if c.kind == "quantity" and "1,200" in c.quantity.text)
    assert families.time.start == "2016-08-15"  # the Monday before 2016-08-20
    assert nlp.get_pipe_meta("reportedly_claims").assigns == ["doc._.claims"]


def test_default_extractor_marks_paragraphs() -> None:
    ex = Extractor()
    assert ex.nlp.pipe_names.index("reportedly_paragraphs") < ex.nlp.pipe_names.index("parser")
    doc = ex.nlp("A title without a full stop\n\nThe body starts here and goes on.")
    assert [s.text.strip() for s in doc.sents][0] == "A title without a full stop"


def test_extract_and_pipe_keep_order_and_pass_skipped_through(extractor: Extractor) -> None:
    ok = document(TEXT)
    skipped = Document(id="s", path="bin.dat", status="skipped", reason="binary file")
    empty = document("   ", id="e")
    results = list(extractor.pipe([skipped, ok, empty], batch_size=2))
    assert [d.id for d, _ in results] == ["s", ok.id, "e"]
    assert results[0][1] == [] and results[2][1] == []
    assert results[1][1] == extractor.extract(ok)
    assert extractor.extract(skipped) == []


def test_split_chunks_cuts_at_paragraphs_and_keeps_offsets() -> None:
    text = "\n\n".join(f"Paragraph {i} says that {i} things happened." for i in range(50))
    chunks = split_chunks(text, 200)
    assert all(len(piece) <= 200 for _, piece in chunks)
    for offset, piece in chunks:
        assert text[offset : offset + len(piece)] == piece
        assert piece.startswith("Paragraph")
    assert "".join(piece for _, piece in chunks) == text
    assert split_chunks("x" * 25, 10) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]


def test_chunked_extraction_gives_the_same_claims(nlp) -> None:
    text = "\n\n".join([TEXT] * 4)
    whole = Extractor(nlp).extract(document(text))
    chunked = Extractor(nlp, chunk_chars=300).extract(document(text))
    assert len(whole) >= 8
    assert [(c.id, c.start, c.end, c.sentence_start) for c in chunked] == [(c.id, c.start, c.end, c.sentence_start) for c in whole]
    for c in chunked:
        assert text[c.sentence_start : c.sentence_end] == c.sentence


def test_a_failing_document_is_marked_and_the_others_go_on(extractor: Extractor, monkeypatch) -> None:
    real = component.build_claims

    def flaky(doc, doc_id, published, **kw):
        if doc_id == "bad":
            raise ValueError("boom")
        return real(doc, doc_id, published, **kw)

    monkeypatch.setattr(component, "build_claims", flaky)
    good = document(TEXT)
    bad = document(TEXT + " ", id="bad")
    results = list(extractor.pipe([good, bad, good]))
    assert [d.status for d, _ in results] == ["ok", "failed", "ok"]
    assert results[1][0].reason == "extraction failed: ValueError: boom"
    assert results[0][1] and results[1][1] == [] and results[2][1] == results[0][1]


def test_a_model_without_the_component_gives_the_same_claims(nlp) -> None:
    ok = document(TEXT)
    with_component = Extractor(nlp).extract(ok)
    with nlp.select_pipes(disable=["reportedly_claims"]):
        assert "reportedly_claims" not in nlp.pipe_names
        without = Extractor(nlp).extract(ok)
    assert "reportedly_claims" in nlp.pipe_names  # the caller's model is left as it was
    assert [c.to_dict() for c in without] == [c.to_dict() for c in with_component]
