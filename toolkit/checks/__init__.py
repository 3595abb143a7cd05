"""Divergence checks, one module per family.

A check is a function that returns :class:`Finding` objects with offsets into the seed
sentence.  Reference checks compare a seed text with the reference text aligned to it;
reference-free checks look at one seed sentence in the context of its whole document.
``detect.py`` runs the registered checks and turns findings into flags.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Category",
    "Finding",
    "FreeCheck",
    "PairCheck",
    "Severity",
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


class Category(StrEnum):
    """MQM-style categories of divergence."""

    pronoun = "accuracy/pronoun"
    number = "accuracy/number"
    negation = "accuracy/negation"
    entity = "accuracy/entity"
    omission = "accuracy/omission"
    addition = "accuracy/addition"
    mistranslation = "accuracy/mistranslation"
    untranslated = "accuracy/untranslated"
    typography = "fluency/typography"
    casing = "fluency/casing"
    consistency = "fluency/consistency"
    terminology = "terminology"


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


# A reference check: (seed text, reference text) -> findings on the seed text.
PairCheck = Callable[[str, str], list[Finding]]
# A reference-free check: (seed sentences of the document, index of the sentence) -> findings.
FreeCheck = Callable[[Sequence[str], int], list[Finding]]
