"""The review page as a reviewer meets it, in real headless Chromium: what the first screen at
1366x900 shows, the reference it opens on and the URL hash that keeps the choice, the chart
following the filters, tooltips and ids that stay out of the way, and accepting flags from the
page (a downloaded waivers file that ``transdiff report --waivers`` honours, or the equivalent
``transdiff waive`` commands).

Skipped, with the reason printed, when selenium, chromium or chromedriver is missing.
"""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_browser import (  # skips this module too without selenium
    By,
    Select,
    WebDriver,
    WebElement,
    chromium,
    load,
    requested_urls,
    screenshot,
    severe_logs,
    wait_for,
)
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.report.html import render_html
from toolkit.result import Report
from toolkit.review import review_files
from toolkit.waivers import Reason, Waiver, make_waiver, read_waivers, write_waivers

FIRST_W, FIRST_H = 1366, 900
# Quotes, a backslash, shell metacharacters, control characters, Cyrillic and an emoji: every
# escape the TOML writer and the shell quoting know.
COMMENT = 'client\'s "house" style \\ $(rm -rf ~) `x` \u0001\u007f кириллица \U0001f600'


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    browser = chromium(tmp_path_factory.mktemp("profile"), width=FIRST_W, height=FIRST_H)
    viewport(browser, FIRST_W)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory,
    seed_path: Path,
    postedit_path: Path,
    alternative_path: Path,
) -> Path:
    """A copy of the bundled job (the waive commands write beside the seed, not in the repo)."""
    root = tmp_path_factory.mktemp("project")
    (root / "seeds").mkdir()
    (root / "references").mkdir()
    shutil.copy(seed_path, root / "seeds" / seed_path.name)
    for ref in (alternative_path, postedit_path):
        shutil.copy(ref, root / "references" / ref.name)
    return root


def _inputs(project: Path) -> tuple[Path, list[Path]]:
    return next((project / "seeds").glob("*.txt")), sorted((project / "references").glob("*.txt"))


@pytest.fixture(scope="module")
def found(project: Path) -> Report:
    """The run `transdiff report` makes with its defaults: references as found, alphabetical."""
    seed, refs = _inputs(project)
    return review_files(seed, refs, waivers=())


@pytest.fixture(scope="module")
def page(project: Path, found: Report) -> Path:
    path = project / "review.html"
    path.write_text(render_html(found), encoding="utf-8")
    return path


