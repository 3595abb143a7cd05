"""``transdiff batch`` and :func:`toolkit.batch.run_batch`: pairing, reports, index, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from toolkit.batch import pair_documents, run_batch
from toolkit.cli import app
from toolkit.errors import InputError, UsageError
from toolkit.report import Format
from toolkit.result import RunSettings

SEED = (
    "The harbour of Port Elsworth was rebuilt in 1998.\n\n"
    "Mayor Helena Varga asked for 4 million euros. Engineers from Rotterdam designed it.\n\n"
    "The ferry to Marrow Island now leaves every 90 minutes.\n"
)
REF = (
    "The harbour of Port Elsworth was rebuilt in 1999.\n\n"
    "Mayor Helena Varga asked for 4 million euros. Engineers from Rotterdam designed it.\n\n"
    "The ferry to Marrow Island now leaves every 45 minutes.\n"
)
ALT = (
    "The port of Port Elsworth was rebuilt in 1998.\n\n"
    "Mayor Helena Varga wanted four million euros. Rotterdam engineers drew the plans.\n\n"
    "The Marrow Island ferry now departs every 90 minutes.\n"
)
# A seed whose sentence carries markup: it becomes the most suspect sentence of its row.
HOSTILE_SEED = 'The ship left at 9 o\'clock. <script>alert("x")</script> It cost 12 euros.\n'
HOSTILE_REF = "The ship left at 10 o'clock. It cost 15 euros.\n"
# "/" cannot be part of a file name, so the markup in this name has no closing tags.
HOSTILE_NAME = "<b>x<img src=x onerror=alert(1)>.txt"
GOOD = {"a.txt", "c.txt", "free.txt", HOSTILE_NAME}
BAD = {"bin.txt", "empty.txt"}


def _folder(root: Path, *, bad: bool = True) -> tuple[Path, Path]:
    seeds, refs = root / "seeds", root / "refs"
    (refs / "c").mkdir(parents=True)
    seeds.mkdir()
    (seeds / "a.txt").write_text(SEED, encoding="utf-8")
    (refs / "a.txt").write_text(REF, encoding="utf-8")
    (refs / "a.alt.txt").write_text(ALT, encoding="utf-8")
    (seeds / "c.txt").write_text(SEED, encoding="utf-8")
    (refs / "c" / "post.txt").write_text(REF, encoding="utf-8")
    (seeds / "free.txt").write_text(SEED, encoding="utf-8")
    (seeds / HOSTILE_NAME).write_text(HOSTILE_SEED, encoding="utf-8")
    (refs / HOSTILE_NAME).write_text(HOSTILE_REF, encoding="utf-8")
    if bad:
        (seeds / "bin.txt").write_bytes(b"\x00\x01\x02\x03binary\x00")
        (seeds / "empty.txt").write_bytes(b"")
    return seeds, refs


def _without_timings(index: dict[str, Any]) -> dict[str, Any]:
    index = {k: v for k, v in index.items() if k != "seconds"}
    index["documents"] = [
        {k: v for k, v in d.items() if k != "seconds"} for d in index["documents"]
    ]
    return index


def _index(out: Path) -> dict[str, Any]:
    return json.loads((out / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("batch")
    seeds, refs = _folder(root)
    result = run_batch(seeds, refs, root / "out", fmt=Format.json, jobs=1)
    assert {d.name for d in result.failed} == BAD
    return root, _index(root / "out")


# --- pairing -----------------------------------------------------------------------------------


def test_pairing_rule(tmp_path: Path) -> None:
    seeds, refs = tmp_path / "s", tmp_path / "r"
    (refs / "doc").mkdir(parents=True)
    seeds.mkdir()
    for name in ("doc.txt", "doc.v2.txt", "other.txt", "notes.md", ".hidden.txt"):
        (seeds / name).write_text("x", encoding="utf-8")
    for name in ("doc.txt", "doc.alt.txt", "doc.v2.txt", "doc.v2.b.txt", "stray.txt"):
        (refs / name).write_text("x", encoding="utf-8")
    (refs / "doc" / "z.txt").write_text("x", encoding="utf-8")
    (refs / "doc" / "ignored.md").write_text("x", encoding="utf-8")
    pairings, unpaired = pair_documents(seeds, refs, fmt=Format.json)
    found = {p.seed.name: [r.relative_to(refs).as_posix() for r in p.references] for p in pairings}
    assert found == {
        "doc.txt": ["doc.txt", "doc.alt.txt", "doc/z.txt"],
        # a file named like a document is that document's; the longer stem wins "doc.v2.b.txt"
        "doc.v2.txt": ["doc.v2.txt", "doc.v2.b.txt"],
        "other.txt": [],
    }
    assert [p.report for p in pairings] == ["doc.json", "doc.v2.json", "other.json"]
    assert [u.name for u in unpaired] == ["stray.txt"]


def test_report_names_never_overwrite_the_index(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "index.txt").write_text("x", encoding="utf-8")
    pairings, _ = pair_documents(tmp_path / "s", None, fmt=Format.html)
    assert [p.report for p in pairings] == ["index-2.html"]


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        pair_documents(tmp_path / "nope", None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no documents"):
        pair_documents(tmp_path / "empty", None)
    seeds, refs = _folder(tmp_path / "x", bad=False)
    with pytest.raises(UsageError, match="input folder"):
        run_batch(seeds, refs, seeds, jobs=1)


# --- library run -------------------------------------------------------------------------------


def test_reports_exist_for_the_good_documents_only(batch_run: tuple[Path, dict[str, Any]]) -> None:
    root, _ = batch_run
    reports = sorted(p.name for p in (root / "out").iterdir() if not p.name.startswith("index."))
    assert reports == sorted(Path(name).stem + ".json" for name in GOOD)
    report = json.loads((root / "out" / "a.json").read_text(encoding="utf-8"))
    assert report["schema"] == "transdiff/report-v1"
    assert [r["name"] for r in report["references"]] == ["a", "a.alt"]


def test_index_statuses_and_counts(batch_run: tuple[Path, dict[str, Any]]) -> None:
    _, index = batch_run
    assert index["schema"] == "transdiff/batch-v1"
    docs = {d["name"]: d for d in index["documents"]}
    assert [d["name"] for d in index["documents"]] == sorted(docs)
    assert {n for n, d in docs.items() if d["status"] == "ok"} == GOOD
    assert "binary" in docs["bin.txt"]["error"] and docs["bin.txt"]["report"] is None
    assert "empty" in docs["empty.txt"]["error"]
    assert docs["free.txt"]["reference_free"] and docs["free.txt"]["scores"] == {}
    a = docs["a.txt"]
    assert len(a["references"]) == 2 and not a["reference_free"]
    assert set(a["scores"]) == {"bleu", "chrf", "chrf++", "ter"}
    assert "nrefs:2" in a["signatures"]["bleu"]
    assert a["sentences"] == 4 and a["report"] == "a.json"
    assert a["flags"]["major"] >= 1  # 1998 vs 1999
    assert a["top_suspicion"]["suspicion"] > 0
    summary = index["summary"]
    assert (summary["documents"], summary["ok"], summary["failed"]) == (6, 4, 2)
    assert summary["reference_free"] == 1
    assert summary["flags"] == {
        sev: sum(d["flags"].get(sev, 0) for d in docs.values()) for sev in summary["flags"]
    }


def test_index_html_escapes_names_and_text(batch_run: tuple[Path, dict[str, Any]]) -> None:
    root, _ = batch_run
    page = (root / "out" / "index.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<b>" not in page
    assert "&lt;b&gt;x&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert page.count("<script") == 1  # the page's own sorting script, allowed by its hash
    assert "&lt;script&gt;alert(" in page  # the seed's markup is shown as text
    assert 'href="%3Cb%3Ex%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.json"' in page
    assert page.count('<tr class="error">') == 2
    assert "Content-Security-Policy" in page


def test_jobs_1_and_2_give_the_same_index(
    batch_run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, index = batch_run
    run_batch(root / "seeds", root / "refs", tmp_path / "out", fmt=Format.json, jobs=2)
    assert _without_timings(_index(tmp_path / "out")) == _without_timings(index)
    for name in GOOD:
        report = Path(name).stem + ".json"
        assert (tmp_path / "out" / report).read_bytes() == (root / "out" / report).read_bytes()


def test_progress_hears_every_document(tmp_path: Path) -> None:
    seeds, refs = _folder(tmp_path, bad=False)
    calls: list[tuple[str, int, int]] = []
    settings = RunSettings(score=None, detect=False)
    run_batch(
        seeds,
        refs,
        tmp_path / "out",
        jobs=1,
        settings=settings,
        progress=lambda *c: calls.append(c),
    )
    assert calls == [("documents", k, 4) for k in range(5)]


# --- CLI ---------------------------------------------------------------------------------------


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["batch", *map(str, args)])


def test_cli_exit_1_and_summary_with_a_bad_file(tmp_path: Path) -> None:
    seeds, refs = _folder(tmp_path)
    out = tmp_path / "new" / "out"  # created with its parent
    result = invoke(seeds, "--refs", refs, "--out", out, "--jobs", "1", "--no-scores")
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"transdiff: 4 of 6 documents ok, 2 failed (see {out}/index.html)\n"
    assert (out / "a.html").is_file() and (out / "index.html").is_file()
    assert _index(out)["documents"][1]["scores"] == {}


def test_cli_exit_0_without_bad_files(tmp_path: Path) -> None:
    seeds, refs = _folder(tmp_path, bad=False)
    out = tmp_path / "out"
    result = invoke(seeds, "--refs", refs, "--out", out, "-j", "1", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"transdiff: 4 of 4 documents ok (see {out}/index.html)\n"
    assert (out / "a.md").is_file()


@pytest.mark.parametrize("case", ["missing", "empty", "file"])
def test_cli_bad_input_folder_is_a_one_line_error(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "in"
    if case == "empty":
        folder.mkdir()
    elif case == "file":
        folder.write_text("x", encoding="utf-8")
    result = invoke(folder, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("transdiff: error: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_cli_unknown_encoding_is_one_error_not_one_per_document(tmp_path: Path) -> None:
    seeds, refs = _folder(tmp_path, bad=False)
    result = invoke(seeds, "--refs", refs, "--out", tmp_path / "out", "--encoding", "nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("transdiff: error: unknown encoding 'nope'")
    assert result.stderr.count("\n") == 1


def test_cli_missing_refs_folder_is_a_one_line_error(tmp_path: Path) -> None:
    seeds, _ = _folder(tmp_path, bad=False)
    result = invoke(seeds, "--refs", tmp_path / "nope", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr == f"transdiff: error: {tmp_path / 'nope'}: no such folder (references)\n"


def test_real_process_with_two_workers(tmp_path: Path) -> None:
    seeds, refs = _folder(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "batch", seeds, "--refs", refs, "--out", out, "-j", "2"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == f"transdiff: 4 of 6 documents ok, 2 failed (see {out}/index.html)\n"
    assert "post" in (out / "c.html").read_text(encoding="utf-8")
    assert [d["status"] for d in _index(out)["documents"]].count("error") == 2
