"""report/html_review.py and what the review page builds from it (no browser): the reference it
opens on, the order of its rows, the flags listed with their ids, the data for accepting them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shlex
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Document
from toolkit.pipeline import compare_documents, compare_files
from toolkit.report import render
from toolkit.report.html import render_html
from toolkit.report.html_review import accept_data, default_reference, flagged_first
from toolkit.result import Report, RunSettings, confirmed_weight
from toolkit.waivers import HEADER, Reason, apply_waivers, make_waiver


@pytest.fixture(scope="module")
def found(seed_path: Path, postedit_path: Path, alternative_path: Path) -> Report:
    """The references as the bundled run finds them: alphabetical, alternative first."""
    return compare_files(seed_path, [alternative_path, postedit_path])


def _data(page: str) -> dict[str, object]:
    raw = re.search(r'<script type="application/json" id="transdiff-data">(.*?)</script>', page)
    assert raw is not None
    data: dict[str, object] = json.loads(raw.group(1))
    return data


def _shown_table(page: str) -> str:
    sections = re.findall(
        r'<section class="reftable"( hidden)?[^>]*>\s*<table[^>]* id="(t\d)"', page
    )
    shown = [table for hidden, table in sections if not hidden]
    assert len(shown) == 1
    return shown[0]


def test_the_closest_reference_opens_when_none_was_named(found: Report) -> None:
    chosen = default_reference(found)
    assert [r.name for r in found.references] == ["alternative", "postedit"]
    assert chosen.index == 1 and chosen.why == "closest to the seed: chrF 98.62"
    page = render_html(found)
    assert _shown_table(page) == "t1"
    assert _data(page)["shown"] == 1
    assert '<option value="1" selected>postedit</option>' in page
    assert 'href="#s1-0"' in page  # the chart links into the table shown


def test_the_reference_named_first_opens(found: Report) -> None:
    chosen = default_reference(found, "alternative")
    assert (chosen.index, chosen.why) == (0, "named first")
    assert _shown_table(render(found, "html", reference="alternative")) == "t0"
    # A name the report lacks falls back to the closest.
    assert default_reference(found, "nowhere").index == 1


def test_without_scores_the_closest_is_by_aligner_similarity(
    seed_path: Path, postedit_path: Path, alternative_path: Path
) -> None:
    settings = RunSettings(score=None)
    report = compare_files(seed_path, [alternative_path, postedit_path], settings=settings)
    chosen = default_reference(report)
    assert chosen.index == 1 and chosen.why.startswith("closest to the seed: similarity 0.9")


def test_one_or_no_reference() -> None:
    seed = Document.from_text("One line here.\nAnother line.\n", path="s.txt")
    ref = Document.from_text("One line here.\nAnother one.\n", path="r.txt")
    settings = RunSettings(segmented=True, score=None)
    assert default_reference(compare_documents(seed, [ref], settings=settings)).index == 0
    alone = compare_documents(seed, [], settings=settings)
    assert default_reference(alone).index == 0
    assert '<section class="reftable" aria-label' in render_html(alone)


@given(st.lists(st.tuples(st.none() | st.floats(0, 1), st.booleans()), max_size=30))
def test_flagged_first_is_a_permutation_with_the_flagged_rows_in_front(
    rows: list[tuple[float | None, bool]],
) -> None:
    order = flagged_first([s for s, _ in rows], [f for _, f in rows])
    assert sorted(order) == list(range(len(rows)))
    flagged = [rows[k][1] for k in order]
    assert flagged == sorted(flagged, reverse=True)
    n = sum(flagged)
    top = [rows[k][0] or 0.0 for k in order[:n]]
    assert top == sorted(top, reverse=True)
    assert order[n:] == sorted(order[n:])  # the rest in document order


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.booleans(), st.sampled_from([0.0, 1.0, 5.0, 10.0])),
        max_size=30,
    )
)
def test_flagged_first_puts_the_post_edits_confirmed_rows_first(
    rows: list[tuple[float, bool, float]],
) -> None:
    order = flagged_first([s for s, _, _ in rows], [f for _, f, _ in rows], [w for *_, w in rows])
    assert sorted(order) == list(range(len(rows)))
    n = sum(f for _, f, _ in rows)
    keys = [(-rows[k][2], -rows[k][0], k) for k in order[:n]]
    assert keys == sorted(keys)
    assert all(rows[k][1] for k in order[:n]) and order[n:] == sorted(order[n:])


def test_rows_are_listed_flagged_first_with_their_document_place(found: Report) -> None:
    page = render_html(found)
    body = page.split('id="t1"', 1)[1].split("</tbody>", 1)[0]
    places = [int(i) for i in re.findall(r'<tr data-i="(\d+)"', body)]
    beads = found.references[1].alignment.beads
    assert sorted(places) == list(range(len(beads)))
    flagged = [any(found.sentences[i].flags for i in beads[k].seed) for k in places]
    n = sum(flagged)
    assert n > 0 and flagged == [True] * n + [False] * (len(places) - n)
    # Most suspect first, after the rows whose flags a post-edit supports (most severe first).
    edited = found.post_edits()
    keys = [
        (
            -confirmed_weight((f for i in beads[k].seed for f in found.sentences[i].flags), edited),
            -max(found.sentences[i].suspicion for i in beads[k].seed),
        )
        for k in places[:n]
    ]
    assert keys == sorted(keys)


def test_each_flag_is_listed_with_its_id_and_an_accept_box(found: Report) -> None:
    page = render_html(found)
    flags = [f for s in found.sentences for f in s.flags]
    for flag in flags:
        boxes = re.findall(rf'<input type="checkbox" class="accept" value="{flag.id}"', page)
        assert len(boxes) == len(found.references)  # once per reference table
        assert page.count(f'<code class="fid" title="flag id">{flag.id}</code>') == 2
    # The reason and comment fields are made by the script, from the page data.
    assert 'class="reason"' not in page
    accept = _data(page)["accept"]
    assert isinstance(accept, dict) and accept["reasons"] == [r.value for r in Reason]


def test_sentence_ids_break_only_between_sentences(found: Report) -> None:
    page = render_html(found)
    two = next(b for b in found.references[0].alignment.beads if len(b.seed) == 2)
    a, b = (found.seed_segments[i].id for i in two.seed)
    assert (
        f'<th scope="row"><span class="sid">{a}</span>+<wbr><span class="sid">{b}</span></th>'
        in page
    )
    css = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert css is not None and ".sid, .fid { white-space: nowrap; }" in css.group(1)


def test_accept_data_holds_what_transdiff_waive_records(found: Report) -> None:
    data = accept_data(found)
    assert data["header"] == HEADER
    assert data["reasons"] == ["false-positive", "wont-fix"]
    assert data["paths"] == shlex.join(
        [found.seed.path, *(r.document.path for r in found.references)]
    )
    flags = data["flags"]
    assert isinstance(flags, dict)
    for segment, result in zip(found.seed_segments, found.sentences, strict=True):
        for flag in result.flags:
            waiver = make_waiver(flag, segment.text)
            assert flags[flag.id] == {
                "category": waiver.category,
                "sentence": waiver.sentence,
                "span": waiver.span,
            }


def test_the_run_waivers_go_into_the_page_with_their_dates(found: Report) -> None:
    segment, result = next(
        (seg, res)
        for seg, res in zip(found.seed_segments, found.sentences, strict=True)
        if res.flags
    )
    flag = result.flags[0]
    waiver = make_waiver(
        flag, segment.text, reason=Reason.wont_fix, comment="<i>x</i>", created=dt.date(2026, 1, 2)
    )
    undated = dataclasses.replace(waiver, created=None)
    for given_waiver, created in ((waiver, {"created": "2026-01-02"}), (undated, {})):
        waived = apply_waivers(found, [given_waiver])
        data = accept_data(waived)
        assert data["waivers"] == [
            {
                "id": flag.id,
                "reason": "wont-fix",
                "comment": "<i>x</i>",
                "category": waiver.category,
                "sentence": waiver.sentence,
                "span": waiver.span,
                **created,
            }
        ]
        assert flag.id not in data["flags"]  # waived: not offered again
        page = render_html(waived)
        assert "<i>x</i>" not in page and "wont-fix: &lt;i&gt;x&lt;/i&gt;" in page


@pytest.mark.parametrize(
    ("args", "shown", "why"),
    [
        (
            [],
            "t1",
            "closest to the seed: chrF 98.62",
        ),  # found in references/: alternative, postedit
        (["references/alternative.txt", "references/postedit.txt"], "t0", "named first"),
    ],
)
def test_transdiff_report_opens_on_the_reference_named_first_else_the_closest(
    repo_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    shown: str,
    why: str,
) -> None:
    monkeypatch.chdir(repo_root)
    seed = [str(next(Path("seeds").glob("*.txt")))] if args else []
    result = CliRunner().invoke(
        app, ["report", *seed, *args, "--format", "html", "--no-scores" if args else "--scores"]
    )
    assert result.exit_code == 0, result.stderr
    assert _shown_table(result.stdout) == shown
    assert why in result.stdout
