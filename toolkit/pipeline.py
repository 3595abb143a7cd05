"""Run the stages in order: read -> segment -> align -> score -> detect, into one Report."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from functools import partial
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from toolkit import __version__
from toolkit.align import align
from toolkit.checks import Category, Check, Severity, registered
from toolkit.checks.terminology import GlossaryCheck
from toolkit.detect import CheckPool
from toolkit.document import Document, read_document
from toolkit.errors import InputError, UsageError
from toolkit.flags import Flag, Waiver, flag_sort_key
from toolkit.formats import UnitDocument, is_unit_file, load_documents
from toolkit.lang import Language, mixed_language_warning, resolve
from toolkit.parallel import SIGNATURE as PARALLEL_SIGNATURE
from toolkit.parallel import align_parallel, similarity_parts
from toolkit.paths import check_distinct, real_path
from toolkit.result import NO_SCORES, ReferenceResult, Report, RunSettings, SentenceResult
from toolkit.score import (
    Score,
    ScoreSettings,
    bead_pairs,
    document_scores,
    document_streams,
    sentence_scores,
    sentence_signatures,
)
from toolkit.segment import (
    Segment,
    segment_document,
    segment_ids,
    segment_spans,
    segment_texts,
    segmenter_signature,
)
from toolkit.source import SourceSide
from toolkit.source.arbiter import ReferenceIssue, arbitrate
from toolkit.source.reading import source_side
from toolkit.verify import (
    Verified,
    check_and_verify,
    model_signature,
    post_edit_changes,
    suspicion_for,
)
from toolkit.verify.postedit import EditRate, add_rates, edit_rate, edit_rate_parts
from toolkit.workers import fewer_collections

__all__ = [
    "MAX_SENTENCE",
    "STAGES",
    "Progress",
    "compare_documents",
    "compare_files",
    "reference_names",
    "run_checks",
    "settle",
]

# A progress callback gets (stage, done, total): once with done=0 when a stage starts, then
# after each of its ``total`` steps (files read, documents segmented, references aligned, ...).
Progress = Callable[[str, int, int], None]
STAGES = ("reading", "segmenting", "aligning", "scoring", "checking")
_NEWLINE = re.compile("\n")
# The longest sentence (or line) a run compares; see _check_lengths.
MAX_SENTENCE = 10_000


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default: report nothing."""


