"""Run the divergence checks and turn their findings into flags and a suspicion score.

Reference checks run on every aligned bead (seed sentence against the reference text aligned to
it), once per reference; findings on the same span from several references merge into one flag
that says how many references support it.  Reference-free checks run on the seed alone.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import math
import multiprocessing
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from rapidfuzz.distance import Levenshtein

from toolkit.align import Alignment, Bead, LineBeads
from toolkit.checks import (
    Category,
    Check,
    Checker,
    Context,
    Finding,
    Kind,
    Severity,
    SourceText,
    registered,
)
from toolkit.flags import Flag, flag_id, flag_sort_key
from toolkit.packed import texts_part
from toolkit.workers import settle_worker_gc, worker_count

__all__ = [
    "PARALLEL_MIN_SENTENCES",
    "CheckPool",
    "Flag",
    "SuspicionModel",
    "detect",
    "detect_then",
    "divergences",
    "flag_id",
    "suspicion",
]

# How far a flag of each category and severity can be trusted: the lift of P(the segment has an
# MQM error | such a flag) over the base rate, shrunk towards 0.5 by 20 pseudo-flags, measured
# by ``benchmarks/flags_mqm.py`` on the even-numbered talks of the MQM TED zh-en data against
# refB.  Kinds of flag that were rare there stay near 0.5 (and unseen ones count 0.5).
_UNCALIBRATED = 0.5
CALIBRATED_RELIABILITY: Mapping[str, float] = MappingProxyType(
    {
        "accuracy/addition:minor": 0.42,
        "accuracy/entity:major": 0.29,
        "accuracy/entity:minor": 0.55,
        "accuracy/mistranslation:major": 0.25,
        "accuracy/mistranslation:minor": 0.08,
        "accuracy/negation:major": 0.57,
        "accuracy/number:major": 0.3,
        "accuracy/number:minor": 0.21,
        "accuracy/omission:major": 0.45,
        "accuracy/omission:minor": 0.56,
        "accuracy/pronoun:major": 0.37,
        "accuracy/pronoun:minor": 0.25,
        "fluency/casing:minor": 0.7,
        "fluency/consistency:minor": 0.5,
        "fluency/typography:minor": 0.63,
    }
)


@dataclass(frozen=True, slots=True)
class SuspicionModel:
    """How flags and bead divergence add up to a sentence's suspicion.

    ``suspicion = 1 - exp(-(sum of severity weight x agreement x reliability +
    divergence_weight x divergence) / scale)``: one major flag of a fully reliable category
    that every reference supports gives 0.63, and a sentence that shares nothing with its
    references gets ``divergence_weight`` on top.

    Attributes:
        scale: Evidence mass at which suspicion reaches 1 - 1/e.
        divergence_weight: Mass given to a bead whose texts differ completely (divergence 1).
        reliability: ``"category:severity"`` (``"accuracy/pronoun:major"``) -> weight in
            [0, 1] of such flags; 0.5 when not listed.
    """

    scale: float = 5.0
    divergence_weight: float = 5.0
    reliability: Mapping[str, float] = field(default_factory=lambda: CALIBRATED_RELIABILITY)

    def __post_init__(self) -> None:
        if self.scale <= 0 or self.divergence_weight < 0:
            raise ValueError(
                "a suspicion model needs scale > 0 and divergence_weight >= 0, got "
                f"{self.scale} and {self.divergence_weight}"
            )
        bad = {k: v for k, v in self.reliability.items() if not 0.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"reliability weights must be in [0, 1], got {bad}")


# Below this many seed sentences a process pool costs more than it saves; for the same reason
# no worker gets fewer than half as many (a 10,000-sentence document runs in at most 4).
PARALLEL_MIN_SENTENCES = 5000

_Found = dict[tuple[Category, int, int], tuple[Finding, list[str]]]
References = Sequence[tuple[str, Sequence[str], Alignment]]
T = TypeVar("T")
# Called in the worker on each block of sentences as soon as its flags are known, while the
# word diffs the checks computed for it are still cached: (seed, the references' beads that
# start in the block, lo, hi, flags of sentences lo..hi-1) -> one result per sentence.
Then = Callable[[Sequence[str], References, int, int, list[tuple["Flag", ...]]], list[T]]

# Sentences per block: few enough that the shared word-diff caches (checks/diff.py: 1,024
# diffs, 4,096 tokenised texts: up to five references) still hold a block's diffs when a
# ``then`` hook reads them again.
BLOCK = 200


def detect(
    seed: Sequence[str],
    references: References,
    *,
    checks: Sequence[Check] | None = None,
    language: str = "en",
    source: Sequence[SourceText | None] | None = None,
    jobs: int = 1,
) -> list[tuple[Flag, ...]]:
    """Flags for every seed sentence.

    Args:
        seed: The seed sentences.
        references: ``(name, sentences, alignment with the seed)`` for each reference.
        checks: The checks to run, in order (default: every registered check); each is
            prepared once for the seed document (per worker).
        language: The seed's language code, given to the checks' context.
        source: For each seed sentence, the source text it translates (None: not found);
            source checks run only when it is given.
        jobs: Worker processes for long documents (at least
            :data:`PARALLEL_MIN_SENTENCES` sentences); the checks must then pickle.
            Capped at the usable cores and at one worker per
            ``PARALLEL_MIN_SENTENCES // 2`` sentences.  The flags are the same for any
            number of jobs.

    Returns:
        One tuple of flags per seed sentence, most severe first.
    """
    return detect_then(
        seed, references, _flags_only, checks=checks, language=language, source=source, jobs=jobs
    )


def _flags_only(
    seed: Sequence[str], references: References, lo: int, hi: int, flags: list[tuple[Flag, ...]]
) -> list[tuple[Flag, ...]]:
    return flags


def detect_then(
    seed: Sequence[str],
    references: References,
    then: Then[T],
    *,
    checks: Sequence[Check] | None = None,
    language: str = "en",
    source: Sequence[SourceText | None] | None = None,
    jobs: int = 1,
    pool: CheckPool | None = None,
) -> list[T]:
    """:func:`detect`, with ``then`` applied to each block of sentences in the process that
    found its flags (a module-level function or a partial of one when ``jobs`` > 1): what
    comes after the checks (the verifier) reuses their cached word diffs and their workers.
    ``pool``: a :class:`CheckPool` started earlier for the same seed, checks, language and
    source (its workers have prepared the checks already); without one, ``jobs`` decides.

    Returns:
        ``then``'s results, one per seed sentence, in order.
    """
    run = tuple(registered() if checks is None else checks)
    if pool is None:
        with CheckPool(
            seed, run, language=language, source=source, references=bool(references), jobs=jobs
        ) as own:
            return detect_then(
                seed, references, then, checks=run, language=language, source=source, pool=own
            )
    if pool.made_for != _made_for(seed, run, language):
        raise ValueError("this check pool was made for another document, language or checks")
    if not pool.started:
        return _run(seed, references, run, Context(seed, language, source), then, 0, len(seed))
    # A task is a chunk of CHUNK sentences with only the references' beads and sentences it
    # reads, and its results come back as it ends: no process holds every reference, bead
    # and result twice (a long document's pickles were gigabytes).
    parts = max(pool.workers, -(-len(seed) // CHUNK))
    bounds = _chunk_bounds(len(seed), references, parts)
    starts = [_bead_starts(alignment) for _, _, alignment in references]
    prepared = pool.prepared()
    tasks = (
        (
            [
                _ref_slice(name, sentences, alignment, first, lo, hi)
                for (name, sentences, alignment), first in zip(references, starts, strict=True)
            ],
            then,
            lo,
            hi,
            (run, bool(references), prepared),
        )
        for lo, hi in bounds
    )
    out: list[T] = []
    for part in pool.map(_run_chunk, tasks):
        out.extend(part)
    return out


class CheckPool:
    """Worker processes that prepare the checks for one seed document, started before the
    references are aligned, so that their preparation (reading the whole document for the
    document checks) runs while the caller aligns and scores.

    Each worker gets the seed and prepares the checks once (the pool's initializer); with one
    worker (``jobs`` 1, or a document under :data:`PARALLEL_MIN_SENTENCES` sentences) no
    process is started and :func:`detect_then` runs in the caller's process.  Use it as a
    context manager; the workers end with it.

    Args:
        seed: The seed sentences.
        checks: The checks to prepare, in order.
        language: The seed's language code.
        source: The source text of each seed sentence, as :func:`detect` takes it.
        references: Whether the run has references (pair checks are prepared only then).
        jobs: Worker processes asked for, as :func:`detect` takes them.
    """

    def __init__(
        self,
        seed: Sequence[str],
        checks: Sequence[Check],
        *,
        language: str = "en",
        source: Sequence[SourceText | None] | None = None,
        references: bool = True,
        jobs: int = 1,
    ) -> None:
        self.made_for = _made_for(seed, checks, language)
        self.workers = 1
        if jobs > 1 and len(seed) >= PARALLEL_MIN_SENTENCES:
            self.workers = worker_count(jobs, len(seed) // max(1, PARALLEL_MIN_SENTENCES // 2))
        self._pool: ProcessPoolExecutor | None = None
        self._prepared: Future[_Prepared] | None = None
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded parent
                initializer=_start_worker,
                initargs=(Context(seed, language, source),),
            )
            # The pool starts a process per task submitted while none is idle: one task each
            # starts them all now.  One prepares the checks (the document checks read the
            # whole seed: seconds per 100,000 sentences) and sends them back pickled; the
            # others are free meanwhile, and take them with their first chunk of work.
            self._prepared = self._pool.submit(_prepare_shared, tuple(checks), references)
            for _ in range(self.workers - 1):
                self._pool.submit(_ready)

    @property
    def started(self) -> bool:
        """Whether the pool has worker processes (False: the work runs in the caller)."""
        return self._pool is not None

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """``function(*args)`` in a worker (it reads the seed with :func:`worker_seed`)."""
        if self._pool is None:
            raise RuntimeError("this pool has no worker processes")
        return self._pool.submit(function, *args)

    def prepared(self) -> _Prepared:
        """The checks as the worker that prepared them pickled them (None: they do not
        pickle, and each worker prepares its own); waits for them."""
        if self._prepared is None:
            raise RuntimeError("this pool has no worker processes")
        return self._prepared.result()

    def map(self, function: Callable[[Any], T], tasks: Iterable[Any]) -> Iterator[T]:
        """``function`` on each task in the workers, the results in order."""
        if self._pool is None:
            raise RuntimeError("this pool has no worker processes")
        return self._pool.map(function, tasks)

    def close(self, *, cancel: bool = False) -> None:
        """End the workers, after the tasks they were given (``cancel``: after those they
        have started only)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=cancel)
            self._pool = None

    def __enter__(self) -> CheckPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(cancel=kind is not None)  # an error: the queued work is not wanted


