"""Negation read in the source's own language, and the arbitration of negation flags."""
# ruff: noqa: RUF001  (Chinese and Russian sources: their letters are meant)

from __future__ import annotations

import pytest

from toolkit.align import Alignment, Bead
from toolkit.checks import Category, SourceText
from toolkit.detect import Flag, detect
from toolkit.source.arbiter import SOURCE, arbitrate
from toolkit.source.negation import source_negations


@pytest.mark.parametrize(
    ("text", "code", "cues"),
    [
        ("我没有看到，这非常好，未来不会再来。", "zh", ["没有", "不"]),
        ("无论如何，别人都说这是特别的。", "zh", []),
        ("这并非易事，我们无法做到。", "zh", ["并非", "无法"]),
        ("Он не только пришёл, но никогда не ушёл.", "ru", ["никогда", "не"]),
        ("Нет, это без сахара.", "ru", ["Нет", "без"]),
        ("I don't know, not only him but no one.", "en", ["don't", "no"]),
        ("Das ist nicht gut, kein Problem.", "de", ["nicht", "kein"]),
        ("Je ne sais pas.", "fr", None),
    ],
)
def test_source_negations_in_the_sources_language(
    text: str, code: str, cues: list[str] | None
) -> None:
    assert source_negations(text, code) == cues


def _arbitrate(
    seed: str, reference: str, source: str, language: str
) -> tuple[list[tuple[Flag, ...]], list[str]]:
    alignment = Alignment([Bead((0,), (0,), 1.0)])
    flags = detect([seed], [("news", [reference], alignment)])
    assert [f.category for f in flags[0]] == [Category.negation]
    kept, issues = arbitrate([seed], flags, [SourceText(source, (0,), language)])
    return kept, [i.evidence for i in issues]


def test_a_source_that_negates_settles_the_seeds_negation_in_its_favour() -> None:
    kept, issues = _arbitrate(
        "The minister did not approve the plan.",
        "The minister approved the plan.",
        "Министр не одобрил план.",
        "ru",
    )
    assert kept == [()]
    assert issues == ['the source negates too ("не"), as the seed does']


def test_a_source_without_negation_supports_the_flag_on_the_seeds_negation() -> None:
    kept, issues = _arbitrate(
        "The minister did not approve the plan.",
        "The minister approved the plan.",
        "部长批准了这个计划。",
        "zh",
    )
    assert issues == []
    (flag,) = kept[0]
    assert flag.references == ("news", SOURCE)
    assert flag.message.endswith("; the source has no negation, as the reference")


def test_a_reference_only_negation_is_the_references_when_the_source_has_none() -> None:
    kept, issues = _arbitrate(
        "The minister approved the plan.",
        "The minister did not approve the plan.",
        "部长非常满意地批准了这个计划。",  # 非常 (very) does not negate
        "zh",
    )
    assert kept == [()]
    assert issues == ["the source has no negation, as the seed"]


def test_a_reference_only_negation_gains_support_when_the_source_negates() -> None:
    kept, issues = _arbitrate(
        "The minister approved the plan.",
        "The minister did not approve the plan.",
        "部长没有批准这个计划。",
        "zh",
    )
    assert issues == []
    (flag,) = kept[0]
    assert flag.references == ("news", SOURCE)
    assert flag.message.endswith('the source negates ("没有"), as the reference does')


def test_a_source_language_without_negation_words_leaves_the_flag() -> None:
    kept, issues = _arbitrate(
        "The minister did not approve the plan.",
        "The minister approved the plan.",
        "Le ministre n'a pas approuvé le plan.",
        "fr",
    )
    assert issues == []
    assert kept[0][0].references == ("news",)
