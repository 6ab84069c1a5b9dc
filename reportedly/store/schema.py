"""The DuckDB tables of the ledger, and the schema-version check.

The tables are created in one place so that the store, the Spark job (which
writes Parquet "with the store's schema") and ``reportedly import`` agree.
``claims.frame`` holds ``Claim.to_dict()`` as JSON, so reading a claim back is
lossless whatever the flattened columns hold; the flattened columns exist so
that SQL users, the linker and the web app can filter without parsing JSON.

Column names follow the claim frame, so ``start`` and ``end`` are kept even
though ``end`` is an SQL keyword: quote it (``"end"``) in hand-written SQL.
"""

from __future__ import annotations

import duckdb

from reportedly.errors import SchemaMismatch
from reportedly.settings import SCHEMA_VERSION

__all__ = [
    "CLAIM_COLUMNS",
    "DOCUMENT_COLUMNS",
    "SOURCE_COLUMNS",
    "TABLES",
    "ensure_schema",
    "read_schema_version",
]

#: (name, DuckDB type) of every column of ``documents``, in table order.
DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR PRIMARY KEY"),
    ("path", "VARCHAR NOT NULL"),
    ("text", "VARCHAR"),
    ("title", "VARCHAR"),
    ("author", "VARCHAR"),
    ("publisher", "VARCHAR"),
    ("published", "VARCHAR"),  # ISO date or datetime, kept as ingest wrote it
    ("url", "VARCHAR"),
    ("language", "VARCHAR"),
    ("dateline", "VARCHAR"),
    ("original_publisher", "VARCHAR"),
    ("repost", "BOOLEAN"),
    ("format", "VARCHAR"),
    ("status", "VARCHAR NOT NULL"),
    ("reason", "VARCHAR"),
    ("extra", "JSON"),
    ("n_claims", "INTEGER"),
    ("ingested_at", "TIMESTAMP"),
)

#: (name, DuckDB type) of every column of ``claims``, in table order.
CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR PRIMARY KEY"),
    ("doc_id", "VARCHAR NOT NULL"),
    ("kind", "VARCHAR NOT NULL"),
    ("sentence", "VARCHAR"),
    ("sentence_start", "INTEGER"),
    ("sentence_end", "INTEGER"),
    ("start", "INTEGER"),
    ("end", "INTEGER"),
    ("source_text", "VARCHAR"),
    ("source_name", "VARCHAR"),
    ("source_kind", "VARCHAR"),
    ("source_anonymous", "BOOLEAN"),
    ("source_count", "INTEGER"),
    ("via", "VARCHAR[]"),
    ("cue", "VARCHAR"),
    ("hedges", "VARCHAR[]"),
    ("time_text", "VARCHAR"),
    ("time_start", "DATE"),
    ("time_end", "DATE"),
    ("time_anchor", "VARCHAR"),
    ("quantity_text", "VARCHAR"),
    ("value", "DOUBLE"),
    ("low", "DOUBLE"),
    ("high", "DOUBLE"),
    ("bound", "VARCHAR"),
    ("vague", "BOOLEAN"),
    ("unit", "VARCHAR"),
    ("entity", "VARCHAR"),
    ("entity_lemma", "VARCHAR"),
    ("actor", "VARCHAR"),
    ("locations", "VARCHAR[]"),
    ("change_direction", "VARCHAR"),
    ("previous_low", "DOUBLE"),
    ("previous_high", "DOUBLE"),
    ("content", "VARCHAR"),
    ("frame", "JSON NOT NULL"),
)

#: ``sources`` is derived from ``claims``: after every batch, or once at the end
#: of a run's writes (``Store.bounded_writes``; ``meta.sources_stale`` until then).
SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "VARCHAR PRIMARY KEY"),
    ("kind", "VARCHAR"),
    ("anonymous", "BOOLEAN"),
    ("n_claims", "INTEGER"),
    ("n_documents", "INTEGER"),
)

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": DOCUMENT_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "sources": SOURCE_COLUMNS,
}


def _create_sql(table: str, columns: tuple[tuple[str, str], ...]) -> str:
    cols = ",\n  ".join(f'"{name}" {ddl}' for name, ddl in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {cols}\n)"


def read_schema_version(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The version recorded in ``meta``, or ``None`` for an empty database."""
    has_meta = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()
    if not has_meta or not has_meta[0]:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def ensure_schema(conn: duckdb.DuckDBPyConnection, path: str, *, writable: bool) -> None:
    """Create the tables in an empty database; refuse one of another version.

    A store written by another schema version is never altered in place: the
    user decides whether to rebuild it, so the error says how.
    """
    version = read_schema_version(conn)
    if version is not None and version != SCHEMA_VERSION:
        raise SchemaMismatch(
            path,
            f"written with schema version {version}, this reportedly reads version "
            f"{SCHEMA_VERSION}; rebuild it by running `reportedly run` into a new --db file",
        )
    if version is None:
        n_tables = conn.execute("SELECT count(*) FROM information_schema.tables").fetchone()
        if not writable or (n_tables and n_tables[0]):
            # Never add our tables to someone else's database.
            raise SchemaMismatch(path, "not a reportedly store (no schema version recorded)")
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for table, columns in TABLES.items():
                conn.execute(_create_sql(table, columns))
            conn.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('created_by', 'reportedly')",
                [str(SCHEMA_VERSION)],
            )
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
