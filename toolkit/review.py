"""The review workflow: inputs and settings in, the final report out; and its review queue.

:func:`review_files` is the one call behind ``transdiff report``, ``flag`` and ``batch``: the
project configuration's checks, severities and glossary go into the run settings, the
waivers are read first (a bad file fails before the long run), and the pipeline settles the
flags with them once (:func:`toolkit.pipeline.settle`).  :func:`review_queue` orders the
flagged sentences for a reviewer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.checks import Category, Severity
from toolkit.checks.terminology import Glossary, read_glossary
from toolkit.config import Config, run_settings
from toolkit.errors import UsageError
from toolkit.flags import Flag, Waiver
from toolkit.pipeline import Progress, compare_files
from toolkit.result import Report, RunSettings, review_key
from toolkit.segment import Segment
from toolkit.waivers import DEFAULT_NAME, read_waivers

__all__ = [
    "ReviewItem",
    "Waivers",
    "failing_flags",
    "prepare_review",
    "review_files",
    "review_queue",
    "waivers_path",
]

# Waivers to apply: the waivers themselves, or the file that holds them (None: the default).
Waivers = Iterable[Waiver] | str | Path | None


def review_files(
    seed: str | Path,
    references: Sequence[str | Path] = (),
    *,
    settings: RunSettings | None = None,
    config: Config | None = None,
    glossary: Glossary | str | Path | None = None,
    waivers: Waivers = None,
    source: str | Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Compare ``seed`` with ``references`` as a reviewer's project is set up: the final report.

    Args:
        seed: The translation under review.
        references: Its references (none: the configuration's, else reference-free checks).
        settings: How to read, segment, align, score and check (default: :class:`RunSettings`).
        config: A project configuration (:func:`toolkit.config.load_config`): its disabled
            checks, severities, own checks and glossary go into ``settings``.
        glossary: A glossary, or its CSV file, instead of the configuration's.
        waivers: The waivers to apply, or their file; None: the configuration's file, else
            ``transdiff.waivers.toml`` beside the seed (no waivers when it does not exist).
        progress: As in :func:`toolkit.pipeline.compare_files`.

    Raises:
        InputError: An input, the glossary or the waivers file cannot be read.
        UsageError: The inputs or settings do not fit together.
    """
    settings, found = prepare_review(
        Path(seed).parent, settings=settings, config=config, glossary=glossary, waivers=waivers
    )
    refs = list(references) or list(config.references if config else ())
    return compare_files(
        seed, refs, settings=settings, waivers=found, source=source, progress=progress
    )


def prepare_review(
    folder: str | Path,
    *,
    settings: RunSettings | None = None,
    config: Config | None = None,
    glossary: Glossary | str | Path | None = None,
    waivers: Waivers = None,
) -> tuple[RunSettings, tuple[Waiver, ...]]:
    """The run settings and the waivers of a review of documents in ``folder`` (arguments as
    in :func:`review_files`): read once for a whole batch, then handed to every document.

    Raises:
        InputError: The glossary or the waivers file cannot be read.
    """
    settings = settings or RunSettings()
    if waivers is None or isinstance(waivers, str | Path):
        path = Path(waivers) if waivers is not None else waivers_path(folder, config)
        found = read_waivers(path)  # first: a bad file fails before the glossary and the run
    else:
        found = tuple(waivers)
    if config is not None:
        if glossary is not None:  # the one given replaces the configuration's, unread
            config = dataclasses.replace(config, glossary=None)
        settings = run_settings(config, settings)
    if glossary is not None:
        terms = glossary if isinstance(glossary, Glossary) else read_glossary(glossary)
        settings = dataclasses.replace(settings, glossary=terms)
    return settings, found


def waivers_path(folder: str | Path, config: Config | None = None) -> Path:
    """The waivers file of a review of documents in ``folder``: the configuration's, else
    ``transdiff.waivers.toml`` in ``folder``."""
    if config is not None and config.waivers is not None:
        return config.waivers
    return Path(folder) / DEFAULT_NAME


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One seed sentence that needs a look."""

    segment: Segment
    suspicion: float
    flags: tuple[Flag, ...]


def review_queue(
    report: Report,
    *,
    min_severity: Severity = Severity.minor,
    categories: Iterable[Category] | None = None,
) -> list[ReviewItem]:
    """The flagged sentences of ``report``, most suspect first (after the sentences whose flags
    a post-edit of the seed supports: :meth:`Report.review_order`).

    A sentence is listed when at least one of its flags passes the filters; its suspicion is
    the sentence's own (all its flags and its divergence from the references); the order
    reads the flags that pass.

    Args:
        report: A compared seed (with or without references), run with detection on.
        min_severity: Leave out flags below this severity.
        categories: Keep only flags of these categories (all when None).

    Raises:
        UsageError: The report was made without the divergence checks.
    """
    if not report.settings.detect:
        raise UsageError("this report was made without the checks; run it with detection on")
    wanted = set(categories) if categories is not None else None
    floor = min_severity.weight
    items = []
    edited = report.post_edits()
    for segment, result in zip(report.seed_segments, report.sentences, strict=True):
        kept = tuple(
            f
            for f in result.flags
            if f.severity.weight >= floor and (wanted is None or f.category in wanted)
        )
        if kept:
            items.append(ReviewItem(segment, result.suspicion, kept))
    items.sort(key=lambda item: review_key(item.flags, item.suspicion, item.segment.start, edited))
    return items


def failing_flags(report: Report, threshold: Severity) -> dict[Severity, int]:
    """How many unwaived flags of ``report`` are at or above ``threshold``, by severity
    (only severities with at least one flag; empty when the gate passes)."""
    counts: dict[Severity, int] = {}
    for result in report.sentences:
        for f in result.flags:
            if f.severity.weight >= threshold.weight:
                counts[f.severity] = counts.get(f.severity, 0) + 1
    return {s: counts[s] for s in Severity if s in counts}
