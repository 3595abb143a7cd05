"""Issue 13, speed: when the aligner's path runs along the band's edge, only windows of the
path around those rows are solved again (not the whole widened band); the beads must be those
of solving the whole widened band."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit.align as align_module
from toolkit.align import AlignSettings, align
from toolkit.band import window
from toolkit.dp import RawBead, dynamic_program
from toolkit.similarity import SimilarityModel

_VOCABULARY = (
    "river harbour ship captain storm island village market bread winter summer garden "
    "teacher student letter train station bridge mountain forest farmer school doctor city "
    "council museum painting music lamp window engine road stone tower castle king queen "
    "soldier merchant silver copper wheat apple orchard candle clock map compass lantern"
)
VOCABULARY = _VOCABULARY.split()


def texts(rng: random.Random, n: int, copies: int) -> tuple[list[str], list[str]]:
    """A seed of ``n`` sentences (each with its own number) repeated ``copies`` times, and a
    reference that rewords every copy a little, drops some sentences and merges others."""
    base = [
        " ".join(rng.choices(VOCABULARY, k=rng.randint(5, 12))) + f" {1000 + 7 * k}."
        for k in range(n)
    ]
    seed = base * copies
    ref: list[str] = []
    for sentence in seed:
        words = sentence.split()
        words = [rng.choice(VOCABULARY) if rng.random() < 0.2 else w for w in words]
        roll = rng.random()
        if roll < 0.04:
            continue  # dropped
        if roll < 0.08 and ref:
            ref[-1] = ref[-1] + " " + " ".join(words)  # merged with the previous one
        else:
            ref.append(" ".join(words))
    return seed, ref


def full_resolve(
    model: SimilarityModel,
    lo: list[int],
    hi: list[int],
    solution: tuple[list[RawBead], list[tuple[int, int]], list[float]],
    spans: list[tuple[int, int]],
    settings: AlignSettings,
) -> tuple[list[RawBead], list[tuple[int, int]], list[float]]:
    """What the aligner did before windows: the whole widened band solved again."""
    found, scores = align_module._program(model, lo, hi, settings, (0, 0.0))
    return found, align_module._cells(found, (0, 0)), [0.0, *scores]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10**6),
    st.integers(30, 90),
    st.integers(2, 3),
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=3),
)
def test_windows_give_the_beads_of_the_whole_widened_band(
    text_seed: int, n: int, copies: int, wrong: list[tuple[float, float]]
) -> None:
    """Anchors taken from the wrong copy of a repeated text make the path hug the band's edge;
    whatever the texts, the windows solved again give the same beads as the whole band."""
    seed, ref = texts(random.Random(text_seed), n, copies)
    anchors = sorted({(int(a * (len(seed) - 1)), int(b * (len(ref) - 1))) for a, b in wrong})
    anchors = [p for k, p in enumerate(anchors) if all(p[1] > q[1] for q in anchors[:k])]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("toolkit.align.find_anchors", lambda model: anchors)
        windowed = align(seed, ref)
        mp.setattr("toolkit.align._resolve", full_resolve)
        whole = align(seed, ref)
    assert windowed.beads == whole.beads
    assert windowed.warnings == whole.warnings


def test_a_misleading_anchor_is_repaired_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """One anchor among many points eight sentences off: the path hugs the band's edge there
    only, the widening runs and solves a window far smaller than the text, and every sentence
    is matched with its own counterpart again."""
    rng = random.Random(7)
    seed = [
        " ".join(rng.choices(VOCABULARY, k=rng.randint(5, 12))) + f" {1000 + 7 * k}."
        for k in range(400)
    ]
    ref = [s.replace("a", "e", 1) for s in seed]
    anchors = [(i, i + 8 if i == 200 else i) for i in range(0, 400, 5)]
    solved: list[int] = []
    real_program = align_module._program

    def spy(
        model: SimilarityModel,
        lo: list[int],
        hi: list[int],
        settings: AlignSettings,
        start: tuple[int, float],
    ) -> tuple[list[RawBead], list[float]]:
        solved.append(len(lo) - 1)
        return real_program(model, lo, hi, settings, start)

    monkeypatch.setattr("toolkit.align.find_anchors", lambda model: anchors)
    monkeypatch.setattr("toolkit.align._program", spy)
    alignment = align(seed, ref)
    assert solved[0] == len(seed)  # the whole band first
    assert len(solved) > 1 and max(solved[1:]) < len(seed) // 2  # then windows only
    assert [(b.seed, b.ref) for b in alignment.beads] == [((i,), (i,)) for i in range(400)]


@given(st.integers(0, 10**6))
def test_window_bounds(seed: int) -> None:
    """A window starts at the entry cell, ends at the exit cell, keeps every row's columns
    between the two, monotone and overlapping, and holds every cell of the band between."""
    rng = random.Random(seed)
    n, m = rng.randint(1, 40), rng.randint(1, 40)
    lo, hi = [0] * (n + 1), [m] * (n + 1)
    for i in range(1, n + 1):
        a, b = sorted((rng.randint(0, m), rng.randint(0, m)))
        lo[i], hi[i] = max(a, lo[i - 1]), max(b, hi[i - 1], a)
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
    i0 = rng.randint(0, n)
    i1 = rng.randint(i0, n)
    j0 = rng.randint(lo[i0], hi[i0])
    j1 = rng.randint(max(j0, lo[i1]), max(j0, hi[i1]))
    w_lo, w_hi = window(lo, hi, (i0, j0), (i1, j1))
    assert len(w_lo) == len(w_hi) == i1 - i0 + 1
    assert w_lo[0] == j0 and w_hi[-1] == j1
    for k in range(i1 - i0 + 1):
        assert j0 <= w_lo[k] <= w_hi[k] <= j1
        assert max(lo[i0 + k], j0) >= w_lo[k] or lo[i0 + k] > j1
        assert min(hi[i0 + k], j1) <= w_hi[k] or hi[i0 + k] < j0
        if k:
            assert w_lo[k - 1] <= w_lo[k] <= w_hi[k - 1] <= w_hi[k]


def test_a_window_from_a_path_cell_gives_the_rest_of_the_path() -> None:
    """Solving from a cell of the best path, with the path's score there, over the rest of the
    same band, gives the rest of the path and the same scores."""
    seed, ref = texts(random.Random(3), 60, 1)
    model = SimilarityModel(seed, ref)
    n, m = len(seed), len(ref)
    lo, hi = [0] * (n + 1), [m] * (n + 1)
    found, scores = align_module._program(model, lo, hi, AlignSettings(), (0, 0.0))
    cells = align_module._cells(found, (0, 0))
    k = len(found) // 2
    (i0, j0), score0 = cells[k], scores[k - 1]
    rest, rest_scores = dynamic_program(
        model,
        [j0] * (n - i0 + 1),
        [m] * (n - i0 + 1),
        threshold=0.22,
        merge_penalty=0.16,
        skip_cost=0.05,
        start=(i0, score0),
    )
    assert rest == found[k:]
    assert rest_scores == scores[k:]
