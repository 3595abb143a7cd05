"""``--format xliff``: flagged sentences as XLIFF 1.2 that translate-toolkit reads back intact."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from translate.storage import xliff
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Document
from toolkit.pipeline import compare_documents, compare_files
from toolkit.report import Format, render
from toolkit.report.xliff import NAMESPACE, render_xliff
from toolkit.result import RunSettings

SEED = (
    'Он сказал: "5 < 6 & 7" — 🙂 ещё.\n'
    "Tom's  <b>bold</b> claim: 3 & 'four'.\n"
    "Nothing is wrong here.\n"
)
REF = (
    'Он сказал: "4 < 6 & 7" — 🙂 ещё.\n'
    "Tom's  <b>bold</b> claim: 2 & 'four'.\n"
    "Nothing is wrong here.\n"
)
NOTE = "{urn:oasis:names:tc:xliff:document:1.2}note"


def _report():
    settings = RunSettings(segmented=True, score=None)
    return compare_documents(
        Document.from_text(SEED, path="seed.txt"),
        [Document.from_text(REF, path="ref.txt")],
        settings=settings,
    )


def test_round_trip_keeps_every_character() -> None:
    report = _report()
    flagged = [
        (seg, res)
        for seg, res in zip(report.seed_segments, report.sentences, strict=True)
        if res.flags
    ]
    assert [seg.id for seg, _ in flagged] == ["L1", "L2"]  # the clean sentence is left out
    text = render_xliff(report)
    store = xliff.xlifffile.parsestring(text.encode("utf-8"))
    units = store.units
    assert [u.xmlelement.get("id") for u in units] == ["L1", "L2"]
    assert [u.target for u in units] == [seg.text for seg, _ in flagged]
    assert units[1].target == "Tom's  <b>bold</b> claim: 3 & 'four'."  # two spaces kept
    assert [u.source for u in units] == REF.splitlines()[:2]  # the aligned reference text
    for unit, (seg, result) in zip(units, flagged, strict=True):
        notes = unit.getnotes(origin="transdiff")
        for flag in result.flags:
            assert flag.message in notes
            assert flag.category.value in notes
            assert f"[{seg.text[flag.start : flag.end]}]" in notes
        assert f"suspicion {result.suspicion:.2f}" in notes


def test_notes_carry_priority_from_severity() -> None:
    report = _report()
    root = etree.fromstring(render_xliff(report).encode("utf-8"))
    assert root.tag == f"{{{NAMESPACE}}}xliff" and root.get("version") == "1.2"
    first = root.find(f".//{{{NAMESPACE}}}trans-unit")
    notes = first.findall(NOTE)
    flags = report.sentences[0].flags
    expected = {"critical": "1", "major": "2", "minor": "3"}
    assert [n.get("priority") for n in notes[: len(flags)]] == [
        expected[f.severity.value] for f in flags
    ]
    assert all(n.get("from") == "transdiff" for n in notes)
    header_note = root.find(f".//{{{NAMESPACE}}}header/{{{NAMESPACE}}}note")
    assert header_note.text == report.signature


def test_render_dispatches_xliff() -> None:
    report = _report()
    assert render(report, Format.xliff) == render_xliff(report)


def test_unit_input_exports_unit_ids_and_sources(tmp_path: Path) -> None:
    seed = tmp_path / "doc.xlf"
    seed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="d" source-language="en" datatype="plaintext"><body>'
        '<trans-unit id="ok"><source>Fine.</source><target>Gut.</target>'
        "<alt-trans><target>Gut.</target></alt-trans></trans-unit>"
        '<trans-unit id="cats-1"><source>I have 3 &lt;cats&gt;.</source>'
        "<target>Ich habe 4 &lt;Katzen&gt;.</target>"
        "<alt-trans><target>Ich habe 3 &lt;Katzen&gt;.</target></alt-trans></trans-unit>"
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    report = compare_files(seed, [], settings=RunSettings(score=None))
    store = xliff.xlifffile.parsestring(render_xliff(report).encode("utf-8"))
    assert [(u.xmlelement.get("id"), u.source, u.target) for u in store.units] == [
        ("cats-1", "I have 3 <cats>.", "Ich habe 4 <Katzen>.")
    ]
    assert 'number "4" does not match the reference, which has "3"' in store.units[0].getnotes()


def test_flag_command_writes_xliff(tmp_path: Path) -> None:
    seed, ref, out = tmp_path / "seed.txt", tmp_path / "ref.txt", tmp_path / "review.xlf"
    seed.write_text(SEED, encoding="utf-8")
    ref.write_text(REF, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["flag", str(seed), str(ref), "--segmented", "--format", "xliff", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    store = xliff.xlifffile.parsestring(out.read_bytes())
    assert [u.target for u in store.units] == SEED.splitlines()[:2]
