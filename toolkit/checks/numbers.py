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
from functools import cache
from typing import NamedTuple

from toolkit.checks import Category, Finding, PairFunction, Severity, register
from toolkit.lang import Language
from toolkit.lang import language as get_language

__all__ = ["CHECK", "check_numbers", "numbers_in"]

_CURRENCY_SYMBOLS = {"$", "€", "£", "¥"}
_CURRENCY_CODES = frozenset({"usd", "eur", "gbp", "jpy", "chf"})
_SPACES = "[ \u00a0\u202f]"  # digit groups separated by a space read the same in every language
_SPACE = re.compile(_SPACES)
_ISO_CONTINUATION = re.compile("[-\u2013]\\d")


@dataclass(frozen=True, slots=True, eq=False)  # one per language (cached)
class _Words:
    """What the check reads from the language: its number words and number format."""

    small: dict[str, int]  # "seven" -> 7 (below twenty)
    tens: dict[str, int]  # "ninety" -> 90
    hundreds: dict[str, int]  # "hundred" -> 100: multiplies within a group of thousands
    scales: dict[str, int]  # "million" -> 10**6
    # Abbreviations follow digits only ("100bn", "USD 3 mn"); the currency ones ("m", "k")
    # also need a currency, because after a bare number they are usually metres or a variable.
    abbreviations: dict[str, int]
    currency_abbreviations: dict[str, int]
    ordinal_suffixes: frozenset[str]
    units: frozenset[str]  # "percent", "dollars": part of a number's span, not of its value
    # What a reference may say instead of a number: "twice", "zehnmal" (multiples), "tenfold",
    # "millionenfach" (a number word and a multiplier suffix), a bare "millions": a seed number
    # of that value is not flagged against them (they are never flagged themselves).
    multiples: dict[str, int]
    multiple_suffixes: tuple[str, ...]
    plural_scales: dict[str, int]
    unit_pairs: frozenset[tuple[str, str]]  # ("per", "cent")
    articles: frozenset[str]  # "a" hundred
    conjunction: str  # two "and" a half
    half: str
    dozen: str
    starters: frozenset[str]  # words a number expression can start with
    # An article starts a number only before one of these ("a half", "a million", "a dozen").
    after_article: frozenset[str]
    number_words: frozenset[str]  # any of these (or a digit) may start a number
    ascii_number_words: frozenset[bytes]  # the ASCII ones, as bytes (for ASCII text)
    token: re.Pattern[str]
    # Where a number may start, found without tokenizing the text (see _starts): a number or
    # a currency symbol, and the end of each starter (in the lowercase text).
    number_starts: re.Pattern[str]
    starter_ends: dict[str, re.Pattern[str]]
    grouped: re.Pattern[str]  # digits in groups of thousands: "1,200" / "1,200.5" in English
    thousands: str  # the separator of digit groups other than a space
    decimal: str


def _optional(language: Language, table: str, name: str) -> dict[str, int]:
    return dict(language.numbers(name)) if language.has(f"{table}.{name}") else {}


def _one(language: Language, name: str) -> str:
    return next(iter(language.words(name, default=frozenset({""}))))


