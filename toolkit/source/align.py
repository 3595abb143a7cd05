"""Aligning the seed with its source: bilingual, so by length and by what crosses languages.

A translation and its source share no words, but they share lengths (Gale and Church 1993:
the length of a translation is about proportional to its source's), numbers, names and codes
written in Latin script, URLs and placeholders, and paragraph structure.  The aligner is Gale
and Church's dynamic program (beads 1-1, 1-2, 2-1, 1-0, 0-1 with their prior costs and the
length cost; no 2-2 beads, as in Moore 2002: one absorbed a drop next to a merge more cheaply
than the two) plus a bonus for every number or Latin-script token a bead's two sides share, a
penalty when both sides have numbers and share none, and one for every number on one side only
(which tells a dropped sentence from one merged into its neighbour's bead).  It runs inside a
band around the diagonal, widened by the difference in sentence counts, so its cost grows
linearly with the document.  When both sides have the same number of paragraphs, each
paragraph is aligned with its counterpart.

It aligns three times, as Moore (2002) and hunalign align twice.  The first pass uses Gale and
Church's bead priors, a length ratio read from the document's totals and fixed costs for the
marks translations keep most faithfully (? ! ; brackets, quotes).  The later passes
re-estimate, from the pass before's beads, the length ratio and its variance (robustly: the
median of the squared residuals), the bead priors (its counts, smoothed towards Gale and
Church's), a punctuation model over more classes (commas, colons, dashes, full stops:
``toolkit/source/marks.py``) and a lexicon of words that co-occur in its one-to-one beads
(``toolkit/source/lexicon.py``); a bead whose two sides' words correspond gains a bonus in
proportion to how much of both sides the lexicon explains.  Numbers are compared by value
when both languages are given (``toolkit/source/cues.py``).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toolkit.source.cues import cues
from toolkit.source.lexicon import Lexicon, learn_lexicon, tokens
from toolkit.source.marks import MarkModel, Marks, add, first_pass, learn_marks, marks

__all__ = ["SourceBead", "align_source", "align_source_paragraphs"]

SourceBead = tuple[tuple[int, ...], tuple[int, ...]]  # (seed sentences, source sentences)
Step = tuple[int, int]

# Gale and Church's bead probabilities, less their 2-2 beads (0.011).
_GALE_CHURCH: dict[Step, float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
}
# Chosen on the even-numbered MQM TED talks (benchmarks/source_align.py, "tuning"); the odd
# talks are held out.  Costs are in Gale and Church's units, -100 log p.
_VARIANCE = 2.5  # first pass: variance of the length per source character, times the ratio
_SHARED = 600.0  # bonus per shared number, Latin-script name or code (at most three count)
_CLASH = 100.0  # penalty when both sides have numbers and share none
_UNSHARED = 250.0  # penalty per number on one side only
_MARKS = 1.0  # later passes: weight of the punctuation model learned on the document
_LEXICAL = 2400.0  # later passes: bonus for a bead the lexicon fully explains, both ways
_SMOOTHING = 50.0  # pseudo-beads of Gale and Church's priors added to a pass's bead counts
_SECOND_PASS = 20  # fewest one-to-one beads worth re-estimating from
_PASSES = 3  # the first, by length and cues; two more with the re-estimated model
_BAND = 16  # first pass: the band's half-width around the diagonal, plus sqrt(|n - m|)
_REBAND = 8  # later passes: the band's half-width around the path before

_TABLE_STEPS = 100  # |z| is rounded down to hundredths and the length cost read from a table


@dataclass(frozen=True)
class _Model:
    """What one pass scores beads with."""

    ratio: float  # seed characters per source character
    variance: float  # of the seed length given the source length, per source character
    priors: Mapping[Step, float]  # cost (-100 log p) of each kind of bead
    marks: MarkModel
    lexicon: Lexicon | None = None


def _costs(probabilities: Mapping[Step, float]) -> dict[Step, float]:
    return {step: -100 * math.log(p) for step, p in probabilities.items()}


def _mask(items: frozenset[str], bits: dict[str, int]) -> int:
    """``items`` as a bit mask, numbering new items in ``bits`` as they come."""
    out = 0
    for item in items:
        out |= 1 << bits.setdefault(item, len(bits))
    return out


def _length_cost(step: int) -> float:
    """Gale and Church's length cost, -100 log (2 (1 - Phi(|z|))), for |z| = step / _TABLE_STEPS."""
    return -100 * math.log(_normal_tail(step / _TABLE_STEPS))


