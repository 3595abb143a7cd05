"""The frozen result object that every renderer reads: computed once, rendered many ways."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from toolkit.align import Alignment, AlignSettings
from toolkit.checks import Category, Check, Severity, check_names
from toolkit.checks.terminology import Glossary
from toolkit.document import Document
from toolkit.errors import UsageError
from toolkit.flags import Flag, Waiver
from toolkit.lang import language as get_language
from toolkit.score import Score, ScoreSettings
from toolkit.segment import Segment
from toolkit.source import SourceSide
from toolkit.source.arbiter import ReferenceIssue
from toolkit.verify.model import verifier_for

__all__ = [
    "ReferenceResult",
    "Report",
    "RunSettings",
    "SentenceResult",
    "confirmed_weight",
    "review_key",
]

SCHEMA = "transdiff/report-v1"
# The scores of a sentence that was not scored: one shared empty mapping, not one per sentence.
NO_SCORES: Mapping[str, Mapping[str, float]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How a run reads, segments and aligns its inputs.

    Attributes:
        segmented: Treat every non-empty line as one segment (line-aligned MT data).
        parallel: The files are line-parallel (line i of the seed translates line i of every
            reference): lines are paired in order, never aligned, so document scores equal
            sacrebleu's on the same files.  Implies ``segmented``.
        encoding: Codec for every input instead of detection.
        strict: Refuse an input with bytes that are not valid UTF-8 instead of reading them
            as U+FFFD with a warning.
        align: Aligner settings.
        score: Metrics and their options; None skips scoring.
        detect: Run the divergence checks (flags and suspicion); False leaves them empty.
        jobs: Worker processes for the checks on long documents (1: none).
        disabled_checks: Names of checks not to run (see :func:`toolkit.checks.check_names`;
            ``terminology`` for the glossary check).
        severity_overrides: Category -> severity given to every flag of that category.
        glossary: Project terms to check (``terminology`` flags); None: no glossary checks.
        extra_checks: The run's own checks (objects of the :class:`toolkit.checks.Check`
            protocol), run after the registered ones.
        flag_threshold: Flags whose verified probability is below this are dismissed (kept
            in the JSON report, not shown); 0 shows every flag; None (the default): the
            verifier's show threshold, chosen on its training talks (``show_threshold()``).
            Flags whose span a post-edit reference changes are shown whatever it is.
        language: The seed's language (ISO 639 code, ``--lang``); None: the target language
            a unit file declares, else the language identified in the seed's text.
        source_language: The source's language (``--source-lang``); None: the source
            language a unit file declares, else the language identified in the source.
    """

    segmented: bool = False
    parallel: bool = False
    encoding: str | None = None
    strict: bool = False
    align: AlignSettings = field(default_factory=AlignSettings)
    score: ScoreSettings | None = field(default_factory=ScoreSettings)
    detect: bool = True
    jobs: int = 1
    disabled_checks: tuple[str, ...] = ()
    severity_overrides: Mapping[Category, Severity] = field(default_factory=dict)
    glossary: Glossary | None = None
    extra_checks: tuple[Check, ...] = ()
    flag_threshold: float | None = None
    language: str | None = None
    source_language: str | None = None

    def __post_init__(self) -> None:
        if self.language is not None:  # an unknown code fails here, before any file is read
            object.__setattr__(self, "language", get_language(self.language).code)
        if self.source_language is not None:
            object.__setattr__(self, "source_language", get_language(self.source_language).code)
        if self.parallel:
            object.__setattr__(self, "segmented", True)
        if self.flag_threshold is not None and not 0.0 <= self.flag_threshold <= 1.0:
            raise UsageError(f"flag_threshold must be in [0, 1], got {self.flag_threshold}")
        if self.jobs < 1:
            raise UsageError(f"jobs must be at least 1, got {self.jobs}")
        # A private plain-dict copy: settings must pickle (worker processes), and a
        # MappingProxyType does not.
        object.__setattr__(self, "severity_overrides", dict(self.severity_overrides))
        object.__setattr__(self, "extra_checks", tuple(self.extra_checks))
        for check in self.extra_checks:
            if not isinstance(check, Check):
                raise UsageError(
                    f"extra_checks: {check!r} is not a check (it needs name, kinds, "
                    "categories, supports and prepare; see toolkit.checks)"
                )
        known = check_names(self.extra_checks)
        unknown = [name for name in self.disabled_checks if name not in known]
        if unknown:
            raise UsageError(f"unknown check {unknown[0]!r}; known checks: {', '.join(known)}")

    def show_threshold(self, language: str = "en") -> float:
        """The flag threshold a run in ``language`` applies: ``flag_threshold``, or the show
        threshold of that language's verifier."""
        if self.flag_threshold is not None:
            return self.flag_threshold
        return verifier_for(language).show


@dataclass(frozen=True, slots=True)
class ReferenceResult:
    """One reference: its segments, its alignment with the seed, and its document scores.

    ``scores`` maps a metric name to its :class:`~toolkit.score.Score` (seed vs this reference).
    ``edit_rate`` is the word edit rate that turns the seed into this reference (None when the
    run did not check the seed); ``post_edit`` whether that makes it a post-edit of the seed,
    whose changes confirm flags (:mod:`toolkit.verify.postedit`).
    """

    name: str
    document: Document
    segments: Sequence[Segment]
    alignment: Alignment
    scores: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    edit_rate: float | None = None
    post_edit: bool = False


