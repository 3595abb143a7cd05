"""A read-only feature row that costs a few dozen bytes per value, not a dictionary's.

A report keeps the text features of every seed sentence (:attr:`SentenceResult.evidence`): a
million-line run held a million dictionaries of eight floats, about 600 bytes each.  A
:class:`FeatureRow` holds its values in one ``array('d')`` and shares its keys with every row
of the same features.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["FeatureRow"]

# One tuple of keys per distinct key order: the rows of a run share it.
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


class FeatureRow(Mapping[str, float]):
    """An immutable mapping of feature name to float, in the order it was given; equal to a
    dict with the same items.  It pickles compactly (worker processes return it)."""

    __slots__ = ("_index", "_keys", "_values")

    def __init__(self, items: Mapping[str, float]) -> None:
        keys = tuple(items)
        self._keys = _KEYS.setdefault(keys, keys)
        self._values = array("d", items.values())
        self._index = _index(self._keys)

    def __getitem__(self, key: str) -> float:
        return self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __repr__(self) -> str:
        return f"FeatureRow({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FeatureRow, (dict(self),))

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_index"):
            raise AttributeError("a FeatureRow is read-only")
        object.__setattr__(self, name, value)


_INDEX: dict[tuple[str, ...], dict[str, int]] = {}


def _index(keys: tuple[str, ...]) -> dict[str, int]:
    """The position of each key, one dictionary per key order."""
    found = _INDEX.get(keys)
    if found is None:
        found = _INDEX[keys] = {k: i for i, k in enumerate(keys)}
    return found
