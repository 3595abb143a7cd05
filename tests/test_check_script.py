"""Golden cases for the untranslated-text check: foreign script, look-alike letters, MT credits
and transliterated words; the exemptions; precision/recall; span invariants."""

# ruff: noqa: RUF001 - Cyrillic, Greek and look-alike letters are what this check is about

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import PrecisionRecall

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category, Context, Severity
from toolkit.checks import script as script_module
from toolkit.checks.script import check_untranslated

needs_wordfreq = pytest.mark.skipif(
    importlib.util.find_spec("wordfreq") is None,
    reason="the transliteration rule needs wordfreq's English word list",
)

# An English document on a topic of its own, written for these tests.
HARBOUR = [
    "The harbour authority opened a new ferry terminal on Monday.",
    "Officials said the building had cost more than planned.",
    "Passengers will be able to buy tickets from machines in the hall.",
    "The old terminal will be turned into a museum of the fishing fleet.",
    "Local traders hope that more visitors will come to the town.",
]
CREDIT = "machine-translation attribution left in the text; delete it"


def findings(sentence: str, context: list[str] = HARBOUR) -> list[tuple[str, Severity]]:
    sentences = [sentence, *context]
    return [(sentence[f.start : f.end], f.severity) for f in check_untranslated(sentences, 0)]


MAJOR, MINOR, CRITICAL = Severity.major, Severity.minor, Severity.critical


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # MT credits: the whole line, or the whole bracket.
        ("Переведено сервисом «Яндекс Переводчик»",
         [("Переведено сервисом «Яндекс Переводчик»", CRITICAL)]),
        ("Translated by Google Translate", [("Translated by Google Translate", CRITICAL)]),
        ("Translated with DeepL.", [("Translated with DeepL.", CRITICAL)]),
        ("Translated with www.DeepL.com/Translator (free version)",
         [("Translated with www.DeepL.com/Translator (free version)", CRITICAL)]),
        ("Powered by Yandex.Translate", [("Powered by Yandex.Translate", CRITICAL)]),
        ("Translated from Swedish by Microsoft Translator.",
         [("Translated from Swedish by Microsoft Translator.", CRITICAL)]),
        ("The ferry was late (machine translation).", [("(machine translation)", CRITICAL)]),
        ("The ferry was late [Translated by Bing].", [("[Translated by Bing]", CRITICAL)]),
        ("The ferry was late \u2014 translated by Google", [("translated by Google", CRITICAL)]),
        ("This article was machine-translated.",
         [("This article was machine-translated.", CRITICAL)]),
        ("Übersetzt mit DeepL", [("Übersetzt mit DeepL", CRITICAL)]),
        ("Traduit par Google", [("Traduit par Google", CRITICAL)]),
        ("Машинный перевод.", [("Машинный перевод.", CRITICAL)]),
        # Foreign script: a run of words, joined across spaces and punctuation.
        ("He said: «Я не знаю, что делать», and left.", [("Я не знаю, что делать", MAJOR)]),
        ("Trade between Norway и Sweden grew.", [("и", MAJOR)]),
        ("The ferry to 大阪 leaves at noon.", [("大阪", MAJOR)]),
        ("The sign read مرحبا in large letters.", [("مرحبا", MAJOR)]),
        ("The word שלום was painted on the hull.", [("שלום", MAJOR)]),
        ("The captain greeted them: Καλημέρα σας!", [("Καλημέρα σας", MAJOR)]),
        ("The Ту-154 landed at 9 a.m.", [("Ту", MAJOR)]),
        # Nearly all of the sentence in another script: the sentence is not translated.
        ("Паром отправляется в полдень.", [("Паром отправляется в полдень.", CRITICAL)]),
        ("Паром MS Nordic отправляется в полдень.",
         [("Паром MS Nordic отправляется в полдень.", CRITICAL)]),
        # A look-alike letter inside a Latin word.
        ("The ferry sailed to M\u0430lmo.", [("\u0430", MINOR)]),
        ("The t\u0435rminal and the h\u0430ll are new.", [("\u0435", MINOR), ("\u0430", MINOR)]),
    ],
)  # fmt: skip
def test_rule_fires_with_exact_span(sentence: str, expected: list[tuple[str, Severity]]) -> None:
    assert findings(sentence) == expected


