"""Translation-industry inputs: TMX, XLIFF 1.2 and 2.0, Gettext PO (via translate-toolkit), JSONL.

A file of these formats holds *units*: an id, a source text, a target (the translation under
review, the seed) and perhaps alternative targets (XLIFF ``<alt-trans>``, further TMX ``<tuv>``
elements in the target language), which serve as references.

A unit file becomes a :class:`UnitDocument`: its text is the unit targets, one per line, so
that line-mode segmentation (``segmented=True``) gives one segment per unit, ``L<n>`` for the
n-th unit.  Line breaks inside a target are replaced by spaces (a segment is one line); the
unit itself, with its id and source, stays in :attr:`UnitDocument.units` for exporters.  A
unit with an empty target gives an empty line and no segment, so ``L<n>`` still names unit n.

A Gettext plural entry (``msgid_plural``) gives one unit per form, each ``msgstr[k]`` being
text the translator wrote: id ``<msgid>[k]``, source the ``msgid`` for form 0 and the
``msgid_plural`` for the others.  A JSONL file must decode cleanly: bytes that are not UTF-8
in an otherwise UTF-8 file are refused, as XML and PO parsers refuse them, rather than
replaced.  JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused before it is parsed.
Every parse error is one line of at most :data:`MAX_DETAIL` characters of parser detail.

XML is parsed with entity substitution, network access and huge trees turned off, and any file
that declares entities (``<!ENTITY``) is rejected, so neither "billion laughs" nor external
entities (XXE) can take effect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit.document import Document, decode, read_bytes, read_document
from toolkit.errors import InputError

__all__ = [
    "MAX_DETAIL",
    "MAX_JSON_DEPTH",
    "UNIT_SUFFIXES",
    "Unit",
    "UnitDocument",
    "is_unit_file",
    "load_documents",
    "read_units",
    "units_document",
]

UNIT_SUFFIXES = {
    ".tmx": "TMX",
    ".xlf": "XLIFF",
    ".xliff": "XLIFF",
    ".po": "PO",
    ".jsonl": "JSONL",
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
# A unit row is a flat object; deeper nesting is an attack or a mistake, and json.loads
# recurses once per level (100,000 levels raise RecursionError).
MAX_JSON_DEPTH = 64
# A JSON string or one bracket; the unrolled string pattern keeps the regex linear.
_JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
# Parser messages can quote a huge attribute or tag; a message stays one readable line.
MAX_DETAIL = 200
_XML_POSITION = re.compile(r",?\s*line \d+, column \d+\s*$")


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation unit.

    Attributes:
        id: The unit id in its file (XLIFF ``id``, TMX ``tuid``, PO ``msgctxt::msgid`` with
            ``[k]`` after it for plural form k, JSONL ``id``); the 1-based position when the
            file gives none.
        source: The source text ("" when the format has none, as in JSONL without ``source``).
        target: The translation (the seed text); "" when untranslated.
        alternatives: Alternative translations, usable as references.
        languages: The source and target language codes the file declares ("" if none).
    """

    id: str
    source: str
    target: str
    alternatives: tuple[str, ...] = ()
    languages: tuple[str, str] = ("", "")


@dataclass(frozen=True, slots=True)
class UnitDocument(Document):
    """A :class:`Document` made of units: line n of :attr:`text` is ``units[n - 1].target``."""

    units: tuple[Unit, ...] = ()

    @property
    def languages(self) -> tuple[str, str]:
        """The source and target languages the first unit that declares any declares."""
        return next((u.languages for u in self.units if any(u.languages)), ("", ""))


def is_unit_file(path: str | Path) -> bool:
    """Whether ``path`` has the extension of a unit format (.tmx, .xlf, .xliff, .po, .jsonl)."""
    return Path(path).suffix.lower() in UNIT_SUFFIXES


