"""Reference-free typography check: dashes used as hyphens, unmatched quotes and brackets,
doubled spaces, a space before punctuation and doubled words.

Every finding points at the offending characters of ``sentences[index]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from toolkit.checks import Category, Finding, SentenceFunction, Severity, register
from toolkit.lang import Language
from toolkit.lang import language as get_language

__all__ = ["CHECK", "check_typography"]

_LETTER = r"[^\W\d_]"
# An en or em dash with a letter directly on both sides ("strong—willed"); digit ranges
# such as "1990-2000" written with an en dash are left alone.
_DASH_IN_WORD = re.compile(rf"(?<={_LETTER})[\u2013\u2014](?={_LETTER})")
_WORD_AROUND = re.compile(rf"{_LETTER}+[\u2013\u2014]{_LETTER}+")
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +(?=[,.;:!?])")
_SPACE_THEN_PUNCT = re.compile(r" [,.;:!?]")
# Possessive (++): a shorter word, or fewer spaces, cannot match where the whole run did not.
_DOUBLED_WORD = re.compile(
    rf"(?<![\w'\u2019-])({_LETTER}++)\s++(\1)(?![\w'\u2019-])", re.IGNORECASE
)
_DOUBLED_ASCII_WORD = re.compile(r"(?<![\w'\u2019-])([a-z]++)\s++(\1)(?![\w'\u2019-])")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
# "1) first" or "a) first": a list marker, not an unmatched bracket.
_LIST_MARKER = re.compile(r"\s*(?:\d{1,2}|[A-Za-z])\)")


_ANY_BRACKET = re.compile("[" + re.escape("".join([*_OPENERS, *_CLOSERS])) + "]")


def _finding(start: int, end: int, message: str) -> Finding:
    return Finding(Category.typography, Severity.minor, start, end, message)


def _dashes_in_words(text: str) -> list[Finding]:
    findings: list[Finding] = []
    if "\u2013" not in text and "\u2014" not in text:
        return findings  # the fast test: no en or em dash
    for match in _DASH_IN_WORD.finditer(text):
        dash = match.start()
        word = next(
            (w.group() for w in _WORD_AROUND.finditer(text) if w.start() < dash < w.end()),
            text[dash - 1 : dash + 2],
        )
        fixed = word.replace(text[dash], "-")
        findings.append(_finding(dash, dash + 1, f'a dash joins "{word}"; use a hyphen: "{fixed}"'))
    return findings


def _unmatched_quotes(text: str, quotes: tuple[str, str]) -> list[Finding]:
    """Unmatched straight double quotes, and curly ones of the language's primary pair
    (English \u201c...\u201d, German \u201e...\u201c)."""
    opening, closing = quotes
    findings: list[Finding] = []
    if '"' not in text and opening not in text and closing not in text:
        return findings
    straight = [i for i, ch in enumerate(text) if ch == '"']
    if len(straight) % 2:
        # Quotes pair up left to right, so the last one is the odd one out.
        findings.append(
            _finding(straight[-1], straight[-1] + 1, 'unmatched straight double quote (")')
        )
    open_curly: list[int] = []
    # German closes with the mark English opens with: "“Hallo“" opens with the wrong mark,
    # "„Hallo”" closes with the English one.
    confusable = closing in _OPENING_ELSEWHERE
    for i, ch in enumerate(text):
        if ch == opening:
            open_curly.append(i)
        elif confusable and ch == _ENGLISH_CLOSING and open_curly:
            open_curly.pop()
            message = f"{ch} is not this language's closing quote; close with {closing}"
            findings.append(_finding(i, i + 1, message))
        elif ch == closing:
            if open_curly:
                open_curly.pop()
            elif confusable and _opens_word(text, i):
                message = f"{closing} used as an opening quote; open with {opening}"
                findings.append(_finding(i, i + 1, message))
                open_curly.append(-1)  # pairs with the closing mark that follows
            else:
                message = f"closing quote {closing} without an opening {opening}"
                findings.append(_finding(i, i + 1, message))
    findings.extend(
        _finding(i, i + 1, f"opening quote {opening} without a closing {closing}")
        for i in open_curly
        if i >= 0
    )
    return findings


_OPENING_ELSEWHERE = frozenset("\u201c\u2018")  # German closing marks, English opening ones
_ENGLISH_CLOSING = "\u201d"


def _opens_word(text: str, i: int) -> bool:
    """Whether the mark at ``i`` stands where a quotation opens: after a space, a bracket or
    the start, before a letter or digit."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([") and after.isalnum()


