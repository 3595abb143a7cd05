"""The source as arbiter: numbers in any language, markup, the source checks, the aligner."""
# ruff: noqa: RUF001  (Russian and Chinese sources: their letters are meant)

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.align import Alignment, Bead
from toolkit.checks import Category, Context, Kind, Severity, SourceText
from toolkit.detect import Flag, detect
from toolkit.source.align import align_source, align_source_paragraphs
from toolkit.source.arbiter import arbitrate
from toolkit.source.checks import (
    LENGTH_CHECK,
    MARKUP_CHECK,
    NUMBER_CHECK,
    PUNCTUATION_CHECK,
    SOURCE_CHECKS,
    UNTRANSLATED_CHECK,
)
from toolkit.source.markup import tokens
from toolkit.source.quantities import quantities

# --- numbers in any language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "values"),
    [
        ("3,5 млн рублей", "ru", [Fraction(3_500_000)]),
        ("1 200 000 человек", "ru", [Fraction(1_200_000)]),
        ("в июле тридцати двух", "ru", [Fraction(32)]),
        ("1.5亿美元", "zh", [Fraction(150_000_000)]),
        ("三十五万元", "zh", [Fraction(350_000)]),
        ("百分之八十的人", "zh", [Fraction(80)]),
        ("2019年", "zh", [Fraction(2019)]),
        ("12,000 people", "en", [Fraction(12_000)]),
        ("1.250 kg", "en", [Fraction(5, 4)]),
        ("1.250 Euro", "de", [Fraction(1250)]),
        ("3,5 Mio. Euro", "de", [Fraction(3_500_000)]),
        ("dreiundzwanzig Frauen", "de", [Fraction(23)]),
        ("zehnmal so groß", "de", [Fraction(10)]),
        ("an eight-foot robot", "en", [Fraction(8)]),
        ("100bn dollars", "en", [Fraction(100_000_000_000)]),
        ("[1,1] 的输入", "zh", [Fraction(1), Fraction(1)]),  # a list, not 1.1 nor one 1
        ("2,3,5", "en", [Fraction(2), Fraction(3), Fraction(5)]),
        ("1,2345", "en", [Fraction(1)]),  # a badly grouped number: its tail is not one
        ("[1,1]", "de", [Fraction(11, 10)]),  # a decimal comma in German
    ],
)
def test_quantities_are_read_with_the_language_conventions(
    text: str, language: str, values: list[Fraction]
) -> None:
    assert [q.value for q in quantities(text, language)] == values


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("几十年前", "zh"),  # "several decades": an estimate
        ("一百多个", "zh"),  # "over a hundred"
        ("一两件事", "zh"),  # "one or two things", not twelve
        ("数十亿年", "zh"),  # "billions of years"
        ("the 12th of May", "en"),  # an ordinal, not a quantity
        ("3D printing", "en"),
    ],
)
def test_estimates_and_ordinals_are_not_quantities(text: str, language: str) -> None:
    assert [q for q in quantities(text, language) if not q.weak] == []


def test_digits_keep_their_span_and_words_have_none() -> None:
    text = "В 2019 году тридцать человек"
    found = quantities(text, "ru")
    digits = next(q for q in found if not q.spelled)
    assert text[digits.start : digits.end] == "2019"
    words = next(q for q in found if q.spelled)
    assert (words.value, words.start, words.weak) == (30, -1, False)


# --- markup -----------------------------------------------------------------------------------


def test_markup_tokens_of_every_kind() -> None:
    text = (
        "Click <b>{0}</b> or %1$s, ${name}, {{ user }}, {n, plural, one {# file} other {# files}}"
        " at https://example.com/a?b=1. Mail a.b@example.org or @bob &amp; 20% more"
    )
    found = [(t.kind, t.key) for t in tokens(text)]
    assert found == [
        ("tag", "<b>"),
        ("placeholder", "{0}"),
        ("tag", "</b>"),
        ("placeholder", "%1$s"),
        ("placeholder", "${name}"),
        ("placeholder", "{{ user }}"),
        ("placeholder", "{n, plural}"),
        ("url", "https://example.com/a?b=1"),
        ("e-mail", "a.b@example.org"),
        ("handle", "@bob"),
        ("entity", "&amp;"),
    ]


