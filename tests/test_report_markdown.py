"""The Markdown report: sections, values, most suspect first, and text that cannot break it."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest

from toolkit.document import Document
from toolkit.pipeline import compare_documents, compare_files
from toolkit.report.markdown import escape, render_markdown
from toolkit.result import Report, RunSettings

markdown_it = pytest.importorskip("markdown_it")  # installed with rich

# Lines of the seed: every one says "He" where the reference says "She" (a pronoun flag), and
# the first one is full of Markdown and HTML.
NASTY = (
    "He paid <script>alert(1)</script> | *bold* _x_ `code` [link](http://x) $5 and $10 "
    "@octocat <b>&amp; ~~gone~~ \\| a\\b."
)
SEED = f'{NASTY}\n=HYPERLINK("http://evil") He went home.\n# He went home.\n1. He left.\n'
REF = SEED.replace("He ", "She ")
ALLOWED_TAGS = {"b", "/b", "br", "span", "/span", "details", "/details", "summary", "/summary"}


def nasty_report(**settings: object) -> Report:
    return compare_documents(
        Document.from_text(SEED, path="seed|<i>x</i>.txt"),
        [Document.from_text(REF, path="ref_*1*.txt")],
        settings=RunSettings(segmented=True, **settings),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def bundled(seed_path: Path, postedit_path: Path, alternative_path: Path) -> Report:
    return compare_files(seed_path, [postedit_path, alternative_path])


def tables(text: str) -> list[list[list[str]]]:
    """Every table of ``text`` as rendered by a CommonMark parser with GFM tables: cell texts."""
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    out: list[list[list[str]]] = []
    for table in re.findall(r"<table>.*?</table>", parser.render(text), re.DOTALL):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
        out.append([re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL) for row in rows])
    return out


def visible(cell_html: str) -> str:
    """The text a reader sees in a rendered cell."""
    return html.unescape(re.sub(r"<[^>]+>", "", cell_html)).replace("\u2060", "")


# --- escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", r"a\|b"),
        ("*x* _y_", r"\*x\* \_y\_"),
        ("`code`", r"\`code\`"),
        ("[a](b)", r"\[a\](b)"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("two\nlines\r\nhere", "two lines here"),
        ("a\\b", "a\\\\b"),
        ("~~x~~", r"\~\~x\~\~"),
        ("$5 and $10", "<span>$</span>5 and <span>$</span>10"),
        ("ask @octocat", "ask @\u2060octocat"),
        ("plain text, 1998.", "plain text, 1998."),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_hostile_sentences_keep_every_table_intact() -> None:
    text = render_markdown(nasty_report())
    for table in tables(text):
        widths = {len(row) for row in table}
        assert len(widths) == 1, f"a row has too many or too few cells: {table}"
    flagged = tables(text)[-1]
    assert [visible(c) for c in flagged[0]] == ["Sentence", "Suspicion", "Text", "Flags"]
    texts = {visible(row[0]): visible(row[2]) for row in flagged[1:]}
    assert texts["L1"] == NASTY, "the sentence reads exactly as written"
    assert texts["L2"] == '=HYPERLINK("http://evil") He went home.'
    assert texts["L3"] == "# He went home."


def test_hostile_text_injects_no_html() -> None:
    text = render_markdown(nasty_report())
    tags = {m.lower() for m in re.findall(r"<(/?[a-zA-Z]+)", text)}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in rendered and "<i>" not in rendered
    assert "<a " not in rendered, "no link made from [link](http://x)"
    assert "<em>" not in rendered and "<code>" in rendered  # only the sentence-id code spans
    assert all(c.startswith("<code>L") for c in re.findall(r"<code>[^<]*", rendered))


def test_mentions_do_not_notify() -> None:
    text = render_markdown(nasty_report())
    assert "@octocat" not in text
    assert "@\u2060octocat" in text


def test_flag_span_is_bold() -> None:
    text = render_markdown(nasty_report())
    assert '=HYPERLINK("http://evil") <b>He</b> went home.' in text
    assert "<b>He</b> paid &lt;script&gt;" in text


# --- content -----------------------------------------------------------------------------------


def test_bundled_summary_and_scores(bundled: Report) -> None:
    text = render_markdown(bundled)
    assert text.startswith("### transdiff report\n")
    summary, scores, *_ = tables(text)
    rows = [[visible(c) for c in row] for row in summary]
    assert rows[0] == ["Reference", "File", "Sentences", "Beads", "Seed matched"]
    assert [(r[0], Path(r[1]).name, r[2], r[4]) for r in rows[1:]] == [
        ("postedit", "postedit.txt", "76", "99%"),
        ("alternative", "alternative.txt", "75", "96%"),
    ]
    assert rows[1][3] == "1-0: 1, 1-1: 76"
    assert [visible(c) for c in scores[0]] == ["Reference", "BLEU", "chrF", "chrF++", "TER"]
    for row, ref in zip(scores[1:], bundled.references, strict=False):
        assert visible(row[0]) == ref.name
        assert [float(c) for c in row[1:]] == [round(s.score, 2) for s in ref.scores.values()]
    assert visible(scores[3][0]) == "all 2 references"
    assert [float(c) for c in scores[3][1:]] == [round(s.score, 2) for s in bundled.scores.values()]


def test_bundled_signatures_are_all_there(bundled: Report) -> None:
    text = render_markdown(bundled)
    for name, score in bundled.scores.items():
        assert f"{name}: {score.signature}\n" in text
    assert f"\n{bundled.signature}\n" in text
    assert "<details><summary>" in text


def test_bundled_flag_counts(bundled: Report) -> None:
    counts = tables(render_markdown(bundled))[2]
    assert [visible(c) for c in counts[0]] == [
        "Category",
        "🔴 critical",
        "🟠 major",
        "🟡 minor",
        "Total",
    ]
    flags = [f for s in bundled.sentences for f in s.flags]
    for row in counts[1:]:
        category = visible(row[0])
        mine = [f for f in flags if f.category.value == category]
        assert [int(c) for c in row[1:]] == [
            sum(f.severity.value == s for f in mine) for s in ("critical", "major", "minor")
        ] + [len(mine)]
    assert sum(int(row[-1]) for row in counts[1:]) == len(flags) > 0


def test_bundled_sentences_most_suspect_first(bundled: Report) -> None:
    flagged = tables(render_markdown(bundled))[3][1:]
    ids = [visible(row[0]) for row in flagged]
    suspicion = {s.id: s.suspicion for s in bundled.sentences}
    assert [float(visible(row[1])) for row in flagged] == [round(suspicion[i], 2) for i in ids]
    assert ids == [bundled.seed_segments[i].id for i in bundled.review_order()]
    assert len(ids) == sum(1 for s in bundled.sentences if s.flags)


def test_flag_entries_with_support() -> None:
    seed = "He went home after the match.\nThe strong—willed leader spoke to the crowd.\n"
    report = compare_documents(
        Document.from_text(seed),
        [
            Document.from_text(seed.replace("He ", "She ").replace("—", "-"), path="a.txt"),
            # b keeps the dash but not every character of L2: a copy would dismiss its flag.
            Document.from_text(
                seed.replace("He ", "She ").replace("crowd.", "crowd!"), path="b.txt"
            ),
        ],
        settings=RunSettings(segmented=True),
    )
    rows = {visible(row[0]): row for row in tables(render_markdown(report))[-1][1:]}
    assert rows["L1"][2] == "<b>He</b> went home after the match."
    assert rows["L1"][3] == (
        "🟠 <strong>major</strong> accuracy/pronoun: “He” pronoun &quot;He&quot; differs from "
        "the reference, which has &quot;She&quot; (2/2 refs)"
    )
    assert rows["L2"][2] == "The strong<b>—</b>willed leader spoke to the crowd."
    assert rows["L2"][3].startswith("🟡 <strong>minor</strong> fluency/typography: “—” ")
    assert not rows["L2"][3].endswith("refs)"), "a reference-free flag has no support count"


def test_cap_on_sentences_with_a_note(bundled: Report) -> None:
    text = render_markdown(bundled, max_sentences=3)
    n = sum(1 for s in bundled.sentences if s.flags)
    assert n > 4
    assert len(tables(text)[3]) == 1 + 3
    assert f"…and {n - 3} more flagged sentences; `transdiff flag` lists them all." in text


def test_long_sentence_is_cut_around_its_flag() -> None:
    words = " ".join(f"word{i}" for i in range(120))
    long = f"{words} He left. {words}"
    report = compare_documents(
        Document.from_text(long.strip() + "\n"),
        [Document.from_text(long.replace("He ", "She ").strip() + "\n")],
        settings=RunSettings(segmented=True),
    )
    row = tables(render_markdown(report))[-1][1]
    assert "<b>He</b> left." in row[2]
    assert row[2].startswith("…") and row[2].endswith("…")
    assert len(visible(row[2])) < 400


# --- edge cases --------------------------------------------------------------------------------


def test_seed_only() -> None:
    report = compare_documents(Document.from_text("One line. Another line.\n"), [])
    text = render_markdown(report)
    assert "No references" in text
    assert "#### Scores" not in text
    assert "No flags on 2 sentences." in text


def test_without_checks() -> None:
    text = render_markdown(nasty_report(detect=False))
    assert "The checks were not run (`--no-flags`)." in text
    assert "Flagged sentences" not in text


def test_without_scores() -> None:
    text = render_markdown(nasty_report(score=None))
    assert "#### Scores" not in text and "Flagged sentences" in text


def test_warnings_are_escaped_list_items() -> None:
    report = dataclasses.replace(nasty_report(), warnings=("# not a heading | <b>x</b>", "1. x"))
    text = render_markdown(report)
    assert "> [!WARNING]\n> - \\# not a heading \\| &lt;b&gt;x&lt;/b&gt;\n> - 1\\. x\n" in text
