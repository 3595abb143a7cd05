"""Word-level differences between two texts, in pieces that rebuild both texts exactly.

The renderers (HTML, colour terminal, Markdown) show what the reference changed in the seed.
They need more than :func:`toolkit.checks.diff.token_diff`, which keeps words only: every
character must land in some piece, so that highlighting never drops or duplicates text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from rapidfuzz.distance import Levenshtein

__all__ = ["DiffPiece", "DiffTag", "word_diff"]

DiffTag = Literal["equal", "insert", "delete", "replace"]

# A word (letters, digits and combining marks, with inner apostrophes or hyphens) or one
# character of punctuation; white space is never a token, it is attached between pieces.
_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:['\u2019\-\u2010\u2011][\w\u0300-\u036f]+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class DiffPiece:
    """A stretch of both texts: equal words, or words only one side has or that differ.

    Attributes:
        tag: ``equal`` (the same words; the white space between them may differ), ``delete``
            (seed only: ``ref`` is empty), ``insert`` (reference only: ``seed`` is empty) or
            ``replace`` (different words on both sides).
        seed: The piece's text in the seed.
        ref: The piece's text in the reference.
    """

    tag: DiffTag
    seed: str
    ref: str

    def __post_init__(self) -> None:
        if not self.seed and not self.ref:
            raise ValueError(f"a {self.tag} piece needs text on at least one side")
        if (self.tag == "delete" and self.ref) or (self.tag == "insert" and self.seed):
            raise ValueError(f"a {self.tag} piece has text on the wrong side: {self!r}")


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def word_diff(seed: str, ref: str) -> list[DiffPiece]:
    """Diff ``seed`` against ``ref`` word by word (Levenshtein opcodes of rapidfuzz).

    Changed pieces hold only their words (and the spaces between them); the white space
    around them goes into the neighbouring ``equal`` pieces.  Joining the ``seed`` parts gives
    ``seed`` back exactly, and joining the ``ref`` parts gives ``ref``.

    Example:
        >>> [(p.tag, p.seed, p.ref) for p in word_diff("He sat.", "It sat.")]
        [('replace', 'He', 'It'), ('equal', ' sat.', ' sat.')]
    """
    seed_spans, ref_spans = _tokens(seed), _tokens(ref)
    ops = Levenshtein.opcodes([seed[a:b] for a, b in seed_spans], [ref[a:b] for a, b in ref_spans])
    # Each piece as (tag, seed end, ref end); it starts where the previous one ends.
    ends: list[tuple[DiffTag, int, int]] = []

    def emit(tag: DiffTag, seed_end: int, ref_end: int) -> None:
        seed_start, ref_start = (ends[-1][1], ends[-1][2]) if ends else (0, 0)
        if seed_end == seed_start and ref_end == ref_start:
            return
        if tag == "equal" and ends and ends[-1][0] == "equal":
            ends.pop()
        ends.append((tag, seed_end, ref_end))

    for op in ops:
        # An empty side sits where its text would be: after the previous token (or at 0).
        seed_lo, seed_hi = _range(seed_spans, op.src_start, op.src_end)
        ref_lo, ref_hi = _range(ref_spans, op.dest_start, op.dest_end)
        if op.tag != "equal":
            emit("equal", seed_lo, ref_lo)  # the white space before the change
        emit(cast(DiffTag, op.tag), seed_hi, ref_hi)
    emit("equal", len(seed), len(ref))
    pieces = []
    seed_at = ref_at = 0
    for tag, seed_end, ref_end in ends:
        pieces.append(DiffPiece(tag, seed[seed_at:seed_end], ref[ref_at:ref_end]))
        seed_at, ref_at = seed_end, ref_end
    return pieces


def _range(spans: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    if first < last:
        return spans[first][0], spans[last - 1][1]
    at = spans[first - 1][1] if first > 0 else 0
    return at, at
