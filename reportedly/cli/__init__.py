"""The ``reportedly`` command line: a thin layer over the library.

Each feature's commands live in their own module, which exposes
``register(app)``; this module only assembles them.
"""

from __future__ import annotations

import typer

from reportedly.cli import ledger, linking, serving, sparking

__all__ = ["app", "main"]

app = typer.Typer(
    name="reportedly",
    help="Turn raw news articles into a source-attributed, time-aware ledger of claims.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

for _module in (ledger, linking, serving, sparking):
    _module.register(app)


def main() -> None:
    app()
