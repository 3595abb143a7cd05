"""The one exception family the library raises; the CLI turns it into a one-line message.

Each class carries the exit code the command ends with (as click's exceptions do): 2 for
bad input and bad usage, the code of every error transdiff reports.  ``transdiff``'s main
group is the one place that catches them (:mod:`toolkit.cli._app`).
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["EXIT_INPUT", "InputError", "OutputError", "TransdiffError", "UsageError"]

EXIT_INPUT = 2  # bad input or usage, as click's UsageError


class TransdiffError(Exception):
    """Base class of every error transdiff reports to a user.

    Attributes:
        exit_code: The exit code of a command that stops on this error.
    """

    exit_code: ClassVar[int] = EXIT_INPUT


class InputError(TransdiffError):
    """A file cannot be read as a text document (missing, empty, binary, undecodable)."""


class UsageError(TransdiffError):
    """Options or arguments that do not fit together."""


class OutputError(TransdiffError):
    """A report or a waivers file cannot be written (a full disk, a lost mount)."""
