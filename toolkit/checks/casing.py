"""Casing check: common nouns capitalised mid-sentence ("the Chinese Leader said").

One check, ``casing``, with a rule set per kind of language.  For a language that writes its
common nouns in lower case (English: the five word lists of :data:`NEEDS`) it is reference-free
and reads the whole document, as below.  For a language that capitalises its nouns (German:
:data:`toolkit.checks.nouncase.NEEDS`) it compares each bead with the reference and a lexicon
instead (:mod:`toolkit.checks.nouncase`).

A capitalised word is flagged only when the document also writes it in lowercase, or when it
is one of a few nouns that translations often capitalise by mistake.  Names are protected by
position (sentence start, after a colon or quote) and by their neighbours: a title before a
name ("President Lincoln") and runs of capitalised words ("Red Army") are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from toolkit.checks import Category, Finding, Severity, register
from toolkit.checks.nouncase import NEEDS as NOUN_NEEDS
from toolkit.checks.nouncase import check_noun_casing
from toolkit.checks.protocol import Checker, Context, Kind
from toolkit.lang import Language
from toolkit.lang import language as get_language

__all__ = ["CHECK", "check_casing"]

_WORD = re.compile(r"[^\W\d_]++(?:['\u2019][^\W\d_]++)*+")
_group = re.Match.group
# The words of :data:`_WORD` that start with a capital, on ASCII text (nearly all), where a
# word starts at a letter that follows neither a letter nor a letter and an apostrophe: the
# regex engine finds them by their first character, without reading every word.
_ASCII_CAPITALISED = re.compile(
    r"[A-Z](?<![A-Za-z][A-Z])(?<![A-Za-z]'[A-Z])[A-Za-z]*(?:'[A-Za-z]+)*"
)
# A leading aside in brackets ("(Laughter) When we ...", "[Music] Like ..."): a new start.
_LEADING_ASIDE = re.compile(r"\A\s*[(\[][^()\[\]\n]*[)\]]\Z")
# A capitalised word that starts a sentence, or follows one of these, says nothing about casing.
_RESTART = frozenset(".!?:;\"'(\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026")
# The language tables the check reads; a language without them (German capitalises every
# noun) does not run it.
NEEDS = (
    "words.often_capitalised",
    "words.either_case",
    "words.casing_connectors",
    "words.demonyms",
    "words.demonym_suffixes",
)


@dataclass(frozen=True, slots=True)
class _Words:
    """The check's word lists, from the document's language."""

    often_capitalised: frozenset[str]  # nouns translations often capitalise by mistake
    either_case: frozenset[str]  # names by convention too ("the Earth orbits the Sun")
    connectors: frozenset[str]  # lowercase words inside multi-word names
    # Proper adjectives ("Chinese", "American") precede common nouns without making a name
    # with them ("-an" and "-i" are left out on purpose: "Republican Party" is a name).
    demonyms: frozenset[str]
    demonym_suffixes: tuple[str, ...]


@cache
def _words(language: Language) -> _Words:
    return _Words(
        language.words("often_capitalised"),
        language.words("either_case"),
        language.words("casing_connectors"),
        language.words("demonyms"),
        language.sequence("demonym_suffixes"),
    )


class _Facts(NamedTuple):
    lowercase: frozenset[str]  # every word the document writes in lower case
    words: _Words


class _Token(NamedTuple):
    text: str
    start: int
    end: int
    capitalised: bool  # capital first letter, mid-sentence position
    upper_first: bool  # capital first letter, wherever it stands
    hyphenated: bool = False  # the second part of a hyphenated word ("Well-Being")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_listed(word: str, w: _Words) -> bool:
    lower = word.lower()
    return lower in w.often_capitalised or _singular(lower) in w.often_capitalised


def _is_demonym(word: str, w: _Words) -> bool:
    return word in w.demonyms or word.endswith(w.demonym_suffixes)


def _token(text: str, matches: Sequence[re.Match[str]], i: int) -> _Token:
    """The ``i``-th word of ``text`` (``matches`` are its words); what it needs to know of
    the words before it is where the previous one ends."""
    match = matches[i]
    start = match.start()
    previous_end = matches[i - 1].end() if i else 0
    gap = text[previous_end:start]  # what lies between this word and the one before
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
    hyphenated = glued and text[start - 1] in "-\u2010\u2011"
    return _Token(word, start, match.end(), capitalised, upper_first, hyphenated)


class _Tokens(Sequence[_Token]):
    """The words of a text as tokens, each made when it is first read: the rule reads only
    the few words around a capitalised one."""

    __slots__ = ("_made", "_matches", "_text")

    def __init__(self, text: str, matches: Sequence[re.Match[str]]) -> None:
        self._text = text
        self._matches = matches
        self._made: dict[int, _Token] = {}

    def __len__(self) -> int:
        return len(self._matches)

    def __getitem__(self, i: int) -> _Token:  # type: ignore[override]  # no slices
        token = self._made.get(i)
        if token is None:
            token = self._made[i] = _token(self._text, self._matches, i)
        return token


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` may be capitalised mid-sentence (:attr:`_Token.capitalised`
    is False otherwise): a space comes before it, and before that a word or a character
    that does not restart a sentence."""
    if not start or not text[start - 1].isspace():
        return False  # the text's first word, or one glued to what comes before it
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in _RESTART


