"""Speed and memory of the whole ``transdiff report --segmented --no-scores`` process at 1k,
10k and 50k lines per side, on synthetic text, real English text and real text that repeats.

Three kinds of pairs, each built in a temporary folder with a fixed random seed (the data is
read from ../shared, never copied into the repository), with known gold beads:

* ``synthetic``: Zipf-distributed vocabulary, a quarter of each reference sentence's words
  rewritten, 3% of lines merged with the next or dropped on either side;
* ``real``: real English, MQM TED zh-en (see ../shared/README.md): line pairs (drawn with
  replacement, so some repeat), each one or two MT segments joined with their ``refB``
  translation and perturbed the way MT goes wrong (as ``flags_speed.py`` builds them), then 3%
  merges and 2% drops per side (``align_mqm.perturb``);
* ``repeats``: the 529 TED segments of Online-W against refB, the whole file pass after pass,
  every later pass with 3% merges and 2% drops per side (``align_repeats.py``): every passage
  occurs many times on both sides.

For every kind and size the process runs ``--runs`` times with ``--no-flags`` (alignment only)
and the best wall time is printed beside that run's CPU time and peak RSS (the child's own,
from ``wait4``; on a busy machine the CPU time is nearer what the run takes alone); then, for
the sizes in ``--flag-sizes``, once with the checks on (default settings; long documents are
checked in worker processes, whose CPU time counts, and the RSS is then the largest process
of the run).  The strict bead F1 is read from the report's JSON.  The machine's load average
is printed before and after: timings on a shared machine are noisy.

    python benchmarks/align_scale.py [--sizes 1000 10000 50000] [--runs 3] [--flag-sizes 50000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from align_mqm import perturb
from align_repeats import make_pair as repeats_pair
from flags_speed import load_pairs, make

_TSV = "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
# ../shared beside the project, looked for upwards, so a git worktree nested deeper finds it too.
DEFAULT_DATA = next(
    (p / _TSV for p in Path(__file__).resolve().parents if (p / _TSV).exists()),
    Path(__file__).resolve().parents[2] / _TSV,
)
Bead = tuple[tuple[int, ...], tuple[int, ...]]
Pair = tuple[list[str], list[str], list[Bead]]


def synthetic_pair(n: int, rng: random.Random) -> Pair:
    vocab = [
        "".join(rng.choice("abcdefghijklmnoprstuvwy") for _ in range(rng.randint(2, 10)))
        for _ in range(20000)
    ]
    cum = list(itertools.accumulate(1 / (k + 1) for k in range(len(vocab))))

    def sentence() -> list[str]:
        words = rng.choices(vocab, cum_weights=cum, k=rng.randint(4, 30))
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 99999)))
        return words

    def rewrite(words: list[str]) -> list[str]:
        out = [rng.choices(vocab, cum_weights=cum)[0] if rng.random() < 0.25 else w for w in words]
        if len(out) > 3 and rng.random() < 0.5:
            k = rng.randrange(len(out) - 1)
            out[k], out[k + 1] = out[k + 1], out[k]
        return out

    def text(words: list[str]) -> str:
        return " ".join(words).capitalize() + "."

    seed: list[str] = []
    ref: list[str] = []
    gold: list[Bead] = []
    while len(seed) < n:
        a, b = sentence(), sentence()
        roll = rng.random()
        if roll < 0.03:
            seed.append(text(a) + " " + text(b))
            ref.extend([text(rewrite(a)), text(rewrite(b))])
            gold.append(((len(seed) - 1,), (len(ref) - 2, len(ref) - 1)))
        elif roll < 0.06:
            seed.extend([text(a), text(b)])
            ref.append(text(rewrite(a)) + " " + text(rewrite(b)))
            gold.append(((len(seed) - 2, len(seed) - 1), (len(ref) - 1,)))
        elif roll < 0.09:
            seed.append(text(a))
            gold.append(((len(seed) - 1,), ()))
        elif roll < 0.12:
            ref.append(text(a))
            gold.append(((), (len(ref) - 1,)))
        else:
            seed.append(text(a))
            ref.append(text(rewrite(a)))
            gold.append(((len(seed) - 1,), (len(ref) - 1,)))
    return seed, ref, gold


def real_pair(n: int, data: Path, rng: random.Random) -> Pair:
    seed, ref = make(n, load_pairs(data), rng)
    return perturb(seed, ref, rng, merge=0.03, drop=0.02)


def build(kind: str, n: int, data: Path) -> Pair:
    if kind == "synthetic":
        return synthetic_pair(n, random.Random(n))
    if kind == "real":
        return real_pair(n, data, random.Random(n))
    return repeats_pair(data, "Online-W", n, 13)


def strict_f1(pred: list[Bead], gold: list[Bead]) -> float:
    ok = len(set(pred) & set(gold))
    p, r = ok / len(pred), ok / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; its wall time in seconds, its peak RSS in MB and its CPU seconds (user and
    system, its workers' included: wait4's rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # RSS: KB on Linux


def beads_of(out: Path) -> list[Bead]:
    """The beads of the report's first reference as 0-based line indices (no empty lines)."""
    report = json.loads(out.read_text(encoding="utf-8"))
    return [
        (tuple(int(s[1:]) - 1 for s in b["seed"]), tuple(int(r[1:]) - 1 for r in b["ref"]))
        for b in report["references"][0]["alignment"]
    ]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--kinds", nargs="+", default=["synthetic", "real", "repeats"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--flag-sizes", type=int, nargs="*", default=[50000])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if {"real", "repeats"} & set(args.kinds) and not args.data.exists():
        sys.exit(f"benchmark data not found: {args.data} (give --data)")
    print(f"before: {load()}; best of {args.runs} runs without flags, one run with flags")
    print(
        f"{'kind':<9} {'lines':>11} {'no flags s':>10} {'CPU s':>6} {'peak RSS MB':>11} "
        f"{'strict F1':>9} {'flags s':>8} {'CPU s':>6} {'peak RSS MB':>11}"
    )
    for kind in args.kinds:
        for n in args.sizes:
            seed, ref, gold = build(kind, n, args.data)
            with tempfile.TemporaryDirectory() as tmp:
                s, r, out = Path(tmp, "seed.txt"), Path(tmp, "ref.txt"), Path(tmp, "out.json")
                s.write_text("\n".join(seed) + "\n", encoding="utf-8")
                r.write_text("\n".join(ref) + "\n", encoding="utf-8")
                cmd = [sys.executable, "-m", "toolkit", "report", str(s), str(r)]
                cmd += ["--segmented", "--no-scores", "--format", "json", "--out", str(out)]
                best = min(run([*cmd, "--no-flags"]) for _ in range(args.runs))
                f1 = strict_f1(beads_of(out), gold)
                flags = "", "", ""
                if n in args.flag_sizes:
                    t, rss, cpu = run(cmd)
                    flags = f"{t:.2f}", f"{cpu:.2f}", f"{rss:.0f}"
            lines = f"{len(seed)}/{len(ref)}"
            print(
                f"{kind:<9} {lines:>11} {best[0]:>10.2f} {best[2]:>6.2f} {best[1]:>11.0f} "
                f"{f1:>9.4f} {flags[0]:>8} {flags[1]:>6} {flags[2]:>11}",
                flush=True,
            )
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
