"""Glossary checks: required translations and forbidden variants of project terms.

A glossary is a UTF-8 CSV file, one term a row: ``term,required translation[,forbidden
variants separated by |]`` (a header row ``term,...`` is optional).  Matching is
case-insensitive and on whole words or phrases.  The checks are built from a glossary with
:class:`GlossaryCheck`, an ordinary check (see :mod:`toolkit.checks`) that pickles.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.checks import Category, Checker, Context, Finding, Kind, Severity
from toolkit.checks.diff import token_diff
from toolkit.document import read_bytes
from toolkit.errors import InputError

__all__ = [
    "Glossary",
    "GlossaryCheck",
    "Term",
    "forbidden_variants",
    "read_glossary",
    "required_terms",
]


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry.

    Attributes:
        term: The source term (a label for messages).
        required: The translation the project requires.
        forbidden: Variants the seed must not use.
    """

    term: str
    required: str
    forbidden: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.term.strip() or not self.required.strip():
            raise ValueError("a glossary term needs a term and a required translation")


@dataclass(frozen=True, slots=True)
class Glossary:
    """The terms of a glossary file, in file order."""

    terms: tuple[Term, ...]
    source: str = "<glossary>"


def read_glossary(path: str | Path) -> Glossary:
    """Read a glossary CSV.

    Raises:
        InputError: The file is missing, not a regular file, not UTF-8, or has a row
            without a required translation (the message names the line).
    """
    path = Path(path)
    # A pipe or a device would hang or never end: refused by read_bytes before it is opened.
    raw = read_bytes(path, missing="glossary file not found")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the glossary is not UTF-8 ({exc.reason})") from None
    return parse_glossary(text, source=str(path))


def parse_glossary(text: str, *, source: str = "<glossary>") -> Glossary:
    """Parse glossary CSV text (see :func:`read_glossary`)."""
    terms: list[Term] = []
    reader = csv.reader(io.StringIO(text))
    for row in reader:
        line = reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not terms and cells[0].lower() == "term":
            continue  # the header
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise InputError(
                f"{source}: line {line}: expected 'term,required translation"
                f"[,forbidden|variants]', got {','.join(row)!r}"
            )
        if len(cells) > 3:
            raise InputError(
                f"{source}: line {line}: {len(cells)} columns, expected 2 or 3 "
                "(separate forbidden variants with |, not commas)"
            )
        variants = cells[2].split("|") if len(cells) > 2 else []
        forbidden = tuple(v.strip() for v in variants if v.strip())
        terms.append(Term(cells[0], cells[1], forbidden))
    return Glossary(tuple(terms), source)


@lru_cache(maxsize=1024)
def _pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern for ``phrase`` (any whitespace between words)."""
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _find(phrase: str, text: str) -> re.Match[str] | None:
    return _pattern(phrase).search(text)


@dataclass(frozen=True, slots=True)
class GlossaryCheck:
    """The glossary check, an ordinary check built from one glossary (it pickles): the
    reference uses a term's required translation and the seed does not (per bead), or the
    seed uses a forbidden variant (per sentence, with or without a reference)."""

    glossary: Glossary
    name: str = "terminology"

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset({Kind.pair, Kind.free})

    @property
    def categories(self) -> tuple[Category, ...]:
        return (Category.terminology,)

    def supports(self, language: str) -> bool:
        return True  # the terms are the project's, in the seed's language

    def prepare(self, context: Context) -> Checker:
        return _GlossaryChecker(self.glossary, context.sentences)


class _GlossaryChecker(Checker):
    def __init__(self, glossary: Glossary, sentences: Sequence[str]) -> None:
        self._terms = glossary.terms
        self._sentences = sentences

    def pair(self, seed: str, reference: str) -> list[Finding]:
        return required_terms(self._terms, seed, reference)

    def sentence(self, index: int) -> list[Finding]:
        return forbidden_variants(self._terms, self._sentences[index])


def required_terms(terms: Sequence[Term], seed: str, ref: str) -> list[Finding]:
    """Terms whose required translation ``ref`` uses and ``seed`` does not."""
    findings = []
    for term in terms:
        if not _find(term.required, ref) or _find(term.required, seed):
            continue
        if any(_find(v, seed) for v in term.forbidden):
            continue  # the forbidden-variant rule flags it, on the variant
        start, end = _counterpart(seed, ref, term.required)
        findings.append(
            Finding(
                Category.terminology,
                Severity.major,
                start,
                end,
                f"glossary: {term.term!r} must be translated as {term.required!r}, "
                "which the reference uses and the seed does not",
            )
        )
    return findings


def forbidden_variants(terms: Sequence[Term], sentence: str) -> list[Finding]:
    """Forbidden variants of the terms that ``sentence`` uses."""
    findings = []
    for term in terms:
        for variant in term.forbidden:
            for match in _pattern(variant).finditer(sentence):
                findings.append(
                    Finding(
                        Category.terminology,
                        Severity.major,
                        match.start(),
                        match.end(),
                        f"glossary: {match.group()!r} is a forbidden variant; "
                        f"translate {term.term!r} as {term.required!r}",
                    )
                )
    return findings


def _counterpart(seed: str, ref: str, required: str) -> tuple[int, int]:
    """The seed span the token diff pairs with the reference's ``required`` phrase, else the
    whole (stripped) sentence."""
    match = _find(required, ref)
    if match is not None:
        for block in token_diff(seed, ref).changes():
            if block.tag != "replace" or not block.ref:
                continue
            if block.ref[0].start < match.end() and match.start() < block.ref[-1].end:
                span = block.seed_span
                if span is not None:
                    return span
    stripped = seed.strip()
    start = seed.find(stripped[:1]) if stripped else 0
    return start, max(start + 1, start + len(stripped))
