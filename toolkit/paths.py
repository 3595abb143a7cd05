"""Output paths: where an output file goes, and never onto an input.

A path is compared by what it points to, not by how it is spelt: symbolic links and ``..`` are
resolved (``os.path.realpath``), and existing files are also compared by device and inode, which
catches hard links and other spellings on a case-insensitive file system.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from toolkit.errors import UsageError

__all__ = ["check_outputs", "output_file", "real_path"]

_Key = tuple[int, int]  # (st_dev, st_ino)


def real_path(path: str | Path) -> Path:
    """``path`` with every symbolic link and ``..`` resolved, whether or not it exists.

    ``os.path.realpath`` rather than ``Path.resolve``: it does not raise on a link loop.
    """
    return Path(os.path.realpath(os.path.abspath(path)))


def check_distinct(paths: Sequence[str | Path], *, what: str) -> None:
    """Refuse a file given twice (after symbolic links) among ``paths``.

    Raises:
        UsageError: Two of ``paths`` are the same file; the message names both spellings.
    """
    seen: dict[Path, str | Path] = {}
    for path in paths:
        real = real_path(path)
        if real in seen:
            raise UsageError(
                f"{path}: this {what} is given twice (also as {seen[real]}); list each {what} once"
            )
        seen[real] = path


def _inode(path: str | Path) -> _Key | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing, unreadable folder, NUL in the name
        return None
    return st.st_dev, st.st_ino


class _Index:
    """Paths looked up by resolved name and by inode (built once: a batch has many of them)."""

    def __init__(self, paths: Iterable[str | Path | None]) -> None:
        self.by_name: dict[Path, str | Path] = {}
        self.by_inode: dict[_Key, str | Path] = {}
        for path in paths:
            if path is None:
                continue
            self.by_name.setdefault(real_path(path), path)
            key = _inode(path)
            if key is not None:
                self.by_inode.setdefault(key, path)

    def find(self, real: Path) -> str | Path | None:
        """The indexed path that is ``real`` (resolved), if any."""
        if real in self.by_name:
            return self.by_name[real]
        key = _inode(real)
        return None if key is None else self.by_inode.get(key)

    def find_folder(self, real: Path) -> str | Path | None:
        """The indexed folder that is ``real`` or holds it (at any depth), if any."""
        for candidate in (real, *real.parents):
            found = self.find(candidate)
            if found is not None:
                return found
        return None


def check_outputs(
    outputs: Iterable[str | Path],
    *,
    inputs: Iterable[str | Path | None] = (),
    folders: Iterable[str | Path | None] = (),
    what: str = "output file",
) -> None:
    """Refuse to write any of ``outputs`` when that would overwrite or land among the inputs.

    Args:
        outputs: The files (or folder) about to be written.
        inputs: Files the run reads; None entries are skipped.
        folders: Folders the run reads; no output may be one of them or lie inside one.
        what: What the outputs are, for the message ("output file", "waivers file", ...).

    Raises:
        UsageError: An output is an input file, or is or lies inside an input folder.
    """
    files, dirs = _Index(inputs), _Index(folders)
    for path in outputs:
        real = real_path(path)
        source = files.find(real)
        if source is not None:
            raise UsageError(
                f"{path}: the {what} would overwrite the input {source}; write it elsewhere"
            )
        folder = dirs.find_folder(real) if dirs.by_name else None
        if folder is not None:
            raise UsageError(
                f"{path}: the {what} lies inside the input folder {folder}; write it elsewhere"
            )


def output_file(out: str | Path, name: str) -> Path:
    """The file to write for ``--out OUT``: ``OUT/name`` when ``OUT`` names a folder, else ``OUT``.

    ``OUT`` names a folder when it ends with a path separator (``review/``) or is an existing
    folder; a missing folder is not created (writing then fails with a one-line error).

    Raises:
        UsageError: ``OUT`` is empty.
    """
    text = os.fspath(out)
    if not text:
        raise UsageError("the output path is empty; give a file or a folder")
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    if text.endswith(separators) or Path(text).is_dir():
        return Path(text) / name
    return Path(text)