@cache
def _words(language: Language) -> _Words:
    fmt = language.number_format
    thousands = next((t for t in fmt.thousands if not t.isspace()), ",")
    t, d = re.escape(thousands), re.escape(fmt.decimal)
    token = re.compile(
        r"(?P<num>(?<![\w.,])(?:"
        rf"\d{{1,3}}(?:{t}\d{{3}})+(?!\d)(?:{d}\d+)?"  # 1,200 / 1,200.5 in English
        rf"|\d{{1,3}}(?:{_SPACES}\d{{3}})+(?![\d,.]?\d)"  # 51 000
        r"|\d+(?:[.,]\d+)?"  # 12 / 2.5 / 2,5 (any other separator is a decimal one)
        r"))"
        r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
        r"|(?P<sym>\S)"
    )
    small, tens = _optional(language, "numbers", "units"), _optional(language, "numbers", "tens")
    hundreds = _optional(language, "numbers", "group_scales")
    scales = _optional(language, "numbers", "scales")
    half, dozen = _one(language, "number_half"), _one(language, "number_dozen")
    articles = language.words("number_articles", default=frozenset())
    pairs = language.phrases("number_units") if language.has("phrases.number_units") else ()
    grammar = {w for w in (half, dozen) if w}
    starters = frozenset(
        {*small, *tens, *scales, *hundreds, *grammar, *articles, "us", *_CURRENCY_CODES}
    )
    symbols = "".join(re.escape(c) for c in sorted(_CURRENCY_SYMBOLS))
    number_words = frozenset([*small, *tens, *hundreds, *grammar, *scales])
    return _Words(
        small=small,
        tens=tens,
        hundreds=hundreds,
        scales=scales,
        abbreviations=_optional(language, "numbers", "abbreviations"),
        currency_abbreviations=_optional(language, "numbers", "currency_abbreviations"),
        ordinal_suffixes=language.words("ordinal_suffixes", default=frozenset()),
        units=_CURRENCY_CODES | language.words("number_units", default=frozenset()),
        multiples=_optional(language, "numbers", "multiples"),
        multiple_suffixes=tuple(
            sorted(language.words("multiple_suffixes", default=frozenset()), key=len, reverse=True)
        ),
        plural_scales={**scales, **_optional(language, "numbers", "plural_scales")},
        unit_pairs=frozenset((p.split()[0], p.split()[1]) for p in pairs),
        articles=articles,
        conjunction=_one(language, "number_and"),
        half=half,
        dozen=dozen,
        starters=starters,
        after_article=frozenset(w for w in {half, dozen, *hundreds, *scales} if w),
        number_words=number_words,
        ascii_number_words=frozenset(w.encode("ascii") for w in number_words if w.isascii()),
        token=token,
        # the lookbehind of "num" above, after the digit: the pattern starts with a class,
        # which the regex engine searches for fast
        number_starts=re.compile(rf"\d(?<![\w.,]\d)|[{symbols}]"),
        # a token's first part is letters only, so only such starters can begin a number
        starter_ends={
            s: re.compile(rf"{re.escape(s)}(?![^\W\d_])")
            for s in starters
            if re.fullmatch(r"[^\W\d_]+", s)
        },
        grouped=re.compile(rf"\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d+)?"),
        thousands=thousands,
        decimal=fmt.decimal,
    )


class _Token(NamedTuple):
    kind: str
    low: str
    start: int
    end: int


class _Tokens:
    """The tokens of a text from one token on, each read when the parser first asks for it
    (a number is a few tokens: the rest of the text is never tokenized)."""

    __slots__ = ("_made", "_matches")

    def __init__(self, w: _Words, text: str, start: int) -> None:
        self._matches = w.token.finditer(text, start)
        self._made: list[_Token] = []

    def at(self, k: int) -> _Token | None:
        """Token ``k`` (0 is the first one), or None past the end of the text."""
        made = self._made
        while len(made) <= k:
            m = next(self._matches, None)
            if m is None:
                return None
            made.append(_Token(m.lastgroup or "sym", m.group().lower(), *m.span()))
        return made[k]

    def end(self, k: int) -> int:
        """Where token ``k`` (one the parser has read) ends."""
        return self._made[k].end

    def low(self, k: int) -> str:
        """The lowercase text of token ``k``; "" past the end."""
        token = self.at(k)
        return "" if token is None else token.low


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
_DIGIT = re.compile(r"\d")
_NOT_LETTERS = {
    ord(c): " " for c in "-\u2010\u2011\u2013\u2014.,;:!?()[]{}\"'\u201c\u201d\u2018\u2019/"
}

