"""Series, conflicts, derived values and repost groups, as the pages need them.

These tables are written by the linking step (``reportedly.link.relink``);
a store that was never linked has none of them, and every function here then
answers "nothing" rather than failing, so the rest of the app still works.
"""

from __future__ import annotations

from typing import Any

from reportedly.errors import NotFound
from reportedly.web.chart import ChartPoint
from reportedly.web.ledger import CLAIM_LIST_COLUMNS, Ledger

__all__ = [
    "biggest_series",
    "chart_points",
    "is_linked",
    "newest_conflicts",
    "repost_group",
    "series_detail",
    "series_of_claim",
    "series_page",
]

_DERIVED_TABLES = ("derived_values", "derived")
_REPOST_TABLES = ("repost_groups", "reposts")


def is_linked(ledger: Ledger) -> bool:
    return ledger.tables.has("series", "id") and ledger.tables.has("series_claims", "series_id", "claim_id")


def _first_table(ledger: Ledger, names: tuple[str, ...], *cols: str) -> str | None:
    return next((n for n in names if ledger.tables.has(n, *cols)), None)


def _conflict_claim_columns(ledger: Ledger) -> list[str]:
    return [c for c in ledger.tables.columns.get("conflicts", []) if c.startswith("claim")]


def biggest_series(ledger: Ledger, limit: int) -> list[dict[str, Any]]:
    return series_page(ledger, limit, 0)[1]


def series_page(ledger: Ledger, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    if not is_linked(ledger):
        return 0, []
    total = int(ledger.scalar("SELECT count(*) FROM series") or 0)
    rows = ledger.query(
        "SELECT s.*, coalesce(n.claims, 0) AS claims FROM series s LEFT JOIN "
        "(SELECT series_id, count(*) AS claims FROM series_claims GROUP BY series_id) n "
        "ON n.series_id = s.id ORDER BY claims DESC, s.id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return total, rows


def newest_conflicts(ledger: Ledger, limit: int) -> list[dict[str, Any]]:
    if not ledger.tables.has("conflicts"):
        return []
    cols = ledger.tables.columns["conflicts"]
    order = next((c for c in ("detected_at", "time_start", "published", "id") if c in cols), cols[0])
    return ledger.query(f'SELECT * FROM conflicts ORDER BY "{order}" DESC LIMIT ?', [limit])


def series_of_claim(ledger: Ledger, claim_id: str) -> list[dict[str, Any]]:
    if not is_linked(ledger):
        return []
    return ledger.query(
        "SELECT s.* FROM series s JOIN series_claims sc ON sc.series_id = s.id WHERE sc.claim_id = ?",
        [claim_id],
    )


def series_detail(ledger: Ledger, series_id: str) -> dict[str, Any]:
    if not is_linked(ledger):
        raise NotFound("series", series_id)
    found = ledger.query("SELECT * FROM series WHERE CAST(id AS VARCHAR) = ?", [series_id])
    if not found:
        raise NotFound("series", series_id)
    info = found[0]
    cols = ", ".join(f"c.{c}" for c in CLAIM_LIST_COLUMNS)
    claims = ledger.query(
        f"SELECT {cols}, d.publisher, d.published, d.title FROM series_claims sc "
        "JOIN claims c ON c.id = sc.claim_id JOIN documents d ON d.id = c.doc_id "
        "WHERE sc.series_id = ? ORDER BY c.time_start NULLS LAST, d.published, c.id",
        [info["id"]],
    )
    conflicts: list[dict[str, Any]] = []
    if ledger.tables.has("conflicts", "series_id"):
        conflicts = ledger.query("SELECT * FROM conflicts WHERE series_id = ?", [info["id"]])
    derived: list[dict[str, Any]] = []
    table = _first_table(ledger, _DERIVED_TABLES, "series_id")
    if table:
        derived = ledger.query(f"SELECT * FROM {table} WHERE series_id = ?", [info["id"]])
    return {"series": info, "claims": claims, "conflicts": conflicts, "derived": derived}


def chart_points(detail: dict[str, Any]) -> list[ChartPoint]:
    """The chart's points: every claim, then every derived value."""
    in_conflict: set[str] = set()
    for row in detail["conflicts"]:
        in_conflict.update(str(v) for k, v in row.items() if k.startswith("claim") and v)
    points = [
        ChartPoint(
            claim_id=c["id"],
            source=c.get("source_name") or c.get("source_text") or "unattributed",
            day_start=c.get("time_start") or (c.get("published") or "")[:10],
            day_end=c.get("time_end") or c.get("time_start") or (c.get("published") or "")[:10],
            value=c.get("value"),
            low=c.get("low"),
            high=c.get("high"),
            conflict=c["id"] in in_conflict,
        )
        for c in detail["claims"]
    ]
    for d in detail["derived"]:
        points.append(
            ChartPoint(
                claim_id=None,
                source="derived",
                day_start=d.get("time_start") or "",
                day_end=d.get("time_end") or d.get("time_start") or "",
                value=d.get("value"),
                low=d.get("low"),
                high=d.get("high"),
                derived=True,
                label=f"derived: {d.get('value')}",
            )
        )
    return points


def repost_group(ledger: Ledger, doc_id: str) -> list[dict[str, Any]]:
    """The other documents in ``doc_id``'s repost group (empty when it has none)."""
    table = _first_table(ledger, _REPOST_TABLES, "doc_id", "group_id")
    if table is None:
        return []
    return ledger.query(
        f"SELECT d.id, d.title, d.publisher, d.published, r.* EXCLUDE (doc_id, group_id) FROM {table} r "
        f"JOIN documents d ON d.id = r.doc_id WHERE r.group_id IN "
        f"(SELECT group_id FROM {table} WHERE doc_id = ?) AND r.doc_id <> ? ORDER BY d.published",
        [doc_id, doc_id],
    )
