"""Nothing from the input drives the terminal: every command, under a pseudo-terminal.

Issue 10: ``align`` and ``score --sentences`` printed sentence text with ESC/OSC sequences raw
(window title, screen clear, OSC 8 links), and file names with escapes reached the terminal
through errors, warnings and the score table.  Each command here runs as a real process whose
stdout and stderr are two pseudo-terminals (so the colour and progress-bar paths run), on files
whose names and text carry ESC/OSC/CSI sequences, BEL, BS, a C1 CSI (U+009B) and a bidi
override (U+202E).
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.report.terminal import terminal_safe, terminal_safe_offsets

# In a file name: set the window title, clear the screen, reverse the text that follows.
HOSTILE_NAME = "\x1b]0;pwned\x07\x1b[2J\u202e"
SHOWN_NAME = "\\x1b]0;pwned\\x07\\x1b[2J\\u202e"
# In the text: the same, an OSC 8 link, a C1 CSI and backspaces that would overwrite what was
# printed (a lone CR in a text file is a line break: the unit tests cover it).
HOSTILE_TEXT = (
    "The fund paid 5 million in 1998 \x1b]0;pwned\x07\x1b[2J and "
    "\x1b]8;;http://evil.example/\x07a link\x1b]8;;\x07, \x9b31mred\u202e, xy\b\bspoof."
)
CLEAN_TEXT = "The fund paid 5 million in 1989 and a link, red, spoof."

# What may reach the terminal: the tool's own SGR colour codes everywhere, and on stderr the
# progress bar's own cursor control (hide/show the cursor, erase the line, line up, CR).
SGR = re.compile(r"\x1b\[[0-9;]*m")
PROGRESS = re.compile(r"\x1b\[\?25[lh]|\r?\x1b\[2K|\r?\x1b\[1A")
# ESC, BEL, BS, CR, other C0 but tab and LF, DEL, C1, bidi controls: none may remain after
# those (the pty's CR LF line ends are read back as LF).
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_in_pty(*args: str | Path, cwd: Path) -> Run:
    """``python -m toolkit ARGS`` with stdout and stderr on two pseudo-terminals."""
    out_master, out_slave = os.openpty()
    err_master, err_slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", PYTHONIOENCODING="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=out_slave,
        stderr=err_slave,
        cwd=cwd,
        env=env,
    )
    os.close(out_slave)
    os.close(err_slave)
    chunks: dict[int, bytes] = {out_master: b"", err_master: b""}
    open_fds = set(chunks)
    deadline = time.monotonic() + 180
    try:
        while open_fds and time.monotonic() < deadline:
            ready, _, _ = select.select(list(open_fds), [], [], 1.0)
            for fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # EIO: the child closed its end
                    data = b""
                if data:
                    chunks[fd] += data
                else:
                    open_fds.discard(fd)
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(out_master)
        os.close(err_master)
    return Run(
        code,
        chunks[out_master].decode("utf-8", "replace").replace("\r\n", "\n"),
        chunks[err_master].decode("utf-8", "replace").replace("\r\n", "\n"),
    )


def leaks(text: str, *, stderr: bool = False) -> list[str]:
    """The control characters left once the tool's own codes are taken out, with context."""
    text = SGR.sub("", text)
    if stderr:
        text = PROGRESS.sub("", text)
    return [repr(text[max(0, m.start() - 15) : m.end() + 15]) for m in FORBIDDEN.finditer(text)]


@dataclass(frozen=True)
class Hostile:
    root: Path
    flag_id: str  # the number flag on the hostile sentence


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, unrelated_texts: dict[str, str]) -> Hostile:
    """A folder of files with hostile names and text, and a waiver already recorded."""
    root = tmp_path_factory.mktemp("hostile")
    body = unrelated_texts["astronomy"]
    (root / f"seed{HOSTILE_NAME}.txt").write_text(body + HOSTILE_TEXT + "\n", encoding="utf-8")
    (root / f"ref{HOSTILE_NAME}.txt").write_text(body + CLEAN_TEXT + "\n", encoding="utf-8")
    system = body.replace("red dwarf", "small red star") + HOSTILE_TEXT + "\n"
    (root / f"sys{HOSTILE_NAME}.txt").write_text(system, encoding="utf-8")
    (root / f"cooking{HOSTILE_NAME}.txt").write_text(unrelated_texts["cooking"], encoding="utf-8")
    for folder in ("docs", "refs"):
        (root / folder).mkdir()
    (root / "docs" / f"doc{HOSTILE_NAME}.txt").write_text(
        body + HOSTILE_TEXT + "\n", encoding="utf-8"
    )
    (root / "refs" / f"doc{HOSTILE_NAME}.txt").write_text(body + CLEAN_TEXT + "\n", "utf-8")
    flag_id = number_flag(root)
    waived = CliRunner().invoke(
        app, ["waive", flag_id, *pair(root), "--waivers", str(waivers(root))]
    )
    assert waived.exit_code == 0, waived.output
    return Hostile(root, flag_id)


def pair(root: Path) -> list[str]:
    return [str(root / f"seed{HOSTILE_NAME}.txt"), str(root / f"ref{HOSTILE_NAME}.txt")]


def waivers(root: Path, which: str = "w") -> Path:
    return root / f"{which}{HOSTILE_NAME}.toml"


def number_flag(root: Path) -> str:
    """The id of the number flag on the hostile sentence (1998 where the reference has 1989)."""
    result = CliRunner().invoke(app, ["flag", *pair(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [flag_id] = [
        f["id"]
        for s in data["sentences"]
        for f in s["flags"]
        if f["category"] == "accuracy/number" and s["text"][f["start"] : f["end"]] == "1998"
    ]
    return flag_id


def command(hostile: Hostile, name: str) -> tuple[list[str | Path], int]:
    """Arguments and expected exit code of each case."""
    root = hostile.root
    seed, ref = pair(root)
    cases: dict[str, tuple[list[str | Path], int]] = {
        "report": (["report", seed, ref], 0),
        "report --format md": (["report", seed, ref, "--format", "md"], 0),
        "align": (["align", seed, ref], 0),
        "score": (["score", seed, ref], 0),
        "score --sentences": (["score", seed, ref, "--sentences"], 0),
        "compare": (
            [
                "compare",
                *[seed, root / f"sys{HOSTILE_NAME}.txt"],
                *["--ref", ref, "--bootstrap", "10", "--ar-trials", "10"],
            ],
            0,
        ),
        "flag": (["flag", seed, ref], 0),
        "waive": (["waive", hostile.flag_id, seed, ref, "--waivers", waivers(root, "w2")], 0),
        "waivers": (["waivers", seed, ref, "--waivers", waivers(root)], 0),
        "batch": (
            ["batch", "docs", "--refs", "refs", "--out", f"out{HOSTILE_NAME}", "--no-scores"],
            0,
        ),
        "error (missing file)": (["report", seed, root / f"missing{HOSTILE_NAME}.txt"], 2),
        "warning (unrelated reference)": (
            ["report", seed, root / f"cooking{HOSTILE_NAME}.txt", "--no-scores"],
            0,
        ),
        "usage error (bad --format value)": (["report", seed, "--format", HOSTILE_NAME], 2),
    }
    return cases[name]


CASES = [
    "report",
    "report --format md",
    "align",
    "score",
    "score --sentences",
    "compare",
    "flag",
    "waive",
    "waivers",
    "batch",
    "error (missing file)",
    "warning (unrelated reference)",
    "usage error (bad --format value)",
]


@pytest.mark.parametrize("case", CASES)
def test_no_control_sequence_from_input_reaches_the_terminal(hostile: Hostile, case: str) -> None:
    args, expected = command(hostile, case)
    run = run_in_pty(*args, cwd=hostile.root)
    assert run.code == expected, (run.stdout[-2000:], run.stderr[-2000:])
    assert leaks(run.stdout) == [], "stdout"
    assert leaks(run.stderr, stderr=True) == [], "stderr"
    # Shown, not dropped: the file name (or the bad value) appears as visible escapes, at least
    # its start (the score table cuts names at 20 columns; Markdown escapes the bracket).
    shown = SGR.sub("", run.stdout + run.stderr)
    assert "\\x1b]0;pwned\\x07" in shown or "\\x1b\\]0;pwned\\x07" in shown
    if case == "report":
        assert SGR.search(run.stdout), "the colour path ran (stdout is a terminal)"
    if case.startswith(("error", "usage", "warning")):
        [line] = [
            line
            for line in PROGRESS.sub("", SGR.sub("", run.stderr)).splitlines()
            if line.startswith("transdiff: ")
        ]
        kind = "warning" if case.startswith("warning") else "error"
        assert line.startswith(f"transdiff: {kind}: ") and SHOWN_NAME in line


def test_align_and_sentence_scores_show_the_text_escaped(hostile: Hostile) -> None:
    # The two commands of the issue that printed sentence text raw; wide, so nothing is cut.
    for args in (["align"], ["score", "--sentences"]):
        result = CliRunner().invoke(app, [*args, *pair(hostile.root), "--width", "600"])
        assert result.exit_code == 0, result.output
        assert not FORBIDDEN.search(result.stdout), args
        assert "1998 \\x1b]0;pwned\\x07\\x1b[2J and \\x1b]8;;http://evil.example/\\x07a" in (
            result.stdout
        ), args
        assert "\\x9b31mred\\u202e, xy\\x08\\x08spoof." in result.stdout, args


def test_data_formats_are_unchanged_when_not_on_a_terminal(hostile: Hostile) -> None:
    # The sanitiser is for terminals: piped JSON keeps the text exactly (the escape, the C1).
    result = CliRunner().invoke(app, ["report", *pair(hostile.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    texts = [s["text"] for s in json.loads(result.stdout)["seed"]["segments"]]
    assert any("\x1b]0;pwned\x07" in t and "\x9b31m" in t for t in texts)


# --- the sanitiser itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;t\x07", "\\x1b]0;t\\x07"),
        ("a\x9bb", "a\\x9bb"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("x\b\by\rz", "x\\x08\\x08y\\x0dz"),
        ("two\nlines\r\nand\ttab", "two\nlines\r\nand\ttab"),
        ("\x7f\x00\u2028", "\\x7f\\x00\\u2028"),
        ("naïve Привет 中文 ☃", "naïve Привет 中文 ☃"),
    ],
)
def test_terminal_safe_shows_controls_as_escapes(text: str, shown: str) -> None:
    assert terminal_safe(text) == shown


def test_terminal_safe_modes() -> None:
    text = "a\nb\r\nc\td\x1b[31me\x1b[0m"
    assert terminal_safe(text, one_line=True) == "a\\x0ab\\x0d\\x0ac\td\\x1b[31me\\x1b[0m"
    assert terminal_safe(text, flat=True) == "a b  c d\\x1b[31me\\x1b[0m"
    assert terminal_safe(text, keep_sgr=True) == "a\nb\r\nc\td\x1b[31me\x1b[0m"
    assert terminal_safe("\x1b[2J\x1b]0;x\x07", keep_sgr=True) == "\\x1b[2J\\x1b]0;x\\x07"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), st.booleans())
@example("\r\n", False)
@example("\r\r\n\r", False)
def test_terminal_safe_leaves_no_control_and_is_idempotent(text: str, one_line: bool) -> None:
    safe = terminal_safe(text, one_line=one_line)
    # CR before LF is a line break's layout (kept in multi-line text); any other CR is shown.
    assert not FORBIDDEN.search(safe.replace("\r\n", "\n"))
    assert "\r" not in safe.replace("\r\n", "")
    if one_line:
        assert "\n" not in safe and "\r" not in safe
    assert terminal_safe(safe, one_line=one_line) == safe


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), st.booleans())
def test_terminal_safe_offsets_map_every_span(text: str, flat: bool) -> None:
    safe, offsets = terminal_safe_offsets(text, flat=flat)
    assert safe == terminal_safe(text, flat=flat)
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(safe)
    for i in range(len(text)):
        piece = safe[offsets[i] : offsets[i + 1]]
        alone = terminal_safe(text[i], flat=flat)
        # CR is layout before LF and shown alone; everything else maps one to one
        assert piece == alone or (text[i] == "\r" and piece == "\r")
