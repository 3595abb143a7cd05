"""The HTML review page: the seed and each reference side by side, in one self-contained file.

Everything the page shows is computed here from the :class:`~toolkit.result.Report` into small
view records, then written by the autoescaping jinja2 template ``templates/report.html``; no
HTML is assembled in Python.  The style sheet and the script are static files inlined into the
page, and a Content-Security-Policy allows exactly those two (by hash) and nothing else: the page
makes no request, and markup that slipped past escaping still could not run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from typing import Any

from markupsafe import Markup

from toolkit.checks import Category, Severity
from toolkit.flags import Flag
from toolkit.report.html_review import (
    accept_data,
    default_reference,
    flagged_first,
    score_lines,
)
from toolkit.report.html_runs import Mark, Run, Span, nest, runs, word_changes
from toolkit.report.notes import post_edit_notes, set_aside_note
from toolkit.report.page import csp_hash, environment, inline_asset
from toolkit.result import ReferenceResult, Report, confirmed_weight
from toolkit.score import Score
from toolkit.segment import Segment

__all__ = ["render_html"]

SEVERITIES: tuple[Severity, ...] = (Severity.critical, Severity.major, Severity.minor)
_SEVERITY_BADGE = {Severity.critical: "CRIT", Severity.major: "MAJ", Severity.minor: "MIN"}
_KIND_LABEL = {"1-0": "seed only", "0-1": "reference only"}


@dataclass(frozen=True, slots=True)
class _Sentence:
    id: str
    anchor: str  # element id ("" for reference sentences)
    runs: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class _Item:
    """One flag in a row's list: what it is, its id, and the box that accepts it."""

    flag: Flag
    sentence: str  # the seed sentence's id
    text: str  # the flagged words
    badge: str
    category: int
    other: bool


@dataclass(frozen=True, slots=True)
class _Row:
    index: int  # the bead's place in document order
    seed: tuple[_Sentence, ...]
    ref: tuple[_Sentence, ...]
    label: str
    details: str
    unmatched: bool
    suspicion: float | None
    flags: str  # "category:severity[:o]" per flag, for the script's filters
    items: tuple[_Item, ...] = ()


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
    keys: str  # "category:severity:supporting reference indices (* none needed)" per flag


def render_html(report: Report, *, reference: str | None = None) -> str:
    """The report as one self-contained HTML page (inline style sheet and script, no requests).

    The page opens on the sentences: a short header (seed, references, one score line, flag
    counts), the review controls, a suspicion chart along the seed, then one table per
    reference with every alignment bead, flagged beads first, the word differences highlighted
    and each flag marked on its span and listed with its id and a box to accept it.  Ticked
    flags download as a waivers file or copy as ``transdiff waive`` commands.  Documents,
    scores with their signatures and counts per category are folded up at the end.  Filters,
    order, the reference shown (kept in the URL's ``#ref=``) and ``j``/``k`` navigation run in
    the page without rebuilding it.

    Args:
        report: The result of a run.
        reference: The reference to open on (named first on the command line or in the
            configuration); None, or a name the report lacks: the one closest to the seed.
    """
    css, css_hash = _stylesheet(len(Category))
    script, script_hash = inline_asset("report.js")
    chosen = default_reference(report, reference)
    tables = [_table(report, k, ref) for k, ref in enumerate(report.references)]
    if not report.references:
        tables = [_seed_table(report)]
    flags = [f for s in report.sentences for f in s.flags]
    context: dict[str, Any] = {
        "report": report,
        "reference_issues": [
            {
                **issue.to_dict(report.seed_segments[issue.sentence].text),
                "sentence": report.seed_segments[issue.sentence].id,
            }
            for issue in report.reference_issues
        ],
        "css": css,
        "script": script,
        "csp": (
            f"default-src 'none'; style-src {css_hash}; script-src {script_hash}; "
            "base-uri 'none'; form-action 'none'"
        ),
        "shown": chosen.index,
        "why": chosen.why,
        "score_lines": score_lines(report),
        "documents": _documents(report),
        "scores": _score_rows(report),
        "signatures": _signatures(report),
        "counts": _counts(flags),
        "flag_total": len(flags),
        "flag_severities": [
            (sev.value, n) for sev in SEVERITIES if (n := sum(f.severity is sev for f in flags))
        ],
        "waived_total": sum(len(s.waived) for s in report.sentences),
        "verifier_notes": [n for n in (*post_edit_notes(report), set_aside_note(report)) if n],
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
            "shown": chosen.index,
            "detect": report.settings.detect,
            "accept": accept_data(report),
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
    names = [ref.name for ref in report.references]
    for i, (segment, result) in enumerate(zip(report.seed_segments, report.sentences, strict=True)):
        severity = _max_severity(result.flags)
        title = f"{segment.id}: suspicion {result.suspicion:.2f}"
        if result.flags:
            cats = ", ".join(dict.fromkeys(f.category.value for f in result.flags))
            title += f"; {len(result.flags)} flag(s), most severe {severity}: {cats}"
        # A bar never vanishes: zero suspicion still gets a sliver that can be clicked.
        height = max(2.0, round(result.suspicion * 100, 1))
        keys = " ".join(
            f"{_category_index(f.category)}:{f.severity.value}:"
            + (".".join(str(names.index(r)) for r in f.references if r in names) or "*")
            for f in result.flags
        )
        bars.append(_Bar(i, height, severity, title, bool(result.flags), keys))
    return bars


def _table(report: Report, k: int, ref: ReferenceResult) -> _Table:
    rows: list[_Row] = []
    for bead in ref.alignment.beads:
        seed_texts = [report.seed_segments[i].text for i in bead.seed]
        ref_texts = [ref.segments[j].text for j in bead.ref]
        seed_changes, ref_changes = word_changes(seed_texts, ref_texts)
        seed_side = tuple(
            _seed_sentence(report, k, i, ref.name, changes)
            for i, changes in zip(bead.seed, seed_changes, strict=True)
        )
        ref_side = tuple(
            _Sentence(segment.id, "", runs(segment.text, changes, ()))
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
                index=len(rows),
                seed=seed_side,
                ref=ref_side,
                label=_KIND_LABEL.get(bead.kind, bead.kind),
                details=details,
                unmatched=not (bead.seed and bead.ref),
                suspicion=_suspicion(report, bead.seed),
                flags=_flag_keys(report, bead.seed, ref.name),
                items=_items(report, bead.seed, ref.name),
            )
        )
    return _Table(k, ref.name, ref.document.path, _ordered(rows, report.post_edits()))


