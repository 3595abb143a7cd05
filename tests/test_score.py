"""Scores: golden numbers against sacrebleu's own API and CLI, streams from beads, bad input."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER
from typer.testing import CliRunner

from toolkit.align import Alignment, Bead
from toolkit.cli import app
from toolkit.compare import CompareError, CompareSettings, compare_systems
from toolkit.document import Document
from toolkit.errors import UsageError
from toolkit.pipeline import compare_documents
from toolkit.report import render_json
from toolkit.result import RunSettings
from toolkit.score import (
    ScoreSettings,
    document_scores,
    document_streams,
    sentence_scores,
    sentence_signatures,
)

HYPS = [
    "The cat sat on the mat.",
    "It was raining heavily in Paris yesterday.",
    "He bought three apples and a pear.",
    "",
]
REFS_A = [
    "The cat was sitting on the mat.",
    "Yesterday it rained hard in Paris.",
    "He bought 3 apples and one pear.",
    "Nothing here.",
]
REFS_B = [
    "A cat sat on the mat.",
    "It rained heavily in Paris yesterday.",
    "He purchased three apples and a pear.",
    "",
]
MQM = Path(__file__).resolve().parent.parent.parent / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
runner = CliRunner()


def _sacre(metric: str, *, sentence: bool = False) -> BLEU | CHRF | TER:
    return {
        "bleu": BLEU(effective_order=sentence),
        "chrf": CHRF(),
        "chrf++": CHRF(word_order=2),
        "ter": TER(),
    }[metric]


def _no_nan(text: str) -> dict:
    def reject(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=reject)


@pytest.mark.parametrize("metric", ["bleu", "chrf", "chrf++", "ter"])
@pytest.mark.parametrize("refs", [[REFS_A], [REFS_B], [REFS_A, REFS_B]], ids=["a", "b", "ab"])
def test_document_scores_equal_sacrebleu_api(metric: str, refs: list[list[str]]) -> None:
    ours = document_scores(HYPS, refs)[metric]
    theirs = _sacre(metric).corpus_score(HYPS, refs)
    assert ours.score == theirs.score
    assert ours.signature.startswith(f"nrefs:{len(refs)}|")


@pytest.mark.parametrize("metric", ["bleu", "chrf", "chrf++", "ter"])
def test_sentence_scores_equal_sacrebleu_api(metric: str) -> None:
    rows = sentence_scores(list(zip(HYPS, REFS_A, strict=True)))
    expected = [
        _sacre(metric, sentence=True).sentence_score(h, [r]).score
        for h, r in zip(HYPS, REFS_A, strict=True)
    ]
    assert [row[metric] for row in rows] == expected


def test_sentence_bleu_signature_says_effective_order() -> None:
    sigs = sentence_signatures(signature="transdiff:x")
    assert "eff:yes" in sigs["bleu"]
    assert sigs["bleu"].endswith("|transdiff:x")


def test_settings_change_the_figures() -> None:
    settings = ScoreSettings(
        metrics=("bleu", "chrf++"), tokenize="none", lowercase=True, chrf_word_order=1
    )
    scores = document_scores(HYPS, [REFS_A], settings=settings)
    assert list(scores) == ["bleu", "chrf++"]
    assert (
        scores["bleu"].score
        == BLEU(tokenize="none", lowercase=True).corpus_score(HYPS, [REFS_A]).score
    )
    assert (
        scores["chrf++"].score
        == CHRF(word_order=1, lowercase=True).corpus_score(HYPS, [REFS_A]).score
    )
    assert "tok:none" in scores["bleu"].signature


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metrics": ("bleu", "meteor")}, "unknown metric 'meteor'"),
        ({"metrics": ()}, "no metrics"),
        ({"metrics": ("bleu", "bleu")}, "twice"),
        ({"tokenize": "nope"}, "unknown tokenizer"),
        ({"chrf_word_order": 0}, "between 1 and 6"),
    ],
)
def test_settings_are_validated(kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        ScoreSettings(**kwargs)


def test_streams_of_mismatched_length_are_refused() -> None:
    with pytest.raises(UsageError, match="3 entries for 4 hypotheses"):
        document_scores(HYPS, [REFS_A[:3]])


def test_empty_hypothesis_stream_is_defined() -> None:
    scores = document_scores([], [[]])
    assert {k: v.score for k, v in scores.items()} == {
        "bleu": 0.0,
        "chrf": 0.0,
        "chrf++": 0.0,
        "ter": 100.0,
    }


def test_streams_follow_the_beads() -> None:
    seed = ["s0", "s1", "s2", "s3", "s4"]
    ref = ["r0", "r1", "r2", "r3", "r4"]
    beads = (
        Bead((0,), (0,), 0.9),
        Bead((1, 2), (1,), 0.8),  # 2-1: joined seed
        Bead((), (2,), 0.0),  # 0-1: joins the previous unit
        Bead((3,), (), 0.0),  # 1-0: empty reference, still counted
        Bead((4,), (3, 4), 0.7),  # 1-2: joined reference
    )
    hyps, streams = document_streams(seed, [(ref, Alignment(beads))])
    assert hyps == ["s0", "s1 s2", "s3", "s4"]
    assert streams == [["r0", "r1 r2", "", "r3 r4"]]


def test_multi_reference_streams_use_a_common_unit() -> None:
    seed = ["s0", "s1", "s2"]
    a = Alignment((Bead((0, 1), (0,), 0.5), Bead((2,), (1,), 0.5)))
    b = Alignment((Bead((0,), (0,), 0.5), Bead((1, 2), (1,), 0.5)))
    hyps, streams = document_streams(seed, [(["a0", "a1"], a), (["b0", "b1"], b)])
    assert hyps == ["s0 s1 s2"]
    assert streams == [["a0 a1"], ["b0 b1"]]


def _report(seed: str, *refs: str, segmented: bool = False):
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(r, path=f"ref{k}.txt") for k, r in enumerate(refs)],
        settings=RunSettings(segmented=segmented),
    )


def test_report_json_carries_scores(
    seed_path: Path, postedit_path: Path, alternative_path: Path
) -> None:
    from toolkit.pipeline import compare_files

    report = compare_files(seed_path, [postedit_path, alternative_path])
    data = _no_nan(render_json(report))
    for ref in data["references"]:
        assert set(ref["scores"]) == {"bleu", "chrf", "chrf++", "ter"}
        for value in ref["scores"].values():
            assert isinstance(value["score"], float)
            assert report.signature in value["signature"]
    assert set(data["scores"]) == {"bleu", "chrf", "chrf++", "ter"}
    assert data["scores"]["bleu"]["signature"].startswith("nrefs:2|")
    for sentence in data["sentences"]:
        assert set(sentence["scores"]) == {"postedit", "alternative"}
        for row in sentence["scores"].values():
            assert set(row) == {"bleu", "chrf", "chrf++", "ter", "similarity"}
    assert data["references"][0]["scores"]["bleu"]["score"] > 90


def test_seed_sentences_of_one_bead_share_its_scores() -> None:
    report = _report(
        "Alpha beta gamma delta.\nEpsilon zeta eta theta.",
        "Alpha beta gamma delta, epsilon zeta eta theta.",
        segmented=True,
    )
    beads = report.references[0].alignment.beads
    assert [b.kind for b in beads] == ["2-1"]
    assert report.sentences[0].scores == report.sentences[1].scores


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        ("One sentence only.", "One sentence only."),
        ("The cat sat on the mat. It was warm.", "Zorp blix quatl. Nnn vvv."),  # no overlap
        ("Hello there.\n\nGeneral Kenobi.", "   \n\n\n.\n"),  # reference of near-empty lines
    ],
    ids=["single-sentence", "no-overlap", "empty-ref-sentences"],
)
def test_bad_input_gives_finite_scores(seed: str, ref: str) -> None:
    report = _report(seed, ref)
    data = _no_nan(render_json(report))
    assert set(data["scores"]) == {"bleu", "chrf", "chrf++", "ter"}
    assert all(s["scores"] for s in data["sentences"])


def test_cli_score_table_and_sentences(seed_path: Path, postedit_path: Path) -> None:
    result = runner.invoke(app, ["score", str(seed_path), str(postedit_path), "--sentences"])
    assert result.exit_code == 0, result.output
    assert "postedit" in result.output
    assert "worst bleu first" in result.output
    assert "eff:no" in result.output


def test_cli_score_json(seed_path: Path, postedit_path: Path) -> None:
    result = runner.invoke(
        app, ["score", str(seed_path), str(postedit_path), "-f", "json", "-m", "bleu,ter"]
    )
    assert result.exit_code == 0, result.output
    assert set(_no_nan(result.stdout)["scores"]) == {"bleu", "ter"}


@pytest.mark.parametrize(
    "args",
    [["-m", "meteor"], ["--tokenize", "bogus"], ["--chrf-word-order", "9"]],
)
def test_cli_score_bad_options_fail_in_one_line(
    seed_path: Path, postedit_path: Path, args: list[str]
) -> None:
    result = runner.invoke(app, ["score", str(seed_path), str(postedit_path), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("transdiff: error: ")
    assert "Traceback" not in result.output


def test_cli_score_help_has_example() -> None:
    result = runner.invoke(app, ["score", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def _mqm_files(tmp_path: Path, system: str, doc: str) -> tuple[Path, Path]:
    segments: dict[str, dict[str, str]] = defaultdict(dict)
    with MQM.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["doc"] == doc and row["system"] in (system, "refB"):
                segments[row["system"]][row["seg_id"]] = re.sub(r"</?v>", "", row["target"]).strip()
    ids = sorted(set(segments[system]) & set(segments["refB"]), key=int)
    ids = [i for i in ids if segments[system][i] and segments["refB"][i]]
    seed, ref = tmp_path / "sys.txt", tmp_path / "refB.txt"
    seed.write_text("\n".join(segments[system][i] for i in ids) + "\n", encoding="utf-8")
    ref.write_text("\n".join(segments["refB"][i] for i in ids) + "\n", encoding="utf-8")
    return seed, ref


@pytest.mark.skipif(not MQM.is_file(), reason=f"shared MQM data not found at {MQM}")
def test_line_aligned_scores_equal_sacrebleu_cli(tmp_path: Path) -> None:
    from toolkit.pipeline import compare_files

    seed, ref = _mqm_files(tmp_path, "Facebook-AI", "talk.2")
    report = compare_files(seed, [ref], settings=RunSettings(segmented=True))
    beads = report.references[0].alignment.beads
    assert len(beads) > 100
    assert {b.kind for b in beads} == {"1-1"}
    sacrebleu = Path(sys.executable).with_name("sacrebleu")
    out = subprocess.run(
        [str(sacrebleu), str(ref), "-i", str(seed), "-m", "bleu", "chrf", "ter", "-b", "-w", "8"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scores = report.references[0].scores
    # With -b and several metrics sacrebleu prints a JSON list of the scores.
    assert json.loads(out) == [round(scores[m].score, 8) for m in ("bleu", "chrf", "ter")]
    out = subprocess.run(
        [
            str(sacrebleu),
            str(ref),
            "-i",
            str(seed),
            "-m",
            "chrf",
            "--chrf-word-order",
            "2",
            "-b",
            "-w",
            "8",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [f"{scores['chrf++'].score:.8f}"]


# --- compare -----------------------------------------------------------------------------------

FAST = CompareSettings(bootstrap_samples=50, ar_trials=50)
SYS_A = "The cat sat on the mat. It was raining in Paris. He bought three apples."
SYS_B = "A cat was on the mat. It rained in Paris. He bought 3 apples and a pear."
REF = "The cat sat on the mat.\nIt was raining hard in Paris.\nHe bought three apples."


def _docs(*texts: str) -> list[Document]:
    return [Document.from_text(t, path=f"doc{k}.txt") for k, t in enumerate(texts)]


def test_compare_scores_equal_sacrebleu_on_aligned_input() -> None:
    (comp,) = compare_systems(_docs(SYS_A, SYS_B), _docs(REF), settings=FAST)
    assert comp.units == 3
    a, b = comp.systems
    hyps_a = ["The cat sat on the mat.", "It was raining in Paris.", "He bought three apples."]
    assert a.metrics["bleu"].score == BLEU().corpus_score(hyps_a, [REF.split("\n")]).score
    assert a.metrics["bleu"].p_ar is None
    assert b.metrics["bleu"].p_ar is not None
    assert 0.0 <= b.metrics["bleu"].p_bootstrap <= 1.0
    assert a.rank == 1


def test_compare_units_follow_the_reference_segmentation() -> None:
    # System B joins two reference sentences into one: the unit still covers both.
    joined = "The cat sat on the mat, and it was raining hard in Paris. He bought three apples."
    (comp,) = compare_systems(_docs(SYS_A, joined), _docs(REF), settings=FAST)
    assert comp.units == 2


def test_compare_refuses_a_different_document(unrelated_texts: dict[str, str]) -> None:
    cooking, astronomy = unrelated_texts["cooking"], unrelated_texts["astronomy"]
    with pytest.raises(CompareError, match="different document"):
        compare_systems(_docs(cooking, astronomy), _docs(cooking), settings=FAST)


def test_compare_needs_two_systems() -> None:
    with pytest.raises(UsageError, match="at least two systems"):
        compare_systems(_docs(SYS_A), _docs(REF), settings=FAST)


def test_cli_compare_table_and_json(
    seed_path: Path, postedit_path: Path, alternative_path: Path
) -> None:
    args = [
        "compare", str(seed_path), str(alternative_path), "--ref", str(postedit_path),
        "--bootstrap", "50", "--ar-trials", "50", "-m", "bleu,chrf",
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "p(ar)" in result.output
    assert "bs:50|ar:50" in result.output
    result = runner.invoke(app, [*args, "--format", "json"])
    data = _no_nan(result.stdout)
    systems = data["references"][0]["systems"]
    assert [s["rank"] for s in systems] == [1, 2]
    assert set(systems[1]["scores"]["bleu"]) == {"score", "mean", "ci95", "p_bootstrap", "p_ar"}


def test_cli_compare_different_document_fails_in_one_line(
    tmp_path: Path, seed_path: Path, postedit_path: Path, unrelated_texts: dict[str, str]
) -> None:
    other = tmp_path / "other.txt"
    other.write_text(unrelated_texts["astronomy"], encoding="utf-8")
    result = runner.invoke(
        app, ["compare", str(seed_path), str(other), "--ref", str(postedit_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("transdiff: error: other: only")
    assert "Traceback" not in result.output


def test_cli_compare_help_has_example() -> None:
    result = runner.invoke(app, ["compare", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@given(
    n=st.integers(min_value=1, max_value=8),
    data=st.data(),
)
def test_streams_cover_the_seed_once_and_in_order(n: int, data: st.DataObject) -> None:
    # Random monotone beads of sizes 0..2 on each side over n seed and m reference sentences.
    seed = [f"s{i}" for i in range(n)]
    beads, i, j = [], 0, 0
    while i < n:
        if data.draw(st.booleans()):  # a reference sentence with no seed counterpart
            beads.append(Bead((), (j,), 0.0))
            j += 1
        a = data.draw(st.integers(1, min(2, n - i)))
        b = data.draw(st.integers(0, 2))
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 0.5 if b else 0.0))
        i, j = i + a, j + b
    ref = [f"r{k}" for k in range(j)]
    hyps, (stream,) = document_streams(seed, [(ref, Alignment(tuple(beads)))])
    assert " ".join(hyps).split() == seed
    assert " ".join(stream).split() == ref
    assert len(stream) == len(hyps) == sum(1 for bead in beads if bead.seed)
