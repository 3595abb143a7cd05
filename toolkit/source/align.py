"""Aligning the seed with its source: bilingual, so by length and by what crosses languages.

A translation and its source share no words, but they share lengths (Gale and Church 1993:
the length of a translation is about proportional to its source's), numbers, names and codes
written in Latin script, URLs and placeholders, and paragraph structure.  The aligner is Gale
and Church's dynamic program (beads 1-1, 1-2, 2-1, 2-2, 1-0, 0-1 with their prior costs and the
length cost) with the ratio estimated from the document itself, plus a bonus for every number
or Latin-script token a bead's two sides share and a penalty when both sides have numbers and
share none.  It runs inside a band around the diagonal, widened by the difference in
sentence counts, so its cost grows linearly with the document.  When both sides have the same
number of paragraphs, each paragraph is aligned with its counterpart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

__all__ = ["SourceBead", "align_source", "align_source_paragraphs"]

SourceBead = tuple[tuple[int, ...], tuple[int, ...]]  # (seed sentences, source sentences)

# Gale and Church's bead priors, as costs (-100 log p).
_PRIOR = {
    (1, 1): -100 * math.log(0.89),
    (1, 0): -100 * math.log(0.0099 / 2),
    (0, 1): -100 * math.log(0.0099 / 2),
    (2, 1): -100 * math.log(0.089 / 2),
    (1, 2): -100 * math.log(0.089 / 2),
    (2, 2): -100 * math.log(0.011),
}
# The variance of the length ratio per source character (times the document's ratio) and the
# bonus per shared number, Latin-script name or code (at most three count) were chosen on the
# even-numbered MQM TED talks (benchmarks/source_align.py): Gale and Church's 6.8 halved, the
# bonus among 150, 300, 600.
_VARIANCE = 3.4
_SHARED = 600.0
_CLASH = 100.0  # penalty when both sides have numbers and share none
_BAND = 16  # the band's first half-width beyond the difference in sentence counts

_DIGITS = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_LATIN = re.compile(r"(?<![\w])[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]")


def _cues(text: str) -> frozenset[str]:
    """What crosses languages unchanged: numbers (separators removed) and Latin-script
    tokens that look like names or codes (a capital or a digit, two characters or more)."""
    numbers = {"#" + re.sub(r"\D", "", m.group()) for m in _DIGITS.finditer(text)}
    names = {
        m.group().lower()
        for m in _LATIN.finditer(text)
        if any(c.isupper() or c.isdigit() for c in m.group()) and len(m.group()) >= 2
    }
    return frozenset(numbers | names)


def _normal_tail(z: float) -> float:
    """2 * (1 - Phi(|z|)), floored so that its log stays finite."""
    return max(math.erfc(abs(z) / math.sqrt(2)), 1e-300)


def align_source(seed: Sequence[str], source: Sequence[str]) -> list[SourceBead]:
    """The best monotone beads between ``seed`` and ``source`` sentences (every sentence in
    exactly one bead, in order).  The band is widened, and the alignment done again, as long
    as the best path runs along its edge (up to the whole matrix)."""
    n, m = len(seed), len(source)
    width = _BAND + abs(n - m)
    while True:
        beads, touched = _align_in_band(seed, source, width)
        if not touched or width >= max(n, m):
            return beads
        width *= 2


def _align_in_band(
    seed: Sequence[str], source: Sequence[str], width: int
) -> tuple[list[SourceBead], bool]:
    """The best beads inside a band of half-width ``width`` around the diagonal, and whether
    the path touches the band's edge (where a wider band might do better)."""
    n, m = len(seed), len(source)
    if not n or not m:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)], False
    seed_len = [max(1, len(s)) for s in seed]
    source_len = [max(1, len(s)) for s in source]
    ratio = sum(seed_len) / sum(source_len)
    variance = _VARIANCE * ratio
    seed_cues = [_cues(s) for s in seed]
    source_cues = [_cues(s) for s in source]

    def cost(i0: int, i1: int, j0: int, j1: int) -> float:
        """The cost of the bead seed[i0:i1] with source[j0:j1] (both non-empty)."""
        ls = sum(seed_len[i0:i1])
        lt = sum(source_len[j0:j1])
        z = (ls - lt * ratio) / math.sqrt(lt * variance)
        c = -100 * math.log(_normal_tail(z))
        a = seed_cues[i0] if i1 - i0 == 1 else frozenset().union(*seed_cues[i0:i1])
        b = source_cues[j0] if j1 - j0 == 1 else frozenset().union(*source_cues[j0:j1])
        if a and b:
            shared = len(a & b)
            if shared:
                c -= _SHARED * min(shared, 3)
            elif any(x[0] == "#" for x in a) and any(x[0] == "#" for x in b):
                c += _CLASH
        return c

    inf = float("inf")
    # Row i holds cells j = lo[i] .. lo[i] + len(row) - 1: (cost, seed step, source step).
    lo = [max(0, int(i * m / n) - width) for i in range(n + 1)]
    rows: list[list[tuple[float, int, int]]] = []
    steps = tuple(_PRIOR.items())
    for i in range(n + 1):
        hi = min(m, int(i * m / n) + width + 1)
        row: list[tuple[float, int, int]] = []
        for j in range(lo[i], hi + 1):
            if i == 0 and j == 0:
                row.append((0.0, 0, 0))
                continue
            top = (inf, 0, 0)
            for (di, dj), prior in steps:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                cells = rows[pi] if pi < i else row
                k = pj - lo[pi]
                if not 0 <= k < len(cells):
                    continue
                before = cells[k][0]
                if before == inf:
                    continue
                total = before + prior
                if di and dj:
                    total += cost(pi, i, pj, j)
                if total < top[0]:
                    top = (total, di, dj)
            row.append(top)
        rows.append(row)
    if m - lo[n] >= len(rows[n]) or rows[n][m - lo[n]][0] == inf:
        raise AssertionError("source alignment band did not reach the end")
    beads: list[SourceBead] = []
    touched = False
    i, j = n, m
    while i or j:
        k = j - lo[i]
        touched = touched or (k == 0 and lo[i] > 0) or (k == len(rows[i]) - 1 and j < m)
        _, di, dj = rows[i][k]
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, touched


def align_source_paragraphs(
    seed: Sequence[Sequence[str]], source: Sequence[Sequence[str]]
) -> list[SourceBead]:
    """Align paragraph by paragraph when both sides have as many paragraphs (sentence
    indices count through the whole document), else the sentences of the whole document."""
    if len(seed) != len(source):
        return align_source([s for p in seed for s in p], [s for p in source for s in p])
    beads: list[SourceBead] = []
    i0 = j0 = 0
    for seed_par, source_par in zip(seed, source, strict=True):
        for a, b in align_source(seed_par, source_par):
            beads.append((tuple(i0 + i for i in a), tuple(j0 + j for j in b)))
        i0 += len(seed_par)
        j0 += len(source_par)
    return beads