def worker_seed() -> Sequence[str]:
    """In a :class:`CheckPool` worker: the seed sentences the pool was started with."""
    context: Context = _WORKER["context"]
    return context.sentences


def _made_for(seed: Sequence[str], checks: Sequence[Check], language: str) -> tuple[Any, ...]:
    """What a pool must have been made for to check ``seed``."""
    return (len(seed), language, tuple(c.name for c in checks))


def _ready() -> None:
    """A task that does nothing: submitted to start a worker."""


# Seed sentences per task of a worker pool (see detect_then).
CHUNK = 10_000


class _Window(Sequence[str]):
    """The sentences ``offset..offset+len(items)-1`` of a list of ``length`` sentences, indexed
    as in the whole list: what a chunk of work reads of a reference, without the rest."""

    __slots__ = ("items", "length", "offset")

    def __init__(self, items: Sequence[str], offset: int, length: int) -> None:
        self.items, self.offset, self.length = items, offset, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        k = index - self.offset
        if not 0 <= k < len(self.items):
            raise IndexError(f"sentence {index} is outside this window of the reference")
        return self.items[k]


def _ref_slice(
    name: str,
    sentences: Sequence[str],
    alignment: Alignment,
    starts: Sequence[int],
    lo: int,
    hi: int,
) -> tuple[str, Sequence[str], Alignment]:
    """A reference reduced to the beads that start in seed sentences ``lo..hi-1`` and the
    reference sentences they hold."""
    beads = _beads_in(alignment, starts, lo, hi)
    if isinstance(beads, LineBeads):  # lines first..first+len-1 of the reference
        first, last = beads.first, beads.first + len(beads) - 1
    else:
        used = [j for bead in beads for j in bead.ref]
        first, last = min(used, default=0), max(used, default=-1)
    window = _Window(texts_part(sentences, first, last + 1), first, len(sentences))
    return name, window, Alignment(beads)


