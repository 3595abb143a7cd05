"""Mistranslated words: a content word of the seed that the reference replaces by another.

Human references paraphrase freely, so most word differences between a machine translation
and a reference are legitimate.  The check therefore only looks where a replaced word stands
out, and stays silent whenever the two words may mean the same.  The rule, so that a
reviewer can predict it:

1. **A close bead.**  Diff the words of the seed and the reference
   (:func:`toolkit.checks.diff.token_diff`).  The bead is looked at only when at most two
   blocks differ and at least two thirds of the words of the longer side are equal.
2. **A small replacement.**  Only ``replace`` blocks of one to three words on each side.
   A block where the lemma of one of its content words occurs anywhere on the other side
   (in a word with the same first letter) is a reordering or an inflection, not a
   replacement, and is not flagged.
3. **Names are the entity check's business**: a block with a capitalised word that does not
   start its text (or an acronym) is skipped.
4. **Opposites**: a seed word and a reference word of the block that are antonyms in
   :data:`ANTONYMS` (increase/decrease, before/after, import/export, ...), inflections
   included, make the block **major**.
5. **Numbers and negations are other checks' business**: a block with a number ("3",
   "three", "first") or a negation ("not", "never", "n't", ...) is skipped.  Pronouns and
   function words are not content words; a side without content words is skipped.
6. **Same meaning is skipped**: the block is not flagged when a seed content word and a
   reference content word of it are

   * spelling variants (colour/color, organise/organize, centre/center, travelled/traveled),
   * inflections (run/ran/running, city/cities: the same lemma from snowballstemmer or
     from a table of irregular forms; or one lemma starts or ends the other: plane /
     airplane; or the first five letters agree),
   * close in spelling (Levenshtein distance 1, or rapidfuzz's Indel similarity >= 0.8),
   * synonyms in :data:`SYNONYMS` (big/large, buy/purchase, aircraft/plane, ...).
7. **Weight.**  Each pair of content words weighs the geometric mean of their rarities
   times their dissimilarity (1 - Indel similarity); rarity grows with length (0.4 for
   three letters, +0.15 a letter, 1 from seven letters on: long words are rare words).  The
   block is flagged when its heaviest pair weighs >= 0.35, as **major** when it weighs
   >= 0.75 (two long words that share next to nothing), else **minor**.

The span is the seed words of the block; the message quotes both sides:
``"planes" where the reference has "trains"``, or for antonyms ``"exported" where the
reference has the opposite, "imported"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import product

from rapidfuzz.distance import Indel, Levenshtein

from toolkit.checks import Category, Finding, PairFunction, Severity, register
from toolkit.checks.diff import Block, Token, regions, token_diff
from toolkit.checks.omission import vocabulary
from toolkit.lang import language

__all__ = ["ANTONYMS", "CHECK", "SYNONYMS", "check_mistranslation", "lemma", "related"]

_MAX_CHANGES = 2  # changed blocks in the bead
_MIN_EQUAL_SHARE = 2 / 3  # equal words, of the longer side
_MAX_BLOCK = 3  # words on each side of a replace block
_MIN_WEIGHT = 0.35
_MAJOR_WEIGHT = 0.75
_FUZZY_SIMILARITY = 0.8


# The rules are English; the word lists are in toolkit/lang/data/en.toml.
_EN = language("en")
# Frequent near-synonyms that translators swap for each other.  Groups, not a thesaurus:
# every word of a group counts as a synonym of every other word of that group.
SYNONYMS: tuple[tuple[str, ...], ...] = _EN.groups("synonyms")
# Opposites and contrasts that a translation must not swap: a swap is major.
ANTONYMS: tuple[tuple[str, str], ...] = tuple((a, b) for a, b in _EN.groups("antonyms"))
_NEGATIONS = _EN.words("negations")
_PRONOUNS = frozenset(form for pronoun in _EN.pronouns for form in pronoun.forms)
_NOT_CONTENT = vocabulary(_EN).function | _PRONOUNS
_NUMBERS = vocabulary(_EN).number_words | _EN.words("ordinals") | {"one"}
# Irregular forms -> lemma (the regular ones go through the language's snowball stemmer).
_IRREGULAR: dict[str, str] = {form: group[0] for group in _EN.groups("irregular") for form in group}
# British and American spellings, each mapped onto one form.
_SPELLING = (
    (re.compile(r"our(?=s?$|ed$|ing$|ite|able|ful|less|er)"), "or"),
    (re.compile(r"(?<=[a-z]{2})is(?=e$|es$|ed$|ing$|ation|er)"), "iz"),
    (re.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz"),
    (re.compile(r"(?<=[^aeiou])re(s?)$"), r"er\1"),
    (re.compile(r"ll(?=ed$|ing$|er$|or$)"), "l"),
    (re.compile(r"ogue(s?)$"), r"og\1"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])|(?<=[a-z])oe(?=[a-z]{2})"), "e"),
    (re.compile(r"ence(s?)$"), r"ense\1"),
    (re.compile(r"mme(s?)$"), r"m\1"),
)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A rough lemma of a lowercase word: irregular forms looked up, the others stemmed by
    snowballstemmer ("running" -> "run", "cities" -> "citi", "ran" -> "run").  Only ever
    compared with another lemma."""
    word = word.removesuffix("'s").rstrip("'")
    base = _IRREGULAR.get(word)
    if base is not None:
        return base
    return _EN.stem(word)


