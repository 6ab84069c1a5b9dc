"""Flattening documents and claims into Arrow tables for bulk inserts.

DuckDB inserts a registered Arrow table in one vectorised statement, which is
orders of magnitude faster than ``executemany`` row by row; the explicit Arrow
schemas keep empty batches and all-null columns correctly typed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa

from reportedly.types import Claim, Document

__all__ = [
    "CLAIM_ARROW",
    "DOCUMENT_ARROW",
    "claim_row",
    "claims_table",
    "document_row",
    "documents_table",
    "row_to_document",
]

_STR = pa.string()
_STRS = pa.list_(pa.string())

DOCUMENT_ARROW = pa.schema(
    [
        ("id", _STR),
        ("path", _STR),
        ("text", _STR),
        ("title", _STR),
        ("author", _STR),
        ("publisher", _STR),
        ("published", _STR),
        ("url", _STR),
        ("language", _STR),
        ("dateline", _STR),
        ("original_publisher", _STR),
        ("repost", pa.bool_()),
        ("format", _STR),
        ("status", _STR),
        ("reason", _STR),
        ("extra", _STR),
        ("n_claims", pa.int32()),
        ("ingested_at", pa.timestamp("us")),
    ]
)

# time_start/time_end travel as strings and are TRY_CAST to DATE on insert,
# so an odd date string from an extractor never aborts a batch (the frame
# JSON keeps it as written).
CLAIM_ARROW = pa.schema(
    [
        ("id", _STR),
        ("doc_id", _STR),
        ("kind", _STR),
        ("sentence", _STR),
        ("sentence_start", pa.int32()),
        ("sentence_end", pa.int32()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("source_text", _STR),
        ("source_name", _STR),
        ("source_kind", _STR),
        ("source_anonymous", pa.bool_()),
        ("source_count", pa.int32()),
        ("via", _STRS),
        ("cue", _STR),
        ("hedges", _STRS),
        ("time_text", _STR),
        ("time_start", _STR),
        ("time_end", _STR),
        ("time_anchor", _STR),
        ("quantity_text", _STR),
        ("value", pa.float64()),
        ("low", pa.float64()),
        ("high", pa.float64()),
        ("bound", _STR),
        ("vague", pa.bool_()),
        ("unit", _STR),
        ("entity", _STR),
        ("entity_lemma", _STR),
        ("actor", _STR),
        ("locations", _STRS),
        ("change_direction", _STR),
        ("previous_low", pa.float64()),
        ("previous_high", pa.float64()),
        ("content", _STR),
        ("frame", _STR),
    ]
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def document_row(doc: Document, n_claims: int, ingested_at: datetime) -> dict[str, Any]:
    row = doc.to_dict()
    row["extra"] = _json(doc.extra)
    row["n_claims"] = n_claims
    row["ingested_at"] = ingested_at
    return row


def claim_row(claim: Claim) -> dict[str, Any]:
    src, time, q = claim.source, claim.time, claim.quantity
    change = q.change if q is not None else None
    return {
        "id": claim.id,
        "doc_id": claim.doc_id,
        "kind": claim.kind,
        "sentence": claim.sentence,
        "sentence_start": claim.sentence_start,
        "sentence_end": claim.sentence_end,
        "start": claim.start,
        "end": claim.end,
        "source_text": src.text if src else None,
        "source_name": src.name if src else None,
        "source_kind": src.kind if src else None,
        "source_anonymous": src.anonymous if src else None,
        "source_count": src.count if src else None,
        "via": list(src.via) if src else [],
        "cue": claim.cue,
        "hedges": list(claim.hedges),
        "time_text": time.text,
        "time_start": time.start,
        "time_end": time.end,
        "time_anchor": time.anchor,
        "quantity_text": q.text if q else None,
        "value": q.value if q else None,
        "low": q.low if q else None,
        "high": q.high if q else None,
        "bound": q.bound if q else None,
        "vague": q.vague if q else None,
        "unit": q.unit if q else None,
        "entity": q.entity if q else None,
        "entity_lemma": q.entity_lemma if q else None,
        "actor": q.actor if q else None,
        "locations": list(q.locations) if q else [],
        "change_direction": change.direction if change else None,
        "previous_low": change.previous_low if change else None,
        "previous_high": change.previous_high if change else None,
        "content": claim.content,
        "frame": _json(claim.to_dict()),
    }


def _table(rows: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """``pa.Table.from_pylist``, allocated from the system allocator.

    pyarrow's default pool keeps what a dropped table freed for its own
    reuse: a long ``reportedly run`` that builds and drops a table per batch
    then held more memory with every batch. The system pool gives it back.
    """
    pool = pa.system_memory_pool()
    columns = [pa.array([row.get(f.name) for row in rows], type=f.type, memory_pool=pool) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def documents_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    return _table(rows, DOCUMENT_ARROW)


def claims_table(claims: Sequence[Claim]) -> pa.Table:
    return _table([claim_row(c) for c in claims], CLAIM_ARROW)


def row_to_document(row: dict[str, Any]) -> Document:
    """A stored ``documents`` row back as a :class:`Document`."""
    data = dict(row)
    extra = data.get("extra")
    data["extra"] = json.loads(extra) if isinstance(extra, str) and extra else {}
    return Document.from_dict(data)
