"""Negations in a source, in its own language: what settles a reference-based negation flag.

A language whose data file has ``[words] negation_markers`` (English, German) is read with the
negation check's own rule (:func:`toolkit.checks.negation.negation_markers`: "not only", "no
doubt" and the other phrases that do not negate left out).  Another language is read from
``[words] source_negation``, cues matched as whole words ("не", "никогда"), or wherever they
occur when they are written in a script without spaces (Chinese "不", "没有"; the longest cue
first), after the phrases of ``[phrases] source_negation_exceptions`` ("не только", "非常",
"未来") are masked.  A language with neither list cannot tell: :func:`source_negations`
returns None.
"""

from __future__ import annotations

import re
from functools import cache

from toolkit.checks.negation import negation_markers
from toolkit.lang import Language, LanguageError, language

__all__ = ["source_negations"]

_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def source_negations(text: str, code: str) -> list[str] | None:
    """The negation cues of ``text`` in language ``code``, in order; None when the language
    has no negation words."""
    try:
        lang = language(code)
    except LanguageError:
        return None
    if lang.has("words.negation_markers"):
        return negation_markers(text, language=lang)
    pattern = _pattern(lang)
    if pattern is None:
        return None
    cues, exceptions = pattern
    masked = exceptions.sub(lambda m: " " * len(m.group()), text) if exceptions else text
    return [m.group() for m in cues.finditer(masked)]


@cache
def _pattern(lang: Language) -> tuple[re.Pattern[str], re.Pattern[str] | None] | None:
    if not lang.has("words.source_negation"):
        return None
    cues = sorted(lang.words("source_negation"), key=len, reverse=True)
    exceptions = (
        sorted(lang.phrases("source_negation_exceptions"), key=len, reverse=True)
        if lang.has("phrases.source_negation_exceptions")
        else []
    )
    return _alternation(cues), _alternation(exceptions) if exceptions else None


def _alternation(items: list[str]) -> re.Pattern[str]:
    """One pattern for ``items``: whole words, or anywhere for those in an unspaced script."""
    parts = [
        re.escape(item) if _UNSPACED.search(item) else rf"(?<!\w){re.escape(item)}(?!\w)"
        for item in items
    ]
    return re.compile("|".join(parts), re.IGNORECASE)
