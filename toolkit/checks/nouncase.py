"""Casing in a language that capitalises its nouns (German): a lower-cased noun, a capitalised
adjective or verb.

In German every noun is capitalised, so a capital mid-sentence says nothing by itself; what
can be wrong is a noun written in lower case ("die katze") or an adjective or verb written
with a capital ("ein Schwarzes Loch" where the reference writes "schwarzes"). The rules, so
that a reviewer can predict them:

1. Only words mid-sentence count (not the first word, nor after ``.``, ``:``, a quote, a
   dash), of two letters or more, written lowercase or with one capital (not "NASA"), and not
   the language's function words (pronouns of address: "Sie" / "sie", "Ihr" / "ihr") nor its
   ``[words] casing_either`` (words written either way: "recht", "angst", "leid").
2. **Against the reference.** A seed word that the reference writes in the other casing at the
   same place (the word diff matches it, case aside, and the reference's word is
   mid-sentence too) is flagged when the lexicon does not back the seed's casing:
   * seed lowercase, reference capitalised: the lexicon has no lowercase reading of the word
     (no lowercase form, nor a lowercase base under an inflection ending): "kaffee" /
     "Kaffee" is flagged, "schwarze" / "Schwarze" (an adjective either way) is not;
   * seed capitalised, reference lowercase: the lexicon has no noun reading of it (its lemma
     is lowercase or it is unknown), or it is an adjective (a lowercase reading) standing
     right before a capitalised word, with nothing but a space between them, that is before
     the noun it qualifies ("ein Schwarzes Loch" / "ein schwarzes Loch"); after a word of
     ``[words] casing_nominalisers`` ("etwas Neues", "das Gleiche", "beim Essen") a capital
     is a nominalisation and is left alone.
3. **Without the reference** (a word the reference does not write in any casing): a
   lowercase word is flagged when the lexicon has no lowercase reading of it and knows its
   capitalised form as a noun ("die katze"), unless it is a truncated compound ("millionen-
   oder milliardenfach"), inside quotation marks, or a common English word (left to the
   ``english-leftover`` check).  A capitalised adjective is not flagged without the
   reference: names capitalise them ("das Schwarze Meer", "die Vereinten Nationen").

The lexicon is simplemma's dictionary of the language (``[language] simplemma`` in the data
file): a case-sensitive table of word forms to lemmas (1.1 million German forms), loaded
once, on the first German run.  Every finding is a minor ``fluency/casing`` one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from toolkit.checks.diff import Token, token_diff
from toolkit.checks.protocol import Category, Finding, Severity
from toolkit.lang import Language
from toolkit.lang.forms import forms

__all__ = ["NEEDS", "check_noun_casing"]

# The language tables the rules read: a language with them capitalises its nouns.
NEEDS = ("language.simplemma", "words.casing_nominalisers", "words.casing_either")
# After one of these (or at the start) a capital says nothing about the word.
_RESTART = frozenset(
    ".!?:;\"'(\u201e\u201c\u201d\u201a\u2018\u2019\u00ab\u00bb\u203a\u2039\u2026-\u2013\u2014"
)
# Inflection endings tried when looking for a lowercase base ("ungelernte" -> "ungelernt").
_ENDINGS = ("e", "en", "er", "es", "em", "n", "s", "st", "t", "te", "ten", "ste", "sten")
_QUOTED = re.compile(
    '\u201e[^\u201c\u201d]*[\u201c\u201d]?|\u00bb[^\u00ab]*\u00ab?|\u201c[^\u201d]*\u201d?|"[^"]*"?'
)
_ENGLISH = 3.0  # wordfreq Zipf in English from which a word is left to english-leftover


@dataclass(frozen=True, slots=True, eq=False)
class _Rules:
    """What the rules read from one language."""

    lexicon: Mapping[str, str]  # word form -> lemma, case-sensitive
    function: frozenset[str]
    either: frozenset[str]
    nominalisers: frozenset[str]

    def lower_reading(self, word: str) -> bool:
        """Whether the lexicon knows ``word`` (lowercase) as a lowercase word, itself or
        under an inflection ending."""
        if word in self.lexicon:
            return True
        return any(
            word.endswith(e) and len(word) - len(e) >= 3 and word[: -len(e)] in self.lexicon
            for e in _ENDINGS
        )

    def noun_reading(self, word: str) -> bool:
        """Whether the lexicon knows ``word`` (capitalised) as a noun: its lemma is capitalised."""
        lemma = self.lexicon.get(word)
        return lemma is not None and lemma[:1].isupper()


@cache
def _rules(language: Language) -> _Rules:
    return _Rules(
        forms(language.setting("simplemma")),
        language.words("function"),
        language.words("casing_either"),
        language.words("casing_nominalisers"),
    )


def _mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in _RESTART


def _candidate(token: Token, text: str, rules: _Rules) -> bool:
    """Rule 1: a word whose casing can say something."""
    word = token.text
    return (
        len(word) >= 2
        and word[0].isalpha()
        and word[1:].islower()
        and token.key not in rules.function
        and token.key not in rules.either
        and _mid_sentence(text, token.start)
    )


def _previous_word(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1].lower().strip(",;") if words else ""


def _against_reference(
    seed: str, ref: str, token: Token, ref_token: Token, next_token: Token | None, rules: _Rules
) -> Finding | None:
    """Rule 2, for a seed word the reference writes in the other casing at the same place."""
    word, theirs = token.text, ref_token.text
    if word.islower():
        if rules.lower_reading(word):
            return None
        message = f'"{word}" is a noun and takes a capital; the reference writes "{theirs}"'
    else:
        if _previous_word(seed, token.start) in rules.nominalisers:
            return None
        before_noun = (
            next_token is not None
            and next_token.text[:1].isupper()
            and not seed[token.end : next_token.start].strip()  # "Ding, Ding" is a list
            and rules.lower_reading(token.key)
        )
        if rules.noun_reading(word) and not before_noun:
            return None
        message = f'"{word}" is not a noun here and is written in lower case, as the reference does'
    return Finding(Category.casing, Severity.minor, token.start, token.end, message)


def _without_reference(
    seed: str, token: Token, quoted: list[tuple[int, int]], rules: _Rules
) -> bool:
    """Rule 3: a lowercase word that only the lexicon's nouns spell."""
    word = token.text
    if not word.islower() or len(word) < 4 or rules.lower_reading(word):
        return False
    if not rules.noun_reading(word[0].upper() + word[1:]):
        return False
    if seed.startswith(("-", "\u2010", "\u2011"), token.end):
        return False  # "millionen- oder milliardenfach": the noun part of a compound
    if any(s <= token.start < e for s, e in quoted):
        return False
    return _zipf_english(word) < _ENGLISH


