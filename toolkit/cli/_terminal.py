"""What the commands print: every line goes through the one sanitiser.

Messages on stderr (errors, warnings, "wrote ...") are always one safe line: they quote file
names and input.  Output on stdout is safe when stdout is a terminal, whatever the format
(``--format md`` or ``json`` shown on a terminal carry input text as it is); piped or written
to a file, the data formats stay byte for byte what the renderer made (as ``ls`` shows control
characters only on a terminal).  The text views make themselves safe in any case.

Standard streams can be closed or fail: a reader that stops reading (``| head``) ends the
output quietly, as grep and ripgrep do; a full disk or a closed stdout is one error line, exit 2;
a stderr that cannot be written loses its messages, not the exit code.
"""

from __future__ import annotations

import os
import sys

import typer

from toolkit.report.terminal import terminal_safe

__all__ = ["EXIT_OUTPUT", "is_terminal", "say", "show"]

EXIT_OUTPUT = 2  # the output cannot be written: as every error of bad input


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal (False for a stream closed at start-up: None)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # closed since
        return False


def say(message: str) -> None:
    """One line on stderr, control characters shown as escapes."""
    try:
        typer.echo(terminal_safe(message, one_line=True), err=True)
    except OSError:
        _discard(sys.stderr)  # stderr full or gone: nobody to tell; the exit code still says it


def show(text: str, *, color: bool = False) -> None:
    """``text`` on stdout as it is; on a terminal, controls other than colour codes escaped.

    Raises:
        typer.Exit: stdout is closed or cannot be written (after one line on stderr).
    """
    if sys.stdout is None:  # started with stdout closed (`>&-`): the output would be lost
        say("transdiff: error: standard output: is closed; redirect it to a file (> FILE)")
        raise typer.Exit(EXIT_OUTPUT)
    if is_terminal(sys.stdout):
        text = terminal_safe(text, keep_sgr=color)
    try:
        typer.echo(text, nl=False, color=color)
    except BrokenPipeError:
        # The reader has what it wanted (`| head`): stop writing; the run's exit code stands.
        _discard(sys.stdout)
    except OSError as exc:
        _discard(sys.stdout)
        say(f"transdiff: error: standard output: cannot be written ({exc.strerror or exc})")
        raise typer.Exit(EXIT_OUTPUT) from None


def _discard(stream: object) -> None:
    """Point ``stream``'s file descriptor at the null device, so that the text still buffered
    is dropped at exit instead of failing again ("Exception ignored ... BrokenPipeError")."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        null = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return
    os.dup2(null, fd)
    os.close(null)
