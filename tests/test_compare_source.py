"""compare --source: every system checked against the original, reference errors told apart."""
# ruff: noqa: RUF001  (a Russian original: its letters are meant)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app

SOURCE = """Встреча пройдёт в июле в Вильнюсе.

В ней примут участие тридцать делегатов из 12 стран, а бюджет составит 3,5 млн рублей.

Министр не одобрил план.
"""
# A translates faithfully; B drops the negation, like the reference, and misreads the budget.
A = """The meeting will take place in July in Vilnius.

Thirty delegates from 12 countries will attend, and the budget will be 3.5 million rubles.

The minister did not approve the plan.
"""
B = """The meeting will be held in July in Vilnius.

Thirty delegates from 12 countries will take part, and the budget is 35 million rubles.

The minister approved the plan.
"""
# The reference has three errors of its own: June, thirteen, and the lost negation.
REF = """The meeting will take place in June in Vilnius.

Thirteen delegates from 12 countries will attend, and the budget will be 3.5 million rubles.

The minister approved the plan.
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("src", SOURCE), ("a", A), ("b", B), ("ref", REF)):
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_text(text, encoding="utf-8")
    return out


def _compare(files: dict[str, Path], *args: object) -> Result:
    return CliRunner().invoke(
        app,
        [
            "compare",
            str(files["a"]),
            str(files["b"]),
            "--ref",
            str(files["ref"]),
            "--bootstrap",
            "50",
            "--ar-trials",
            "50",
            *map(str, args),
        ],
    )


def test_the_source_settles_the_references_errors_per_system(files: dict[str, Path]) -> None:
    result = _compare(files, "--source", files["src"], "-f", "json")
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.stdout)["references"][0]["analysis"]
    source = analysis["source"]
    assert source["language"] == "ru"
    assert source["systems"]["a"]["paired_share"] == 1.0
    issues = source["systems"]["a"]["reference_issues"]
    assert [(i["sentence"], i["text"]) for i in issues] == [
        ("p1.s1", "July"),
        ("p2.s1", "Thirty"),
        ("p3.s1", "not"),
    ]
    assert issues[2]["evidence"] == 'the source negates too ("не"), as the seed does'
    # B agrees with the reference on the negation: no flag there for the source to settle.
    assert [i["text"] for i in source["systems"]["b"]["reference_issues"]] == ["July", "Thirty"]
    assert "|source:ru|" in analysis["signature"]


def test_the_text_and_html_show_the_source(files: dict[str, Path]) -> None:
    text = _compare(files, "--source", files["src"], "--width", "100")
    assert text.exit_code == 0, text.output
    words = " ".join(text.stdout.split())  # lines are wrapped at the width
    assert f"source: {files['src']} (ru); paired: A 100%, B 100%" in words
    assert "probable reference issues (the source agrees with the system; not counted as " in words
    assert 'A p1.s1 [July] "July" differs from the reference, which has "June"' in words
    page = _compare(files, "--source", files["src"], "-f", "html")
    assert page.exit_code == 0, page.output
    assert "<h3>Source</h3>" in page.stdout
    assert "the source has &#34;июле&#34; (month 7)" in page.stdout


def test_without_a_source_nothing_is_said_about_one(files: dict[str, Path]) -> None:
    result = _compare(files, "-f", "json")
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.stdout)["references"][0]["analysis"]
    assert "source" not in analysis
    assert "|source:" not in analysis["signature"]
    assert "probable reference issues" not in _compare(files).stdout


def test_a_system_given_as_the_source_is_one_line_exit_2(files: dict[str, Path]) -> None:
    result = _compare(files, "--source", files["b"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"transdiff: error: {files['b']}: this system is also given as the source"
    ]


def test_a_source_in_the_systems_language_warns(files: dict[str, Path]) -> None:
    result = _compare(files, "--source", files["ref"])
    assert result.exit_code == 0, result.output
    assert "the source looks like en, the seed's language: is it a reference?" in result.stderr
