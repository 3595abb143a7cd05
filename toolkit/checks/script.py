"""Reference-free check for text left untranslated: foreign script, MT credits, transliterations.

Four rules, all in the category ``accuracy/untranslated``:

1. **Foreign script** (major, or critical for a whole sentence).  The document's main script is
   the one most of its letters belong to, read from the Unicode character names (LATIN,
   CYRILLIC, GREEK, ARABIC, ...; Chinese characters and Japanese kana count as one script, CJK).
   A *foreign word* is a run of letters most of which are in another script.  Foreign words with
   only spaces, digits or punctuation between them make one span.  When at most a third of a
   sentence's letters are in the main script, one critical finding covers the whole sentence
   instead ("this sentence is not translated").  Left alone: a lone Greek letter (a symbol, as the
   mu of micrometres or the alpha of alpha particles), and short Latin runs in a non-Latin
   document (names, brands and acronyms are written in Latin there); a sentence that is entirely
   Latin is still flagged there once it has three words or more.
2. **Look-alike letter** (minor).  A letter of another script inside a word that is mostly in the
   main script, as a Cyrillic "a" (U+0430) typed in "Moscow", is flagged on that letter.
3. **MT attribution** (critical).  A machine-translation credit ("Translated by Google
   Translate", "Translated with DeepL", "Powered by Yandex.Translate", "Переведено сервисом
   «Яндекс Переводчик»", ... from a small table of phrasings in English, Russian, Ukrainian,
   German, French, Spanish, Italian, Portuguese, Polish, Dutch, Chinese and Japanese) that opens
   the sentence, follows a dash or bar, or opens a bracket.  A bare "machine translation" (or
   "this article was machine-translated") counts only when it is the whole sentence or the whole
   bracket, so sentences *about* machine translation are left alone.  Critical: the line is not
   part of the source text, it tells every reader the text was published unreviewed, and it must
   be deleted before the text can be used.  Script and transliteration findings inside the credit
   are dropped in its favour.
4. **Transliterated word** (major).  In an English document (main script Latin and at least
   one word in ten is a common function word such as "the", "of", "and"), a lowercase word of
   four or more letters that is not in the English word list of ``wordfreq`` (321,000 words, with
   inflections, British and American spellings and loanwords such as "dacha"), that the document
   never writes capitalised (then it is a name), and that shows a mark of Slavic romanisation:
   "zh", "kh", "shch", "ts" before a vowel, a consonant + "y" + vowel ("vzglyad"), or an ending
   such as -iy, -yy, -ii, -ykh, -ogo, -aya, -iya, -nie, -stvo, -nost, -nik, -kt, -ov, -ev,
   -sky.
   Major: a reader of the translation cannot understand the word, and a word absent from a large
   English list with such a mark is rarely anything but an untranslated source word.  Without
   ``wordfreq`` installed this rule is off and the other three still run.

The document-wide facts (main script, English or not, which words are transliterations) are
computed once per document and reused for its other sentences, so a whole document is linear.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from toolkit.checks import Category, DocumentFunction, Finding, Severity, register
from toolkit.lang import language

__all__ = ["CHECK", "check_untranslated"]

# First words of Unicode character names that name a script.  Kana and ideographs are one
# script here, so that a Japanese text (kanji + kana) has one main script.
_SCRIPTS = frozenset(
    {
        "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC", "SYRIAC", "THAANA", "NKO",
        "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
        "MALAYALAM", "SINHALA", "THAI", "LAO", "TIBETAN", "MYANMAR", "GEORGIAN", "HANGUL",
        "ETHIOPIC", "CHEROKEE", "CANADIAN", "OGHAM", "RUNIC", "KHMER", "MONGOLIAN", "YI",
        "COPTIC", "GLAGOLITIC", "TIFINAGH", "JAVANESE", "BALINESE", "SUNDANESE",
    }
)  # fmt: skip
_CJK_NAMES = ("CJK", "HIRAGANA", "KATAKANA", "BOPOMOFO", "IDEOGRAPHIC", "KATAKANA-HIRAGANA")
_DISPLAY = {"CJK": "Chinese/Japanese", "HANGUL": "Korean (Hangul)", "NKO": "N'Ko"}
# Letters of other scripts that look like Latin ones: the usual homoglyphs.
_LOOK_ALIKES = dict(
    zip(
        "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅαονρτΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcyxijsdhlqwABEKMHOPCTXIJSaovptABEZHIKMNOPTYX",
        strict=True,
    )
)
_WHOLE_SENTENCE_MAIN_SHARE = 1 / 3  # at most this share of letters in the main script: untranslated
_LATIN_SENTENCE_WORDS = 3  # a Latin sentence in a non-Latin document needs this many words

# Characters that may be letters of a script other than Latin: everything but ASCII, Latin-1,
# Latin Extended, IPA, spacing modifiers, combining accents, Latin Extended Additional,
# punctuation and symbols.  One C-level scan keeps the common all-Latin sentence cheap.
_MAYBE_FOREIGN = re.compile(
    r"[^\x00-\u036f\u1e00-\u1eff\u2000-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe00-\ufe0f]"
)

# --- machine-translation credits -------------------------------------------------------------

_QUOTE = "[\u00ab\"\u201c\u201e'\u2018]?"
_SERVICE = (
    rf"{_QUOTE}(?:"
    r"google(?:\s*(?:translate|translator|переводчик\w*|翻译|翻譯|翻訳))?"
    r"|yandex(?:[\s.]*(?:translate|translator|переводчик\w*))?"
    r"|яндекс(?:[\s.]*(?:переводчик\w*|перевод\w*))?|гугл(?:[\s.]*переводчик\w*)?"
    r"|(?:www\.)?deepl(?:\.com\S*|\s*(?:translator|translate|pro)\b)?"
    r"|(?:microsoft|bing)(?:\s*(?:translator|translate))?"
    r"|systran|promt|промт|reverso|papago|baidu|youdao|amazon\s+translate|chatgpt|openai"
    r")"
)
# A translation word in the service name: "Powered by Google" alone is not a translation credit.
_TRANSLATION_SERVICE = (
    rf"{_QUOTE}(?:(?:google|yandex|bing|microsoft|baidu|amazon)[\s.]*translat\w*|deepl\b"
    r"|яндекс[\s.]*переводчик\w*)"
)
_WORDS = r"(?:\s+[\w-]+){0,4}?"  # "from Russian", "сервисом", "automatiquement" ...
_CREDITS = (
    rf"(?:(?:machine|automatically|auto)[\s-]*)?translat(?:ed|ion){_WORDS}\s+"
    rf"(?:by|with|using|via|through|in)\s+(?:the\s+)?{_SERVICE}",
    rf"powered\s+by\s+{_TRANSLATION_SERVICE}",
    rf"(?:переведено|перевод(?:\s+выполнен\w*)?|перекладено|переклад){_WORDS}\s+{_SERVICE}",
    rf"(?:(?:maschinell|automatisch)\s+)?übersetz(?:t|ung){_WORDS}\s+(?:mit|von|durch)\s+{_SERVICE}",
    rf"tradu(?:it|ite|ction|cido|cida|cción|zido|zida|ção|tto|tta|zione){_WORDS}\s+"
    rf"(?:par|avec|por|pelo|con|com|da|de|di)\s+{_SERVICE}",
    rf"przetłumaczon\w*{_WORDS}\s+(?:przez|w|za\s+pomocą)\s+{_SERVICE}",
    rf"vertaald{_WORDS}\s+(?:door|met)\s+{_SERVICE}",
    r"(?:由|使用|用)?\s*(?:谷歌|google|百度|有道|deepl|必应|bing|微软|yandex)\s*(?:翻译|翻譯|翻訳)",
)
_GENERIC_CREDIT = re.compile(
    r"(?:(?:this|the)\s+(?:text|article|page|post|document|story|translation)\s+"
    r"(?:was|has\s+been|is)\s+)?"
    r"(?:(?:machine|automatic|computer)[\s-]*translat(?:ion|ed)|automatically\s+translated"
    r"|auto[\s-]?translat(?:ion|ed)|машинный\s+перевод|автоматический\s+перевод"
    r"|переведено\s+автоматически|машинний\s+переклад|автоматичний\s+переклад"
    r"|maschinelle\s+übersetzung|(?:maschinell|automatisch)\s+übersetzt"
    r"|traduction\s+automatique|traduit\s+automatiquement|traducción\s+automática"
    r"|traducido\s+automáticamente|traduzione\s+automatica|tradução\s+automática"
    r"|tłumaczenie\s+maszynowe|automatisch\s+vertaald|machinevertaling"
    r"|机器翻译|機器翻譯|機械翻訳|自动翻译)",
    re.IGNORECASE,
)
_SERVICE_CREDIT = re.compile("|".join(f"(?:{c})" for c in _CREDITS), re.IGNORECASE)
# Cheap test before the long patterns: every credit contains one of these stems.
# Case-sensitive on the lowercased text: an IGNORECASE search with non-ASCII stems is slow.
_CREDIT_HINT = re.compile(
    r"translat|перев|перекл|übersetz|tradu|tłumacz|vertaal|翻|machinevertaling"
)
_CLOSING = {"(": ")", "[": "]"}
_SEPARATORS = ("\u2014", "\u2013", "|", " -")

# --- transliterations ------------------------------------------------------------------------

_ASCII_WORD = re.compile(r"[A-Za-z]+")
# A lowercase word, not part of an address, a file name or a handle.
_LOWER_WORD = re.compile(r"(?<![\w@/.#])[a-z]{4,}(?![\w@/#]|\.\w|['\u2019](?!s\b)\w)")
_SLAVIC = re.compile(
    r"shch|zh|kh|ts[aeiouy]|[bcdfgklmnprstvz]y[aeou]"
    r"|(?:iy|yy|yi|ii|ykh|ikh|ogo|ego|omu|oye|aya|iya|iye|iyu|nie|stvo|stva|nost|nik|kt"
    r"|sk(?:iy|ii|aya|oye|ogo|ikh)|ov|ev|ova|eva|sky)$"
)
# Function words of English; in a document of another Latin-script language they are rare.
_ENGLISH_FUNCTION_WORDS = language("en").words("english_tells")
_ENGLISH_SHARE = 0.1


@cache
def _script(ch: str) -> str | None:
    """The script of a letter, or None for a letter that belongs to none (ª, µ)."""
    name = unicodedata.name(ch, "")
    if name.startswith(("FULLWIDTH ", "HALFWIDTH ")):
        name = name[10:]
    first = name.split(" ", 1)[0]
    if first in _CJK_NAMES:
        return "CJK"
    return first if first in _SCRIPTS else None


def _display(script: str) -> str:
    return _DISPLAY.get(script, script.title())


@cache
def _english_words() -> Mapping[str, float] | None:
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # the transliteration rule needs it; the other rules do not
        return None
    return get_frequency_dict("en", "large")


@dataclass(frozen=True, slots=True)
class _DocumentFacts:
    main: str | None  # the script most letters are in; None without letters
    transliterated: frozenset[str]  # lowercase words to flag as transliterations
    hits: frozenset[int]  # the sentences holding one of them


def _count_scripts(text: str, ascii_words: Sequence[str], counts: Counter[str]) -> None:
    # Accented Latin letters are not counted: the ASCII ones are enough to tell a Latin text.
    counts["LATIN"] += sum(map(len, ascii_words))
    if not text.isascii():
        for ch in _MAYBE_FOREIGN.findall(text):
            if ch.isalpha() and (script := _script(ch)):
                counts[script] += 1


def _transliterated(words: Counter[str]) -> frozenset[str]:
    english = _english_words()
    total = sum(words.values())
    if english is None or not total:
        return frozenset()
    function_words = sum(n for w, n in words.items() if w.lower() in _ENGLISH_FUNCTION_WORDS)
    if function_words < _ENGLISH_SHARE * total:
        return frozenset()  # not English: the word list says nothing about its words
    names = {w.lower() for w in words if w[0].isupper()}
    return frozenset(
        w
        for w in words
        if len(w) >= 4 and w.islower() and w not in names and w not in english and _SLAVIC.search(w)
    )


def _facts(sentences: Sequence[str]) -> _DocumentFacts:
    """The document's main script, its transliterated words and the sentences that have them."""
    counts: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for text in sentences:
        ascii_words = _ASCII_WORD.findall(text)
        _count_scripts(text, ascii_words, counts)
        words.update(ascii_words)
    main = counts.most_common(1)[0][0] if counts else None
    transliterated = _transliterated(words) if main == "LATIN" else frozenset()
    hits: frozenset[int] = frozenset()
    if transliterated:  # rare: a second pass is cheaper than keeping every sentence's words
        hits = frozenset(
            i
            for i, text in enumerate(sentences)
            if not transliterated.isdisjoint(_ASCII_WORD.findall(text))
        )
    return _DocumentFacts(main, transliterated, hits)


