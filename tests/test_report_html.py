"""report/html.py: the review page's content, its escaping and its structure (no browser)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from toolkit.checks import Category, Severity
from toolkit.detect import Flag
from toolkit.document import Document
from toolkit.pipeline import compare_documents, compare_files
from toolkit.report.html import render_html
from toolkit.result import Report, RunSettings

VOID = {"meta", "link", "br", "wbr", "input", "col", "img", "hr", "area", "base", "source"}

XSS_SEED = (
    "The cat <script>alert(1)</script> sat on the mat.\n"
    'He said " onmouseover="alert(1) and then he left the room.\n'
    "Nothing to see </script><script>alert(2)</script> here at all.\n"
    'A picture <img src=x onerror="window.__xss=1"> appears on the wall.\n'
    "The last line is plain and harmless.\n"
)
XSS_REF = (
    "The dog <script>alert(1)</script> sat on the mat.\n"
    'She said " onmouseover="alert(1) and then she left the room.\n'
    "Nothing to see </script><script>alert(2)</script> there at all.\n"
    'A photo <img src=x onerror="window.__xss=1"> appears on the wall.\n'
    "An extra line <svg onload=alert(5)> only the reference has.\n"
    "The last line is plain and harmless.\n"
)
XSS_SEED_PATH = 'seed "<script>alert(3)</script>.txt'
XSS_REF_PATH = "refs/<img src=x onerror=alert(4)>.txt"


@dataclass
class Node:
    """An element of the parsed page."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag) and all(n.attrs.get(k) == v for k, v in attrs.items())
        ]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def text(self) -> str:
        """Text content, without tooltips (they are hidden until hover or focus)."""
        return "".join(
            c if isinstance(c, str) else ("" if c.has_class("tip") else c.text())
            for c in self.children
        )


