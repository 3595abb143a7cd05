"""Renderings of the review queue (``transdiff flag``)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from toolkit.report.notes import post_edit_notes, set_aside_note
from toolkit.report.terminal import terminal_safe
from toolkit.report.wrap import wrap
from toolkit.result import Report

if TYPE_CHECKING:  # not at run time: toolkit.review reads and writes files through this package
    from toolkit.review import ReviewItem

__all__ = ["queue_report", "queue_to_dict", "render_queue_json", "render_queue_text"]


def queue_report(report: Report, items: Sequence[ReviewItem]) -> Report:
    """``report`` with only the flags that passed the queue's filters (what ``transdiff flag``
    renders in the formats that show a whole report)."""
    kept = {item.segment.id: item.flags for item in items}
    sentences = tuple(dataclasses.replace(s, flags=kept.get(s.id, ())) for s in report.sentences)
    return dataclasses.replace(report, sentences=sentences)


def queue_to_dict(report: Report, items: Sequence[ReviewItem]) -> dict[str, Any]:
    """The queue as plain data (schema ``transdiff/flags-v1``)."""
    return {
        "schema": "transdiff/flags-v1",
        "signature": report.signature,
        "language": report.language,
        "seed": report.seed.path,
        "references": [r.name for r in report.references],
        "sentences": [
            {
                "id": item.segment.id,
                "start": item.segment.start,
                "end": item.segment.end,
                "text": item.segment.text,
                "suspicion": item.suspicion,
                "flags": [f.to_dict(item.segment.text) for f in item.flags],
            }
            for item in items
        ],
        "waived_total": sum(len(s.waived) for s in report.sentences),
        "dismissed_total": sum(len(s.dismissed) for s in report.sentences),
        "post_edits": [r.name for r in report.references if r.post_edit],
    }


def render_queue_json(report: Report, items: Sequence[ReviewItem]) -> str:
    """The queue as one line of JSON."""
    return json.dumps(queue_to_dict(report, items), ensure_ascii=False, allow_nan=False) + "\n"


def render_queue_text(report: Report, items: Sequence[ReviewItem], *, width: int = 80) -> str:
    """The queue for a terminal: sentence, then each flag with the span in brackets; no line
    is wider than ``width`` (longer ones wrap)."""
    refs = ", ".join(r.name for r in report.references) or "none (reference-free checks only)"
    # the seed's path on a line of its own: a path does not wrap
    lines = [f"review queue for {report.seed.path}", f"references: {refs}"]
    lines += post_edit_notes(report)
    note = set_aside_note(report)
    lines += [note, ""] if note else [""]
    if not items:
        lines.append("no flags")
    waived = sum(len(s.waived) for s in report.sentences)
    if waived:
        lines += [f"{waived} flag{'s' * (waived != 1)} waived (transdiff waivers lists them)", ""]
    out = [_safe(lines[0])]  # the seed's path, whole
    out += [line for head in lines[1:] for line in wrap(_safe(head), width, indent="  ")]
    for item in items:
        text = " ".join(item.segment.text.split())
        out += wrap(
            _safe(f"{item.segment.id}  suspicion {item.suspicion:.2f}  {text}"), width, indent="  "
        )
        for f in item.flags:
            span = item.segment.text[f.start : f.end]
            support = f"  [{f.support_label}]" if f.available else ""
            line = f"  {f.severity.value:<8} {f.category.value:<24} [{span}] {f.message}{support}"
            out += wrap(_safe(line), width, indent=_FLAG_INDENT)
            out.append(f"{_FLAG_INDENT}id {f.id}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_FLAG_INDENT = " " * 11


def _safe(line: str) -> str:
    """Input text must not drive the terminal: controls are shown as escapes."""
    return terminal_safe(line, flat=True)
