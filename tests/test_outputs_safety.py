"""Nothing lost, ever (issue 10): an output never overwrites an input, ``--out FOLDER/`` writes
inside the folder, links are written through, waivers survive concurrency, and an interrupt
leaves no temporary file behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from toolkit.batch import run_batch
from toolkit.cli import app
from toolkit.errors import TransdiffError, UsageError
from toolkit.paths import check_outputs
from toolkit.report.write import write_atomic
from toolkit.waivers import DEFAULT_NAME, read_waivers

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and links")

SEED = (
    "The harbour of Port Elsworth was rebuilt in 1998.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She did not sign the contract.\n"
)
REF = (
    "The harbour of Port Elsworth was rebuilt in 1989.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She signed the contract.\n"
)

# Every sentence has its own number mismatch: one flag (with its own id) per sentence.
MANY = 24
MANY_SEED = "\n\n".join(
    f"Shipment {n} left the port of Varna with {100 + n} crates." for n in range(1, MANY + 1)
)
MANY_REF = "\n\n".join(
    f"Shipment {n} left the port of Varna with {200 + n} crates." for n in range(1, MANY + 1)
)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def one_line_error(result: Result) -> str:
    """Exit 2, nothing on stdout, one line on stderr; the message."""
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("transdiff: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.removeprefix("transdiff: error: ").strip()


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry of ``folder`` (recursively): file bytes, or the target of a link."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            entries[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            entries[name] = path.read_bytes()
    return entries


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- an output never overwrites an input ---------------------------------------------------------


def _link(project: Path, name: str, target: str) -> str:
    (project / name).symlink_to(target)
    return name


def _hard_link(project: Path, name: str, target: str) -> str:
    os.link(project / target, project / name)
    return name


# --out as given -> (the path in the message, the input it would overwrite); set up in the
# project folder.
OVERWRITES = {
    "seed": lambda p: ("seed.txt", "seed.txt", "seed.txt"),
    "reference": lambda p: ("ref.txt", "ref.txt", "ref.txt"),
    "other spelling": lambda p: ("./sub/../seed.txt", "sub/../seed.txt", "seed.txt"),
    "symlink to the seed": lambda p: (_link(p, "a.json", "seed.txt"), "a.json", "seed.txt"),
    "hard link to the reference": lambda p: (
        _hard_link(p, "h.json", "ref.txt"),
        "h.json",
        "ref.txt",
    ),
    "the seed's folder": lambda p: ("./", "seed.txt", "seed.txt"),
}


@posix_only
@pytest.mark.parametrize("case", sorted(OVERWRITES))
def test_regression_report_out_onto_an_input_is_refused(project: Path, case: str) -> None:
    # Issue 10: `report seed.txt ref.txt --format json --out seed.txt` exited 0 and the
    # translation was gone. (In a folder, a text report is named <seed>.txt: the seed.)
    out, shown, victim = OVERWRITES[case](project)
    before = snapshot(project)
    result = invoke("report", "seed.txt", "ref.txt", "--format", "text", "--out", out)
    assert one_line_error(result) == (
        f"{shown}: the output file would overwrite the input {victim}; write it elsewhere"
    )
    assert snapshot(project) == before, "something was written"


@posix_only
@pytest.mark.parametrize(
    ("out", "shown", "victim"),
    [("ref.txt", "ref.txt", "ref.txt"), (".", "seed.flags.txt", "seed.txt")],
)
def test_regression_flag_out_onto_an_input_is_refused(
    project: Path, out: str, shown: str, victim: str
) -> None:
    (project / "seed.flags.txt").symlink_to("seed.txt")  # the name flag writes in a folder
    before = snapshot(project)
    result = invoke("flag", "seed.txt", "ref.txt", "--format", "text", "--out", out)
    assert one_line_error(result) == (
        f"{shown}: the output file would overwrite the input {victim}; write it elsewhere"
    )
    assert snapshot(project) == before


@pytest.mark.parametrize("option", ["--waivers", "--glossary", "--config"])
def test_out_onto_the_waivers_glossary_or_config_file_is_refused(
    project: Path, option: str
) -> None:
    name = {"--waivers": "w.toml", "--glossary": "terms.csv", "--config": "td.toml"}[option]
    content = {"w.toml": "", "terms.csv": "harbour,harbour\n", "td.toml": "fail_on = 'critical'\n"}
    (project / name).write_text(content[name], encoding="utf-8")
    before = snapshot(project)
    result = invoke("report", "seed.txt", "ref.txt", option, name, "-f", "json", "-o", name)
    assert one_line_error(result) == (
        f"{name}: the output file would overwrite the input {name}; write it elsewhere"
    )
    assert snapshot(project) == before


@given(st.lists(st.sampled_from(["./", "sub/../", "sub/./../", ".//"]), min_size=1, max_size=5))
@settings(max_examples=30, deadline=None)
def test_every_spelling_of_an_input_is_refused(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("spell")
    (folder / "sub").mkdir()
    seed = folder / "seed.txt"
    seed.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="would overwrite the input"):
        check_outputs([str(folder) + "/" + "".join(parts) + "seed.txt"], inputs=[seed])


def test_a_different_file_is_not_an_input(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("x", encoding="utf-8")
    check_outputs([tmp_path / "seed.txt.json", tmp_path / "new" / "seed.txt"], inputs=[seed])


# --- --out FOLDER/ -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "fmt", "name"),
    [
        ("report", "json", "seed.json"),
        ("report", "xliff", "seed.xlf"),
        ("flag", "csv", "seed.flags.csv"),
    ],
)
@pytest.mark.parametrize("spelling", ["out", "out/"])
def test_regression_out_folder_gets_a_file_named_after_the_seed(
    project: Path, command: str, fmt: str, name: str, spelling: str
) -> None:
    # Issue 10: `--out dir/` wrote a file named `dir`.
    (project / "out").mkdir()
    result = invoke(command, "seed.txt", "ref.txt", "-f", fmt, "--out", spelling)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"transdiff: wrote out/{name}"
    assert sorted(p.name for p in (project / "out").iterdir()) == [name]
    if fmt == "json":
        data = json.loads((project / "out" / name).read_text(encoding="utf-8"))
        assert data["seed"]["path"] == "seed.txt"


def test_out_missing_folder_with_a_slash_is_an_error_not_a_file(project: Path) -> None:
    before = snapshot(project)
    message = one_line_error(invoke("report", "seed.txt", "ref.txt", "-f", "json", "-o", "new/"))
    assert message == "new/seed.json: the folder new does not exist"
    assert snapshot(project) == before and not (project / "new").exists()


def test_out_empty_is_an_error(project: Path) -> None:
    message = one_line_error(invoke("report", "seed.txt", "ref.txt", "-f", "json", "-o", ""))
    assert message == "the output path is empty; give a file or a folder"


# --- links are written through -----------------------------------------------------------------


@posix_only
def test_regression_symlinked_out_is_written_through(project: Path) -> None:
    # Issue 10: the link was replaced by a regular file; the shared file never got the report.
    (project / "shared").mkdir()
    (project / "shared" / "report.json").write_text("old", encoding="utf-8")
    (project / "latest.json").symlink_to("shared/report.json")
    result = invoke("report", "seed.txt", "ref.txt", "-f", "json", "-o", "latest.json")
    assert result.exit_code == 0, result.stderr
    assert os.readlink(project / "latest.json") == "shared/report.json"
    data = json.loads((project / "shared" / "report.json").read_text(encoding="utf-8"))
    assert data["seed"]["path"] == "seed.txt"
    assert sorted(p.name for p in (project / "shared").iterdir()) == ["report.json"]


@posix_only
def test_dangling_symlink_out_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to("target.txt")
    write_atomic(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "target.txt").read_text(encoding="utf-8") == "new"


@posix_only
def test_symlink_loop_is_an_error_and_stays(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(TransdiffError, match="the symbolic links form a loop"):
        write_atomic(tmp_path / "a", "new")
    assert os.readlink(tmp_path / "a") == "b" and os.readlink(tmp_path / "b") == "a"


# --- batch -------------------------------------------------------------------------------------


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    (tmp_path / "s").mkdir()
    (tmp_path / "r" / "doc").mkdir(parents=True)
    (tmp_path / "s" / "doc.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "r" / "doc" / "doc.txt").write_text(REF, encoding="utf-8")  # doc's reference
    return tmp_path


def test_regression_batch_out_inside_a_reference_folder_is_refused(folders: Path) -> None:
    # Issue 10: the guard compared only the top folders; `--out r/doc --format text` wrote
    # r/doc/doc.txt over the reference.
    before = snapshot(folders)
    result = invoke(
        "batch", folders / "s", "--refs", folders / "r", "--out", folders / "r" / "doc",
        "-f", "text", "-j", "1",
    )  # fmt: skip
    message = one_line_error(result)
    assert message == (
        f"{folders / 'r' / 'doc'}: the output folder lies inside the input folder "
        f"{folders / 'r'}; write it elsewhere"
    )
    assert snapshot(folders) == before


def test_batch_out_inside_the_document_folder_is_refused(folders: Path) -> None:
    with pytest.raises(UsageError, match="lies inside the input folder"):
        run_batch(folders / "s", folders / "r", folders / "s" / "reports", jobs=1)
    assert not (folders / "s" / "reports").exists()


@posix_only
def test_batch_report_that_links_to_a_reference_is_refused(folders: Path) -> None:
    (folders / "o").mkdir()
    (folders / "o" / "doc.txt").symlink_to(folders / "r" / "doc" / "doc.txt")
    before = snapshot(folders)
    with pytest.raises(UsageError) as caught:
        run_batch(folders / "s", folders / "r", folders / "o", fmt="text", jobs=1)
    assert str(caught.value) == (
        f"{folders / 'o' / 'doc.txt'}: the output file would overwrite the input "
        f"{folders / 'r' / 'doc' / 'doc.txt'}; write it elsewhere"
    )
    assert snapshot(folders) == before


def test_interrupted_batch_starts_no_more_documents(tmp_path: Path) -> None:
    # Leaving the pool used to run every queued document first: SIGTERM (or Ctrl-C) to a
    # batch of 30 documents still wrote all 30 reports before exiting.
    (tmp_path / "s").mkdir()
    total = 20
    for n in range(total):  # long enough that a worker spends a while on each
        (tmp_path / "s" / f"doc{n:02}.txt").write_text(MANY_SEED * 8, encoding="utf-8")

    def interrupt_after_the_first(stage: str, done: int, total: int) -> None:
        if done == 1:
            raise KeyboardInterrupt  # what the CLI's SIGTERM handler raises

    with pytest.raises(KeyboardInterrupt):
        run_batch(tmp_path / "s", None, tmp_path / "o", jobs=2, progress=interrupt_after_the_first)
    written = sorted(p.name for p in (tmp_path / "o").iterdir())
    # The first, and the few already handed to the two workers; not the queued rest.
    assert 1 <= len(written) <= total // 2, written
    assert all(name.endswith(".html") for name in written)  # no index, no temporary file


# --- interrupts --------------------------------------------------------------------------------

# The real entry point, with fsync made slow so that the signal lands during the write.
SLOW_MAIN = """
import os, sys, time
_fsync = os.fsync
def slow_fsync(fd):
    time.sleep(float(os.environ["SLOW_FSYNC"]))
    _fsync(fd)
