"""Series, conflicts, derived values and repost groups, as the pages need them.

The tables are written by the linking step (``reportedly.link.relink``, see
:mod:`reportedly.store.links`): ``series``, ``series_claims``,
``series_entries`` (the timeline, earlier "down from" figures included),
``derived_values``, ``relations`` with its ``conflicts`` view, and
``repost_groups``. A store that was never linked has none of them; every
function here then answers "nothing" instead of failing, so the rest of the
app still works.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Template

from reportedly.web.chart import ChartPoint, layout, render_svg
from reportedly.web.ledger import Ledger

__all__ = [
    "CLAIMS_PER_PAGE",
    "MAX_CHART_POINTS",
    "MAX_RELATIONS",
    "biggest_series",
    "chart_points",
    "is_linked",
    "newest_conflicts",
    "repost_group",
    "series_of_claim",
    "series_head",
    "series_page",
]

#: A chart with more entries than this shows an evenly spaced sample (and says so).
MAX_CHART_POINTS = 200
#: Relations (conflicts, updates...) listed on a series page.
MAX_RELATIONS = 100
#: Claims listed under a series chart per page.
CLAIMS_PER_PAGE = 50


def is_linked(ledger: Ledger) -> bool:
    return ledger.tables.has("series", "id", "claims") and ledger.tables.has("series_entries", "series_id")


def biggest_series(ledger: Ledger, limit: int) -> list[dict[str, Any]]:
    return series_page(ledger, limit, 0)[1]


def series_page(ledger: Ledger, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    if not is_linked(ledger):
        return 0, []
    total = int(ledger.scalar("SELECT count(*) FROM series") or 0)
    rows = ledger.query(
        "SELECT id, label, entity, actor, place_names, unit, claims, derived FROM series "
        "ORDER BY claims DESC, id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return total, rows


def newest_conflicts(ledger: Ledger, limit: int) -> list[dict[str, Any]]:
    """Conflicts whose later claim was published most recently."""
    if not ledger.tables.has("conflicts"):
        return []
    return ledger.query(
        "SELECT k.series_id, s.label AS series, k.kind, k.reason, k.claim_a, k.claim_b, "
        "ca.sentence AS sentence_a, cb.sentence AS sentence_b, "
        "greatest(da.published, db.published) AS published "
        "FROM conflicts k LEFT JOIN series s ON s.id = k.series_id "
        "JOIN claims ca ON ca.id = k.claim_a JOIN claims cb ON cb.id = k.claim_b "
        "JOIN documents da ON da.id = ca.doc_id JOIN documents db ON db.id = cb.doc_id "
        "ORDER BY published DESC NULLS LAST, k.id LIMIT ?",
        [limit],
    )


def series_of_claim(ledger: Ledger, claim_id: str) -> list[dict[str, Any]]:
    if not is_linked(ledger) or not ledger.tables.has("series_claims"):
        return []
    return ledger.query(
        "SELECT s.id, s.label, sc.role FROM series s JOIN series_claims sc ON sc.series_id = s.id "
        "WHERE sc.claim_id = ?",
        [claim_id],
    )


def chart_points(detail: dict[str, Any]) -> list[ChartPoint]:
    """The chart's points: series entries (reported and earlier figures), then derived values.

    ``detail`` is a series page's static data (see
    :class:`~reportedly.web.readmodel.SeriesPages`).
    """
    in_conflict = set(detail["conflicted_entries"])
    points = []
    for e in detail["entries"]:
        previous = e.get("role") == "previous"
        source = e.get("source") or e.get("publisher") or "unattributed"
        low, high = e.get("low"), e.get("high")
        points.append(
            ChartPoint(
                claim_id=e.get("claim_id"),
                source=source,
                day_start=e.get("time_start") or e.get("time_end") or "",
                day_end=e.get("time_end") or e.get("time_start") or "",
                value=low if high is None else None,
                low=low,
                high=high if high is not None else low,
                conflict=e["entry_id"] in in_conflict,
                label=f"{source}: {e.get('text') or ''}" + (" (earlier figure)" if previous else ""),
            )
        )
    for d in detail["derived"]:
        points.append(
            ChartPoint(
                claim_id=None,
                source="derived",
                day_start=d.get("time_start") or d.get("time_end") or "",
                day_end=d.get("time_end") or d.get("time_start") or "",
                value=d.get("value"),
                low=d.get("low"),
                high=d.get("high"),
                derived=True,
                label=f"derived by reportedly: {d.get('label') or d.get('value')}",
            )
        )
    return points


def repost_group(ledger: Ledger, doc_id: str) -> list[dict[str, Any]]:
    """The other documents in ``doc_id``'s repost group (empty when it has none)."""
    if not ledger.tables.has("repost_groups", "doc_id", "group_id"):
        return []
    return ledger.query(
        "SELECT d.id, d.title, d.publisher, d.published, r.is_original, r.reason FROM repost_groups r "
        "JOIN documents d ON d.id = r.doc_id WHERE r.group_id IN "
        "(SELECT group_id FROM repost_groups WHERE doc_id = ?) AND r.doc_id <> ? ORDER BY d.published",
        [doc_id, doc_id],
    )


def series_head(template: Template) -> Callable[[dict[str, Any]], str]:
    """Renders a series page's head from its static data (called once per series, at build time)."""

    def render(data: dict[str, Any]) -> str:
        chart = layout(chart_points(data))
        return str(template.render({**data, "chart": chart, "svg": render_svg(chart)}))

    return render
