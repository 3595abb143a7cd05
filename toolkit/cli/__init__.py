"""The ``transdiff`` command: parses options, calls one library function, renders, writes.

The library raises :class:`~toolkit.errors.TransdiffError`; the main group (``_app._Group``)
is the one place that turns it into one line on stderr and its exit code.  One module per group
of commands; importing them registers the commands on :data:`app` (in this order in ``--help``).
"""

from __future__ import annotations

import contextlib
import sys

import typer

from toolkit.cli._app import app
from toolkit.cli._common import _use_color
from toolkit.cli._signals import Interrupts
from toolkit.workers import fewer_collections

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
    interrupts = Interrupts().install()
    try:
        # Rendering the report of a long document walks millions of objects made by the
        # comparison; with the default thresholds each full collection rescans them all
        # (the JSON of 300k line pairs: 8.4 s -> 4.8 s).
        with fewer_collections():
            app()
    except KeyboardInterrupt:
        pass  # outside a command (inside one, typer turns it into exit 130)
    except SystemExit:
        if interrupts.signum is None:
            raise
    else:
        return
    with contextlib.suppress(OSError):  # SIGHUP: the terminal may be gone
        typer.echo(f"transdiff: interrupted ({interrupts.name})", err=True)
    sys.exit(interrupts.exit_code)