def test_a_percent_sign_in_running_text_is_not_a_placeholder() -> None:
    assert tokens("20% of them, 50 % of the rest, 100%s") == []


# --- the checks -------------------------------------------------------------------------------


def _run(
    check: object, seed: list[str], source: list[str], language: str = "ru", target: str = "en"
) -> list[str]:
    beads = [SourceText(s, (k,), language) for k, s in enumerate(source)]
    checker = check.prepare(Context(seed, target, beads))  # type: ignore[attr-defined]
    return [
        f"{k}:{seed[k][f.start : f.end]}:{f.message}"
        for k in range(len(seed))
        for f in checker.sentence(k)
    ]


def test_a_wrong_magnitude_is_named_against_the_source() -> None:
    found = _run(NUMBER_CHECK, ["Sales reached 35 million rubles."], ["Продажи: 3,5 млн рублей."])
    assert found == [
        '0:35 million:number "35 million" does not match the source, '
        'which has "3,5 млн (3,500,000)"'
    ]


def test_the_same_number_in_other_conventions_is_no_flag() -> None:
    seed = ["Sales reached 3.5 million rubles in 2019, twice as much: 1,200,000 units."]
    source = ["В 2019 году продажи достигли 3,5 млн рублей, вдвое больше: 1 200 000 единиц."]
    assert _run(NUMBER_CHECK, seed, source) == []


def test_a_number_the_translation_drops_is_reported_on_the_sentence() -> None:
    found = _run(NUMBER_CHECK, ["The plant employs people."], ["На заводе работает 450 человек."])
    assert found == [
        '0:The plant employs people.:the source has the number "450", '
        "which the translation does not render"
    ]


def test_an_imperial_measure_may_be_converted() -> None:
    seed = ["Die Eisberge waren fast 60 Meter hoch."]
    source = ["The icebergs were almost 200 feet high."]
    assert _run(NUMBER_CHECK, seed, source, "en", "de") == []
    wrong = ["Die Eisberge waren fast 20 Meter hoch."]
    assert len(_run(NUMBER_CHECK, wrong, source, "en", "de")) == 1


def test_a_list_written_alike_matches_whatever_the_conventions() -> None:
    assert _run(NUMBER_CHECK, ["The input [1,1] gives 0."], ["Вход [1,1] дает 0."]) == []


def test_a_list_spaced_otherwise_matches_its_source() -> None:
    seed = ["On the left, the input of [1, 1] is equal to the output of 0."]
    assert _run(NUMBER_CHECK, seed, ["看左面，[1,1] 的输入等于0输出。"], "zh", "en") == []


def test_a_measure_in_words_may_be_converted() -> None:
    seed = ["Sie bauten diesen 2,5 Meter großen Roboter."]
    source = ["They made this eight-foot robot."]
    assert _run(NUMBER_CHECK, seed, source, "en", "de") == []
    wrong = ["Sie bauten diesen 5 Meter großen Roboter."]
    assert len(_run(NUMBER_CHECK, wrong, source, "en", "de")) == 1


def test_placeholders_missing_added_and_reordered() -> None:
    found = _run(
        MARKUP_CHECK,
        ["Open {0} with %s and %d files"],
        ["Откройте {1} с %d и %s файлами"],
    )
    assert found == [
        '0:Open {0} with %s and %d files:the source has the placeholder "{1}", '
        "which the translation leaves out",
        '0:{0}:placeholder "{0}" is not in the source',
        "0:Open {0} with %s and %d files:placeholders in a different order: "
        "%s %d where the source has %d %s",
    ]


def test_tags_with_other_attributes_and_urls_match() -> None:
    seed = ['See <a href="x" class="y">the site</a> at https://example.com/']
    source = ['Смотрите <a href="x">сайт</a> на https://example.com']
    assert _run(MARKUP_CHECK, seed, source) == []


def test_a_repeated_source_is_untranslated_and_a_quotation_is_not() -> None:
    same = "Это предложение осталось без перевода."
    assert _run(UNTRANSLATED_CHECK, [same], [same]) == [
        f"0:{same}:the translation repeats its source: left untranslated"
    ]
    quoted = ["In John Donnes „No man is an island“ steckt etwas Wahres."]
    source = ['John Donne\'s "No man is an island."']
    assert _run(UNTRANSLATED_CHECK, quoted, source, "en", "de") == []
    copied = ["Er sagte, dass we will meet again in the spring next year."]
    source = ["He said that we will meet again in the spring next year."]
    assert _run(UNTRANSLATED_CHECK, copied, source, "en", "de") == [
        '0:we will meet again in the spring next year:"we will meet again in the spring next '
        'year" is copied from the source: left untranslated'
    ]


