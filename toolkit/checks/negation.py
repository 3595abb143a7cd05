"""Negation that only one side has: "is ready" / "is not ready", "can" / "cannot".

The rules are one for every language; the words are the language's (``[words]
negation_markers`` and the other ``negation_*`` tables of its data file: English below,
German "nicht", "kein-", "nie", "niemand", "nichts", "weder", "ohne", "-los", "un-", ...).
The rule, so that a reviewer can predict it (with English examples):

1. *Negation markers* are the words not, no, never, none, nobody, nothing, nowhere, neither,
   nor, cannot, without, no-one / noone and every "n't" contraction (don't, didn't, won't,
   ...), unless they sit in a phrase that does not negate (:data:`NON_NEGATING`):
   "not only", "not until", "whether or not", ", if not", "not to mention", "no doubt",
   "no matter", "nothing but", "without a doubt", "No. 5", ...
2. The markers of each side are counted; when the counts are equal nothing is flagged.
   Otherwise the words of the seed and the reference are diffed
   (:func:`toolkit.checks.diff.token_diff`).  A marker in an ``equal`` block is the same on
   both sides.  Consecutive changed blocks form a *region*.  The markers left in regions
   cancel one for one across the two sides, those of one region first, then the nearest
   (reference words are placed in the seed through the diff), so a negation that moved
   within the sentence or is worded differently ("never" / "not ever", "no longer" / "not
   anymore", "didn't" / "did not", "nobody" / "not anyone") is not flagged.
3. A marker still left is absorbed by a word that negates without a marker, in a changed
   region (:data:`IMPLICIT_NEGATIONS`: fail, lack, refuse, unable, hardly, rarely, deny,
   absence, unless, except, instead, prevent, avoid, against, "too" before "to" ("too small
   to hear"), ..., words in "-less" and in "un-" other than "under", "universe", ...), or by
   a word with a negative prefix (in-, im-, il-, ir-, dis-, non-) whose base occurs on the
   other side ("impossible" / "not possible").  Such a word absorbs the nearest marker of the
   other side in its region or within 40% of the seed's length, or a marker of its own side
   one or two words before it ("never fails to", "not unlike").  One word absorbs one marker.
4. When either text has "neither" or "nor", one leftover marker is forgiven:
   "neither A nor B" / "not A or B".
5. A leftover marker is not flagged when the other side's region holds "or" / "nor" after a
   negation of that side: "do not belong to our past, and do not exist in our future" /
   "don't belong to our past or our future".
6. Nothing is flagged when fewer than 30% of the seed words are in ``equal`` blocks: the
   reference is then a rewrite (or a misalignment) and word positions say nothing.  A
   reference marker outside the part of the reference that the seed covers is ignored: the
   text before the first (after the last) ``equal`` block counts only when it is at most
   three words longer than the seed text there, and when the reference has several
   sentences, a sentence counts only when its share of words in ``equal`` blocks is at least
   half that of the best one.  In a bead where one seed sentence faces two reference
   sentences, or two seed sentences share one reference, the rest of the reference belongs
   to the other sentence.
7. A marker is flagged only when its region is *anchored*, that is the same wording with or
   without the negation: the content words (neither markers nor function words) of the
   region's two sides share a stem (snowballstemmer's), or each side has at most one, or
   the first content word after the marker (within three words) starts with the same three
   letters as a word of the other side's region or the two words around it.  "is ready" /
   "is not ready", "went" / "did not go", "any relationship" / "no relation", "couldn't help"
   / "could help" are anchored; "a bit weak" / "not strong enough" is a paraphrase and is
   not.

Every marker still left is one major ``accuracy/negation`` finding.

Spans: a negation only the seed has spans its marker ("not", "never", "No one").  A negation
only the reference has spans the seed word where it belongs: the seed words of its region
when the region replaces three seed words or fewer (else the seed word at the same relative
place); when the region only inserts words, the seed word before the gap for "not" and "n't"
(the auxiliary or verb: "is", "can", "decided"), the seed word after the gap for every other
marker ("never went", "no time"); at an end of the sentence, the one neighbour there is.

Messages quote both sides, e.g. ``the reference negates this ("is not ready"); the seed does
not`` and ``the seed negates this ("is not ready"); the reference does not ("is ready")``.
Negation by an affix alone ("unhappy" / "happy") has no marker and is never flagged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from toolkit.checks import Category, Finding, PairFunction, Severity, register
from toolkit.checks.diff import (
    Region,
    Token,
    TokenDiff,
    covered_range,
    token_diff,
    word_tokens,
)
from toolkit.checks.diff import regions as diff_regions
from toolkit.lang import Language, language

__all__ = [
    "CHECK",
    "IMPLICIT_NEGATIONS",
    "MARKERS",
    "NON_NEGATING",
    "check_negation",
    "negation_markers",
]


# The rules are the same for every language; the words are in its data file
# (toolkit/lang/data/en.toml, de.toml): a language with ``[words] negation_markers`` runs it.
NEEDS = ("words.negation_markers",)
_EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class _Words:
    """One language's negation words (every list but the markers may be empty)."""

    language: Language
    markers: frozenset[str]
    # Phrases in which a marker does not negate: marker -> (words before, words after).
    non_negating: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]
    suffixes: tuple[str, ...]  # a word ending in one is a marker: "n't"
    implicit: frozenset[str]  # rule 3: words that negate without a marker
    implicit_stems: tuple[str, ...]
    implicit_suffixes: tuple[str, ...]  # "-less", "-los"
    implicit_prefixes: tuple[str, ...]  # "un-" ...
    not_negative_prefixed: tuple[str, ...]  # ... but not "under", "universe"
    negative_prefixes: tuple[str, ...]  # in-, im-, dis-, non- before a word of the other side
    side_by_side: frozenset[str]  # rule 4
    coordinators: frozenset[str]  # rule 5
    contentless: frozenset[str]  # rule 7: words without content of their own
    degree: Mapping[str, str]  # "too" negates when "to" follows ("too small to hear")
    number_signs: frozenset[str]  # "No. 5" is a number
    hedges: Mapping[str, str]  # ", if not most": marker -> the word before it
    two_word: Mapping[str, str]  # "No one": a marker's span takes the next word
    after_verb: frozenset[str]  # "is not": a reference-only marker spans the word before it
    split_markers: frozenset[str]  # the markers with punctuation around them (a fast test)
    written_suffixes: tuple[str, ...]  # the suffixes with straight and curly apostrophes
    candidate_ends: tuple[str, ...]  # a token ending in none of these may be a marker only
    # when it is one of ``markers`` or holds a dash

    def is_marker(self, key: str) -> bool:
        return key in self.markers or (bool(self.suffixes) and key.endswith(self.suffixes))