# What a pool worker keeps between its tasks: the seed, and the prepared checkers with the
# pickle they came from (see _checkers).
_WORKER: dict[str, Any] = {}
# Prepared checkers pickled by the worker that prepared them, the seed (the context) left out
# (a persistent id): bytes, or None when they do not pickle.
_Prepared = bytes | None
_CONTEXT_ID = "context"


def _start_worker(context: Context) -> None:
    _WORKER["context"] = context
    settle_worker_gc()


def _prepare_shared(checks: Sequence[Check], has_references: bool) -> _Prepared:
    """In a worker: prepare the checks, keep them, and return them pickled for the others."""
    checkers = _prepare(checks, _WORKER["context"], has_references)
    try:
        blob = _dumps(checkers, _WORKER["context"])
    except Exception:  # a plug-in check's prepared state that does not pickle
        blob = None
    _WORKER["checkers"] = (blob, checkers)
    settle_worker_gc()
    return blob


def _checkers(
    checks: Sequence[Check], has_references: bool, prepared: _Prepared
) -> tuple[list[Checker], list[Checker]]:
    """In a worker: the prepared checkers, loaded from ``prepared`` the first time (prepared
    here when they do not pickle)."""
    held = _WORKER.get("checkers")
    if held is not None and held[0] == prepared:  # prepared or loaded here already
        return held[1]
    context: Context = _WORKER["context"]
    if prepared is None:
        checkers = _prepare(checks, context, has_references)
    else:
        checkers = _loads(prepared, context)
    _WORKER["checkers"] = (prepared, checkers)
    settle_worker_gc()
    return checkers


