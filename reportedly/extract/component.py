"""The spaCy pipeline component ``reportedly_claims``.

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("reportedly_claims", config={"published": "2017-07-20"})
    doc = nlp(text)
    doc._.claims        # list[reportedly.types.Claim]

The component is a thin adapter: the work is done by
:func:`reportedly.extract.frames.build_claims`, a pure function of the parsed
Doc, the document id and the publication date.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportedly.extract.frames import build_claims

__all__ = ["ClaimsComponent", "make_claims_component"]

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
if not Doc.has_extension("doc_id"):
    Doc.set_extension("doc_id", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


class ClaimsComponent:
    """Adds ``doc._.claims``: quantity and statement claim frames.

    ``doc._.doc_id`` and ``doc._.published`` (ISO date) may be set per Doc
    before the component runs; they override the component's defaults.
    """

    def __init__(self, nlp: Language, name: str, published: str | None) -> None:
        self.name = name
        self.published = published

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published or self.published
        doc_id = doc._.doc_id or ""
        doc._.claims = build_claims(doc, doc_id=doc_id, published=published)
        return doc


@Language.factory(
    "reportedly_claims",
    assigns=["doc._.claims"],
    requires=["token.dep", "token.lemma", "doc.ents", "doc.sents"],
    default_config={"published": None},
)
def make_claims_component(nlp: Language, name: str, published: str | None) -> ClaimsComponent:
    return ClaimsComponent(nlp, name, published)


