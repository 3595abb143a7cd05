"""The alignment as data (``transdiff align --format json|tsv``): every bead with the full
texts of both sides, where the text table cuts them to fit the terminal."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from toolkit.result import ReferenceResult, Report

__all__ = [
    "ALIGNMENT_SCHEMA",
    "TSV_COLUMNS",
    "AlignFormat",
    "alignment_to_dict",
    "render_alignment_json",
    "render_alignment_tsv",
]

ALIGNMENT_SCHEMA = "transdiff/alignment-v1"
TSV_COLUMNS = ("reference", "kind", "similarity", "seed_ids", "ref_ids", "seed", "ref")
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class AlignFormat(StrEnum):
    """Output formats of ``transdiff align``."""

    text = "text"
    json = "json"
    tsv = "tsv"

    @property
    def extension(self) -> str:
        return "txt" if self is AlignFormat.text else self.value


def _beads(report: Report, ref: ReferenceResult) -> list[dict[str, Any]]:
    seed = report.seed_segments
    return [
        {
            "kind": bead.kind,
            # an unmatched sentence has no similarity (the aligner stores 0.0)
            "similarity": bead.similarity if bead.seed and bead.ref else None,
            "seed_ids": [seed[i].id for i in bead.seed],
            "ref_ids": [ref.segments[j].id for j in bead.ref],
            "seed": " ".join(seed[i].text for i in bead.seed),
            "ref": " ".join(ref.segments[j].text for j in bead.ref),
        }
        for bead in ref.alignment.beads
    ]


def alignment_to_dict(report: Report) -> dict[str, Any]:
    """Every reference's beads with both sides' full texts (schema ``transdiff/alignment-v1``);
    the sentences of a 2-1 or 1-2 bead are joined with a space."""
    return {
        "schema": ALIGNMENT_SCHEMA,
        "signature": report.signature,
        "seed": report.seed.path,
        "references": [
            {
                "name": ref.name,
                "path": ref.document.path,
                "matched_share": round(ref.alignment.matched_share, 4),
                "beads": _beads(report, ref),
            }
            for ref in report.references
        ],
    }


def render_alignment_json(report: Report) -> str:
    """:func:`alignment_to_dict` as one line of JSON."""
    return json.dumps(alignment_to_dict(report), ensure_ascii=False, allow_nan=False) + "\n"


def _cell(text: str) -> str:
    """A TSV cell: backslash, tab, line feed and carriage return escaped as ``\\\\``, ``\\t``,
    ``\\n``, ``\\r`` (the linear TSV convention), so that one bead is one line."""
    return text.translate(_TSV_ESCAPES)


def render_alignment_tsv(report: Report) -> str:
    """One line per bead of every reference, columns :data:`TSV_COLUMNS`, full texts."""
    lines = ["\t".join(TSV_COLUMNS)]
    for ref in report.references:
        for bead in _beads(report, ref):
            sim = "" if bead["similarity"] is None else f"{bead['similarity']:.4f}"
            row = [
                ref.name,
                bead["kind"],
                sim,
                ",".join(bead["seed_ids"]),
                ",".join(bead["ref_ids"]),
                bead["seed"],
                bead["ref"],
            ]
            lines.append("\t".join(_cell(c) for c in row))
    return "\n".join(lines) + "\n"