def _spelling(word: str) -> str:
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


_SYNONYM_GROUPS: dict[str, frozenset[int]] = {}
for _i, _group in enumerate(SYNONYMS):
    for _word in _group:
        _key = lemma(_word)
        _SYNONYM_GROUPS[_key] = _SYNONYM_GROUPS.get(_key, frozenset()) | {_i}
_ANTONYM_PAIRS = frozenset(frozenset((lemma(a), lemma(b))) for a, b in ANTONYMS)


@lru_cache(maxsize=65536)
def related(a: str, b: str) -> bool:
    """Whether two lowercase words may mean the same: equal lemmas, spelling variants,
    one the start or end of the other, close spelling, or synonyms in :data:`SYNONYMS`."""
    if a == b:
        return True
    la, lb = lemma(a), lemma(b)
    if la == lb or (a[:5] == b[:5] and min(len(a), len(b)) >= 5):
        return True
    short, long = sorted((la, lb), key=len)
    if len(short) >= 3 and (long.startswith(short) or long.endswith(short)):
        return True
    if _spelling(a) == _spelling(b):
        return True
    if Levenshtein.distance(a, b) <= 1 or Indel.normalized_similarity(a, b) >= _FUZZY_SIMILARITY:
        return True
    groups = _SYNONYM_GROUPS.get(la)
    return groups is not None and not groups.isdisjoint(_SYNONYM_GROUPS.get(lb, ()))


def _is_antonym(a: str, b: str) -> bool:
    return frozenset((lemma(a), lemma(b))) in _ANTONYM_PAIRS


def _rarity(word: str) -> float:
    """0.4 for a three-letter word, rising by 0.15 a letter to 1 from seven letters on."""
    return min(1.0, max(0.0, 0.4 + 0.15 * (len(word) - 3)))


def _weight(a: str, b: str) -> float:
    return (_rarity(a) * _rarity(b)) ** 0.5 * (1.0 - Indel.normalized_similarity(a, b))


def _is_name(token: Token, first: Token) -> bool:
    """Capitalised, and not just because it starts the text (an acronym always counts)."""
    return token.text[0].isupper() and (token is not first or token.text.isupper())


def _is_number_or_negation(key: str) -> bool:
    return key[0].isdigit() or key in _NUMBERS or key in _NEGATIONS or key.endswith("n't")


def _quote(text: str, tokens: Sequence[Token]) -> str:
    return " ".join(text[tokens[0].start : tokens[-1].end].split())


