"""Output options and rendering shared by every ``reportedly`` command.

A command builds plain dicts (``Claim.to_dict()``, document rows...) and hands
them to :func:`render` with the ``--format`` the user chose:

* ``table``: a Rich table of the chosen :class:`Column` s, for people;
* ``jsonl``: one JSON object per line, the whole dict (the public contract);
* ``json``: one JSON array of the whole dicts;
* ``csv``: a header and one row per dict, nested values flattened to dotted
  names (``source.name``, ``quantity.value``), lists joined with ``"; "``.

Errors go through :func:`cli_errors`: a :class:`~reportedly.errors.ReportedlyError`
prints one line on stderr (no traceback) and exits with status 2.

    @app.command()
    def things(db: DbOption = DEFAULT_DB, fmt: FormatOption = OutputFormat.table) -> None:
        with cli_errors(), open_store(db) as store:
            render(rows, fmt, [Column("id", "ID"), Column("source.name", "Source")])
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console
from rich.table import Table

from reportedly import settings
from reportedly.errors import ReportedlyError
from reportedly.store import Store

__all__ = [
    "DEFAULT_DB",
    "Column",
    "DbOption",
    "FormatOption",
    "LimitOption",
    "OutputFormat",
    "cli_errors",
    "fail",
    "flatten",
    "format_cell",
    "lookup",
    "open_store",
    "render",
    "stderr_console",
]

DEFAULT_DB = settings.DEFAULT_DB


class OutputFormat(str, Enum):
    """What ``--format`` accepts."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table for reading; jsonl/json for programs (the full records); csv for spreadsheets.",
    ),
]
DbOption = Annotated[
    Path,
    typer.Option("--db", help="The DuckDB store file.", dir_okay=False),
]
LimitOption = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=1, help="Show at most this many rows."),
]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table: a (dotted) key into the row, and its header.

    ``get`` overrides the lookup for computed cells (a range "19,000-25,000").
    """

    key: str
    header: str
    max_width: int | None = None
    justify: str = "left"
    get: Callable[[Mapping[str, Any]], Any] | None = None
    no_wrap: bool = False

    def value(self, row: Mapping[str, Any]) -> Any:
        return self.get(row) if self.get is not None else lookup(row, self.key)


def stderr_console() -> Console:
    """A console on stderr, for summaries and messages that are not data."""
    return Console(stderr=True, highlight=False)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one error line on stderr and exit with ``code``."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn reportedly's own errors into one line on stderr and exit status 2."""
    try:
        yield
    except ReportedlyError as exc:
        fail(str(exc))


def open_store(db: Path, read_only: bool = True) -> Store:
    """Open the store for a command (read-only unless it writes)."""
    return Store(db, read_only=read_only)


def lookup(row: Mapping[str, Any], key: str) -> Any:
    """``row["a"]["b"]`` for the key ``"a.b"``; ``None`` where a part is missing."""
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts to dotted keys: ``{"source": {"name": x}}`` -> ``{"source.name": x}``."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def format_cell(value: Any) -> str:
    """A value as a person reads it: 4000.0 -> "4,000", [a, b] -> "a, b", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.6g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_cell(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


#: Width of tables written to a pipe or file, where Rich would assume 80.
PIPE_WIDTH = 160


def _table_console(out: TextIO | None) -> Console:
    console = Console(file=out, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=out, highlight=False, width=PIPE_WIDTH)
    return console


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def render(
    rows: Iterable[Mapping[str, Any]],
    fmt: OutputFormat | str,
    columns: Sequence[Column],
    *,
    csv_fields: Sequence[str] | None = None,
    title: str | None = None,
    empty: str = "Nothing found.",
    out: TextIO | None = None,
) -> int:
    """Write ``rows`` in ``fmt``; return how many were written.

    ``columns`` shape the table; ``csv_fields`` (dotted keys) the CSV header,
    defaulting to the columns' keys. jsonl/json always carry the whole rows.
    Rows are streamed for jsonl and csv, so large results use little memory.
    """
    fmt = OutputFormat(fmt)
    stream = out if out is not None else sys.stdout
    n = 0
    if fmt is OutputFormat.jsonl:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            n += 1
    elif fmt is OutputFormat.json:
        stream.write("[")
        for row in rows:
            stream.write(("," if n else "") + "\n  " + json.dumps(row, ensure_ascii=False, default=str))
            n += 1
        stream.write("\n]\n" if n else "]\n")
    elif fmt is OutputFormat.csv:
        names = list(csv_fields) if csv_fields is not None else [c.key for c in columns]
        writer = csv.writer(stream)
        writer.writerow(names)
        for row in rows:
            flat = flatten(row)
            writer.writerow([_csv_cell(flat.get(name, lookup(row, name))) for name in names])
            n += 1
    else:
        table = Table(title=title, show_lines=False, expand=False)
        for col in columns:
            table.add_column(
                col.header,
                max_width=col.max_width,
                justify=col.justify,  # type: ignore[arg-type]
                overflow="fold",
                no_wrap=col.no_wrap,
            )
        for row in rows:
            table.add_row(*(format_cell(col.value(row)) for col in columns))
            n += 1
        console = _table_console(out)
        if n:
            console.print(table)
        else:
            typer.echo(empty, err=True)
    stream.flush()
    return n
