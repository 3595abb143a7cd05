"""``align --format text|json|tsv`` with the full texts, and ``--out`` on score, align and
compare (issue 16): atomic, named after the seed in a folder, never over an input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.cli import app
from toolkit.document import read_document
from toolkit.report.alignment import TSV_COLUMNS


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_align_json_has_full_texts(seed_path: Path, postedit_path: Path) -> None:
    result = run("align", seed_path, postedit_path, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "transdiff/alignment-v1"
    (ref,) = data["references"]
    assert ref["name"] == "postedit" and ref["path"] == str(postedit_path)
    beads = ref["beads"]
    seed_text = read_document(seed_path).text
    # every seed sentence appears whole, in order, and the long ones are not cut
    seed_side = [b["seed"] for b in beads if b["seed"]]
    assert all(text in seed_text for text in seed_side)
    assert max(len(t) for t in seed_side) > 200
    assert sum(len(b["seed_ids"]) for b in beads) == 77
    unmatched = [b for b in beads if not b["ref_ids"]]
    assert [b["kind"] for b in unmatched] == ["1-0"] and unmatched[0]["similarity"] is None
    assert all(0 <= b["similarity"] <= 1 for b in beads if b["ref_ids"] and b["seed_ids"])


def test_align_tsv_matches_json(seed_path: Path, postedit_path: Path) -> None:
    tsv = run("align", seed_path, postedit_path, "-f", "tsv").stdout
    data = json.loads(run("align", seed_path, postedit_path, "-f", "json").stdout)
    rows = list(csv.reader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == TSV_COLUMNS
    beads = data["references"][0]["beads"]
    assert len(rows) - 1 == len(beads)
    for row, bead in zip(rows[1:], beads, strict=True):
        assert row[0] == "postedit" and row[1] == bead["kind"]
        assert row[5] == bead["seed"] and row[6] == bead["ref"]
        assert row[3] == ",".join(bead["seed_ids"])


def test_tsv_escapes_tabs_and_newlines(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    ref = tmp_path / "ref.txt"
    seed.write_text("One\tcell with a tab.\nA second line of text.\n", encoding="utf-8")
    ref.write_text("One\tcell with a tab.\nA second line of text.\n", encoding="utf-8")
    tsv = run("align", seed, ref, "-f", "tsv", "--segmented").stdout
    lines = tsv.splitlines()
    assert len(lines) == 3 and all(line.count("\t") == 6 for line in lines)
    assert "One\\tcell with a tab." in lines[1]


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["score", "--format", "json"], "000_ad300a173e81270b.scores.json"),
        (["score"], "000_ad300a173e81270b.scores.txt"),
        (["align", "--format", "tsv"], "000_ad300a173e81270b.align.tsv"),
        (["align"], "000_ad300a173e81270b.align.txt"),
    ],
)
def test_out_folder(
    args: list[str], name: str, seed_path: Path, postedit_path: Path, tmp_path: Path
) -> None:
    printed = run(*args, seed_path, postedit_path)
    result = run(*args, seed_path, postedit_path, "--out", f"{tmp_path}/")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"transdiff: wrote {tmp_path / name}\n"
    assert (tmp_path / name).read_text(encoding="utf-8") == printed.stdout


def test_compare_out(
    seed_path: Path, alternative_path: Path, postedit_path: Path, tmp_path: Path
) -> None:
    args = ["compare", seed_path, alternative_path, "--ref", postedit_path, "-f", "json"]
    args += ["--bootstrap", "50", "--ar-trials", "50"]
    out = tmp_path / "cmp.json"
    result = run(*args, "--out", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["schema"].startswith("transdiff/compare")
    run(*args, "--out", f"{tmp_path}/")
    assert (tmp_path / "000_ad300a173e81270b.compare.json").is_file()


@pytest.mark.parametrize("command", ["score", "align"])
def test_out_never_overwrites_an_input(
    command: str, seed_path: Path, tmp_path: Path, postedit_path: Path
) -> None:
    ref = tmp_path / "ref.txt"
    ref.write_bytes(postedit_path.read_bytes())
    result = run(command, seed_path, ref, "--out", ref)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "would overwrite the input" in result.stderr
    assert ref.read_bytes() == postedit_path.read_bytes()


def test_compare_out_never_overwrites_a_system(
    seed_path: Path, alternative_path: Path, postedit_path: Path, tmp_path: Path
) -> None:
    system = tmp_path / "sys.txt"
    system.write_bytes(alternative_path.read_bytes())
    result = run("compare", seed_path, system, "--ref", postedit_path, "--out", system)
    assert result.exit_code == 2
    assert "would overwrite the input" in result.stderr
    assert system.read_bytes() == alternative_path.read_bytes()
