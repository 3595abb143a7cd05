"""Names that differ between the seed and the reference: "Riga" / "Tallinn".

The rule, so that a reviewer can predict it:

1. **Names.**  A word is a name when it is capitalised and does not start a sentence, or when
   it is an acronym (two or more letters, all capitals: "NATO", "USSR", "U.S", "US"), unless
   it is a function word, a pronoun or a title (:data:`NOT_NAMES`: "The", "I'd", "President",
   "Mr"), a Roman numeral or "AM" / "PM".  A sentence starts at the start of the text, after
   ``. ! ? : ;`` (not after "Mr." or an initial such as "J."), after a line break, after an
   opening quote or bracket, and after a bracket that itself starts a sentence ("(Applause)
   Things ...").  A capitalised word that starts a sentence is a name only when the same word
   is a name elsewhere in either text.  Months and weekdays are names ("May" / "June" is a
   divergence; "May" starting a sentence follows the rule above).  A text in title case (two
   or more capitalised function words inside a sentence: "About", "With") offers only its
   acronyms as names; a text mostly in capitals offers none.  Names that follow each other
   form a *run* ("Xi Jinping", "Shanghai Cooperation Organization").
2. **Matching.**  A name of one side *matches* a word of the other side that is

   * the same word in any case, with or without a possessive, capitalised or not
     ("Moscow" / "MOSCOW", "Russia's" / "Russia"): a name that the other text writes in
     lowercase is never flagged;
   * a capitalised word that is the same name up to transliteration or a demonym
     (:func:`same_name`): Kiev / Kyiv, Zelensky / Zelenskyy, Tchaikovsky / Chaikovsky,
     Gorbachev / Gorbachov, Tse-tung / Zedong, Russia / Russian, China / Chinese, Britain /
     British; but not Peking / Beijing, Austria / Australia, Iran / Iraq, Hubei / Hebei, or
     Spain / Spanish (too short a shared beginning);
   * for a word glued to others by a dash or a dot ("Sweden-their", "Russian-Chinese"), the
     same for each capitalised part;
   * an acronym that abbreviates the word ("CA" / "California", "UV" / "ultraviolet");
   * for a stretch of a run, an acronym made of its initials, connectors such as "and" or
     "of" skipped or not (SCO / Shanghai Cooperation Organization, NASA / National
     Aeronautics and Space Administration), or a name of the same :data:`ALIASES` group
     (US / America / United States, UK / Britain, USSR / Soviet Union, PRC / China, ...).

   Each word of the other side matches one name at most (except a glued word), so a name
   the seed writes once and the reference twice leaves one reference occurrence unmatched.
   Names in ``equal`` blocks of the word diff (:func:`toolkit.checks.diff.token_diff`) match
   their counterpart.  A run matches when any of its names does: "Vladimir Putin" / "Putin"
   and "Xi Jinping" / "Xi" are not flagged.
3. **Findings.**  Consecutive changed blocks of the diff form a *region*.

   * *Substituted* (major): unmatched seed names and unmatched reference names in the same
     region, unless both are generic heads of names (:data:`GENERIC`: "Hudson Avenue" /
     "Hudson Street"); "North Korea" / "South Korea" flags "North".  Also, when exactly one
     unmatched seed run stands in a region that the reference leaves empty and exactly one
     unmatched reference run in a region that the seed leaves empty, those two ("In Riga,
     talks began" / "Talks began in Tallinn").  Message: ``"Riga" differs from the reference,
     which has "Tallinn"``.
   * *Added* (minor): a seed run with no matching name, in a region that the reference leaves
     empty.  A name facing other reference words (a description, a pronoun) is not flagged:
     the reference may say "the president" for "Putin".  Message: ``name "Riga" is not in the
     reference (added)``.  Minor, because references often leave out a name that the context
     makes clear.
   * *Dropped from a list* (major): an unmatched reference run joined by a comma, "and",
     "or", "&" or "as well as" to a reference run that matches the seed, in a region where
     the seed has nothing but connecting words or names found elsewhere ("Russia, China and
     India" / "Russia and China").  It spans the seed names of the list's other members.
     Message: ``the reference also names "India"``.

   Nothing is flagged when fewer than 20% of the seed's words are in ``equal`` blocks: the
   reference is then a rewrite of the seed, or not its translation at all (a misalignment).
   Reference names outside the part of the reference that the seed covers are not used:
   before the first (after the last) ``equal`` block, the reference counts only when it is
   at most three words longer than the seed there, because in a bead where two seed
   sentences share one reference, the rest of the reference belongs to the other sentence.

Known limits: a name that starts both sentences and appears nowhere else ("Riga hosted ..."
/ "Tallinn hosted ...") is not a name by rule 1 and is not flagged; metonymy is a
substitution ("Moscow" / "Russia", "the Kremlin" / "Moscow"), and so are a unit or a term
written as a different name ("Celsius" / "Centigrade"); a few different places are close
enough to pass as one name (Niger / Nigeria, Guinea / Guyana, Angola / Anguilla).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Indel

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
from toolkit.lang import language

__all__ = ["ALIASES", "CHECK", "GENERIC", "NOT_NAMES", "check_entities", "same_name"]


# The rules are English; the word lists are in toolkit/lang/data/en.toml.
_EN = language("en")
# Capitalised words that are not names (lowercase keys).
_FUNCTION_WORDS = _EN.words("name_non_heads")
_TITLES = _EN.words("titles")
NOT_NAMES: frozenset[str] = _FUNCTION_WORDS | _TITLES
# Capitalised mid-sentence, two of these mean the text is in title case ("On the Talks With").
_TITLE_CASE_TELLS = _FUNCTION_WORDS - _EN.words("not_title_case_tells")
_ROMAN = re.compile(r"[IVXLCDM]+")
_NOT_ACRONYMS = _EN.words("not_acronyms")
# Abbreviations after which a full stop does not end a sentence ("Mr. Smith").
_ABBREVIATIONS = _EN.words("abbreviations")
_OPENERS = frozenset("\"'([{\u201c\u2018\u00ab\u201e")
_ENDERS = frozenset(".!?:;\u2026\n\r")
# Before "<space>Word", only these can make the word start a sentence (or a bracketed one).
_AFTER_SPACE = _ENDERS | frozenset(" \t\u00a0)]") | _OPENERS
_LIST_JOINT = re.compile(r"\s*(?:,|&|,?\s*(?:and|or|as well as))\s*", re.IGNORECASE)
_CONNECTING = _EN.words("list_joints")
_CONNECTORS = _EN.words("name_connectors")  # inside a long name
# Generic heads of names: "Hudson Avenue" / "Hudson Street" is a translation choice.
GENERIC: frozenset[str] = _EN.words("generic_heads")
ALIASES: tuple[frozenset[str], ...] = tuple(frozenset(g) for g in _EN.groups("aliases"))
_ALIAS_OF: dict[str, int] = {name: n for n, group in enumerate(ALIASES) for name in group}
# Endings that turn a country into a demonym or a plural (rule 2).
_ENDINGS = _EN.words("demonym_endings") | {""}
_TRANSLITERATION = (
    ("tch", "ch"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"),
    ("tz", "z"), ("ts", "z"), ("dz", "z"), ("j", "i"), ("y", "i"),
)  # fmt: skip
_C_NOT_CH = re.compile(r"c(?!h)")
_GLUE = re.compile(r"[-.]")
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")
_VOICELESS = str.maketrans("bdgvz", "ptkfs")

_EDGE_SLACK = 3  # reference words tolerated beyond the seed at either end
_MIN_SHARED = 0.2  # share of seed words in equal blocks below which nothing is flagged
_SHOUTING = 0.5  # share of all-capital words from which a text offers no names


class _Caps(NamedTuple):
    """The name candidates of one text (made for every seed and reference: a named tuple is
    cheaper to make than a frozen dataclass)."""

    names: tuple[int, ...]  # token indices of names inside a sentence, and acronyms
    initial: tuple[int, ...]  # capitalised words that start a sentence
    base: dict[int, str]  # base (lowercase, no possessive) of those tokens
    name_bases: frozenset[str]  # bases of ``names``
    text: str


@dataclass(slots=True)
class _Side:
    """The names of one side of a pair and what they match."""

    tokens: tuple[Token, ...]
    text: str
    names: list[int]  # token indices, ascending
    run: dict[int, int]  # token index -> index of its run's first token
    region: list[int]  # region of every token, -1 inside an equal block
    partner: dict[int, int]  # name token -> the other side's token it matches


def check_entities(seed: str, ref: str) -> list[Finding]:
    """Flag names that the reference replaces, lacks or has in addition to a list.

    Args:
        seed: The seed sentence text; finding offsets point into it.
        ref: The reference text aligned to the seed.

    Returns:
        ``accuracy/entity`` findings in seed order: major for a name the reference replaces by
        another and for a list member only the reference names, minor for a name only the
        seed has (see the module docstring).
    """
    seed_caps = _capitals(seed)
    if not seed_caps.names and not seed_caps.initial:
        return []
    ref_caps = _capitals(ref)
    known = seed_caps.name_bases | ref_caps.name_bases
    seed_names = _names(seed_caps, known)
    if not seed_names:
        return []
    ref_names = _names(ref_caps, known)
    if _all_found(seed_caps, seed_names, ref_caps) and _all_found(ref_caps, ref_names, seed_caps):
        return []  # every name matches a word of the same spelling on the other side
    diff = token_diff(seed, ref)
    if not diff.ref:
        return []
    seed_region, ref_region, regions = diff_regions(diff)
    if seed_region.count(-1) < _MIN_SHARED * len(diff.seed):
        return []  # a rewrite or a misalignment: no region says what faces what
    s = _side(seed, diff.seed, seed_names, seed_region)
    r = _side(ref, diff.ref, ref_names, ref_region)
    _align_equal(diff, s, r)
    _match(s, r)
    _match(r, s)
    _match_runs(s, r)
    low, high = covered_range(diff, regions, slack=_EDGE_SLACK)
    seed_groups = _groups(s, lambda i: True)
    ref_groups = _groups(r, lambda j: low <= j < high)
    findings: list[Finding] = []
    used_ref: set[int] = set()
    paired_seed: set[int] = set()
    # Substitutions within one region.
    for group in seed_groups:
        region = s.region[group[0]]
        facing = [g for g in ref_groups if r.region[g[0]] == region and g[0] not in used_ref]
        if facing and not _generic(s, group, r, facing[0]):
            used_ref.add(facing[0][0])
            paired_seed.add(group[0])
            findings.append(_substituted(s, r, group, facing[0]))
    # A name moved and changed: one unmatched run deleted, one inserted.
    lone_seed = [
        g
        for g in seed_groups
        if g[0] not in paired_seed and _whole_run(s, g) and _empty_facing(regions, s, g, "ref")
    ]
    lone_ref = [
        g
        for g in ref_groups
        if g[0] not in used_ref and _whole_run(r, g) and _empty_facing(regions, r, g, "seed")
    ]
    if len(lone_seed) == 1 and len(lone_ref) == 1:
        used_ref.add(lone_ref[0][0])
        paired_seed.add(lone_seed[0][0])
        findings.append(_substituted(s, r, lone_seed[0], lone_ref[0]))
    # Added names.
    for group in lone_seed:
        if group[0] not in paired_seed:
            first, last = s.tokens[group[0]], s.tokens[group[-1]]
            name = seed[first.start : last.end]
            findings.append(
                Finding(
                    Category.entity,
                    Severity.minor,
                    first.start,
                    last.end,
                    f'name "{name}" is not in the reference (added)',
                )
            )
    # List members that only the reference names.
    for group in ref_groups:
        if group[0] in used_ref or not _whole_run(r, group):
            continue
        finding = _dropped(s, r, regions, group)
        if finding is not None:
            findings.append(finding)
    unique = {(f.start, f.end, f.message): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.start, f.end))


# -- names of one text -------------------------------------------------------------------------


def _base(key: str) -> str:
    """Lowercase key without a possessive: "russia's" -> "russia"."""
    return key[:-2] if key.endswith("'s") else key


def _is_acronym(text: str) -> bool:
    if len(text) < 2 or not (text[1].isupper() or text[1] == "."):
        return False
    letters = text.replace(".", "").removesuffix("'s").removesuffix("\u2019s")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` starts a sentence (rule 1)."""
    j = start - 1
    if j >= 0 and text[j] in _OPENERS:
        return True
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    if j < 0:
        return True
    char = text[j]
    if char in ")]":  # "(Applause) Things ...": a bracket that itself starts a sentence
        k = text.rfind("(" if char == ")" else "[", 0, j)
        return k >= 0 and _starts_sentence(text, k)
    if char not in _ENDERS:
        return False
    if char == ".":
        k = j
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        word = text[k:j]
        if len(word) == 1 and word.isupper():  # an initial: "J. K. Rowling"
            return False
        if word.lower() in _ABBREVIATIONS:
            return False
    return True


@lru_cache(maxsize=4096)
def _capitals(text: str) -> _Caps:
    """Name candidates of ``text`` (rule 1); cached, a seed sentence meets several references."""
    tokens = word_tokens(text)
    names: list[int] = []
    initial: list[int] = []
    acronyms: list[int] = []
    base: dict[int, str] = {}
    tells = shouting = 0
    for i in [i for i, t in enumerate(tokens) if t.text[0].isupper()]:
        word, start, _, key = tokens[i]
        b = base[i] = key[:-2] if key.endswith("'s") else key
        if len(word) > 1 and (word[1].isupper() or word[1] == ".") and _is_acronym(word):
            shouting += 1  # "US" and "IT" in capitals are a country and a field
            if b not in _NOT_ACRONYMS and not _ROMAN.fullmatch(word):
                acronyms.append(i)
        elif b in NOT_NAMES or ("'" in b and b.partition("'")[0] in NOT_NAMES):
            continue  # "The", "I'd", "He'll", "Let's"
        elif not (
            start > 1 and text[start - 1] == " " and text[start - 2] not in _AFTER_SPACE
        ) and _starts_sentence(text, start):
            initial.append(i)
        elif b in _TITLE_CASE_TELLS:
            tells += 1
        elif len(word) > 1:
            names.append(i)
    if shouting >= 3 and shouting >= _SHOUTING * sum(len(t.text) > 1 for t in tokens):
        names, initial, acronyms = [], [], []
    elif tells >= 2:
        names, initial = [], []
    found = tuple(sorted(names + acronyms)) if acronyms else tuple(names)
    return _Caps(found, tuple(initial), base, frozenset([base[i] for i in found]), text)


