"""Choosing a run's language: given, declared by the file, or identified from the text.

Identification uses py3langid, whose model ships inside its wheel (no download at run time).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from toolkit.lang.model import Language, LanguageError, language

__all__ = ["OtherLanguage", "identify", "mixed_language_warning", "other_languages", "resolve"]

_SAMPLE = 20_000  # characters of text the identifier reads: enough, and fast
# Below this probability the guess is not taken (py3langid calls "He paid 15 euros." Estonian
# at 0.11; a real paragraph of English or German scores above 0.99).
MIN_PROBABILITY = 0.9


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def restricted_identifier(keep: Callable[[str], bool]) -> Any:
    """py3langid's identifier choosing only among the languages whose code (py3langid's) it
    should ``keep``: a copy sharing the model, which is read once per process.

    Raises:
        OSError: the model could not be unpacked (it unpacks through a temporary file).
    """
    restricted = copy.copy(_identifier())
    restricted.set_languages([code for code in dict.fromkeys(restricted.nb_classes) if keep(code)])
    return restricted


def identify(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` and its probability.

    Returns:
        ``(code, probability)``; ``("", 0.0)`` for a text without letters, or when the model
        cannot be unpacked (no room for its temporary file): the caller falls back.
    """
    sample = text[:_SAMPLE]
    if not any(ch.isalpha() for ch in sample):
        return "", 0.0
    try:
        code, probability = _identifier().classify(sample)
    except OSError:  # the model unpacks through a temporary file: a full disk, a file limit
        return "", 0.0
    return str(code), float(probability)


def resolve(
    given: str | None = None, *, declared: Sequence[str] = (), text: str = ""
) -> tuple[Language, str]:
    """The language of a run and how it was chosen.

    The first of: ``given`` (``--lang``), the first language a file ``declared`` (the target
    language of a TMX or XLIFF file), the language identified in ``text`` with a probability
    of at least :data:`MIN_PROBABILITY`, English.

    Returns:
        The language and its origin: ``given``, ``file``, ``identified`` or ``default``.

    Raises:
        LanguageError: ``given`` is not a language code.
    """
    if given:
        return language(given), "given"
    for code in declared:
        if code:
            try:
                return language(code), "file"
            except LanguageError:
                continue  # a malformed xml:lang: fall through to identification
    code, probability = identify(text)
    if code and probability >= MIN_PROBABILITY:
        try:
            return language(code), "identified"
        except LanguageError:
            pass  # a code of the identifier's that pycountry does not know

    return language("en"), "default"


# Mixed-language input: a sentence of at least MIN_WORDS words is identified on its own; a
# language other than the run's that holds at least MIN_SHARE of those sentences (and at least
# MIN_SENTENCES of them) is reported.  On the MQM en-de data 1 of 4419 German MT sentences and
# 0 of 510 English ones are identified as another language.
MIN_WORDS = 5
MIN_SHARE = 0.2
MIN_SENTENCES = 2
# A long document is first screened on this many evenly spaced sentences (identification
# costs about 80 us a sentence: a third of a 50,000-line run); only when another language
# holds at least half of MIN_SHARE of the sample is every sentence identified.  A language
# at MIN_SHARE overall is at least half of it in a sample of 2,000 but with a probability
# far below one in a million (binomial, standard deviation under one point).
SCREEN = 2000


@dataclass(frozen=True, slots=True)
class OtherLanguage:
    """A language other than the run's that a document's sentences are written in.

    Attributes:
        code: The identified language's code (``en``).
        indices: Which of the texts were identified as it, in order.
        counted: How many texts were long enough to be identified (the share's base).
        runs: ``(first, last)`` text indices of each run of identified texts in it, with no
            identified text of another language between (short texts are not counted).
    """

    code: str
    indices: tuple[int, ...]
    counted: int
    runs: tuple[tuple[int, int], ...] = ()

    @property
    def share(self) -> float:
        """Its share of the identified sentences."""
        return len(self.indices) / self.counted if self.counted else 0.0


def other_languages(
    texts: Sequence[str],
    main: str,
    *,
    min_words: int = MIN_WORDS,
    min_share: float = MIN_SHARE,
    min_sentences: int = MIN_SENTENCES,
) -> tuple[OtherLanguage, ...]:
    """The languages other than ``main`` that a substantial share of ``texts`` is written in.

    Each text of at least ``min_words`` words is identified on its own (py3langid); a language
    other than ``main`` is returned when it holds at least ``min_share`` of those texts and at
    least ``min_sentences`` of them.

    Returns:
        The other languages, most sentences first (empty for a one-language document).
    """
    long_enough = [i for i, text in enumerate(texts) if len(text.split()) >= min_words]
    if len(long_enough) > SCREEN and not _screened(texts, long_enough, main, min_share / 2):
        return ()
    found: dict[str, list[int]] = {}
    runs: dict[str, list[tuple[int, int]]] = {}
    counted = 0
    previous = ""
    for i in long_enough:
        text = texts[i]
        code = identify(text)[0]
        if not code:
            continue
        counted += 1
        if code != main:
            found.setdefault(code, []).append(i)
            spans = runs.setdefault(code, [])
            if previous == code:
                spans[-1] = (spans[-1][0], i)
            else:
                spans.append((i, i))
        previous = code
    out = [
        OtherLanguage(code, tuple(indices), counted, tuple(runs[code]))
        for code, indices in found.items()
        if len(indices) >= min_sentences and len(indices) >= min_share * counted
    ]
    out.sort(key=lambda o: (-len(o.indices), o.code))
    return tuple(out)


def _screened(texts: Sequence[str], indices: Sequence[int], main: str, share: float) -> bool:
    """Whether a language other than ``main`` holds at least ``share`` of :data:`SCREEN`
    evenly spaced texts among ``indices``."""
    step = len(indices) / SCREEN
    codes = [identify(texts[indices[int(k * step)]])[0] for k in range(SCREEN)]
    known = [c for c in codes if c]
    return any(known.count(code) >= share * len(known) for code in set(known) if code != main)


def mixed_language_warning(
    texts: Sequence[str], lines: Sequence[int], main: Language, *, unit: str = "line"
) -> list[str]:
    """One warning per other language that a substantial share of ``texts`` is written in.

    Args:
        texts: A document's sentences.
        lines: The line (or unit) number of each sentence.
        main: The run's language.
        unit: What ``lines`` count: ``line`` or ``unit``.
    """
    messages = []
    for other in other_languages(texts, main.code):
        name = _name(other.code)
        where = _ranges([(lines[a], lines[b]) for a, b in other.runs])
        advice = (
            f"most of it is {name}: give --lang {other.code}"
            if other.share > 0.5
            else "the checks read one language: split the document by language, or give --lang"
        )
        messages.append(
            f"{len(other.indices)} of {other.counted} sentences of {MIN_WORDS} words or more "
            f"read as {name} ({other.code}), not {main.name} ({main.code}): {unit}s {where}; "
            + advice
        )
    return messages


def _name(code: str) -> str:
    try:
        return language(code).name
    except LanguageError:
        return code


def _ranges(spans: Sequence[tuple[int, int]], *, most: int = 6) -> str:
    """``[(3, 5), (9, 9)]`` -> ``"3-5, 9"`` (the first ``most`` ranges, then "...")."""
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in spans[:most]]
    if len(spans) > most:
        parts.append("...")
    return ", ".join(parts)
