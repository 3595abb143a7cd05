"""Atomic writing: a report is complete on disk or not there at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from toolkit.errors import TransdiffError

__all__ = ["write_atomic"]


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``.

    Raises:
        TransdiffError: The folder does not exist or is not writable.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TransdiffError(f"{target}: the folder {folder} does not exist")
    if target.is_dir():
        raise TransdiffError(f"{target}: is a directory; give a file name for the report")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TransdiffError(f"{target}: cannot write there ({exc.strerror})") from exc
    try:
        # mkstemp creates the file 0600; a report gets the mode an ordinary new file would
        # (0666 less the umask), or keeps the mode of the file it replaces.
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
