"""The units of a comparison as data: per group of reference sentences, what each system said.

A unit is the reference's own segmentation as :mod:`toolkit.compare` tests it (a group of
reference sentences that is a whole number of beads in every system's alignment; a system
sentence with no reference counterpart joins the previous unit).  Each system's side keeps its
sentences, the flags the checks raised on them, and the unit's sentence scores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toolkit.align import Alignment
from toolkit.compare import swap_sides
from toolkit.flags import Flag
from toolkit.score import Metric, ScoreSettings, sentence_scores, stream_groups
from toolkit.segment import Segment

__all__ = ["UNIT_METRICS", "Unit", "UnitSide", "build_units", "unit_score_settings", "words"]

# The sentence scores of a unit: compare-mt's sentence-level pair (BLEU with effective order).
UNIT_METRICS = (Metric.chrf, Metric.bleu)

# Scripts written without spaces between words (Han, kana, Hangul syllables are spaced, but a
# Han run is not one word): each of their characters counts as one word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = rf"(?:(?![{_CJK}])[\w\u0300-\u036f])"
# A word: letters, digits and combining marks with inner apostrophes or hyphens (as the word
# diff reads them), or one CJK character; punctuation is not a word.
_WORD = re.compile(rf"[{_CJK}]|{_LETTER}+(?:['\u2019\-\u2010\u2011]{_LETTER}+)*")
# A token of the n-gram analysis: a word or one character of punctuation.
_TOKEN = re.compile(_WORD.pattern + r"|[^\w\s]")


def words(text: str) -> list[str]:
    """The lowercased words of ``text`` (no punctuation)."""
    return [m.group().lower() for m in _WORD.finditer(text)]


def tokens(text: str) -> list[str]:
    """The lowercased words and punctuation characters of ``text``."""
    return [m.group().lower() for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class UnitSide:
    """One system's text of a unit.

    Attributes:
        sentences: The system's sentences in the unit (none: it matched nothing here).
        flags: The flags on each of those sentences (offsets into that sentence).
        scores: Sentence chrF and BLEU of the joined sentences against the unit's reference.
    """

    sentences: Sequence[Segment]
    flags: tuple[tuple[Flag, ...], ...]
    scores: Mapping[str, float]

    @property
    def text(self) -> str:
        """The sentences joined by a space."""
        return " ".join(s.text for s in self.sentences)

    @property
    def all_flags(self) -> tuple[Flag, ...]:
        """Every flag of the unit, in sentence order."""
        return tuple(f for sentence in self.flags for f in sentence)


@dataclass(frozen=True, slots=True)
class Unit:
    """A group of reference sentences and each system's text for it (systems in input order)."""

    index: int
    reference: Sequence[Segment]
    systems: tuple[UnitSide, ...]

    @property
    def ref_text(self) -> str:
        """The reference sentences joined by a space."""
        return " ".join(s.text for s in self.reference)

    @property
    def id(self) -> str:
        """The ids of its reference sentences, ``L3`` or ``L3-L4``."""
        if not self.reference:
            return f"u{self.index + 1}"
        first, last = self.reference[0].id, self.reference[-1].id
        return first if first == last else f"{first}-{last}"


def unit_score_settings(score: ScoreSettings | None = None) -> ScoreSettings:
    """The unit scores' settings: chrF and BLEU with the tokenizer and case of ``score``."""
    base = score or ScoreSettings()
    return ScoreSettings(metrics=UNIT_METRICS, tokenize=base.tokenize, lowercase=base.lowercase)


def build_units(
    reference: Sequence[Segment],
    systems: Sequence[tuple[Sequence[Segment], Sequence[Sequence[Flag]], Alignment]],
    *,
    score: ScoreSettings | None = None,
) -> tuple[Unit, ...]:
    """The units of a comparison, with each system's sentences, flags and unit scores.

    Args:
        reference: The reference's sentences.
        systems: Per system: its sentences, the flags of each sentence, and its alignment
            with the reference (system as the seed side, as the pipeline aligns it).
        score: Tokenizer and case of the sentence scores (the metrics are chrF and BLEU).
    """
    ranges, groups = stream_groups(len(reference), [swap_sides(a) for _, _, a in systems])
    settings = unit_score_settings(score)
    ref_texts = [" ".join(reference[i].text for i in r) for r in ranges]
    sides: list[list[UnitSide]] = []
    for (segments, flags, _), parts in zip(systems, groups, strict=True):
        pairs = [
            (" ".join(segments[j].text for j in part), ref)
            for part, ref in zip(parts, ref_texts, strict=True)
        ]
        rows = sentence_scores(pairs, settings=settings)
        sides.append(
            [
                UnitSide(
                    tuple(segments[j] for j in part),
                    tuple(tuple(flags[j]) for j in part),
                    row,
                )
                for part, row in zip(parts, rows, strict=True)
            ]
        )
    return tuple(
        Unit(k, tuple(reference[i] for i in r), tuple(side[k] for side in sides))
        for k, r in enumerate(ranges)
    )
