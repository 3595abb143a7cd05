"""The warning for a long stretch of unmatched sentences (issue 13), naming the lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

_NAMES = ["Barkel", "Mortun", "Visdro", "Lanpe", "Sorga", "Rinholt", "Kelvis", "Tunmor"]
SEED = [
    f"The village of {_NAMES[k % 8]} built {k + 3} stone bridges over the river in {1700 + 3 * k}."
    for k in range(60)
]
REF = [
    f"In {1700 + 3 * k} the people of {_NAMES[k % 8]} put {k + 3} stone bridges across the river."
    for k in range(60)
]
WARNING = (
    "ref: 10 seed sentences (17%, L21-L30) are left unmatched in one stretch: a passage that one "
    "text lacks, or texts in a different order; check these lines"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("\n".join(SEED) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REF[:20] + REF[30:]) + "\n", encoding="utf-8")
    return seed, ref


def report(files: tuple[Path, Path], *options: str) -> str:
    result = CliRunner().invoke(app, ["report", *map(str, files), "--segmented", *options])
    assert result.exit_code == 0, result.stderr
    assert f"transdiff: warning: {WARNING}" in result.stderr
    return result.stdout


def test_json_warnings_name_the_lines(files: tuple[Path, Path]) -> None:
    data = json.loads(report(files, "--format", "json", "--no-flags"))
    assert data["warnings"] == [WARNING]
    kinds = [b["kind"] for b in data["references"][0]["alignment"]]
    assert kinds == ["1-1"] * 20 + ["1-0"] * 10 + ["1-1"] * 30


def test_text_report_shows_the_warning(files: tuple[Path, Path]) -> None:
    out = " ".join(report(files, "--no-flags", "--no-color").split())  # undo the wrapping
    assert f"warning: {WARNING}" in out


def test_html_report_shows_the_warning(files: tuple[Path, Path]) -> None:
    page = report(files, "--format", "html", "--no-flags")
    assert WARNING in page


def test_no_warning_for_a_few_unmatched_lines(tmp_path: Path) -> None:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("\n".join(SEED) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REF[:20] + REF[21:]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", str(seed), str(ref), "--segmented", "--format", "json", "--no-flags"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == []
