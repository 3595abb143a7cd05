"""GitHub-flavoured Markdown for a pull-request comment: summary, scores, flags, suspect sentences.

Every piece of input text (sentences, paths, messages, warnings) goes through :func:`escape`,
which makes it inert: no table cell break, no emphasis, link, raw HTML, math or @mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from toolkit.checks import Category, Severity
from toolkit.flags import Flag
from toolkit.report.notes import post_edit_notes, set_aside_note
from toolkit.result import Report, SentenceResult
from toolkit.segment import Segment

__all__ = ["escape", "render_markdown"]

MAX_SENTENCES = 50
EXCERPT = 320  # longest sentence shown whole; longer ones are cut around their flags

_SEVERITIES = (Severity.critical, Severity.major, Severity.minor)
_ICONS = {Severity.critical: "🔴", Severity.major: "🟠", Severity.minor: "🟡"}
_METRIC_NAMES = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# Markdown punctuation that can start or end emphasis, code, links, tables or strike-through.
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# "# x", "- x", "+ x", "= x" or "1. x" would start a block when the text opens a line.
_BLOCK_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")


def escape(text: str) -> str:
    """Make ``text`` inert inline in GitHub Markdown, on one line (safe inside a table cell).

    Line breaks become spaces; ``& < >`` become entities (no raw HTML); Markdown punctuation
    is backslash-escaped (``|`` included, so a table keeps its columns); ``$`` is wrapped in a
    span (GitHub reads ``$...$`` as math and ignores ``\\$``); a word joiner after ``@`` keeps
    GitHub from notifying users named in the text.
    """
    text = _LINE_BREAKS.sub(" ", text)
    text = "".join(_HTML.get(c, c) for c in text)
    text = _PUNCTUATION.sub(r"\\\1", text)
    return text.replace("$", "<span>$</span>").replace("@", "@\u2060")


def _escape_block(text: str) -> str:
    """:func:`escape`, for text that opens a line (a list item): it cannot start a block."""
    return _BLOCK_START.sub(
        lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escape(text), count=1
    )


def _code(text: str) -> str:
    """A code span that survives any backticks and pipes in ``text``."""
    text = _LINE_BREAKS.sub(" ", text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fenced(lines: Iterable[str]) -> list[str]:
    body = list(lines)
    longest = max((len(run) for line in body for run in re.findall(r"`{3,}", line)), default=2)
    fence = "`" * (longest + 1)
    return [f"{fence}text", *body, fence]


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def render_markdown(report: Report, *, max_sentences: int = MAX_SENTENCES) -> str:
    """The report as GitHub-flavoured Markdown, most suspect sentences first.

    Args:
        report: The result of a run.
        max_sentences: Most flagged sentences listed; a note counts the rest.
    """
    lines = ["### transdiff report", ""]
    lines += _summary(report)
    lines += _warnings(report.warnings)
    lines += _scores(report)
    lines += _flags(report, max_sentences)
    lines += ["<details><summary>Run signature</summary>", "", *_fenced([report.signature])]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> list[str]:
    seed = report.seed
    lines = [
        f"**Seed:** {escape(seed.path)} ({len(report.seed_segments)} sentences, "
        f"{escape(seed.encoding)})",
        "",
    ]
    if not report.references:
        return [*lines, "No references: the seed is segmented and checked on its own.", ""]
    lines += [
        _row("Reference", "File", "Sentences", "Beads", "Seed matched"),
        "| --- | --- | ---: | --- | ---: |",
    ]
    for ref in report.references:
        kinds: dict[str, int] = {}
        for bead in ref.alignment.beads:
            kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
        beads = ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
        lines.append(
            _row(
                escape(ref.name),
                escape(ref.document.path),
                len(ref.segments),
                beads,
                f"{ref.alignment.matched_share:.0%}",
            )
        )
    return [*lines, ""]


def _warnings(warnings: Sequence[str]) -> list[str]:
    if not warnings:
        return []
    return ["> [!WARNING]", *(f"> - {_escape_block(w)}" for w in warnings), ""]


def _scores(report: Report) -> list[str]:
    source = report.scores or (report.references[0].scores if report.references else {})
    metrics = list(source)
    if not metrics:
        return []
    lines = [
        "#### Scores",
        "",
        _row("Reference", *(_METRIC_NAMES.get(m, escape(m)) for m in metrics)),
        "| --- |" + " ---: |" * len(metrics),
    ]
    rows = [(escape(ref.name), ref.scores) for ref in report.references]
    if len(report.references) > 1:
        rows.append((f"**all {len(report.references)} references**", report.scores))
    for name, scores in rows:
        lines.append(_row(name, *(f"{scores[m].score:.2f}" for m in metrics if m in scores)))
    lines += ["", "TER: lower is better; the other metrics: higher is better.", ""]
    note = (
        "signatures of the all-references row; each reference alone has nrefs:1"
        if len(report.references) > 1
        else "signatures"
    )
    lines += [f"<details><summary>Score {note}</summary>", ""]
    lines += _fenced(f"{m}: {source[m].signature}" for m in metrics)
    return [*lines, "", "</details>", ""]


def _flags(report: Report, max_sentences: int) -> list[str]:
    lines = ["#### Flags", ""]
    if not report.settings.detect:
        return [*lines, "The checks were not run (`--no-flags`).", ""]
    counts: dict[Category, dict[Severity, int]] = {}
    for sentence in report.sentences:
        for f in sentence.flags:
            row = counts.setdefault(f.category, dict.fromkeys(_SEVERITIES, 0))
            row[f.severity] += 1
    flagged = [(report.sentences[i], report.seed_segments[i]) for i in report.review_order()]
    total = sum(sum(row.values()) for row in counts.values())
    waived = sum(len(s.waived) for s in report.sentences)
    if waived:
        lines += [f"{waived} flag{'s' * (waived != 1)} waived (not counted below).", ""]
    for note in [*post_edit_notes(report), set_aside_note(report)]:
        if note:
            lines += [escape(note) + ".", ""]
    if not total:
        return [*lines, f"No flags on {len(report.sentences)} sentences.", ""]
    lines += [
        f"**{total} flag{'s' * (total != 1)}** on {len(flagged)} of {len(report.sentences)} "
        "sentences.",
        "",
        _row("Category", *(f"{_ICONS[s]} {s.value}" for s in _SEVERITIES), "Total"),
        "| --- |" + " ---: |" * (len(_SEVERITIES) + 1),
    ]
    for category, row in sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        lines.append(_row(category.value, *(row[s] for s in _SEVERITIES), sum(row.values())))
    lines += ["", "#### Flagged sentences, most suspect first", ""]
    lines += [_row("Sentence", "Suspicion", "Text", "Flags"), "| --- | ---: | --- | --- |"]
    for result, segment in flagged[:max_sentences]:
        lines.append(_sentence_row(result, segment))
    rest = len(flagged) - max_sentences
    if rest > 0:
        lines += [
            "",
            f"…and {rest} more flagged sentence{'s' * (rest != 1)}; "
            "`transdiff flag` lists them all.",
        ]
    return [*lines, ""]


def _sentence_row(result: SentenceResult, segment: Segment) -> str:
    text = segment.text
    flags = "<br>".join(_flag_entry(f, text) for f in result.flags)
    return _row(_code(segment.id), f"{result.suspicion:.2f}", _highlight(text, result.flags), flags)


def _flag_entry(flag: Flag, sentence: str) -> str:
    span = sentence[flag.start : flag.end]
    if span.strip() == sentence.strip():  # the whole sentence: it is in bold beside
        shown = ""
    elif not span.strip():  # a flagged space: make it visible
        shown = "“" + "␣" * len(span) + "” "
    else:
        shown = f"“{escape(span) if len(span) <= 60 else escape(span[:59]) + '…'}” "
    support = f" ({flag.support}/{flag.available} refs)" if flag.available else ""
    return (
        f"{_ICONS[flag.severity]} **{flag.severity.value}** {flag.category.value}: "
        f"{shown}{escape(flag.message)}{support}"
    )


def _highlight(text: str, flags: Sequence[Flag]) -> str:
    """The sentence with every flagged span in bold (``<b>``: ``**`` fails next to punctuation)."""
    spans = _merge(sorted((f.start, f.end) for f in flags))
    lo, hi = 0, len(text)
    if len(text) > EXCERPT and spans:
        lo = max(0, spans[0][0] - EXCERPT // 3)
        hi = min(len(text), max(spans[-1][1] + EXCERPT // 3, lo + EXCERPT))
    elif len(text) > EXCERPT:
        hi = EXCERPT
    out = ["…"] if lo else []
    pos = lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        out += [escape(text[pos:start]), "<b>", escape(text[start:end]), "</b>"]
        pos = end
    out.append(escape(text[pos:hi]))
    if hi < len(text):
        out.append("…")
    return "".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
