"""The review's data: flags, their stable ids and order, and the waivers that accept them.

Plain frozen values with no behaviour beyond their own fields, so that every stage (checks,
verifier, pipeline, renderers, waivers) can import them without importing one another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from toolkit.checks.protocol import Category, Severity
from toolkit.document import normalize

__all__ = ["Flag", "Reason", "Waiver", "flag_id", "flag_sort_key"]


@dataclass(frozen=True, slots=True)
class Flag:
    """A suspect span of one seed sentence.

    Attributes:
        id: Stable fingerprint of category, sentence text and span text.
        category: MQM-style category.
        severity: minor, major or critical.
        start: Offset of the span in the seed sentence text.
        end: End offset of the span.
        message: What is wrong, in plain language.
        references: Names of the references that support the flag (empty: reference-free).
        available: How many references were compared.
        probability: The verifier's probability that the span is a real error (None when
            nothing was verified: no reference).
    """

    id: str
    category: Category
    severity: Severity
    start: int
    end: int
    message: str
    references: tuple[str, ...] = ()
    available: int = 0
    probability: float | None = None

    def __reduce__(self) -> tuple[type[Flag], tuple[Any, ...]]:
        # The check workers send flags back by the hundred thousand: the fields as the
        # constructor takes them, not the dataclass's state protocol (faster both ways).
        return (
            Flag,
            (
                self.id,
                self.category,
                self.severity,
                self.start,
                self.end,
                self.message,
                self.references,
                self.available,
                self.probability,
            ),
        )

    @property
    def support(self) -> int:
        """How many references support the flag."""
        return len(self.references)

    @property
    def agreement(self) -> float:
        """Share of the references that agree (1.0 for reference-free flags)."""
        return self.support / self.available if self.available else 1.0

    @property
    def support_label(self) -> str:
        """``"2/3 refs"``, or ``"1/1 refs + source"`` when the source confirms the flag too
        (the source counts in :attr:`support` and :attr:`available`)."""
        if not self.available:
            return ""
        if "(source)" in self.references:  # toolkit.source.arbiter.SOURCE
            return f"{self.support - 1}/{self.available - 1} refs + source"
        return f"{self.support}/{self.available} refs"

    def to_dict(self, sentence: str) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "id": self.id,
            "category": self.category.value,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "text": sentence[self.start : self.end],
            "message": self.message,
            "references": list(self.references),
            "support": self.support_label.removesuffix(" refs").replace(" refs + ", " + ")
            if self.available
            else "no reference",
            "probability": self.probability,
        }


def flag_id(category: Category, sentence: str, span: str) -> str:
    """A fingerprint that survives edits elsewhere and changes when the sentence changes."""
    key = "\x1f".join((category.value, " ".join(normalize(sentence).split()), span))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def flag_sort_key(flag: Flag) -> tuple[float, int]:
    """The order of a sentence's flags: most severe (weighted by how many references agree)
    first, then by position in the sentence."""
    return (-flag.severity.weight * flag.agreement, flag.start)


class Reason(StrEnum):
    """Why a flag is waived."""

    false_positive = "false-positive"
    wont_fix = "wont-fix"


@dataclass(frozen=True, slots=True)
class Waiver:
    """One accepted flag.

    Attributes:
        id: The flag's stable id.
        reason: false-positive or wont-fix.
        comment: The reviewer's note.
        category: The flag's category (for humans).
        sentence: The sentence text when it was waived (for humans).
        span: The flagged text.
        created: The day the waiver was recorded.
    """

    id: str
    reason: Reason = Reason.false_positive
    comment: str = ""
    category: str = ""
    sentence: str = ""
    span: str = ""
    created: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("a waiver needs the id of a flag")
        try:
            object.__setattr__(self, "reason", Reason(self.reason))
        except ValueError:
            choices = ", ".join(r.value for r in Reason)
            raise ValueError(f"unknown reason {self.reason!r}; use one of {choices}") from None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for TOML and JSON (``created`` stays a date for TOML)."""
        data: dict[str, Any] = {
            "id": self.id,
            "reason": self.reason.value,
            "comment": self.comment,
            "category": self.category,
            "sentence": self.sentence,
            "span": self.span,
        }
        if self.created is not None:
            data["created"] = self.created
        return data
