"""Spark-side view of the store's tables: schemas and row tuples.

The Parquet the job writes must load into DuckDB exactly like a
``reportedly run`` batch, so every column comes from the store's own Arrow
schemas and row-flattening functions (:mod:`reportedly.store.rows`); this
module only converts them to Spark's types and to tuples in column order.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportedly.store.rows import CLAIM_ARROW, DOCUMENT_ARROW, claim_row, document_row
from reportedly.types import Claim, Document

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

__all__ = [
    "CLAIMS_DIR",
    "DOCUMENTS_DIR",
    "CLAIM_NAMES",
    "DOCUMENT_NAMES",
    "claim_tuple",
    "document_tuple",
    "spark_schemas",
]

#: Sub-folders of a job's output: one Parquet dataset per store table.
DOCUMENTS_DIR = "documents"
CLAIMS_DIR = "claims"

DOCUMENT_NAMES: tuple[str, ...] = tuple(DOCUMENT_ARROW.names)
CLAIM_NAMES: tuple[str, ...] = tuple(CLAIM_ARROW.names)

RowTuple = tuple[Any, ...]


def document_tuple(doc: Document, n_claims: int, ingested_at: datetime) -> RowTuple:
    """One ``documents`` row, in the store's column order."""
    row = document_row(doc, n_claims, ingested_at)
    return tuple(row.get(name) for name in DOCUMENT_NAMES)


def claim_tuple(claim: Claim) -> RowTuple:
    """One ``claims`` row, in the store's column order."""
    row = claim_row(claim)
    return tuple(row.get(name) for name in CLAIM_NAMES)


def spark_schemas() -> tuple["StructType", "StructType"]:
    """(documents, claims) Spark schemas converted from the store's Arrow schemas.

    Imported lazily so that this module loads without pyspark installed.
    """
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(DOCUMENT_ARROW), from_arrow_schema(CLAIM_ARROW)