# What may stand around a marker in a text split at spaces (English and German quotes)
_BEFORE_MARKER: tuple[str, ...] = ("", '"', "(", "\u201c", "\u2018", "\u201e", "\u201a", "\u00bb")
_AFTER_MARKER: tuple[str, ...] = (
    *("", ",", ".", ";", ":", "?", "!", '"', ")"),
    *("\u201d", "\u2019", "\u201c", "\u2018", "\u00ab"),
)


@cache
def _words(language: Language) -> _Words:
    def words(name: str) -> frozenset[str]:
        return language.words(name, default=_EMPTY)

    def sequence(name: str) -> tuple[str, ...]:
        return language.sequence(name) if language.has(f"words.{name}") else ()

    def pairs(name: str) -> Mapping[str, str]:
        return language.pairs(name) if language.has(f"pairs.{name}") else {}

    markers = language.words("negation_markers")
    suffixes = sequence("negation_suffixes")
    phrases = language.phrases("non_negating") if language.has("phrases.non_negating") else ()
    non_negating: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for before, marker, after in (phrase.split("|") for phrase in phrases):
        non_negating.setdefault(marker.strip(), []).append(
            (tuple(before.split()), tuple(after.split()))
        )
    return _Words(
        language=language,
        markers=markers,
        non_negating=non_negating,
        suffixes=suffixes,
        implicit=words("negation_implicit"),
        implicit_stems=sequence("negation_implicit_stems"),
        implicit_suffixes=sequence("negation_implicit_suffixes"),
        implicit_prefixes=sequence("negation_implicit_prefixes"),
        not_negative_prefixed=sequence("not_negative_un"),
        negative_prefixes=sequence("negation_prefixes"),
        side_by_side=words("negation_side_by_side"),
        coordinators=words("negation_coordinators"),
        contentless=words("negation_contentless"),
        degree=pairs("negation_degree"),
        number_signs=words("negation_number_signs"),
        hedges=pairs("negation_hedges"),
        two_word=pairs("negation_two_word"),
        after_verb=words("negation_after_verb"),
        split_markers=frozenset(
            before + marker + after
            for marker in markers
            for before in _BEFORE_MARKER
            for after in _AFTER_MARKER
        ),
        written_suffixes=tuple(
            form for s in suffixes for form in dict.fromkeys((s, s.replace("'", "\u2019")))
        ),
        candidate_ends=(*suffixes, "'s"),
    )


