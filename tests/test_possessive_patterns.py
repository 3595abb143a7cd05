"""The word patterns of the checks use possessive quantifiers for speed: they must find
exactly what the same patterns with plain quantifiers find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks import casing, diff, leftover, referent, typography


def _plain(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with its possessive quantifiers (``++``, ``*+``, ``{3,}+``) made greedy."""
    return re.compile(re.sub(r"(?<=[+*}])\+", "", pattern.pattern), pattern.flags)


PATTERNS = [
    diff._WORD,
    diff._ASCII_WORD,
    casing._WORD,
    referent._WORD,
    leftover._WORD,
    typography._DOUBLED_WORD,
    typography._DOUBLED_ASCII_WORD,
]
_PIECES = [
    "the",
    "The",
    "a",
    "abc",
    "'",
    "\u2019",
    ".",
    "-",
    "\u2010",
    ",",
    " ",
    "  ",
    "\n",
    "1",
    "2,5",
    "\u00e9",
    "_",
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_each_pattern_is_possessive(pattern: re.Pattern[str]) -> None:
    assert _plain(pattern).pattern != pattern.pattern


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
@given(text=st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_possessive_patterns_find_what_the_plain_ones_find(
    pattern: re.Pattern[str], text: str
) -> None:
    plain = _plain(pattern)
    for subject in (text, text.lower()):
        found = [m.regs for m in pattern.finditer(subject)]
        assert found == [m.regs for m in plain.finditer(subject)]
