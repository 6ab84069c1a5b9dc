"""An in-memory inverted index over the claims of one store, for ``/search``.

Why not SQL: ``sentence ILIKE '%word%'`` scans every sentence; at a million
claims that is ~100 ms of CPU per query, and the page must also count facets
over every match. With 50 clients on two cores that misses a 300 ms p95 by
far. The store is read-only while the app runs, so the app builds, once at
start-up, what a search needs:

* claims numbered ``0..n-1`` newest first (publication date, then id), so the
  first page of any match set is simply its smallest numbers;
* postings: for every word, the sorted numbers of the claims whose sentence or
  source name contains it (built by DuckDB in one vectorised query);
* one small integer code per claim and facet (source, publisher, entity,
  actor, kind), a (claim, location) pair list for the multi-valued location
  facet, and the reference-time interval as day numbers.

A query intersects the postings of its words (all must occur), filters by
facet codes and counts facets with ``numpy.bincount``: milliseconds, however
common the word.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt

__all__ = ["FACETS", "FACET_SAMPLE", "SearchHit", "SearchIndex", "parse_period", "tokenize"]

#: Facets with one value per claim, and the SQL expression giving it.
_SINGLE_FACETS: dict[str, str] = {
    "source": "coalesce(c.source_name, c.source_text)",
    "publisher": "d.publisher",
    "entity": "c.entity_lemma",
    "actor": "c.actor",
    "kind": "c.kind",
}
#: Above this many matches, facet counts are estimated from this many (evenly spaced).
FACET_SAMPLE = 50_000
#: Every facet, in display order.
FACETS: tuple[str, ...] = ("source", "publisher", "entity", "actor", "location", "time", "kind")

# Words are runs of letters and digits. DuckDB (RE2) splits with the Unicode
# classes below and Python with the equivalent ``[\W_]``, so a query is cut
# exactly like the text it is matched against.
_SQL_SPLIT = r"[^\pL\pN]+"
_PY_SPLIT = re.compile(r"[\W_]+")
_EPOCH = dt.date(1970, 1, 1)
_NO_DAY = np.iinfo(np.int32).min


def tokenize(text: str) -> list[str]:
    """The distinct words of ``text``, lower-cased, in order of appearance."""
    seen: dict[str, None] = {}
    for word in _PY_SPLIT.split(text.lower()):
        if word:
            seen.setdefault(word, None)
    return list(seen)


def parse_period(text: str) -> tuple[int, int]:
    """``"2017"``, ``"2017-07"`` or ``"2017-07-20"`` as inclusive day numbers.

    Raises ValueError for anything else, which the app turns into a 400.
    """
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"time must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year = int(parts[0])
    if len(parts) == 1:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif len(parts) == 2:
        month = int(parts[1])
        first = dt.date(year, month, 1)
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    else:
        first = last = dt.date(year, int(parts[1]), int(parts[2]))
    return (first - _EPOCH).days, (last - _EPOCH).days


@dataclass(slots=True)
class _Facet:
    """One single-valued facet: a code per claim and the value of each code."""

    codes: npt.NDArray[np.int32]
    values: list[str]
    lookup: dict[str, int]


@dataclass(slots=True)
class SearchHit:
    """The answer to one search: match count, one page of ids, facet counts."""

    total: int
    ids: list[str]
    #: The claims' numbers in the index (see :class:`~reportedly.web.readmodel.ClaimRows`).
    numbers: list[int] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: True when the facet counts were estimated from a sample of the matches.
    approximate: bool = False


class SearchIndex:
    """Word and facet index over every claim of a store; see the module doc."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Build from the store behind ``cur``.

        Leaves the temp table ``web_order`` (claim number ``n``, id, ...) in
        ``cur``'s connection, so that other read paths built with the same
        cursor share the numbering; the caller drops it.
        """
        self._all_facets: tuple[int, dict[str, list[tuple[str, int]]]] | None = None
        self._build(cur)

    def _build(self, cur: duckdb.DuckDBPyConnection) -> None:
        # Number the claims once, newest first; every other array is indexed
        # by this number. A temp table lives in this cursor's connection only.
        facet_cols = ", ".join(f"{expr} AS {name}" for name, expr in _SINGLE_FACETS.items())
        cur.execute(
            "CREATE TEMP TABLE web_order AS SELECT "
            "(row_number() OVER (ORDER BY d.published DESC NULLS LAST, c.id) - 1)::INTEGER AS n, "
            f"c.id, c.sentence, coalesce(c.source_name, c.source_text) AS source_name_text, c.locations, {facet_cols}, "
            "c.time_start, c.time_end FROM claims c LEFT JOIN documents d ON d.id = c.doc_id"
        )
        self.size = int(cur.execute("SELECT count(*) FROM web_order").fetchall()[0][0])
        ids = cur.execute("SELECT id FROM web_order ORDER BY n").fetchnumpy()["id"]
        self._ids: npt.NDArray[np.object_] = np.asarray(ids, dtype=object)

        postings = cur.sql(
            "SELECT term, list(DISTINCT n ORDER BY n) AS ns FROM ("
            f"  SELECT n, unnest(regexp_split_to_array(lower(sentence || ' ' || "
            f"  coalesce(source_name_text, '')), '{_SQL_SPLIT}')) AS term FROM web_order"
            ") WHERE term <> '' GROUP BY term"
        ).to_arrow_table()
        self._terms, self._flat, self._offsets = _csr(postings, "term", "ns")

        self._facets: dict[str, _Facet] = {}
        for name in _SINGLE_FACETS:
            self._facets[name] = self._facet(cur, name)
        # Every per-claim code in one row (facets, then the year), so that
        # counting facets gathers each matching claim once, not once per facet.
        self._codes = np.empty((self.size, len(self._facets) + 1), dtype=np.int32)
        for i, facet in enumerate(self._facets.values()):
            self._codes[:, i] = facet.codes

        pairs = cur.execute(
            "SELECT n, loc FROM (SELECT n, unnest(locations) AS loc FROM web_order) WHERE loc IS NOT NULL"
        ).fetchnumpy() if self.size else {"n": np.empty(0, np.int32), "loc": np.empty(0, object)}
        loc_values, loc_codes = np.unique(np.asarray(pairs["loc"], dtype=object), return_inverse=True)
        self._loc_rows = np.asarray(pairs["n"], dtype=np.int32)
        self._loc_codes = loc_codes.astype(np.int32)
        self._loc_values = [str(v) for v in loc_values]
        self._loc_lookup = {v: i for i, v in enumerate(self._loc_values)}

        days = cur.execute(
            "SELECT coalesce(date_diff('day', DATE '1970-01-01', TRY_CAST(time_start AS DATE)), "
            f"{_NO_DAY})::INTEGER AS s, coalesce(date_diff('day', DATE '1970-01-01', "
            f"TRY_CAST(coalesce(time_end, time_start) AS DATE)), {_NO_DAY})::INTEGER AS e "
            "FROM web_order ORDER BY n"
        ).fetchnumpy()
        self._day_start = np.asarray(days["s"], dtype=np.int32)
        self._day_end = np.asarray(days["e"], dtype=np.int32)
        has_day = self._day_start != _NO_DAY
        years = np.where(has_day, (self._day_start.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970), 0)
        # Years as facet codes (0 = no date) so they are counted with bincount too.
        self._year0 = int(years[has_day].min()) - 1 if has_day.any() else 0
        self._year_codes = np.where(has_day, years - self._year0, 0).astype(np.int32)
        self._codes[:, -1] = self._year_codes

    def _facet(self, cur: duckdb.DuckDBPyConnection, name: str) -> _Facet:
        # Code 0 is "no value" so that bincount needs no masking.
        rows = cur.execute(
            f"SELECT coalesce(v.code, 0)::INTEGER AS code FROM web_order w LEFT JOIN ("
            f"  SELECT {name} AS value, (row_number() OVER (ORDER BY {name})) AS code"
            f"  FROM (SELECT DISTINCT {name} FROM web_order WHERE {name} IS NOT NULL)"
            f") v ON v.value = w.{name} ORDER BY w.n"
        ).fetchnumpy()
        values = [r[0] for r in cur.execute(
            f"SELECT DISTINCT {name} FROM web_order WHERE {name} IS NOT NULL ORDER BY {name}"
        ).fetchall()]
        codes = np.asarray(rows["code"], dtype=np.int32)
        all_values = ["", *[str(v) for v in values]]
        return _Facet(codes=codes, values=all_values, lookup={v: i for i, v in enumerate(all_values) if i})

    # -- querying --------------------------------------------------------

    def postings(self, word: str) -> npt.NDArray[np.int32]:
        i = self._terms.get(word)
        if i is None:
            return np.empty(0, np.int32)
        return self._flat[self._offsets[i] : self._offsets[i + 1]]

    def search(
        self,
        words: list[str],
        filters: dict[str, str],
        offset: int = 0,
        limit: int = 50,
        facet_limit: int = 12,
    ) -> SearchHit:
        """Claims containing every word and matching every filter, newest first."""
        match = self._match_words(words)
        match = self._apply_filters(match, filters)
        page = match[offset : offset + limit]
        approximate = False
        if words or filters:
            counted = match
            if match.size > FACET_SAMPLE:
                # Facets of a huge match set are counted on an even sample and
                # scaled: the ranking holds, the cost stays flat (exact
                # counting of 800k matches costs ~35 ms of CPU per request).
                counted = match[np.linspace(0, match.size - 1, FACET_SAMPLE).astype(np.int64)]
                approximate = True
            facets = self._count_facets(counted, facet_limit)
            if approximate:
                scale = match.size / counted.size
                facets = {k: [(v, int(round(c * scale))) for v, c in vals] for k, vals in facets.items()}
        else:  # the unfiltered listing: counted once, it never changes
            if self._all_facets is None or self._all_facets[0] != facet_limit:
                self._all_facets = (facet_limit, self._count_facets(match, facet_limit))
            facets = self._all_facets[1]
        return SearchHit(
            total=int(match.size),
            ids=[str(x) for x in self._ids[page]],
            numbers=[int(n) for n in page],
            facets=facets,
            approximate=approximate,
        )

    def _match_words(self, words: list[str]) -> npt.NDArray[np.int32]:
        if not words:
            return np.arange(self.size, dtype=np.int32)
        lists = sorted((self.postings(w) for w in words), key=len)
        match = lists[0]
        if len(lists) > 1 and match.size:
            # Linear intersection: mark each other list in a bitmap and keep the
            # rarest word's claims marked by all (sorting-based intersect1d is
            # O(n log n) in the *common* words' lists).
            hits = np.zeros(self.size, dtype=np.uint8)
            for other in lists[1:]:
                hits[other] += 1
            match = match[hits[match] == len(lists) - 1]
        return match

    def _apply_filters(self, match: npt.NDArray[np.int32], filters: dict[str, str]) -> npt.NDArray[np.int32]:
        for name, value in filters.items():
            if not match.size:
                break
            if name in self._facets:
                facet = self._facets[name]
                code = facet.lookup.get(value)
                match = match[facet.codes[match] == code] if code is not None else match[:0]
            elif name == "location":
                code = self._loc_lookup.get(value)
                rows = self._loc_rows[self._loc_codes == code] if code is not None else self._loc_rows[:0]
                match = np.intersect1d(match, rows)
            elif name == "time":
                first, last = parse_period(value)
                start, end = self._day_start[match], self._day_end[match]
                match = match[(start != _NO_DAY) & (start <= last) & (end >= first)]
            else:
                raise ValueError(f"unknown facet {name!r}")
        return match

    def _count_facets(self, match: npt.NDArray[np.int32], limit: int) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        rows = self._codes[match]
        for i, (name, facet) in enumerate(self._facets.items()):
            out[name] = _top(np.bincount(rows[:, i], minlength=len(facet.values)), facet.values, limit)
        if self._loc_rows.size and match.size:
            mask = np.zeros(self.size, dtype=bool)
            mask[match] = True
            hits = self._loc_codes[mask[self._loc_rows]]
            out["location"] = _top(np.bincount(hits, minlength=len(self._loc_values)), self._loc_values, limit, skip_zero_code=False)
        else:
            out["location"] = []
        counts = np.bincount(rows[:, -1])
        out["time"] = [
            (str(self._year0 + code), int(counts[code])) for code in range(counts.size - 1, 0, -1) if counts[code]
        ][:limit]
        return {name: out[name] for name in FACETS}


def _top(counts: npt.NDArray[np.int64], values: list[str], limit: int, skip_zero_code: bool = True) -> list[tuple[str, int]]:
    if skip_zero_code and counts.size:
        counts = counts.copy()
        counts[0] = 0
    k = min(limit, int(np.count_nonzero(counts)))
    if k == 0:
        return []
    best = np.argpartition(-counts, k - 1)[:k]
    ranked = sorted(best, key=lambda i: (-counts[i], values[i]))
    return [(values[i], int(counts[i])) for i in ranked]


def _csr(table: object, key: str, lists: str) -> tuple[dict[str, int], npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Arrow (key, list<int>) rows as a key->row map plus flat values and offsets."""
    import pyarrow as pa

    assert isinstance(table, pa.Table)
    if table.num_rows == 0:
        return {}, np.empty(0, np.int32), np.zeros(1, np.int64)
    keys = table.column(key).to_pylist()
    col = table.column(lists).combine_chunks()
    flat = col.flatten().to_numpy().astype(np.int32)
    offsets = col.offsets.to_numpy().astype(np.int64)
    offsets -= offsets[0]  # flatten() starts at the array's first value
    return {k: i for i, k in enumerate(keys)}, flat, offsets