class _Pickler(pickle.Pickler):
    """Pickles a document's prepared checks without the document: its context, seed and
    source become references (persistent ids) to the copies every worker holds."""

    def __init__(self, buffer: io.BytesIO, context: Context) -> None:
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        shared = {_CONTEXT_ID: context, "sentences": context.sentences, "source": context.source}
        self.shared = {id(v): k for k, v in shared.items() if v is not None}

    def persistent_id(self, obj: Any) -> str | None:
        return self.shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    """Loads what :class:`_Pickler` pickled, its references resolved to this process's
    context."""

    def __init__(self, buffer: io.BytesIO, context: Context) -> None:
        super().__init__(buffer)
        self.shared = {
            _CONTEXT_ID: context,
            "sentences": context.sentences,
            "source": context.source,
        }

    def persistent_load(self, pid: Any) -> Any:
        return self.shared[pid]


def _dumps(value: object, context: Context) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, context).dump(value)
    return buffer.getvalue()


def _loads(blob: bytes, context: Context) -> Any:
    return _Unpickler(io.BytesIO(blob), context).load()


def _run_chunk(
    task: tuple[References, Then[T], int, int, tuple[Sequence[Check], bool, _Prepared]],
) -> list[T]:
    references, then, lo, hi, (checks, has_references, prepared) = task
    context: Context = _WORKER["context"]
    pair, free = _checkers(checks, has_references, prepared)
    return _check_range(context.sentences, references, pair, free, then, lo, hi)


def _run(
    seed: Sequence[str],
    references: References,
    checks: Sequence[Check],
    context: Context,
    then: Then[T],
    lo: int,
    hi: int,
) -> list[T]:
    """Prepare the checks once, then check and hand over sentences ``lo..hi-1`` block by
    block (no bead is cut between two blocks)."""
    pair, free = _prepare(checks, context, bool(references))
    return _check_range(seed, references, pair, free, then, lo, hi)


def _check_range(
    seed: Sequence[str],
    references: References,
    pair: Sequence[Checker],
    free: Sequence[Checker],
    then: Then[T],
    lo: int,
    hi: int,
) -> list[T]:
    """Check and hand over sentences ``lo..hi-1`` block by block with prepared checkers."""
    starts = [_bead_starts(alignment) for _, _, alignment in references]
    available = len(references)
    out: list[T] = []
    for b_lo, b_hi in _blocks(lo, hi, references):
        block = [
            (name, sentences, Alignment(_beads_in(alignment, first, b_lo, b_hi)))
            for (name, sentences, alignment), first in zip(references, starts, strict=True)
        ]
        found = _collect(seed, block, pair, free, b_lo, b_hi)
        flags = [_flags(seed[i], found[i - b_lo], available) for i in range(b_lo, b_hi)]
        out.extend(then(seed, block, b_lo, b_hi, flags))
    return out


