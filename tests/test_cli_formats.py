"""``transdiff report --format md|csv|html``, --out, --bom, colour, progress and atomic writing."""

from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import _use_color, app
from toolkit.pipeline import STAGES, compare_files
from toolkit.report import render_json
from toolkit.report.csv import COLUMNS
from toolkit.result import RunSettings

ANSI = "\x1b["
SEED = (
    "He went home after the match.\n"
    "The strong—willed leader spoke to the crowd.\n"
    "Engineers from Rotterdam designed the new harbour.\n"
)
REF = (
    "She went home after the match.\n"
    "The strong-willed leader spoke to the crowd.\n"
    "Engineers from Rotterdam designed the new harbour.\n"
)
REF_B = "She went home after the game.\nThe determined leader addressed the crowd.\n"
SUFFIX = {"text": "txt", "json": "json", "md": "md", "csv": "csv", "html": "html"}


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def check_one_line_error(result: Result) -> str:
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("transdiff: error:") and result.stderr.count("\n") == 1
    return result.stderr


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text(SEED, encoding="utf-8")
    ref.write_text(REF, encoding="utf-8")
    return seed, ref


def check_format(fmt: str, text: str) -> None:
    if fmt == "md":
        assert text.startswith("### transdiff report\n") and "<b>He</b> went home" in text
    elif fmt == "csv":
        header, *rows = csv.reader(io.StringIO(text, newline=""))
        assert tuple(header) == COLUMNS and rows
        assert {r[COLUMNS.index("flag_text")] for r in rows} == {"He", "—"}
    elif fmt == "html":
        assert text.lstrip().lower().startswith("<!doctype html>") and "</html>" in text
    elif fmt == "json":
        assert text.startswith('{"schema": "transdiff/report-v1"')
    else:
        assert text.startswith("seed: ") and "[-He-]{+She+}" in text and ANSI not in text


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_report_formats_on_stdout(files: tuple[Path, Path], fmt: str) -> None:
    result = invoke("report", *files, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == "", "no progress, no warning: stderr is not a terminal"
    check_format(fmt, result.stdout)


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_report_out_writes_each_format(files: tuple[Path, Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{SUFFIX[fmt]}"
    result = invoke("report", *files, "--format", fmt, "--out", out, "--color")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", f"transdiff: wrote {out}\n")
    with open(out, encoding="utf-8", newline="") as fh:
        written = fh.read()
    check_format(fmt, written)  # text in a file is plain even with --color
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["seed.txt", "ref.txt", out.name]
    ), "a temporary file was left"


def test_csv_bom_only_with_the_option(files: tuple[Path, Path], tmp_path: Path) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    assert invoke("report", *files, "-f", "csv", "-o", plain).exit_code == 0
    assert invoke("report", *files, "-f", "csv", "-o", marked, "--bom").exit_code == 0
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert b"\r\n" in plain.read_bytes()


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_bom_with_another_format_is_one_line_exit_2(
    files: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "report.out"
    message = check_one_line_error(invoke("report", *files, "-f", fmt, "--bom", "-o", out))
    assert "--bom" in message and "csv" in message
    assert not out.exists()


def test_other_commands_keep_text_and_json(files: tuple[Path, Path]) -> None:
    result = invoke("score", *files, "--format", "md")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_help_lists_the_formats() -> None:
    result = invoke("report", "--help")
    assert result.exit_code == 0
    for fmt in ("text", "json", "md", "csv", "html"):
        assert fmt in result.stdout
    assert "--bom" in result.stdout and "--color" in result.stdout


# --- flag --format md|csv ----------------------------------------------------------------------


def test_flag_csv_keeps_only_the_filtered_flags(files: tuple[Path, Path]) -> None:
    every = invoke("flag", *files, "--format", "csv")
    major = invoke("flag", *files, "--format", "csv", "--min-severity", "major")
    assert every.exit_code == major.exit_code == 0, every.output + major.output
    severity = COLUMNS.index("severity")
    all_rows = list(csv.reader(io.StringIO(every.stdout, newline="")))[1:]
    major_rows = list(csv.reader(io.StringIO(major.stdout, newline="")))[1:]
    assert {r[severity] for r in all_rows} == {"major", "minor"}
    assert major_rows == [r for r in all_rows if r[severity] == "major"]


def test_flag_md(files: tuple[Path, Path]) -> None:
    result = invoke("flag", *files, "--format", "md", "--category", "accuracy/pronoun")
    assert result.exit_code == 0, result.output
    assert "<b>He</b> went home" in result.stdout
    assert "fluency/typography" not in result.stdout
    assert "#### Scores" not in result.stdout, "flag does not score"


# --- colour: decided by the CLI ----------------------------------------------------------------


def test_no_colour_when_not_a_terminal(files: tuple[Path, Path]) -> None:
    assert ANSI not in invoke("report", *files).stdout


def test_colour_on_request_and_off_on_request(files: tuple[Path, Path]) -> None:
    assert ANSI in invoke("report", *files, "--color").stdout
    assert ANSI not in invoke("report", *files, "--no-color").stdout
    assert ANSI in invoke("report", *files, "--color", env={"NO_COLOR": "1"}).stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "choice", "expected"),
    [
        ({}, None, True),
        ({"NO_COLOR": "1"}, None, False),
        ({"NO_COLOR": ""}, None, True),  # no-color.org: set and not empty
        ({"TERM": "dumb"}, None, False),
        ({"NO_COLOR": "1"}, True, True),  # an explicit --color wins
        ({}, False, False),
    ],
)
def test_use_color_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], choice: bool | None, expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert _use_color(choice) is expected


