"""The source side of a run: read from a source file or from the seed's units, in its language."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.formats import UnitDocument
from toolkit.lang import resolve
from toolkit.segment import Segment, segment_document, segment_texts
from toolkit.source import SourceSide, pair_source, unit_sources
from toolkit.source.cues import cues

__all__ = ["source_side"]

# Below this share of seed sentences with a source, the source is probably not this text's.
_WARN_MATCHED = 0.5


def source_side(
    seed: Document,
    seed_segments: Sequence[Segment],
    source: Document | None,
    *,
    language: str | None,
    seed_language: str,
    segmented: bool,
) -> tuple[SourceSide | None, list[str]]:
    """The source paired with the seed, and what the user should know about it.

    Args:
        seed: The seed document (its units carry their sources in TMX, XLIFF and PO).
        seed_segments: Its segments.
        source: The source document given (``--source``), if any; it wins over the units.
        language: The source language given (``--source-lang``); None: the one a unit file
            declares, else the one identified in the source's text.
        seed_language: The seed's language code.
        segmented: The run treats every line as a segment (and so the source's lines too).

    Raises:
        InputError: The source file has no text.
    """
    declared = seed.languages[0] if isinstance(seed, UnitDocument) else ""
    texts = segment_texts(seed_segments)
    if source is None:
        if not isinstance(seed, UnitDocument):
            return None, []
        sources = [u.source for u in seed.units]
        code = resolve(language, declared=(declared,), text="\n".join(sources))[0].code
        side = unit_sources(seed_segments, sources, language=code)
        return side, _warnings(side, seed_language, texts) if side else []
    if not source.text.strip():
        raise InputError(f"{source.path}: the source is empty (only white space)")
    found = resolve(language, text=source.text)[0]
    segments = segment_document(source, segmented=segmented, language=found.sentencex)
    side = pair_source(
        seed_segments,
        segments,
        language=found.code,
        path=source.path,
        seed_language=seed_language,
    )
    return side, [*source.warnings, *_warnings(side, seed_language, texts)]


def _warnings(side: SourceSide, seed_language: str, seed: Sequence[str]) -> list[str]:
    out = []
    where = side.path or "the units' source"
    if side.language == seed_language:
        out.append(
            f"{where}: the source looks like {side.language}, the seed's language: is it a "
            "reference? (give it as a reference instead)"
        )
    if side.matched_share < _WARN_MATCHED:
        out.append(
            f"{where}: only {side.matched_share:.0%} of the seed's sentences found their source; "
            "check that it is the original of this text, in the same order"
        )
    elif (clash := _clashes(side, seed)) is not None:
        out.append(
            f"{where}: {clash:.0%} of the sentences that carry numbers or names found no source "
            "or share none with their source; check that the source is this text's original, "
            "in the same order"
        )
    return out


def _clashes(side: SourceSide, seed: Sequence[str]) -> float | None:
    """The share of the seed's sentences that found no source though they carry numbers, or a
    source where both carry numbers or Latin-script names and share none, when it is a majority
    of at least three such sentences (else None).  A source in another order shows as either:
    the aligner leaves a sentence unpaired when its numbers are not on the other side."""
    both = clashing = 0
    seen: set[int] = set()
    for i, text in enumerate(side.texts):
        if text is None:
            # a number, not a name: every capitalised first word reads as a name
            if any(c.startswith("#") for c in cues(seed[i])):
                both += 1
                clashing += 1
            continue
        if text.seed[0] in seen:
            continue
        seen.add(text.seed[0])
        seed_cues = frozenset().union(*(cues(seed[k]) for k in text.seed))
        source_cues = cues(text.text)
        if seed_cues and source_cues:
            both += 1
            clashing += not seed_cues & source_cues
    return clashing / both if both >= 3 and clashing * 2 > both else None
