"""Configuration: transdiff.toml / [tool.transdiff], validation, and its effect on a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.checks import Category, Severity
from toolkit.config import KEYS, Config, find_config, load_config, run_settings
from toolkit.errors import InputError, UsageError
from toolkit.pipeline import compare_files
from toolkit.result import RunSettings

FULL = """\
[tool.transdiff]
references = ["refs/a.txt", "refs/b.txt"]
disabled_checks = ["mistranslation", "casing"]
fail_on = "major"
glossary = "terms.csv"
waivers = "review/waivers.toml"

[tool.transdiff.severity]
"accuracy/number" = "critical"
negation = "minor"
"""


def test_pyproject_table_is_read_with_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(FULL, encoding="utf-8")
    config = load_config(folder=tmp_path)
    assert config == Config(
        references=(tmp_path / "refs/a.txt", tmp_path / "refs/b.txt"),
        disabled_checks=("mistranslation", "casing"),
        severity={Category.number: Severity.critical, Category.negation: Severity.minor},
        fail_on=Severity.major,
        glossary=tmp_path / "terms.csv",
        waivers=tmp_path / "review/waivers.toml",
        source=tmp_path / "pyproject.toml",
    )


def test_transdiff_toml_wins_and_may_use_top_level_keys(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(FULL, encoding="utf-8")
    (tmp_path / "transdiff.toml").write_text('fail_on = "critical"\n', encoding="utf-8")
    assert find_config(tmp_path) == tmp_path / "transdiff.toml"
    config = load_config(folder=tmp_path)
    assert (config.fail_on, config.references) == (Severity.critical, ())


def test_no_file_or_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    assert load_config(folder=tmp_path) == Config()
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", encoding="utf-8")
    assert find_config(tmp_path) is None
    assert load_config(folder=tmp_path) == Config()


def test_unknown_key_is_named_with_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "transdiff.toml"
    path.write_text('[tool.transdiff]\nrefrences = ["a.txt"]\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert str(info.value) == (
        f"{path}: unknown key 'refrences' in [tool.transdiff]; known keys: {', '.join(KEYS)}"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('disabled_checks = ["mistranslaton"]', "unknown check 'mistranslaton'; known checks:"),
        ('fail_on = "severe"', "fail_on: 'severe' is not a severity; use one of minor, major"),
        ('[severity]\nnumbers = "major"', "unknown category 'numbers'"),
        ('[severity]\nnumber = "huge"', "severity.number: 'huge' is not a severity"),
        ('references = "a.txt"', "'references' must be a list of strings"),
        ("glossary = 3", "'glossary' must be a string"),
        ("severity = 3", "'severity' must be a table"),
        ("fail_on = ", "not valid TOML"),
    ],
)
def test_bad_values_are_input_errors_naming_the_file(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "transdiff.toml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: ")


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="configuration file not found"):
        load_config(tmp_path / "nope.toml")


def test_config_validates_itself() -> None:
    with pytest.raises(UsageError, match="unknown check 'spelling'"):
        Config(disabled_checks=("spelling",))
    with pytest.raises(UsageError, match="unknown check 'spelling'"):
        RunSettings(disabled_checks=("spelling",))
    assert Config(fail_on="minor").fail_on is Severity.minor  # type: ignore[arg-type]


def test_command_line_overrides_only_what_was_given() -> None:
    config = Config(fail_on=Severity.critical, waivers=Path("w.toml"))
    merged = config.override(fail_on=Severity.minor, waivers=None, glossary=None)
    assert (merged.fail_on, merged.waivers) == (Severity.minor, Path("w.toml"))


def test_disabled_checks_and_severity_reach_the_run(tmp_path: Path) -> None:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("The ferry now leaves every 90 minutes since 1998.\n", encoding="utf-8")
    ref.write_text("The ferry now departs every 90 minutes since 1989.\n", encoding="utf-8")

    def flags(config: Config) -> list[tuple[str, str]]:
        settings = run_settings(config, RunSettings(score=None))
        report = compare_files(seed, [ref], settings=settings)
        return [(f.category.value, f.severity.value) for f in report.sentences[0].flags]

    assert flags(Config()) == [
        ("accuracy/number", "major"),
        ("accuracy/mistranslation", "minor"),
    ]
    config = Config(disabled_checks=("mistranslation",), severity={"number": "critical"})
    assert flags(config) == [("accuracy/number", "critical")]


def test_glossary_path_is_read_into_the_settings(tmp_path: Path) -> None:
    (tmp_path / "terms.csv").write_text("Fähre,ferry,boat\n", encoding="utf-8")
    settings = run_settings(Config(glossary=tmp_path / "terms.csv"), RunSettings())
    assert settings.glossary is not None
    assert [t.required for t in settings.glossary.terms] == ["ferry"]
    with pytest.raises(InputError, match="glossary file not found"):
        run_settings(Config(glossary=tmp_path / "none.csv"), RunSettings())
