"""German: the data file's tables, the checks that read them, formality, sentence splitting."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks.formality import _facts as formality_facts
from toolkit.checks.formality import check_formality
from toolkit.checks.leftover import _WORD as LEFTOVER_WORD
from toolkit.checks.leftover import check_leftover
from toolkit.checks.numbers import check_numbers
from toolkit.checks.omission import check_omission, is_content_word
from toolkit.checks.pronouns import check_pronoun_pair
from toolkit.checks.typography import check_typography
from toolkit.lang import language
from toolkit.segment import split_sentences

LABELLED_FILE = Path(__file__).resolve().parents[1] / "benchmarks/data/sentences_de.txt"

DE = language("de")


def labelled_sentences() -> list[list[str]]:
    """The paragraphs of the labelled file, each as its list of sentences."""
    text = LABELLED_FILE.read_text(encoding="utf-8")
    lines = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return [block.split("\n") for block in lines.strip().split("\n\n")]


# --- tables -------------------------------------------------------------------------------------


def test_german_tables() -> None:
    assert {"der", "und", "nicht", "über"} <= DE.words("stopwords")
    assert {"trotzdem", "vielleicht"} <= DE.words("function") - DE.words("stopwords")
    assert {"nicht", "kein", "keine", "nie", "niemand", "nichts", "weder", "noch"} <= DE.words(
        "negations"
    )
    assert DE.numbers("units")["zwölf"] == 12 and DE.numbers("tens")["dreißig"] == 30
    assert DE.numbers("scales")["millionen"] == 1_000_000
    assert DE.numbers("abbreviations")["mio"] == 1_000_000
    assert DE.number_format.decimal == "," and "." in DE.number_format.thousands
    assert DE.quotes[0] == ("\u201e", "\u201c") and ("\u00bb", "\u00ab") in DE.quotes
    assert DE.dashes["aside"] == "\u2013"
    assert {"herr", "frau", "dr", "prof"} <= DE.words("titles")


def test_german_pronouns_carry_gender_number_and_formality() -> None:
    labels = {p.label: p.forms for p in DE.pronouns}
    assert {"er", "ihn"} <= labels["3sg masculine"] and "es" in labels["3sg neuter"]
    assert {"du", "dich", "dein"} <= labels["2sg informal"]
    assert {"euch", "euer"} <= labels["2pl informal"]
    assert {"sie", "ihnen", "ihre"} <= labels["2 formal"]
    assert "sein" not in labels["3sg masculine"]  # also the verb "to be"


# --- pronoun check ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "ref", "expected"),
    [
        ("Er kam spät.", "Sie kamen spät.", []),  # "sie": she, they or you
        ("Ich sah ihn gestern.", "Ich sah es gestern.", []),  # "es": often no referent
        ("Ich sah ihn gestern.", "Ich sah dich gestern.", [("major", "ihn")]),
        ("Wir danken euch.", "Wir danken dir.", [("minor", "euch")]),
        ("Ich gab es dir.", "Ich gab es ihm.", []),  # "ihm": masculine or neuter
        ("Sie kam spät.", "Er kam spät.", [("major", "Sie")]),  # "kam": she
        ("Er kam spät.", "Ich kam spät.", [("major", "Er")]),
        # a singular verb after "sie" shows it is "she": a gender change against "er"
        ("Er ist Ärztin.", "Sie ist Ärztin.", [("major", "Er")]),
        ("Sie ist Ärztin.", "Er ist Ärztin.", [("major", "Sie")]),
        ("Er sagte nein.", "Sie sagten nein.", []),  # plural verb: "they"
        ("Sie sind da.", "Er ist da.", []),  # "you" or "they"
        ("Ich sah ihn.", "Ich sah ihn.", []),
    ],
)
def test_pronoun_pair_in_german(seed: str, ref: str, expected: list[tuple[str, str]]) -> None:
    found = check_pronoun_pair(seed, ref, language=DE)
    assert [(f.severity.value, seed[f.start : f.end]) for f in found] == expected


# --- numbers and omission -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "ref", "flagged"),
    [
        ("Das kostet 1.000,5 Euro.", "Das kostet 1000,5 Euro.", []),
        ("Es sind 3,5 Mio. Menschen.", "Es sind 3,5 Millionen Menschen.", []),
        ("Es sind drei Millionen Menschen.", "Es sind 3 Millionen Menschen.", []),
        ("Es sind 3,5 Mio. Menschen.", "Es sind 4,5 Millionen Menschen.", ["3,5 Mio"]),
        ("Er hat zwei Kinder.", "Er hat drei Kinder.", ["zwei"]),
        ("Er kam am 3. Oktober.", "Er kam am 4. Oktober.", ["3"]),
    ],
)
def test_german_numbers(seed: str, ref: str, flagged: list[str]) -> None:
    assert [seed[f.start : f.end] for f in check_numbers(seed, ref, language=DE)] == flagged


def test_german_function_words_are_not_content() -> None:
    assert not is_content_word("trotzdem", language=DE)
    assert is_content_word("ausschuss", language=DE)
    seed = "Der Ausschuss hat den Plan gebilligt."
    ref = "Der Ausschuss hat den Plan aber trotzdem gebilligt."  # only function words more
    assert check_omission(seed, ref, language=DE) == []


# --- formality ----------------------------------------------------------------------------------


def _formality(doc: list[str]) -> list[list[str]]:
    facts = formality_facts(doc, language=DE)
    return [[f.message for f in check_formality(doc, i, facts)] for i in range(len(doc))]


def test_formality_flags_the_minority_register() -> None:
    doc = ["Können Sie mir folgen?", "Dann schaut euch das an.", "Danke, dass Sie da sind."]
    assert _formality(doc) == [
        [],
        ['"euch" addresses the reader informally; the document uses the formal Sie 2 times'],
        [],
    ]


def test_formality_informal_document_flags_sie() -> None:
    doc = ["Hast du Zeit?", "Ich zeige dir dein Zimmer.", "Möchten Sie Kaffee?"]
    assert _formality(doc)[2] == [
        '"Sie" addresses the reader formally; the document uses the informal du/ihr 3 times'
    ]


@pytest.mark.parametrize(
    "doc",
    [
        ["Sie kam spät.", "Hast du sie gesehen?"],  # "Sie" at a sentence start: she
        ["Er sagte: Sie sind dran.", "Kommst du?"],  # after a colon
        ["Können Sie mir folgen?", "Sie sagte: „Du schaffst das.“"],  # quoted speech
        ["Ich danke Ihnen.", "Wir sehen uns."],  # one register
        ["Ihr seid toll.", "Danke, dass Sie kommen."],  # "ihr": also "her" and "their"
    ],
)
def test_formality_leaves_alone(doc: list[str]) -> None:
    assert _formality(doc) == [[] for _ in doc]


def test_formality_finds_nothing_in_english() -> None:
    doc = ["Can you follow?", "Thank You."]
    facts = formality_facts(doc, language=language("en"))
    assert [check_formality(doc, i, facts) for i in range(2)] == [[], []]


@given(st.lists(st.sampled_from(["Haben Sie Zeit?", "Hast du Zeit?", "Gut.", "Ja, Sie."])))
def test_formality_flags_only_the_smaller_register(doc: list[str]) -> None:
    facts = formality_facts(doc, language=DE)
    flagged = sum(len(check_formality(doc, i, facts)) for i in range(len(doc)))
    assert flagged == (min(facts.counts.values()) if facts.dominant else 0)


# --- sentence splitting -------------------------------------------------------------------------

# Real-looking German text with abbreviations and ordinals (benchmarks/data/sentences_de.txt):
# each item is the sentences of one paragraph, as they should be split.
LABELLED = labelled_sentences()


@pytest.mark.parametrize("sentences", LABELLED)
def test_german_sentence_split(sentences: list[str]) -> None:
    text = " ".join(sentences)
    assert [text[s:e] for s, e in split_sentences(text, language="de")] == sentences


def test_german_rules_leave_english_alone() -> None:
    text = "We met on day 3. Then we left. See Abb. 3 now."
    # "Abb." is a German abbreviation only: English still cuts after it
    assert len(split_sentences(text, language="en")) == 4
    assert len(split_sentences(text, language="de")) == 3


@given(st.text(alphabet="am im 3. Oktober Abb z. B. Ende.\n", max_size=80))
def test_german_split_covers_the_text(text: str) -> None:
    spans = split_sentences(text, language="de")
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    assert "".join("".join(text[s:e].split()) for s, e in spans) == "".join(text.split())


# --- English left untranslated ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "ref", "flagged"),
    [
        ("Er trank ein Pint Bier.", "Er trank ein Glas Bier.", ["Pint"]),
        ("Der Cuckoo rief laut.", "Der Kuckuck rief laut.", ["Cuckoo"]),
        ("Das Team hat einen Computer.", "Die Gruppe hat einen Rechner.", []),  # loanwords
        ("Er trank ein Pint Bier.", "Er trank ein Pint Bier.", []),  # the reference keeps it
        ("Das ist okay für mich.", "Das ist in Ordnung für mich.", []),  # english_loanwords
        # inflected forms of German (loan)words: genitives of "Stress" and "Index"
        ("Die Physiologie des Stresses.", "Die Körperreaktion auf Druck.", []),
        ("Der Wert des Indexes stieg.", "Der Kennwert stieg.", []),
        ("Er baute mit den Bricks.", "Er baute mit den Ziegeln.", ["Bricks"]),  # not German
    ],
)
def test_english_leftover_in_german(seed: str, ref: str, flagged: list[str]) -> None:
    found = check_leftover(seed, ref, language=DE)
    assert [seed[f.start : f.end] for f in found] == flagged
    assert all(
        f.severity.value == "major" and f.category.value == "accuracy/untranslated" for f in found
    )


def test_english_leftover_finds_nothing_in_english() -> None:
    assert check_leftover("He drank a pint.", "He drank a glass.", language=language("en")) == []


# --- typography ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er sagte „Hallo“ und ging.", []),
        ("Er sagte »Hallo« und ging.", []),
        ("Er sagte “Hallo“ und ging.", [(9, "“ used as an opening quote; open with „")]),
        (
            "Er sagte “Hallo” und ging.",
            [
                (9, "“ used as an opening quote; open with „"),
                (15, "” is not this language's closing quote; close with “"),
            ],
        ),
        (
            "Er sagte „Hallo” und ging.",
            [(15, "” is not this language's closing quote; close with “")],
        ),
        ("„Ja“, sagte er, “nein“.", [(16, "“ used as an opening quote; open with „")]),
    ],
)
def test_german_quotes(text: str, expected: list[tuple[int, str]]) -> None:
    found = check_typography([text], 0, language=DE)
    assert [(f.start, f.message) for f in found] == expected


def test_english_quote_messages_unchanged() -> None:
    text = "He said ”Hello” and left."
    found = check_typography([text], 0, language=language("en"))
    assert [f.message for f in found] == ["closing quote ” without an opening “"] * 2


# --- the verifier reads the seed's language -----------------------------------------------------


def test_verifier_features_read_the_seed_language() -> None:
    from toolkit.verify.features import flag_features

    seed = "Die Katze schläft trotzdem."
    start = seed.index("trotzdem")
    sentence = {"similarity_best": 0.8, "log_chars": 3.3}

    def row(language: str) -> dict[str, float]:
        return flag_features(
            seed,
            start,
            start + 8,
            counterpart="",
            severity=1.0,
            support=1.0,
            sentence=sentence,
            language=language,
        )

    # "trotzdem" is a German function word: no content word in the span; read as English, it is
    german, english = row("de"), row("en")
    assert german["content_share"] == 0.0
    assert english["content_share"] == 1.0


# --- any text -----------------------------------------------------------------------------------


@given(st.lists(st.text(alphabet="Sie du euch Ihr „“”\"':. abc\n", max_size=40), max_size=5))
def test_formality_on_any_text(doc: list[str]) -> None:
    facts = formality_facts(doc, language=DE)
    for i, text in enumerate(doc):
        for f in check_formality(doc, i, facts):
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start : f.end].lower() in DE.words("informal_address") | {
                w.lower() for w in DE.words("formal_address")
            }


@given(st.text(max_size=60), st.text(max_size=60))
def test_english_leftover_on_any_text(seed: str, ref: str) -> None:
    ref_words = {m.group().lower() for m in LEFTOVER_WORD.finditer(ref)}
    for f in check_leftover(seed, ref, language=DE):
        assert 0 <= f.start < f.end <= len(seed)
        assert seed[f.start : f.end].lower() not in ref_words