def _normal_tail(z: float) -> float:
    """2 * (1 - Phi(|z|)), floored so that its log stays finite."""
    return max(math.erfc(abs(z) / math.sqrt(2)), 1e-300)


_LENGTH_COST = [_length_cost(step) for step in range(40 * _TABLE_STEPS)]


def align_source(
    seed: Sequence[str],
    source: Sequence[str],
    *,
    seed_language: str | None = None,
    source_language: str | None = None,
) -> list[SourceBead]:
    """The best monotone beads between ``seed`` and ``source`` sentences (every sentence in
    exactly one bead, in order), in several passes (see the module's docstring).  With both
    languages, numbers are compared by value, words included ("two thousand", "两千")."""
    languages = (seed_language, source_language)
    return _passes([(list(seed), list(source))], languages)


def align_source_paragraphs(
    seed: Sequence[Sequence[str]],
    source: Sequence[Sequence[str]],
    *,
    seed_language: str | None = None,
    source_language: str | None = None,
) -> list[SourceBead]:
    """Align paragraph by paragraph when both sides have as many paragraphs (sentence
    indices count through the whole document), else the sentences of the whole document."""
    languages = (seed_language, source_language)
    if len(seed) != len(source):
        return _passes([([s for p in seed for s in p], [s for p in source for s in p])], languages)
    return _passes([(list(a), list(b)) for a, b in zip(seed, source, strict=True)], languages)


def _passes(
    blocks: list[tuple[list[str], list[str]]], languages: tuple[str | None, str | None]
) -> list[SourceBead]:
    """Align each block (a paragraph and its counterpart), with one model for them all."""
    seed_chars = sum(max(1, len(s)) for a, _ in blocks for s in a)
    source_chars = sum(max(1, len(s)) for _, b in blocks for s in b)
    ratio = seed_chars / source_chars if seed_chars and source_chars else 1.0
    model = _Model(ratio, _VARIANCE * ratio, _costs(_GALE_CHURCH), first_pass())
    features = [_Block.of(a, b, languages) for a, b in blocks]
    second = [_align(block, model) for block in features]
    for _ in range(_PASSES - 1):
        model = _reestimate(features, second, model)
        if model.lexicon is None:
            break
        # Later passes search a narrower band around the path before.
        second = [
            _align(block, model, path=_rows(beads, len(block.seed)))
            for block, beads in zip(features, second, strict=True)
        ]
    out: list[SourceBead] = []
    i0 = j0 = 0
    for (a, b), beads in zip(blocks, second, strict=True):
        out.extend((tuple(i0 + i for i in x), tuple(j0 + j for j in y)) for x, y in beads)
        i0 += len(a)
        j0 += len(b)
    return out


def _reestimate(blocks: list[_Block], first: list[list[SourceBead]], model: _Model) -> _Model:
    """The next pass's model, from a pass's beads (the same model when they are too few to
    estimate from)."""
    ones = [
        (block.seed[x[0]], block.source[y[0]], block.seed_tokens[x[0]], block.source_tokens[y[0]])
        for block, beads in zip(blocks, first, strict=True)
        for x, y in beads
        if len(x) == len(y) == 1
    ]
    if len(ones) < _SECOND_PASS:
        return model
    seed_len = [max(1, len(one[0])) for one in ones]
    source_len = [max(1, len(one[1])) for one in ones]
    ratio = sum(seed_len) / sum(source_len)
    # The median of a chi-square with one degree of freedom is 0.455: robust to wrong beads.
    residuals = [(ls - lt * ratio) ** 2 / lt for ls, lt in zip(seed_len, source_len, strict=True)]
    variance = max(statistics.median(residuals) / 0.455, 0.1 * ratio)
    counts = {step: _SMOOTHING * p for step, p in _GALE_CHURCH.items()}
    for beads in first:
        for x, y in beads:
            counts[(len(x), len(y))] += 1
    total = sum(counts.values())
    priors = _costs({step: n / total for step, n in counts.items()})
    lexicon = learn_lexicon([(one[2], one[3]) for one in ones])
    return _Model(ratio, variance, priors, _learn_marks(blocks, first), lexicon)


