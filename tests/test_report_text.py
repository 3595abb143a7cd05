"""The terminal view: plain or coloured as the caller says, word diffs, flags, 80 columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.document import Document
from toolkit.pipeline import compare_documents, compare_files
from toolkit.report.text import render_text
from toolkit.result import Report, RunSettings

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def bundled(seed_path: Path, postedit_path: Path, alternative_path: Path) -> Report:
    return compare_files(seed_path, [postedit_path, alternative_path])


def run(seed: str, *refs: str, **settings: object) -> Report:
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(r, path=f"ref{k}.txt") for k, r in enumerate(refs, start=1)],
        settings=RunSettings(**settings),  # type: ignore[arg-type]
    )


def test_plain_has_no_escape_codes(bundled: Report) -> None:
    text = render_text(bundled)
    assert "\x1b" not in text
    assert text == render_text(bundled, color=False)


def test_colour_marks_deletions_and_insertions(bundled: Report) -> None:
    coloured = render_text(bundled, color=True)
    assert "\x1b[9;31m" in coloured, "deleted words: red, struck through"
    assert "\x1b[4;32m" in coloured, "inserted words: green, underlined"
    assert "[-" not in ANSI.sub("", coloured).split("most suspect")[1], "no plain markers"
    assert "[-He-]{+It+}" in render_text(bundled).split()


def test_the_library_ignores_the_environment(
    bundled: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI decides about colour; rich must not override it from the environment."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    assert "\x1b" not in render_text(bundled)
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[" in render_text(bundled, color=True)


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
def test_fits_the_width(bundled: Report, width: int, color: bool) -> None:
    lines = ANSI.sub("", render_text(bundled, width=width, color=color)).splitlines()
    too_long = [line for line in lines if len(line) > width]
    assert not too_long, too_long[:3]
    if not color:
        assert not [line for line in lines if line != line.rstrip()], "no padding at line ends"


def test_long_words_wrap_instead_of_overflowing() -> None:
    url = "https://example.org/" + "a" * 150
    report = run(f"He read {url} today.\n", f"She read {url} today.\n")
    text = render_text(report, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "a" * 40 in text, "the long word is folded, not cut"


def test_summary_lines(bundled: Report, seed_path: Path) -> None:
    # Wide enough for any checkout path: the lines hold absolute paths.
    lines = render_text(bundled, width=400).splitlines()
    assert lines[0] == f"seed: {seed_path} (77 segments, utf-8)"
    assert lines[1].startswith("reference postedit: ")
    assert lines[2] == "  beads: 1-0 1, 1-1 76"
    assert lines[4] == "  beads: 0-1 1, 1-0 3, 1-1 62, 1-2 4, 2-1 4"


def test_scores_and_signatures(bundled: Report) -> None:
    text = render_text(bundled, width=120)
    row = next(line for line in text.splitlines() if line.startswith("postedit "))
    assert [float(x) for x in row.split()[1:]] == [
        round(s.score, 2) for s in bundled.references[0].scores.values()
    ]
    assert bundled.signature in text.replace("\n", "")
    for name, score in bundled.scores.items():
        metric_part = score.signature.removesuffix("|" + bundled.signature)
        assert f"{name}: {metric_part}|<signature>" in text


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
    "The ferry leaves every 90 minutes.\n"
)


@pytest.fixture(scope="module")
def two_refs() -> Report:
    return run(SEED, REF_A, REF_B, segmented=True)


def test_flags_section(two_refs: Report) -> None:
    text = render_text(two_refs)
    assert "flags: 3 on 3 of 4 sentences" in text
    section = text.split("most suspect")[1].split("\nref1: ")[0]
    order = sorted(("L1", "L2", "L3"), key=lambda i: section.index(f" {i} "))
    expected = [two_refs.seed_segments[i].id for i in two_refs.review_order()]
    assert order == [i for i in expected if i in order], "most suspect first"
    l1 = next(s for s in two_refs.sentences if s.id == "L1")
    assert f"{l1.suspicion:.2f} L1 [He] went home after the match." in section
    assert '! major accuracy/pronoun “He”: pronoun "He" differs from the' in section
    assert "[2/2 refs]" in section and "[1/2 refs]" in section
    assert "The strong[—]willed leader" in section
    assert "! minor fluency/typography “—”" in section


def test_diff_rows_only_for_beads_that_differ(two_refs: Report) -> None:
    text = render_text(two_refs, width=100)
    first = text.split("\nref1: 4 beads")[1].split("\nref2: 4 beads")[0]
    assert first.startswith(", 100% of seed sentences matched; 3 differ, 1 the same")
    assert "[-He-]{+She+} went home after the match." in first
    assert "The [-strong-]{+strong-willed+}[-—willed-] leader" in first
    assert "Engineers [-from-]{+in+} Rotterdam" in first
    assert "ferry" not in first, "identical beads are not shown"
    assert "fluency/typography" not in first, "reference-free flags are in the flag section"
    second = text.split("\nref2: 4 beads")[1]
    assert second.startswith(", 75% of seed sentences matched; 3 differ, 1 the same")
    assert "[-Engineers from Rotterdam designed the new harbour.-]" in second
    assert "! major accuracy/addition: this sentence has no counterpart" in second
    column = "\n".join(line[:10].rstrip() for line in second.splitlines())
    assert "\nL3\n→ -\n1-0 -" in column, "the bead: seed id, no reference id, kind"


def test_insertions_keep_the_reference_spacing() -> None:
    report = run(
        "He treats the history of his country.\n",
        "He treats the history of his country with care.\n",
    )
    assert "of his country {+with care+}." in render_text(report)


def test_flag_span_highlighted_in_colour() -> None:
    report = run("Then he left.\n", "Then she left.\n")
    coloured = render_text(report, color=True)
    # the pronoun flag's span carries the severity style on top of the deletion
    assert re.search(r"\x1b\[[0-9;]*48;5;208m[^\x1b]*he\x1b\[0m", coloured), coloured


def test_control_characters_never_reach_the_terminal() -> None:
    report = run("He saw \x1b[31mred\x1b[0m and a bell\x07.\n", "She saw red and a bell.\n")
    for color in (False, True):
        text = render_text(report, color=color)
        assert "\x07" not in text and "\x1b[31m" not in text
        shown = ANSI.sub("", text)  # the view's own colours off; the input's stay escaped
        assert "31mred\\x1b[0m" in shown and "\\x07" in shown, "shown as visible escapes"


def test_seed_only_and_no_checks() -> None:
    text = render_text(run("One sentence. Two sentences.\n"))
    assert "no references: the seed is segmented only" in text
    assert "flags: 0 on 0 of 2 sentences" in text
    assert "flags:" not in render_text(run("One.\n", "One.\n", detect=False))


def test_all_beads_the_same() -> None:
    text = render_text(run("Same text here.\n", "Same text here.\n"))
    assert "ref1: 1 beads, 100% of seed sentences matched; 0 differ, 1 the same" in text