def _names(caps: _Caps, known: frozenset[str]) -> list[int]:
    """Names of one side: its own, plus sentence starts that are names in either text."""
    if not caps.initial:
        return list(caps.names)
    return sorted([*caps.names, *(i for i in caps.initial if caps.base[i] in known)])


def _all_found(caps: _Caps, names: list[int], other: _Caps) -> bool:
    """Whether every name (each spelled once) is a word of the other text, in any case."""
    bases = [caps.base[i] for i in names]
    if len(set(bases)) != len(bases):
        return False
    lower = other.text.lower().replace("\u2019", "'")
    return all(_occurs(b, lower) for b in bases)


def _occurs(word: str, text: str) -> bool:
    """Whether ``word`` occurs in ``text`` as a whole word (a possessive may follow)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return True
        at = text.find(word, at + 1)
    return False


def _side(text: str, tokens: tuple[Token, ...], names: list[int], region: list[int]) -> _Side:
    """The names of one side, grouped into runs."""
    run: dict[int, int] = {}
    previous = -2
    for i in names:
        joined = previous == i - 1 and not text[tokens[previous].end : tokens[i].start].strip()
        run[i] = run[previous] if joined else i
        previous = i
    return _Side(tokens, text, names, run, region, {})


# -- matching ----------------------------------------------------------------------------------


def _align_equal(diff: TokenDiff, s: _Side, r: _Side) -> None:
    """Names inside equal blocks match their counterpart."""
    si = ri = 0
    seed_names, ref_names = set(s.names), set(r.names)
    for block in diff.blocks:
        ns, nr = len(block.seed), len(block.ref)
        if block.tag == "equal":
            for k in range(ns):
                if si + k in seed_names:
                    s.partner[si + k] = ri + k
                if ri + k in ref_names:
                    r.partner[ri + k] = si + k
        si += ns
        ri += nr


def _variants(token: Token) -> tuple[str, ...]:
    """A name's base and, when a dash or a dot glues words to it, its capitalised parts.

    "Sweden-their" -> ("sweden-their", "sweden"); "Tse-tung" -> ("tse-tung", "tse").
    """
    base = _base(token.key)
    if "-" not in base and "." not in base:
        return (base,)
    parts = _GLUE.split(token.text)
    return (base, *(_base(p.lower()) for p in parts if len(p) > 1 and p[0].isupper()))


def _match(own: _Side, other: _Side) -> None:
    """Match the names of ``own`` in changed regions against the words of ``other``.

    Each word of ``other`` matches one name at most, so a name that the seed has once and
    the reference twice leaves one reference occurrence unmatched.
    """
    todo = [i for i in own.names if own.region[i] >= 0 and i not in own.partner]
    if not todo:
        return
    claimed = set(own.partner.values())
    # Where each variant of a name to match stands among the other side's words.
    wanted = {variant for i in todo for variant in _variants(own.tokens[i])}
    where: dict[str, list[int]] = {}
    for k, token in enumerate(other.tokens):
        key = token.key
        if "-" in key or "." in key:
            for variant in _variants(token):
                if variant in wanted:
                    where.setdefault(variant, []).append(k)
        else:  # the common case, inlined: the base is the one variant
            base = key[:-2] if key.endswith("'s") else key
            if base in wanted:
                where.setdefault(base, []).append(k)
    capitalised = [k for k, t in enumerate(other.tokens) if t.text[0].isupper()]
    spellings = [(k, v) for k in capitalised for v in _variants(other.tokens[k])]
    for i in todo:
        token = own.tokens[i]
        j: int | None = None
        for base in _variants(token):
            j = next((j for j in where.get(base, ()) if j not in claimed), None)
            if j is None:
                j = next((j for j, v in spellings if j not in claimed and same_name(base, v)), None)
            if j is not None:
                break
        base = _base(token.key)
        if j is None and base in _ALIAS_OF:  # "France" / "French", "USSR" / "Soviet"
            group = _ALIAS_OF[base]
            j = next(
                (j for j, v in spellings if j not in claimed and _ALIAS_OF.get(v) == group), None
            )
        if j is None:
            # An acronym that abbreviates one word: "CA" / "California", either way round.
            if _is_acronym(token.text):
                letters = _acronym_letters(token.text).lower()
                j = next(
                    (
                        j
                        for j, t in enumerate(other.tokens)
                        if j not in claimed and _abbreviates(letters, _base(t.key))
                    ),
                    None,
                )
            else:
                j = next(
                    (
                        j
                        for j in capitalised
                        if j not in claimed
                        and _is_acronym(other.tokens[j].text)
                        and _spells(other.tokens[j].text, base)
                    ),
                    None,
                )
        if j is not None:
            own.partner[i] = j
            if len(_variants(other.tokens[j])) == 1:  # "Russian-Chinese" serves two names
                claimed.add(j)


def _spells(acronym: str, word: str) -> bool:
    """Whether an acronym abbreviates one word: "CA" / "california", "UV" / "ultraviolet"."""
    return _abbreviates(_acronym_letters(acronym).lower(), word)


def _abbreviates(letters: str, word: str) -> bool:
    """Whether an acronym's lowercase ``letters`` abbreviate ``word``."""
    if len(letters) > 5 or len(word) < len(letters) + 2 or word[0] != letters[0]:
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in letters[1:])


