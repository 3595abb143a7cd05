"""Choosing a run's language: given, declared by the file, or identified from the text.

Identification uses py3langid, whose model ships inside its wheel (no download at run time).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from toolkit.lang.model import Language, LanguageError, language

__all__ = ["identify", "resolve"]

_SAMPLE = 20_000  # characters of text the identifier reads: enough, and fast
# Below this probability the guess is not taken (py3langid calls "He paid 15 euros." Estonian
# at 0.11; a real paragraph of English or German scores above 0.99).
MIN_PROBABILITY = 0.9


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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
