"""Checks of the seed against its source: what every QA tool of translators checks first.

Each is an ordinary check (:mod:`toolkit.checks`) of kind ``source``: it runs when the run has
a source, on each bead of the source alignment (the seed sentences of the bead against the
source text they translate), and its findings become flags like any other.

* ``source-number``: numbers of the source missing from the translation, or numbers of the
  translation the source does not have ("35 million" where the source has "3,5 млн").
* ``source-markup``: placeholders, tags, entities, URLs, e-mail addresses and @handles
  missing, added or (printf without positions) reordered.
* ``source-untranslated``: the translation repeats its source, or copies a long stretch of it.
* ``source-punctuation``: a question, exclamation or colon at the end of the source and not of
  the translation (or the reverse), and brackets balanced in the source but not in the seed.
* ``source-length``: a bead whose length ratio is an outlier for the document (robust z-score
  of the log ratio above 3.5): something may be left out, or added.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.checks import (
    Category,
    Checker,
    Context,
    Finding,
    Kind,
    Severity,
    SourceText,
    register,
)
from toolkit.source.markup import missing_and_added, order_matters, tokens
from toolkit.source.matching import close, metric_value, said, seed_numbers, verbatim
from toolkit.source.quantities import quantities

__all__ = [
    "LENGTH_CHECK",
    "MARKUP_CHECK",
    "NUMBER_CHECK",
    "PUNCTUATION_CHECK",
    "SOURCE_CHECKS",
    "UNTRANSLATED_CHECK",
    "SourceFunction",
]

MARKUP = Category.register("design/markup", badge="tag")
PUNCTUATION = Category.register("fluency/punctuation", badge="punct")

# (seed texts of one bead, its source, the seed's language, the document's facts) ->
# (position of the sentence in the bead, finding on it)
SourceFn = Callable[[Sequence[str], SourceText, str, Any], list[tuple[int, Finding]]]


def _no_facts(context: Context) -> None:
    return None


@dataclass(frozen=True, slots=True)
class SourceFunction:
    """A source check made of module-level functions: ``facts(context)`` reads the document
    once, ``function(seed texts, source, language, facts)`` checks one bead.

    Attributes:
        name: The check's name.
        function: Findings on one bead, each with the position of its sentence in the bead.
        categories: The categories of its findings.
        facts: What the whole document tells (default: nothing).
        languages: Seed language codes it supports; None: every language.
    """

    name: str
    function: SourceFn
    categories: tuple[Category, ...]
    facts: Callable[[Context], Any] = _no_facts
    languages: frozenset[str] | None = None

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset({Kind.source})

    def supports(self, language: str) -> bool:
        return self.languages is None or language in self.languages

    def prepare(self, context: Context) -> Checker:
        return _SourceChecker(self.function, context, self.facts(context))


class _SourceChecker(Checker):
    """Checks each bead once, when its first sentence is asked for, and hands each sentence
    of the bead its findings."""

    __slots__ = ("_context", "_facts", "_function", "_pending")

    def __init__(self, function: SourceFn, context: Context, facts: object) -> None:
        self._function = function
        self._context = context
        self._facts = facts
        self._pending: dict[int, list[list[Finding]]] = {}

    def sentence(self, index: int) -> list[Finding]:
        source = self._context.source[index] if self._context.source else None
        if source is None or index not in source.seed:
            return []
        first = source.seed[0]
        if first not in self._pending:
            texts = [self._context.sentences[i] for i in source.seed]
            per: list[list[Finding]] = [[] for _ in texts]
            for pos, finding in self._function(texts, source, self._context.language, self._facts):
                per[pos].append(finding)
            self._pending[first] = per
        pos = source.seed.index(index)
        found = self._pending[first][pos]
        if pos == len(source.seed) - 1:
            del self._pending[first]
        return found


def _on_whole(
    texts: Sequence[str], category: Category, severity: Severity, message: str
) -> list[tuple[int, Finding]]:
    """A finding over the whole first sentence of the bead (for what the translation lacks)."""
    text = texts[0]
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    return [(0, Finding(category, severity, start, end, message))] if end > start else []


def _masked(text: str) -> str:
    """``text`` with its placeholders, tags, URLs and the like blanked out (same offsets):
    the digits in "{0}" or a URL are not numbers to compare."""
    for t in reversed(tokens(text)):
        text = text[: t.start] + " " * (t.end - t.start) + text[t.end :]
    return text


def check_source_numbers(
    texts: Sequence[str], source: SourceText, language: str, facts: object
) -> list[tuple[int, Finding]]:
    """Numbers that differ between the source and the translation, compared by value (a
    number written identically on both sides always matches, and an imperial measure matches
    its metric conversion within 10%)."""
    source_text = _masked(source.text)
    wanted = quantities(source_text, source.language)
    if not wanted and not any(ch.isdigit() for t in texts for ch in t):
        return []
    masked = [_masked(t) for t in texts]
    have = [(pos, n) for pos, text in enumerate(masked) for n in seed_numbers(text, language)]
    joined = " ".join(masked)
    unmatched = [q for q in wanted if not verbatim(q, source_text, joined)]
    extra = []
    for pos, n in have:
        if verbatim(n, masked[pos], source_text):
            continue
        hit = next((k for k, q in enumerate(unmatched) if q.value == n.value), None)
        if hit is None:
            extra.append((pos, n))
        else:
            del unmatched[hit]
    measures = {id(q): metric_value(q, source_text, source.language) for q in unmatched}
    metric = [m for m in measures.values() if m is not None]
    unmatched = [q for q in unmatched if measures[id(q)] is None]
    extra = [(pos, n) for pos, n in extra if not any(close(m, n.value) for m in metric)]
    missing = [q for q in unmatched if not q.weak and not q.round]
    flaggable = [(pos, n) for pos, n in extra if not n.weak and n.start >= 0]
    if not missing and len(flaggable) == 1:
        # A round number may still be the one a wrong number renders ("two billion" for 十亿).
        value = flaggable[0][1].value
        missing = [q for q in unmatched if q.round and 0.1 <= value / q.value <= 10][:1]
    if len(missing) == 1 and len(flaggable) == 1:
        (pos, n), q = flaggable[0], missing[0]
        message = f'number "{n.text}" does not match the source, which has "{said(q)}"'
        return [(pos, Finding(Category.number, Severity.major, n.start, n.end, message))]
    out: list[tuple[int, Finding]] = []
    for pos, n in flaggable:
        if n.spelled:
            continue  # "a million" for "上百万": words are often a free rendering
        message = f'number "{n.text}" is not in the source'
        out.append((pos, Finding(Category.number, Severity.major, n.start, n.end, message)))
    for q in missing:
        message = f'the source has the number "{said(q)}", which the translation does not render'
        out.extend(_on_whole(texts, Category.number, Severity.major, message))
    return out


def check_source_markup(
    texts: Sequence[str], source: SourceText, language: str, facts: object
) -> list[tuple[int, Finding]]:
    """Placeholders, tags, entities, URLs, e-mails and handles missing, added or reordered."""
    wanted = tokens(source.text)
    found = [(pos, t) for pos, text in enumerate(texts) for t in tokens(text)]
    if not wanted and not found:
        return []
    missing, added = missing_and_added(wanted, [t for _, t in found])
    out: list[tuple[int, Finding]] = []
    for t in missing:
        message = f'the source has the {t.kind} "{t.text}", which the translation leaves out'
        out.extend(_on_whole(texts, MARKUP, Severity.major, message))
    extra = {id(t) for t in added}
    for pos, t in found:
        if id(t) in extra:
            message = f'{t.kind} "{t.text}" is not in the source'
            out.append((pos, Finding(MARKUP, Severity.major, t.start, t.end, message)))
    source_order = order_matters(wanted)
    seed_order = order_matters([t for _, t in found])
    if sorted(source_order) == sorted(seed_order) and source_order != seed_order:
        message = (
            "placeholders in a different order: "
            f"{' '.join(seed_order)} where the source has {' '.join(source_order)}"
        )
        out.extend(_on_whole(texts, MARKUP, Severity.major, message))
    return out


_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# A copied stretch this many words long, with this many lower-case words, is untranslated text
# (names, titles and codes are copied legitimately, and are capitalised).
_COPY_WORDS = 5
_COPY_LOWER = 3


def check_source_untranslated(
    texts: Sequence[str], source: SourceText, language: str, facts: object
) -> list[tuple[int, Finding]]:
    """The translation repeats the source, or copies a long stretch of running text from it."""
    if source.language.split("-")[0] == language.split("-")[0]:
        return []
    joined = " ".join(texts)
    if " ".join(joined.split()).casefold() == " ".join(source.text.split()).casefold():
        if _WORD.search(joined):
            message = "the translation repeats its source: left untranslated"
            return _on_whole(texts, Category.untranslated, Severity.critical, message)
        return []
    source_words = [w.casefold() for w in _WORD.findall(source.text)]
    if len(source_words) < _COPY_WORDS:
        return []
    grams = {tuple(source_words[i : i + _COPY_WORDS]) for i in range(len(source_words) - 4)}
    out: list[tuple[int, Finding]] = []
    for pos, text in enumerate(texts):
        words = list(_WORD.finditer(text))
        i = 0
        while i + _COPY_WORDS <= len(words):
            gram = tuple(w.group().casefold() for w in words[i : i + _COPY_WORDS])
            if gram not in grams:
                i += 1
                continue
            j = i + _COPY_WORDS  # extend the copied stretch as far as it goes
            while j < len(words) and any(
                g[:-1] == tuple(w.group().casefold() for w in words[j - _COPY_WORDS + 1 : j])
                and g[-1] == words[j].group().casefold()
                for g in grams
            ):
                j += 1
            stretch = words[i:j]
            quoted = _quoted(text, stretch[0].start(), stretch[-1].end())
            if not quoted and sum(w.group()[0].islower() for w in stretch) >= _COPY_LOWER:
                start, end = stretch[0].start(), stretch[-1].end()
                message = f'"{text[start:end]}" is copied from the source: left untranslated'
                out.append(
                    (pos, Finding(Category.untranslated, Severity.major, start, end, message))
                )
            i = j
    return out


# End marks, full-width forms included.
# ("!" is left out: "Thank you." rendered "Danke!" is a matter of style.)
_QUOTES = "\"'\u00ab\u00bb\u201a\u201e\u201c\u201d\u2018\u2019\u2039\u203a"


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a quotation (a title, a saying): kept on purpose."""
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip(" .,!?")[:1]
    return bool(before) and before in _QUOTES and bool(after) and after in _QUOTES


