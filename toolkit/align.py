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
   edge, the band is widened there and the program run again on the widened band; when the
   path still hugs an
   edge or leaves long stretches unmatched on both sides, the plain diagonal band (no
   anchors) is solved too and the path with the higher score kept, so a misleading anchor
   cannot make the result worse than no anchors at all.

Similarity (:mod:`toolkit.similarity`) combines weighted word overlap, character similarity from
rapidfuzz, and a length prior, so it survives paraphrase and reordering.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, overload

from toolkit.anchors import anchors as find_anchors
from toolkit.band import band, hugs, widen
from toolkit.dp import RawBead, dynamic_program
from toolkit.lang import language as get_language
from toolkit.similarity import SimilarityModel

__all__ = [
    "AlignSettings",
    "Alignment",
    "Bead",
    "LineBeads",
    "UnmatchedRun",
    "align",
    "unmatched_runs",
]

# (seed sentences, reference sentences) consumed by each bead kind the DP may use.
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

    def __reduce__(self) -> tuple[type[Bead], tuple[tuple[int, ...], tuple[int, ...], float]]:
        # Pickled by the million for the check workers: the fields as the constructor takes
        # them, not the dataclass's state protocol (half the time each way).
        return (Bead, (self.seed, self.ref, self.similarity))


class LineBeads(Sequence[Bead]):
    """The 1-1 beads of line-parallel texts (each bead pairs line i of one side with line i
    of the other): one similarity per bead in an array, the :class:`Bead` made when read.  A
    million beads held as objects took about 140 bytes each; these take 8.  Equal to the
    tuple of the beads it makes.

    Args:
        similarities: The similarity of each pair, in [0, 1].
        first: The line of the first bead (a part of a longer run of beads).
    """

    __slots__ = ("_first", "_similarities")

    def __init__(self, similarities: Iterable[float], first: int = 0) -> None:
        self._similarities = array("d", similarities)
        self._first = first
        if first < 0:
            raise ValueError(f"the first line must be 0 or more, not {first}")
        if any(not 0.0 <= v <= 1.0 for v in self._similarities):
            raise ValueError("similarities must be in [0, 1]")

    @property
    def similarities(self) -> array:
        """Each bead's similarity, in order (do not change it)."""
        return self._similarities

    @property
    def first(self) -> int:
        """The line of the first bead."""
        return self._first

    def part(self, lo: int, hi: int) -> LineBeads:
        """The beads of lines ``lo..hi-1`` (those of them it has)."""
        a = min(len(self), max(0, lo - self._first))
        b = min(len(self), max(a, hi - self._first))
        return LineBeads._of(self._similarities[a:b], self._first + a)

    @classmethod
    def _of(cls, similarities: array, first: int) -> LineBeads:
        """Beads of checked similarities (not checked again)."""
        beads = cls.__new__(cls)
        beads._similarities, beads._first = similarities, first
        return beads

    def __len__(self) -> int:
        return len(self._similarities)

    @overload
    def __getitem__(self, index: int) -> Bead: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Bead, ...]: ...

    def __getitem__(self, index: int | slice) -> Bead | tuple[Bead, ...]:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(len(self))))
        n = len(self._similarities)
        k = index + n if index < 0 else index
        if not 0 <= k < n:
            raise IndexError(f"bead {index} of {n}")
        line = (self._first + k,)
        return Bead(line, line, self._similarities[k])

    def __iter__(self) -> Iterator[Bead]:
        for k, similarity in enumerate(self._similarities, start=self._first):
            line = (k,)
            yield Bead(line, line, similarity)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineBeads):
            return self._similarities == other._similarities and (
                self._first == other._first or not self._similarities
            )
        if isinstance(other, tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LineBeads({len(self)} beads from line {self._first})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LineBeads._of, (self._similarities, self._first))


@dataclass(frozen=True, slots=True)
class Alignment:
    """The beads that cover both texts in order, and any warnings about the pair
    (a tuple of :class:`Bead`, or :class:`LineBeads` for line-parallel texts)."""

    beads: Sequence[Bead]
    settings: AlignSettings = field(default_factory=AlignSettings)
    warnings: tuple[str, ...] = ()

    @property
    def matched_share(self) -> float:
        """Share of seed sentences that belong to a bead with a reference counterpart."""
        if isinstance(self.beads, LineBeads):  # every line has its counterpart
            return 1.0 if self.beads else 0.0
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
    with _collector_paused():
        model = SimilarityModel(seed, ref, stopwords=stopwords)
        if use_anchors:
            best = _solve(model, find_anchors(model), settings, widen_band=True)
            if best.suspect:
                plain = _solve(model, [], settings, widen_band=False)
                if plain.score > best.score:
                    best = plain
        else:
            best = _solve(model, [], settings, widen_band=False)
        del model
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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: the aligner makes hundreds of thousands of small
    objects (sentence features, DP rows) and no reference cycles, and the collector's passes
    over them took a sixth of its time on 50,000-line texts; reference counting frees them
    as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    found, scores = _program(model, lo, hi, settings, (0, 0.0))
    path = _cells(found, (0, 0))
    scores.insert(0, 0.0)
    edge = hugs(path[1:], lo, hi, m)
    for round_ in range(_WIDEN_ROUNDS if widen_band else 0):
        if len(edge) < _HUG_MIN:
            break
        extra = _WIDEN << round_
        lo, hi = widen(lo, hi, path[1:], edge, extra, m)
        # The whole widened band is solved again: solving only windows around the hugging
        # rows, from path cells before and after them, was faster but not always the same
        # path (hypothesis found texts where the whole band leaves the old path elsewhere).
        found, scores = _program(model, lo, hi, settings, (0, 0.0))
        path = _cells(found, (0, 0))
        scores.insert(0, 0.0)
        edge = hugs(path[1:], lo, hi, m)
    beads = _release_weak_matches([Bead(*b) for b in found], settings)
    # A lost path leaves stretches unmatched on both sides (the seed's passage skipped here,
    # the reference's there); one side alone is a passage that the other text lacks.
    runs = unmatched_runs(beads, n, m)
    lost = any(r.seed for r in runs) and any(r.ref for r in runs)
    suspect = len(edge) >= _HUG_MIN or lost
    return _Solution(beads, scores[-1], suspect)


def _program(
    model: SimilarityModel,
    lo: list[int],
    hi: list[int],
    settings: AlignSettings,
    start: tuple[int, float],
) -> tuple[list[RawBead], list[float]]:
    return dynamic_program(
        model,
        lo,
        hi,
        threshold=settings.threshold,
        merge_penalty=settings.merge_penalty,
        skip_cost=settings.skip_cost,
        start=start,
    )


def _cells(found: list[RawBead], start: tuple[int, int]) -> list[tuple[int, int]]:
    """The path's cells: ``start``, then the cell after each bead."""
    i, j = start
    cells = [start]
    for seed, ref, _ in found:
        i += len(seed)
        j += len(ref)
        cells.append((i, j))
    return cells


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
