"""Throughput of ``transdiff batch``: 200 documents from the MQM TED zh-en data, 1 and 2 workers.

Data: ../shared/data/mqm-ted-zhen (see ../shared/README.md): 13 MT systems translating 5 TED
talks (529 segments).  Each system's translation of a talk is cut into chunks of about
``--chunk`` consecutive segments; each chunk is one document (one segment per line, run through
the sentence segmenter like any text), and the same chunk of ``refB`` (the best-rated human
translation) is its reference.  The first ``--docs`` documents in name order are used.

For each ``--jobs`` value the script runs the real command in a fresh process,

    python -m toolkit batch DOCS --refs REFS --out OUT --jobs N --format json

and prints documents, seed sentences (from ``index.json``), wall seconds (process start to
exit, imports and worker start-up included), documents per second, and the CPU seconds of the
process and its workers (the wall time depends on what else the machine runs; this does not).

    python benchmarks/batch_speed.py [--data PATH] [--docs 200] [--chunk 35] [--jobs 1,2]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "mqm-ted-zhen" / "mqm_ted_zhen.tsv"
_MARK = re.compile(r"</?v>")
REFERENCE = "refB"
OTHER_HUMAN = "ref"


def load(path: Path) -> dict[tuple[str, str], dict[int, str]]:
    """(system, talk) -> seg_id -> text, markup removed (the rows repeat per annotation)."""
    texts: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["system"] == OTHER_HUMAN:
                continue
            key = (row["system"], row["doc"])
            texts[key].setdefault(int(row["seg_id"]), _MARK.sub("", row["target"]).strip())
    return texts


def write_documents(
    texts: dict[tuple[str, str], dict[int, str]], folder: Path, *, docs: int, chunk: int
) -> tuple[Path, Path]:
    """Write ``docs`` seed documents and their references; return the two folders."""
    seeds, refs = folder / "docs", folder / "refs"
    seeds.mkdir()
    refs.mkdir()
    systems = sorted({s for s, _ in texts if s != REFERENCE})
    talks = sorted({t for _, t in texts})
    written = []
    for talk in talks:
        ids = sorted(texts[(REFERENCE, talk)])
        parts = max(1, math.ceil(len(ids) / chunk))
        size = math.ceil(len(ids) / parts)
        for k in range(parts):
            chunk_ids = ids[k * size : (k + 1) * size]
            for system in systems:
                name = f"{talk}.part{k + 1}.{system}.txt"
                seed = [texts[(system, talk)].get(i, "") for i in chunk_ids]
                ref = [texts[(REFERENCE, talk)][i] for i in chunk_ids]
                written.append((name, seed, ref))
    written.sort()
    if len(written) < docs:
        raise SystemExit(f"only {len(written)} documents with --chunk {chunk}; lower it")
    for name, seed, ref in written[:docs]:
        (seeds / name).write_text("\n".join(s for s in seed if s) + "\n", encoding="utf-8")
        (refs / name).write_text("\n".join(ref) + "\n", encoding="utf-8")
    return seeds, refs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=35, help="segments per document, about")
    parser.add_argument("--jobs", default="1,2", help="worker counts to time, comma-separated")
    args = parser.parse_args()
    texts = load(args.data)
    with tempfile.TemporaryDirectory(prefix="batch-speed-") as tmp:
        seeds, refs = write_documents(texts, Path(tmp), docs=args.docs, chunk=args.chunk)
        print(
            f"{'jobs':>4} {'documents':>9} {'ok':>4} {'sentences':>9} {'seconds':>8} {'docs/s':>7}"
        )
        for jobs in (int(j) for j in args.jobs.split(",")):
            out = Path(tmp) / f"out-{jobs}"
            command = [sys.executable, "-m", "toolkit", "batch", str(seeds), "--refs", str(refs)]
            command += ["--out", str(out), "--jobs", str(jobs), "--format", "json"]
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
            if proc.returncode != 0:
                raise SystemExit(f"batch failed ({proc.returncode}): {proc.stderr.strip()}")
            summary = json.loads((out / "index.json").read_text(encoding="utf-8"))["summary"]
            print(
                f"{jobs:>4} {summary['documents']:>9} {summary['ok']:>4} "
                f"{summary['sentences']:>9} {seconds:>8.1f} "
                f"{summary['documents'] / seconds:>7.2f} {cpu_seconds:>7.1f}"
            )


if __name__ == "__main__":
    main()
