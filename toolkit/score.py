"""Scores with signatures: sacrebleu's BLEU, chrF, chrF++ and TER, at document and bead level.

Document-level scores need one hypothesis entry per reference entry.  Seed and reference need
not be line-aligned: the streams are built from the alignment beads.  The unit is a group of
seed sentences that is a whole number of beads in every reference (for a single reference, one
bead); each reference contributes the joined text aligned to the group.  Reference sentences
without a seed counterpart (0-1 beads) join the previous group, so that omissions still cost
recall; a group with no reference counterpart (1-0 beads) gets the empty reference.  For
line-aligned input whose beads are all 1-1 the streams are the lines themselves, and the
figures equal ``sacrebleu REF -i SEED -m bleu chrf ter``.

Metric objects are built once per settings (building BLEU/CHRF/TER per sentence is slow).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacreMetric
from sacrebleu.metrics.bleu import _TOKENIZERS

from toolkit.align import Alignment
from toolkit.errors import UsageError

__all__ = [
    "Metric",
    "Score",
    "ScoreSettings",
    "bead_pairs",
    "corpus_metrics",
    "document_scores",
    "document_streams",
    "sentence_scores",
    "sentence_signatures",
    "signature_of",
    "stream_groups",
]


class Metric(StrEnum):
    """The metrics transdiff computes (names as in the JSON report)."""

    bleu = "bleu"
    chrf = "chrf"
    chrfpp = "chrf++"
    ter = "ter"

    @property
    def higher_is_better(self) -> bool:
        """False for TER (an edit rate), True for the others."""
        return self is not Metric.ter


TOKENIZERS = tuple(_TOKENIZERS)


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    """Which metrics to compute and how, mirroring sacrebleu's options.

    Attributes:
        metrics: Metric names, in output order (``bleu``, ``chrf``, ``chrf++``, ``ter``).
        tokenize: BLEU tokenizer (sacrebleu's ``--tokenize``).
        lowercase: Lowercase before BLEU and chrF (sacrebleu's ``--lowercase``; TER is
            case-insensitive, as in sacrebleu's defaults).
        chrf_word_order: Word n-gram order of the ``chrf++`` metric (chrF++ is 2).
    """

    metrics: tuple[Metric, ...] = (Metric.bleu, Metric.chrf, Metric.chrfpp, Metric.ter)
    tokenize: str = "13a"
    lowercase: bool = False
    chrf_word_order: int = 2

    def __post_init__(self) -> None:
        names = []
        for m in self.metrics:
            try:
                names.append(Metric(m))
            except ValueError:
                known = ", ".join(x.value for x in Metric)
                raise UsageError(f"unknown metric {m!r}; choose from {known}") from None
        if not names:
            raise UsageError("no metrics given; choose one or more of bleu, chrf, chrf++, ter")
        if len(set(names)) != len(names):
            raise UsageError(f"metric given twice in {', '.join(names)}")
        object.__setattr__(self, "metrics", tuple(names))
        if self.tokenize not in TOKENIZERS:
            raise UsageError(
                f"unknown tokenizer {self.tokenize!r}; choose from {', '.join(TOKENIZERS)}"
            )
        if not 1 <= self.chrf_word_order <= 6:
            raise UsageError(
                f"chrf word order must be between 1 and 6, got {self.chrf_word_order} "
                "(chrF++ is 2; use the chrf metric for word order 0)"
            )


@dataclass(frozen=True, slots=True)
class Score:
    """One figure with the signature that makes it reproducible."""

    name: str
    score: float
    signature: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.score):
            raise ValueError(f"{self.name}: score must be finite, got {self.score}")


def _build(metric: Metric, settings: ScoreSettings, *, sentence: bool) -> SacreMetric:
    if metric is Metric.bleu:
        return BLEU(
            tokenize=settings.tokenize, lowercase=settings.lowercase, effective_order=sentence
        )
    if metric is Metric.chrf:
        return CHRF(lowercase=settings.lowercase)
    if metric is Metric.chrfpp:
        return CHRF(word_order=settings.chrf_word_order, lowercase=settings.lowercase)
    return TER()


@functools.lru_cache(maxsize=16)
def _metrics(settings: ScoreSettings, *, sentence: bool) -> tuple[tuple[Metric, SacreMetric], ...]:
    return tuple((m, _build(m, settings, sentence=sentence)) for m in settings.metrics)


def corpus_metrics(settings: ScoreSettings | None = None) -> dict[str, SacreMetric]:
    """Document-level sacrebleu metric objects, by transdiff metric name (built once, shared)."""
    return {m.value: metric for m, metric in _metrics(settings or ScoreSettings(), sentence=False)}


def signature_of(metric: SacreMetric, *, nrefs: int, extra: str = "") -> str:
    """sacrebleu's signature of ``metric`` for ``nrefs`` references, extended by ``extra``."""
    return _signature(metric, nrefs, extra)


def _signature(metric: SacreMetric, nrefs: int, extra: str) -> str:
    sig = metric.get_signature()
    sig.update("nrefs", nrefs)
    text = sig.format()
    return f"{text}|{extra}" if extra else text


def _finite(value: float) -> float:
    return float(value) if math.isfinite(value) else 0.0


def document_scores(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    settings: ScoreSettings | None = None,
    signature: str = "",
) -> dict[str, Score]:
    """Corpus-level scores of a hypothesis stream against one or more reference streams.

    Args:
        hypotheses: One string per unit.
        references: One stream per reference, each as long as ``hypotheses``.
        settings: Metrics and their options.
        signature: transdiff's own settings, appended to each sacrebleu signature.

    Returns:
        Metric name -> :class:`Score`; an empty stream scores 0 (100 for TER).

    Raises:
        UsageError: No reference streams, or streams of different lengths.
    """
    settings = settings or ScoreSettings()
    if not references:
        raise UsageError("no reference streams to score against; give at least one reference")
    for k, stream in enumerate(references):
        if len(stream) != len(hypotheses):
            raise UsageError(
                f"reference stream {k + 1} has {len(stream)} entries for "
                f"{len(hypotheses)} hypotheses; build the streams with document_streams()"
            )
    out = {}
    for name, metric in _metrics(settings, sentence=False):
        if hypotheses:
            result = metric.corpus_score(list(hypotheses), [list(r) for r in references])
            value = _finite(result.score)
        else:
            value = 100.0 if name is Metric.ter else 0.0
        out[name.value] = Score(name.value, value, _signature(metric, len(references), signature))
    return out


def _groups(alignments: Sequence[Alignment]) -> list[int]:
    """Seed indices that start a group: a bead boundary in every alignment."""
    starts: set[int] | None = None
    for alignment in alignments:
        these = {b.seed[0] for b in alignment.beads if b.seed}
        starts = these if starts is None else starts & these
    return sorted(starts or ())


def stream_groups(
    seed: int, alignments: Sequence[Alignment]
) -> tuple[list[range], list[list[list[int]]]]:
    """The units of :func:`document_streams` as sentence indices.

    Args:
        seed: How many sentences the seed has.
        alignments: Each reference's alignment with the seed.

    Returns:
        The seed sentences of each unit (a range), and per alignment the reference
        sentences joined into each unit, in order.
    """
    starts = _groups(alignments)
    if not starts or starts[0] != 0:
        starts = [0, *starts] if seed else []
    ranges = [range(lo, hi) for lo, hi in zip(starts, [*starts[1:], seed], strict=True)]
    group_of = {i: g for g, r in enumerate(ranges) for i in r}
    per_alignment = []
    for alignment in alignments:
        parts: list[list[int]] = [[] for _ in ranges]
        current = 0
        for bead in alignment.beads:
            if bead.seed:
                current = group_of[bead.seed[0]]
            if parts:
                parts[current].extend(bead.ref)
        per_alignment.append(parts)
    return ranges, per_alignment


def document_streams(
    seed: Sequence[str],
    references: Sequence[tuple[Sequence[str], Alignment]],
) -> tuple[list[str], list[list[str]]]:
    """Hypothesis and reference streams for :func:`document_scores`, built from alignments.

    Args:
        seed: The seed's sentences.
        references: For each reference, its sentences and its alignment with ``seed``.

    Returns:
        The hypothesis stream and one reference stream per reference, all of equal length.
    """
    ranges, groups = stream_groups(len(seed), [a for _, a in references])
    hyps = [" ".join(seed[i] for i in r) for r in ranges]
    streams = [
        [" ".join(texts[j] for j in part) for part in parts]
        for (texts, _), parts in zip(references, groups, strict=True)
    ]
    return hyps, streams


def bead_pairs(
    seed: Sequence[str], ref: Sequence[str], alignment: Alignment
) -> list[tuple[str, str]]:
    """One (hypothesis, reference) pair per bead with a seed side: joined texts; "" if 1-0."""
    return [
        (" ".join(seed[i] for i in b.seed), " ".join(ref[j] for j in b.ref))
        for b in alignment.beads
        if b.seed
    ]


def sentence_scores(
    pairs: Sequence[tuple[str, str]], *, settings: ScoreSettings | None = None
) -> list[dict[str, float]]:
    """Sentence-level scores of (hypothesis, reference) pairs, one dict per pair.

    BLEU uses ``effective_order=True``.  A pair with an empty reference (a seed sentence with
    no counterpart) is scored like any other: BLEU and chrF 0, TER 100 (its worst), so it is
    counted, not dropped.
    """
    settings = settings or ScoreSettings()
    metrics = [(m.value, metric.sentence_score) for m, metric in _metrics(settings, sentence=True)]
    out: list[dict[str, float]] = []
    append = out.append
    for hyp, ref in pairs:
        refs = [ref]
        row = {}
        for name, score in metrics:
            value = score(hyp, refs).score
            row[name] = value if value == value else 0.0  # NaN guard without a call
        append(row)
    return out


def sentence_signatures(
    *, settings: ScoreSettings | None = None, signature: str = ""
) -> Mapping[str, str]:
    """Signature of each sentence-level metric (``eff:yes`` for BLEU), extended by ``signature``."""
    settings = settings or ScoreSettings()
    metrics = _metrics(settings, sentence=True)
    return MappingProxyType({m.value: _signature(metric, 1, signature) for m, metric in metrics})