# English, for the callers that read the lists (the rules read the language's own).
_EN = _words(language("en"))
MARKERS: frozenset[str] = _EN.markers
NON_NEGATING: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = tuple(
    (before, marker, after)
    for marker, entries in _EN.non_negating.items()
    for before, after in entries
)
IMPLICIT_NEGATIONS: frozenset[str] = _EN.implicit

# Fast exit: a text whose lowercase words (split at spaces and dashes) include none of the
# markers (with punctuation around them), and no contraction such as "n't", holds no marker.
_DASHES = "-\u2010\u2011\u2013\u2014/"  # each read as a space
_NUMBER_SIGN = re.compile(r"\.\s*\d")  # "No. 5"

_MIN_SHARED = 0.3  # rule 6: share of seed words in equal blocks
_EDGE_SLACK = 3  # rule 6: extra reference words tolerated at either end
_SENTENCE_SHARE = 0.5  # rule 6: a reference sentence sharing less than half as much as the
# best one is not the seed's
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")
_NEAR = 0.4  # rule 3: how far (a share of the seed's length) an implicit negation reaches


@dataclass(frozen=True, slots=True)
class _Marker:
    side: str  # "seed" or "ref"
    index: int  # token index on its side
    region: int  # index of its region, -1 inside an equal block


def check_negation(seed: str, ref: str, *, language: Language | None = None) -> list[Finding]:
    """Flag a negation that only the seed, or only the reference, has.

    Args:
        seed: The seed sentence text; finding offsets point into it.
        ref: The reference text aligned to the seed.
        language: Their language (default English): its negation word lists.

    Returns:
        One major ``accuracy/negation`` finding per negation found on one side only: first
        those of the seed, then those of the reference (see the module docstring).
    """
    w = _EN if language is None else _words(language)
    seed_marks = _markers(seed, w) if _may_negate(seed, w) else []
    ref_marks = _markers(ref, w) if _may_negate(ref, w) else []
    if len(seed_marks) == len(ref_marks):  # rule 2: they would all cancel
        return []
    diff = token_diff(seed, ref)
    layout = _layout(diff)
    if not diff.seed or layout.shared < _MIN_SHARED * len(diff.seed):
        return []
    left = _cancel(
        [_Marker("seed", i, layout.seed_region[i]) for i in seed_marks],
        [_Marker("ref", j, layout.ref_region[j]) for j in ref_marks],
        layout,
    )
    if any(m.side == "ref" for m in left):  # rule 6, before the reference's can absorb
        covered = _covered(ref, diff, layout)
        left = [m for m in left if m.side == "seed" or covered[m.index]]
    if left:
        left = _absorb(left, diff, layout, w)
    findings: dict[tuple[int, int], Finding] = {}
    for marker in left:
        if not _anchored(diff, layout.regions[marker.region], marker, w):
            continue
        finding: Finding | None
        if marker.side == "seed":
            finding = _seed_finding(seed, ref, diff, layout.regions, marker, w)
        else:
            finding = _ref_finding(seed, ref, diff, layout.regions, marker, w)
        if finding is not None:
            findings.setdefault((finding.start, finding.end), finding)
    return list(findings.values())


# -- markers -----------------------------------------------------------------------------------


def negation_markers(text: str, *, language: Language | None = None) -> list[str]:
    """The negation markers of ``text`` (rule 1: phrases that do not negate left out), in
    order; for a language with ``[words] negation_markers`` (default English)."""
    w = _EN if language is None else _words(language)
    if not _may_negate(text, w):
        return []
    tokens = word_tokens(text)
    return [text[tokens[i].start : tokens[i].end] for i in _markers(text, w)]


def _may_negate(text: str, w: _Words) -> bool:
    """False when ``text`` certainly has no marker (a fast test on the raw text)."""
    low = text.lower()
    for suffix in w.written_suffixes:
        if suffix in low:
            return True
    # str.replace is much faster than str.translate here; ASCII text has two of the dashes.
    for dash in "-/" if text.isascii() else _DASHES:
        low = low.replace(dash, " ")
    return not w.split_markers.isdisjoint(low.split())


