"""Line-parallel mode (issue 13): lines paired in order, scores equal to sacrebleu's.

The real data is 529 lines of TED talks (zh-en WMT 2021, Online-W against the human
references refB and ref) built from ../shared when it is there; line 255 is an unrelated pair
("It's the spring-feathered cranberry." / "That's philodendron selloum.") that an aligner would
split into a 1-0 and a 0-1 bead, and sacrebleu scores as it is.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF, TER
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.parallel import align_parallel
from toolkit.pipeline import compare_files
from toolkit.result import RunSettings
from toolkit.score import Metric, ScoreSettings

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the clone; a git worktree of it sits one folder deeper.
_TSV = "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
DATA = next((p / _TSV for p in (ROOT.parent, ROOT.parent.parent) if (p / _TSV).is_file()), None)


@pytest.fixture(scope="module")
def ted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Online-W.txt, refB.txt and ref.txt: one segment per line, talks in order."""
    if DATA is None:
        pytest.skip("../shared/data/mqm-ted-zhen is not here")
    segs: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    csv.field_size_limit(sys.maxsize)
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = re.sub(r"</?v>", "", row["target"]).strip()
            segs[(row["system"], row["doc"])].setdefault(int(row["seg_id"]), text)
    folder = tmp_path_factory.mktemp("ted")
    out = {}
    for system in ("Online-W", "refB", "ref"):
        docs = sorted(doc for s, doc in segs if s == system)
        lines = [segs[(system, d)][k] for d in docs for k in sorted(segs[(system, d)])]
        out[system] = folder / f"{system}.txt"
        out[system].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def sacrebleu_python(
    hyps: list[str], refs: list[list[str]], settings: ScoreSettings
) -> dict[str, float]:
    lc, tok = settings.lowercase, settings.tokenize
    return {
        "bleu": BLEU(tokenize=tok, lowercase=lc).corpus_score(hyps, refs).score,
        "chrf": CHRF(lowercase=lc).corpus_score(hyps, refs).score,
        "chrf++": CHRF(word_order=2, lowercase=lc).corpus_score(hyps, refs).score,
        "ter": TER().corpus_score(hyps, refs).score,
    }


@pytest.mark.parametrize(
    ("refs", "tokenize", "lowercase"),
    [
        (["refB"], "13a", False),
        (["refB"], "char", True),
        (["refB", "ref"], "none", False),
    ],
)
def test_scores_equal_sacrebleu_python(
    ted: dict[str, Path], refs: list[str], tokenize: str, lowercase: bool
) -> None:
    score = ScoreSettings(tokenize=tokenize, lowercase=lowercase)
    settings = RunSettings(parallel=True, detect=False, score=score)
    report = compare_files(ted["Online-W"], [ted[r] for r in refs], settings=settings)
    assert all(b.kind == "1-1" for r in report.references for b in r.alignment.beads)
    expected = sacrebleu_python(lines(ted["Online-W"]), [lines(ted[r]) for r in refs], score)
    assert {m: report.scores[Metric(m)].score for m in expected} == expected


def sacrebleu_cli(hyp: Path, refs: list[Path], *options: str) -> dict[str, float]:
    """Scores as sacrebleu's CLI prints them with four decimals."""
    args = [sys.executable, "-m", "sacrebleu", *map(str, refs), "-i", str(hyp), "-w", "4"]
    printed = {}
    for metric, extra in (("bleu", ["-m", "bleu"]), ("chrf", ["-m", "chrf"]),
                          ("chrf++", ["-m", "chrf", "--chrf-word-order", "2"]),
                          ("ter", ["-m", "ter"])):  # fmt: skip
        run = subprocess.run([*args, *extra, *options], capture_output=True, text=True, check=True)
        printed[metric] = json.loads(run.stdout)["score"]
    return printed


