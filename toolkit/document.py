"""Reading text files into a :class:`Document`, losing no character.

The decoded text is kept exactly as read (newlines untouched, no Unicode normalisation), so
that every offset computed later points at the characters in the file.  A byte-order mark is
part of the encoding, not of the text, and is removed.  Comparisons elsewhere use NFC forms
(:func:`normalize`), never the stored text.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from toolkit.errors import InputError

__all__ = ["Document", "decode", "normalize", "read_bytes", "read_document"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Codecs that remove a leading byte-order mark themselves; after them a U+FEFF is text.
_BOM_CONSUMING = frozenset({"utf-8-sig", "utf-16", "utf-32"})
# C0 controls that never occur in a text document; their presence means binary data.
_BINARY_CONTROLS = frozenset(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | frozenset(range(0x10, 0x1B))
_MAX_BINARY_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded text file.

    Attributes:
        path: Where the text came from (as given by the caller).
        text: The decoded text, exactly as read apart from a removed byte-order mark.
        encoding: The codec used to decode the bytes.
        newline: The newline convention seen: ``"\\n"``, ``"\\r\\n"``, ``"\\r"``,
            ``"mixed"`` or ``""`` (no line break at all).
    """

    path: str
    text: str
    encoding: str
    newline: str

    def __post_init__(self) -> None:
        if self.newline not in {"\n", "\r\n", "\r", "mixed", ""}:
            raise ValueError(
                f"newline must be one of LF, CRLF, CR, 'mixed' or '', got {self.newline!r}"
            )

    @classmethod
    def from_text(cls, text: str, *, path: str = "<text>") -> Document:
        """Wrap an in-memory string as a document (used by tests and the library API)."""
        return cls(path=path, text=text, encoding="utf-8", newline=_newline_style(text))


def normalize(text: str) -> str:
    """Return the NFC form used for every comparison."""
    return unicodedata.normalize("NFC", text)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file, or one clear :class:`InputError` (missing, a directory, unreadable)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a text file")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc


def read_document(path: str | Path, *, encoding: str | None = None) -> Document:
    """Read and decode a text file.

    Args:
        path: The file to read.
        encoding: A codec name to use instead of detection (for example ``"cp1251"``).

    Raises:
        InputError: The path is missing, a directory, empty, binary or cannot be decoded.
    """
    p = Path(path)
    data = read_bytes(p)
    text, used = decode(data, encoding=encoding, name=str(p))
    return Document(path=str(p), text=text, encoding=used, newline=_newline_style(text))


def decode(data: bytes, *, encoding: str | None = None, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data``; return the text and the codec used.

    A byte-order mark wins; then UTF-8; then ``charset_normalizer``'s best guess for legacy
    single-byte encodings such as cp1251.
    """
    if not data:
        raise InputError(f"{name}: the file is empty")
    if encoding is not None:
        return _decode_with(data, encoding, name), encoding
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data, codec, name), codec
    if _looks_binary(data):
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            raise InputError(
                f"{name}: looks like {utf16.upper()} text without a byte-order mark; "
                f"pass --encoding {utf16}"
            )
        raise InputError(
            f"{name}: looks like a binary file, not text (it contains NUL or control bytes)"
        )
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"{name}: cannot detect the text encoding; pass it with --encoding (for example cp1251)"
        )
    return _decode_with(data, best.encoding, name), best.encoding


def _decode_with(data: bytes, codec: str, name: str) -> str:
    try:
        info = codecs.lookup(codec)
    except LookupError:
        raise InputError(
            f"{name}: unknown encoding {codec!r}; use a Python codec name such as utf-8 or cp1251"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"{name}: {codec!r} is not a text encoding; use one such as utf-8 or cp1251"
        )
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: bytes at offset {exc.start} are not valid {codec}; "
            "check the file or pass the right --encoding"
        ) from None
    # A codec such as utf-8 or utf-16-le leaves the byte-order mark in the text; drop it, but
    # only once: a U+FEFF after a mark the codec already removed is a character of the file.
    if info.name not in _BOM_CONSUMING and text.startswith("\ufeff"):
        text = text[1:]
    return _check_text(text, name)


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: the file has no text (only white space)")
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file, not text (it contains NUL characters)")
    return text


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b in _BINARY_CONTROLS)
    return controls > _MAX_BINARY_SHARE * len(sample)


def _bomless_utf16(data: bytes) -> str | None:
    """Return ``"utf-16-le"`` or ``"utf-16-be"`` if ``data`` reads as that without a BOM."""
    sample = data[:65536]
    if len(data) % 2:
        return None
    # Latin-script text in UTF-16 has a zero byte in every other position and only there.
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls and not even_nuls:
        codec = "utf-16-le"
    elif even_nuls and not odd_nuls:
        codec = "utf-16-be"
    else:
        return None
    try:
        # Incremental, so a surrogate pair cut at the end of the sample is no error.
        text = codecs.getincrementaldecoder(codec)().decode(sample)
    except UnicodeDecodeError:
        return None
    if any(ord(c) in _BINARY_CONTROLS for c in text):
        return None
    return codec


def _newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("\r\n", crlf), ("\r", cr), ("\n", lf)) if n]
    if not kinds:
        return ""
    return kinds[0] if len(kinds) == 1 else "mixed"