def _acronym_letters(text: str) -> str:
    return text.replace(".", "").removesuffix("'s").removesuffix("\u2019s")


def _match_runs(s: _Side, r: _Side) -> None:
    """Match runs through acronyms and aliases (rule 2)."""
    for own, other in ((s, r), (r, s)):
        acronyms = {
            _acronym_letters(other.tokens[j].text).upper(): j
            for j in other.names
            if _is_acronym(other.tokens[j].text)
        }
        if not acronyms:
            continue
        for phrase in _phrases(own):
            for first, last, initials in _initials(own, phrase):
                j = acronyms.get(initials)
                if j is not None:
                    for i in phrase[first : last + 1]:
                        if i in own.run:
                            own.partner.setdefault(i, j)
                    other.partner.setdefault(j, phrase[first])
    seed_aliases = {key: run for run in _runs(s) for key in _alias_keys(s, run)}
    for run in _runs(r):
        for key in _alias_keys(r, run):
            seed_run = seed_aliases.get(key)
            if seed_run is not None:
                for i in seed_run:
                    s.partner.setdefault(i, run[0])
                for j in run:
                    r.partner.setdefault(j, seed_run[0])


def _initials(side: _Side, phrase: list[int]) -> list[tuple[int, int, str]]:
    """(first, last, initials) of every stretch of two names or more of a phrase."""
    out: list[tuple[int, int, str]] = []
    words = [side.tokens[i].text for i in phrase]
    for first in range(len(words)):
        if not words[first][0].isupper():
            continue
        capitals = words[first][0]
        every = words[first][0]
        for last in range(first + 1, len(words)):
            word = words[last]
            every += word[0].upper()
            if not word[0].isupper():
                continue
            capitals += word[0]
            out.append((first, last, capitals))
            if every != capitals:
                out.append((first, last, every))
    return out