# --- atomic writing ----------------------------------------------------------------------------


def test_a_failing_renderer_leaves_the_old_file(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.md"
    out.write_text("old report\n", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("toolkit.cli.reports.render", broken)
    result = invoke("report", *files, "--format", "md", "--out", out)
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert out.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref.txt", "report.md", "seed.txt"]


def test_a_failing_write_leaves_the_old_file_and_one_line(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.csv"
    out.write_text("old report\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("toolkit.report.write.os.fsync", disk_full)
    message = check_one_line_error(invoke("report", *files, "--format", "csv", "--out", out))
    assert "No space left on device" in message and str(out) in message
    assert out.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref.txt", "report.csv", "seed.txt"]


# --- progress ----------------------------------------------------------------------------------


def test_progress_hears_the_stages_in_order(files: tuple[Path, Path], tmp_path: Path) -> None:
    ref_b = tmp_path / "ref_b.txt"
    ref_b.write_text(REF_B, encoding="utf-8")
    calls: list[tuple[str, int, int]] = []
    report = compare_files(files[0], [files[1], ref_b], progress=lambda *a: calls.append(a))
    stages = [stage for stage, _, _ in calls]
    assert list(dict.fromkeys(stages)) == list(STAGES)
    assert stages == sorted(stages, key=STAGES.index), "each stage in one run, none revisited"
    steps = {s: [(done, total) for stage, done, total in calls if stage == s] for s in STAGES}
    assert steps["reading"] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert steps["segmenting"] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert steps["aligning"] == [(0, 2), (1, 2), (2, 2)], "reference 1 of 2, 2 of 2, done"
    assert steps["scoring"] == [(0, 3), (1, 3), (2, 3), (3, 3)], "each reference, then both"
    assert steps["checking"] == [(0, 1), (1, 1)]
    quiet = compare_files(files[0], [files[1], ref_b])
    assert render_json(quiet) == render_json(report), "the callback changes nothing"


def test_progress_skips_stages_that_do_not_run(files: tuple[Path, Path]) -> None:
    calls: list[tuple[str, int, int]] = []
    settings = RunSettings(score=None, detect=False)
    compare_files(files[0], [], settings=settings, progress=lambda *a: calls.append(a))
    assert list(dict.fromkeys(stage for stage, _, _ in calls)) == ["reading", "segmenting"]


def run_module(
    *args: str | Path, tty: str | None = None, no_color: bool = False
) -> tuple[str, str, int]:
    """Run ``python -m toolkit``; with ``tty``, that stream is a pseudo-terminal."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    if no_color:
        env["NO_COLOR"] = "1"
    command = [sys.executable, "-m", "toolkit", *map(str, args)]
    if tty is None:
        proc = subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)
        return proc.stdout.decode(), proc.stderr.decode(), proc.returncode
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, tty: slave}
    with subprocess.Popen(command, env=env, **streams) as proc:  # type: ignore[call-overload]
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        out, err = proc.communicate(timeout=60)
    terminal = b"".join(chunks).decode()
    if tty == "stdout":
        return terminal, err.decode(), proc.returncode
    return out.decode(), terminal, proc.returncode


@pytest.mark.parametrize("fmt", ["csv", "text"])
def test_a_real_run_prints_nothing_extra_on_stderr(files: tuple[Path, Path], fmt: str) -> None:
    out, err, code = run_module("report", *files, "--format", fmt)
    assert (code, err) == (0, "")
    check_format(fmt, out.replace("\r\n", "\n") if fmt == "text" else out)


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


@posix_only
def test_progress_on_a_terminal_stderr(files: tuple[Path, Path]) -> None:
    out, err, code = run_module("report", *files, "--format", "csv", tty="stderr")
    assert code == 0
    assert "checking" in err, "the bar shows the last stage before it clears"
    assert ANSI in err
    check_format("csv", out)  # stdout is untouched


@posix_only
def test_colour_on_a_terminal_stdout(files: tuple[Path, Path]) -> None:
    out, err, code = run_module("report", *files, tty="stdout")
    assert (code, err) == (0, "")
    assert ANSI in out and "seed: " in out


@posix_only
def test_no_color_on_a_terminal_stdout(files: tuple[Path, Path]) -> None:
    out, err, code = run_module("report", *files, tty="stdout", no_color=True)
    assert (code, err) == (0, "")
    assert ANSI not in out and "[-He-]{+She+}" in out


def test_reports_get_ordinary_file_permissions(tmp_path: Path) -> None:
    import os

    from toolkit.report.write import write_atomic

    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.txt"
        write_atomic(fresh, "a")
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        write_atomic(kept, "new")
        assert (kept.read_text(), kept.stat().st_mode & 0o777) == ("new", 0o640)
    finally:
        os.umask(umask)


def test_flag_queue_never_sends_control_characters_to_the_terminal(tmp_path: Path) -> None:
    # Text files with control bytes are refused as binary, but JSONL can carry them escaped:
    # ESC sequences (clear screen, set title) and a BEL inside the seed's text.
    seed = tmp_path / "seed.jsonl"
    ref = tmp_path / "ref.txt"
    text = "The \x1b[2Jfund paid 5 \x07million in 1998 \x1b]0;pwned\x07."
    import json

    seed.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    ref.write_text("The fund paid 5 million in 1989.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["flag", str(seed), str(ref)])
    assert result.exit_code == 0, result.output
    assert "1998" in result.stdout
    assert not any(c in result.stdout for c in "\x1b\x07\r")
