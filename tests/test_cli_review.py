"""A reviewer's session on the command line: flag, waive, re-run, edit, gate CI, configure."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app

SEED = (
    "The harbour of Port Elsworth was rebuilt in 1998.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She did not sign the contract.\n\n"
    "The ferry to Marrow Island now leaves every 90 minutes.\n"
)
REF = (
    "The harbour of Port Elsworth was rebuilt in 1989.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She signed the contract.\n\n"
    "The ferry to Marrow Island now departs every 90 minutes.\n"
)
COMMENT = "the 1998 date is right; the reference is wrong"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def flags_json(*extra: str) -> dict[str, Any]:
    result = invoke("flag", "seed.txt", "ref.txt", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def flag_ids(data: dict[str, Any], category: str) -> list[str]:
    return [f["id"] for s in data["sentences"] for f in s["flags"] if f["category"] == category]


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("transdiff: error: ")
    return result.stderr.removeprefix("transdiff: error: ").strip()


def test_reviewer_session(project: Path) -> None:
    # 1. The queue lists the wrong year, with an id to waive it by.
    [number] = flag_ids(flags_json(), "accuracy/number")
    text = invoke("flag", "seed.txt", "ref.txt")
    assert f"id {number}" in text.stdout

    # 2. Waive it by an 8-character prefix.
    waived = invoke(
        "waive", number[:8], "seed.txt", "ref.txt", "--reason", "wont-fix", "--comment", COMMENT
    )
    assert waived.exit_code == 0, waived.stderr
    assert waived.stdout == (
        f"waived {number} (wont-fix: major accuracy/number [1998] in p1.s1) "
        "in transdiff.waivers.toml\n"
    )
    stored = (project / "transdiff.waivers.toml").read_text(encoding="utf-8")
    assert f'id = "{number}"' in stored and 'span = "1998"' in stored

    # 3. A re-run shows it waived and counted, not as a flag.
    data = flags_json()
    assert flag_ids(data, "accuracy/number") == []
    assert data["waived_total"] == 1
    assert "1 flag waived" in invoke("flag", "seed.txt", "ref.txt").stdout
    report = json.loads(invoke("report", "seed.txt", "ref.txt", "-f", "json").stdout)
    assert report["waived_total"] == 1
    [entry] = report["sentences"][0]["waived"]
    assert (entry["id"], entry["text"]) == (number, "1998")
    assert entry["waiver"] == {"reason": "wont-fix", "comment": COMMENT}
    assert [f["category"] for f in report["sentences"][0]["flags"]] == []
    rows = list(
        csv.DictReader(io.StringIO(invoke("report", "seed.txt", "ref.txt", "-f", "csv").stdout))
    )
    assert [(r["flag_id"], r["waived"]) for r in rows if r["waived"]] == [
        (number, f"wont-fix: {COMMENT}")
    ]
    assert "1 flag waived" in invoke("report", "seed.txt", "ref.txt", "-f", "md").stdout
    assert "1 flag waived" in invoke("report", "seed.txt", "ref.txt", "--no-color").stdout
    listed = invoke("waivers", "seed.txt", "ref.txt")
    assert listed.stdout.startswith(f"{number}  wont-fix ")
    assert invoke("waivers", "--stale", "seed.txt", "ref.txt").stdout == ""

    # 4. The CI gate: the negation flag (major) is still there.
    gate = invoke("flag", "seed.txt", "ref.txt", "--fail-on", "major")
    assert gate.exit_code == 1
    assert gate.stderr.splitlines()[-1] == (
        "transdiff: 1 unwaived flag at or above major (1 major): failing"
    )
    gate = invoke("report", "seed.txt", "ref.txt", "--fail-on", "critical", "-f", "json")
    assert gate.exit_code == 0
    assert gate.stderr == "transdiff: no unwaived flags at or above critical: passing\n"

    # 5. Editing the sentence makes the waiver stale and brings the flag back.
    (project / "seed.txt").write_text(
        SEED.replace("was rebuilt in", "was fully rebuilt in"), encoding="utf-8"
    )
    data = flags_json()
    [again] = flag_ids(data, "accuracy/number")
    assert again != number and data["waived_total"] == 0
    stale = invoke("waivers", "--stale", "seed.txt", "ref.txt")
    assert stale.exit_code == 0
    assert stale.stdout.startswith(f"{number}  wont-fix ")
    assert stale.stderr == "transdiff: 1 stale waiver in transdiff.waivers.toml\n"
    gate = invoke("flag", "seed.txt", "ref.txt", "--fail-on", "minor")
    assert gate.exit_code == 1
    # the reference is a post-edit of the seed: its lack of "fully" is a minor flag too
    assert "4 unwaived flags at or above minor (2 minor, 2 major)" in gate.stderr

    # 6. A broken waivers file stops the run with one line.
    (project / "transdiff.waivers.toml").write_text('[[waiver]]\nid = "abc\n', encoding="utf-8")
    message = one_line_error(invoke("flag", "seed.txt", "ref.txt", "--fail-on", "major"))
    assert message.startswith("transdiff.waivers.toml: not valid TOML: ")


def test_waive_unknown_or_short_id_is_exit_2(project: Path) -> None:
    result = invoke("waive", "999999", "seed.txt", "ref.txt")
    assert one_line_error(result) == "no flag with id 999999 in this run"
    assert one_line_error(invoke("waive", "12ab", "seed.txt", "ref.txt")).startswith(
        "flag id '12ab' is too short"
    )
    assert not (project / "transdiff.waivers.toml").exists()


def test_waivers_option_and_config_file(project: Path) -> None:
    [number] = flag_ids(flags_json(), "accuracy/number")
    (project / "review").mkdir()
    (project / "transdiff.toml").write_text(
        '[tool.transdiff]\nreferences = ["ref.txt"]\nwaivers = "review/w.toml"\n'
        'fail_on = "critical"\ndisabled_checks = ["mistranslation", "post-edit"]\n'
        '[tool.transdiff.severity]\nnegation = "critical"\n',
        encoding="utf-8",
    )
    assert invoke("waive", number, "seed.txt").exit_code == 0  # the reference from the config
    assert (project / "review" / "w.toml").is_file()
    assert not (project / "transdiff.waivers.toml").exists()
    gate = invoke("flag", "seed.txt", "--format", "json")
    data = json.loads(gate.stdout)
    assert [f["category"] for s in data["sentences"] for f in s["flags"]] == ["accuracy/negation"]
    assert gate.exit_code == 1  # fail_on critical from the config; negation made critical
    assert "1 unwaived flag at or above critical (1 critical)" in gate.stderr
    assert (
        invoke(
            "flag", "seed.txt", "--fail-on", "critical", "--category", "accuracy/number"
        ).exit_code
        == 0
    )  # the gate reads what the queue shows
    other = project / "other.toml"
    assert invoke("waivers", "seed.txt", "--waivers", other).stdout == ""


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
@pytest.mark.parametrize("case", ["seed", "reference", "link to the reference", "config"])
def test_regression_waivers_file_that_is_an_input_is_refused(project: Path, case: str) -> None:
    # Issue 10: the waivers file must never be an input (it is rewritten).
    (project / "transdiff.toml").write_text("[tool.transdiff]\n", encoding="utf-8")
    if case == "link to the reference":
        (project / "w.toml").symlink_to("ref.txt")
    waivers, victim = {
        "seed": ("seed.txt", "seed.txt"),
        "reference": ("ref.txt", "ref.txt"),
        "link to the reference": ("w.toml", "ref.txt"),
        "config": ("transdiff.toml", "transdiff.toml"),
    }[case]
    before = {p.name: p.read_bytes() for p in project.iterdir()}
    result = invoke("waive", "fee3de753579", "seed.txt", "ref.txt", "--waivers", waivers)
    assert one_line_error(result) == (
        f"{waivers}: the waivers file would overwrite the input {victim}; write it elsewhere"
    )
    assert {p.name: p.read_bytes() for p in project.iterdir()} == before


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_regression_symlinked_waivers_file_is_written_through(project: Path) -> None:
    # Issue 10: the link was replaced by a regular file; the shared file never got the waiver.
    [number] = flag_ids(flags_json(), "accuracy/number")
    (project / "team").mkdir()
    (project / "transdiff.waivers.toml").symlink_to("team/waivers.toml")
    result = invoke("waive", number, "seed.txt", "ref.txt")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"waived {number} ")
    assert (project / "transdiff.waivers.toml").is_symlink()
    shared = (project / "team" / "waivers.toml").read_text(encoding="utf-8")
    assert f'id = "{number}"' in shared
    assert sorted(p.name for p in (project / "team").iterdir()) == [
        ".waivers.toml.lock",
        "waivers.toml",
    ]


def test_bad_config_and_glossary_are_one_line_errors(project: Path) -> None:
    (project / "transdiff.toml").write_text('refrences = ["ref.txt"]\n', encoding="utf-8")
    message = one_line_error(invoke("flag", "seed.txt", "ref.txt"))
    assert message.startswith("transdiff.toml: unknown key 'refrences' in the top level; known")
    (project / "transdiff.toml").unlink()
    (project / "g.csv").write_text("ferry\n", encoding="utf-8")
    message = one_line_error(invoke("flag", "seed.txt", "ref.txt", "--glossary", "g.csv"))
    assert message.startswith("g.csv: line 1: expected 'term,required translation")


def test_glossary_flags_on_the_command_line(project: Path) -> None:
    (project / "g.csv").write_text("term,required,forbidden\nHafen,harbour,port|harbor\n")
    (project / "seed.txt").write_text("The port of Elsworth is old.\n", encoding="utf-8")
    data = flags_json("--glossary", "g.csv")
    found = [
        (f["text"], f["severity"])
        for s in data["sentences"]
        for f in s["flags"]
        if f["category"] == "terminology"
    ]
    assert found == [("port", "major")]


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_fail_on_exit_codes_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    failing = run_module("flag", "seed.txt", "ref.txt", "--fail-on", "major", cwd=tmp_path)
    assert failing.returncode == 1
    assert failing.stderr.splitlines()[-1] == (
        "transdiff: 2 unwaived flags at or above major (2 major): failing"
    )
    passing = run_module(
        "report", "seed.txt", "ref.txt", "--fail-on", "critical", "--no-scores", cwd=tmp_path
    )
    assert passing.returncode == 0, passing.stderr
    assert "flags: 3 on 3 of 4 sentences" in passing.stdout
    bad = run_module("flag", "seed.txt", "ref.txt", "--fail-on", "severe", cwd=tmp_path)
    assert bad.returncode == 2
    (tmp_path / "transdiff.waivers.toml").write_text("[[waiver]]\nid = 1\n", encoding="utf-8")
    broken = run_module("report", "seed.txt", "ref.txt", "--fail-on", "major", cwd=tmp_path)
    assert broken.returncode == 2 and broken.stdout == ""
    assert broken.stderr == (
        "transdiff: error: transdiff.waivers.toml: waiver 1: 'id' must be a string, got 1\n"
    )


def test_review_commands_have_help() -> None:
    for command in ("waive", "waivers"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout
    for command in ("report", "flag"):
        assert "--fail-on" in invoke(command, "--help").stdout
