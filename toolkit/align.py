"""Monolingual sentence alignment of a translation with a reference.

The aligner finds the best monotone sequence of *beads* (1-1, 1-2, 2-1, 2-2, 1-3, 3-1 matches,
and 1-0 / 0-1 sentences without a counterpart) by dynamic programming, but only inside a band:

1. Anchors: sentence pairs that share rare words, numbers or names, found through an inverted
   index, then filtered to the longest chain that is in order on both sides.
2. A band of allowed cells around the path through the anchors; a stretch between two anchors
   gets its full rectangle when that is small, else a diagonal strip whose area grows with the
   stretch's length, so the total work grows linearly with the documents.
3. A dynamic program over the band that maximises the summed bead scores (similarity minus a
   threshold; a sentence left unmatched scores zero).

Similarity (:mod:`toolkit.similarity`) combines weighted word overlap, character similarity from
rapidfuzz, and a length prior, so it survives paraphrase and reordering.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.lang import language as get_language
from toolkit.similarity import SimilarityModel

__all__ = ["AlignSettings", "Alignment", "Bead", "align"]

# (seed sentences, reference sentences) consumed by each bead kind the DP may use.
# A sentence joins a many-sentence bead only if it alone resembles the other side this much.
_GATE = 0.15
# Gaps between anchors wider than this on both sides are searched again for local anchors.
_REFINE_GAP = 4
_REFINE_ROUNDS = 4
_MATCH_KINDS: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3))
_WIDER = (2, 3)  # sentences on the wider side of a 2-1, 3-1, 1-2 or 1-3 bead


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Tunable settings of the aligner; every field is reported in the signature.

    Attributes:
        threshold: Similarity a match must exceed to score; a 1-1 match below it is kept only
            when good matches frame it on both sides.
        merge_penalty: Extra cost per sentence beyond the first on a side of a many-sentence bead.
        skip_cost: Cost of leaving one sentence unmatched.
        margin: Columns added on each side of the band around the anchor path.
        cells_per_sentence: Budget of band cells per sentence in a stretch without anchors.
        confident: Similarity of a match that no chance pairing of unrelated sentences reaches.
        unrelated_below: Share of confidently matched seed sentences under which the texts are
            called unrelated.
    """

    threshold: float = 0.22
    merge_penalty: float = 0.16
    skip_cost: float = 0.05
    margin: int = 1
    cells_per_sentence: int = 16
    confident: float = 0.35
    unrelated_below: float = 0.25

    def __post_init__(self) -> None:
        if not 0.0 <= self.confident <= 1.0:
            raise ValueError(f"confident must be in [0, 1], got {self.confident}")
        if not 0.0 <= self.threshold < 1.0:
            raise ValueError(f"threshold must be in [0, 1), got {self.threshold}")
        if self.merge_penalty < 0:
            raise ValueError(f"merge_penalty must be >= 0, got {self.merge_penalty}")
        if self.margin < 1 or self.cells_per_sentence < 4:
            raise ValueError("margin must be >= 1 and cells_per_sentence >= 4")

    @property
    def signature(self) -> str:
        """A compact description in sacrebleu's ``key:value|...`` style."""
        kinds = ",".join(f"{a}-{b}" for a, b in _MATCH_KINDS)
        return (
            f"aligner:banded-dp|beads:{kinds},1-0,0-1|thr:{self.threshold}"
            f"|merge:{self.merge_penalty}|skip:{self.skip_cost}|margin:{self.margin}"
            f"|cells:{self.cells_per_sentence}"
        )


@dataclass(frozen=True, slots=True)
class Bead:
    """A group of seed sentences matched with a group of reference sentences.

    ``seed`` and ``ref`` hold 0-based sentence indices; one of them is empty for an unmatched
    sentence.  ``similarity`` is in [0, 1] (0.0 for unmatched sentences).
    """

    seed: tuple[int, ...]
    ref: tuple[int, ...]
    similarity: float

    def __post_init__(self) -> None:
        if not self.seed and not self.ref:
            raise ValueError("a bead needs at least one sentence on one side")
        if not 0.0 <= self.similarity <= 1.0:
            raise ValueError(f"similarity must be in [0, 1], got {self.similarity}")

    @property
    def kind(self) -> str:
        """The bead's shape, such as ``"1-1"``, ``"2-1"`` or ``"0-1"``."""
        return f"{len(self.seed)}-{len(self.ref)}"


