"""The verifier: flag probabilities, dismissed flags, the sentence model and its model file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import Category
from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.pipeline import compare_documents
from toolkit.result import Report, RunSettings
from toolkit.verify import sentence_suspicion
from toolkit.verify.features import (
    SENTENCE_FEATURES,
    Counterpart,
    counterpart_words,
    reference_features,
    sentence_features,
)
from toolkit.verify.model import MODEL_PATH, load_verifier


def run(seed: str, *refs: str, **options: Any) -> Report:
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(text, path=f"ref{k}.txt") for k, text in enumerate(refs)],
        settings=RunSettings(segmented=True, **options),
    )


def test_shipped_model_has_its_pedigree() -> None:
    verifier = load_verifier()
    assert verifier.sentence.features == SENTENCE_FEATURES
    assert "category=accuracy/pronoun" in verifier.flag.features
    assert 0.0 < verifier.show < 1.0
    assert verifier.training["script"] == "benchmarks/fit_verifier.py"
    assert "held out talk.5,talk.7" in str(verifier.training["split"])
    assert verifier.signature.startswith("verifier:logreg-")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "No such file"), ("{not json", "Expecting property name"), ('{"flag": {}}', "")],
)
def test_missing_or_corrupt_model_file_is_one_line(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "verifier.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_verifier(path)
    message = str(err.value)
    assert "\n" not in message and reason in message
    assert message.startswith(f"{path}: the verifier model cannot be read")
    assert "pip install --force-reinstall transdiff" in message


def test_model_file_is_valid_json_with_one_coefficient_per_feature() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    for part in ("flag", "sentence"):
        n = len(data[part]["features"])
        assert len(data[part]["coef"]) == len(data[part]["mean"]) == len(data[part]["scale"]) == n


def test_flags_carry_a_probability_and_suspicion_is_the_model() -> None:
    report = run("The bridge opened in 1998.\n", "The bridge opened in 1989.\n")
    (result,) = report.sentences
    (flag,) = result.flags
    assert flag.category is Category.number and flag.probability is not None
    assert 0.0 < flag.probability < 1.0
    assert result.evidence is not None
    assert result.suspicion == sentence_suspicion(result.evidence, result.flags)


def test_threshold_dismisses_flags_below_it(flags_count: None) -> None:
    seed, ref = "The bridge opened in 1998.\n", "The bridge opened in 1989.\n"
    shown = run(seed, ref).sentences[0]
    dismissed = run(seed, ref, flag_threshold=0.99).sentences[0]
    assert len(shown.flags) == 1 and shown.dismissed == ()
    assert dismissed.flags == () and [f.id for f in dismissed.dismissed] == [shown.flags[0].id]
    assert dismissed.suspicion < shown.suspicion, "a dismissed flag does not count"


def test_reference_free_flag_that_every_reference_repeats_is_dismissed() -> None:
    seed = "Workers at our Company went on strike last week.\n"
    same = "Staff at our Company went on strike last week.\n"
    lower = "Workers at our company went on strike last week.\n"
    kept = run(seed, lower).sentences[0]
    assert [f.category for f in kept.flags] == [Category.casing], "one reference writes it lower"
    gone = run(seed, same).sentences[0]
    assert Category.casing not in [f.category for f in gone.flags]
    assert Category.casing in [f.category for f in gone.dismissed]


def test_a_copy_of_the_reference_gets_no_flags_and_no_suspicion() -> None:
    text = (
        "The 80th anniversary of Victory was celebrated in Moscow.\n"
        "He is a strong—willed leader , the minister said.\n"
    )
    report = run(text, text, "Something else entirely was said here.\nAnd here too.\n")
    assert [s.flags for s in report.sentences] == [(), ()]
    assert [s.suspicion for s in report.sentences] == [0.0, 0.0]


def test_counterpart_is_the_facing_reference_words() -> None:
    seed = "He supplied planes, equipment and ammunition."
    ref = "It supplied aircraft, equipment and ammunition."
    assert counterpart_words(seed, 0, 2, ref) == "It"
    assert counterpart_words(seed, 12, 18, ref) == "aircraft"
    assert counterpart_words(seed, 20, 29, ref) == "", "equal text faces nothing"


words = st.lists(
    st.sampled_from(["the", "a", "river", "bank", "house", "green", "12", "ran", "quickly"]),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(words, words)
def test_features_are_finite_and_identity_is_closest(a: list[str], b: list[str]) -> None:
    seed, ref = " ".join(a), " ".join(b)
    row = sentence_features([Counterpart(seed, ref)], [("accuracy/number", 5.0, 1.0, 0.5)])
    assert set(SENTENCE_FEATURES) <= set(row)
    assert all(v == v and abs(v) < 1e6 for v in row.values())
    same = sentence_features([Counterpart(seed, seed)], [])
    assert same["divergence"] == 0.0 and same["similarity_best"] == 1.0
    assert same["similarity_best"] >= row["similarity_best"]


def test_corrupt_model_file_is_a_one_line_cli_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import toolkit.verify.model as model
    from toolkit.cli import app

    broken = tmp_path / "verifier.json"
    broken.write_text('{"flag": {"features": ["a"], "mean": [0], "scale": [0]', encoding="utf-8")
    monkeypatch.setattr(model, "MODEL_PATH", broken)
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("The bridge opened in 1998.\n", encoding="utf-8")
    ref.write_text("The bridge opened in 1989.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["flag", str(seed), str(ref)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("transdiff: error: ")
    assert "the verifier model cannot be read" in lines[0]
    assert "pip install --force-reinstall transdiff" in lines[0]


@pytest.mark.verifier_threshold  # workers run the shipped verifier, not the test's patch
def test_verification_in_worker_processes_gives_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import toolkit.detect as detect_module
    import toolkit.verify as verify
    from toolkit.align import Alignment, Bead
    from toolkit.detect import detect

    seed = [f"The bridge number {k} opened in {1900 + k} after {k % 7} years." for k in range(40)]
    ref = [
        f"Bridge number {k} opened in {1901 + k} after {k % 7} years of work." for k in range(40)
    ]
    refs = [("r", ref, Alignment(tuple(Bead((i,), (i,), 1.0) for i in range(40))))]
    flags = detect(seed, refs)
    one = verify.verify_document(seed, refs, flags)
    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    monkeypatch.setattr(detect_module, "BLOCK", 7)  # blocks inside each worker's chunk too
    two = verify.check_and_verify(seed, refs, jobs=2)
    assert len(one) == 40 and sum(len(shown) for shown, _, _ in one) >= 40
    assert [(a, b, dict(c or {})) for a, b, c in one] == [(a, b, dict(c or {})) for a, b, c in two]


@pytest.mark.parametrize(
    "word", ["the", "philodendron", "thrice", "zzzqxv", "don't", "Moscow", "café", "straße", "12"]
)
def test_fast_word_frequency_equals_wordfreq(word: str) -> None:
    from wordfreq import zipf_frequency

    from toolkit.verify.features import _zipf

    assert _zipf(word, "en") == zipf_frequency(word, "en")


def test_german_runs_use_their_own_verifier() -> None:
    from toolkit.verify.model import LANGUAGE_MODELS, MODEL_PATH, verifier_for

    german, english = verifier_for("de"), verifier_for("en")
    assert LANGUAGE_MODELS["de"] != MODEL_PATH and german is not english
    assert verifier_for("fr") is english, "languages without a model use the default"
    assert german.signature.endswith("|fit:mqm-ted-zhen+ende")
    assert english.signature.endswith("|fit:mqm-ted-zhen")
    assert german.training["script"] == "benchmarks/fit_verifier_de.py"
    assert german.flag.features == english.flag.features
    assert german.flag.coef != english.flag.coef
    seed = "Die Brücke wurde 1998 eröffnet, und sie ist seitdem offen.\n"
    ref = "Die Brücke wurde 1989 eröffnet, und sie ist seitdem offen.\n"
    report = run(seed, ref, language="de")
    assert "|fit:mqm-ted-zhen+ende|" in report.signature
    (flag,) = report.sentences[0].flags
    evidence = report.sentences[0].evidence
    assert evidence is not None
    assert (
        report.sentences[0].suspicion
        == sentence_suspicion(evidence, (flag,), verifier=german)
        != sentence_suspicion(evidence, (flag,), verifier=english)
    )


@settings(max_examples=60, deadline=None)
@given(words, words, words)
def test_sentence_features_do_not_depend_on_the_order_of_the_references(
    a: list[str], b: list[str], c: list[str]
) -> None:
    seed, ref1, ref2 = " ".join(a), " ".join(b), " ".join(c)
    joined = f"{seed} {ref2}"  # a reference whose bead joins the seed with the next sentence
    pairs = [Counterpart(joined, ref1), Counterpart(seed, ref2)]
    forward = reference_features(pairs)
    assert forward == reference_features(pairs[::-1])
    alone = reference_features([Counterpart(seed, None), Counterpart(joined, None)])
    assert alone == reference_features([Counterpart(joined, None), Counterpart(seed, None)])


@settings(max_examples=80, deadline=None)
@given(words, words, words, st.integers(min_value=0, max_value=30))
def test_flag_features_do_not_depend_on_the_order_of_the_references(
    a: list[str], b: list[str], c: list[str], pick: int
) -> None:
    from toolkit.checks import Severity
    from toolkit.flags import Flag
    from toolkit.verify import flag_row

    seed, ref1, ref2 = " ".join(a), " ".join(b), " ".join(c)
    k = pick % len(a)
    start = len(" ".join(a[:k])) + (1 if k else 0)
    flag = Flag("x", Category.mistranslation, Severity.minor, start, start + len(a[k]), "m")
    pairs = [Counterpart(seed, ref1), Counterpart(seed, ref2)]
    features = reference_features(pairs)
    assert flag_row(seed, flag, pairs, features) == flag_row(seed, flag, pairs[::-1], features)


def test_bundled_seed_flags_are_the_same_whatever_the_order_of_the_references(
    seed_path: Path, alternative_path: Path, postedit_path: Path
) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    def flags(*refs: Path) -> dict[str, list[tuple[str, str, float | None]]]:
        result = CliRunner().invoke(
            app, ["flag", str(seed_path), *map(str, refs), "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        return {
            s["id"]: sorted((f["id"], f["severity"], f["probability"]) for f in s["flags"])
            for s in json.loads(result.stdout)["sentences"]
        }

    forward = flags(postedit_path, alternative_path)
    assert forward and forward == flags(alternative_path, postedit_path)


@settings(max_examples=80, deadline=None)
@given(
    similarity=st.floats(0, 1),
    chars=st.floats(0, 8),
    divergence=st.sampled_from([0.0, 0.3, 1.0]),
    probabilities=st.lists(st.none() | st.floats(0, 1), max_size=3),
    counting=st.booleans(),
)
def test_suspicion_is_the_models_probability_of_the_row_and_flag_totals(
    similarity: float,
    chars: float,
    divergence: float,
    probabilities: list[float | None],
    counting: bool,
) -> None:
    """Whether the sentence model reads flag totals (the shortcut for one that reads none, as
    the shipped ones, must not change a digit) or not, the suspicion is the model's
    probability of the text features with the verified flags' totals, rounded to 4 places."""
    import dataclasses

    from toolkit.checks import Severity
    from toolkit.flags import Flag
    from toolkit.verify.features import flag_totals
    from toolkit.verify.model import Logistic, verifier_for
    from toolkit.verify.row import FeatureRow

    verifier = verifier_for("en")
    if counting:
        s = verifier.sentence
        verifier = dataclasses.replace(
            verifier,
            sentence=Logistic(
                features=(*s.features, "flag_p_sum"),
                mean=(*s.mean, 0.0),
                scale=(*s.scale, 0.1),
                coef=(*s.coef, 1.0),
                intercept=s.intercept,
            ),
        )
    row = FeatureRow(
        {
            "log_ref_chars": chars,
            "similarity_best": similarity,
            "similarity_mean": similarity / 2,
            "divergence": divergence,
        }
    )
    flags = tuple(
        Flag(f"f{k}", Category.omission, Severity.major, 0, 1, "m", ("r",), 1, p)
        for k, p in enumerate(probabilities)
    )
    totals = flag_totals(
        [
            (f.category.value, f.severity.weight, f.agreement, f.probability)
            for f in flags
            if f.probability is not None
        ]
    )
    expected = round(verifier.sentence.probability({**row.as_dict(), **totals}), 4)
    if not flags and divergence == 0.0:
        expected = 0.0  # a sentence a reference repeats, without a flag
    assert sentence_suspicion(row, flags, verifier=verifier) == expected