@needs_wordfreq
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The deputies voted for the zakonoproekt on Friday.", ["zakonoproekt"]),
        ("The spetsoperatsiya was discussed at length.", ["spetsoperatsiya"]),
        ("Everyone praised the obshchestvo for its work.", ["obshchestvo"]),
        ("The new pravitelstvo met on Tuesday.", ["pravitelstvo"]),
        ("Critics called it a vzglyad from the past.", ["vzglyad"]),
        ("The mayor's konflikt's roots were old.", ["konflikt"]),
        ("The zhurnalist and the chinovnik argued.", ["zhurnalist", "chinovnik"]),
    ],
)
def test_transliterated_words_fire(sentence: str, expected: list[str]) -> None:
    assert findings(sentence) == [(word, MAJOR) for word in expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "Machine translation has improved a lot in recent years.",
        "She used Google Translate to read the menu.",
        "The menu was translated by Google Translate for the tourists.",
        "The particles measured 5 \u03bcm across.",
        "The angle \u03b1 was small.",
        "Café owners in Zürich, Łódź and Malmö agreed.",
        "The naïve plan was dropped.",
        "The ferry costs \u20ac12 or \u00a310 \u2014 cheap \u201cby any standard\u201d.",
        "",
        "   ",
        "1234 \u2014 5678.",
    ],
)
def test_rule_stays_silent(sentence: str) -> None:
    assert findings(sentence) == []


@needs_wordfreq
@pytest.mark.parametrize(
    ("sentence", "context"),
    [
        ("They rented a dacha for the summer.", HARBOUR),
        ("The perestroika years changed the town.", HARBOUR),
        ("Ivanov and Petrovsky arrived with Zhukov.", HARBOUR),
        ("Details are at www.gosudarstvo.ru and gosudarstvo.org today.", HARBOUR),
        ("The sommelier decanted the amontillado.", HARBOUR),
        ("They sailed past the fjords to the tundra and the steppe.", HARBOUR),
        # A name: the document writes it capitalised elsewhere.
        ("Fans of obshchestvo cheered.", [*HARBOUR, "The Obshchestvo club won the cup."]),
    ],
)
def test_transliteration_rule_stays_silent(sentence: str, context: list[str]) -> None:
    assert findings(sentence, context) == []


@needs_wordfreq
def test_transliteration_rule_is_off_outside_english() -> None:
    french = [
        "Le maire a inauguré le nouveau terminal du port lundi.",
        "Les voyageurs pourront acheter des billets dans la salle.",
        "On parle aussi de la spetsoperatsiya dans les journaux.",
    ]
    assert check_untranslated(french, 2) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Новый паром Apple iPhone купили в порту.", []),  # brands and acronyms in Latin
        ("Терминал открыт для NATO и EU.", []),
        (
            "The ferry leaves at noon every day.",
            [("The ferry leaves at noon every day.", CRITICAL)],
        ),
        ("Паром приходит в Москв\u0061 утром.", [("a", MINOR)]),
    ],
)
def test_cyrillic_document(sentence: str, expected: list[tuple[str, Severity]]) -> None:
    context = [
        "В порту открыли новый терминал для паромов.",
        "Пассажиры смогут купить билеты в зале ожидания.",
        "Старый терминал станет музеем рыболовного флота.",
    ]
    assert findings(sentence, context) == expected


def test_messages() -> None:
    def messages(sentence: str, context: list[str] = HARBOUR) -> list[str]:
        return [f.message for f in check_untranslated([sentence, *context], 0)]

    assert messages("Translated by Google Translate") == [CREDIT]
    assert messages("He said: «Я не знаю».") == [
        "Cyrillic text in a Latin-script document; translate or transliterate it"
    ]
    assert messages("Паром отправляется в полдень.") == [
        "this sentence is not translated: it is in Cyrillic script, the document in Latin"
    ]
    assert messages("The ferry sailed to M\u0430lmo.") == [
        'Cyrillic letter "\u0430" (U+0430) inside the Latin word "M\u0430lmo", a look-alike of '
        'Latin "a"; retype it as a Latin letter'
    ]


@needs_wordfreq
def test_transliteration_message() -> None:
    (finding,) = check_untranslated(["They passed the zakonoproekt.", *HARBOUR], 0)
    assert finding.message == (
        '"zakonoproekt" is not an English word and looks transliterated, not translated; '
        "translate it"
    )


def test_every_finding_is_in_the_untranslated_category() -> None:
    sentence = "He said «Я не знаю» in M\u0430lmo (machine translation)."
    found = check_untranslated([sentence, *HARBOUR], 0)
    assert len(found) == 3
    assert {f.category for f in found} == {Category.untranslated}


def test_a_credit_in_another_script_is_one_finding() -> None:
    # The Russian credit is also Cyrillic text: reported once, as a credit.
    (finding,) = check_untranslated(["Перевод выполнен сервисом Яндекс.Переводчик", *HARBOUR], 0)
    assert (finding.severity, finding.message) == (CRITICAL, CREDIT)


def test_checks_only_the_indexed_sentence() -> None:
    sentences = [*HARBOUR, "Translated by Google Translate"]
    assert check_untranslated(sentences, 0) == []
    assert len(check_untranslated(sentences, len(sentences) - 1)) == 1