_ENDS = {"?": "?", "\uff1f": "?", ":": ":", "\uff1a": ":"}
_NAMES = {"?": "a question mark", ":": "a colon"}
_CLOSING_QUOTES = "\"'\u00bb\u201d\u2019\u300d\u300f)\uff09]\u3011 \u00a0"
_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))
_WIDE = str.maketrans("\uff08\uff09\u3010\u3011\uff3b\uff3d", "()[][]")


def _end_mark(text: str) -> str | None:
    return _ENDS.get(text.rstrip(_CLOSING_QUOTES)[-1:] or "")


def check_source_punctuation(
    texts: Sequence[str], source: SourceText, language: str, facts: object
) -> list[tuple[int, Finding]]:
    """End punctuation (? ! :) and bracket balance that the translation does not keep."""
    out: list[tuple[int, Finding]] = []
    want, have = _end_mark(source.text), _end_mark(texts[-1])
    if want != have and (want is not None or have is not None):
        last = len(texts) - 1
        text = texts[last]
        if want is not None:
            message = f"the source ends with {_NAMES[want]}, the translation does not"
        else:
            message = f"the translation ends with {_NAMES[have or '?']}, the source does not"
        end = len(text.rstrip())
        start = max(0, end - 1)
        if end > start:
            out.append((last, Finding(PUNCTUATION, Severity.minor, start, end, message)))
    wide = source.text.translate(_WIDE)
    for pos, text in enumerate(texts):
        for left, right in _BRACKETS:
            if wide.count(left) == wide.count(right) and text.count(left) != text.count(right):
                at = text.find(left if text.count(left) > text.count(right) else right)
                message = f'unbalanced "{left}{right}" where the source\'s are balanced'
                out.append((pos, Finding(PUNCTUATION, Severity.minor, at, at + 1, message)))
    return out


