"""The compare page in a real browser (headless Chromium driven by selenium): the script runs
without errors and fetches nothing, the differences switch between the reference and the other
system, the order and the filters move and hide units, and injected markup stays inert.

Skipped, with the reason printed, when selenium, chromium or chromedriver is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_report_browser import (  # skips this module too without selenium
    By,
    Select,
    WebDriver,
    chromium,
    load,
    requested_urls,
    screenshot,
    severe_logs,
    wait_for,
)

from toolkit.compare import CompareSettings
from toolkit.compare_analysis import AnalysisSettings, ReferenceAnalysis, analyse_files
from toolkit.report.compare_html import render_compare_html

REFERENCE = [
    "The committee approved the new budget on Monday.",
    "Teachers will receive a raise of five percent next year.",
    "The mayor said the city could finally repair its old bridges.",
    "Critics warned that taxes might rise again.",
    "The vote was close, nine to seven.",
    "The session ended late in the evening.",
]
SYSTEM_A = [
    "The committee approved the new budget on Monday.",
    "Teachers will get a five percent raise next year.",
    "The mayor said the city can finally repair its old bridges.",
    "Critics warned that taxes could rise again.",
    "The vote was close, nine to seven.",
    "The session ended late in the evening.",
]
SYSTEM_B = [
    "The committee approved the new budget on Monday <script>alert(1)</script>.",
    "Teachers will receive a raise of fifty percent next year.",
    "The mayor said the town could finally repair her old bridges.",
    "Critics warned that taxes won't rise again.",
    'The vote was close, nine to seven <img src=x onerror="window.__xss=1">.',
    "The session ended late in the evening.",
]


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    browser = chromium(tmp_path_factory.mktemp("profile"))
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> ReferenceAnalysis:
    folder = tmp_path_factory.mktemp("texts")
    paths = []
    for name, lines in (("a", SYSTEM_A), ("b", SYSTEM_B), ("ref", REFERENCE)):
        path = folder / f"{name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    [result] = analyse_files(
        paths[:2],
        paths[2:],
        settings=CompareSettings(segmented=True, bootstrap_samples=50, ar_trials=50),
        analysis=AnalysisSettings(samples=50),
    )
    return result


@pytest.fixture(scope="module")
def page(analysis: ReferenceAnalysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "compare.html"
    path.write_text(render_compare_html([analysis]), encoding="utf-8")
    return path


def shown_units(driver: WebDriver) -> list[int]:
    """``data-i`` of the visible unit rows, in page order."""
    return [
        int(tr.get_attribute("data-i") or -1)
        for tr in driver.find_elements(By.CSS_SELECTOR, "#units0 > tbody > tr:not([hidden])")
    ]


def flag_counts(analysis: ReferenceAnalysis) -> list[int]:
    return [sum(len(s.all_flags) for s in u.systems) for u in analysis.units]


def flag_spread(analysis: ReferenceAnalysis) -> list[int]:
    """Per unit: the most flags a system got minus the fewest."""
    counts = [[len(s.all_flags) for s in u.systems] for u in analysis.units]
    return [max(c) - min(c) for c in counts]


def test_page_runs_fetches_nothing_and_stays_inert(
    driver: WebDriver, page: Path, tmp_path: Path
) -> None:
    load(driver, page)
    assert wait_for(lambda: driver.find_element(By.ID, "count").text == "6 of 6 units shown")
    assert severe_logs(driver) == []
    assert requested_urls(driver) == [page.as_uri()]
    assert driver.execute_script("return window.__xss === undefined")
    cell = driver.find_element(By.CSS_SELECTOR, 'tr[data-i="0"] td.sys:nth-of-type(3) .v-ref')
    assert "<script>alert(1)</script>" in cell.text.replace("\n", "")
    screenshot(driver, tmp_path, "compare-page.png")


def test_differences_switch_between_reference_and_other_system(
    driver: WebDriver, page: Path
) -> None:
    load(driver, page)
    row = driver.find_element(By.CSS_SELECTOR, 'tr[data-i="1"]')
    vs_ref = row.find_elements(By.CSS_SELECTOR, ".v-ref")
    vs_other = row.find_elements(By.CSS_SELECTOR, ".v-other")
    assert all(e.is_displayed() for e in vs_ref) and not any(e.is_displayed() for e in vs_other)
    # Against the reference, A's "get" is marked (the reference says "receive").
    marked = [d.text for d in vs_ref[0].find_elements(By.CSS_SELECTOR, "del")]
    assert "get" in marked
    Select(driver.find_element(By.ID, "diff")).select_by_value("other")
    assert wait_for(lambda: all(e.is_displayed() for e in vs_other))
    assert not any(e.is_displayed() for e in vs_ref)
    # B against A: "fifty" is not in A, "receive a raise of" neither.
    marked_b = [d.text for d in vs_other[1].find_elements(By.CSS_SELECTOR, "del")]
    assert any("fifty" in m for m in marked_b)
    # The last unit is the same in both systems: nothing marked against the other system.
    last = driver.find_element(By.CSS_SELECTOR, 'tr[data-i="5"]')
    assert last.find_elements(By.CSS_SELECTOR, ".v-other del") == []


def test_order_and_filters_move_and_hide_units(
    driver: WebDriver, page: Path, analysis: ReferenceAnalysis
) -> None:
    load(driver, page)
    flags, spread = flag_counts(analysis), flag_spread(analysis)
    # Units whose systems differ most in flags first, then the most flagged, then the rest.
    different_first = sorted(range(6), key=lambda i: (-spread[i], -flags[i], i))
    assert shown_units(driver) == different_first
    assert spread[different_first[0]] > 0
    order = Select(driver.find_element(By.ID, "order"))
    order.select_by_value("doc")
    assert wait_for(lambda: shown_units(driver) == list(range(6)))
    order.select_by_value("gap")
    gaps = [
        max(s.scores["chrf"] for s in u.systems) - min(s.scores["chrf"] for s in u.systems)
        for u in analysis.units
    ]
    by_gap = sorted(range(6), key=lambda i: (-round(gaps[i], 2), i))
    assert wait_for(lambda: shown_units(driver) == by_gap)
    driver.find_element(By.ID, "differ").click()
    # Unit 6 is the same text in both systems: hidden.
    assert wait_for(lambda: shown_units(driver) == [i for i in by_gap if i != 5])
    assert driver.find_element(By.ID, "count").text == "5 of 6 units shown"
    driver.find_element(By.ID, "differ").click()
    driver.find_element(By.ID, "flagged").click()
    assert wait_for(lambda: shown_units(driver) == [i for i in by_gap if flags[i]])
    assert 0 < len(shown_units(driver)) < 6
    order.select_by_value("flags")
    assert wait_for(lambda: shown_units(driver) == [i for i in different_first if flags[i]])
