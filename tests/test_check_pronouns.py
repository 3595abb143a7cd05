"""Tests for the pronoun checks: golden spans, and precision/recall on labelled examples."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks import Category, Severity, referent
from toolkit.checks.pronouns import check_pronoun_pair
from toolkit.checks.referent import check_pronoun_referent, is_state_or_organisation

# -- pair check --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "ref", "spans"),
    [
        ("He opened the door.", "It opened the door.", [(0, 2, "He", "It")]),
        ("Then she left the room.", "Then they left the room.", [(5, 8, "she", "they")]),
        ("The dog wagged his tail.", "The dog wagged its tail.", [(15, 18, "his", "its")]),
        ("They fed him at noon.", "They fed it at noon.", [(9, 12, "him", "it")]),
        ("The book is hers now.", "The book is its now.", [(12, 16, "hers", "its")]),
        ("We saw you there.", "I saw you there.", [(0, 2, "We", "I")]),
    ],
)
def test_pair_flags_pronoun_of_another_class(
    seed: str, ref: str, spans: list[tuple[int, int, str, str]]
) -> None:
    findings = check_pronoun_pair(seed, ref)
    assert [(f.start, f.end) for f in findings] == [(s, e) for s, e, _, _ in spans]
    for finding, (start, end, seed_word, ref_word) in zip(findings, spans, strict=True):
        assert seed[start:end] == seed_word
        assert finding.category is Category.pronoun
        assert finding.message == (
            f'pronoun "{seed_word}" differs from the reference, which has "{ref_word}"'
        )


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        ("He opened the door.", "He opened the door."),  # identical
        ("He opened the door.", "he opened the door."),  # case only
        ("I gave it to him.", "I gave it to his."),  # same class, other case form
        ("She said so.", "Herself said so."),  # same class
        ("The cat sat down.", "The dog sat down."),  # no pronoun replaced
        ("He opened the door.", "The porter opened the door."),  # pronoun -> noun
        ("The US signed.", "We signed."),  # "US" in capitals is a country
        ("", "It rains."),  # empty seed
        ("It rains.", ""),  # empty reference
    ],
)
def test_pair_does_not_flag(seed: str, ref: str) -> None:
    assert check_pronoun_pair(seed, ref) == []


def test_pair_flags_only_the_replaced_pronoun_in_a_longer_sentence() -> None:
    seed = "When the ship came in, she lowered her sails and they cheered."
    ref = "When the ship came in, it lowered its sails and they cheered."
    findings = check_pronoun_pair(seed, ref)
    assert [seed[f.start : f.end] for f in findings] == ["she", "her"]


@pytest.mark.parametrize(
    ("seed", "ref", "severity"),
    [
        ("He opened the door.", "It opened the door.", Severity.major),  # animacy
        ("She signed it.", "He signed it.", Severity.major),  # gender
        ("The firm lost his money.", "The firm lost its money.", Severity.major),
        ("He told them.", "You told them.", Severity.major),  # another participant
        ("It was late.", "We were late.", Severity.major),
        ("Then she left the room.", "Then they left the room.", Severity.minor),  # number
        ("We keep it in a box.", "We keep them in a box.", Severity.minor),
        ("We saw you there.", "I saw you there.", Severity.minor),  # perspective
        ("You can see the stars.", "We can see the stars.", Severity.minor),
        ("Our plan worked.", "Their plan worked.", Severity.minor),
    ],
)
def test_pair_severity_follows_the_kind_of_change(seed: str, ref: str, severity: Severity) -> None:
    [finding] = check_pronoun_pair(seed, ref)
    assert finding.severity is severity


# -- referent check ----------------------------------------------------------------------------


def _referent(text: list[str]) -> list[str]:
    """Flagged pronouns in the last sentence of ``text``."""
    last = text[-1]
    return [last[f.start : f.end] for f in check_pronoun_referent(text, len(text) - 1)]


def test_referent_message_and_span() -> None:
    text = ["The USSR backed the rebels.", "He sent advisers."]
    [finding] = check_pronoun_referent(text, 1)
    assert (finding.start, finding.end) == (0, 2)
    assert finding.category is Category.pronoun
    assert finding.severity is Severity.major
    assert finding.message == (
        '"He" seems to refer to "the USSR", a country or organisation: use "it"'
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (
            [
                "Even before 1941, France supported Belgium when war broke out.",
                "She supplied arms.",
            ],
            ["She"],
        ),
        (["The USSR backed the rebels.", "He sent advisers."], ["He"]),
        (
            ["It is important that a man like John Smith leads the state.", "He is a true leader."],
            [],
        ),
        (["Germany signed.", "It ratified later."], []),
        # The subject of the previous clause is Mary Jones; the UN is only an object.
        (["Mary Jones joined the UN.", "She left in 2010."], []),
        (["The company closed its plant; she moved production abroad."], ["she"]),
        (["President Lopez visited NATO.", "He praised the alliance."], []),
    ],
)
def test_referent_golden(text: list[str], flagged: list[str]) -> None:
    assert _referent(text) == flagged


def test_referent_first_sentence_and_bad_index() -> None:
    assert check_pronoun_referent(["She left."], 0) == []
    with pytest.raises(IndexError, match="outside"):
        check_pronoun_referent(["She left."], 1)


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("France", True),
        ("the Soviet Union", True),
        ("USSR", True),
        ("Korea", True),
        ("French Republic", True),
        ("Bolivia", True),
        ("NATO", True),
        ("Mary Jones", False),
        ("the Red Army", False),
    ],
)
def test_gazetteer(name: str, known: bool) -> None:
    assert is_state_or_organisation(name) is known


# -- precision and recall on labelled examples (written for these tests) ----------------------

PAIR_LABELLED: list[tuple[str, str, bool]] = [
    ("He crossed the river.", "It crossed the river.", True),
    ("She wrote to the mayor.", "They wrote to the mayor.", True),
    ("The horse lost his shoe.", "The horse lost its shoe.", True),
    ("The guards saw him.", "The guards saw it.", True),
    ("The prize is hers.", "The prize is theirs.", True),
    ("I think so.", "We think so.", True),
    ("Our team won.", "Their team won.", True),
    ("You must go.", "He must go.", True),
    ("The machine stopped; she was broken.", "The machine stopped; it was broken.", True),
    ("He left early.", "He left early.", False),
    ("Give it to him.", "Give it to his.", False),
    ("They arrived late.", "Them arrived late.", False),
    ("The train was late.", "The bus was late.", False),
    ("She sang well.", "The soprano sang well.", False),
    ("We met in the US.", "We met in the UK.", False),
    ("It was raining.", "It was pouring.", False),
]

REFERENT_LABELLED: list[tuple[list[str], bool]] = [
    (
        ["Even before 1941, France supported Belgium when war broke out.", "She supplied arms."],
        True,
    ),
    (["The USSR backed the rebels.", "He sent advisers."], True),
    (["Japan rebuilt quickly after the war.", "She became an exporter."], True),
    (["The United Kingdom left the EU.", "She then signed new treaties."], True),
    (["NATO expanded east, and she admitted Poland."], True),
    (["The company cut prices.", "She hoped to win customers."], True),
    (["In 1990, Yugoslavia began to break apart.", "She lost Slovenia first."], True),
    (["Brazil hosted the games while she rebuilt her stadiums."], True),
    (
        ["It is important that a man like John Smith leads the state.", "He is a true leader."],
        False,
    ),
    (["Germany signed.", "It ratified later."], False),
    (["Mary Jones joined the UN.", "She left in 2010."], False),
    (["France appointed Mr Dupont.", "He arrived in May."], False),
    (["The king rode to Spain.", "He was received warmly."], False),
    (["Anna Berg studied in Italy.", "She returned home."], False),
    (["Poland signed the accord.", "They celebrated."], False),
    (["The USSR collapsed.", "Many people lost their savings."], False),
]


def test_pair_precision_recall(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(check_pronoun_pair(seed, ref)) for seed, ref, _ in PAIR_LABELLED]
    precision, recall = precision_recall(predicted, [gold for _, _, gold in PAIR_LABELLED])
    assert precision >= 0.9, f"precision {precision:.2f}"
    assert recall >= 0.8, f"recall {recall:.2f}"


def test_referent_precision_recall(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(_referent(text)) for text, _ in REFERENT_LABELLED]
    precision, recall = precision_recall(predicted, [gold for _, gold in REFERENT_LABELLED])
    assert precision >= 0.9, f"precision {precision:.2f}"
    assert recall >= 0.8, f"recall {recall:.2f}"


@pytest.mark.parametrize(
    ("text", "antecedent"),
    [
        # The main-clause subject of the previous sentence wins over a nearer name.
        (["Long before the war, Sweden armed Finland when Russia attacked.", "He sent rifles."],
         "Sweden"),
        (["When Spain invaded, Portugal asked England for help.", "She sent a fleet."],
         "Portugal"),
        (["The Kremlin backed the rebels while Turkey watched.", "He also sent money."],
         "the Kremlin"),
    ],
)  # fmt: skip
def test_sentence_initial_pronoun_refers_to_the_main_subject(
    text: list[str], antecedent: str
) -> None:
    [finding] = check_pronoun_referent(text, 1)
    assert f'refer to "{antecedent}"' in finding.message


@pytest.mark.parametrize(
    "text",
    [
        ["When Peru won, Maria Lopez thanked the fans.", "She cried."],
        ["Peru hired John Smith after the election.", "He built roads."],  # person named later
    ],
)
def test_sentence_initial_pronoun_after_a_person_is_not_flagged(text: list[str]) -> None:
    assert check_pronoun_referent(text, 1) == []


_REFERENT_PIECES = [
    "He",
    "he",
    "HIS",
    "her",
    "the",
    "sHe",
    "ers",
    "im",
    "s",
    "h",
    "x",
    " ",
    ",",
    "'",
    "_",
    "1",
    "é",
]


@given(st.lists(st.sampled_from(_REFERENT_PIECES), max_size=10).map("".join))
def test_referent_ascii_test_agrees_with_the_case_blind_pattern(text: str) -> None:
    """On ASCII text the quick test (lowercase, case-sensitive pattern) finds a gendered form
    exactly when the case-blind pattern does."""
    if text.isascii():
        fast = referent._ANY_GENDERED_LOWER.search(text.lower()) is not None
        assert fast == (referent._ANY_GENDERED.search(text) is not None)