# --- rule 3: credits -------------------------------------------------------------------------


def _credit_span(text: str, match: re.Match[str], *, generic: bool) -> tuple[int, int] | None:
    """Where a credit found by ``match`` lies, or None when it stands inside running text."""
    before = text[: match.start()].rstrip()
    end = len(text.rstrip())
    if before.endswith(tuple(_CLOSING)):
        start = len(before) - 1
        closer = text.find(_CLOSING[text[start]], match.end())
        if closer >= 0:
            if generic and any(ch.isalnum() for ch in text[match.end() : closer]):
                return None
            end = closer + 1
        return start, end
    if generic and any(ch.isalnum() for ch in text[match.end() :]):
        return None  # "Machine translation has improved": a sentence about it
    if not any(ch.isalnum() for ch in before):
        return len(text) - len(text.lstrip()), end  # the sentence is the credit
    if before.endswith(_SEPARATORS):
        return match.start(), end
    return None


def _credits(text: str) -> list[Finding]:
    if not _CREDIT_HINT.search(text.lower()):
        return []
    spans = set()
    for pattern, generic in ((_SERVICE_CREDIT, False), (_GENERIC_CREDIT, True)):
        for match in pattern.finditer(text):
            span = _credit_span(text, match, generic=generic)
            if span is not None:
                spans.add(span)
    return [
        Finding(
            Category.untranslated,
            Severity.critical,
            start,
            end,
            "machine-translation attribution left in the text; delete it",
        )
        for start, end in sorted(spans)
    ]


