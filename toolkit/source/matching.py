"""How a number of the seed matches a number of its source.

The seed's numbers with their spans (:func:`seed_numbers`; English through the number check's
parser, other languages through :mod:`toolkit.source.quantities`), digits written alike on both
sides (:func:`verbatim`), and imperial measures a translation may convert (:func:`metric_value`).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from toolkit.checks.numbers import numbers_in
from toolkit.lang import language as get_language
from toolkit.source.quantities import Quantity, quantities, spelled_as_digits

__all__ = ["close", "metric_value", "months_in", "said", "seed_numbers", "verbatim"]

_LIST = re.compile(r"\d+(?:,\d+)+")


def _split_list(text: str, n: Any) -> list[Quantity]:
    """An English number, or the numbers of a list the parser read as one ("[1,1]" is two
    ones, not 1.1: a comma not followed by three digits separates)."""
    spelled = not any(c.isdigit() for c in n.text) or n.weak
    if _LIST.fullmatch(n.text) and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", n.text):
        return [
            Quantity(Fraction(m.group()), m.group(), False, n.start + m.start(), n.start + m.end())
            for m in re.finditer(r"\d+", n.text)
        ]
    return [Quantity(n.value, n.text, spelled, n.start, n.end)]


def seed_numbers(text: str, language: str) -> list[Quantity]:
    """The numbers of a seed sentence with their spans; a small number written in words is
    weak (it may match, it is never flagged), and so is a number without a span."""
    lang = get_language(language)
    # "twice", "zehnmal": the language's multiples may match, and are never flagged
    table = lang.numbers("multiples") if lang.has("numbers.multiples") else {}
    multiples = [
        Quantity(Fraction(table[m.group().lower()]), m.group(), True, m.start(), m.end())
        for m in re.finditer(r"[^\W\d_]+", text)
        if m.group().lower() in table
    ]
    if lang.code == "en":
        return multiples + [part for n in numbers_in(text) for part in _split_list(text, n)]
    said = {q.value for q in multiples}  # the library reads "zehnmal" too: count it once
    return multiples + [
        q for q in quantities(text, language) if not (q.spelled and q.value in said)
    ]


def _value_text(value: Fraction) -> str:
    number = float(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.6g}"


def said(q: Quantity) -> str:
    value = _value_text(q.value)
    return q.text if value.replace(",", "") == q.text.replace(",", "") else f"{q.text} ({value})"


_NUMERIC = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")


def verbatim(q: Quantity, own: str, other: str) -> bool:
    """Whether the digits a number is written with ("[1,1]", "2,40") appear written the same
    way in ``other``: then the two sides agree, whatever their conventions make of them."""
    if q.start < 0:
        return False
    run = next((m for m in _NUMERIC.finditer(own) if m.start() <= q.start < m.end()), None)
    return run is not None and run.group() in set(_NUMERIC.findall(other))


# Imperial measures a translation may convert: unit words (lower case) after the number in the
# source -> (factor, offset) giving the metric value.
_IMPERIAL: dict[str, tuple[float, float]] = {
    **dict.fromkeys(("ft", "foot", "feet", "英尺"), (0.3048, 0.0)),
    **dict.fromkeys(("in", "inch", "inches", "英寸"), (2.54, 0.0)),
    **dict.fromkeys(("mi", "mile", "miles", "英里"), (1.609344, 0.0)),
    **dict.fromkeys(("yd", "yard", "yards", "码"), (0.9144, 0.0)),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds", "磅"), (0.45359237, 0.0)),
    **dict.fromkeys(("oz", "ounce", "ounces", "盎司"), (28.349523, 0.0)),
    **dict.fromkeys(("gallon", "gallons", "加仑"), (3.785411, 0.0)),
    **dict.fromkeys(("fahrenheit", "°f", "f", "华氏度"), (5 / 9, -32 * 5 / 9)),
}
_UNIT_AFTER = re.compile(r"[\s\u00a0-]*(°f|[^\W\d_]+|[\u4e00-\u9fff]{1,3})", re.IGNORECASE)


def metric_value(q: Quantity, text: str, language: str = "") -> float | None:
    """The metric value of a source measure in imperial units ("8 ft.", "115 Fahrenheit",
    "eight-foot" when ``language`` says how to read its number words): a translation may
    convert it, or drop it beside a metric value the source also gives."""
    if q.spelled and language:
        text = spelled_as_digits(text, language)  # where the library's digits stand
    at = text.find(q.text)
    unit = _UNIT_AFTER.match(text, at + len(q.text)) if at >= 0 else None
    if unit is None:
        return None
    word = unit.group(1).lower().rstrip(".")
    factor = _IMPERIAL.get(word)
    return None if factor is None else float(q.value) * factor[0] + factor[1]


def close(metric: float, value: Fraction) -> bool:
    """Whether ``value`` renders the metric conversion ``metric`` (within 10%)."""
    return abs(float(value) - metric) <= 0.1 * abs(metric)


_CJK_MONTH = re.compile(r"(?<![0-9])(1[0-2]|0?[1-9])\s?月")


def months_in(text: str, language: str) -> list[tuple[int, str]]:
    """The months ``text`` names, as (number, the words): from the language's ``[numbers]
    months`` table, or "7月" / "七月" in Chinese and Japanese."""
    code = language.split("-")[0].lower()
    if code in {"zh", "ja"}:
        return [
            (int(m.group(1)), m.group()) for m in _CJK_MONTH.finditer(spelled_as_digits(text, code))
        ]
    lang = get_language(code)
    if not lang.has("numbers.months"):
        return []
    table = lang.numbers("months")
    capital = lang.has("numbers.months_capitalised")  # then "may" is a verb, "May" a month
    return [
        (table[m.group().casefold()], m.group())
        for m in re.finditer(r"[^\W\d_]+", text)
        if m.group().casefold() in table and (m.group()[0].isupper() or not capital)
    ]
