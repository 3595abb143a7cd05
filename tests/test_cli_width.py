"""Text output fits a width (issue 16): --width N, else the terminal's, else 80 when piped.

Before, piped ``flag`` and ``score --sentences`` printed lines of 235-290 characters (the
queue did not wrap; the signatures were one line each).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from toolkit.cli import app
from toolkit.cli._common import _width
from toolkit.report.wrap import wrap, wrap_signature


def run(*args: str | Path, columns: int = 200) -> Result:
    # COLUMNS is the terminal's width; piped output ignores it
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})


def widest(text: str) -> int:
    """The longest line, but for the queue's "review queue for <seed path>" header, which
    keeps a path whole on purpose (its length depends on where the repository lives)."""
    return max(len(line) for line in text.splitlines() if not line.startswith("review queue for "))


@pytest.fixture(scope="module")
def files(seed_path: Path, postedit_path: Path, alternative_path: Path) -> dict[str, list[str]]:
    seed, post, alt = str(seed_path), str(postedit_path), str(alternative_path)
    return {
        "flag": ["flag", seed, post],
        "score": ["score", seed, post, "--sentences"],
        "align": ["align", seed, post],
        "report": ["report", seed, post, "--no-scores"],
        "compare": ["compare", seed, alt, "--ref", post, "--bootstrap", "50", "--ar-trials", "50"],
    }


@pytest.mark.parametrize("command", ["flag", "score", "align", "report", "compare"])
def test_piped_output_is_80_wide(files: dict[str, list[str]], command: str) -> None:
    result = run(*files[command])
    assert result.exit_code == 0, result.output
    assert widest(result.stdout) <= 80


@pytest.mark.parametrize(
    ("command", "width"),
    [
        ("flag", 60),
        ("flag", 120),
        ("score", 60),
        ("score", 120),
        ("report", 120),
        ("align", 120),
        ("compare", 120),
    ],
)
def test_width_option(files: dict[str, list[str]], command: str, width: int) -> None:
    result = run(*files[command], "--width", str(width))
    assert result.exit_code == 0, result.output
    # the lines fill the width they are given, no more
    assert widest(result.stdout) <= width
    assert widest(result.stdout) > width - 12


def test_flag_wraps_what_was_one_long_line(files: dict[str, list[str]]) -> None:
    narrow = run(*files["flag"], "--width", "60").stdout
    wide = run(*files["flag"], "--width", "400").stdout
    assert widest(wide) > 200  # the queue's longest line, unwrapped
    assert " ".join(narrow.split()) == " ".join(wide.split())  # the same words, wrapped


def test_width_too_small_is_a_usage_error(files: dict[str, list[str]]) -> None:
    result = run(*files["flag"], "--width", "10")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--width" in result.stderr


def test_width_choice() -> None:
    assert _width(100) == 100
    assert _width() == 80  # pytest's stdout is not a terminal


@given(
    st.lists(st.text("abc:.,-0123456789", min_size=1, max_size=30), min_size=1, max_size=20),
    st.integers(20, 120),
)
def test_signature_wraps_at_bars_and_joins_back(fields: list[str], width: int) -> None:
    signature = "|".join(fields)
    lines = wrap_signature("chrf++", signature, width)
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith("chrf++: ")
    joined = lines[0][len("chrf++: ") :] + "".join(line[2:] for line in lines[1:])
    assert joined == signature


@given(st.text(st.sampled_from("ab ,."), max_size=300), st.integers(10, 100))
def test_wrap_keeps_the_words(line: str, width: int) -> None:
    lines = wrap(line, width, indent="  ")
    assert all(len(out) <= width for out in lines)
    assert "".join(line.split()) == "".join("".join(lines).split())