# The same on ASCII text (nearly all), as bytes: their translate and split are several times
# faster.  bytes.split() splits at fewer characters than str.split(): the others become spaces.
_ASCII_DIGITS = b"0123456789"
_ASCII_SEPARATORS = bytes(c for c in _NOT_LETTERS if c < 128) + b"\x1c\x1d\x1e\x1f"
_ASCII_NOT_LETTERS = bytes.maketrans(_ASCII_SEPARATORS, b" " * len(_ASCII_SEPARATORS))


def _maybe_number(text: str, w: _Words) -> bool:
    """Whether ``text`` has a digit or a number word (split at spaces and punctuation)."""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_DIGITS)) < len(raw):
            return True
        return not w.ascii_number_words.isdisjoint(
            raw.lower().translate(_ASCII_NOT_LETTERS).split()
        )
    return _maybe_number_in_unicode(text, w)


def _maybe_number_in_unicode(text: str, w: _Words) -> bool:
    """:func:`_maybe_number` for any text."""
    if _DIGIT.search(text) is not None:
        return True
    return not w.number_words.isdisjoint(text.lower().translate(_NOT_LETTERS).split())


def check_numbers(seed: str, ref: str, *, language: Language | None = None) -> list[Finding]:
    """Flag numbers in the seed whose value is not found in the reference.

    Args:
        seed: The seed sentence text; finding offsets point into it.
        ref: The reference text aligned to the seed.
        language: Their language (default English): its number words and its decimal and
            thousands separators.  Without number words only digits are read.

    Returns:
        One ``accuracy/number`` finding per seed number left without an equal value in the
        reference, in seed order: major, except a spelled-out number when the reference has
        no number left to compare with (minor).
    """
    w = _words(language or get_language("en"))
    if not _maybe_number(seed, w):
        return []
    seed_numbers = _numbers(seed, w, maybe=True)
    if all(n.weak for n in seed_numbers):
        return []  # nothing to flag: a lone "one" is never flagged
    unmatched_ref = _numbers(ref, w)
    unmatched_seed = _unmatched(seed_numbers, unmatched_ref)
    if any(not n.weak for n in unmatched_seed):
        # The reference's vaguer renderings come after its numbers: a seed number takes an
        # equal number first, and only what is left may match "zehnmal" or "millions".
        unmatched_seed = _unmatched(unmatched_seed, _vague(ref, unmatched_ref, w))
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


def _unmatched(seed: list[_Number], ref: list[_Number]) -> list[_Number]:
    """The seed numbers left after pairing each with an equal reference number (the first
    unused one); the paired reference numbers are removed from ``ref``."""
    left: list[_Number] = []
    for number in seed:
        match = next((i for i, n in enumerate(ref) if n.value == number.value), None)
        if match is None:
            left.append(number)
        else:
            del ref[match]
    return left


def _vague(text: str, parsed: list[_Number], w: _Words) -> list[_Number]:
    """Weak numbers for the words of ``text`` that render a value without being a number
    expression: multiples ("twice", "zehnmal"), a number word with a multiplier suffix
    ("tenfold", "millionenfachen") and a scale word outside any number ("millions",
    "Milliarden Jahre")."""
    taken = [(n.start, n.end) for n in parsed]
    out = []
    for m in w.token.finditer(text):
        if m.lastgroup != "word" or any(a <= m.start() < b for a, b in taken):
            continue
        value = _vague_value(m.group().lower(), w)
        if value is not None:
            out.append(_Number(Fraction(value), m.start(), m.end(), m.group(), weak=True))
    return out


def _vague_value(low: str, w: _Words) -> int | None:
    if low in w.multiples:
        return w.multiples[low]
    if low in w.plural_scales:
        return w.plural_scales[low]
    for suffix in w.multiple_suffixes:
        stem = low.removesuffix(suffix)
        if stem != low and stem:
            value = _spelled_value(stem, w)
            if value is None:
                value = w.plural_scales.get(stem)
            if value is None and stem in w.hundreds:
                value = w.hundreds[stem]
            return value
    return None


