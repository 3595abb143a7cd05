"""Paragraph-aware sentence splitting with offsets into the text as read.

A text is cut into paragraphs first (one per line, or blocks between blank lines for
hard-wrapped text), then each paragraph into sentences by ``sentencex`` plus a few rules for
cases it misses (a stop before a closing bracket, list items, lowercase continuations).
Offsets always point into :attr:`Document.text`, whose newlines are kept as read, so the
document can be rebuilt from the segments and the white space between them.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from itertools import pairwise
from typing import Any, overload

from sentencex import segment as _sentencex_segment

from toolkit.document import Document
from toolkit.lang import LanguageError
from toolkit.lang import language as get_language
from toolkit.packed import LineTexts

__all__ = [
    "LineSegments",
    "Segment",
    "paragraph_spans",
    "segment_document",
    "segment_ids",
    "segment_rows",
    "segment_spans",
    "segment_texts",
    "segmenter_signature",
    "split_sentences",
]

_LANGUAGE = "en"  # the default: sentencex's code for a document of unknown language
_CHUNK = 20_000  # longest piece handed to the library at once
_CONTEXT = 200  # text a window keeps after the last boundary it trusts
_WRAPPED_SHARE = 0.25  # share of mid-sentence line breaks above which lines are hard-wrapped

_NEWLINE = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"\s*")
# Every white-space character but the ASCII space: the library gets them as spaces (same
# length, so offsets hold; and sentencex 1.0.32 panics on some multi-byte spaces).
_OTHER_SPACE = re.compile(r"[^\S ]")
_STOPS = ".!?\u2026\u3002\uff01\uff1f"  # . ! ? … and the ideographic full stop, ! and ?
_CLOSERS = re.escape("\"')]\u00bb\u201d\u2019")  # straight and typographic closing quotes
_OPENERS = re.escape("\"'([\u00ab\u201c\u2018")  # straight and typographic opening quotes
_BULLETS = "\u2022\u2043\u2023\u25aa\u25e6"  # bullet, hyphen bullet, triangle, squares
_FINAL = re.compile(rf"[{re.escape(_STOPS)}:;][{_CLOSERS}]*$")
# Where to cut a window with no sentence boundary: after the last stop, else the last space.
_LAST_STOP = re.compile(rf".*[{re.escape(_STOPS)}][{_CLOSERS}]*\s", re.DOTALL)
_LAST_SPACE = re.compile(r".*\s", re.DOTALL)
# A stop before a closing bracket, or a word-final "…", then an uppercase word: a boundary.
_STOP_BEFORE_UPPER = re.compile(rf"(?:[.!?\u2026][)\]]+|(?<=\S)\u2026+)( +)[{_OPENERS}]*(\w)")
# "words. . . . Next": the full stop ends the sentence, the spaced ellipsis opens the next.
_STOP_THEN_ELLIPSIS = re.compile(rf"(?<=\w)\. +(\. \. \.)( +)[{_OPENERS}]*(\w)")
_LIST_MARKER = re.compile(rf"(?<!\S)(?:[{_BULLETS}] *)?(\d{{1,3}}|[a-z])(?:\.\)|\)|\.)(?= )")
_MARKER_ONLY = re.compile(
    rf"(?:[{_BULLETS}] *)?(?:\d{{1,3}}(?:\.\d{{1,3}})*|[A-Za-z]|[IVXivx]{{1,5}})(?:\.\)|\)|\.)"
    rf"|[{_BULLETS}]"
)
# Where the library may end a sentence inside a paragraph (after a stop or bracket, before a
# bullet); a paragraph without any is one sentence and skips the library.
_MAY_BREAK = re.compile(rf"[{re.escape(_STOPS)})]\S*\s|[\u3002\uff01\uff1f]\S|\s[{_BULLETS}]")
# A sentence starts after a space, or right after an ideographic stop or closing bracket.
_CUT_AFTER = " \u3002\uff01\uff1f\u300d\u300f\uff09"
_FALLBACK_STOP = re.compile(rf"[{re.escape(_STOPS)}]+[{_CLOSERS}]* +")


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence (or line) of a document.

    Attributes:
        id: ``"p<paragraph>.s<sentence>"`` (1-based), or ``"L<line>"`` in line mode.
        text: Exactly ``doc.text[start:end]``.
        start: Offset of the first character in :attr:`Document.text`.
        end: Offset just past the last character.
        paragraph: 1-based paragraph number (in line mode: the line number).
    """

    id: str
    text: str
    start: int
    end: int
    paragraph: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.end - self.start != len(self.text):
            raise ValueError(
                f"segment {self.id}: offsets {self.start}..{self.end} do not fit a text of "
                f"{len(self.text)} characters; start must be below end and end - start == len(text)"
            )
        if self.paragraph < 1:
            raise ValueError(
                f"segment {self.id}: paragraph must be 1 or more, not {self.paragraph}"
            )


