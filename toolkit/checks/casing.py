"""Reference-free casing check: common nouns capitalised mid-sentence ("the Chinese Leader said").

A capitalised word is flagged only when the document also writes it in lowercase, or when it
is one of a few nouns that translations often capitalise by mistake.  Names are protected by
position (sentence start, after a colon or quote) and by their neighbours: a title before a
name ("President Lincoln") and runs of capitalised words ("Red Army") are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from toolkit.checks import Category, DocumentFunction, Finding, Severity, register
from toolkit.lang import language

__all__ = ["CHECK", "check_casing"]

# The rules are English; the word lists are in toolkit/lang/data/en.toml.
_EN = language("en")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Nouns that translations, especially from languages without case, often capitalise.
_OFTEN_CAPITALISED = _EN.words("often_capitalised")
# Nouns that are also names by convention ("the Earth orbits the Sun"): either case is right.
_EITHER_CASE = _EN.words("either_case")
# A leading aside in brackets ("(Laughter) When we ...", "[Music] Like ..."): a new start.
_LEADING_ASIDE = re.compile(r"\A\s*[(\[][^()\[\]\n]*[)\]]\Z")
# A capitalised word that starts a sentence, or follows one of these, says nothing about casing.
_RESTART = frozenset(".!?:;\"'(\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026")
# Lowercase words inside multi-word names.
_CONNECTORS = _EN.words("casing_connectors")
# Proper adjectives ("Chinese", "American") precede common nouns without making a name with them.
# "-an" and "-i" are left out on purpose: "Republican Party" and "Nazi Party" are names.
_DEMONYM_ENDINGS = _EN.sequence("demonym_suffixes")
_DEMONYMS = _EN.words("demonyms")


class _Token(NamedTuple):
    text: str
    start: int
    end: int
    capitalised: bool  # capital first letter, mid-sentence position
    upper_first: bool  # capital first letter, wherever it stands


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_listed(word: str) -> bool:
    lower = word.lower()
    return lower in _OFTEN_CAPITALISED or _singular(lower) in _OFTEN_CAPITALISED


def _is_demonym(word: str) -> bool:
    return word in _DEMONYMS or word.endswith(_DEMONYM_ENDINGS)


def _tokens(text: str) -> list[_Token]:
    tokens = []
    previous_end = 0
    for match in _WORD.finditer(text):
        start = match.start()
        gap = text[previous_end:start]  # what lies between this word and the one before
        previous_end = match.end()
        stripped = gap.rstrip()
        if stripped:
            last = stripped[-1]
            trailing = gap[len(stripped) :]
        else:  # only spaces since the previous word (or the start of the text)
            last = "" if start == len(gap) else text[start - len(gap) - 1]
            trailing = gap
        # A line break before the word starts a heading or a new paragraph.
        restarts = (
            not last
            or last in _RESTART
            or "\n" in trailing
            or (last in ")]" and _LEADING_ASIDE.match(text[:start].rstrip()) is not None)
        )
        glued = start > 0 and not text[start - 1].isspace() and not restarts
        word = match.group()
        upper_first = word[0].isupper()
        capitalised = upper_first and not restarts and not glued
        tokens.append(_Token(word, start, match.end(), capitalised, upper_first))
    return tokens


def _lowercase_words(sentences: Sequence[str]) -> frozenset[str]:
    """Every word the document writes in lower case: the check's document facts."""
    return frozenset(
        m.group() for text in sentences for m in _WORD.finditer(text) if m.group().islower()
    )


def _linked_by_connector(tokens: list[_Token], i: int, step: int) -> bool:
    """Whether "of", "the", ... link token ``i`` to a capitalised word ("Games of the Future")."""
    j = i + step
    skipped = 0
    while 0 <= j < len(tokens) and skipped < 2 and tokens[j].text in _CONNECTORS:
        j += step
        skipped += 1
    # The sentence's first word is capitalised anyway, so it cannot anchor a name.
    return skipped > 0 and 0 <= j < len(tokens) and tokens[j].upper_first and tokens[j].start > 0


def _is_part_of_name(tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.capitalised:
        return True  # a title before a name ("President Lincoln") or a run ("Red Army")
    if _linked_by_connector(tokens, i, -1) or _linked_by_connector(tokens, i, 1):
        return True  # "Bank of England", "Games of the Future"
    if prev is not None and prev.capitalised:
        # "Chinese Leader" is a proper adjective before a common noun, not a name.
        return not (_is_demonym(prev.text) and _is_listed(token.text))
    return False


def _could_flag(word: str, lowercase: frozenset[str]) -> bool:
    return (
        word[0].isupper()
        and len(word) > 1
        and word[1:].islower()
        and (word.lower() in lowercase or _is_listed(word))
        and word.lower() not in _EITHER_CASE
    )


def check_casing(sentences: Sequence[str], index: int) -> list[Finding]:
    """Find common nouns capitalised in the middle of one sentence.

    Args:
        sentences: The seed sentences of the document; they show which words are common.
        index: Which sentence to check.

    Returns:
        Findings with offsets into ``sentences[index]``, sorted by position.  (This reads
        the whole document on every call; a run prepares :data:`CHECK` once instead.)
    """
    return _check(sentences, index, _lowercase_words(sentences))


def _check(sentences: Sequence[str], index: int, lowercase: frozenset[str]) -> list[Finding]:
    text = sentences[index]
    # Most sentences have no capitalised word that the rule could flag: skip the tokenizer.
    if not any(m.start() > 0 and _could_flag(m.group(), lowercase) for m in _WORD.finditer(text)):
        return []
    tokens = _tokens(text)
    findings = []
    for i, token in enumerate(tokens):
        word = token.text
        if not token.capitalised or len(word) < 2 or not word[1:].islower():
            continue  # "I", "NATO" and "McDonald" are not mid-sentence capitals of common words
        if word.lower() not in lowercase and not _is_listed(word):
            continue
        if word.lower() in _EITHER_CASE:
            continue
        if _is_part_of_name(tokens, i):
            continue
        findings.append(
            Finding(
                Category.casing,
                Severity.minor,
                token.start,
                token.end,
                f'"{word}" is capitalised mid-sentence; write "{word.lower()}" '
                "unless it is part of a name or title",
            )
        )
    return findings


CHECK = register(
    DocumentFunction(
        "casing", _lowercase_words, _check, (Category.casing,), languages=frozenset({"en"})
    )
)
