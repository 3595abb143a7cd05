"""The output formats: one registry of format -> renderer, file extension and options.

``transdiff report``, ``flag`` and ``batch`` all render through it, so every command accepts
every format in :data:`FORMATS` and names its files with the same extension.  A format renders
a whole :class:`~toolkit.result.Report`; ``flag`` renders the review queue, either with the
format's own queue view (text and JSON) or as the report with only the queue's flags.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from toolkit.errors import UsageError
from toolkit.report.csv import render_csv
from toolkit.report.json import render_json
from toolkit.report.markdown import render_markdown
from toolkit.report.queue import queue_report, render_queue_json, render_queue_text
from toolkit.report.text import render_text
from toolkit.result import Report

if TYPE_CHECKING:
    from toolkit.review import ReviewItem

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "OutputFormat",
    "RenderOptions",
    "check_options",
    "output_format",
    "render",
    "render_queue",
]


class Format(StrEnum):
    """Output formats of ``transdiff report``, ``flag`` and ``batch``."""

    text = "text"
    json = "json"
    md = "md"
    csv = "csv"
    html = "html"
    xliff = "xliff"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render, for the formats that read each option (:attr:`OutputFormat.options`).

    Attributes:
        width: Columns of the text view.
        color: ANSI colours in the text view.
        bom: Start the CSV with a UTF-8 byte-order mark (for Excel).
        reference: The reference the HTML page opens on (the one named first on the command
            line or in the configuration); None: the one closest to the seed.
    """

    width: int = 80
    color: bool = False
    bom: bool = False
    reference: str | None = None

    def __post_init__(self) -> None:
        if self.width < 1:
            raise UsageError(f"width must be at least 1 column, got {self.width}")


Renderer = Callable[[Report, RenderOptions], str]
QueueRenderer = Callable[[Report, "Sequence[ReviewItem]", RenderOptions], str]


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One output format.

    Attributes:
        format: Its name (``--format``).
        extension: File-name extension of its files, without the dot.
        render: Report -> text.
        options: The :class:`RenderOptions` it reads besides none (``bom`` for CSV).
        queue: Its own view of the review queue; None: :attr:`render` of the report with
            only the queue's flags.
        description: What it is for, in a few words.
    """

    format: Format
    extension: str
    render: Renderer
    description: str
    options: frozenset[str] = frozenset()
    queue: QueueRenderer | None = None


def _text(report: Report, options: RenderOptions) -> str:
    return render_text(report, width=options.width, color=options.color)


def _text_queue(report: Report, items: Sequence[ReviewItem], options: RenderOptions) -> str:
    return render_queue_text(report, items, width=options.width)


def _json(report: Report, options: RenderOptions) -> str:
    return render_json(report)


def _json_queue(report: Report, items: Sequence[ReviewItem], options: RenderOptions) -> str:
    return render_queue_json(report, items)


def _markdown(report: Report, options: RenderOptions) -> str:
    return render_markdown(report)


def _csv(report: Report, options: RenderOptions) -> str:
    return render_csv(report, bom=options.bom)


def _html(report: Report, options: RenderOptions) -> str:
    # Imported here: the page template (jinja2) costs start-up time the other formats skip.
    from toolkit.report.html import render_html

    return render_html(report, reference=options.reference)


def _xliff(report: Report, options: RenderOptions) -> str:
    from toolkit.report.xliff import render_xliff  # lxml: loaded only when asked for

    return render_xliff(report)


FORMATS: Mapping[Format, OutputFormat] = MappingProxyType(
    {
        Format.text: OutputFormat(
            Format.text,
            "txt",
            _text,
            "the terminal view: word diffs and flags",
            frozenset({"width", "color"}),
            _text_queue,
        ),
        Format.json: OutputFormat(
            Format.json,
            "json",
            _json,
            "every field, for programs",
            queue=_json_queue,
        ),
        Format.md: OutputFormat(Format.md, "md", _markdown, "a pull-request comment"),
        Format.csv: OutputFormat(
            Format.csv, "csv", _csv, "one row per flag, for a spreadsheet", frozenset({"bom"})
        ),
        Format.html: OutputFormat(
            Format.html, "html", _html, "a page to open in a browser", frozenset({"reference"})
        ),
        Format.xliff: OutputFormat(
            Format.xliff, "xlf", _xliff, "XLIFF 1.2 for a CAT tool, flags as notes"
        ),
    }
)

# File-name extension of each format.
EXTENSIONS: Mapping[str, str] = MappingProxyType({f.value: s.extension for f, s in FORMATS.items()})


def output_format(fmt: Format | str) -> OutputFormat:
    """The registry entry of ``fmt``.

    Raises:
        UsageError: ``fmt`` is not a format.
    """
    try:
        return FORMATS[Format(fmt)]
    except ValueError:
        names = ", ".join(FORMATS)
        raise UsageError(f"unknown format {fmt!r}; use one of {names}") from None


def check_options(fmt: Format | str, *, bom: bool = False) -> None:
    """Refuse an option the format does not read (one that would be silently ignored).

    Raises:
        UsageError: ``bom`` with a format other than CSV.
    """
    spec = output_format(fmt)
    if bom and "bom" not in spec.options:
        takers = ", ".join(f for f, s in FORMATS.items() if "bom" in s.options)
        raise UsageError(f"--bom applies to --format {takers} only, not {spec.format}; drop it")


def render(
    report: Report,
    fmt: Format | str,
    *,
    width: int = 80,
    color: bool = False,
    bom: bool = False,
    reference: str | None = None,
) -> str:
    """Render ``report`` in the given format.

    Args:
        report: The result of a run.
        fmt: The output format.
        width: Columns of the text view.
        color: ANSI colours in the text view.
        bom: Start the CSV with a UTF-8 byte-order mark (for Excel).
        reference: The reference the HTML page opens on (None: the closest to the seed);
            the other formats show every reference alike.

    Raises:
        UsageError: An unknown format, or ``bom`` with a format other than CSV.
    """
    check_options(fmt, bom=bom)
    spec = output_format(fmt)
    options = RenderOptions(width=width, color=color, bom=bom, reference=reference)
    return spec.render(report, options)


def render_queue(
    report: Report,
    items: Sequence[ReviewItem],
    fmt: Format | str,
    *,
    width: int = 80,
    bom: bool = False,
    reference: str | None = None,
) -> str:
    """Render the review queue ``items`` of ``report`` (:func:`toolkit.review.review_queue`):
    the format's own queue view, else the report with only the queue's flags (``reference``:
    as for :func:`render`).

    Raises:
        UsageError: An unknown format, or ``bom`` with a format other than CSV.
    """
    check_options(fmt, bom=bom)
    spec = output_format(fmt)
    options = RenderOptions(width=width, bom=bom, reference=reference)
    if spec.queue is not None:
        return spec.queue(report, items, options)
    return spec.render(queue_report(report, items), options)
