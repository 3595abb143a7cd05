"""Plain-text renderings for the terminal: an alignment table per reference."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.compare import Comparison
from toolkit.result import ReferenceResult, Report

__all__ = [
    "render_alignment_table",
    "render_compare_table",
    "render_flag_summary",
    "render_score_table",
    "render_sentence_scores",
    "render_text",
]

_WIDTH = 80


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


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
    return "\n".join(lines) + "\n"


def render_text(report: Report, *, width: int = _WIDTH) -> str:
    """A summary of the run, the document scores (if scored) and each alignment table."""
    parts = [
        f"seed: {report.seed.path} ({len(report.seed_segments)} segments, {report.seed.encoding})",
    ]
    for ref in report.references:
        kinds: dict[str, int] = {}
        for bead in ref.alignment.beads:
            kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        parts.append(
            f"reference {ref.name}: {ref.document.path} ({len(ref.segments)} segments); "
            f"beads: {summary}"
        )
    if not report.references:
        parts.append("no references: the seed is segmented only")
    parts.append(f"signature: {report.signature}")
    out = "\n".join(parts) + "\n"
    if report.scores or any(ref.scores for ref in report.references):
        out += "\n" + render_score_table(report)
    if report.settings.detect:
        out += "\n" + render_flag_summary(report, width=width)
    for ref in report.references:
        out += "\n" + render_alignment_table(report, ref, width=width)
    return out


def render_flag_summary(report: Report, *, width: int = _WIDTH, top: int = 5) -> str:
    """Flag counts per category and severity, and the most suspect sentences."""
    counts: dict[tuple[str, str], int] = {}
    for sentence in report.sentences:
        for f in sentence.flags:
            key = (f.category.value, f.severity.value)
            counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    flagged = sum(1 for s in report.sentences if s.flags)
    lines = [f"flags: {total} on {flagged} of {len(report.sentences)} sentences"]
    for (category, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:>5}  {severity:<8} {category}")
    ranked = sorted(
        (s for s in zip(report.sentences, report.seed_segments, strict=True) if s[0].flags),
        key=lambda pair: (-pair[0].suspicion, pair[1].start),
    )[:top]
    if ranked:
        lines.append("most suspect (transdiff flag lists them all):")
    for result, segment in ranked:
        head = f"  {result.suspicion:.2f} {segment.id} "
        lines.append(head + _short(segment.text, max(20, width - len(head))))
    return "\n".join(lines) + "\n"


def render_score_table(report: Report) -> str:
    """Document scores: one row per reference and one for all references together."""
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
    lines.extend(f"{m}: {sig}" for m, sig in _signatures(report, metrics).items())
    for ref in report.references:
        unmatched = sum(len(b.seed) for b in ref.alignment.beads if not b.ref)
        if unmatched:
            lines.append(
                f"{ref.name}: {unmatched} seed sentence(s) without a counterpart, scored 0 "
                "(TER 100)"
            )
    return "\n".join(lines) + "\n"


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
        col = max(20, width - 8 - 8 * len(metrics))
        out.append(f"{ref.name}: sentence scores, worst {key} first")
        out.append(f"{'id':<7} " + " ".join(f"{m[:7]:>7}" for m in metrics) + "  seed")
        for sentence, text, row in rows:
            cells = " ".join(f"{row[m]:>7.2f}" for m in metrics)
            out.append(f"{sentence.id:<7} {cells}  {_short(text, col)}")
        out.append("")
    return "\n".join(out)


def _metric_names(report: Report) -> list[str]:
    return list(report.scores) or (list(report.references[0].scores) if report.references else [])


def _signatures(report: Report, metrics: list[str]) -> dict[str, str]:
    source = report.scores or (report.references[0].scores if report.references else {})
    return {m: source[m].signature for m in metrics if m in source}


def render_compare_table(comparisons: Sequence[Comparison]) -> str:
    """Per reference: each system's score, bootstrap mean ± 95% CI and p-values vs the baseline."""
    out = []
    for comp in comparisons:
        metrics = list(comp.systems[0].metrics) if comp.systems else []
        out.append(
            f"reference {comp.reference}: {comp.path} ({comp.units} units); "
            f"baseline {comp.systems[0].name}"
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
        out.extend(f"{m}: {sig}" for m, sig in comp.signatures.items())
        out.append("")
    return "\n".join(out)
