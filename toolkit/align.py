"""Monolingual sentence alignment of a translation with a reference.

The aligner finds the best monotone sequence of *beads* (1-1, 1-2, 2-1, 2-2, 1-3, 3-1 matches,
and 1-0 / 0-1 sentences without a counterpart) by dynamic programming, but only inside a band:

1. Anchors (:mod:`toolkit.anchors`): sentence pairs that share rare words, numbers or names and
   clearly prefer each other, filtered to the longest chain that is in order on both sides.
2. A band of allowed cells around the path through the anchors; a stretch between two anchors
   gets its full rectangle when that is small, else a diagonal strip whose area grows with the
   stretch's length, so the total work grows linearly with the documents.
3. A dynamic program over the band that maximises the summed bead scores (similarity minus a
   threshold; a sentence left unmatched scores zero).
4. Checks that the band did not lose the thread: where the best path runs along the band's
   edge, the band is widened there and the program run again; when the path still hugs an
   edge or leaves long stretches unmatched on both sides, the plain diagonal band (no
   anchors) is solved too and the path with the higher score kept, so a misleading anchor
   cannot make the result worse than no anchors at all.

Similarity (:mod:`toolkit.similarity`) combines weighted word overlap, character similarity from
rapidfuzz, and a length prior, so it survives paraphrase and reordering.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.anchors import anchors as find_anchors
from toolkit.band import band, hugs, widen
from toolkit.lang import language as get_language
from toolkit.similarity import SimilarityModel

__all__ = ["AlignSettings", "Alignment", "Bead", "UnmatchedRun", "align", "unmatched_runs"]

# (seed sentences, reference sentences) consumed by each bead kind the DP may use.
# A sentence joins a many-sentence bead only if it alone resembles the other side this much.
_GATE = 0.15
# Widening: path cells on the band's edge that call for another round, how many rounds, and
# the columns (and rows either side) added in the first round (doubled every round).
_HUG_MIN = 3
_WIDEN_ROUNDS = 4
_WIDEN = 64
# A stretch of consecutive unmatched beads is worth a warning when it holds more than this
# share of a side's sentences, and at least _RUN_MIN of them.
_RUN_SHARE = 0.03
_RUN_MIN = 5
_MATCH_KINDS: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3))
_WIDER = (2, 3)  # sentences on the wider side of a 2-1, 3-1, 1-2 or 1-3 bead
_LOOKBACK = 4  # DP rows kept in full: a bead spans at most three seed sentences
_FORGET_EVERY = 256  # DP rows between two clearings of the model's span cache


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


@dataclass(frozen=True, slots=True)
class UnmatchedRun:
    """A stretch of consecutive beads that leaves sentences of one side or both unmatched.

    ``seed`` and ``ref`` are the 0-based sentence indices left unmatched in it.
    """

    seed: range
    ref: range


def align(
    seed: Sequence[str],
    ref: Sequence[str],
    *,
    settings: AlignSettings | None = None,
    language: str = "en",
    labels: tuple[Sequence[str], Sequence[str]] | None = None,
    use_anchors: bool = True,
) -> Alignment:
    """Align two lists of sentences.

    Args:
        seed: Sentences of the translation under review.
        ref: Sentences of the reference.
        settings: Aligner settings; the defaults suit most texts.
        language: The texts' language code: its stopwords weigh little.
        labels: Names of the seed and reference sentences (segment ids such as ``L12``) used in
            warnings; 1-based sentence numbers without them.
        use_anchors: False runs the plain banded dynamic program along the diagonal, without
            anchors or safeguards (for comparison in benchmarks).

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
    if use_anchors:
        best = _solve(model, find_anchors(model), settings, widen_band=True)
        if best.suspect:
            plain = _solve(model, [], settings, widen_band=False)
            if plain.score > best.score:
                best = plain
    else:
        best = _solve(model, [], settings, widen_band=False)
    beads = best.beads
    warnings: list[str] = []
    share = sum(len(b.seed) for b in beads if b.ref and b.similarity >= settings.confident) / n
    if share < settings.unrelated_below:
        warnings.append(
            f"the texts look unrelated: only {share:.0%} of the {n} seed sentences found a "
            f"clear counterpart among the {m} reference sentences; "
            "check that they translate the same text"
        )
    else:
        names = labels or ([str(i + 1) for i in range(n)], [str(j + 1) for j in range(m)])
        warnings.extend(_run_warning(run, n, m, names) for run in unmatched_runs(beads, n, m))
    return Alignment(tuple(beads), settings, tuple(warnings))


