"""report/worddiff.py: word-level pieces that rebuild both texts exactly."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.report.worddiff import DiffPiece, word_diff


def _tags(seed: str, ref: str) -> list[tuple[str, str, str]]:
    return [(p.tag, p.seed, p.ref) for p in word_diff(seed, ref)]


@pytest.mark.parametrize(
    ("seed", "ref", "expected"),
    [
        ("He sat.", "It sat.", [("replace", "He", "It"), ("equal", " sat.", " sat.")]),
        (
            "the cat sat",
            "the black cat sat",
            [("equal", "the", "the "), ("insert", "", "black"), ("equal", " cat sat", " cat sat")],
        ),
        (
            "a big red dog",
            "a dog",
            [("equal", "a ", "a"), ("delete", "big red", ""), ("equal", " dog", " dog")],
        ),
        ("same text.", "same text.", [("equal", "same text.", "same text.")]),
        ("", "", []),
        ("", "new words", [("insert", "", "new words")]),
        ("old words", "", [("delete", "old words", "")]),
        # punctuation is a token of its own: a changed stop does not swallow the word
        ("It ended.", "It ended!", [("equal", "It ended", "It ended"), ("replace", ".", "!")]),
        # white space differs, words agree: one equal piece holding each side's spacing
        ("a  b", "a b", [("equal", "a  b", "a b")]),
    ],
)
def test_word_diff_golden(seed: str, ref: str, expected: list[tuple[str, str, str]]) -> None:
    assert _tags(seed, ref) == expected


def test_words_with_apostrophes_and_hyphens_stay_whole() -> None:
    pieces = _tags("don't go, well-known", "do not go, well-known")
    assert ("replace", "don't", "not") in pieces
    assert pieces[-1] == ("equal", " go, well-known", " go, well-known")


def test_a_piece_with_no_text_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one side"):
        DiffPiece("equal", "", "")
    with pytest.raises(ValueError, match="wrong side"):
        DiffPiece("insert", "x", "y")


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("ab c.,'-\u2019\n\t\u00a0\u0301")), st.characters(codec="utf-8")
    ),
    max_size=40,
)


@given(_TEXT, _TEXT)
def test_pieces_rebuild_both_texts(seed: str, ref: str) -> None:
    pieces = word_diff(seed, ref)
    assert "".join(p.seed for p in pieces) == seed
    assert "".join(p.ref for p in pieces) == ref


@given(_TEXT, _TEXT)
def test_pieces_are_well_formed(seed: str, ref: str) -> None:
    pieces = word_diff(seed, ref)
    for p in pieces:
        assert p.seed or p.ref
        if p.tag == "equal":
            assert p.seed.split() == p.ref.split()  # the same words, spacing aside
        if p.tag != "equal":
            # a change never carries the white space around it
            assert p.seed == p.seed.strip() and p.ref == p.ref.strip()
    assert all(not (a.tag == b.tag == "equal") for a, b in itertools.pairwise(pieces))


@given(_TEXT)
def test_a_text_against_itself_is_one_equal_piece(text: str) -> None:
    assert _tags(text, text) == ([("equal", text, text)] if text else [])
