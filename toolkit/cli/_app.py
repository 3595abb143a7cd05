"""The typer application every command registers on."""

from __future__ import annotations

from typing import Annotated

import typer

from toolkit import __version__

app = typer.Typer(
    name="transdiff",
    help="Compare a translation with its references, sentence by sentence.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"transdiff {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Compare a translation with its references, sentence by sentence."""
