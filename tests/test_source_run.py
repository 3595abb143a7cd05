"""The source in a run: --source, a unit seed's own sources, arbitration, outputs, bad input."""
# ruff: noqa: RUF001  (Russian sources: their letters are meant)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.checks import SourceText
from toolkit.cli import app
from toolkit.review import review_files
from toolkit.source import SourceSide
from toolkit.source.reading import _clashes

MT = (
    "The meeting of the SCO will take place in July in Vilnius.\n\n"
    "Thirty delegates from 12 countries will attend, and the budget is 35 million rubles.\n\n"
    "Is the plan approved."
)
REF = (
    "The SCO meeting will be held in July in Vilnius.\n\n"
    "Thirteen delegates from 12 countries will attend, and the budget is 3.5 million rubles.\n\n"
    "Is the plan approved?"
)
SRC = (
    "Встреча ШОС пройдет в июле в Вильнюсе.\n\n"
    "В ней примут участие тридцать делегатов из 12 стран, бюджет составит 3,5 млн рублей.\n\n"
    "Одобрен ли план?"
)
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="ui" source-language="en" target-language="de" datatype="plaintext">
  <body>
   <trans-unit id="u1"><source>Delete {0} files from %s?</source>
    <target>{0} Dateien löschen?</target></trans-unit>
   <trans-unit id="u2"><source>Visit https://example.com for 3 offers.</source>
    <target>Besuchen Sie https://example.com für 3 Angebote.</target></trans-unit>
  </body>
 </file>