def _learn_marks(blocks: list[_Block], beads: list[list[SourceBead]]) -> MarkModel:
    """The punctuation model of a pass's one-to-one beads, against the pairs their seed
    sentences make with the neighbouring beads' sources."""
    pairs: list[tuple[Marks | None, Marks | None]] = []
    shifted: list[tuple[Marks | None, Marks | None]] = []
    for block, path in zip(blocks, beads, strict=True):
        ones = [(x[0], y[0]) for x, y in path if len(x) == len(y) == 1]
        for k, (i, j) in enumerate(ones):
            pairs.append((block.seed_marks[i], block.source_marks[j]))
            shifted.extend(
                (block.seed_marks[i], block.source_marks[ones[n][1]])
                for n in (k - 1, k + 1)
                if 0 <= n < len(ones)
            )
    return learn_marks(pairs, shifted, weight=_MARKS)


def _rows(beads: list[SourceBead], n: int) -> list[tuple[int, int]]:
    """The first and last source position a path of ``beads`` takes in each row 0..n."""
    first = [-1] * (n + 1)
    last = [0] * (n + 1)
    i = j = 0
    first[0] = 0
    for x, y in beads:
        if len(x) == 2:  # the row the bead steps over
            first[i + 1], last[i + 1] = j, j + len(y)
        i += len(x)
        j += len(y)
        if first[i] < 0:
            first[i] = j
        last[i] = j
    return list(zip(first, last, strict=True))


@dataclass(frozen=True)
class _Block:
    """A paragraph and its counterpart, with what the passes read from their sentences."""

    seed: Sequence[str]
    source: Sequence[str]
    seed_at: list[int]  # character offsets: sentence i spans seed_at[i] .. seed_at[i + 1]
    source_at: list[int]
    seed_cues: list[int]  # cues as bit masks (a bead's union is an OR, its overlap an AND)
    source_cues: list[int]
    numbers: int  # the bits of the cues that are numbers
    seed_marks: list[Marks | None]
    source_marks: list[Marks | None]
    seed_tokens: list[frozenset[str]]
    source_tokens: list[frozenset[str]]

    @classmethod
    def of(
        cls, seed: Sequence[str], source: Sequence[str], languages: tuple[str | None, str | None]
    ) -> _Block:
        bits: dict[str, int] = {}
        # numbers are read by value only when both languages are known (else digits alike)
        seed_language, source_language = languages if None not in languages else (None, None)
        seed_cues = [_mask(cues(s, seed_language), bits) for s in seed]
        source_cues = [_mask(cues(s, source_language), bits) for s in source]
        return cls(
            seed,
            source,
            list(itertools.accumulate((max(1, len(s)) for s in seed), initial=0)),
            list(itertools.accumulate((max(1, len(s)) for s in source), initial=0)),
            seed_cues,
            source_cues,
            _mask(frozenset(k for k in bits if k[0] == "#"), bits),
            [marks(s) for s in seed],
            [marks(s) for s in source],
            [tokens(s) for s in seed],
            [tokens(s) for s in source],
        )


# The lexicon's view of a block, as bit masks: per seed sentence its words that have an
# associate and the source words they stand for; per source sentence the same both ways.
_Lexical = tuple[list[int], list[int], list[int], list[int]]


def _lexical(block: _Block, lexicon: Lexicon) -> _Lexical:
    words: dict[str, int] = {}
    known, targets = lexicon.sources, lexicon.targets
    seed_words = [t & known for t in block.seed_tokens]
    source_words = [t & targets for t in block.source_tokens]
    return (
        [_mask(w, words) for w in seed_words],
        [_mask(lexicon.translations(w), words) for w in seed_words],
        [_mask(w, words) for w in source_words],
        [_mask(lexicon.back(w), words) for w in source_words],
    )


