"""The shared word diff: tokens with offsets, blocks, changed regions and covered range."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks import diff as diff_module
from toolkit.checks.diff import (
    Block,
    Region,
    Token,
    covered_range,
    regions,
    token_diff,
    word_keys,
    word_tokens,
)


def test_tokens_keep_offsets_and_fold_case_and_apostrophes() -> None:
    text = "Don\u2019t touch the U.S. 1,200 items!"
    tokens = word_tokens(text)
    assert [(t.text, t.key) for t in tokens] == [
        ("Don\u2019t", "don't"),
        ("touch", "touch"),
        ("the", "the"),
        ("U.S", "u.s"),
        ("1,200", "1,200"),
        ("items", "items"),
    ]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_adjacent_changes_form_one_region() -> None:
    diff = token_diff("He sold two red cars today", "It sold three cars yesterday")
    seed_region, ref_region, found = regions(diff)
    assert found == [Region(0, 1, 0, 1), Region(2, 4, 2, 3), Region(5, 6, 4, 5)]
    assert seed_region == [0, -1, 1, 1, -1, 2]
    assert ref_region == [0, -1, 1, -1, 2]


def test_reference_text_beyond_the_seed_is_not_covered() -> None:
    diff = token_diff("the bridge opened", "in the old days of the town the bridge opened")
    assert covered_range(diff, regions(diff)[2], slack=3) == (7, 10)
    assert covered_range(diff, regions(diff)[2], slack=10) == (0, 10)


@given(st.text(max_size=60), st.text(max_size=60))
def test_regions_cover_every_changed_token(seed: str, ref: str) -> None:
    diff = token_diff(seed, ref)
    seed_region, ref_region, found = regions(diff)
    assert len(seed_region) == len(diff.seed) and len(ref_region) == len(diff.ref)
    for k, region in enumerate(found):
        assert all(seed_region[i] == k for i in range(region.seed_start, region.seed_end))
        assert all(ref_region[j] == k for j in range(region.ref_start, region.ref_end))
    changed = sum(len(b.seed) for b in diff.blocks if b.tag != "equal")
    assert sum(r.seed_end - r.seed_start for r in found) == changed


@given(
    st.text(
        alphabet=st.sampled_from("aZ\u0130\u00df\u03a3\u2019'.-1,9 \u00e9\u0131\n"), max_size=40
    )
)
def test_word_keys_are_the_keys_of_the_tokens(text: str) -> None:
    assert word_keys(text) == [t.key for t in word_tokens(text)]


@given(st.text(alphabet=st.sampled_from("aZq'.-_1,9 \n!?\"()"), max_size=60))
def test_word_keys_of_ascii_text_are_the_keys_of_the_tokens(text: str) -> None:
    """ASCII text (the hot path) takes its keys from the lowercased text in one call."""
    assert word_keys(text) == [t.key for t in word_tokens(text)]


def test_word_keys_of_a_sentence() -> None:
    assert word_keys("Don\u2019t touch the U.S. 1,200 items!") == [
        "don't",
        "touch",
        "the",
        "u.s",
        "1,200",
        "items",
    ]


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_word_pattern_finds_the_same_words_on_ascii_text(text: str) -> None:
    ascii_spans = [m.span() for m in diff_module._ASCII_WORD.finditer(text)]
    assert ascii_spans == [m.span() for m in diff_module._WORD.finditer(text)]


@given(
    st.text(alphabet=st.sampled_from("ab B\u2019'.-1,\u00e9"), max_size=30),
    st.text(alphabet=st.sampled_from("ab B\u2019'.-1,\u00e9"), max_size=30),
)
def test_blocks_put_together_the_tokens_of_each_side(seed: str, ref: str) -> None:
    diff = token_diff(seed, ref)
    assert tuple(t for b in diff.blocks for t in b.seed) == diff.seed
    assert tuple(t for b in diff.blocks for t in b.ref) == diff.ref
    for block in diff.blocks:
        assert isinstance(block, Block) and isinstance(block.seed, tuple)
        assert all(isinstance(t, Token) for t in (*block.seed, *block.ref))
        if block.tag == "equal":
            assert [t.key for t in block.seed] == [t.key for t in block.ref]
        assert block.seed_span == (
            (block.seed[0].start, block.seed[-1].end) if block.seed else None
        )