</xliff>
"""


@pytest.fixture
def texts(tmp_path: Path) -> tuple[Path, Path, Path]:
    mt, ref, src = tmp_path / "mt.txt", tmp_path / "ref.txt", tmp_path / "src.txt"
    mt.write_text(MT, encoding="utf-8")
    ref.write_text(REF, encoding="utf-8")
    src.write_text(SRC, encoding="utf-8")
    return mt, ref, src


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def flags_of(report: object) -> list[tuple[str, str]]:
    return [
        (s.id, f.category.value)
        for s in report.sentences  # type: ignore[attr-defined]
        for f in s.flags
    ]


def test_the_source_judges_the_reference_flags(texts: tuple[Path, Path, Path]) -> None:
    mt, ref, src = texts
    without = review_files(mt, [ref])
    assert ("p2.s1", "accuracy/number") in flags_of(without)
    report = review_files(mt, [ref], source=src)
    assert report.source is not None and report.source.language == "ru"
    assert report.source.matched_share == 1.0
    assert "|source:ru|" in report.signature
    # "Thirty": the reference's "Thirteen" is wrong, the source says тридцать.
    assert [(i.sentence, i.evidence) for i in report.reference_issues] == [
        (1, 'the source has "30", as the seed does')
    ]
    sentence = report.sentences[1]
    (number,) = [f for f in sentence.flags if f.category.value == "accuracy/number"]
    assert number.references == ("ref", "(source)")
    assert number.support_label == "1/1 refs + source"
    assert MT.split("\n\n")[1][number.start : number.end] == "35 million"
    # The question the seed turned into a statement: a source check, with no reference.
    assert ("p3.s1", "fluency/punctuation") in flags_of(report)


def test_without_a_source_nothing_changes(texts: tuple[Path, Path, Path]) -> None:
    mt, ref, _ = texts
    report = review_files(mt, [ref])
    assert report.source is None and report.reference_issues == ()
    assert "source:" not in report.signature


def test_json_and_text_show_the_source(texts: tuple[Path, Path, Path]) -> None:
    mt, ref, src = texts
    result = invoke("report", mt, ref, "--source", src, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"]["language"] == "ru"
    assert data["source"]["beads"][1] == {"seed": [1], "source": [1]}
    (issue,) = data["reference_issues"]
    assert (issue["sentence"], issue["text"], issue["references"]) == ("p2.s1", "Thirty", ["ref"])
    text = invoke("report", mt, ref, "--source", src, "--width", "200")
    assert text.exit_code == 0, text.stderr
    assert "source: " in text.stdout and "(ru; 100% of seed sentences paired)" in text.stdout
    assert "probable reference issues: 1" in text.stdout


def test_flag_takes_the_source_too(texts: tuple[Path, Path, Path]) -> None:
    mt, ref, src = texts
    result = invoke("flag", mt, ref, "--source", src, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"the source ends with a question mark, the translation does not"' in result.stdout


def test_a_unit_seed_brings_its_own_sources(tmp_path: Path) -> None:
    seed = tmp_path / "ui.xlf"
    seed.write_text(XLIFF, encoding="utf-8")
    report = review_files(seed)
    assert report.source is not None and report.source.language == "en"
    found = [(s.id, f.category.value, f.message) for s in report.sentences for f in s.flags]
    assert (
        "L1",
        "design/markup",
        'the source has the placeholder "%s", which the translation leaves out',
    ) in found
    assert not [f for f in found if f[0] == "L2"]


def test_source_language_given(texts: tuple[Path, Path, Path]) -> None:
    mt, ref, src = texts
    result = invoke("report", mt, ref, "--source", src, "--source-lang", "uk", "-f", "json")
    assert json.loads(result.stdout)["source"]["language"] == "uk"


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_bad_sources_are_one_line_errors(tmp_path: Path, texts: tuple[Path, Path, Path]) -> None:
    mt, ref, _ = texts
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    assert "no text" in one_line_error(invoke("report", mt, ref, "--source", empty))
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    assert "blob.bin" in one_line_error(invoke("report", mt, ref, "--source", binary))
    missing = tmp_path / "nowhere.txt"
    assert "nowhere.txt" in one_line_error(invoke("report", mt, ref, "--source", missing))
    assert "seed" in one_line_error(invoke("report", mt, ref, "--source", mt))
    assert "xx" in one_line_error(invoke("report", mt, ref, "--source-lang", "xx"))


def test_a_source_in_the_seeds_language_or_order_is_warned(
    tmp_path: Path, texts: tuple[Path, Path, Path]
) -> None:
    mt, ref, _ = texts
    report = review_files(mt, [ref], source=ref)
    assert any("the seed's language: is it a reference?" in w for w in report.warnings)
    reordered = tmp_path / "reordered.txt"
    paragraphs = [
        "В 2019 году компания продала 3,5 млн единиц.",
        "Генеральный директор Иван Петров назвал это рекордом.",
        "Продажи в Китае выросли на 40%.",
        "Компания откроет 12 новых магазинов к 2021 году.",
    ]
    reordered.write_text("\n\n".join(reversed(paragraphs)), encoding="utf-8")
    seed = tmp_path / "sales.txt"
    seed.write_text(
        "In 2019 the company sold 3.5 million units.\n\n"
        "CEO Ivan Petrov called it a record.\n\n"
        "Sales in China grew by 40%.\n\n"
        "The company will open 12 new stores by 2021.",
        encoding="utf-8",
    )
    report = review_files(seed, source=reordered)
    assert any("share none with their source" in w for w in report.warnings), report.warnings
    ordered = tmp_path / "ordered.txt"
    ordered.write_text("\n\n".join(paragraphs), encoding="utf-8")
    assert not [w for w in review_files(seed, source=ordered).warnings if "source" in w]


def test_batch_checks_each_document_against_its_original(tmp_path: Path) -> None:
    docs, refs, sources, out = (tmp_path / d for d in ("docs", "refs", "sources", "out"))
    for folder in (docs, refs, sources):
        folder.mkdir()
    (docs / "news.txt").write_text(MT, encoding="utf-8")
    (docs / "other.txt").write_text("The sky was blue on 3 May.", encoding="utf-8")
    (refs / "news.txt").write_text(REF, encoding="utf-8")
    (sources / "news.ru.txt").write_text(SRC, encoding="utf-8")
    result = invoke(
        "batch", docs, "--refs", refs, "--sources", sources, "--out", out, "-f", "json", "-j", "1"
    )
    assert result.exit_code == 0, result.stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    by_name = {d["name"]: d for d in index["documents"]}
    assert by_name["news.txt"]["source"] == str(sources / "news.ru.txt")
    assert by_name["other.txt"]["source"] is None
    news = json.loads((out / "news.json").read_text(encoding="utf-8"))
    assert news["source"]["language"] == "ru" and len(news["reference_issues"]) == 1
    other = json.loads((out / "other.json").read_text(encoding="utf-8"))
    assert other["source"] is None
    missing = invoke("batch", docs, "--sources", tmp_path / "none", "--out", tmp_path / "o2")
    assert missing.exit_code == 2 and "none: no such folder (sources)" in missing.stderr


def test_the_html_page_lists_the_reference_issues(texts: tuple[Path, Path, Path]) -> None:
    mt, ref, src = texts
    result = invoke("report", mt, ref, "--source", src, "--format", "html")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert 'id="reference-issues"' in page and "1 probable reference issue:" in page
    assert "the source has &#34;30&#34;, as the seed does" in page
    assert "(ru; 100% of the seed sentences paired)" in page
    plain = invoke("report", mt, ref, "--format", "html").stdout
    assert "reference-issues" not in plain and "Source:" not in plain


def test_the_order_warning_counts_unpaired_sentences_with_numbers() -> None:
    seed = ["In 2019 we sold 5 cars.", "Sales grew by 40%.", "We open 12 shops.", "Thanks."]
    # the first three carry numbers: two found no source, one shares its number
    texts = (None, SourceText("销售增长了40%。", (1,), "zh"), None, None)
    side = SourceSide("src.txt", "zh", texts, (), ())
    assert _clashes(side, seed) == 2 / 3
    # sharing its numbers, the first one tips the balance: no majority, no warning
    texts = (SourceText("2019年我们卖了5辆车。", (0,), "zh"), texts[1], None, None)
    assert _clashes(SourceSide("src.txt", "zh", texts, (), ()), seed) is None
