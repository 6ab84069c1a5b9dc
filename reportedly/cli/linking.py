"""CLI commands over the links: ``series``, ``conflicts`` and ``timeline``.

They read the tables ``reportedly.link.relink`` wrote (``reportedly run``
relinks after every run); a store never linked lists nothing and says so.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from reportedly.cli.output import (
    DEFAULT_DB,
    Column,
    DbOption,
    FormatOption,
    OutputFormat,
    cli_errors,
    fail,
    format_cell,
    open_store,
    render,
    stderr_console,
)
from reportedly.store.links import linked, read_relations, read_series, read_timeline

__all__ = ["register"]


class TimelineFormat(str, Enum):
    table = "table"
    json = "json"
    svg = "svg"
    png = "png"


def _derived_cell(row: dict[str, Any]) -> str:
    return "; ".join(d["label"] for d in row.get("derived") or [])


SERIES_COLUMNS = [
    Column("id", "Series"),
    Column("label", "Label", max_width=48),
    Column("claims", "Claims", justify="right", get=lambda r: len(r["claims"])),
    Column("derived", "Derived", max_width=50, get=_derived_cell),
]
CONFLICT_COLUMNS = [
    Column("kind", "Kind"),
    Column("a", "Claim A"),
    Column("b", "Claim B"),
    Column("series", "Series", max_width=30),
    Column("reason", "Reason", max_width=70),
]


def _not_linked_hint(store: Any) -> None:
    if not linked(store.connection):
        stderr_console().print("This store has no links yet: run `reportedly run PATH` (it relinks after each run).")


def series(
    about: Annotated[str | None, typer.Option("--about", help="Only series whose label contains this text.")] = None,
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Series of figures about one measured quantity, with claim ids and derived values."""
    with cli_errors(), open_store(db) as store:
        _not_linked_hint(store)
        render(read_series(store.connection, about), fmt, SERIES_COLUMNS, csv_fields=["id", "label", "claims"],
               empty="No series found.")


def conflicts(
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = OutputFormat.table,
    all_kinds: Annotated[bool, typer.Option("--all", help="Also list updates and corroborations.")] = False,
) -> None:
    """Conflicting figures and contradicting statements (a, b claim ids, kind, reason)."""
    kinds = ("conflict", "contradiction", "update", "corroboration") if all_kinds else ("conflict", "contradiction")
    with cli_errors(), open_store(db) as store:
        _not_linked_hint(store)
        render(read_relations(store.connection, kinds), fmt, CONFLICT_COLUMNS,
               csv_fields=["a", "b", "kind", "reason", "series_id"], empty="No conflicts found.")


TIMELINE_COLUMNS = [
    Column("when", "When", get=lambda r: r.get("time_text") or " - ".join(x for x in (r.get("time_start"), r.get("time_end")) if x)),
    Column("figure", "Figure", get=lambda r: r["figure"]),
    Column("role", "Role"),
    Column("source", "Source", max_width=28),
    Column("publisher", "Publisher", max_width=18),
    Column("flags", "Flags", max_width=24),
    Column("evidence", "Evidence", max_width=60),
]


def _figure(row: dict[str, Any]) -> str:
    low, high = row.get("low"), row.get("high")
    core = format_cell(low) if high in (None, low) else f"{format_cell(low)}-{format_cell(high)}"
    return {"=": "", "~": "~"}.get(row.get("bound") or "=", row.get("bound") or "") + core


def timeline(
    series_id: Annotated[str, typer.Argument(help="A series id (or an id prefix, or words of its label).")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[TimelineFormat, typer.Option("--format", "-f", case_sensitive=False, help="table, json, or a chart: svg/png.")] = TimelineFormat.table,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Chart file (default SERIES.svg/png).", dir_okay=False)] = None,
) -> None:
    """One series over reference time: figures, ranges, sources, conflicts and derived values."""
    with cli_errors(), open_store(db) as store:
        data = read_timeline(store.connection, series_id)
    if fmt is TimelineFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")
        return
    if fmt in (TimelineFormat.svg, TimelineFormat.png):
        from reportedly.analyse.chart import render_timeline

        path = out or Path(f"{data['series']['id']}.{fmt.value}")
        render_timeline(data, path, fmt.value)
        stderr_console().print(f"Wrote {path}")
        return
    flags: dict[str, list[str]] = {}
    for r in data["relations"]:
        for side, other in (("entry_a", "entry_b"), ("entry_b", "entry_a")):
            flags.setdefault(r[side], []).append(f"{r['kind']} {r[other][:8]}")
    rows = [
        {**e, "figure": _figure(e), "flags": "; ".join(flags.get(e["entry_id"], [])), "source": e.get("source") or ""}
        for e in data["entries"]
    ]
    rows += [
        {**d, "role": "derived", "figure": _figure(d), "evidence": d["label"], "flags": "", "entry_id": d["id"]}
        for d in data["derived"]
    ]
    if not rows:
        fail(f"series {series_id} has no entries")
    render(rows, OutputFormat.table, TIMELINE_COLUMNS, title=f"{data['series']['label']}  [{data['series']['id']}]")


def register(app: typer.Typer) -> None:
    """Add ``series``, ``conflicts`` and ``timeline`` to ``app``."""
    app.command("series")(series)
    app.command("conflicts")(conflicts)
    app.command("timeline")(timeline)
