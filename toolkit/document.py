"""Reading text files into a :class:`Document`, losing no character.

The decoded text is kept exactly as read (newlines untouched, no Unicode normalisation), so
that every offset computed later points at the characters in the file.  A byte-order mark is
part of the encoding, not of the text, and is removed.  Comparisons elsewhere use NFC forms
(:func:`normalize`), never the stored text.

The one exception is a UTF-8 file damaged by a few bytes that are not UTF-8: it is read as
UTF-8 with each bad sequence replaced by U+FFFD, and :attr:`Document.warnings` names their
byte offsets (``strict=True`` refuses such a file instead).  Offsets then point at the
decoded text, replacement characters included.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO

from toolkit.errors import InputError
from toolkit.legacy import legacy_codec

__all__ = [
    "STDIN",
    "STDIN_NAME",
    "Decoded",
    "Document",
    "decode",
    "normalize",
    "read_bytes",
    "read_document",
    "read_stdin",
]

STDIN = "-"  # the path that means standard input, as in cat and sacrebleu
STDIN_NAME = "<stdin>"  # the document's name when read from standard input

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
# Under ``surrogateescape`` each byte that is not UTF-8 decodes to one of these.
_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_ASCII = bytes(range(0x80))
_SHOWN_RUNS = 5  # byte ranges named in a damage message before "and N more"
_FILE_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded text file.

    Attributes:
        path: Where the text came from (as given by the caller).
        text: The decoded text, exactly as read apart from a removed byte-order mark.
        encoding: The codec used to decode the bytes.
        newline: The newline convention seen: ``"\\n"``, ``"\\r\\n"``, ``"\\r"``,
            ``"mixed"`` or ``""`` (no line break at all).
        warnings: What the reader had to repair, one line each, starting with the path (for
            example bytes that are not UTF-8, replaced by U+FFFD).
    """

    path: str
    text: str
    encoding: str
    newline: str
    warnings: tuple[str, ...] = ()

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


def read_bytes(path: str | Path, *, missing: str = "no such file") -> bytes:
    """The bytes of a regular file, or one clear :class:`InputError`.

    A missing path, a directory, a device (``/dev/zero`` never ends), a named pipe (one
    with no writer would block forever) or a socket is refused before it is opened.  Every
    file transdiff reads goes through here: documents, configuration, glossary, waivers.

    Args:
        path: The file to read.
        missing: What to say when it does not exist (after ``path:``).
    """
    p = Path(path)
    try:
        info = os.stat(p)
    except FileNotFoundError:
        raise InputError(f"{p}: {missing}") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    _check_regular(p, info.st_mode)
    try:
        # Non-blocking, so that a file swapped for a pipe since the stat cannot hang the open;
        # fstat then checks what was really opened.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    with open(fd, "rb") as handle:
        try:
            _check_regular(p, os.fstat(fd).st_mode)
            return handle.read()
        except MemoryError:
            raise InputError(
                f"{p}: too large to read into memory ({info.st_size:,} bytes); split it"
            ) from None
        except OSError as exc:
            raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from exc


def _check_regular(p: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{p}: is a directory, expected a text file")
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    raise InputError(f"{p}: is {kind}, not a regular file; give a text file")


def read_document(
    path: str | Path, *, encoding: str | None = None, strict: bool = False
) -> Document:
    """Read and decode a text file.

    Args:
        path: The file to read; ``"-"`` (:data:`STDIN`) reads standard input to its end, as
            a document named ``<stdin>`` (:func:`read_stdin`).
        encoding: A codec name to use instead of detection (for example ``"cp1251"``).
        strict: Refuse a UTF-8 file with bytes that are not UTF-8 instead of replacing them
            with U+FFFD (and warning).

    Raises:
        InputError: The path is missing, not a regular file, empty, binary or cannot be
            decoded.
    """
    if str(path) == STDIN:
        return read_stdin(encoding=encoding, strict=strict)
    p = Path(path)
    data = read_bytes(p)
    text, used, warnings = decode(data, encoding=encoding, name=str(p), strict=strict)
    return Document(
        path=str(p), text=text, encoding=used, newline=_newline_style(text), warnings=warnings
    )


def read_stdin(
    stream: BinaryIO | None = None, *, encoding: str | None = None, strict: bool = False
) -> Document:
    """Read ``stream`` (default: standard input) to its end and decode it as
    :func:`read_document` decodes a file; the document is named ``<stdin>``.

    Raises:
        InputError: Standard input is closed or cannot be read; the text is empty, binary or
            cannot be decoded.
    """
    source: BinaryIO | _Encoded
    if stream is not None:
        source = stream
    else:
        stdin = sys.stdin
        if stdin is None:
            raise InputError(f"{STDIN_NAME}: standard input is closed; pipe a text into it")
        buffer = getattr(stdin, "buffer", None)
        source = buffer if buffer is not None else _Encoded(stdin)
    try:
        data = source.read()
    except (OSError, ValueError) as exc:  # ValueError: closed since start-up
        raise InputError(f"{STDIN_NAME}: cannot be read ({exc})") from None
    text, used, warnings = decode(data, encoding=encoding, name=STDIN_NAME, strict=strict)
    return Document(
        path=STDIN_NAME, text=text, encoding=used, newline=_newline_style(text), warnings=warnings
    )


class _Encoded:
    """A text stream without a binary buffer (a test's StringIO) read as UTF-8 bytes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def read(self) -> bytes:
        return self._stream.read().encode("utf-8", "surrogateescape")


class Decoded(NamedTuple):
    """What :func:`decode` found: the text, the codec used and any repair warnings."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(
    data: bytes, *, encoding: str | None = None, name: str = "<bytes>", strict: bool = False
) -> Decoded:
    """Decode ``data``; return the text, the codec used and warnings about repairs.

    A byte-order mark wins (a UTF-8 one with bad bytes after it is damaged UTF-8, as
    below); then UTF-8.  Bytes that are not UTF-8 mean a legacy code page
    (:func:`toolkit.legacy.legacy_codec`'s guess, such as cp1251) only when the file is consistent
    with one: when it has fewer well-formed UTF-8 multi-byte sequences than bad bytes (in a
    cp1251 or latin-1 file nearly every non-ASCII byte is bad, and a well-formed sequence is
    a rare accident).  Otherwise the file is UTF-8 damaged by a few bytes: they are replaced
    by U+FFFD and a warning names their byte offsets, or, with ``strict``, it is refused.
    """
    if not data:
        raise InputError(f"{name}: the file is empty")
    if encoding is not None:
        return Decoded(_decode_with(data, encoding, name), encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8-sig":
                return _utf8(data, name=name, strict=strict, mark=len(bom))
            return Decoded(_decode_with(data, codec, name), codec)
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
        return Decoded(_check_text(data.decode("utf-8"), name), "utf-8")
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", "surrogateescape")
    bad = sum(len(m) for m in _ESCAPED_RUN.findall(escaped))
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))
    # ASCII bytes always decode to themselves, so the other characters are the escapes and
    # the well-formed multi-byte sequences.
    if len(escaped) - ascii_bytes - bad >= bad:
        return _utf8(data, name=name, strict=strict)
    guess = legacy_codec(data[:1_000_000])
    if guess is None:
        raise InputError(
            f"{name}: cannot detect the text encoding; pass it with --encoding (for example cp1251)"
        )
    return Decoded(_decode_with(data, guess, name), guess)


