"""compare's analyses (issue 16 part 3): buckets, salient n-grams, flag-category deltas, units.

Units are built by hand where the answer is known; one run on the bundled texts checks that
the analysis's units are the tests' units and keep every system sentence once, in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category, Severity
from toolkit.compare import CompareSettings
from toolkit.compare_analysis import (
    ALL,
    AnalysisSettings,
    SalientNgram,
    Unit,
    UnitSide,
    analyse_files,
)
from toolkit.compare_analysis.buckets import frequency_buckets, length_buckets
from toolkit.compare_analysis.flagdelta import flag_deltas, paired_bootstrap
from toolkit.compare_analysis.ngrams import match_counts, salient_ngrams
from toolkit.compare_analysis.units import words
from toolkit.errors import UsageError
from toolkit.flags import Flag
from toolkit.segment import Segment

FAST = CompareSettings(bootstrap_samples=50, ar_trials=50)


def seg(text: str, k: int = 0) -> Segment:
    return Segment(f"L{k + 1}", text, 0, len(text), k + 1)


def side(text: str, *, flags: int = 0, scores: dict[str, float] | None = None) -> UnitSide:
    flag = Flag("f", Category.pronoun, Severity.minor, 0, 1, "pronoun")
    return UnitSide(
        (seg(text),) if text else (),
        ((flag,) * flags,) if text else (),
        scores or {"chrf": 0.0, "bleu": 0.0},
    )


def unit(k: int, ref: str, *sides: UnitSide) -> Unit:
    return Unit(k, (seg(ref, k),), tuple(sides))


# --- buckets -----------------------------------------------------------------------------------


def test_length_buckets_count_units_by_reference_words_and_average_scores() -> None:
    words = {3: 1, 12: 2, 25: 1}  # reference length in words -> how many units
    units: list[Unit] = []
    for length, n in words.items():
        for _ in range(n):
            k = len(units)
            units.append(
                unit(
                    k,
                    " ".join(["word"] * length) + ".",
                    side("a", scores={"chrf": 10.0 * (k + 1), "bleu": 1.0}),
                    side("b", scores={"chrf": 50.0, "bleu": 2.0}),
                )
            )
    buckets = length_buckets(units, (10, 20, 30, 40, 50, 60))
    assert [(b.label, b.count) for b in buckets] == [
        ("<10", 1),
        ("10-19", 2),
        ("20-29", 1),
        ("30-39", 0),
        ("40-49", 0),
        ("50-59", 0),
        (">=60", 0),
    ]
    # Units 2 and 3 (chrF 20 and 30) are the 12-word ones: their mean is 25.
    assert buckets[1].scores[0] == {"chrf": 25.0, "bleu": 1.0}
    assert buckets[1].scores[1] == {"chrf": 50.0, "bleu": 2.0}
    assert buckets[3].scores == ()


def test_length_bucket_edge_belongs_to_the_upper_bucket() -> None:
    units = [unit(0, " ".join(["w"] * 10), side("a"), side("b"))]
    assert [b.count for b in length_buckets(units, (10, 20))] == [0, 1, 0]


def test_frequency_buckets_word_recall_and_precision() -> None:
    # "zzqxv" is in no word list (Zipf 0, bucket <1); "the" is the most common word (>= 6).
    units = [unit(0, "The zzqxv.", side("the zzqxv"), side("the"))]
    buckets = {b.label: b for b in frequency_buckets(units, (1, 2, 3, 4, 5, 6), language="en")}
    assert buckets["<1"].count == 1 and buckets[">=6"].count == 1
    assert buckets["<1"].scores[0] == {"recall": 1.0, "precision": 1.0, "f": 1.0}
    assert buckets["<1"].scores[1] == {"recall": 0.0, "precision": 0.0, "f": 0.0}
    assert buckets[">=6"].scores[1] == {"recall": 1.0, "precision": 1.0, "f": 1.0}
    assert buckets["3-4"].count == 0 and buckets["3-4"].scores == ()


def test_frequency_buckets_refuse_a_language_without_a_word_list() -> None:
    with pytest.raises(ValueError, match="no word list"):
        frequency_buckets([], (1, 2), language="xx")


# --- n-grams -----------------------------------------------------------------------------------


def test_salient_ngrams_known_answer() -> None:
    units = [
        unit(
            0,
            "the cat sat on the mat .",
            side("the cat sat on the mat ."),
            side("a dog sat on a rug ."),
        )
    ]
    contrast = salient_ngrams(units, 0, 1, top=3)
    # "the" occurs twice in both A and the reference: 2 matches against B's 0, (2+1)/(2+0+2).
    assert contrast.a_better[0] == SalientNgram("the", (2, 0), 0.75)
    assert [g.ratio for g in contrast.a_better[1:]] == [2 / 3, 2 / 3]
    # B matches nothing A misses ("sat on", "." are matched by both: ratio 0.5, in no list).
    assert contrast.b_better == ()
    assert match_counts(units, 1)[("sat", "on")] == 1


def test_salient_ngrams_are_clipped_to_the_reference_count() -> None:
    units = [unit(0, "yes no", side("yes yes yes"), side("no"))]
    assert match_counts(units, 0, max_n=1)[("yes",)] == 1
    contrast = salient_ngrams(units, 0, 1)
    assert contrast.a_better == (SalientNgram("yes", (1, 0), 2 / 3),)
    assert contrast.b_better == (SalientNgram("no", (0, 1), 1 / 3),)


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=8), st.integers(1, 3))
def test_salient_ngrams_mirror_when_the_systems_swap(words: list[str], cut: int) -> None:
    ref = " ".join(words)
    units = [unit(0, ref, side(" ".join(words[:cut])), side(" ".join(words[cut - 1 :])))]
    ab, ba = salient_ngrams(units, 0, 1), salient_ngrams(units, 1, 0)
    assert [g.ngram for g in ab.a_better] == [g.ngram for g in ba.b_better]
    assert all(g.ratio > 0.5 for g in ab.a_better) and all(g.ratio < 0.5 for g in ab.b_better)


# --- flag deltas -------------------------------------------------------------------------------


def test_flag_delta_many_more_flags_is_significant_one_more_is_not() -> None:
    many = [unit(k, f"sentence {k}", side("a"), side("b", flags=int(k < 20))) for k in range(30)]
    one = [unit(k, f"sentence {k}", side("a"), side("b", flags=int(k == 0))) for k in range(30)]
    [total, pronoun] = flag_deltas(many, samples=1000, seed=7)
    assert total.category == ALL and pronoun.category == "accuracy/pronoun"
    assert pronoun.counts == (0, 20)
    test = pronoun.tests[1]
    assert test is not None and test.delta == 20 and test.significant
    assert test.low > 0 and test.p_value < 0.01
    weak = flag_deltas(one, samples=1000, seed=7)[1].tests[1]
    assert weak is not None and weak.delta == 1 and not weak.significant
    assert weak.low == 0 and weak.p_value > 0.5


def test_flag_delta_bootstrap_is_reproducible_with_its_seed() -> None:
    a = [0, 1, 0, 2, 0, 0, 1, 0, 0, 3]
    b = [1, 1, 2, 0, 1, 0, 1, 2, 0, 3]
    first = paired_bootstrap(a, b, samples=500, seed=12345)
    assert first == paired_bootstrap(a, b, samples=500, seed=12345)
    assert first.delta == 4  # 11 - 7
    others = {paired_bootstrap(a, b, samples=500, seed=s).p_value for s in range(5)}
    assert len(others) > 1  # the seed matters: the figures are resampled, not fixed


def test_flag_delta_without_difference_has_p_one() -> None:
    test = paired_bootstrap([1, 2, 0], [2, 1, 0], samples=100)
    assert test.delta == 0 and test.p_value == 1.0 and not test.significant


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=25))
def test_flag_delta_swapping_the_systems_mirrors_the_test(pairs: list[tuple[int, int]]) -> None:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ab = paired_bootstrap(a, b, samples=200, seed=3)
    ba = paired_bootstrap(b, a, samples=200, seed=3)
    assert ab.delta == -ba.delta == sum(b) - sum(a)
    assert ab.p_value == ba.p_value and 0 < ab.p_value <= 1
    assert (ab.low, ab.high) == (-ba.high, -ba.low)


def test_flag_deltas_list_categories_most_flagged_first() -> None:
    flag = Flag("n", Category.number, Severity.major, 0, 1, "number")
    numbers = UnitSide((seg("a"),), ((flag, flag),), {"chrf": 0.0, "bleu": 0.0})
    units = [unit(0, "x", numbers, side("b", flags=1))]
    deltas = flag_deltas(units, samples=20)
    assert [(d.category, d.counts) for d in deltas] == [
        (ALL, (2, 1)),
        ("accuracy/number", (2, 0)),
        ("accuracy/pronoun", (0, 1)),
    ]


# --- settings and a real run -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"length_edges": (20, 10)}, "length bucket edges must be increasing"),
        ({"ngram_min": 3, "ngram_max": 2}, "n-gram lengths 3-2"),
        ({"ngram_top": 0}, "--ngrams must be at least 1"),
        ({"samples": 5}, "at least 10"),
        ({"seed": -1}, "seed must be 0 or more"),
    ],
)
def test_analysis_settings_refuse_bad_values(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        AnalysisSettings(**kwargs)  # type: ignore[arg-type]


def test_analysis_units_are_the_tests_units_and_keep_every_sentence(
    seed_path: Path, alternative_path: Path, postedit_path: Path
) -> None:
    [analysis] = analyse_files(
        [seed_path, alternative_path],
        [postedit_path],
        settings=FAST,
        analysis=AnalysisSettings(samples=50),
    )
    assert len(analysis.units) == analysis.comparison.units == 72
    for k in range(2):
        ids = [s.id for u in analysis.units for s in u.systems[k].sentences]
        assert len(ids) == len(set(ids))  # each sentence in one unit
        assert ids == sorted(ids, key=lambda i: [int(x) for x in i[1:].split(".s")])
    assert sum(b.count for b in analysis.length) == 72
    flags = {d.category: d.counts for d in analysis.flags}
    assert flags[ALL][0] == sum(len(u.systems[0].all_flags) for u in analysis.units)
    assert analysis.signature.startswith("len:10,20,30,40,50,60|zipf:1,2,3,4,5,6|ngram:1-4")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The cat's well-being, 3.5 cafés!", ["the", "cat's", "well-being", "3", "5", "cafés"]),
        ("我们喜欢猫。", ["我", "们", "喜", "欢", "猫"]),  # one word per Han character
        ("Tokyo 東京 2024", ["tokyo", "東", "京", "2024"]),
        ("", []),
    ],
)
def test_words_of_the_buckets(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@given(st.lists(st.integers(1, 80), max_size=30))  # a sentence has a word at least
def test_length_buckets_hold_every_unit_once(lengths: list[int]) -> None:
    units = [unit(k, " ".join(["w"] * n), side("a"), side("b")) for k, n in enumerate(lengths)]
    buckets = length_buckets(units, (10, 20, 30, 40, 50, 60))
    assert sum(b.count for b in buckets) == len(lengths)
    assert buckets[0].count == sum(n < 10 for n in lengths)
    assert all(bool(b.scores) == bool(b.count) for b in buckets)
