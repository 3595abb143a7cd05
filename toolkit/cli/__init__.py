"""The ``transdiff`` command: parses options, calls one library function, renders, writes.

The library raises :class:`~toolkit.errors.TransdiffError`; the commands turn it into one line
on stderr and a non-zero exit, and do nothing else of substance.  One module per group of
commands; importing them registers the commands on :data:`app` (in this order in ``--help``).
"""

from __future__ import annotations

import sys

import typer

from toolkit.cli._app import app
from toolkit.cli._common import _use_color

# Importing a command module registers its commands; --help lists them in this order.
# isort: off
from toolkit.cli import reports  # noqa: F401  # report, flag
from toolkit.cli import review  # noqa: F401  # waive, waivers
from toolkit.cli import batch  # noqa: F401  # batch
from toolkit.cli import tables  # noqa: F401  # align, score, compare
# isort: on

__all__ = ["_use_color", "app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("transdiff: interrupted", err=True)
        sys.exit(130)
