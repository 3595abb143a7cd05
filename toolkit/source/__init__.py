"""The source as arbiter: the seed checked against the text it translates.

:func:`pair_source` finds, for each seed sentence, the source it translates: from the units of
a TMX, XLIFF or PO seed (each unit pairs them already), or by aligning a source document with
the seed (:mod:`toolkit.source.align`).  The source checks (:mod:`toolkit.source.checks`) then
run like any other check, and :func:`toolkit.source.arbiter.arbitrate` settles the
reference-based flags the source can judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.checks import SourceText
from toolkit.segment import Segment
from toolkit.source.align import SourceBead, align_source_paragraphs

__all__ = ["SourceSide", "pair_source", "paragraphs"]


@dataclass(frozen=True, slots=True)
class SourceSide:
    """The source of a run, paired with the seed.

    Attributes:
        path: The source file ("" when the seed's units carry it).
        language: The source's language code.
        texts: For each seed sentence, the source it translates (None: none found).
        beads: The source alignment: (seed sentence indices, source segment indices).
        segments: The source's segments.
    """

    path: str
    language: str
    texts: tuple[SourceText | None, ...]
    beads: tuple[SourceBead, ...]
    segments: Sequence[Segment]

    @property
    def matched_share(self) -> float:
        """The share of seed sentences that found their source."""
        return sum(t is not None for t in self.texts) / len(self.texts) if self.texts else 1.0

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "path": self.path,
            "language": self.language,
            "segments": len(self.segments),
            "matched_share": round(self.matched_share, 4),
            "beads": [{"seed": list(s), "source": list(t)} for s, t in self.beads],
        }


def paragraphs(segments: Sequence[Segment]) -> list[list[str]]:
    """The segments' texts grouped by paragraph, in order."""
    out: list[list[str]] = []
    last = None
    for s in segments:
        if s.paragraph != last:
            out.append([])
            last = s.paragraph
        out[-1].append(s.text)
    return out


def pair_source(
    seed: Sequence[Segment],
    source: Sequence[Segment],
    *,
    language: str,
    path: str = "",
    seed_language: str | None = None,
) -> SourceSide:
    """Align the source's segments with the seed's (paragraph by paragraph when both have as
    many paragraphs) and give each seed sentence the text of its bead's source side; with
    the seed's language too, numbers written in words count in the alignment."""
    beads = align_source_paragraphs(
        paragraphs(seed), paragraphs(source), seed_language=seed_language, source_language=language
    )
    texts: list[SourceText | None] = [None] * len(seed)
    for seed_side, source_side in beads:
        if seed_side and source_side:
            text = " ".join(source[j].text for j in source_side)
            for i in seed_side:
                texts[i] = SourceText(text, seed_side, language)
    return SourceSide(path, language, tuple(texts), tuple(beads), tuple(source))


def unit_sources(
    seed: Sequence[Segment], sources: Sequence[str], *, language: str
) -> SourceSide | None:
    """The sources a unit file pairs with its targets (line n of the seed is unit n); None
    when no unit has a source."""
    if not any(s.strip() for s in sources):
        return None
    texts: list[SourceText | None] = []
    beads: list[SourceBead] = []
    for i, segment in enumerate(seed):
        k = segment.paragraph - 1  # line mode: the paragraph is the line, the unit
        text = sources[k].strip() if 0 <= k < len(sources) else ""
        texts.append(SourceText(text, (i,), language) if text else None)
        beads.append(((i,), (k,)) if text else ((i,), ()))
    return SourceSide("", language, tuple(texts), tuple(beads), ())
