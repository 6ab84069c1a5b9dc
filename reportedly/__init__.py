"""reportedly: raw news articles in, a source-attributed, time-aware claim ledger out.

    import reportedly

    summary = reportedly.run(["articles/"], "ledger.duckdb", published="2017-07-20")
    with reportedly.Store("ledger.duckdb", read_only=True) as store:
        for claim in store.claims(about="fighters"):
            print(claim.quantity.low, claim.source.name, claim.time.start, claim.sentence)

    extractor = reportedly.Extractor()          # loads the spaCy model once
    for doc in reportedly.iter_documents(["article.html"]):
        claims = extractor.extract(doc)

The claim frames (:class:`Claim`, :class:`Source`, :class:`Quantity`,
:class:`TimeRef`, :class:`Change`) and :class:`Document` are plain dataclasses;
``Claim.to_dict()`` is the public JSONL contract. Heavy parts (spaCy, DuckDB)
are imported on first use, so ``import reportedly`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reportedly.errors import (
    ExtractionError,
    IngestError,
    ModelNotFound,
    NotFound,
    ReportedlyError,
    SchemaMismatch,
    StoreError,
    UnsupportedInput,
)
from reportedly.types import Change, Claim, Document, Quantity, Source, TimeRef

if TYPE_CHECKING:
    from reportedly.extract import Extractor
    from reportedly.ingest import Manifest, iter_documents
    from reportedly.pipeline import RunSummary, run
    from reportedly.store import BatchResult, Store

__version__ = "0.1.0"

__all__ = [
    "BatchResult",
    "Change",
    "Claim",
    "Document",
    "ExtractionError",
    "Extractor",
    "IngestError",
    "Manifest",
    "ModelNotFound",
    "NotFound",
    "Quantity",
    "ReportedlyError",
    "RunSummary",
    "SchemaMismatch",
    "Source",
    "Store",
    "StoreError",
    "TimeRef",
    "UnsupportedInput",
    "__version__",
    "iter_documents",
    "run",
]

# Public name -> module that defines it, imported on first access (PEP 562).
_LAZY: dict[str, str] = {
    "BatchResult": "reportedly.store",
    "Extractor": "reportedly.extract",
    "Manifest": "reportedly.ingest",
    "RunSummary": "reportedly.pipeline",
    "Store": "reportedly.store",
    "iter_documents": "reportedly.ingest",
    "run": "reportedly.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reportedly' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
