"""Every ``--help`` renders clean (issue 16): no raw type metavars, no swallowed markup.

Typer shows a parameter without a metavar as its Python type (``<bool>``, ``<list[Path]>``)
and rich reads ``[tool.transdiff]`` as a markup tag and drops it, leaving a doubled space.
Each command's help is rendered at a narrow and a wide terminal and checked for those.
"""

from __future__ import annotations

import re

import pytest
import typer
from rich.text import Text
from typer.core import TyperGroup
from typer.testing import CliRunner

from toolkit.cli import app

_COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]

# <bool>, <list[Path]>, <Path|None>: a Python type shown as a metavar
_TYPE_METAVAR = re.compile(r"<\s*(?:bool|int|str|float|path|list|dict|tuple|none)\b[^>]*>", re.I)
# {seed}, {name}: a format placeholder left unformatted
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# text  text: a doubled space between words inside a sentence (markup swallowed)
_DOUBLED = re.compile(r"[a-z,]  +[a-z\[]")


def _help(args: list[str], width: int) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(width), "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.stdout


def _artefacts(text: str, *, spaces: bool = True) -> list[str]:
    found: list[str] = []
    patterns = (_TYPE_METAVAR, _PLACEHOLDER, _DOUBLED) if spaces else (_TYPE_METAVAR, _PLACEHOLDER)
    for line in text.splitlines():
        # the panels' text, without the box and the column padding around it
        body = line.strip(" │╭╮╰╯─")
        cells = re.split(r" {3,}", body)  # columns of the options table are 3+ spaces apart
        for cell in cells:
            for pattern in patterns:
                found += [f"{m.group()!r} in {line.strip()!r}" for m in pattern.finditer(cell)]
    return found


def test_commands_found() -> None:
    assert {"report", "flag", "align", "score", "compare"} <= set(_COMMANDS)


@pytest.mark.parametrize("width", [60, 200])
@pytest.mark.parametrize("command", [None, *_COMMANDS])
def test_help_has_no_artefacts(command: str | None, width: int) -> None:
    text = _help([command] if command else [], width)
    assert text.strip(), "no help"
    # a narrow table sets its columns two spaces apart: doubled spaces are checked wide only
    assert _artefacts(text, spaces=width > 100) == []


def test_help_texts_have_no_markup() -> None:
    """rich renders help as markup: a [word] in a help text must be escaped or it vanishes."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    commands = [group, *group.commands.values()]
    texts = [getattr(p, "help", None) or "" for c in commands for p in c.params]
    texts += [c.help or "" for c in commands]
    for text in texts:
        plain = Text.from_markup(text).plain
        assert plain == text.replace("\\[", "["), f"markup swallowed in {text!r}"


def test_markup_escaped() -> None:
    """The configuration's table name survives rich (it was swallowed as a markup tag)."""
    text = " ".join(_help(["report"], 200).split())
    assert "[tool.transdiff]" in text


def test_detector_catches_artefacts() -> None:
    assert _artefacts("│ --flag   <bool>   Do it.") != []
    assert _artefacts("│ PATHS  <list[Path]>  Files") != []
    assert _artefacts("│ writes {seed}.txt") != []
    assert _artefacts("│ transdiff.toml or  in pyproject.toml") != []
    assert _artefacts("│ --out  PATH  Write the output to this file.") == []