def _align(
    block: _Block, model: _Model, *, path: list[tuple[int, int]] | None = None
) -> list[SourceBead]:
    """One pass inside a band around the diagonal (or around ``path``, a former pass's
    positions per row): the band is widened, and the alignment done again, as long as the
    best path runs along its edge (up to the whole matrix)."""
    n, m = len(block.seed), len(block.source)
    if path is None:
        path = [(int(i * m / n), int(i * m / n)) for i in range(n + 1)] if n else [(0, 0)]
        width = _BAND + math.isqrt(abs(n - m))
    else:
        width = _REBAND
    lexical = _lexical(block, model.lexicon) if model.lexicon is not None and n and m else None
    while True:
        beads, touched = _align_in_band(block, lexical, path, width, model)
        if not touched or width >= max(n, m):
            return beads
        width *= 2


def _align_in_band(
    block: _Block,
    lexical: _Lexical | None,
    path: list[tuple[int, int]],
    width: int,
    model: _Model,
) -> tuple[list[SourceBead], bool]:
    """The best beads inside a band of half-width ``width`` around ``path``, and whether
    the best path touches the band's edge (where a wider band might do better)."""
    n, m = len(block.seed), len(block.source)
    if not n or not m:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)], False
    seed_at, source_at = block.seed_at, block.source_at
    seed_cues, source_cues, numbers = block.seed_cues, block.source_cues, block.numbers
    seed_marks, source_marks = block.seed_marks, block.source_marks
    ratio, variance = model.ratio, model.variance
    mark_cost, mark_base = model.marks.cost, model.marks.base
    mark_costs: dict[tuple[Marks | None, Marks | None], float] = {}
    if lexical is not None:
        seed_known, forward, source_known, backward = lexical

    def cost(i0: int, i1: int, j0: int, j1: int) -> float:
        """The cost of the bead seed[i0:i1] with source[j0:j1] (both non-empty)."""
        ls = seed_at[i1] - seed_at[i0]
        lt = source_at[j1] - source_at[j0]
        step = int(abs(ls - lt * ratio) / math.sqrt(lt * variance) * _TABLE_STEPS)
        c = _LENGTH_COST[step] if step < len(_LENGTH_COST) else _length_cost(step)
        one_a, one_b = i1 - i0 == 1, j1 - j0 == 1
        a = seed_cues[i0] if one_a else seed_cues[i0] | seed_cues[i0 + 1]
        b = source_cues[j0] if one_b else source_cues[j0] | source_cues[j0 + 1]
        if a and b:
            shared = (a & b).bit_count()
            if shared:
                c -= _SHARED * min(shared, 3)
            elif a & numbers and b & numbers:
                c += _CLASH
        if (a | b) & numbers:
            c += _UNSHARED * ((a ^ b) & numbers).bit_count()
        ma = seed_marks[i0] if one_a else add(seed_marks[i0], seed_marks[i0 + 1])
        mb = source_marks[j0] if one_b else add(source_marks[j0], source_marks[j0 + 1])
        if ma is None and mb is None:
            c += mark_base
        else:
            # few distinct pairs of counts recur across a document: look them up once
            key = (ma, mb)
            found = mark_costs.get(key)
            if found is None:
                found = mark_costs[key] = mark_cost(ma, mb)
            c += found
        if lexical is not None:
            wa = seed_known[i0] if one_a else seed_known[i0] | seed_known[i0 + 1]
            wb = source_known[j0] if one_b else source_known[j0] | source_known[j0 + 1]
            if wa and wb:
                back = backward[j0] if one_b else backward[j0] | backward[j0 + 1]
                ahead = forward[i0] if one_a else forward[i0] | forward[i0 + 1]
                hit_a = (wa & back).bit_count() / wa.bit_count()
                hit_b = (wb & ahead).bit_count() / wb.bit_count()
                c -= _LEXICAL * (hit_a + hit_b) / 2
        return c

    inf = float("inf")
    # Row i holds cells j = lo[i] .. lo[i] + len(row) - 1: (cost, seed step, source step).
    lo = [max(0, first - width) for first, _ in path]
    rows: list[list[tuple[float, int, int]]] = []
    steps = tuple(model.priors.items())
    for i in range(n + 1):
        hi = min(m, path[i][1] + width + 1)
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
