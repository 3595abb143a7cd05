"""``transdiff compare`` as plain text: the ranking table, then the analyses, compactly.

Systems are lettered A, B, C ... (A is the baseline) so that every table fits the width:
scores by reference length, word F-measure by word frequency, the n-grams each system matches
and the baseline misses (and the reverse), and flags per category with the paired bootstrap.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

from toolkit.compare_analysis import ReferenceAnalysis
from toolkit.report.terminal import terminal_safe
from toolkit.report.text import render_compare_table
from toolkit.report.wrap import wrap, wrap_signature

__all__ = ["render_compare_text", "system_letters"]


def system_letters(count: int) -> list[str]:
    """A, B, ... Z, then S27, S28 ...: the short names of the systems in the tables."""
    return [string.ascii_uppercase[k] if k < 26 else f"S{k + 1}" for k in range(count)]


def _fit(line: str, width: int) -> str:
    line = terminal_safe(line, one_line=True)
    return line if len(line) <= width else line[: width - 1] + "\u2026"


def _cell(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def render_compare_text(analyses: Sequence[ReferenceAnalysis], *, width: int = 80) -> str:
    """Per reference: the v1 table (ranks, scores, paired tests), then the analyses; no line
    is longer than ``width``."""
    parts = []
    for analysis in analyses:
        lines = _analysis(analysis, width)
        parts.append(
            render_compare_table([analysis.comparison], width=width)
            + "".join(_fit(line, width) + "\n" for line in lines)
        )
    return "\n".join(parts)


def _analysis(a: ReferenceAnalysis, width: int) -> list[str]:
    names = [s.name for s in a.comparison.systems]
    letters = system_letters(len(names))
    legend = ", ".join(f"{x} = {n}" for x, n in zip(letters, names, strict=True))
    out = [""]
    out += wrap(
        f"analysis against {a.comparison.reference} ({len(a.units)} units; {legend})",
        width,
        indent="  ",
    )
    out += _length(a, letters, width)
    out += _frequency(a, letters)
    out += _ngrams(a, letters, width)
    out += _flags(a, letters, width)
    out += _source(a, letters, width)
    out += [f"note: {n}" for n in a.notes]
    out += wrap_signature("analysis", a.signature, width)
    return out


def _length(a: ReferenceAnalysis, letters: list[str], width: int) -> list[str]:
    metrics = [("chrf", "chrF"), ("bleu", "BLEU")]
    if 18 + 8 * len(metrics) * len(letters) > width:
        metrics = metrics[:1]
    head = f"{'ref length':<11} {'units':>5}" + "".join(
        f" {label + ' ' + x:>7}" for _, label in metrics for x in letters
    )
    out = ["", "scores by reference length in words (mean sentence scores)", head]
    for b in a.length:
        cells = "".join(
            f" {b.scores[k][m]:>7.2f}" if b.scores else f" {'-':>7}"
            for m, _ in metrics
            for k in range(len(letters))
        )
        out.append(f"{b.label:<11} {b.count:>5}{cells}")
    return out


def _frequency(a: ReferenceAnalysis, letters: list[str]) -> list[str]:
    if not a.frequency:
        return []
    out = [
        "",
        "word F-measure by word frequency (wordfreq Zipf)",
        f"{'Zipf':<11} {'words':>5}" + "".join(f" {'F ' + x:>7}" for x in letters),
    ]
    for b in a.frequency:
        cells = "".join(
            f" {b.scores[k]['f']:>7.4f}" if b.scores else f" {'-':>7}" for k in range(len(letters))
        )
        out.append(f"{b.label:<11} {b.count:>5}{cells}")
    return out


def _ngrams(a: ReferenceAnalysis, letters: list[str], width: int) -> list[str]:
    out = []
    for contrast in a.ngrams:
        x, y = (letters[k] for k in contrast.systems)
        for first, second, grams in (
            (x, y, contrast.a_better),
            (y, x, contrast.b_better),
        ):
            out += ["", f"n-grams {first} matches in the reference and {second} misses"]
            out.append(f"{'ratio':>6} {x + '/' + y:>7}  n-gram")
            if not grams:
                out.append("  (none)")
            for g in grams:
                counts = f"{g.matches[0]}/{g.matches[1]}"
                out.append(f"{g.ratio:>6.3f} {counts:>7}  {_cell(g.ngram, max(8, width - 16))}")
    return out


def _source(a: ReferenceAnalysis, letters: list[str], width: int) -> list[str]:
    """The source's verdicts: shown only when the comparison had a source."""
    side = a.source
    if side is None:
        return []
    paired = ", ".join(f"{x} {p:.0%}" for x, p in zip(letters, side.paired, strict=True))
    counts = ", ".join(f"{x} {len(i)}" for x, i in zip(letters, side.issues, strict=True))
    out = [""]
    out += wrap(f"source: {terminal_safe(side.path)} ({side.language}); paired: {paired}", width)
    out += wrap(
        f"probable reference issues (the source agrees with the system; not counted as "
        f"flags): {counts}",
        width,
    )
    for x, issues in zip(letters, side.issues, strict=True):
        for issue in issues:
            out += wrap(
                f"{x} {issue.sentence} [{terminal_safe(issue.text)}] "
                f"{terminal_safe(issue.message)}; {terminal_safe(issue.evidence)}",
                width,
                indent="  ",
            )
    return out


def _flags(a: ReferenceAnalysis, letters: list[str], width: int) -> list[str]:
    if not a.flags:
        return ["", "flags per category: no system has a flag"]
    others = letters[1:]
    with_ci = len(letters) == 2
    per_other = 24 if with_ci else 14
    fixed = 6 * len(letters) + per_other * len(others)
    label = max(8, min(max(len(d.category) for d in a.flags), width - fixed))
    head = f"{'flags':<{label}}" + "".join(f" {x:>5}" for x in letters)
    for x in others:
        head += f" {x + '-' + letters[0]:>5}" + (f" {'95% CI':>10}" if with_ci else "")
        head += f" {'p':>7}"
    diffs = ", ".join(f"{x}-{letters[0]}" for x in others)
    out = ["", f"flags per category: {diffs}, paired bootstrap over units", head]
    for d in a.flags:
        row = f"{_cell(d.category, label):<{label}}" + "".join(f" {n:>5}" for n in d.counts)
        for t in d.tests[1:]:
            if t is None:
                continue
            row += f" {t.delta:>+5}"
            if with_ci:
                row += f" {f'[{t.low}, {t.high}]':>10}"
            row += f" {t.p_value:>6.4f}" + ("*" if t.significant else " ")
        out.append(row.rstrip())
    out.append("* p < 0.05: the difference from A is significant")
    return out
