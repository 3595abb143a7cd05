"""Passages: the word diff's changed regions as flag candidates, each verified by a model.

The checks know rules (a pronoun, a number, a negation); most expert-marked errors are none of
these: a phrase rendered wrongly, a word that means something else.  Every region where the
seed's words differ from the closest reference is a candidate; the *passage* model (fitted on
expert MQM annotations, ``benchmarks/fit_verifier.py``) gives it the probability that experts
marked an error on it, from what the region is (its size, how rare its words are, whether the
reference says the same with other words or nothing), whether the other references change the
same words, and how close the sentence is to the references.  A region that a check has
flagged already is left to that flag.  Regions at or above the model's threshold become minor
flags (check name ``passage``); the others stay what they were, the word diff.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from toolkit.checks import Category, Severity
from toolkit.checks.diff import Token, quote, regions, token_diff, word_tokens
from toolkit.flags import Flag, flag_id
from toolkit.verify.features import (
    Counterpart,
    _function_words,
    _is_content,
    _similarity,
    _stem,
    _zipf,
)
from toolkit.verify.model import Logistic

__all__ = ["CHECK", "PASSAGE_FEATURES", "Passage", "passage_candidates", "passage_flags"]

#: The name a passage flag carries as its ``check`` (``disabled_checks`` turns passages off).
CHECK = "passage"

PASSAGE_FEATURES: tuple[str, ...] = (
    "words",
    "ref_words",
    "content_share",
    "content_words",
    "ref_content_words",
    "min_zipf",
    "mean_zipf",
    "ref_min_zipf",
    "digits",
    "capitalised",
    "similarity",
    "stem_overlap",
    "no_counterpart",
    "others_change",
    "in_every_reference",
    "in_some_reference",
    "moved",
    "position",
    "sentence_similarity",
    "sentence_similarity_mean",
    "sentence_log_chars",
    "changed_share",
    "regions",
    "length_ratio",
)


@dataclass(frozen=True, slots=True)
class Passage:
    """One changed region of the seed sentence against its closest reference.

    Attributes:
        start: Offset of its first word in the sentence.
        end: End of its last word.
        counterpart: The reference words it faces ("" when the reference has none there).
        closest: Index (in the pairs given) of the reference it was found against.
        agreeing: Indexes of the other references that change the same words too.
        features: The passage model's features.
    """

    start: int
    end: int
    counterpart: str
    closest: int
    agreeing: tuple[int, ...]
    features: Mapping[str, float]


def passage_candidates(
    sentence: str, pairs: Sequence[Counterpart], *, language: str = "en"
) -> list[Passage]:
    """The changed regions of ``sentence`` against its closest reference, with their features.

    Only the references whose bead holds this sentence alone count (a 2-1 bead's joined text
    cannot place a region in one sentence); with none, there is no candidate.
    """
    refs = [
        (k, p.reference)
        for k, p in enumerate(pairs)
        if p.reference is not None and p.seed == sentence
    ]
    if not refs or not sentence.strip():
        return []
    sims = [_similarity(sentence, ref) for _, ref in refs]
    # The closest reference decides, whatever the order the references were given in.
    best = max(range(len(refs)), key=lambda j: (sims[j], refs[j][1]))
    closest, ref = refs[best]
    diff = token_diff(sentence, ref)
    _, _, found = regions(diff)
    changed = [r for r in found if r.seed_end > r.seed_start]
    if not changed:
        return []
    others = []
    for j, (k, other) in enumerate(refs):
        if j != best:
            seed_region, _, _ = regions(token_diff(sentence, other))
            others.append((k, [r >= 0 for r in seed_region]))
    function = _function_words(language)
    ref_keys = [{t.key for t in word_tokens(r)} for _, r in refs]
    keys = [t.key for t in diff.seed]
    shared = {
        "sentence_similarity": sims[best],
        "sentence_similarity_mean": sum(sims) / len(sims),
        "sentence_log_chars": math.log1p(len(sentence)),
        "regions": math.log1p(len(changed)),
    }
    out = []
    for region in changed:
        words = diff.seed[region.seed_start : region.seed_end]
        facing = diff.ref[region.ref_start : region.ref_end]
        agreeing = tuple(
            k
            for k, flags in others
            if sum(flags[region.seed_start : region.seed_end]) * 2 >= len(words)
        )
        change = [
            sum(flags[region.seed_start : region.seed_end]) / len(words) for _, flags in others
        ]
        rest = set(keys[: region.seed_start] + keys[region.seed_end :])
        features = {
            **shared,
            **_region_features(sentence, ref, words, facing, function, language),
            "others_change": sum(change) / len(change) if change else 1.0,
            "in_every_reference": sum(all(t.key in k for k in ref_keys) for t in words)
            / len(words),
            "in_some_reference": sum(any(t.key in k for k in ref_keys) for t in words) / len(words),
            "moved": sum(t.key in rest for t in facing) / len(facing) if facing else 0.0,
            "position": words[0].start / len(sentence),
            "changed_share": len(words) / len(diff.seed),
        }
        counterpart = ref[facing[0].start : facing[-1].end] if facing else ""
        out.append(Passage(words[0].start, words[-1].end, counterpart, closest, agreeing, features))
    return out


def _region_features(
    sentence: str,
    ref: str,
    words: Sequence[Token],
    facing: Sequence[Token],
    function: frozenset[str],
    language: str,
) -> dict[str, float]:
    """What the region is: its size, its words' rarity and form, what it faces."""
    content = [t for t in words if _is_content(t, function)]
    ref_content = [t for t in facing if _is_content(t, function)]
    zipfs = [_zipf(t.key, language) for t in content] or [8.0]
    ref_zipfs = [_zipf(t.key, language) for t in ref_content] or [8.0]
    span = sentence[words[0].start : words[-1].end]
    counterpart = ref[facing[0].start : facing[-1].end] if facing else ""
    stems = {_stem(t.key, language) for t in content}
    ref_stems = {_stem(t.key, language) for t in ref_content}
    return {
        "words": math.log1p(len(words)),
        "ref_words": math.log1p(len(facing)),
        "content_share": len(content) / len(words),
        "content_words": math.log1p(len(content)),
        "ref_content_words": math.log1p(len(ref_content)),
        "min_zipf": min(zipfs) / 8.0,
        "mean_zipf": sum(zipfs) / len(zipfs) / 8.0,
        "ref_min_zipf": min(ref_zipfs) / 8.0,
        "digits": float(any(c.isdigit() for c in span)),
        "capitalised": float(any(t.text[:1].isupper() for t in content)),
        "similarity": (
            1.0 - Levenshtein.normalized_distance(span.lower(), counterpart.lower())
            if counterpart
            else 0.0
        ),
        "stem_overlap": (
            len(stems & ref_stems) / len(stems | ref_stems) if stems | ref_stems else 0.0
        ),
        "no_counterpart": float(not facing),
        "length_ratio": math.log((len(words) + 1) / (len(facing) + 1)),
    }


