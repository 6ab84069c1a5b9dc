"""The spaCy pipeline components ``reportedly_claims`` and ``reportedly_paragraphs``.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("reportedly_paragraphs", before="parser")   # optional, recommended
    nlp.add_pipe("reportedly_claims", config={"published": "2017-07-20"})
    # or config={"attribution_tagger": True}: the MiniLM tagger votes on attributions
    doc = nlp(text)
    doc._.claims        # list[reportedly.types.Claim]

``reportedly_claims`` is a thin adapter: the work is done by
:func:`reportedly.extract.frames.build_claims`, a pure function of the parsed
Doc, the document id and the publication date. ``reportedly_paragraphs``
starts a sentence after every blank line, so that a title or a credit line
without a full stop is not parsed into the next paragraph's first sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from reportedly.extract.frames import build_claims

__all__ = ["ClaimsComponent", "make_claims_component", "mark_paragraphs"]

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
if not Doc.has_extension("doc_id"):
    Doc.set_extension("doc_id", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)
if not Doc.has_extension("char_offset"):
    # where this Doc starts in the full article when it was parsed in chunks
    Doc.set_extension("char_offset", default=0)


class ClaimsComponent:
    """Adds ``doc._.claims``: quantity and statement claim frames.

    ``doc._.doc_id``, ``doc._.published`` (ISO date) and ``doc._.char_offset``
    may be set per Doc before the component runs; they override the
    component's defaults.
    """

    def __init__(self, nlp: Language, name: str, published: str | None, attribution_tagger: bool = False) -> None:
        self.name = name
        self.published = published
        self.attribution_tagger = attribution_tagger
        self._attributions = None
        if attribution_tagger:
            from reportedly.extract.attr_lexicon import default_lexicon
            from reportedly.extract.attribution import find_attributions

            lexicon = default_lexicon(tagger=True)
            self._attributions = lambda doc: find_attributions(doc, lexicon)

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published or self.published
        doc_id = doc._.doc_id or ""
        doc._.claims = build_claims(
            doc, doc_id=doc_id, published=published, offset=doc._.char_offset or 0, attributions=self._attributions
        )
        return doc


@Language.factory(
    "reportedly_claims",
    assigns=["doc._.claims"],
    requires=["token.dep", "token.lemma", "doc.ents", "doc.sents"],
    default_config={"published": None, "attribution_tagger": False},
)
def make_claims_component(nlp: Language, name: str, published: str | None, attribution_tagger: bool) -> ClaimsComponent:
    """``attribution_tagger``: let the MiniLM edge tagger vote on cues and
    content edges (more accurate, slower; needs the ``neural`` extra)."""
    return ClaimsComponent(nlp, name, published, attribution_tagger)


@Language.component("reportedly_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line (the parser keeps preset starts)."""
    for tok in doc[:-1]:
        if (tok.is_space and tok.text.count("\n") >= 2) or "\n\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc
