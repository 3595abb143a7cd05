"""Which references belong to which document of a batch: the pairing rule.

:func:`pair_documents`: a document is a file ``seed_dir/<stem><suffix>`` with a
suffix in :data:`SEED_SUFFIXES` (not hidden, not in a sub-folder).  Its references, in this
order, are:

1. ``refs_dir/<stem><suffix>``: the file of the same name;
2. ``refs_dir/<stem>.<label><suffix>``: for several references (``doc.alt.txt``,
   ``doc.postedit.txt``); when two documents' stems could both claim a file (``a`` and ``a.b``
   for ``a.b.c.txt``) the longer stem wins, and a file named exactly like a document is that
   document's reference only;
3. ``refs_dir/<stem>/*<suffix>``: every file in a sub-folder named after the document.

Each group is sorted by name.  A document with no reference runs reference-free (segmentation
and the reference-free checks) and is recorded as such; reference files that no document
claims are listed in the index as ``unpaired_references``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError, UsageError
from toolkit.report.formats import Format, output_format

__all__ = ["INDEX_FILES", "SEED_SUFFIXES", "Pairing", "pair_documents"]

# Suffixes read as documents (the pipeline reads plain text; add a suffix here when it reads more).
SEED_SUFFIXES: tuple[str, ...] = (".txt",)
# The batch's own files in the output folder: no report may take their names.
INDEX_FILES = ("index.json", "index.html")


@dataclass(frozen=True, slots=True)
class Pairing:
    """One document and the references found for it by the pairing rule."""

    seed: Path
    references: tuple[Path, ...]
    report: str  # file name of its report in the output folder
    source: Path | None = None  # the original it translates (batch --sources)


def _listing(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _is_seed(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SEED_SUFFIXES


def pair_documents(
    seed_dir: str | Path, refs_dir: str | Path | None, *, fmt: Format = Format.html
) -> tuple[list[Pairing], list[Path]]:
    """Find the documents of ``seed_dir`` and their references (the rule is in the module doc).

    Returns:
        The pairings in name order, and the reference files that no document claims.

    Raises:
        InputError: A folder is missing or is not a folder.
        UsageError: ``seed_dir`` holds no document.
    """
    seed_dir = Path(seed_dir)
    for folder, what in ((seed_dir, "input"), (refs_dir, "references")):
        if folder is None:
            continue
        if not Path(folder).exists():
            raise InputError(f"{folder}: no such folder ({what})")
        if not Path(folder).is_dir():
            raise InputError(f"{folder}: is a file, not a folder ({what})")
    seeds = [p for p in _listing(seed_dir) if _is_seed(p)]
    if not seeds:
        kinds = ", ".join(f"*{s}" for s in SEED_SUFFIXES)
        raise UsageError(f"{seed_dir}: no documents ({kinds}) in this folder")
    claimed: dict[Path, list[Path]] = {s: [] for s in seeds}
    unpaired: list[Path] = []
    if refs_dir is not None:
        refs_dir = Path(refs_dir)
        by_name = {s.name: s for s in seeds}
        # Longest stem first, so that "a.b.c.txt" goes to "a.b.txt" rather than "a.txt".
        by_stem = sorted(seeds, key=lambda s: len(s.stem), reverse=True)
        exact: dict[Path, Path] = {}
        labelled: dict[Path, list[Path]] = {s: [] for s in seeds}
        for ref in _listing(refs_dir):
            if ref.is_dir():
                continue
            if ref.name in by_name:
                exact[by_name[ref.name]] = ref
                continue
            owner = next(
                (
                    s
                    for s in by_stem
                    if ref.name.startswith(s.stem + ".")
                    and ref.suffix.lower() == s.suffix.lower()
                    and len(ref.name) > len(s.stem) + 1 + len(s.suffix)
                ),
                None,
            )
            if owner is None:
                unpaired.append(ref)
            else:
                labelled[owner].append(ref)
        for seed in seeds:
            refs = [exact[seed]] if seed in exact else []
            refs += labelled[seed]
            folder = refs_dir / seed.stem
            if folder.is_dir():
                refs += [
                    p
                    for p in _listing(folder)
                    if p.is_file() and p.suffix.lower() == seed.suffix.lower()
                ]
            claimed[seed] = refs
    names = _report_names([s.stem for s in seeds], output_format(fmt).extension)
    pairings = [
        Pairing(seed, tuple(claimed[seed]), name) for seed, name in zip(seeds, names, strict=True)
    ]
    return pairings, unpaired


def pair_sources(pairings: list[Pairing], sources_dir: str | Path) -> list[Pairing]:
    """Give each document its original from ``sources_dir``: the file of the same name, else
    the one file of the same stem (``report.txt`` translates ``report.ru.txt`` or
    ``report.md``); a document without one runs without a source.

    Raises:
        InputError: ``sources_dir`` is missing or is not a folder.
    """
    folder = Path(sources_dir)
    if not folder.is_dir():
        what = "no such folder" if not folder.exists() else "is a file, not a folder"
        raise InputError(f"{folder}: {what} (sources)")
    files = [p for p in _listing(folder) if p.is_file()]
    out = []
    for pairing in pairings:
        same = [p for p in files if p.name == pairing.seed.name]
        stem = [p for p in files if p.name.split(".")[0] == pairing.seed.stem.split(".")[0]]
        source = same[0] if same else (stem[0] if len(stem) == 1 else None)
        out.append(dataclasses.replace(pairing, source=source))
    return out


def _report_names(stems: Sequence[str], ext: str) -> list[str]:
    """``<stem>.<ext>`` for each document, numbered where two would clash (or hit the index)."""
    taken = {name.lower() for name in INDEX_FILES}
    names = []
    for stem in stems:
        name, n = f"{stem}.{ext}", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}.{ext}"
        taken.add(name.lower())
        names.append(name)
    return names
