"""The HTML review page: the seed and each reference side by side, in one self-contained file.

Everything the page shows is computed here from the :class:`~toolkit.result.Report` into small
view records, then written by the autoescaping jinja2 template ``templates/report.html``; no
HTML is assembled in Python.  The style sheet and the script are static files inlined into the
page, and a Content-Security-Policy allows exactly those two (by hash) and nothing else: the page
makes no request, and markup that slipped past escaping still could not run.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, NamedTuple

from markupsafe import Markup

from toolkit.checks import Category, Severity
from toolkit.flags import Flag
from toolkit.report.page import csp_hash, environment, inline_asset
from toolkit.report.worddiff import word_diff
from toolkit.result import ReferenceResult, Report
from toolkit.score import Score
from toolkit.segment import Segment

__all__ = ["render_html"]

SEVERITIES: tuple[Severity, ...] = (Severity.critical, Severity.major, Severity.minor)
_SEVERITY_BADGE = {Severity.critical: "CRIT", Severity.major: "MAJ", Severity.minor: "MIN"}
_KIND_LABEL = {"1-0": "seed only", "0-1": "reference only"}

# Diff classes of a text run: "" unchanged, "d" only this side has it, "r" replaced.
_Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class _Mark:
    """A flag's span in one table (a part of it, when it crosses another flag's span)."""

    tip: str
    flag: Flag
    start: int
    end: int
    category: int
    badge: str
    other: bool  # the reference of this table does not support the flag

    @property
    def support(self) -> str:
        if not self.flag.available:
            return "reference-free check"
        names = ", ".join(self.flag.references)
        return f"supported by {names}: {self.flag.support} of {self.flag.available} references"


class _Run(NamedTuple):
    """One step of a sentence's markup: open or close a flag, or a stretch of text."""

    kind: str  # "text", "open" or "close"
    text: str = ""
    diff: str = ""
    mark: _Mark | None = None


@dataclass(frozen=True, slots=True)
class _Sentence:
    id: str
    anchor: str  # element id ("" for reference sentences)
    runs: tuple[_Run, ...]


@dataclass(frozen=True, slots=True)
class _Row:
    seed: tuple[_Sentence, ...]
    ref: tuple[_Sentence, ...]
    label: str
    details: str
    unmatched: bool
    suspicion: float | None
    flags: str  # "category:severity[:o]" per flag, for the script's filters


@dataclass(frozen=True, slots=True)
class _Table:
    index: int
    name: str
    path: str
    rows: tuple[_Row, ...]


