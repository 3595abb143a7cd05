"""What each check costs a line pair, in one process: where the checks' time goes.

The pairs are those of ``million.py`` (real English MT and ``refB`` from the MQM TED zh-en
data, perturbed as ``flags_speed.make`` does, a fixed random seed), the first ``--lines`` of
them.  The shared word diff (``token_diff``) is timed first, alone; then every registered
check runs on every pair with the diff cached, each timed apart (a pair check on the pair, a
sentence or document check on the seed sentence), and its preparation on the whole seed; last,
the checks and the verifier together as a worker runs them (``detect._check_range``), best of
``--runs``.  Garbage collection as in a worker (``workers.settle_worker_gc``).  Times are CPU
work on one core, in microseconds a pair; on a shared machine they drift with its load.

    python benchmarks/check_costs.py [--lines 30000] [--runs 3] [--dir /tmp/million]
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import defaultdict
from pathlib import Path

from align_scale import DEFAULT_DATA
from million import write_pair

from toolkit.align import Alignment, LineBeads
from toolkit.checks import Context, Kind, registered
from toolkit.checks.diff import token_diff
from toolkit.detect import _check_range, _flags_only, _prepare
from toolkit.packed import PackedTexts
from toolkit.verify import _verify_block
from toolkit.verify.model import verifier_for
from toolkit.workers import settle_worker_gc


def _lines(path: Path, n: int) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n") for line, _ in zip(fh, range(n), strict=False)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=1_000_000, help="size of million.py's files")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/million"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    seed_path, ref_path = write_pair(args.pairs, args.data, args.dir)
    seed, ref = _lines(seed_path, args.lines), _lines(ref_path, args.lines)
    n = len(seed)
    context = Context(seed, "en", None)
    times: dict[str, float] = defaultdict(float)
    prepared = []
    for check in registered():
        start = time.process_time()
        prepared.append((check.name, check.kinds, check.prepare(context)))
        times[f"prepare {check.name}"] = time.process_time() - start
    verifier_for("en")  # loaded before the clock runs
    settle_worker_gc()
    start = time.process_time()
    for s, r in zip(seed, ref, strict=True):
        token_diff(s, r)
    times["token_diff"] = time.process_time() - start
    for i, (s, r) in enumerate(zip(seed, ref, strict=True)):
        token_diff(s, r)  # cached again: the checks read it, as in a run
        for name, kinds, checker in prepared:
            if Kind.pair in kinds:
                start = time.process_time()
                checker.pair(s, r)
                times[f"pair {name}"] += time.process_time() - start
            if kinds & {Kind.free, Kind.document}:
                start = time.process_time()
                checker.sentence(i)
                times[f"sentence {name}"] += time.process_time() - start
    print(f"{n:,} line pairs ({seed_path}, {ref_path})")
    print(f"{'part':32s} {'us a pair':>10s}")
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        if seconds / n < 5e-8:  # (the checks that prepare nothing)
            continue
        print(f"{name:32s} {seconds / n * 1e6:10.1f}")
    print(f"{'all of the above':32s} {sum(times.values()) / n * 1e6:10.1f}")
    # As a worker runs them: packed texts, the checks block by block, then the verifier.
    for label, verified in (("checks", False), ("checks and verifier", True)):
        cost = worker_cost(seed, ref, runs=args.runs, verified=verified)
        print(f"{label + ' (as a worker)':32s} {cost:10.1f}")


def worker_cost(seed: list[str], ref: list[str], *, runs: int = 3, verified: bool = True) -> float:
    """CPU microseconds a line pair of the checks (and the verifier) as a pool worker runs
    them (packed texts, block by block), best of ``runs``; the checks prepared beforehand."""
    n = len(seed)
    packed_seed, packed_ref = PackedTexts(seed), PackedTexts(ref)
    pair, free = _prepare(list(registered()), Context(packed_seed, "en", None), True)
    references = [("ref", packed_ref, Alignment(LineBeads([0.5] * n)))]
    then = functools.partial(_verify_block, threshold=0.5, language="en")
    verifier_for("en")
    settle_worker_gc()
    best = float("inf")
    for _ in range(runs):
        token_diff.cache_clear()
        start = time.process_time()
        _check_range(packed_seed, references, pair, free, then if verified else _flags_only, 0, n)
        best = min(best, time.process_time() - start)
    return best / n * 1e6


if __name__ == "__main__":
    main()
