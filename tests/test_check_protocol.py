"""The check protocol: categories as data, the registry, a user's own check through the
pipeline, the CLI and worker processes, and checks skipped for a language."""

from __future__ import annotations

import json
import pickle
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit.detect as detect_module
from toolkit.align import align
from toolkit.checks import (
    BUILTIN_CATEGORIES,
    Category,
    Check,
    Context,
    Finding,
    Kind,
    PairFunction,
    SentenceFunction,
    Severity,
    check_names,
    register,
    registered,
)
from toolkit.checks.plugins import load_check
from toolkit.cli import app
from toolkit.detect import detect
from toolkit.errors import UsageError
from toolkit.pipeline import compare_files, run_checks
from toolkit.report import render
from toolkit.result import RunSettings

SHOUTING = Category.register("fluency/style/shouting", badge="shout")


def shouting(sentences: Sequence[str], index: int) -> list[Finding]:
    return [
        Finding(SHOUTING, Severity.minor, m.start(), m.end(), "avoid '!!'")
        for m in re.finditer(r"!{2,}", sentences[index])
    ]


SHOUT = SentenceFunction("shouting", shouting, (SHOUTING,))
KLINGON_ONLY = SentenceFunction("shouting-tlh", shouting, (SHOUTING,), languages=frozenset({"tlh"}))


def _files(tmp_path: Path) -> tuple[Path, Path]:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("The port opened in 1990!! It was busy.\n\nShips came daily.\n")
    ref.write_text("The port opened in 1990. It was busy.\n\nShips came every day.\n")
    return seed, ref


# --- categories are data --------------------------------------------------------------------


def test_builtin_categories_keep_their_names_and_order() -> None:
    assert [c.value for c in BUILTIN_CATEGORIES] == [
        "accuracy/pronoun",
        "accuracy/number",
        "accuracy/negation",
        "accuracy/entity",
        "accuracy/omission",
        "accuracy/addition",
        "accuracy/mistranslation",
        "accuracy/untranslated",
        "fluency/typography",
        "fluency/casing",
        "fluency/consistency",
        "terminology",
    ]
    assert Category("accuracy/pronoun") is Category.pronoun
    assert Category.pronoun == "accuracy/pronoun" and Category.pronoun.name == "pronoun"
    assert (Category.pronoun.badge, Category.terminology.badge) == ("pron", "term")
    assert json.dumps({"c": Category.number}) == '{"c": "accuracy/number"}'
    assert f"{Category.casing}" == "fluency/casing"


def test_a_plugin_category_registers_once_and_pickles_to_itself() -> None:
    assert Category.register("fluency/style/shouting") is SHOUTING
    assert SHOUTING in list(Category) and SHOUTING not in BUILTIN_CATEGORIES
    assert pickle.loads(pickle.dumps(SHOUTING)) is SHOUTING
    assert SHOUTING.badge == "shout"
    assert Category.register("style/long-sentences").badge == "long-"


@pytest.mark.parametrize("bad", ["", "Accuracy/Pronoun", "accuracy//x", "a b", "/x", "x/"])
def test_a_malformed_category_name_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="lower-case words joined by '/'"):
        Category.register(bad)


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="not a registered category"):
        Category("accuracy/nothing-like-this")


# --- the registry -----------------------------------------------------------------------------


def test_registry_lists_the_builtin_checks_in_run_order() -> None:
    checks = registered()
    assert all(isinstance(c, Check) for c in checks)
    pair = [c.name for c in checks if Kind.pair in c.kinds]
    free = [c.name for c in checks if c.kinds & {Kind.free, Kind.document}]
    source = [c.name for c in checks if Kind.source in c.kinds]
    assert pair == [
        "number",
        "pronoun",
        "negation",
        "entity",
        "omission",
        "mistranslation",
        "english-leftover",
        "casing",  # by bead for a language that capitalises its nouns (German)
    ]
    assert free == [
        "pronoun-referent",
        "typography",
        "casing",
        "untranslated",
        "consistency",
        "formality",
    ]
    assert source == [
        "source-number",
        "source-markup",
        "source-untranslated",
        "source-punctuation",
        "source-length",
    ]
    assert check_names()[-2:] == ("terminology", "post-edit")
    assert check_names([SHOUT])[-3:] == ("shouting", "terminology", "post-edit")


def test_a_second_check_with_a_taken_name_is_refused() -> None:
    impostor = PairFunction("number", lambda s, r: [], (Category.number,))
    with pytest.raises(ValueError, match="already registered"):
        register(impostor)
    number = next(c for c in registered() if c.name == "number")
    assert register(number) is number  # registering the same check again is harmless


def test_sentence_function_cannot_be_a_pair_check() -> None:
    with pytest.raises(ValueError, match="free or document"):
        SentenceFunction("x", shouting, (SHOUTING,), kind=Kind.pair)


def test_extra_checks_must_follow_the_protocol() -> None:
    with pytest.raises(UsageError, match="is not a check"):
        RunSettings(extra_checks=(shouting,))  # type: ignore[arg-type]


# --- a user's check through the pipeline -----------------------------------------------------