def _alias_keys(side: _Side, run: list[int]) -> set[int]:
    """The :data:`ALIASES` groups that a run, or a word of it, belongs to."""
    # A dash glued to a lowercase word is punctuation: "States-investigating" is "States".
    bases = [_base(side.tokens[i].key) for i in run]
    heads = [base.split("-")[0] for base in bases]
    names = {" ".join(bases), " ".join(heads), *bases, *heads}
    return {_ALIAS_OF[name] for name in names if name in _ALIAS_OF}


def _runs(side: _Side) -> list[list[int]]:
    runs: dict[int, list[int]] = {}
    for i in side.names:
        runs.setdefault(side.run[i], []).append(i)
    return list(runs.values())


def _phrases(side: _Side) -> list[list[int]]:
    """Runs, and runs joined by one connector ("National Aeronautics and Space ...")."""
    runs = _runs(side)
    phrases = list(runs)
    current = runs[0] if runs else []
    for run in runs[1:]:
        gap = run[0] - current[-1]
        if gap == 2 and side.tokens[current[-1] + 1].key in _CONNECTORS:
            current = [*current, current[-1] + 1, *run]
            phrases.append(current)
        else:
            current = run
    return phrases


@lru_cache(maxsize=65536)
def _spelling(name: str) -> tuple[str, str]:
    """(spelling, skeleton) of a lowercase name, for transliteration-tolerant comparison."""
    letters = _plain(name)
    for old, new in _TRANSLITERATION:
        letters = letters.replace(old, new)
    spelling = _DOUBLE.sub(r"\1", _C_NOT_CH.sub("k", letters))
    if not spelling:
        return "", ""
    skeleton = spelling[0] + _VOWELS.sub("", spelling[1:]).translate(_VOICELESS)
    return spelling, _DOUBLE.sub(r"\1", skeleton)