@pytest.mark.parametrize(
    ("refs", "options"),
    [(["refB"], []), (["refB", "ref"], ["--tokenize", "intl", "--lowercase"])],
    ids=["one-ref", "two-refs-intl-lc"],
)
def test_score_cli_prints_what_sacrebleu_cli_prints(
    ted: dict[str, Path], refs: list[str], options: list[str]
) -> None:
    ref_paths = [ted[r] for r in refs]
    result = CliRunner().invoke(
        app, ["score", str(ted["Online-W"]), *map(str, ref_paths), "--parallel", "--format",
              "json", *options],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    ours = {m: round(s["score"], 4) for m, s in data["scores"].items()}
    # transdiff's --lowercase lowercases BLEU and chrF, as sacrebleu's -lc --chrf-lowercase.
    sb_options = ["-tok", "intl", "-lc", "--chrf-lowercase"] if options else []
    assert ours == sacrebleu_cli(ted["Online-W"], ref_paths, *sb_options)
    # The unrelated pair is named, not moved.
    assert any("L255" in w and "unrelated" in w for w in data["warnings"])
    beads = data["references"][0]["alignment"]
    assert beads[254] == {"seed": ["L255"], "ref": ["L255"], "kind": "1-1",
                          "similarity": beads[254]["similarity"]}  # fmt: skip
    assert "aligner:line-parallel" in data["signature"]


def test_unequal_line_counts_are_a_one_line_error(tmp_path: Path) -> None:
    seed, ref = tmp_path / "sys.txt", tmp_path / "ref.txt"
    seed.write_text("One line.\nTwo lines.\nThree lines.\n", encoding="utf-8")
    ref.write_text("One line.\n\nTwo lines.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(seed), str(ref), "--parallel"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"transdiff: error: --parallel needs line-parallel files: the seed has 3 non-empty "
        f"lines, reference {ref} has 2; drop --parallel to align them"
    ]


def test_parallel_pairs_in_order_and_names_weak_pairs() -> None:
    seed = ["The cat sat on the mat.", "It rained all day in Paris.", "Prices rose by 5%."]
    ref = ["A cat was sitting on the mat.", "Quantum physics is hard.", "Prices went up 5%."]
    alignment = align_parallel(seed, ref)
    assert [(b.seed, b.ref) for b in alignment.beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert alignment.warnings == (
        "1 of 3 line pairs look unrelated (similarity below 0.22): L2; they are scored as they are",
    )
    with pytest.raises(ValueError, match="3 and 2"):
        align_parallel(seed, ref[:2])


def test_parallel_implies_segmented() -> None:
    assert RunSettings(parallel=True).segmented


def test_empty_lines_in_different_places_are_named(tmp_path: Path) -> None:
    seed, ref = tmp_path / "sys.txt", tmp_path / "ref.txt"
    seed.write_text("The cat sat.\n\nIt rained in Paris.\nPrices rose.\n", encoding="utf-8")
    ref.write_text("A cat sat.\nIt rained in Paris.\n\nPrices went up.\n", encoding="utf-8")
    settings = RunSettings(parallel=True, detect=False, score=None)
    report = compare_files(seed, [ref], settings=settings)
    assert [b.kind for b in report.references[0].alignment.beads] == ["1-1"] * 3
    assert report.warnings == (
        "ref: the files have empty lines in different places: seed L3 is paired with "
        "reference L2 (non-empty lines are paired in order)",
    )


def test_segmented_equal_counts_suggest_parallel(ted: dict[str, Path]) -> None:
    settings = RunSettings(segmented=True, detect=False, score=None)
    report = compare_files(ted["Online-W"], [ted["refB"]], settings=settings)
    hint = [w for w in report.warnings if "--parallel" in w]
    assert len(hint) == 1 and hint[0].startswith("refB: as many lines as the seed")
    parallel = RunSettings(parallel=True, detect=False, score=None)
    report = compare_files(ted["Online-W"], [ted["refB"]], settings=parallel)
    assert not [w for w in report.warnings if "--parallel" in w]


def test_flag_and_batch_take_parallel(tmp_path: Path) -> None:
    """The review queue and a batch pair line-parallel files by position too."""
    seed_lines = [
        "The harbour was rebuilt in 1998.",
        "It's the spring-feathered cranberry.",
        "The ferry now leaves every 90 minutes.",
    ]
    ref_lines = [
        "The harbour was rebuilt in 1999.",
        "That's philodendron selloum.",
        "The ferry now leaves every 90 minutes.",
    ]
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    docs.mkdir()
    refs.mkdir()
    (docs / "mt.txt").write_text("\n".join(seed_lines), encoding="utf-8")
    (refs / "mt.txt").write_text("\n".join(ref_lines), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        app, ["flag", str(docs / "mt.txt"), str(refs / "mt.txt"), "--parallel", "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    queue = json.loads(result.stdout)
    flagged = {sentence["id"] for sentence in queue["sentences"]}
    assert "L1" in flagged  # 1998 against 1999, on the positional pair
    out = tmp_path / "out"
    batch = runner.invoke(
        app,
        [
            "batch",
            str(docs),
            "--refs",
            str(refs),
            "--out",
            str(out),
            "--parallel",
            "-f",
            "json",
            "-j",
            "1",
        ],
    )
    assert batch.exit_code == 0, batch.stderr
    report = json.loads((out / "mt.json").read_text(encoding="utf-8"))
    kinds = [bead["kind"] for bead in report["references"][0]["alignment"]]
    assert kinds == ["1-1", "1-1", "1-1"]
    (refs / "mt.txt").write_text("\n".join(ref_lines[:2]), encoding="utf-8")
    short = runner.invoke(app, ["flag", str(docs / "mt.txt"), str(refs / "mt.txt"), "--parallel"])
    assert short.exit_code == 2 and "the seed has 3 non-empty lines" in short.stderr


_WORDS = ["the", "cat", "sat", "on", "mat", "Paris", "42", "ran", "dog", "blue", "it", "a"]


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(
            st.lists(st.sampled_from(_WORDS), max_size=8),
            st.lists(st.sampled_from(_WORDS), max_size=8),
        ),
        min_size=1,
        max_size=40,
    ),
    block=st.integers(1, 6),
    blocks_per_part=st.integers(1, 3),
)
def test_similarities_measured_in_parts_are_those_of_the_whole(
    pairs: list[tuple[list[str], list[str]]], block: int, blocks_per_part: int
) -> None:
    """Parts that start at multiples of the block (as the pool's parts do) give the values of
    the whole files, in [0, 1] with 4 decimals, and align_parallel takes them as they are."""
    import toolkit.parallel as parallel

    seed = [" ".join(a) for a, _ in pairs]
    ref = [" ".join(b) for _, b in pairs]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parallel, "_BLOCK", block)
        whole = parallel.pair_similarities(seed, ref)
        part = block * blocks_per_part
        parts = [
            parallel.pair_similarities(seed[lo : lo + part], ref[lo : lo + part])
            for lo in range(0, len(seed), part)
        ]
        alignment = align_parallel(seed, ref, similarities=parts)
    assert [v for p in parts for v in p] == whole
    assert all(0.0 <= v <= 1.0 and round(v, 4) == v for v in whole)
    assert [b.similarity for b in alignment.beads] == whole
    assert [(b.seed, b.ref) for b in alignment.beads] == [((i,), (i,)) for i in range(len(seed))]


def test_similarities_of_a_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError, match="2 similarities for 3 line pairs"):
        align_parallel(["a", "b", "c"], ["a", "b", "c"], similarities=[[1.0, 1.0]])


