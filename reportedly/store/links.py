"""The link tables: written by ``reportedly.link.relink``, read by the CLI and web app.

    series          id, label, entity, actor, places[], place_names[], unit, claims, derived
    series_claims   series_id, claim_id, role ("reported" | "copy"), entry_id
    series_entries  the timeline: every entry of a series, "previous" figures included
    derived_values  id, series_id, value, low, high, bound, label, parts[], doc_id, time..., source
    relations       id, series_id, claim_a, claim_b, entry_a, entry_b, kind, reason
    conflicts       view: relations of kind conflict or contradiction
    repost_groups   group_id, doc_id, is_original, original_doc_id, original_publisher, reason
    stories         story_id, doc_id
    link_meta       key, value (when linked, counts)

A relink replaces all of them in one transaction, so readers see either the
old links or the new ones. Rows go in as Arrow tables, not row by row, so a
million series entries write in seconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from reportedly.link.model import LinkResult

__all__ = ["LINK_TABLES", "read_relations", "read_series", "read_timeline", "write_links", "linked"]

_SCHEMA: dict[str, str] = {
    "series": "id VARCHAR PRIMARY KEY, label VARCHAR, entity VARCHAR, actor VARCHAR, places VARCHAR[], "
    "place_names VARCHAR[], unit VARCHAR, claims INTEGER, derived INTEGER",
    "series_claims": "series_id VARCHAR, claim_id VARCHAR, role VARCHAR, entry_id VARCHAR",
    "series_entries": "series_id VARCHAR, entry_id VARCHAR, claim_id VARCHAR, doc_id VARCHAR, role VARCHAR, "
    "text VARCHAR, low DOUBLE, high DOUBLE, bound VARCHAR, vague BOOLEAN, time_start VARCHAR, time_end VARCHAR, "
    "time_text VARCHAR, source VARCHAR, publisher VARCHAR, repost_group VARCHAR, copies INTEGER, evidence VARCHAR",
    "derived_values": "id VARCHAR, series_id VARCHAR, value DOUBLE, low DOUBLE, high DOUBLE, bound VARCHAR, "
    "label VARCHAR, parts VARCHAR[], doc_id VARCHAR, time_start VARCHAR, time_end VARCHAR, time_text VARCHAR, "
    "source VARCHAR, publisher VARCHAR",
    "relations": "id VARCHAR, series_id VARCHAR, claim_a VARCHAR, claim_b VARCHAR, entry_a VARCHAR, "
    "entry_b VARCHAR, kind VARCHAR, reason VARCHAR, detected_at TIMESTAMP",
    "repost_groups": "group_id VARCHAR, doc_id VARCHAR, is_original BOOLEAN, original_doc_id VARCHAR, "
    "original_publisher VARCHAR, reason VARCHAR",
    "stories": "story_id VARCHAR, doc_id VARCHAR",
    "link_meta": "key VARCHAR, value VARCHAR",
}
LINK_TABLES: tuple[str, ...] = tuple(_SCHEMA)


def _arrow(rows: list[dict[str, Any]], table: str, conn: duckdb.DuckDBPyConnection) -> None:
    if not rows:
        return
    name = f"_link_{table}"
    conn.register(name, pa.Table.from_pylist(rows))
    try:
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
    finally:
        conn.unregister(name)


def _claim_of(entry_id: str) -> str:
    return entry_id.split("~", 1)[0]


def write_links(conn: duckdb.DuckDBPyConnection, result: LinkResult) -> None:
    """Replace every link table with ``result``, all or nothing."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    derived_by_series: dict[str, int] = {}
    for d in result.derived:
        derived_by_series[d.series_id] = derived_by_series.get(d.series_id, 0) + 1
    series_rows, claim_rows, entry_rows = [], [], []
    for s in result.series:
        places = sorted(s.key.places)
        series_rows.append(
            {
                "id": s.id, "label": s.label, "entity": s.key.entity, "actor": s.key.actor,
                "places": places, "place_names": list(s.place_names), "unit": s.key.unit,
                "claims": sum(1 + len(e.copies) for e in s.entries if e.role == "reported"),
                "derived": derived_by_series.get(s.id, 0),
            }
        )
        for e in s.entries:
            if e.role == "reported":
                claim_rows.append({"series_id": s.id, "claim_id": e.claim_id, "role": "reported", "entry_id": e.id})
                claim_rows.extend({"series_id": s.id, "claim_id": c, "role": "copy", "entry_id": e.id} for c in e.copies)
            entry_rows.append(
                {
                    "series_id": s.id, "entry_id": e.id, "claim_id": e.claim_id, "doc_id": e.doc_id, "role": e.role,
                    "text": e.text, "low": e.low, "high": e.high, "bound": e.bound, "vague": e.vague,
                    "time_start": e.time_start, "time_end": e.time_end, "time_text": e.time_text,
                    "source": e.source, "publisher": e.publisher, "repost_group": e.group,
                    "copies": len(e.copies), "evidence": e.evidence,
                }
            )
    derived_rows = [
        {
            "id": d.id, "series_id": d.series_id, "value": d.value, "low": d.value, "high": d.value,
            "bound": d.bound, "label": d.label, "parts": d.parts, "doc_id": d.doc_id,
            "time_start": d.time_start, "time_end": d.time_end, "time_text": d.time_text,
            "source": d.source, "publisher": d.publisher,
        }
        for d in result.derived
    ]
    relation_rows = [
        {
            "id": f"{r.kind[:3]}:{r.a}:{r.b}", "series_id": r.series_id, "claim_a": _claim_of(r.a),
            "claim_b": _claim_of(r.b), "entry_a": r.a, "entry_b": r.b, "kind": r.kind, "reason": r.reason,
            "detected_at": now,
        }
        for r in result.relations
    ]
    repost_rows = [
        {
            "group_id": g.id, "doc_id": m, "is_original": m == g.original, "original_doc_id": g.original,
            "original_publisher": g.original_publisher, "reason": "; ".join(g.reasons),
        }
        for g in result.reposts
        for m in g.members
    ]
    story_rows = [{"story_id": t, "doc_id": d} for d, t in sorted(result.stories.items())]
    summary = result.summary()
    meta_rows = [
        {"key": "linked_at", "value": now.isoformat()},
        {"key": "summary", "value": json.dumps({k: getattr(summary, k) for k in summary.__slots__})},  # type: ignore[attr-defined]
    ]
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("DROP VIEW IF EXISTS conflicts")
        for table, cols in _SCHEMA.items():
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"CREATE TABLE {table} ({cols})")
        conn.execute("CREATE VIEW conflicts AS SELECT * FROM relations WHERE kind IN ('conflict', 'contradiction')")
        for table, rows in (
            ("series", series_rows), ("series_claims", claim_rows), ("series_entries", entry_rows),
            ("derived_values", derived_rows), ("relations", relation_rows), ("repost_groups", repost_rows),
            ("stories", story_rows), ("link_meta", meta_rows),
        ):
            _arrow(rows, table, conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def linked(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when the store holds link tables (a relink has run)."""
    row = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('series', 'relations')"
    ).fetchone()
    return bool(row) and row[0] == 2


def _dicts(conn: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, list(params))
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def read_series(conn: duckdb.DuckDBPyConnection, about: str | None = None) -> list[dict[str, Any]]:
    """Every series (optionally those whose label mentions ``about``), with claim ids and derived values."""
    if not linked(conn):
        return []
    where, params = "", []
    if about:
        where, params = "WHERE contains(lower(s.label), ?)", [about.lower()]
    rows = _dicts(
        conn,
        "SELECT s.id, s.label, s.entity, s.actor, s.place_names AS places, s.unit, "
        "coalesce((SELECT list(c.claim_id ORDER BY c.claim_id) FROM series_claims c WHERE c.series_id = s.id), []) AS claims "
        f"FROM series s {where} ORDER BY s.claims DESC, s.id",
        params,
    )
    derived: dict[str, list[dict[str, Any]]] = {}
    for d in _dicts(conn, "SELECT series_id, id, value, bound, label, parts, time_start, time_end FROM derived_values ORDER BY id"):
        derived.setdefault(d.pop("series_id"), []).append(d)
    for r in rows:
        r["derived"] = derived.get(r["id"], [])
    return rows


def read_relations(conn: duckdb.DuckDBPyConnection, kinds: Sequence[str] = ("conflict", "contradiction")) -> list[dict[str, Any]]:
    """Relations of the given kinds, as ``{a, b, kind, reason, series_id}``."""
    if not linked(conn):
        return []
    return _dicts(
        conn,
        "SELECT r.claim_a AS a, r.claim_b AS b, r.kind, r.reason, r.series_id, s.label AS series "
        "FROM relations r LEFT JOIN series s ON s.id = r.series_id "
        "WHERE list_contains(?, r.kind) ORDER BY r.kind, s.label, r.claim_a, r.claim_b",
        [list(kinds)],
    )


def read_timeline(conn: duckdb.DuckDBPyConnection, series_id: str) -> dict[str, Any]:
    """One series with its entries in time order, its derived values and its relations.

    ``series_id`` may also be a unique prefix of an id or a label fragment.
    """
    from reportedly.errors import NotFound

    if not linked(conn):
        raise NotFound("series", series_id)
    found = _dicts(conn, "SELECT * FROM series WHERE id = ?", [series_id]) or _dicts(
        conn, "SELECT * FROM series WHERE starts_with(id, ?) OR contains(lower(label), ?) ORDER BY claims DESC", [series_id, series_id.lower()]
    )
    if not found:
        raise NotFound("series", series_id)
    s = found[0]
    entries = _dicts(
        conn,
        "SELECT * EXCLUDE (series_id) FROM series_entries WHERE series_id = ? "
        "ORDER BY coalesce(time_start, time_end) NULLS LAST, entry_id",
        [s["id"]],
    )
    derived = _dicts(conn, "SELECT * EXCLUDE (series_id) FROM derived_values WHERE series_id = ? ORDER BY time_start", [s["id"]])
    relations = _dicts(
        conn, "SELECT entry_a, entry_b, kind, reason FROM relations WHERE series_id = ? ORDER BY kind, entry_a", [s["id"]]
    )
    return {"series": s, "entries": entries, "derived": derived, "relations": relations}