def _plain(name: str) -> str:
    """Letters only, without diacritics: "zelens'kyi" -> "zelenskyi"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def same_name(a: str, b: str) -> bool:
    """Whether two lowercase names are the same up to transliteration, demonym or plural.

    Spellings are compared after lowercasing, removing diacritics and punctuation, and
    writing y/j as i, tch as ch, c/q/ck as k, ph as f, w as v, x as ks, ts/tz/dz as z,
    double letters once.  Two names are the same when

    * their spellings are equal, or their rapidfuzz Indel similarity is at least 0.9 (0.85
      when both have ten letters or more: long transliterated names vary more);
    * their skeletons (first letter and the consonants after it, voiced ones made voiceless)
      are equal and the similarity is at least 0.6, or 0.85 when one spelling is shorter
      than six letters (short names differ by a vowel more often than by transliteration:
      Hubei / Hebei, Tim / Tom);
    * or one is the demonym or plural of the other: they share a beginning of four letters
      or more, followed on each side by a usual ending (-a, -ia, -y, -an, -ian, -ese, -ish,
      -i, -s, -land, -istan, ...).  Irregular demonyms (France / French) are in
      :data:`ALIASES`.

    Args:
        a: A name in lowercase ("kiev").
        b: Another name in lowercase ("kyiv").

    Returns:
        True when ``a`` and ``b`` are taken to name the same thing.
    """
    if a == b:
        return True
    plain_a, plain_b = _plain(a), _plain(b)
    shared = 0
    for x, y in zip(plain_a, plain_b, strict=False):
        if x != y:
            break
        shared += 1
    if shared >= 4 and plain_a[shared:] in _ENDINGS and plain_b[shared:] in _ENDINGS:
        return True
    (spelling_a, skeleton_a), (spelling_b, skeleton_b) = _spelling(a), _spelling(b)
    if not spelling_a or not spelling_b:
        return False
    if spelling_a == spelling_b:
        return True
    similarity = Indel.normalized_similarity(spelling_a, spelling_b)
    shorter = min(len(spelling_a), len(spelling_b))
    if similarity >= 0.9 or (shorter >= 10 and similarity >= 0.85):
        return True
    # Short names differ by a vowel more often than by transliteration: Hubei / Hebei.
    needed = 0.6 if shorter >= 6 else 0.85
    return skeleton_a == skeleton_b and similarity >= needed


# -- findings ----------------------------------------------------------------------------------


def _groups(side: _Side, keep: Callable[[int], bool]) -> list[list[int]]:
    """Unmatched names in changed regions, grouped by run (consecutive tokens)."""
    groups: list[list[int]] = []
    for i in side.names:
        if side.region[i] < 0 or i in side.partner or not keep(i):
            continue
        if groups and groups[-1][-1] == i - 1 and side.run[groups[-1][-1]] == side.run[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _generic(s: _Side, seed_group: list[int], r: _Side, ref_group: list[int]) -> bool:
    """Whether both groups are generic heads of names ("Avenue" / "Street")."""
    return all(_base(s.tokens[i].key) in GENERIC for i in seed_group) and all(
        _base(r.tokens[j].key) in GENERIC for j in ref_group
    )


def _whole_run(side: _Side, group: list[int]) -> bool:
    """Whether no name of the group's run matches the other side."""
    run = side.run[group[0]]
    return not any(side.run[i] == run and i in side.partner for i in side.names)


