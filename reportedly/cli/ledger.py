"""CLI commands of the ledger: ``run``, ``claims``, ``docs`` and ``export``.

Exit status: 0 when everything went well; 1 when ``run`` had to skip or fail
some input (each such file is listed with its reason); 2 on usage errors and
on errors reportedly raises on purpose (a store that cannot be opened, a
missing path...), which print one line without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from reportedly import settings
from reportedly.cli.output import (
    DEFAULT_DB,
    Column,
    DbOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    cli_errors,
    fail,
    format_cell,
    open_store,
    render,
    stderr_console,
)
from reportedly.store import BatchResult

if TYPE_CHECKING:
    from reportedly.pipeline import RunSummary

__all__ = ["CLAIM_CSV_FIELDS", "DOCUMENT_CSV_FIELDS", "describe_quantity", "register"]


class ClaimKindChoice(str, Enum):
    quantity = "quantity"
    statement = "statement"


class StatusChoice(str, Enum):
    ok = "ok"
    skipped = "skipped"
    failed = "failed"


class TableChoice(str, Enum):
    claims = "claims"
    documents = "documents"
    sources = "sources"


class ExportFormatChoice(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


#: The CSV header of ``claims --format csv``: every field of the JSONL contract.
CLAIM_CSV_FIELDS: tuple[str, ...] = (
    "id", "doc_id", "kind", "sentence", "sentence_start", "sentence_end", "start", "end",
    "source.text", "source.name", "source.kind", "source.anonymous", "source.count", "source.via",
    "cue", "hedges", "time.text", "time.start", "time.end", "time.anchor",
    "quantity.text", "quantity.value", "quantity.low", "quantity.high", "quantity.bound",
    "quantity.vague", "quantity.unit", "quantity.entity", "quantity.entity_lemma", "quantity.actor",
    "quantity.locations", "quantity.change.direction", "quantity.change.previous_low",
    "quantity.change.previous_high", "content",
)  # fmt: skip

DOCUMENT_CSV_FIELDS: tuple[str, ...] = (
    "id", "path", "title", "author", "publisher", "published", "url", "language", "dateline",
    "original_publisher", "repost", "format", "status", "reason", "n_claims", "ingested_at",
)  # fmt: skip

_BOUND_SIGNS = {"=": "", "~": "~", ">": ">", "<": "<", ">=": "≥", "<=": "≤"}


def describe_quantity(q: dict[str, Any]) -> str:
    """A figure as a person reads it: "~4,000 fighters", "19,000-25,000 militants"."""
    low, high, value = q.get("low"), q.get("high"), q.get("value")
    if q.get("vague") and q.get("text"):
        figure = f"{q['text']} (≥{format_cell(low)})" if low is not None else str(q["text"])
        sign = ""
    elif value is not None:
        figure = format_cell(value)
    elif low is not None and high is not None and low != high:
        figure = f"{format_cell(low)}-{format_cell(high)}"
    elif low is not None:
        figure = format_cell(low)
    else:
        figure = q.get("text") or "?"
    if not q.get("vague"):
        sign = _BOUND_SIGNS.get(q.get("bound") or "=", "")
    thing = q.get("entity") or q.get("unit") or ""
    text = f"{sign}{figure} {thing}".strip()
    change = q.get("change") or {}
    if change.get("direction"):
        prev = change.get("previous_low")
        text += f" ({change['direction']}" + (f" from {format_cell(prev)})" if prev is not None else ")")
    return text


def _claim_text(row: dict[str, Any]) -> str:
    if row.get("quantity"):
        return describe_quantity(row["quantity"])
    return row.get("content") or row.get("sentence") or ""


def _source_text(row: dict[str, Any]) -> str:
    src = row.get("source") or {}
    name = src.get("name") or src.get("text") or ""
    if src.get("anonymous") and name:
        name += " (anon.)"
    via = src.get("via") or []
    return name + (" via " + ", ".join(via) if via else "")


def _time_text(row: dict[str, Any]) -> str:
    t = row.get("time") or {}
    span = t.get("start") or ""
    if t.get("end") and t.get("end") != t.get("start"):
        span += f"..{t['end']}"
    if t.get("text"):
        return f"{t['text']} [{span}]" if span else str(t["text"])
    return span


CLAIM_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", no_wrap=True),
    Column("kind", "Kind", no_wrap=True),
    Column("claim", "Claim", max_width=48, get=_claim_text),
    Column("quantity.locations", "Where", max_width=20),
    Column("source", "Source", max_width=32, get=_source_text),
    Column("cue", "Cue"),
    Column("time", "When", max_width=30, get=_time_text),
    Column("doc_id", "Doc", no_wrap=True),
)

DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", no_wrap=True),
    Column("path", "Path", max_width=40, get=lambda r: _short_path(r.get("path"))),
    Column("title", "Title", max_width=40),
    Column("publisher", "Publisher", max_width=24, get=lambda r: _publisher_text(r)),
    Column("published", "Published", max_width=19),
    Column("status", "Status"),
    Column("reason", "Reason", max_width=40),
    Column("n_claims", "Claims", justify="right"),
)


#: Rows a table shows when no --limit is given: a table is for reading, and
#: rendering a whole ledger in Rich would take long; other formats stream all.
TABLE_ROWS = 200


def _table_cap(fmt: OutputFormat, limit: int | None) -> int | None:
    return TABLE_ROWS if fmt is OutputFormat.table and limit is None else None


def _capped(rows: Iterator[dict[str, Any]], cap: int | None) -> Iterator[dict[str, Any]]:
    """At most ``cap`` rows, saying on stderr when more were left out."""
    for n, row in enumerate(rows):
        if cap is not None and n >= cap:
            stderr_console().print(f"(first {cap} rows shown; use --limit N or --format jsonl for more)")
            return
        yield row


def _publisher_text(row: dict[str, Any]) -> str:
    """Who published it, and for a repost whose outlet it first appeared in."""
    publisher, original = row.get("publisher") or "", row.get("original_publisher")
    if row.get("repost") and original and original != publisher:
        return f"{publisher} (repost of {original})" if publisher else f"repost of {original}"
    return publisher


def _short_path(path: str | None) -> str:
    """A path relative to the working directory when it lies below it (tables only)."""
    if not path:
        return ""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        (datetime if "T" in value else date).fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO date such as 2017-07-20") from None
    return value


def run_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or globs.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    manifest: Annotated[
        Path | None,
        typer.Option(help="JSON object or CSV keyed by file name: published, publisher, url, author, title.",
                     exists=True, dir_okay=False),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (ISO) for documents that state none.", callback=_check_date),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Extraction processes (each loads the model once).")] = 1,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Documents written per transaction.")
    ] = settings.BATCH_SIZE,
    link: Annotated[bool, typer.Option("--link/--no-link", help="Rebuild cross-article links afterwards.")] = True,
    attribution_tagger: Annotated[
        bool,
        typer.Option(
            "--attribution-tagger",
            help="Let the MiniLM edge tagger vote on who said what (PolNeAR dev +1 to +2 F1; "
            "extraction about 1.7 x slower; needs the 'neural' extra).",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress; print only the summary.")] = False,
) -> None:
    """Read articles, extract every claim and add them to the store.

    Re-running over the same files adds nothing; a run that was interrupted
    is completed by running it again. Exit status: 0 when every file was
    processed, 1 when some were skipped or failed (listed with their reason),
    2 on a usage error, 130 when interrupted with Ctrl-C.

    [bold]Examples[/bold]

      reportedly run examples/ --manifest examples/manifest.csv

      reportedly run 'crawl/*.warc.gz' --db crawl.duckdb --workers 4

      reportedly run article.txt --published 2017-07-20 --no-link
    """
    from reportedly.pipeline import run as run_pipeline

    err = stderr_console()
    batches = 0

    def log_batch(result: BatchResult, summary: RunSummary) -> None:
        # Without a terminal there is no progress bar: log each commit instead.
        nonlocal batches
        batches += 1
        err.print(
            f"committed batch {batches}: +{len(result.added)} documents, +{result.claims_added} claims "
            f"({summary.seen} read so far)"
        )

    interactive = err.is_terminal
    with cli_errors():
        try:
            summary = run_pipeline(
                paths,
                db,
                manifest=manifest,
                published=published,
                workers=workers,
                batch_size=batch_size,
                progress=not quiet,
                link=link,
                on_batch=None if quiet or interactive else log_batch,
                attribution_tagger=attribution_tagger,
            )
        except KeyboardInterrupt:
            # The batch in progress was rolled back; committed ones are kept.
            fail("interrupted; the batches committed so far are kept: run the same command again to finish", 130)
    _print_summary(summary, quiet=quiet)
    raise typer.Exit(0 if summary.ok else 1)


def _print_summary(summary: "RunSummary", quiet: bool) -> None:
    out = Console(highlight=False, soft_wrap=True)  # one line per fact, however narrow the pipe
    out.print(
        f"[bold]{summary.seen}[/bold] documents read in {summary.seconds:.1f} s: "
        f"[green]{summary.added} added[/green] ({summary.claims_added} claims), "
        f"{summary.already_stored} already stored, "
        f"[yellow]{summary.skipped} skipped[/yellow], [red]{summary.failed} failed[/red]"
    )
    if summary.problems:
        out.print("Not processed:")
        for p in summary.problems:
            out.print(f"  {p.path}: {p.status}: {p.reason}", markup=False)
    if quiet:
        return
    if summary.linked:
        out.print(f"Links rebuilt: {summary.link_result or 'done'}", markup=False)
    db = str(summary.db)
    out.print(f"Store: {db}", markup=False)
    out.print("Next:")
    out.print(f"  reportedly claims --db {db} --about TEXT    # figures and statements", markup=False)
    out.print(f"  reportedly docs --db {db}                   # documents, with reasons for any skip", markup=False)


def claims_command(
    about: Annotated[str | None, typer.Option(help="Text in the counted thing, actor, place, content or sentence.")] = None,
    source: Annotated[str | None, typer.Option(help="Text in the source's name, as written, or an intermediary.")] = None,
    kind: Annotated[ClaimKindChoice | None, typer.Option(help="Only quantity or statement claims.")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only claims of this document id.")] = None,
    limit: LimitOption = None,
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List claims: figures and statements with source, time and evidence.

    [bold]Examples[/bold]

      reportedly claims --about fighters --source pentagon

      reportedly claims --kind statement --format jsonl > statements.jsonl

      reportedly claims --doc 4d33433c687c8a0e --format csv > claims.csv
    """
    cap = _table_cap(fmt, limit)
    with cli_errors(), open_store(db) as store:
        claims = store.iter_claims(
            about=about, source=source, kind=kind.value if kind else None, doc_id=doc,
            limit=cap + 1 if cap else limit,
        )
        render(
            _capped((c.to_dict() for c in claims), cap),
            fmt,
            CLAIM_COLUMNS,
            csv_fields=CLAIM_CSV_FIELDS,
            empty="No claims match." if (about or source or kind or doc) else "No claims stored yet.",
        )