def test_end_punctuation_and_brackets() -> None:
    found = _run(PUNCTUATION_CHECK, ["Is it true.", "(Laughter And then"], ["Правда?", "(Смех) И"])
    assert found == [  # in sentence order
        "0:.:the source ends with a question mark, the translation does not",
        '1:(:unbalanced "()" where the source\'s are balanced',
    ]


def test_a_length_outlier_is_found_in_a_document() -> None:
    source = [
        f"Это длинное предложение номер {k}, в котором достаточно слов для сравнения."
        for k in range(12)
    ]
    seed = [
        f"This is long sentence number {k}, with enough words in it to compare them."
        for k in range(12)
    ]
    seed[5] = "This is it."
    found = _run(LENGTH_CHECK, seed, source)
    assert len(found) == 1 and found[0].startswith("5:This is it.:") and "left out" in found[0]


def test_source_checks_run_only_with_a_source() -> None:
    seed = ["Sales reached 35 million rubles."]
    assert all(Kind.source in c.kinds for c in SOURCE_CHECKS)
    assert detect(seed, [], checks=SOURCE_CHECKS) == [()]
    source = [SourceText("Продажи: 3,5 млн рублей.", (0,), "ru")]
    (flags,) = detect(seed, [], checks=SOURCE_CHECKS, source=source)
    assert [(f.category.value, seed[0][f.start : f.end]) for f in flags] == [
        ("accuracy/number", "35 million")
    ]


def test_a_bead_of_two_seed_sentences_is_checked_once() -> None:
    seed = ["It cost 12 dollars.", "And 40 more."]
    beads = [SourceText("Это стоило 12 долларов и еще 40.", (0, 1), "ru")] * 2
    checker = NUMBER_CHECK.prepare(Context(seed, "en", beads))
    assert checker.sentence(0) == [] and checker.sentence(1) == []


# --- the aligner ------------------------------------------------------------------------------

SOURCE = [
    "В 2019 году компания продала 3,5 млн единиц.",
    "Генеральный директор Иван Петров сказал, что это рекорд.",
    "Продажи в Китае выросли на 40%.",
    "Компания планирует открыть 12 новых магазинов.",
    "Это будет стоить около 200 млн долларов.",
    "Акции выросли.",
    "Аналитики ожидают дальнейшего роста в 2020 году.",
]
SEED = [
    "In 2019, the company sold 3.5 million units.",
    "CEO Ivan Petrov said that this was a record.",
    "Sales in China grew by 40%.",
    "The company plans to open 12 new stores.",
    "This will cost about 200 million dollars.",
    "Shares rose.",
    "Analysts expect further growth in 2020.",
]


def test_parallel_sentences_align_one_to_one() -> None:
    assert align_source(SEED, SOURCE) == [((i,), (i,)) for i in range(len(SEED))]


def test_merged_sentences_are_found() -> None:
    seed = [*SEED[:4], SEED[4] + " " + SEED[5], SEED[6]]
    beads = align_source(seed, SOURCE)
    assert beads == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), (2,)),
        ((3,), (3,)),
        ((4,), (4, 5)),
        ((5,), (6,)),
    ]


def test_paragraphs_are_aligned_with_their_counterparts() -> None:
    beads = align_source_paragraphs([SEED[:3], SEED[3:]], [SOURCE[:3], SOURCE[3:]])
    assert beads == [((i,), (i,)) for i in range(len(SEED))]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(SEED), max_size=12), st.lists(st.sampled_from(SOURCE), max_size=12))
def test_every_sentence_is_in_exactly_one_bead_in_order(seed: list[str], source: list[str]) -> None:
    beads = align_source(seed, source)
    assert [i for b in beads for i in b[0]] == list(range(len(seed)))
    assert [j for b in beads for j in b[1]] == list(range(len(source)))


# --- arbitration ------------------------------------------------------------------------------


