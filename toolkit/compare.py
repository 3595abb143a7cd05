"""Rank several translations of one text with sacrebleu's paired significance tests.

Systems need not be line-aligned with each other or with the references.  For each reference,
every system is aligned to it and the reference's own segmentation is the unit: a unit is a
group of reference sentences that is a whole number of beads in every system's alignment, and
each system contributes the text it aligned to that group (system sentences with no reference
counterpart join the previous unit, so insertions still cost; a reference sentence no system
sentence matched gets the empty hypothesis).  The first system is the baseline, as in sacrebleu.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sacrebleu.significance import PairedTest

from toolkit import __version__
from toolkit.align import Alignment, AlignSettings, Bead, align
from toolkit.document import Document, read_document
from toolkit.errors import TransdiffError, UsageError
from toolkit.lang import resolve
from toolkit.paths import check_distinct, real_path
from toolkit.pipeline import reference_names
from toolkit.score import ScoreSettings, corpus_metrics, document_streams, signature_of
from toolkit.segment import segment_document, segmenter_signature

__all__ = [
    "CompareError",
    "CompareSettings",
    "Comparison",
    "MetricResult",
    "SystemResult",
    "compare_files",
    "compare_systems",
    "read_inputs",
    "swap_sides",
]


class CompareError(TransdiffError):
    """The systems cannot be compared (for example one of them is a different document)."""


@dataclass(frozen=True, slots=True)
class CompareSettings:
    """How systems are read, aligned, scored and tested.

    Attributes:
        segmented: Every non-empty line is one segment.
        encoding: Codec of every input instead of detection.
        strict: Refuse an input with bytes that are not valid UTF-8 instead of reading them
            as U+FFFD (and warning).
        align: Aligner settings.
        score: Metrics and their options.
        bootstrap_samples: Resamples of the paired bootstrap test (sacrebleu: 1000).
        ar_trials: Trials of the paired approximate randomization test (sacrebleu: 10000).
        language: The translations' language (ISO 639 code); None: identified in the first
            system's text (English when unsure).  It picks the sentence splitter's rules and
            the aligner's stopwords.
    """

    segmented: bool = False
    encoding: str | None = None
    strict: bool = False
    align: AlignSettings = field(default_factory=AlignSettings)
    score: ScoreSettings = field(default_factory=ScoreSettings)
    bootstrap_samples: int = 1000
    ar_trials: int = 10000
    language: str | None = None

    def __post_init__(self) -> None:
        if self.bootstrap_samples < 10 or self.ar_trials < 10:
            raise UsageError(
                f"bootstrap samples ({self.bootstrap_samples}) and AR trials ({self.ar_trials}) "
                "must be at least 10; sacrebleu uses 1000 and 10000"
            )


@dataclass(frozen=True, slots=True)
class MetricResult:
    """One system's figure for one metric, with its bootstrap CI and p-values vs the baseline.

    ``p_bootstrap`` and ``p_ar`` are None for the baseline.
    """

    score: float
    mean: float
    ci: float
    p_bootstrap: float | None
    p_ar: float | None


@dataclass(frozen=True, slots=True)
class SystemResult:
    """One system against one reference: its name, rank and per-metric results."""

    name: str
    path: str
    rank: int
    metrics: dict[str, MetricResult]
    matched_share: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """All systems against one reference; ``systems`` in the order given (baseline first).

    ``warnings`` says what the readers repaired in the systems and this reference (bytes that
    are not UTF-8, read as U+FFFD), one line each starting with the file.
    """

    reference: str
    path: str
    units: int
    systems: tuple[SystemResult, ...]
    signatures: dict[str, str]
    warnings: tuple[str, ...] = ()


# A bead this similar is a confident match; the aligner's own matched share is not enough to
# tell a different document, since unrelated texts on one language still pair up weakly.
_CONFIDENT = 0.35


def confident_share(alignment: Alignment) -> float:
    """Share of seed sentences in beads with a counterpart at similarity >= 0.35."""
    total = sum(len(b.seed) for b in alignment.beads)
    sure = sum(len(b.seed) for b in alignment.beads if b.ref and b.similarity >= _CONFIDENT)
    return sure / total if total else 0.0


def swap_sides(alignment: Alignment) -> Alignment:
    """The alignment seen from the other side: each bead's seed and reference swapped."""
    beads = tuple(Bead(b.ref, b.seed, b.similarity) for b in alignment.beads)
    return Alignment(beads, alignment.settings, alignment.warnings)


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    return float(value) if math.isfinite(value) else 0.0


def compare_files(
    systems: Sequence[str | Path],
    references: Sequence[str | Path],
    *,
    settings: CompareSettings | None = None,
) -> tuple[Comparison, ...]:
    """Read system and reference files and compare the systems against each reference.

    Raises:
        InputError: A file cannot be read as text.
        UsageError: Fewer than two systems, no reference, a system that is also a reference,
            or one system file given twice.
        CompareError: A system does not look like a translation of the same text.
    """
    settings = settings or CompareSettings()
    sys_docs, ref_docs = read_inputs(systems, references, settings=settings)
    return compare_systems(sys_docs, ref_docs, settings=settings)