def numbers_in(text: str, *, language: Language | None = None) -> list[_Number]:
    """Every number expression of ``text`` (English by default): ``value`` (a Fraction),
    ``start``, ``end``, ``text`` and ``weak`` (a lone "one", which may be a pronoun)."""
    return _numbers(text, _words(language or get_language("en")))


def _numbers(text: str, w: _Words, *, maybe: bool = False) -> list[_Number]:
    """Every number expression in ``text``, with its normalised value and span (``maybe``:
    :func:`_maybe_number` is known to be true)."""
    if not maybe and not _maybe_number(text, w):
        return []
    starts = _starts(text, w)
    if starts is None:  # every token is a start to try
        starts = list(map(re.Match.start, w.token.finditer(text)))
    numbers: list[_Number] = []
    free = 0  # the end of the last number read: tokens before it are taken
    for position in starts:
        if position < free:
            continue
        tokens = _Tokens(w, text, position)
        token = tokens.at(0)
        assert token is not None and token.start == position
        if token.kind == "word" and token.low.partition("-")[0] not in w.starters:
            continue  # no number starts with this word: skip the parser
        core_at, has_currency = _skip_prefix(tokens)
        parsed = _parse_core(tokens, core_at, w, has_currency=has_currency)
        if parsed is None:
            continue
        value, core_end, weak = parsed
        after = _skip_suffix(tokens, core_end, w)
        weak = weak and core_at == 0 and after == core_end
        free = tokens.end(after - 1)
        numbers.append(_Number(value, position, free, text[position:free], weak))
    return _expand_year_ranges(text, numbers)


# What splits the lowercase text into letter runs for _starts: whitespace, every ASCII
# character but a letter, and frequent punctuation.  Any other character makes _starts give up.
_NOT_RUNS = {
    **{i: " " for i in range(128) if not chr(i).isalpha()},
    **{ord(c): " " for c in "\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00ab\u00bb"},
    **{ord(c): " " for c in "\u20ac\u00a3\u00a5\u00b0\u00b7\u2022"},
}
# A word's first letter: no letter before it, nor a letter and a hyphen ("some-one").
_WORD_START = re.compile(r"(?<![^\W\d_])(?<![^\W\d_]-)")


def _starts(text: str, w: _Words) -> list[int] | None:
    """Where the tokens that may start a number are, in order, found without tokenizing the
    text: every number, currency symbol and word whose first part is a starter, and maybe a
    few more tokens (the parser checks); None when only the tokenizer can tell.

    Each is where a token of the whole text starts, but a digit group inside a number ("000"
    of "51 000"): that comes after the number's start and is read as part of it.
    """
    low = text.lower()
    if len(low) != len(text):
        return None
    runs = low.translate(_NOT_RUNS).split()
    if not "".join(runs).isalpha():  # a character _NOT_RUNS does not know: maybe no letter
        return None
    # Each run is a whole run of letters, so a word starting with a starter has it as a run.
    starts = list(map(re.Match.start, w.number_starts.finditer(text)))
    found = w.starters.intersection(runs)
    # Starters that begin no number here: an article before no word that follows one in a
    # number (see _parse_core), "us" not glued to "$" (_skip_prefix).
    if found.isdisjoint(w.after_article):
        found -= w.articles
    if "us" in found and "us$" not in low:
        found -= {"us"}
    for starter in found:
        for m in w.starter_ends[starter].finditer(low):
            if _WORD_START.match(text, m.start()):
                starts.append(m.start())
    return sorted(starts)


def _skip_prefix(tokens: _Tokens) -> tuple[int, bool]:
    """Skip a currency before a number ("$", "US$", "USD "): where the number's digits or
    words start, and whether a currency came first."""
    token = tokens.at(0)
    assert token is not None
    if token.low in _CURRENCY_SYMBOLS or token.low in _CURRENCY_CODES:
        return 1, True
    if token.low == "us":
        nxt = tokens.at(1)
        if nxt is not None and nxt.low == "$" and nxt.start == token.end:
            return 2, True
    return 0, False


