"""Passages: the word diff's changed regions as candidates, verified by the passage model."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit.verify as verify
from toolkit.checks import Category, Severity, check_names
from toolkit.document import Document
from toolkit.flags import Flag
from toolkit.pipeline import compare_documents
from toolkit.result import Report, RunSettings
from toolkit.verify.features import Counterpart
from toolkit.verify.model import Logistic, load_verifier, verifier_for
from toolkit.verify.passages import (
    CHECK,
    PASSAGE_FEATURES,
    passage_candidates,
    passage_flags,
)

SEED = "The committee approved the budget for the new hospital in March."
REF = "The committee rejected the budget for the new hospital in March."


def always(p: float) -> Logistic:
    """A passage model that gives every candidate probability ``p``."""
    n = len(PASSAGE_FEATURES)
    z = math.log(p / (1 - p))
    return Logistic(PASSAGE_FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, z)


def test_a_changed_word_is_one_candidate_facing_its_counterpart() -> None:
    [passage] = passage_candidates(SEED, [Counterpart(SEED, REF)])
    assert SEED[passage.start : passage.end] == "approved"
    assert passage.counterpart == "rejected"
    assert passage.closest == 0 and passage.agreeing == ()
    assert set(passage.features) == set(PASSAGE_FEATURES)
    assert passage.features["no_counterpart"] == 0.0
    assert passage.features["words"] == pytest.approx(math.log(2))


def test_no_candidate_without_a_difference_or_a_sentence_of_its_own() -> None:
    assert passage_candidates(SEED, [Counterpart(SEED, SEED)]) == []
    assert passage_candidates(SEED, [Counterpart(SEED, None)]) == []
    # A 2-1 bead: the reference faces two seed sentences joined; no region is placed.
    assert passage_candidates(SEED, [Counterpart(SEED + " Next.", REF)]) == []
    assert passage_candidates("", [Counterpart("", REF)]) == []


def test_words_the_reference_lacks_are_an_addition() -> None:
    seed = "The committee quickly approved the budget."
    flags = passage_flags(
        seed, [Counterpart(seed, "The committee approved the budget.")], ["r"], (), always(0.9), 0.5
    )
    [flag] = flags
    assert seed[flag.start : flag.end] == "quickly"
    assert flag.category is Category.addition and flag.severity is Severity.minor
    assert flag.check == CHECK and flag.probability == 0.9
    assert flag.message == (
        '"quickly" has no counterpart in the reference; check it against the source'
    )


def test_passage_flag_names_both_sides_and_the_references_that_agree() -> None:
    other = "The committee refused the budget for the new hospital in March."
    pairs = [Counterpart(SEED, REF), Counterpart(SEED, other)]
    [flag] = passage_flags(SEED, pairs, ["a", "b"], (), always(0.8), 0.5)
    assert flag.category is Category.mistranslation
    assert flag.references == ("a", "b") and flag.available == 2
    assert '"approved" where the reference has "re' in flag.message


def test_threshold_and_existing_flags_hold_passages_back() -> None:
    pairs = [Counterpart(SEED, REF)]
    assert passage_flags(SEED, pairs, ["r"], (), always(0.4), 0.5) == ()
    start = SEED.index("approved")
    checked = Flag("x", Category.negation, Severity.major, start, start + 8, "m")
    assert passage_flags(SEED, pairs, ["r"], (checked,), always(0.9), 0.5) == ()


WORDS = "the a budget hospital approved rejected new old March May of in"
words = st.sampled_from(WORDS.split(" "))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(words, min_size=1, max_size=12),
    st.lists(words, min_size=1, max_size=12),
    st.lists(words, min_size=1, max_size=12),
)
def test_candidates_are_word_spans_and_do_not_depend_on_reference_order(
    a: list[str], b: list[str], c: list[str]
) -> None:
    seed, r1, r2 = " ".join(a), " ".join(b), " ".join(c)
    one = passage_candidates(seed, [Counterpart(seed, r1), Counterpart(seed, r2)])
    two = passage_candidates(seed, [Counterpart(seed, r2), Counterpart(seed, r1)])
    assert [(p.start, p.end, dict(p.features)) for p in one] == [
        (p.start, p.end, dict(p.features)) for p in two
    ]
    for p in one:
        assert 0 <= p.start < p.end <= len(seed)
        assert seed[p.start] != " " and seed[p.end - 1] != " "
        assert (p.start == 0 or seed[p.start - 1] == " ") and (
            p.end == len(seed) or seed[p.end] == " "
        )
        assert all(math.isfinite(v) for v in p.features.values())


def test_shipped_english_model_has_a_passage_part_and_german_none() -> None:
    verifier = load_verifier()
    assert verifier.passage is not None
    assert verifier.passage.features == PASSAGE_FEATURES
    assert 0.0 < verifier.passage_show < 1.0
    assert verifier.training["C"]["passage"] > 0  # type: ignore[index]
    assert "+24f|" in verifier.signature
    assert verifier_for("de").passage is None
    assert "passage" in check_names()


def run(seed: str, ref: str, **options: Any) -> Report:
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(ref, path="ref.txt")],
        settings=RunSettings(segmented=True, **options),
    )


@pytest.fixture
def every_passage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped verifier with a passage threshold of 0: every candidate is shown."""
    shipped = verifier_for("en")
    monkeypatch.setattr(
        verify, "verifier_for", lambda language="en": dataclasses.replace(shipped, passage_show=0.0)
    )


TURNED = "The committee turned down the budget for the new hospital in March."


@pytest.mark.usefixtures("every_passage")
def test_pipeline_shows_passages_can_disable_them_and_suspicion_ignores_them() -> None:
    on = run(SEED, TURNED).sentences[0]
    off = run(SEED, TURNED, disabled_checks=("passage",)).sentences[0]
    passages = [f for f in on.flags if f.check == CHECK]
    assert [SEED[f.start : f.end] for f in passages] == ["approved"]
    assert 0.0 < (passages[0].probability or 0.0) < 1.0
    assert not [f for f in off.flags if f.check == CHECK]
    # The sentence model learned without passages: they do not move the suspicion.
    assert on.suspicion == off.suspicion


def test_default_threshold_keeps_an_ordinary_word_change_back() -> None:
    # The shipped threshold (out-of-fold precision 0.5 on the training talks) does not show a
    # common word swapped for another in a short sentence.
    assert not [f for f in run(SEED, TURNED).sentences[0].flags if f.check == CHECK]


@pytest.mark.usefixtures("every_passage")
def test_a_span_a_check_flagged_is_left_to_that_flag() -> None:
    # "approved"/"rejected" is the mistranslation check's flag: no passage on it.
    sentence = run(SEED, REF).sentences[0]
    assert [(f.category, f.check) for f in sentence.flags] == [(Category.mistranslation, "")]
