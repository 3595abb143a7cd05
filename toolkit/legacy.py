"""Which legacy code page a file that is not UTF-8 is in.

``charset_normalizer`` ranks the code pages that decode a file by how messy the decoded text
looks, and on a short text in a Latin script several single-byte code pages look equally
clean: a French paragraph in cp1252 came first as cp1257 ("déjà" read "déją"), a Polish one
in cp1250 as cp1252, a Turkish one in cp1254 as iso8859_10.  The mess measure reads
characters, not words.  So among the candidates it finds nearly as clean as its first, this
module prefers the one whose words with non-ASCII letters are words of the text's language:
the language is identified in each decoded text (py3langid) and the words are looked up in
wordfreq's small word list of that language (its words of Zipf 3 or more; both libraries
ship their data inside their wheels; the identifier chooses among the languages wordfreq has a
list for, its three most likely for each candidate).  The candidate whose words are the most
frequent wins (their Zipf frequencies summed; a word of one letter does not count, an unknown
word counts 0), less a cost for each letter none of the language's words has, each symbol
or number touching a letter and each C1 control character.  It must do better than
``charset_normalizer``'s first to replace it, or as well when it is what a Windows code page
or latin-1 reads and that first is another single-byte code page; so where the word lists say
nothing (a language wordfreq lacks, such as Estonian) and no odd letter or symbol tells, the
common code page or ``charset_normalizer``'s choice stands.  Measured in
``benchmarks/legacy_encodings.py`` (see the README, "Reading").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

from charset_normalizer import from_bytes

from toolkit.lang.identify import restricted_identifier

__all__ = ["legacy_codec"]

# Candidates whose mess ratio is at most this much above the cleanest one's are compared.
_CLOSE = 0.1
_MAX_CANDIDATES = 12
# The Windows code pages of the European languages (Latin, Cyrillic, Greek) and latin-1.
_COMMON = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "latin-1")
# What is read of each candidate: its first characters (enough to tell, quick to read), and
# of them at most so many words with non-ASCII letters.
_SAMPLE = 20_000
_WORDS = 500
_FOREIGN_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")
# Languages identified per candidate, most likely first.
_LANGUAGES = 3
# What a letter foreign to the language, or a symbol inside a word, costs a candidate: about
# a common word (Zipf 5: once in 100,000 words).
_ODD = 5.0
# Non-ASCII characters touching a letter (letters among them, told apart by _is_symbol):
# "\w" cannot exclude them in the pattern, as "¾" and "³" are "\w" (numbers).
_TOUCHING_A_LETTER = re.compile(r"(?<=[^\W\d_])[^\s\x00-\x9f]|[^\s\x00-\x9f](?=[^\W\d_])")
# C1 control characters: no text has them, a code page without the byte's letter gives them.
_CONTROL = re.compile(r"[\x80-\x9f]")
# py3langid's codes where wordfreq names the language otherwise.
_WORDFREQ_CODE = {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil"}


def legacy_codec(sample: bytes) -> str | None:
    """The code page ``sample`` (a file's first bytes, not UTF-8) is most likely in, or None
    when no code page decodes it."""
    results = from_bytes(sample)
    best = results.best()
    if best is None or best.encoding is None:
        return None
    # Decoded text -> code page, charset_normalizer's first choice first; of the code pages
    # that decode alike, the first is kept.
    candidates: dict[str, str] = {}
    for match in results:
        if len(candidates) == _MAX_CANDIDATES:
            break
        if match.encoding is not None and match.chaos <= best.chaos + _CLOSE:
            candidates.setdefault(str(match), match.encoding)
    # charset_normalizer leaves out some code pages that decode the text (cp1252 for a
    # French text of only "déjà"): the common ones are compared too, after its own.
    common = set()
    for codec in _COMMON:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.setdefault(text, codec)
        common.add(text)
    texts = list(candidates)
    if len(texts) < 2:
        return best.encoding
    samples = [text[:_SAMPLE] for text in texts]
    words = [_foreign_words(sample) for sample in samples]
    letters = [Counter(ch for ch in sample if ord(ch) > 127 and ch.isalpha()) for sample in samples]
    # Each candidate is read in every language identified in one of them (a wrong letter can
    # change the identified language: "España" misread as "Espańa"), and scores as it reads
    # best.
    try:
        languages = {
            code
            for sample, found, counted in zip(samples, words, letters, strict=True)
            if found or counted  # ("ｫ", cp932's reading of latin-1's "«", is a word alone)
            for code in _languages(sample)
        }
    except OSError:  # the identifier's model unpacks through a temporary file: a full disk
        return best.encoding
    codes = sorted(languages)
    scores = [
        max((_score(found, counted, code) for code in codes), default=0.0) - _odd_symbols(sample)
        for sample, found, counted in zip(samples, words, letters, strict=True)
    ]
    # Ties go to a reading that a common code page gives (the Windows code pages are by far
    # the most used), then to charset_normalizer's order; but not against a multi-byte code
    # page (a text shorter than its bytes): that every byte sequence was valid in it is
    # evidence already, which a single-byte code page, decoding any bytes, never has.
    usual = [text in common for text in texts]
    chosen = max(range(len(texts)), key=lambda k: (scores[k], usual[k], -k))
    if scores[chosen] > scores[0]:
        return candidates[texts[chosen]]
    single_byte = len(texts[0]) == len(sample)
    if scores[chosen] == scores[0] and usual[chosen] > usual[0] and single_byte:
        return candidates[texts[chosen]]
    return best.encoding


def _foreign_words(text: str) -> list[str]:
    """The first words of ``text`` with a non-ASCII letter (of two letters or more),
    case-folded as wordfreq's lists are ("ΧΘΕΣ" and "χθες" are "χθεσ")."""
    return [w.casefold() for w in _FOREIGN_WORD.findall(text)[:_WORDS] if len(w) > 1]


def _score(words: list[str], letters: Counter[str], code: str) -> float:
    """How likely ``words`` are in language ``code``: the sum of their Zipf frequencies in
    its word list (0 for a word it lacks: a misread word is rarely a common word of any
    language), less :data:`_ODD` for each letter (of the non-ASCII ``letters`` counted in the
    text) that none of its words has ("ř" in Danish: a misread letter in a word the list
    lacks, such as "Caymanřerne")."""
    known = _frequencies(code)
    if not known:
        return 0.0
    found = sum(known.get(w, 0.0) for w in words)
    odd = sum(n for ch, n in letters.items() if _is_odd(ch, code))
    return found - _ODD * odd


@cache
def _is_odd(letter: str, code: str) -> bool:
    """Whether no word of ``code``'s list has ``letter`` (case-folded: "Σ" and "ς" are
    "σ"; "ß" is "ss")."""  # noqa: RUF002
    letters = _letters(code)
    return not all(ch.isascii() or ch in letters for ch in letter.casefold())


def _odd_symbols(text: str) -> float:
    """:data:`_ODD` for each non-ASCII symbol or number touching a letter ("S³³ria",
    "¾udovodemokratická": a letter misread) and for each C1 control character (latin-1's
    reading of cp1252's "€", "…" and curly quotes)."""
    symbols = sum(map(_is_symbol, _TOUCHING_A_LETTER.findall(text)))
    return _ODD * (symbols + len(_CONTROL.findall(text)))


# Punctuation that touches letters in any text: quotes, guillemets and brackets at a word's
# edge, dashes inside words ("strong—willed"), curly apostrophes, connectors.
_WORD_PUNCTUATION = frozenset({"Pi", "Pf", "Ps", "Pe", "Pd", "Pc"})


@cache
def _is_symbol(ch: str) -> bool:
    """Whether ``ch`` is a symbol ("¤"), a number ("¾"), other punctuation ("§") or an
    unassigned character: not a letter, a combining mark, a space or :data:`_WORD_PUNCTUATION`.
    (C1 controls are counted apart.)"""
    category = unicodedata.category(ch)
    if category[0] == "P":
        return category not in _WORD_PUNCTUATION
    return category[0] in "SN" or category in ("Co", "Cn")


def _languages(text: str) -> list[str]:
    """The wordfreq codes of the :data:`_LANGUAGES` languages most likely in ``text`` (a
    candidate's sample; a list of Macedonian names can come out Serbo-Croatian first)."""
    ranked = _identifier().rank(text)[:_LANGUAGES]
    return [_WORDFREQ_CODE.get(code, code) for code, _ in ranked]


@cache
def _identifier() -> Any:
    """py3langid's identifier, choosing among the languages wordfreq has a word list for."""
    from wordfreq import available_languages

    listed = set(available_languages("small"))
    return restricted_identifier(lambda code: _WORDFREQ_CODE.get(code, code) in listed)


@cache
def _letters(code: str) -> frozenset[str]:
    """The non-ASCII characters of the words of ``code``'s list (case-folded, as they are)."""
    return frozenset(ch for w in _frequencies(code) for ch in w if not ch.isascii())


@cache
def _frequencies(code: str) -> Mapping[str, float]:
    """The Zipf frequency (log10 of occurrences per billion words) of each word with a
    non-ASCII letter in wordfreq's small list for ``code`` (its words of Zipf 3 or more;
    empty for a language it lacks).  The packed list is read directly: wordfreq's own
    lookups would keep every list they ever read in memory, and the small one is quick
    to read (about 10 ms) and holds the words that tell a misreading."""
    from wordfreq import available_languages, read_cBpack

    path = available_languages("small").get(code)
    if path is None:
        return {}
    # Bucket i holds the words of frequency 10 ** (-i / 100), i.e. Zipf 9 - i / 100.
    return {
        w: 9 - i / 100
        for i, bucket in enumerate(read_cBpack(path))
        for w in bucket
        if not w.isascii()
    }
