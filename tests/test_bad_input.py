"""Issue 10 leftovers: every file transdiff reads goes through one reader, and ``compare`` reads
its files as ``report`` does.

Before, the configuration, glossary and waivers readers called ``Path.read_*`` directly: a
named pipe given as ``--config``, ``--glossary`` or ``--waivers`` hung the run, and a device was
read as an empty file.  ``compare`` dropped the damaged-UTF-8 warning, had no ``--strict`` and
accepted the same system twice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.checks.terminology import read_glossary
from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import InputError
from toolkit.waivers import read_waivers

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
needs_dev_null = pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")

FIFO_MESSAGE = "{}: is a named pipe (FIFO), not a regular file; give a text file"
FAST = ("--bootstrap", "20", "--ar-trials", "20")


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process: a reader that blocks fails the test instead of hanging it
    (``subprocess.run`` kills the child on timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def damaged_copy(source: Path, target: Path) -> Path:
    """``source`` with 4 bytes that are not UTF-8 at byte offset 500."""
    data = source.read_bytes()
    target.write_bytes(data[:500] + b"\xff\xfe\xfa\xfb" + data[500:])
    return target


# --- configuration, glossary and waivers files that are not regular files ---------------------


@needs_fifo
@pytest.mark.parametrize("option", ["--glossary", "--config", "--waivers"])
def test_regression_fifo_as_config_glossary_or_waivers_is_refused_not_waited_on(
    tmp_path: Path, seed_path: Path, postedit_path: Path, option: str
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    done = run_cli(
        "report", seed_path, postedit_path, "-f", "json", "-o", "out.json", option, fifo,
        cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"transdiff: error: {FIFO_MESSAGE.format(fifo)}\n"
    assert not (tmp_path / "out.json").exists()


@needs_fifo
def test_regression_fifo_named_transdiff_toml_in_the_folder_is_refused(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    # It used to be skipped silently (is_file() is False for a pipe); a pipe under the
    # configuration's name is a mistake worth one line, not settings quietly ignored.
    os.mkfifo(tmp_path / "transdiff.toml")

    done = run_cli("flag", seed_path, postedit_path, cwd=tmp_path)

    assert done.returncode == 2
    assert done.stderr == f"transdiff: error: {FIFO_MESSAGE.format('transdiff.toml')}\n"


@needs_dev_null
@pytest.mark.parametrize(
    "reader", [read_glossary, load_config, read_waivers], ids=["glossary", "config", "waivers"]
)
def test_regression_device_as_config_glossary_or_waivers_is_an_input_error(reader) -> None:
    # /dev/null read as an empty file before; /dev/zero would never end.
    with pytest.raises(InputError) as caught:
        reader(Path("/dev/null"))

    assert str(caught.value) == (
        "/dev/null: is a character device, not a regular file; give a text file"
    )


def test_missing_config_and_glossary_keep_their_own_words(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.toml: configuration file not found$"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(InputError, match=r"nope\.csv: glossary file not found$"):
        read_glossary(tmp_path / "nope.csv")
    assert read_waivers(tmp_path / "nope.toml") == ()


def test_dangling_waivers_link_is_no_waivers_yet(tmp_path: Path) -> None:
    link = tmp_path / "transdiff.waivers.toml"
    link.symlink_to(tmp_path / "shared" / "w.toml")

    assert read_waivers(link) == ()


def test_config_that_is_not_utf8_names_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "transdiff.toml"
    path.write_bytes(b'fail_on = "major"\n# caf\xe9\n')

    with pytest.raises(InputError) as caught:
        load_config(path)

    assert str(caught.value) == (
        f"{path}: the configuration is not UTF-8 (invalid continuation byte at byte offset 23)"
    )


# --- compare reads its files as report does ------------------------------------------------------


def test_regression_compare_warns_about_damaged_utf8(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    bad = damaged_copy(seed_path, tmp_path / "bad.txt")

    result = invoke("compare", bad, seed_path, "--ref", postedit_path, *FAST, "-f", "json")

    assert result.exit_code == 0, result.output
    warning = (
        f"{bad}: 4 bytes at byte offsets 500-503 are not valid UTF-8, read as U+FFFD; pass "
        "--encoding if the file uses another code page, or --strict to refuse it"
    )
    assert result.stderr == f"transdiff: warning: {warning}\n"
    data = json.loads(result.stdout)
    assert [r["warnings"] for r in data["references"]] == [[warning]]


def test_compare_says_each_warning_once_for_several_references(
    tmp_path: Path, seed_path: Path, postedit_path: Path, alternative_path: Path
) -> None:
    bad = damaged_copy(seed_path, tmp_path / "bad.txt")

    result = invoke(
        "compare", bad, seed_path, "--ref", postedit_path, "--ref", alternative_path, *FAST
    )

    assert result.exit_code == 0, result.output
    assert result.stderr.count("transdiff: warning: ") == 1
    assert result.stderr.startswith(f"transdiff: warning: {bad}: 4 bytes at byte offsets 500-503")


def test_compare_strict_refuses_damaged_utf8(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    bad = damaged_copy(seed_path, tmp_path / "bad.txt")

    result = invoke("compare", seed_path, bad, "--ref", postedit_path, *FAST, "--strict")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"transdiff: error: {bad}: 4 bytes at byte offsets 500-503 are not valid UTF-8; "
        "fix the file, or pass --encoding if it uses another code page\n"
    )


def test_regression_compare_refuses_the_same_system_twice(
    seed_path: Path, postedit_path: Path
) -> None:
    result = invoke("compare", seed_path, seed_path, "--ref", postedit_path, *FAST)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"transdiff: error: {seed_path}: this system is given twice (also as {seed_path}); "
        "list each system once\n"
    )


def test_compare_refuses_the_same_system_under_another_name(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    system = tmp_path / "a.txt"
    system.write_bytes(seed_path.read_bytes())
    link = tmp_path / "link.txt"
    link.symlink_to(system)

    result = invoke("compare", system, seed_path, link, "--ref", postedit_path, *FAST)

    assert result.exit_code == 2
    assert result.stderr == (
        f"transdiff: error: {link}: this system is given twice (also as {system}); "
        "list each system once\n"
    )


# --- standard streams that are full, closed or gone ---------------------------------------------


needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")


def run_with_streams(
    *args: str | Path, cwd: Path, stdout: int | None = None, stderr: int | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE if stderr is None else stderr,
    )


@needs_dev_full
def test_regression_full_stdout_is_one_line_not_a_traceback(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    # Was: an OSError traceback (No space left on device), exit 1.
    with open("/dev/full", "wb") as full:
        proc = run_with_streams(
            "report", seed_path, postedit_path, cwd=tmp_path, stdout=full.fileno()
        )
        _, err = proc.communicate(timeout=60)

    assert proc.returncode == 2
    assert err.decode() == (
        "transdiff: error: standard output: cannot be written (No space left on device)\n"
    )


def test_regression_closed_stdout_is_one_line_not_a_traceback(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    # Was: AttributeError ('NoneType' object has no attribute 'isatty') traceback, exit 1.
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "toolkit", "report",
         str(seed_path), str(postedit_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert done.returncode == 2
    assert done.stderr == (
        "transdiff: error: standard output: is closed; redirect it to a file (> FILE)\n"
    )


def test_broken_pipe_ends_quietly_and_the_gate_still_decides(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    # `transdiff flag ... --fail-on major | head`: the reader leaves; no traceback, no
    # "Exception ignored" line, and the exit code is still the gate's.
    proc = run_with_streams("flag", seed_path, postedit_path, "--fail-on", "major", cwd=tmp_path)
    assert proc.stdout is not None
    proc.stdout.close()  # before the first write: that write gets EPIPE
    proc.stdout = None
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == 1
    (line,) = err.decode().splitlines()
    assert re.fullmatch(r"transdiff: \d+ unwaived flags? at or above major \(.+\): failing", line)


@needs_dev_full
def test_full_stderr_keeps_the_exit_code(tmp_path: Path, seed_path: Path) -> None:
    # Was: the error line failed to print and the OSError made it exit 1.
    with open("/dev/full", "wb") as full:
        proc = run_with_streams("report", seed_path, tmp_path / "nope.txt", cwd=tmp_path,
                                stderr=full.fileno())  # fmt: skip
        out, _ = proc.communicate(timeout=60)

    assert proc.returncode == 2
    assert out == b""


# --- symbolic link loops ------------------------------------------------------------------------


def test_regression_symlink_loop_as_input_is_one_line_not_a_traceback(
    tmp_path: Path, postedit_path: Path
) -> None:
    # Was: RuntimeError("Symlink loop ...") from Path.resolve in the seed-is-a-reference check.
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")

    for args in (["report", tmp_path / "a.txt", postedit_path],
                 ["report", postedit_path, tmp_path / "a.txt"]):  # fmt: skip
        result = invoke(*args)

        assert result.exit_code == 2
        assert result.stderr == (
            f"transdiff: error: {tmp_path / 'a.txt'}: cannot be read "
            "(Too many levels of symbolic links)\n"
        )


def test_regression_the_same_reference_twice_is_refused(
    tmp_path: Path, seed_path: Path, postedit_path: Path
) -> None:
    # Was: accepted; the copy counted twice in the multi-reference scores and in flag support.
    link = tmp_path / "again.txt"
    link.symlink_to(postedit_path)

    result = invoke("score", seed_path, postedit_path, link)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"transdiff: error: {link}: this reference is given twice (also as {postedit_path}); "
        "list each reference once\n"
    )
