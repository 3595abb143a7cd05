"""Word tokens with offsets, and the token diff of a seed text against a reference text.

Every reference check that looks at what changed between the seed and its reference reads the
same :func:`token_diff`; it is cached, so the checks that run on one bead share one diff.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import itemgetter
from typing import NamedTuple, cast

from rapidfuzz.distance import Levenshtein

__all__ = [
    "Block",
    "Region",
    "Token",
    "TokenDiff",
    "covered_range",
    "quote",
    "regions",
    "token_diff",
    "word_keys",
    "word_tokens",
]

# Words (letters, with inner apostrophes, hyphens or dots: "don't", "U.S", "well-known") and
# digit runs (with inner separators: "1,200", "2.5").  The quantifiers are possessive (++, *+):
# a run of letters or digits never gives any back, so the regex engine tries no shorter one
# (which could not match more), and the words are those of the plain pattern, found faster.
_WORD = re.compile(r"[^\W\d_]++(?:['\u2019.\-\u2010\u2011][^\W\d_]++)*+|\d++(?:[.,\u00a0]\d++)*+")
# The same on ASCII text (nearly all), where its classes are plain ranges: a tenth faster.
_ASCII_WORD = re.compile(r"[A-Za-z]++(?:['.\-][A-Za-z]++)*+|[0-9]++(?:[.,][0-9]++)*+")


class Token(NamedTuple):
    """One word of a text.

    Attributes:
        text: The word as written.
        start: Offset of its first character in the text.
        end: Offset just past it.
        key: What the diff compares: lowercased, curly apostrophe made straight.
    """

    text: str
    start: int
    end: int
    key: str


class Block(NamedTuple):
    """A run of tokens that differs (or agrees) between the seed and the reference.

    ``tag`` is ``equal``, ``replace``, ``delete`` (seed only) or ``insert`` (reference only);
    ``seed`` and ``ref`` are the tokens of each side (one of them empty for delete/insert).
    """

    tag: str
    seed: tuple[Token, ...]
    ref: tuple[Token, ...]

    @property
    def seed_span(self) -> tuple[int, int] | None:
        """Character span of the seed side, or None when the seed side is empty."""
        return (self.seed[0].start, self.seed[-1].end) if self.seed else None


@dataclass(frozen=True, slots=True)
class TokenDiff:
    """The word-level diff of a seed text against a reference text."""

    seed: tuple[Token, ...]
    ref: tuple[Token, ...]
    blocks: tuple[Block, ...]

    def changes(self) -> tuple[Block, ...]:
        """The blocks that are not ``equal``."""
        return tuple(b for b in self.blocks if b.tag != "equal")


# Tokens and blocks are made by the thousand per second: build them from ready tuples with
# tuple.__new__ (a C call), not through the named tuples' Python-level constructors.
_new_token: Callable[[tuple[str, int, int, str]], Token] = partial(tuple.__new__, Token)
_new_block: Callable[[tuple[str, tuple[Token, ...], tuple[Token, ...]]], Block] = partial(
    tuple.__new__, Block
)
_key = itemgetter(3)  # Token.key
_span, _start, _end, _group = re.Match.span, re.Match.start, re.Match.end, re.Match.group


def quote(text: str, tokens: Sequence[Token], limit: int = 60) -> str:
    """The words ``tokens`` span in ``text``, on one line, cut to about ``limit`` characters
    (at a word, with "...") for a message."""
    quoted = " ".join(text[tokens[0].start : tokens[-1].end].split())
    if len(quoted) > limit:
        quoted = quoted[: limit - 3].rsplit(" ", 1)[0] + "..."
    return quoted


@lru_cache(maxsize=4096)
def word_tokens(text: str) -> tuple[Token, ...]:
    """The words of ``text`` with their offsets."""
    if text.isascii():  # the hot path (nearly all text): C loops, each word lowercased
        found = list(_ASCII_WORD.finditer(text))
        words = list(map(_group, found))
        starts, ends, keys = map(_start, found), map(_end, found), map(str.lower, words)
        return tuple(map(_new_token, zip(words, starts, ends, keys, strict=True)))
    low = text.lower().replace("\u2019", "'")
    if len(low) != len(text):  # a letter whose lowercase is longer ("İ"): lowercase each word
        return tuple(
            Token(m.group(), m.start(), m.end(), m.group().lower().replace("\u2019", "'"))
            for m in _WORD.finditer(text)
        )
    # Slices of one lowercased copy.
    return tuple(
        [_new_token((text[s:e], s, e, low[s:e])) for s, e in map(_span, _WORD.finditer(text))]
    )


def word_keys(text: str) -> list[str]:
    """The keys (:attr:`Token.key`) of ``text``'s words, as :func:`word_tokens` gives them,
    without making tokens or filling its cache: for a pass over a whole document."""
    if text.isascii():  # the hot path: the pattern reads both cases alike, so it finds the
        return _ASCII_WORD.findall(text.lower())  # keys in the lowercased text, in C
    low = text.lower().replace("\u2019", "'")
    if len(low) != len(text):
        return [t.key for t in word_tokens(text)]
    return [low[s:e] for s, e in map(_span, _words(text))]


def _words(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_WORD` in ``text``."""
    return _ASCII_WORD.finditer(text) if text.isascii() else _WORD.finditer(text)


