"""The HTML review page in a real browser (headless Debian Chromium driven by selenium).

Checks what only a browser can: the script runs without errors, filters and j/k change what
is shown and focused, flag badges sit on their words, injected markup stays inert, nothing is
fetched, and the page reflows at 200% zoom.  Screenshots go to a pytest temporary folder and
are copied to /tmp/transdiff-artifacts/ for a person to look at.

Skipped, with the reason printed, when chromium or chromedriver is not installed.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.pipeline import compare_files
from toolkit.report.html import render_html
from toolkit.result import Report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path("/tmp/transdiff-artifacts")
WIDTH, HEIGHT = 1280, 900

XSS_LINES = (
    "A reviewer wrote <script>alert(1)</script> into this sentence.",
    'Another wrote " onmouseover="alert(1) here and waited for the mouse.',
    "A third closed </script><script>alert(2)</script> the script element.",
    'A fourth tried <img src=x onerror="window.__xss=1"> as a picture.',
)

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402

# ---------------------------------------------------------------------------------- fixtures


def chromium(profile: Path, *, width: int = WIDTH, height: int = HEIGHT) -> WebDriver:
    """Headless Chromium at ``width`` x ``height``, with its logs on; skips the test (with the
    reason) when chromium or chromedriver is not installed."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.skip(f"chromium/chromedriver not installed: {', '.join(missing)} not found")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # Leave the browser's own start page before any test reads the network log.
    browser.get("about:blank")
    return browser


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    browser = chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("artifacts")


@pytest.fixture(scope="module")
def bundled(seed_path: Path, postedit_path: Path, alternative_path: Path) -> Report:
    return compare_files(seed_path, [postedit_path, alternative_path])


@pytest.fixture(scope="module")
def pages(
    tmp_path_factory: pytest.TempPathFactory,
    seed_path: Path,
    postedit_path: Path,
    alternative_path: Path,
    bundled: Report,
) -> dict[str, Path]:
    """The bundled review page, and one built from files carrying script payloads."""
    folder = tmp_path_factory.mktemp("pages")
    out = {"bundled": folder / "bundled.html"}
    out["bundled"].write_text(render_html(bundled), encoding="utf-8")
    seed_lines = seed_path.read_text(encoding="utf-8").splitlines()
    ref_lines = postedit_path.read_text(encoding="utf-8").splitlines()
    # A paragraph of payloads near the top of both texts, worded apart so the diff marks them.
    seed = folder / "seed.txt"
    seed.write_text("\n".join([seed_lines[0], "", *XSS_LINES, "", *seed_lines[1:]]) + "\n")
    ref_payload = [line.replace("wrote", "typed") for line in XSS_LINES]
    ref = folder / 'post<img src=x onerror="window.__xss=2">.txt'
    ref.write_text("\n".join([ref_lines[0], "", *ref_payload, "", *ref_lines[1:]]) + "\n")
    alternative = folder / "alternative.txt"
    shutil.copy(alternative_path, alternative)
    report = compare_files(seed, [ref, alternative])
    out["xss"] = folder / "xss.html"
    out["xss"].write_text(render_html(report), encoding="utf-8")
    return out


# ----------------------------------------------------------------------------------- helpers


def load(driver: WebDriver, page: Path) -> None:
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page.as_uri())
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete")


def wait_for(condition: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def severe_logs(driver: WebDriver) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def requested_urls(driver: WebDriver) -> list[str]:
    """URLs the page asked for (requests of the browser's own chrome:// pages left out)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        params = message["params"]
        if params.get("documentURL", "").startswith(("chrome://", "chrome-untrusted://")):
            continue
        urls.append(params["request"]["url"])
    return urls


def count_text(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "count").text


def visible_rows(driver: WebDriver, table: int) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, f"#t{table} > tbody > tr:not([hidden])")


def flagged_beads(report: Report, table: int) -> list[tuple[int, ...]]:
    """Seed indices of the beads with at least one flag, in document order."""
    return [
        bead.seed
        for bead in report.references[table].alignment.beads
        if any(report.sentences[i].flags for i in bead.seed)
    ]


def row_of(driver: WebDriver, table: int, sentence: int) -> WebElement:
    return driver.find_element(By.ID, f"s{table}-{sentence}").find_element(
        By.XPATH, "./ancestor::tr"
    )


def in_viewport(driver: WebDriver, element: WebElement) -> bool:
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight;",
        element,
    )


def press(driver: WebDriver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()


def screenshot(driver: WebDriver, folder: Path, name: str, *, full: bool = False) -> Path:
    """Save a PNG in ``folder`` and copy it to /tmp/transdiff-artifacts/."""
    path = folder / name
    if full:
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        ratio = driver.execute_script("return window.devicePixelRatio")
        # Chromium cannot capture a texture taller than 16384 device pixels: scale down.
        scale = min(1.0, 16000 / (size["height"] * ratio))
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"]}
                | {"scale": scale},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, ARTIFACTS / name)
    return path


def zoom(driver: WebDriver, factor: float) -> None:
    """Browser zoom: the CSS viewport shrinks by ``factor`` and pixels grow by it."""
    if factor == 1:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": int(WIDTH / factor),
                "height": int(HEIGHT / factor),
                "deviceScaleFactor": factor,
                "mobile": False,
            },
        )


# ------------------------------------------------------------------------------------- tests


def test_page_runs_without_errors_and_fetches_nothing(
    driver: WebDriver, pages: dict[str, Path], bundled: Report
) -> None:
    load(driver, pages["bundled"])
    n = len(bundled.seed_segments)
    assert wait_for(lambda: count_text(driver).startswith(f"{n} of {n} sentences shown"))
    assert severe_logs(driver) == []
    assert requested_urls(driver) == [pages["bundled"].as_uri()]


def test_flag_badges_sit_on_their_words(
    driver: WebDriver, pages: dict[str, Path], bundled: Report
) -> None:
    load(driver, pages["bundled"])
    flagged = [(i, s) for i, s in enumerate(bundled.sentences) if s.flags]
    assert flagged
    for i, result in flagged:
        sentence = driver.find_element(By.ID, f"s0-{i}")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
        assert sentence.is_displayed()
        text = bundled.seed_segments[i].text
        marks = {
            m.get_attribute("data-flag"): m for m in sentence.find_elements(By.TAG_NAME, "mark")
        }
        for flag in result.flags:
            mark = marks[flag.id]
            assert mark.is_displayed()
            assert mark.text == " ".join(text[flag.start : flag.end].split())
            badge = driver.execute_script(
                "return getComputedStyle(arguments[0], '::after').content", mark
            )
            assert badge.strip('"').startswith(
                {"minor": "MIN", "major": "MAJ", "critical": "CRIT"}[flag.severity.value]
            )


def test_flag_message_shows_on_hover_and_on_keyboard_focus(
    driver: WebDriver, pages: dict[str, Path], bundled: Report, artifacts: Path
) -> None:
    load(driver, pages["bundled"])
    i = next(i for i, s in enumerate(bundled.sentences) if any(f.references for f in s.flags))
    flag = bundled.sentences[i].flags[0]
    mark = driver.find_element(By.CSS_SELECTOR, f'#s0-{i} mark[data-flag="{flag.id}"]')
    tip = driver.find_element(By.ID, mark.get_attribute("aria-describedby"))
    assert not tip.is_displayed()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(driver).move_to_element(mark).perform()
    assert wait_for(tip.is_displayed)
    assert flag.message in tip.text
    assert all(name in tip.text for name in flag.references)
    screenshot(driver, artifacts, "tooltip-hover.png")
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()
    assert wait_for(lambda: not tip.is_displayed())
    # Keyboard: Tab from the element before the mark lands on the mark and opens its tooltip.
    driver.execute_script(
        "var all = [...document.querySelectorAll("
        "'[tabindex=\"0\"], a[href], button, input, select')]"
        ".filter(e => e.tabIndex >= 0 && e.offsetParent !== null);"
        "all[all.indexOf(arguments[0]) - 1].focus();",
        mark,
    )
    press(driver, Keys.TAB)
    assert driver.switch_to.active_element == mark
    assert wait_for(tip.is_displayed)


def test_filters_change_what_is_shown(
    driver: WebDriver, pages: dict[str, Path], bundled: Report
) -> None:
    load(driver, pages["bundled"])
    n = len(bundled.seed_segments)
    beads = flagged_beads(bundled, 0)
    driver.find_element(By.ID, "plain").click()  # hide sentences without a selected flag
    rows = visible_rows(driver, 0)
    assert len(rows) == len(beads)
    shown = sum(len(b) for b in beads)
    assert (
        count_text(driver)
        == f"{shown} of {n} sentences shown \u00b7 {len(beads)} with a selected flag"
    )

    def still_flagged(keep: Callable[[Any], bool]) -> list[tuple[int, ...]]:
        return [b for b in beads if any(keep(f) for i in b for f in bundled.sentences[i].flags)]

    driver.find_element(By.CSS_SELECTOR, 'input[name="sev"][value="minor"]').click()
    major = still_flagged(lambda f: f.severity.value != "minor")
    assert wait_for(lambda: len(visible_rows(driver, 0)) == len(major))
    assert count_text(driver).endswith(f"{len(major)} with a selected flag")
    # Minor flags, filtered out, keep their words but lose highlight and badge.
    minor = driver.find_element(By.CSS_SELECTOR, "#t0 .flag.minor > mark")
    assert (
        driver.execute_script("return getComputedStyle(arguments[0], '::after').display", minor)
        == "none"
    )

    pronoun = driver.find_element(
        By.XPATH, '//input[@name="cat"]/parent::label[contains(., "accuracy/pronoun")]/input'
    )
    pronoun.click()
    left = still_flagged(
        lambda f: f.severity.value != "minor" and f.category.value != "accuracy/pronoun"
    )
    assert wait_for(lambda: len(visible_rows(driver, 0)) == len(left))
    assert len(left) < len(major)

    # Back to everything, then the reference picker: another table, its own count.
    for box in driver.find_elements(By.CSS_SELECTOR, "nav input[type=checkbox]"):
        if box.get_attribute("id") != "only-ref" and not box.is_selected():
            box.click()
    assert count_text(driver).startswith(f"{n} of {n} sentences shown")
    Select(driver.find_element(By.ID, "ref")).select_by_visible_text("alternative")
    assert wait_for(lambda: driver.find_element(By.ID, "t1").is_displayed())
    assert not driver.find_element(By.ID, "t0").is_displayed()
    assert len(visible_rows(driver, 1)) == len(bundled.references[1].alignment.beads)

    # Only the flags the shown reference supports: postedit does not back alternative's flags.
    Select(driver.find_element(By.ID, "ref")).select_by_visible_text("postedit")
    driver.find_element(By.ID, "plain").click()
    driver.find_element(By.ID, "only-ref").click()
    supported = [
        b
        for b in beads
        if any(
            not f.references or "postedit" in f.references
            for i in b
            for f in bundled.sentences[i].flags
        )
    ]
    assert wait_for(lambda: len(visible_rows(driver, 0)) == len(supported))
    assert len(supported) < len(beads)


def test_j_and_k_walk_the_flagged_sentences(
    driver: WebDriver, pages: dict[str, Path], bundled: Report, artifacts: Path
) -> None:
    load(driver, pages["bundled"])
    Select(driver.find_element(By.ID, "order")).select_by_value("doc")
    beads = flagged_beads(bundled, 0)
    expected = [row_of(driver, 0, b[0]) for b in beads]
    driver.find_element(By.TAG_NAME, "h1").click()
    press(driver, "j")
    assert driver.switch_to.active_element == expected[0]
    press(driver, "j")
    assert driver.switch_to.active_element == expected[1]
    assert "current" in expected[1].get_attribute("class").split()
    assert "current" not in expected[0].get_attribute("class").split()
    assert in_viewport(driver, expected[1])
    press(driver, "k")
    assert driver.switch_to.active_element == expected[0]
    screenshot(driver, artifacts, "jump-j.png")
    for row in expected[1:]:
        driver.find_element(By.ID, "next").click()
        assert driver.switch_to.active_element == row
        assert in_viewport(driver, row)
    driver.find_element(By.ID, "next").click()  # past the last: stays there, and says so
    assert "current" in expected[-1].get_attribute("class").split()
    assert "last" in driver.find_element(By.ID, "where").text
    driver.find_element(By.ID, "prev").click()
    assert driver.switch_to.active_element == expected[-2]
    # With a filter, j skips the sentences whose flags the filter leaves out.
    load(driver, pages["bundled"])
    Select(driver.find_element(By.ID, "order")).select_by_value("doc")
    driver.find_element(By.CSS_SELECTOR, 'input[name="sev"][value="minor"]').click()
    majors = [
        row_of(driver, 0, b[0])
        for b in beads
        if any(f.severity.value != "minor" for i in b for f in bundled.sentences[i].flags)
    ]
    assert 0 < len(majors) < len(beads)
    driver.find_element(By.TAG_NAME, "h1").click()
    visited = []
    for _ in majors:
        press(driver, "j")
        visited.append(driver.switch_to.active_element)
    assert visited == majors


def test_order_by_suspicion_moves_rows_without_rebuilding_them(
    driver: WebDriver, pages: dict[str, Path], bundled: Report
) -> None:
    load(driver, pages["bundled"])
    first = driver.find_element(By.CSS_SELECTOR, "#t0 > tbody > tr")
    driver.execute_script("arguments[0].dataset.probe = 'kept'", first)
    Select(driver.find_element(By.ID, "order")).select_by_value("susp")
    rows = driver.find_elements(By.CSS_SELECTOR, "#t0 > tbody > tr")
    values = [float(r.get_attribute("data-s") or -1) for r in rows]
    assert values == sorted(values, reverse=True)
    assert values[0] == pytest.approx(max(s.suspicion for s in bundled.sentences), abs=1e-4)
    assert driver.find_elements(By.CSS_SELECTOR, "tr[data-probe='kept']")  # same element, moved
    driver.find_element(By.TAG_NAME, "h1").click()
    press(driver, "j")
    top = max((s for s in bundled.sentences if s.flags), key=lambda s: s.suspicion)
    assert float(driver.switch_to.active_element.get_attribute("data-s")) == pytest.approx(
        top.suspicion, abs=1e-4
    )
    Select(driver.find_element(By.ID, "order")).select_by_value("doc")
    rows = driver.find_elements(By.CSS_SELECTOR, "#t0 > tbody > tr")
    assert rows[0].find_element(By.TAG_NAME, "th").text == bundled.seed_segments[0].id


def test_chart_bars_jump_to_their_sentence(
    driver: WebDriver, pages: dict[str, Path], bundled: Report
) -> None:
    load(driver, pages["bundled"])
    i = max(range(len(bundled.sentences)), key=lambda k: bundled.sentences[k].suspicion)
    bar = driver.find_element(By.CSS_SELECTOR, f'#chart a[data-i="{i}"]')
    assert bundled.seed_segments[i].id in bar.find_element(By.TAG_NAME, "title").get_attribute(
        "textContent"
    )
    driver.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))",
        bar.find_element(By.TAG_NAME, "rect"),
    )
    row = row_of(driver, 0, i)
    assert driver.switch_to.active_element == row
    assert in_viewport(driver, row)
    assert driver.current_url == pages["bundled"].as_uri()  # handled in the page, no navigation


def test_injected_markup_stays_text(driver: WebDriver, pages: dict[str, Path]) -> None:
    load(driver, pages["xss"])
    body = driver.find_element(By.TAG_NAME, "body").text
    for line in XSS_LINES:
        assert line in body
    assert 'post<img src=x onerror="window.__xss=2">' in body
    # Hover every payload sentence (the onmouseover one included), then look for effects.
    for sentence in driver.find_elements(By.CSS_SELECTOR, "#t0 .sent"):
        if "onmouseover" in sentence.text:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
            ActionChains(driver).move_to_element(sentence).perform()
    time.sleep(0.3)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is what raises
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    assert driver.execute_script("return document.scripts.length") == 2
    assert driver.find_elements(By.TAG_NAME, "img") == []
    assert severe_logs(driver) == []  # a blocked inline script would log a CSP error
    assert requested_urls(driver) == [pages["xss"].as_uri()]


def test_screenshots_and_reflow_at_200_percent(
    driver: WebDriver, pages: dict[str, Path], bundled: Report, artifacts: Path
) -> None:
    load(driver, pages["bundled"])
    screenshot(driver, artifacts, "page-100.png", full=True)
    flagged = next(i for i, s in enumerate(bundled.sentences) if s.flags)
    driver.execute_script(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", f"s0-{flagged}"
    )
    screenshot(driver, artifacts, "rows-100.png")
    try:
        zoom(driver, 2)
        assert wait_for(lambda: driver.execute_script("return window.innerWidth") == WIDTH // 2)
        # Reflow: nothing wider than the viewport, so no sideways scrolling of the page.
        assert driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        screenshot(driver, artifacts, "page-200.png", full=True)
        driver.execute_script(
            "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})",
            f"s0-{flagged}",
        )
        screenshot(driver, artifacts, "rows-200.png")
    finally:
        zoom(driver, 1)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        driver.find_element(By.ID, "ref")  # present on screen, gone in print
        assert (
            driver.execute_script(
                "return getComputedStyle(document.getElementById('controls')).display"
            )
            == "none"
        )
        hidden_table = driver.find_element(By.ID, "t1")
        assert hidden_table.is_displayed()  # every reference prints
        screenshot(driver, artifacts, "print.png", full=True)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert severe_logs(driver) == []


def test_xss_page_screenshot(driver: WebDriver, pages: dict[str, Path], artifacts: Path) -> None:
    load(driver, pages["xss"])
    sentence = driver.find_element(By.ID, "s0-1")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
    assert sentence.is_displayed() and sentence.text == XSS_LINES[0]
    screenshot(driver, artifacts, "xss.png")
