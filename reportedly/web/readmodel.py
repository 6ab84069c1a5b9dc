"""The read model behind the two busiest pages, search and series.

The store does not change while the app runs (it is opened read-only), so
what those pages show can be laid out once, in the order the pages want it,
written next to the store (:mod:`reportedly.web.sidecar`) and memory-mapped
by every server process:

* :class:`~reportedly.web.searchindex.SearchIndex`: words and facet codes;
* :class:`ClaimRows`: the list columns of every claim (sentence, source,
  figure, time, publisher...) in search-index order, so a page of results
  is 50 slices of one blob instead of a join;
* :class:`SeriesPages`: per series, everything above its claim list (the
  timeline chart, conflicts, derived values) already rendered as HTML, the
  same as JSON for the page's twin, the numbers of its claims in page order
  and their table rows rendered in that order, so a page of a series is two
  slices of pre-rendered HTML (its JSON twin decodes the rows instead).

Measured at a million claims (``benchmarks/web.py``), this turns pages that
cost 10-15 ms of CPU into about one, and start-up from a minute or more into
about a second once the model exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
from markupsafe import Markup

from reportedly.errors import NotFound
from reportedly.web.fragments import claim_rows, table_around
from reportedly.web.ledger import CLAIM_LIST_COLUMNS, Ledger
from reportedly.web.searchindex import SearchIndex
from reportedly.web.series import MAX_CHART_POINTS, MAX_RELATIONS
from reportedly.web.sidecar import Sidecar, open_sidecar

__all__ = ["ClaimRows", "HeadRenderer", "ReadPaths", "SeriesPage", "SeriesPages", "Slices"]

#: DATE columns, listed as ISO text (as the JSON twins show them).
_DATES = ("time_start", "time_end")

#: Renders the part of a series page above its claims from the page's static data.
HeadRenderer = Callable[[dict[str, Any]], str]


class ClaimRows:
    """List rows of every claim, addressed by search-index number.

    Each row is stored as the text of a JSON array, all rows in one UTF-8
    blob with their offsets: a page of 50 rows is 50 slices and one
    ``json.loads``. (An Arrow ``take`` pays a kernel call per column, 20 of
    them, and costs three times as much.)
    """

    def __init__(self, arrays: Mapping[str, npt.NDArray[Any]], columns: list[str]) -> None:
        self._blob = memoryview(arrays["blob"])
        self._offsets = arrays["offsets"]
        self.columns = columns

    @staticmethod
    def build(cur: duckdb.DuckDBPyConnection) -> tuple[dict[str, npt.NDArray[Any]], list[str]]:
        columns = [*CLAIM_LIST_COLUMNS, "publisher", "published", "title"]
        values = [
            f"strftime(c.{col}, '%Y-%m-%d')" if col in _DATES else f"c.{col}" for col in CLAIM_LIST_COLUMNS
        ] + ["d.publisher", "d.published::VARCHAR", "d.title"]
        # web_order (from SearchIndex.build) gives each claim id its number n.
        text = cur.sql(
            f"SELECT json_array({', '.join(values)})::VARCHAR AS row FROM web_order w "
            "JOIN claims c ON c.id = w.id LEFT JOIN documents d ON d.id = c.doc_id ORDER BY w.n"
        ).to_arrow_table().column("row").combine_chunks().cast(pa.large_string())
        if len(text) == 0:
            return {"blob": np.zeros(0, np.uint8), "offsets": np.zeros(1, np.int64)}, columns
        _, offsets, data = text.buffers()
        offs = np.frombuffer(offsets, dtype=np.int64)[text.offset : text.offset + len(text) + 1]
        blob = np.frombuffer(data, dtype=np.uint8)[offs[0] : offs[-1]]
        return {"blob": blob, "offsets": offs - offs[0]}, columns

    def rows(self, numbers: list[int]) -> list[dict[str, Any]]:
        if not numbers:
            return []
        at = np.asarray(numbers, dtype=np.int64)
        blob = self._blob
        # Offsets gathered at once, as Python ints: indexing the array per row
        # would make a numpy scalar per bound.
        parts = [blob[s:e] for s, e in zip(self._offsets[at].tolist(), self._offsets[at + 1].tolist(), strict=True)]
        names = self.columns
        return [dict(zip(names, values, strict=True)) for values in json.loads(b"[" + b",".join(parts) + b"]")]


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

    def rows(self, series_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        start, end = self.bounds.get(series_id, (0, 0))
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


@dataclass(slots=True)
class SeriesPage:
    """One series as its page needs it."""

    title: str
    #: Everything above the claim list, rendered (chart, conflicts, derived values).
    head: Markup
    #: The search-index numbers of its claims, in the order the page lists them.
    numbers: npt.NDArray[np.int32]
    _data: pa.LargeStringScalar
    #: Where this series' claim rows start in the pre-rendered rows (see SeriesPages).
    _first: int
    _rows: "SeriesPages"

    def table(self, start: int, stop: int) -> Markup:
        """The claims table of ``numbers[start:stop]``, from the rows rendered at build time."""
        return self._rows.table(self._first + start, self._first + min(stop, self.numbers.size))

    def data(self) -> dict[str, Any]:
        """The page's static JSON: series info, entries, relations, conflicts, derived values."""
        value = json.loads(self._data.as_py())  # decoded only when asked: it is most of the row
        assert isinstance(value, dict)
        return value


