"""Anchors for the aligner: sentence pairs that are surely matches, in order on both sides.

An anchor must be *unique* (its sentences clearly prefer each other: a passage that occurs
twice on one side anchors neither copy, see :meth:`SimilarityModel.candidate_pairs`) and
*consistent* with the order of the other anchors (the longest chain increasing on both sides is
kept).  Three passes, each inside the gaps the previous one left:

1. the whole texts, with words rare in the whole texts;
2. every wide gap between two anchors, with words rare inside that gap (as patience diff);
3. a gap that is still wide and has no anchor (text that repeats throughout, so nothing is
   rare): *tracking*, windows of a few dozen seed sentences matched against a window of
   reference sentences around where the last anchor predicts them, so a copy is only compared
   with its neighbourhood, never with the copy a whole pass away.
"""

from __future__ import annotations

import bisect
import itertools

from toolkit.similarity import SimilarityModel

__all__ = ["anchors", "chain"]

Pair = tuple[int, int]

# Gaps between anchors wider than this on both sides are searched again for local anchors.
_REFINE_GAP = 4
_REFINE_ROUNDS = 4
# Tracking: seed sentences per window, and reference sentences searched on each side of the
# predicted position (grows with every window that finds nothing, as drift may grow).
_WINDOW = 48
_SLACK = 48
_TRACK_GAP = 2 * _WINDOW


def anchors(model: SimilarityModel) -> list[Pair]:
    """Unique, in-order (seed, ref) pairs that the band is drawn through."""
    n, m = len(model.seed), len(model.ref)
    found = chain(model.candidate_pairs(0, n, 0, m))
    tracked = False
    for _ in range(_REFINE_ROUNDS):
        refined: list[Pair] = []
        added = False
        points = [(-1, -1), *found, (n, m)]
        for (a0, b0), (a1, b1) in itertools.pairwise(points):
            if a1 - a0 > _REFINE_GAP and b1 - b0 > _REFINE_GAP:
                inner = chain(model.candidate_pairs(a0 + 1, a1, b0 + 1, b1))
                if not inner and not tracked and min(a1 - a0, b1 - b0) > _TRACK_GAP:
                    inner = _track(model, a0 + 1, a1, b0 + 1, b1)
                refined.extend(inner)
                added = added or bool(inner)
            if (a1, b1) != (n, m):
                refined.append((a1, b1))
        found = refined
        tracked = True
        if not added:
            break
    return found


def _track(model: SimilarityModel, i0: int, i1: int, j0: int, j1: int) -> list[Pair]:
    """Anchors of seed ``i0:i1`` in reference ``j0:j1`` found window by window along the path."""
    slope = (j1 - j0) / (i1 - i0)
    last_i, last_j = i0 - 1, j0 - 1
    slack = _SLACK
    pairs: list[Pair] = []
    for start in range(i0, i1, _WINDOW):
        stop = min(i1, start + _WINDOW)
        lo = max(j0, int(last_j + 1 + (start - last_i - 1) * slope) - slack)
        hi = min(j1, int(last_j + 1 + (stop - last_i - 1) * slope) + slack)
        local = chain(model.candidate_pairs(start, stop, lo, hi)) if lo < hi else []
        # Only pairs after the last anchor on both sides keep the chain in order.
        local = [(i, j) for i, j in local if j > last_j]
        if local:
            pairs.extend(local)
            last_i, last_j = local[-1]
            slack = _SLACK
        else:
            slack *= 2
    return chain(pairs)


def chain(pairs: list[Pair]) -> list[Pair]:
    """The longest chain of pairs increasing on both sides (patience sorting)."""
    pairs = sorted(pairs, key=lambda p: (p[0], -p[1]))
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out: list[Pair] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    out.reverse()
    return out