def test_document_without_letters_has_no_findings() -> None:
    assert check_untranslated(["", "123", "\u2014"], 1) == []


def test_the_main_script_comes_from_the_whole_document() -> None:
    greek = ["Το πλοίο φεύγει το μεσημέρι.", "Οι επιβάτες αγοράζουν εισιτήρια."]
    # The same sentence: untranslated in an English document, at home in a Greek one.
    assert findings(greek[0]) == [(greek[0], CRITICAL)]
    assert check_untranslated(greek, 0) == []


def test_the_document_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = script_module._count_scripts

    def counting(*args: object) -> None:
        calls.append(1)
        original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(script_module, "_count_scripts", counting)
    sentences = [*HARBOUR, "He said: «Я не знаю».", "Translated by Google Translate"]
    checker = script_module.CHECK.prepare(Context(sentences))
    found = [checker.sentence(i) for i in range(len(sentences))]
    assert len(calls) == len(sentences)  # one pass over the document, not one per sentence
    assert found == [check_untranslated(sentences, i) for i in range(len(sentences))]
    assert sum(map(len, found)) == 2  # the Cyrillic quote and the credit


# --- precision and recall on sentences written for this test -----------------------------------

LABELLED = [
    ("Переведено сервисом «Яндекс Переводчик»", True),
    ("Translated by Google Translate", True),
    ("Translated with DeepL (free version)", True),
    ("Powered by Yandex.Translate", True),
    ("The ferry was late (machine translation).", True),
    ("Machine translated by Bing.", True),
    ("He shouted «Стоп!» and the ferry stopped.", True),
    ("The crew spoke of the 港口 all night.", True),
    ("Паром прибыл вовремя.", True),
    ("The ferry sailed to Stockh\u043elm.", True),
    ("The zakonoproekt on ferries passed.", True),
    ("Fishermen complained about the novyy nalog on fuel.", True),
    ("Machine translation is getting better every year.", False),
    ("She checked the word with Google Translate.", False),
    ("The letter was translated by a friend.", False),
    ("Ferries leave Malmö and Århus every hour.", False),
    ("The radius is 5 \u03bcm.", False),
    ("They rented a dacha near the harbour.", False),
    ("The fjord was calm and the tundra was green.", False),
    ("Captain Ivanov greeted Mr Kuznetsov.", False),
    ("The café serves crème brûlée.", False),
    ("Tickets cost \u20ac5 \u2014 \u201ca bargain\u201d.", False),
]


@needs_wordfreq
def test_precision_and_recall_on_labelled_sentences(precision_recall: PrecisionRecall) -> None:
    predicted = [bool(check_untranslated([s, *HARBOUR], 0)) for s, _ in LABELLED]
    precision, recall = precision_recall(predicted, [label for _, label in LABELLED])
    # Measured: precision 1.00, recall 1.00 on these 22 sentences.
    assert precision == 1.0, f"precision {precision:.2f}"
    assert recall >= 0.9, f"recall {recall:.2f}"


# --- hypothesis: invariants --------------------------------------------------------------------

ENGLISH_WORDS = (
    "the", "a", "ferry", "harbour", "ship", "left", "at", "noon", "and", "passengers", "bought",
    "tickets", "from", "machines", "in", "hall", "town", "hopes", "more", "visitors", "will",
    "come", "old", "terminal", "museum", "fishing", "fleet", "new", "building", "cost", "than",
    "planned", "said", "officials", "on", "monday", "every", "day", "water", "was", "calm",
)  # fmt: skip
MIXED = [
    *ENGLISH_WORDS, "Москва", "и", "М\u0430", "Mаlmo", "αβγ", "\u03bc", "大阪", "مرحبا", "שלום",
    "zakonoproekt", "«", "»", "(", ")", "[", "]", ",", ".", "\u2014", "translated", "by",
    "google", "machine", "translation", "Переведено", "сервисом",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(ENGLISH_WORDS), min_size=1, max_size=12).map(" ".join),
        min_size=1,
        max_size=6,
    )
)
def test_ascii_english_documents_have_no_findings(sentences: list[str]) -> None:
    for i in range(len(sentences)):
        assert check_untranslated(sentences, i) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.sampled_from(MIXED), st.text(max_size=4)), min_size=0, max_size=12
        ).map(" ".join),
        min_size=1,
        max_size=5,
    )
)
def test_spans_lie_inside_the_sentence(sentences: list[str]) -> None:
    for i, sentence in enumerate(sentences):
        for finding in check_untranslated(sentences, i):
            assert 0 <= finding.start < finding.end <= len(sentence)
            assert sentence[finding.start : finding.end].strip()
