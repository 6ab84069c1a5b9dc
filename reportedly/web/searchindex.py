"""An inverted index over the claims of one store, for ``/search``.

Why not SQL: ``sentence ILIKE '%word%'`` scans every sentence; at a million
claims that is ~100 ms of CPU per query, and the page must also count facets
over every match. With 50 clients on two cores that misses a 300 ms p95 by
far. The store is read-only while the app runs, so what a search needs is
built once (:meth:`SearchIndex.build`, persisted by
:mod:`reportedly.web.sidecar`) and memory-mapped by every server process:

* claims numbered ``0..n-1`` newest first (publication date, then id), so the
  first page of any match set is simply its smallest numbers;
* postings: for every word, the sorted numbers of the claims whose sentence or
  source name contains it (built by DuckDB in one vectorised query); words in
  more than 1/32 of the claims also get a bitset, so testing a candidate
  against them is one bit, and their exact facet counts, so a one-word search
  for a common word counts nothing;
* per claim, small integer codes for source, publisher, entity, actor, kind,
  year and up to :data:`LOCATION_COLUMNS` locations, every facet in its own
  range of one shared code space (one row per claim), so that counting all
  facets of a match set is one gather and one ``numpy.bincount``;
  locations beyond those columns (rare) are kept as (claim, code) pairs;
* facet postings: for every code, the sorted claims that have it, so a
  filter such as ``source=`` can be the short list a search starts from;
* the reference-time interval as day numbers, and per year the claims whose
  interval overlaps it.

A query starts from the shortest list among its words and filter values and
keeps the candidates meeting every other condition, so its cost follows the
rarest condition, not the commonest word; facets of more than
:data:`FACET_SAMPLE` matches are counted on an even sample and scaled (shown
as estimates).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

__all__ = [
    "BITSET_MIN_POSTINGS",
    "BITSET_SHARE",
    "FACETS",
    "FACET_SAMPLE",
    "LOCATION_COLUMNS",
    "SearchHit",
    "SearchIndex",
    "parse_period",
    "tokenize",
]

#: Facets with one value per claim, and the SQL expression giving it.
_SINGLE_FACETS: dict[str, str] = {
    "source": "coalesce(c.source_name, c.source_text)",
    "publisher": "d.publisher",
    "entity": "c.entity_lemma",
    "actor": "c.actor",
    "kind": "c.kind",
}
#: Above this many matches, facet counts are estimated from this many (evenly
#: spaced; 95% of estimates within 0.7% of the match count of the true one).
FACET_SAMPLE = 20_000
#: Every facet, in display order.
FACETS: tuple[str, ...] = ("source", "publisher", "entity", "actor", "location", "time", "kind")
#: At most this many locations per claim are kept in the code rows; further ones are overflow pairs.
LOCATION_COLUMNS = 4
#: A word in more than this share of the claims (and at least BITSET_MIN_POSTINGS) gets a bitset.
BITSET_SHARE = 1 / 32
BITSET_MIN_POSTINGS = 64

# Words are runs of letters and digits. DuckDB (RE2) splits with the Unicode
# classes below and Python with the equivalent ``[\W_]``, so a query is cut
# exactly like the text it is matched against.
_SQL_SPLIT = r"[^\pL\pN]+"
_PY_SPLIT = re.compile(r"[\W_]+")
_EPOCH = dt.date(1970, 1, 1)
_NO_DAY = np.iinfo(np.int32).min

Arrays = Mapping[str, npt.NDArray[Any]]


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
class SearchHit:
    """The answer to one search: match count, one page of claim numbers, facet counts."""

    total: int
    #: The claims' numbers in the index (see :class:`~reportedly.web.readmodel.ClaimRows`).
    numbers: list[int]
    facets: dict[str, list[tuple[str, int]]]
    #: True when the facet counts were estimated from a sample of the matches.
    approximate: bool = False


@dataclass(slots=True)
class _Facet:
    """One facet's slice of the shared code space: code ``base + i`` is ``values[i]``."""

    base: int
    values: list[str]
    lookup: dict[str, int]


