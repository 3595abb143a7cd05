"""The :class:`Language` object and its data file format.

A data file (``toolkit/lang/data/<code>.toml``) has these tables, all optional but
``[language]``:

``[language]``
    ``code``, ``name``, ``snowball`` (snowballstemmer's algorithm name), ``sentencex``
    (sentencex's language code, default ``code``), ``simplemma`` (the code of simplemma's
    dictionary, for a language that capitalises its nouns: the casing check reads it).
``[words]``
    Named word lists.  A value is whitespace-separated words, or a table
    ``{base = "other list" or [...], add = "...", remove = "..."}`` that derives a list from
    others, so that no word list is written twice.
``[phrases]``
    Named lists of entries that may hold spaces, separated by ``;`` or new lines.
``[groups]``
    Named lists of word groups: one group a line, members separated by spaces (or by ``;``).
``[pairs]``
    Named word -> word tables.
``[numbers]``
    ``decimal`` and ``thousands`` separators, ``units`` and ``tens`` (number word -> value),
    ``scales`` (word -> value multiplying what precedes it) and other number tables.
``[[pronouns]]``
    One entry per pronoun class: ``person`` (1-3), ``number`` (``singular``, ``plural`` or
    ``any``), ``gender``, ``formality`` and ``forms`` (whitespace-separated).
``[punctuation]``
    ``quotes`` (opening and closing pairs, primary first) and ``dashes`` conventions.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import pycountry
import snowballstemmer  # type: ignore[import-untyped]

from toolkit.errors import UsageError

__all__ = ["Language", "LanguageError", "NumberFormat", "Pronoun", "available", "language"]


class LanguageError(UsageError):
    """An unknown language code, or a language data file that does not read."""


@dataclass(frozen=True, slots=True)
class Pronoun:
    """One pronoun class: its grammatical features and its forms (which differ only in case).

    Attributes:
        person: 1, 2 or 3.
        number: ``singular``, ``plural`` or ``any`` (English "you").
        gender: ``masculine``, ``feminine``, ``neuter`` or ``""`` (none marked).
        formality: ``formal``, ``informal`` or ``""`` (none marked).
        forms: The lowercase forms.
    """

    person: int
    number: str
    gender: str
    formality: str
    forms: frozenset[str]

    def __post_init__(self) -> None:
        if self.person not in (1, 2, 3):
            raise LanguageError(f"a pronoun's person is 1, 2 or 3, got {self.person!r}")
        if self.number not in ("singular", "plural", "any"):
            raise LanguageError(
                f"a pronoun's number is singular, plural or any, got {self.number!r}"
            )

    @property
    def label(self) -> str:
        """A short name: ``3sg masculine``, ``1pl``, ``2`` (number any), ``2sg formal``."""
        number = {"singular": "sg", "plural": "pl", "any": ""}[self.number]
        return " ".join(p for p in (f"{self.person}{number}", self.gender, self.formality) if p)


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How a language writes numbers.

    Attributes:
        decimal: The decimal separator (``.`` in English, ``,`` in German).
        thousands: Digit group separators (``,`` in English; ``.`` and spaces in German).
    """

    decimal: str
    thousands: tuple[str, ...]


