"""Compact sequences of texts: the lines of a long document without a string per line.

:class:`LineTexts` cuts each line from the document's text when it is read (the main
process); :class:`PackedTexts` is how a worker process receives and holds them.

A list of a million sentences costs about 60 bytes a sentence beside its characters (a
string object and a pointer), and a document with one curly quote is stored two bytes a
character when it is one string.  :class:`PackedTexts` keeps the UTF-8 bytes and one offset
per text, decodes a text when it is read, and pickles as two buffers (fast to send to a
worker process).
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

__all__ = ["LineTexts", "PackedTexts", "packed", "texts_part"]

# Texts encoded at a time while packing: bounds the memory of the encoded copies.
_BATCH = 10_000


class PackedTexts(Sequence[str]):
    """Texts held as UTF-8 bytes and offsets, decoded when read; equals the list of them.

    Args:
        texts: The texts, in order.
    """

    __slots__ = ("_data", "_offsets")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        offsets = array("q", [0])
        chunks: list[bytes] = []
        batch: list[bytes] = []
        end = 0
        for text in texts:
            encoded = text.encode("utf-8", "surrogatepass")
            end += len(encoded)
            offsets.append(end)
            batch.append(encoded)
            if len(batch) == _BATCH:
                chunks.append(b"".join(batch))
                batch = []
        chunks.append(b"".join(batch))
        self._data = b"".join(chunks)
        self._offsets = offsets

    @classmethod
    def _from_buffers(cls, data: bytes, offsets: array) -> PackedTexts:
        packed = cls.__new__(cls)
        packed._data, packed._offsets = data, offsets
        return packed

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        offsets = self._offsets
        if type(index) is int and 0 <= index < len(offsets) - 1:  # the usual read: quick
            piece = self._data[offsets[index] : offsets[index + 1]]
            try:
                return piece.decode()
            except UnicodeDecodeError:  # a lone surrogate, kept as it was given
                return piece.decode("utf-8", "surrogatepass")
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        n = len(offsets) - 1
        k = operator.index(index)
        if not -n <= k < n:
            raise IndexError(f"text {k} of {n}")
        return self[k + n if k < 0 else k]

    def __iter__(self) -> Iterator[str]:
        for k in range(len(self._offsets) - 1):
            yield self[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedTexts):
            return self._data == other._data and self._offsets == other._offsets
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedTexts({len(self)} texts, {len(self._data):,} bytes)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedTexts._from_buffers, (self._data, self._offsets))


def packed(texts: Sequence[str]) -> Sequence[str]:
    """``texts`` as :class:`PackedTexts` (unchanged when they are already)."""
    return texts if isinstance(texts, PackedTexts) else PackedTexts(texts)


class LineTexts(Sequence[str]):
    """The texts of line segments, cut from the document's text when read.

    A million-line file kept each line twice: in the document's text and as a string of its
    own (about 200 bytes a line beside the text).  This sequence keeps the offsets only; it
    equals the list of the lines' texts.
    """

    __slots__ = ("_ends", "_starts", "_text")

    def __init__(self, text: str, starts: array, ends: array) -> None:
        if len(starts) != len(ends):
            raise ValueError("line texts need as many starts as ends")
        self._text, self._starts, self._ends = text, starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        text = self._text
        if isinstance(index, slice):
            return [text[s:e] for s, e in zip(self._starts[index], self._ends[index], strict=True)]
        return text[self._starts[index] : self._ends[index]]

    def __iter__(self) -> Iterator[str]:
        text = self._text
        for s, e in zip(self._starts, self._ends, strict=True):
            yield text[s:e]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineTexts | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LineTexts({len(self)} lines)"

    def part(self, lo: int, hi: int) -> LineTexts:
        """Lines ``lo..hi-1`` (offsets copied, the text shared)."""
        return LineTexts(self._text, self._starts[lo:hi], self._ends[lo:hi])

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to a worker process as the lines alone, packed: not the document around them.
        return PackedTexts(self).__reduce__()


def texts_part(texts: Sequence[str], lo: int, hi: int) -> Sequence[str]:
    """Texts ``lo..hi-1`` of ``texts`` to send to a worker process: for :class:`LineTexts` a
    part that is cut from the document only as it is pickled (packed), so that parts waiting
    for a worker hold offsets, not texts; else a list."""
    if isinstance(texts, LineTexts):
        return texts.part(lo, hi)
    return list(texts[lo:hi])
