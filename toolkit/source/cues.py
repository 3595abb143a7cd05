"""What crosses languages unchanged, as cues that a sentence and its source correspond.

Numbers (as values: "20000", "20,000" and "两万" are one cue when the languages are known)
and Latin-script tokens that look like names or codes (a capital or a digit, two characters
or more: "LIGO", "COVID-19").
"""

from __future__ import annotations

import re
from fractions import Fraction

from toolkit.lang import LanguageError
from toolkit.source.matching import seed_numbers
from toolkit.source.quantities import Quantity, quantities

__all__ = ["cues"]

_DIGITS = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_LATIN = re.compile(r"(?<![\w])[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]")
# Chosen on the even MQM TED talks: "one" / "一" stand for "a" too often to count.
_SMALLEST_SPELLED = 2


def cues(text: str, language: str | None = None) -> frozenset[str]:
    """The numbers and name-like Latin-script tokens of ``text``.  Without ``language``,
    numbers are their digits (separators removed); with it, their values, spelled ones
    included (two or more)."""
    names = {
        m.group().lower()
        for m in _LATIN.finditer(text)
        if any(c.isupper() or c.isdigit() for c in m.group()) and len(m.group()) >= 2
    }
    if language is None:
        numbers = {"#" + re.sub(r"\D", "", m.group()) for m in _DIGITS.finditer(text)}
    else:
        numbers = {
            "#" + _value(q.value)
            for q in _numbers(text, language)
            if not q.spelled or q.value >= _SMALLEST_SPELLED
        }
    return frozenset(numbers | names)


def _numbers(text: str, language: str) -> list[Quantity]:
    try:
        return seed_numbers(text, language)
    except LanguageError:  # a language the toolkit has no data for: its digits and words
        return quantities(text, language)


def _value(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )
