"""Golden cases for the casing check: flagged common nouns, protected names, precision/recall."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks import Category, Severity, casing
from toolkit.checks.casing import check_casing


def spans(sentences: list[str], index: int = 0) -> list[str]:
    return [sentences[index][f.start : f.end] for f in check_casing(sentences, index)]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["The talks ended when the Chinese Leader said no."], ["Leader"]),
        (["We joined our Company in spring."], ["Company"]),
        (["Protesters marched to the Government offices."], ["Government"]),
        (["He crossed the River at dawn."], ["River"]),
        (["Farmers left the Cities for good."], ["Cities"]),
        (["The Farmers came early.", "Most farmers stayed home."], ["Farmers"]),
        (["Then the Harvest failed.", "The harvest was small."], ["Harvest"]),
        (["She thanked the Minister and left."], ["Minister"]),
        (["A well-being Index.", "The index fell."], ["Index"]),  # no capital before it
    ],
)
def test_rule_fires_with_exact_span(sentences: list[str], expected: list[str]) -> None:
    assert spans(sentences) == expected


@pytest.mark.parametrize(
    "sentences",
    [
        ["Mr. Smith arrived late."],
        ["Yesterday I met my brother."],
        ["They moved to New York in May."],
        ["President Lincoln spoke at the cemetery."],
        ["Yesterday President Lincoln spoke.", "The president was tired."],
        ["Then Prime Minister Modi arrived."],
        ["He fought in the Red Army.", "The flag was red."],
        ["She works for the United Nations."],
        ["He wrote about the Great Patriotic War.", "It was a great war."],
        ["The NATO summit ended."],
        ['He said, "Leaders must listen."'],
        ["One rule matters: Government serves people."],
        ["Leaders met in Paris."],
        ["They flew with McDonald and Paris."],
        ["She met Rose at the station."],
        ["The Communist Party met in spring."],
        ["She studied at the University of Chicago."],
        ['Athletes came to the "Games of the Future" in autumn.', "The future is open."],
        ['"Games of the Future" opened.', "The future is open."],
        ["Notes on trade\nTrade grew fast.", "The trade deficit shrank."],
        # a run of capitalised words goes on through a hyphenated one
        ["A paper on the UNICEF Child Well-Being Index.", "The index fell."],
        ["Read the British Socio-Economic Classification.", "Any classification works."],
    ],
)
def test_rule_stays_silent(sentences: list[str]) -> None:
    assert check_casing(sentences, 0) == []


def test_finding_fields_and_message() -> None:
    (finding,) = check_casing(["Later the Chinese Leader said yes."], 0)
    assert finding.category is Category.casing
    assert finding.severity is Severity.minor
    assert finding.message == (
        '"Leader" is capitalised mid-sentence; write "leader" unless it is part of a name or title'
    )


def test_lowercase_use_elsewhere_in_the_document_counts() -> None:
    # "Harvest" is not a listed noun: only the other sentence shows it is a common word.
    assert spans(["Then the Harvest failed."]) == []
    assert spans(["Then the Harvest failed.", "The harvest was small."]) == ["Harvest"]


def test_empty_sentence_has_no_findings() -> None:
    assert check_casing([""], 0) == []


DOCUMENT_CONTEXT = ["The village had a small school and a mill.", "The soldiers were tired."]

LABELLED = [
    ("The crowd cheered when the Chinese Leader arrived.", True),
    ("Workers at our Company went on strike.", True),
    ("Soldiers camped by the River overnight.", True),
    ("The Soldiers marched north.", True),
    ("The children ran to the School gate.", True),
    ("They burned the Mill in winter.", True),
    ("Officials from the Government refused to comment.", True),
    ("He was elected by the Party in March.", True),
    ("Many people moved to the City after the war.", True),
    ("The German Minister resigned.", True),
    ("President Lincoln visited the front.", False),
    ("Later President Lincoln visited the front.", False),
    ("They sailed past New York.", False),
    ("Mr. Smith and I spoke briefly.", False),
    ("The Red Army entered Berlin.", False),
    ("Delegates from the United Nations arrived.", False),
    ("Veterans of the Great Patriotic War gathered.", False),
    ("The UN and NATO issued statements.", False),
    ("Then Prime Minister Modi spoke.", False),
    ("She read Tolstoy in Moscow.", False),
]


def test_precision_and_recall_on_labelled_sentences(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(check_casing([sentence, *DOCUMENT_CONTEXT], 0)) for sentence, _ in LABELLED]
    precision, recall = precision_recall(predicted, [label for _, label in LABELLED])
    assert precision >= 0.9, f"precision {precision:.2f}"
    assert recall >= 0.9, f"recall {recall:.2f}"


@pytest.mark.parametrize(
    "text",
    [
        ["(Applause) Then the lights went out in the hall.", "then nothing."],
        ["[Music] Like a river, the crowd moved on.", "it was like that."],
        ["The probe circled the Earth twice.", "The earth is round."],
        ["At noon the Sun stood high.", "the sun was hot."],
    ],
)
def test_leading_asides_and_either_case_nouns_are_not_flagged(text: list[str]) -> None:
    assert check_casing(text, 0) == []


def test_a_bracket_in_mid_sentence_does_not_restart_it() -> None:
    text = ["We met (briefly) Then left the party.", "then we slept."]
    assert [text[0][f.start : f.end] for f in check_casing(text, 0)] == ["Then"]


# -- the ASCII shortcut ------------------------------------------------------------------------

_ASCII_TEXT = st.text(alphabet=st.sampled_from(list("aAbBzZ'-.,:;!?\"() \n\t1")), max_size=40)


@given(_ASCII_TEXT)
def test_ascii_capitalised_words_are_the_capitalised_words(text: str) -> None:
    expected = [w for w in casing._WORD.findall(text) if w[0].isupper()]
    assert casing._ASCII_CAPITALISED.findall(text) == expected


@given(_ASCII_TEXT)
def test_a_word_capitalised_mid_sentence_is_one_the_shortcut_keeps(text: str) -> None:
    matches = list(casing._WORD.finditer(text))
    tokens = casing._Tokens(text, matches)
    for i in range(len(tokens)):
        if tokens[i].capitalised:
            assert casing._mid_sentence(text, tokens[i].start)


@given(st.lists(_ASCII_TEXT, min_size=1, max_size=3))
def test_the_shortcut_finds_what_the_whole_rule_finds(sentences: list[str]) -> None:
    # Non-ASCII text takes the whole rule: the same sentences with one "é" more must be
    # flagged at the same words.
    padded = [s + " \u00e9" for s in sentences]
    document = [*sentences, *padded]
    n = len(sentences)
    for i in range(n):
        found = [(f.start, f.end, f.message) for f in check_casing(document, i)]
        assert found == [(f.start, f.end, f.message) for f in check_casing(document, n + i)]
