"""Speed and memory of the detection stage: flags and suspicion for 100,000 sentence pairs.

The pairs are real English: MT segments of the MQM TED zh-en data (see ../shared/README.md)
with their ``refB`` translation.  To make 100,000 distinct pairs, each pair joins one or two
random segments and, with a fixed random seed, perturbs the seed side the way MT goes wrong
(a pronoun swapped, a number changed, a word dropped, a word capitalised).  The pairs form one
line-aligned document (1-1 beads), so the reference-free checks see a 100,000-sentence
document, as they would in a real run.

For each size and number of worker processes (``jobs=N``), in a fresh process, the script prints
the wall time of what a run does after alignment: ``check_and_verify()`` (every registered
check, then the verifier, block by block in the same workers) plus ``divergences()`` and the
suspicion of every sentence, the time per pair, the flags found, the resident memory before
detection, and the peak resident memory of the process and of its largest worker.

    python benchmarks/flags_speed.py [--sizes 25000 50000 100000] [--jobs 1 2] [--data PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from toolkit.align import Alignment, Bead
from toolkit.checks import Kind, registered
from toolkit.detect import divergences
from toolkit.verify import check_and_verify, suspicion_for

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
_MARK = re.compile(r"</?v>")
_SWAPS = {"it": "he", "It": "He", "they": "it", "his": "its", "we": "you", "its": "his"}


def load_pairs(path: Path) -> list[tuple[str, str]]:
    """(MT segment, refB segment) for every MT segment of the data."""
    mt: dict[tuple[str, str, str], str] = {}
    ref: dict[tuple[str, str], str] = {}
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = _MARK.sub("", row["target"]).strip()
            if row["system"] == "refB":
                ref[(row["doc"], row["seg_id"])] = text
            elif row["system"] != "ref":
                mt[(row["system"], row["doc"], row["seg_id"])] = text
    return [(t, ref[(d, s)]) for (_, d, s), t in sorted(mt.items()) if (d, s) in ref]


def perturb(words: list[str], rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.15:
        swappable = [k for k, w in enumerate(words) if w in _SWAPS]
        if swappable:
            k = rng.choice(swappable)
            words[k] = _SWAPS[words[k]]
    elif roll < 0.25:
        digits = [k for k, w in enumerate(words) if any(c.isdigit() for c in w)]
        k = rng.choice(digits) if digits else rng.randrange(len(words))
        words[k] = str(rng.randint(2, 9999)) if digits else words[k]
    elif roll < 0.40 and len(words) > 4:
        del words[rng.randrange(1, len(words))]
    elif roll < 0.50 and len(words) > 2:
        k = rng.randrange(1, len(words))
        words[k] = words[k].capitalize()
    return words


def make(n: int, pairs: list[tuple[str, str]], rng: random.Random) -> tuple[list[str], list[str]]:
    seed, ref = [], []
    for _ in range(n):
        a = rng.choice(pairs)
        s, r = a
        if rng.random() < 0.5:
            b = rng.choice(pairs)
            s, r = f"{s} {b[0]}", f"{r} {b[1]}"
        seed.append(" ".join(perturb(s.split(), rng)))
        ref.append(r)
    return seed, ref


def measure(n: int, data: Path, jobs: int) -> dict[str, object]:
    rng = random.Random(7)
    seed, ref = make(n, load_pairs(data), rng)
    alignment = Alignment(tuple(Bead((i,), (i,), 1.0) for i in range(n)))
    refs = [("refB", ref, alignment)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    verified = check_and_verify(seed, refs, jobs=jobs)
    checked = time.perf_counter()
    flags = [shown + gone for shown, gone, _ in verified]
    spread = divergences(seed, refs)
    scores = [
        suspicion_for(row, shown, d) for (shown, _, row), d in zip(verified, spread, strict=True)
    ]
    seconds = time.perf_counter() - start
    counts = Counter(f.category.value for fs in flags for f in fs)
    return {
        "pairs": n,
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "checks_seconds": round(checked - start, 2),
        "us_per_pair": round(seconds / n * 1e6, 1),
        "flags": sum(counts.values()),
        "flagged_share": round(sum(1 for s in scores if s > 0.5) / n, 4),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "by_category": dict(counts.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25000, 50000, 100000])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.data, args.jobs[0])))
        return
    pair = [c.name for c in registered() if Kind.pair in c.kinds]
    free = [c.name for c in registered() if c.kinds & {Kind.free, Kind.document}]
    print(f"checks: pair {', '.join(pair)}; reference-free {', '.join(free)}")
    print("(the source checks do not run: this benchmark has no source)")
    print(
        f"{'pairs':>8} {'jobs':>4} {'seconds':>8} {'us/pair':>8} {'flags':>7} "
        f"{'RSS before MB':>14} {'peak RSS MB':>12} {'worker peak MB':>15}"
    )
    for n, jobs in [(n, j) for n in args.sizes for j in args.jobs]:
        command = [sys.executable, __file__, "--one", str(n), "--data", str(args.data)]
        out = subprocess.run(
            [*command, "--jobs", str(jobs)], check=True, capture_output=True, text=True
        ).stdout
        row = json.loads(out)
        print(
            f"{row['pairs']:>8} {row['jobs']:>4} {row['seconds']:>8} {row['us_per_pair']:>8} "
            f"{row['flags']:>7} {row['rss_before_mb']:>14} {row['peak_rss_mb']:>12} "
            f"{row['worker_peak_rss_mb']:>15}"
        )
    print(f"flags by category at {row['pairs']}: {row['by_category']}")


if __name__ == "__main__":
    main()