def test_extra_check_runs_through_the_pipeline_and_every_format(tmp_path: Path) -> None:
    seed, ref = _files(tmp_path)
    report = compare_files(seed, [ref], settings=RunSettings(extra_checks=(SHOUT,)))
    shouted = [f for s in report.sentences for f in s.flags if f.category is SHOUTING]
    [flag] = shouted
    text = report.seed_segments[0].text
    assert text[flag.start : flag.end] == "!!" and flag.severity is Severity.minor
    data = json.loads(render(report, "json"))
    flags = [f for s in data["sentences"] for f in s["flags"]]
    assert {"category": "fluency/style/shouting", "text": "!!"}.items() <= next(
        f for f in flags if f["category"] == "fluency/style/shouting"
    ).items()
    assert data["checks_not_run"] == []
    assert "fluency/style/shouting" in render(report, "md")
    page = render(report, "html")
    assert "shout" in page and "fluency/style/shouting" in page
    # Without the extra check the same run has no such flag; disabling it by name works too.
    plain = compare_files(seed, [ref], settings=RunSettings())
    off = RunSettings(extra_checks=(SHOUT,), disabled_checks=("shouting",))
    for other in (plain, compare_files(seed, [ref], settings=off)):
        assert not [f for s in other.sentences for f in s.flags if f.category is SHOUTING]


def test_a_check_without_rules_for_the_language_is_skipped_and_listed(tmp_path: Path) -> None:
    seed, ref = _files(tmp_path)
    settings = RunSettings(extra_checks=(KLINGON_ONLY,))
    run, not_run = run_checks(settings, "en")
    assert KLINGON_ONLY not in run and not_run == ["shouting-tlh"]
    assert run_checks(settings, "tlh")[0][-1] is KLINGON_ONLY
    english_only = [c.name for c in registered() if not c.supports("tlh")]
    assert english_only == [
        "pronoun",
        "negation",
        "entity",
        "mistranslation",
        "pronoun-referent",
        "casing",
    ]
    report = compare_files(seed, [ref], settings=settings)
    assert report.checks_not_run == ("shouting-tlh",)
    assert not [f for s in report.sentences for f in s.flags if f.category is SHOUTING]
    assert any("checks not run for en" in w and "shouting-tlh" in w for w in report.warnings)
    assert json.loads(render(report, "json"))["checks_not_run"] == ["shouting-tlh"]
    assert "shouting-tlh" in render(report, "text")


def test_extra_check_runs_in_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    seed = ["Stop!! Now.", "Fine.", "Go!!! there."] * 3
    refs = [("r", seed, align(seed, seed))]
    one = detect(seed, refs, checks=[SHOUT])
    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 1)
    two = detect(seed, refs, checks=[SHOUT], jobs=2)
    assert two == one
    assert [[seed[i][f.start : f.end] for f in flags] for i, flags in enumerate(one)][:3] == [
        ["!!"],
        [],
        ["!!!"],
    ]


def test_prepare_gives_the_document_to_the_checker() -> None:
    checker = SHOUT.prepare(Context(["a!!", "b"], "en"))
    assert [f.start for f in checker.sentence(0)] == [1] and checker.sentence(1) == []
    assert checker.pair("a!!", "a") == []  # a sentence check has nothing to say per bead


# --- a check from a module outside the package, named in the configuration -------------------

PLUGIN = """
import re
from toolkit.checks import Category, Finding, SentenceFunction, Severity

SHOUTING = Category.register("fluency/style/shouting", badge="shout")


def shouting(sentences, index):
    return [Finding(SHOUTING, Severity.minor, m.start(), m.end(), "avoid '!!'")
            for m in re.finditer(r"!{2,}", sentences[index])]


CHECK = SentenceFunction("{name}", shouting, (SHOUTING,))
NOT_A_CHECK = 42
"""


def _plugin(tmp_path: Path, module: str) -> Path:
    (tmp_path / f"{module}.py").write_text(PLUGIN.replace("{name}", module))
    return tmp_path


def test_config_checks_key_runs_a_plugin_through_report(tmp_path: Path) -> None:
    seed, ref = _files(tmp_path)
    _plugin(tmp_path, "shout_plugin_report")
    config = tmp_path / "transdiff.toml"
    config.write_text('checks = ["shout_plugin_report:CHECK"]\n')
    result = CliRunner().invoke(
        app, ["report", str(seed), str(ref), "--config", str(config), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    flags = [f for s in data["sentences"] for f in s["flags"]]
    assert [f["text"] for f in flags if f["category"] == "fluency/style/shouting"] == ["!!"]


def test_config_can_disable_a_plugin_check(tmp_path: Path) -> None:
    seed, ref = _files(tmp_path)
    _plugin(tmp_path, "shout_plugin_off")
    config = tmp_path / "transdiff.toml"
    config.write_text(
        'checks = ["shout_plugin_off:CHECK"]\ndisabled_checks = ["shout_plugin_off"]\n'
    )
    result = CliRunner().invoke(
        app, ["report", str(seed), str(ref), "--config", str(config), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "fluency/style/shouting" not in result.stdout


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no_colon_here", "is not 'module:name'"),
        ("module_that_does_not_exist_42:CHECK", "cannot import 'module_that_does_not_exist_42'"),
        ("shout_plugin_errors:MISSING", "has no 'MISSING'"),
        ("shout_plugin_errors:NOT_A_CHECK", "is not a check"),
    ],
)
def test_a_bad_plugin_spec_is_one_line_exit_2(tmp_path: Path, spec: str, message: str) -> None:
    seed, ref = _files(tmp_path)
    _plugin(tmp_path, "shout_plugin_errors")
    config = tmp_path / "transdiff.toml"
    config.write_text(f'checks = ["{spec}"]\n')
    result = CliRunner().invoke(app, ["report", str(seed), str(ref), "--config", str(config)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_plugin_that_fails_on_import_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "broken_plugin_42.py").write_text("raise RuntimeError('boom')\n")
    with pytest.raises(UsageError, match="importing 'broken_plugin_42' failed: RuntimeError: boom"):
        load_check("broken_plugin_42:CHECK", folder=tmp_path)
    assert str(tmp_path) in sys.path  # worker processes must find the plugin's module
