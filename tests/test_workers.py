"""``--jobs`` never starts more worker processes than the usable cores (issue 10).

``--jobs 1000`` on a 10,000-line pair started about 615 worker processes, filled 24 GB and woke
the OOM killer: detect.py and batch.py passed ``max_workers=jobs`` uncapped.  The executor is
replaced by one that counts the processes it really starts (the pool's own spawn hook).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

import toolkit.batch as batch_module
import toolkit.checks.numbers as numbers_module
import toolkit.detect as detect_module
import toolkit.workers as workers_module
from toolkit.align import Alignment, Bead
from toolkit.cli import app
from toolkit.detect import detect
from toolkit.workers import usable_cores, worker_count


def counting_executor(started: list[int]) -> type[ProcessPoolExecutor]:
    """A real process pool that appends 1 to ``started`` for each worker process it starts."""

    class Counting(ProcessPoolExecutor):
        def _spawn_process(self) -> None:  # type: ignore[override]  # CPython's spawn hook
            super()._spawn_process()  # type: ignore[misc]
            started.append(1)

    return Counting


class InlinePool:
    """An executor that runs in this process and records the pool size asked for."""

    sizes: ClassVar[list[int]] = []

    def __init__(
        self,
        max_workers: int,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple[Any, ...] = (),
        **_: Any,
    ) -> None:
        InlinePool.sizes.append(max_workers)
        if initializer is not None:  # as each worker of a real pool does first
            initializer(*initargs)

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(fn, items)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(fn(*args))
        return done

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        return None


def one_to_one(n: int) -> tuple[list[str], list[tuple[str, list[str], Alignment]]]:
    """``n`` short sentences (a number in each) and an identical reference, 1-1 aligned."""
    seed = [f"In {1990 + k % 30} the port sent {k % 7 + 3} ships." for k in range(n)]
    beads = tuple(Bead((i,), (i,), 1.0) for i in range(n))
    return seed, [("r", list(seed), Alignment(beads))]


def test_worker_count_is_capped_by_jobs_tasks_and_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers_module, "usable_cores", lambda: 8)
    assert worker_count(1000, 100) == 8
    assert worker_count(1000, 3) == 3
    assert worker_count(2, 100) == 2
    assert worker_count(1000, 0) == 1  # nothing to share: run in this process


@pytest.mark.parametrize(("cores", "sentences", "pool"), [(64, 10_000, 4), (3, 10_000, 3)])
def test_jobs_1000_on_10000_sentences_uses_the_chunk_minimum_and_the_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int, sentences: int, pool: int
) -> None:
    # The case: at most one worker per 2,500 sentences, and never more than the cores.
    monkeypatch.setattr(workers_module, "usable_cores", lambda: cores)
    monkeypatch.setattr(detect_module, "ProcessPoolExecutor", InlinePool)
    InlinePool.sizes = []
    seed, refs = one_to_one(sentences)
    flags = detect(seed, refs, jobs=1000, checks=[])
    assert InlinePool.sizes == [pool]
    assert len(flags) == sentences


def test_detect_with_jobs_1000_starts_at_most_the_usable_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[int] = []
    monkeypatch.setattr(detect_module, "ProcessPoolExecutor", counting_executor(started))
    seed, refs = one_to_one(detect_module.PARALLEL_MIN_SENTENCES)
    checks: dict[str, Any] = {"checks": [numbers_module.CHECK]}
    serial = detect(seed, refs, **checks)
    assert sum(map(len, serial)) == 0  # identical texts
    assert detect(seed, refs, jobs=1000, **checks) == serial
    # 5,000 sentences make two chunks of the minimum size; fewer cores, fewer workers.
    expected = min(usable_cores(), 2)
    assert len(started) == (expected if expected > 1 else 0)
    assert len(started) <= usable_cores()


def test_batch_with_jobs_1000_starts_at_most_the_usable_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr(batch_module, "ProcessPoolExecutor", counting_executor(started))
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    docs.mkdir()
    refs.mkdir()
    for k in range(3):
        text = f"Document {k} has a sentence. It has {k + 2} more words here.\n"
        (docs / f"d{k}.txt").write_text(text, encoding="utf-8")
        (refs / f"d{k}.txt").write_text(text.replace("more", "extra"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["batch", str(docs), "--refs", str(refs), "--out", str(out), "--jobs", "1000"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("transdiff: 3 of 3 documents ok")
    assert sorted(p.name for p in out.iterdir()) == [
        "d0.html",
        "d1.html",
        "d2.html",
        "index.html",
        "index.json",
    ]
    expected = min(usable_cores(), 3)
    assert len(started) == (expected if expected > 1 else 0)
    assert len(started) <= usable_cores()


def test_batch_pool_is_capped_at_the_cores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Many documents, many jobs, two cores: a pool of two (no process started here).
    monkeypatch.setattr(workers_module, "usable_cores", lambda: 2)
    sizes: list[int] = []

    class Recording(InlinePool):
        def __init__(self, max_workers: int, **_: Any) -> None:
            sizes.append(max_workers)

        def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
            from concurrent.futures import Future

            future: Future[Any] = Future()
            future.set_result(fn(*args))
            return future

    monkeypatch.setattr(batch_module, "ProcessPoolExecutor", Recording)
    docs = tmp_path / "docs"
    docs.mkdir()
    for k in range(6):
        (docs / f"d{k}.txt").write_text(f"Sentence {k}. Another one.\n", encoding="utf-8")
    result = batch_module.run_batch(docs, None, tmp_path / "out", jobs=1000)
    assert sizes == [2]
    assert [d.status for d in result.documents] == ["ok"] * 6


@pytest.mark.parametrize("command", ["report", "flag", "batch"])
def test_jobs_help_documents_the_cap(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "never more than the usable cores" in " ".join(result.stdout.split())


def test_fewer_collections_restores_the_thresholds_even_after_an_error() -> None:
    import gc

    from toolkit.workers import GC_THRESHOLD, fewer_collections

    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's default (an in-process test worker raises it)
    try:
        with pytest.raises(ValueError), fewer_collections():
            assert gc.get_threshold() == GC_THRESHOLD
            raise ValueError("the comparison failed")
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*saved)


def test_a_comparison_leaves_the_collector_as_it_found_it() -> None:
    import gc

    from toolkit.document import Document
    from toolkit.pipeline import compare_documents

    before = (700, 10, 10)
    saved = gc.get_threshold()
    gc.set_threshold(*before)
    seed = Document.from_text("He supplied planes to Varna in 1990.\n", path="seed.txt")
    ref = Document.from_text("It supplied aircraft to Varna in 1991.\n", path="ref.txt")
    try:
        report = compare_documents(seed, [ref])
        assert any(f.category == "accuracy/number" for s in report.sentences for f in s.flags)
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*saved)