def compare_files(
    seed: str | Path,
    references: Sequence[str | Path],
    *,
    settings: RunSettings | None = None,
    waivers: Iterable[Waiver] = (),
    source: str | Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Read a seed file and reference files (and the source, if given) and compare them.

    ``progress(stage, done, total)``, if given, hears about each stage of :data:`STAGES` as it
    goes (a stage that does not run, such as scoring without references, is not reported).
    ``waivers`` as in :func:`settle`; ``source`` as in :func:`compare_documents`.

    Raises:
        InputError: A file cannot be read as text.
        UsageError: The seed is also given as a reference, or a reference twice.
    """
    settings = settings or RunSettings()
    seed_path = Path(seed)
    source_doc = None
    if source is not None:
        if real_path(source) == real_path(seed_path):
            raise UsageError(f"{source}: the seed is also given as the source")
        source_doc = read_document(source, encoding=settings.encoding, strict=settings.strict)
    seed_real = real_path(seed_path)  # not Path.resolve: it raises on a symbolic link loop
    for ref in references:
        if real_path(ref) == seed_real:
            raise UsageError(
                f"{ref}: the seed is also given as a reference; drop it from the references"
            )
    # A second copy would count twice: in the multi-reference scores and in flag support.
    check_distinct(references, what="reference")
    progress = progress or _no_progress
    paths = [seed_path, *references]
    if any(is_unit_file(p) for p in paths):
        # TMX, XLIFF, PO, JSONL: one unit is one line, so a unit seed is segmented by lines.
        progress("reading", 0, len(paths))
        seed_doc, ref_docs = load_documents(
            seed_path, references, encoding=settings.encoding, strict=settings.strict
        )
        progress("reading", len(paths), len(paths))
        if is_unit_file(seed_path):
            settings = dataclasses.replace(settings, segmented=True)
        return compare_documents(
            seed_doc,
            ref_docs,
            settings=settings,
            waivers=waivers,
            source=source_doc,
            progress=progress,
        )
    docs = []
    for done, path in enumerate(paths):
        progress("reading", done, len(paths))
        docs.append(read_document(path, encoding=settings.encoding, strict=settings.strict))
    progress("reading", len(paths), len(paths))
    return compare_documents(
        docs[0], docs[1:], settings=settings, waivers=waivers, source=source_doc, progress=progress
    )


def compare_documents(
    seed: Document,
    references: Sequence[Document],
    *,
    settings: RunSettings | None = None,
    waivers: Iterable[Waiver] = (),
    source: Document | None = None,
    progress: Progress | None = None,
) -> Report:
    """Segment the seed and every reference, align the seed with each one, score it and run
    the divergence checks, then :func:`settle` the flags with ``waivers`` (``progress`` as in
    :func:`compare_files`).  With a ``source`` document (or a unit seed whose units carry
    their source), the source checks run too and the source arbitrates the reference-based
    flags it can judge (:mod:`toolkit.source`).

    Raises:
        InputError: A document has no text (only white space).
    """
    with fewer_collections():  # a long document makes millions of objects
        return _compare(seed, references, settings, waivers, source, progress)


def _compare(
    seed: Document,
    references: Sequence[Document],
    settings: RunSettings | None,
    waivers: Iterable[Waiver],
    source: Document | None,
    progress: Progress | None,
) -> Report:
    settings = settings or RunSettings()
    progress = progress or _no_progress
    for doc in (seed, *references):
        if not doc.text.strip():
            raise InputError(f"{doc.path}: the text is empty (only white space)")
    docs = [seed, *references]
    lang = _language(seed, settings)
    progress("segmenting", 0, len(docs))
    seed_segments = segment_document(seed, segmented=settings.segmented, language=lang.sentencex)
    _check_lengths(seed, seed_segments)
    seed_texts = segment_texts(seed_segments)
    side, said = source_side(
        seed,
        seed_segments,
        source,
        language=settings.source_language,
        seed_language=lang.code,
        segmented=settings.segmented,
    )
    # The check workers start now: they read the seed and prepare the checks (the document
    # checks read the whole seed) while this process segments the references and aligns.
    pool = CheckPool(
        seed_texts,
        run_checks(settings, lang.code)[0],
        language=lang.code,
        source=side.texts if side else None,
        references=bool(references),
        jobs=settings.jobs if settings.detect and references else 1,
    )
    with pool:
        segmented = [seed_segments]
        for done, doc in enumerate(references, start=1):
            progress("segmenting", done, len(docs))
            segments = segment_document(doc, segmented=settings.segmented, language=lang.sentencex)
            _check_lengths(doc, segments)
            segmented.append(segments)
        progress("segmenting", len(docs), len(docs))
        results = []
        # What the readers repaired (bytes that are not UTF-8) first: it can explain odd flags.
        warnings: list[str] = [w for doc in docs for w in doc.warnings]
        warnings.extend(_mixed(seed, seed_segments, lang))
        if settings.parallel:
            _check_parallel(seed_segments, references, segmented[1:])
        # The workers measure the edit rates (is a reference a post-edit?) once they are ready:
        # of line-parallel files at once, while this process aligns; else of each alignment.
        rates: list[list[Future[EditRate]]] = []
        similar: list[list[Future[list[float]]]] = []
        if pool.started and settings.parallel:
            rates = [edit_rate_parts(pool, segment_texts(s)) for s in segmented[1:]]
            # and the pairs' similarities: this process would measure them on one core.
            similar = [similarity_parts(pool, segment_texts(s)) for s in segmented[1:]]
        names = reference_names([d.path for d in references])
        for done, (name, doc, segments) in enumerate(
            zip(names, references, segmented[1:], strict=True)
        ):
            progress("aligning", done, len(references))
            labels = (segment_ids(seed_segments), segment_ids(segments))
            if settings.parallel:
                alignment = align_parallel(
                    seed_texts,
                    segment_texts(segments),
                    settings=settings.align,
                    labels=labels,
                    similarities=(f.result() for f in similar[done]) if similar else None,
                )
            else:
                alignment = align(
                    seed_texts,
                    segment_texts(segments),
                    settings=settings.align,
                    language=lang.code,
                    labels=labels,
                )
            warnings.extend(f"{name}: {w}" for w in alignment.warnings)
            if settings.segmented and not settings.parallel and len(segments) == len(seed_texts):
                moved = sum(b.kind != "1-1" for b in alignment.beads)
                if moved:
                    warnings.append(
                        f"{name}: as many lines as the seed, but aligned otherwise than line by "
                        f"line ({moved} beads are not 1-1); if the files are line-parallel, "
                        "--parallel pairs them in order and scores them as sacrebleu does"
                    )
            if pool.started and not settings.parallel:
                pairs = [(b.seed, b.ref) for b in alignment.beads]
                rates.append(edit_rate_parts(pool, segment_texts(segments), pairs))
            results.append(ReferenceResult(name, doc, segments, alignment))
        if references:
            progress("aligning", len(references), len(references))
        warnings.extend(said)
        aligner_sig = PARALLEL_SIGNATURE if settings.parallel else settings.align.signature
        mode = "lines" if settings.segmented else segmenter_signature(lang.sentencex)
        signature = f"transdiff:{__version__}|lang:{lang.code}|segmenter:{mode}|{aligner_sig}"
        if side is not None:
            signature += f"|source:{side.language}"
        if settings.detect and references:
            threshold = settings.show_threshold(lang.code)
            signature += f"|{model_signature(lang.code)}|flag-threshold:{threshold:g}"
        ids = segment_ids(seed_segments)
        rows: Sequence[Mapping[str, Mapping[str, float]]] = [NO_SCORES] * len(ids)
        scores: Mapping[str, Score] = MappingProxyType({})
        sentence_sigs: Mapping[str, str] = MappingProxyType({})
        if settings.score is not None and results:
            results, rows, scores = _score(seed_texts, results, settings.score, signature, progress)
            sentence_sigs = sentence_signatures(settings=settings.score, signature=signature)
        not_run: list[str] = []
        verified: list[Verified] = []
        if settings.detect:
            not_run = run_checks(settings, lang.code)[1]
            if not_run:
                warnings.append(
                    f"checks not run for {lang.code} (no rules or word lists for this language): "
                    + ", ".join(not_run)
                )
            progress("checking", 0, 1)
            results = _edit_rates(seed_texts, results, rates)
            verified = _check(
                seed_texts, results, settings=settings, language=lang.code, side=side, pool=pool
            )
    # The workers have ended: what follows runs in this process alone.
    applied: Mapping[str, Waiver] = MappingProxyType({})
    issues: tuple[ReferenceIssue, ...] = ()
    if settings.detect:
        unsettled, issues = _detect(
            seed_texts,
            results,
            ids,
            rows,
            verified,
            settings=settings,
            language=lang.code,
            side=side,
        )
        sentences, applied = _settle(
            unsettled, waivers, settings.severity_overrides, language=lang.code
        )
        progress("checking", 1, 1)
    else:
        sentences = tuple(SentenceResult(i, scores=row) for i, row in zip(ids, rows, strict=True))
    return Report(
        seed=seed,
        seed_segments=seed_segments,
        references=tuple(results),
        sentences=sentences,
        settings=settings,
        signature=signature,
        warnings=tuple(warnings),
        scores=scores,
        sentence_signatures=sentence_sigs,
        checks_not_run=tuple(not_run),
        language=lang.code,
        source_language=side.language if side else _declared(seed)[0],
        source=side,
        reference_issues=issues,
        waivers=applied,
    )


def _check_parallel(
    seed: Sequence[Segment], references: Sequence[Document], segmented: Sequence[Sequence[Segment]]
) -> None:
    """Refuse ``--parallel`` when a reference has another number of lines than the seed."""
    for doc, segments in zip(references, segmented, strict=True):
        if len(segments) != len(seed):
            raise UsageError(
                f"--parallel needs line-parallel files: the seed has {len(seed)} "
                f"non-empty lines, reference {doc.path} has {len(segments)}; drop --parallel "
                "to align them"
            )


def _check_lengths(doc: Document, segments: Sequence[Segment]) -> None:
    """Refuse a sentence longer than :data:`MAX_SENTENCE` characters (a text without sentence
    ends or line breaks): comparing it would take minutes and gigabytes, not a useful report.
    """
    at = next((k for k, (s, e) in enumerate(segment_spans(segments)) if e - s > MAX_SENTENCE), None)
    if at is not None:
        long = segments[at]
        where = f"line {long.paragraph}" if long.id.startswith("L") else f"sentence {long.id}"
        raise InputError(
            f"{doc.path}: {where} runs {long.end - long.start:,} characters without a sentence "
            f"end; transdiff compares sentences of at most {MAX_SENTENCE:,} characters: break "
            "the text into sentences or lines"
        )


def _declared(seed: Document) -> tuple[str, str]:
    """The source and target languages a unit file declares (``""`` when none)."""
    return seed.languages if isinstance(seed, UnitDocument) else ("", "")


def _mixed(seed: Document, segments: Sequence[Segment], lang: Language) -> list[str]:
    """A warning per other language that a substantial share of the seed is written in."""
    breaks = [m.start() for m in _NEWLINE.finditer(seed.text)]  # not a loop over characters
    lines = [bisect.bisect_left(breaks, s) + 1 for s, _ in segment_spans(segments)]
    unit = "unit" if isinstance(seed, UnitDocument) else "line"
    texts = segment_texts(segments)
    return [f"{seed.path}: {m}" for m in mixed_language_warning(texts, lines, lang, unit=unit)]


def _language(seed: Document, settings: RunSettings) -> Language:
    """The run's language: ``settings.language``, the unit file's target language, or the
    language identified in the seed's text."""
    return resolve(settings.language, declared=(_declared(seed)[1],), text=seed.text)[0]


def _score(
    seed: Sequence[str],
    results: list[ReferenceResult],
    settings: ScoreSettings,
    signature: str,
    progress: Progress,
) -> tuple[list[ReferenceResult], list[Mapping[str, Mapping[str, float]]], Mapping[str, Score]]:
    """Document scores per reference and for all together, and bead scores per seed sentence
    (reference name -> metric -> score)."""
    pairs = [(segment_texts(r.segments), r.alignment) for r in results]
    scored = []
    per_sentence: list[dict[str, dict[str, float]]] = [{} for _ in seed]
    steps = len(results) + (len(results) > 1)  # each reference, then all together
    for done, (ref, (texts, alignment)) in enumerate(zip(results, pairs, strict=True)):
        progress("scoring", done, steps)
        hyps, streams = document_streams(seed, [(texts, alignment)])
        doc = document_scores(hyps, streams, settings=settings, signature=signature)
        scored.append(dataclasses.replace(ref, scores=MappingProxyType(doc)))
        beads = [b for b in alignment.beads if b.seed]
        rows = sentence_scores(bead_pairs(seed, texts, alignment), settings=settings)
        for bead, row in zip(beads, rows, strict=True):
            entry = {k: round(v, 4) for k, v in row.items()}
            entry["similarity"] = round(bead.similarity, 4)
            for i in bead.seed:
                per_sentence[i][ref.name] = entry
    if len(results) == 1:  # the same streams: do not score twice
        together = dict(scored[0].scores)
    else:
        progress("scoring", len(results), steps)
        hyps, streams = document_streams(seed, pairs)
        together = document_scores(hyps, streams, settings=settings, signature=signature)
    progress("scoring", steps, steps)
    shared: list[Mapping[str, Mapping[str, float]]] = [MappingProxyType(r) for r in per_sentence]
    return scored, shared, MappingProxyType(together)


def _edit_rates(
    seed: Sequence[str], results: list[ReferenceResult], parts: list[list[Future[EditRate]]]
) -> list[ReferenceResult]:
    """The references with their word edit rate against the seed and whether that makes them
    post-edits of it (``parts``: measured by pool workers, one list per reference, or none)."""
    out = []
    for k, ref in enumerate(results):
        if parts:
            rate = add_rates(f.result() for f in parts[k])
        else:
            rate = edit_rate(seed, segment_texts(ref.segments), ref.alignment)
        out.append(
            dataclasses.replace(ref, edit_rate=round(rate.rate, 4), post_edit=rate.post_edit)
        )
    return out


def _check(
    seed: Sequence[str],
    results: list[ReferenceResult],
    *,
    settings: RunSettings,
    language: str,
    side: SourceSide | None = None,
    pool: CheckPool | None = None,
) -> list[Verified]:
    """The checks and the verifier on every seed sentence: ``(shown, dismissed, evidence)``."""
    return check_and_verify(
        seed,
        [(r.name, segment_texts(r.segments), r.alignment) for r in results],
        checks=run_checks(settings, language)[0],
        language=language,
        source=side.texts if side else None,
        threshold=settings.show_threshold(language),
        jobs=settings.jobs,
        post_edits=[r.post_edit for r in results],
        pool=pool,
    )


def _detect(
    seed: Sequence[str],
    results: list[ReferenceResult],
    ids: Sequence[str],
    rows: Sequence[Mapping[str, Mapping[str, float]]],
    verified: list[Verified],
    *,
    settings: RunSettings,
    language: str,
    side: SourceSide | None = None,
) -> tuple[Iterator[_Unsettled], tuple[ReferenceIssue, ...]]:
    """The result of every seed sentence from what :func:`_check` found (made as they are
    read; suspicion is :func:`settle`'s), and the reference issues the source found."""
    refs = [(r.name, segment_texts(r.segments), r.alignment) for r in results]
    shown_flags = [shown for shown, _, _ in verified]
    post_edits = [r.post_edit for r in results]
    if "post-edit" not in settings.disabled_checks:
        shown_flags = post_edit_changes(seed, refs, shown_flags, post_edits)
    issues: list[ReferenceIssue] = []
    if side is not None and refs:
        shown_flags, issues = arbitrate(seed, shown_flags, side.texts, language=language)
    spread = _divergences(verified)
    made = map(
        _unsettled,
        zip(
            ids,
            shown_flags,
            spread,
            rows,
            map(_EVIDENCE, verified),
            map(_DISMISSED, verified),
            repeat((), len(ids)),
            strict=True,
        ),
    )
    return made, tuple(issues)


class _Unsettled(NamedTuple):
    """A sentence's result before :func:`_settle`: the fields it reads of a
    :class:`SentenceResult` (a tuple costs far less to make than a frozen dataclass, and the
    settled result is made once, not twice)."""

    id: str
    flags: tuple[Flag, ...]
    divergence: float | None
    scores: Mapping[str, Mapping[str, float]]
    evidence: Mapping[str, float] | None
    dismissed: tuple[Flag, ...]
    waived: tuple[Flag, ...]


_unsettled: Callable[[tuple[Any, ...]], _Unsettled] = partial(tuple.__new__, _Unsettled)
_DISMISSED, _EVIDENCE = itemgetter(1), itemgetter(2)  # of a Verified row


def _divergences(verified: Sequence[Verified]) -> list[float | None]:
    """Each seed sentence's divergence (:func:`toolkit.detect.divergences`) from its evidence
    row, which holds it unrounded (None without references): not measured a second time."""
    rounded: dict[float, float] = {}  # one float object per value, not one per sentence
    out: list[float | None] = []
    for _, _, row in verified:
        if row is None:
            out.append(None)
        else:
            value = round(row["divergence"], 4)
            out.append(rounded.setdefault(value, value))
    return out


def run_checks(settings: RunSettings, language: str = "en") -> tuple[list[Check], list[str]]:
    """The checks a run prepares, in order, and the names of those skipped for ``language``.

    The registered checks come first, then the settings' own (``extra_checks``), then the
    glossary check when there is a glossary; the disabled ones are left out.
    """
    candidates = [*registered(), *settings.extra_checks]
    if settings.glossary is not None:
        candidates.append(GlossaryCheck(settings.glossary))
    off = set(settings.disabled_checks)
    run: list[Check] = []
    not_run: list[str] = []
    for check in candidates:
        if check.name in off:
            continue
        if check.supports(language):
            run.append(check)
        else:
            not_run.append(check.name)
    return run, not_run


def settle(report: Report, *, waivers: Iterable[Waiver] = ()) -> Report:
    """The report's final flags and suspicion: the settings' severity overrides applied, the
    flags that ``waivers`` accept moved to ``waived``, and each sentence's suspicion computed
    from the flags that remain (once: the pipeline leaves it to this step).

    Settling again with other waivers starts from all the flags, waived or not, so the
    result depends on the last ``waivers`` only.  ``Report.waivers`` holds those that applied.
    """
    sentences, applied = _settle(
        report.sentences, waivers, report.settings.severity_overrides, language=report.language
    )
    return dataclasses.replace(report, sentences=sentences, waivers=applied)


def _settle(
    results: Iterable[SentenceResult | _Unsettled],
    waivers: Iterable[Waiver],
    overrides: Mapping[Category, Severity],
    *,
    language: str,
) -> tuple[tuple[SentenceResult, ...], Mapping[str, Waiver]]:
    """:func:`settle` of ``results`` (read one at a time): the settled sentences and the
    waivers that applied."""
    by_id = {w.id: w for w in waivers}
    applied: dict[str, Waiver] = {}
    sentences = []
    for result in results:
        flags = (*result.flags, *result.waived)
        if overrides:
            flags = _override(flags, overrides)
        elif result.waived:
            flags = tuple(sorted(flags, key=flag_sort_key))
        if by_id:
            kept = tuple(f for f in flags if f.id not in by_id)
            waived = tuple(f for f in flags if f.id in by_id)
            applied.update((f.id, by_id[f.id]) for f in waived)
        else:  # no waivers (a first run): every flag is kept, as it is
            kept, waived = flags, ()
        score = suspicion_for(result.evidence, kept, result.divergence, language=language)
        # The constructor, not dataclasses.replace: a million sentences, half the time.
        sentences.append(
            SentenceResult(
                id=result.id,
                suspicion=score,
                flags=kept,
                divergence=result.divergence,
                scores=result.scores,
                waived=waived,
                evidence=result.evidence,
                dismissed=result.dismissed,
            )
        )
    return tuple(sentences), MappingProxyType(applied)


def _override(flags: tuple[Flag, ...], severity: Mapping[Category, Severity]) -> tuple[Flag, ...]:
    """``flags`` with the configured severity of their category, in flag order again."""
    changed = [dataclasses.replace(f, severity=severity.get(f.category, f.severity)) for f in flags]
    changed.sort(key=flag_sort_key)
    return tuple(changed)


def reference_names(paths: Sequence[str]) -> list[str]:
    """Short unique names for references: the file stem, numbered when two stems clash."""
    stems = [Path(p).stem or Path(p).name for p in paths]
    names: list[str] = []
    taken = set(stems)
    for k, stem in enumerate(stems):
        name = stem
        if stems.count(stem) > 1:
            n = k + 1
            while f"{stem}-{n}" in taken:
                n += 1
            name = f"{stem}-{n}"
            taken.add(name)
        names.append(name)
    return names
