"""The language layer: what transdiff knows about a language, read from one data file.

A language is a TOML file in ``toolkit/lang/data`` (``en.toml``) holding its word lists,
pronoun table, number words and formats, quote and dash conventions and the names of the
stemmer and sentence splitter to use.  Checks ask the :class:`Language` for a table
(:meth:`Language.words`, :attr:`Language.pronouns`, ...) and declare the tables they need, so a
check without data for a language is skipped for it, and adding a language means adding a file.

    >>> en = language("en")
    >>> "the" in en.words("stopwords")
    True
    >>> en.stem("running")
    'run'
"""

from __future__ import annotations

from toolkit.lang.identify import (
    OtherLanguage,
    identify,
    mixed_language_warning,
    other_languages,
    resolve,
)
from toolkit.lang.model import (
    Language,
    LanguageError,
    NumberFormat,
    Pronoun,
    available,
    language,
)

__all__ = [
    "Language",
    "LanguageError",
    "NumberFormat",
    "OtherLanguage",
    "Pronoun",
    "available",
    "identify",
    "language",
    "mixed_language_warning",
    "other_languages",
    "resolve",
]
