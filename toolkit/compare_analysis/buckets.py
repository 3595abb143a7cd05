"""compare-mt's bucketed analyses: scores by sentence length, word accuracy by word frequency.

* **Length** (compare-mt's ``LengthBucketer``, cutoffs 10, 20, ... 60): each unit goes into the
  bucket of its reference's length in words; per bucket, each system's mean sentence chrF and
  BLEU over those units.
* **Frequency** (compare-mt's ``FreqWordBucketer``, with wordfreq's Zipf frequency of the
  language in place of counts in training data): each reference word goes into the bucket of
  its frequency, each system word into its own word's bucket; a word matches as often as it
  occurs on both sides of its unit (clipped counts).  Per bucket and system: recall (matched
  reference words / reference words), precision (matched system words / system words) and
  their F-measure.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from wordfreq import available_languages, zipf_frequency

from toolkit.compare_analysis.units import UNIT_METRICS, Unit, words

__all__ = ["Bucket", "frequency_buckets", "has_frequencies", "length_buckets", "zipf"]


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bucket of an analysis.

    Attributes:
        label: Its range (``10-19``, ``<10``, ``>=60``; Zipf ``3-4``).
        count: Units in it (length) or reference words in it (frequency).
        scores: Per system, in input order: mean ``chrf`` and ``bleu`` (length) or
            ``recall``, ``precision`` and ``f`` (frequency); empty when nothing fell in it.
    """

    label: str
    count: int
    scores: tuple[Mapping[str, float], ...]


def _labels(edges: Sequence[float], *, counts: bool) -> list[str]:
    """``<a``, the ranges between the edges, ``>=z``; counts (lengths) end one lower."""

    def span(a: float, b: float) -> str:
        if not counts:
            return f"{a:g}-{b:g}"
        return f"{a:g}" if b - a == 1 else f"{a:g}-{b - 1:g}"

    inner = [span(a, b) for a, b in itertools.pairwise(edges)]
    return [f"<{edges[0]:g}", *inner, f">={edges[-1]:g}"]


def _check(edges: Sequence[float], what: str) -> None:
    if not edges or any(b <= a for a, b in itertools.pairwise(edges)):
        raise ValueError(f"{what} bucket edges must be increasing and non-empty, got {edges}")


def length_buckets(units: Sequence[Unit], edges: Sequence[int]) -> tuple[Bucket, ...]:
    """Units bucketed by reference length in words; each system's mean unit scores."""
    _check(edges, "length")
    members: list[list[Unit]] = [[] for _ in range(len(edges) + 1)]
    for unit in units:
        members[bisect.bisect_right(edges, len(words(unit.ref_text)))].append(unit)
    systems = len(units[0].systems) if units else 0
    out = []
    for label, group in zip(_labels(edges, counts=True), members, strict=True):
        scores: tuple[Mapping[str, float], ...] = ()
        if group:
            scores = tuple(
                {
                    m.value: round(sum(u.systems[k].scores[m.value] for u in group) / len(group), 4)
                    for m in UNIT_METRICS
                }
                for k in range(systems)
            )
        out.append(Bucket(label, len(group), scores))
    return tuple(out)


@cache
def has_frequencies(language: str) -> bool:
    """Whether wordfreq has a word list for ``language``."""
    return language in available_languages()


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency of ``word`` (0: unknown; 7: about once per 10 words)."""
    return zipf_frequency(word, language) if has_frequencies(language) else 0.0


def frequency_buckets(
    units: Sequence[Unit], edges: Sequence[float], *, language: str
) -> tuple[Bucket, ...]:
    """Word recall, precision and F-measure per Zipf-frequency bucket, per system.

    Raises:
        ValueError: wordfreq has no word list for ``language`` (ask :func:`has_frequencies`).
    """
    _check(edges, "frequency")
    if not has_frequencies(language):
        raise ValueError(f"wordfreq has no word list for {language!r}")
    slots = len(edges) + 1

    def bucket(word: str) -> int:
        return bisect.bisect_right(edges, zipf(word, language))

    systems = len(units[0].systems) if units else 0
    ref_total = [0] * slots
    out_total = [[0] * slots for _ in range(systems)]
    matched = [[0] * slots for _ in range(systems)]
    for unit in units:
        ref = Counter(words(unit.ref_text))
        for word, n in ref.items():
            ref_total[bucket(word)] += n
        for k, side in enumerate(unit.systems):
            for word, n in Counter(words(side.text)).items():
                b = bucket(word)
                out_total[k][b] += n
                matched[k][b] += min(n, ref.get(word, 0))
    out = []
    for b, label in enumerate(_labels(edges, counts=False)):
        scores: tuple[Mapping[str, float], ...] = ()
        if ref_total[b] or any(out_total[k][b] for k in range(systems)):
            scores = tuple(
                _prf(matched[k][b], ref_total[b], out_total[k][b]) for k in range(systems)
            )
        out.append(Bucket(label, ref_total[b], scores))
    return tuple(out)


def _prf(matched: int, ref: int, out: int) -> dict[str, float]:
    recall = matched / ref if ref else 0.0
    precision = matched / out if out else 0.0
    f = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {"recall": round(recall, 4), "precision": round(precision, 4), "f": round(f, 4)}
