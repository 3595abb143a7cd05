"""Numbers in the seed that differ in value from the reference.

Both sides are read into normalised values (digits, spelled-out numbers, magnitudes such as
"billion" or "bn", decimal commas, year ranges like "2026-27") and compared as multisets, so
"$100 billion" and "USD 100bn", or "5%" and "five per cent", count as the same number.
Units and currencies are part of a number's span but not of its value: only the value is
compared.  Numbers that appear only in the reference are left to the omission check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from toolkit.checks import Category, Finding, PairFunction, Severity, register

__all__ = ["CHECK", "check_numbers", "numbers_in"]

_SMALL_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SMALL = {word: value for value, word in enumerate(_SMALL_WORDS)}
_TENS = {word: 10 * value for value, word in enumerate(_TENS_WORDS, start=2)}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Abbreviations follow digits only ("100bn", "USD 3 mn"); "m"/"k" also need a currency,
# because after a bare number they are usually metres or a variable.
_ABBREVIATIONS = {"bn": 10**9, "mn": 10**6, "tn": 10**12}
_CURRENCY_ABBREVIATIONS = {"m": 10**6, "k": 10**3}
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th", "s"}
_CURRENCY_SYMBOLS = {"$", "€", "£", "¥"}
_CURRENCY_CODES = {"usd", "eur", "gbp", "jpy", "chf"}
_UNIT_WORDS = _CURRENCY_CODES | {"percent", "per-cent", "dollars", "euros", "pounds", "yen"}

_TOKEN = re.compile(
    r"(?P<num>(?<![\w.,])(?:"
    r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?"  # 1,200 / 1,200.5: comma + 3 digits groups thousands
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]?\d)"  # 51 000
    r"|\d+(?:[.,]\d+)?"  # 12 / 2.5 / 2,5 (any other comma is a decimal comma)
    r"))"
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"|(?P<sym>\S)"
)
# Words a number expression can start with (digits and symbols are always tried).
_STARTERS = frozenset(
    {*_SMALL, *_TENS, *_SCALES, "hundred", "dozen", "half", "a", "an", "us", *_CURRENCY_CODES}
)
_ISO_CONTINUATION = re.compile("[-\u2013]\\d")


class _Token(NamedTuple):
    kind: str
    low: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Number:
    value: Fraction
    start: int
    end: int
    text: str
    # A lone "one" is as often a pronoun as a number: it may match, but is never flagged.
    weak: bool = False


# Anything that could start a number: a digit or a number word.  Most sentences have neither,
# and this cheap test (C-level translate and split, no tokenizer) lets them skip the parser.
_NUMBER_WORDS = frozenset([*_SMALL_WORDS, *_TENS_WORDS, "hundred", "dozen", "half", *_SCALES])
_DIGIT = re.compile(r"\d")
_NOT_LETTERS = {
    ord(c): " " for c in "-\u2010\u2011\u2013\u2014.,;:!?()[]{}\"'\u201c\u201d\u2018\u2019/"
}


def _maybe_number(text: str) -> bool:
    if _DIGIT.search(text) is not None:
        return True
    return not _NUMBER_WORDS.isdisjoint(text.lower().translate(_NOT_LETTERS).split())


def check_numbers(seed: str, ref: str) -> list[Finding]:
    """Flag numbers in the seed whose value is not found in the reference.

    Args:
        seed: The seed sentence text; finding offsets point into it.
        ref: The reference text aligned to the seed.

    Returns:
        One ``accuracy/number`` finding per seed number left without an equal value in the
        reference, in seed order: major, except a spelled-out number when the reference has
        no number left to compare with (minor).
    """
    if not _maybe_number(seed):
        return []
    seed_numbers = _numbers(seed)
    if not seed_numbers:
        return []
    unmatched_ref = _numbers(ref)
    unmatched_seed: list[_Number] = []
    for number in seed_numbers:
        match = next((i for i, n in enumerate(unmatched_ref) if n.value == number.value), None)
        if match is None:
            unmatched_seed.append(number)
        else:
            del unmatched_ref[match]
    leftover = [n for n in unmatched_ref if not n.weak]
    findings = []
    for number in unmatched_seed:
        if number.weak:
            continue
        if len(leftover) == 1:
            message = (
                f'number "{number.text}" does not match the reference, '
                f'which has "{leftover[0].text}"'
            )
        else:
            message = (
                f'number "{number.text}" does not match the reference: '
                "the reference has no such number"
            )
        # A number word facing no number at all is often a paraphrase ("two" / "both",
        # "one day" / "once"): minor.  Digits, or a different number, are major.
        spelled = not any(c.isdigit() for c in number.text)
        severity = Severity.minor if spelled and not leftover else Severity.major
        findings.append(Finding(Category.number, severity, number.start, number.end, message))
    return findings


def numbers_in(text: str) -> list[_Number]:
    """Every number expression of an English ``text``: ``value`` (a Fraction), ``start``,
    ``end``, ``text`` and ``weak`` (a lone "one", which may be a pronoun)."""
    return _numbers(text)


def _numbers(text: str) -> list[_Number]:
    """Every number expression in ``text``, with its normalised value and span."""
    if not _maybe_number(text):
        return []
    tokens = [
        _Token(m.lastgroup or "sym", m.group().lower(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]
    numbers: list[_Number] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word" and token.low.partition("-")[0] not in _STARTERS:
            i += 1  # no number starts with this word: skip the parser
            continue
        core_at, has_currency = _skip_prefix(tokens, i)
        parsed = _parse_core(tokens, core_at, has_currency=has_currency)
        if parsed is None:
            i += 1
            continue
        value, core_end, weak = parsed
        after = _skip_suffix(tokens, core_end)
        weak = weak and core_at == i and after == core_end
        start, end = tokens[i].start, tokens[after - 1].end
        numbers.append(_Number(value, start, end, text[start:end], weak))
        i = after
    return _expand_year_ranges(text, numbers)


def _skip_prefix(tokens: list[_Token], i: int) -> tuple[int, bool]:
    """Skip a currency before a number ("$", "US$", "USD ")."""
    token = tokens[i]
    if token.low in _CURRENCY_SYMBOLS or token.low in _CURRENCY_CODES:
        return i + 1, True
    if (
        token.low == "us"
        and i + 1 < len(tokens)
        and tokens[i + 1].low == "$"
        and tokens[i + 1].start == token.end
    ):
        return i + 2, True
    return i, False


def _skip_suffix(tokens: list[_Token], k: int) -> int:
    """Skip a unit after a number ("%", "percent", "per cent", "US dollars", "EUR")."""
    if k >= len(tokens):
        return k
    low = tokens[k].low
    following = tokens[k + 1].low if k + 1 < len(tokens) else ""
    if low == "%" or low in _UNIT_WORDS:
        return k + 1
    if (low, following) in {("per", "cent"), ("us", "dollars")}:
        return k + 2
    return k


def _parse_core(
    tokens: list[_Token], j: int, *, has_currency: bool
) -> tuple[Fraction, int, bool] | None:
    """Read digits and number words from ``tokens[j]``: (value, next index, weak) or None."""
    total = Fraction(0)
    current: Fraction | int | None = None
    last = ""  # what the previous item was: "", "digits", "small", "tens", "scale", "a"
    k = j
    words: list[str] = []
    while k < len(tokens):
        token = tokens[k]
        if token.kind == "num":
            if last:
                break
            current = _literal(token.low)
            last = "digits"
            k += 1
            nxt = tokens[k] if k < len(tokens) else None
            if nxt and nxt.start == token.end and nxt.low in _ORDINAL_SUFFIXES:
                k += 1
            continue
        if token.kind != "word":
            break
        low = token.low
        nxt_low = tokens[k + 1].low if k + 1 < len(tokens) else ""
        if low == "a" and last in {"", "and"}:
            if nxt_low == "half" and last == "and" and current is not None:
                current += Fraction(1, 2)
                last = "scale"
                k += 2
                continue
            if nxt_low == "half" and not last:
                current, last, k = Fraction(1, 2), "scale", k + 2
                continue
            if not last and (nxt_low in _SCALES or nxt_low in {"hundred", "dozen"}):
                current, last, k = Fraction(1), "a", k + 1
                continue
            break
        if low == "and" and last in {"small", "tens", "scale", "digits"}:
            # "two and a half", "one hundred and five"; "three and four" are two numbers
            after_a = tokens[k + 2].low if k + 2 < len(tokens) else ""
            if (nxt_low == "a" and after_a == "half") or (
                last == "scale" and _spelled_value(nxt_low) is not None
            ):
                last = "and"
                k += 1
                continue
            break
        spelled = _spelled_value(low)
        if spelled is not None and (
            last in {"", "scale", "and"} or (last == "tens" and spelled < 10 and "-" not in low)
        ):
            current = (current or 0) + spelled
            last = "tens" if low in _TENS else "small"
            words.append(low)
            k += 1
            continue
        if current is None:
            break
        if low == "hundred" and last != "scale":
            current *= 100
        elif low == "dozen":
            current *= 12
        elif low in _SCALES:
            total += current * _SCALES[low]
            current = None
        elif last == "digits" and low in _ABBREVIATIONS:
            total += current * _ABBREVIATIONS[low]
            current = None
        elif (
            last == "digits"
            and has_currency
            and low in _CURRENCY_ABBREVIATIONS
            and token.start == tokens[k - 1].end
        ):
            total += current * _CURRENCY_ABBREVIATIONS[low]
            current = None
        else:
            break
        last = "scale"
        words.append(low)
        k += 1
    if last == "and":  # "two and" followed by no number: the "and" is not part of it
        k -= 1
    if last in {"", "a"}:
        return None
    value = total + (current or 0)
    return value, k, words == ["one"] and k == j + 1


def _spelled_value(word: str) -> int | None:
    """Value of "seven", "twenty" or "twenty-five"; None for anything else."""
    if word in _SMALL:
        return _SMALL[word]
    if word in _TENS:
        return _TENS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _SMALL and 0 < _SMALL[unit] < 10:
        return _TENS[tens] + _SMALL[unit]
    return None


def _literal(digits: str) -> Fraction:
    """Value of "1,200", "51 000", "2.5" or "2,5"."""
    cleaned = re.sub(r"[ \u00a0\u202f]", "", digits)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    return Fraction(cleaned.replace(",", "."))


def _expand_year_ranges(text: str, numbers: list[_Number]) -> list[_Number]:
    """Read "2026-27" as 2026 and 2027, so that it equals "2026-2027"."""
    expanded = list(numbers)
    for index in range(1, len(expanded)):
        first, second = expanded[index - 1], expanded[index]
        between = text[first.end : second.start].strip()
        if not (
            between in {"-", "\u2013", "/"}
            and re.fullmatch(r"\d{4}", first.text)
            and re.fullmatch(r"\d{2}", second.text)
            and not _ISO_CONTINUATION.match(text, second.end)
        ):
            continue
        year = int(first.text) // 100 * 100 + int(second.text)
        if year > int(first.text):
            expanded[index] = _Number(
                Fraction(year), second.start, second.end, second.text, second.weak
            )
    return expanded


CHECK = register(PairFunction("number", check_numbers, (Category.number,)))