def _unmatched_brackets(text: str) -> list[Finding]:
    findings: list[Finding] = []
    if _ANY_BRACKET.search(text) is None:
        return findings
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            stack.append(i)
        elif ch in _CLOSERS:
            if stack and text[stack[-1]] == _CLOSERS[ch]:
                stack.pop()
            elif not stack and _LIST_MARKER.fullmatch(text[: i + 1]):
                continue
            else:
                findings.append(_finding(i, i + 1, f'closing "{ch}" without a matching opening'))
    findings.extend(
        _finding(i, i + 1, f'opening "{text[i]}" is never closed with "{_OPENERS[text[i]]}"')
        for i in stack
    )
    return findings


def _doubled_spaces(text: str) -> list[Finding]:
    if "  " not in text:
        return []
    return [
        _finding(m.start(), m.end(), f"{len(m.group())} spaces in a row; use one")
        for m in _DOUBLE_SPACE.finditer(text)
    ]


def _spaces_before_punctuation(text: str) -> list[Finding]:
    findings: list[Finding] = []
    if _SPACE_THEN_PUNCT.search(text) is None:
        return findings  # the fast test (a literal space first: a quick scan)
    for match in _SPACE_BEFORE_PUNCT.finditer(text):
        mark = text[match.end()]
        after = text[match.end() + 1 : match.end() + 2]
        if text.startswith("...", match.end()):
            continue  # a spaced ellipsis is a style choice
        if after.isalnum():
            continue  # ".5", ".NET", ":00" - not sentence punctuation
        findings.append(_finding(match.start(), match.end(), f'space before "{mark}"; remove it'))
    return findings


def _doubled_words(text: str, grammatical: frozenset[str]) -> list[Finding]:
    findings = []
    # On ASCII text (nearly all), the case-sensitive ASCII pattern on the lowercase text finds
    # the same spans as the Unicode pattern that ignores case, and a third faster.
    if text.isascii():
        matches = _DOUBLED_ASCII_WORD.finditer(text.lower())
    else:
        matches = _DOUBLED_WORD.finditer(text)
    for match in matches:
        if match.group(1).lower() in grammatical:
            continue
        start, end = match.span(2)
        findings.append(
            _finding(start, end, f'"{text[start:end]}" repeats the word before it; remove one')
        )
    return findings


def check_typography(
    sentences: Sequence[str], index: int, *, language: Language | None = None
) -> list[Finding]:
    """Find typographic slips in one sentence.

    Args:
        sentences: The seed sentences of the document.
        index: Which sentence to check.
        language: Their language (default English): its quotation marks (``[punctuation]
            quotes``) and the words whose doubling is grammatical ("she had had enough",
            ``[words] grammatical_repeats``).

    Returns:
        Findings with offsets into ``sentences[index]``, sorted by position.
    """
    text = sentences[index]
    conventions = _conventions(language or get_language("en"))
    findings = [
        *_dashes_in_words(text),
        *_unmatched_quotes(text, conventions.quotes),
        *_unmatched_brackets(text),
        *_doubled_spaces(text),
        *_spaces_before_punctuation(text),
        *_doubled_words(text, conventions.repeats),
    ]
    if len(findings) < 2:
        return findings
    return sorted(findings, key=lambda f: (f.start, f.end))


class _Conventions(NamedTuple):
    quotes: tuple[str, str]  # the primary double quotes, opening and closing
    repeats: frozenset[str]  # words whose doubling is grammatical ("she had had enough")


@cache
def _conventions(language: Language) -> _Conventions:
    """The language's quotes (English ones when its file gives none) and repeats."""
    quotes = language.quotes[0] if language.quotes else ("\u201c", "\u201d")
    return _Conventions(quotes, language.words("grammatical_repeats", default=frozenset()))


CHECK = register(SentenceFunction("typography", check_typography, (Category.typography,), needs=()))