@lru_cache(maxsize=1024)
def token_diff(seed: str, ref: str) -> TokenDiff:
    """Diff the words of ``seed`` against those of ``ref`` (Levenshtein opcodes on the keys).

    Cached: the reference checks of one bead all ask for the same diff.
    """
    seed_tokens, ref_tokens = word_tokens(seed), word_tokens(ref)
    ops = Levenshtein.opcodes(list(map(_key, seed_tokens)), list(map(_key, ref_tokens)))
    opcodes = cast("list[tuple[str, int, int, int, int]]", ops.as_list())
    blocks = tuple(
        [
            _new_block((tag, seed_tokens[s0:s1], ref_tokens[r0:r1]))
            for tag, s0, s1, r0, r1 in opcodes
        ]
    )
    return TokenDiff(seed_tokens, ref_tokens, blocks)


class Region(NamedTuple):
    """Changed blocks that follow each other with no equal block between them, as token index
    ranges of each side (``seed[seed_start:seed_end]`` faces ``ref[ref_start:ref_end]``)."""

    seed_start: int
    seed_end: int
    ref_start: int
    ref_end: int


def regions(diff: TokenDiff) -> tuple[list[int], list[int], list[Region]]:
    """The changed regions of ``diff``, and the region index of every seed and reference
    token (-1 for tokens in equal blocks)."""
    seed_region: list[int] = []
    ref_region: list[int] = []
    found: list[Region] = []
    si = ri = 0
    start: tuple[int, int] | None = None  # where the open region starts, on each side
    for tag, seed, ref in diff.blocks:
        ns, nr = len(seed), len(ref)
        if tag == "equal":
            if start is not None:  # it closes
                found.append(Region(start[0], si, start[1], ri))
                start = None
            seed_region += [-1] * ns
            ref_region += [-1] * nr
        else:
            if start is None:
                start = (si, ri)
            index = len(found)  # the open region's, once it is appended
            seed_region += [index] * ns
            ref_region += [index] * nr
        si += ns
        ri += nr
    if start is not None:
        found.append(Region(start[0], si, start[1], ri))
    return seed_region, ref_region, found


def covered_range(diff: TokenDiff, found: list[Region], *, slack: int) -> tuple[int, int]:
    """The reference tokens ``low:high`` that the seed covers: a changed region at either end
    of both texts whose reference side is more than ``slack`` tokens longer than its seed side
    is reference text beyond the seed (a bead whose reference says more), not a change."""
    low, high = 0, len(diff.ref)
    if found:
        first, last = found[0], found[-1]
        if first.seed_start == 0 and first.ref_start == 0:
            extra = (first.ref_end - first.ref_start) - (first.seed_end - first.seed_start)
            if extra > slack:
                low = first.ref_end
        if last.seed_end == len(diff.seed) and last.ref_end == len(diff.ref):
            extra = (last.ref_end - last.ref_start) - (last.seed_end - last.seed_start)
            if extra > slack:
                high = last.ref_start
    return low, high
