"""Batch runs: every document of a folder against its references, one report each, and an index.

Documents are paired with their references by :func:`toolkit.pairing.pair_documents`.

Documents run in a pool of worker processes; each one writes its report to
``out_dir/<stem>.<ext>`` atomically and hands back a small :class:`BatchDocument` summary, so
that a bad file (binary, empty, undecodable) is recorded in the index with its error message
while the others go on.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import multiprocessing
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.checks import Severity
from toolkit.checks.terminology import Glossary
from toolkit.config import Config
from toolkit.errors import InputError, TransdiffError, UsageError
from toolkit.flags import Waiver
from toolkit.pairing import INDEX_FILES, SEED_SUFFIXES, Pairing, pair_documents, pair_sources
from toolkit.paths import check_outputs
from toolkit.report import Format, render, write_atomic
from toolkit.report.batch_index import BATCH_SCHEMA, render_batch_html, render_batch_json
from toolkit.result import Report, RunSettings
from toolkit.review import Waivers, prepare_review, review_files, waivers_path
from toolkit.score import Score
from toolkit.workers import usable_cores, worker_count

__all__ = [
    "BATCH_SCHEMA",
    "SEED_SUFFIXES",
    "BatchDocument",
    "BatchProgress",
    "BatchResult",
    "Pairing",
    "pair_documents",
    "run_batch",
    "usable_cores",
]

_SEVERITIES = (Severity.critical, Severity.major, Severity.minor)

# A batch progress callback gets ("documents", done, total): once with done=0, then after each
# finished document (in completion order, which varies between runs).
BatchProgress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BatchDocument:
    """What one document's run left for the index (never the whole report: it may be large).

    Plain dicts, not mapping proxies: the summary travels back from a worker process by pickle.

    Attributes:
        name: File name of the document.
        path: Its path as found (``seed_dir/name``).
        references: Paths of its references (empty: reference-free run).
        status: ``"ok"`` or ``"error"``.
        error: The error message when the run failed.
        report: File name of the report in the output folder (None on error).
        sentences: Number of seed segments.
        scores: Metric -> document score against all references together.
        signatures: Metric -> sacrebleu-style signature of that score.
        flags: Severity -> number of flags (unwaived).
        waived: Number of flags that a waiver accepted.
        flagged: Number of sentences with at least one flag.
        top: The most suspect sentence (id, suspicion, text), or None when nothing is suspect.
        warnings: Warnings of the run (for example unrelated texts).
        signature: The run's signature (transdiff version, segmenter, aligner).
        seconds: Wall time of the run, in the worker.
        source: Path of its original (``--sources``), or None.
    """

    name: str
    path: str
    references: tuple[str, ...]
    status: str
    report: str | None = None
    error: str | None = None
    sentences: int = 0
    scores: Mapping[str, float] = field(default_factory=dict)
    signatures: Mapping[str, str] = field(default_factory=dict)
    flags: Mapping[str, int] = field(default_factory=dict)
    flagged: int = 0
    waived: int = 0
    top: Mapping[str, Any] | None = None
    warnings: tuple[str, ...] = ()
    signature: str = ""
    seconds: float = 0.0
    source: str | None = None

    def __post_init__(self) -> None:
        if self.status not in {"ok", "error"}:
            raise ValueError(f"status must be 'ok' or 'error', got {self.status!r}")

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every document of a batch run, in name order, and where the index was written."""

    seed_dir: Path
    refs_dir: Path | None
    out_dir: Path
    fmt: Format
    settings: RunSettings
    documents: tuple[BatchDocument, ...]
    unpaired_references: tuple[str, ...] = ()
    seconds: float = 0.0
    waivers: tuple[Waiver, ...] = ()

    @property
    def failed(self) -> tuple[BatchDocument, ...]:
        return tuple(d for d in self.documents if not d.ok)

    @property
    def index_json(self) -> Path:
        return self.out_dir / "index.json"

    @property
    def index_html(self) -> Path:
        return self.out_dir / "index.html"


