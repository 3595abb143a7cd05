"""Golden cases for the typography check: each rule's span, its exemptions, and precision/recall."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks import Category, Severity, typography
from toolkit.checks.typography import check_typography


def spans(sentence: str) -> list[str]:
    return [sentence[f.start : f.end] for f in check_typography([sentence], 0)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("She was a strong\u2014willed pianist.", ["\u2014"]),
        ("They used a non\u2013binding vote.", ["\u2013"]),
        ('He called it "a draft and left.', ['"']),
        ("He called it \u201ca draft and left.", ["\u201c"]),
        ("The bridge (built in stone was closed.", ["("]),
        ("The list [of names is long.", ["["]),
        ("The config {key: value is broken.", ["{"]),
        ("The storm ended) at noon.", [")"]),
        ("The train  left early.", ["  "]),
        ("The train left   early.", ["   "]),
        ("We bought apples , pears and plums.", [" "]),
        ("Is that true ?", [" "]),
        ("Wait ; the door is open.", [" "]),
        ("We walked to the the station.", ["the"]),
        ("The the committee met.", ["the"]),
        ("It was a very good good idea.", ["good"]),
    ],
)
def test_rule_fires_with_exact_span(sentence: str, expected: list[str]) -> None:
    assert spans(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "It is a well-known fact.",
        "Sales grew in 1990\u20132000 and fell later.",
        "Pages 12\u201318 cover the war.",
        "He paused \u2014 then spoke.",
        'She said "yes" twice.',
        "She said \u201cyes\u201d twice.",
        "The bridge (built in stone) was closed.",
        "Nested [a (b) c] brackets {are} fine.",
        "1) Buy milk.",
        "The train left early.",
        "Mr. Smith met Dr. Jones at 3.30 p.m.",
        "...and then it rained.",
        "He hesitated ... then left.",
        "The value rose to .5 percent.",
        "She had had enough of it.",
        "He said that that was wrong.",
        "He read it in 10 10-page sections.",
        "The theme of the talk was clear.",
    ],
)
def test_rule_stays_silent(sentence: str) -> None:
    assert check_typography([sentence], 0) == []


def test_findings_carry_category_severity_and_a_hyphen_hint() -> None:
    (finding,) = check_typography(["A strong\u2014willed man."], 0)
    assert finding.category is Category.typography
    assert finding.severity is Severity.minor
    assert '"strong-willed"' in finding.message


def test_checks_only_the_indexed_sentence() -> None:
    sentences = ["The the first.", "A clean second sentence."]
    assert check_typography(sentences, 1) == []
    assert [sentences[0][f.start : f.end] for f in check_typography(sentences, 0)] == ["the"]


def test_empty_sentence_has_no_findings() -> None:
    assert check_typography([""], 0) == []


LABELLED = [
    ("The mayor gave a heart\u2014felt speech.", True),
    ("It was a long\u2013term plan.", True),
    ('The sign read "Closed for repairs.', True),
    ("He left (without a word.", True),
    ("Prices rose  sharply.", True),
    ("The villagers , tired and cold, went home.", True),
    ("Why did they leave ?", True),
    ("The army crossed the the river.", True),
    ("They they agreed to meet.", True),
    ("Her answer was \u201cno.", True),
    ("She rested ] after the climb.", True),
    ("The war lasted from 1939\u20131945.", False),
    ("A well-known writer arrived.", False),
    ("He had had a long day.", False),
    ('The word "peace" was missing.', False),
    ("The meeting (held at noon) ran late.", False),
    ("Mr. Brown paid $3.50 for tea.", False),
    ("She waited \u2014 and waited.", False),
    ("Then the rain stopped.", False),
    ("I know that that is true.", False),
]


def test_precision_and_recall_on_labelled_sentences(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(check_typography([sentence], 0)) for sentence, _ in LABELLED]
    precision, recall = precision_recall(predicted, [label for _, label in LABELLED])
    assert precision >= 0.9, f"precision {precision:.2f}"
    assert recall >= 0.9, f"recall {recall:.2f}"


_PIECES = st.sampled_from(
    [
        "the",
        "The",
        "THE",
        "a",
        "A",
        "had",
        "x",
        " ",
        "  ",
        "\t",
        ",",
        ".",
        "-",
        "'",
        "\u2013",
        "(",
        "1",
        "_",
        "é",
        "É",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_fast_paths_find_what_the_full_patterns_find(text: str) -> None:
    """The ASCII doubled-word pattern and the quick tests before each pattern change nothing."""
    doubled = [
        (m.start(2), m.end(2), f'"{m.group(2)}" repeats the word before it; remove one')
        for m in typography._DOUBLED_WORD.finditer(text)
    ]
    found = typography._doubled_words(text, frozenset())
    assert [(f.start, f.end, f.message) for f in found] == doubled
    spaced = [m.span() for m in typography._SPACE_BEFORE_PUNCT.finditer(text)]
    assert not spaced or typography._SPACE_THEN_PUNCT.search(text)
    assert not typography._DOUBLE_SPACE.search(text) or "  " in text
    assert not typography._DASH_IN_WORD.search(text) or len(typography._dashes_in_words(text)) > 0
