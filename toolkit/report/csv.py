"""One CSV row per flag, for a spreadsheet: offsets, category, severity, texts, support.

RFC 4180 (CRLF line ends, quotes only where needed).  Offsets count characters of the decoded
document text (:attr:`Document.text`: newlines as read, no byte-order mark), so
``text[flag_start:flag_end]`` is the flagged span.  A text cell that a spreadsheet would run as
a formula gets a leading apostrophe (OWASP "CSV injection"); numbers are written as numbers.
Support reads "2/2 refs", not "2/2", which a spreadsheet would take for a date.
"""

from __future__ import annotations

import csv
import io

from toolkit.flags import Flag
from toolkit.result import ReferenceResult, Report

__all__ = ["COLUMNS", "neutralise", "render_csv"]

COLUMNS = (
    "sentence_id",
    "sentence_start",
    "sentence_end",
    "flag_start",
    "flag_end",
    "flag_start_in_sentence",
    "flag_end_in_sentence",
    "category",
    "severity",
    "suspicion",
    "flag_text",
    "seed_text",
    "reference",
    "reference_text",
    "message",
    "support",
    "references",
    "flag_id",
    "waived",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """``cell`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def render_csv(report: Report, *, bom: bool = False) -> str:
    """Every flag of ``report`` as one CSV row, in document order.

    ``reference_text`` is the reference text aligned to the sentence, from each supporting
    reference (the first reference for reference-free flags) on one line each; ``reference``
    names them in the same order and ``references`` lists the supporting ones.

    Args:
        report: The result of a run.
        bom: Start with a UTF-8 byte-order mark, which Excel needs to read UTF-8.
    """
    aligned = [_aligned_texts(ref, len(report.seed_segments)) for ref in report.references]
    by_name = {ref.name: k for k, ref in enumerate(report.references)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for index, (segment, result) in enumerate(
        zip(report.seed_segments, report.sentences, strict=True)
    ):
        waived = dict.fromkeys(result.waived, True)
        for flag in (*result.flags, *result.waived):
            names = list(flag.references) or [r.name for r in report.references[:1]]
            texts = [aligned[by_name[name]][index] for name in names]
            row: list[object] = [
                segment.id,
                segment.start,
                segment.end,
                segment.start + flag.start,
                segment.start + flag.end,
                flag.start,
                flag.end,
                flag.category.value,
                flag.severity.value,
                result.suspicion,
                segment.text[flag.start : flag.end],
                segment.text,
                "\n".join(names),
                "\n".join(texts),
                flag.message,
                f"{flag.support}/{flag.available} refs" if flag.available else "no reference",
                "; ".join(flag.references),
                flag.id,
                _waiver_cell(report, flag) if flag in waived else "",
            ]
            writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def _waiver_cell(report: Report, flag: Flag) -> str:
    """``reason`` or ``reason: comment`` of a waived flag."""
    waiver = report.waivers.get(flag.id)
    if waiver is None:
        return "waived"
    return f"{waiver.reason.value}: {waiver.comment}" if waiver.comment else waiver.reason.value


def _aligned_texts(ref: ReferenceResult, n: int) -> list[str]:
    """For each of the ``n`` seed sentences, the reference text of its bead on one line ("" when
    the sentence has no counterpart)."""
    texts = [""] * n
    for bead in ref.alignment.beads:
        text = " ".join(" ".join(ref.segments[j].text.split()) for j in bead.ref)
        for i in bead.seed:
            texts[i] = text
    return texts
