"""A read-only feature row that costs a few dozen bytes per value, not a dictionary's.

A report keeps the text features of every seed sentence (:attr:`SentenceResult.evidence`): a
million-line run held a million dictionaries of eight floats, about 600 bytes each.  A
:class:`FeatureRow` holds its values packed in one ``bytes`` (8 bytes a float, exact) and
shares its keys with every row of the same features: about 150 bytes for eight values.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["FeatureRow"]

# One tuple of keys per distinct key order: the rows of a run share it.
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


class FeatureRow(Mapping[str, float]):
    """An immutable mapping of feature name to float, in the order it was given; equal to a
    dict with the same items.  It pickles compactly (worker processes return it)."""

    __slots__ = ("_keys", "_values")

    def __init__(self, items: Mapping[str, float]) -> None:
        keys = tuple(items)
        self._keys = _KEYS.setdefault(keys, keys)
        self._values = struct.pack(f"{len(keys)}d", *items.values())

    def __getitem__(self, key: str) -> float:
        value: float = _DOUBLE.unpack_from(self._values, 8 * _index(self._keys)[key])[0]
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in _index(self._keys)

    def values_tuple(self) -> tuple[float, ...]:
        """The values, in key order."""
        return struct.unpack(f"{len(self._keys)}d", self._values)

    def as_dict(self) -> dict[str, float]:
        """A new dict of the same items (faster than ``dict(row)``)."""
        return dict(zip(self._keys, self.values_tuple(), strict=True))

    def __repr__(self) -> str:
        return f"FeatureRow({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The packed values and the shared keys: a list of rows pickles each key tuple once.
        return (_unpickle, (self._keys, self._values))

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_values"):
            raise AttributeError("a FeatureRow is read-only")
        object.__setattr__(self, name, value)


def _unpickle(keys: tuple[str, ...], values: bytes) -> FeatureRow:
    """A row from its pickled keys and packed values (no repacking)."""
    if len(values) != 8 * len(keys):
        raise ValueError("a FeatureRow needs 8 bytes per key")
    row = object.__new__(FeatureRow)
    object.__setattr__(row, "_keys", _KEYS.setdefault(keys, keys))
    object.__setattr__(row, "_values", values)
    return row


_DOUBLE = struct.Struct("d")
_INDEX: dict[tuple[str, ...], dict[str, int]] = {}


def _index(keys: tuple[str, ...]) -> dict[str, int]:
    """The position of each key, one dictionary per key order."""
    found = _INDEX.get(keys)
    if found is None:
        found = _INDEX[keys] = {k: i for i, k in enumerate(keys)}
    return found