@dataclass(frozen=True, slots=True)
class SentenceResult:
    """What transdiff concluded about one seed segment (filled by later stages).

    ``flags`` are :class:`~toolkit.detect.Flag` objects, most severe first; ``suspicion`` in
    [0, 1] is the probability that the sentence has a Major error, as the sentence model of
    :mod:`toolkit.verify` estimates it from ``evidence`` (its text features: the seed's and the
    references' length, its closeness to them) and the totals of its flags, those of them the
    model file names; without references it comes from the flags alone.  ``divergence`` is
    how far the sentence is from the closest reference text aligned to it (None without
    references or detection).
    ``scores`` maps a reference name to metric name -> sentence score of the segment's bead
    (``similarity`` is the bead's aligner similarity).  ``waived`` are the flags a reviewer
    accepted (see :mod:`toolkit.waivers`); they do not count towards ``suspicion``.
    ``dismissed`` are the flags the verifier set aside (probability below the show threshold).
    """

    id: str
    suspicion: float = 0.0
    flags: tuple[Flag, ...] = ()
    divergence: float | None = None
    # One shared empty mapping, not one per sentence (a million-line run made a million).
    scores: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: NO_SCORES)
    waived: tuple[Flag, ...] = ()
    evidence: Mapping[str, float] | None = None
    dismissed: tuple[Flag, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.suspicion <= 1.0:
            raise ValueError(f"suspicion must be in [0, 1], got {self.suspicion}")


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run found: the seed, each reference with its alignment, per-sentence results.

    Attributes:
        seed: The translation under review.
        seed_segments: Its segments.
        references: One entry per reference, in the order given.
        sentences: One entry per seed segment, in order.
        settings: The settings of the run.
        signature: transdiff version, segmenter and aligner settings in ``key:value|...`` form.
        warnings: Things the user should know (for example that two texts look unrelated).
        scores: Multi-reference document scores (seed against all references together).
        sentence_signatures: Signature of each sentence-level metric.
        waivers: Flag id -> the waiver that moved that flag to ``SentenceResult.waived``.
        checks_not_run: Checks skipped because they have no data or rules for the seed's
            language (``pronoun-referent``), in run order.
        language: The seed's language code, as the run chose it.
        source_language: The source language a unit file declares ("" when unknown).
        source: The source the seed was checked against, paired with it (None: no source).
        reference_issues: Reference-based flags the source settled in the seed's favour:
            probably the reference's errors (dropped from the seed's flags).
    """

    seed: Document
    seed_segments: Sequence[Segment]
    references: tuple[ReferenceResult, ...]
    sentences: tuple[SentenceResult, ...]
    settings: RunSettings
    signature: str
    warnings: tuple[str, ...] = ()
    scores: Mapping[str, Score] = field(default_factory=lambda: MappingProxyType({}))
    sentence_signatures: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    waivers: Mapping[str, Waiver] = field(default_factory=lambda: MappingProxyType({}))
    checks_not_run: tuple[str, ...] = ()
    language: str = "en"
    source_language: str = ""
    source: SourceSide | None = None
    reference_issues: tuple[ReferenceIssue, ...] = ()

    def __post_init__(self) -> None:
        if len(self.sentences) != len(self.seed_segments):
            raise ValueError(
                f"{len(self.sentences)} sentence results for "
                f"{len(self.seed_segments)} seed segments"
            )

    def post_edits(self) -> frozenset[str]:
        """The names of the references that are post-edits of the seed."""
        return frozenset(ref.name for ref in self.references if ref.post_edit)

    def review_order(self) -> list[int]:
        """The flagged sentences (indices), in the order a reviewer should read them.

        Most suspect first (ties in document order).  When a reference is a post-edit of the
        seed, its reviser has already judged the seed: the sentences with a flag it supports
        come first, the most severe such flag first, then by suspicion; the sentences it
        leaves as they are follow (:func:`review_key`).  Without a post-edit the order is the
        suspicion's alone.
        """
        edited = self.post_edits()
        flagged = [i for i, s in enumerate(self.sentences) if s.flags]
        return sorted(
            flagged,
            key=lambda i: review_key(
                self.sentences[i].flags,
                self.sentences[i].suspicion,
                self.seed_segments[i].start,
                edited,
            ),
        )


def confirmed_weight(flags: Iterable[Flag], post_edits: AbstractSet[str]) -> float:
    """The severity weight of the worst of ``flags`` that a reference named in ``post_edits``
    supports (0: none)."""
    if not post_edits:
        return 0
    return max(
        (f.severity.weight for f in flags if not post_edits.isdisjoint(f.references)), default=0
    )


def review_key(
    flags: Iterable[Flag], suspicion: float, start: int, post_edits: AbstractSet[str]
) -> tuple[float, float, int]:
    """Sort key of a flagged sentence in a review (:meth:`Report.review_order`)."""
    return (-confirmed_weight(flags, post_edits), -suspicion, start)