def _flags(seed: list[str], reference: list[str]) -> list[tuple[Flag, ...]]:
    alignment = Alignment([Bead((i,), (i,), 1.0) for i in range(len(seed))])
    return detect(seed, [("news", reference, alignment)])


def test_the_source_settles_a_reference_error_in_the_seeds_favour() -> None:
    seed = ["The meeting will take place in July in Vilnius, with thirty delegates."]
    reference = ["The meeting will take place in July in Vilnius, with thirteen delegates."]
    source = [
        SourceText("Встреча пройдет в июле в Вильнюсе, будет тридцать делегатов.", (0,), "ru")
    ]
    flags = _flags(seed, reference)
    assert [f.category for f in flags[0]] == [Category.number]
    kept, issues = arbitrate(seed, flags, source)
    assert kept == [()]
    assert [(i.sentence, i.flag.references, i.evidence) for i in issues] == [
        (0, ("news",), 'the source has "30", as the seed does')
    ]


def test_a_flag_the_source_confirms_gains_its_support() -> None:
    seed = ["The meeting will take place with thirteen delegates."]
    reference = ["The meeting will take place with thirty delegates."]
    source = [SourceText("На встрече будет тридцать делегатов.", (0,), "ru")]
    (flags,), issues = arbitrate(seed, _flags(seed, reference), source)
    assert issues == []
    (flag,) = flags
    assert (flag.references, flag.available, flag.support) == (("news", "(source)"), 2, 2)
    assert flag.message.endswith("""the source has "30", not the seed's number""")
    assert flag.support_label == "1/1 refs + source"
    assert flag.to_dict(seed[0])["support"] == "1/1 + source", "JSON does not count the source"


def test_without_a_source_for_a_sentence_nothing_changes() -> None:
    seed = ["It had thirty delegates."]
    flags = _flags(seed, ["It had thirteen delegates."])
    assert arbitrate(seed, flags, [None]) == (flags, [])


def test_a_name_the_source_writes_as_the_seed_does() -> None:
    seed = ["Das Treffen findet in Lithuania statt."]
    source = [SourceText("The meeting takes place in Lithuania.", (0,), "en")]
    at = seed[0].index("Lithuania")
    flag = Flag("x", Category.entity, Severity.major, at, at + 9, "differs", ("ref",), 1)
    kept, issues = arbitrate(seed, [(flag,)], source, language="de")
    assert kept == [()] and issues[0].evidence == 'the source writes "Lithuania", as the seed does'


def test_a_german_seed_renders_a_number_as_a_multiple() -> None:
    seed = ["Jedes war zehnmal so groß wie die Sonne."]
    assert _run(NUMBER_CHECK, seed, ["Each was 10 times the mass of the sun."], "en", "de") == []
    wrong = ["Jedes war dreimal so groß wie die Sonne, 4 Stück."]
    assert (
        len(_run(NUMBER_CHECK, wrong, ["Each was 10 times the sun, 4 of them."], "en", "de")) == 1
    )


def test_the_source_settles_a_month_in_the_seeds_favour() -> None:
    """The issue's case: a reference writes "June" where the Russian original says июле."""
    seed = ["The summit will take place in July in Vilnius."]
    reference = ["The summit will take place in June in Vilnius."]
    flags = _flags(seed, reference)
    assert [f.category for f in flags[0]] == [Category.entity]
    source = [SourceText("Саммит пройдет в июле в Вильнюсе.", (0,), "ru")]
    kept, issues = arbitrate(seed, flags, source)
    assert kept == [()]
    assert issues[0].evidence == 'the source has "июле" (month 7), as the seed does'
    chinese = [SourceText("峰会将于六月在维尔纽斯举行。", (0,), "zh")]
    (confirmed,), none = arbitrate(seed, flags, chinese)
    assert none == [] and confirmed[0].references[-1] == "(source)"
    assert confirmed[0].message.endswith("""the source has "6月" (month 6), not the seed's month""")


def test_may_the_verb_is_no_month() -> None:
    from toolkit.source.matching import months_in

    assert months_in("It may rain in May.", "en") == [(5, "May")]
    assert months_in("в июле и 1 мая", "ru") == [(7, "июле"), (5, "мая")]
    assert months_in("会议于七月和12月举行", "zh") == [(7, "7月"), (12, "12月")]
