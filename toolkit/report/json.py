"""The report-v1 JSON document: one ``json.dumps`` of plain dicts."""

from __future__ import annotations

import json
from typing import Any

from toolkit.result import SCHEMA, Report
from toolkit.segment import Segment

__all__ = ["render_json", "report_to_dict"]


def _segments(segments: tuple[Segment, ...]) -> list[dict[str, Any]]:
    return [{"id": s.id, "text": s.text, "start": s.start, "end": s.end} for s in segments]


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data (schema ``transdiff/report-v1``)."""
    seed_ids = [s.id for s in report.seed_segments]
    references = []
    for ref in report.references:
        ref_ids = [s.id for s in ref.segments]
        references.append(
            {
                "name": ref.name,
                "path": ref.document.path,
                "encoding": ref.document.encoding,
                "segments": _segments(ref.segments),
                "alignment": [
                    {
                        "seed": [seed_ids[i] for i in bead.seed],
                        "ref": [ref_ids[j] for j in bead.ref],
                        "kind": bead.kind,
                        "similarity": bead.similarity,
                    }
                    for bead in ref.alignment.beads
                ],
                "matched_share": round(ref.alignment.matched_share, 4),
                "scores": dict(ref.scores),
            }
        )
    return {
        "schema": SCHEMA,
        "signature": report.signature,
        "seed": {
            "path": report.seed.path,
            "encoding": report.seed.encoding,
            "segments": _segments(report.seed_segments),
        },
        "references": references,
        "sentences": [
            {"id": s.id, "suspicion": s.suspicion, "flags": list(s.flags)} for s in report.sentences
        ],
        "warnings": list(report.warnings),
    }


def render_json(report: Report) -> str:
    """The report as one line of JSON ending with a newline (pipe it to ``jq`` to read it)."""
    # No indent: only the compact form uses the C encoder, several times faster on big reports.
    return json.dumps(report_to_dict(report), ensure_ascii=False) + "\n"
