"""Renderers: each takes the same :class:`~toolkit.result.Report` and returns text."""

from __future__ import annotations

from enum import StrEnum

from toolkit.report.json import (
    compare_to_dict,
    render_compare_json,
    render_json,
    report_to_dict,
)
from toolkit.report.text import (
    render_alignment_table,
    render_compare_table,
    render_score_table,
    render_sentence_scores,
    render_text,
)
from toolkit.report.write import write_atomic
from toolkit.result import Report

__all__ = [
    "Format",
    "compare_to_dict",
    "render",
    "render_alignment_table",
    "render_compare_json",
    "render_compare_table",
    "render_json",
    "render_score_table",
    "render_sentence_scores",
    "render_text",
    "report_to_dict",
    "write_atomic",
]


class Format(StrEnum):
    """Output formats of ``transdiff report``."""

    text = "text"
    json = "json"


def render(report: Report, fmt: Format, *, width: int = 80) -> str:
    """Render ``report`` in the given format (``width`` applies to text)."""
    if Format(fmt) is Format.json:
        return render_json(report)
    return render_text(report, width=width)
