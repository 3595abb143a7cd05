"""Alignment speed at scale: 1k, 10k and 50k sentences per side.

Builds a synthetic line-aligned pair with a fixed random seed (Zipf-distributed vocabulary, so
sentences are distinct like real text): the reference rewrites a quarter of each sentence's
words, and 3% of lines are merged with the next or dropped on either side, so the gold
alignment is known.  For each size it prints the time of ``align()`` alone, the wall time of the
whole ``transdiff report --segmented --no-scores --format json --out FILE`` process
(sacrebleu scoring is left out: by itself it costs about 2.5 ms per sentence pair), and the
strict F1 against the gold.

    python benchmarks/align_scale.py [--sizes 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from toolkit.align import align

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def make_pair(n: int, rng: random.Random) -> tuple[list[str], list[str], list[Bead]]:
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


def f1(pred: list[Bead], gold: list[Bead]) -> float:
    ok = len(set(pred) & set(gold))
    p, r = ok / len(pred), ok / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    print(f"{'sentences':>9} {'align() s':>9} {'report process s':>16} {'strict F1':>9}")
    for n in args.sizes:
        seed, ref, gold = make_pair(n, random.Random(n))
        t0 = time.perf_counter()
        beads = align(seed, ref).beads
        t_align = time.perf_counter() - t0
        score = f1([(b.seed, b.ref) for b in beads], gold)
        with tempfile.TemporaryDirectory() as tmp:
            s, r, out = Path(tmp, "seed.txt"), Path(tmp, "ref.txt"), Path(tmp, "out.json")
            s.write_text("\n".join(seed), encoding="utf-8")
            r.write_text("\n".join(ref), encoding="utf-8")
            cmd = [
                sys.executable,
                "-m",
                "toolkit",
                "report",
                str(s),
                str(r),
                "--segmented",
                "--no-scores",
                "--no-flags",
                "--format",
                "json",
                "--out",
                str(out),
            ]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            t_proc = time.perf_counter() - t0
            assert len(json.loads(out.read_text())["sentences"]) == len(seed)
        print(f"{len(seed):>9} {t_align:>9.2f} {t_proc:>16.2f} {score:>9.4f}")


if __name__ == "__main__":
    main()