def run_batch(
    seed_dir: str | Path,
    refs_dir: str | Path | None,
    out_dir: str | Path,
    *,
    fmt: Format = Format.html,
    jobs: int | None = None,
    settings: RunSettings | None = None,
    config: Config | None = None,
    glossary: Glossary | str | Path | None = None,
    waivers: Waivers = None,
    progress: BatchProgress | None = None,
    scheduler: str | None = None,
    sources_dir: str | Path | None = None,
) -> BatchResult:
    """Compare every document of ``seed_dir`` with its references from ``refs_dir``.

    Writes one report per document (``out_dir/<stem>.<ext>``, in ``fmt``), then
    ``out_dir/index.json`` (schema ``transdiff/batch-v1``) and ``out_dir/index.html``.  A
    document that fails (binary, empty, undecodable, ...) is recorded in the index with its
    error message and the others go on; check :attr:`BatchResult.failed`.

    Args:
        seed_dir: Folder of the documents to review (not searched recursively).
        refs_dir: Folder of their references (see :func:`pair_documents`); None: reference-free.
        out_dir: Folder for the reports and the index; created if missing.
        fmt: Format of the per-document reports.
        jobs: Worker processes (None: one per usable core; 1: run in this process); never
            more than the usable cores or the documents.
        settings: Settings of every run; its ``jobs`` is ignored (each document runs on one core).
        config: A project configuration: its disabled checks, severities, own checks,
            glossary and waivers file apply to every document, as in
            :func:`toolkit.review.review_files` (its ``references`` do not: the pairing
            rule finds each document's).
        glossary: A glossary, or its CSV file, instead of the configuration's.
        waivers: The waivers, or their file; None: the configuration's file, else
            ``transdiff.waivers.toml`` in ``seed_dir``.  Read once, before any document runs.
        progress: ``progress("documents", done, total)`` after each finished document.
        sources_dir: Folder of the originals (:func:`toolkit.pairing.pair_sources`): each
            document with one is checked against it (``--source`` in ``report``).
        scheduler: Address of a Dask distributed scheduler (``tcp://host:8786``) whose workers
            run the documents instead of local processes (``jobs`` is then ignored); needs the
            ``cluster`` extra, and the workers must see the same files at the same paths.

    Raises:
        InputError: A folder is missing, the output folder cannot be created, or the
            configuration's glossary or the waivers file cannot be read.
        UsageError: No documents, bad ``jobs``, an output folder that is or lies inside an
            input folder, or a report that would overwrite an input (through a link).
    """
    started = time.perf_counter()
    fmt = Format(fmt)
    jobs = usable_cores() if jobs is None else jobs
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1, got {jobs}")
    settings = dataclasses.replace(settings or RunSettings(), jobs=1)
    if settings.encoding is not None:
        try:  # once here, rather than the same error for every document
            codecs.lookup(settings.encoding)
        except LookupError:
            raise UsageError(
                f"unknown encoding {settings.encoding!r}; "
                "use a Python codec name such as utf-8 or cp1251"
            ) from None
    out_dir = Path(out_dir)
    pairings, unpaired = pair_documents(seed_dir, refs_dir, fmt=fmt)
    if sources_dir is not None:
        pairings = pair_sources(pairings, sources_dir)
    # Once for every document, after the folders are known to be good.
    settings, found = prepare_review(
        seed_dir, settings=settings, config=config, glossary=glossary, waivers=waivers
    )
    # Reports among the inputs would overwrite them or be read as documents next time; a file
    # already in the output folder may be a link to an input (it would be written through).
    check_outputs([out_dir], folders=(seed_dir, refs_dir, sources_dir), what="output folder")
    sources: list[str | Path | None] = [p.seed for p in pairings]
    sources += [p.source for p in pairings]
    sources += [r for p in pairings for r in p.references]
    if waivers is None or isinstance(waivers, str | Path):
        sources.append(waivers_path(seed_dir, config) if waivers is None else waivers)
    if config is not None:
        sources += [config.source, config.glossary]
    if isinstance(glossary, str | Path):
        sources.append(glossary)
    written = [out_dir / p.report for p in pairings] + [out_dir / name for name in INDEX_FILES]
    check_outputs(written, inputs=sources, folders=(seed_dir, refs_dir, sources_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot create the output folder ({exc.strerror})") from exc
    report = progress or (lambda stage, done, total: None)
    total = len(pairings)
    report("documents", 0, total)
    tasks = [(p, out_dir, fmt, settings, found) for p in pairings]
    results: dict[str, BatchDocument] = {}
    workers = worker_count(jobs, total)
    if scheduler is not None:
        _run_on_cluster(scheduler, tasks, results, lambda done: report("documents", done, total))
    elif workers == 1:
        for done, task in enumerate(tasks, 1):
            doc = run_document(*task)
            results[doc.name] = doc
            report("documents", done, total)
    else:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        with pool, _stop_on_interrupt(pool):
            futures: dict[Future[BatchDocument], Pairing] = {
                pool.submit(run_document, *task): task[0] for task in tasks
            }
            for done, future in enumerate(as_completed(futures), 1):
                pairing = futures[future]
                try:
                    doc = future.result()
                except Exception as exc:  # a worker died (out of memory, killed)
                    doc = _failed(
                        pairing, f"the worker process failed ({exc or type(exc).__name__})"
                    )
                results[doc.name] = doc
                report("documents", done, total)
    documents = tuple(results[p.seed.name] for p in pairings)
    result = BatchResult(
        seed_dir=Path(seed_dir),
        refs_dir=None if refs_dir is None else Path(refs_dir),
        out_dir=out_dir,
        fmt=fmt,
        settings=settings,
        documents=documents,
        unpaired_references=tuple(str(p) for p in unpaired),
        seconds=time.perf_counter() - started,
        waivers=found,
    )
    try:
        write_atomic(result.index_json, render_batch_json(result))
        write_atomic(result.index_html, render_batch_html(result))
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot write the index ({exc.strerror or exc})") from exc
    return result


_CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler


def _run_on_cluster(
    address: str,
    tasks: Sequence[tuple[Pairing, Path, Format, RunSettings, Sequence[Waiver]]],
    results: dict[str, BatchDocument],
    done: Callable[[int], None],
) -> None:
    """Run the documents on a Dask distributed cluster, through its concurrent.futures
    executor, so a document is recorded the same way as with the process pool."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask distributed: pip install 'transdiff[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=_CONNECT_TIMEOUT)
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        executor = client.get_executor(pure=False)
        futures: dict[Future[BatchDocument], Pairing] = {
            executor.submit(run_document, *task): task[0] for task in tasks
        }
        try:
            for count, future in enumerate(as_completed(futures), 1):
                pairing = futures[future]
                try:
                    doc = future.result()
                except Exception as exc:  # a worker died or lost the task
                    doc = _failed(
                        pairing, f"the cluster worker failed ({exc or type(exc).__name__})"
                    )
                results[doc.name] = doc
                done(count)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


@contextlib.contextmanager
def _stop_on_interrupt(pool: ProcessPoolExecutor) -> Iterator[None]:
    """On an interrupt (Ctrl-C, or SIGTERM turned into one), start no more documents: leaving
    the pool would otherwise run every queued one first.  Running ones finish their write.

    The waiting happens here: a second ``shutdown`` (the pool's ``__exit__``) would clear the
    cancel flag before the pool's manager thread had read it.
    """
    try:
        yield
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def _failed(pairing: Pairing, message: str, seconds: float = 0.0) -> BatchDocument:
    return BatchDocument(
        name=pairing.seed.name,
        path=str(pairing.seed),
        references=tuple(str(r) for r in pairing.references),
        source=None if pairing.source is None else str(pairing.source),
        status="error",
        error=message,
        seconds=seconds,
    )


def run_document(
    pairing: Pairing,
    out_dir: Path,
    fmt: Format,
    settings: RunSettings,
    waivers: Sequence[Waiver] = (),
) -> BatchDocument:
    """Run one document, write its report, and summarise it (the worker's task).

    ``settings`` and ``waivers`` are the review's, prepared once (:func:`prepare_review`).
    Errors are recorded, not raised, so that one bad document does not stop the batch.
    """
    started = time.perf_counter()
    try:
        result = review_files(
            pairing.seed,
            pairing.references,
            settings=settings,
            waivers=waivers,
            source=pairing.source,
        )
        write_atomic(out_dir / pairing.report, render(result, fmt))
    except TransdiffError as exc:
        return _failed(pairing, str(exc), time.perf_counter() - started)
    except OSError as exc:
        message = f"{out_dir / pairing.report}: cannot write the report ({exc.strerror or exc})"
        return _failed(pairing, message, time.perf_counter() - started)
    except Exception as exc:  # a bug must not cost the other documents their run
        message = f"internal error: {type(exc).__name__}: {exc}"
        return _failed(pairing, message, time.perf_counter() - started)
    return _summary(pairing, result, time.perf_counter() - started)


def _summary(pairing: Pairing, report: Report, seconds: float) -> BatchDocument:
    flags = [f for s in report.sentences for f in s.flags]
    top = None
    if report.sentences:
        k, best = max(enumerate(report.sentences), key=lambda e: (e[1].suspicion, -e[0]))
        if best.suspicion > 0:
            top = {
                "id": best.id,
                "suspicion": round(best.suspicion, 4),
                "text": report.seed_segments[k].text,
            }
    scores = {name: round(s.score, 4) for name, s in report.scores.items() if isinstance(s, Score)}
    signatures = {name: s.signature for name, s in report.scores.items() if isinstance(s, Score)}
    return BatchDocument(
        name=pairing.seed.name,
        path=str(pairing.seed),
        references=tuple(str(r) for r in pairing.references),
        source=None if pairing.source is None else str(pairing.source),
        status="ok",
        report=pairing.report,
        sentences=len(report.seed_segments),
        scores=scores,
        signatures=signatures,
        flags={sev.value: sum(f.severity is sev for f in flags) for sev in _SEVERITIES},
        flagged=sum(1 for s in report.sentences if s.flags),
        waived=sum(len(s.waived) for s in report.sentences),
        top=top,
        warnings=report.warnings,
        signature=report.signature,
        seconds=seconds,
    )