def _prepare(
    checks: Sequence[Check], context: Context, has_references: bool
) -> tuple[list[Checker], list[Checker]]:
    """The checkers of each kind: pair ones (only with references) and sentence ones."""
    pair: list[Checker] = []
    free: list[Checker] = []
    for check in checks:
        kinds = check.kinds
        reads_pairs = Kind.pair in kinds and has_references
        reads_sentences = (
            Kind.free in kinds
            or Kind.document in kinds
            or (Kind.source in kinds and context.source is not None)
        )
        if not (reads_pairs or reads_sentences):
            continue
        checker = check.prepare(context)
        if reads_pairs:
            pair.append(checker)
        if reads_sentences:
            free.append(checker)
    return pair, free


def _bead_starts(alignment: Alignment) -> Sequence[int]:
    """For each bead, the first seed sentence at or after it (monotone, for bisection)."""
    beads = alignment.beads
    if isinstance(beads, LineBeads):  # bead k holds line first + k
        return range(beads.first, beads.first + len(beads))
    starts, nxt = [0] * len(alignment.beads), 0
    for k in range(len(alignment.beads) - 1, -1, -1):
        seed = alignment.beads[k].seed
        if seed:
            nxt = seed[0]
        starts[k] = nxt
    # Beads after the last seed sentence (reference-only) sort at the end.
    last = max((b.seed[-1] for b in alignment.beads if b.seed), default=-1)
    for k in range(len(starts) - 1, -1, -1):
        if alignment.beads[k].seed:
            break
        starts[k] = last + 1
    return starts


def _beads_in(alignment: Alignment, starts: Sequence[int], lo: int, hi: int) -> Sequence[Bead]:
    """The beads with a seed sentence that starts in ``lo..hi-1``."""
    if isinstance(alignment.beads, LineBeads):
        return alignment.beads.part(lo, hi)
    a, b = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
    return tuple(bead for bead in alignment.beads[a:b] if bead.seed and lo <= bead.seed[0] < hi)


def _blocks(lo: int, hi: int, references: References) -> list[tuple[int, int]]:
    """``lo..hi`` in blocks of about :data:`BLOCK` sentences; no bead of any reference is cut."""
    inside = _inside(references)
    bounds, start = [], lo
    cut = lo + BLOCK
    while cut < hi:
        while cut in inside:
            cut += 1
        if cut >= hi:
            break
        bounds.append((start, cut))
        start, cut = cut, cut + BLOCK
    bounds.append((start, hi))
    return bounds


def _inside(references: References) -> set[int]:
    """The seed sentences that are not the first of their bead in some reference (no block
    or chunk of work may start there)."""
    return {
        i
        for _, _, a in references
        if not isinstance(a.beads, LineBeads)  # one line each
        for b in a.beads
        for i in b.seed[1:]
    }


def _flags(sentence: str, found: _Found, available: int) -> tuple[Flag, ...]:
    flags = [
        Flag(
            id=flag_id(f.category, sentence, sentence[f.start : f.end]),
            category=f.category,
            severity=f.severity,
            start=f.start,
            end=f.end,
            message=f.message,
            references=tuple(names),
            available=available if names else 0,
        )
        for f, names in found.values()
    ]
    flags.sort(key=flag_sort_key)
    return tuple(flags)


def _collect(
    seed: Sequence[str],
    references: References,
    pair: Sequence[Checker],
    free: Sequence[Checker],
    lo: int,
    hi: int,
) -> list[_Found]:
    """Findings, with the references that support them, for seed sentences ``lo..hi-1``
    (``references`` holds the beads that start there)."""
    found: list[_Found] = [{} for _ in range(lo, hi)]
    for name, ref_sentences, alignment in references:
        for bead in alignment.beads:
            if not bead.seed or not lo <= bead.seed[0] < hi:
                continue
            if not bead.ref:
                for i in bead.seed:
                    _add(found[i - lo], _unmatched(seed[i]), name)
                continue
            ref_text = " ".join(ref_sentences[j] for j in bead.ref)
            if len(bead.seed) == 1:
                i = bead.seed[0]
                text = seed[i]  # read once: a packed seed decodes it on every read
                for checker in pair:
                    for finding in checker.pair(text, ref_text):
                        _add(found[i - lo], finding, name)
                continue
            # Several seed sentences share the reference text (a 2-1 bead): check them joined,
            # as one text against it, then give each finding to the sentence it starts in.
            joined, offsets = _join([seed[i] for i in bead.seed])
            for checker in pair:
                for finding in checker.pair(joined, ref_text):
                    k = bisect.bisect_right(offsets, finding.start) - 1
                    i, base = bead.seed[k], offsets[k]
                    end = min(finding.end - base, len(seed[i]))
                    if finding.start - base < len(seed[i]) and end > finding.start - base:
                        moved = dataclasses.replace(finding, start=finding.start - base, end=end)
                        _add(found[i - lo], moved, name)
    for i in range(lo, hi):
        for checker in free:
            for finding in checker.sentence(i):
                _add(found[i - lo], finding, None)
    return found


