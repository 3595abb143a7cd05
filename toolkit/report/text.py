"""Renderings for the terminal: the report view (rich, colour or plain) and plain tables."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from toolkit.checks import Severity
from toolkit.compare import Comparison
from toolkit.flags import Flag
from toolkit.report.notes import post_edit_notes, set_aside_note
from toolkit.report.terminal import terminal_safe, terminal_safe_offsets
from toolkit.report.worddiff import word_diff
from toolkit.report.wrap import wrap, wrap_signature
from toolkit.result import ReferenceResult, Report

__all__ = [
    "render_alignment_table",
    "render_compare_table",
    "render_score_table",
    "render_sentence_scores",
    "render_text",
    "terminal_safe",
]

_WIDTH = 80


def _short(text: str, width: int) -> str:
    """One table cell: white space flattened, controls shown as escapes, cut to ``width``."""
    flat = terminal_safe(" ".join(text.split()), one_line=True)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _lines(lines: Sequence[str]) -> str:
    """The lines of a plain table, each made safe for the terminal (names, paths, labels)."""
    return "".join(terminal_safe(line, one_line=True) + "\n" for line in lines)


def render_alignment_table(report: Report, ref: ReferenceResult, *, width: int = _WIDTH) -> str:
    """One line per bead: kind, similarity, seed ids and text, reference ids and text."""
    seed = report.seed_segments
    col = max(12, (width - 20) // 2)
    lines = [
        f"{ref.name}: {len(ref.alignment.beads)} beads, "
        f"{ref.alignment.matched_share:.0%} of seed sentences matched",
        f"{'kind':<4} {'sim':>4}  {'seed':<{col}} | reference",
    ]
    for bead in ref.alignment.beads:
        left = " ".join(seed[i].text for i in bead.seed)
        right = " ".join(ref.segments[j].text for j in bead.ref)
        left_ids = ",".join(seed[i].id for i in bead.seed) or "-"
        right_ids = ",".join(ref.segments[j].id for j in bead.ref) or "-"
        sim = f"{bead.similarity:.2f}" if bead.seed and bead.ref else "  - "
        lines.append(
            f"{bead.kind:<4} {sim:>4}  {_short(left_ids + ' ' + left, col):<{col}} | "
            f"{_short(right_ids + ' ' + right, col)}"
        )
    return _lines(lines)


def render_score_table(report: Report, *, width: int = _WIDTH) -> str:
    """Document scores: one row per reference and one for all references together; the
    signatures wrap at their ``|`` to ``width``."""
    metrics = _metric_names(report)
    if not metrics:
        return "no scores: give at least one reference\n"
    head = f"{'reference':<20} " + " ".join(f"{m:>7}" for m in metrics)
    lines = [head]
    rows = [(ref.name, ref.scores) for ref in report.references]
    if len(report.references) > 1:
        rows.append((f"all ({len(report.references)} refs)", report.scores))
    for name, scores in rows:
        cells = " ".join(f"{scores[m].score:>7.2f}" for m in metrics)
        lines.append(f"{_short(name, 20):<20} {cells}")
    lines.append("")
    if len(report.references) > 1:
        lines.append("signatures of the all-references row (each reference alone: nrefs:1):")
    for m, sig in _signatures(report, metrics).items():
        lines += wrap_signature(m, sig, width)
    for ref in report.references:
        unmatched = sum(len(b.seed) for b in ref.alignment.beads if not b.ref)
        if unmatched:
            note = (
                f"{ref.name}: {unmatched} seed sentence(s) without a counterpart, scored 0 "
                "(TER 100)"
            )
            lines += wrap(note, width, indent="  ")
    return _lines(lines)


def render_sentence_scores(report: Report, *, width: int = _WIDTH) -> str:
    """Per-sentence scores for each reference, worst first by the first higher-is-better metric."""
    metrics = [*_metric_names(report), "similarity"]
    key = next((m for m in metrics if m != "ter"), "similarity")
    out = []
    for ref in report.references:
        rows = [
            (s, report.seed_segments[k].text, s.scores[ref.name])
            for k, s in enumerate(report.sentences)
            if ref.name in s.scores
        ]
        rows.sort(key=lambda r: r[2][key])
        ids = max([7, *(len(s.id) for s, _, _ in rows)])
        # id, a space, the cells (8 columns each, less one) and two spaces before the text
        col = max(10, width - (ids + 1 + 8 * len(metrics) - 1 + 2))
        out.append(f"{ref.name}: sentence scores, worst {key} first")
        out.append(f"{'id':<{ids}} " + " ".join(f"{m[:7]:>7}" for m in metrics) + "  seed")
        for sentence, text, row in rows:
            cells = " ".join(f"{row[m]:>7.2f}" for m in metrics)
            out.append(f"{sentence.id:<{ids}} {cells}  {_short(text, col)}")
        out.append("")
    return _lines(out)[:-1]


def _metric_names(report: Report) -> list[str]:
    return list(report.scores) or (list(report.references[0].scores) if report.references else [])


def _signatures(report: Report, metrics: list[str]) -> dict[str, str]:
    source = report.scores or (report.references[0].scores if report.references else {})
    return {m: source[m].signature for m in metrics if m in source}


def render_compare_table(comparisons: Sequence[Comparison], *, width: int = _WIDTH) -> str:
    """Per reference: each system's score, bootstrap mean ± 95% CI and p-values vs the baseline;
    the signatures wrap at their ``|`` to ``width``."""
    out = []
    for comp in comparisons:
        metrics = list(comp.systems[0].metrics) if comp.systems else []
        out += wrap(
            f"reference {comp.reference}: {comp.path} ({comp.units} units); "
            f"baseline {comp.systems[0].name}",
            width,
            indent="  ",
        )
        out.append(
            f"{'rank':>4} {'system':<20} {'metric':<7} {'score':>7} {'mean ± 95% CI':>16} "
            f"{'p(bs)':>7} {'p(ar)':>7}"
        )
        for system in comp.systems:
            for k, m in enumerate(metrics):
                r = system.metrics[m]
                lead = f"{system.rank:>4} {_short(system.name, 20):<20}" if k == 0 else " " * 25
                p_bs = "-" if r.p_bootstrap is None else f"{r.p_bootstrap:.4f}"
                p_ar = "-" if r.p_ar is None else f"{r.p_ar:.4f}"
                interval = f"{r.mean:.2f} ± {r.ci:.2f}"
                out.append(
                    f"{lead} {m:<7} {r.score:>7.2f} {interval:>16} {p_bs:>7} {p_ar:>7}"
                    + (" *" if r.p_ar is not None and r.p_ar < 0.05 else "")
                )
        out.append("* p(ar) < 0.05: different from the baseline")
        for m, sig in comp.signatures.items():
            out += wrap_signature(m, sig, width)
        out.append("")
    return _lines(out)[:-1]


# --- the report view (rich) --------------------------------------------------------------------

SEVERITY_STYLES = {
    Severity.critical: "bold white on red",
    Severity.major: "bold black on dark_orange",
    Severity.minor: "black on yellow",
}
_DELETE = "red strike"
_INSERT = "green underline"
_HEAD = "bold"
_DIM = "dim"
# In the report view white space inside a sentence (line breaks of hard-wrapped text, tabs)
# is a space, one character for one, so that flag offsets still hold; other controls are
# escapes (several characters: styled spans go through the offsets).


def _safe(text: str) -> str:
    return terminal_safe(text, flat=True)


def _safe_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`_safe` and the offset of each character of ``text`` in it."""
    return terminal_safe_offsets(text, flat=True)


