"""Omissions and additions inside an aligned bead: content that only one side has.

Whole sentences without a counterpart are the aligner's business; this check looks inside a
bead.  The rule, so that a reviewer can predict it:

1. Diff the words of the seed and the reference (:func:`toolkit.checks.diff.token_diff`).
   Changed blocks that follow each other, or are separated only by one or two function
   words ("of the"), form one *region*.
2. In a region, a seed *content word* is **extra** when its stem occurs nowhere in the
   reference, and a reference content word is **missing** when its stem occurs nowhere in
   the seed.  A word found anywhere on the other side was moved, not dropped, so a phrase
   moved to another place in the sentence never counts.  The stem is the snowball stem
   (of the language's stemmer, :meth:`toolkit.lang.Language.stem`) of the lowercase word
   without a possessive "'s"; a hyphenated word also matches through its parts
   ("six-kilometre" / "six kilometres"), a number through its value ("six" / "6"), and
   capitalised words whose initials spell an acronym of the other side ("United Nations" /
   "UN") are not counted.
3. The *surplus* of a region is the difference between the two counts.  A paraphrase of
   similar length nets out.  A replacement carries an omission or addition only when one
   side is much longer: at least twice as many unmatched content words as the other.
4. A surplus of **3 or more** content words, or **2** when a name or a number is among
   them (and the other side of the region has none in their place: a name or number
   swapped for another is the entity and number checks' business), is flagged: missing
   reference words as ``accuracy/omission``, extra seed words as ``accuracy/addition``.
   It is **major** when the surplus is 5 content words or more, or more than 30% of the
   content words of the longer side's whole text; otherwise minor.
5. Nothing is flagged when the two texts share less than 40% of the content words of each
   side: their diff is a rewrite or a misalignment, and says nothing about what is missing.

Content words are the words not in the language's ``[words] function`` list (articles, pronouns,
auxiliaries, prepositions, conjunctions, frequent adverbs and light verbs such as "get" or
"make", and "one").  A name is a capitalised content word that does not start a sentence; a
number is a digit run or a spelled-out number from ten up.

Spans: an addition spans the seed words of its region.  An omission spans the seed words
of its region when the region has any (a replacement), or else the seed words on both sides
of the gap (the word before and the word after the insertion point, or the one neighbour
at either end of the sentence).  Messages quote the words of the other side, cut to about
60 characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import chain
from operator import attrgetter

from toolkit.checks import Category, Finding, PairFunction, Severity, register
from toolkit.checks.diff import Block, Token, quote, token_diff, word_tokens
from toolkit.lang import Language, language

__all__ = ["CHECK", "Vocabulary", "check_omission", "is_content_word", "vocabulary"]


@dataclass(frozen=True, slots=True, eq=False)  # one per language (cached): hashed by identity
class Vocabulary:
    """What the omission check reads from a language's data file.

    Attributes:
        function: Words without content (``[words] function``).
        number_values: Spelled-out numbers -> their value as digits: their stem, so that
            "six" matches "6".
        number_words: Words that make a number an anchor: spelled-out numbers but the word
            for one (as often a pronoun, "one of them", as a number), scales and nouns of number.
        small_numbers: Numbers below ten, spelled out in paraphrases ("the two sides"): no
            anchor, unlike digits.
    """

    function: frozenset[str]
    number_values: Mapping[str, str]
    number_words: frozenset[str]
    small_numbers: frozenset[str]
    language: Language
    known: _Known = field(init=False, repr=False)  # what _stems has read

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", _Known(self))

    def stem(self, word: str) -> str:
        return self.language.stem(word)


@cache
def vocabulary(language: Language) -> Vocabulary:
    """The omission vocabulary of ``language`` (empty tables where its file has none)."""
    values: dict[str, int] = {}
    scales: set[str] = set()
    if language.has("numbers.units"):
        values = {**language.numbers("units"), **language.numbers("tens")}
        scales = {*language.numbers("group_scales"), *language.numbers("scales")}
    nouns = language.words("number_nouns", default=frozenset())
    return Vocabulary(
        function=language.words("function", default=frozenset()),
        number_values={word: str(value) for word, value in values.items()},
        number_words=frozenset(w for w, v in values.items() if v != 1) | scales | nouns,
        small_numbers=frozenset(w for w, v in values.items() if v < 10 and v != 1),
        language=language,
    )


_HYPHEN = re.compile("[-\u2010\u2011]")
# Words in capitals: r"\b[A-Z][A-Z0-9]+\b", with the boundary before the first letter checked
# behind it, so that the regex engine looks only at capitals (twice as fast).
_ACRONYM = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z0-9]+\b")
_MIN_SURPLUS = 3  # content words
_MIN_SURPLUS_ANCHORED = 2  # ... when a name or a number is among them
_MIN_RATIO = 2  # unmatched content words of the longer side against the shorter side
_MAJOR_SURPLUS = 5
_MAJOR_SHARE = 0.3
_MIN_OVERLAP = 0.4  # share of content words that the two texts must have in common
_MAX_GLUE = 2  # function words that may separate two changes of one region
# After these characters a capital letter starts a sentence, not a name.
_SENTENCE_OPENERS = frozenset(".!?:;\"'(\u201c\u2018\u00ab\u2014\u2013-")


def is_content_word(key: str, *, language: Language | None = None) -> bool:
    """Whether a lowercase word (a token ``key``) carries content: a number, or a word of
    two letters or more that is not a function word of ``language`` (default English)."""
    return bool(_content_stems(key, vocabulary(language or _english())))


def _english() -> Language:
    return language("en")


@lru_cache(maxsize=65536)
def _content_stems(key: str, v: Vocabulary) -> tuple[str, ...]:
    """The stem of a content word, then the stems of its hyphenated parts; ``()`` for a
    function word.

    A stem is the language's snowball stem once a possessive is dropped; a number's stem is
    its value without separators ("1,200" -> "1200", "six" -> "6").
    """
    if key[0].isdigit():
        return (key.replace(",", "").replace("\u00a0", ""),)
    if len(key) < 2 or key in v.function:
        return ()
    if key in v.number_values:
        return (v.number_values[key],)
    if key.endswith("'s"):
        key = key[:-2]
    key = key.rstrip("'")
    parts = [p for p in _HYPHEN.split(key) if p]
    if len(parts) < 2:
        return (v.stem(key),)
    return (v.stem(key), *(stem for p in parts for stem in _content_stems(p, v)[:1]))


_KEY = attrgetter("key")
_KNOWN_LIMIT = 65536  # words whose stems are kept; beyond, they are forgotten and read again


class _Known(dict[str, tuple[str, ...]]):
    """:func:`_content_stems` of the words read so far, by key: one dict lookup per word."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__()
        self.vocabulary = vocabulary

    def __missing__(self, key: str) -> tuple[str, ...]:
        if len(self) > _KNOWN_LIMIT:
            self.clear()
        stems = self[key] = _content_stems(key, self.vocabulary)
        return stems