class LineSegments(Sequence[Segment]):
    """The non-empty lines of a document as segments, without an object per line.

    A million-line file held a million :class:`Segment` objects per side (an object, an id
    string and three integers: about 220 bytes each beside the text), then a string per line
    (about 200 bytes).  This sequence keeps the document's text and each line's offsets and
    line number in arrays, and makes the :class:`Segment` (``L<line>``) and its text when it
    is read; it equals the tuple of those segments.
    """

    __slots__ = ("_ends", "_lines", "_starts", "_text")

    def __init__(self, text: str, starts: array, ends: array, lines: array) -> None:
        if not len(starts) == len(ends) == len(lines):
            raise ValueError("line segments need as many starts, ends and line numbers")
        self._text, self._starts, self._ends, self._lines = text, starts, ends, lines

    @property
    def line_numbers(self) -> array:
        """Each segment's line number (1-based), in order (do not change it)."""
        return self._lines

    @property
    def texts(self) -> LineTexts:
        """The lines' texts, in order (cut from the text when read)."""
        return LineTexts(self._text, self._starts, self._ends)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Segment: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Segment, ...]: ...

    def __getitem__(self, index: int | slice) -> Segment | tuple[Segment, ...]:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(len(self))))
        line, s, e = self._lines[index], self._starts[index], self._ends[index]
        return Segment(f"L{line}", self._text[s:e], s, e, line)

    def __iter__(self) -> Iterator[Segment]:
        for k in range(len(self)):
            yield self[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineSegments | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LineSegments({len(self)} lines)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LineSegments, (self._text, self._starts, self._ends, self._lines))


class _LineIds(Sequence[str]):
    """The ids (``L<line>``) of line segments, made when read."""

    __slots__ = ("_lines",)

    def __init__(self, lines: array) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [f"L{line}" for line in self._lines[index]]
        return f"L{self._lines[index]}"


def segment_ids(segments: Sequence[Segment]) -> Sequence[str]:
    """The ids of ``segments`` in order (for :class:`LineSegments`, made when read: no string
    per line is kept)."""
    if isinstance(segments, LineSegments):
        return _LineIds(segments._lines)
    return [s.id for s in segments]