def _empty_facing(regions: list[Region], side: _Side, group: list[int], other: str) -> bool:
    """Whether the other side of the group's region has no words at all."""
    region = regions[side.region[group[0]]]
    if other == "ref":
        return region.ref_start == region.ref_end
    return region.seed_start == region.seed_end


def _span_text(side: _Side, group: list[int]) -> str:
    return side.text[side.tokens[group[0]].start : side.tokens[group[-1]].end]


def _substituted(s: _Side, r: _Side, seed_group: list[int], ref_group: list[int]) -> Finding:
    return Finding(
        Category.entity,
        Severity.major,
        s.tokens[seed_group[0]].start,
        s.tokens[seed_group[-1]].end,
        f'"{_span_text(s, seed_group)}" differs from the reference, '
        f'which has "{_span_text(r, ref_group)}"',
    )


def _dropped(s: _Side, r: _Side, regions: list[Region], group: list[int]) -> Finding | None:
    """A list member that only the reference names, or None."""
    region = regions[r.region[group[0]]]
    # The seed has only connecting words there, or names that match elsewhere (moved).
    if any(
        s.tokens[i].key not in _CONNECTING and i not in s.partner
        for i in range(region.seed_start, region.seed_end)
    ):
        return None
    members = _list_members(r, group)
    partners = sorted(r.partner[j] for j in members if j in r.partner)
    if not partners:
        return None
    first, last = s.tokens[partners[0]], s.tokens[partners[-1]]
    if partners[-1] - partners[0] > 12:  # not one list in the seed: the nearest member only
        first = last = s.tokens[min(partners, key=lambda i: abs(i - region.seed_start))]
    return Finding(
        Category.entity,
        Severity.major,
        first.start,
        last.end,
        f'the reference also names "{_span_text(r, group)}"',
    )


def _list_members(r: _Side, group: list[int]) -> list[int]:
    """Name tokens of the reference list that the group belongs to (empty: no list)."""
    runs = _runs(r)
    at = next(n for n, run in enumerate(runs) if group[0] in run)
    members: list[int] = []
    n = at
    while n > 0 and _joined(r, runs[n - 1], runs[n]):
        n -= 1
        members.extend(runs[n])
    n = at
    while n + 1 < len(runs) and _joined(r, runs[n], runs[n + 1]):
        n += 1
        members.extend(runs[n])
    return members


def _joined(r: _Side, left: list[int], right: list[int]) -> bool:
    between = r.text[r.tokens[left[-1]].end : r.tokens[right[0]].start]
    return _LIST_JOINT.fullmatch(between) is not None


CHECK = register(
    PairFunction("entity", check_entities, (Category.entity,), languages=frozenset({"en"}))
)