def _stems(tokens: Sequence[Token], v: Vocabulary) -> list[tuple[str, ...]]:
    """:func:`_content_stems` of each token."""
    return list(map(v.known.__getitem__, map(_KEY, tokens)))


def _content_count(tokens: Sequence[Token], v: Vocabulary) -> int:
    """How many of ``tokens`` are content words."""
    return len(tokens) - _stems(tokens, v).count(())


class _Side:
    """The content stems of one text, to ask whether a word of the other text occurs in it."""

    __slots__ = ("_acronyms", "_digits", "content", "heads", "stems", "text")

    def __init__(self, text: str, v: Vocabulary) -> None:
        words = list(filter(None, _stems(word_tokens(text), v)))
        self.text = text
        self.content = len(words)  # content words, counted with repeats
        self.heads = frozenset([stems[0] for stems in words])
        self.stems = frozenset(chain.from_iterable(words))
        self._digits: tuple[str, ...] | None = None
        self._acronyms: frozenset[str] | None = None

    def has(self, stems: tuple[str, ...]) -> bool:
        """Whether this text has a word with one of ``stems``."""
        if not self.stems.isdisjoint(stems):
            return True
        if not stems[0][0].isdigit():
            return False
        # "[1, 1]" against "[1,1]": digit groups split or joined differently still match.
        if self._digits is None:
            self._digits = tuple(s for s in self.heads if s[0].isdigit())
        number = stems[0]
        return any(number in d or d in number for d in self._digits)

    @property
    def acronyms(self) -> frozenset[str]:
        """Words in capitals ("NASA", "UN")."""
        if self._acronyms is None:
            self._acronyms = frozenset(_ACRONYM.findall(self.text))
        return self._acronyms

    def share_in(self, other: _Side) -> float:
        """The share of this text's content stems that ``other`` has (0 without any)."""
        return len(self.heads & other.stems) / len(self.heads) if self.heads else 0.0