os.fsync = slow_fsync
from toolkit.cli import main
sys.argv = ["transdiff", *sys.argv[1:]]
main()
"""


def _start_slow_report(
    folder: Path, seconds: float, ignore: signal.Signals | None = None
) -> subprocess.Popen[str]:
    def dispositions() -> None:  # independent of how pytest itself was started
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN if sig == ignore else signal.SIG_DFL)

    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            SLOW_MAIN,
            "report",
            "seed.txt",
            "ref.txt",
            "-f",
            "json",
            "-o",
            "out.json",
        ],
        cwd=folder,
        env={**os.environ, "SLOW_FSYNC": str(seconds)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=dispositions,  # no threads in this test: safe
    )


def _wait_for_temp_file(folder: Path, proc: subprocess.Popen[str]) -> Path:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        found = list(folder.glob(".out.json.*.tmp"))
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no temporary file appeared: {proc.communicate()}")


@posix_only
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
)
def test_regression_signal_during_out_removes_the_temp_file(
    project: Path, sig: signal.Signals, code: int
) -> None:
    # Issue 10: SIGTERM during --out left .out.json.XXXX.tmp behind; SIGINT exited silently.
    (project / "out.json").write_text("old", encoding="utf-8")
    proc = _start_slow_report(project, seconds=60)
    _wait_for_temp_file(project, proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (code, "", f"transdiff: interrupted ({sig.name})\n")
    assert sorted(p.name for p in project.iterdir()) == ["out.json", "ref.txt", "seed.txt"]
    assert (project / "out.json").read_text(encoding="utf-8") == "old"


@posix_only
def test_an_ignored_sighup_stays_ignored(project: Path) -> None:
    # `nohup transdiff ...` must survive the terminal closing.
    proc = _start_slow_report(project, seconds=1, ignore=signal.SIGHUP)
    _wait_for_temp_file(project, proc)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (0, "transdiff: wrote out.json\n")
    assert (
        json.loads((project / "out.json").read_text(encoding="utf-8"))["seed"]["path"] == "seed.txt"
    )


def test_interrupt_between_creating_and_opening_the_temp_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def open_then_interrupt(path: str | Path, flags: int, mode: int = 0o777) -> int:
        os.close(real_open(path, flags, mode))  # the file exists ...
        raise KeyboardInterrupt  # ... but the descriptor never reaches write_atomic

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.txt", "new")
    assert list(tmp_path.iterdir()) == []


# --- concurrent waivers ------------------------------------------------------------------------


def test_regression_twenty_concurrent_waive_processes_lose_no_waiver(tmp_path: Path) -> None:
    # Issue 10: two `transdiff waive` at once lost a waiver (read-modify-write without a lock);
    # 20 at once lost 6 before the fix.
    (tmp_path / "seed.txt").write_text(MANY_SEED + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text(MANY_REF + "\n", encoding="utf-8")
    queue = invoke("flag", tmp_path / "seed.txt", tmp_path / "ref.txt", "--format", "json")
    ids = [f["id"] for s in json.loads(queue.stdout)["sentences"] for f in s["flags"]]
    assert len(set(ids)) == MANY
    chosen = ids[:20]
    # All 20 start before any can finish (a run takes over a second), so their writes overlap.
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "toolkit", "waive", flag_id, "seed.txt", "ref.txt"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag_id in chosen
    ]
    outcomes = [(*p.communicate(timeout=600), p.returncode) for p in procs]
    for (out, err, code), flag_id in zip(outcomes, chosen, strict=True):
        assert code == 0, err
        assert out.startswith(f"waived {flag_id} (false-positive: major accuracy/number")
    assert sorted(w.id for w in read_waivers(tmp_path / DEFAULT_NAME)) == sorted(chosen)
    assert not list(tmp_path.glob(".*.tmp"))
