"""The report-v1 JSON document: one ``json.dumps`` of plain dicts."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from toolkit.align import Bead, LineBeads
from toolkit.compare import Comparison
from toolkit.flags import Flag
from toolkit.result import SCHEMA, Report, SentenceResult
from toolkit.score import Score
from toolkit.segment import (
    LineSegments,
    Segment,
    segment_ids,
    segment_rows,
    segment_spans,
    segment_texts,
)

__all__ = [
    "compare_to_dict",
    "comparison_to_dict",
    "json_chunks",
    "render_compare_json",
    "render_json",
    "report_to_dict",
]

COMPARE_SCHEMA = "transdiff/compare-v1"
# Items of a long list encoded at once by json_chunks.
_BATCH = 2000


class _Stream:
    """A list that :func:`json_chunks` encodes a batch at a time instead of holding it whole
    (the sentences, segments and beads of a long document: an object per line each)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class _Encoded(_Stream):
    """A :class:`_Stream` whose items come encoded already (JSON text, as :func:`_dumps`
    writes them): a long document's segments, beads and sentences have a fixed shape, and
    formatting each from a template is several times faster than a dict per item."""

    __slots__ = ()


def _list(items: Iterable[Any], stream: bool) -> Any:
    return _Stream(items) if stream else list(items)


# JSON text of a string, exactly as json.dumps(ensure_ascii=False) writes it (C code).
_string: Callable[[str], str] = json.encoder.encode_basestring
_SEGMENT = '{"id": %s, "text": %s, "start": %s, "end": %s}'
_LINE_SEGMENT = '{"id": "L%d", "text": %s, "start": %d, "end": %d}'
_BEAD = '{"seed": %s, "ref": %s, "kind": "%d-%d", "similarity": %s}'
_LINE_BEAD = '{"seed": [%s], "ref": [%s], "kind": "1-1", "similarity": %s}'
_SENTENCE = (
    '{"id": %s, "suspicion": %s, "divergence": %s, "flags": %s, "waived": %s, '
    '"dismissed": %s, "scores": %s}'
)