@lru_cache(maxsize=1024)
def _side(text: str, v: Vocabulary) -> _Side:
    return _Side(text, v)


def _is_anchor(text: str, tokens: Sequence[Token], token: Token, v: Vocabulary) -> bool:
    """A number (digits, or spelled out from ten up), or a name: a capitalised word that
    does not start a sentence."""
    key = token.key
    if key[0].isdigit() or (key in v.number_words and key not in v.small_numbers):
        return True
    if not token.text[0].isupper() or token is tokens[0]:
        return False
    before = text[: token.start].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_OPENERS


def _spelled_acronyms(
    unmatched: list[Token], words: list[Token], acronyms: frozenset[str], function: frozenset[str]
) -> list[Token]:
    """``unmatched`` without the capitalised ``words`` whose initials spell one of
    ``acronyms`` ("National Aeronautics and Space Administration" for "NASA")."""
    capitals = [i for i, t in enumerate(words) if t.text[0].isupper()]
    initials = "".join(words[i].text[0] for i in capitals)
    spelled: set[int] = set()
    for acronym in acronyms:
        at = initials.find(acronym)
        while at >= 0:
            first, last = capitals[at], capitals[at + len(acronym) - 1]
            # Only function words ("and", "of") may stand between the capitalised words.
            if all(t.key in function for t in words[first:last] if not t.text[0].isupper()):
                spelled.update(words[i].start for i in range(first, last + 1))
            at = initials.find(acronym, at + 1)
    return [t for t in unmatched if t.start not in spelled] if spelled else unmatched


def _is_glue(block: Block, function: frozenset[str]) -> bool:
    return len(block.seed) <= _MAX_GLUE and all(t.key in function for t in block.seed)


def _regions(blocks: Sequence[Block], function: frozenset[str]) -> list[tuple[int, int]]:
    """Index ranges ``[first, last]`` of changed blocks that form one region."""
    regions = []
    i, n = 0, len(blocks)
    while i < n:
        if blocks[i].tag == "equal":
            i += 1
            continue
        j = i
        while j + 1 < n:
            if blocks[j + 1].tag != "equal":
                j += 1
            elif j + 2 < n and _is_glue(blocks[j + 1], function):
                j += 2
            else:
                break
        regions.append((i, j))
        i = j + 1
    return regions


def _unmatched(words: list[Token], other: _Side, v: Vocabulary) -> list[Token]:
    """The content words of ``words`` that the other side has nowhere."""
    known = v.known
    found = []
    for token in words:
        stems = known[token.key]
        if stems and not other.has(stems):
            found.append(token)
    return found


