"""Atomic writing: an output file is complete on disk or not there at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from toolkit.errors import TransdiffError

__all__ = ["write_atomic"]

# A temporary file is ".<name>.<random>.tmp" beside its target; O_EXCL makes it ours alone.
_TMP_ATTEMPTS = 100


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _link_target(path: Path) -> Path:
    """The file a symbolic link ``path`` finally points to (``path`` itself if not a link).

    Raises:
        TransdiffError: The links form a loop.
    """
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if real.is_symlink():  # realpath stops where the links go round in a circle
        raise TransdiffError(f"{path}: the symbolic links form a loop; give another file")
    return real


def _create_tmp(folder: Path, name: str) -> tuple[int, Path]:
    """A new temporary file beside ``folder/name``, opened for writing (mode 0600 for now)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TMP_ATTEMPTS):
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
        except BaseException:
            # An interrupt (SIGTERM turned into an exception) can land after os.open created
            # the file and before its descriptor came back: the random name is ours, remove it.
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    raise FileExistsError(f"no free temporary name for {name} in {folder}")


def write_atomic(path: str | Path, text: str | Iterable[str], *, encoding: str = "utf-8") -> None:
    """Write ``text`` (or its pieces, one after the other) to a temporary file beside ``path``,
    then rename it over ``path``.

    A symbolic link ``path`` is written *through*: its target is replaced (atomically) and the
    link stays, so a file shared by links gets the update.  The temporary file is removed on
    any error or interrupt (KeyboardInterrupt, or a signal the caller turned into one).

    Raises:
        TransdiffError: The folder does not exist, is not writable, or ``path`` is a folder or
            a loop of symbolic links.
        OSError: Writing failed (a full disk, a lost mount); nothing is left behind.
    """
    given = Path(path)
    target = _link_target(given)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TransdiffError(f"{given}: the folder {folder} does not exist")
    if target.is_dir():
        raise TransdiffError(f"{given}: is a directory; give a file name for the report")
    try:
        fd, tmp = _create_tmp(folder, target.name)
    except OSError as exc:
        raise TransdiffError(f"{given}: cannot write there ({exc.strerror or exc})") from exc
    try:
        # A new file gets the mode an ordinary new file would (0666 less the umask); a replaced
        # file keeps its mode.
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            os.fchmod(fh.fileno(), _mode_for(target))
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
