"""A small bilingual lexicon learned from one document's own first-pass alignment.

Moore (2002) and hunalign align twice: first by length, then again with word correspondences
learned from the confident beads of the first pass.  Here the correspondences are Dice
associations between the words of one side and those of the other (character bigrams where
a script is written without spaces: Chinese, Japanese), counted over a pass's one-to-one
beads: a pair is kept when it occurs together at least twice, neither word is in more than 40%
of the beads, and its Dice coefficient is at least 0.6.  Nothing is read from outside
the document, so it works for any pair of languages; in a talk, "universe" and "宇宙" or
"pollen" and "花粉" recur often enough to be learned.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

__all__ = ["Lexicon", "learn_lexicon", "tokens"]

_WORD = re.compile(r"([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+)|[^\W_]+")
_PREFIX = 5  # a word stands for its first letters: "orchid" and "orchids" are one
_MIN_PAIR = 2  # times a pair must occur together
_MIN_DICE = 0.6  # Dice coefficient a pair needs
_MAX_SHARE = 0.4  # a token in more than this share of the beads is too common to tell


def tokens(text: str) -> frozenset[str]:
    """The word types of ``text``, lowercased and cut to their first five letters (a crude
    stemmer for any language written with spaces); a run of Han, kana or Hangul characters (written
    without spaces) gives its character bigrams (a lone character itself), which catch most
    Chinese words without a dictionary."""
    out: set[str] = set()
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if m.group(1) and len(word) > 1:
            out.update(word[k : k + 2] for k in range(len(word) - 1))
        elif m.group(1):
            out.add(word)
        else:
            out.add(word[:_PREFIX])
    return frozenset(out)


@dataclass(frozen=True)
class Lexicon:
    """For each seed word, the source words associated with it."""

    links: dict[str, frozenset[str]]
    reverse: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        reverse: dict[str, set[str]] = {}
        for x, ys in self.links.items():
            for y in ys:
                reverse.setdefault(y, set()).add(x)
        object.__setattr__(self, "reverse", {y: frozenset(xs) for y, xs in reverse.items()})

    def __len__(self) -> int:
        return len(self.links)

    @cached_property
    def sources(self) -> frozenset[str]:
        """The seed words that have an associate."""
        return frozenset(self.links)

    @cached_property
    def targets(self) -> frozenset[str]:
        """The source words associated with some seed word."""
        return frozenset(self.reverse)

    def translations(self, words: frozenset[str]) -> frozenset[str]:
        """Every source word associated with one of ``words``."""
        found = [self.links[w] for w in words if w in self.links]
        return frozenset().union(*found) if found else frozenset()

    def back(self, words: frozenset[str]) -> frozenset[str]:
        """Every seed word associated with one of the source ``words``."""
        found = [self.reverse[w] for w in words if w in self.reverse]
        return frozenset().union(*found) if found else frozenset()


def learn_lexicon(pairs: Sequence[tuple[frozenset[str], frozenset[str]]]) -> Lexicon:
    """Dice associations over sentence pairs (seed words, source words)."""
    if not pairs:
        return Lexicon({})
    limit = max(_MIN_PAIR, _MAX_SHARE * len(pairs))
    seed_count: Counter[str] = Counter()
    source_count: Counter[str] = Counter()
    for a, b in pairs:
        seed_count.update(a)
        source_count.update(b)
    together: Counter[tuple[str, str]] = Counter()
    for a, b in pairs:
        left = [w for w in a if _MIN_PAIR <= seed_count[w] <= limit]
        right = [w for w in b if _MIN_PAIR <= source_count[w] <= limit]
        together.update((x, y) for x in left for y in right)
    links: dict[str, set[str]] = {}
    for (x, y), n in together.items():
        if n >= _MIN_PAIR and 2 * n / (seed_count[x] + source_count[y]) >= _MIN_DICE:
            links.setdefault(x, set()).add(y)
    return Lexicon({x: frozenset(ys) for x, ys in links.items()})
