"""CLI commands: ``reportedly serve``, the read-only web app."""

from __future__ import annotations

import os
import time
from typing import Annotated

import typer

from reportedly import settings
from reportedly.cli.output import DEFAULT_DB, DbOption, cli_errors, stderr_console

__all__ = ["register", "serve_command"]


def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Address to listen on. The default serves this machine only; 0.0.0.0 exposes the ledger to the network.")
    ] = settings.DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = settings.DEFAULT_PORT,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64,
            help="Server processes. They share the read model (memory-mapped), so each costs little memory; "
            "more than one lets pages use several cores.",
        ),
    ] = 1,
) -> None:
    """Browse and search the ledger in a web browser (read-only).

    The first start on a store builds its read model (search index, series
    pages) next to it, in FILE.web/; later starts, and every worker, open it
    in about a second.
    """
    import uvicorn

    from reportedly.web import create_app
    from reportedly.web.app import DB_ENV

    console = stderr_console()
    with cli_errors():
        # Build the app first: a missing or foreign store fails here with one
        # line instead of inside the server's startup, and the read model is
        # built once, before any worker opens it.
        t0 = time.perf_counter()
        app = create_app(db)
        read = app.state.read
        verb = "built" if read.built else "opened"
        console.print(f"Read model {verb} in {time.perf_counter() - t0:.1f} s: {read.location}", soft_wrap=True)
    console.print(f"Serving {db} at http://{host}:{port}  (Ctrl-C to stop)")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    app.state.ledger.close()
    # Each worker process imports the app factory and opens the same store
    # and read model (read-only); uvicorn shares the listening socket.
    os.environ[DB_ENV] = str(db)
    uvicorn.run(
        "reportedly.web.app:app_from_environment", factory=True, workers=workers,
        host=host, port=port, log_level="warning",
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("serve")(serve_command)
