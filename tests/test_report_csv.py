"""The CSV report: a row per flag, offsets that round-trip, no formula injection, BOM on demand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from toolkit.checks import Category, Severity
from toolkit.detect import Flag
from toolkit.document import Document
from toolkit.pipeline import compare_documents, compare_files
from toolkit.report.csv import COLUMNS, neutralise, render_csv
from toolkit.result import Report, RunSettings, SentenceResult
from toolkit.segment import Segment


def rows(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header, *body = list(reader)
    assert tuple(header) == COLUMNS
    return [dict(zip(header, row, strict=True)) for row in body]


def handmade(lines: list[str]) -> Report:
    """A seed-only report whose every line is a segment with one flag on its last character."""
    text = "\n".join(lines) + "\n"
    segments, sentences, at = [], [], 0
    for n, line in enumerate(lines, start=1):
        segments.append(Segment(f"L{n}", line, at, at + len(line), n))
        flag = Flag(f"id{n}", Category.typography, Severity.minor, len(line) - 1, len(line), line)
        sentences.append(SentenceResult(f"L{n}", suspicion=0.18, flags=(flag,)))
        at += len(line) + 1
    return Report(
        seed=Document.from_text(text, path="seed.txt"),
        seed_segments=tuple(segments),
        references=(),
        sentences=tuple(sentences),
        settings=RunSettings(score=None),
        signature="test",
    )


@pytest.fixture(scope="module")
def bundled(seed_path: Path, postedit_path: Path, alternative_path: Path) -> Report:
    return compare_files(seed_path, [postedit_path, alternative_path])


# Two references: both say "She" (a flag 2/2 refs), "b" leaves out the third line (1/2), and a
# reference-free flag on the dash.
SEED = (
    "He went home after the match.\n"
    "The strong—willed leader spoke to the crowd.\n"
    "Engineers from Rotterdam designed the new harbour.\n"
    "The ferry leaves every 90 minutes.\n"
)
# L3 differs from the seed by one word in each reference: a word-for-word copy would
# vouch for the sentence and dismiss its flags.
REF_A = SEED.replace("He ", "She ").replace("—", "-").replace("Engineers from", "Engineers in")
REF_B = (
    "She went home after the game.\n"
    "The determined leader addressed the crowd.\n"
    "The ferry now leaves every 90 minutes.\n"
)


@pytest.fixture(scope="module")
def two_refs() -> Report:
    return compare_documents(
        Document.from_text(SEED),
        [Document.from_text(REF_A, path="a.txt"), Document.from_text(REF_B, path="b.txt")],
        settings=RunSettings(segmented=True),
    )


# --- formula injection -------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+1 He", "-2 He", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("cell", DANGEROUS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_neutralise_dangerous(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "a=b", "He said -2", " =1", "'quoted", "1/2 refs", "é"])
def test_neutralise_leaves_the_rest(cell: str) -> None:
    assert neutralise(cell) == cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_text_cell_starting_with_a_formula_char_is_neutralised(start: str) -> None:
    line = f"{start}HYPERLINK(x) -1"
    (row,) = rows(render_csv(handmade([line])))
    assert row["seed_text"] == "'" + line
    assert row["message"] == "'" + line
    assert row["flag_text"] == "1"
    assert (row["sentence_start"], row["sentence_end"]) == ("0", str(len(line)))


def test_negative_looking_text_is_neutralised_but_offsets_are_numbers() -> None:
    (row,) = rows(render_csv(handmade(["-1"])))
    assert row["seed_text"] == "'-1" and row["flag_text"] == "1"
    assert [row[k] for k in ("sentence_start", "flag_start", "flag_end")] == ["0", "1", "2"]


def test_injection_through_the_pipeline() -> None:
    seed = '=HYPERLINK("http://evil") He went home.\n+1 He went home.\n@SUM He left.\n'
    report = compare_documents(
        Document.from_text(seed),
        [Document.from_text(seed.replace("He ", "She "))],
        settings=RunSettings(segmented=True),
    )
    got = {r["sentence_id"]: r for r in rows(render_csv(report))}
    assert got["L1"]["seed_text"] == '\'=HYPERLINK("http://evil") He went home.'
    assert got["L1"]["reference_text"] == '\'=HYPERLINK("http://evil") She went home.'
    assert got["L2"]["seed_text"] == "'+1 He went home."
    assert got["L3"]["seed_text"] == "'@SUM He left."
    assert {r["flag_text"] for r in got.values()} == {"He"}


# --- format ------------------------------------------------------------------------------------


def test_bom_only_when_asked(bundled: Report) -> None:
    plain, marked = render_csv(bundled), render_csv(bundled, bom=True)
    assert not plain.startswith("\ufeff")
    assert marked == "\ufeff" + plain
    assert marked.encode("utf-8")[:3] == b"\xef\xbb\xbf"


def test_rfc4180_line_ends(bundled: Report) -> None:
    text = render_csv(bundled)
    assert text.endswith("\r\n")
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    n = sum(len(s.flags) for s in bundled.sentences)
    assert n > 0
    assert text.count("\r\n") == 1 + n, "header and one record per flag: CRLF ends each"
    assert len(rows(text)) == n


def test_cells_with_newlines_quotes_and_commas_read_back_exactly() -> None:
    seed = 'He said "no, never",\r\nthen left.\n'
    report = compare_documents(
        Document.from_text(seed), [Document.from_text(seed.replace("He ", "She "))]
    )
    (row,) = rows(render_csv(report))
    assert row["seed_text"] == 'He said "no, never",\r\nthen left.'
    assert row["reference_text"] == 'She said "no, never", then left.', "one line per reference"
    assert seed[int(row["flag_start"]) : int(row["flag_end"])] == "He"


def test_empty_report_is_the_header() -> None:
    report = compare_documents(Document.from_text("A plain sentence.\n"), [])
    assert render_csv(report) == ",".join(COLUMNS) + "\r\n"


# --- content -----------------------------------------------------------------------------------


def test_every_flag_once_with_offsets_that_round_trip(bundled: Report, seed_path: Path) -> None:
    with open(seed_path, encoding="utf-8", newline="") as fh:
        file_text = fh.read()
    assert file_text == bundled.seed.text
    got = rows(render_csv(bundled))
    expected = [
        (segment, result, flag)
        for segment, result in zip(bundled.seed_segments, bundled.sentences, strict=True)
        for flag in result.flags
    ]
    assert len(got) == len(expected) > 0
    assert [(r["sentence_id"], r["flag_id"]) for r in got] == [
        (segment.id, flag.id) for segment, _, flag in expected
    ]
    for row, (segment, result, flag) in zip(got, expected, strict=True):
        start, end = int(row["flag_start"]), int(row["flag_end"])
        span = segment.text[flag.start : flag.end]
        assert file_text[start:end] == span == row["flag_text"].removeprefix("'")
        assert (int(row["flag_start_in_sentence"]), int(row["flag_end_in_sentence"])) == (
            flag.start,
            flag.end,
        )
        s_start, s_end = int(row["sentence_start"]), int(row["sentence_end"])
        assert file_text[s_start:s_end] == segment.text
        assert start - s_start == flag.start
        assert (row["category"], row["severity"]) == (flag.category.value, flag.severity.value)
        assert float(row["suspicion"]) == result.suspicion
        assert row["message"] == flag.message


def test_support_and_reference_texts(two_refs: Report) -> None:
    got = {r["sentence_id"]: r for r in rows(render_csv(two_refs))}
    assert sorted(got) == ["L1", "L2", "L3"], "one row per flag, none for L4"
    pronoun = got["L1"]
    assert (pronoun["flag_text"], pronoun["category"]) == ("He", "accuracy/pronoun")
    assert pronoun["support"] == "2/2 refs"
    assert pronoun["references"] == "a; b"
    assert pronoun["reference"] == "a\nb"
    assert (
        pronoun["reference_text"] == "She went home after the match.\nShe went home after the game."
    )
    dash = got["L2"]
    assert (dash["flag_text"], dash["support"], dash["references"], dash["reference"]) == (
        "—",
        "no reference",
        "",
        "a",
    ), "a reference-free flag shows the first reference's text"
    assert dash["reference_text"] == "The strong-willed leader spoke to the crowd."
    left_out = got["L3"]
    assert (left_out["support"], left_out["reference"], left_out["reference_text"]) == (
        "1/2 refs",
        "b",
        "",
    ), "b has no counterpart: its text is empty"