def _markers(text: str, w: _Words) -> list[int]:
    """Indices of the negation markers among the word tokens of ``text`` (rule 1)."""
    tokens = word_tokens(text)
    found: list[int] = []
    markers, ends = w.markers, w.candidate_ends
    for i, token in enumerate(tokens):
        key = token.key
        # The fast test of "not a marker, not ending in 's, no dash" (most tokens).
        if key not in markers and not key.endswith(ends) and "-" not in key:
            continue
        key = key.removesuffix("'s")
        if not w.is_marker(key):
            key = _glued_marker(key, w)
            if not key:
                continue
        if key in w.number_signs and _NUMBER_SIGN.match(text, token.end):
            continue
        if not _non_negating(text, tokens, i, key, w):
            found.append(i)
    return found


def _glued_marker(key: str, w: _Words) -> str:
    """The marker in "countries-not" or "don't-they" (a dash used as a pause), else ""."""
    if "-" not in key:
        return ""
    parts = key.split("-")
    if w.is_marker(parts[-1]):
        return parts[-1]
    # "never-ending" and "not-for-profit" are compound words, not negations.
    return parts[0] if w.suffixes and parts[0].endswith(w.suffixes) else ""


def _non_negating(text: str, tokens: tuple[Token, ...], i: int, key: str, w: _Words) -> bool:
    hedge = w.hedges.get(key)
    if hedge is not None and i > 0 and tokens[i - 1].key == hedge:
        # ", if not most": a hedge; "If not treated, ..." negates.
        return text[: tokens[i - 1].start].rstrip().endswith(",")
    phrases = w.non_negating.get(key)
    if not phrases:
        return False
    # The words next to the marker first: most phrases fail on them.
    previous = tokens[i - 1].key if i > 0 else None
    following = tokens[i + 1].key if i + 1 < len(tokens) else None
    for before, after in phrases:
        if before and (
            before[-1] != previous
            or i < len(before)
            or tuple(t.key for t in tokens[i - len(before) : i]) != before
        ):
            continue
        if after and (
            after[0] != following
            or tuple(t.key for t in tokens[i + 1 : i + 1 + len(after)]) != after
        ):
            continue
        return True
    return False


# -- diff layout -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    seed_region: list[int]  # region index of every seed token, -1 in equal blocks
    ref_region: list[int]
    regions: list[Region]
    shared: int  # seed tokens in equal blocks
    ref_at: list[float]  # where each reference token falls in the seed, in seed tokens


def _layout(diff: TokenDiff) -> _Layout:
    """Group the changed blocks of ``diff`` into regions (rule 2)."""
    seed_region, ref_region, regions = diff_regions(diff)
    shared = sum(len(b.seed) for b in diff.blocks if b.tag == "equal")
    ri = len(diff.ref)
    ref_at = [0.0] * ri
    si = ri = 0
    for block in diff.blocks:  # equal blocks: the counterpart's index
        if block.tag == "equal":
            for k in range(len(block.ref)):
                ref_at[ri + k] = float(si + k)
        si += len(block.seed)
        ri += len(block.ref)
    for region in regions:  # changed regions: spread over the seed side, or its gap
        scale = (region.seed_end - region.seed_start) / (region.ref_end - region.ref_start or 1)
        for j in range(region.ref_start, region.ref_end):
            ref_at[j] = region.seed_start + (j - region.ref_start) * scale
    return _Layout(seed_region, ref_region, regions, shared, ref_at)


def _covered(ref: str, diff: TokenDiff, layout: _Layout) -> list[bool]:
    """Which reference tokens the seed covers (rule 6)."""
    n = len(diff.ref)
    low, high = covered_range(diff, layout.regions, slack=_EDGE_SLACK)
    covered = [low <= j < high for j in range(n)]
    starts = [m.end() for m in _SENTENCE_END.finditer(ref)]
    if starts:  # several sentences: those that share little with the seed are not its own
        sentence = [bisect_right(starts, t.start) for t in diff.ref]
        size = [0] * (len(starts) + 1)
        shared = [0] * (len(starts) + 1)
        for j, k in enumerate(sentence):
            size[k] += 1
            shared[k] += layout.ref_region[j] < 0
        share = [a / b if b else 0.0 for a, b in zip(shared, size, strict=True)]
        best = max(share)
        for j, k in enumerate(sentence):
            if share[k] < _SENTENCE_SHARE * best:
                covered[j] = False
    return covered


# -- cancelling and absorbing ------------------------------------------------------------------


def _place(layout: _Layout, side: str, index: int) -> float:
    """Where a token of either side falls in the seed, as a share of the seed's length."""
    at = index if side == "seed" else layout.ref_at[index]
    return at / max(len(layout.seed_region), 1)


