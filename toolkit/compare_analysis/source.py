"""The source in a comparison: every system checked against the original it translates.

With ``compare --source ORIGINAL``, each system's run (:func:`toolkit.pipeline.compare_documents`)
pairs the system with the source, runs the source checks (their flags count in the flag
deltas like any other) and lets the source arbitrate the reference-based flags it can judge.
What is left to show per system is how much of it found its source and the flags the source
settled in the system's favour: probable errors of the reference, not of the system.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.result import Report

__all__ = ["SourceIssue", "SourceSummary", "summarise_source"]


@dataclass(frozen=True, slots=True)
class SourceIssue:
    """A reference-based flag the source settled in a system's favour.

    Attributes:
        sentence: The system sentence's id (``p2.s1``).
        text: The flag's span in the system sentence.
        message: The flag's message.
        evidence: What the source says.
    """

    sentence: str
    text: str
    message: str
    evidence: str


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """The source against every system (input order).

    Attributes:
        path: The source file.
        language: Its language code.
        paired: Per system, the share of its sentences paired with their source.
        issues: Per system, the probable reference issues the source found.
        warnings: What the pairing warned about (the source in a system's language, few
            sentences paired), each once.
    """

    path: str
    language: str
    paired: tuple[float, ...]
    issues: tuple[tuple[SourceIssue, ...], ...]
    warnings: tuple[str, ...] = ()

    def to_dict(self, names: Sequence[str]) -> dict[str, Any]:
        """Plain data for JSON, systems by name."""
        return {
            "path": self.path,
            "language": self.language,
            "warnings": list(self.warnings),
            "systems": {
                name: {
                    "paired_share": round(paired, 4),
                    "reference_issues": [
                        {
                            "sentence": i.sentence,
                            "text": i.text,
                            "message": i.message,
                            "evidence": i.evidence,
                        }
                        for i in issues
                    ],
                }
                for name, paired, issues in zip(names, self.paired, self.issues, strict=True)
            },
        }


def summarise_source(reports: Sequence[Report]) -> SourceSummary | None:
    """The source side of the systems' runs; None when no run had a source."""
    sides = [r.source for r in reports]
    first = next((s for s in sides if s is not None), None)
    if first is None:
        return None
    issues = []
    for report in reports:
        found = []
        for issue in report.reference_issues:
            sentence = report.seed_segments[issue.sentence]
            found.append(
                SourceIssue(
                    report.sentences[issue.sentence].id,
                    sentence.text[issue.flag.start : issue.flag.end],
                    issue.flag.message,
                    issue.evidence,
                )
            )
        issues.append(tuple(found))
    return SourceSummary(
        path=first.path,
        language=first.language,
        paired=tuple(s.matched_share if s is not None else 0.0 for s in sides),
        issues=tuple(issues),
        warnings=tuple(
            dict.fromkeys(w for r in reports for w in r.warnings if w.startswith(f"{first.path}:"))
        ),
    )
