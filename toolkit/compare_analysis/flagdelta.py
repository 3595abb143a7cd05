"""Flag-category deltas: how many flags of each category each system gets, and whether a
system's difference from the baseline is more than chance, by a paired bootstrap over units.

The test resamples the units with replacement (the same resampled units for every system and
category: the test is paired), sums each resample's per-unit differences ``system - baseline``
and reads off a 95% percentile interval and a two-sided p-value: twice the share of resamples
whose sum is zero or of the other sign than the observed difference (with add-one smoothing,
capped at 1).  A difference of zero has p = 1.  Seeded with NumPy's ``default_rng(seed)``:
the same inputs and seed give the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.compare_analysis.units import Unit

__all__ = ["ALL", "DeltaTest", "FlagDelta", "flag_deltas", "paired_bootstrap"]

ALL = "all"  # the row that counts every category
# Resamples drawn at a time: bounds memory at CHUNK x units indices.
_CHUNK = 256


@dataclass(frozen=True, slots=True)
class DeltaTest:
    """A system's difference from the baseline in one category.

    Attributes:
        delta: Its flags minus the baseline's.
        low: Lower end of the bootstrap 95% interval of the difference.
        high: Upper end.
        p_value: Two-sided bootstrap p-value (1 when the difference is 0).
    """

    delta: int
    low: int
    high: int
    p_value: float

    @property
    def significant(self) -> bool:
        """p < 0.05."""
        return self.p_value < 0.05


@dataclass(frozen=True, slots=True)
class FlagDelta:
    """One category: flags per system (input order) and each non-baseline system's test.

    ``tests[0]`` is None: the baseline is not tested against itself.
    """

    category: str
    counts: tuple[int, ...]
    tests: tuple[DeltaTest | None, ...]


def _resamples(units: int, samples: int, seed: int) -> list[npt.NDArray[np.intp]]:
    rng = np.random.default_rng(seed)
    out = []
    for start in range(0, samples, _CHUNK):
        size = min(_CHUNK, samples - start)
        out.append(rng.integers(0, units, size=(size, units)))
    return out


def _test(diffs: npt.NDArray[np.int64], draws: list[npt.NDArray[np.intp]]) -> DeltaTest:
    observed = int(diffs.sum())
    sums = np.concatenate([diffs[idx].sum(axis=1) for idx in draws])
    # Sums of counts are whole numbers: the interval's ends are resampled sums, not between two.
    low = int(np.percentile(sums, 2.5, method="lower"))
    high = int(np.percentile(sums, 97.5, method="higher"))
    if observed == 0:
        return DeltaTest(0, low, high, 1.0)
    against = int(np.count_nonzero(sums <= 0 if observed > 0 else sums >= 0))
    p = min(1.0, 2 * (against + 1) / (len(sums) + 1))
    return DeltaTest(observed, low, high, round(p, 4))


def paired_bootstrap(
    baseline: Sequence[int], system: Sequence[int], *, samples: int = 1000, seed: int = 12345
) -> DeltaTest:
    """The paired bootstrap test of ``sum(system) - sum(baseline)`` over per-unit counts."""
    if len(baseline) != len(system):
        raise ValueError(f"paired counts differ in length: {len(baseline)} and {len(system)}")
    if not baseline:
        return DeltaTest(0, 0, 0, 1.0)
    diffs = np.asarray(system, dtype=np.int64) - np.asarray(baseline, dtype=np.int64)
    return _test(diffs, _resamples(len(diffs), samples, seed))


def flag_deltas(
    units: Sequence[Unit], *, samples: int = 1000, seed: int = 12345
) -> tuple[FlagDelta, ...]:
    """Per category (and ``all``), each system's flag count and its test against system 0.

    Categories are listed most flagged first (in all systems together), then by name; a
    category no system was flagged for is left out.
    """
    systems = len(units[0].systems) if units else 0
    per_unit = [
        [Counter(str(f.category) for f in side.all_flags) for side in unit.systems]
        for unit in units
    ]
    totals: Counter[str] = Counter()
    for row in per_unit:
        for counts in row:
            totals.update(counts)
    categories = sorted(totals, key=lambda c: (-totals[c], c))
    draws = _resamples(len(units), samples, seed) if units else []
    out = []
    for category in [ALL, *categories]:
        matrix = np.array(
            [
                [sum(c.values()) if category == ALL else c.get(category, 0) for c in row]
                for row in per_unit
            ],
            dtype=np.int64,
        ).reshape(len(units), systems)
        tests: list[DeltaTest | None] = [None]
        for k in range(1, systems):
            diffs = matrix[:, k] - matrix[:, 0]
            tests.append(_test(diffs, draws) if units else DeltaTest(0, 0, 0, 1.0))
        out.append(FlagDelta(category, tuple(int(x) for x in matrix.sum(axis=0)), tuple(tests)))
    return tuple(out)