class Language:
    """What transdiff knows about one language: its tables, read from its data file.

    Get one with :func:`language` (cached); two Language objects of one code are equal.
    A language without a data file has no tables: only language-independent checks run.
    """

    def __init__(self, code: str, name: str, data: Mapping[str, Any]) -> None:
        self.code = code
        self.name = name
        self._data = data
        self._lists: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        return f"Language({self.code!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Language) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # A worker process reads the data file itself (once) instead of unpickling the tables.
        return language, (self.code,)

    @property
    def has_data(self) -> bool:
        """Whether the language has a data file."""
        return bool(self._data)

    def has(self, table: str) -> bool:
        """Whether the data file has ``table``: a top-level table (``pronouns``) or a named
        list in one (``words.function``)."""
        node: Any = self._data
        for part in table.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return False
            node = node[part]
        return True

    def words(self, name: str, *, default: frozenset[str] | None = None) -> frozenset[str]:
        """The word list ``[words] name`` (as written in the file: lowercase but for names).

        Raises:
            LanguageError: The language has no such list, and no ``default`` is given.
        """
        if default is not None and not self.has(f"words.{name}"):
            return default
        return self._words(name, ())

    def sequence(self, name: str) -> tuple[str, ...]:
        """The plain word list ``[words] name`` in file order (for rules tried in order)."""
        entry = self._entry("words", name)
        if not isinstance(entry, str):
            raise LanguageError(f"{self.code}: [words] {name} is derived; it has no order")
        return tuple(entry.split())

    def phrases(self, name: str) -> tuple[str, ...]:
        """The entries of ``[phrases] name``, in file order (they may hold spaces)."""
        text = self._entry("phrases", name)
        return tuple(p.strip() for line in text.splitlines() for p in line.split(";") if p.strip())

    def groups(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The groups of ``[groups] name``: one a line, in file order; the members of a
        group are separated by ``;`` when the line has one (they may hold spaces), else by
        white space."""
        text = self._entry("groups", name)
        return tuple(
            tuple(m.strip() for m in line.split(";") if m.strip())
            if ";" in line
            else tuple(line.split())
            for line in text.splitlines()
            if line.strip()
        )

    def pairs(self, name: str) -> Mapping[str, str]:
        """The word -> word table ``[pairs] name``."""
        return MappingProxyType(dict(self._entry("pairs", name)))

    def numbers(self, name: str) -> Mapping[str, int]:
        """The number table ``[numbers] name`` (word -> value): ``units``, ``tens``, ..."""
        return MappingProxyType(dict(self._entry("numbers", name)))

    @cached_property
    def number_format(self) -> NumberFormat:
        """Decimal and thousands separators (English conventions when the file has none)."""
        table = self._data.get("numbers", {})
        thousands = table.get("thousands", [","])
        return NumberFormat(table.get("decimal", "."), tuple(thousands))

    @cached_property
    def pronouns(self) -> tuple[Pronoun, ...]:
        """The pronoun classes (empty when the file has no ``[[pronouns]]``)."""
        return tuple(
            Pronoun(
                person=int(p["person"]),
                number=str(p.get("number", "any")),
                gender=str(p.get("gender", "")),
                formality=str(p.get("formality", "")),
                forms=frozenset(str(p["forms"]).split()),
            )
            for p in self._data.get("pronouns", ())
        )

    @cached_property
    def quotes(self) -> tuple[tuple[str, str], ...]:
        """Opening and closing quotation marks, primary first (empty when not given)."""
        marks = self._data.get("punctuation", {}).get("quotes", ())
        return tuple((str(q[0]), str(q[1])) for q in marks)

    @cached_property
    def dashes(self) -> Mapping[str, str]:
        """Dash conventions: ``range`` (between numbers) and ``aside`` (around a clause)."""
        return MappingProxyType(dict(self._data.get("punctuation", {}).get("dashes", {})))

    def setting(self, name: str) -> str:
        """The ``[language]`` entry ``name`` (``simplemma``: the lexicon's code), or ``""``."""
        return str(self._data.get("language", {}).get(name, ""))

    @property
    def sentencex(self) -> str:
        """The language code sentencex splits sentences with."""
        return str(self._data.get("language", {}).get("sentencex", self.code))

    @property
    def stemmer(self) -> str:
        """The snowball algorithm the language stems with, or ``""`` (no stemmer)."""
        return str(self._data.get("language", {}).get("snowball", ""))

    def stem(self, word: str) -> str:
        """The stem of a lowercase word (snowballstemmer); the word itself without a stemmer."""
        return _stem(self.stemmer, word)

    def _entry(self, table: str, name: str) -> Any:
        try:
            return self._data[table][name]
        except KeyError:
            raise LanguageError(
                f"{self.name} ({self.code}) has no [{table}] {name}; add it to "
                f"toolkit/lang/data/{self.code}.toml"
            ) from None

    def _words(self, name: str, seen: tuple[str, ...]) -> frozenset[str]:
        cached = self._lists.get(name)
        if cached is not None:
            return cached
        if name in seen:
            raise LanguageError(f"{self.code}: word list {name!r} derives from itself")
        entry = self._entry("words", name)
        if isinstance(entry, str):
            out = frozenset(entry.split())
        else:
            bases = entry.get("base", ())
            bases = [bases] if isinstance(bases, str) else bases
            out = frozenset().union(*(self._words(b, (*seen, name)) for b in bases))
            out = (out | frozenset(entry.get("add", "").split())) - frozenset(
                entry.get("remove", "").split()
            )
        self._lists[name] = out
        return out


@lru_cache(maxsize=65536)
def _stem(algorithm: str, word: str) -> str:
    return _snowball(algorithm).stemWord(word) if algorithm else word


@cache
def _snowball(algorithm: str) -> Any:
    return snowballstemmer.stemmer(algorithm)


def _normalise(code: str) -> str:
    return code.strip().replace("_", "-").split("-")[0].lower()


@cache
def available() -> tuple[str, ...]:
    """The codes of the languages that have a data file, sorted."""
    folder = resources.files("toolkit.lang") / "data"
    return tuple(sorted(f.name[:-5] for f in folder.iterdir() if f.name.endswith(".toml")))


@cache
def language(code: str) -> Language:
    """The language with ISO 639 code ``code`` (``en``, ``de``; ``en-GB`` reads as ``en``).

    Raises:
        LanguageError: ``code`` is no ISO 639 language code, or its data file does not read.
    """
    norm = _normalise(code)
    if norm != code and norm:
        return language(norm)  # one object per language: "EN", "en-GB" and "en" share it
    record = None
    if norm.isalpha() and len(norm) in (2, 3):
        record = pycountry.languages.get(alpha_2=norm) if len(norm) == 2 else None
        record = record or pycountry.languages.get(alpha_3=norm)
    if record is None:
        raise LanguageError(
            f"unknown language {code!r}: give an ISO 639 code such as en, de or fr "
            f"(languages with data: {', '.join(available())})"
        )
    short = getattr(record, "alpha_2", None) or record.alpha_3
    if short != norm:
        return language(short)
    if short not in available():
        return Language(short, record.name, MappingProxyType({}))
    path = resources.files("toolkit.lang") / "data" / f"{short}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LanguageError(f"toolkit/lang/data/{short}.toml: {exc}") from None
    return Language(short, str(data.get("language", {}).get("name", record.name)), data)