def docs_command(
    status: Annotated[StatusChoice | None, typer.Option(help="Only documents of this status.")] = None,
    limit: LimitOption = None,
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List documents with their metadata, status and the reason for any skip.

    [bold]Examples[/bold]

      reportedly docs --status skipped

      reportedly docs --format jsonl | jq .title
    """
    cap = _table_cap(fmt, limit)
    with cli_errors(), open_store(db) as store:
        rows = store.document_rows(status.value if status else None)
        if limit is not None:
            rows = (row for _, row in zip(range(limit), rows))
        render(_capped(rows, cap), fmt, DOCUMENT_COLUMNS, csv_fields=DOCUMENT_CSV_FIELDS,
               empty="No documents stored yet.")


def export_command(
    table: Annotated[TableChoice, typer.Argument(help="What to export.")],
    to: Annotated[Path, typer.Option("--to", help="File to write.", dir_okay=False)],
    fmt: Annotated[
        ExportFormatChoice | None,
        typer.Option("--format", "-f", help="jsonl, csv or parquet; by default from the file's suffix."),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write a whole table to a file (JSONL is the public claim contract).

    [bold]Examples[/bold]

      reportedly export claims --to claims.jsonl

      reportedly export documents --to docs.parquet
    """
    chosen = fmt.value if fmt else to.suffix.lstrip(".").lower()
    if chosen not in {f.value for f in ExportFormatChoice}:
        fail(f"cannot tell the format from {to.name!r}; pass --format jsonl, csv or parquet")
    with cli_errors(), open_store(db) as store:
        n = store.export(table.value, to, chosen)  # type: ignore[arg-type]
    stderr_console().print(f"Wrote {n} {table.value} to {to} ({chosen}).")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("run")(run_command)
    app.command("claims")(claims_command)
    app.command("docs")(docs_command)
    app.command("export")(export_command)
