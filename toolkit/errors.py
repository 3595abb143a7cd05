"""The one exception family the library raises; the CLI turns it into a one-line message."""

from __future__ import annotations


class TransdiffError(Exception):
    """Base class of every error transdiff reports to a user."""


class InputError(TransdiffError):
    """A file cannot be read as a text document (missing, empty, binary, undecodable)."""


class UsageError(TransdiffError):
    """Options or arguments that do not fit together."""
