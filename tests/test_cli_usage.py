"""Usage errors are one line on stderr, exit 2, like every other error of bad input (issue 10).

Before, a bad ``--format``, ``--reason`` or ``--jobs``, a missing argument or an unknown option
printed click's usage line, a hint and a boxed panel (5-6 lines).  Also here: ``compare``
refuses a system that is also a reference, and ``batch --format xliff`` works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def usage_error(result: Result, command: str) -> str:
    """The one line of a usage error, checked: exit 2, nothing on stdout, the help named."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    line = result.stderr.rstrip("\n")
    assert line.startswith("transdiff: error: ")
    assert line.endswith(f"; see {command} --help")
    assert "╭" not in line and "Usage:" not in line and "Traceback" not in line
    return line


@pytest.mark.parametrize(
    ("args", "command", "message"),
    [
        (
            ["report", "--format", "xml"],
            "transdiff report",
            "Invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json', 'md', "
            "'csv', 'html', 'xliff'",
        ),
        (
            ["waive", "3fa92c1b7d4e", "--reason", "nope"],
            "transdiff waive",
            "Invalid value for '--reason': 'nope' is not one of 'false-positive', 'wont-fix'",
        ),
        (
            ["report", "--jobs", "abc"],
            "transdiff report",
            "Invalid value for '--jobs' / '-j': Input should be a valid integer, unable to "
            "parse string as an integer",
        ),
        (
            ["report", "--jobs", "-1"],
            "transdiff report",
            "Invalid value for '--jobs' / '-j': Input should be greater than or equal to 0",
        ),
        (
            ["batch", "docs", "--out", "out", "--jobs", "-3"],
            "transdiff batch",
            "Invalid value for '--jobs' / '-j': Input should be greater than or equal to 0",
        ),
        (["waive"], "transdiff waive", "Missing argument 'FLAG_ID'"),
        (["batch", "docs"], "transdiff batch", "Missing option '--out' / '-o'"),
        (
            ["report", "--frmat", "json"],
            "transdiff report",
            "No such option: --frmat (Possible options: --format)",
        ),
        (
            ["score", "a.txt", "b.txt", "--format"],
            "transdiff score",
            "Option '--format' requires an argument",
        ),
        (["reprot"], "transdiff", "No such command 'reprot'. Did you mean 'report'?"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], command: str, message: str) -> None:
    line = usage_error(invoke(*args), command)
    assert line == f"transdiff: error: {message}; see {command} --help"


def test_usage_error_in_a_real_process_is_one_line(tmp_path: Path) -> None:
    # The console path (python -m toolkit), not only the test runner's.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "report", "--format", "xml"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "transdiff: error: Invalid value for '--format' / '-f': 'xml' is not one of 'text', "
        "'json', 'md', 'csv', 'html', 'xliff'; see transdiff report --help\n"
    )


def test_help_version_and_bare_command_still_work() -> None:
    for args in (["--help"], ["report", "--help"], ["batch", "--help"]):
        result = invoke(*args)
        assert result.exit_code == 0, args
        assert "Usage: transdiff" in result.stdout and result.stderr == ""
    version = invoke("--version")
    assert version.exit_code == 0 and version.stdout.startswith("transdiff ")
    bare = invoke()  # help, exit 2 as before (no command given)
    assert bare.exit_code == 2
    assert "Usage: transdiff" in bare.stdout and "report" in bare.stdout


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    seed, ref = tmp_path / "seed.txt", tmp_path / "ref.txt"
    seed.write_text("The ship left in 1998. He was not ready.\n", encoding="utf-8")
    ref.write_text("The ship left in 1989. She was ready.\n", encoding="utf-8")
    return seed, ref


def test_fail_on_still_exits_1_and_a_clean_run_0(pair: tuple[Path, Path]) -> None:
    failing = invoke("flag", *pair, "--fail-on", "major")
    assert failing.exit_code == 1
    assert failing.stderr.splitlines()[-1].endswith("at or above major (3 major): failing")
    passing = invoke("report", *pair, "--no-scores", "--fail-on", "critical")
    assert passing.exit_code == 0, passing.output
    assert "flags: 3 on 2 of 2 sentences" in passing.stdout


# --- compare: a system that is also a reference ------------------------------------------------


def test_compare_refuses_a_system_that_is_also_the_reference(pair: tuple[Path, Path]) -> None:
    seed, ref = pair
    result = invoke("compare", seed, ref, "--ref", ref)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"transdiff: error: {ref}: this system is also given as a reference ({ref}); "
        "drop it from the systems or from --ref\n"
    )


def test_compare_refuses_the_reference_under_another_name(pair: tuple[Path, Path]) -> None:
    # Same file after resolving: a symlink, or a path with "..".
    seed, ref = pair
    link = ref.parent / "link.txt"
    link.symlink_to(ref)
    roundabout = ref.parent / ".." / ref.parent.name / ref.name
    for system in (link, roundabout):
        result = invoke("compare", seed, system, "--ref", ref)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"transdiff: error: {system}: this system is also")
        assert result.stderr.count("\n") == 1


# --- batch --format xliff ----------------------------------------------------------------------


def test_batch_format_xliff_writes_an_xlf_per_document(tmp_path: Path) -> None:
    # It crashed with a KeyError traceback (no file extension for xliff), exit 1.
    docs, refs, out = tmp_path / "docs", tmp_path / "refs", tmp_path / "out"
    docs.mkdir()
    refs.mkdir()
    for stem in ("a", "b"):
        (docs / f"{stem}.txt").write_text("The ship left in 1998.\n", encoding="utf-8")
        (refs / f"{stem}.txt").write_text("The ship left in 1989.\n", encoding="utf-8")
    result = invoke("batch", docs, "--refs", refs, "--out", out, "--format", "xliff", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.xlf", "b.xlf", "index.html", "index.json"]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [d["report"] for d in index["documents"]] == ["a.xlf", "b.xlf"]
    xlf = (out / "a.xlf").read_text(encoding="utf-8")
    assert xlf.startswith("<?xml") and "urn:oasis:names:tc:xliff:document:1.2" in xlf
    assert "1998" in xlf


def test_every_report_format_has_an_extension_in_the_registry() -> None:
    from toolkit.report import EXTENSIONS, FORMATS, Format

    assert set(FORMATS) == set(Format)
    assert dict(EXTENSIONS) == {
        "text": "txt",
        "json": "json",
        "md": "md",
        "csv": "csv",
        "html": "html",
        "xliff": "xlf",
    }
