"""Compact text and bead sequences: they must behave exactly like the lists they replace."""

from __future__ import annotations

import pickle
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.align import Alignment, Bead, LineBeads
from toolkit.detect import _bead_starts, _beads_in, _chunk_bounds, _ref_slice
from toolkit.packed import LineTexts, PackedTexts, texts_part

# Any text, lone surrogates included (a library caller may pass them).
texts = st.lists(st.text(st.characters(blacklist_categories=())), max_size=30)


@given(texts)
def test_packed_texts_equal_the_list(items: list[str]) -> None:
    packed = PackedTexts(items)
    assert len(packed) == len(items)
    assert list(packed) == items
    assert packed == items
    assert [packed[k] for k in range(-len(items), len(items))] == items + items
    assert packed[1:-1] == items[1:-1]
    assert packed[::2] == items[::2]
    again = pickle.loads(pickle.dumps(packed))
    assert isinstance(again, PackedTexts)
    assert list(again) == items


def test_packed_texts_refuse_an_index_outside() -> None:
    packed = PackedTexts(["a", "b"])
    with pytest.raises(IndexError):
        packed[2]
    with pytest.raises(IndexError):
        packed[-3]
    with pytest.raises(TypeError):
        packed["0"]  # type: ignore[call-overload]


def test_packed_texts_batch_across_blocks() -> None:
    # More texts than one encoding batch (10,000): the blocks join without a gap.
    items = [f"line {k} \u201cq\u201d" if k % 3 else f"{k}" for k in range(25_001)]
    packed = PackedTexts(items)
    assert packed[0] == "0" and packed[10_000] == "line 10000 \u201cq\u201d"
    assert packed[-1] == items[-1] and list(packed) == items


@st.composite
def lines_of(draw: st.DrawFn) -> tuple[str, array, array]:
    """A text and the spans of some of its pieces, in order."""
    text = draw(st.text(max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    spans = list(zip(cuts[::2], cuts[1::2], strict=False))
    return text, array("q", [s for s, _ in spans]), array("q", [e for _, e in spans])


@given(lines_of(), st.integers(-3, 8), st.integers(-3, 8))
def test_line_texts_cut_the_text(case: tuple[str, array, array], lo: int, hi: int) -> None:
    text, starts, ends = case
    expected = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    lines = LineTexts(text, starts, ends)
    assert lines == expected and list(lines) == expected and len(lines) == len(expected)
    assert [lines[k] for k in range(-len(expected), len(expected))] == expected * 2
    assert lines[lo:hi] == expected[lo:hi]
    a, b = max(0, lo), max(0, hi)
    part = texts_part(lines, a, b)
    assert isinstance(part, LineTexts) and list(part) == expected[a:b]
    assert texts_part(expected, a, b) == expected[a:b]
    # A worker gets the lines packed, not the text around them.
    sent = pickle.loads(pickle.dumps(lines))
    assert isinstance(sent, PackedTexts) and list(sent) == expected


def test_line_texts_need_as_many_starts_as_ends() -> None:
    with pytest.raises(ValueError, match="as many starts"):
        LineTexts("abc", array("q", [0]), array("q", []))


similarities = st.lists(st.floats(0.0, 1.0), max_size=40)


@given(similarities)
def test_line_beads_equal_the_tuple(values: list[float]) -> None:
    beads = LineBeads(values)
    expected = tuple(Bead((k,), (k,), v) for k, v in enumerate(values))
    assert beads == expected and tuple(beads) == expected and len(beads) == len(values)
    assert tuple(beads[k] for k in range(-len(values), len(values))) == expected * 2
    assert beads[2:-3] == expected[2:-3]
    assert pickle.loads(pickle.dumps(beads)) == beads
    assert Alignment(beads) == Alignment(expected)
    assert Alignment(beads).matched_share == Alignment(expected).matched_share


@given(similarities, st.integers(0, 5), st.integers(-2, 45), st.integers(-2, 45))
def test_line_beads_parts(values: list[float], first: int, lo: int, hi: int) -> None:
    beads = LineBeads(values, first)
    expected = tuple(Bead((first + k,), (first + k,), v) for k, v in enumerate(values))
    assert beads == expected
    part = beads.part(lo, hi)
    assert part == tuple(b for b in expected if lo <= b.seed[0] < hi)
    assert pickle.loads(pickle.dumps(part)) == part


@given(similarities, st.integers(1, 5))
def test_line_beads_take_the_quick_paths_of_the_checks(values: list[float], parts: int) -> None:
    # What the check pool reads of an alignment is the same for the compact beads.
    compact, plain = Alignment(LineBeads(values)), Alignment(tuple(LineBeads(values)))
    assert list(_bead_starts(compact)) == list(_bead_starts(plain))
    for lo in range(len(values) + 1):
        starts_c, starts_p = _bead_starts(compact), _bead_starts(plain)
        hi = min(len(values), lo + 3)
        assert _beads_in(compact, starts_c, lo, hi) == _beads_in(plain, starts_p, lo, hi)
    n = len(values)
    refs_c, refs_p = [("r", [""] * n, compact)], [("r", [""] * n, plain)]
    assert _chunk_bounds(n, refs_c, parts) == _chunk_bounds(n, refs_p, parts)
    ref = [f"line {k}" for k in range(n)]
    for lo, hi in _chunk_bounds(n, refs_c, parts):
        _, window_c, part_c = _ref_slice("r", ref, compact, _bead_starts(compact), lo, hi)
        _, window_p, part_p = _ref_slice("r", ref, plain, _bead_starts(plain), lo, hi)
        assert part_c == part_p
        assert [window_c[j] for j in range(lo, hi)] == [window_p[j] for j in range(lo, hi)]


@pytest.mark.parametrize("bad", [[1.5], [-0.1], [float("nan")]])
def test_line_beads_refuse_a_similarity_outside_0_1(bad: list[float]) -> None:
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        LineBeads(bad)


def test_line_beads_refuse_an_index_outside() -> None:
    with pytest.raises(IndexError):
        LineBeads([0.5])[1]
    with pytest.raises(ValueError, match="0 or more"):
        LineBeads([0.5], -1)