class SeriesPages:
    """Per-series pages prepared at build time; see the module doc."""

    def __init__(self, table: pa.Table, arrays: Mapping[str, npt.NDArray[Any]]) -> None:
        self._index = {sid: i for i, sid in enumerate(table.column("id").to_pylist())}
        self._title = table.column("title")
        self._head = table.column("head")
        self._data = table.column("data")
        self._start = table.column("start").to_numpy()
        self._end = table.column("end").to_numpy()
        self._numbers = arrays["numbers"]
        self._html = memoryview(arrays["html"])
        self._html_offsets = arrays["html_offsets"]

    def table(self, start: int, stop: int) -> Markup:
        """The claims table of the pre-rendered rows ``start:stop`` (positions in ``numbers``)."""
        if stop <= start:
            return table_around("")
        a, b = self._html_offsets[start], self._html_offsets[stop]
        return table_around(bytes(self._html[a:b]).decode("utf-8"))

    def __contains__(self, series_id: str) -> bool:
        return series_id in self._index

    def get(self, series_id: str) -> SeriesPage:
        i = self._index.get(series_id)
        if i is None:
            raise NotFound("series", series_id)
        first = int(self._start[i])
        return SeriesPage(
            title=self._title[i].as_py(),
            head=Markup(self._head[i].as_py()),
            numbers=self._numbers[first : int(self._end[i])],
            _data=self._data[i],
            _first=first,
            _rows=self,
        )

    @staticmethod
    def render_rows(numbers: npt.NDArray[np.int32], claims: ClaimRows) -> dict[str, npt.NDArray[Any]]:
        """Every series' claim rows as table HTML, in page order, in one UTF-8 blob with offsets.

        A series page's claims are a contiguous run of ``numbers``, so its
        table body is one slice of the blob: nothing to decode or escape per
        request.
        """
        chunks: list[bytes] = []
        offsets = np.zeros(numbers.size + 1, dtype=np.int64)
        step = 1000
        for at in range(0, numbers.size, step):
            rows = claims.rows(numbers[at : at + step].tolist())
            for j, row in enumerate(rows):
                html = claim_rows([row]).encode("utf-8")
                chunks.append(html)
                offsets[at + j + 1] = offsets[at + j] + len(html)
        return {"html": np.frombuffer(b"".join(chunks), dtype=np.uint8), "html_offsets": offsets}

    @staticmethod
    def build(
        cur: duckdb.DuckDBPyConnection, tables: set[str], render_head: HeadRenderer
    ) -> tuple[pa.Table, npt.NDArray[np.int32]]:
        """Every series' static page data and pre-rendered head, plus the claim numbers."""
        empty = pa.table({"series_id": pa.array([], pa.string())})
        entries = Slices(
            cur.sql(
                "SELECT * EXCLUDE (evidence, repost_group) FROM series_entries ORDER BY series_id, "
                "coalesce(time_start, time_end) NULLS LAST, entry_id"
            ).to_arrow_table()
            if "series_entries" in tables else empty
        )
        claims = (
            cur.sql(
                "SELECT sc.series_id, w.n FROM series_claims sc JOIN web_order w ON w.id = sc.claim_id "
                "JOIN claims c ON c.id = sc.claim_id LEFT JOIN documents d ON d.id = c.doc_id "
                "ORDER BY sc.series_id, c.time_start NULLS LAST, d.published, c.id"
            ).fetchnumpy()
            if "series_claims" in tables else {"series_id": np.empty(0, object), "n": np.empty(0, np.int32)}
        )
        numbers = np.asarray(claims["n"], dtype=np.int32)
        claim_bounds: dict[str, tuple[int, int]] = {}
        for i, key in enumerate(claims["series_id"].tolist()):
            start, _ = claim_bounds.get(key, (i, i))
            claim_bounds[key] = (start, i + 1)
        relations = Slices(
            cur.sql(
                "SELECT series_id, claim_a, claim_b, entry_a, entry_b, kind, reason FROM relations "
                "ORDER BY series_id, kind, entry_a, entry_b"
            ).to_arrow_table()
            if "relations" in tables else empty
        )
        derived = Slices(
            cur.sql("SELECT * FROM derived_values ORDER BY series_id, time_start, id").to_arrow_table()
            if "derived_values" in tables else empty
        )
        conflicted: set[str] = set()
        if "relations" in tables:
            for a, b in cur.execute(
                "SELECT entry_a, entry_b FROM relations WHERE kind IN ('conflict', 'contradiction')"
            ).fetchall():
                conflicted.update((a, b))
        infos = (
            cur.sql(
                "SELECT id, label, entity, actor, places, place_names, unit, claims, derived FROM series ORDER BY id"
            ).to_arrow_table().to_pylist()
            if "series" in tables else []
        )
        cols: dict[str, list[Any]] = {"id": [], "title": [], "head": [], "data": [], "start": [], "end": []}
        for info in infos:
            sid = info["id"]
            sampled = entries.sample(sid, MAX_CHART_POINTS)
            listed = relations.rows(sid, limit=MAX_RELATIONS)
            data = {
                "series": info,
                "entries": sampled,
                "entries_total": entries.count(sid),
                "relations": listed,
                "relations_total": relations.count(sid),
                "conflicts": [r for r in listed if r["kind"] in ("conflict", "contradiction")],
                "conflicted_entries": sorted(e["entry_id"] for e in sampled if e["entry_id"] in conflicted),
                "derived": derived.rows(sid),
            }
            # Through JSON first, so the head is rendered from exactly what the twin serves.
            text = json.dumps(data, ensure_ascii=False, default=str)
            start, end = claim_bounds.get(sid, (0, 0))
            cols["id"].append(sid)
            cols["title"].append(str(info.get("label") or info.get("key") or sid))
            cols["head"].append(render_head(json.loads(text)))
            cols["data"].append(text)
            cols["start"].append(start)
            cols["end"].append(end)
        table = pa.table({
            "id": pa.array(cols["id"], pa.string()),
            "title": pa.array(cols["title"], pa.string()),
            "head": pa.array(cols["head"], pa.large_string()),
            "data": pa.array(cols["data"], pa.large_string()),
            "start": pa.array(cols["start"], pa.int64()),
            "end": pa.array(cols["end"], pa.int64()),
        })
        return table, numbers


