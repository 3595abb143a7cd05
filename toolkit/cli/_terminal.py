"""What the commands print: every line goes through the one sanitiser.

Messages on stderr (errors, warnings, "wrote ...") are always one safe line: they quote file
names and input.  Output on stdout is safe when stdout is a terminal, whatever the format
(``--format md`` or ``json`` shown on a terminal carry input text as it is); piped or written
to a file, the data formats stay byte for byte what the renderer made (as ``ls`` shows control
characters only on a terminal).  The text views make themselves safe in any case.
"""

from __future__ import annotations

import sys

import typer

from toolkit.report.terminal import terminal_safe

__all__ = ["say", "show"]


def say(message: str) -> None:
    """One line on stderr, control characters shown as escapes."""
    typer.echo(terminal_safe(message, one_line=True), err=True)


def show(text: str, *, color: bool = False) -> None:
    """``text`` on stdout as it is; on a terminal, controls other than colour codes escaped."""
    if sys.stdout.isatty():
        text = terminal_safe(text, keep_sgr=color)
    typer.echo(text, nl=False, color=color)
