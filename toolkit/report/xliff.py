"""The flagged sentences as XLIFF 1.2, for review in a CAT tool.

One ``<trans-unit>`` per flagged seed sentence: the target is the seed sentence, the source is
the unit's source when the input was a unit file (TMX, XLIFF, PO, JSONL with ``source``), else
the reference text aligned to the sentence in the first reference.  The id is the unit id when
the input had one, else the sentence id.  Each flag is a ``<note from="transdiff">`` whose
``priority`` follows its severity (critical 1, major 2, minor 3), and one more note gives the
sentence's suspicion.  The run's signature is a note in the file header.

The tree is built with lxml, which escapes by construction; characters XML cannot hold (C0
controls other than tab and line breaks) become U+FFFD.
"""

from __future__ import annotations

import re

from lxml import etree

from toolkit import __version__
from toolkit.checks import Severity
from toolkit.formats import UnitDocument
from toolkit.result import ReferenceResult, Report

__all__ = ["NAMESPACE", "render_xliff"]

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
PRIORITY = {Severity.critical: 1, Severity.major: 2, Severity.minor: 3}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def render_xliff(report: Report) -> str:
    """Every flagged seed sentence of ``report`` as a ``<trans-unit>`` of an XLIFF 1.2 file."""
    root = etree.Element(_q("xliff"), nsmap={None: NAMESPACE}, version="1.2")
    file = etree.SubElement(
        root,
        _q("file"),
        original=_clean(report.seed.path),
        datatype="plaintext",
        # The target is the seed's language; the source is known when a unit file declared it.
        **{"source-language": report.source_language or "und", "target-language": report.language},
    )
    header = etree.SubElement(file, _q("header"))
    etree.SubElement(
        header,
        _q("tool"),
        **{"tool-id": "transdiff", "tool-name": "transdiff", "tool-version": __version__},
    )
    _note(header, report.signature)
    body = etree.SubElement(file, _q("body"))
    units = report.seed.units if isinstance(report.seed, UnitDocument) else None
    aligned = _aligned(report.references[0], len(report.seed_segments)) if report.references else []
    for index, (segment, result) in enumerate(
        zip(report.seed_segments, report.sentences, strict=True)
    ):
        if not result.flags:
            continue
        unit = units[segment.paragraph - 1] if units and report.settings.segmented else None
        source = unit.source if unit is not None and unit.source else ""
        if not source and aligned:
            source = aligned[index]
        trans_unit = etree.SubElement(
            body, _q("trans-unit"), id=_clean(unit.id if unit is not None else segment.id)
        )
        trans_unit.set(_XML_SPACE, "preserve")
        etree.SubElement(trans_unit, _q("source")).text = _clean(source)
        etree.SubElement(trans_unit, _q("target")).text = _clean(segment.text)
        for flag in result.flags:
            span = segment.text[flag.start : flag.end]
            text = f"{flag.category.value} {flag.severity.value} [{span}]: {flag.message}"
            _note(trans_unit, text, priority=PRIORITY[flag.severity])
        worst = min(PRIORITY[f.severity] for f in result.flags)
        _note(trans_unit, f"suspicion {result.suspicion:.2f}", priority=worst)
    xml = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return xml.decode("utf-8")


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _note(parent: etree._Element, text: str, *, priority: int | None = None) -> None:
    note = etree.SubElement(parent, _q("note"), {"from": "transdiff"})
    if priority is not None:
        note.set("priority", str(priority))
    note.text = _clean(text)


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _aligned(ref: ReferenceResult, n: int) -> list[str]:
    """For each of the ``n`` seed sentences, the reference text of its bead ("" if none)."""
    texts = [""] * n
    for bead in ref.alignment.beads:
        text = " ".join(ref.segments[j].text for j in bead.ref)
        for i in bead.seed:
            texts[i] = text
    return texts
