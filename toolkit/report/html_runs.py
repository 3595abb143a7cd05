"""The marked-up text of one sentence on the review page: where a flag opens and closes and
which stretches the word diff changed, as steps the template writes out (no HTML here).

Flag spans may nest or cross; crossing spans are cut so that every part is one element.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from toolkit.flags import Flag
from toolkit.report.worddiff import word_diff

__all__ = ["Mark", "Run", "Span", "nest", "runs", "word_changes"]

# Diff classes of a text run: "" unchanged, "d" only this side has it, "r" replaced.
Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Mark:
    """A flag's span in one table (a part of it, when it crosses another flag's span)."""

    tip: str
    flag: Flag
    start: int
    end: int
    category: int
    badge: str
    other: bool  # the reference of this table does not support the flag

    @property
    def support(self) -> str:
        if not self.flag.available:
            return "reference-free check"
        names = ", ".join(self.flag.references)
        return f"supported by {names}: {self.flag.support} of {self.flag.available} references"


class Run(NamedTuple):
    """One step of a sentence's markup: open or close a flag, or a stretch of text."""

    kind: str  # "text", "open" or "close"
    text: str = ""
    diff: str = ""
    mark: Mark | None = None


def word_changes(seed: list[str], ref: list[str]) -> tuple[list[list[Span]], list[list[Span]]]:
    """Changed stretches of each sentence, from the word diff of the joined bead texts."""
    if not seed or not ref:
        return [[] for _ in seed], [[] for _ in ref]
    seed_spans: list[Span] = []
    ref_spans: list[Span] = []
    a = b = 0
    for piece in word_diff(" ".join(seed), " ".join(ref)):
        if piece.tag != "equal":
            cls = "r" if piece.tag == "replace" else "d"
            if piece.seed:
                seed_spans.append((a, a + len(piece.seed), cls))
            if piece.ref:
                ref_spans.append((b, b + len(piece.ref), cls))
        a += len(piece.seed)
        b += len(piece.ref)
    return _split(seed_spans, seed), _split(ref_spans, ref)


def _split(spans: list[Span], texts: list[str]) -> list[list[Span]]:
    """Spans over ``" ".join(texts)`` cut into spans over each text."""
    out = []
    offset = 0
    for text in texts:
        end = offset + len(text)
        out.append(
            [
                (max(lo, offset) - offset, min(hi, end) - offset, cls)
                for lo, hi, cls in spans
                if lo < end and hi > offset
            ]
        )
        offset = end + 1
    return out


def nest(flags: Sequence[Flag], length: int) -> list[tuple[int, int, int]]:
    """Flag spans as properly nested ``(start, end, flag index)`` parts, in document order.

    Spans that contain one another nest as they are; a span that crosses the end of an open one
    is cut there and its remainder continues after it, so every part is one element.
    """
    heap = [
        (max(0, f.start), -min(f.end, length), n)
        for n, f in enumerate(flags)
        if max(0, f.start) < min(f.end, length)
    ]
    heapq.heapify(heap)
    open_ends: list[int] = []
    parts = []
    while heap:
        start, neg_end, n = heapq.heappop(heap)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and open_ends[-1] < end:
            heapq.heappush(heap, (open_ends[-1], -end, n))
            end = open_ends[-1]
        open_ends.append(end)
        parts.append((start, end, n))
    return parts


def runs(text: str, changes: Sequence[Span], marks: Sequence[Mark]) -> tuple[Run, ...]:
    """The text cut at every change and mark boundary, with open/close steps for the marks."""
    if not changes and not marks:
        return (Run("text", text),) if text else ()
    points = {0, len(text)}
    for lo, hi, _ in changes:
        points.update((lo, hi))
    for mark in marks:
        points.update((mark.start, mark.end))
    runs: list[Run] = []
    opening = sorted(marks, key=lambda m: (m.start, -m.end))
    stack: list[Mark] = []
    next_mark = next_change = 0
    for a, b in pairwise(sorted(points)):
        while stack and stack[-1].end <= a:
            runs.append(Run("close", mark=stack.pop()))
        while next_mark < len(opening) and opening[next_mark].start == a:
            stack.append(opening[next_mark])
            runs.append(Run("open", mark=opening[next_mark]))
            next_mark += 1
        while next_change < len(changes) and changes[next_change][1] <= a:
            next_change += 1
        diff = ""
        if next_change < len(changes) and changes[next_change][0] <= a:
            diff = changes[next_change][2]
        runs.append(Run("text", text[a:b], diff))
    runs.extend(Run("close", mark=mark) for mark in reversed(stack))
    return tuple(runs)
