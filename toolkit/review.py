"""The review queue: seed sentences ordered by suspicion, with their flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.checks import Category, Severity
from toolkit.detect import Flag, detect, suspicion
from toolkit.result import Report
from toolkit.segment import Segment

__all__ = ["ReviewItem", "review_queue"]


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
    """Run the checks on ``report`` and return the flagged sentences, most suspect first.

    Args:
        report: A compared seed (with or without references).
        min_severity: Leave out flags below this severity.
        categories: Keep only flags of these categories (all when None).
    """
    wanted = set(categories) if categories is not None else None
    floor = min_severity.weight
    per_sentence = detect(
        [s.text for s in report.seed_segments],
        [(r.name, [s.text for s in r.segments], r.alignment) for r in report.references],
    )
    items = []
    for segment, flags in zip(report.seed_segments, per_sentence, strict=True):
        kept = tuple(
            f
            for f in flags
            if f.severity.weight >= floor and (wanted is None or f.category in wanted)
        )
        if kept:
            items.append(ReviewItem(segment, suspicion(kept), kept))
    items.sort(key=lambda item: (-item.suspicion, item.segment.start))
    return items
