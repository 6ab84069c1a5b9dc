"""CLI commands of the Spark job: ``reportedly spark`` and ``reportedly import``."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer

from reportedly import settings

__all__ = ["register"]

_INSTALL_HINT = "pyspark is not installed; install the extra with: pip install 'reportedly[spark]'"


def spark(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or globs (text, HTML, WARC, WARC.gz).")],
    out: Annotated[Path, typer.Option("--out", help="Output folder; gets documents/ and claims/ Parquet.")],
    master: Annotated[
        str | None, typer.Option("--master", help="Spark master URL, e.g. spark://host:7077 (default local[*]).")
    ] = None,
    manifest: Annotated[Path | None, typer.Option("--manifest", help="Manifest CSV of per-file metadata.")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date (ISO) for files that give none.")
    ] = None,
    partitions: Annotated[int | None, typer.Option("--partitions", help="Number of tasks (default 4 per core).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output folder.")] = False,
) -> None:
    """Extract claims with PySpark (same extraction as `run`) and write Parquet with the store's schema."""
    if importlib.util.find_spec("pyspark") is None:
        typer.echo(_INSTALL_HINT, err=True)
        raise typer.Exit(code=2)
    from reportedly.spark import build_session, run_job

    session = build_session(master)
    try:
        summary = run_job(
            session,
            inputs,
            out,
            manifest=manifest,
            published=published,
            partitions=partitions,
            overwrite=overwrite,
        )
    except FileNotFoundError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(code=1) from err
    finally:
        session.stop()
    typer.echo(
        f"{summary.files} files -> {summary.documents} documents, {summary.claims} claims "
        f"({summary.partitions} tasks) in {summary.out}\n"
        f"Load them with: reportedly import {summary.out} --db {settings.DEFAULT_DB}"
    )


def import_(
    folder: Annotated[Path, typer.Argument(help="Output folder of `reportedly spark`.")],
    db: Annotated[Path, typer.Option("--db", help="DuckDB store to load into.")] = settings.DEFAULT_DB,
    link: Annotated[bool, typer.Option("--link/--no-link", help="Re-run cross-document linking afterwards.")] = True,
) -> None:
    """Load the Parquet written by `reportedly spark` into the DuckDB store, then link."""
    from reportedly.spark.load import import_parquet
    from reportedly.store import Store

    try:
        with Store(db) as store:
            summary = import_parquet(folder, store)
            if link and store.links_stale:
                # As `reportedly run` does after adding documents.
                from reportedly.link import relink

                relink(store)
                store.mark_linked()
    except FileNotFoundError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(code=1) from err
    typer.echo(
        f"{summary.documents_read} documents read: {summary.documents_added} added "
        f"({summary.claims_added} claims), {summary.already_stored} already stored, into {db}"
    )


def register(app: typer.Typer) -> None:
    """Add ``spark`` and ``import`` to ``app``."""
    app.command("spark")(spark)
    app.command("import")(import_)
