"""Line-parallel alignment: line i of the seed is the translation of line i of the reference.

This is how MT evaluation data comes (WMT test sets, sacrebleu's input): no alignment is
searched, every pair of lines is a 1-1 bead, so document scores are exactly sacrebleu's on the
same files.  Pairs that do not look alike are only reported (a warning naming them), never
moved: the user said the files are parallel, and a scorer must not second-guess that.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from concurrent.futures import Future

from toolkit.align import Alignment, AlignSettings, LineBeads
from toolkit.detect import CheckPool, worker_seed
from toolkit.packed import texts_part
from toolkit.similarity import SimilarityModel

__all__ = ["SIGNATURE", "align_parallel", "pair_similarities", "similarity_parts"]

SIGNATURE = "aligner:line-parallel"
# Pairs named in the weak-pair warning (the rest are counted).
_NAMED = 10
# Lines per similarity model (see align_parallel).
_BLOCK = 5000
# Lines per task of similarity_parts: whole blocks, so that the parts give the same values.
_PART = 10 * _BLOCK


def align_parallel(
    seed: Sequence[str],
    ref: Sequence[str],
    *,
    settings: AlignSettings | None = None,
    labels: tuple[Sequence[str], Sequence[str]] | None = None,
    similarities: Iterable[Sequence[float]] | None = None,
) -> Alignment:
    """Pair sentence i of ``seed`` with sentence i of ``ref``, each pair a 1-1 bead.

    Args:
        seed: Lines of the translation under review.
        ref: Lines of the reference, as many as ``seed``.
        settings: Aligner settings: ``threshold`` is what a pair must exceed not to be named
            in the weak-pair warning, ``confident`` and ``unrelated_below`` as in
            :func:`toolkit.align.align`.
        labels: Names of the seed and reference lines (such as ``L255``) for the warnings.
        similarities: The pairs' similarities as :func:`pair_similarities` gives them, in
            parts (such as those of :func:`similarity_parts`, measured by pool workers);
            None: measured here.

    Raises:
        ValueError: The two sides have different numbers of lines, or ``similarities``
            another number of values.
    """
    settings = settings or AlignSettings()
    n = len(seed)
    if n != len(ref):
        raise ValueError(
            f"line-parallel alignment needs as many lines on both sides: {n} and {len(ref)}"
        )
    names = labels or ([f"L{i + 1}" for i in range(n)], [f"L{i + 1}" for i in range(n)])
    if similarities is None:
        similarities = [pair_similarities(seed, ref)]
    values = array("d")
    for part in similarities:
        values.extend(part)
    if len(values) != n:
        raise ValueError(f"{len(values)} similarities for {n} line pairs")
    beads = LineBeads(values)  # 8 bytes a pair: a million beads stay small
    warnings: list[str] = []
    share = sum(v >= settings.confident for v in values) / n if n else 1.0
    if share < settings.unrelated_below:
        warnings.append(
            f"the texts look unrelated: only {share:.0%} of the {n} line pairs look alike; "
            "check that the files are line-parallel translations of the same text"
        )
    else:
        weak = [i for i, v in enumerate(values) if v < settings.threshold]
        if weak:
            shown = ", ".join(_pair_name(i, names) for i in weak[:_NAMED])
            more = f" and {len(weak) - _NAMED} more" if len(weak) > _NAMED else ""
            warnings.append(
                f"{len(weak)} of {n} line pairs look unrelated (similarity below "
                f"{settings.threshold}): {shown}{more}; they are scored as they are"
            )
    moved = next((i for i in range(n) if names[0][i] != names[1][i]), None)
    if moved is not None:
        warnings.append(
            f"the files have empty lines in different places: seed {names[0][moved]} is paired "
            f"with reference {names[1][moved]} (non-empty lines are paired in order)"
        )
    return Alignment(beads, settings, tuple(warnings))


def pair_similarities(seed: Sequence[str], ref: Sequence[str]) -> list[float]:
    """The similarity of line i of ``seed`` with line i of ``ref`` for every i, in [0, 1] and
    rounded to 4 decimals (the bead similarities of :func:`align_parallel`).

    One similarity model per block of lines: word weights counted in the block, and memory
    bounded by the block, not the file (a million lines stay a few MB here).
    """
    out: list[float] = []
    for start in range(0, len(seed), _BLOCK):
        stop = min(len(seed), start + _BLOCK)
        model = SimilarityModel(seed[start:stop], ref[start:stop])
        for k in range(stop - start):
            sim = model.similarity(k, k + 1, k, k + 1)
            out.append(round(min(1.0, max(0.0, sim)), 4))
    return out


def similarity_parts(pool: CheckPool, ref: Sequence[str]) -> list[Future[list[float]]]:
    """:func:`pair_similarities` of the pool's seed with line-parallel ``ref``, measured by the
    workers of a started ``pool`` part by part (pass the parts' results, in order, to
    :func:`align_parallel`)."""
    return [
        pool.submit(_worker_similarities, texts_part(ref, lo, lo + _PART), lo)
        for lo in range(0, len(ref), _PART)
    ]


def _worker_similarities(ref: Sequence[str], first: int) -> list[float]:
    """In a pool worker: :func:`pair_similarities` of the seed's lines from ``first`` on (a
    multiple of the block, so the blocks are those of the whole files)."""
    return pair_similarities(worker_seed()[first : first + len(ref)], ref)


def _pair_name(i: int, names: tuple[Sequence[str], Sequence[str]]) -> str:
    a, b = names[0][i], names[1][i]
    return a if a == b else f"{a}/{b}"