def viewport(driver: WebDriver, width: int, height: int = FIRST_H) -> None:
    """The page's viewport exactly (the window size would include the browser's own bars)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _rect(driver: WebDriver, element: WebElement) -> dict[str, float]:
    rect: dict[str, float] = driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};",
        element,
    )
    return rect


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def _shown_table(driver: WebDriver) -> str:
    tables = [t for t in driver.find_elements(By.CSS_SELECTOR, "table.beads") if t.is_displayed()]
    assert len(tables) == 1
    return tables[0].get_attribute("id") or ""


def _fragment(driver: WebDriver) -> str:
    value: str = driver.execute_script("return location.hash")
    return value


# ------------------------------------------------------------------------- first screen


def test_first_screen_shows_the_first_flagged_sentence(
    driver: WebDriver, page: Path, found: Report, tmp_path: Path
) -> None:
    load(driver, page)
    assert driver.execute_script("return [innerWidth, innerHeight]") == [FIRST_W, FIRST_H]
    first = driver.find_element(By.CSS_SELECTOR, "#t1 > tbody > tr")
    top = found.sentences[found.review_order()[0]]
    assert first.find_element(By.TAG_NAME, "th").text == top.id  # flagged first
    sentence = _rect(driver, first.find_element(By.CSS_SELECTOR, ".sent"))
    nav = _rect(driver, driver.find_element(By.ID, "controls"))
    # Measured 461 px with the header at 4 lines: well inside the screen, below the controls.
    assert nav["bottom"] < sentence["top"] < 520
    assert sentence["bottom"] < FIRST_H
    items = first.find_elements(By.CSS_SELECTOR, "td.flags li")
    assert len(items) == len(top.flags)
    assert all(_rect(driver, li)["bottom"] < FIRST_H for li in items)  # ids and boxes too
    assert [li.find_element(By.CLASS_NAME, "fid").text for li in items] == [f.id for f in top.flags]
    # The documents and signature tables are folded away at the end.
    assert not driver.find_element(By.CSS_SELECTOR, "table.sigs").is_displayed()
    facts = driver.find_element(By.ID, "run-facts")
    assert _rect(driver, facts)["top"] > _rect(driver, first)["bottom"]
    screenshot(driver, tmp_path, "page-first-screen.png")  # copied to /tmp/transdiff-artifacts
    assert severe_logs(driver) == []
    assert requested_urls(driver) == [page.as_uri()]


# ------------------------------------------------------------ default reference, URL hash


def test_default_reference_is_the_closest_and_the_choice_stays_in_the_hash(
    driver: WebDriver, page: Path, found: Report
) -> None:
    assert [r.name for r in found.references] == ["alternative", "postedit"]
    load(driver, page)
    assert _shown_table(driver) == "t1"  # postedit: chrF 98.6 against 64.7
    assert Select(driver.find_element(By.ID, "ref")).first_selected_option.text == "postedit"
    assert "closest to the seed" in driver.find_element(By.ID, "why").text
    assert _fragment(driver) == ""
    scoreline = driver.find_element(By.CLASS_NAME, "scoreline").text
    assert scoreline.startswith("Scores against postedit: BLEU 97.05")

    Select(driver.find_element(By.ID, "ref")).select_by_visible_text("alternative")
    assert _fragment(driver) == "#ref=alternative"
    assert "alternative: BLEU 37.87" in driver.find_element(By.CLASS_NAME, "scoreline").text
    Select(driver.find_element(By.ID, "order")).select_by_value("doc")
    assert _fragment(driver) == "#ref=alternative&order=doc"
    driver.refresh()
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete")
    assert _shown_table(driver) == "t0"
    assert Select(driver.find_element(By.ID, "ref")).first_selected_option.text == "alternative"
    assert Select(driver.find_element(By.ID, "order")).first_selected_option.text == (
        "document order"
    )
    rows = driver.find_elements(By.CSS_SELECTOR, "#t0 > tbody > tr")
    assert [int(r.get_attribute("data-i") or -1) for r in rows] == list(range(len(rows)))
    # A link to the other reference opens it; an unknown name opens the default.
    driver.get(page.as_uri() + "#ref=postedit")
    assert wait_for(lambda: _shown_table(driver) == "t1")
    driver.get("about:blank")
    driver.get(page.as_uri() + "#ref=nowhere&order=%ZZ")
    assert wait_for(lambda: _shown_table(driver) == "t1")
    assert Select(driver.find_element(By.ID, "order")).first_selected_option.text == (
        "flagged first"
    )
    assert severe_logs(driver) == []


# ---------------------------------------------------------------- chart follows filters


def _bar_classes(driver: WebDriver) -> dict[int, str]:
    pairs = driver.execute_script(
        "return [...document.querySelectorAll('#chart a')].map("
        "a => [+a.dataset.i, a.querySelector('rect').getAttribute('class')])"
    )
    return {int(i): str(c) for i, c in pairs}


def test_the_chart_follows_the_filters(driver: WebDriver, page: Path, found: Report) -> None:
    load(driver, page)
    worst = {
        i: max(s.flags, key=lambda f: f.severity.weight).severity.value
        for i, s in enumerate(found.sentences)
        if s.flags
    }
    assert _bar_classes(driver) == {
        i: worst.get(i, "none") for i in range(len(found.seed_segments))
    }
    driver.find_element(By.CSS_SELECTOR, 'input[name="sev"][value="minor"]').click()
    bars = _bar_classes(driver)
    assert "minor" not in bars.values()
    for i, s in enumerate(found.sentences):
        rest = [f for f in s.flags if f.severity.value != "minor"]
        expected = max(rest, key=lambda f: f.severity.weight).severity.value if rest else "none"
        assert bars[i] == expected, found.seed_segments[i].id
    # Hiding the sentences without a selected flag dims their bars.
    driver.find_element(By.ID, "plain").click()
    assert _bar_classes(driver) == bars
    opacity = driver.execute_script(
        "return [...document.querySelectorAll('#chart rect')].map(r => getComputedStyle(r).opacity)"
    )
    dimmed = {i for i, o in enumerate(opacity) if float(o) < 1}
    assert dimmed == {i for i, c in bars.items() if c == "none"}
    # A category filter: its bars go too.
    pronoun = driver.find_element(
        By.XPATH, '//input[@name="cat"]/parent::label[contains(., "accuracy/pronoun")]/input'
    )
    pronoun.click()
    for i, s in enumerate(found.sentences):
        if s.flags and all(
            f.category.value == "accuracy/pronoun" or f.severity.value == "minor" for f in s.flags
        ):
            assert _bar_classes(driver)[i] == "none"
    # Only what the shown reference (postedit) supports.
    pronoun.click()
    driver.find_element(By.CSS_SELECTOR, 'input[name="sev"][value="minor"]').click()
    driver.find_element(By.ID, "only-ref").click()
    for i, s in enumerate(found.sentences):
        kept = [f for f in s.flags if not f.references or "postedit" in f.references]
        if s.flags and not kept:
            assert _bar_classes(driver)[i] == "none"


# ------------------------------------------------------------------- tooltips and ids


def test_tooltips_cover_neither_the_word_nor_the_next_row(
    driver: WebDriver, page: Path, found: Report
) -> None:
    load(driver, page)
    marks = driver.find_elements(By.CSS_SELECTOR, "#t1 .flag > mark")
    assert len(marks) >= sum(len(s.flags) for s in found.sentences)
    for mark in marks:
        # Focus opens every tooltip (hover opens the innermost of nested flags); same place.
        driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", mark
        )
        tip = driver.find_element(By.ID, mark.get_attribute("aria-describedby") or "")
        assert wait_for(tip.is_displayed)
        box = _rect(driver, tip)
        assert not _overlap(box, _rect(driver, mark)), mark.text
        row = mark.find_element(By.XPATH, "./ancestor::tr")
        after = row.find_elements(By.XPATH, "following-sibling::tr[1]")
        if after:
            assert not _overlap(box, _rect(driver, after[0])), mark.text
        # Whole on screen, under the sticky controls as far as the row allows.
        assert box["top"] >= 0 and box["bottom"] <= FIRST_H


@pytest.mark.parametrize("width", [FIRST_W, 700])
def test_ids_never_wrap_inside(driver: WebDriver, page: Path, width: int) -> None:
    load(driver, page)
    viewport(driver, width)
    try:
        for table in ("t0", "t1"):
            Select(driver.find_element(By.ID, "ref")).select_by_value(table[1])
            lines = driver.execute_script(
                "return [...document.querySelectorAll(arguments[0])]"
                ".map(e => [e.textContent, e.getClientRects().length])",
                f"#{table} .sid, #{table} .fid",
            )
            assert lines and all(n == 1 for _, n in lines), [t for t, n in lines if n != 1]
    finally:
        viewport(driver, FIRST_W)


# ---------------------------------------------------------------------- accepting flags


def _tick(driver: WebDriver, flag_id: str, *, reason: str = "", comment: str = "") -> None:
    """Tick a flag in the table on screen, then choose its reason and type its comment."""
    box = next(
        b
        for b in driver.find_elements(By.CSS_SELECTOR, f'input.accept[value="{flag_id}"]')
        if b.is_displayed()
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    item = box.find_element(By.XPATH, "./ancestor::li")
    if reason:
        Select(item.find_element(By.CSS_SELECTOR, "select.reason")).select_by_value(reason)
    if comment:
        field = item.find_element(By.CSS_SELECTOR, "input.comment")
        # Control characters cannot be typed: set the value, then announce it as typing would.
        driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            field,
            comment,
        )


def _download(driver: WebDriver, folder: Path) -> Path:
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    driver.find_element(By.ID, "download").click()
    target = folder / "transdiff.waivers.toml"
    assert wait_for(lambda: target.is_file() and not list(folder.glob("*.crdownload")))
    return target


def _chosen(found: Report) -> list[tuple[str, str, str]]:
    """Three flags to accept: (id, reason, comment)."""
    flags = [f for s in found.sentences for f in s.flags]
    assert len(flags) >= 4
    return [
        (flags[0].id, "wont-fix", COMMENT),
        (flags[2].id, "false-positive", ""),
        (flags[3].id, "false-positive", "the reference is wrong"),
    ]


def _waiver(
    found: Report, flag_id: str, reason: str = "false-positive", comment: str = ""
) -> Waiver:
    """The waiver `transdiff waive` records for the flag (dated today)."""
    flag, text = next(
        (f, seg.text)
        for seg, s in zip(found.seed_segments, found.sentences, strict=True)
        for f in s.flags
        if f.id == flag_id
    )
    return make_waiver(flag, text, reason=Reason(reason), comment=comment)


def _file(waivers: list[Waiver], folder: Path) -> str:
    """The waivers file as `transdiff waive` writes it."""
    path = folder / "expected.toml"
    write_waivers(path, waivers)
    return path.read_text(encoding="utf-8")


def _expected_file(found: Report, chosen: list[tuple[str, str, str]], folder: Path) -> str:
    return _file([_waiver(found, *c) for c in chosen], folder)


def test_accept_and_download_waives_exactly_the_ticked_flags(
    driver: WebDriver,
    page: Path,
    found: Report,
    project: Path,
    tmp_path: Path,
) -> None:
    load(driver, page)
    chosen = _chosen(found)
    assert driver.find_element(By.ID, "download").get_attribute("disabled") is not None
    for fid, reason, comment in chosen:
        _tick(driver, fid, reason=reason, comment=comment)
    # A flag ticked and unticked again is not accepted; one ticked in the other table stays one.
    ids = [c[0] for c in chosen]
    extra = next(f.id for s in found.sentences for f in s.flags if f.id not in ids)
    _tick(driver, extra)
    _tick(driver, extra)
    Select(driver.find_element(By.ID, "ref")).select_by_visible_text("alternative")
    boxes = driver.find_elements(By.CSS_SELECTOR, f'#t0 input.accept[value="{chosen[0][0]}"]')
    assert boxes and all(b.is_selected() for b in boxes)
    assert driver.find_element(By.ID, "accepted").text == "3 flags ticked to accept"

    downloaded = _download(driver, tmp_path)
    text = downloaded.read_text(encoding="utf-8")
    assert text == _expected_file(found, chosen, tmp_path)  # byte for byte what `waive` writes
    assert [w.id for w in read_waivers(downloaded)] == [c[0] for c in chosen]
    assert read_waivers(downloaded)[0].comment == COMMENT

    seed, refs = _inputs(project)
    result = CliRunner().invoke(
        app,
        ["report", str(seed), *map(str, refs), "--waivers", str(downloaded), "--format", "json"],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    waived = {w["id"] for s in data["sentences"] for w in s["waived"]}
    assert waived == {c[0] for c in chosen}
    left = {f["id"] for s in data["sentences"] for f in s["flags"]}
    assert left == {f.id for s in found.sentences for f in s.flags} - waived
    assert severe_logs(driver) == []


def test_the_downloaded_file_keeps_the_run_waivers_merged_by_id(
    driver: WebDriver, found: Report, project: Path, tmp_path: Path
) -> None:
    seed, refs = _inputs(project)
    ids = [f.id for s in found.sentences for f in s.flags]
    earlier = _waiver(found, ids[1], comment="seen last week")
    report = review_files(seed, refs, waivers=[earlier])
    page = tmp_path / "waived.html"
    page.write_text(render_html(report), encoding="utf-8")
    load(driver, page)
    assert not driver.find_elements(By.CSS_SELECTOR, f'input.accept[value="{ids[1]}"]')
    _tick(driver, ids[0], reason="wont-fix")
    downloaded = _download(driver, tmp_path / "out")
    assert [(w.id, w.comment) for w in read_waivers(downloaded)] == [
        (ids[1], "seen last week"),
        (ids[0], ""),
    ]
    new = _waiver(found, ids[0], "wont-fix")
    assert downloaded.read_text(encoding="utf-8") == _file([earlier, new], tmp_path)


def test_copied_commands_waive_the_same_flags_as_the_download(
    driver: WebDriver,
    page: Path,
    found: Report,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load(driver, page)
    chosen = _chosen(found)[:2]
    for fid, reason, comment in chosen:
        _tick(driver, fid, reason=reason, comment=comment)
    driver.find_element(By.ID, "copy").click()
    box = driver.find_element(By.ID, "commands")
    assert wait_for(box.is_displayed)
    # Copied to the clipboard when the browser allows it; shown and selected in any case.
    status = driver.find_element(By.ID, "copied").text
    assert status in {"Copied 2 commands", "Select the commands below and copy them"}
    lines = (box.get_attribute("value") or "").splitlines()
    assert len(lines) == 2
    seed, refs = _inputs(project)
    target = project / "seeds" / "transdiff.waivers.toml"
    target.unlink(missing_ok=True)
    monkeypatch.chdir(project)
    for line, (fid, reason, comment) in zip(lines, chosen, strict=True):
        argv = shlex.split(line)
        assert argv[:5] == ["transdiff", "waive", fid, "--reason", reason]
        assert (argv[5:7] == ["--comment", comment]) if comment else argv[5] != "--comment"
        assert argv[-3:] == [str(seed), *map(str, refs)]
        result = CliRunner().invoke(app, argv[1:])
        assert result.exit_code == 0, result.stderr
    try:
        assert target.read_text(encoding="utf-8") == _expected_file(found, chosen, tmp_path)
    finally:
        target.unlink()


@pytest.mark.parametrize("kind", ["no reference", "detection off", "no flags"])
def test_pages_without_references_or_flags_run_cleanly(
    driver: WebDriver, project: Path, tmp_path: Path, kind: str
) -> None:
    from toolkit.result import RunSettings

    seed, refs = _inputs(project)
    if kind == "no reference":
        report = review_files(seed, [], waivers=())
    elif kind == "detection off":
        settings = RunSettings(detect=False, score=None)
        report = review_files(seed, refs[1:], settings=settings, waivers=())
    else:
        same = tmp_path / "same.txt"
        same.write_text("The cat sat on the mat.\n\nIt was warm there.\n", encoding="utf-8")
        shutil.copy(same, tmp_path / "ref.txt")
        settings = RunSettings(score=None)
        report = review_files(same, [tmp_path / "ref.txt"], settings=settings, waivers=())
        assert not any(s.flags for s in report.sentences)
    page = tmp_path / "page.html"
    page.write_text(render_html(report), encoding="utf-8")
    load(driver, page)
    n = len(report.seed_segments)
    assert driver.find_element(By.ID, "count").text.startswith(f"{n} of {n} sentences shown")
    assert _shown_table(driver) == "t0"
    Select(driver.find_element(By.ID, "order")).select_by_value("doc")
    expected = (
        "#order=doc" if kind == "no reference" else f"#ref={report.references[0].name}&order=doc"
    )
    assert _fragment(driver) == expected
    assert driver.find_elements(By.ID, "download") == [] or kind == "no reference"
    assert severe_logs(driver) == []