# --- rules 1 and 2: scripts ------------------------------------------------------------------


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    main: int = 0  # letters in the main script
    foreign: Counter[str] = field(default_factory=Counter)  # letters of other scripts, by script
    foreign_at: list[int] = field(default_factory=list)  # offsets of those letters

    @property
    def foreign_count(self) -> int:
        return self.foreign.total()


def _has_foreign_letter(text: str, main: str) -> bool:
    chars = _MAYBE_FOREIGN.findall(text) if main == "LATIN" else text
    return any(ch.isalpha() and _script(ch) not in (None, main) for ch in chars)


def _words(text: str, main: str) -> list[_Word]:
    """Maximal runs of letters and combining marks, with their letters counted by script."""
    words: list[_Word] = []
    current: _Word | None = None
    for i, ch in enumerate(text):
        if ch.isalpha():
            if current is None:
                current = _Word(i, i + 1)
                words.append(current)
            current.end = i + 1
            script = _script(ch)
            if script == main:
                current.main += 1
            elif script is not None:
                current.foreign[script] += 1
                current.foreign_at.append(i)
        elif current is not None and unicodedata.category(ch).startswith("M"):
            current.end = i + 1  # a combining accent stays with its letter
        else:
            current = None
    return words


def _look_alikes(text: str, word: _Word, main: str) -> list[Finding]:
    findings = []
    surface = text[word.start : word.end]
    for i in word.foreign_at:
        ch = text[i]
        script = _display(_script(ch) or "")
        twin = _LOOK_ALIKES.get(ch) if main == "LATIN" else None
        looks = f', a look-alike of Latin "{twin}"' if twin else ""
        findings.append(
            Finding(
                Category.untranslated,
                Severity.minor,
                i,
                i + 1,
                f'{script} letter "{ch}" (U+{ord(ch):04X}) inside the {_display(main)} word '
                f'"{surface}"{looks}; retype it as a {_display(main)} letter',
            )
        )
    return findings


