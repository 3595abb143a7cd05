"""The compare page: every unit with each system's text side by side, in one static file.

Built like the review page (:mod:`toolkit.report.html`): view records computed here, written by
the autoescaping template ``templates/compare.html`` with the review page's marked-up text
macro, style sheet (plus ``compare.css``) and Content-Security-Policy (the inline style and
script allowed by hash, nothing fetched).  Each system's text is rendered twice, with its word
differences against the reference and against the other system (the baseline; the baseline
against the second system), and the page's script switches between them, filters and orders
the units.  The analyses (ranks and tests, buckets, n-grams, flag deltas) sit above the units
in folded sections, so that the first screen shows sentences and flags.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup

from toolkit import __version__
from toolkit.checks import Category, Severity
from toolkit.compare_analysis import ReferenceAnalysis, Unit, UnitSide
from toolkit.flags import Flag
from toolkit.report.compare_text import system_letters
from toolkit.report.html_runs import Mark, Run, nest, runs, word_changes
from toolkit.report.page import csp_hash, environment, inline_asset

__all__ = ["render_compare_html"]

_BADGE = {Severity.critical: "CRIT", Severity.major: "MAJ", Severity.minor: "MIN"}


@dataclass(frozen=True, slots=True)
class _Item:
    flag: Flag
    text: str  # the flagged words
    badge: str


@dataclass(frozen=True, slots=True)
class _Cell:
    vs_ref: tuple[Run, ...]
    vs_other: tuple[Run, ...]
    ids: str
    scores: str
    items: tuple[_Item, ...]


@dataclass(frozen=True, slots=True)
class _Row:
    index: int
    id: str
    reference: str
    cells: tuple[_Cell, ...]
    gap: float  # largest minus smallest unit chrF among the systems
    differ: bool  # the systems' texts are not all the same
    flags: tuple[int, ...]  # flags per system


@dataclass(frozen=True, slots=True)
class _Section:
    index: int
    analysis: ReferenceAnalysis
    rows: tuple[_Row, ...]
    flagged: int  # units with a flag in any system
    summaries: dict[str, str]  # the one-line headline of each folded analysis


def render_compare_html(analyses: Sequence[ReferenceAnalysis]) -> str:
    """The comparisons as one self-contained HTML page (no requests, CSP by hash).

    Raises:
        ValueError: No analyses (nothing to show).
    """
    if not analyses:
        raise ValueError("no comparison to render")
    names = [s.name for s in analyses[0].comparison.systems]
    css, css_hash = _stylesheet(len(names))
    script, script_hash = inline_asset("compare.js")
    sections = [
        _section(k, a, [s.name for s in a.comparison.systems]) for k, a in enumerate(analyses)
    ]
    context: dict[str, Any] = {
        "version": __version__,
        "names": names,
        "letters": system_letters(len(names)),
        "other": names[1] if len(names) == 2 else f"{names[0]} (the baseline)",
        "sections": sections,
        "css": css,
        "script": script,
        "csp": (
            f"default-src 'none'; style-src {css_hash}; script-src {script_hash}; "
            "base-uri 'none'; form-action 'none'"
        ),
    }
    return environment().get_template("compare.html").render(context)


def _section(k: int, analysis: ReferenceAnalysis, names: list[str]) -> _Section:
    rows = [_row(k, unit) for unit in analysis.units]
    # The page's default order: units whose systems got different numbers of flags first
    # (the largest difference first), then the other flagged units (most flags first), then
    # the rest, each in document order; the script restores document order or sorts by gap.
    order = sorted(
        range(len(rows)),
        key=lambda i: (-(max(rows[i].flags) - min(rows[i].flags)), -sum(rows[i].flags), i),
    )
    flagged = sum(1 for r in rows if any(r.flags))
    summaries = _summaries(analysis, system_letters(len(names)))
    return _Section(k, analysis, tuple(rows[i] for i in order), flagged, summaries)


def _best(values: Sequence[Sequence[float]], letters: list[str]) -> str:
    """``A in 5, B in 2 of 7``: how often each system has the highest value (ties: each)."""
    wins = [0] * len(letters)
    for row in values:
        for k, v in enumerate(row):
            wins[k] += v == max(row)
    parts = ", ".join(f"{x} in {n}" for x, n in zip(letters, wins, strict=True) if n)
    return f"{parts} of {len(values)}" if values else "no data"


def _summaries(a: ReferenceAnalysis, letters: list[str]) -> dict[str, str]:
    """The one line each folded analysis shows closed."""
    out = {
        "length": "highest mean chrF: "
        + _best([[s["chrf"] for s in b.scores] for b in a.length if b.scores], letters)
        + " buckets",
        "frequency": "highest F: "
        + _best([[s["f"] for s in b.scores] for b in a.frequency if b.scores], letters)
        + " buckets",
    }
    for n, contrast in enumerate(a.ngrams):
        x, y = (letters[k] for k in contrast.systems)
        tops = [
            f"\u201c{g[0].ngram}\u201d {g[0].matches[0]}/{g[0].matches[1]}"
            for g in (contrast.a_better, contrast.b_better)
            if g
        ]
        out[f"ngrams{n}"] = f"{x}/{y} matches, most salient: " + (" and ".join(tops) or "none")
    if a.flags:
        total = a.flags[0]
        counts = ", ".join(f"{x} {n}" for x, n in zip(letters, total.counts, strict=True))
        significant = [
            f"{d.category} {letters[k]}\u2212{letters[0]} {t.delta:+d}"
            for d in a.flags
            for k, t in enumerate(d.tests)
            if t is not None and t.significant
        ]
        out["flags"] = f"{counts}; significant (p < 0.05): " + (", ".join(significant) or "none")
    else:
        out["flags"] = "no system has a flag"
    return out


def _row(section: int, unit: Unit) -> _Row:
    sides = unit.systems
    cells = []
    for k, side in enumerate(sides):
        other = sides[1] if k == 0 and len(sides) > 1 else sides[0]
        tip = f"t{section}-{unit.index}-{k}"
        cells.append(
            _Cell(
                vs_ref=_runs(side, unit.ref_text, f"{tip}r"),
                vs_other=_runs(side, other.text, f"{tip}o"),
                ids="+".join(s.id for s in side.sentences),
                scores=" \u00b7 ".join(
                    f"{'chrF' if m == 'chrf' else 'BLEU'} {v:.1f}" for m, v in side.scores.items()
                ),
                items=tuple(
                    _Item(
                        f,
                        sentence.text[f.start : f.end],
                        f"{_BADGE[f.severity]} {f.category.badge}",
                    )
                    for sentence, flags in zip(side.sentences, side.flags, strict=True)
                    for f in flags
                ),
            )
        )
    chrf = [s.scores.get("chrf", 0.0) for s in sides]
    return _Row(
        index=unit.index,
        id=unit.id,
        reference=unit.ref_text,
        cells=tuple(cells),
        gap=round(max(chrf) - min(chrf), 2) if chrf else 0.0,
        differ=len({s.text for s in sides}) > 1,
        flags=tuple(len(s.all_flags) for s in sides),
    )


def _runs(side: UnitSide, against: str, tip: str) -> tuple[Run, ...]:
    """The side's joined text with its word differences against ``against`` and its flags."""
    text = side.text
    changes = word_changes([text], [against])[0][0] if text and against else []
    flags: list[Flag] = []
    offset = 0
    for sentence, these in zip(side.sentences, side.flags, strict=True):
        flags.extend(
            dataclasses.replace(f, start=f.start + offset, end=f.end + offset) for f in these
        )
        offset += len(sentence.text) + 1
    marks = [
        Mark(
            tip=f"{tip}-{part}",
            flag=flags[n],
            start=start,
            end=end,
            category=tuple(Category).index(flags[n].category),
            badge=f"{_BADGE[flags[n].severity]} {flags[n].category.badge}",
            other=False,
        )
        for part, (start, end, n) in enumerate(nest(flags, len(text)))
    ]
    return runs(text, changes, marks)


@cache
def _stylesheet(systems: int) -> tuple[Markup, str]:
    """The review page's style sheet, the compare page's, and the grid of ``systems`` columns
    (written here: the policy allows no style attribute)."""
    base, _ = inline_asset("report.css")
    extra, _ = inline_asset("compare.css")
    text = (
        f"{base}\n{extra}\n/* The unit grid: id, reference, {systems} systems. */\n"
        "table.units tr { grid-template-columns: 5.5em "
        f"repeat({systems + 1}, minmax(0, 1fr)); }}\n"
    )
    return Markup(text), csp_hash(text)
