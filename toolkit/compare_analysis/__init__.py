"""Where systems differ, beyond who wins: compare-mt-style analyses of a comparison.

:func:`analyse_files` runs :func:`toolkit.compare.compare_files` (ranks and paired tests) and,
for each reference, runs the divergence checks on every system against it, then looks at the
units (:mod:`.units`) from four sides: scores by sentence length and word accuracy by word
frequency (:mod:`.buckets`), the n-grams one system matches and the other misses
(:mod:`.ngrams`), and the flags of each category per system with a paired bootstrap
(:mod:`.flagdelta`).  Given the source, every system is also checked against it and the
source arbitrates its reference-based flags (:mod:`.source`).  The renderers (``compare-v2``
JSON, text, HTML) only show the result.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.compare import (
    CompareError,
    CompareSettings,
    Comparison,
    compare_systems,
    read_inputs,
)
from toolkit.compare_analysis.buckets import (
    Bucket,
    frequency_buckets,
    has_frequencies,
    length_buckets,
)
from toolkit.compare_analysis.flagdelta import ALL, DeltaTest, FlagDelta, flag_deltas
from toolkit.compare_analysis.ngrams import NgramContrast, SalientNgram, salient_ngrams
from toolkit.compare_analysis.source import SourceIssue, SourceSummary, summarise_source
from toolkit.compare_analysis.units import Unit, UnitSide, build_units, unit_score_settings
from toolkit.document import Document, read_document
from toolkit.errors import UsageError
from toolkit.lang import resolve
from toolkit.paths import real_path
from toolkit.pipeline import compare_documents
from toolkit.result import RunSettings
from toolkit.score import sentence_signatures

__all__ = [
    "ALL",
    "AnalysisSettings",
    "Bucket",
    "DeltaTest",
    "FlagDelta",
    "NgramContrast",
    "ReferenceAnalysis",
    "SalientNgram",
    "SourceIssue",
    "SourceSummary",
    "Unit",
    "UnitSide",
    "analyse_files",
    "analyse_systems",
]


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    """The analyses' constants (every one is in :attr:`signature`).

    Attributes:
        length_edges: Reference lengths in words that start a new bucket (compare-mt's).
        zipf_edges: wordfreq Zipf frequencies that start a new bucket (0: unknown word,
            3: about once per million words, 6: once per thousand).
        ngram_min: Shortest n-gram of the n-gram analysis.
        ngram_max: Longest.
        ngram_top: N-grams listed each way.
        alpha: Smoothing of the match ratio (compare-mt: 1).
        samples: Resamples of the flag-count bootstrap.
        seed: Its random seed.
    """

    length_edges: tuple[int, ...] = (10, 20, 30, 40, 50, 60)
    zipf_edges: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    ngram_min: int = 1
    ngram_max: int = 4
    ngram_top: int = 10
    alpha: float = 1.0
    samples: int = 1000
    seed: int = 12345

    def __post_init__(self) -> None:
        for name, edges in (("length", self.length_edges), ("frequency", self.zipf_edges)):
            if not edges or any(b <= a for a, b in itertools.pairwise(edges)):
                raise UsageError(f"{name} bucket edges must be increasing, got {list(edges)}")
        if not 1 <= self.ngram_min <= self.ngram_max <= 9:
            raise UsageError(
                f"n-gram lengths {self.ngram_min}-{self.ngram_max}: need 1 <= min <= max <= 9"
            )
        if self.ngram_top < 1:
            raise UsageError(f"--ngrams must be at least 1, got {self.ngram_top}")
        if self.alpha <= 0:
            raise UsageError(f"the smoothing alpha must be positive, got {self.alpha}")
        if self.seed < 0:
            raise UsageError(f"the bootstrap seed must be 0 or more, got {self.seed}")
        if self.samples < 10:
            raise UsageError(f"flag bootstrap samples ({self.samples}) must be at least 10")

    @property
    def signature(self) -> str:
        """``len:10,20,...|zipf:1,2,...|ngram:1-4|top:10|alpha:1|flag-bs:1000|seed:12345``."""
        return (
            f"len:{','.join(map(str, self.length_edges))}"
            f"|zipf:{','.join(f'{z:g}' for z in self.zipf_edges)}"
            f"|ngram:{self.ngram_min}-{self.ngram_max}|top:{self.ngram_top}|alpha:{self.alpha:g}"
            f"|flag-bs:{self.samples}|seed:{self.seed}"
        )


@dataclass(frozen=True, slots=True)
class ReferenceAnalysis:
    """Every system against one reference: the v1 comparison and the analyses.

    Attributes:
        comparison: Ranks, scores and paired tests (``compare-v1``).
        language: The translations' language code (the word frequencies are this language's).
        units: The units, each with every system's text, flags and sentence scores.
        length: Buckets by reference length.
        frequency: Buckets by word frequency (empty when wordfreq has no list for the language).
        ngrams: The baseline against each other system.
        flags: Flag counts per category and system, with the paired tests.
        signature: The analyses' constants and the checks' run signature.
        unit_signatures: The signature of each unit score (sentence chrF and BLEU).
        notes: What was left out and why.
        source: The source against every system (None: no source given).
    """

    comparison: Comparison
    language: str
    units: tuple[Unit, ...]
    length: tuple[Bucket, ...]
    frequency: tuple[Bucket, ...]
    ngrams: tuple[NgramContrast, ...]
    flags: tuple[FlagDelta, ...]
    signature: str
    unit_signatures: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default=())
    source: SourceSummary | None = None


def analyse_files(
    systems: Sequence[str | Path],
    references: Sequence[str | Path],
    *,
    settings: CompareSettings | None = None,
    analysis: AnalysisSettings | None = None,
    source: str | Path | None = None,
    source_language: str | None = None,
) -> tuple[ReferenceAnalysis, ...]:
    """Read the files (and the ``source`` the systems translate, if given) and
    :func:`analyse_systems` them (errors as :func:`toolkit.compare.compare_files`; a system
    given as the source is a UsageError too)."""
    settings = settings or CompareSettings()
    sys_docs, ref_docs = read_inputs(systems, references, settings=settings)
    source_doc = None
    if source is not None:
        for system in systems:
            if real_path(system) == real_path(source):
                raise UsageError(f"{source}: this system is also given as the source")
        source_doc = read_document(source, encoding=settings.encoding, strict=settings.strict)
    return analyse_systems(
        sys_docs,
        ref_docs,
        settings=settings,
        analysis=analysis,
        source=source_doc,
        source_language=source_language,
    )


def analyse_systems(
    systems: Sequence[Document],
    references: Sequence[Document],
    *,
    settings: CompareSettings | None = None,
    analysis: AnalysisSettings | None = None,
    source: Document | None = None,
    source_language: str | None = None,
) -> tuple[ReferenceAnalysis, ...]:
    """Compare the systems (the first is the baseline) against each reference and analyse
    where they differ; with the ``source`` they translate (in ``source_language``, else
    identified), also check each system against it (:mod:`.source`).

    Raises:
        UsageError: Fewer than two systems or no reference.
        CompareError: A system does not look like a translation of the same text.
        InputError: A document has no text.
    """
    settings = settings or CompareSettings()
    analysis = analysis or AnalysisSettings()
    comparisons = compare_systems(systems, references, settings=settings)
    lang = resolve(settings.language, text=systems[0].text)[0].code
    run = RunSettings(
        segmented=settings.segmented,
        encoding=settings.encoding,
        strict=settings.strict,
        align=settings.align,
        score=None,
        language=lang,
        source_language=source_language,
    )
    out = []
    for comparison, ref_doc in zip(comparisons, references, strict=True):
        reports = [
            compare_documents(doc, [ref_doc], settings=run, source=source) for doc in systems
        ]
        units = build_units(
            reports[0].references[0].segments,
            [
                (r.seed_segments, [s.flags for s in r.sentences], r.references[0].alignment)
                for r in reports
            ],
            score=settings.score,
        )
        if len(units) != comparison.units:
            raise CompareError(
                f"the analysis found {len(units)} units against {comparison.reference}, the "
                f"tests {comparison.units}: please report this with the input files"
            )
        notes = []
        frequency: tuple[Bucket, ...] = ()
        if has_frequencies(lang):
            frequency = frequency_buckets(units, analysis.zipf_edges, language=lang)
        else:
            notes.append(f"no word-frequency buckets: wordfreq has no word list for {lang}")
        not_run = sorted({c for r in reports for c in r.checks_not_run})
        if not_run:
            notes.append(f"checks not run for {lang}: {', '.join(not_run)}")
        out.append(
            ReferenceAnalysis(
                comparison=comparison,
                language=lang,
                units=units,
                length=length_buckets(units, analysis.length_edges),
                frequency=frequency,
                ngrams=tuple(
                    salient_ngrams(
                        units,
                        0,
                        k,
                        min_n=analysis.ngram_min,
                        max_n=analysis.ngram_max,
                        top=analysis.ngram_top,
                        alpha=analysis.alpha,
                    )
                    for k in range(1, len(systems))
                ),
                flags=flag_deltas(units, samples=analysis.samples, seed=analysis.seed),
                signature=f"{analysis.signature}|checks:{reports[0].signature}",
                unit_signatures=dict(
                    sentence_signatures(settings=unit_score_settings(settings.score))
                ),
                notes=tuple(notes),
                source=summarise_source(reports),
            )
        )
    return tuple(out)