def check_omission(seed: str, ref: str, *, language: Language | None = None) -> list[Finding]:
    """Flag long stretches of content that only the seed, or only the reference, has.

    See the module docstring for the rule.

    Args:
        seed: The seed sentence text; finding offsets point into it.
        ref: The reference text aligned to the seed.
        language: Their language (default English): its function and number words.

    Returns:
        One ``accuracy/omission`` or ``accuracy/addition`` finding per region with a
        surplus, in seed order.
    """
    diff = token_diff(seed, ref)
    if not diff.seed:
        return []
    blocks = diff.blocks
    v = vocabulary(language or _english())
    candidates = []
    for first, last in _regions(blocks, v.function):
        if first == last:
            seed_words, ref_words = list(blocks[first].seed), list(blocks[first].ref)
        else:
            seed_words, ref_words = [], []
            for block in blocks[first : last + 1]:
                if block.tag != "equal":
                    seed_words += block.seed
                    ref_words += block.ref
        # A change of one content word cannot leave a surplus of two (the test on the
        # number of words first, as it is cheaper).
        if (
            len(seed_words) >= _MIN_SURPLUS_ANCHORED or len(ref_words) >= _MIN_SURPLUS_ANCHORED
        ) and (
            _content_count(seed_words, v) >= _MIN_SURPLUS_ANCHORED
            or _content_count(ref_words, v) >= _MIN_SURPLUS_ANCHORED
        ):
            candidates.append((first, last, seed_words, ref_words))
    if not candidates:
        return []
    seed_side, ref_side = _side(seed, v), _side(ref, v)
    # Texts that share almost nothing are a misalignment or a rewrite, not an omission.
    if max(seed_side.share_in(ref_side), ref_side.share_in(seed_side)) < _MIN_OVERLAP:
        return []
    findings: list[Finding] = []
    for first, last, seed_words, ref_words in candidates:
        extra = _unmatched(seed_words, ref_side, v)
        missing = _unmatched(ref_words, seed_side, v)
        if len(extra) > 1 and ref_side.acronyms:
            extra = _spelled_acronyms(extra, seed_words, ref_side.acronyms, v.function)
        if len(missing) > 1 and seed_side.acronyms:
            missing = _spelled_acronyms(missing, ref_words, seed_side.acronyms, v.function)
        surplus = len(missing) - len(extra)
        # A name or number lowers the bar, unless the other side has one in its place: a
        # swapped name or number is the entity and number checks' business.
        if surplus > 0:
            anchored = any(_is_anchor(ref, diff.ref, t, v) for t in missing) and not any(
                _is_anchor(seed, diff.seed, t, v) for t in seed_words
            )
            whole = ref_side.content
        elif surplus < 0:
            surplus = -surplus
            anchored = any(_is_anchor(seed, diff.seed, t, v) for t in extra) and not any(
                _is_anchor(ref, diff.ref, t, v) for t in ref_words
            )
            whole = seed_side.content
        else:
            continue
        if surplus < (_MIN_SURPLUS_ANCHORED if anchored else _MIN_SURPLUS):
            continue
        # A paraphrase that is only somewhat wordier is not an omission: the longer side
        # must have at least twice as many unmatched content words as the shorter.
        if min(len(missing), len(extra)) * _MIN_RATIO > max(len(missing), len(extra)):
            continue
        major = surplus >= _MAJOR_SURPLUS or surplus > _MAJOR_SHARE * whole
        severity = Severity.major if major else Severity.minor
        if len(missing) > len(extra):
            span = seed_words or _gap(diff.seed, blocks, first, last)
            if seed_words:
                message = (
                    f'the reference has "{quote(ref, ref_words)}" where the seed has only '
                    f'"{quote(seed, seed_words)}"'
                )
            else:
                message = (
                    f'the reference has "{quote(ref, ref_words)}" here, which the seed leaves out'
                )
            category = Category.omission
        else:
            span = seed_words
            if ref_words:
                message = (
                    f'the seed has "{quote(seed, seed_words)}" where the reference has '
                    f'only "{quote(ref, ref_words)}"'
                )
            else:
                message = f'"{quote(seed, seed_words)}" is not in the reference'
            category = Category.addition
        findings.append(Finding(category, severity, span[0].start, span[-1].end, message))
    return findings


def _gap(seed: Sequence[Token], blocks: Sequence[Block], first: int, last: int) -> list[Token]:
    """The seed words around a pure insertion: the word before and the word after it, or
    the one neighbour at either end of the sentence (glue words between them included)."""
    before = sum(len(b.seed) for b in blocks[:first])
    after = before + sum(len(b.seed) for b in blocks[first : last + 1])
    return list(seed[max(before - 1, 0) : min(after + 1, len(seed))])


CHECK = register(
    PairFunction("omission", check_omission, (Category.omission, Category.addition), needs=())
)
