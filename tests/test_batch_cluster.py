"""``transdiff batch --scheduler``: the documents run on a Dask distributed cluster (issue 13).

A LocalCluster of two worker processes stands in for a real cluster; its outputs must equal the
local run's byte for byte (timings aside), a bad document is recorded and the others go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from toolkit.batch import run_batch
from toolkit.cli import app
from toolkit.report import Format
from toolkit.result import RunSettings

distributed = pytest.importorskip("distributed")

SEED = "The harbour of Port Elsworth was rebuilt in 1998.\n\nThe ferry leaves every 90 minutes.\n"
REF = "The harbour of Port Elsworth was rebuilt in 1999.\n\nThe ferry leaves every 45 minutes.\n"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def _folders(root: Path) -> tuple[Path, Path]:
    seeds, refs = root / "seeds", root / "refs"
    seeds.mkdir(parents=True)
    refs.mkdir()
    for k in range(4):
        (seeds / f"doc{k}.txt").write_text(SEED.replace("1998", str(1990 + k)), encoding="utf-8")
        (refs / f"doc{k}.txt").write_text(REF, encoding="utf-8")
    (seeds / "bin.txt").write_bytes(b"\x00\x01binary\x00")
    return seeds, refs


def _index(out: Path) -> dict[str, Any]:
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    index.pop("seconds", None)
    for doc in index["documents"]:
        doc.pop("seconds", None)
    return index


def test_cluster_run_equals_local_run(tmp_path: Path, cluster: str) -> None:
    seeds, refs = _folders(tmp_path)
    settings = RunSettings(detect=False)
    local = run_batch(seeds, refs, tmp_path / "local", fmt=Format.json, jobs=1, settings=settings)
    calls: list[tuple[str, int, int]] = []
    remote = run_batch(
        seeds,
        refs,
        tmp_path / "remote",
        fmt=Format.json,
        settings=settings,
        scheduler=cluster,
        progress=lambda *c: calls.append(c),
    )
    assert [d.name for d in remote.failed] == ["bin.txt"] == [d.name for d in local.failed]
    assert calls == [("documents", k, 5) for k in range(6)]
    assert _index(tmp_path / "remote") == _index(tmp_path / "local")
    for k in range(4):
        name = f"doc{k}.json"
        assert (tmp_path / "remote" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_cli_scheduler_option(tmp_path: Path, cluster: str) -> None:
    seeds, refs = _folders(tmp_path)
    result = CliRunner().invoke(
        app,
        ["batch", str(seeds), "--refs", str(refs), "--out", str(tmp_path / "out"),
         "--scheduler", cluster, "--no-flags", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 1  # bin.txt failed, the others went on
    assert "4 of 5 documents ok, 1 failed" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("doc*.json")) == [
        f"doc{k}.json" for k in range(4)
    ]


def test_unreachable_scheduler_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("toolkit.batch._CONNECT_TIMEOUT", 1)
    seeds, refs = _folders(tmp_path)
    result = CliRunner().invoke(
        app,
        ["batch", str(seeds), "--refs", str(refs), "--out", str(tmp_path / "out"),
         "--scheduler", "tcp://127.0.0.1:9", "--no-flags"],
    )  # fmt: skip
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in lines[0]
