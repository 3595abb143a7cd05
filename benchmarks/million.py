"""One million line-parallel pairs: wall time, CPU time and memory of the whole
``transdiff report --parallel --no-scores -f json`` process, with and without the checks.

The pairs are real English from the MQM TED zh-en data (see ../shared/README.md; read from
there, never copied into the repository): each line is one or two MT segments joined, perturbed
the way MT goes wrong, against their ``refB`` translation (``flags_speed.make``), with a fixed
random seed, written to ``--dir`` (kept there for the next run).  Each run is a child process:
its wall time, its CPU time with its workers' (``wait4``), the main process's peak RSS, and the
peak of the whole process tree (main process and check workers), sampled from ``/proc`` every
0.2 s.  The machine's load average is printed before and after: timings on a shared machine
are noisy.  So is, before and after, a *calibration*: what the checks and the verifier cost a
line pair as a worker runs them, on the first ``--calibrate`` pairs in this process (CPU, best
of 3; ``check_costs.worker_cost``).  The same code's time moves with the machine's speed (by a
third within an hour here): read the run's time against it.

    python benchmarks/million.py [--lines 1000000] [--dir /tmp/million]
                                 [--no-flags-only | --flags-only] [--calibrate 3000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from align_scale import DEFAULT_DATA, load
from flags_speed import load_pairs, make


def write_pair(n: int, data: Path, folder: Path) -> tuple[Path, Path]:
    """The seed and reference files of ``n`` line pairs in ``folder`` (made once)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed, ref = folder / f"seed_{n}.txt", folder / f"ref_{n}.txt"
    if not (seed.exists() and ref.exists()):
        lines = make(n, load_pairs(data), random.Random(n))
        for path, texts in zip((seed, ref), lines, strict=True):
            tmp = path.with_suffix(".tmp")
            tmp.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf-8")
            tmp.replace(path)
    return seed, ref


def _tree_rss(root: int) -> int:
    """KB resident in ``root`` and every descendant now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd``: wall s, CPU s (user + system, workers included), main and tree peak MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return {
        "wall": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "main_mb": usage.ru_maxrss / 1024,  # the largest single process of the run (KB)
        "tree_mb": peak[0] / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/million"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-flags-only", action="store_true")
    parser.add_argument("--flags-only", action="store_true")
    parser.add_argument("--calibrate", type=int, default=3000, help="pairs (0: no calibration)")
    args = parser.parse_args()
    seed, ref = write_pair(args.lines, args.data, args.dir)
    size = (seed.stat().st_size + ref.stat().st_size) / 1e6
    print(f"{args.lines:,} line pairs, {size:.0f} MB ({seed}, {ref}); {load()}")
    calibrate(seed, ref, args.calibrate)
    out = args.dir / "report.json"
    base = [sys.executable, "-m", "toolkit", "report", str(seed), str(ref), "--parallel"]
    base += ["--no-scores", "-f", "json", "-o", str(out)]
    runs = [] if args.flags_only else [("without flags", ["--no-flags"])]
    if not args.no_flags_only:
        runs.append(("with flags", []))
    print(f"{'run':15s} {'wall s':>8s} {'CPU s':>8s} {'main MB':>8s} {'tree MB':>8s}")
    for name, extra in runs:
        r = run(base + extra)
        print(
            f"{name:15s} {r['wall']:8.1f} {r['cpu']:8.1f} {r['main_mb']:8.0f} {r['tree_mb']:8.0f}",
            flush=True,
        )
    print(load())
    calibrate(seed, ref, args.calibrate)


def calibrate(seed: Path, ref: Path, n: int) -> None:
    """Print what the checks and the verifier cost a pair now, on the first ``n`` pairs."""
    if n <= 0:
        return
    from check_costs import worker_cost  # (it imports this module)

    sides = []
    for path in (seed, ref):
        with path.open(encoding="utf-8") as fh:
            sides.append([line.rstrip("\n") for line, _ in zip(fh, range(n), strict=False)])
    cost = worker_cost(sides[0], sides[1])
    print(f"calibration: checks and verifier {cost:.1f} us a pair (first {n:,} pairs, one process)")


if __name__ == "__main__":
    main()
