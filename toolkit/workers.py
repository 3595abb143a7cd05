"""How many worker processes a run may start: never more than the cores it can use.

A process per requested job is a trap: ``--jobs 1000`` on a long document once started
hundreds of interpreters, each with a copy of the document, and woke the OOM killer.  Every
process pool in transdiff is sized by :func:`worker_count`.
"""

from __future__ import annotations

import os

__all__ = ["usable_cores", "worker_count"]


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
