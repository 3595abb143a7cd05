"""The format registry (``toolkit/report/formats.py``): every format through every command that
renders reports (``report``, ``flag``, ``batch``), and output that parses as its format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app
from toolkit.errors import UsageError
from toolkit.report import FORMATS, Format, check_options, output_format, render
from toolkit.report.csv import COLUMNS
from toolkit.review import review_files

SEED = "The ship left in 1998.\nShe did not sign the contract.\nThe crew stayed at home.\n"
REF = "The ship left in 1989.\nShe signed the contract.\nThe crew stayed at home.\n"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
FLAGGED = SEED.splitlines()[:2]  # the XLIFF holds the flagged sentences: the number, the "not"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    docs.mkdir()
    refs.mkdir()
    (docs / "a.txt").write_text(SEED, encoding="utf-8")
    (refs / "a.txt").write_text(REF, encoding="utf-8")
    return docs, refs


def check_parses(fmt: Format, text: str, command: str) -> None:
    """``text`` is a document of ``fmt`` with the run's number flag in it."""
    if fmt is Format.json:
        data = json.loads(text)
        schema = "transdiff/flags-v1" if command == "flag" else "transdiff/report-v1"
        assert data["schema"] == schema
        assert "1998" in [f["text"] for s in data["sentences"] for f in s["flags"]]
    elif fmt is Format.xliff:
        root = ET.fromstring(text.encode("utf-8"))
        assert root.tag == f"{{{XLIFF_NS}}}xliff"
        units = root.iter(f"{{{XLIFF_NS}}}trans-unit")
        assert [u.findtext(f"{{{XLIFF_NS}}}target") for u in units] == FLAGGED
    elif fmt is Format.csv:
        header, *rows = csv.reader(io.StringIO(text, newline=""))
        assert tuple(header) == COLUMNS
        assert "1998" in [r[COLUMNS.index("flag_text")] for r in rows]
    elif fmt is Format.html:
        assert text.lstrip().lower().startswith("<!doctype html>") and "</html>" in text
    elif fmt is Format.md:
        assert text.startswith("### transdiff report\n") and "1998" in text
    else:
        first = "review queue for " if command == "flag" else "seed: "
        assert text.startswith(first) and "1998" in text


@pytest.mark.parametrize("command", ["report", "flag", "batch"])
@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_through_every_command(
    folders: tuple[Path, Path], tmp_path: Path, fmt: Format, command: str
) -> None:
    docs, refs = folders
    out = tmp_path / "out"
    if command == "batch":
        result = invoke("batch", docs, "--refs", refs, "--out", out, "-f", fmt, "-j", "1")
        written = out / f"a.{FORMATS[fmt].extension}"
    else:
        out.mkdir()
        result = invoke(command, docs / "a.txt", refs / "a.txt", "-f", fmt, "--out", f"{out}/")
        stem = "a.flags" if command == "flag" else "a"
        written = out / f"{stem}.{FORMATS[fmt].extension}"
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    check_parses(fmt, written.read_text(encoding="utf-8"), command)


@pytest.mark.parametrize("command", ["report", "flag"])
@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_on_stdout(folders: tuple[Path, Path], fmt: Format, command: str) -> None:
    docs, refs = folders
    result = invoke(command, docs / "a.txt", refs / "a.txt", "-f", fmt)
    assert result.exit_code == 0, result.output
    check_parses(fmt, result.stdout, command)


def test_batch_xliff_writes_valid_xliff_per_document(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    docs, refs = folders
    (docs / "b.txt").write_text("The ferry left in 2004.\nIt was full.\n", encoding="utf-8")
    (refs / "b.txt").write_text("The ferry left in 2005.\nIt was full.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("batch", docs, "--refs", refs, "--out", out, "--format", "xliff", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.xlf", "b.xlf", "index.html", "index.json"]
    expected = {
        "a.xlf": [(REF.splitlines()[k], FLAGGED[k]) for k in range(2)],
        "b.xlf": [("The ferry left in 2005.", "The ferry left in 2004.")],
    }
    for name, pairs in expected.items():
        root = ET.parse(out / name).getroot()
        assert root.tag == f"{{{XLIFF_NS}}}xliff" and root.get("version") == "1.2"
        units = list(root.iter(f"{{{XLIFF_NS}}}trans-unit"))
        found = [
            (u.findtext(f"{{{XLIFF_NS}}}source"), u.findtext(f"{{{XLIFF_NS}}}target"))
            for u in units
        ]
        assert found == pairs
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert (index["format"], [d["report"] for d in index["documents"]]) == (
        "xliff",
        ["a.xlf", "b.xlf"],
    )


def test_registry_entries() -> None:
    assert list(FORMATS) == list(Format)
    assert {f.value: s.extension for f, s in FORMATS.items()} == {
        "text": "txt",
        "json": "json",
        "md": "md",
        "csv": "csv",
        "html": "html",
        "xliff": "xlf",
    }
    assert [f for f, s in FORMATS.items() if "bom" in s.options] == [Format.csv]
    assert [f for f, s in FORMATS.items() if s.queue is not None] == [Format.text, Format.json]
    assert output_format("xliff") is FORMATS[Format.xliff]


def test_unknown_format_and_misplaced_bom_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown format 'pdf'; use one of text, json"):
        output_format("pdf")
    with pytest.raises(UsageError, match="--bom applies to --format csv only, not html"):
        check_options("html", bom=True)
    check_options("csv", bom=True)  # no error


def test_render_in_the_library_matches_the_command(folders: tuple[Path, Path]) -> None:
    docs, refs = folders
    report = review_files(docs / "a.txt", [refs / "a.txt"])
    text = render(report, "csv", bom=True)
    assert text.startswith("\ufeff")
    assert render(report, Format.csv) == text.removeprefix("\ufeff")