def segment_spans(segments: Sequence[Segment]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each of ``segments``, in order (without making a :class:`Segment`
    per line of :class:`LineSegments`)."""
    if isinstance(segments, LineSegments):
        return zip(segments._starts, segments._ends, strict=True)
    return ((s.start, s.end) for s in segments)


def segment_rows(segments: Sequence[Segment]) -> Iterator[tuple[str, str, int, int]]:
    """``(id, text, start, end)`` of each of ``segments``, in order (as :func:`segment_spans`)."""
    if isinstance(segments, LineSegments):
        return zip(
            segment_ids(segments), segments.texts, segments._starts, segments._ends, strict=True
        )
    return ((s.id, s.text, s.start, s.end) for s in segments)


def segment_texts(segments: Sequence[Segment]) -> Sequence[str]:
    """The texts of ``segments`` in order (for :class:`LineSegments`, cut from the
    document's text when read: no string per line is kept)."""
    if isinstance(segments, LineSegments):
        return segments.texts
    return [s.text for s in segments]


def segment_document(
    doc: Document, *, segmented: bool = False, language: str = _LANGUAGE
) -> Sequence[Segment]:
    """Split a document into sentences, or into its lines when it is already segmented.

    Args:
        doc: The document; offsets point into ``doc.text``.
        segmented: Treat every non-empty line as one segment (id ``L<line>``).
        language: sentencex's language code (:attr:`toolkit.lang.Language.sentencex`).

    Returns:
        The segments in order (in line mode a compact :class:`LineSegments`); empty when the
        text is only white space.
    """
    text = doc.text
    out: list[Segment] = []
    if segmented:
        starts, ends, lines = array("q"), array("q"), array("q")
        for number, (s, e) in enumerate(_line_spans(text), start=1):
            s, e = _strip(text, s, e)
            if s < e:
                starts.append(s)
                ends.append(e)
                lines.append(number)
        return LineSegments(text, starts, ends, lines)
    for p, (ps, pe) in enumerate(paragraph_spans(text), start=1):
        for n, (s, e) in enumerate(split_sentences(text[ps:pe], language=language), start=1):
            out.append(Segment(f"p{p}.s{n}", text[ps + s : ps + e], ps + s, ps + e, p))
    return tuple(out)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the paragraphs of a text as ``(start, end)`` spans stripped of white space.

    A paragraph is a line, unless the text is hard-wrapped (many line breaks fall inside a
    sentence): then it is a block of lines between blank lines, and a short first line
    without final punctuation (a heading) is a paragraph of its own.
    """
    lines = [span for s, e in _line_spans(text) if (span := _strip(text, s, e))[0] < span[1]]
    blocks: list[list[tuple[int, int]]] = []
    for s, e in lines:
        if blocks and len(_NEWLINE.findall(text, blocks[-1][-1][1], s)) < 2:
            blocks[-1].append((s, e))
        else:
            blocks.append([(s, e)])
    if not _is_wrapped(text, blocks):
        return lines
    spans: list[tuple[int, int]] = []
    for block in blocks:
        if len(block) > 1 and _is_heading(text, block):
            spans.append(block[0])
            block = block[1:]
        spans.append((block[0][0], block[-1][1]))
    return spans


def split_sentences(paragraph: str, *, language: str = _LANGUAGE) -> list[tuple[int, int]]:
    """Split one paragraph into sentences.

    Args:
        paragraph: The text of one paragraph (it may contain line breaks).
        language: sentencex's language code.

    Returns:
        ``(start, end)`` spans into ``paragraph``, in order, stripped of white space.
    """
    start, end = _strip(paragraph, 0, len(paragraph))
    if start == end:
        return []
    if end - start <= _CHUNK and not _MAY_BREAK.search(paragraph, start, end):
        return [(start, end)]  # the common case of a heading or a one-sentence line
    spans: list[tuple[int, int]] = []
    pos = start
    while end - pos > _CHUNK:  # a very long paragraph goes to the library a window at a time
        cut, pieces = _window(paragraph, pos, language)
        spans.extend((pos + s, pos + e) for s, e in pieces)
        pos += cut
    spans.extend((pos + s, pos + e) for s, e in _split_chunk(paragraph[pos:end], language))
    return spans


@cache
def segmenter_signature(language: str = _LANGUAGE) -> str:
    """Describe the sentence segmenter for score signatures, e.g. ``sentencex-1.0.32+rules:en``
    (``language``: sentencex's language code)."""
    return f"sentencex-{version('sentencex')}+rules:{language}"


# --- lines and paragraphs -------------------------------------------------------------


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield every line's span without its terminator (``\\r\\n``, ``\\r`` or ``\\n``)."""
    start = 0
    for m in _NEWLINE.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Narrow ``text[s:e]`` to its non-space characters (``s == e`` when there are none)."""
    piece = text[s:e]
    core = piece.strip()
    if not core:
        return s, s
    lead = len(piece) - len(piece.lstrip())
    return s + lead, s + lead + len(core)


def _is_wrapped(text: str, blocks: list[list[tuple[int, int]]]) -> bool:
    """Whether enough line breaks inside blocks fall mid-sentence (before a lowercase word)."""
    breaks = mid = 0
    for block in blocks:
        for (_, e1), (s2, _) in pairwise(block):
            breaks += 1
            mid += not _FINAL.search(text, max(0, e1 - 8), e1) and _starts_lower(text, s2)
    return breaks > 0 and mid / breaks >= _WRAPPED_SHARE


def _is_heading(text: str, block: list[tuple[int, int]]) -> bool:
    (s, e), (s2, _) = block[0], block[1]
    longest = max(e2 - s2 for s2, e2 in block[1:])
    return (
        e - s < 0.7 * longest
        and not _FINAL.search(text, max(s, e - 8), e)
        and not _starts_lower(text, s2)
    )


def _starts_lower(text: str, pos: int) -> bool:
    while pos < len(text) and text[pos] in _OPENERS:
        pos += 1
    return pos < len(text) and text[pos].islower()


# --- sentences ------------------------------------------------------------------------


def _window(paragraph: str, pos: int, language: str) -> tuple[int, list[tuple[int, int]]]:
    """Split the ``_CHUNK`` characters from ``pos``; return how far that got and the sentences.

    The window's last sentence may run on past it, so the next window starts there again; the
    boundary kept last has some text after it, as the library needs. Without a boundary in
    the second half, cut after the last stop, else the last space, else anywhere.
    """
    pieces = _split_chunk(paragraph[pos : pos + _CHUNK], language)
    for s, _ in reversed(pieces[1:]):
        if s < _CHUNK // 2:
            break
        if s <= _CHUNK - _CONTEXT:
            return s, [p for p in pieces if p[0] < s]
    low, high = pos + _CHUNK // 2, pos + _CHUNK
    m = _LAST_STOP.match(paragraph, low, high) or _LAST_SPACE.match(paragraph, low, high)
    cut = (m.end() if m else high) - pos
    return cut, _split_chunk(paragraph[pos : pos + cut], language)


def _split_chunk(chunk: str, language: str) -> list[tuple[int, int]]:
    text = _OTHER_SPACE.sub(" ", chunk)
    if not text.strip():
        return []
    starts = _apply_rules(text, _map_starts(text, _library_split(text, language)))
    together = _kept_together(language)
    if together is not None and len(starts) > 1:
        inside = {m.end() for m in together.finditer(text)}
        starts = [starts[0], *(s for s in starts[1:] if s not in inside)]
    bounds = [*starts, len(text)]
    return [(s, s + len(text[s:e].rstrip())) for s, e in pairwise(bounds)]


@cache
def _kept_together(code: str) -> re.Pattern[str] | None:
    """Where a full stop does not end a sentence in the language ``code``: after one of its
    ``[words] sentence_abbreviations`` ("Abb. 3", "vgl. Kapitel 2") and after a number
    that one of its ``[words] ordinal_openers`` precedes ("am 3. Oktober", "im 19.
    Jahrhundert").  The pattern ends where the next sentence would have started; None for a
    language without those lists."""
    try:
        lang = get_language(code)
    except LanguageError:
        return None
    empty: frozenset[str] = frozenset()
    abbreviations = lang.words("sentence_abbreviations", default=empty)
    openers = lang.words("ordinal_openers", default=empty)
    parts = []
    if abbreviations:
        names = "|".join(map(re.escape, sorted(abbreviations, key=len, reverse=True)))
        parts.append(rf"(?<![\w.])(?:{names})\.")
    if openers:
        names = "|".join(map(re.escape, sorted(openers, key=len, reverse=True)))
        parts.append(rf"(?<!\w)(?i:{names}) +\d{{1,3}}\.")
    return re.compile(rf"(?:{'|'.join(parts)}) +") if parts else None


def _library_split(text: str, language: str) -> list[str]:
    try:
        return list(_sentencex_segment(language, text))
    except Exception:
        return _fallback_split(text)
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        return _fallback_split(text)


def _fallback_split(text: str) -> list[str]:
    cuts = [0, *(m.end() for m in _FALLBACK_STOP.finditer(text)), len(text)]
    return [text[a:b] for a, b in pairwise(cuts)]


def _map_starts(text: str, sentences: list[str]) -> set[int]:
    """Find where each sentence the library returned starts, walking the text in order.

    Sentences are matched verbatim; if the library changed characters, the walk counts
    non-space characters instead, so a boundary may move but no text is lost.
    """
    pos, n = 0, len(text)
    starts = {_skip_spaces(text, 0)}
    for sentence in sentences:
        core = sentence.strip()
        if not core:
            continue
        pos = _skip_spaces(text, pos)
        if pos >= n:
            break
        starts.add(pos)
        if text.startswith(core, pos):
            pos += len(core)
        else:
            pos = _skip_non_space(text, pos, sum(not c.isspace() for c in core))
    return starts


def _skip_spaces(text: str, pos: int) -> int:
    return _SPACES.match(text, pos).end()  # type: ignore[union-attr]  # \s* always matches


def _skip_non_space(text: str, pos: int, count: int) -> int:
    n = len(text)
    while pos < n and count:
        count -= not text[pos].isspace()
        pos += 1
    return pos


def _apply_rules(text: str, starts: set[int]) -> list[int]:
    """Adjust the library's sentence starts for the cases it gets wrong; return them sorted."""
    first = min(starts)  # the first non-space character
    for m in _STOP_BEFORE_UPPER.finditer(text):
        if m.group(2).isupper():
            starts.add(m.end(1))
    for m in _STOP_THEN_ELLIPSIS.finditer(text):
        if m.group(3).isupper():
            starts.add(m.start(1))
            starts.discard(m.end(2))
    items: set[int] = set()
    for m in _list_items(text):
        after = _skip_spaces(text, m.end())
        starts.difference_update(range(m.start() + 1, after + 1))
        items.add(m.start())
    starts |= items
    # Never cut inside a run of non-space characters ("U.S.", "Yahoo!Inc"), except after an
    # ideographic stop or bracket, which takes no space after it.
    ordered = [i for i in sorted(starts) if i == first or text[i - 1] in _CUT_AFTER]
    kept = ordered[:1]
    for start in ordered[1:]:
        # A lone list marker ("1.", "IV.") belongs to what follows, and so does a lowercase
        # word after a stop ("3.5 mln. rubles"): the library cuts at both.
        if start not in items and (
            _starts_lower(text, start)
            or (start - kept[-1] <= 12 and _MARKER_ONLY.fullmatch(text[kept[-1] : start].rstrip()))
        ):
            continue
        kept.append(start)
    return kept


def _list_items(text: str) -> list[re.Match[str]]:
    """Find list markers (``1.``, ``2.)``, ``a.``, ``• 9.``) that count up in sequence."""
    waiting: dict[tuple[bool, int], list[re.Match[str]]] = {}
    for m in _LIST_MARKER.finditer(text):
        label = m.group(1)
        key = (label.isdigit(), int(label) if label.isdigit() else ord(label))
        chain = waiting.pop(key, None)
        if chain is None:
            if not (label.isdigit() or label == "a") or not _may_open_list(text, m):
                continue
            chain = []
        chain.append(m)
        waiting[(key[0], key[1] + 1)] = chain
    return [m for chain in waiting.values() if len(chain) > 1 for m in chain]


def _may_open_list(text: str, m: re.Match[str]) -> bool:
    """A list opens the text, follows a stop or colon, or starts with a bullet."""
    pos = m.start() - 1
    while pos >= 0 and text[pos] == " ":
        pos -= 1
    return pos < 0 or text[pos] in ":;.!?\u2026" or m.group(0)[0] in _BULLETS
