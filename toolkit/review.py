"""The review queue: seed sentences ordered by suspicion, with their flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.checks import Category, Severity
from toolkit.errors import UsageError
from toolkit.flags import Flag
from toolkit.result import Report
from toolkit.segment import Segment

__all__ = ["ReviewItem", "failing_flags", "review_queue"]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One seed sentence that needs a look."""

    segment: Segment
    suspicion: float
    flags: tuple[Flag, ...]


def review_queue(
    report: Report,
    *,
    min_severity: Severity = Severity.minor,
    categories: Iterable[Category] | None = None,
) -> list[ReviewItem]:
    """The flagged sentences of ``report``, most suspect first.

    A sentence is listed when at least one of its flags passes the filters; its suspicion is
    the sentence's own (all its flags and its divergence from the references).

    Args:
        report: A compared seed (with or without references), run with detection on.
        min_severity: Leave out flags below this severity.
        categories: Keep only flags of these categories (all when None).

    Raises:
        UsageError: The report was made without the divergence checks.
    """
    if not report.settings.detect:
        raise UsageError("this report was made without the checks; run it with detection on")
    wanted = set(categories) if categories is not None else None
    floor = min_severity.weight
    items = []
    for segment, result in zip(report.seed_segments, report.sentences, strict=True):
        kept = tuple(
            f
            for f in result.flags
            if f.severity.weight >= floor and (wanted is None or f.category in wanted)
        )
        if kept:
            items.append(ReviewItem(segment, result.suspicion, kept))
    items.sort(key=lambda item: (-item.suspicion, item.segment.start))
    return items


def failing_flags(report: Report, threshold: Severity) -> dict[Severity, int]:
    """How many unwaived flags of ``report`` are at or above ``threshold``, by severity
    (only severities with at least one flag; empty when the gate passes)."""
    counts: dict[Severity, int] = {}
    for result in report.sentences:
        for f in result.flags:
            if f.severity.weight >= threshold.weight:
                counts[f.severity] = counts.get(f.severity, 0) + 1
    return {s: counts[s] for s in Severity if s in counts}
