"""The review page's own data: which reference it opens on, the header's summary lines, the
order of its rows, and what its script needs to accept flags (waivers) without a server.

Kept apart from :mod:`toolkit.report.html` (which turns beads into marked-up text): this module
decides what the reviewer sees first and what the page can write back.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.flags import Reason
from toolkit.result import ReferenceResult, Report
from toolkit.score import Score
from toolkit.waivers import HEADER, make_waiver

__all__ = [
    "DefaultReference",
    "accept_data",
    "default_reference",
    "flagged_first",
    "score_lines",
]

_SCORE_NAMES = {"bleu": "BLEU", "chrf": "chrF", "chrf++": "chrF++", "ter": "TER"}


@dataclass(frozen=True, slots=True)
class DefaultReference:
    """The reference the page opens on, and why (shown in the header).

    Attributes:
        index: Its place in ``Report.references`` (0 without references).
        why: "named first" or how close it is to the seed ("closest to the seed: chrF 98.6").
    """

    index: int
    why: str


def default_reference(report: Report, preferred: str | None = None) -> DefaultReference:
    """The reference shown first: ``preferred`` (the one named first on the command line or in
    the configuration) when the report has it, otherwise the one closest to the seed.

    Closest: the highest document chrF when every reference was scored with it, else the
    highest mean aligner similarity per seed sentence (an unmatched sentence counts as 0).
    """
    refs = report.references
    names = [ref.name for ref in refs]
    if preferred is not None and preferred in names:
        return DefaultReference(names.index(preferred), "named first")
    if len(refs) < 2:
        return DefaultReference(0, "the only reference" if refs else "")
    chrf = [ref.scores.get("chrf") for ref in refs]
    if all(isinstance(score, Score) for score in chrf):
        values = [score.score for score in chrf if isinstance(score, Score)]
        best = max(range(len(refs)), key=lambda k: (values[k], -k))
        return DefaultReference(best, f"closest to the seed: chrF {values[best]:.2f}")
    sims = [_mean_similarity(ref, len(report.seed_segments)) for ref in refs]
    best = max(range(len(refs)), key=lambda k: (sims[k], -k))
    return DefaultReference(best, f"closest to the seed: similarity {sims[best]:.2f}")


def _mean_similarity(ref: ReferenceResult, sentences: int) -> float:
    total = sum(b.similarity * len(b.seed) for b in ref.alignment.beads if b.seed and b.ref)
    return total / sentences if sentences else 0.0


def score_lines(report: Report) -> list[str]:
    """One short score line per reference, in report order ("BLEU 97.05 · chrF 98.62 · ...")."""
    lines = []
    for ref in report.references:
        parts = [
            f"{_SCORE_NAMES.get(metric, metric)} {score.score:.2f}"
            for metric, score in ref.scores.items()
            if isinstance(score, Score)
        ]
        lines.append(" \u00b7 ".join(parts))
    return lines


def flagged_first(
    suspicions: Sequence[float | None], flagged: Sequence[bool], confirmed: Sequence[float] = ()
) -> list[int]:
    """Row indices in the page's default order: rows with a flag first, most suspect first
    (ties in document order), then the rest in document order.  ``confirmed``, when given, is
    per row the severity weight of the worst flag a post-edit of the seed supports
    (:func:`toolkit.result.confirmed_weight`): such rows lead, the most severe first."""
    rows = range(len(flagged))
    weight = list(confirmed) or [0.0] * len(flagged)
    top = sorted(
        (k for k in rows if flagged[k]), key=lambda k: (-weight[k], -(suspicions[k] or 0.0), k)
    )
    return top + [k for k in rows if not flagged[k]]


def accept_data(report: Report) -> dict[str, Any]:
    """What the page's script needs to write a waivers file and ``transdiff waive`` commands.

    ``flags`` holds, per flag id, the fields :func:`toolkit.waivers.make_waiver` records
    (category, the sentence with its spaces collapsed, the span), computed here so that the
    page writes exactly what ``transdiff waive`` would; ``waivers`` the waivers that applied to
    this run, which the downloaded file keeps (a ticked flag replaces its own by id);
    ``command`` the paths of the run, shell-quoted, for the copied commands.
    """
    flags: dict[str, dict[str, str]] = {}
    for segment, result in zip(report.seed_segments, report.sentences, strict=True):
        for flag in result.flags:
            waiver = make_waiver(flag, segment.text)
            flags[flag.id] = {
                "category": waiver.category,
                "sentence": waiver.sentence,
                "span": waiver.span,
            }
    paths = [report.seed.path, *(ref.document.path for ref in report.references)]
    return {
        "flags": flags,
        "waivers": [_plain(w.to_dict()) for w in report.waivers.values()],
        "reasons": [r.value for r in Reason],
        "header": HEADER,
        "paths": " ".join(shlex.quote(p) for p in paths),
    }


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """A waiver's fields for JSON: the date as ISO text (the script writes it back bare)."""
    return {k: (v.isoformat() if k == "created" else v) for k, v in data.items()}
