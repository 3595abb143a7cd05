"""Tests for the negation check: golden spans, no-flag cases, invariants and precision/recall."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category, Severity
from toolkit.checks.negation import check_negation

# -- golden spans and messages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "ref", "span", "message"),
    [
        (
            "The report is ready.",
            "The report is not ready.",
            "is",
            'the reference negates this ("is not ready"); the seed does not',
        ),
        (
            "The report is not ready.",
            "The report is ready.",
            "not",
            'the seed negates this ("is not ready"); the reference does not ("is ready")',
        ),
        (
            "Have you ever been to Oslo?",
            "Have you never been to Oslo?",
            "ever",
            'the reference negates this ("you never been"); the seed does not',
        ),
        (
            "We can win this match.",
            "We cannot win this match.",
            "can",
            'the reference negates this ("We cannot win"); the seed does not',
        ),
        (
            "I didn't see him there.",
            "I did see him there.",
            "didn't",
            'the seed negates this ("I didn\'t see"); the reference does not ("I did see")',
        ),
        (
            "No one came to the meeting.",
            "Someone came to the meeting.",
            "No one",
            'the seed negates this ("No one came"); the reference does not ("Someone came")',
        ),
        (
            "He said something about the plan.",
            "He said nothing about the plan.",
            "something",
            'the reference negates this ("said nothing about"); the seed does not',
        ),
        (
            "They drank coffee without sugar.",
            "They drank coffee with sugar.",
            "without",
            'the seed negates this ("coffee without sugar"); the reference does not '
            '("coffee with sugar")',
        ),
        (
            "He went home early.",
            "He did not go home early.",
            "went",
            'the reference negates this ("did not go"); the seed does not',
        ),
        (
            "She never answered the letter.",
            "She answered the letter.",
            "never",
            'the seed negates this ("She never answered"); the reference does not ("She answered")',
        ),
        (
            "The minister decided to sign the treaty.",
            "The minister decided not to sign the treaty.",
            "decided",
            'the reference negates this ("decided not to"); the seed does not',
        ),
        (
            "Is there any relationship between the two?",
            "Is there no relation between the two?",
            "any relationship",
            'the reference negates this ("there no relation"); the seed does not',
        ),
        (
            "None of the guests stayed.",
            "All of the guests stayed.",
            "None",
            'the seed negates this ("None of"); the reference does not ("All of")',
        ),
    ],
)
def test_golden(seed: str, ref: str, span: str, message: str) -> None:
    [finding] = check_negation(seed, ref)
    assert seed[finding.start : finding.end] == span
    assert finding.category is Category.negation
    assert finding.severity is Severity.major
    assert finding.message == message


def test_two_one_sided_negations_give_two_findings() -> None:
    seed = "He is not tall and he is not rich."
    ref = "He is tall and he is rich."
    assert [seed[f.start : f.end] for f in check_negation(seed, ref)] == ["not", "not"]


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        ("The report is not ready.", "The report is not ready."),  # identical
        ("The report is NOT ready.", "the report is not ready."),  # case only
        ("She no longer works here.", "She does not work here anymore."),  # worded differently
        ("He never lies.", "He does not ever lie."),
        ("I didn't see him.", "I did not see him."),
        ("Nobody called.", "Not anybody called."),
        ("Not once did he call.", "He did not call once."),  # moved
        ("It is not only cheap but also good.", "It is cheap and also good."),  # not a negation
        ("It was not until 1990 that they met.", "It was only in 1990 that they met."),
        ("I wonder whether he comes.", "I wonder whether or not he comes."),
        ("There is no doubt that he won.", "Undoubtedly, he won."),
        ("He is unhappy.", "He is not happy."),  # affix: not flagged
        ("It is not possible.", "It is impossible."),
        ("The plan failed to work.", "The plan did not work."),  # implicit negation
        ("He refused to sign.", "He did not sign."),
        ("He ate neither apples nor pears.", "He did not eat apples or pears."),
        (
            "They don't belong to our past or our future.",
            "They do not belong to our past, and do not exist in our future.",
        ),
        ("The sounds are so small that we can't hear them.", "They are too small to hear."),
        ("The sound was a bit weak.", "The sound was not strong enough."),  # a paraphrase
        ("Please see No. 5 in the list.", "Please see item 5 in the list."),  # a number sign
        (
            "It is worse in poor countries-not just a bit.",
            "It is worse there \u2014 not just a bit.",
        ),
        ("He is ready.", "He is ready. She is not, and never will be."),  # the other sentence's
        ("The weather was pleasant.", "Nothing went wrong at the party."),  # unrelated texts
        ("", "It is not ready."),  # empty seed
        ("It is not ready.", ""),  # empty reference
    ],
)
def test_does_not_flag(seed: str, ref: str) -> None:
    assert check_negation(seed, ref) == []


# -- invariants --------------------------------------------------------------------------------

_WORDS = [
    "the", "report", "is", "was", "not", "no", "never", "ready", "he", "she", "did", "didn't",
    "can", "cannot", "nothing", "something", "without", "with", "nor", "neither", "one",
    "only", "fails", "unhappy", "happy", "Oslo", "No.", "5", ",", ".", "?", "-",
]  # fmt: skip
_sentences = st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join)
_texts = st.one_of(_sentences, st.text(alphabet="abnotNO' -.,\u2019", max_size=30))


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_identical_texts_are_never_flagged(text: str) -> None:
    assert check_negation(text, text) == []


@settings(max_examples=300, deadline=None)
@given(_texts, _texts)
def test_spans_lie_within_the_seed(seed: str, ref: str) -> None:
    for finding in check_negation(seed, ref):
        assert 0 <= finding.start < finding.end <= len(seed)
        assert seed[finding.start : finding.end].strip()


# -- precision and recall on labelled examples (written for these tests) ----------------------

LABELLED: list[tuple[str, str, bool]] = [
    ("The bridge is safe for heavy trucks.", "The bridge is not safe for heavy trucks.", True),
    ("The council approved the budget.", "The council did not approve the budget.", True),
    ("Our team has never lost at home.", "Our team has lost at home.", True),
    ("You can park here after six.", "You cannot park here after six.", True),
    ("The museum doesn't open on Mondays.", "The museum opens on Mondays.", True),
    ("Nobody saw the thief leave.", "Somebody saw the thief leave.", True),
    ("He found something in the drawer.", "He found nothing in the drawer.", True),
    ("She left without her passport.", "She left with her passport.", True),
    ("The drug has side effects.", "The drug has no side effects.", True),
    ("They will attend the ceremony.", "They won't attend the ceremony.", True),
    ("Everyone agreed with the proposal.", "No one agreed with the proposal.", True),
    ("The results were published last year.", "The results were never published.", True),
    ("I think the plan will work.", "I don't think the plan will work.", True),
    ("The committee found evidence of fraud.", "The committee found no evidence of fraud.", True),
    ("The rule applies to children.", "The rule does not apply to children.", True),
    ("He is ready for the exam.", "He is ready for the exam.", False),
    ("She no longer lives in Paris.", "She does not live in Paris anymore.", False),
    ("He never eats meat.", "He does not ever eat meat.", False),
    ("Nobody came to the party.", "Not a single person came to the party.", False),
    ("They did not win, but they played well.", "They played well but did not win.", False),
    ("It is not only fast but also cheap.", "It is fast and also cheap.", False),
    ("The company failed to pay its debts.", "The company did not pay its debts.", False),
    ("The task was impossible.", "The task was not possible.", False),
    ("There is no doubt that she is right.", "She is certainly right.", False),
    ("He barely slept last night.", "He did not sleep much last night.", False),
    ("The lamp isn't working.", "The lamp is not working.", False),
    ("Whether or not you agree, we go.", "Whether you agree or not, we go.", False),
    ("The door was unlocked.", "The door was not locked.", False),
    ("She refused to answer.", "She would not answer.", False),
    ("It wasn't until noon that he woke.", "He woke only at noon.", False),
]


def test_precision_recall(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(check_negation(seed, ref)) for seed, ref, _ in LABELLED]
    precision, recall = precision_recall(predicted, [gold for _, _, gold in LABELLED])
    assert precision >= 0.9, f"precision {precision:.2f}"
    assert recall >= 0.9, f"recall {recall:.2f}"