def _runs(words: list[_Word]) -> list[list[_Word]]:
    """Foreign words with nothing but non-letters between them, grouped."""
    runs: list[list[_Word]] = []
    joined = False
    for word in words:
        if word.foreign_count and word.foreign_count >= word.main:
            if joined:
                runs[-1].append(word)
            else:
                runs.append([word])
            joined = True
        else:
            joined = False
    return runs


def _scripts(text: str, main: str) -> list[Finding]:
    if main == "LATIN" and (text.isascii() or not _MAYBE_FOREIGN.search(text)):
        return []
    if not _has_foreign_letter(text, main):
        return []
    words = _words(text, main)
    findings = []
    for word in words:
        if 0 < word.foreign_count < word.main:
            findings.extend(_look_alikes(text, word, main))
    main_letters = sum(w.main for w in words)
    kept = []
    for run in _runs(words):
        scripts: Counter[str] = sum((w.foreign for w in run), Counter())
        script = scripts.most_common(1)[0][0]
        if scripts.total() == 1 and script == "GREEK":
            continue  # a symbol: micrometres, alpha particles
        kept.append((run, script, scripts.total()))
    foreign_letters = sum(n for _, _, n in kept)
    if kept and main_letters <= _WHOLE_SENTENCE_MAIN_SHARE * (main_letters + foreign_letters):
        script = Counter({s: n for _, s, n in kept}).most_common(1)[0][0]
        latin_only = main != "LATIN" and {s for _, s, _ in kept} == {"LATIN"}
        if not latin_only or sum(len(r) for r, _, _ in kept) >= _LATIN_SENTENCE_WORDS:
            start = len(text) - len(text.lstrip())
            return [
                Finding(
                    Category.untranslated,
                    Severity.critical,
                    start,
                    len(text.rstrip()),
                    f"this sentence is not translated: it is in {_display(script)} script, "
                    f"the document in {_display(main)}",
                )
            ]
    for run, script, _ in kept:
        if script == "LATIN" and main != "LATIN":
            continue  # names, brands and acronyms are written in Latin in any script
        findings.append(
            Finding(
                Category.untranslated,
                Severity.major,
                run[0].start,
                run[-1].end,
                f"{_display(script)} text in a {_display(main)}-script document; "
                "translate or transliterate it",
            )
        )
    return findings


