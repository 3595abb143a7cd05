"""``transdiff compare`` outputs (issue 16 part 3): compare-v2 JSON, the text sections within
the width, the HTML page (self-contained, escaped), and bad input as one line with exit 2."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app
from toolkit.compare import CompareSettings
from toolkit.compare_analysis import AnalysisSettings, ReferenceAnalysis, analyse_files
from toolkit.report.compare_html import render_compare_html
from toolkit.report.compare_json import render_compare_v2
from toolkit.report.json import compare_to_dict

FAST = ["--bootstrap", "50", "--ar-trials", "50", "--segmented"]

REFERENCE = [
    "The committee approved the new budget on Monday.",
    "Teachers will receive a raise of five percent next year.",
    "The mayor said the city could finally repair its old bridges.",
    "Critics warned that taxes might rise again.",
    "The vote was close, nine to seven.",
]
SYSTEM_A = [
    "The committee approved the new budget on Monday.",
    "Teachers will get a five percent raise next year.",
    "The mayor said the city can finally repair its old bridges.",
    "Critics warned that taxes could rise again.",
    "The vote was close, nine to seven.",
]
# B: a script element and quotes in its text, which the page must show as text.
SYSTEM_B = [
    'The committee approved the "new" budget on Monday <script>alert(1)</script>.',
    "Teachers will receive a raise of fifty percent next year.",
    "The mayor said the town could finally repair her old bridges.",
    "Critics warned that taxes won't rise again.",
    'The vote was close, nine to seven <img src=x onerror="window.__xss=1">.',
]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("compare")
    paths = []
    for name, lines in (("a", SYSTEM_A), ("b", SYSTEM_B), ("ref", REFERENCE)):
        path = folder / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def analyses(files: list[Path]) -> tuple[ReferenceAnalysis, ...]:
    return analyse_files(
        files[:2],
        files[2:],
        settings=CompareSettings(segmented=True, bootstrap_samples=50, ar_trials=50),
        analysis=AnalysisSettings(samples=50),
    )


def test_json_v2_keeps_v1_and_adds_the_analysis(analyses: tuple[ReferenceAnalysis, ...]) -> None:
    data = json.loads(render_compare_v2(analyses))
    assert data["schema"] == "transdiff/compare-v2"
    [entry] = data["references"]
    v1 = compare_to_dict([analyses[0].comparison])["references"][0]
    assert {k: entry[k] for k in v1} == v1
    analysis = entry["analysis"]
    assert set(analysis) == {
        "signature", "unit_signatures", "language", "notes", "length_buckets",
        "frequency_buckets", "ngrams", "flags", "units",
    }  # fmt: skip
    # Reference lengths 8, 11, 11, 7 and 7 words.
    assert [b["units"] for b in analysis["length_buckets"]] == [3, 2, 0, 0, 0, 0, 0]
    assert analysis["length_buckets"][2]["scores"] == {}
    assert len(analysis["units"]) == 5
    unit = analysis["units"][1]
    assert unit["reference"] == {"ids": ["L2"], "text": REFERENCE[1]}
    assert unit["systems"]["b"]["text"] == SYSTEM_B[1]
    assert set(unit["systems"]["a"]["scores"]) == {"chrf", "bleu"}
    assert "eff:yes" in analysis["unit_signatures"]["bleu"]
    assert analysis["unit_signatures"]["chrf"].startswith("nrefs:1|case:mixed|eff:yes|nc:6")
    [ngrams] = analysis["ngrams"]
    assert (ngrams["a"], ngrams["b"]) == ("a", "b")
    # B alone says "receive a raise of" as the reference does: ties at 1/3, in text order.
    assert ngrams["b_better"][0] == {"ngram": "a raise", "matches": [0, 1], "ratio": 1 / 3}
    assert all(g["ratio"] < 0.5 for g in ngrams["b_better"])
    all_flags = analysis["flags"][0]
    assert all_flags["category"] == "all"
    assert set(all_flags["tests"]) == {"b"} and "a" not in all_flags["tests"]
    flags_b = sum(len(u["systems"]["b"]["flags"]) for u in analysis["units"])
    assert all_flags["counts"]["b"] == flags_b > 0


def test_text_output_fits_80_columns_and_a_given_width(files: list[Path]) -> None:
    for width, args in ((80, []), (60, ["--width", "60"])):
        result = run("compare", *files[:2], "--ref", files[2], *FAST, *args)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        start = next(k for k, line in enumerate(lines) if line.startswith("analysis against"))
        # The ranking table keeps its fixed columns (76, README); the analysis fits any width.
        assert max(len(line) for line in lines[start:]) <= width
        assert max(len(line) for line in lines) <= max(width, 76)
        for heading in (
            "scores by reference length in words (mean sentence scores)",
            "word F-measure by word frequency (wordfreq Zipf)",
            "n-grams A matches in the reference and B misses",
            "flags per category: B-A, paired bootstrap over units",
        ):
            assert heading in lines
        assert any(line.startswith("analysis against ref (5 units;") for line in lines)


def test_json_and_html_from_the_command_line(files: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "cmp.json"
    result = run("compare", *files[:2], "--ref", files[2], *FAST, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "transdiff/compare-v2"
    result = run("compare", *files[:2], "--ref", files[2], *FAST, "-f", "html", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.compare.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_seed_makes_the_flag_bootstrap_reproducible(files: list[Path]) -> None:
    args: list[str | Path] = [
        "compare",
        *files[:2],
        "--ref",
        files[2],
        *FAST,
        "-f",
        "json",
        "--seed",
        "7",
    ]
    first, second = run(*args), run(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout


class _Text(HTMLParser):
    """The page's text outside tooltips and its elements (tag names), as a browser parses them."""

    VOID = frozenset({"meta", "wbr", "br", "input", "img", "hr", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.tips: list[bool] = []  # per open element: inside a tooltip

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            inside = bool(self.tips and self.tips[-1])
            self.tips.append(inside or ("class", "tip") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.tips:
            self.tips.pop()

    def handle_data(self, data: str) -> None:
        if not (self.tips and self.tips[-1]):
            self.text.append(data)


def test_html_escapes_system_text(analyses: tuple[ReferenceAnalysis, ...]) -> None:
    page = render_compare_html(analyses)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    # Escaped (the word diff may cut it into several runs).
    assert "script&gt;alert(" in page and "onerror=&#34;window.__xss=1&#34;" in page
    parsed = _Text()
    parsed.feed(page)
    assert parsed.tags.count("script") == 1  # the page's own, allowed by its hash
    assert "img" not in parsed.tags
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text  # shown as text
    assert '"new"' in text
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert html.unescape(csp.group(1)).startswith("default-src 'none'; style-src 'sha256-")


def test_html_shows_both_diffs_and_the_flags(analyses: tuple[ReferenceAnalysis, ...]) -> None:
    page = render_compare_html(analyses)
    # Each system's text twice: against the reference and against the other system.
    assert page.count('class="v-ref"') == page.count('class="v-other"') == 10
    assert "<del" in page
    flag_ids = {f.id for u in analyses[0].units for s in u.systems for f in s.all_flags}
    assert flag_ids and all(fid in page for fid in flag_ids)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ngrams", "0"], "Invalid value for '--ngrams'"),
        (["--seed", "-1"], "Invalid value for '--seed'"),
        (["-f", "pdf"], "'pdf' is not one of 'text', 'json', 'html'"),
        (["--bootstrap", "5"], "bootstrap samples (5)"),
    ],
)
def test_bad_options_are_one_line_with_exit_2(
    files: list[Path], args: list[str], message: str
) -> None:
    result = run("compare", *files[:2], "--ref", files[2], "--segmented", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr


def test_one_system_is_one_line_with_exit_2(files: list[Path]) -> None:
    result = run("compare", files[0], "--ref", files[2], "-f", "html")
    assert result.exit_code == 2
    assert result.stderr == "transdiff: error: compare needs at least two systems, got 1\n"


def test_three_systems_in_text_json_and_html(files: list[Path], tmp_path: Path) -> None:
    third = tmp_path / "c.txt"
    third.write_text(
        "\n".join([*SYSTEM_A[:4], "The vote was tight, nine to seven."]) + "\n", "utf-8"
    )
    args: list[str | Path] = ["compare", *files[:2], third, "--ref", files[2], *FAST]
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("A = a, B = b, C = c" in line for line in lines)
    assert "flags per category: B-A, C-A, paired bootstrap over units" in lines
    assert "n-grams A matches in the reference and C misses" in lines
    data = json.loads(run(*args, "-f", "json").stdout)
    analysis = data["references"][0]["analysis"]
    assert [(g["a"], g["b"]) for g in analysis["ngrams"]] == [("a", "b"), ("a", "c")]
    assert set(analysis["flags"][0]["tests"]) == {"b", "c"}
    page = run(*args, "-f", "html").stdout
    assert page.count('class="v-ref"') == 15
    assert "repeat(4, minmax(0, 1fr))" in page  # the reference and three systems