@cache
def _zipf_english(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def check_noun_casing(seed: str, ref: str, *, language: Language) -> list[Finding]:
    """Flag lower-cased nouns and capitalised adjectives or verbs in a language that
    capitalises its nouns (see the module docstring for the rules).

    Args:
        seed: The seed text; finding offsets point into it.
        ref: The reference text aligned to it.
        language: Their language; it needs the tables of :data:`NEEDS`.

    Returns:
        Minor ``fluency/casing`` findings, in the seed's order.
    """
    rules = _rules(language)
    diff = token_diff(seed, ref)
    ref_keys = {t.key for t in diff.ref}
    tokens = diff.seed
    index = {t.start: k for k, t in enumerate(tokens)}
    quoted = [m.span() for m in _QUOTED.finditer(seed)]
    findings: list[Finding] = []
    seen: set[int] = set()
    for block in diff.blocks:
        if block.tag != "equal":
            continue
        for token, ref_token in zip(block.seed, block.ref, strict=True):
            if token.text == ref_token.text or not _candidate(token, seed, rules):
                continue
            if not ref_token.text[1:].islower() or not _mid_sentence(ref, ref_token.start):
                continue
            k = index[token.start]
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            found = _against_reference(seed, ref, token, ref_token, nxt, rules)
            seen.add(token.start)
            if found is not None:
                findings.append(found)
    for token in tokens:
        if token.start in seen or token.key in ref_keys or not _candidate(token, seed, rules):
            continue
        if _without_reference(seed, token, quoted, rules):
            word = token.text
            findings.append(
                Finding(
                    Category.casing,
                    Severity.minor,
                    token.start,
                    token.end,
                    f'"{word}" is a noun and takes a capital: "{word[0].upper()}{word[1:]}"',
                )
            )
    findings.sort(key=lambda f: f.start)
    return findings