def _chunk_bounds(
    n: int, references: Sequence[tuple[str, Sequence[str], Alignment]], parts: int
) -> list[tuple[int, int]]:
    """About equal ranges of seed sentences; no bead of any reference is cut in two."""
    inside = _inside(references)
    bounds, lo = [], 0
    for k in range(1, parts):
        cut = max(lo, n * k // parts)
        while cut in inside:
            cut += 1
        if lo < cut < n:
            bounds.append((lo, cut))
            lo = cut
    bounds.append((lo, n))
    return bounds


def divergences(
    seed: Sequence[str], references: Sequence[tuple[str, Sequence[str], Alignment]]
) -> list[float | None]:
    """How far each seed sentence is from the closest reference text aligned to it, in [0, 1].

    The divergence from one reference is the character-level normalised Levenshtein
    distance (``rapidfuzz``) of the whitespace- and case-normalised texts, 1 for a sentence
    that reference leaves unmatched; with several references the closest one counts, as in
    multi-reference metrics (two good translations may differ from each other a lot).
    The sentences of a 2-1 bead share the divergence of their joined text.
    None for every sentence when there is no reference.
    """
    if not references:
        return [None] * len(seed)
    best = [1.0] * len(seed)
    for _, ref_sentences, alignment in references:
        for bead in alignment.beads:
            if not bead.seed or not bead.ref:
                continue
            # A 2-1 bead compares the two seed sentences together with the reference sentence.
            distance = Levenshtein.normalized_distance(
                _fold(" ".join(seed[i] for i in bead.seed)),
                _fold(" ".join(ref_sentences[j] for j in bead.ref)),
            )
            for i in bead.seed:
                if distance < best[i]:
                    best[i] = distance
    rounded: dict[float, float] = {}  # one float object per value, not one per sentence
    return [rounded.setdefault(r, r) for r in (round(d, 4) for d in best)]


def suspicion(
    flags: Sequence[Flag],
    divergence: float | None = None,
    *,
    model: SuspicionModel = SuspicionModel(),  # frozen, so safe as a default
) -> float:
    """Suspicion in [0, 1]: grows with severity, with how many references agree, and with
    how far the sentence is from its references (``divergence``, None without references)."""
    reliability = model.reliability
    mass = sum(
        f.severity.weight
        * f.agreement
        * reliability.get(f"{f.category.value}:{f.severity.value}", _UNCALIBRATED)
        for f in flags
    )
    if divergence is not None:
        mass += model.divergence_weight * divergence
    return round(1.0 - math.exp(-mass / model.scale), 4)


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _add(
    found: dict[tuple[Category, int, int], tuple[Finding, list[str]]],
    finding: Finding,
    reference: str | None,
) -> None:
    key = (finding.category, finding.start, finding.end)
    entry = found.setdefault(key, (finding, []))
    if reference is not None and reference not in entry[1]:
        entry[1].append(reference)


def _join(sentences: Sequence[str]) -> tuple[str, list[int]]:
    """The sentences joined by spaces, and the offset of each one in the joined text."""
    offsets, position = [], 0
    for sentence in sentences:
        offsets.append(position)
        position += len(sentence) + 1
    return " ".join(sentences), offsets


def _unmatched(sentence: str) -> Finding:
    stripped = sentence.strip()
    start = sentence.find(stripped[:1]) if stripped else 0
    return Finding(
        Category.addition,
        Severity.major,
        start,
        max(start + 1, start + len(stripped)),
        "this sentence has no counterpart in the reference: an addition, or the reference "
        "left it out",
    )
