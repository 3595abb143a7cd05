"""Pair check: English words left untranslated in a translation out of English.

A seed word is English left over when wordfreq rates it a common English word (Zipf frequency
at least :data:`MIN_ENGLISH`) and a rare word of the seed's language (below
:data:`MAX_TARGET`: the loanwords a language uses, "Computer", "Team", "Software", score above
it), it has three letters or more, it is not in the language's ``[words] english_loanwords`` nor
an inflected form of a common word of the language ("des Stresses": simplemma's dictionary),
and the reference does not write it too (a title or a name the reference keeps in English is
no error).  It finds nothing in a language whose data file has no ``english_loanwords``
(English itself).

    >>> from toolkit.lang import language
    >>> seed = "Er trank ein Pint Bier mit den Bricks."
    >>> ref = "Er trank ein Glas Bier mit den Ziegeln."
    >>> [seed[f.start:f.end] for f in check_leftover(seed, ref, language=language("de"))]
    ['Pint', 'Bricks']
"""

from __future__ import annotations

import re
from functools import lru_cache

from toolkit.checks import Category, Finding, PairFunction, Severity, register
from toolkit.lang import Language
from toolkit.lang.forms import forms

__all__ = ["CHECK", "MAX_TARGET", "MIN_ENGLISH", "check_leftover"]

MIN_ENGLISH = 3.0  # Zipf: about one in a million English words, "pint", "cuckoo", "bricks"
MAX_TARGET = 2.5  # Zipf in the seed's language; measured on the MQM en-de data (README)
_WORD = re.compile(r"[^\W\d_]{3,}+(?:['\u2019][^\W\d_]++)*+")


@lru_cache(maxsize=65536)
def _zipf(word: str, code: str) -> float:
    # Imported on first use: wordfreq's import costs 0.4 s that a run without checks saves.
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, code))


def is_leftover(word: str, language: Language) -> bool:
    """Whether ``word`` reads as English rather than as a word of ``language``."""
    lower = word.lower()
    if lower in language.words("english_loanwords"):
        return False
    if _zipf(lower, "en") < MIN_ENGLISH or _zipf(lower, language.code) >= MAX_TARGET:
        return False
    return not _inflected(word, language)


def _inflected(word: str, language: Language) -> bool:
    """Whether ``word`` is an inflected form of a common word of ``language`` ("des Stresses",
    "des Indexes": German genitives of the loanwords "Stress" and "Index"), by the language's
    dictionary of word forms (simplemma's, ``[language] simplemma``)."""
    code = language.setting("simplemma")
    if not code:
        return False
    lemma = forms(code).get(word) or forms(code).get(word.lower())
    if lemma is None or lemma.lower() == word.lower():
        return False
    return _zipf(lemma.lower(), language.code) >= MAX_TARGET


def check_leftover(seed: str, ref: str, *, language: Language) -> list[Finding]:
    """Flag the seed's English words that the reference does not write.

    Returns:
        One major ``accuracy/untranslated`` finding per such word.
    """
    if not language.has("words.english_loanwords"):
        return []
    ref_words = {m.group().lower() for m in _WORD.finditer(ref)}
    return [
        Finding(
            Category.untranslated,
            Severity.major,
            m.start(),
            m.end(),
            f'"{m.group()}" is English, not {language.name}, and the reference does not use it',
        )
        for m in _WORD.finditer(seed)
        if m.group().lower() not in ref_words and is_leftover(m.group(), language)
    ]


CHECK = register(
    PairFunction(
        "english-leftover",
        check_leftover,
        (Category.untranslated,),
        needs=(),
    )
)
