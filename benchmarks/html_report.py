"""Size and speed of the HTML review page: the bundled seed, and synthetic long documents.

For each document it prints the page size, the Python time of ``render_html`` (the pipeline
that builds the report is timed apart), and in headless Chromium the time from navigation to
the load event (``performance.timing``), plus what the page's script costs on its biggest table:
one filter change and one sort by suspicion (the rows are only hidden or moved, never rebuilt).

The synthetic pairs are those of ``align_scale.py`` (fixed random seed, a quarter of each
sentence's words rewritten, 3% of lines merged or dropped), run line by line (``--segmented``)
and without sacrebleu scores, like that benchmark; detection stays on.

    python benchmarks/html_report.py [--sizes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from toolkit.pipeline import compare_files
from toolkit.report.html import render_html
from toolkit.result import Report, RunSettings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _make_pair() -> Any:
    spec = importlib.util.spec_from_file_location("align_scale", ROOT / "benchmarks/align_scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_pair


def _browser(profile: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

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
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _load_ms(driver: Any, page: Path, repeat: int) -> tuple[float, float, float, float]:
    """Median navigation -> DOMContentLoaded and -> load event (ms), filter and sort (ms)."""
    dom, load, filt, sort = [], [], [], []
    for _ in range(repeat):
        driver.get("about:blank")
        driver.get(page.as_uri())
        timing = None
        deadline = time.monotonic() + 120
        while timing is None or not timing["loadEventEnd"]:
            timing = driver.execute_script("return performance.timing.toJSON()")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{page}: no load event after 120 s")
            time.sleep(0.05)
        dom.append(timing["domContentLoadedEventEnd"] - timing["navigationStart"])
        load.append(timing["loadEventEnd"] - timing["navigationStart"])
        # The page's own handlers, timed inside the page (layout forced before the clock stops).
        filt.append(
            driver.execute_script(
                "var box = document.getElementById('plain'); var t = performance.now();"
                "box.click(); document.body.offsetHeight; var dt = performance.now() - t;"
                "box.click(); return dt;"
            )
        )
        sort.append(
            driver.execute_script(
                "var s = document.getElementById('order'); var t = performance.now();"
                "s.value = 'susp'; s.dispatchEvent(new Event('change', {bubbles: true}));"
                "document.body.offsetHeight; return performance.now() - t;"
            )
        )
    return tuple(statistics.median(x) for x in (dom, load, filt, sort))  # type: ignore[return-value]


def _row(name: str, report: Report, pipeline_s: float, folder: Path) -> tuple[str, Any]:
    t0 = time.perf_counter()
    html = render_html(report)
    render_s = time.perf_counter() - t0
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    beads = sum(len(r.alignment.beads) for r in report.references)
    return name, (report, pipeline_s, render_s, page, len(html.encode("utf-8")), beads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--repeat", type=int, default=3, help="page loads per document")
    args = parser.parse_args()
    make_pair = _make_pair()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = []
        t0 = time.perf_counter()
        report = compare_files(
            ROOT / "seeds/000_ad300a173e81270b.txt",
            [ROOT / "references/postedit.txt", ROOT / "references/alternative.txt"],
        )
        rows.append(_row("bundled seed, 2 refs", report, time.perf_counter() - t0, folder))
        for n in args.sizes:
            seed, ref, _ = make_pair(n, random.Random(n))
            s, r = folder / f"seed{n}.txt", folder / f"ref{n}.txt"
            s.write_text("\n".join(seed), encoding="utf-8")
            r.write_text("\n".join(ref), encoding="utf-8")
            t0 = time.perf_counter()
            report = compare_files(s, [r], settings=RunSettings(segmented=True, score=None))
            rows.append(_row(f"synthetic {n}, 1 ref", report, time.perf_counter() - t0, folder))
        have_browser = CHROMIUM.is_file() and CHROMEDRIVER.is_file()
        driver = _browser(str(folder / "profile")) if have_browser else None
        try:
            head = (
                f"{'document':<24} {'sentences':>9} {'beads':>6} {'flags':>6} {'size MB':>8} "
                f"{'pipeline s':>10} {'render s':>8} {'DOM ms':>7} {'load ms':>8} "
                f"{'filter ms':>9} {'sort ms':>8}"
            )
            print(head)
            for name, (report, pipeline_s, render_s, page, size, beads) in rows:
                flags = sum(len(s.flags) for s in report.sentences)
                timings = _load_ms(driver, page, args.repeat) if driver else (float("nan"),) * 4
                print(
                    f"{name:<24} {len(report.seed_segments):>9} {beads:>6} {flags:>6} "
                    f"{size / 1e6:>8.2f} {pipeline_s:>10.2f} {render_s:>8.2f} "
                    f"{timings[0]:>7.0f} {timings[1]:>8.0f} {timings[2]:>9.1f} {timings[3]:>8.1f}"
                )
            if driver is None:
                print("(no browser times: /usr/bin/chromium or /usr/bin/chromedriver missing)")
        finally:
            if driver is not None:
                driver.quit()


if __name__ == "__main__":
    main()
