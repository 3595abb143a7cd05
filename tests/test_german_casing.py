"""German casing: nouns take a capital, adjectives and verbs do not (toolkit/checks/nouncase.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category, Severity
from toolkit.checks.casing import CHECK
from toolkit.checks.nouncase import check_noun_casing
from toolkit.checks.protocol import Context
from toolkit.lang import language

DE = language("de")


def flagged(seed: str, ref: str) -> list[str]:
    return [seed[f.start : f.end] for f in check_noun_casing(seed, ref, language=DE)]


@pytest.mark.parametrize(
    ("seed", "ref", "expected"),
    [
        # a lower-cased noun the reference capitalises
        ("Wir sahen die katze im Garten.", "Wir sahen die Katze im Garten.", ["katze"]),
        ("Wir tranken einen kaffee dort.", "Wir tranken einen Kaffee dort.", ["kaffee"]),
        # a capitalised adjective before its noun, the reference in lower case
        ("Er sah ein Schwarzes Loch.", "Er sah ein schwarzes Loch.", ["Schwarzes"]),
        (
            "Sie hat die Milliardenfache Masse der Sonne.",
            "Sie hat die milliardenfache Masse der Sonne.",
            ["Milliardenfache"],
        ),
        # a capitalised verb without a noun reading
        ("Wir Gingen nach Hause.", "Wir gingen nach Hause.", ["Gingen"]),
        # a lower-cased noun the reference does not write: the lexicon says so
        ("Ich sah die katze.", "Er hörte einen Hund.", ["katze"]),
        ("Der hund bellte laut.", "Der Köter kläffte.", ["hund"]),
    ],
)
def test_flags_the_wrong_casing(seed: str, ref: str, expected: list[str]) -> None:
    assert flagged(seed, ref) == expected


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        # capitalised nouns are German
        ("Die Katze schläft im Garten.", "Die Katze schläft im Garten."),
        ("Die Katze schläft im Garten.", "Der Hund schläft im Haus."),
        # both casings are words: an adjective either way ("Schwarze Löcher" is a term)
        ("Er sah schwarze Löcher.", "Er sah Schwarze Löcher."),
        ("Es gibt zehntausende von Sternen.", "Es gibt Zehntausende von Sternen."),
        ("Wir sehen rot, grün und blau.", "Wir sehen Rot, Grün und Blau."),
        # a nominalisation after "etwas", "das", "beim"
        ("Das ist etwas Neues für uns.", "Das ist etwas neues für uns."),
        ("Es ist das Gleiche.", "Es ist das gleiche."),
        # a noun that is also a verb, standing alone: the lexicon knows the noun
        ("Wir mögen Essen sehr.", "Wir mögen essen sehr."),
        # words written either way, pronouns of address, sentence starts, quotes
        ("Du hast recht damit.", "Du hast Recht damit."),
        ("Danke, dass Sie kommen.", "Danke, dass sie kommen."),
        ("Katze ist das Wort.", "katze ist das Wort."),
        ("Er rief: Hilfe!", "Er rief: hilfe!"),
        ("Ding, Ding, Ding.", "ding, ding, ding."),
        ("Es ist wie Ding, Ding, Ding.", "Es ist wie ding, ding, ding."),
        # a truncated compound, a word inside quotes, an English word, an acronym
        ("Es gibt millionen- oder milliardenfach mehr.", "Es gibt viel mehr."),
        ("Er sagte „die katze“ leise.", "Er sprach leise."),
        ("Wir haben ein Team und eine island.", "Wir haben eine Gruppe und eine Insel."),
        ("Die NASA baut das.", "Die nasa baut das."),
    ],
)
def test_leaves_alone(seed: str, ref: str) -> None:
    assert flagged(seed, ref) == []


def test_finding_fields() -> None:
    seed = "Wir sahen die katze im Garten."
    (finding,) = check_noun_casing(seed, "Wir sahen die Katze im Garten.", language=DE)
    assert finding.category is Category.casing
    assert finding.severity is Severity.minor
    assert finding.message == '"katze" is a noun and takes a capital; the reference writes "Katze"'


def test_casing_runs_for_german_by_bead_and_for_english_by_sentence() -> None:
    assert CHECK.supports("de") and CHECK.supports("en")
    assert not CHECK.supports("fr")
    german = CHECK.prepare(Context(["Wir sahen die katze."], language="de"))
    assert [f.start for f in german.pair("Wir sahen die katze.", "Wir sahen die Katze.")] == [14]
    assert german.sentence(0) == []
    english = CHECK.prepare(Context(["We joined our Company in spring."], language="en"))
    assert english.pair("We joined our Company in spring.", "x") == []
    assert [f.start for f in english.sentence(0)] == [14]


WORDS = st.sampled_from(
    [
        "die",
        "Katze",
        "katze",
        "Schwarzes",
        "schwarzes",
        "Loch",
        "etwas",
        "Neues",
        "neues",
        "wir",
        "Gingen",
        "gingen",
        "rot",
        "Rot",
        "hund",
        ",",
        ".",
        ":",
        "„",
        "“",
        "-",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=12), st.lists(WORDS, max_size=12))
def test_on_any_text(seed_words: list[str], ref_words: list[str]) -> None:
    seed, ref = " ".join(seed_words), " ".join(ref_words)
    for f in check_noun_casing(seed, ref, language=DE):
        assert 0 <= f.start < f.end <= len(seed)
        assert f.category is Category.casing
    # a seed that is its reference has nothing to flag but lexicon nouns in lower case
    for f in check_noun_casing(seed, seed, language=DE):
        assert seed[f.start : f.end].islower()
