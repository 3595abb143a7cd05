"""Run the stages in order: read -> segment -> align, into one :class:`Report`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit import __version__
from toolkit.align import align
from toolkit.document import Document, read_document
from toolkit.errors import UsageError
from toolkit.result import ReferenceResult, Report, RunSettings, SentenceResult
from toolkit.segment import segment_document, segmenter_signature

__all__ = ["compare_documents", "compare_files", "reference_names"]


def compare_files(
    seed: str | Path, references: Sequence[str | Path], *, settings: RunSettings | None = None
) -> Report:
    """Read a seed file and reference files and compare them.

    Raises:
        InputError: A file cannot be read as text.
        UsageError: The seed is also given as a reference.
    """
    settings = settings or RunSettings()
    seed_path = Path(seed)
    for ref in references:
        if Path(ref).resolve() == seed_path.resolve():
            raise UsageError(
                f"{ref}: the seed is also given as a reference; drop it from the references"
            )
    seed_doc = read_document(seed_path, encoding=settings.encoding)
    ref_docs = [read_document(r, encoding=settings.encoding) for r in references]
    return compare_documents(seed_doc, ref_docs, settings=settings)


def compare_documents(
    seed: Document, references: Sequence[Document], *, settings: RunSettings | None = None
) -> Report:
    """Segment the seed and every reference, and align the seed with each reference."""
    settings = settings or RunSettings()
    seed_segments = segment_document(seed, segmented=settings.segmented)
    seed_texts = [s.text for s in seed_segments]
    results = []
    warnings: list[str] = []
    for name, doc in zip(reference_names([d.path for d in references]), references, strict=True):
        segments = segment_document(doc, segmented=settings.segmented)
        alignment = align(seed_texts, [s.text for s in segments], settings=settings.align)
        warnings.extend(f"{name}: {w}" for w in alignment.warnings)
        results.append(ReferenceResult(name, doc, segments, alignment))
    mode = "lines" if settings.segmented else segmenter_signature()
    signature = f"transdiff:{__version__}|segmenter:{mode}|{settings.align.signature}"
    return Report(
        seed=seed,
        seed_segments=seed_segments,
        references=tuple(results),
        sentences=tuple(SentenceResult(s.id) for s in seed_segments),
        settings=settings,
        signature=signature,
        warnings=tuple(warnings),
    )


def reference_names(paths: Sequence[str]) -> list[str]:
    """Short unique names for references: the file stem, numbered when two stems clash."""
    stems = [Path(p).stem or Path(p).name for p in paths]
    names = []
    for k, stem in enumerate(stems):
        names.append(stem if stems.count(stem) == 1 else f"{stem}-{k + 1}")
    return names
