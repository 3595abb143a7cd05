"""The same defaults everywhere (issue 16): with no arguments, flag, score and align read the
file in seeds/ and every .txt in references/, as report does; compare reads every .txt in
seeds/ as its systems and references/ as its references.

Before, ``transdiff flag`` with no arguments said "Missing argument 'seed'".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed_path: Path,
    postedit_path: Path,
    alternative_path: Path,
) -> Path:
    """A project folder laid out as the repository: seeds/ with one file, references/."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "references").mkdir()
    shutil.copy(seed_path, tmp_path / "seeds" / seed_path.name)
    shutil.copy(postedit_path, tmp_path / "references" / "postedit.txt")
    shutil.copy(alternative_path, tmp_path / "references" / "alternative.txt")
    (tmp_path / "references" / "README.md").write_text("not a reference\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", ["flag", "score", "align"])
def test_no_arguments_is_the_bundled_job(project: Path, command: str) -> None:
    bare = run(command)
    named = run(
        command,
        next((project / "seeds").iterdir()).relative_to(project),
        "references/alternative.txt",
        "references/postedit.txt",
    )
    assert bare.exit_code == 0, bare.output
    assert bare.stdout == named.stdout


def test_score_without_arguments_scores_both_references(project: Path) -> None:
    lines = run("score").stdout.splitlines()
    assert [line.split()[0] for line in lines[1:4]] == ["alternative", "postedit", "all"]
    assert lines[2].split()[1:] == ["97.05", "98.62", "98.51", "1.94"]


def test_score_seed_alone_uses_references_folder(project: Path) -> None:
    seed = next((project / "seeds").iterdir())
    assert run("score", seed).stdout == run("score").stdout


def test_flag_seed_alone_is_reference_free(project: Path) -> None:
    seed = next((project / "seeds").iterdir())
    result = run("flag", seed)
    assert result.exit_code == 0, result.output
    assert "references: none (reference-free checks only)" in result.stdout


def test_compare_defaults(project: Path) -> None:
    seed = next((project / "seeds").iterdir())
    other = project / "seeds" / "other.txt"
    other.write_text(seed.read_text(encoding="utf-8").replace("Russia", "Russia's"), "utf-8")
    args = ["--bootstrap", "50", "--ar-trials", "50"]
    bare = run("compare", *args)
    named = run(
        "compare",
        "seeds/" + seed.name,
        "seeds/other.txt",
        *args,
        "--ref",
        "references/alternative.txt",
        "--ref",
        "references/postedit.txt",
    )
    assert bare.exit_code == 0, bare.output
    assert bare.stdout == named.stdout
    # One ranking table per reference (each followed by its analysis).
    assert sum(line.startswith("reference ") for line in bare.stdout.splitlines()) == 2


def test_compare_one_seed_is_one_line(project: Path) -> None:
    result = run("compare")
    assert result.exit_code == 2
    assert result.stderr == (
        "transdiff: error: no SYSTEMS given and seeds/ holds 1 .txt file (compare needs two or "
        "more); name them: transdiff compare SYS1 SYS2 [--ref REF]\n"
    )


@pytest.mark.parametrize("command", ["flag", "score", "align"])
def test_no_project_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(command)
    assert result.exit_code == 2
    assert result.stderr == (
        "transdiff: error: no SEED given and seeds/ holds no .txt files (expected one); run "
        f"from the project folder or name the files: transdiff {command} SEED [REF...]\n"
    )


def test_no_references_is_one_line(project: Path) -> None:
    for ref in (project / "references").glob("*.txt"):
        ref.unlink()
    result = run("score")
    assert result.exit_code == 2
    assert result.stderr == (
        "transdiff: error: no reference given and references/ holds no .txt file; name one: "
        "transdiff score SEED REF...\n"
    )