def read_units(path: str | Path, *, encoding: str | None = None) -> list[Unit]:
    """Read the units of a TMX, XLIFF (1.2 or 2.0), PO or JSONL file, chosen by extension.

    Args:
        path: The file.
        encoding: A codec to use instead of the one the file declares or detection.

    Raises:
        InputError: The file is missing, malformed, declares XML entities or is of an
            unknown format.
    """
    p = Path(path)
    kind = UNIT_SUFFIXES.get(p.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(UNIT_SUFFIXES))
        raise InputError(f"{p}: not a unit file; the known extensions are {known}")
    data = _read_bytes(p)
    if kind == "JSONL":
        return _read_jsonl(data, encoding=encoding, name=str(p))
    if kind == "PO":
        return _read_po(data, name=str(p))
    root = _parse_xml(data, encoding=encoding, name=str(p))
    if kind == "TMX":
        return _read_tmx(data, root, name=str(p))
    return _read_xliff(data, root, name=str(p))


def units_document(units: Sequence[Unit], *, path: str) -> UnitDocument:
    """The document of ``units``: their targets, one per line, line breaks replaced by spaces."""
    text = "\n".join(_one_line(u.target) for u in units)
    if not text.strip():
        raise InputError(f"{path}: no unit has a translation (every target is empty)")
    return UnitDocument(path=path, text=text, encoding="utf-8", newline="\n", units=tuple(units))


def load_documents(
    seed: str | Path,
    references: Sequence[str | Path],
    *,
    encoding: str | None = None,
    strict: bool = False,
) -> tuple[Document, list[Document]]:
    """Read a seed and its references, any of them plain text or a unit file.

    When the seed is a unit file, a reference unit file is paired with it by unit id (its
    lines follow the seed's units; a unit it lacks is an empty line), a plain-text reference
    pairs by line, and the seed's alternative translations follow the given references as
    one more reference per alternative (named ``<seed stem>.alt<k>``).  The caller should
    then segment by lines.  A unit file given as a reference to a plain-text seed is just
    its targets, one per line.  ``strict`` is passed to :func:`read_document` for plain text.
    """
    if not is_unit_file(seed):
        seed_doc = read_document(seed, encoding=encoding, strict=strict)
        return seed_doc, [_read_any(r, encoding=encoding, strict=strict) for r in references]
    units = read_units(seed, encoding=encoding)
    seed_doc = units_document(units, path=str(seed))
    refs: list[Document] = []
    for ref in references:
        if is_unit_file(ref):
            ref_units = read_units(ref, encoding=encoding)
            refs.append(_pair_by_id(units, ref_units, path=str(ref), seed_path=seed))
        else:
            refs.append(read_document(ref, encoding=encoding, strict=strict))
    p = Path(seed)
    for k in range(max((len(u.alternatives) for u in units), default=0)):
        alts = [
            Unit(u.id, u.source, u.alternatives[k] if k < len(u.alternatives) else "")
            for u in units
        ]
        refs.append(units_document(alts, path=str(p.with_name(f"{p.stem}.alt{k + 1}{p.suffix}"))))
    return seed_doc, refs


# --- pairing ----------------------------------------------------------------------------


def _read_any(path: str | Path, *, encoding: str | None, strict: bool) -> Document:
    if is_unit_file(path):
        return units_document(read_units(path, encoding=encoding), path=str(path))
    return read_document(path, encoding=encoding, strict=strict)


def _pair_by_id(
    seed_units: Sequence[Unit], ref_units: Sequence[Unit], *, path: str, seed_path: str | Path
) -> UnitDocument:
    """The reference's units in the seed's order, matched by id."""
    by_id: dict[str, Unit] = {}
    for unit in ref_units:
        if unit.id in by_id:
            raise InputError(f"{path}: unit id {unit.id!r} occurs twice; ids must be unique")
        by_id[unit.id] = unit
    matched = [by_id.get(u.id, Unit(u.id, u.source, "")) for u in seed_units]
    if not any(u.id in by_id for u in seed_units):
        raise InputError(
            f"{path}: shares no unit id with {seed_path} ({len(ref_units)} units); "
            "give a reference with the same ids, or a plain-text reference paired by line"
        )
    return units_document(matched, path=path)