def unmatched_runs(beads: Sequence[Bead], n: int, m: int) -> list[UnmatchedRun]:
    """Stretches of consecutive unmatched beads holding more than a few percent of a side.

    A stretch counts when its seed sentences or its reference sentences number more than 3% of
    their side (``n`` seed, ``m`` reference sentences) and at least five.
    """
    runs: list[UnmatchedRun] = []
    limit_seed = max(_RUN_MIN - 1, _RUN_SHARE * n)
    limit_ref = max(_RUN_MIN - 1, _RUN_SHARE * m)
    seed_ids: list[int] = []
    ref_ids: list[int] = []
    for bead in (*beads, Bead((0,), (0,), 0.0)):  # a matched sentinel closes the last run
        if bead.seed and bead.ref:
            if len(seed_ids) > limit_seed or len(ref_ids) > limit_ref:
                runs.append(
                    UnmatchedRun(
                        range(seed_ids[0], seed_ids[-1] + 1) if seed_ids else range(0),
                        range(ref_ids[0], ref_ids[-1] + 1) if ref_ids else range(0),
                    )
                )
            seed_ids, ref_ids = [], []
        else:
            seed_ids.extend(bead.seed)
            ref_ids.extend(bead.ref)
    return runs


def _run_warning(
    run: UnmatchedRun, n: int, m: int, names: tuple[Sequence[str], Sequence[str]]
) -> str:
    parts = []
    for side, ids, total, labels in (
        ("seed", run.seed, n, names[0]),
        ("reference", run.ref, m, names[1]),
    ):
        if ids:
            span = labels[ids[0]] if len(ids) == 1 else f"{labels[ids[0]]}-{labels[ids[-1]]}"
            parts.append(f"{len(ids)} {side} sentences ({len(ids) / total:.0%}, {span})")
    return (
        f"{' and '.join(parts)} are left unmatched in one stretch: a passage that one text "
        "lacks, or texts in a different order; check these lines"
    )


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


@dataclass(frozen=True, slots=True)
class _Solution:
    beads: list[Bead]
    score: float
    suspect: bool


def _solve(
    model: SimilarityModel,
    anchors: list[tuple[int, int]],
    settings: AlignSettings,
    *,
    widen_band: bool,
) -> _Solution:
    """The best path in the band through ``anchors``, widened where it runs along an edge."""
    n, m = len(model.seed), len(model.ref)
    lo, hi = band(anchors, n, m, settings.margin, settings.cells_per_sentence)
    for round_ in range(_WIDEN_ROUNDS + 1):
        raw, score = _dynamic_program(model, lo, hi, settings)
        path = list(itertools.accumulate(((len(b.seed), len(b.ref)) for b in raw), _add))
        edge = hugs(path, lo, hi, m)
        if not widen_band or round_ == _WIDEN_ROUNDS or len(edge) < _HUG_MIN:
            break
        lo, hi = widen(lo, hi, path, edge, _WIDEN << round_, m)
    beads = _release_weak_matches(raw, settings)
    # A lost path leaves stretches unmatched on both sides (the seed's passage skipped here,
    # the reference's there); one side alone is a passage that the other text lacks.
    runs = unmatched_runs(beads, n, m)
    lost = any(r.seed for r in runs) and any(r.ref for r in runs)
    suspect = len(edge) >= _HUG_MIN or lost
    return _Solution(beads, score, suspect)


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


def _dynamic_program(
    model: SimilarityModel, lo: list[int], hi: list[int], settings: AlignSettings
) -> tuple[list[Bead], float]:
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
                    # The bound rules out most wider beads without building their spans.
                    most = model.bound(pi, i, pj, j) - thr - merge * (a - 1)
                    if most <= 0 or prev + most * (a + 1) / 2 <= best:
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
                    most = model.bound(pi, i, pj, j) - thr - merge * (b - 1)
                    if most <= 0 or prev + most * (b + 1) / 2 <= best:
                        continue
                    gain = model.similarity(pi, i, pj, j) - thr - merge * (b - 1)
                    if gain > 0 and prev + gain * (b + 1) / 2 > best:
                        best, arg = prev + gain * (b + 1) / 2, (1, b)
            row[j - row_lo] = best
            brow[j - row_lo] = arg
        score.append(row)
        back.append(brow)
        if i >= _LOOKBACK:  # no bead reaches further back; only the back-pointers stay
            old = i - _LOOKBACK
            score[old] = ones[old] = seed_in[old] = ref_in[old] = []
        if i % _FORGET_EVERY == 0:
            model.forget_spans()
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
    return beads, score[n][hi[n] - lo[n]]
