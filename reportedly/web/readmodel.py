"""Read paths prepared at start-up for the two busiest pages: search and series.

The store does not change while the app runs (it is opened read-only), so
the rows those pages list can be laid out once, in memory, in the order the
pages want them:

* :class:`ClaimRows`: the list columns of every claim (sentence, source,
  figure, time, publisher...) as one Arrow table in search-index order, so
  a page of results is one ``take`` of 50 rows instead of a join over the
  claims table;
* :class:`SeriesRows`: series entries, claims, relations and derived values
  sorted by series, with each series' slice recorded, so a series page
  slices arrays instead of scanning tables.

Measured under load at a million claims (``benchmarks/web.py``), these turn
pages that cost tens of milliseconds of SQL each into a few milliseconds.
Memory is the price: roughly the size of the listed columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from reportedly.web.ledger import CLAIM_LIST_COLUMNS, Ledger
from reportedly.web.searchindex import SearchIndex

__all__ = ["ClaimRows", "ReadPaths", "SeriesRows", "Slices"]

_DATES = ("time_start", "time_end")


def _list_columns(prefix: str) -> str:
    cols = []
    for col in CLAIM_LIST_COLUMNS:
        if col in _DATES:  # DATE -> ISO text, as the JSON twins show them
            cols.append(f"strftime({prefix}{col}, '%Y-%m-%d') AS {col}")
        else:
            cols.append(f"{prefix}{col}")
    return ", ".join(cols)


class ClaimRows:
    """List rows of every claim, addressed by search-index number."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        # web_order (from SearchIndex) gives each claim id its number n.
        self.table: pa.Table = cur.sql(
            f"SELECT {_list_columns('c.')}, d.publisher, d.published, d.title "
            "FROM web_order w JOIN claims c ON c.id = w.id LEFT JOIN documents d ON d.id = c.doc_id "
            "ORDER BY w.n"
        ).to_arrow_table().combine_chunks()  # one chunk: take() on many chunks copies them all

    def rows(self, numbers: list[int]) -> list[dict[str, Any]]:
        if not numbers:
            return []
        return self.table.take(pa.array(numbers, type=pa.int64())).to_pylist()


class Slices:
    """An Arrow table sorted by ``series_id`` plus where each series starts and ends."""

    def __init__(self, table: pa.Table) -> None:
        keys = table.column("series_id").to_pylist() if table.num_rows else []
        self.bounds: dict[str, tuple[int, int]] = {}
        for i, key in enumerate(keys):
            start, _ = self.bounds.get(key, (i, i))
            self.bounds[key] = (start, i + 1)
        self.table = table.drop_columns(["series_id"]).combine_chunks()

    def count(self, series_id: str) -> int:
        start, end = self.bounds.get(series_id, (0, 0))
        return end - start

    def rows(self, series_id: str, offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        start, end = self.bounds.get(series_id, (0, 0))
        start = min(end, start + offset)
        if limit is not None:
            end = min(end, start + limit)
        return self.table.slice(start, end - start).to_pylist()

    def sample(self, series_id: str, limit: int) -> list[dict[str, Any]]:
        """At most ``limit`` rows, evenly spaced over the series' slice."""
        start, end = self.bounds.get(series_id, (0, 0))
        if end - start <= limit:
            return self.table.slice(start, end - start).to_pylist()
        picks = np.linspace(start, end - 1, num=limit).astype(np.int64)
        return self.table.take(pa.array(picks)).to_pylist()


class SeriesRows:
    """Per-series slices of the link tables; see the module doc.

    ``claims`` holds, per series, the search-index numbers of its claims in
    the order a series page lists them (reference time, publication, id).
    """

    def __init__(self, cur: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
        empty = pa.table({"series_id": pa.array([], pa.string())})
        self.entries = Slices(
            cur.sql(
                "SELECT * EXCLUDE (evidence, repost_group) FROM series_entries ORDER BY series_id, "
                "coalesce(time_start, time_end) NULLS LAST, entry_id"
            ).to_arrow_table()
            if "series_entries" in tables else empty
        )
        self.claims = Slices(
            cur.sql(
                "SELECT sc.series_id, w.n, sc.role FROM series_claims sc JOIN web_order w ON w.id = sc.claim_id "
                "JOIN claims c ON c.id = sc.claim_id LEFT JOIN documents d ON d.id = c.doc_id "
                "ORDER BY sc.series_id, c.time_start NULLS LAST, d.published, c.id"
            ).to_arrow_table()
            if "series_claims" in tables else empty
        )
        self.relations = Slices(
            cur.sql(
                "SELECT series_id, claim_a, claim_b, entry_a, entry_b, kind, reason FROM relations "
                "ORDER BY series_id, kind, entry_a, entry_b"
            ).to_arrow_table()
            if "relations" in tables else empty
        )
        self.derived = Slices(
            cur.sql("SELECT * FROM derived_values ORDER BY series_id, time_start, id").to_arrow_table()
            if "derived_values" in tables else empty
        )
        self.info: dict[str, dict[str, Any]] = {}
        if "series" in tables:
            for row in cur.sql(
                "SELECT id, label, entity, actor, places, place_names, unit, claims, derived FROM series"
            ).to_arrow_table().to_pylist():
                self.info[row["id"]] = row
        self.conflicted: set[str] = set()
        if "relations" in tables:
            for a, b in cur.execute(
                "SELECT entry_a, entry_b FROM relations WHERE kind IN ('conflict', 'contradiction')"
            ).fetchall():
                self.conflicted.update((a, b))


@dataclass(slots=True)
class ReadPaths:
    """Everything prepared at start-up; the page builders read through it."""

    search: SearchIndex
    claims: ClaimRows
    series: SeriesRows

    @classmethod
    def build(cls, ledger: Ledger) -> "ReadPaths":
        cur = ledger.connection.cursor()
        try:
            search = SearchIndex(cur)  # creates the temp table web_order
            claims = ClaimRows(cur)
            series = SeriesRows(cur, ledger.tables.names)
            cur.execute("DROP TABLE web_order")
        finally:
            cur.close()
        return cls(search=search, claims=claims, series=series)
