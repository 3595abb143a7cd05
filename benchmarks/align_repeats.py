"""Alignment of long real texts whose content repeats: the aligner against the plain banded DP.

Real English text from the MQM TED zh-en data (see ../shared/README.md): one MT system's 529
segments as the seed and the human reference ``refB`` as the reference, one segment per line,
and the whole file repeated pass after pass until it has the size asked for.  The first pass is
the text as it is; every later pass is slightly different: with a fixed random seed, some
lines are merged with their neighbour or dropped, on either side (as in ``align_mqm.py``), so
every passage occurs many times on both sides and the gold beads are known (pass k of the seed
goes with pass k of the reference).  This is the case of issue 13, where anchors taken from the
wrong copy of a passage left half the text unmatched.

For every size it prints the strict bead F1 (a bead counts only when both of its sides are
exactly right), the time of ``align()`` and the peak RSS of the process that ran it, for
transdiff's aligner and for the plain banded dynamic program (same similarity, same DP, a
diagonal band, no anchors: ``align(..., use_anchors=False)``).  Each run is its own process, so
the RSS is that run's alone.

    python benchmarks/align_repeats.py [--data PATH] [--system Online-W] [--sizes 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from align_mqm import load, perturb

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
Bead = tuple[tuple[int, ...], tuple[int, ...]]


def make_pair(
    data: Path, system: str, size: int, seed: int
) -> tuple[list[str], list[str], list[Bead]]:
    """Passes of (system, refB) until ``size`` seed lines; gold beads pass to pass."""
    segs = load(data)
    one_seed: list[str] = []
    one_ref: list[str] = []
    for doc in sorted({d for _, d in segs}):
        if (system, doc) not in segs or ("refB", doc) not in segs:
            continue
        mine, theirs = segs[(system, doc)], segs[("refB", doc)]
        common = sorted(mine.keys() & theirs.keys())
        one_seed += [mine[k] for k in common]
        one_ref += [theirs[k] for k in common]
    if not one_seed:
        sys.exit(f"no segments of system {system!r} in {data}")
    rng = random.Random(seed)
    out_seed: list[str] = []
    out_ref: list[str] = []
    gold: list[Bead] = []
    while len(out_seed) < size:
        if not out_seed:
            s, r = one_seed, one_ref
            g: list[Bead] = [((k,), (k,)) for k in range(len(s))]
        else:
            s, r, g = perturb(one_seed, one_ref, rng, merge=0.03, drop=0.02)
        gold += [
            (tuple(i + len(out_seed) for i in a), tuple(j + len(out_ref) for j in b)) for a, b in g
        ]
        out_seed += s
        out_ref += r
    # Cut at a bead boundary near the size asked for.
    keep: list[Bead] = []
    for a, b in gold:
        if a and a[-1] >= size:
            break
        keep.append((a, b))
    n = max((a[-1] for a, _ in keep if a), default=-1) + 1
    m = max((b[-1] for _, b in keep if b), default=-1) + 1
    return out_seed[:n], out_ref[:m], keep


def strict_f1(pred: list[Bead], gold: list[Bead]) -> float:
    ok = len(set(pred) & set(gold))
    p, r = ok / len(pred), ok / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def run_one(args: argparse.Namespace) -> None:
    """Child process: align one pair with one aligner, print JSON with F1 and time."""
    from toolkit.align import align

    seed, ref, gold = make_pair(args.data, args.system, args.one, args.seed)
    t0 = time.perf_counter()
    alignment = align(seed, ref, use_anchors=args.aligner == "transdiff")
    seconds = time.perf_counter() - t0
    pred = [(b.seed, b.ref) for b in alignment.beads]
    out = {
        "seed": len(seed),
        "ref": len(ref),
        "f1": strict_f1(pred, gold),
        "seconds": seconds,
        "warnings": len(alignment.warnings),
    }
    print(json.dumps(out))


def measure(args: argparse.Namespace, size: int, aligner: str) -> tuple[dict[str, float], float]:
    """Run one child; its JSON and its own peak RSS in MB (from wait4's rusage)."""
    cmd = [sys.executable, __file__, "--data", str(args.data), "--system", args.system]
    cmd += ["--seed", str(args.seed), "--one", str(size), "--aligner", aligner]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{aligner} at {size} lines failed (exit {proc.returncode})")
    return json.loads(out), usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--system", default="Online-W")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--aligner", choices=["transdiff", "banded"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"benchmark data not found: {args.data} (give --data)")
    if args.one:
        run_one(args)
        return
    print(
        f"MQM TED zh-en, {args.system} vs refB, passes of 529 lines (first as is, later ones "
        f"with 3% merges and 2% drops per side), random seed {args.seed}"
    )
    print(
        f"{'lines':>13} {'aligner':<18} {'strict F1':>9} {'align() s':>9} "
        f"{'peak RSS MB':>11} {'warnings':>8}"
    )
    for size in args.sizes:
        for aligner, label in (("transdiff", "transdiff"), ("banded", "plain banded DP")):
            res, rss = measure(args, size, aligner)
            lines = f"{res['seed']:.0f}/{res['ref']:.0f}"
            print(
                f"{lines:>13} {label:<18} {res['f1']:>9.4f} {res['seconds']:>9.2f} "
                f"{rss:>11.0f} {res['warnings']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
