"""Numbers in a text of any language, as values: what the source says, to compare with the seed.

Digits are read with the language's separators ("3,5" is three and a half in Russian or
German, "1,200" twelve hundred in English or Chinese; a thin or no-break space always groups
thousands) and the magnitude word that follows them ("2.5万", "3,5 млн", "1.5亿", "2 Mio.",
"4 billion"); numbers written in words are turned into digits by a well-kept library for the
language (cn2an for Chinese, number-parser for Russian and the other languages it knows,
text2num for the western European ones) and read the same way.  Only values are kept: units
and currencies are not compared.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

__all__ = ["Quantity", "quantities", "spelled_as_digits"]

# Languages that write a decimal comma (and group thousands with a point or a space).
_DECIMAL_COMMA = frozenset(
    {
        *("bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "hr", "hu", "id", "it", "lt"),
        *("lv", "nb", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "tr", "uk"),
    }
)
# Magnitude words after a number, by their lower-cased start (a prefix covers inflections:
# "млн", "миллиона", "millions", "Milliarden").
_MAGNITUDES: tuple[tuple[str, int], ...] = (
    ("万亿", 10**12),
    ("亿", 10**8),
    ("万", 10**4),
    ("千", 10**3),
    ("трлн", 10**12),
    ("триллион", 10**12),
    ("млрд", 10**9),
    ("миллиард", 10**9),
    ("млн", 10**6),
    ("миллион", 10**6),
    ("тыс", 10**3),
    ("тысяч", 10**3),
    ("billion", 10**9),
    ("bn", 10**9),
    ("million", 10**6),
    ("mn", 10**6),
    ("thousand", 10**3),
    ("mrd", 10**9),
    ("milliarde", 10**9),
    ("mio", 10**6),
    ("millionen", 10**6),
    ("milliard", 10**9),
    ("tsd", 10**3),
    ("tausend", 10**3),
    ("trillion", 10**12),
)
_MAGNITUDE = re.compile(
    r"[ \u00a0\u202f]?(" + "|".join(re.escape(w) for w, _ in _MAGNITUDES) + r")",
    re.IGNORECASE,
)
_SCALE = {w: v for w, v in _MAGNITUDES}
# A number: digits with optional groups and one decimal part; not inside a word or a longer
# number.  Groups: "1,234,567", "1.234.567", "1 234 567" (thin or no-break space too).
# Letters that may not touch a number: Latin, Greek and Cyrillic (CJK characters may: "2019年").
_LETTER = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_SPACES = "\u00a0\u202f "


def _number_pattern(decimal: str, group: str) -> re.Pattern[str]:
    """Digits grouped by thousands (``group`` or a space) with an optional decimal part after
    ``decimal``; any other separator ends the number ("[1,1]" in Chinese is two numbers)."""
    d, g = re.escape(decimal), re.escape(group)
    # Not inside a word or a longer number; after "1," only as the next item of a list (one
    # or two digits: "[1,1]", "2,3,5"), never as the tail of a badly grouped "1,2345".
    return re.compile(
        rf"(?:(?<![0-9{_LETTER}.,])|(?<=[0-9],)(?=[0-9]{{1,2}}(?![0-9])))"
        rf"(\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?|\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:{d}\d+)?"
        rf"|\d+(?:{d}\d+)?)(?![0-9])"
    )


_POINT_DECIMAL = _number_pattern(".", ",")
_COMMA_DECIMAL = _number_pattern(",", ".")
_TOUCHING_LETTER = re.compile(rf"[{_LETTER}]")
# Approximate numbers ("几十", "一百多", "十余", "около 30" is exact enough) are not compared.
_APPROXIMATE_BEFORE = ("几", "数", "上", "成", "好")
_APPROXIMATE_AFTER = ("多", "余", "来")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a text.

    Attributes:
        value: Its value, magnitude word included ("3,5 млн" is 3,500,000).
        text: The digits (and magnitude word) as they were read.
        spelled: Written in words in the original text (the library turned it into digits).
        start: Its offset in the text (-1 when spelled: the library's digits have none).
        end: The offset just past it (-1 when spelled).
    """

    value: Fraction
    text: str
    spelled: bool = False
    start: int = -1
    end: int = -1

    @property
    def round(self) -> bool:
        """A power of ten written in words ("一百万", "a thousand"): as often "per million",
        "thousands" or "a hundred" as the exact number."""
        if not self.spelled or self.value < 100 or self.value.denominator != 1:
            return False
        n = self.value.numerator
        while n % 10 == 0:
            n //= 10
        return n == 1

    @property
    def weak(self) -> bool:
        """A small number written in words ("一", "one", "два") is as often an article, a
        pronoun or an idiom as a number: it may match, but its absence proves nothing."""
        return self.spelled and self.value <= 10


