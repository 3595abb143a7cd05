"""Fitting plain text views to a width: lines wrap at spaces, signatures at their ``|``."""

from __future__ import annotations

import textwrap

__all__ = ["wrap", "wrap_signature"]


def wrap(line: str, width: int, *, indent: str = "") -> list[str]:
    """``line`` as lines of at most ``width`` characters; the later ones start with ``indent``.

    Breaks at spaces; a word longer than the width is cut.  An empty line stays one line.
    """
    if len(line) <= width:
        return [line]
    return textwrap.wrap(
        line,
        width=width,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


def wrap_signature(label: str, signature: str, width: int, *, indent: str = "  ") -> list[str]:
    """``label: signature`` in lines of at most ``width``, broken after a ``|`` (each line but
    the last ends with it, so that the lines joined without their indent give it back)."""
    first = f"{label}: "
    if len(first) + len(signature) <= width:
        return [first + signature]
    fields = signature.split("|")
    pieces = [f + "|" for f in fields[:-1]] + [fields[-1]]
    lines: list[str] = []
    current, fresh = first, True  # fresh: no field on the current line yet
    for piece in pieces:
        if not fresh and len(current) + len(piece) > width:
            lines.append(current)
            current = indent
        while len(current) + len(piece) > width:  # one field wider than the line: cut it
            room = max(1, width - len(current))
            lines.append(current + piece[:room])
            current, piece = indent, piece[room:]
        current, fresh = current + piece, False
    lines.append(current)
    return lines
