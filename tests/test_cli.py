"""The ``transdiff`` command: outputs, files written, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from toolkit import __version__
from toolkit.cli import app

ERROR_PREFIX = "transdiff: error:"
SEED_REL = "seeds/000_ad300a173e81270b.txt"
HARBOUR = (
    "The harbour of Port Elsworth was rebuilt in 1998.\n"
    "\n"
    "Mayor Helena Varga asked for 4 million euros. Engineers from Rotterdam designed it.\n"
    "\n"
    "\n"
    "The ferry to Marrow Island now leaves every 90 minutes.\n"
)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def as_json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_one_line_error(exit_code: int, stdout: str, stderr: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr; return the message."""
    assert "Traceback" not in stdout + stderr
    assert exit_code == 2, stderr
    assert stdout == ""
    assert stderr.startswith(ERROR_PREFIX), stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, f"not one line: {stderr!r}"
    return stderr[len(ERROR_PREFIX) :].strip()


def run_module(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def harbour(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    return path


# --- report ------------------------------------------------------------------------------------


def test_report_without_arguments_runs_the_bundled_job(
    repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo_root)
    data = as_json(invoke("report", "--format", "json"))
    assert data["schema"] == "transdiff/report-v1"
    assert data["seed"]["path"] == SEED_REL
    assert [r["name"] for r in data["references"]] == ["alternative", "postedit"]
    assert [r["path"] for r in data["references"]] == [
        "references/alternative.txt",
        "references/postedit.txt",
    ]


def test_report_without_arguments_elsewhere_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("report")
    message = check_one_line_error(result.exit_code, result.stdout, result.stderr)
    assert "seeds/" in message


def test_report_out_writes_the_file_atomically(
    seed_path: Path, postedit_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    result = invoke("report", seed_path, postedit_path, "--format", "json", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in data["references"]] == ["postedit"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"], "a temp file was left"


def test_report_out_replaces_an_existing_file(harbour: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("old", encoding="utf-8")
    assert invoke("report", harbour, "--format", "json", "--out", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["references"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["harbour.txt", "report.json"]


def test_report_out_into_a_missing_folder(harbour: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "report.json"
    result = invoke("report", harbour, "--format", "json", "--out", out)
    message = check_one_line_error(result.exit_code, result.stdout, result.stderr)
    assert "does not exist" in message and str(out.parent) in message
    assert not out.parent.exists()


def test_report_seed_only(harbour: Path) -> None:
    data = as_json(invoke("report", harbour, "--format", "json"))
    assert data["references"] == []
    assert [s["id"] for s in data["seed"]["segments"]] == ["p1.s1", "p2.s1", "p2.s2", "p3.s1"]
    assert len(data["sentences"]) == 4


def test_report_text_format(seed_path: Path, postedit_path: Path) -> None:
    result = invoke("report", seed_path, postedit_path)
    assert result.exit_code == 0, result.stderr
    assert f"seed: {seed_path}" in result.stdout
    assert "reference postedit:" in result.stdout
    assert "1-0 1" in result.stdout


# --- align -------------------------------------------------------------------------------------


def test_align_table_shows_splits_and_merges(seed_path: Path, alternative_path: Path) -> None:
    result = invoke("align", seed_path, alternative_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("alternative: ")
    kinds = [line.split()[0] for line in lines[2:]]
    assert "1-2" in kinds and "2-1" in kinds
    assert kinds.count("0-1") == 1
    assert any(line.startswith("2-1") and "p4.s1,p4.s2" in line for line in lines)


def test_align_needs_a_reference(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no references/ folder to fall back on
    result = invoke("align", harbour)
    assert result.exit_code == 2
    assert result.stderr.startswith("transdiff: error: no reference given")
    assert "Traceback" not in result.output


# --- --segmented -------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_segmented_ids_are_line_numbers(tmp_path: Path, newline: str) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(HARBOUR.replace("\n", newline).encode())
    ref = tmp_path / "ref.txt"
    ref.write_bytes(b"  \nPort Elsworth rebuilt the harbour in 1998.\n")
    data = as_json(invoke("report", seed, ref, "--segmented", "--format", "json"))
    segments = data["seed"]["segments"]
    assert [s["id"] for s in segments] == ["L1", "L3", "L6"]
    assert segments[1]["text"] == HARBOUR.splitlines()[2], "a line is one segment, not split"
    assert [s["id"] for s in data["references"][0]["segments"]] == ["L2"]
    first = data["references"][0]["alignment"][0]
    assert (first["seed"], first["ref"], first["kind"]) == (["L1"], ["L2"], "1-1")


# --- bad input ---------------------------------------------------------------------------------


Args = tuple[list[Path], list[str]]  # file arguments, options


def _missing(tmp_path: Path) -> Args:
    return [tmp_path / "nope.txt"], []


def _directory(tmp_path: Path) -> Args:
    return [tmp_path], []


def _empty(tmp_path: Path) -> Args:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return [path], []


def _blank(tmp_path: Path) -> Args:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n")
    return [path], []


def _binary(tmp_path: Path) -> Args:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    return [path], []


def _undecodable(tmp_path: Path) -> Args:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 cr\u00e8me, na\u00efve fa\u00e7ade.\n".encode("latin-1"))
    return [path], ["--encoding", "utf-8"]


def _unknown_encoding(tmp_path: Path) -> Args:
    path = tmp_path / "ok.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    return [path], ["--encoding", "no-such-codec"]


def _seed_twice(tmp_path: Path) -> Args:
    path = tmp_path / "ok.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    return [path, path], []


def _bad_reference(tmp_path: Path) -> Args:
    path = tmp_path / "ok.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    return [path, tmp_path / "missing-ref.txt"], []


BAD_INPUTS = {
    "missing": (_missing, "no such file"),
    "directory": (_directory, "directory"),
    "empty": (_empty, "empty"),
    "blank": (_blank, "no text"),
    "binary": (_binary, "binary"),
    "undecodable": (_undecodable, "not valid utf-8"),
    "unknown-encoding": (_unknown_encoding, "unknown encoding"),
    "seed-twice": (_seed_twice, "also given as a reference"),
    "bad-reference": (_bad_reference, "missing-ref.txt: no such file"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
@pytest.mark.parametrize("command", ["report", "align"])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, command: str, case: str) -> None:
    make, expected = BAD_INPUTS[case]
    files, options = make(tmp_path)
    if command == "align" and len(files) == 1:
        files = [*files, tmp_path / "other-ref.txt"]  # align needs a reference; seed is read first
    result = invoke(command, *files, *options)
    message = check_one_line_error(result.exit_code, result.stdout, result.stderr)
    assert expected in message


# Regression: bytes-to-bytes codecs ('hex', 'rot13') passed codecs.lookup() and then raised a
# LookupError with a traceback.


@pytest.mark.parametrize("codec", ["hex", "rot13"])
def test_non_text_encoding_is_one_line_exit_2(harbour: Path, codec: str) -> None:
    result = invoke("report", harbour, "--encoding", codec)
    check_one_line_error(result.exit_code, result.stdout, result.stderr)


def test_bad_input_in_a_real_process(tmp_path: Path) -> None:
    proc = run_module("report", tmp_path / "nope.txt")
    message = check_one_line_error(proc.returncode, proc.stdout, proc.stderr)
    assert message == f"{tmp_path / 'nope.txt'}: no such file"


def test_binary_input_in_a_real_process(tmp_path: Path) -> None:
    (path,), _ = _binary(tmp_path)
    proc = run_module("align", path, path.with_name("x.txt"))
    message = check_one_line_error(proc.returncode, proc.stdout, proc.stderr)
    assert "binary" in message


def test_non_text_encoding_in_a_real_process(harbour: Path) -> None:
    proc = run_module("report", harbour, "--encoding", "hex")
    check_one_line_error(proc.returncode, proc.stdout, proc.stderr)


# --- unrelated documents -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        "park_ru",
        "astronomy",
    ],
)
def test_unrelated_documents_warn(
    tmp_path: Path, unrelated_texts: dict[str, str], other: str
) -> None:
    seed = tmp_path / "cooking.txt"
    seed.write_text(unrelated_texts["cooking"], encoding="utf-8")
    ref = tmp_path / f"{other}.txt"
    ref.write_text(unrelated_texts[other], encoding="utf-8")
    result = invoke("report", seed, ref, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "warning" in result.stderr and "unrelated" in result.stderr
    assert result.stderr.startswith(f"transdiff: warning: {other}: ")
    assert json.loads(result.stdout)["warnings"]


# --- help and version --------------------------------------------------------------------------


def _commands() -> list[str]:
    names = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert {"report", "align"} <= set(names)
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Example" in result.stdout
    assert "transdiff " + command in result.stdout.split("Example", 1)[1]


def test_top_level_help_lists_the_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert "report" in result.stdout and "align" in result.stdout


def test_version_in_a_real_process() -> None:
    proc = run_module("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"transdiff {__version__}\n", "")
    assert __version__ == "0.1.0"


def test_no_arguments_shows_help() -> None:
    result = invoke()
    assert "Usage" in result.output
    assert "report" in result.output