def _one_line(text: str) -> str:
    return _LINE_BREAK.sub(" ", text)


def _detail(message: str) -> str:
    """A parser's message as one line of at most :data:`MAX_DETAIL` characters."""
    flat = " ".join(message.split())
    return flat if len(flat) <= MAX_DETAIL else flat[: MAX_DETAIL - 1].rstrip() + "\u2026"


# --- XML --------------------------------------------------------------------------------


def _read_bytes(p: Path) -> bytes:
    data = read_bytes(p)
    if not data.strip():
        raise InputError(f"{p}: the file is empty")
    return data


def _parse_xml(data: bytes, *, encoding: str | None, name: str) -> Any:
    """Check that ``data`` is well-formed XML without entity declarations; return its root."""
    if _ENTITY_DECL.search(data):
        raise InputError(
            f"{name}: declares XML entities (<!ENTITY ...>), which transdiff refuses to read "
            "for safety; remove the DOCTYPE"
        )
    parser = etree.XMLParser(
        encoding=encoding,
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, exc.offset)
        raise InputError(
            f"{name}: not well-formed XML at line {line}, column {column}: {_xml_detail(exc.msg)}"
        ) from None
    except (LookupError, ValueError) as exc:
        raise InputError(f"{name}: cannot read as XML ({_detail(str(exc))})") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(
            f"{name}: declares XML entities, which transdiff refuses to read for safety; "
            "remove the DOCTYPE"
        )
    return root


def _xml_detail(message: str) -> str:
    """libxml2's message without the position (given separately) and without advice to
    lift its size limits, which transdiff keeps on purpose."""
    detail = _XML_POSITION.sub("", message).replace(", try XML_PARSE_HUGE", "")
    if "limit exceeded" in detail.lower():
        detail += " (one text, attribute or name is longer than the parser's safety limit)"
    return _detail(detail)


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _load_store(cls: Any, data: bytes, name: str, kind: str) -> Any:
    try:
        return cls.parsestring(data)
    except Exception as exc:  # translate-toolkit raises assorted errors on unexpected content
        message = _detail(str(exc)) or type(exc).__name__
        raise InputError(f"{name}: not a valid {kind} file ({message})") from None


def _read_xliff(data: bytes, root: Any, *, name: str) -> list[Unit]:
    from translate.storage import xliff, xliff2

    if _local(root.tag) != "xliff":
        tag = _detail(_local(root.tag))
        raise InputError(f"{name}: the root element is <{tag}>, expected <xliff>")
    namespace = etree.QName(root).namespace or ""
    version2 = root.get("version", "").startswith("2") or ":2." in namespace
    if version2:
        store = _load_store(xliff2.Xliff2File, data, name, "XLIFF 2.0")
        langs = (root.get("srcLang") or "", root.get("trgLang") or "")
        return [
            Unit(u.getid() or str(n), u.source or "", u.target or "", languages=langs)
            for n, u in enumerate(store.units, start=1)
        ]
    store = _load_store(xliff.xlifffile, data, name, "XLIFF 1.2")
    file = next((e for e in root if _local(e.tag) == "file"), None)
    langs = ("", "")
    if file is not None:
        langs = (file.get("source-language") or "", file.get("target-language") or "")
    return [
        Unit(
            u.xmlelement.get("id") or str(n),
            u.source or "",
            u.target or "",
            tuple(a.target for a in u.getalttrans() if a.target),
            langs,
        )
        for n, u in enumerate(store.units, start=1)
    ]


