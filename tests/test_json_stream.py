"""The streamed JSON writer formats segments, beads and sentences from templates: its text
must be exactly ``json.dumps`` of the report's dict, character for character."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.document import Document
from toolkit.flags import Waiver
from toolkit.pipeline import compare_documents, settle
from toolkit.report import render_json, report_to_dict
from toolkit.report.json import _value
from toolkit.result import RunSettings

# Words, numbers and the characters JSON must escape (quotes, backslashes, controls), and
# text that is not ASCII.
_piece = st.sampled_from(
    [
        "The",
        "bridge",
        "opened",
        "in",
        "1989",
        "2,5",
        '"quoted"',
        "back\\slash",
        "tab\there",
        "\u201ccurly\u201d",
        "caf\u00e9",
        "\u0421\u0430\u0434",
        "\x07bell",
        "He",
        "It",
        "not",
        "never",
        "!",
        ".",
    ]
)
_line = st.lists(_piece, min_size=1, max_size=8).map(" ".join)
_doc = st.lists(_line, min_size=1, max_size=6).map("\n".join)


def _dumped(report: Any) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, allow_nan=False) + "\n"


@settings(max_examples=25, deadline=None)
@given(_doc, _doc, st.booleans(), st.booleans(), st.booleans())
def test_streamed_json_is_json_dumps_of_the_dict(
    seed: str, ref: str, segmented: bool, scores: bool, parallel: bool
) -> None:
    if parallel:  # line-parallel needs as many lines on both sides
        lines = ref.split("\n")
        ref = "\n".join((lines * len(seed.split("\n")))[: len(seed.split("\n"))])
    run = RunSettings(segmented=segmented or parallel, parallel=parallel)
    if not scores:
        run = RunSettings(segmented=run.segmented, parallel=parallel, score=None)
    report = compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(ref, path='r"ef.txt')],
        settings=run,
    )
    assert render_json(report) == _dumped(report)
    flagged = [f for s in report.sentences for f in s.flags]
    if flagged:  # a waived flag carries its waiver
        waiver = Waiver(
            id=flagged[0].id,
            comment='a "comment"',
            category=flagged[0].category.value,
            sentence="",
            span="",
        )
        waived = settle(report, waivers=[waiver])
        assert render_json(waived) == _dumped(waived)


@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(), st.none()))
def test_values_are_written_as_json_dumps_writes_them(value: float | int | None) -> None:
    assert _value(value) == json.dumps(value)


def test_a_value_json_cannot_hold_is_refused() -> None:
    for bad in (float("nan"), float("inf")):
        try:
            _value(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} was written")
