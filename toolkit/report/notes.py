"""Short notes the text views print about the verifier: what it set aside, which references
are post-edits of the seed."""

from __future__ import annotations

from toolkit.result import Report

__all__ = ["post_edit_notes", "set_aside_note"]


def set_aside_note(report: Report) -> str | None:
    """How many flags the verifier set aside, and how to see them (None: none)."""
    threshold = report.settings.show_threshold(report.language)
    gone = sum((f.probability or 0.0) < threshold for s in report.sentences for f in s.dismissed)
    if not gone:
        return None
    return (
        f"{gone} flag{'s' * (gone != 1)} below the verifier's threshold ({threshold:.2f}) "
        "not shown (the JSON report lists them as dismissed; --flag-threshold 0 lowers it)"
    )


def post_edit_notes(report: Report) -> list[str]:
    """One line per reference that is a post-edit of the seed."""
    return [
        f"{ref.name} repeats the seed word for word"
        if ref.edit_rate == 0
        else f"{ref.name} is a post-edit of the seed (word edit rate {ref.edit_rate:.2f}): "
        "its changes are all flagged and shown, the sentences it corrects first"
        for ref in report.references
        if ref.post_edit and ref.edit_rate is not None
    ]