def _cancel(seed_marks: list[_Marker], ref_marks: list[_Marker], layout: _Layout) -> list[_Marker]:
    """Markers in changed regions that no marker of the other side cancels (rule 2)."""
    left_seed = [m for m in seed_marks if m.region >= 0]
    left_ref = [m for m in ref_marks if m.region >= 0]
    if not left_seed or not left_ref:
        return left_seed or left_ref
    # Markers of one region cancel first, then the nearest ones.
    pairs = sorted(
        (
            s.region != r.region,
            abs(_place(layout, "seed", s.index) - _place(layout, "ref", r.index)),
            a,
            b,
        )
        for a, s in enumerate(left_seed)
        for b, r in enumerate(left_ref)
    )
    used_seed: set[int] = set()
    used_ref: set[int] = set()
    for _, _, a, b in pairs:
        if a not in used_seed and b not in used_ref:
            used_seed.add(a)
            used_ref.add(b)
    return [m for a, m in enumerate(left_seed) if a not in used_seed] + [
        m for b, m in enumerate(left_ref) if b not in used_ref
    ]


def _is_implicit(key: str, w: _Words) -> bool:
    """Whether a word negates without a marker (rule 3)."""
    return (
        key in w.implicit
        or (bool(w.implicit_stems) and key.startswith(w.implicit_stems))
        or (bool(w.implicit_suffixes) and key.endswith(w.implicit_suffixes) and len(key) > 6)
        or (
            bool(w.implicit_prefixes)
            and key.startswith(w.implicit_prefixes)
            and len(key) > 5
            and not key.startswith(w.not_negative_prefixed)
        )
    )


def _has_negative_prefix(key: str, other_keys: set[str], w: _Words) -> bool:
    """Whether ``key`` is a negative prefix plus a word of the other side (rule 3)."""
    for prefix in w.negative_prefixes:
        if key.startswith(prefix):
            base = key[len(prefix) :]
            if len(base) >= 4 and any(k[:5] == base[:5] for k in other_keys):
                return True
    return False


def _absorb(left: list[_Marker], diff: TokenDiff, layout: _Layout, w: _Words) -> list[_Marker]:
    """Drop the leftover markers that other wording explains (rules 3 to 5)."""
    seed_keys = {t.key for t in diff.seed}
    ref_keys = {t.key for t in diff.ref}
    # (side, index, relative place, region) of the implicit negations in changed regions
    explainers: list[tuple[str, int, float, int]] = []
    for side, tokens, regions, other_keys in (
        ("seed", diff.seed, layout.seed_region, ref_keys),
        ("ref", diff.ref, layout.ref_region, seed_keys),
    ):
        for i, token in enumerate(tokens):
            key = token.key
            if regions[i] < 0:
                continue
            place = i
            then = w.degree.get(key)
            if then is not None:  # "too small to hear" negates at "to"; "too much" does not
                place = next(
                    (k for k in range(i + 2, i + 6) if k < len(tokens) and tokens[k].key == then),
                    -1,
                )
                implicit = place >= 0
            else:
                implicit = _is_implicit(key, w) or _has_negative_prefix(key, other_keys, w)
            if implicit:
                explainers.append((side, i, _place(layout, side, place), regions[i]))
    remaining = [m for m in left if not _distributed(m, diff, layout, w)]
    for side, index, where, region in explainers:
        near = [
            m
            for m in remaining
            # the other side nearby, or right after a marker of its own side ("never fails")
            if (
                m.side != side
                and (m.region == region or abs(_place(layout, m.side, m.index) - where) <= _NEAR)
            )
            or (m.side == side and 0 < index - m.index <= 2)
        ]
        if near:
            remaining.remove(min(near, key=lambda m: abs(_place(layout, m.side, m.index) - where)))
    if remaining and (seed_keys & w.side_by_side or ref_keys & w.side_by_side):
        remaining.pop()  # rule 4: one leftover is forgiven
    return remaining


def _distributed(marker: _Marker, diff: TokenDiff, layout: _Layout, w: _Words) -> bool:
    """Rule 5: "not A, and not B" facing "not A or B": the other side's "or" carries it."""
    region = layout.regions[marker.region]
    if marker.side == "seed":
        other, start, end = diff.ref, region.ref_start, region.ref_end
    else:
        other, start, end = diff.seed, region.seed_start, region.seed_end
    return any(t.key in w.coordinators for t in other[start:end]) and any(
        w.is_marker(t.key) for t in other[:start]
    )