def test_pool_workers_measure_the_similarities_as_this_process_does(monkeypatch) -> None:
    """Line-parallel similarities measured by two pool workers, part by part (three parts of
    two blocks; the last one short), equal those measured here: the bead similarities and the
    weak-pair warning of a run do not depend on the pool."""
    import toolkit.detect as detect_module
    import toolkit.parallel as parallel
    from toolkit.detect import CheckPool

    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    monkeypatch.setattr(parallel, "_PART", parallel._BLOCK)
    n = 2 * parallel._BLOCK + 7
    seed = [f"Sentence {k} says {_WORDS[k % 12]} and {_WORDS[k * 7 % 12]}." for k in range(n)]
    ref = [f"Line {k} tells {_WORDS[k * 5 % 12]} and {_WORDS[k % 11]}." for k in range(n)]
    ref[3] = "Nothing alike here at all"
    with CheckPool(seed, [], jobs=2) as pool:
        assert pool.started
        parts = parallel.similarity_parts(pool, ref)
        measured = [f.result() for f in parts]
    assert [len(p) for p in measured] == [parallel._BLOCK, parallel._BLOCK, 7]
    here = align_parallel(seed, ref)
    there = align_parallel(seed, ref, similarities=measured)
    assert there == here
    assert here.beads[3].similarity < 0.3 < here.beads[4].similarity
