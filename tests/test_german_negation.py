"""German negation: the negation check's rules read from de.toml (nicht, kein-, nie, niemand,
nichts, weder ... noch, ohne)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category, Severity
from toolkit.checks.negation import CHECK, check_negation
from toolkit.lang import language

DE = language("de")


def spans(seed: str, ref: str) -> list[str]:
    return [seed[f.start : f.end] for f in check_negation(seed, ref, language=DE)]


@pytest.mark.parametrize(
    ("seed", "ref", "span", "message"),
    [
        (
            "Der Bericht ist fertig.",
            "Der Bericht ist nicht fertig.",
            "fertig",
            'the reference negates this ("ist nicht fertig"); the seed does not',
        ),
        (
            "Der Bericht ist nicht fertig.",
            "Der Bericht ist fertig.",
            "nicht",
            'the seed negates this ("ist nicht fertig"); the reference does not ("ist fertig")',
        ),
        (
            "Die Forscher haben das Signal gesehen.",
            "Die Forscher haben das Signal nicht gesehen.",
            "gesehen",
            'the reference negates this ("Signal nicht gesehen"); the seed does not',
        ),
        (
            "Er kommt.",
            "Er kommt nicht.",
            "kommt",
            'the reference negates this ("kommt nicht"); the seed does not',
        ),
        (
            "Er hat keine Zeit.",
            "Er hat Zeit.",
            "keine",
            'the seed negates this ("hat keine Zeit"); the reference does not ("hat Zeit")',
        ),
        (
            "Sie war nie in Oslo.",
            "Sie war in Oslo.",
            "nie",
            'the seed negates this ("war nie in"); the reference does not ("war in")',
        ),
        (
            "Er sagte etwas über den Plan.",
            "Er sagte nichts über den Plan.",
            "etwas",
            'the reference negates this ("sagte nichts über"); the seed does not',
        ),
        (
            "Niemand kam zum Treffen.",
            "Jemand kam zum Treffen.",
            "Niemand",
            'the seed negates this ("Niemand kam"); the reference does not ("Jemand kam")',
        ),
        (
            "Wir trinken Kaffee ohne Zucker.",
            "Wir trinken Kaffee mit Zucker.",
            "ohne",
            'the seed negates this ("Kaffee ohne Zucker"); the reference does not '
            '("Kaffee mit Zucker")',
        ),
    ],
)
def test_golden(seed: str, ref: str, span: str, message: str) -> None:
    [finding] = check_negation(seed, ref, language=DE)
    assert seed[finding.start : finding.end] == span
    assert finding.message == message
    assert finding.category is Category.negation
    assert finding.severity is Severity.major


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        ("Er kommt nicht.", "Er kommt nicht."),
        ("Er hat kein Auto.", "Er hat nicht ein Auto."),  # worded differently
        ("Das ist unmöglich.", "Das ist nicht möglich."),  # a negative prefix
        ("Er war hoffnungslos.", "Er hatte keine Hoffnung."),  # "-los"
        ("Er mag weder Tee noch Kaffee.", "Er mag keinen Tee oder Kaffee."),
        ("Das ist nicht nur schön, sondern auch nützlich.", "Das ist schön und nützlich."),
        ("Viele, wenn nicht die meisten, kamen.", "Viele kamen."),  # a hedge
        ("Er kam ohne Zweifel.", "Er kam sicher."),  # "ohne Zweifel" does not negate
        ("Wir sehen es kaum.", "Wir sehen es nicht."),  # an implicit negation
        ("Er hat das Buch nie gelesen.", "Er hat das Buch niemals gelesen."),
        ("Sie sind unsichtbar.", "Man kann sie nicht sehen."),
        # a rewrite: too little in common for word positions to mean anything
        ("Das geht gar nicht gut.", "Wir schaffen es bestimmt morgen wieder."),
    ],
)
def test_does_not_flag(seed: str, ref: str) -> None:
    assert spans(seed, ref) == []


def test_runs_for_languages_with_negation_words() -> None:
    assert CHECK.supports("en") and CHECK.supports("de")
    assert not CHECK.supports("ru") and not CHECK.supports("fr")


def test_english_default_unchanged_by_german_words() -> None:
    # "nicht" is no English marker; "not" is no German one
    assert check_negation("Er ist nicht hier.", "Er ist hier.") == []
    assert spans("The report is not ready.", "The report is ready.") == []


LABELLED = [
    ("Der Zug fährt heute.", "Der Zug fährt heute nicht.", True),
    ("Wir haben Geld.", "Wir haben kein Geld.", True),
    ("Das hat jemand gesehen.", "Das hat niemand gesehen.", True),
    ("Sie wusste alles.", "Sie wusste nichts.", True),
    ("Er hat nie gelogen.", "Er hat gelogen.", True),
    ("Sie kam nicht mit dem Auto.", "Sie kam mit dem Auto.", True),
    ("Ich habe keine Angst davor.", "Ich habe Angst davor.", True),
    ("Er trinkt Kaffee mit Milch.", "Er trinkt Kaffee ohne Milch.", True),
    ("Die Tür war offen.", "Die Tür war nicht offen.", True),
    ("Wir konnten es sehen.", "Wir konnten es nicht sehen.", True),
    ("Er kommt nicht.", "Er kommt nicht.", False),
    ("Wir haben kein Geld.", "Wir haben überhaupt kein Geld.", False),
    ("Das ist unmöglich.", "Das ist nicht möglich.", False),
    ("Er hat nicht ein Wort gesagt.", "Er hat kein Wort gesagt.", False),
    ("Es ist nicht nur groß.", "Es ist groß.", False),
    ("Niemand kam.", "Keiner kam.", False),
    ("Wir sehen es kaum.", "Wir sehen es nicht.", False),
    ("Er war arbeitslos.", "Er hatte keine Arbeit.", False),
    ("Sie hat das nie gesagt.", "Sie hat das niemals gesagt.", False),
    ("Das Haus ist groß.", "Das Haus ist sehr groß.", False),
]


def test_precision_recall(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(spans(seed, ref)) for seed, ref, _ in LABELLED]
    expected = [flag for _, _, flag in LABELLED]
    precision, recall = precision_recall(predicted, expected)
    assert precision == 1.0
    assert recall == 1.0


WORDS = st.sampled_from(
    [
        "nicht",
        "kein",
        "keine",
        "nie",
        "nichts",
        "niemand",
        "weder",
        "noch",
        "ohne",
        "nur",
        "Er",
        "ist",
        "hier",
        "Haus",
        "groß",
        "unmöglich",
        "möglich",
        "wenn",
        ",",
        ".",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, max_size=10), st.lists(WORDS, max_size=10))
def test_on_any_text(seed_words: list[str], ref_words: list[str]) -> None:
    seed, ref = " ".join(seed_words), " ".join(ref_words)
    for f in check_negation(seed, ref, language=DE):
        assert 0 <= f.start < f.end <= len(seed)
    assert check_negation(seed, seed, language=DE) == []
