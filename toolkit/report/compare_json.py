"""The ``transdiff/compare-v2`` JSON document: ``compare-v1`` with an ``analysis`` per reference.

Each entry of ``references`` is exactly the v1 entry (ranks, scores, paired tests, signatures)
plus ``analysis``: the length and word-frequency buckets, the salient n-grams, the flag-category
deltas and every unit with each system's text, sentence scores and flags.  Per-system values
are keyed by system name (names are unique within a comparison).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from toolkit.compare_analysis import Bucket, ReferenceAnalysis, Unit
from toolkit.report.json import comparison_to_dict

__all__ = ["COMPARE_V2", "analysis_to_dict", "render_compare_v2"]

COMPARE_V2 = "transdiff/compare-v2"


def _buckets(buckets: Sequence[Bucket], names: list[str], count: str) -> list[dict[str, Any]]:
    return [
        {
            "label": b.label,
            count: b.count,
            # Empty when nothing fell in the bucket.
            "scores": {name: dict(s) for name, s in zip(names, b.scores, strict=bool(b.scores))},
        }
        for b in buckets
    ]


def _unit(unit: Unit, names: list[str]) -> dict[str, Any]:
    return {
        "id": unit.id,
        "reference": {"ids": [s.id for s in unit.reference], "text": unit.ref_text},
        "systems": {
            name: {
                "ids": [s.id for s in side.sentences],
                "text": side.text,
                "scores": dict(side.scores),
                "flags": [
                    {**flag.to_dict(sentence.text), "sentence": sentence.id}
                    for sentence, flags in zip(side.sentences, side.flags, strict=True)
                    for flag in flags
                ],
            }
            for name, side in zip(names, unit.systems, strict=True)
        },
    }


def analysis_to_dict(analysis: ReferenceAnalysis) -> dict[str, Any]:
    """One reference's v2 entry: the v1 entry and its ``analysis``."""
    names = [s.name for s in analysis.comparison.systems]
    return {
        **comparison_to_dict(analysis.comparison),
        "analysis": {
            "signature": analysis.signature,
            "unit_signatures": dict(analysis.unit_signatures),
            "language": analysis.language,
            "notes": list(analysis.notes),
            **({"source": analysis.source.to_dict(names)} if analysis.source else {}),
            "length_buckets": _buckets(analysis.length, names, "units"),
            "frequency_buckets": _buckets(analysis.frequency, names, "words"),
            "ngrams": [
                {
                    "a": names[c.systems[0]],
                    "b": names[c.systems[1]],
                    **{
                        side: [
                            {"ngram": g.ngram, "matches": list(g.matches), "ratio": g.ratio}
                            for g in grams
                        ]
                        for side, grams in (("a_better", c.a_better), ("b_better", c.b_better))
                    },
                }
                for c in analysis.ngrams
            ],
            "flags": [
                {
                    "category": d.category,
                    "counts": dict(zip(names, d.counts, strict=True)),
                    "tests": {
                        name: {
                            "delta": t.delta,
                            "ci95": [t.low, t.high],
                            "p_value": t.p_value,
                            "significant": t.significant,
                        }
                        for name, t in zip(names, d.tests, strict=True)
                        if t is not None
                    },
                }
                for d in analysis.flags
            ],
            "units": [_unit(u, names) for u in analysis.units],
        },
    }


def render_compare_v2(analyses: Sequence[ReferenceAnalysis]) -> str:
    """The analyses as one line of ``transdiff/compare-v2`` JSON ending with a newline."""
    data = {"schema": COMPARE_V2, "references": [analysis_to_dict(a) for a in analyses]}
    return json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n"