# --- rule 4: transliterations ----------------------------------------------------------------


def _transliterations(text: str, words: frozenset[str]) -> list[Finding]:
    return [
        Finding(
            Category.untranslated,
            Severity.major,
            match.start(),
            match.end(),
            f'"{match.group()}" is not an English word and looks transliterated, '
            "not translated; translate it",
        )
        for match in _LOWER_WORD.finditer(text)
        if match.group() in words
    ]


def check_untranslated(sentences: Sequence[str], index: int) -> list[Finding]:
    """Find untranslated text in one sentence: foreign script, MT credits, transliterations.

    Args:
        sentences: The seed sentences of the document; they give its main script, its
            language and the names it uses.
        index: Which sentence to check.

    Returns:
        Findings with offsets into ``sentences[index]``, sorted by position.  (This reads
        the whole document on every call; a run prepares :data:`CHECK` once instead.)
    """
    return _check(sentences, index, _facts(sentences))


def _check(sentences: Sequence[str], index: int, facts: _DocumentFacts) -> list[Finding]:
    text = sentences[index]
    if facts.main is None:
        return []
    credits = _credits(text)
    others = _scripts(text, facts.main)
    if index in facts.hits:
        others.extend(_transliterations(text, facts.transliterated))
    # A credit explains everything inside it.
    others = [f for f in others if not any(c.start < f.end and f.start < c.end for c in credits)]
    return sorted([*credits, *others], key=lambda f: (f.start, f.end))


CHECK = register(DocumentFunction("untranslated", _facts, _check, (Category.untranslated,)))