def _facts(sentences: Sequence[str], *, language: Language) -> _Facts:
    """Every word the document writes in lower case, and the language's lists."""
    seen: set[str] = set()  # each distinct word once: a long document repeats its words
    for text in sentences:
        seen.update(_WORD.findall(text))
    return _Facts(frozenset(word for word in seen if word.islower()), _words(language))


def _linked_by_connector(tokens: Sequence[_Token], i: int, step: int, w: _Words) -> bool:
    """Whether "of", "the", ... link token ``i`` to a capitalised word ("Games of the Future")."""
    j = i + step
    skipped = 0
    while 0 <= j < len(tokens) and skipped < 2 and tokens[j].text in w.connectors:
        j += step
        skipped += 1
    # The sentence's first word is capitalised anyway, so it cannot anchor a name.
    return skipped > 0 and 0 <= j < len(tokens) and tokens[j].upper_first and tokens[j].start > 0


def _is_part_of_name(tokens: Sequence[_Token], i: int, w: _Words) -> bool:
    token = tokens[i]
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.capitalised:
        return True  # a title before a name ("President Lincoln") or a run ("Red Army")
    if _linked_by_connector(tokens, i, -1, w) or _linked_by_connector(tokens, i, 1, w):
        return True  # "Bank of England", "Games of the Future"
    if prev is not None and (prev.capitalised or (prev.hyphenated and prev.upper_first)):
        # A run of capitalised words goes on through a hyphenated one ("Child Well-Being
        # Index", "Socio-Economic Classification").
        # "Chinese Leader" is a proper adjective before a common noun, not a name.
        return not (_is_demonym(prev.text, w) and _is_listed(token.text, w))
    return False


def _could_flag(word: str, lowercase: frozenset[str], w: _Words) -> bool:
    return (
        word[0].isupper()
        and len(word) > 1
        and word[1:].islower()
        and (word.lower() in lowercase or _is_listed(word, w))
        and word.lower() not in w.either_case
    )


def check_casing(
    sentences: Sequence[str], index: int, *, language: Language | None = None
) -> list[Finding]:
    """Find common nouns capitalised in the middle of one sentence.

    Args:
        sentences: The seed sentences of the document; they show which words are common.
        index: Which sentence to check.
        language: Their language (default English).

    Returns:
        Findings with offsets into ``sentences[index]``, sorted by position.  (This reads
        the whole document on every call; a run prepares :data:`CHECK` once instead.)
    """
    return _check(sentences, index, _facts(sentences, language=language or get_language("en")))


def _check(sentences: Sequence[str], index: int, facts: _Facts) -> list[Finding]:
    text = sentences[index]
    lowercase, w = facts
    if text.isascii() and not any(
        _mid_sentence(text, m.start()) and _could_flag(m.group(), lowercase, w)
        for m in _ASCII_CAPITALISED.finditer(text)
    ):
        return []  # the usual case: no word the rule could flag
    matches = list(_WORD.finditer(text))
    words = list(map(_group, matches))
    # The words the rule could flag: capitalised, not the text's first word (which starts
    # a sentence), and written in lowercase elsewhere or listed.  Most sentences have none.
    first = 1 if matches and matches[0].start() == 0 else 0
    flaggable = [
        i
        for i, word in enumerate(words)
        if word[0].isupper() and i >= first and _could_flag(word, lowercase, w)
    ]
    if not flaggable:
        return []
    tokens = _Tokens(text, matches)
    findings = []
    for i in flaggable:
        token = tokens[i]
        word = token.text
        if not token.capitalised:
            continue  # it starts a sentence, or is glued to what comes before it
        if _is_part_of_name(tokens, i, w):
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


def _has(language: Language, tables: tuple[str, ...]) -> bool:
    return all(language.has(t) for t in tables)


@dataclass(frozen=True, slots=True)
class _CasingCheck:
    """The ``casing`` check: English rules per sentence, or noun rules per bead."""

    name: str = "casing"
    categories: tuple[Category, ...] = (Category.casing,)

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset({Kind.document, Kind.pair})

    def supports(self, language: str) -> bool:
        lang = get_language(language)
        return _has(lang, NEEDS) or _has(lang, NOUN_NEEDS)

    def prepare(self, context: Context) -> Checker:
        lang = get_language(context.language)
        if _has(lang, NEEDS):
            return _SentenceCasing(context.sentences, _facts(context.sentences, language=lang))
        return _NounCasing(lang if _has(lang, NOUN_NEEDS) else None)


class _SentenceCasing(Checker):
    __slots__ = ("_facts", "_sentences")

    def __init__(self, sentences: Sequence[str], facts: _Facts) -> None:
        self._sentences = sentences
        self._facts = facts

    def sentence(self, index: int) -> list[Finding]:
        return _check(self._sentences, index, self._facts)


class _NounCasing(Checker):
    __slots__ = ("_language",)

    def __init__(self, language: Language | None) -> None:
        self._language = language

    def pair(self, seed: str, reference: str) -> list[Finding]:
        if self._language is None:
            return []
        return check_noun_casing(seed, reference, language=self._language)


CHECK = register(_CasingCheck())