def _utf8(data: bytes, *, name: str, strict: bool, mark: int = 0) -> Decoded:
    """``data`` as UTF-8 after a ``mark``-byte BOM; any bad sequence becomes U+FFFD with a
    warning naming its file offsets (or, if ``strict``, an error)."""
    codec = "utf-8-sig" if mark else "utf-8"
    body = data[mark:]
    try:
        return Decoded(_check_text(body.decode("utf-8"), name), codec)
    except UnicodeDecodeError:
        pass
    escaped = body.decode("utf-8", "surrogateescape")
    bad = sum(len(m) for m in _ESCAPED_RUN.findall(escaped))
    runs = []
    offset, done = mark, 0
    for match in _ESCAPED_RUN.finditer(escaped):
        offset += len(escaped[done : match.start()].encode("utf-8"))
        length = match.end() - match.start()
        runs.append(f"{offset}-{offset + length - 1}" if length > 1 else str(offset))
        offset += length
        done = match.end()
    where = ", ".join(runs[:_SHOWN_RUNS])
    if len(runs) > _SHOWN_RUNS:
        where += f" and {len(runs) - _SHOWN_RUNS} more"
    plural = "s" * (bad != 1)
    what = f"{bad} byte{plural} at byte offset{plural} {where}"
    if strict:
        raise InputError(
            f"{name}: {what} {'are' if bad != 1 else 'is'} not valid UTF-8; fix the file, "
            "or pass --encoding if it uses another code page"
        )
    warning = (
        f"{name}: {what} {'are' if bad != 1 else 'is'} not valid UTF-8, read as U+FFFD; "
        "pass --encoding if the file uses another code page, or --strict to refuse it"
    )
    return Decoded(_check_text(body.decode("utf-8", "replace"), name), codec, (warning,))


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
    """Return ``"utf-16-le"`` or ``"utf-16-be"`` if ``data`` reads as that without a BOM.

    Latin-script text in UTF-16 has a zero byte in every other position and only there, which
    tells the byte order.  Text in other scripts (Chinese: "一" is 00 4E in UTF-16-LE) has
    zero bytes in both positions or none; it reads as text in one byte order only: read the
    other way its characters are unpaired surrogates (a decoding error), unassigned code
    points or control characters (a newline, 0A 00, is the unassigned U+0A00).
    """
    sample = data[:65536]
    if len(data) % 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls and not even_nuls:
        return "utf-16-le" if _reads_as_text(sample, "utf-16-le") else None
    if even_nuls and not odd_nuls:
        return "utf-16-be" if _reads_as_text(sample, "utf-16-be") else None
    readings = [codec for codec in ("utf-16-le", "utf-16-be") if _reads_as_text(sample, codec)]
    return readings[0] if len(readings) == 1 else None


# Unassigned and private-use code points allowed in text read as UTF-16 (a share of its
# characters): a newer Unicode than Python's tables, a private font's symbols.
_MAX_ODD_CODE_POINTS = 0.005


def _reads_as_text(sample: bytes, codec: str) -> bool:
    """Whether ``sample`` decodes as ``codec`` without error (a surrogate pair cut at its end
    is no error) into text: no control character a text has not, few unassigned or
    private-use code points."""
    try:
        text = codecs.getincrementaldecoder(codec)().decode(sample)
    except UnicodeDecodeError:
        return False
    if not text or any(ord(c) in _BINARY_CONTROLS for c in text):
        return False
    odd = sum(1 for c in text if unicodedata.category(c) in ("Cn", "Co"))
    return odd <= _MAX_ODD_CODE_POINTS * len(text)


def _newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("\r\n", crlf), ("\r", cr), ("\n", lf)) if n]
    if not kinds:
        return ""
    return kinds[0] if len(kinds) == 1 else "mixed"
