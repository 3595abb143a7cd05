"""The aligner's dynamic program over a band of cells (see :mod:`toolkit.align`).

DP cell (i, j) means "the first i seed and first j reference sentences are aligned"; row i may
use columns ``lo[i]..hi[i]``.  A bead ending in (i, j) scores its similarity minus the
threshold (a many-sentence bead pays a merge penalty per extra sentence and counts for the
sentences it covers); a sentence left unmatched costs ``skip``.

This is the hot loop of a long alignment (a few cells per row, tens of thousands of rows), so
it keeps to plain lists and local names, and keeps only the last rows it can still reach.
"""

from __future__ import annotations

from array import array

from toolkit.similarity import SimilarityModel

__all__ = ["RawBead", "dynamic_program"]

# A sentence joins a many-sentence bead only if it alone resembles the other side this much.
GATE = 0.15
WIDER = (2, 3)  # sentences on the wider side of a 2-1, 3-1, 1-2 or 1-3 bead
_LOOKBACK = 4  # DP rows kept in full: a bead spans at most three seed sentences
_FORGET_EVERY = 256  # DP rows between two clearings of the model's span cache

# (seed sentence indices, reference sentence indices, similarity rounded to 4 places)
RawBead = tuple[tuple[int, ...], tuple[int, ...], float]