def _read_tmx(data: bytes, root: Any, *, name: str) -> list[Unit]:
    from translate.misc.xml_helpers import getXMLlang
    from translate.storage import tmx

    if _local(root.tag) != "tmx":
        tag = _detail(_local(root.tag))
        raise InputError(f"{name}: the root element is <{tag}>, expected <tmx>")
    store = _load_store(tmx.tmxfile, data, name, "TMX")
    units = []
    for n, u in enumerate(store.units, start=1):
        nodes = [(str(getXMLlang(v) or "").lower(), u.getNodeText(v)) for v in u.getlanguageNodes()]
        source_lang = str(u.xmlelement.get("srclang") or store.sourcelanguage or "").lower()
        if source_lang and source_lang != "*all*":
            others = [(lang, text) for lang, text in nodes if lang != source_lang]
        else:
            others = nodes[1:]
        target_lang = others[0][0] if others else ""
        targets = [text or "" for lang, text in others if lang == target_lang]
        units.append(
            Unit(
                u.xmlelement.get("tuid") or str(n),
                u.source or "",
                targets[0] if targets else "",
                tuple(t for t in targets[1:] if t),
                (source_lang if source_lang != "*all*" else "", target_lang),
            )
        )
    return units


# --- PO and JSONL -----------------------------------------------------------------------


def _read_po(data: bytes, *, name: str) -> list[Unit]:
    from translate.storage import po

    store = _load_store(po.pofile, data, name, "PO")
    langs = ("", str(store.gettargetlanguage() or ""))  # the header's "Language:"
    units = []
    for u in store.units:
        if u.isheader() or u.isobsolete():
            continue
        context = u.getcontext()
        ident = f"{context}::{u.source}" if context else str(u.source)
        if not u.hasplural():
            units.append(Unit(ident, str(u.source or ""), str(u.target or ""), (), langs))
            continue
        # multistring.strings holds the first form as a multistring, then the others.
        sources = [str(s) for s in u.source.strings]
        forms = [str(s) for s in getattr(u.target, "strings", None) or [u.target or ""]]
        for k, form in enumerate(forms):
            source = sources[min(k, 1)] if len(sources) > 1 else sources[0]
            units.append(Unit(f"{ident}[{k}]", source, form, (), langs))
    return units


def _read_jsonl(data: bytes, *, encoding: str | None, name: str) -> list[Unit]:
    # strict: JSON is UTF-8 by definition, and a unit file has no warnings channel.
    text = decode(data, encoding=encoding, name=name, strict=True).text
    units: list[Unit] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        too_deep = (
            f"{name}: line {number}: JSON nested deeper than {MAX_JSON_DEPTH} levels; "
            'expected a flat object such as {"id": "1", "text": "..."}'
        )
        if _json_too_deep(line):
            raise InputError(too_deep)
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: line {number}: not valid JSON ({exc.msg})") from None
        except RecursionError:  # a smaller stack than expected: still one line, no traceback
            raise InputError(too_deep) from None
        except ValueError as exc:  # an integer of more than 4300 digits
            detail = _detail(str(exc).split(";")[0])
            raise InputError(f"{name}: line {number}: not valid JSON ({detail})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise InputError(
                f'{name}: line {number}: expected an object with a string "text" '
                '(and an "id"), such as {"id": "1", "text": "..."}'
            )
        ident = row.get("id", len(units) + 1)
        source = row.get("source", "")
        alternatives = row.get("alternatives", [])
        if not isinstance(source, str) or not (
            isinstance(alternatives, list) and all(isinstance(a, str) for a in alternatives)
        ):
            raise InputError(
                f'{name}: line {number}: "source" must be a string and "alternatives" a list '
                "of strings"
            )
        units.append(Unit(str(ident), source, row["text"], tuple(alternatives)))
    if not units:
        raise InputError(f"{name}: no JSON lines found")
    return units


def _json_too_deep(line: str) -> bool:
    """Whether ``line`` opens more than :data:`MAX_JSON_DEPTH` arrays or objects at once.

    Brackets inside strings do not count; the scan is a loop, not a recursion.
    """
    if line.count("[") + line.count("{") <= MAX_JSON_DEPTH:
        return False  # the common case, decided without a Python-level scan
    depth = 0
    for match in _JSON_NESTING.finditer(line):
        char = match.group()
        if char in ("[", "{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in ("]", "}"):
            depth -= 1
    return False
