"""The one sanitiser for everything transdiff prints to a terminal.

Sentence text, file names, reference labels, flag messages, warnings and errors can all carry
characters a terminal obeys rather than shows: ESC starts CSI and OSC sequences (clear the
screen, set the window title, OSC 8 links), BEL rings, CR and BS overwrite what was printed,
the C1 controls U+0080-U+009F are 8-bit CSI/OSC on some terminals, and the bidi embedding,
override and isolate controls (U+202A-U+202E, U+2066-U+2069) reorder what a reader sees.

:func:`terminal_safe` shows each of them as a visible Python-style escape, ``\\xNN`` up to
U+00FF and ``\\uNNNN`` above (ESC is ``\\x1b``, U+009B is ``\\x9b``, U+202E is ``\\u202e``),
so a reviewer sees that the text carries a control and which one.  Tab and line feed are
layout and pass (CR too when it ends a line, as in CRLF text), except that a one-line message
(an error, a warning) escapes line breaks as well, and a text view that lays sentences out in
cells (``flat``) shows every white-space control as one space, so offsets into a sentence
still hold.
"""

from __future__ import annotations

import re

__all__ = ["terminal_safe", "terminal_safe_offsets"]

# C0 but tab and line feed, DEL, C1, line/paragraph separators, bidi embeddings, overrides
# and isolates; CR before LF is layout (CRLF text), a lone CR overwrites the line.
_UNSAFE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
_LINES = re.compile(_UNSAFE)
_ONE_LINE = re.compile(_UNSAFE + r"|[\r\n]")
# The tool's own colour codes (SGR: ESC [ digits ; ... m), kept when the output carries them.
_SGR = r"\x1b\[[0-9;]*m"
_LINES_SGR = re.compile(f"({_SGR})|{_UNSAFE}")
_ONE_LINE_SGR = re.compile(f"({_SGR})|{_UNSAFE}|[\r\n]")
# White space that is a control: in a flat view each is one space (the view lays text out).
_SPACES = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029", " "))


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _replace(match: re.Match[str]) -> str:
    if match.lastindex and match[1]:  # an SGR code the caller asked to keep
        return match[1]
    return _escape(match[0])


def terminal_safe(
    text: str, *, one_line: bool = False, flat: bool = False, keep_sgr: bool = False
) -> str:
    """``text`` with every control a terminal would obey shown as a visible escape.

    Args:
        text: Anything about to be printed: input text, file names, messages.
        one_line: Escape line breaks too (errors and warnings stay one line).
        flat: Show each white-space control (line break, tab, vertical tab, form feed,
            U+2028, ...) as one space: sentence text in a table cell or a view.
        keep_sgr: Keep SGR colour codes (``ESC [ ... m``): for output the tool has coloured
            itself from text it had already made safe; every other escape sequence is shown.

    The result is idempotent (``terminal_safe(terminal_safe(t)) == terminal_safe(t)``).
    """
    if flat:
        text = text.translate(_SPACES)
    if keep_sgr:
        pattern = _ONE_LINE_SGR if one_line else _LINES_SGR
    else:
        pattern = _ONE_LINE if one_line else _LINES
    return pattern.sub(_replace, text)


def terminal_safe_offsets(text: str, *, flat: bool = False) -> tuple[str, list[int]]:
    """:func:`terminal_safe` (multi-line, or ``flat``) and where each character of ``text`` went.

    Returns:
        The safe text and ``len(text) + 1`` offsets into it: character ``i`` of ``text``
        starts at ``offsets[i]`` (the last entry is the safe text's length), so that a span
        ``text[a:b]`` is ``safe[offsets[a]:offsets[b]]``.
    """
    if flat:
        text = text.translate(_SPACES)  # one character for one: offsets unchanged
    pattern = _LINES
    parts: list[str] = []
    offsets: list[int] = []
    at = pos = 0
    for match in pattern.finditer(text):
        start = match.start()
        offsets.extend(range(at, at + start - pos))
        at += start - pos
        parts.append(text[pos:start])
        shown = _escape(match[0])  # every match is one character
        offsets.append(at)
        at += len(shown)
        parts.append(shown)
        pos = start + 1
    offsets.extend(range(at, at + len(text) - pos + 1))
    parts.append(text[pos:])
    return "".join(parts), offsets