def dynamic_program(
    model: SimilarityModel,
    lo: list[int],
    hi: list[int],
    *,
    threshold: float,
    merge_penalty: float,
    skip_cost: float,
    start: tuple[int, float] = (0, 0.0),
) -> tuple[list[RawBead], list[float]]:
    """The best path through the band: its beads in order, and the path's score after each.

    Ties go to the first move in the order 1-0, 0-1, 1-1, then the wider beads seed side
    first, smallest first.

    ``start`` solves a window instead of the whole band: ``(i0, score)`` makes ``lo[0]..hi[0]``
    the columns of DP row ``i0`` (row ``k`` of the bounds is DP row ``i0 + k``), with the path
    starting at cell ``(i0, lo[0])`` with that score and ending at the last row's ``hi``.
    """
    n = len(lo) - 1
    base, start_score = start
    neg = float("-inf")
    thr, merge, skip, gate = threshold, merge_penalty, skip_cost, GATE
    bound, similarity = model.bound, model.similarity
    score: list[list[float] | array[float]] = []
    back: list[list[tuple[int, int]]] = []
    # ones[i][k]: 1-1 similarity of seed i-1 and ref lo[i]+k-1, i.e. of the bead ending in
    # (i, lo[i]+k); seed_in and ref_in: the containment shares for the same cells.
    ones: list[list[float] | array[float]] = [[]]
    seed_in: list[list[float]] = [[]]
    ref_in: list[list[float]] = [[]]

    def contained(si: int, rj: int, seed_side: bool) -> float:
        # ``si`` is a local row index of the seed sentence (DP row si + 1 ends with it).
        r, k = si + 1, rj + 1 - lo[si + 1]
        table = seed_in[r] if seed_side else ref_in[r]
        if 0 <= k < len(table):
            return table[k]
        return model.containment(si + base, rj)[0 if seed_side else 1]

    # Row 0: only reference sentences left unmatched lead along it.
    width = hi[0] - lo[0] + 1
    row = [neg] * width
    brow: list[tuple[int, int]] = [(0, 0)] * width
    row[0] = start_score  # the path starts in the first row's first column
    for k in range(1, width):
        row[k] = row[k - 1] - skip
        brow[k] = (0, 1)
    score.append(row)
    back.append(brow)
    for i in range(1, n + 1):
        row_lo, row_hi = lo[i], hi[i]
        width = row_hi - row_lo + 1
        row = [neg] * width
        brow = [(0, 0)] * width
        first = max(row_lo, 1)
        pad = [0.0] * (first - row_lo)
        sims, s_in, r_in = model.row_similarities(base + i - 1, first - 1, row_hi)
        o_row, si_row, ri_row = pad + sims, pad + s_in, pad + r_in
        ones.append(o_row)
        seed_in.append(si_row)
        ref_in.append(ri_row)
        prev_row, prev_lo, prev_hi = score[i - 1], lo[i - 1], hi[i - 1]
        last = neg  # the score of the cell to the left
        for k in range(width):
            j = row_lo + k
            # A sentence left unmatched costs ``skip``.
            if prev_lo <= j <= prev_hi:
                best, arg = prev_row[j - prev_lo] - skip, (1, 0)
            else:
                best, arg = neg, (0, 0)
            if k:
                s = last - skip
                if s > best:
                    best, arg = s, (0, 1)
            if j and prev_lo < j <= prev_hi + 1:
                prev = prev_row[j - 1 - prev_lo]
                if prev != neg:
                    s = prev + o_row[k] - thr
                    if s > best:
                        best, arg = s, (1, 1)
            # Wider beads: every sentence of the wider side must be largely contained in the
            # other side; the current cell holds that share for the last sentence, so most
            # cells are ruled out without a lookup.  A bound from the lengths rules out most
            # of the rest without building the spans.
            if si_row[k] >= gate:
                pj = j - 1
                for a in WIDER:
                    pi = i - a
                    if pi < 0 or pj < lo[pi] or pj > hi[pi]:
                        continue
                    prev = score[pi][pj - lo[pi]]
                    if prev == neg:
                        continue
                    for ii in range(pi, i - 1):
                        if contained(ii, pj, True) < gate:
                            break
                    else:
                        # (the same sums as the gain below, in the same order)
                        most = bound(base + pi, base + i, pj, j) - thr - merge * (a - 1)
                        if most <= 0 or prev + most * (a + 1) / 2 <= best:
                            continue
                        gain = similarity(base + pi, base + i, pj, j) - thr - merge * (a - 1)
                        if gain > 0 and prev + gain * (a + 1) / 2 > best:
                            best, arg = prev + gain * (a + 1) / 2, (a, 1)
            if ri_row[k] >= gate:
                pi = i - 1
                for b in WIDER:
                    pj = j - b
                    if pj < prev_lo or pj > prev_hi:
                        break
                    prev = prev_row[pj - prev_lo]
                    if prev == neg:
                        continue
                    for jj in range(pj, j - 1):
                        if contained(pi, jj, False) < gate:
                            break
                    else:
                        # (the same sums as the gain below, in the same order)
                        most = bound(base + pi, base + i, pj, j) - thr - merge * (b - 1)
                        if most <= 0 or prev + most * (b + 1) / 2 <= best:
                            continue
                        gain = similarity(base + pi, base + i, pj, j) - thr - merge * (b - 1)
                        if gain > 0 and prev + gain * (b + 1) / 2 > best:
                            best, arg = prev + gain * (b + 1) / 2, (1, b)
            row[k] = last = best
            brow[k] = arg
        score.append(row)
        back.append(brow)
        if i >= _LOOKBACK:  # no bead reaches further back: keep the scores compact
            old = i - _LOOKBACK
            score[old] = array("d", score[old])
            ones[old] = array("d", ones[old])  # for the path's 1-1 beads
            seed_in[old] = ref_in[old] = []
        if i % _FORGET_EVERY == 0:
            model.forget_spans()
    beads: list[RawBead] = []
    scores: list[float] = []
    seed_feats, ref_feats = model.seed, model.ref
    i, j = n, hi[n]
    while i > 0 or j > lo[0]:
        scores.append(score[i][j - lo[i]])
        a, b = back[i][j - lo[i]]
        if (a, b) == (0, 0):  # unreachable cell; cannot happen with a connected band
            raise AssertionError(f"alignment band is disconnected at cell ({base + i}, {j})")
        gi = base + i
        if a == b == 1 and (seed_feats[gi - 1].wsum or ref_feats[j - 1].wsum):
            sim = ones[i][j - lo[i]]  # what similarity() gives, unless both have no words
        else:
            sim = similarity(gi - a, gi, j - b, j) if a and b else 0.0
        sim = round(min(1.0, max(0.0, sim)), 4)
        beads.append((tuple(range(gi - a, gi)), tuple(range(j - b, j)), sim))
        i, j = i - a, j - b
    beads.reverse()
    scores.reverse()
    return beads, scores