def _stems(tokens: tuple[Token, ...], w: _Words) -> set[str]:
    """Stems of the content words among ``tokens`` (markers and function words left out)."""
    stem = w.language.stem
    return {stem(t.key) for t in tokens if t.key not in w.contentless and not w.is_marker(t.key)}


def _anchored(diff: TokenDiff, region: Region, marker: _Marker, w: _Words) -> bool:
    """Rule 7: the region says the same thing with or without the negation."""
    seed_stems = _stems(diff.seed[region.seed_start : region.seed_end], w)
    ref_stems = _stems(diff.ref[region.ref_start : region.ref_end], w)
    if seed_stems & ref_stems or (len(seed_stems) <= 1 and len(ref_stems) <= 1):
        return True
    # The word the marker negates: the first content word after it, within three words.
    own, other = (diff.seed, diff.ref) if marker.side == "seed" else (diff.ref, diff.seed)
    start, end = (
        (region.ref_start, region.ref_end)
        if marker.side == "seed"
        else (region.seed_start, region.seed_end)
    )
    nearby = {stem[:3] for stem in _stems(other[max(start - 2, 0) : end + 2], w)}
    for token in own[marker.index + 1 : marker.index + 4]:
        stem = next(iter(_stems((token,), w)), None)
        if stem is not None:  # "not used" / "using": three letters, for inflections
            return stem[:3] in nearby
    return False


# -- findings ----------------------------------------------------------------------------------


def _quote(text: str, tokens: tuple[Token, ...], first: int, last: int) -> str:
    """The text of ``tokens[first..last]`` (clipped to the text), as written."""
    first, last = max(first, 0), min(last, len(tokens) - 1)
    if first > last:
        return ""
    return text[tokens[first].start : tokens[last].end]


def _seed_finding(
    seed: str, ref: str, diff: TokenDiff, regions: list[Region], marker: _Marker, w: _Words
) -> Finding:
    """The finding for a negation that only the seed has: it spans the marker."""
    token = diff.seed[marker.index]
    end = token.end
    following = diff.seed[marker.index + 1] if marker.index + 1 < len(diff.seed) else None
    if following is not None and w.two_word.get(token.key) == following.key:
        end = following.end
    region = regions[marker.region]
    ref_start, ref_end = region.ref_start, region.ref_end
    if ref_end - ref_start > 5:  # a long replacement: quote the part facing the marker
        offset = round(
            (marker.index - region.seed_start)
            / max(region.seed_end - region.seed_start, 1)
            * (ref_end - ref_start)
        )
        ref_start = min(ref_start + max(offset - 2, 0), ref_end - 5)
        ref_end = ref_start + 5
    last = marker.index + (2 if end != token.end else 1)
    seed_context = _quote(seed, diff.seed, marker.index - 1, last)
    ref_context = _quote(ref, diff.ref, ref_start - 1, ref_end)
    message = f'the seed negates this ("{seed_context}"); the reference does not'
    if ref_context:
        message += f' ("{ref_context}")'
    return Finding(Category.negation, Severity.major, token.start, end, message)


def _ref_finding(
    seed: str, ref: str, diff: TokenDiff, regions: list[Region], marker: _Marker, w: _Words
) -> Finding | None:
    """The finding for a negation that only the reference has, on the seed words facing it."""
    region = regions[marker.region]
    width = region.seed_end - region.seed_start
    if width:
        if width <= 3:
            first, last = region.seed_start, region.seed_end - 1
        else:
            offset = (marker.index - region.ref_start) / max(region.ref_end - region.ref_start, 1)
            first = last = region.seed_start + min(int(offset * width), width - 1)
    else:
        before, after = region.seed_start - 1, region.seed_start
        key = diff.ref[marker.index].key
        prefer_before = key in w.after_verb or bool(w.suffixes and key.endswith(w.suffixes))
        if before >= 0 and (prefer_before or after >= len(diff.seed)):
            first = last = before
        elif after < len(diff.seed):
            first = last = after
        else:
            return None
    ref_context = _quote(ref, diff.ref, marker.index - 1, marker.index + 1)
    return Finding(
        Category.negation,
        Severity.major,
        diff.seed[first].start,
        diff.seed[last].end,
        f'the reference negates this ("{ref_context}"); the seed does not',
    )


CHECK = register(PairFunction("negation", check_negation, (Category.negation,), needs=NEEDS))
