"""Post-edited references: the word edit rate, the spans a post-edit changes, the flags they
keep shown, and the flag threshold's default and settings."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.align import Alignment, Bead
from toolkit.checks import Category, Severity
from toolkit.cli import app
from toolkit.config import load_config
from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.flags import Flag
from toolkit.pipeline import compare_documents
from toolkit.result import Report, RunSettings, confirmed_weight, review_key
from toolkit.review import review_queue
from toolkit.verify.model import load_verifier
from toolkit.verify.postedit import (
    MIN_WORDS,
    POST_EDIT_RATE,
    EditRate,
    changed_span,
    edit_rate,
    post_edit_flags,
)

pytestmark = pytest.mark.verifier_threshold

SEED = (
    "Even before 1941, the USSR supported China when Japan launched an armed conflict. "
    "He supplied planes, equipment and ammunition, and sent pilots.\n"
    "The two countries signed a treaty of friendship in the same year, and trade between them "
    "grew quickly over the following decade.\n"
)
POST_EDIT = SEED.replace("He supplied", "It supplied")
INDEPENDENT = (
    "Already before 1941 the Soviet Union backed China after Japan started an armed conflict. "
    "It delivered aircraft, weapons and munitions and dispatched airmen.\n"
    "That year both nations concluded a friendship treaty, and their commerce expanded rapidly "
    "during the next ten years.\n"
)


def run(seed: str, *refs: str, **options: object) -> Report:
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(text, path=f"ref{k}.txt") for k, text in enumerate(refs)],
        settings=RunSettings(**options),  # type: ignore[arg-type]
    )


def one_to_one(n: int) -> Alignment:
    return Alignment(tuple(Bead((i,), (i,), 1.0) for i in range(n)))


@pytest.mark.parametrize(
    ("sentence", "span", "post_edit", "changed"),
    [
        ("He supplied planes.", "He", "It supplied planes.", True),
        ("He supplied planes.", "planes", "It supplied planes.", False),
        ("Chinese Leader Xi", "Leader", "Chinese leader Xi", True),  # capitals count
        ("a strong\u2014willed man", "\u2014", "a strong-willed man", True),
        ("by joining the states", "joining", "by including the states", True),
        ("by joining the states", "states", "by including the states", False),
        ("We met in Paris.", "Paris", "We met.", True),  # deleted
        ("Same words here.", "words", "Same words here.", False),
    ],
)
def test_changed_span(sentence: str, span: str, post_edit: str, changed: bool) -> None:
    start = sentence.index(span)
    assert changed_span(sentence, start, start + len(span), post_edit) is changed


def test_edit_rate_counts_word_edits_per_reference_word() -> None:
    seed = ["He supplied planes and pilots.", "Nothing changed here at all."]
    ref = ["It supplied aircraft and pilots.", "Nothing changed here at all."]
    rate = edit_rate(seed, ref, one_to_one(2))
    assert rate == EditRate(2, 10) and rate.rate == pytest.approx(0.2)
    assert not rate.post_edit, f"fewer than {MIN_WORDS} words say nothing"
    unmatched = Alignment((Bead((0,), (), 0.0), Bead((1,), (0,), 1.0), Bead((), (1,), 0.0)))
    assert edit_rate(seed, ref, unmatched) == EditRate(5 + 5 + 5, 10)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="abc xyz.", min_size=1, max_size=40), min_size=1, max_size=6))
def test_a_copy_is_a_post_edit_with_no_edits(sentences: list[str]) -> None:
    rate = edit_rate(sentences, sentences, one_to_one(len(sentences)))
    assert rate.edits == 0
    assert rate.post_edit is (rate.words >= MIN_WORDS)


def test_post_edit_keeps_the_flag_the_verifier_would_dismiss() -> None:
    threshold = load_verifier().show
    edited = run(SEED, POST_EDIT)
    (ref,) = edited.references
    assert ref.post_edit and ref.edit_rate is not None and ref.edit_rate <= POST_EDIT_RATE
    (flag,) = [f for s in edited.sentences for f in s.flags]
    assert edited.seed_segments[1].text[flag.start : flag.end] == "He"
    assert flag.probability is not None and flag.probability < threshold
    independent = run(SEED, INDEPENDENT)
    assert not independent.references[0].post_edit
    assert independent.references[0].edit_rate is not None
    assert independent.references[0].edit_rate > 0.5
    assert [f for s in independent.sentences for f in s.flags] == []
    gone = [f for s in independent.sentences for f in s.dismissed]
    assert any(f.category.value == "accuracy/pronoun" for f in gone)
    assert all((f.probability or 0) < threshold for f in gone)
    shown_all = run(SEED, INDEPENDENT, flag_threshold=0.0)
    assert len([f for s in shown_all.sentences for f in s.flags]) == len(gone)


def test_default_threshold_is_the_verifiers_and_signed() -> None:
    assert RunSettings().flag_threshold is None
    assert RunSettings().show_threshold() == load_verifier().show
    assert RunSettings(flag_threshold=0.0).show_threshold() == 0.0
    report = run(SEED, POST_EDIT)
    assert f"flag-threshold:{load_verifier().show:g}" in report.signature


def test_json_and_queue_say_which_reference_is_a_post_edit(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "post.txt").write_text(POST_EDIT, encoding="utf-8")
    (tmp_path / "other.txt").write_text(INDEPENDENT, encoding="utf-8")
    runner = CliRunner()
    seed, post, other = (str(tmp_path / n) for n in ("seed.txt", "post.txt", "other.txt"))
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["report", seed, post, other, "-f", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    refs = {r["name"]: r for r in json.loads(out.read_text(encoding="utf-8"))["references"]}
    assert refs["post"]["post_edit"] is True and refs["post"]["edit_rate"] < 0.05
    assert refs["other"]["post_edit"] is False
    queue = runner.invoke(app, ["flag", seed, post, "--width", "200"])
    assert queue.exit_code == 0
    assert "post is a post-edit of the seed (word edit rate 0.02)" in queue.output
    assert '[He] pronoun "He" differs' in queue.output
    hidden = runner.invoke(app, ["flag", seed, other, "--width", "200"])
    assert "below the verifier's threshold" in hidden.output and "[He]" not in hidden.output
    shown = runner.invoke(app, ["flag", seed, other, "--flag-threshold", "0", "--width", "200"])
    assert "[He]" in shown.output and "below the verifier's threshold" not in shown.output


@pytest.mark.parametrize("value", ["1.5", "-0.1", "x"])
def test_bad_flag_threshold_is_exit_2(tmp_path: Path, value: str) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(POST_EDIT, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["flag", str(tmp_path / "seed.txt"), str(tmp_path / "ref.txt"), "--flag-threshold", value],
    )
    assert result.exit_code == 2
    assert "--flag-threshold" in result.output


def test_config_flag_threshold(tmp_path: Path) -> None:
    path = tmp_path / "transdiff.toml"
    path.write_text("flag_threshold = 0\n", encoding="utf-8")
    assert load_config(path).flag_threshold == 0.0
    for bad in ('flag_threshold = "low"\n', "flag_threshold = 2\n", "flag_threshold = true\n"):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_config(path)
        assert "flag_threshold" in str(err.value) and "\n" not in str(err.value)


def test_config_flag_threshold_shows_every_flag(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(INDEPENDENT, encoding="utf-8")
    (tmp_path / "transdiff.toml").write_text("flag_threshold = 0\n", encoding="utf-8")
    args = ["flag", str(tmp_path / "seed.txt"), str(tmp_path / "ref.txt"), "--width", "200"]
    plain = CliRunner().invoke(app, args)
    configured = CliRunner().invoke(app, [*args, "--config", str(tmp_path / "transdiff.toml")])
    assert "[He]" not in plain.output and "[He]" in configured.output


@pytest.mark.parametrize(
    ("sentence", "post_edit", "expected"),
    [
        (
            "Chinese Leader Xi Jinping visited Russia.",
            "Chinese leader Xi Jinping visited Russia.",
            [("fluency/casing", "Leader", 'the post-edit writes "leader" for "Leader"')],
        ),
        (
            "They fought at Lake Hassan in 1938.",
            "They fought at Lake Khasan in 1938.",
            [("accuracy/entity", "Hassan", 'the post-edit changes "Hassan" to "Khasan"')],
        ),
        (
            "He carefully treats the history of his country.",
            "He treats the history of his country with care.",
            [
                ("accuracy/addition", "carefully", 'the post-edit deletes "carefully"'),
                ("accuracy/omission", "country", 'the post-edit adds "with care" after "country"'),
            ],
        ),
        (
            "Cooperation between education and science grows.",
            "Cooperation in education and science grows.",
            [("accuracy/mistranslation", "between", 'the post-edit changes "between" to "in"')],
        ),
        ("Nothing to change here.", "Nothing to change here.", []),
    ],
)
def test_every_change_of_a_post_edit_is_a_flag(
    sentence: str, post_edit: str, expected: list[tuple[str, str, str]]
) -> None:
    flags = post_edit_flags(sentence, post_edit, "pe", ())
    got = [(f.category.value, sentence[f.start : f.end], f.message) for f in flags]
    assert got == expected
    assert all(f.severity.value == "minor" and f.references == ("pe",) for f in flags)


def test_post_edit_flags_leave_covered_spans_and_count_agreeing_references() -> None:
    sentence = "They fought at Lake Hassan with Chinese Leader Xi in 1938."
    post_edit = "They fought at Lake Khasan with Chinese leader Xi in 1938."
    first = post_edit_flags(sentence, post_edit, "pe", ())
    covered = post_edit_flags(sentence, post_edit, "pe", first[:1])
    assert [sentence[f.start : f.end] for f in covered] == ["Leader"]
    others = [("alt", "At Lake Khasan they fought, with the Chinese leader Xi."), ("gone", None)]
    (hassan, leader) = post_edit_flags(sentence, post_edit, "pe", (), others)
    assert hassan.references == ("pe", "alt") and hassan.available == 3
    assert leader.references == ("pe", "alt")
    short = post_edit_flags(
        "Cooperation between us.", "Cooperation in us.", "pe", (), [("alt", "It is in us.")]
    )
    assert short[0].references == ("pe",), "a two-letter word proves nothing"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["the", "cat", "Sat", "on", "a", "Mat", "and", "ran"]),
        min_size=1,
        max_size=8,
    ),
    st.lists(
        st.sampled_from(["the", "cat", "sat", "on", "a", "mat", "and", "Ran", "away"]),
        min_size=1,
        max_size=8,
    ),
)
def test_post_edit_flags_are_inside_the_sentence_and_do_not_overlap(
    seed_words: list[str], edit_words: list[str]
) -> None:
    sentence, post_edit = " ".join(seed_words), " ".join(edit_words)
    flags = post_edit_flags(sentence, post_edit, "pe", ())
    spans = sorted((f.start, f.end) for f in flags)
    assert all(0 <= a < b <= len(sentence) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    if sentence == post_edit:
        assert flags == []
    elif sentence.split() != post_edit.split():
        assert flags, "a post-edit that changes words leaves a flag"


def test_the_bundled_seed_gets_the_post_edits_changes(
    seed_path: Path, postedit_path: Path, alternative_path: Path
) -> None:
    from toolkit.pipeline import compare_files

    report = compare_files(seed_path, [postedit_path, alternative_path])
    texts = {
        report.seed_segments[k].text[f.start : f.end]: f
        for k, s in enumerate(report.sentences)
        for f in s.flags
    }
    assert texts["Hassan"].category.value == "accuracy/entity"
    assert texts["Hassan"].references == ("postedit", "alternative")
    assert texts["Leader"].category.value == "fluency/casing"
    assert texts["He"].category.value == "accuracy/pronoun"


def test_html_page_carries_the_notes_escaped(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "pe<b>.txt").write_text(POST_EDIT, encoding="utf-8")
    out = tmp_path / "r.html"
    args = ["report", str(tmp_path / "seed.txt"), str(tmp_path / "pe<b>.txt"), "-f", "html"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "pe&lt;b&gt; is a post-edit of the seed (word edit rate 0.02)" in page
    assert "<b> is a post-edit" not in page


def test_markdown_report_carries_the_notes_escaped(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "pe_*x*.txt").write_text(POST_EDIT, encoding="utf-8")
    args = ["report", str(tmp_path / "seed.txt"), str(tmp_path / "pe_*x*.txt"), "-f", "md"]
    result = CliRunner().invoke(app, [*args, "--no-scores"])
    assert result.exit_code == 0, result.output
    assert "pe\\_\\*x\\* is a post-edit of the seed (word edit rate 0.02)" in result.stdout


def test_a_copy_of_a_bundled_reference_gets_no_flags(
    tmp_path: Path, alternative_path: Path
) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(alternative_path.read_bytes())
    result = CliRunner().invoke(app, ["flag", str(copy), str(alternative_path), "--width", "200"])
    assert result.exit_code == 0, result.output
    assert "alternative repeats the seed word for word" in result.stdout
    assert result.stdout.rstrip().endswith("no flags")


def test_the_sentences_a_post_edit_corrects_lead_the_review() -> None:
    # Every flag shown (threshold 0): the independent reference raises flags on the long
    # sentences too, and the suspicion ranks them above the short one the post-edit corrects.
    both = run(SEED, INDEPENDENT, POST_EDIT, flag_threshold=0.0)
    alone = run(SEED, INDEPENDENT, flag_threshold=0.0)
    he = next(i for i, s in enumerate(both.seed_segments) if s.text.startswith("He supplied"))
    assert both.post_edits() == {"ref1"} and alone.post_edits() == frozenset()
    order = both.review_order()
    assert order[0] == he
    edited = both.post_edits()
    weights = [confirmed_weight(both.sentences[i].flags, edited) for i in order]
    assert weights == sorted(weights, reverse=True) and weights[0] == 5.0
    by_suspicion = alone.review_order()
    assert len(by_suspicion) >= 2 and by_suspicion[0] != he
    assert [alone.sentences[i].suspicion for i in by_suspicion] == sorted(
        (alone.sentences[i].suspicion for i in by_suspicion), reverse=True
    )
    queue = [item.segment.text for item in review_queue(both)]
    assert queue[0].startswith("He supplied")


_SEVERITY = st.sampled_from(list(Severity))
_REFS = st.lists(st.sampled_from(["post", "other"]), unique=True)


@given(
    st.lists(st.tuples(st.lists(st.tuples(_SEVERITY, _REFS), max_size=4), st.floats(0, 1))),
    st.booleans(),
)
def test_review_key_puts_confirmed_sentences_first(
    sentences: list[tuple[list[tuple[Severity, list[str]]], float]], edited: bool
) -> None:
    post_edits = frozenset({"post"}) if edited else frozenset()
    rows = []
    for k, (found, suspicion) in enumerate(sentences):
        flags = [
            Flag(f"f{k}{j}", Category.pronoun, sev, 0, 1, "m", tuple(refs), 2)
            for j, (sev, refs) in enumerate(found)
        ]
        rows.append((review_key(flags, suspicion, k, post_edits), flags, suspicion))
    rows.sort(key=lambda row: row[0])
    weights = [confirmed_weight(flags, post_edits) for _, flags, _ in rows]
    assert weights == sorted(weights, reverse=True)
    if not edited:
        assert set(weights) <= {0.0}
        suspicions = [s for _, _, s in rows]
        assert suspicions == sorted(suspicions, reverse=True)
    for w, (_, flags, _) in zip(weights, rows, strict=True):
        confirmed = [f.severity.weight for f in flags if edited and "post" in f.references]
        assert w == max(confirmed, default=0.0)


def test_pool_workers_measure_the_same_edit_rate_part_by_part(monkeypatch) -> None:
    """The pipeline lets its check workers measure the edit rate, in parts (line by line for
    line-parallel files, bead by bead otherwise): the total is edit_rate's."""
    import toolkit.detect as detect_module
    import toolkit.verify.postedit as postedit
    from toolkit.checks import registered

    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    monkeypatch.setattr(postedit, "_PART", 4)
    seed = [f"He supplied {k} planes and pilots to Varna." for k in range(13)]
    ref = [s.replace("He", "It").replace("planes", "aircraft") for s in seed]
    ref[5] = "Something else entirely."
    # A 2-1 bead, an unmatched seed sentence and an unmatched reference sentence.
    beads = [Bead((i,), (i,), 0.9) for i in range(3)]
    beads += [Bead((3, 4), (3,), 0.9), Bead((5,), (), 0.0), Bead((), (4,), 0.0)]
    beads += [Bead((i,), (i,), 0.9) for i in range(6, 13)]
    aligned = Alignment(tuple(beads))
    with detect_module.CheckPool(seed, registered(), jobs=2) as pool:
        lines = postedit.add_rates(f.result() for f in postedit.edit_rate_parts(pool, ref))
        pairs = [(b.seed, b.ref) for b in beads]
        parts = postedit.edit_rate_parts(pool, ref, pairs)
        assert len(parts) == 4  # 13 beads in parts of 4
        by_beads = postedit.add_rates(f.result() for f in parts)
    assert lines == edit_rate(seed, ref, one_to_one(13)) and lines.edits == 2 * 12 + 8
    assert by_beads == edit_rate(seed, ref, aligned) != lines