def quantities(text: str, language: str) -> list[Quantity]:
    """The numbers of ``text`` (in language ``language``), digits first, then those written
    in words; approximate ones ("几十", "一百多") are left out."""
    found = _read(text, language, spelled=False)
    words = _speller(language)
    if words is not None:
        converted = words(text)
        if converted != text:
            remaining = [q.value for q in found]
            for q in _read(converted, language, spelled=True):
                if q.value in remaining:
                    remaining.remove(q.value)
                else:
                    found.append(q)
    return found


def spelled_as_digits(text: str, language: str) -> str:
    """``text`` with its numbers in words turned into digits (unchanged for a language no
    library reads)."""
    words = _speller(language)
    return text if words is None else words(text)


def _read(text: str, language: str, *, spelled: bool) -> list[Quantity]:
    comma_decimal = language.split("-")[0].lower() in _DECIMAL_COMMA
    decimal, pattern = (",", _COMMA_DECIMAL) if comma_decimal else (".", _POINT_DECIMAL)
    out = []
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 1) : m.start()]
        after = text[m.end() : m.end() + 1]
        if before in _APPROXIMATE_BEFORE or after in _APPROXIMATE_AFTER:
            continue
        value = Fraction(re.sub(f"[^0-9{re.escape(decimal)}]", "", m.group(1)).replace(",", "."))
        end = m.end()
        scale = _MAGNITUDE.match(text, end)
        if scale is None and _TOUCHING_LETTER.match(text, end):
            continue  # "12th", "3D", "A4x": not a quantity
        if scale is not None:
            value *= _SCALE[scale.group(1).lower()]
            end = scale.end()
            if text[end : end + 1] in _APPROXIMATE_AFTER:
                continue
        span = (-1, -1) if spelled else (m.start(), end)
        out.append(Quantity(value, text[m.start() : end], spelled, *span))
    return out


_CHINESE_PAIR = re.compile("一两|两三|三四|四五|五六|六七|七八|八九")
_CHINESE_BEFORE_DIGIT = re.compile("([零一二两三四五六七八九十百千万亿])(?=[0-9])")


_GERMAN_TIMES = re.compile(
    r"\b((?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|hundert)\w*?)"
    r"(mal|fach\w*)\b",
    re.IGNORECASE,
)


_ENGLISH_JOINED = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred|thousand)-(?!(?:one|two|three|four|five|six|seven|eight|nine)\b)([a-z]+)",
    re.IGNORECASE,
)


@cache
def _speller(language: str) -> Callable[[str], str] | None:
    """A function turning the numbers written in words of ``language`` into digits, from the
    library that knows the language; None for a language none of them knows."""
    code = language.split("-")[0].lower()
    if code == "zh":
        import cn2an

        def chinese(text: str) -> str:
            # "一两件" (one or two), "三四天": two numerals side by side are an estimate;
            # and a numeral run must not run into digits ("一百万15" is a million, then 15).
            text = _CHINESE_PAIR.sub("几", text)
            text = _CHINESE_BEFORE_DIGIT.sub(r"\1 ", text)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # cn2an warns about every unreadable run
                return str(cn2an.transform(text, "cn2an"))

        return chinese
    if code in {"en", "fr", "es", "pt", "de", "nl", "da", "it"}:
        from text_to_num import alpha2digit

        if code == "de":  # "zehnmal", "dreifache": the number word, then the suffix
            return lambda text: str(alpha2digit(_GERMAN_TIMES.sub(r"\1 \2", text), code))
        if code == "en":  # "an eight-foot robot": a number word joined to its unit
            return lambda text: str(alpha2digit(_ENGLISH_JOINED.sub(r"\1 \2", text), code))
        return lambda text: str(alpha2digit(text, code))
    if code in {"ru", "uk", "hi"}:
        from number_parser import parse

        return lambda text: str(parse(text, language=code))
    return None
