"""Checks made from functions: the usual way to write a check (see :mod:`toolkit.checks`).

A function check is a frozen dataclass of module-level functions, so it pickles for worker
processes.  A check that reads language tables names them in ``needs``; it is then given the
document's :class:`~toolkit.lang.Language` as ``language=`` and runs only for languages whose
data file has every table named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from toolkit.checks.protocol import Category, Checker, Context, Finding, Kind
from toolkit.lang import language

__all__ = ["DocumentFunction", "PairFunction", "SentenceFunction"]


@dataclass(frozen=True, slots=True)
class PairFunction:
    """A stateless pair check made from a function ``(seed, reference) -> findings``.

    Attributes:
        name: The check's name.
        function: A module-level function (so that it pickles).
        categories: The categories of its findings.
        languages: Language codes it supports; None: every language.
        needs: Language tables it reads (:meth:`toolkit.lang.Language.has` names); None:
            it reads none.  When given, the function is called with ``language=`` the
            document's :class:`~toolkit.lang.Language`, and the check runs only for languages
            that have every table named.
    """

    name: str
    function: Callable[..., list[Finding]]
    categories: tuple[Category, ...]
    languages: frozenset[str] | None = None
    needs: tuple[str, ...] | None = None

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset({Kind.pair})

    def supports(self, language: str) -> bool:
        return _supports(self.languages, self.needs, language)

    def prepare(self, context: Context) -> Checker:
        return _PairChecker(_bind(self.function, self.needs, context))


@dataclass(frozen=True, slots=True)
class SentenceFunction:
    """A check made from a function ``(seed sentences, index) -> findings``.

    Attributes:
        name: The check's name.
        function: A module-level function (so that it pickles).
        categories: The categories of its findings.
        kind: ``free`` (reads one sentence) or ``document`` (reads the others too).
        languages: Language codes it supports; None: every language.
        needs: Language tables it reads, as in :class:`PairFunction`.
    """

    name: str
    function: Callable[..., list[Finding]]
    categories: tuple[Category, ...]
    kind: Kind = Kind.free
    languages: frozenset[str] | None = None
    needs: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind is Kind.pair:
            raise ValueError(f"{self.name}: a sentence function is a free or document check")

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset({self.kind})

    def supports(self, language: str) -> bool:
        return _supports(self.languages, self.needs, language)

    def prepare(self, context: Context) -> Checker:
        return _SentenceChecker(_bind(self.function, self.needs, context), context.sentences)


Facts = TypeVar("Facts")


@dataclass(frozen=True, slots=True)
class DocumentFunction(Generic[Facts]):
    """A document check made of two functions: ``facts(sentences)`` reads the whole document
    once when the check is prepared, ``function(sentences, index, facts)`` checks one
    sentence with them.

    Attributes:
        name: The check's name.
        facts: Module-level function: what the document tells (its vocabulary, its script).
        function: Module-level function: findings on one sentence.
        categories: The categories of its findings.
        languages: Language codes it supports; None: every language.
        needs: Language tables it reads, as in :class:`PairFunction` (``facts`` gets
            ``language=``).
    """

    name: str
    facts: Callable[..., Facts]
    function: Callable[[Sequence[str], int, Facts], list[Finding]]
    categories: tuple[Category, ...]
    languages: frozenset[str] | None = None
    needs: tuple[str, ...] | None = None

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset({Kind.document})

    def supports(self, language: str) -> bool:
        return _supports(self.languages, self.needs, language)

    def prepare(self, context: Context) -> Checker:
        sentences = context.sentences
        facts = _bind(self.facts, self.needs, context)(sentences)
        return _DocumentChecker(self.function, sentences, facts)


def _supports(languages: frozenset[str] | None, needs: tuple[str, ...] | None, code: str) -> bool:
    if languages is not None and code not in languages:
        return False
    if not needs:
        return True
    lang = language(code)
    return all(lang.has(table) for table in needs)


def _bind(
    function: Callable[..., list[Finding]] | Callable[..., Any],
    needs: tuple[str, ...] | None,
    context: Context,
) -> Callable[..., Any]:
    """``function``, given the context's language when the check reads language tables."""
    if needs is None:
        return function
    return partial(function, language=language(context.language))


class _DocumentChecker(Checker):
    __slots__ = ("_facts", "_function", "_sentences")

    def __init__(
        self,
        function: Callable[[Sequence[str], int, Any], list[Finding]],
        sentences: Sequence[str],
        facts: object,
    ) -> None:
        self._function = function
        self._sentences = sentences
        self._facts = facts

    def sentence(self, index: int) -> list[Finding]:
        return self._function(self._sentences, index, self._facts)


class _PairChecker(Checker):
    __slots__ = ("_function",)

    def __init__(self, function: Callable[..., list[Finding]]) -> None:
        self._function = function

    def pair(self, seed: str, reference: str) -> list[Finding]:
        return self._function(seed, reference)


class _SentenceChecker(Checker):
    __slots__ = ("_function", "_sentences")

    def __init__(self, function: Callable[..., list[Finding]], sentences: Sequence[str]) -> None:
        self._function = function
        self._sentences = sentences

    def sentence(self, index: int) -> list[Finding]:
        return self._function(self._sentences, index)