class Page(HTMLParser):
    """A strict tree builder: every non-void element must be closed, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.errors: list[str] = []
        self.feed(html)
        self.close()
        if len(self.stack) != 1:
            self.errors.append(f"unclosed: {[n.tag for n in self.stack[1:]]}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@pytest.fixture(scope="module")
def bundled(seed_path: Path, postedit_path: Path, alternative_path: Path) -> Report:
    return compare_files(seed_path, [postedit_path, alternative_path])


@pytest.fixture(scope="module")
def bundled_page(bundled: Report) -> Page:
    return Page(render_html(bundled))


@pytest.fixture(scope="module")
def xss_report() -> Report:
    seed = Document.from_text(XSS_SEED, path=XSS_SEED_PATH)
    ref = Document.from_text(XSS_REF, path=XSS_REF_PATH)
    report = compare_documents(seed, [ref], settings=RunSettings(segmented=True, score=None))
    return dataclasses.replace(report, warnings=("<u>under</u> & </script><script>alert(6)",))


def _sentences(page: Page, table: int) -> dict[str, Node]:
    return {
        n.attrs["id"]: n
        for n in page.root.iter()
        if n.attrs.get("id", "").startswith(f"s{table}-") and n.has_class("sent")
    }


def _doc_rows(table: Node) -> list[Node]:
    """The body rows of a bead table in document order (the page lists flagged rows first)."""
    rows = table.find_all("tbody")[0].find_all("tr")
    return sorted(rows, key=lambda r: int(r.attrs["data-i"]))


def _check_marks(page: Page, report: Report) -> int:
    """Every mark holds exactly its span; every flag is covered by its marks. Returns the count."""
    checked = 0
    for k in range(max(1, len(report.references))):
        for sid, node in _sentences(page, k).items():
            i = int(sid.split("-")[1])
            text = report.seed_segments[i].text
            covered: dict[str, set[int]] = {}
            for mark in node.find_all("mark"):
                start, end = int(mark.attrs["data-start"]), int(mark.attrs["data-end"])
                assert mark.text() == text[start:end], (sid, mark.attrs)
                covered.setdefault(mark.attrs["data-flag"], set()).update(range(start, end))
                wrapper = next(n for n in node.iter() if mark in n.children)
                flag = next(f for f in report.sentences[i].flags if f.id == mark.attrs["data-flag"])
                assert wrapper.has_class("flag") and wrapper.has_class(flag.severity.value)
                assert wrapper.has_class(f"c{list(Category).index(flag.category)}")
                tip = next(
                    c for c in wrapper.children if isinstance(c, Node) and c.has_class("tip")
                )
                assert mark.attrs["aria-describedby"] == tip.attrs["id"]
                assert mark.attrs["tabindex"] == "0" and tip.attrs["role"] == "tooltip"
                checked += 1
            flags = report.sentences[i].flags
            assert covered == {f.id: set(range(f.start, f.end)) for f in flags}
    return checked


def test_the_page_is_well_formed(bundled_page: Page) -> None:
    assert bundled_page.errors == []
    html = bundled_page.root.find_all("html")
    assert len(html) == 1 and html[0].attrs["lang"] == "en"
    assert [n.tag for n in html[0].children if isinstance(n, Node)] == ["head", "body"]
    body = html[0].find_all("body")[0]
    for landmark in ("header", "nav", "main"):
        assert len(body.find_all(landmark)) == 1, landmark


def test_every_seed_and_reference_sentence_is_shown_in_each_table(
    bundled: Report, bundled_page: Page
) -> None:
    for k, ref in enumerate(bundled.references):
        shown = _sentences(bundled_page, k)
        assert {sid: n.text() for sid, n in shown.items()} == {
            f"s{k}-{i}": seg.text for i, seg in enumerate(bundled.seed_segments)
        }
        table = bundled_page.root.find_all("table", id=f"t{k}")[0]
        rows = _doc_rows(table)
        ref_texts = [
            n.text()
            for row in rows
            for n in row.iter()
            if n.tag == "div" and n.has_class("sent") and "id" not in n.attrs
        ]
        assert ref_texts == [s.text for s in ref.segments]
        assert len(rows) == len(ref.alignment.beads)
        assert all(r.children and isinstance(r.children[1], Node) for r in rows)
        assert all(r.find_all("th")[0].attrs["scope"] == "row" for r in rows)


def test_badges_sit_on_their_spans(bundled: Report, bundled_page: Page) -> None:
    n_flags = sum(len(s.flags) for s in bundled.sentences)
    assert n_flags > 0
    assert _check_marks(bundled_page, bundled) == n_flags * len(bundled.references)
    mark = next(m for m in bundled_page.root.find_all("mark") if m.text() == "He")
    assert mark.attrs["data-badge"] == "MAJ pron"


def test_word_differences_are_marked_on_both_sides(bundled_page: Page) -> None:
    # p15.s2: the seed's "He" is the post-edit's "It"
    row = next(r for r in bundled_page.root.find_all("tr") if r.find_all(id="s0-20"))
    cells = {c.attrs["class"]: c for c in row.find_all("td")}
    seed, ref = cells["seed"], cells["ref"]
    assert [d.text() for d in seed.find_all("del")] == ["He"]
    assert seed.find_all("del")[0].attrs["class"] == "r"
    assert [i.text() for i in ref.find_all("ins")] == ["It"]


def test_beads_without_counterpart_say_so(bundled: Report, bundled_page: Page) -> None:
    for k, ref in enumerate(bundled.references):
        table = bundled_page.root.find_all("table", id=f"t{k}")[0]
        rows = _doc_rows(table)
        for bead, row in zip(ref.alignment.beads, rows, strict=True):
            labels = [n.text() for n in row.iter() if n.has_class("nocp")]
            if bead.kind == "1-0":
                assert labels == [f"no counterpart in {ref.name}"] and row.has_class("u")
            elif bead.kind == "0-1":
                assert labels == ["no counterpart in the seed"] and row.has_class("u")
            else:
                assert labels == [] and not row.has_class("u")


def test_two_seed_sentences_in_one_bead_keep_their_own_flags(
    bundled: Report, bundled_page: Page
) -> None:
    alternative = bundled.references[1]
    bead = next(b for b in alternative.alignment.beads if len(b.seed) == 2)
    row = next(r for r in bundled_page.root.find_all("tr") if r.find_all(id=f"s1-{bead.seed[0]}"))
    assert row.find_all(id=f"s1-{bead.seed[1]}")
    assert row.attrs.get("data-n") == "2"
    for i in bead.seed:
        node = row.find_all(id=f"s1-{i}")[0]
        assert {m.attrs["data-flag"] for m in node.find_all("mark")} == {
            f.id for f in bundled.sentences[i].flags
        }


def test_header_is_short_and_names_seed_references_and_the_shown_scores(
    bundled: Report, bundled_page: Page
) -> None:
    header = bundled_page.root.find_all("header")[0]
    text = header.text()
    assert bundled.seed.path in text
    assert all(f"{r.name}" in text for r in bundled.references)
    assert "closest to the seed: chrF 98.62" in text  # postedit, named second here
    assert "17 flags on 13 of 77 sentences" in text
    assert not header.find_all("table")  # the tables are folded up at the end
    lines = [n for n in header.iter() if n.attrs.get("data-ref") is not None]
    assert [("hidden" in n.attrs) for n in lines] == [False, True]
    assert (
        lines[0].text()
        == "postedit: BLEU 97.05 \u00b7 chrF 98.62 \u00b7 chrF++ 98.51 \u00b7 TER 1.94"
    )


def test_run_details_list_documents_scores_signatures_and_counts(
    bundled: Report, bundled_page: Page
) -> None:
    details = bundled_page.root.find_all("details", id="run-facts")[0]
    assert "open" not in details.attrs
    header = details.text()
    for doc in (bundled.seed, *(r.document for r in bundled.references)):
        assert doc.path in header
    assert bundled.signature in header
    for ref in bundled.references:
        for metric, score in ref.scores.items():
            assert f"{score.score:.2f}" in header
            assert score.signature.removesuffix("|" + bundled.signature) in header, metric
    for metric, score in bundled.scores.items():
        assert score.signature.removesuffix("|" + bundled.signature) in header, metric
    counts = bundled_page.root.find_all("table", **{"class": "facts counts"})[0]
    cells = {
        r.find_all("th")[0].text(): [c.text() for c in r.find_all("td")]
        for r in counts.find_all("tbody")[0].find_all("tr")
    }
    for cat in {f.category for s in bundled.sentences for f in s.flags}:
        flags = [f for s in bundled.sentences for f in s.flags if f.category is cat]
        expected = [
            str(sum(f.severity is sev for f in flags) or "")
            for sev in (Severity.critical, Severity.major, Severity.minor)
        ]
        assert cells[cat.value] == [*expected, str(len(flags))]


def test_chart_has_one_linked_bar_per_sentence(bundled: Report, bundled_page: Page) -> None:
    svg = bundled_page.root.find_all("svg", id="chart")[0]
    links = svg.find_all("a")
    assert [a.attrs["href"] for a in links] == [
        f"#s0-{i}" for i in range(len(bundled.seed_segments))
    ]
    for a, seg, result in zip(links, bundled.seed_segments, bundled.sentences, strict=True):
        rect = a.find_all("rect")[0]
        assert a.find_all("title")[0].text().startswith(f"{seg.id}: suspicion")
        assert float(rect.attrs["height"]) == pytest.approx(
            max(2.0, result.suspicion * 100), abs=0.06
        )
        assert ("tabindex" in a.attrs) == (not result.flags)


def test_the_page_fetches_nothing(bundled_page: Page) -> None:
    html = render_html(compare_files(*_bundled_paths()))
    assert "http://" not in html and "https://" not in html
    for node in bundled_page.root.iter():
        assert "src" not in node.attrs, node
        if "href" in node.attrs:
            assert node.attrs["href"].startswith("#"), node
        assert node.tag not in {"link", "iframe", "img", "object", "embed"}
    csp = bundled_page.root.find_all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in csp[0].attrs["content"]


def test_csp_hashes_match_the_inline_style_and_script(bundled_page: Page) -> None:
    policy = bundled_page.root.find_all("meta", **{"http-equiv": "Content-Security-Policy"})[0]
    directives = dict(d.strip().split(" ", 1) for d in policy.attrs["content"].split(";"))

    def source(node: Node) -> str:
        digest = hashlib.sha256("".join(node.children).encode()).digest()  # type: ignore[arg-type]
        return f"'sha256-{base64.b64encode(digest).decode()}'"

    code = [s for s in bundled_page.root.find_all("script") if "type" not in s.attrs]
    assert len(code) == 1 and directives["script-src"] == source(code[0])
    assert directives["style-src"] == source(bundled_page.root.find_all("style")[0])


def test_every_category_can_be_filtered_by_the_style_sheet(xss_report: Report) -> None:
    # The filters dim a category's marks with one rule per category index (c0, c1, ...),
    # written for every registered category, a plug-in's too.
    Category.register("fluency/style/test-filter")
    css = re.search(r"<style>(.*?)</style>", render_html(xss_report), flags=re.DOTALL)
    assert css is not None
    for k in range(len(Category)):
        for part in ("mark", "mark::after"):  # the highlight, and the badge
            rule = re.escape(f".off-c{k} .flag.c{k} > {part}") + r"\s*[,{]"
            assert re.search(rule, css.group(1)), f"the page lacks the rule for c{k} > {part}"


def test_user_text_cannot_inject_markup(xss_report: Report) -> None:
    html = render_html(xss_report)
    page = Page(html)
    assert page.errors == []
    assert len(re.findall(r"<script\b", html, flags=re.IGNORECASE)) == 2  # JSON data + the code
    assert len(page.root.find_all("script")) == 2
    assert not page.root.find_all("img") and not page.root.find_all("u")
    assert [n.tag for n in page.root.find_all("svg")] == ["svg"]  # the chart only
    for node in page.root.iter():
        assert not [a for a in node.attrs if a.startswith("on")], node
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    # the payloads come back as text, character for character
    shown = {sid: n.text() for sid, n in _sentences(page, 0).items()}
    assert shown == {f"s0-{i}": s.text for i, s in enumerate(xss_report.seed_segments)}
    header = page.root.find_all("header")[0].text()
    assert XSS_SEED_PATH in header and "<img src=x onerror=alert(4)>" in header
    assert XSS_REF_PATH in page.root.find_all("details", id="run-facts")[0].text()
    assert "<u>under</u> & </script><script>alert(6)" in header
    assert page.root.find_all("title")[0].text() == f"transdiff review: {XSS_SEED_PATH}"


def test_embedded_json_is_inert_and_exact(xss_report: Report) -> None:
    html = render_html(xss_report)
    raw = re.search(
        r'<script type="application/json" id="transdiff-data">(.*?)</script>', html, re.DOTALL
    )
    assert raw is not None
    assert not set(raw.group(1)) & set("<>&'")
    data = json.loads(raw.group(1))
    assert data["references"] == [xss_report.references[0].name]
    assert "<img" in data["references"][0]


def test_crossing_and_nested_flags_each_get_exact_marks(xss_report: Report) -> None:
    text = xss_report.seed_segments[4].text  # "The last line is plain and harmless."

    def flag(fid: str, start: int, end: int, severity: Severity = Severity.minor) -> Flag:
        return Flag(fid, Category.typography, severity, start, end, f"check {fid}")

    flags = (
        flag("outer", 0, len(text), Severity.major),
        flag("inner", 4, 8),
        flag("same1", 9, 13),
        flag("same2", 9, 13, Severity.critical),
        flag("cross", 11, 20),  # crosses same1/same2: cut into 11-13 and 13-20
        flag("late", 30, 99),  # runs past the end: clipped
    )
    sentences = list(xss_report.sentences)
    sentences[4] = dataclasses.replace(sentences[4], flags=flags)
    report = dataclasses.replace(xss_report, sentences=tuple(sentences))
    page = Page(render_html(report))
    assert page.errors == []
    node = _sentences(page, 0)["s0-4"]
    assert node.text() == text
    marks = [(m.attrs["data-flag"], m.text()) for m in node.find_all("mark")]
    # outer first; same1 and same2 share a span and nest in flag order; cross is cut at 13
    assert marks == [
        ("outer", text),
        ("inner", text[4:8]),
        ("same1", text[9:13]),
        ("same2", text[9:13]),
        ("cross", text[11:13]),
        ("cross", text[13:20]),
        ("late", text[30:]),
    ]
    tips = [n.attrs["id"] for n in node.iter() if n.has_class("tip")]
    assert len(tips) == len(set(tips)) == len(marks)


@pytest.mark.parametrize("n_refs", [0, 1, 3])
def test_any_number_of_references(n_refs: int) -> None:
    seed = Document.from_text(XSS_SEED, path="seed.txt")
    refs = [Document.from_text(XSS_REF, path=f"r{k}/ref.txt") for k in range(n_refs)]
    report = compare_documents(seed, refs, settings=RunSettings(segmented=True, score=None))
    page = Page(render_html(report))
    assert page.errors == []
    tables = [t for t in page.root.find_all("table") if t.has_class("beads")]
    assert len(tables) == max(1, n_refs)
    assert [t.has_class("noref") for t in tables] == [n_refs == 0] * len(tables)
    assert bool(page.root.find_all("select", id="ref")) == (n_refs > 1)
    assert bool(page.root.find_all("input", id="only-ref")) == (n_refs > 0)
    sections = [n for n in page.root.iter() if n.has_class("reftable")]
    assert ["hidden" in s.attrs for s in sections] == [False] + [True] * (len(sections) - 1)
    if n_refs > 1:
        names = [o.text() for o in page.root.find_all("option") if o.attrs["value"].isdigit()]
        assert names == ["ref-1", "ref-2", "ref-3"]
    _check_marks(page, report)
    count = page.root.find_all("output", id="count")[0].text()
    assert count == f"{len(report.seed_segments)} of {len(report.seed_segments)} sentences shown"
    if n_refs == 0:
        assert "No reference" in page.root.find_all("header")[0].text()
        assert len(tables[0].find_all("thead")[0].find_all("th")) == 3


def test_detection_off() -> None:
    seed = Document.from_text(XSS_SEED, path="seed.txt")
    ref = Document.from_text(XSS_REF, path="ref.txt")
    settings = RunSettings(segmented=True, score=None, detect=False)
    page = Page(render_html(compare_documents(seed, [ref], settings=settings)))
    assert page.errors == []
    assert "Detection was off" in page.root.find_all("header")[0].text()
    assert not page.root.find_all("mark") and not page.root.find_all("svg")
    assert not page.root.find_all("input", name="cat")
    assert {n.text() for n in page.root.iter() if n.has_class("sus")} == {"\u2014"}


def test_rows_carry_what_the_filters_need(bundled: Report, bundled_page: Page) -> None:
    rows = _doc_rows(bundled_page.root.find_all("table", id="t0")[0])
    for bead, row in zip(bundled.references[0].alignment.beads, rows, strict=True):
        flags = [f for i in bead.seed for f in bundled.sentences[i].flags]
        keys = row.attrs.get("data-f", "").split()
        assert [k.split(":")[1] for k in keys] == [f.severity.value for f in flags]
        # other: a reference flag this reference (postedit) does not support
        assert [k.endswith(":o") for k in keys] == [
            bool(f.references) and "postedit" not in f.references for f in flags
        ]
        assert float(row.attrs["data-s"]) == pytest.approx(
            max(bundled.sentences[i].suspicion for i in bead.seed), abs=1e-4
        )


def _bundled_paths() -> tuple[Path, list[Path]]:
    root = Path(__file__).resolve().parent.parent
    return root / "seeds" / "000_ad300a173e81270b.txt", [
        root / "references" / "postedit.txt",
        root / "references" / "alternative.txt",
    ]


def test_waived_flags_are_listed_apart_and_escaped() -> None:
    from toolkit.waivers import Reason, apply_waivers, make_waiver

    seed = "The bridge opened in 1998. Traffic was <b>light</b>.\n"
    ref = "The bridge opened in 1989. Traffic was <b>light</b>.\n"
    report = compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(ref, path="ref.txt")],
        settings=RunSettings(score=None),
    )
    [flag] = report.sentences[0].flags
    comment = 'style guide <script>alert("w")</script>'
    waiver = make_waiver(
        flag, report.seed_segments[0].text, reason=Reason.wont_fix, comment=comment
    )
    page = render_html(apply_waivers(report, [waiver]))
    assert "1 flag waived (not counted here)." in page
    row = re.search(r'<tr id="waived-([0-9a-f]+)">(.*?)</tr>', page, re.S)
    assert row is not None and row.group(1) == flag.id
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row.group(2))]
    assert cells[0] == "p1.s1" and cells[2] == "1998"
    assert cells[3] == "wont-fix: style guide &lt;script&gt;alert(&#34;w&#34;)&lt;/script&gt;"
    assert page.count("<script") == 2  # the page's own data and code, nothing injected