@dataclass(frozen=True, slots=True)
class _Bar:
    index: int
    height: float
    severity: str
    title: str
    flagged: bool


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline style sheet and script, no requests).

    The page shows the documents, scores with their signatures, warnings and flag counts; a
    suspicion chart along the seed; and one table per reference with every alignment bead, the
    word differences highlighted and each flag marked on its span.  Filters, sorting and
    ``j``/``k`` navigation run in the page without rebuilding it.
    """
    css, css_hash = _stylesheet(len(Category))
    script, script_hash = inline_asset("report.js")
    tables = [_table(report, k, ref) for k, ref in enumerate(report.references)]
    if not report.references:
        tables = [_seed_table(report)]
    flags = [f for s in report.sentences for f in s.flags]
    context: dict[str, Any] = {
        "report": report,
        "css": css,
        "script": script,
        "csp": (
            f"default-src 'none'; style-src {css_hash}; script-src {script_hash}; "
            "base-uri 'none'; form-action 'none'"
        ),
        "documents": _documents(report),
        "scores": _score_rows(report),
        "signatures": _signatures(report),
        "counts": _counts(flags),
        "flag_total": len(flags),
        "waived_total": sum(len(s.waived) for s in report.sentences),
        "waived": _waived(report),
        "flagged": sum(1 for s in report.sentences if s.flags),
        "severities": [
            (sev.value, _SEVERITY_BADGE[sev], sum(f.severity is sev for f in flags))
            for sev in SEVERITIES
        ],
        "categories": [
            (k, cat.value, cat.badge, n)
            for k, cat in enumerate(Category)
            if (n := sum(f.category is cat for f in flags))
        ],
        "tables": tables,
        "bars": _bars(report),
        "data": {
            "sentences": len(report.seed_segments),
            "references": [ref.name for ref in report.references],
            "detect": report.settings.detect,
        },
    }
    return environment().get_template("report.html").render(context)


def _waived(report: Report) -> list[dict[str, Any]]:
    """The waived flags, listed apart: counted, not hidden."""
    rows = []
    for segment, sentence in zip(report.seed_segments, report.sentences, strict=True):
        for flag in sentence.waived:
            waiver = report.waivers.get(flag.id)
            rows.append(
                {
                    "sentence": segment.id,
                    "severity": flag.severity.value,
                    "category": flag.category.value,
                    "text": segment.text[flag.start : flag.end],
                    "message": flag.message,
                    "reason": waiver.reason.value if waiver else "",
                    "comment": waiver.comment if waiver else "",
                    "id": flag.id,
                }
            )
    return rows


def _documents(report: Report) -> list[dict[str, Any]]:
    docs = [
        {
            "role": "seed",
            "name": "seed",
            "path": report.seed.path,
            "encoding": report.seed.encoding,
            "segments": len(report.seed_segments),
            "beads": "",
        }
    ]
    for ref in report.references:
        kinds = Counter(b.kind for b in ref.alignment.beads)
        beads = ", ".join(f"{kind} \u00d7{n}" for kind, n in sorted(kinds.items()))
        docs.append(
            {
                "role": "reference",
                "name": ref.name,
                "path": ref.document.path,
                "encoding": ref.document.encoding,
                "segments": len(ref.segments),
                "beads": f"{beads}; {ref.alignment.matched_share:.0%} of seed sentences matched",
            }
        )
    return docs


def _metrics(report: Report) -> list[str]:
    names = list(report.scores)
    for ref in report.references:
        names.extend(m for m in ref.scores if m not in names)
    return names


def _score_rows(report: Report) -> dict[str, Any]:
    metrics = _metrics(report)
    rows: list[tuple[str, Mapping[str, Any]]] = [
        (ref.name, ref.scores) for ref in report.references
    ]
    if len(report.references) > 1 and report.scores:
        rows.append((f"all {len(report.references)} references", report.scores))
    return {
        "metrics": metrics,
        "rows": [(name, [_score(scores.get(m)) for m in metrics]) for name, scores in rows],
    }


def _score(value: Any) -> str:
    if isinstance(value, Score):
        return f"{value.score:.2f}"
    return "\u2014" if value is None else str(value)


def _signatures(report: Report) -> list[tuple[str, str, str]]:
    """``(metric, what it applies to, signature)`` for every distinct signature.

    Every signature ends with the run signature, which the page shows once; it is cut off here
    so that the table stays readable (the metric part is what differs).
    """
    suffix = "|" + report.signature
    sources: list[tuple[str, Mapping[str, Any]]] = [
        (ref.name, ref.scores) for ref in report.references
    ]
    if len(report.references) > 1:
        sources.append(("all references", report.scores))
    rows: list[tuple[str, str, str]] = []
    for metric in _metrics(report):
        seen: dict[str, list[str]] = {}
        for name, scores in sources:
            score = scores.get(metric)
            if isinstance(score, Score):
                seen.setdefault(score.signature, []).append(name)
        sentence = report.sentence_signatures.get(metric)
        if sentence is not None:
            seen.setdefault(sentence, []).append("sentence scores")
        rows.extend(
            (metric, ", ".join(names), sig.removesuffix(suffix)) for sig, names in seen.items()
        )
    return rows


def _counts(flags: Sequence[Flag]) -> list[tuple[str, list[int], int]]:
    counts = Counter((f.category, f.severity) for f in flags)
    rows = []
    for cat in Category:
        cells = [counts[cat, sev] for sev in SEVERITIES]
        if any(cells):
            rows.append((cat.value, cells, sum(cells)))
    return rows


def _max_severity(flags: Sequence[Flag]) -> str:
    for sev in SEVERITIES:
        if any(f.severity is sev for f in flags):
            return sev.value
    return "none"


def _bars(report: Report) -> list[_Bar]:
    if not report.settings.detect:
        return []
    bars = []
    for i, (segment, result) in enumerate(zip(report.seed_segments, report.sentences, strict=True)):
        severity = _max_severity(result.flags)
        title = f"{segment.id}: suspicion {result.suspicion:.2f}"
        if result.flags:
            cats = ", ".join(dict.fromkeys(f.category.value for f in result.flags))
            title += f"; {len(result.flags)} flag(s), most severe {severity}: {cats}"
        # A bar never vanishes: zero suspicion still gets a sliver that can be clicked.
        height = max(2.0, round(result.suspicion * 100, 1))
        bars.append(_Bar(i, height, severity, title, bool(result.flags)))
    return bars


def _table(report: Report, k: int, ref: ReferenceResult) -> _Table:
    rows = []
    for bead in ref.alignment.beads:
        seed_texts = [report.seed_segments[i].text for i in bead.seed]
        ref_texts = [ref.segments[j].text for j in bead.ref]
        seed_changes, ref_changes = _changes(seed_texts, ref_texts)
        seed_side = tuple(
            _seed_sentence(report, k, i, ref.name, changes)
            for i, changes in zip(bead.seed, seed_changes, strict=True)
        )
        ref_side = tuple(
            _Sentence(segment.id, "", _runs(segment.text, changes, ()))
            for segment, changes in zip(
                (ref.segments[j] for j in bead.ref), ref_changes, strict=True
            )
        )
        details = ""
        if bead.seed and bead.ref:
            # The aligner's similarity and one sentence score; the JSON report has them all.
            details = f"sim {bead.similarity:.2f}"
            scores = report.sentences[bead.seed[0]].scores.get(ref.name, {})
            metric = next((m for m in ("chrf", *scores) if m in scores and m != "similarity"), "")
            if metric:
                details += f" \u00b7 {metric} {scores[metric]:.1f}"
        rows.append(
            _Row(
                seed=seed_side,
                ref=ref_side,
                label=_KIND_LABEL.get(bead.kind, bead.kind),
                details=details,
                unmatched=not (bead.seed and bead.ref),
                suspicion=_suspicion(report, bead.seed),
                flags=_flag_keys(report, bead.seed, ref.name),
            )
        )
    return _Table(k, ref.name, ref.document.path, tuple(rows))


def _seed_table(report: Report) -> _Table:
    """Without references: one row per seed sentence, flags only."""
    rows = tuple(
        _Row(
            seed=(_seed_sentence(report, 0, i, None, []),),
            ref=(),
            label="",
            details="",
            unmatched=False,
            suspicion=_suspicion(report, (i,)),
            flags=_flag_keys(report, (i,), None),
        )
        for i in range(len(report.seed_segments))
    )
    return _Table(0, "", "", rows)


def _suspicion(report: Report, seed: Sequence[int]) -> float | None:
    if not report.settings.detect or not seed:
        return None
    return max(report.sentences[i].suspicion for i in seed)


@cache
def _stylesheet(categories: int) -> tuple[Markup, str]:
    """The page's style sheet with the filter rules of ``categories`` categories appended
    (one per category index: a plug-in's categories are filtered like the built-in ones)."""
    css, _ = inline_asset("report.css")
    keys = range(categories)
    marks = ",\n".join(f".off-c{k} .flag.c{k} > mark" for k in keys)
    badges = ",\n".join(f".off-c{k} .flag.c{k} > mark::after" for k in keys)
    text = (
        f"{css}\n/* The category filters (html.py). */\n"
        f"{marks} {{ background: none; border-bottom: 1px dotted var(--none); }}\n"
        f"{badges} {{ display: none; }}\n"
    )
    return Markup(text), csp_hash(text)


def _category_index(category: Category) -> int:
    """The category's place in the registry (the page's filters number categories so)."""
    return tuple(Category).index(category)


def _other(flag: Flag, reference: str | None) -> bool:
    return reference is not None and bool(flag.references) and reference not in flag.references


def _flag_keys(report: Report, seed: Sequence[int], reference: str | None) -> str:
    return " ".join(
        f"{_category_index(f.category)}:{f.severity.value}" + (":o" if _other(f, reference) else "")
        for i in seed
        for f in report.sentences[i].flags
    )


def _seed_sentence(
    report: Report, k: int, i: int, reference: str | None, changes: list[_Span]
) -> _Sentence:
    segment: Segment = report.seed_segments[i]
    flags = report.sentences[i].flags
    marks = [
        _Mark(
            tip=f"f{k}-{i}-{n}-{part}",
            flag=flags[n],
            start=start,
            end=end,
            category=_category_index(flags[n].category),
            badge=(f"{_SEVERITY_BADGE[flags[n].severity]} {flags[n].category.badge}"),
            other=_other(flags[n], reference),
        )
        for part, (start, end, n) in enumerate(_nest(flags, len(segment.text)))
    ]
    return _Sentence(segment.id, f"s{k}-{i}", _runs(segment.text, changes, marks))


def _changes(seed: list[str], ref: list[str]) -> tuple[list[list[_Span]], list[list[_Span]]]:
    """Changed stretches of each sentence, from the word diff of the joined bead texts."""
    if not seed or not ref:
        return [[] for _ in seed], [[] for _ in ref]
    seed_spans: list[_Span] = []
    ref_spans: list[_Span] = []
    a = b = 0
    for piece in word_diff(" ".join(seed), " ".join(ref)):
        if piece.tag != "equal":
            cls = "r" if piece.tag == "replace" else "d"
            if piece.seed:
                seed_spans.append((a, a + len(piece.seed), cls))
            if piece.ref:
                ref_spans.append((b, b + len(piece.ref), cls))
        a += len(piece.seed)
        b += len(piece.ref)
    return _split(seed_spans, seed), _split(ref_spans, ref)


def _split(spans: list[_Span], texts: list[str]) -> list[list[_Span]]:
    """Spans over ``" ".join(texts)`` cut into spans over each text."""
    out = []
    offset = 0
    for text in texts:
        end = offset + len(text)
        out.append(
            [
                (max(lo, offset) - offset, min(hi, end) - offset, cls)
                for lo, hi, cls in spans
                if lo < end and hi > offset
            ]
        )
        offset = end + 1
    return out


def _nest(flags: Sequence[Flag], length: int) -> list[tuple[int, int, int]]:
    """Flag spans as properly nested ``(start, end, flag index)`` parts, in document order.

    Spans that contain one another nest as they are; a span that crosses the end of an open one
    is cut there and its remainder continues after it, so every part is one element.
    """
    heap = [
        (max(0, f.start), -min(f.end, length), n)
        for n, f in enumerate(flags)
        if max(0, f.start) < min(f.end, length)
    ]
    heapq.heapify(heap)
    open_ends: list[int] = []
    parts = []
    while heap:
        start, neg_end, n = heapq.heappop(heap)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and open_ends[-1] < end:
            heapq.heappush(heap, (open_ends[-1], -end, n))
            end = open_ends[-1]
        open_ends.append(end)
        parts.append((start, end, n))
    return parts


def _runs(text: str, changes: Sequence[_Span], marks: Sequence[_Mark]) -> tuple[_Run, ...]:
    """The text cut at every change and mark boundary, with open/close steps for the marks."""
    if not changes and not marks:
        return (_Run("text", text),) if text else ()
    points = {0, len(text)}
    for lo, hi, _ in changes:
        points.update((lo, hi))
    for mark in marks:
        points.update((mark.start, mark.end))
    runs: list[_Run] = []
    opening = sorted(marks, key=lambda m: (m.start, -m.end))
    stack: list[_Mark] = []
    next_mark = next_change = 0
    for a, b in pairwise(sorted(points)):
        while stack and stack[-1].end <= a:
            runs.append(_Run("close", mark=stack.pop()))
        while next_mark < len(opening) and opening[next_mark].start == a:
            stack.append(opening[next_mark])
            runs.append(_Run("open", mark=opening[next_mark]))
            next_mark += 1
        while next_change < len(changes) and changes[next_change][1] <= a:
            next_change += 1
        diff = ""
        if next_change < len(changes) and changes[next_change][0] <= a:
            diff = changes[next_change][2]
        runs.append(_Run("text", text[a:b], diff))
    runs.extend(_Run("close", mark=mark) for mark in reversed(stack))
    return tuple(runs)
