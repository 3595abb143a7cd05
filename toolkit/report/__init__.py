"""Renderers: each takes the same :class:`~toolkit.result.Report` and returns text."""

from __future__ import annotations

from enum import StrEnum

from toolkit.report.csv import render_csv
from toolkit.report.formats import (
    EXTENSIONS,
    FORMATS,
    Format,
    OutputFormat,
    RenderOptions,
    check_options,
    output_format,
    render,
    render_queue,
)
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

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "OutputFormat",
    "QueueFormat",
    "RenderOptions",
    "TableFormat",
    "check_options",
    "compare_to_dict",
    "output_format",
    "render",
    "render_alignment_table",
    "render_compare_json",
    "render_compare_table",
    "render_csv",
    "render_json",
    "render_markdown",
    "render_queue",
    "render_score_table",
    "render_sentence_scores",
    "render_text",
    "report_to_dict",
    "write_atomic",
]


# ``transdiff flag`` takes every format now (the registry); the old name stays importable.
QueueFormat = Format


class TableFormat(StrEnum):
    """Output formats of the commands that print a table or its data (``score``, ``compare``)."""

    text = "text"
    json = "json"
