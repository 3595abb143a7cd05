"""How many worker processes a run may start: never more than the cores it can use.

A process per requested job is a trap: ``--jobs 1000`` on a long document once started
hundreds of interpreters, each with a copy of the document, and woke the OOM killer.  Every
process pool in transdiff is sized by :func:`worker_count`.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "GC_THRESHOLD",
    "fewer_collections",
    "settle_worker_gc",
    "usable_cores",
    "worker_count",
]


def usable_cores() -> int:
    """CPU cores this process may use (its affinity mask where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int, tasks: int) -> int:
    """Worker processes for ``tasks`` pieces of work when ``jobs`` were asked for.

    At most ``jobs``, ``tasks`` and :func:`usable_cores`; at least 1 (1 means: run in this
    process, start none).
    """
    return max(1, min(jobs, tasks, usable_cores()))


# Objects allocated between two young-generation collections while a long document is
# compared: CPython's default (700) collects every few sentences, and each full collection
# walks every token, flag and result made so far.  The checks make no reference cycles to
# speak of; fewer collections cost a little memory (the objects of one threshold).
GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with :data:`GC_THRESHOLD` (the checks of a long document about a sixth
    faster), then restore the garbage collector's thresholds."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def settle_worker_gc() -> None:
    """In a worker process, once it has prepared its work: what exists now (the seed, the
    prepared checks) is left out of every later collection, and collections are rarer."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
