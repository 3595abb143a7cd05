"""A language's dictionary of word forms: simplemma's table of inflected forms to lemmas.

The language file names simplemma's code in ``[language] simplemma``; the table is loaded on
first use (1.2 s and about 100 MB for German, paid only by runs that need it).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

__all__ = ["forms"]


@cache
def forms(code: str) -> Mapping[str, str]:
    """simplemma's dictionary for ``code``: a case-sensitive map of word forms to lemmas."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table: Mapping[str, str] = DefaultDictionaryFactory().get_dictionary(code)
    return table