class SearchIndex:
    """Word and facet index over every claim of a store; see the module doc.

    Built with :meth:`build` (arrays plus a JSON-able ``meta``), then opened
    from those, typically memory-mapped from disk.
    """

    def __init__(self, arrays: Arrays, meta: Mapping[str, Any]) -> None:
        self.size = int(meta["size"])
        self._terms: dict[str, int] = {t: i for i, t in enumerate(meta["terms"])}
        self._flat = arrays["flat"]
        self._offsets = arrays["offsets"]
        self._bits = arrays["bits"]
        self._bit_row: dict[int, int] = {int(t): i for i, t in enumerate(arrays["bit_terms"])}
        self._term_counts = arrays["term_counts"]
        # One row of codes per claim (a claim's codes share a cache line), see build().
        self._codes = arrays["codes"]
        self._facet_rows = arrays["facet_rows"]
        self._facet_offsets = arrays["facet_offsets"]
        self._over_rows = arrays["over_rows"]
        self._over_codes = arrays["over_codes"]
        self._day_start = arrays["day_start"]
        self._day_end = arrays["day_end"]
        self._year_rows = arrays["year_rows"]
        self._year_offsets = arrays["year_offsets"]
        self._first_year = int(meta["first_year"])
        self._columns: dict[str, int] = dict(meta["columns"])
        self._facets: dict[str, _Facet] = {}
        for name, (base, values) in meta["facets"].items():
            self._facets[name] = _Facet(base, list(values), {v: i for i, v in enumerate(values) if i})
        self._n_codes = int(meta["n_codes"])
        self._all_facets: tuple[int, dict[str, list[tuple[str, int]]]] | None = None

    # -- building ----------------------------------------------------------

    @staticmethod
    def build(cur: duckdb.DuckDBPyConnection) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Any]]:
        """The index of the store behind ``cur``, as arrays plus meta.

        Leaves the temp table ``web_order`` (claim number ``n``, id, ...) in
        ``cur``'s connection, so that other read paths built with the same
        cursor share the numbering; the caller drops it.
        """
        # Number the claims once, newest first; every other array is indexed
        # by this number. A temp table lives in this cursor's connection only.
        facet_cols = ", ".join(f"{expr} AS {name}" for name, expr in _SINGLE_FACETS.items())
        cur.execute(
            "CREATE TEMP TABLE web_order AS SELECT "
            "(row_number() OVER (ORDER BY d.published DESC NULLS LAST, c.id) - 1)::INTEGER AS n, "
            f"c.id, c.sentence, coalesce(c.source_name, c.source_text) AS source_name_text, c.locations, {facet_cols}, "
            "c.time_start, c.time_end FROM claims c LEFT JOIN documents d ON d.id = c.doc_id"
        )
        size = int(cur.execute("SELECT count(*) FROM web_order").fetchall()[0][0])
        arrays: dict[str, npt.NDArray[Any]] = {}

        postings = cur.sql(
            "SELECT term, list(DISTINCT n ORDER BY n) AS ns FROM ("
            f"  SELECT n, unnest(regexp_split_to_array(lower(sentence || ' ' || "
            f"  coalesce(source_name_text, '')), '{_SQL_SPLIT}')) AS term FROM web_order"
            ") WHERE term <> '' GROUP BY term ORDER BY term"
        ).to_arrow_table()
        terms, arrays["flat"], arrays["offsets"] = _csr(postings, "term", "ns")

        # The shared code space: each facet owns [base, base + len(values)),
        # its code ``base`` meaning "no value" (never shown).
        facets: dict[str, tuple[int, list[str]]] = {}
        columns: dict[str, int] = {}
        code_columns: list[npt.NDArray[np.int64]] = []
        base = 0
        for name in _SINGLE_FACETS:
            codes, values = _facet_codes(cur, name)
            facets[name] = (base, values)
            columns[name] = len(code_columns)
            code_columns.append(codes.astype(np.int64) + base)
            base += len(values)

        days = cur.execute(
            "SELECT coalesce(date_diff('day', DATE '1970-01-01', TRY_CAST(time_start AS DATE)), "
            f"{_NO_DAY})::INTEGER AS s, coalesce(date_diff('day', DATE '1970-01-01', "
            f"TRY_CAST(coalesce(time_end, time_start) AS DATE)), {_NO_DAY})::INTEGER AS e "
            "FROM web_order ORDER BY n"
        ).fetchnumpy()
        arrays["day_start"] = np.asarray(days["s"], dtype=np.int32)
        arrays["day_end"] = np.asarray(days["e"], dtype=np.int32)
        has_day = arrays["day_start"] != _NO_DAY
        years = np.where(
            has_day, arrays["day_start"].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970, 0
        )
        year0 = int(years[has_day].min()) - 1 if has_day.any() else 0
        year_codes = np.where(has_day, years - year0, 0)
        n_years = int(year_codes.max()) + 1 if size else 1
        # Per year, the claims whose reference time overlaps it: a period asked
        # for lies within one year, so that year's list holds every claim that
        # can match, and can be the short list a search starts from.
        ends = np.where(
            has_day & (arrays["day_end"] != _NO_DAY),
            arrays["day_end"].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970,
            0,
        )
        spans = np.where(has_day, np.maximum(ends - years + 1, 0), 0)
        first_year = int(years[has_day].min()) if has_day.any() else 0
        last_year = int((years + spans - 1)[spans > 0].max()) if (spans > 0).any() else first_year - 1
        owners = np.repeat(np.arange(size, dtype=np.int64), spans)
        within = np.arange(owners.size, dtype=np.int64) - np.repeat(np.cumsum(spans) - spans, spans)
        overlap_years = np.repeat(years, spans) + within - first_year
        order = np.lexsort((owners, overlap_years))
        arrays["year_rows"] = owners[order].astype(np.int32)
        arrays["year_offsets"] = np.searchsorted(
            overlap_years[order], np.arange(last_year - first_year + 2)
        ).astype(np.int64)

        # Year values are only labels here; the time facet lists years newest first, not by count.
        facets["time"] = (base, [str(year0 + i) if i else "" for i in range(n_years)])
        columns["time"] = len(code_columns)
        code_columns.append(year_codes + base)
        base += n_years

        # Two unnests in one SELECT run in step: each location with its position.
        pairs = cur.execute(
            "SELECT n, loc, (row_number() OVER (PARTITION BY n ORDER BY i) - 1)::INTEGER AS slot FROM ("
            "  SELECT n, unnest(locations) AS loc, unnest(range(len(locations))) AS i FROM web_order"
            ") WHERE loc IS NOT NULL ORDER BY n, slot"
        ).fetchnumpy()
        loc_values, loc_index = np.unique(np.asarray(pairs["loc"], dtype=object), return_inverse=True)
        loc_codes = loc_index.astype(np.int64) + 1 + base  # +1: code ``base`` is "no location"
        loc_rows = np.asarray(pairs["n"], dtype=np.int64)
        slots = np.asarray(pairs["slot"], dtype=np.int64)
        facets["location"] = (base, ["", *[str(v) for v in loc_values]])
        # As many location columns as needed for all but 1/256 of the claims
        # (at most LOCATION_COLUMNS): the rest are (claim, code) pairs.
        per_claim = np.bincount(slots, minlength=1) if slots.size else np.zeros(1, np.int64)
        kept = 1
        while kept < LOCATION_COLUMNS and per_claim[kept:].sum() > size / 256:
            kept += 1
        for slot in range(kept):
            col = np.full(size, base, dtype=np.int64)
            pick = slots == slot
            col[loc_rows[pick]] = loc_codes[pick]
            code_columns.append(col)
        over = slots >= kept
        base += len(loc_values) + 1
        code_type = np.uint16 if base <= np.iinfo(np.uint16).max else np.int32
        arrays["over_rows"] = loc_rows[over].astype(np.int32)
        arrays["over_codes"] = loc_codes[over].astype(code_type)
        arrays["codes"] = np.ascontiguousarray(np.stack(code_columns, axis=1).astype(code_type))

        # Facet postings: for every code, the sorted claims that have it, so a
        # filter can be the short list a search starts from.
        all_rows = np.concatenate([np.tile(np.arange(size, dtype=np.int64), len(code_columns)), loc_rows[over]])
        all_codes = np.concatenate([*code_columns, loc_codes[over]])
        keys = np.unique(all_codes * max(1, size) + all_rows)  # (code, row), sorted, each once
        arrays["facet_rows"] = (keys % max(1, size)).astype(np.int32)
        arrays["facet_offsets"] = np.searchsorted(keys // max(1, size), np.arange(base + 1)).astype(np.int64)

        # Common words: a bitset each (membership in O(1)) and their exact
        # facet counts, so a one-word search for them counts nothing.
        lengths = np.diff(arrays["offsets"])
        bit_terms = np.flatnonzero((lengths > size * BITSET_SHARE) & (lengths >= BITSET_MIN_POSTINGS)).astype(np.int32)
        bits = np.zeros((bit_terms.size, (size + 7) // 8), dtype=np.uint8)
        term_counts = np.zeros((bit_terms.size, base), dtype=np.int64)
        for row, term in enumerate(bit_terms):
            members = arrays["flat"][arrays["offsets"][term] : arrays["offsets"][term + 1]]
            marks = np.zeros(size, dtype=bool)
            marks[members] = True
            bits[row] = np.packbits(marks, bitorder="little")
            term_counts[row] = _count_codes(arrays["codes"], arrays["over_rows"], arrays["over_codes"], members, base)
        arrays["bits"], arrays["bit_terms"], arrays["term_counts"] = bits, bit_terms, term_counts

        meta = {
            "size": size,
            "terms": terms,
            "facets": facets,
            "columns": columns,
            "n_codes": base,
            "first_year": first_year,
        }
        return arrays, meta

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
        match = self._match(words, filters)
        page = match[offset : offset + limit]
        approximate = False
        counts: npt.NDArray[np.int64] | None = None
        if len(words) == 1 and not filters:
            row = self._bit_row.get(self._terms.get(words[0], -1))
            if row is not None:
                counts = self._term_counts[row]
        if counts is not None or words or filters:
            if counts is None:
                counted = match
                if match.size > FACET_SAMPLE:
                    # Facets of a huge match set are counted on an even sample and
                    # scaled: the ranking holds, the cost stays flat.
                    counted = match[np.linspace(0, match.size - 1, FACET_SAMPLE).astype(np.int64)]
                    approximate = True
                counts = self._count(counted)
                if approximate:
                    counts = np.rint(counts * (match.size / counted.size)).astype(np.int64)
            facets = self._facet_lists(counts, facet_limit)
        else:  # the unfiltered listing: counted once, it never changes
            if self._all_facets is None or self._all_facets[0] != facet_limit:
                self._all_facets = (facet_limit, self._facet_lists(self._count(match), facet_limit))
            facets = self._all_facets[1]
        return SearchHit(total=int(match.size), numbers=page.tolist(), facets=facets, approximate=approximate)

    def _match(self, words: list[str], filters: dict[str, str]) -> npt.NDArray[np.int32]:
        """Claims with every word and every filter's value.

        Every word, facet value and year has a sorted list of its claims; the
        shortest list is the candidate set, and each other condition keeps the
        candidates that meet it, in order of selectivity, at a cost per
        candidate (a bit, a code, a binary search), never per claim of a long
        list. A period is checked exactly last, on what is left.
        """
        conditions: list[tuple[int, str, int]] = []  # (list length, kind, term or code)
        for word in words:
            term = self._terms.get(word)
            if term is None:
                return np.empty(0, np.int32)
            conditions.append((int(self._offsets[term + 1] - self._offsets[term]), "word", term))
        period: tuple[int, int] | None = None
        for name, value in filters.items():
            if name == "time":
                period = parse_period(value)
                year = int(value[:4]) - self._first_year
                if not 0 <= year < self._year_offsets.size - 1:
                    return np.empty(0, np.int32)
                conditions.append((int(self._year_offsets[year + 1] - self._year_offsets[year]), name, year))
                continue
            facet = self._facets.get(name)
            if facet is None:
                raise ValueError(f"unknown facet {name!r}")
            code = facet.lookup.get(value)
            if code is None:
                return np.empty(0, np.int32)
            code += facet.base
            conditions.append((int(self._facet_offsets[code + 1] - self._facet_offsets[code]), name, code))
        conditions.sort()
        if conditions:
            match = self._list(conditions[0][1], conditions[0][2])
        else:
            match = np.arange(self.size, dtype=np.int32)
        for _, kind, key in conditions[1:]:
            if not match.size:
                break
            if kind == "time":  # checked exactly below, on what is left
                continue
            if kind == "word" and key in self._bit_row:
                bits = self._bits[self._bit_row[key]]
                marked = (bits[match >> 3] >> (match & 7).astype(np.uint8)) & 1
                match = match[marked.astype(bool)]
            elif kind in self._columns and kind != "time":
                match = match[self._codes[match, self._columns[kind]] == key]
            else:  # a rare word or a location: binary-search its sorted list
                other = self._list(kind, key)
                at = np.searchsorted(other, match)
                at[at == other.size] = 0
                match = match[other[at] == match]
        if period is not None and match.size:
            first, last = period
            start, end = self._day_start[match], self._day_end[match]
            match = match[(start != _NO_DAY) & (start <= last) & (end >= first)]
        return match

    def _list(self, kind: str, key: int) -> npt.NDArray[np.int32]:
        if kind == "word":
            return self._flat[self._offsets[key] : self._offsets[key + 1]]
        if kind == "time":
            return self._year_rows[self._year_offsets[key] : self._year_offsets[key + 1]]
        return self._facet_rows[self._facet_offsets[key] : self._facet_offsets[key + 1]]

    def _count(self, match: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
        return _count_codes(self._codes, self._over_rows, self._over_codes, match, self._n_codes)

    def _facet_lists(self, counts: npt.NDArray[np.int64], limit: int) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        for name in FACETS:
            facet = self._facets[name]
            own = counts[facet.base : facet.base + len(facet.values)]
            if name == "time":  # newest year first
                out[name] = [(facet.values[i], int(own[i])) for i in range(own.size - 1, 0, -1) if own[i]][:limit]
            else:
                out[name] = _top(own, facet.values, limit)
        return out


def _count_codes(
    codes: npt.NDArray[Any],
    over_rows: npt.NDArray[np.int32],
    over_codes: npt.NDArray[Any],
    match: npt.NDArray[Any],
    n_codes: int,
) -> npt.NDArray[np.int64]:
    """How many of the ``match`` claims have each code (every facet at once)."""
    if not match.size:
        return np.zeros(n_codes, dtype=np.int64)
    # take() by row: one cache line per claim, where a gather per column
    # would miss the cache once per claim and column.
    counts = np.bincount(np.take(codes, match, axis=0).ravel(), minlength=n_codes)
    if over_rows.size:
        # Both sorted: each overflow pair is looked up in the match set.
        at = np.searchsorted(match, over_rows)
        at[at == match.size] = 0
        counts += np.bincount(over_codes[match[at] == over_rows], minlength=n_codes)
    return counts


def _top(counts: npt.NDArray[np.int64], values: list[str], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` values with the highest counts (code 0, "no value", never listed)."""
    if counts.size < 2:
        return []
    counts = counts[1:]
    k = min(limit, int(np.count_nonzero(counts)))
    if k == 0:
        return []
    best = np.argpartition(-counts, k - 1)[:k] if k < counts.size else np.arange(counts.size)
    ranked = sorted((int(i) for i in best if counts[i]), key=lambda i: (-counts[i], values[i + 1]))
    return [(values[i + 1], int(counts[i])) for i in ranked]


def _facet_codes(cur: duckdb.DuckDBPyConnection, name: str) -> tuple[npt.NDArray[np.int32], list[str]]:
    """Per-claim codes of one single-valued facet (0 = no value) and the value of each code."""
    values = [str(r[0]) for r in cur.execute(
        f"SELECT DISTINCT {name} FROM web_order WHERE {name} IS NOT NULL ORDER BY {name}"
    ).fetchall()]
    rows = cur.execute(
        f"SELECT coalesce(v.code, 0)::INTEGER AS code FROM web_order w LEFT JOIN ("
        f"  SELECT {name} AS value, (row_number() OVER (ORDER BY {name})) AS code"
        f"  FROM (SELECT DISTINCT {name} FROM web_order WHERE {name} IS NOT NULL)"
        f") v ON v.value = w.{name} ORDER BY w.n"
    ).fetchnumpy()
    return np.asarray(rows["code"], dtype=np.int32), ["", *values]


def _csr(table: object, key: str, lists: str) -> tuple[list[str], npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Arrow (key, list<int>) rows as the keys plus flat values and offsets."""
    import pyarrow as pa

    assert isinstance(table, pa.Table)
    if table.num_rows == 0:
        return [], np.empty(0, np.int32), np.zeros(1, np.int64)
    keys = [str(k) for k in table.column(key).to_pylist()]
    col = table.column(lists).combine_chunks()
    flat = col.flatten().to_numpy().astype(np.int32)
    offsets = col.offsets.to_numpy().astype(np.int64)
    offsets -= offsets[0]  # flatten() starts at the array's first value
    return keys, flat, offsets