def _skip_suffix(tokens: _Tokens, k: int, w: _Words) -> int:
    """Skip a unit after a number ("%", "percent", "per cent", "US dollars", "EUR")."""
    token = tokens.at(k)
    if token is None:
        return k
    low = token.low
    if low == "%" or low in w.units:
        return k + 1
    if (low, tokens.low(k + 1)) in w.unit_pairs:
        return k + 2
    return k


def _parse_core(
    tokens: _Tokens, j: int, w: _Words, *, has_currency: bool
) -> tuple[Fraction, int, bool] | None:
    """Read digits and number words from ``tokens[j]``: (value, next index, weak) or None."""
    total: Fraction | int = 0  # a Fraction made only for a number read
    current: Fraction | int | None = None
    last = ""  # what the previous item was: "", "digits", "small", "tens", "scale", "a"
    k = j
    words: list[str] = []
    while (token := tokens.at(k)) is not None:
        if token.kind == "num":
            if last:
                break
            current = _literal(token.low, w)
            last = "digits"
            k += 1
            nxt = tokens.at(k)
            if nxt and nxt.start == token.end and nxt.low in w.ordinal_suffixes:
                k += 1
            continue
        if token.kind != "word":
            break
        low = token.low
        nxt_low = tokens.low(k + 1)
        if low in w.articles and last in {"", "and"}:
            if nxt_low == w.half and last == "and" and current is not None:
                current += Fraction(1, 2)
                last = "scale"
                k += 2
                continue
            if nxt_low == w.half and not last:
                current, last, k = Fraction(1, 2), "scale", k + 2
                continue
            if not last and (nxt_low in w.scales or nxt_low in w.hundreds or nxt_low == w.dozen):
                current, last, k = Fraction(1), "a", k + 1
                continue
            break
        if low == w.conjunction and last in {"small", "tens", "scale", "digits"}:
            # "two and a half", "one hundred and five"; "three and four" are two numbers
            after_a = tokens.low(k + 2)
            if (nxt_low in w.articles and after_a == w.half) or (
                last == "scale" and _spelled_value(nxt_low, w) is not None
            ):
                last = "and"
                k += 1
                continue
            break
        spelled = _spelled_value(low, w)
        if spelled is not None and (
            last in {"", "scale", "and"} or (last == "tens" and spelled < 10 and "-" not in low)
        ):
            current = (current or 0) + spelled
            last = "tens" if low in w.tens else "small"
            words.append(low)
            k += 1
            continue
        if current is None:
            break
        if low in w.hundreds and last != "scale":
            current *= w.hundreds[low]
        elif low == w.dozen:
            current *= 12
        elif low in w.scales:
            total += current * w.scales[low]
            current = None
        elif last == "digits" and low in w.abbreviations:
            total += current * w.abbreviations[low]
            current = None
        elif (
            last == "digits"
            and has_currency
            and low in w.currency_abbreviations
            and token.start == tokens.end(k - 1)
        ):
            total += current * w.currency_abbreviations[low]
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
    value = Fraction(total + (current or 0))
    return value, k, words == ["one"] and k == j + 1


def _spelled_value(word: str, w: _Words) -> int | None:
    """Value of "seven", "twenty" or "twenty-five"; None for anything else."""
    if word in w.small:
        return w.small[word]
    if word in w.tens:
        return w.tens[word]
    tens, _, unit = word.partition("-")
    if tens in w.tens and unit in w.small and 0 < w.small[unit] < 10:
        return w.tens[tens] + w.small[unit]
    return None


def _literal(digits: str, w: _Words) -> Fraction | int:
    """Value of "1,200", "51 000", "2.5" or "2,5" (English; "1.200" and "2,5" in German)."""
    if digits.isascii() and digits.isdigit():  # most: no separator, an int (made faster)
        return int(digits)
    cleaned = _SPACE.sub("", digits)
    if w.grouped.fullmatch(cleaned):
        cleaned = cleaned.replace(w.thousands, "")
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


CHECK = register(PairFunction("number", check_numbers, (Category.number,), needs=()))
