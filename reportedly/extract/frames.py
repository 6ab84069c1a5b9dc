"""Assembling claim frames from a parsed Doc (owned by the frames work).

Temporary: returns no claims until the extractors land.
"""

from __future__ import annotations

from spacy.tokens import Doc

from reportedly.types import Claim

__all__ = ["build_claims"]


def build_claims(doc: Doc, doc_id: str, published: str | None) -> list[Claim]:
    return []
