"""Punctuation that crosses languages, as evidence that two sentences translate each other.

A translation keeps most of its source's question marks, brackets, quotes, colons, commas and
dashes, whatever their script's forms (U+FF0C and ","; U+FF1F and "?").  Each sentence is counted
per class of marks; a bead compares its two sides class by class and the comparison falls in
one of a few buckets (neither side has the mark, as many on both sides, the mark on one side
only, one more on one side, two or more).

The first pass scores the buckets with fixed costs on the marks that translations keep most
faithfully.  Later passes learn each class's costs from the document itself, as the lexicon
is learned: the log-likelihood ratio of each bucket between the pass's one-to-one beads and
the pairs those beads' seed sentences make with their neighbours' sources (what a shifted
alignment would pair).  So a class that a translator keeps (an MT system's commas) gains
weight, one that the languages use differently (German commas before every clause) loses it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BUCKETS", "CLASSES", "MarkModel", "Marks", "add", "first_pass", "learn_marks", "marks"]

# Each class with its forms in several scripts (Latin, CJK full width, Arabic, Spanish...),
# as a pattern; the last counts full stops that end a sentence (not decimals, not "...").
CLASSES: tuple[str, ...] = (
    "[?\uff1f\u00bf\u061f]",
    "[!\uff01\u00a1]",
    "[;\uff1b\u061b]",
    "[(\uff08\\[]",
    '["\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d]',
    "[:\uff1a]",
    "[,\uff0c\u3001\u060c]",
    "[\u2013\u2014\u2015\uff0d]",  # dashes (not the hyphen, which joins words)
    "\u3002|(?<![\\d.])\\.(?=\\s|$|[\"'\u201d\u300d)\uff09])",
)
_PATTERNS = tuple(re.compile(c) for c in CLASSES)
# The first pass's classes: the marks a translation keeps most faithfully, whatever the pair.
_FIRST = 5
_FIXED = 400.0  # first pass: bonus for as many on both sides, penalty for one side only
BUCKETS = 5  # neither, as many, one side only, one more, two or more more
Marks = tuple[int, ...]


def marks(text: str) -> Marks | None:
    """How many marks of each class ``text`` has (None: none at all)."""
    counts = tuple(len(p.findall(text)) for p in _PATTERNS)
    return counts if any(counts) else None


def add(a: Marks | None, b: Marks | None) -> Marks | None:
    """The marks of two sentences together."""
    if a is None or b is None:
        return a if b is None else b
    return tuple(x + y for x, y in zip(a, b, strict=True))


def _bucket(a: int, b: int) -> int:
    if a == b:
        return 1 if a else 0
    if not a or not b:
        return 2
    return 3 if abs(a - b) == 1 else 4


@dataclass(frozen=True)
class MarkModel:
    """For each class, the cost of each bucket (-100 log of a likelihood ratio).  Kept as
    ``base``, what a bead whose sides have no marks at all costs, and ``costs``, each bucket's
    cost less its class's "neither" cost (so a class neither side uses adds nothing)."""

    costs: tuple[tuple[float, ...], ...]
    base: float = 0.0

    def __post_init__(self) -> None:
        if len(self.costs) != len(CLASSES) or any(len(c) != BUCKETS for c in self.costs):
            raise ValueError(f"a mark model needs {len(CLASSES)} classes of {BUCKETS} costs")

    def cost(self, a: Marks | None, b: Marks | None) -> float:
        """The cost of pairing sentences with marks ``a`` and ``b``."""
        if a is None and b is None:
            return self.base
        a = a or _NONE
        b = b or _NONE
        return self.base + sum(
            row[_bucket(x, y)] for row, x, y in zip(self.costs, a, b, strict=True) if x or y
        )


_NONE: Marks = (0,) * len(CLASSES)


def first_pass() -> MarkModel:
    """Fixed costs on the faithful classes, nothing on the others."""
    fixed = (0.0, -_FIXED, _FIXED, 0.0, 0.0)
    return MarkModel(tuple(fixed if k < _FIRST else (0.0,) * BUCKETS for k in range(len(CLASSES))))


def learn_marks(
    pairs: Sequence[tuple[Marks | None, Marks | None]],
    shifted: Sequence[tuple[Marks | None, Marks | None]],
    *,
    weight: float = 1.0,
    smoothing: float = 1.0,
) -> MarkModel:
    """Per class, -100 ``weight`` log P(bucket | aligned pairs) / P(bucket | shifted pairs),
    each distribution smoothed by ``smoothing`` pseudo-counts per bucket."""
    rows: list[tuple[float, ...]] = []
    base = 0.0
    for k in range(len(CLASSES)):
        aligned = _distribution(pairs, k, smoothing)
        chance = _distribution(shifted, k, smoothing)
        ratios = [-100 * weight * math.log(p / q) for p, q in zip(aligned, chance, strict=True)]
        rows.append(tuple(r - ratios[0] for r in ratios))
        base += ratios[0]
    return MarkModel(tuple(rows), base)


def _distribution(
    pairs: Sequence[tuple[Marks | None, Marks | None]], k: int, smoothing: float
) -> list[float]:
    counts = [smoothing] * BUCKETS
    for a, b in pairs:
        counts[_bucket((a or _NONE)[k], (b or _NONE)[k])] += 1
    total = sum(counts)
    return [c / total for c in counts]
