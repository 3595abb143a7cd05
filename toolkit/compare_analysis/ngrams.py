"""compare-mt's n-gram analysis: the n-grams one system matches in the reference and another
misses.

For each system, an n-gram's *matches* is the number of times it occurs in the system's text of
a unit and in the unit's reference (clipped counts, summed over the units).  Between two
systems A and B the n-gram's smoothed match ratio is ``(mA + alpha) / (mA + mB + 2 alpha)``
(compare-mt's ``compare_type=match`` with its default ``alpha=1``): near 1, A matches it and B
does not; near 0, the reverse; 0.5, as often.  Tokens are lowercased words and punctuation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.compare_analysis.units import Unit, tokens

__all__ = ["NgramContrast", "SalientNgram", "match_counts", "salient_ngrams"]


@dataclass(frozen=True, slots=True)
class SalientNgram:
    """One n-gram: how often each system of the pair matched it, and its smoothed ratio."""

    ngram: str
    matches: tuple[int, int]
    ratio: float


@dataclass(frozen=True, slots=True)
class NgramContrast:
    """Two systems' most contrasting n-grams.

    Attributes:
        systems: The indices of systems A and B (A is the baseline).
        a_better: N-grams A matches more often than B, highest ratio first.
        b_better: N-grams B matches more often than A, lowest ratio first.
    """

    systems: tuple[int, int]
    a_better: tuple[SalientNgram, ...]
    b_better: tuple[SalientNgram, ...]


def _ngrams(toks: Sequence[str], lo: int, hi: int) -> Counter[tuple[str, ...]]:
    return Counter(
        tuple(toks[i : i + n]) for n in range(lo, hi + 1) for i in range(len(toks) - n + 1)
    )


def match_counts(
    units: Sequence[Unit], system: int, *, min_n: int = 1, max_n: int = 4
) -> Counter[tuple[str, ...]]:
    """Per n-gram (``min_n`` to ``max_n`` tokens), how often ``system`` matched it in the
    references of ``units`` (clipped to the reference's count in each unit)."""
    out: Counter[tuple[str, ...]] = Counter()
    for unit in units:
        ref = _ngrams(tokens(unit.ref_text), min_n, max_n)
        hyp = _ngrams(tokens(unit.systems[system].text), min_n, max_n)
        for gram, n in hyp.items():
            m = min(n, ref.get(gram, 0))
            if m:
                out[gram] += m
    return out


def salient_ngrams(
    units: Sequence[Unit],
    a: int,
    b: int,
    *,
    min_n: int = 1,
    max_n: int = 4,
    top: int = 10,
    alpha: float = 1.0,
) -> NgramContrast:
    """The ``top`` n-grams each of systems ``a`` and ``b`` matches more than the other.

    Ties are broken by more matches in all, then by the n-gram's text, so the lists are
    reproducible.
    """
    if not 1 <= min_n <= max_n:
        raise ValueError(f"n-gram lengths must satisfy 1 <= min <= max, got {min_n}, {max_n}")
    if alpha <= 0:
        raise ValueError(f"the smoothing alpha must be positive, got {alpha}")
    ma = match_counts(units, a, min_n=min_n, max_n=max_n)
    mb = match_counts(units, b, min_n=min_n, max_n=max_n)
    rows = []
    for gram in ma.keys() | mb.keys():
        x, y = ma.get(gram, 0), mb.get(gram, 0)
        rows.append(SalientNgram(" ".join(gram), (x, y), (x + alpha) / (x + y + 2 * alpha)))
    better_a = sorted(
        (r for r in rows if r.ratio > 0.5), key=lambda r: (-r.ratio, -sum(r.matches), r.ngram)
    )
    better_b = sorted(
        (r for r in rows if r.ratio < 0.5), key=lambda r: (r.ratio, -sum(r.matches), r.ngram)
    )
    return NgramContrast((a, b), tuple(better_a[:top]), tuple(better_b[:top]))
