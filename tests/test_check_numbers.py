"""check_numbers: numbers in the seed whose value differs from the reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category, Severity, numbers
from toolkit.checks.numbers import check_numbers, numbers_in
from toolkit.lang import language

EQUIVALENT = [
    ("The fund holds $100 billion.", "The fund holds 100 billion US dollars."),
    ("The fund holds $100 billion.", "The fund holds USD 100bn."),
    ("The 2026-27 budget passed.", "The 2026-2027 budget passed."),
    ("About 51,000 people came.", "About 51 000 people came."),
    ("About 51,000 people came.", "About 51 thousand people came."),
    ("Prices rose 2.5 times.", "Prices rose two and a half times."),
    ("She waited twenty minutes.", "She waited 20 minutes."),
    ("Rates fell by 5%.", "Rates fell by 5 percent."),
    ("Rates fell by 5%.", "Rates fell by five per cent."),
    ("It weighs 2.5 kg.", "It weighs 2,5 kg."),
    ("Open 10-12 daily.", "Open 10 to 12 daily."),
    ("We met on 3 March 2020.", "We met on March 3rd, 2020."),
    ("He sold a dozen eggs.", "He sold 12 eggs."),
    ("It cost one hundred and twenty-five euros.", "It cost 125 euros."),
    ("One of them left.", "Somebody left."),
    ("A million fans cheered.", "1,000,000 fans cheered."),
    ("Three and four are small.", "3 and 4 are small."),
]

DIVERGENT = [
    ("It cost 1,200 dollars.", "It cost 12,000 dollars.", "1,200 dollars"),
    ("The wall fell in 1989.", "The wall fell in 1998.", "1989"),
    ("The city has 3 million people.", "The city has 3 thousand people.", "3 million"),
    ("We met on 3 March.", "We met on 13 March.", "3"),
    ("Rates fell by 5%.", "Rates fell by 50%.", "5%"),
    ("They hired 40 staff last year.", "They hired staff last year.", "40"),
    ("It grew 2.5 times.", "It grew 25 times.", "2.5"),
    ("The fund holds $100 billion.", "The fund holds USD 100mn.", "$100 billion"),
]


@pytest.mark.parametrize(("seed", "ref"), EQUIVALENT)
def test_equivalent_numbers_are_not_flagged(seed: str, ref: str) -> None:
    assert check_numbers(seed, ref) == []


@pytest.mark.parametrize(("seed", "ref", "span"), DIVERGENT)
def test_divergent_number_is_flagged_on_its_span(seed: str, ref: str, span: str) -> None:
    findings = check_numbers(seed, ref)
    assert [seed[f.start : f.end] for f in findings] == [span]
    assert findings[0].severity is Severity.major
    assert findings[0].category is Category.number


@pytest.mark.parametrize(
    ("seed", "ref"),
    [("", ""), ("No numbers here.", "None at all."), ("No numbers here.", "But 7 here.")],
)
def test_no_numbers_in_seed_gives_nothing(seed: str, ref: str) -> None:
    assert check_numbers(seed, ref) == []


def test_message_names_the_single_leftover_reference_number() -> None:
    (finding,) = check_numbers("It cost 1,200 dollars.", "It cost 12,000 dollars.")
    assert finding.message == (
        'number "1,200 dollars" does not match the reference, which has "12,000 dollars"'
    )


def test_message_without_a_candidate_says_so() -> None:
    (finding,) = check_numbers("They hired 40 staff.", "They hired staff.")
    assert "the reference has no such number" in finding.message


def test_values_are_compared_as_multisets() -> None:
    findings = check_numbers("Teams of 4 and 4 played.", "Teams of 4 played.")
    assert len(findings) == 1


def test_numbers_only_in_the_reference_are_not_flagged() -> None:
    assert check_numbers("They hired staff in 2020.", "They hired 40 staff in 2020.") == []


def test_offsets_round_trip_into_the_seed() -> None:
    seed = "Between 10 and 12 of 1,500 votes."
    for finding in check_numbers(seed, "Nothing."):
        assert seed[finding.start : finding.end].strip() == seed[finding.start : finding.end]
        assert any(ch.isdigit() for ch in seed[finding.start : finding.end])


# Labelled pairs for a precision/recall floor: (seed, reference, should_flag).
LABELLED = [
    ("Turnout was 64%.", "Turnout was 64 per cent.", False),
    ("Turnout was 64%.", "Turnout was 46%.", True),
    ("The bridge is 1,200 metres long.", "The bridge is 1200 metres long.", False),
    ("The bridge is 1,200 metres long.", "The bridge is 2,100 metres long.", True),
    ("Exports reached €4.5 billion.", "Exports reached EUR 4.5bn.", False),
    ("Exports reached €4.5 billion.", "Exports reached €4.5 million.", True),
    ("The plan covers 2030-35.", "The plan covers 2030-2035.", False),
    ("The plan covers 2030-35.", "The plan covers 2030-2036.", True),
    ("Seven ministers resigned.", "7 ministers resigned.", False),
    ("Seven ministers resigned.", "Eight ministers resigned.", True),
    ("It opened on 21 June.", "It opened on June 21.", False),
    ("It opened on 21 June.", "It opened on 12 June.", True),
    ("Some 300 000 homes lost power.", "Some 300,000 homes lost power.", False),
    ("Some 300 000 homes lost power.", "Some 30,000 homes lost power.", True),
    ("Costs tripled in 1975.", "Costs tripled in 1957.", True),
    ("Costs doubled in 1975.", "In 1975, costs doubled.", False),
    ("Only one of them spoke.", "Only a single person spoke.", False),
    ("Nearly half the 80 seats changed.", "Almost half of the 80 seats changed.", False),
    ("The treaty has 27 articles.", "The treaty has articles.", True),
    ("The rate was 3,75 percent.", "The rate was 3.75%.", False),
]


def test_precision_and_recall_on_labelled_pairs(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(check_numbers(seed, ref)) for seed, ref, _ in LABELLED]
    precision, recall = precision_recall(predicted, [label for _, _, label in LABELLED])
    assert precision >= 0.9
    assert recall >= 0.9


@pytest.mark.parametrize(
    ("seed", "ref", "severity"),
    [
        ("Two ships came back.", "Both ships came back.", Severity.minor),  # no number left
        ("Two ships came back.", "Three ships came back.", Severity.major),  # another number
        ("2 ships came back.", "Both ships came back.", Severity.major),  # digits
        ("It cost twelve dollars.", "It cost 20 dollars.", Severity.major),
    ],
)
def test_number_word_without_a_reference_number_is_minor(
    seed: str, ref: str, severity: Severity
) -> None:
    [finding] = check_numbers(seed, ref)
    assert finding.severity is severity


# A reference may render a number vaguely: a multiple ("thrice", "zehnmal"), a number word with
# a multiplier suffix ("tenfold", "millionenfachen"), a bare plural scale ("millions",
# "Milliarden Jahre").  Such a rendering answers the seed's number of that value.
VAGUE = [
    ("en", "the ratio is three times that of other societies", "the ratio is thrice that"),
    ("en", "ten times bigger than the sun", "tenfold bigger than the sun"),
    ("en", "it took a million years", "it took millions of years"),
    ("de", "eine Masse von 10 Mal der Sonne", "eine Masse zehnmal so groß wie die der Sonne"),
    ("de", "mit einer Million Mal der Masse der Erde", "mit der millionenfachen Masse der Erde"),
    ("de", "im Laufe einer Milliarde Jahre", "im Laufe von Milliarden Jahren"),
    (
        "de",
        "vielleicht eine Million Lichtjahre oder eine Million Jahre",
        "vermutlich Millionen Lichtjahre oder eine Million Jahre",
    ),
]


@pytest.mark.parametrize(("lang", "seed", "ref"), VAGUE)
def test_a_vague_rendering_in_the_reference_answers_the_number(
    lang: str, seed: str, ref: str
) -> None:
    assert check_numbers(seed, ref, language=language(lang)) == []


@pytest.mark.parametrize(
    ("lang", "seed", "ref", "span"),
    [
        ("en", "eleven times bigger", "tenfold bigger", "eleven"),
        ("en", "it took 3 million years", "it took millions of years", "3 million"),
        ("de", "elf Mal so groß", "zehnmal so groß", "elf"),
        ("de", "vor 3 Milliarden Jahren", "vor Millionen Jahren", "3 Milliarden"),
    ],
)
def test_a_vague_rendering_of_another_value_does_not(
    lang: str, seed: str, ref: str, span: str
) -> None:
    findings = check_numbers(seed, ref, language=language(lang))
    assert [seed[f.start : f.end] for f in findings] == [span]


def test_an_exact_number_is_paired_before_a_vague_one() -> None:
    # "a million" takes the reference's "a million"; the bare "millions" is left over as a
    # weak number, which neither names itself in the message nor raises the severity.
    findings = check_numbers(
        "a million people, two dogs", "millions of people, a million dogs", language=language("en")
    )
    assert [(f.severity, f.message) for f in findings] == [
        (
            Severity.minor,
            'number "two" does not match the reference: the reference has no such number',
        )
    ]


# Pieces that exercise where numbers start: number words in any case, hyphenated words,
# currencies, digit groups with spaces and separators, characters that lowercase longer or
# to a starter (dotted capital I, long s, the Kelvin sign) and ones that count as letters ("²").
_PIECES = [
    "one", "Two", "TWENTY", "a", "A", "half", "hundred", "million", "us", "US", "$", "€", "usd",
    "and", "per", "cent", "%", "-", "\u2013", "some", "bn", "1", "51", "000", "2,5", "1.200",
    "2026", "27", ".", ",", " ", " ", "\u00a0", "_", "İ", "\u017feven", "\u212aey", "²", "½", "x",
    "zwölf", "Millionen", "fach",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
@settings(max_examples=400, deadline=None)
def test_numbers_found_without_tokenizing_match_the_tokenizer(text: str) -> None:
    """The start finder (_starts) is only a short cut: reading every token gives the same."""
    for code in ("en", "de"):
        fast = numbers_in(text, language=language(code))
        with patch("toolkit.checks.numbers._starts", return_value=None):
            slow = numbers_in(text, language=language(code))
        assert fast == slow


_NUMBERISH = st.lists(
    st.sampled_from([*"onetwhfivx 0-.,'\"/()\t\n\x1c\x1f;:!?\u00e9", "One", "TEN", "f\u00fcnf"]),
    max_size=20,
).map("".join)


@given(_NUMBERISH, st.sampled_from(["en", "de"]))
def test_the_ascii_number_test_agrees_with_the_unicode_one(text: str, lang: str) -> None:
    w = numbers._words(language(lang))
    assert numbers._maybe_number(text, w) is numbers._maybe_number_in_unicode(text, w)
