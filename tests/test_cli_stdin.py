"""``-`` is standard input for the seed or one reference (issue 16), read as ``<stdin>``.

Before, ``transdiff score - ref.txt`` said "-: no such file".
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app
from toolkit.document import read_document, read_stdin
from toolkit.errors import InputError


def run(*args: str | Path, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin)


def test_read_stdin_decodes_as_a_file_does(seed_path: Path) -> None:
    data = seed_path.read_bytes()
    doc = read_stdin(io.BytesIO(data))
    from_file = read_document(seed_path)
    assert doc.path == "<stdin>"
    assert (doc.text, doc.encoding, doc.newline) == (
        from_file.text,
        from_file.encoding,
        from_file.newline,
    )


def test_read_stdin_legacy_codepage_and_damage() -> None:
    cp1251 = "Привет, мир. Это проверка кодировки текста.\n".encode("cp1251")
    assert read_stdin(io.BytesIO(cp1251), encoding="cp1251").text.startswith("Привет")
    damaged = "Hello wörld, this is fine text.\n".encode() + b"\xff\n"
    doc = read_stdin(io.BytesIO(damaged))
    assert "\ufffd" in doc.text and doc.warnings and doc.warnings[0].startswith("<stdin>")
    with pytest.raises(InputError, match="<stdin>"):
        read_stdin(io.BytesIO(damaged), strict=True)
    with pytest.raises(InputError, match="<stdin>: the file is empty"):
        read_stdin(io.BytesIO(b""))


def test_score_seed_from_stdin_equals_the_file(seed_path: Path, postedit_path: Path) -> None:
    piped = run("score", "-", postedit_path, "--format", "json", stdin=seed_path.read_bytes())
    named = run("score", seed_path, postedit_path, "--format", "json")
    assert piped.exit_code == 0, piped.output
    a, b = json.loads(piped.stdout), json.loads(named.stdout)
    assert a["seed"]["path"] == "<stdin>"
    assert a["scores"] == b["scores"]


def test_reference_from_stdin(seed_path: Path, postedit_path: Path) -> None:
    result = run("score", seed_path, "-", stdin=postedit_path.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split() == ["<stdin>", "97.05", "98.62", "98.51", "1.94"]


@pytest.mark.parametrize("command", ["report", "flag", "align"])
def test_other_commands_read_stdin(command: str, seed_path: Path, postedit_path: Path) -> None:
    extra = ["--no-scores"] if command == "report" else []
    piped = run(command, "-", postedit_path, *extra, stdin=seed_path.read_bytes())
    named = run(command, seed_path, postedit_path, *extra)
    assert piped.exit_code == 0, piped.output
    assert "<stdin>" in piped.stdout or command == "align"
    # the same result, the seed's name aside (a longer name wraps a line elsewhere)
    same = piped.stdout.replace("<stdin>", str(seed_path))
    assert same.split() == named.stdout.split()


def test_flag_out_folder_names_stdin(seed_path: Path, postedit_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run(
        "flag",
        "-",
        postedit_path,
        "--format",
        "json",
        "--out",
        f"{out}/",
        stdin=seed_path.read_bytes(),
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["stdin.flags.json"]


def test_stdin_twice_is_one_line(seed_path: Path) -> None:
    result = run("score", "-", "-", stdin=seed_path.read_bytes())
    assert result.exit_code == 2
    assert result.stderr == (
        "transdiff: error: -: standard input is given twice; it can be read once: "
        "give it as the seed or as one reference\n"
    )


def test_empty_stdin_is_one_line(postedit_path: Path) -> None:
    result = run("score", "-", postedit_path, stdin=b"")
    assert result.exit_code == 2
    assert result.stderr == "transdiff: error: <stdin>: the file is empty\n"
