"""The check protocol: categories, findings, checks and their registry.

See the package docstring (:mod:`toolkit.checks`) for the shape; a ten-line custom check::

    from toolkit.checks import Category, Finding, SentenceFunction, Severity

    SHOUTING = Category.register("fluency/style/shouting", badge="shout")

    def shouting(sentences, index):
        text = sentences[index]
        return [Finding(SHOUTING, Severity.minor, m.start(), m.end(), "avoid '!!'")
                for m in re.finditer(r"!{2,}", text)]

    check = SentenceFunction("shouting", shouting, (SHOUTING,))
    settings = RunSettings(extra_checks=(check,))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Protocol, runtime_checkable

__all__ = [
    "BUILTIN_CATEGORIES",
    "Category",
    "Check",
    "Checker",
    "Context",
    "Finding",
    "Kind",
    "Severity",
    "SourceText",
    "check_names",
    "register",
    "registered",
]


class Severity(StrEnum):
    """How bad a divergence is, as in MQM."""

    minor = "minor"
    major = "major"
    critical = "critical"

    @property
    def weight(self) -> float:
        """MQM weight: minor 1, major 5, critical 10."""
        return {"minor": 1.0, "major": 5.0, "critical": 10.0}[self.value]


class _Categories(type):
    """Iterating over :class:`Category` gives every registered category, in order."""

    _known: dict[str, Category]

    def __iter__(cls) -> Iterator[Category]:
        return iter(tuple(cls._known.values()))

    def __len__(cls) -> int:
        return len(cls._known)


_CATEGORY_NAME = re.compile(r"[a-z][a-z0-9-]*(?:/[a-z][a-z0-9-]*)*")


class Category(str, metaclass=_Categories):
    """An MQM-style category of divergence (``accuracy/pronoun``): a registered string.

    ``Category("accuracy/pronoun")`` returns the registered category and raises ValueError
    for an unknown name; :meth:`register` adds one (a plug-in's own category).  A category
    compares equal to its name, so JSON and configuration files carry plain strings.
    """

    __slots__ = ()
    _known: ClassVar[dict[str, Category]] = {}
    _badges: ClassVar[dict[str, str]] = {}

    pronoun: ClassVar[Category]
    number: ClassVar[Category]
    negation: ClassVar[Category]
    entity: ClassVar[Category]
    omission: ClassVar[Category]
    addition: ClassVar[Category]
    mistranslation: ClassVar[Category]
    untranslated: ClassVar[Category]
    typography: ClassVar[Category]
    casing: ClassVar[Category]
    consistency: ClassVar[Category]
    terminology: ClassVar[Category]

    def __new__(cls, value: str) -> Category:
        known = cls._known.get(value)
        if known is None:
            names = ", ".join(cls._known)
            raise ValueError(f"{value!r} is not a registered category; known: {names}")
        return known

    @classmethod
    def register(cls, value: str, *, badge: str | None = None) -> Category:
        """The category named ``value`` (``"group/name"``), registered if new.

        Args:
            value: Lower-case words joined by slashes, MQM style (``"fluency/style"``).
            badge: A short label for compact reports (default: the last part, cut to 5).

        Raises:
            ValueError: The name is not of that form.
        """
        known = cls._known.get(value)
        if known is not None:
            return known
        if not _CATEGORY_NAME.fullmatch(value):
            raise ValueError(
                f"a category name is lower-case words joined by '/', like "
                f"'accuracy/pronoun'; got {value!r}"
            )
        category = str.__new__(cls, value)
        cls._known[value] = category
        cls._badges[value] = badge or value.rsplit("/", 1)[-1][:5]
        return category

    @classmethod
    def named(cls, name: str) -> Category:
        """The registered category named ``name``, or whose last part is ``name``
        (``number`` finds ``accuracy/number``).

        Raises:
            ValueError: No such category; the message lists the known ones.
        """
        for category in cls._known.values():
            if name in (category.value, category.name):
                return category
        known = ", ".join(cls._known)
        raise ValueError(f"unknown category {name!r}; known categories: {known}")

    @property
    def value(self) -> str:
        """The category's name, as a plain string."""
        return str.__str__(self)

    @property
    def name(self) -> str:
        """The last part of the name (``pronoun`` for ``accuracy/pronoun``)."""
        return self.value.rsplit("/", 1)[-1]

    @property
    def badge(self) -> str:
        """A short label for compact reports."""
        return self._badges[self.value]

    def __repr__(self) -> str:
        return f"Category({self.value!r})"

    def __str__(self) -> str:
        return self.value

    def __reduce__(self) -> tuple[Callable[[str, str], Category], tuple[str, str]]:
        # A worker process may not have imported the plug-in that registered it yet.
        return _revive, (self.value, self.badge)


def _revive(value: str, badge: str) -> Category:
    return Category.register(value, badge=badge)


for _value, _badge in (
    ("accuracy/pronoun", "pron"),
    ("accuracy/number", "num"),
    ("accuracy/negation", "neg"),
    ("accuracy/entity", "ent"),
    ("accuracy/omission", "omit"),
    ("accuracy/addition", "add"),
    ("accuracy/mistranslation", "mistr"),
    ("accuracy/untranslated", "untr"),
    ("fluency/typography", "typo"),
    ("fluency/casing", "case"),
    ("fluency/consistency", "cons"),
    ("terminology", "term"),
):
    setattr(Category, _value.rsplit("/", 1)[-1], Category.register(_value, badge=_badge))
# The categories of the built-in checks (a fitted model's features name exactly these).
BUILTIN_CATEGORIES: tuple[Category, ...] = tuple(Category)


@dataclass(frozen=True, slots=True)
class Finding:
    """One divergence found by a check.

    Attributes:
        category: What kind of divergence.
        severity: How bad it is.
        start: Offset of the span's first character in the seed sentence text.
        end: Offset just past the span's last character (``start < end``).
        message: Plain language: what is wrong and, for reference checks, what the reference says.
    """

    category: Category
    severity: Severity
    start: int
    end: int
    message: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a finding needs 0 <= start < end, got {self.start}..{self.end}")
        if not self.message:
            raise ValueError("a finding needs a message")


class Kind(StrEnum):
    """What a check reads."""

    pair = "pair"  # a seed text against the reference text aligned to it
    free = "free"  # one seed sentence, without a reference
    document = "document"  # one seed sentence in the light of the whole seed document
    source = "source"  # seed sentences against the source text they translate


@dataclass(frozen=True, slots=True)
class SourceText:
    """The source of one or more seed sentences: one bead of the source alignment.

    Attributes:
        text: The source text (its sentences joined).
        seed: The seed sentences it is the source of, in order.
        language: The source's language code.
    """

    text: str
    seed: tuple[int, ...]
    language: str


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may know about the document it is prepared for.

    Attributes:
        sentences: The seed sentences of the document, in order.
        language: The seed's language code (``en``).
        source: For each seed sentence, the source it translates (None: none found); None
            when the run has no source (source checks are then not run).
    """

    sentences: Sequence[str]
    language: str = "en"
    source: Sequence[SourceText | None] | None = None


class Checker:
    """A check prepared for one document.  Both methods return findings with offsets into
    the seed text they were given (``pair``) or into ``sentences[index]`` (``sentence``);
    a check overrides the one(s) its kinds name."""

    def pair(self, seed: str, reference: str) -> list[Finding]:
        """Findings on ``seed``, a seed text, against the reference text aligned to it."""
        return []

    def sentence(self, index: int) -> list[Finding]:
        """Findings on seed sentence ``index`` of the prepared document."""
        return []


@runtime_checkable
class Check(Protocol):
    """A family of divergence checks.

    A check must pickle (a frozen dataclass of module-level functions does) when a run uses
    worker processes.
    """

    @property
    def name(self) -> str:
        """Unique name: how configuration files disable it."""
        ...

    @property
    def kinds(self) -> frozenset[Kind]:
        """What it reads: ``pair`` runs per aligned bead, ``free``/``document`` per sentence."""
        ...

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories its findings can have."""
        ...

    def supports(self, language: str) -> bool:
        """Whether it has what it needs (word lists, rules) for ``language``."""
        ...

    def prepare(self, context: Context) -> Checker:
        """A checker for one document."""
        ...


_REGISTRY: dict[str, Check] = {}


def register(check: Check) -> Check:
    """Add ``check`` to the registry (returned, so it can decorate a definition).

    Raises:
        ValueError: Another check has the same name.
    """
    known = _REGISTRY.get(check.name)
    if known is not None and known != check:
        raise ValueError(f"a check named {check.name!r} is already registered")
    _REGISTRY[check.name] = check
    return check


def registered() -> tuple[Check, ...]:
    """The built-in checks and any registered since, in registration order."""
    from toolkit.checks.builtin import BUILTIN  # importing the modules registers them

    return (*BUILTIN, *(c for c in _REGISTRY.values() if c not in BUILTIN))


def check_names(extra: Sequence[Check] = ()) -> tuple[str, ...]:
    """Every check name a run knows: the registered ones, ``extra``, ``terminology`` (the
    glossary check, built from a run's glossary) and ``post-edit`` (the changes a post-edit
    reference makes, flagged after verification: :mod:`toolkit.verify.postedit`)."""
    names = [c.name for c in (*registered(), *extra)]
    return tuple(dict.fromkeys([*names, "terminology", "post-edit"]))
