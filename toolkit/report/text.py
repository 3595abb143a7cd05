"""Plain-text renderings for the terminal: an alignment table per reference."""

from __future__ import annotations

from toolkit.result import ReferenceResult, Report

__all__ = ["render_alignment_table", "render_text"]

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
    """A summary of the run followed by the alignment table of each reference."""
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
    for ref in report.references:
        out += "\n" + render_alignment_table(report, ref, width=width)
    return out
