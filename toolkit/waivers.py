"""Waivers: a reviewer's decision that a flag is a false positive or will not be fixed.

Waivers live in a human-readable TOML file (``transdiff.waivers.toml`` beside the seed by
default), one ``[[waiver]]`` table each.  A waiver is keyed by the flag's stable id (category,
normalised sentence text and span text): it survives edits elsewhere in the document and
re-runs, and stops applying when the sentence itself changes; it is then *stale*.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from toolkit.document import read_bytes
from toolkit.errors import InputError, UsageError
from toolkit.flags import Flag, Reason, Waiver
from toolkit.lock import exclusive_lock
from toolkit.pipeline import settle
from toolkit.report.write import write_atomic
from toolkit.result import Report
from toolkit.segment import Segment

__all__ = [
    "DEFAULT_NAME",
    "HEADER",
    "MIN_PREFIX",
    "Reason",
    "Waiver",
    "add_waiver",
    "apply_waivers",
    "default_path",
    "find_flag",
    "make_waiver",
    "read_waivers",
    "record_waiver",
    "stale_waivers",
    "write_waivers",
]

DEFAULT_NAME = "transdiff.waivers.toml"
MIN_PREFIX = 6

HEADER = (
    "# transdiff waivers: flags a reviewer accepted. One [[waiver]] table per flag, keyed by its\n"
    "# id; a waiver stops applying when its sentence changes (`transdiff waivers --stale`).\n\n"
)


_FIELDS: Mapping[str, type | tuple[type, ...]] = {
    "id": str,
    "reason": str,
    "comment": str,
    "category": str,
    "sentence": str,
    "span": str,
    "created": (dt.date, str),
}


def default_path(seed: str | Path) -> Path:
    """Where the waivers of ``seed`` live unless another file is given: beside the seed."""
    return Path(seed).parent / DEFAULT_NAME


def read_waivers(path: str | Path) -> tuple[Waiver, ...]:
    """The waivers in ``path``, in file order; none when the file does not exist.

    Raises:
        InputError: The file is not a regular file, not valid TOML, or a waiver has an
            unknown key, a missing id or a value of the wrong type (the message names the file
            and the waiver).
    """
    path = Path(path)
    if not path.exists():  # also a dangling link: the first waiver creates its target
        return ()
    # A pipe or a device would hang or never end: refused by read_bytes before it is opened.
    raw = read_bytes(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the waivers file is not UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    extra = sorted(set(data) - {"waiver"})
    if extra:
        raise InputError(f"{path}: unknown key {extra[0]!r}; the file holds [[waiver]] tables only")
    tables = data.get("waiver", [])
    if not isinstance(tables, list):
        raise InputError(f"{path}: 'waiver' must be an array of tables: write [[waiver]]")
    return tuple(_waiver(path, n, table) for n, table in enumerate(tables, 1))


def _waiver(path: Path, n: int, table: Any) -> Waiver:
    where = f"{path}: waiver {n}"
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a [[waiver]] table")
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        known = ", ".join(_FIELDS)
        raise InputError(f"{where}: unknown key {unknown[0]!r}; known keys: {known}")
    for key, value in table.items():
        if not isinstance(value, _FIELDS[key]) or isinstance(value, dt.datetime):
            kind = "a date" if key == "created" else "a string"
            raise InputError(f"{where}: {key!r} must be {kind}, got {value!r}")
    if "id" not in table:
        raise InputError(f"{where}: no 'id'; every waiver names the flag it accepts")
    values = dict(table)
    created = values.get("created")
    if isinstance(created, str):
        try:
            values["created"] = dt.date.fromisoformat(created)
        except ValueError:
            raise InputError(f"{where}: 'created' must be an ISO date, got {created!r}") from None
    try:
        return Waiver(**values)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None


def write_waivers(path: str | Path, waivers: Iterable[Waiver]) -> None:
    """Write ``waivers`` to ``path`` atomically (complete or not at all)."""
    body = tomli_w.dumps({"waiver": [w.to_dict() for w in waivers]})
    write_atomic(path, HEADER + body)


def record_waiver(path: str | Path, waiver: Waiver) -> tuple[Waiver, ...]:
    """Add ``waiver`` to the waivers file ``path`` (or replace the one for the same flag).

    The read, the change and the atomic write happen under an exclusive lock on the file, so
    that reviewers waiving flags at the same time lose none of them.  A symbolic link ``path``
    is written through to its target.

    Returns:
        The waivers now in the file.

    Raises:
        InputError: The file is not a valid waivers file (nothing is written).
        TransdiffError: The file cannot be locked or written.
        OSError: Writing failed (a full disk); the file is unchanged.
    """
    with exclusive_lock(path):
        waivers = add_waiver(read_waivers(path), waiver)
        write_waivers(path, waivers)
    return waivers


def add_waiver(waivers: Sequence[Waiver], waiver: Waiver) -> tuple[Waiver, ...]:
    """``waivers`` with ``waiver`` appended, or in place of an earlier one for the same flag."""
    kept = [w for w in waivers if w.id != waiver.id]
    if len(kept) == len(waivers):
        return (*waivers, waiver)
    return tuple(waiver if w.id == waiver.id else w for w in waivers)


def find_flag(report: Report, prefix: str) -> tuple[Flag, Segment]:
    """The flag of ``report`` (waived or not) whose id starts with ``prefix``, and its sentence.

    Raises:
        UsageError: The prefix is shorter than :data:`MIN_PREFIX`, matches no flag, or
            matches several.
    """
    prefix = prefix.strip().lower()
    if len(prefix) < MIN_PREFIX:
        raise UsageError(
            f"flag id {prefix!r} is too short: give at least {MIN_PREFIX} characters of it"
        )
    found: dict[str, tuple[Flag, Segment]] = {}
    for segment, result in zip(report.seed_segments, report.sentences, strict=True):
        for f in (*result.flags, *result.waived):
            if f.id.startswith(prefix):
                found.setdefault(f.id, (f, segment))
    if not found:
        raise UsageError(f"no flag with id {prefix} in this run")
    if len(found) > 1:
        ids = ", ".join(sorted(found))
        raise UsageError(f"flag id {prefix} matches {len(found)} flags ({ids}); give more of it")
    return next(iter(found.values()))


def make_waiver(
    flag: Flag,
    sentence: str,
    *,
    reason: Reason = Reason.false_positive,
    comment: str = "",
    created: dt.date | None = None,
) -> Waiver:
    """A waiver of ``flag`` (found in ``sentence``), dated ``created`` (default: today)."""
    return Waiver(
        id=flag.id,
        reason=reason,
        comment=comment,
        category=flag.category.value,
        sentence=" ".join(sentence.split()),
        span=sentence[flag.start : flag.end],
        created=created or dt.date.today(),
    )


def apply_waivers(report: Report, waivers: Iterable[Waiver]) -> Report:
    """``report`` with the flags that ``waivers`` accept moved from ``flags`` to ``waived``
    and suspicion computed from the remaining flags (:func:`toolkit.pipeline.settle`; a run
    given its waivers up front, as :func:`toolkit.review.review_files` does, settles once).
    ``Report.waivers`` holds the waivers that applied."""
    return settle(report, waivers=waivers)


def stale_waivers(report: Report, waivers: Iterable[Waiver]) -> tuple[Waiver, ...]:
    """The waivers that match no flag of ``report`` (their sentence changed or was fixed)."""
    ids = {f.id for s in report.sentences for f in (*s.flags, *s.waived)}
    return tuple(w for w in waivers if w.id not in ids)
