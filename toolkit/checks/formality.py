"""Reference-free formality check: a document that addresses its reader both as du and as Sie.

German (and any language whose data file has ``[words] informal_address`` and
``formal_address``; in the others the check finds nothing) addresses the reader informally
(du, dich, dein-, euch, euer-) or formally (Sie, Ihnen, Ihr-).  A document should keep one:
the register it uses more often (on a tie, the one it uses first) is the document's, and each
form of the other register is a finding.

What counts:

* informal forms in any case ("du", "Du", "euch");
* formal forms only as written in the list (capitalised) and only mid-sentence: at a sentence
  start, after a colon or an opening quote, "Sie" may as well be "they" or "she";
* nothing inside quotation marks: quoted speech keeps the register of its speaker ("Sie
  sagte: „Du schaffst das.“").

    >>> from toolkit.lang import language
    >>> doc = ["Können Sie mir folgen?", "Dann schaut euch das an.", "Danke, dass Sie da sind."]
    >>> [f.message for f in check_formality(doc, 1, _facts(doc, language=language("de")))]
    ['"euch" addresses the reader informally; the document uses the formal Sie 2 times']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from toolkit.checks import Category, DocumentFunction, Finding, Severity, register
from toolkit.lang import Language

__all__ = ["CHECK", "check_formality"]

_WORD = re.compile(r"[^\W\d_]+")
# After one of these (or at the start) a capitalised word says nothing about formality.
_RESTART = frozenset(".!?:;\"'(\u201e\u201c\u201d\u201a\u2018\u2019\u00ab\u00bb\u2026-\u2013\u2014")
_QUOTED = re.compile(
    "\u201e[^\u201c\u201d]*[\u201c\u201d]?"  # „…“
    "|\u00bb[^\u00ab]*\u00ab?"  # »…«
    "|\u00ab[^\u00bb]*\u00bb?"  # «…»
    "|\u201c[^\u201d]*\u201d?"  # “…”
    '|"[^"]*"?'
)
_INFORMAL, _FORMAL = "informal", "formal"


class _Use(NamedTuple):
    register: str  # informal or formal
    start: int
    end: int


class _Facts(NamedTuple):
    uses: tuple[tuple[_Use, ...], ...]  # per sentence
    counts: dict[str, int]
    dominant: str  # "" when the document uses one register or none


def _uses(text: str, informal: frozenset[str], formal: frozenset[str]) -> tuple[_Use, ...]:
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    out = []
    for m in _WORD.finditer(text):
        if any(s <= m.start() < e for s, e in quoted):
            continue
        word = m.group()
        if word.lower() in informal:
            out.append(_Use(_INFORMAL, m.start(), m.end()))
        elif word in formal and _mid_sentence(text, m.start()):
            out.append(_Use(_FORMAL, m.start(), m.end()))
    return tuple(out)


def _mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in _RESTART


def _facts(sentences: Sequence[str], *, language: Language) -> _Facts:
    """The forms of address of every sentence, their counts and the document's register."""
    empty: frozenset[str] = frozenset()
    informal = language.words("informal_address", default=empty)
    formal = language.words("formal_address", default=empty)
    if not (informal and formal):  # English "you" is both: nothing to compare
        return _Facts(tuple(() for _ in sentences), {_INFORMAL: 0, _FORMAL: 0}, "")
    uses = tuple(_uses(text, informal, formal) for text in sentences)
    counts = {_INFORMAL: 0, _FORMAL: 0}
    first: dict[str, int] = {}
    for n, found in enumerate(uses):
        for use in found:
            counts[use.register] += 1
            first.setdefault(use.register, n)
    if not (counts[_INFORMAL] and counts[_FORMAL]):
        return _Facts(uses, counts, "")
    dominant = max(counts, key=lambda r: (counts[r], -first[r]))
    return _Facts(uses, counts, dominant)


def check_formality(sentences: Sequence[str], index: int, facts: _Facts) -> list[Finding]:
    """Flag each form of address in ``sentences[index]`` whose register is not the document's.

    Args:
        sentences: The document's sentences.
        index: The sentence to check.
        facts: What :func:`_facts` read from the whole document.

    Returns:
        One minor ``fluency/consistency`` finding per form of the minority register.
    """
    if not facts.dominant:
        return []
    other = facts.counts[facts.dominant]
    text = sentences[index]
    return [
        Finding(
            Category.consistency,
            Severity.minor,
            use.start,
            use.end,
            _message(text[use.start : use.end], use.register, facts.dominant, other),
        )
        for use in facts.uses[index]
        if use.register != facts.dominant
    ]


def _message(form: str, register: str, dominant: str, count: int) -> str:
    times = "once" if count == 1 else f"{count} times"
    usual = "the formal Sie" if dominant == _FORMAL else "the informal du/ihr"
    how = "informally" if register == _INFORMAL else "formally"
    return f'"{form}" addresses the reader {how}; the document uses {usual} {times}'


CHECK = register(
    DocumentFunction("formality", _facts, check_formality, (Category.consistency,), needs=())
)