# A bead is an outlier when its log length ratio is this many robust standard deviations
# (1.4826 x the median absolute deviation) from the document's median, in a document of at
# least this many beads.
_OUTLIER_Z = 3.5
_MIN_BEADS = 8
# Short sentences vary too much in length to tell ("Thank you." / "Danke."): sources shorter
# than this are not judged.
_MIN_SOURCE_CHARS = 60


def length_facts(context: Context) -> tuple[float, float] | None:
    """The median and the robust spread of the log length ratio of the document's beads."""
    if context.source is None:
        return None
    ratios = []
    seen: set[int] = set()
    for source in context.source:
        if source is None or source.seed[0] in seen:
            continue
        seen.add(source.seed[0])
        seed_len = sum(len(context.sentences[i]) for i in source.seed)
        if seed_len and source.text.strip():
            ratios.append(math.log(seed_len / len(source.text)))
    if len(ratios) < _MIN_BEADS:
        return None
    median = statistics.median(ratios)
    # At least 0.1: a ratio steadier than that is an artefact (a template, a list).
    spread = max(0.1, 1.4826 * statistics.median(abs(r - median) for r in ratios))
    return median, spread


def check_source_length(
    texts: Sequence[str], source: SourceText, language: str, facts: object
) -> list[tuple[int, Finding]]:
    """A translation far shorter or longer than the document's usual ratio to its source."""
    if not isinstance(facts, tuple) or len(source.text.strip()) < _MIN_SOURCE_CHARS:
        return []
    median, spread = facts
    length = sum(len(t) for t in texts)
    if not length:
        return []
    z = (math.log(length / len(source.text)) - median) / spread
    if abs(z) < _OUTLIER_Z:
        return []
    times = math.exp(abs(math.log(length / len(source.text)) - median))
    if z < 0:
        message = (
            f"{times:.1f} times shorter than this document's translations of a source this "
            "long: something may be left out"
        )
        category = Category.omission
    else:
        message = (
            f"{times:.1f} times longer than this document's translations of a source this "
            "long: something may be added"
        )
        category = Category.addition
    return _on_whole(texts, category, Severity.minor, message)


NUMBER_CHECK = register(SourceFunction("source-number", check_source_numbers, (Category.number,)))
MARKUP_CHECK = register(SourceFunction("source-markup", check_source_markup, (MARKUP,)))
UNTRANSLATED_CHECK = register(
    SourceFunction("source-untranslated", check_source_untranslated, (Category.untranslated,))
)
PUNCTUATION_CHECK = register(
    SourceFunction("source-punctuation", check_source_punctuation, (PUNCTUATION,))
)
LENGTH_CHECK = register(
    SourceFunction(
        "source-length",
        check_source_length,
        (Category.omission, Category.addition),
        facts=length_facts,
    )
)
SOURCE_CHECKS = (NUMBER_CHECK, MARKUP_CHECK, UNTRANSLATED_CHECK, PUNCTUATION_CHECK, LENGTH_CHECK)
