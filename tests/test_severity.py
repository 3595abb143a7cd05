"""Severity follows the evidence: a rule's major is shown as minor in the categories whose
major flags were mostly harmless on expert-annotated data, unless a post-edit confirms it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import POSTEDIT, SEED
from toolkit.checks import Category, Severity
from toolkit.document import Document, read_document
from toolkit.flags import Flag
from toolkit.pipeline import compare_documents
from toolkit.result import Report, RunSettings
from toolkit.verify.model import MODEL_PATH, load_verifier, verifier_for

pytestmark = pytest.mark.verifier_threshold


def run(seed: str, *refs: str, **options: object) -> Report:
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(text, path=f"ref{k}.txt") for k, text in enumerate(refs)],
        settings=RunSettings(segmented=True, **options),  # type: ignore[arg-type]
    )


def every_flag(report: Report) -> list[Flag]:
    return [f for s in report.sentences for f in (*s.flags, *s.dismissed)]


def test_shipped_models_list_the_categories_they_show_as_minor() -> None:
    for language in ("en", "de"):
        verifier = verifier_for(language)
        # Measured on the training talks (benchmarks/fit_verifier.py): no reference-based
        # category reached 70% precision with its major flags.
        assert {"accuracy/pronoun", "accuracy/entity", "accuracy/negation"} <= verifier.minor
        assert "terminology" not in verifier.minor
        assert verifier.severity(Category.pronoun, Severity.major) is Severity.minor
        assert verifier.severity(Category.pronoun, Severity.minor) is Severity.minor
        # Critical stays critical; a glossary's terminology was never measured: kept.
        assert verifier.severity(Category.untranslated, Severity.critical) is Severity.critical
        assert verifier.severity(Category.terminology, Severity.major) is Severity.major


def test_a_model_file_without_the_list_keeps_every_rule_severity(tmp_path: Path) -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    del data["minor_categories"]
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    older = load_verifier(path)
    assert older.minor == frozenset()
    assert older.severity(Category.pronoun, Severity.major) is Severity.major


def test_an_independent_reference_does_not_make_a_pronoun_flag_major() -> None:
    report = run("He supplied planes and sent pilots.", "It supplied planes and sent pilots.")
    [flag] = [f for f in every_flag(report) if f.category is Category.pronoun]
    assert flag.severity is Severity.minor
    assert flag.probability is not None


def test_a_post_edit_keeps_the_rule_severity_of_what_it_corrects() -> None:
    report = compare_documents(
        read_document(SEED), [read_document(POSTEDIT)], settings=RunSettings()
    )
    [he] = [
        f
        for s in report.sentences
        for f in s.flags
        if f.category is Category.pronoun and f.message.startswith('pronoun "He"')
    ]
    assert he.severity is Severity.major
    # The post-edit leaves the machine-translation attribution out: its addition flag too.
    [left_out] = [
        f
        for s in report.sentences
        for f in s.flags
        if f.category is Category.addition and "no counterpart" in f.message
    ]
    assert left_out.severity is Severity.major
    # The same sentence against a paraphrase alone: the rule's major becomes minor.
    alone = run(
        "He supplied planes, equipment and ammunition, and sent pilots.",
        "It supplied aircraft, equipment and ammunition, and sent pilots.",
    )
    assert {f.severity for f in every_flag(alone) if f.category is Category.pronoun} == {
        Severity.minor
    }
