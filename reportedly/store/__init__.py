"""The DuckDB ledger of documents, claims and sources (see :class:`Store`)."""

from __future__ import annotations

from reportedly.store.core import BatchResult, ExportFormat, Store, TableName
from reportedly.store.schema import CLAIM_COLUMNS, DOCUMENT_COLUMNS, SOURCE_COLUMNS

__all__ = [
    "CLAIM_COLUMNS",
    "DOCUMENT_COLUMNS",
    "SOURCE_COLUMNS",
    "BatchResult",
    "ExportFormat",
    "Store",
    "TableName",
]