def passage_flags(
    sentence: str,
    pairs: Sequence[Counterpart],
    names: Sequence[str],
    flagged: Sequence[Flag],
    model: Logistic,
    threshold: float,
    *,
    language: str = "en",
) -> tuple[Flag, ...]:
    """The passages of ``sentence`` that no flag in ``flagged`` touches and whose verified
    probability reaches ``threshold``, as minor flags.

    Args:
        sentence: The seed sentence.
        pairs: Its text against each reference (:func:`toolkit.verify.counterparts`).
        names: The name of each reference, in the same order.
        flagged: The flags the checks raised on it, shown or dismissed (their spans are
            theirs: the verifier has judged them already).
        model: The passage model.
        threshold: The lowest probability shown.
        language: The seed's language.
    """
    out = []
    for passage in passage_candidates(sentence, pairs, language=language):
        if any(f.start < passage.end and f.end > passage.start for f in flagged):
            continue
        p = round(model.probability(passage.features), 4)
        if p < threshold:
            continue
        tokens = word_tokens(sentence[passage.start : passage.end])
        said = quote(sentence[passage.start : passage.end], tokens)
        if passage.counterpart:
            category = Category.mistranslation
            other = quote(passage.counterpart, word_tokens(passage.counterpart))
            message = f'"{said}" where the reference has "{other}"; check it against the source'
        else:
            category = Category.addition
            message = f'"{said}" has no counterpart in the reference; check it against the source'
        supporting = (passage.closest, *passage.agreeing)
        out.append(
            Flag(
                id=flag_id(category, sentence, sentence[passage.start : passage.end]),
                category=category,
                severity=Severity.minor,
                start=passage.start,
                end=passage.end,
                message=message,
                references=tuple(names[k] for k in sorted(supporting)),
                available=len(names),
                probability=p,
                check=CHECK,
            )
        )
    return tuple(out)