def read_inputs(
    systems: Sequence[str | Path],
    references: Sequence[str | Path],
    *,
    settings: CompareSettings | None = None,
) -> tuple[list[Document], list[Document]]:
    """Check and read the system and reference files of a comparison (errors as
    :func:`compare_files`)."""
    settings = settings or CompareSettings()
    refs = {real_path(r): r for r in references}
    for system in systems:
        # It would score 100 against itself and rank first: refused as report refuses it.
        ref = refs.get(real_path(system))
        if ref is not None:
            raise UsageError(
                f"{system}: this system is also given as a reference ({ref}); "
                "drop it from the systems or from --ref"
            )
    # Twice the same text is no comparison: the tests would find no difference by design.
    check_distinct(systems, what="system")
    read = functools.partial(read_document, encoding=settings.encoding, strict=settings.strict)
    return [read(p) for p in systems], [read(p) for p in references]


def compare_systems(
    systems: Sequence[Document],
    references: Sequence[Document],
    *,
    settings: CompareSettings | None = None,
) -> tuple[Comparison, ...]:
    """Compare systems (the first is the baseline) against each reference in turn."""
    settings = settings or CompareSettings()
    if len(systems) < 2:
        raise UsageError(f"compare needs at least two systems, got {len(systems)}")
    if not references:
        raise UsageError("compare needs a reference: add --ref REF")
    sys_names = reference_names([d.path for d in systems])
    lang = resolve(settings.language, text=systems[0].text)[0]
    segment = functools.partial(
        segment_document, segmented=settings.segmented, language=lang.sentencex
    )
    sys_texts = [[s.text for s in segment(d)] for d in systems]
    mode = "lines" if settings.segmented else segmenter_signature(lang.sentencex)
    extra = (
        f"transdiff:{__version__}|lang:{lang.code}|segmenter:{mode}|{settings.align.signature}"
        "|unit:ref-beads"
    )
    metrics = corpus_metrics(settings.score)
    out = []
    for ref_name, ref_doc in zip(
        reference_names([d.path for d in references]), references, strict=True
    ):
        ref_texts = [s.text for s in segment(ref_doc)]
        alignments = []
        for name, texts in zip(sys_names, sys_texts, strict=True):
            alignment = align(texts, ref_texts, settings=settings.align, language=lang.code)
            share = confident_share(alignment)
            if share < settings.align.unrelated_below:
                raise CompareError(
                    f"{name}: only {share:.0%} of its {len(texts)} sentences align closely "
                    f"with reference {ref_name}; it looks like a different document - "
                    "compare translations of the same text"
                )
            alignments.append(alignment)
        ref_stream, hyp_streams = document_streams(
            ref_texts, [(t, swap_sides(a)) for t, a in zip(sys_texts, alignments, strict=True)]
        )
        named = list(zip(sys_names, hyp_streams, strict=True))
        results = _paired(named, metrics, ref_stream, settings)
        primary = next(iter(metrics))
        better = -1 if primary == "ter" else 1
        order = sorted(range(len(named)), key=lambda k: -better * results[k][primary].score)
        rank = {k: r + 1 for r, k in enumerate(order)}
        out.append(
            Comparison(
                reference=ref_name,
                path=ref_doc.path,
                units=len(ref_stream),
                systems=tuple(
                    SystemResult(name, doc.path, rank[k], results[k], a.matched_share)
                    for k, (name, doc, a) in enumerate(
                        zip(sys_names, systems, alignments, strict=True)
                    )
                ),
                signatures={
                    m: signature_of(metric, nrefs=1, extra=extra)
                    + f"|bs:{settings.bootstrap_samples}|ar:{settings.ar_trials}"
                    for m, metric in metrics.items()
                },
                warnings=tuple(w for d in (*systems, ref_doc) for w in d.warnings),
            )
        )
    return tuple(out)


def _paired(
    named: Sequence[tuple[str, Sequence[str]]],
    metrics: dict,
    ref_stream: list[str],
    settings: CompareSettings,
) -> list[dict[str, MetricResult]]:
    """Both sacrebleu tests; results per system, per transdiff metric name."""
    if not ref_stream:
        raise CompareError("the reference has no sentences to compare against")
    runs = {}
    for test, n in (("bs", settings.bootstrap_samples), ("ar", settings.ar_trials)):
        # n_ar_confidence=-1: the bootstrap run supplies the confidence intervals.
        test_obj = PairedTest(
            list(named), metrics, [ref_stream], test_type=test, n_samples=n, n_ar_confidence=-1
        )
        _, scores = test_obj()
        # sacrebleu keys results by its own metric names, in the order the metrics were given.
        columns = [v for k, v in scores.items() if k != "System"]
        runs[test] = dict(zip(metrics, columns, strict=True))
    out = []
    for k in range(len(named)):
        row = {}
        for m in metrics:
            bs, ar = runs["bs"][m][k], runs["ar"][m][k]
            row[m] = MetricResult(
                score=_finite(bs.score) or 0.0,
                mean=_finite(bs.mean) or 0.0,
                ci=_finite(bs.ci) or 0.0,
                p_bootstrap=_finite(bs.p_value) if k else None,
                p_ar=_finite(ar.p_value) if k else None,
            )
        out.append(row)
    return out
