"""Renderers: each takes the same :class:`~toolkit.result.Report` and returns text."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from toolkit.report.csv import render_csv
from toolkit.report.json import (
    compare_to_dict,
    render_compare_json,
    render_json,
    report_to_dict,
)
from toolkit.report.markdown import render_markdown
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
    "EXTENSIONS",
    "Format",
    "QueueFormat",
    "TableFormat",
    "compare_to_dict",
    "render",
    "render_alignment_table",
    "render_compare_json",
    "render_compare_table",
    "render_csv",
    "render_json",
    "render_markdown",
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
    md = "md"
    csv = "csv"
    html = "html"
    xliff = "xliff"


class QueueFormat(StrEnum):
    """Output formats of ``transdiff flag`` (md, csv and xliff render the filtered report)."""

    text = "text"
    json = "json"
    md = "md"
    csv = "csv"
    xliff = "xliff"


class TableFormat(StrEnum):
    """Output formats of the commands that print a table or its data (``score``, ``compare``)."""

    text = "text"
    json = "json"


# File-name extension of each output format (a value of Format or QueueFormat).
EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {"text": "txt", "json": "json", "md": "md", "csv": "csv", "html": "html", "xliff": "xlf"}
)


def render(
    report: Report, fmt: Format, *, width: int = 80, color: bool = False, bom: bool = False
) -> str:
    """Render ``report`` in the given format.

    Args:
        report: The result of a run.
        fmt: The output format.
        width: Columns of the text view.
        color: ANSI colours in the text view.
        bom: Start the CSV with a UTF-8 byte-order mark (for Excel).
    """
    fmt = Format(fmt)
    if fmt is Format.json:
        return render_json(report)
    if fmt is Format.md:
        return render_markdown(report)
    if fmt is Format.csv:
        return render_csv(report, bom=bom)
    if fmt is Format.html:
        # Imported here: the page template (jinja2) costs start-up time the other formats skip.
        from toolkit.report.html import render_html

        return render_html(report)
    if fmt is Format.xliff:
        from toolkit.report.xliff import render_xliff

        return render_xliff(report)
    return render_text(report, width=width, color=color)
