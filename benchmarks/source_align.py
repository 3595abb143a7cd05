"""Source-to-seed alignment on real translations: MQM TED zh-en and en-de.

For every talk and every MT system, the system's segments are the seed and the talk's source
segments (Chinese, or English for en-de) the other side.  With a fixed random seed some
segments are merged with their neighbour or dropped, on either side (as in
``align_mqm.py``), so the gold beads are known.  Printed: strict bead precision / recall / F1
for transdiff's source aligner (``toolkit/source/align.py``), a positional 1-1 baseline and
NLTK's Gale-Church on character lengths, in the same run; then the time for one document of
10,000 units or more (talks and systems concatenated).  The aligner's constants (the length
variance, the bonuses for shared numbers and names, punctuation and the learned lexicon, the
lexicon's Dice threshold, the number of passes, Han bigrams) were chosen on the even-numbered
talks ("tuning"); the odd-numbered talks are held out and printed apart.

    python benchmarks/source_align.py [--seed 13]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from pathlib import Path

from align_mqm import Bead, gale_church, load, perturb, positional, strict
from source_mqm import PAIRS, sources

from toolkit.source.align import align_source


def run(name: str, path: Path, rng: random.Random, merge: float, drop: float) -> list[str]:
    data = load(path)
    source = sources(path)
    languages = PAIRS[name][1:3]  # source, target (the seed's)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    seconds: dict[str, float] = defaultdict(float)
    problems = 0
    talks = sorted({doc for _, doc in data})
    for (system, doc), segs in sorted(data.items()):
        if system in {"ref", "refB"}:
            continue
        part = "tuning (even talks)" if talks.index(doc) % 2 == 0 else "held out (odd talks)"
        keys = sorted(k for k in segs if (doc, k) in source)
        seed, src, gold = perturb(
            [segs[k] for k in keys], [source[(doc, k)] for k in keys], rng, merge=merge, drop=drop
        )
        problems += 1
        runs = {
            "positional 1-1": lambda s=seed, r=src: positional(len(s), len(r)),
            "NLTK Gale-Church": lambda s=seed, r=src: gale_church(s, r),
            "transdiff source": lambda s=seed, r=src: align_source(
                s, r, seed_language=languages[1], source_language=languages[0]
            ),
        }
        for label, fn in runs.items():
            t0 = time.perf_counter()
            pred: list[Bead] = fn()
            seconds[label] += time.perf_counter() - t0
            for k, v in enumerate(strict(pred, gold)):
                totals[f"{part}|{label}"][k] += v
    lines = [f"== {name}: {problems} system/talk documents, merge {merge}, drop {drop} per side =="]
    lines.append(f"{'aligner':<40} {'precision':>9} {'recall':>7} {'F1':>6}")
    for key, (ok, npred, ngold, _, _) in sorted(totals.items()):
        p, r = ok / max(npred, 1), ok / max(ngold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        part, label = key.split("|")
        lines.append(f"{label + ', ' + part:<40} {p:>9.4f} {r:>7.4f} {f1:>6.4f}")
    lines.append(", ".join(f"{label} {t:.1f} s" for label, t in seconds.items()))
    return lines


def speed(name: str, units: int, rng: random.Random) -> str:
    """Time for one document of at least ``units`` units (every system's talks in turn, and
    again from the start if need be: one language pair, so one length ratio)."""
    path, source_language, seed_language = PAIRS[name][:3]
    seed: list[str] = []
    src: list[str] = []
    data = load(path)
    source = sources(path)
    while len(seed) < units:
        for (system, doc), segs in sorted(data.items()):
            if system in {"ref", "refB"} or len(seed) >= units:
                continue
            for k in sorted(segs):
                if (doc, k) in source:
                    seed.append(segs[k])
                    src.append(source[(doc, k)])
    seed, src, gold = perturb(seed, src, rng, merge=0.02, drop=0.01)
    t0 = time.perf_counter()
    pred = align_source(seed, src, seed_language=seed_language, source_language=source_language)
    elapsed = time.perf_counter() - t0
    ok, npred, ngold, _, _ = strict(pred, gold)
    p, r = ok / npred, ok / ngold
    return (
        f"one document of {len(seed):,} seed / {len(src):,} source units: {elapsed:.1f} s, "
        f"strict F1 {2 * p * r / (p + r):.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--merge", type=float, default=0.06)
    parser.add_argument("--drop", type=float, default=0.04)
    parser.add_argument("--units", type=int, default=10_500)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for name in ("zhen", "ende"):
        path = PAIRS[name][0]
        print("\n".join(run(name, path, rng, args.merge, args.drop)))
    print(speed("ende", args.units, rng))


if __name__ == "__main__":
    main()