def _seed_table(report: Report) -> _Table:
    """Without references: one row per seed sentence, flags only."""
    rows = [
        _Row(
            index=i,
            seed=(_seed_sentence(report, 0, i, None, []),),
            ref=(),
            label="",
            details="",
            unmatched=False,
            suspicion=_suspicion(report, (i,)),
            flags=_flag_keys(report, (i,), None),
            items=_items(report, (i,), None),
        )
        for i in range(len(report.seed_segments))
    ]
    return _Table(0, "", "", _ordered(rows, report.post_edits()))


def _ordered(rows: list[_Row], post_edits: AbstractSet[str]) -> tuple[_Row, ...]:
    """The rows flagged first (the page's default order; the script restores the others)."""
    order = flagged_first(
        [r.suspicion for r in rows],
        [bool(r.items) for r in rows],
        [confirmed_weight((item.flag for item in r.items), post_edits) for r in rows],
    )
    return tuple(rows[k] for k in order)


def _items(report: Report, seed: Sequence[int], reference: str | None) -> tuple[_Item, ...]:
    return tuple(
        _Item(
            flag=f,
            sentence=report.seed_segments[i].id,
            text=report.seed_segments[i].text[f.start : f.end],
            badge=f"{_SEVERITY_BADGE[f.severity]} {f.category.badge}",
            category=_category_index(f.category),
            other=_other(f, reference),
        )
        for i in seed
        for f in report.sentences[i].flags
    )


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
    items = ",\n".join(f".off-c{k} li.fl.c{k}" for k in keys)
    text = (
        f"{css}\n/* The category filters (html.py). */\n"
        f"{marks} {{ background: none; border-bottom: 1px dotted var(--none); }}\n"
        f"{badges} {{ display: none; }}\n"
        f"{items} {{ display: none; }}\n"
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
    report: Report, k: int, i: int, reference: str | None, changes: list[Span]
) -> _Sentence:
    segment: Segment = report.seed_segments[i]
    flags = report.sentences[i].flags
    marks = [
        Mark(
            tip=f"f{k}-{i}-{n}-{part}",
            flag=flags[n],
            start=start,
            end=end,
            category=_category_index(flags[n].category),
            badge=(f"{_SEVERITY_BADGE[flags[n].severity]} {flags[n].category.badge}"),
            other=_other(flags[n], reference),
        )
        for part, (start, end, n) in enumerate(nest(flags, len(segment.text)))
    ]
    return _Sentence(segment.id, f"s{k}-{i}", runs(segment.text, changes, marks))