@dataclass(frozen=True, slots=True)
class Alignment:
    """The beads that cover both texts in order, and any warnings about the pair."""

    beads: tuple[Bead, ...]
    settings: AlignSettings = field(default_factory=AlignSettings)
    warnings: tuple[str, ...] = ()

    @property
    def matched_share(self) -> float:
        """Share of seed sentences that belong to a bead with a reference counterpart."""
        total = sum(len(b.seed) for b in self.beads)
        matched = sum(len(b.seed) for b in self.beads if b.ref)
        return matched / total if total else 0.0


def align(
    seed: Sequence[str],
    ref: Sequence[str],
    *,
    settings: AlignSettings | None = None,
    language: str = "en",
) -> Alignment:
    """Align two lists of sentences.

    Args:
        seed: Sentences of the translation under review.
        ref: Sentences of the reference.
        settings: Aligner settings; the defaults suit most texts.
        language: The texts' language code: its stopwords weigh little.

    Returns:
        An :class:`Alignment` whose beads list every sentence of both sides exactly once, in
        order.
    """
    settings = settings or AlignSettings()
    n, m = len(seed), len(ref)
    if n == 0 or m == 0:
        beads = [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
        return Alignment(tuple(beads), settings, ())
    stopwords = get_language(language).words("stopwords", default=frozenset())
    model = SimilarityModel(seed, ref, stopwords=stopwords)
    anchors = _anchors(model)
    lo, hi = _band(anchors, n, m, settings)
    beads = _release_weak_matches(_dynamic_program(model, lo, hi, settings), settings)
    alignment = Alignment(tuple(beads), settings, ())
    warnings: list[str] = []
    share = sum(len(b.seed) for b in beads if b.ref and b.similarity >= settings.confident) / n
    if share < settings.unrelated_below:
        warnings.append(
            f"the texts look unrelated: only {share:.0%} of the {n} seed sentences found a "
            f"clear counterpart among the {m} reference sentences; "
            "check that they translate the same text"
        )
    return Alignment(alignment.beads, settings, tuple(warnings))


def _release_weak_matches(beads: list[Bead], settings: AlignSettings) -> list[Bead]:
    """Split a 1-1 bead below the threshold into 1-0 and 0-1 unless confident matches frame it.

    The DP may pair two weak sentences because order forces them together; that is right when
    the neighbours on both sides are good matches (a loose translation between two solid ones),
    and wrong when they are not (unrelated texts, or a stretch that only one side has).
    """

    def confident(k: int) -> bool:
        if k < 0 or k >= len(beads):
            return True  # the document edge frames a bead as well as a match does
        b = beads[k]
        return bool(b.seed and b.ref) and b.similarity >= settings.confident

    out: list[Bead] = []
    for k, bead in enumerate(beads):
        weak = bead.kind == "1-1" and bead.similarity < settings.threshold
        if weak and not (confident(k - 1) and confident(k + 1)):
            out.append(Bead(bead.seed, (), 0.0))
            out.append(Bead((), bead.ref, 0.0))
        else:
            out.append(bead)
    return out


def _anchors(model: SimilarityModel) -> list[tuple[int, int]]:
    """Confident in-order (seed, ref) pairs, refined inside every wide gap (as patience diff)."""
    n, m = len(model.seed), len(model.ref)
    chain = _chain(model.candidate_pairs(0, n, 0, m))
    for _ in range(_REFINE_ROUNDS):
        refined: list[tuple[int, int]] = []
        added = False
        points = [(-1, -1), *chain, (n, m)]
        for (a0, b0), (a1, b1) in itertools.pairwise(points):
            if a1 - a0 > _REFINE_GAP and b1 - b0 > _REFINE_GAP:
                inner = _chain(model.candidate_pairs(a0 + 1, a1, b0 + 1, b1))
                refined.extend(inner)
                added = added or bool(inner)
            if (a1, b1) != (n, m):
                refined.append((a1, b1))
        chain = refined
        if not added:
            break
    return chain


def _chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
    chain: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(pairs[k])
        k = prev[k]
    chain.reverse()
    return chain


def _band(
    anchors: list[tuple[int, int]], n: int, m: int, settings: AlignSettings
) -> tuple[list[int], list[int]]:
    """Allowed DP columns ``lo[i]..hi[i]`` for each DP row ``i`` in ``0..n``.

    DP cell (i, j) means "the first i seed and first j reference sentences are aligned".
    Anchor (a, b) says seed a matches ref b, so the path passes near cell (a + 1, b + 1).
    """
    lo = [m + 1] * (n + 1)
    hi = [-1] * (n + 1)
    points = [(0, 0)] + [(a + 1, b + 1) for a, b in anchors] + [(n, m)]
    margin = settings.margin
    for (i0, j0), (i1, j1) in itertools.pairwise(points):
        di, dj = i1 - i0, j1 - j0
        budget = max(64, settings.cells_per_sentence * (di + dj))
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


def _dynamic_program(
    model: SimilarityModel, lo: list[int], hi: list[int], settings: AlignSettings
) -> list[Bead]:
    n = len(lo) - 1
    neg = float("-inf")
    score: list[list[float]] = []
    back: list[list[tuple[int, int]]] = []
    # ones[i][j - lo[i]]: 1-1 similarity of seed i-1 and ref j-1, i.e. of the bead ending in (i, j).
    ones: list[list[float]] = [[]]
    thr, merge, skip = settings.threshold, settings.merge_penalty, settings.skip_cost

    # Containment shares for the same cells: seed_in[i][k] (seed i-1 in ref), ref_in[i][k].
    seed_in: list[list[float]] = [[]]
    ref_in: list[list[float]] = [[]]

    def contained(si: int, rj: int, seed_side: bool) -> float:
        r, k = si + 1, rj + 1 - lo[si + 1]
        table = seed_in if seed_side else ref_in
        if 0 <= k < len(table[r]):
            return table[r][k]
        return model.containment(si, rj)[0 if seed_side else 1]

    for i in range(n + 1):
        row_lo, row_hi = lo[i], hi[i]
        width = row_hi - row_lo + 1
        row = [neg] * width
        brow: list[tuple[int, int]] = [(0, 0)] * width
        if i:
            first = max(row_lo, 1)
            pad = [0.0] * (first - row_lo)
            sims, s_in, r_in = model.row_similarities(i - 1, first - 1, row_hi)
            ones.append(pad + sims)
            seed_in.append(pad + s_in)
            ref_in.append(pad + r_in)
        prev_row, prev_lo, prev_hi = (score[i - 1], lo[i - 1], hi[i - 1]) if i else ([], 0, -1)
        for j in range(row_lo, row_hi + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best, arg = neg, (0, 0)
            # A sentence left unmatched costs ``skip``.
            if prev_lo <= j <= prev_hi:
                best, arg = prev_row[j - prev_lo] - skip, (1, 0)
            if j > row_lo:
                s = row[j - 1 - row_lo] - skip
                if s > best:
                    best, arg = s, (0, 1)
            k = j - row_lo
            if i and j and lo[i - 1] <= j - 1 <= hi[i - 1]:
                prev = prev_row[j - 1 - prev_lo]
                if prev != neg:
                    s = prev + ones[i][k] - thr
                    if s > best:
                        best, arg = s, (1, 1)
            # Wider beads: every sentence of the wider side must be largely contained in the
            # other side; the current cell holds that share for the last sentence, so most
            # cells are ruled out without a lookup.
            if seed_in[i][k] >= _GATE if i else False:
                for a in _WIDER:
                    pi, pj = i - a, j - 1
                    if pi < 0 or pj < lo[pi] or pj > hi[pi]:
                        continue
                    prev = score[pi][pj - lo[pi]]
                    if prev == neg or any(
                        contained(ii, pj, True) < _GATE for ii in range(pi, i - 1)
                    ):
                        continue
                    gain = model.similarity(pi, i, pj, j) - thr - merge * (a - 1)
                    if gain > 0 and prev + gain * (a + 1) / 2 > best:
                        best, arg = prev + gain * (a + 1) / 2, (a, 1)
            if ref_in[i][k] >= _GATE if i else False:
                for b in _WIDER:
                    pi, pj = i - 1, j - b
                    if pj < lo[pi] or pj > hi[pi]:
                        break
                    prev = score[pi][pj - lo[pi]]
                    if prev == neg or any(
                        contained(pi, jj, False) < _GATE for jj in range(pj, j - 1)
                    ):
                        continue
                    gain = model.similarity(pi, i, pj, j) - thr - merge * (b - 1)
                    if gain > 0 and prev + gain * (b + 1) / 2 > best:
                        best, arg = prev + gain * (b + 1) / 2, (1, b)
            row[j - row_lo] = best
            brow[j - row_lo] = arg
        score.append(row)
        back.append(brow)
    beads: list[Bead] = []
    i, j = n, hi[n]
    while i > 0 or j > 0:
        a, b = back[i][j - lo[i]]
        if (a, b) == (0, 0):  # unreachable cell; cannot happen with a connected band
            raise AssertionError(f"alignment band is disconnected at cell ({i}, {j})")
        seed_ids = tuple(range(i - a, i))
        ref_ids = tuple(range(j - b, j))
        sim = model.similarity(i - a, i, j - b, j) if a and b else 0.0
        beads.append(Bead(seed_ids, ref_ids, round(min(1.0, max(0.0, sim)), 4)))
        i, j = i - a, j - b
    beads.reverse()
    return beads
