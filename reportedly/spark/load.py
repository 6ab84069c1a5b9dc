"""``reportedly import DIR``: the Spark job's Parquet into a DuckDB store.

The Parquet rows are turned back into :class:`Document` / :class:`Claim`
objects (the ``frame`` column is the lossless claim) and written with
:meth:`reportedly.store.Store.add_batch`, the same call ``reportedly run``
makes, so an imported ledger is indistinguishable from one built locally:
same dedup rules, same ``sources`` table. Does not need pyspark.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from reportedly.errors import StoreError
from reportedly.settings import BATCH_SIZE
from reportedly.spark.rows import CLAIM_NAMES, CLAIMS_DIR, DOCUMENT_NAMES, DOCUMENTS_DIR
from reportedly.store import Store
from reportedly.store.rows import row_to_document
from reportedly.types import Claim, Document

__all__ = ["ImportSummary", "import_parquet", "iter_parquet_pairs"]

@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one import read and wrote."""

    documents_read: int
    documents_added: int
    already_stored: int
    claims_added: int


def _parquet_glob(folder: Path, name: str, expected: tuple[str, ...], conn: duckdb.DuckDBPyConnection) -> str:
    part = folder / name
    if not part.is_dir() or not any(part.glob("*.parquet")):
        raise FileNotFoundError(f"{part}: no Parquet files (expected the output of `reportedly spark --out {folder}`)")
    pattern = str(part / "*.parquet")
    names = tuple(r[0] for r in conn.execute("DESCRIBE SELECT * FROM read_parquet(?)", [pattern]).fetchall())
    missing = [n for n in expected if n not in names]
    if missing:
        raise StoreError(str(part), f"Parquet lacks the store's columns {missing}; written by another version?")
    return pattern


def iter_parquet_pairs(folder: str | Path) -> Iterator[tuple[Document, list[Claim]]]:
    """(document, claims) pairs of a Spark output folder, streamed in path order."""
    root = Path(folder)
    conn = duckdb.connect()  # in-memory; spills to a temp dir for big inputs
    try:
        docs = _parquet_glob(root, DOCUMENTS_DIR, DOCUMENT_NAMES, conn)
        claims = _parquet_glob(root, CLAIMS_DIR, CLAIM_NAMES, conn)
        doc_cols = ", ".join(f'd."{n}"' for n in DOCUMENT_NAMES)
        cur = conn.execute(
            f"SELECT {doc_cols}, c.frames FROM read_parquet($docs) d "
            "LEFT JOIN (SELECT doc_id, list(frame ORDER BY sentence_start, start, id) AS frames "
            "FROM read_parquet($claims) GROUP BY doc_id) c ON c.doc_id = d.id "
            "ORDER BY d.path, d.id",
            {"docs": docs, "claims": claims},
        )
        while rows := cur.fetchmany(BATCH_SIZE):
            for row in rows:
                doc = row_to_document(dict(zip(DOCUMENT_NAMES, row[:-1])))
                frames = row[-1] or []
                yield doc, [Claim.from_dict(json.loads(f)) for f in frames]
    finally:
        conn.close()


def import_parquet(folder: str | Path, store: Store, batch_size: int = BATCH_SIZE) -> ImportSummary:
    """Load a Spark output folder into ``store``, one transaction per batch."""
    read = added = already = n_claims = 0
    batch: list[tuple[Document, list[Claim]]] = []

    def flush() -> None:
        nonlocal added, already, n_claims
        result = store.add_batch(batch)
        added += len(result.added)
        already += len(result.already_stored)
        n_claims += result.claims_added
        batch.clear()

    # Bounded like `reportedly run`'s writes: memory held flat, and the
    # sources table rebuilt once at the end rather than after every batch.
    with store.bounded_writes():
        for pair in iter_parquet_pairs(folder):
            read += 1
            batch.append(pair)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    return ImportSummary(documents_read=read, documents_added=added, already_stored=already, claims_added=n_claims)
