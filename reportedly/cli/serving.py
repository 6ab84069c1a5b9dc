"""CLI commands: ``reportedly serve``, the read-only web app."""

from __future__ import annotations

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
) -> None:
    """Browse and search the ledger in a web browser (read-only)."""
    import uvicorn

    from reportedly.web import create_app

    with cli_errors():
        # Build the app first: a missing or foreign store fails here with one
        # line instead of inside the server's startup.
        app = create_app(db)
    stderr_console().print(f"Serving {db} at http://{host}:{port}  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("serve")(serve_command)
