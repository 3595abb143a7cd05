"""Similarity of sentence groups for monolingual alignment.

Two translations of one sentence share content words, numbers and names but word order and
inflections differ.  The similarity of a seed span and a reference span is therefore a blend of

* a weighted Dice overlap of word stems (rare words, numbers and names weigh most), and
* rapidfuzz's character-level ratio of the spans' sorted tokens (robust to reordering and to
  spelling variants),

scaled by a length prior.  All features are computed once per sentence.  The language's
stopwords (``[words] stopwords`` of its data file) weigh little.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain
from sys import intern

from rapidfuzz.distance import Indel

__all__ = ["SimilarityModel"]

_TOKEN = re.compile(r"\w+(?:[.,'\u2019]\w+)*")
_STEM_LENGTH = 5
_ANCHOR_BOOST = 1.5
_WORD_WEIGHT = 0.6
_RARE_DF = 3
# Row similarities of repeated sentence pairs kept at most (then forgotten all at once).
_KNOWN_PAIRS = 1 << 16
# Features of multi-sentence spans kept at most (checked as the aligner goes).
_KNOWN_SPANS = 1 << 12
_Span = tuple[frozenset[str], float, str, int]


class _Stems(dict[str, str]):
    """Stem of every distinct raw token of one model, computed on first sight, and its
    casefolded form in ``fold``.

    A long text repeats its words: casefolding, truncating and interning them once per
    distinct token instead of once per occurrence is most of the cost of the features; a
    lookup of a token seen before costs one dictionary probe.
    """

    __slots__ = ("fold",)

    def __init__(self) -> None:
        super().__init__()
        self.fold: dict[str, str] = {}

    def __missing__(self, raw: str) -> str:
        t = raw.casefold()
        if raw[0].isdigit():
            t = t.replace(",", "")
            stem = intern(t)
        else:
            stem = intern(t[:_STEM_LENGTH])
        self.fold[raw] = t
        self[raw] = stem
        return stem


class _Features:
    """One sentence's features, kept small: a long text holds hundreds of thousands of them.

    Stems are interned (one string object per distinct stem, shared by every sentence) and the
    sorted tokens live only in ``joined``.
    """

    __slots__ = ("joined", "length", "repeated", "stems", "wsum")

    def __init__(self, text: str, stems: _Stems, capitals: set[str]) -> None:
        raw = _TOKEN.findall(unicodedata.normalize("NFC", text))
        self.stems = frozenset(map(stems.__getitem__, raw))  # every token is in stems.fold now
        # Names: tokens after the first that start with a capital (the model keeps their
        # stems as anchors).
        capitals.update(raw[1:])
        toks = list(map(stems.fold.__getitem__, raw))
        toks.sort()
        self.joined = " ".join(toks)
        self.length = max(1, len(text.strip()))
        self.wsum = 0.0
        self.repeated = False  # the sentence occurs more than once in the texts


def _features(
    seed: Sequence[str], ref: Sequence[str], tokens: _Stems, capitals: set[str]
) -> tuple[list[_Features], list[_Features]]:
    """Every sentence's features; a sentence that occurs again (a repeated line, boilerplate)
    shares the features of its first occurrence."""
    seen: dict[str, _Features] = {}

    def features(text: str) -> _Features:
        f = seen.get(text)
        if f is None:
            f = seen[text] = _Features(text, tokens, capitals)
        else:
            f.repeated = True
        return f

    return list(map(features, seed)), list(map(features, ref))


class SimilarityModel:
    """Sentence features for one seed/reference pair and the span similarity over them."""

    def __init__(
        self, seed: Sequence[str], ref: Sequence[str], *, stopwords: frozenset[str] = frozenset()
    ) -> None:
        self.stopwords = stopwords
        tokens = _Stems()
        later: set[str] = set()  # raw tokens seen after the first of their sentence
        self.seed, self.ref = _features(seed, ref, tokens, later)
        df = Counter(chain.from_iterable([f.stems for f in self.seed]))
        df.update(chain.from_iterable([f.stems for f in self.ref]))
        total = len(self.seed) + len(self.ref)
        # Anchor stems: numbers anywhere, and names (capitalised after a sentence's start).
        anchors = {s for o, s in tokens.items() if o[0].isdigit()}
        anchors.update(tokens[o] for o in later if o[0].isupper())
        del tokens, later
        self.weight: dict[str, float] = {}
        for stem, count in df.items():
            w = math.log((total + 1) / count) + 1.0
            if stem in stopwords:
                w *= 0.2
            elif stem in anchors:
                w *= _ANCHOR_BOOST
            self.weight[stem] = w
        weight = self.weight.__getitem__
        for f in {*self.seed, *self.ref}:  # (each distinct sentence once)
            f.wsum = sum(map(weight, f.stems))
        self._spans: dict[tuple[_Features, ...], _Span] = {}
        self._pairs: dict[tuple[_Features, _Features], tuple[float, float, float]] = {}

    def similarity(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Similarity in [0, 1] of seed sentences ``i0:i1`` and reference sentences ``j0:j1``."""
        w = self.weight
        if i1 - i0 == 1 and j1 - j0 == 1:  # the common case, without building spans
            f, g = self.seed[i0], self.ref[j0]
            sa, wa, ja, la = f.stems, f.wsum, f.joined, f.length
            sb, wb, jb, lb = g.stems, g.wsum, g.joined, g.length
        else:
            sa, wa, ja, la = self._span(self.seed, i0, i1)
            sb, wb, jb, lb = self._span(self.ref, j0, j1)
        if wa + wb == 0:
            return 0.0
        words = 2.0 * sum(map(w.__getitem__, sa & sb)) / (wa + wb)
        chars = Indel.normalized_similarity(ja, jb)
        prior = 0.75 + 0.25 * min(la, lb) / max(la, lb)
        return (_WORD_WEIGHT * words + (1 - _WORD_WEIGHT) * chars) * prior

    def bound(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """An upper bound of :meth:`similarity` from lengths alone, without building the spans.

        The word overlap is at most 1; the character similarity of two strings at most
        ``2 * min(len) / (sum of lens)`` (an edit must insert or delete the difference).
        """
        la = lb = ca = cb = 0
        na = nb = 0
        for f in self.seed[i0:i1]:
            la += f.length
            if f.joined:
                ca += len(f.joined)
                na += 1
        for g in self.ref[j0:j1]:
            lb += g.length
            if g.joined:
                cb += len(g.joined)
                nb += 1
        ca += max(0, na - 1)  # the spaces that join the sentences' tokens
        cb += max(0, nb - 1)
        chars = 2.0 * min(ca, cb) / (ca + cb) if ca + cb else 1.0
        prior = 0.75 + 0.25 * min(la, lb) / max(la, lb)
        # The margin covers rounding: the bound must never fall below the similarity.
        return (_WORD_WEIGHT + (1 - _WORD_WEIGHT) * chars) * prior + 1e-9

    def row_similarities(
        self, i: int, j0: int, j1: int
    ) -> tuple[list[float], list[float], list[float]]:
        """Seed sentence ``i`` against each reference sentence ``j0:j1``.

        Returns:
            The 1-1 similarities, the share of the seed sentence's stem weight that each
            reference sentence contains, and the share of each reference sentence's stem
            weight that the seed sentence contains.
        """
        f = self.seed[i]
        sa, wa, ja, la = f.stems, f.wsum, f.joined, f.length
        weight = self.weight.__getitem__
        ratio = Indel.normalized_similarity
        sims: list[float] = []
        seed_in: list[float] = []
        ref_in: list[float] = []
        # Two sentences that both occur again (passages repeated in both texts) meet again.
        known = self._pairs if f.repeated else None
        if known is not None and len(known) > _KNOWN_PAIRS:
            known.clear()
        for g in self.ref[j0:j1]:
            if known is not None and g.repeated:
                hit = known.get((f, g))
                if hit is not None:
                    sims.append(hit[0])
                    seed_in.append(hit[1])
                    ref_in.append(hit[2])
                    continue
            shared = sum(map(weight, sa & g.stems))
            wb = g.wsum
            words = 2.0 * shared / (wa + wb) if wa + wb else 0.0
            seed_in.append(shared / wa if wa else 0.0)
            ref_in.append(shared / wb if wb else 0.0)
            lb = g.length
            prior = 0.75 + 0.25 * (la / lb if la < lb else lb / la)
            sims.append((_WORD_WEIGHT * words + (1 - _WORD_WEIGHT) * ratio(ja, g.joined)) * prior)
            if known is not None and g.repeated:
                known[(f, g)] = (sims[-1], seed_in[-1], ref_in[-1])
        return sims, seed_in, ref_in

    def containment(self, i: int, j: int) -> tuple[float, float]:
        """Shares of seed ``i``'s and of reference ``j``'s stem weight that the other contains."""
        f, g = self.seed[i], self.ref[j]
        shared = sum(map(self.weight.__getitem__, f.stems & g.stems))
        return (shared / f.wsum if f.wsum else 0.0), (shared / g.wsum if g.wsum else 0.0)

    def forget_spans(self) -> None:
        """Drop the cached features of multi-sentence spans once there are many (the aligner
        calls this as it goes: a span is asked for again by nearby rows of its dynamic program,
        or where its sentences occur again)."""
        if len(self._spans) > _KNOWN_SPANS:
            self._spans.clear()

    def _span(self, feats: list[_Features], start: int, stop: int) -> _Span:
        """Stems, stem weight, sorted-token string and length of sentences ``start:stop``."""
        if stop - start == 1:
            f = feats[start]
            return f.stems, f.wsum, f.joined, f.length
        part = tuple(feats[start:stop])  # (the same sentences again share one entry)
        span = self._spans.get(part)
        if span is None:
            stems = frozenset().union(*(f.stems for f in part))
            wsum = sum([self.weight[t] for t in stems])
            joined = " ".join(sorted([t for f in part if f.joined for t in f.joined.split(" ")]))
            span = self._spans[part] = (stems, wsum, joined, sum(f.length for f in part))
        return span

    def candidate_pairs(self, i0: int, i1: int, j0: int, j1: int) -> list[tuple[int, int]]:
        """Likely matches of seed ``i0:i1`` in reference ``j0:j1``: anchors for the band.

        A pair is proposed when the sentences share stems that are rare *within these ranges*
        (so a word common in the whole book can still anchor a short stretch), the votes are
        unambiguous both ways (the seed sentence clearly prefers that reference sentence *and*
        the reference sentence clearly prefers that seed sentence, so a passage that occurs
        twice on one side anchors neither copy), and the two look alike.
        """
        seed_df = Counter(chain.from_iterable([f.stems for f in self.seed[i0:i1]]))
        ref_df = Counter(chain.from_iterable([f.stems for f in self.ref[j0:j1]]))
        # Rare stems on both sides: only stems that a seed sentence holds can vote.
        rare = {s for s, c in seed_df.items() if c <= _RARE_DF and 0 < ref_df[s] <= _RARE_DF}
        rare.difference_update(self.stopwords)
        index: dict[str, list[int]] = defaultdict(list)
        for j in range(j0, j1):
            stems = self.ref[j].stems
            if not stems.isdisjoint(rare):
                for s in stems.intersection(rare):
                    index[s].append(j)
        proposed: list[tuple[int, int]] = []
        # For every reference sentence, its best and second-best seed vote.
        ref_best: dict[int, tuple[float, int, float]] = {}
        weight = self.weight
        for i in range(i0, i1):
            stems = self.seed[i].stems
            if stems.isdisjoint(rare):
                continue
            votes: dict[int, float] = defaultdict(float)
            for s in filter(rare.__contains__, stems):  # (in the set's order, as the sums were)
                w = weight[s]
                for j in index[s]:
                    votes[j] += w
            best_j, best, second = -1, 0.0, 0.0
            for j, v in votes.items():
                if v > best:
                    best_j, best, second = j, v, best
                elif v > second:
                    second = v
                top, seed_at, runner_up = ref_best.get(j, (0.0, -1, 0.0))
                if v > top:
                    ref_best[j] = (v, i, top)
                elif v > runner_up:
                    ref_best[j] = (top, seed_at, v)
            if best >= 1.5 * second:
                proposed.append((i, best_j))
        pairs = []
        for i, j in proposed:
            top, seed_at, runner_up = ref_best[j]
            mutual = seed_at == i and top >= 1.5 * runner_up
            if mutual and self.similarity(i, i + 1, j, j + 1) >= 0.4:
                pairs.append((i, j))
        return pairs
