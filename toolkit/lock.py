"""An exclusive lock for a read-modify-write of a small shared file (the waivers file).

The lock is a file beside the (link-resolved) target, ``.<name>.lock``, so that two paths or
symbolic links to one file share one lock.  On POSIX it is held with ``fcntl.flock`` and the
lock file stays in place: deleting it would let a third process lock a new file while a second
still waits on the old one.  Elsewhere the lock file itself is the lock (created with
``O_EXCL``, removed on release).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import TransdiffError
from toolkit.paths import real_path

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

__all__ = ["DEFAULT_TIMEOUT", "exclusive_lock", "lock_path"]

DEFAULT_TIMEOUT = 60.0  # seconds; the lock is held for one read and one write of a small file
_POLL = 0.01


def lock_path(path: str | Path) -> Path:
    """The lock file of ``path``: ``.<name>.lock`` beside the file ``path`` finally points to."""
    real = real_path(path)
    return real.with_name(f".{real.name}.lock")


@contextlib.contextmanager
def exclusive_lock(path: str | Path, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (which need not exist) for the ``with`` block.

    Raises:
        TransdiffError: The lock file cannot be created, or another process held the lock for
            longer than ``timeout`` seconds.
    """
    lock = lock_path(path)
    if fcntl is not None:
        with _flock(path, lock, timeout):
            yield
    else:
        with _exclusive_file(path, lock, timeout):
            yield


def _busy(path: str | Path, lock: Path, timeout: float, *, stale_hint: bool) -> TransdiffError:
    # A flock dies with its process; a lock file left by a crash has to be removed by hand.
    hint = f" (or delete {lock} if no transdiff is running)" if stale_hint else ""
    return TransdiffError(f"{path}: locked by another process for {timeout:g} s; try again{hint}")


@contextlib.contextmanager
def _flock(path: str | Path, lock: Path, timeout: float) -> Iterator[None]:
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        message = f"{path}: cannot create the lock file {lock} ({exc.strerror})"
        raise TransdiffError(message) from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _busy(path, lock, timeout, stale_hint=False) from None
                time.sleep(_POLL)
        yield  # closing the descriptor releases the lock, also when the process dies
    finally:
        os.close(fd)


@contextlib.contextmanager
def _exclusive_file(path: str | Path, lock: Path, timeout: float) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise _busy(path, lock, timeout, stale_hint=True) from None
            time.sleep(_POLL)
        except OSError as exc:
            raise TransdiffError(
                f"{path}: cannot create the lock file {lock} ({exc.strerror})"
            ) from exc
    os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
