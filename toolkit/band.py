"""The band of the aligner's dynamic program: which cells it may visit, and how it widens.

DP cell (i, j) means "the first i seed and first j reference sentences are aligned"; row i of
the band allows columns ``lo[i]..hi[i]``.  A *path* is the list of cells a solution passes
through, one after each bead, starting after the first bead.
"""

from __future__ import annotations

import itertools

__all__ = ["band", "hugs", "widen"]

Path = list[tuple[int, int]]


def band(
    anchors: list[tuple[int, int]], n: int, m: int, margin: int, cells_per_sentence: int
) -> tuple[list[int], list[int]]:
    """Allowed DP columns ``lo[i]..hi[i]`` for each DP row ``i`` in ``0..n``.

    DP cell (i, j) means "the first i seed and first j reference sentences are aligned".
    Anchor (a, b) says seed a matches ref b, so the path passes near cell (a + 1, b + 1).
    """
    lo = [m + 1] * (n + 1)
    hi = [-1] * (n + 1)
    points = [(0, 0)] + [(a + 1, b + 1) for a, b in anchors] + [(n, m)]
    for (i0, j0), (i1, j1) in itertools.pairwise(points):
        di, dj = i1 - i0, j1 - j0
        budget = max(64, cells_per_sentence * (di + dj))
        if (di + 1) * (dj + 1) <= budget:
            for i in range(i0, i1 + 1):
                lo[i] = min(lo[i], j0 - margin)
                hi[i] = max(hi[i], j1 + margin)
            continue
        half = max(margin, budget // (2 * max(di, 1)))
        slope = dj / di if di else 0.0
        for i in range(i0, i1 + 1):
            centre = j0 + (i - i0) * slope
            lo[i] = min(lo[i], int(centre) - half)
            hi[i] = max(hi[i], int(centre) + half + 1)
        if di == 0:
            hi[i0] = max(hi[i0], j1 + margin)
    for i in range(n + 1):
        lo[i] = max(0, lo[i])
        hi[i] = min(m, hi[i])
    return _monotone(lo, hi, m)


def _monotone(lo: list[int], hi: list[int], m: int) -> tuple[list[int], list[int]]:
    """Bounds made monotone and overlapping, so every allowed cell can be reached."""
    n = len(lo) - 1
    # Monotone bounds keep every predecessor cell of an allowed cell inside the band.
    for i in range(n - 1, -1, -1):
        lo[i] = min(lo[i], lo[i + 1])
    for i in range(1, n + 1):
        hi[i] = max(hi[i], hi[i - 1])
    lo[0] = 0
    hi[n] = m
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])  # rows must overlap so the path can continue
    return lo, hi


def hugs(path: Path, lo: list[int], hi: list[int], m: int) -> list[int]:
    """Rows where the path touches the band's edge (not the document's)."""
    return [i for i, j in path if (lo[i] > 0 and j <= lo[i]) or (hi[i] < m and j >= hi[i])]


def widen(
    lo: list[int], hi: list[int], path: Path, rows: list[int], extra: int, m: int
) -> tuple[list[int], list[int]]:
    """A band for the next round: the path found, plus ``extra`` columns either side of the old
    band in every row within ``extra`` rows of ``rows``.

    Away from the edge the path stays as it was, so the next round costs little more than the
    widened rows.
    """
    n = len(lo) - 1
    new_lo, new_hi = [m] * (n + 1), [0] * (n + 1)
    i0 = j0 = 0
    for i1, j1 in path:
        for i in range(i0, i1 + 1):
            new_lo[i] = min(new_lo[i], j0)
            new_hi[i] = max(new_hi[i], j1)
        i0, j0 = i1, j1
    delta = [0] * (n + 2)
    for r in rows:
        delta[max(0, r - extra)] += 1
        delta[min(n, r + extra) + 1] -= 1
    inside = 0
    for r in range(n + 1):
        inside += delta[r]
        if inside:
            new_lo[r] = min(new_lo[r], lo[r] - extra)
            new_hi[r] = max(new_hi[r], hi[r] + extra)
        new_lo[r] = max(0, new_lo[r] - 1)
        new_hi[r] = min(m, new_hi[r] + 1)
    return _monotone(new_lo, new_hi, m)
