"""Features of a seed sentence (and of each flag on it) for the verifier models.

Everything here is computed from the seed sentence, the reference texts aligned to it and the
flags the checks raised: the same code builds the training rows (``benchmarks/fit_verifier.py``)
and the run-time rows, so the model sees at run time exactly what it was fitted on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from toolkit.checks.diff import regions, token_diff, word_keys, word_tokens
from toolkit.lang import language as get_language

__all__ = [
    "FLAG_FEATURES",
    "FLAG_TOTALS",
    "SENTENCE_FEATURES",
    "TEXT_FEATURES",
    "Counterpart",
    "counterpart_words",
    "flag_features",
    "flag_totals",
    "reference_features",
    "sentence_features",
    "similarity",
]

# The categories whose flags the sentence model counts one by one; the rest share "other".
_COUNTED = (
    "accuracy/addition",
    "accuracy/entity",
    "accuracy/mistranslation",
    "accuracy/number",
    "accuracy/omission",
    "accuracy/pronoun",
    "accuracy/negation",
)

# What the texts alone give (:func:`reference_features`): the flag verifier reads some of them,
# the sentence model those in SENTENCE_FEATURES, the run keeps them all as a sentence's evidence.
TEXT_FEATURES: tuple[str, ...] = (
    "log_chars",
    "log_ref_chars",
    "unmatched",
    "similarity_best",
    "similarity_mean",
    "divergence",
    "length_ratio",
)

# What the flags on a sentence add up to (:func:`flag_totals`).
FLAG_TOTALS: tuple[str, ...] = (
    *(f"flags:{c}" for c in _COUNTED),
    "flags:other",
    "flag_mass",
    "flag_p_max",
    "flag_p_sum",
)

# The sentence model's features: how long the sentence is to be (the references' length: the
# same for every translation of one source sentence, so it says how risky the sentence is
# without favouring the shorter translation of it) and how close the seed comes to them.
# Chosen on the training talks out of fold (benchmarks/fit_verifier.py, README "Suspicion"):
# the seed's own length (it favours the shorter translation of a sentence, often the one that
# drops something), the counts of what the word diff changes and the verified flags' totals
# (flag_p_max, flag_p_sum) added nothing or took away.
SENTENCE_FEATURES: tuple[str, ...] = ("log_ref_chars", "similarity_best", "similarity_mean")

FLAG_FEATURES: tuple[str, ...] = (
    "span_words",
    "span_chars_log",
    "min_zipf",
    "content_share",
    "digits",
    "case_only",
    "counterpart_sim",
    "counterpart_words",
    "counterpart_zipf",
    "stem_equal",
    "span_in_references",
    "counterpart_in_seed",
    "support",
    "confirmed",
    "position",
    "sentence_similarity",
    "sentence_log_chars",
    "severity",
)


@dataclass(frozen=True, slots=True)
class Counterpart:
    """A seed text (one sentence, or the sentences of a 2-1 bead joined) and the text of one
    reference aligned to it (None when that reference leaves it unmatched)."""

    seed: str
    reference: str | None


def _stem(word: str, language: str) -> str:
    return get_language(language).stem(word)


@cache
def _function_words(language: str) -> frozenset[str]:
    return get_language(language).words("function", default=frozenset())


@lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    # wordfreq's zipf_frequency tokenises and normalises its argument first; a lowercase ASCII
    # word needs none of that, so its frequency is read from the list directly (the same
    # value, checked on 26,000 words, at a tenth of the cost).
    if language not in _wordfreq_languages():
        return 0.0  # wordfreq has no list for it (and would warn on stderr and guess another)
    if word.isascii() and word.isalpha() and word.islower():
        freq = _frequencies(language).get(word, 0.0)
        return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)


@cache
def _wordfreq_languages() -> frozenset[str]:
    # wordfreq is imported on first use: its import costs 0.4 s that a run without checks saves.
    from wordfreq import available_languages

    return frozenset(available_languages())


@cache
def _frequencies(language: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict(language)


def similarity(seed: str, reference: str) -> float:
    """How close two texts are, in [0, 1], whatever their word order."""
    # rapidfuzz's token-sort ratio: order-insensitive like sentence chrF, which it replaced
    # (as good in cross-validation on the training talks, about 50 times faster).
    return float(fuzz.token_sort_ratio(seed, reference)) / 100.0


def _is_content(key: str, function: frozenset[str]) -> bool:
    return len(key) > 1 and key not in function


def sentence_features(
    pairs: Sequence[Counterpart], flags: Sequence[tuple[str, float, float, float]]
) -> dict[str, float]:
    """Every feature a sentence has: :func:`reference_features` and :func:`flag_totals`.

    Args:
        pairs: The seed text against each reference (empty: no reference).
        flags: ``(category, severity weight, agreement, verified probability)`` of each flag.
    """
    return {**reference_features(pairs), **flag_totals(flags)}


def reference_features(pairs: Sequence[Counterpart]) -> dict[str, float]:
    """The features that depend on the texts only (not on the flags): the seed's and the
    references' length, the seed's closeness to them."""
    matched = [(p.seed, p.reference) for p in pairs if p.reference is not None]
    out = dict.fromkeys(TEXT_FEATURES, 0.0)
    out["unmatched"] = float(bool(pairs) and not matched)
    if not matched:
        out["log_chars"] = math.log1p(min((len(p.seed) for p in pairs), default=0))
        out["log_ref_chars"] = out["log_chars"]  # no reference: the seed's own length
        out["divergence"] = 1.0 if pairs else 0.0
        return out
    # Each reference faces the seed text of its own bead (a 2-1 bead joins two sentences):
    # the closest pair decides, whatever the order the references were given in.
    scores = [similarity(a, b) for a, b in matched]
    best = max(range(len(matched)), key=lambda k: (scores[k], -len(matched[k][0]), matched[k]))
    seed, closest = matched[best]
    out["log_chars"] = math.log1p(len(seed))
    out["log_ref_chars"] = math.log1p(sum(len(b) for _, b in matched) / len(matched))
    out["similarity_best"] = scores[best]
    out["similarity_mean"] = sum(scores) / len(scores)
    out["divergence"] = min(Levenshtein.normalized_distance(_fold(a), _fold(b)) for a, b in matched)
    out["length_ratio"] = abs(math.log((len(seed) + 1) / (len(closest) + 1)))
    return out


def flag_totals(flags: Sequence[tuple[str, float, float, float]]) -> dict[str, float]:
    """From ``(category, severity weight, agreement, verified probability)`` of each flag: how
    many flags of each counted category (weighted by agreement), their log mass, and the
    largest and the summed probability the flag verifier gives them."""
    out = dict.fromkeys(FLAG_TOTALS, 0.0)
    for category, weight, agreement, probability in flags:
        key = f"flags:{category}" if category in _COUNTED else "flags:other"
        out[key] += agreement
        out["flag_mass"] += weight * agreement
        out["flag_p_max"] = max(out["flag_p_max"], probability)
        out["flag_p_sum"] += probability
    out["flag_mass"] = math.log1p(out["flag_mass"])
    out["flag_p_sum"] = math.log1p(out["flag_p_sum"])
    return out


def flag_features(
    seed: str,
    start: int,
    end: int,
    *,
    counterpart: str,
    severity: float,
    support: float,
    confirmations: int = 0,
    sentence: Mapping[str, float],
    references: Sequence[str] = (),
    language: str = "en",
) -> dict[str, float]:
    """The flag verifier's features for the seed span ``start:end``.

    Args:
        seed: The seed sentence.
        start: Span start.
        end: Span end.
        counterpart: The reference words the span faces ("" when none).
        severity: The rule's severity weight (minor 1, major 5, critical 10).
        support: Share of the references that support the flag (1 when reference-free).
        confirmations: How many references support it (independent translations that agree
            against the seed are stronger evidence than one).
        sentence: The sentence's features (:func:`sentence_features`).
        references: The reference texts aligned to the sentence (words the seed moved
            rather than changed are found anywhere in them).
        language: Language of the seed.
    """
    span = seed[start:end]
    # Word keys, not tokens: the span, its counterpart and the rest of the seed are new
    # strings each time, which the word-token cache would only fill.
    words = word_keys(span)
    function = _function_words(language)
    content = [k for k in words if _is_content(k, function)]
    zipfs = [_zipf(k, language) for k in content] or [_zipf(k, language) for k in words]
    other = word_keys(counterpart)
    other_content = [k for k in other if _is_content(k, function)] or other
    other_zipfs = [_zipf(k, language) for k in other_content]
    ref_keys = [{t.key for t in word_tokens(r)} for r in references]
    seed_keys = set(word_keys(seed[:start] + " " + seed[end:]))
    stems = {_stem(k, language) for k in (content or words)}
    other_stems = {_stem(k, language) for k in other_content}
    return {
        "span_words": math.log1p(len(words)),
        "span_chars_log": math.log1p(end - start),
        "min_zipf": min(zipfs, default=8.0) / 8.0,
        "content_share": len(content) / len(words) if words else 0.0,
        "digits": float(any(c.isdigit() for c in span)),
        "case_only": float(bool(counterpart) and span.lower() == counterpart.lower()),
        "counterpart_sim": (
            1.0 - Levenshtein.normalized_distance(span.lower(), counterpart.lower())
            if counterpart
            else 0.0
        ),
        "counterpart_words": math.log1p(len(other)),
        "counterpart_zipf": min(other_zipfs, default=8.0) / 8.0,
        "stem_equal": float(bool(stems) and stems == other_stems),
        "span_in_references": (
            sum(all(k in keys for keys in ref_keys) for k in words) / len(words)
            if words and ref_keys
            else 0.0
        ),
        "counterpart_in_seed": (sum(k in seed_keys for k in other) / len(other) if other else 0.0),
        "support": support,
        "confirmed": float(confirmations >= 2),
        "position": start / len(seed) if seed else 0.0,
        "sentence_similarity": sentence["similarity_best"],
        "sentence_log_chars": sentence["log_chars"],
        "severity": math.log(severity),
    }


def counterpart_words(seed: str, start: int, end: int, reference: str) -> str:
    """The reference words facing the seed span ``start:end`` in the word diff: the reference
    side of the changed regions the span touches ("" when the span lies in equal text or
    faces nothing)."""
    diff = token_diff(seed, reference)
    seed_region, _, found = regions(diff)
    touched = sorted(
        {
            r
            for t, r in zip(diff.seed, seed_region, strict=True)
            if r >= 0 and t.start < end and t.end > start
        }
    )
    if not touched:
        return ""
    lo, hi = found[touched[0]].ref_start, found[touched[-1]].ref_end
    if lo >= hi:
        return ""
    return reference[diff.ref[lo].start : diff.ref[hi - 1].end]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())