@dataclass(slots=True)
class ReadPaths:
    """Everything prepared ahead of requests; the page builders read through it."""

    search: SearchIndex
    claims: ClaimRows
    series: SeriesPages
    #: Where the model lives on disk.
    location: Path
    #: Whether this process built it (False: an existing model was opened).
    built: bool

    @classmethod
    def open(cls, ledger: Ledger, render_head: HeadRenderer) -> "ReadPaths":
        """The store's read model, built and written next to it first if it is missing or stale."""

        def build(side: Sidecar) -> None:
            cur = ledger.connection.cursor()
            try:
                arrays, meta = SearchIndex.build(cur)  # creates the temp table web_order
                side.save_arrays("search", arrays)
                side.save_json("search", meta)
                rows, columns = ClaimRows.build(cur)
                side.save_arrays("claims", rows)
                side.save_json("claims", columns)
                table, numbers = SeriesPages.build(cur, ledger.tables.names, render_head)
                side.save_table("series", table)
                claims = ClaimRows(rows, columns)
                side.save_arrays("series", {"numbers": numbers, **SeriesPages.render_rows(numbers, claims)})
                cur.execute("DROP TABLE web_order")
            finally:
                cur.close()

        side, built = open_sidecar(ledger.path, build)
        return cls(
            search=SearchIndex(side.arrays("search"), side.json("search")),
            claims=ClaimRows(side.arrays("claims"), side.json("claims")),
            series=SeriesPages(side.table("series"), side.arrays("series")),
            location=side.path,
            built=built,
        )
