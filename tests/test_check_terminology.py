"""Glossary checks: required translations and forbidden variants, whole words, any case."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from toolkit.checks import Category, Context, Severity
from toolkit.checks.terminology import (
    Glossary,
    GlossaryCheck,
    Term,
    forbidden_variants,
    parse_glossary,
    read_glossary,
    required_terms,
)
from toolkit.errors import InputError
from toolkit.pipeline import compare_files
from toolkit.result import RunSettings

GLOSSARY = Glossary(
    (
        Term("Hafenamt", "harbour authority", ("port office", "harbor office")),
        Term("Fähre", "ferry", ("boat",)),
    )
)
CHECK = GlossaryCheck(GLOSSARY)


def FORBIDDEN(sentences: list[str], index: int) -> list:
    return forbidden_variants(GLOSSARY.terms, sentences[index])


def REQUIRED(seed: str, ref: str) -> list:
    return required_terms(GLOSSARY.terms, seed, ref)


def test_parse_with_header_comments_and_variants() -> None:
    text = (
        "term,required,forbidden\n# a comment\n\n"
        "Hafenamt, harbour authority ,port office|harbor office\nFähre,ferry\n"
    )
    glossary = parse_glossary(text, source="g.csv")
    assert glossary.terms == (
        Term("Hafenamt", "harbour authority", ("port office", "harbor office")),
        Term("Fähre", "ferry", ()),
    )


def test_bad_row_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("term,required\nHafenamt,harbour authority\nFähre\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.csv: line 3: expected 'term,required"):
        read_glossary(path)


def test_too_many_columns_names_the_line() -> None:
    with pytest.raises(InputError, match=r"line 1: 4 columns"):
        parse_glossary("Fähre,ferry,boat,ship\n", source="g.csv")


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes("Fähre,ferry\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_glossary(path)
    with pytest.raises(InputError, match="glossary file not found"):
        read_glossary(tmp_path / "missing.csv")


def test_forbidden_variant_is_flagged_on_its_span_in_any_case() -> None:
    seed = ["The Port  Office opened at nine."]
    [finding] = FORBIDDEN(seed, 0)
    assert (finding.start, finding.end) == (4, 16)
    assert seed[0][finding.start : finding.end] == "Port  Office"
    assert finding.category is Category.terminology
    assert finding.severity is Severity.major
    assert "'harbour authority'" in finding.message


def test_forbidden_variant_inside_another_word_is_not_flagged() -> None:
    assert FORBIDDEN(["The boathouse was closed."], 0) == []


def test_required_term_missing_points_at_the_counterpart() -> None:
    seed = "The port office opened at nine."  # forbidden variant: flagged by the free check only
    assert REQUIRED(seed, "The harbour authority opened at nine.") == []
    seed = "The harbour office opened at nine."
    [finding] = REQUIRED(seed, "The harbour authority opened at nine.")
    assert seed[finding.start : finding.end] == "office"
    assert "'harbour authority'" in finding.message


def test_required_term_missing_without_counterpart_spans_the_sentence() -> None:
    seed = "  It opened at nine."
    [finding] = REQUIRED(seed, "It opened at nine by ferry.")  # an insertion: no counterpart
    assert seed[finding.start : finding.end] == "It opened at nine."


def test_required_term_replaced_by_a_pronoun_flags_the_pronoun() -> None:
    seed = "It leaves at nine."
    [finding] = REQUIRED(seed, "The ferry leaves at nine.")
    assert seed[finding.start : finding.end] == "It"


def test_no_flag_when_seed_has_the_term_or_reference_lacks_it() -> None:
    assert REQUIRED("The FERRY leaves at nine.", "The ferry departs at nine.") == []
    assert REQUIRED("The vessel leaves at nine.", "The ship departs at nine.") == []


def test_checks_pickle_for_worker_processes() -> None:
    check = pickle.loads(pickle.dumps(CHECK))
    assert check == CHECK and check.name == "terminology"
    checker = check.prepare(Context(["Take the boat."]))
    assert checker.sentence(0) == FORBIDDEN(["Take the boat."], 0)
    assert [f.message for f in checker.pair("The boat.", "The ferry.")] == []  # forbidden wins
    assert len(checker.pair("The ship.", "The ferry.")) == 1


def test_pipeline_runs_the_glossary_and_can_disable_it(tmp_path: Path) -> None:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("Take the boat to Marrow Island.\n", encoding="utf-8")
    ref.write_text("Take the ferry to Marrow Island.\n", encoding="utf-8")
    report = compare_files(seed, [ref], settings=RunSettings(score=None, glossary=GLOSSARY))
    terms = [f for f in report.sentences[0].flags if f.category is Category.terminology]
    assert [(f.start, f.end) for f in terms] == [(9, 13)]
    # One flag, on the variant: the pair check leaves a forbidden variant to the free check.
    assert terms[0].references == ()
    assert terms[0].message.startswith("glossary: 'boat' is a forbidden variant")
    ref.write_text("Take the ferry to Marrow Island.\n", encoding="utf-8")
    seed.write_text("Take the vessel to Marrow Island.\n", encoding="utf-8")
    report = compare_files(seed, [ref], settings=RunSettings(score=None, glossary=GLOSSARY))
    terms = [f for f in report.sentences[0].flags if f.category is Category.terminology]
    assert [(f.start, f.end, f.references) for f in terms] == [(9, 15, ("ref",))]
    off = RunSettings(score=None, glossary=GLOSSARY, disabled_checks=("terminology",))
    report = compare_files(seed, [ref], settings=off)
    assert not [f for f in report.sentences[0].flags if f.category is Category.terminology]


def test_glossary_checks_run_in_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.detect as detect_module
    from toolkit.align import align

    seed = ["Take the boat.", "The port office is open.", "Nothing here."]
    ref = ["Take the ferry.", "The harbour authority is open.", "Nothing here."]
    refs = [("ref", ref, align(seed, ref))]
    checks = {"checks": [CHECK]}
    one = detect_module.detect(seed, refs, **checks)
    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 1)
    two = detect_module.detect(seed, refs, jobs=2, **checks)
    assert two == one
    assert [[seed[i][f.start : f.end] for f in flags] for i, flags in enumerate(one)] == [
        ["boat"],
        ["port office"],
        [],
    ]