def render_text(report: Report, *, width: int = _WIDTH, color: bool = False, top: int = 10) -> str:
    """The report for a terminal: summary, scores, flags, and each reference's differing beads.

    Each bead whose texts differ shows the seed with the reference's changes inline: deleted
    words red and struck through, inserted ones green and underlined (``[-old-]{+new+}`` in
    plain text), and the flags that reference supports, their spans highlighted by severity.

    Args:
        report: The result of a run.
        width: Columns to fit; long lines wrap, none is longer.
        color: ANSI colours and styles; False gives plain text (the caller decides, from
            whether the output is a terminal and ``NO_COLOR``).
        top: Most suspect sentences listed with their flags.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="256" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=False,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    view = _View(report, console, color)
    view.summary()
    if report.scores or any(ref.scores for ref in report.references):
        view.scores()
    if report.settings.detect:
        view.flags(top)
    if report.reference_issues:
        view.reference_issues()
    for ref in report.references:
        view.beads(ref)
    # rich pads table cells to the full width: drop the padding at the ends of lines
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


class _View:
    """The sections of :func:`render_text`, printed on one console."""

    def __init__(self, report: Report, console: Console, color: bool) -> None:
        self.report = report
        self.console = console
        self.color = color

    def line(self, *parts: str | tuple[str, str]) -> None:
        # Parts are made safe here too (idempotent): a label or signature may carry input.
        safe = [_safe(p) if isinstance(p, str) else (_safe(p[0]), p[1]) for p in parts]
        self.console.print(Text.assemble(*safe), overflow="fold")

    def heading(self, title: str) -> None:
        self.console.print()
        self.line((title, _HEAD))

    def summary(self) -> None:
        report = self.report
        self.line(
            f"seed: {_safe(report.seed.path)} ({len(report.seed_segments)} segments, "
            f"{report.seed.encoding})"
        )
        for ref in report.references:
            kinds: dict[str, int] = {}
            for bead in ref.alignment.beads:
                kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
            self.line(
                f"reference {_safe(ref.name)}: {_safe(ref.document.path)} "
                f"({len(ref.segments)} segments)"
            )
            self.line("  beads: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        if report.source is not None:
            side = report.source
            self.line(
                f"source: {_safe(side.path or 'the units of the seed')} ({side.language}; "
                f"{side.matched_share:.0%} of seed sentences paired)"
            )
        if not report.references:
            self.line("no references: the seed is segmented only")
        self.line(("signature: ", _DIM), report.signature)
        for warning in report.warnings:
            self.line(("warning: ", "bold yellow"), _safe(warning))

    def scores(self) -> None:
        report = self.report
        metrics = _metric_names(report)
        self.heading("scores")
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("reference", overflow="fold")
        for m in metrics:
            table.add_column(m, justify="right", no_wrap=True)
        rows = [(_safe(ref.name), ref.scores) for ref in report.references]
        if len(report.references) > 1:
            rows.append((f"all ({len(report.references)} refs)", report.scores))
        for name, scores in rows:
            table.add_row(name, *(f"{scores[m].score:.2f}" for m in metrics))
        self.console.print(table)
        if len(report.references) > 1:
            self.line(("all-references row; each reference alone has nrefs:1", _DIM))
        suffix = "|" + report.signature
        for m, sig in _signatures(report, metrics).items():
            short = sig.removesuffix(suffix)
            self.line(f"{m}: {short}", ("|<signature>" if short != sig else "", _DIM))
        for ref in report.references:
            unmatched = sum(len(b.seed) for b in ref.alignment.beads if not b.ref)
            if unmatched:
                self.line(
                    f"{_safe(ref.name)}: {unmatched} seed sentence(s) without a counterpart, "
                    "scored 0 (TER 100)"
                )

    def flags(self, top: int) -> None:
        report = self.report
        counts: dict[tuple[Severity, str], int] = {}
        for sentence in report.sentences:
            for f in sentence.flags:
                key = (f.severity, f.category.value)
                counts[key] = counts.get(key, 0) + 1
        flagged = [(report.sentences[i], report.seed_segments[i]) for i in report.review_order()]
        total = sum(counts.values())
        self.heading(f"flags: {total} on {len(flagged)} of {len(report.sentences)} sentences")
        waived = sum(len(s.waived) for s in report.sentences)
        if waived:
            self.line(f"  {waived} flag{'s' * (waived != 1)} waived (not counted above)")
        for note in [*post_edit_notes(report), set_aside_note(report)]:
            for piece in wrap(f"  {note}", self.console.width, indent="    ") if note else ():
                self.line((piece, _DIM))
        for (severity, category), n in sorted(
            counts.items(), key=lambda kv: (-kv[0][0].weight, -kv[1], kv[0][1])
        ):
            self.line(f"  {n:>5}  ", (f"{severity.value:<9}", self._severity(severity)), category)
        if not flagged:
            return
        self.heading("most suspect (transdiff flag lists them all)")
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 1, 0))
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold", ratio=1)
        for result, segment in flagged[:top]:
            cell = self._highlighted(segment.text, result.flags)
            for f in result.flags:
                cell.append("\n")
                cell.append_text(self._flag_line(f, segment.text))
            table.add_row(f"{result.suspicion:.2f} {segment.id}", cell)
        self.console.print(table)
        if len(flagged) > top:
            self.line((f"... and {len(flagged) - top} more", _DIM))

    def reference_issues(self) -> None:
        """Flags the source settled in the seed's favour: for whoever keeps the reference."""
        issues = self.report.reference_issues
        self.heading(
            f"probable reference issues: {len(issues)} (the source agrees with the seed; "
            "not counted as flags)"
        )
        for issue in issues:
            segment = self.report.seed_segments[issue.sentence]
            refs = ", ".join(issue.flag.references)
            self.line(f"  {segment.id}  ", (f"[{refs}] ", _DIM), _safe(issue.flag.message))
            self.line("        ", (_safe(issue.evidence), _DIM))

    def beads(self, ref: ReferenceResult) -> None:
        report = self.report
        seed = report.seed_segments
        rows = []
        same = 0
        for bead in ref.alignment.beads:
            left = " ".join(seed[i].text for i in bead.seed)
            right = " ".join(ref.segments[j].text for j in bead.ref)
            supported = [
                (i, f)
                for i in bead.seed
                for f in report.sentences[i].flags
                if ref.name in f.references
            ]
            if left.split() == right.split() and not supported:
                same += 1
                continue
            rows.append((bead, left, right, supported))
        self.heading(
            f"{_safe(ref.name)}: {len(ref.alignment.beads)} beads, "
            f"{ref.alignment.matched_share:.0%} of seed sentences matched; "
            f"{len(rows)} differ, {same} the same (not shown)"
        )
        if not rows:
            return
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("bead", no_wrap=True)
        table.add_column(
            "seed " + ("with the reference's changes" if self.color else "[-deleted-]{+inserted+}"),
            overflow="fold",
            ratio=1,
        )
        for bead, left, right, supported in rows:
            sim = f"{bead.similarity:.2f}" if bead.seed and bead.ref else "-"
            head = Text("\n".join(seed[i].id for i in bead.seed) or "-")
            head.append("\n" + "\n".join(f"→ {ref.segments[j].id}" for j in bead.ref or ()))
            if not bead.ref:
                head.append("→ -")
            head.append(f"\n{bead.kind} {sim}", _DIM)
            cell = self._diff(bead.seed, left, right, supported)
            for i, f in supported:
                cell.append("\n")
                cell.append_text(self._flag_line(f, seed[i].text))
            if bead is not rows[-1][0]:  # a blank line between rows: both cells end with one
                head.append("\n")
                cell.append("\n")
            table.add_row(head, cell)
        self.console.print(table)

    # -- pieces

    def _severity(self, severity: Severity) -> str:
        return SEVERITY_STYLES[severity] if self.color else ""

    def _flag_line(self, flag: Flag, sentence: str) -> Text:
        span = sentence[flag.start : flag.end]
        line = Text("▸ " if self.color else "! ")
        line.append(flag.severity.value, self._severity(flag.severity))
        line.append(f" {flag.category.value}")
        if span.strip() != sentence.strip():
            shown = _short(span, 40) if span.strip() else "␣" * len(span)
            line.append(f" “{_safe(shown)}”")
        line.append(f": {_safe(flag.message)}")
        if flag.available:
            line.append(f" [{flag.support_label}]", _DIM)
        return line

    def _highlighted(self, sentence: str, flags: Sequence[Flag]) -> Text:
        """The sentence with each flag's span styled by severity (in brackets when plain)."""
        if not self.color:
            spans = sorted({(f.start, f.end) for f in flags})
            out, pos = [], 0
            for start, end in spans:
                if start < pos:  # overlapping: the first span's brackets suffice
                    continue
                out += [sentence[pos:start], "[", sentence[start:end], "]"]
                pos = end
            out.append(sentence[pos:])
            return Text(_safe("".join(out)))
        shown, where = _safe_offsets(sentence)
        text = Text(shown)
        for f in sorted(flags, key=lambda f: f.severity.weight):  # most severe on top
            text.stylize(SEVERITY_STYLES[f.severity], where[f.start], where[f.end])
        return text

    def _diff(
        self, seed_ids: Sequence[int], left: str, right: str, flags: Sequence[tuple[int, Flag]]
    ) -> Text:
        """The seed with the reference's changes inline; flag spans highlighted in colour."""
        out = Text()
        # (offset in the joined seed text, offset in ``out``, where each of its characters went
        # in the shown text) of every seed stretch
        placed: list[tuple[int, int, list[int]]] = []
        at = 0
        previous_ref = previous_seed = ""
        for piece in word_diff(left, right):
            if piece.seed:
                if piece.tag == "equal":
                    shown, where = _safe_offsets(piece.seed)
                    placed.append((at, len(out), where))
                    out.append(shown)
                else:
                    self._mark(out, piece.seed, _DELETE, "[-", "-]", placed, at)
            if piece.ref and piece.tag != "equal":
                # The seed side has no space where the reference puts one before the insertion.
                if piece.tag == "insert" and previous_ref[-1:].isspace():
                    out.append(" " if previous_seed[-1:].strip() else "")
                elif piece.tag == "replace" and self.color:
                    out.append(" ")  # markers part old and new words in plain text; here a space
                self._mark(out, piece.ref, _INSERT, "{+", "+}", None, 0)
            at += len(piece.seed)
            previous_ref = piece.ref
            previous_seed = piece.seed or previous_seed
        if self.color and flags:
            starts, pos = {}, 0
            for i in seed_ids:
                starts[i] = pos
                pos += len(self.report.seed_segments[i].text) + 1
            for i, f in sorted(flags, key=lambda pair: pair[1].severity.weight):
                lo, hi = starts[i] + f.start, starts[i] + f.end
                for seed_at, out_at, where in placed:
                    a, b = max(lo, seed_at), min(hi, seed_at + len(where) - 1)
                    if a < b:
                        start, end = out_at + where[a - seed_at], out_at + where[b - seed_at]
                        out.stylize(SEVERITY_STYLES[f.severity], start, end)
        return out

    def _mark(
        self,
        out: Text,
        text: str,
        style: str,
        opening: str,
        closing: str,
        placed: list[tuple[int, int, list[int]]] | None,
        at: int,
    ) -> None:
        if not self.color:
            out.append(opening)
        shown, where = _safe_offsets(text)
        if placed is not None:
            placed.append((at, len(out), where))
        out.append(shown, style if self.color else None)
        if not self.color:
            out.append(closing)