def _value(value: Any) -> str:
    """JSON text of a number or None, as :func:`_dumps` writes it (quick for the usual)."""
    kind = type(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return _dumps(value)


def _segments(segments: Sequence[Segment], stream: bool = False) -> Any:
    if stream:
        return _Encoded(_encoded_segments(segments))
    return [
        {"id": i, "text": text, "start": start, "end": end}
        for i, text, start, end in segment_rows(segments)
    ]


def _encoded_segments(segments: Sequence[Segment]) -> Iterator[str]:
    if isinstance(segments, LineSegments):  # ids "L<line>", offsets plain ints
        lines = segments.line_numbers
        texts = segments.texts
        for line, text, (start, end) in zip(lines, texts, segment_spans(segments), strict=True):
            yield _LINE_SEGMENT % (line, _string(text), start, end)
        return
    for i, text, start, end in segment_rows(segments):
        yield _SEGMENT % (_string(i), _string(text), _value(start), _value(end))


def _beads(
    beads: Sequence[Bead], seed_ids: Sequence[str], ref_ids: Sequence[str], stream: bool
) -> Any:
    if stream:
        return _Encoded(_encoded_beads(beads, seed_ids, ref_ids))
    return [
        {
            "seed": [seed_ids[i] for i in bead.seed],
            "ref": [ref_ids[j] for j in bead.ref],
            "kind": bead.kind,
            "similarity": bead.similarity,
        }
        for bead in beads
    ]


def _encoded_beads(
    beads: Sequence[Bead], seed_ids: Sequence[str], ref_ids: Sequence[str]
) -> Iterator[str]:
    if isinstance(beads, LineBeads):  # bead k: line k of each side
        for k, similarity in enumerate(beads.similarities):
            yield _LINE_BEAD % (_string(seed_ids[k]), _string(ref_ids[k]), _value(similarity))
        return
    for bead in beads:
        seed = "[" + ", ".join([_string(seed_ids[i]) for i in bead.seed]) + "]"
        ref = "[" + ", ".join([_string(ref_ids[j]) for j in bead.ref]) + "]"
        yield _BEAD % (seed, ref, len(bead.seed), len(bead.ref), _value(bead.similarity))


def _scores(scores: Any) -> dict[str, Any]:
    return {
        name: {"score": s.score, "signature": s.signature} if isinstance(s, Score) else s
        for name, s in scores.items()
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data (schema ``transdiff/report-v1``)."""
    return _report_data(report, stream=False)


def _report_data(report: Report, *, stream: bool) -> dict[str, Any]:
    """The report's data; with ``stream``, its long lists are :class:`_Stream` generators."""
    seed_ids = segment_ids(report.seed_segments)
    references = []
    for ref in report.references:
        ref_ids = segment_ids(ref.segments)
        references.append(
            {
                "name": ref.name,
                "path": ref.document.path,
                "encoding": ref.document.encoding,
                "segments": _segments(ref.segments, stream),
                "alignment": _beads(ref.alignment.beads, seed_ids, ref_ids, stream),
                "matched_share": round(ref.alignment.matched_share, 4),
                "edit_rate": ref.edit_rate,
                "post_edit": ref.post_edit,
                "scores": _scores(ref.scores),
            }
        )
    return {
        "schema": SCHEMA,
        "signature": report.signature,
        "language": report.language,
        "seed": {
            "path": report.seed.path,
            "encoding": report.seed.encoding,
            "segments": _segments(report.seed_segments, stream),
        },
        "references": references,
        "scores": _scores(report.scores),
        "sentence_signatures": dict(report.sentence_signatures),
        "sentences": _sentences(report, stream),
        "flag_total": sum(len(s.flags) for s in report.sentences),
        "waived_total": sum(len(s.waived) for s in report.sentences),
        "warnings": list(report.warnings),
        "checks_not_run": list(report.checks_not_run),
        "source": report.source.to_dict() if report.source else None,
        "reference_issues": [
            {
                **issue.to_dict(report.seed_segments[issue.sentence].text),
                "sentence": report.seed_segments[issue.sentence].id,
            }
            for issue in report.reference_issues
        ],
    }


def _sentences(report: Report, stream: bool) -> Any:
    """The sentences' entries (as :class:`_Encoded` text with ``stream``)."""
    # The texts, not Segment objects: a long document's lines are not made again.
    pairs = zip(report.sentences, segment_texts(report.seed_segments), strict=True)
    if not stream:
        return [_sentence(report, s, text) for s, text in pairs]
    return _Encoded(
        _SENTENCE
        % (
            _string(s.id),
            _value(s.suspicion),
            _value(s.divergence),
            _dumps([f.to_dict(text) for f in s.flags]) if s.flags else "[]",
            _dumps([_waived(report, f, text) for f in s.waived]) if s.waived else "[]",
            _dumps([f.to_dict(text) for f in s.dismissed]) if s.dismissed else "[]",
            _dumps(_sentence_scores(s)) if s.scores else "{}",
        )
        for s, text in pairs
    )


def _sentence(report: Report, s: SentenceResult, text: str) -> dict[str, Any]:
    return {
        "id": s.id,
        "suspicion": s.suspicion,
        "divergence": s.divergence,
        "flags": [f.to_dict(text) for f in s.flags],
        "waived": [_waived(report, f, text) for f in s.waived],
        "dismissed": [f.to_dict(text) for f in s.dismissed],
        "scores": _sentence_scores(s),
    }


def _sentence_scores(s: SentenceResult) -> dict[str, dict[str, float]]:
    return {name: dict(row) for name, row in s.scores.items()}


def _waived(report: Report, flag: Flag, sentence: str) -> dict[str, Any]:
    """A waived flag's data with the reviewer's reason and comment."""
    waiver = report.waivers.get(flag.id)
    note = {"reason": waiver.reason.value, "comment": waiver.comment} if waiver else None
    return {**flag.to_dict(sentence), "waiver": note}


def render_json(report: Report) -> str:
    """The report as one line of JSON ending with a newline (pipe it to ``jq`` to read it)."""
    return "".join(json_chunks(report))


def json_chunks(report: Report) -> Iterator[str]:
    """:func:`render_json`'s text in pieces, to write as they come: the text is the same, but
    the data of a long document's sentences, segments and beads is never held all at once.
    """
    yield from _encode(_report_data(report, stream=True))
    yield "\n"


def _dumps(value: Any) -> str:
    # No indent: only the compact form uses the C encoder, several times faster on big reports.
    # allow_nan=False: NaN/Infinity are not JSON; the scorer never produces them.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _encode(value: Any) -> Iterator[str]:
    """``json.dumps(value)`` in pieces, with every :class:`_Stream` encoded batch by batch."""
    if isinstance(value, _Stream):
        yield "["
        items = iter(value.items)
        first = True
        while batch := list(itertools.islice(items, _BATCH)):
            if not first:
                yield ", "
            if isinstance(value, _Encoded):
                yield ", ".join(batch)
            else:
                yield _dumps(batch)[1:-1]  # the items, joined as json.dumps joins them
            first = False
        yield "]"
    elif isinstance(value, dict) and _streams(value):
        yield "{"
        for k, (key, item) in enumerate(value.items()):
            if k:
                yield ", "
            yield _dumps(key) + ": "
            yield from _encode(item)
        yield "}"
    elif isinstance(value, list) and _streams(value):
        yield "["
        for k, item in enumerate(value):
            if k:
                yield ", "
            yield from _encode(item)
        yield "]"
    else:
        yield _dumps(value)


def _streams(value: Any) -> bool:
    """Whether ``value`` holds a :class:`_Stream` (only the report's frame is searched)."""
    if isinstance(value, _Stream):
        return True
    if isinstance(value, dict):
        return any(_streams(v) for v in value.values() if isinstance(v, dict | list | _Stream))
    if isinstance(value, list):
        return any(_streams(v) for v in value if isinstance(v, dict | list | _Stream))
    return False


def compare_to_dict(comparisons: Sequence[Comparison]) -> dict[str, Any]:
    """Comparisons as plain JSON-ready data (schema ``transdiff/compare-v1``)."""
    return {
        "schema": COMPARE_SCHEMA,
        "references": [comparison_to_dict(c) for c in comparisons],
    }


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """One reference's entry of ``compare-v1`` (``compare-v2`` keeps it as it is)."""
    return {
        "name": c.reference,
        "path": c.path,
        "units": c.units,
        "baseline": c.systems[0].name if c.systems else None,
        "signatures": dict(c.signatures),
        "warnings": list(c.warnings),
        "systems": [
            {
                "name": s.name,
                "path": s.path,
                "rank": s.rank,
                "matched_share": round(s.matched_share, 4),
                "scores": {
                    m: {
                        "score": r.score,
                        "mean": r.mean,
                        "ci95": r.ci,
                        "p_bootstrap": r.p_bootstrap,
                        "p_ar": r.p_ar,
                    }
                    for m, r in s.metrics.items()
                },
            }
            for s in c.systems
        ],
    }


def render_compare_json(comparisons: Sequence[Comparison]) -> str:
    """Comparisons as one line of JSON ending with a newline."""
    return json.dumps(compare_to_dict(comparisons), ensure_ascii=False, allow_nan=False) + "\n"
