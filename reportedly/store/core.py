"""The ledger: a DuckDB file holding documents, claims and their sources.

    with Store("reportedly.duckdb") as store:
        store.add_batch([(document, claims), ...])   # one transaction
        store.claims(about="fighters", source="Pentagon")

Every write is one transaction per batch (BEGIN ... COMMIT, ROLLBACK on any
error, Ctrl-C included), and DuckDB's write-ahead log makes a committed batch
survive a crash, so a killed run leaves a store that opens and holds whole
batches only; running again completes it because stored ids are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import duckdb

from reportedly import settings
from reportedly.errors import NotFound, StoreError
from reportedly.store.rows import claims_table, document_row, documents_table, row_to_document
from reportedly.store.schema import TABLES, ensure_schema
from reportedly.types import Claim, Document

__all__ = ["BatchResult", "ExportFormat", "Store", "TableName"]

ExportFormat = Literal["jsonl", "csv", "parquet"]
TableName = Literal["documents", "claims", "sources"]

# While writes are bounded, DuckDB's automatic checkpoint is off ("never")
# and the store checkpoints itself at DuckDB's default threshold.
_NEVER = "1TB"
_CHECKPOINT_BYTES = 16 * 1024 * 1024

#: ``sources`` rows derived from ``claims``; ``{where}`` narrows it to some names.
_SOURCES_SQL = (
    "SELECT coalesce(source_name, source_text) AS name, mode(source_kind) AS kind, "
    "mode(source_anonymous) AS anonymous, count(*) AS n_claims, count(DISTINCT doc_id) AS n_documents "
    "FROM claims WHERE {where} GROUP BY 1"
)
_EVERY_SOURCE = "coalesce(source_name, source_text) IS NOT NULL"

# Rows fetched at a time when streaming results out of DuckDB.
_FETCH = 2048

# The columns ``about`` searches, case-insensitively, as substrings.
_ABOUT_SQL = " OR ".join(
    f"contains(lower(coalesce({expr}, '')), $about)"
    for expr in (
        "c.entity",
        "c.entity_lemma",
        "c.actor",
        "array_to_string(c.locations, ' ')",
        "c.content",
        "c.sentence",
    )
)
_SOURCE_SQL = " OR ".join(
    f"contains(lower(coalesce({expr}, '')), $source)"
    for expr in ("c.source_name", "c.source_text", "array_to_string(c.via, ' ')")
)
# Claims come back in reading order: by publication date, then within an
# article by position, so a listing reads like the story unfolding.
_CLAIM_ORDER = "d.published NULLS LAST, d.path, c.sentence_start, c.start, c.id"


@dataclass(slots=True)
class BatchResult:
    """What one :meth:`Store.add_batch` wrote.

    ``added`` lists the ids of documents written (any status), ``replaced``
    those of them that replaced a skipped/failed record of the same id, and
    ``already_stored`` the ids that were there already and left untouched.
    """

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)
    claims_added: int = 0


class Store:
    """A reportedly ledger in one DuckDB file.

    ``read_only=True`` opens an existing store for reading (the CLI's query
    commands and the web app); several read-only readers may share a file,
    but DuckDB allows only one process to write at a time.
    """

    def __init__(self, path: str | Path = settings.DEFAULT_DB, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(str(self.path), "no store here; create one with `reportedly run PATH --db FILE`")
        # DuckDB memory for writes, while inside :meth:`bounded_writes` (None
        # outside); inside, batches also mark ``sources`` stale instead of
        # refreshing it.
        self._write_cache: int | None = None
        self._limit = ""
        if not read_only and self.path.parent != Path(""):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn: duckdb.DuckDBPyConnection | None = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            # Typically another process holds the write lock.
            raise StoreError(str(self.path), f"cannot open: {exc}") from exc
        self._sources_relation = "sources"
        try:
            ensure_schema(self._conn, str(self.path), writable=not read_only)
            if self.sources_stale:
                # A run was killed between its batches and its final rebuild:
                # a writer rebuilds ``sources`` now, a reader derives the rows
                # live (see :attr:`sources_relation`).
                if read_only:
                    self._sources_relation = f"({_SOURCES_SQL.format(where=_EVERY_SOURCE)}) AS sources"
                else:
                    self.refresh_sources()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -------------------------------------------------------

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, for read-only SQL by the linker and the web app."""
        if self._conn is None:
            raise StoreError(str(self.path), "the store is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    # -- writing ---------------------------------------------------------

    @contextmanager
    def bounded_writes(self, cache_bytes: int = settings.WRITE_CACHE_BYTES) -> Iterator["Store"]:
        """Hold DuckDB to ``cache_bytes`` plus the batch in hand while writing.

        For long write runs (``reportedly run``): DuckDB otherwise keeps every
        block it wrote cached and checkpoints with memory that grows with the
        table, so memory would grow with the ledger. Each :meth:`add_batch`
        inside raises the cap to fit its own batch, so a batch of huge
        documents still commits; on leaving, DuckDB's default limit returns
        for the queries (linking) that follow.
        """
        self._write_cache = cache_bytes
        self.connection.execute(f"SET checkpoint_threshold = '{_NEVER}'")
        # A checkpoint's vacuum merges the small row groups of recent batches
        # into full ones, holding up to a whole row group (122,880 rows, whole
        # article texts) in memory: peak memory grew with the ledger until it
        # was off. Appended rows stay in the row groups the batches wrote.
        self.connection.execute("SET max_vacuum_tasks = 0")
        # Recomputing a batch's sources scans every claim stored so far, so
        # per batch it made a long run quadratic (180 ms a batch at 60,000
        # articles, growing); inside a run the batches only mark ``sources``
        # stale and it is rebuilt once, in one scan, when the run ends.
        failed = True
        try:
            yield self
            failed = False
        finally:
            self._write_cache = None
            if self._conn is not None:
                self._conn.execute("RESET memory_limit")
                self._conn.execute("RESET checkpoint_threshold")
                self._conn.execute("RESET max_vacuum_tasks")
                if self.sources_stale:
                    try:
                        self.refresh_sources()
                    except (StoreError, KeyboardInterrupt):
                        # Leaving on an error (Ctrl-C included), that error is
                        # the one to report; the flag stays and the next writer
                        # rebuilds.
                        if not failed:
                            raise

    def _fit_memory(self, pairs: Sequence[tuple[Document, list[Claim]]]) -> None:
        """Set DuckDB's memory limit to the cache plus what this batch needs."""
        if self._write_cache is None:
            return
        # A claim row (sentence, frame JSON, columns) is about 4x its sentence;
        # the factor 2 leaves DuckDB room to copy the batch while inserting.
        size = sum(len(doc.text or "") + sum(4 * len(c.sentence or "") for c in claims) for doc, claims in pairs)
        # The primary-key indexes grow with the ledger and every insert
        # probes them: they are kept whole on top of the cache.
        index = self.connection.execute(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
        ).fetchone()
        limit = (self._write_cache + int(index[0] if index else 0) + 2 * size) // (1024 * 1024) + 1
        self._limit = f"{limit}MiB"
        self.connection.execute(f"SET memory_limit = '{self._limit}'")

    def _checkpoint_if_due(self) -> None:
        """Checkpoint a bounded store once its write-ahead log passes DuckDB's threshold.

        DuckDB's own automatic checkpoint would run under the write cap, and a
        checkpoint that cannot get the memory it needs invalidates the
        database; so the cap is lifted while checkpointing, and put back
        after, which evicts the blocks the checkpoint left cached.
        """
        wal = self.path.with_name(self.path.name + ".wal")
        try:
            size = wal.stat().st_size
        except OSError:
            return
        if size < _CHECKPOINT_BYTES:
            return
        conn = self.connection
        conn.execute("RESET memory_limit")
        self._checkpoint()
        conn.execute(f"SET memory_limit = '{self._limit}'")

    def stored_status(self, ids: Sequence[str]) -> dict[str, str]:
        """``{id: status}`` for those of ``ids`` already in the store."""
        if not ids:
            return {}
        sql = "SELECT id, status FROM documents WHERE id IN (SELECT unnest($ids::VARCHAR[]))"
        try:
            rows = self.connection.execute(sql, {"ids": list(ids)}).fetchall()
        except duckdb.OutOfMemoryException:
            if self._write_cache is None:
                raise
            # The cap the last batch left is sized for its writes, not for a
            # lookup in a large ledger: look up without it (the next batch
            # sets its own cap; putting this one back could fail the same way).
            self.connection.execute("RESET memory_limit")
            rows = self.connection.execute(sql, {"ids": list(ids)}).fetchall()
        return {row[0]: row[1] for row in rows}

    def add_batch(self, pairs: Sequence[tuple[Document, list[Claim]]]) -> BatchResult:
        """Store documents with their claims, all or nothing.

        A document whose id is stored already is left alone, unless the stored
        one was skipped/failed and this one is ok: then it replaces it (a file
        fixed since, or an extraction that failed before). Claims of documents
        that are not ok are ignored; duplicate claim ids keep the first.
        """
        if self.read_only:
            raise StoreError(str(self.path), "opened read-only; cannot add documents")
        result = BatchResult()
        existing = self.stored_status([doc.id for doc, _ in pairs])
        chosen: dict[str, tuple[Document, list[Claim]]] = {}
        for doc, claims in pairs:
            old = existing.get(doc.id)
            if doc.id in chosen or old == "ok" or (old is not None and not doc.ok):
                result.already_stored.append(doc.id)
                continue
            if old is not None:
                result.replaced.append(doc.id)
            chosen[doc.id] = (doc, claims if doc.ok else [])
        if not chosen:
            return result

        seen_claims: set[str] = set()
        claims_out: list[Claim] = []
        doc_rows: list[dict[str, Any]] = []
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        for doc, claims in chosen.values():
            kept = [c for c in claims if c.id not in seen_claims]
            seen_claims.update(c.id for c in kept)
            claims_out.extend(kept)
            doc_rows.append(document_row(doc, len(kept), now))

        self._fit_memory(list(chosen.values()))
        try:
            self._write(result.replaced, doc_rows, claims_out)
        except duckdb.OutOfMemoryException:
            # Raised only under the cap, which is an estimate: a batch it
            # underestimated is written again, whole, with DuckDB's own limit,
            # rather than failing the run.
            self.connection.execute("RESET memory_limit")
            self._write(result.replaced, doc_rows, claims_out)
        if self._write_cache is not None:
            self._checkpoint_if_due()
        result.added = list(chosen)
        result.claims_added = len(claims_out)
        return result

    def _write(self, replaced: Sequence[str], doc_rows: list[dict[str, Any]], claims_out: list[Claim]) -> None:
        """One batch in one transaction: all of it, or (on any error, Ctrl-C included) none."""
        conn = self.connection
        conn.execute("BEGIN TRANSACTION")
        try:
            touched = self._delete_documents(replaced)
            conn.register("_batch_documents", documents_table(doc_rows))
            conn.execute("INSERT INTO documents BY NAME SELECT * FROM _batch_documents")
            conn.register("_batch_claims", claims_table(claims_out))
            conn.execute(
                "INSERT INTO claims BY NAME SELECT * REPLACE ("
                "TRY_CAST(time_start AS DATE) AS time_start, TRY_CAST(time_end AS DATE) AS time_end, "
                "frame::JSON AS frame) FROM _batch_claims"
            )
            if self._write_cache is not None:
                self._set_flag("sources_stale", True)
            else:
                touched.update(_source_key(c) for c in claims_out)
                self._refresh_sources(sorted(n for n in touched if n is not None))
            self._set_flag("links_stale", True)
            conn.execute("COMMIT")
        except BaseException as exc:
            # BaseException: a Ctrl-C half way must not leave a half batch.
            conn.execute("ROLLBACK")
            if isinstance(exc, duckdb.OutOfMemoryException) and self._write_cache is not None:
                raise  # add_batch retries it without the cap
            if isinstance(exc, duckdb.Error):
                raise StoreError(str(self.path), f"could not write a batch: {exc}") from exc
            raise
        finally:
            for name in ("_batch_documents", "_batch_claims"):
                try:
                    conn.unregister(name)
                except duckdb.Error:
                    pass

    def _checkpoint(self) -> None:
        try:
            self.connection.execute("CHECKPOINT")
        except duckdb.Error as exc:
            raise StoreError(str(self.path), f"could not checkpoint: {exc}") from exc

    def _delete_documents(self, ids: Sequence[str]) -> set[str | None]:
        """Delete documents and their claims; return the source names touched."""
        if not ids:
            return set()
        conn = self.connection
        params = {"ids": list(ids)}
        names = conn.execute(
            "SELECT DISTINCT coalesce(source_name, source_text) FROM claims "
            "WHERE doc_id IN (SELECT unnest($ids::VARCHAR[]))",
            params,
        ).fetchall()
        conn.execute("DELETE FROM claims WHERE doc_id IN (SELECT unnest($ids::VARCHAR[]))", params)
        conn.execute("DELETE FROM documents WHERE id IN (SELECT unnest($ids::VARCHAR[]))", params)
        return {row[0] for row in names}

    def _refresh_sources(self, names: Sequence[str]) -> None:
        """Recompute the ``sources`` rows of the names a batch touched.

        Only those names, so a batch costs the size of its sources, not of
        the whole ledger.
        """
        if not names:
            return
        conn = self.connection
        params = {"names": list(names)}
        conn.execute("DELETE FROM sources WHERE name IN (SELECT unnest($names::VARCHAR[]))", params)
        where = "coalesce(source_name, source_text) IN (SELECT unnest($names::VARCHAR[]))"
        conn.execute("INSERT INTO sources " + _SOURCES_SQL.format(where=where), params)

    @property
    def sources_stale(self) -> bool:
        """True while ``sources`` lags ``claims``: a run inside
        :meth:`bounded_writes` was stopped before rebuilding it."""
        return self._flag("sources_stale")

    def refresh_sources(self) -> None:
        """Rebuild the whole ``sources`` table from ``claims``, in one transaction."""
        if self.read_only:
            raise StoreError(str(self.path), "opened read-only; cannot rebuild sources")
        conn = self.connection
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute("DELETE FROM sources")
            conn.execute("INSERT INTO sources " + _SOURCES_SQL.format(where=_EVERY_SOURCE))
            self._set_flag("sources_stale", False)
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise StoreError(str(self.path), f"could not rebuild sources: {exc}") from exc
            raise

    @property
    def sources_relation(self) -> str:
        """What to read sources from, for ``SELECT ... FROM {sources_relation}``:
        the ``sources`` table, or, in a reader of a store whose run was killed
        before rebuilding it, the same rows derived from ``claims``. (DuckDB
        lets no reader write, and a temporary view would not reach the
        cursors of other threads.)"""
        return self._sources_relation

    def _flag(self, key: str) -> bool:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return bool(row) and row[0] == "true"

    def _set_flag(self, key: str, value: bool) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, "true" if value else "false"])

    @property
    def links_stale(self) -> bool:
        """True when documents were added since :meth:`mark_linked` was last called."""
        return self._flag("links_stale")

    def mark_linked(self) -> None:
        """Record that the cross-document links are up to date with the documents."""
        if self.read_only:
            raise StoreError(str(self.path), "opened read-only; cannot record linking")
        self._set_flag("links_stale", False)

    # -- reading ---------------------------------------------------------

    def _fetch_dicts(self, sql: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        cur = self.connection.cursor()
        try:
            cur.execute(sql, params or {})
            cols = [d[0] for d in cur.description or []]
            while rows := cur.fetchmany(_FETCH):
                for row in rows:
                    yield dict(zip(cols, row))
        finally:
            cur.close()

    def iter_documents(self, status: str | None = None) -> Iterator[Document]:
        """Stored documents in path order, streamed."""
        where = "WHERE status = $status" if status else ""
        params = {"status": status} if status else {}
        for row in self._fetch_dicts(f"SELECT * FROM documents {where} ORDER BY path, id", params):
            yield row_to_document(row)

    def documents(self, status: str | None = None) -> list[Document]:
        """Stored documents (optionally only those of one status), in path order."""
        return list(self.iter_documents(status))

    def document(self, doc_id: str) -> Document:
        rows = list(self._fetch_dicts("SELECT * FROM documents WHERE id = $id", {"id": doc_id}))
        if not rows:
            raise NotFound("document", doc_id)
        return row_to_document(rows[0])

    def document_rows(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        """Documents as table rows without their text (for listings)."""
        where = "WHERE status = $status" if status else ""
        params = {"status": status} if status else {}
        sql = f"SELECT * EXCLUDE (text) FROM documents {where} ORDER BY path, id"
        for row in self._fetch_dicts(sql, params):
            row["extra"] = json.loads(row["extra"]) if row.get("extra") else {}
            yield row

    def iter_claims(
        self,
        about: str | None = None,
        source: str | None = None,
        kind: str | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Claim]:
        """Claims matching every filter given, streamed in reading order.

        ``about`` matches the counted thing, its lemma, the actor, the
        locations, a statement's content and the sentence; ``source`` the
        source's name, its text as written and the intermediaries (both
        case-insensitive substrings).
        """
        where: list[str] = []
        params: dict[str, Any] = {}
        if about:
            where.append(f"({_ABOUT_SQL})")
            params["about"] = about.lower()
        if source:
            where.append(f"({_SOURCE_SQL})")
            params["source"] = source.lower()
        if kind:
            where.append("c.kind = $kind")
            params["kind"] = kind
        if doc_id:
            where.append("c.doc_id = $doc_id")
            params["doc_id"] = doc_id
        sql = "SELECT c.frame FROM claims c LEFT JOIN documents d ON d.id = c.doc_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {_CLAIM_ORDER}"
        if limit is not None:
            sql += " LIMIT $limit"
            params["limit"] = int(limit)
        for row in self._fetch_dicts(sql, params):
            yield Claim.from_dict(json.loads(row["frame"]))

    def claims(
        self,
        about: str | None = None,
        source: str | None = None,
        kind: str | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
    ) -> list[Claim]:
        """Claims matching every filter given (see :meth:`iter_claims`)."""
        return list(self.iter_claims(about=about, source=source, kind=kind, doc_id=doc_id, limit=limit))

    def claim(self, claim_id: str) -> Claim:
        row = self.connection.execute("SELECT frame FROM claims WHERE id = ?", [claim_id]).fetchone()
        if row is None:
            raise NotFound("claim", claim_id)
        return Claim.from_dict(json.loads(row[0]))

    def sources(self) -> list[dict[str, Any]]:
        """The ``sources`` table, most cited first."""
        return list(self._fetch_dicts(f"SELECT * FROM {self.sources_relation} ORDER BY n_claims DESC, name"))

    def count_documents(self, status: str | None = None) -> int:
        if status:
            row = self.connection.execute("SELECT count(*) FROM documents WHERE status = ?", [status]).fetchone()
        else:
            row = self.connection.execute("SELECT count(*) FROM documents").fetchone()
        return int(row[0]) if row else 0

    def count_claims(self, kind: str | None = None) -> int:
        if kind:
            row = self.connection.execute("SELECT count(*) FROM claims WHERE kind = ?", [kind]).fetchone()
        else:
            row = self.connection.execute("SELECT count(*) FROM claims").fetchone()
        return int(row[0]) if row else 0

    def count_sources(self) -> int:
        row = self.connection.execute(f"SELECT count(*) FROM {self.sources_relation}").fetchone()
        return int(row[0]) if row else 0

    # -- export ----------------------------------------------------------

    def export(self, table: TableName, path: str | Path, fmt: ExportFormat = "jsonl") -> int:
        """Write a whole table to ``path``; return the number of rows written.

        ``jsonl`` writes the public contract: ``Claim.to_dict()`` per claim,
        ``Document.to_dict()`` per document (with ``n_claims``); ``csv`` and
        ``parquet`` copy the table's columns as stored (DuckDB ``COPY``).
        """
        if table not in TABLES:
            raise StoreError(str(self.path), f"no table {table!r} to export (one of {', '.join(TABLES)})")
        out = Path(path)
        if out.parent != Path(""):
            out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "jsonl":
            return self._export_jsonl(table, out)
        if fmt not in ("csv", "parquet"):
            raise StoreError(str(self.path), f"unknown export format {fmt!r} (jsonl, csv or parquet)")
        order = {"documents": "path, id", "claims": "doc_id, start, id", "sources": "name"}[table]
        options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
        literal = str(out).replace("'", "''")  # COPY takes no bound parameter for its target
        source = self.sources_relation if table == "sources" else table
        self.connection.execute(f"COPY (SELECT * FROM {source} ORDER BY {order}) TO '{literal}' ({options})")
        row = self.connection.execute(f"SELECT count(*) FROM {source}").fetchone()
        return int(row[0]) if row else 0

    def _export_jsonl(self, table: TableName, out: Path) -> int:
        n = 0
        with out.open("w", encoding="utf-8") as fh:
            if table == "claims":
                rows: Iterator[dict[str, Any]] = (c.to_dict() for c in self.iter_claims())
            elif table == "documents":
                rows = self._document_dicts()
            else:
                rows = iter(self.sources())
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                n += 1
        return n

    def _document_dicts(self) -> Iterator[dict[str, Any]]:
        for row in self._fetch_dicts("SELECT * FROM documents ORDER BY path, id"):
            data = row_to_document(row).to_dict()
            data["n_claims"] = row["n_claims"]
            data["ingested_at"] = row["ingested_at"]
            yield data


def _source_key(claim: Claim) -> str | None:
    """The ``sources`` key of a claim: its normalised source name, else as written."""
    if claim.source is None:
        return None
    return claim.source.name or claim.source.text