def check_mistranslation(seed: str, ref: str) -> list[Finding]:
    """Flag seed content words that the reference replaces by a word of another meaning.

    See the module docstring for the rule.

    Args:
        seed: The seed sentence text; finding offsets point into it.
        ref: The reference text aligned to the seed.

    Returns:
        One ``accuracy/mistranslation`` finding per flagged replace block, in seed order.
    """
    diff = token_diff(seed, ref)
    blocks = diff.blocks
    if len(blocks) < 2:
        return []  # identical, or nothing in common
    changes = [b for b in blocks if b.tag != "equal"]
    if len(changes) > _MAX_CHANGES:
        return []
    equal = sum(len(b.seed) for b in blocks if b.tag == "equal")
    if equal < _MIN_EQUAL_SHARE * max(len(diff.seed), len(diff.ref)):
        return []
    findings: list[Finding] = []
    seed_region, _, found = regions(diff)
    first_token = {t.start: k for k, t in enumerate(diff.seed)}
    for block in changes:
        if block.tag != "replace" or len(block.seed) > _MAX_BLOCK or len(block.ref) > _MAX_BLOCK:
            continue
        verdict = _judge(block, diff.seed, diff.ref)
        if verdict is None:
            continue
        severity, opposite = verdict
        # Name what the reference has in the whole changed region ("keeping alive" for
        # "preserving"), not only the words of this block ("alive").
        region = found[seed_region[first_token[block.seed[0].start]]]
        counterpart = diff.ref[region.ref_start : region.ref_end] or block.ref
        seed_words, ref_words = _quote(seed, block.seed), _quote(ref, counterpart)
        findings.append(
            Finding(
                Category.mistranslation,
                severity,
                block.seed[0].start,
                block.seed[-1].end,
                f'"{seed_words}" where the reference has '
                f'{"the opposite, " if opposite else ""}"{ref_words}"',
            )
        )
    return findings


def _judge(
    block: Block, seed: Sequence[Token], ref: Sequence[Token]
) -> tuple[Severity, bool] | None:
    """The severity of a replace block and whether it swaps opposites, or None when the
    block is not a mistranslation."""
    # Names, numbers and negations are the entity, number and negation checks' business.
    if any(_is_name(t, seed[0]) for t in block.seed) or any(_is_name(t, ref[0]) for t in block.ref):
        return None
    seed_keys = [t.key for t in block.seed]
    ref_keys = [t.key for t in block.ref]
    for a, b in product(seed_keys, ref_keys):
        if _is_antonym(a, b) and not _occurs(a, ref) and not _occurs(b, seed):
            return Severity.major, True
    if any(_is_number_or_negation(k) for k in (*seed_keys, *ref_keys)):
        return None
    seed_words = [k for k in seed_keys if _is_content(k)]
    ref_words = [k for k in ref_keys if _is_content(k)]
    if not seed_words or not ref_words:
        return None
    if any(related(a, b) for a, b in product(seed_words, ref_words)):
        return None
    weight = max(_weight(a, b) for a, b in product(seed_words, ref_words))
    if weight < _MIN_WEIGHT:
        return None
    # A word that the other side has elsewhere was moved or inflected, not mistranslated.
    if any(_occurs(w, ref) for w in seed_words) or any(_occurs(w, seed) for w in ref_words):
        return None
    return (Severity.major if weight >= _MAJOR_WEIGHT else Severity.minor), False


def _occurs(word: str, tokens: Sequence[Token]) -> bool:
    """Whether a word with the lemma of ``word`` (and its first letter) is among ``tokens``."""
    base, initial = lemma(word), word[0]
    return any(lemma(t.key) == base for t in tokens if t.key[0] == initial)


def _is_content(key: str) -> bool:
    return len(key) > 2 and key not in _NOT_CONTENT


CHECK = register(
    PairFunction(
        "mistranslation",
        check_mistranslation,
        (Category.mistranslation,),
        languages=frozenset({"en"}),
    )
)
