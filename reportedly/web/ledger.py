"""Read-only queries the web pages need, over one DuckDB store.

The store is opened ``read_only`` once per app; every request works on its own
cursor (a DuckDB cursor is a separate connection to the same database), so the
threads FastAPI runs sync endpoints on never share a connection.

The claim and document tables come from :mod:`reportedly.store`; the series,
conflict and repost tables from the linking work. A store that was never
linked simply has no series: the pages say so instead of failing.

Every method returns plain dicts/lists ready for a template *and* for the
JSON twin of the page, so the two can never disagree.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from reportedly.errors import NotFound, StoreError
from reportedly.store import Store
from reportedly.types import Claim

__all__ = ["CLAIM_LIST_COLUMNS", "Ledger", "SearchQuery"]

#: Columns of ``claims`` shown in lists (search results, source pages).
CLAIM_LIST_COLUMNS: tuple[str, ...] = (
    "id",
    "doc_id",
    "kind",
    "sentence",
    "source_name",
    "source_text",
    "source_kind",
    "cue",
    "time_start",
    "time_end",
    "value",
    "low",
    "high",
    "bound",
    "unit",
    "entity_lemma",
    "actor",
)


@dataclass(slots=True)
class SearchQuery:
    """A parsed ``/search`` request: free text plus facet filters."""

    q: str = ""
    source: str | None = None
    publisher: str | None = None
    entity: str | None = None
    actor: str | None = None
    location: str | None = None
    #: A year ("2017"), month ("2017-07") or day ("2017-07-20") the claim's
    #: reference time must overlap.
    time: str | None = None
    kind: str | None = None
    page: int = 1
    per_page: int = 50

    def filters(self) -> dict[str, str]:
        """The facet filters that are set, by facet name."""
        names = ("source", "publisher", "entity", "actor", "location", "time", "kind")
        return {n: v for n in names if (v := getattr(self, n))}


@dataclass(slots=True)
class _Tables:
    """Which optional tables (and columns) this store has."""

    names: set[str] = field(default_factory=set)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def has(self, table: str, *cols: str) -> bool:
        return table in self.names and all(c in self.columns.get(table, ()) for c in cols)


_PLAIN = (str, int, float, bool, list, dict)


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Fetched rows as dicts of plain values (dates and timestamps as ISO text).

    Which columns need converting is decided by scanning each column once,
    not by a recursive walk of every value: this runs for every row of every page.
    """
    names = [d[0] for d in cur.description or []]
    rows = cur.fetchall()
    convert = {
        i for i in range(len(names))
        if any(r[i] is not None and not isinstance(r[i], _PLAIN) for r in rows)
    }
    if convert:
        rows = [tuple(str(v) if i in convert and v is not None else v for i, v in enumerate(r)) for r in rows]
    return [dict(zip(names, row, strict=True)) for row in rows]


class Ledger:
    """Read-only access to a reportedly store for the web app."""

    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(db_path)
        # Store checks the file is a reportedly store of this schema version.
        self._store = Store(self.path, read_only=True)
        self._con = self._store.connection
        self._local = threading.local()
        self.tables = self._introspect()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._con

    def close(self) -> None:
        self._store.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """This thread's own connection to the store.

        A DuckDB connection must not be shared between threads, and opening
        one per query costs milliseconds, so each server thread keeps one.
        """
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        yield cur

    def _introspect(self) -> _Tables:
        found = _Tables()
        rows = self._con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall()
        for table, column in rows:
            found.names.add(table)
            found.columns.setdefault(table, []).append(column)
        return found

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self.cursor() as cur:
            cur.execute(sql, params or [])
            return _rows(cur)

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        with self.cursor() as cur:
            row = cur.execute(sql, params or []).fetchone()
        return None if row is None else row[0]

    # -- documents -------------------------------------------------------

    def document(self, doc_id: str) -> dict[str, Any]:
        rows = self.query("SELECT * FROM documents WHERE id = ?", [doc_id])
        if not rows:
            raise NotFound("document", doc_id)
        doc = rows[0]
        for key in ("extra",):
            if isinstance(doc.get(key), str):
                doc[key] = _load_json(doc[key])
        return doc

    def document_claims(self, doc_id: str) -> list[Claim]:
        return [
            self._claim_from_row(r)
            for r in self.query("SELECT frame FROM claims WHERE doc_id = ? ORDER BY start, id", [doc_id])
        ]

    # -- claims ----------------------------------------------------------

    def claim(self, claim_id: str) -> Claim:
        rows = self.query("SELECT frame FROM claims WHERE id = ?", [claim_id])
        if not rows:
            raise NotFound("claim", claim_id)
        return self._claim_from_row(rows[0])

    @staticmethod
    def _claim_from_row(row: dict[str, Any]) -> Claim:
        frame = row["frame"]
        return Claim.from_dict(_load_json(frame) if isinstance(frame, str) else frame)

    # -- sources ---------------------------------------------------------

    def sources(self, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """Sources by number of claims (the store keeps ``sources`` up to date)."""
        total = self.scalar(f"SELECT count(*) FROM {self._store.sources_relation}")
        rows = self.query(
            "SELECT name, kind, anonymous, n_claims AS claims, n_documents AS documents "
            f"FROM {self._store.sources_relation} ORDER BY n_claims DESC, name LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return int(total or 0), rows

    def source_claims(self, name: str, limit: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        found = self.query(
            "SELECT name, kind, anonymous, n_claims AS claims, n_documents AS documents "
            f"FROM {self._store.sources_relation} WHERE name = ?",
            [name],
        )
        if not found:
            raise NotFound("source", name)
        cols = ", ".join(f"c.{c}" for c in CLAIM_LIST_COLUMNS)
        rows = self.query(
            f"SELECT {cols}, d.publisher, d.published, d.title FROM claims c "
            "JOIN documents d ON d.id = c.doc_id WHERE coalesce(c.source_name, c.source_text) = ? "
            "ORDER BY d.published DESC NULLS LAST, c.id LIMIT ?",
            [name, limit],
        )
        return found[0], rows

    # -- overview --------------------------------------------------------

    def counts(self) -> dict[str, int]:
        counts = {
            "documents": self.scalar("SELECT count(*) FROM documents"),
            "claims": self.scalar("SELECT count(*) FROM claims"),
            "quantities": self.scalar("SELECT count(*) FROM claims WHERE kind = 'quantity'"),
            "statements": self.scalar("SELECT count(*) FROM claims WHERE kind = 'statement'"),
            "sources": self.scalar(f"SELECT count(*) FROM {self._store.sources_relation}"),
        }
        for table in ("series", "conflicts"):
            counts[table] = self.scalar(f"SELECT count(*) FROM {table}") if self.tables.has(table) else 0
        return {k: int(v or 0) for k, v in counts.items()}


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError("claims.frame", f"invalid JSON: {exc}") from exc
