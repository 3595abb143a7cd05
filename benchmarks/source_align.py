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
talks ("tuning"); the odd-numbered talks are held out and printed apart.  ``--part tuning``
aligns and prints the tuning talks only (for choosing constants without seeing the held-out
figures); ``--cut N`` cuts every document into pieces of N segments before the merges and drops
(the held-out talks are short: 31 and 70 segments, the tuning talks 129 to 159).

    python benchmarks/source_align.py [--seed 13] [--part tuning] [--cut 35]
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


def run(
    name: str,
    path: Path,
    rng: random.Random,
    merge: float,
    drop: float,
    *,
    tuning_only: bool = False,
    cut: int | None = None,
) -> list[str]:
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
        held_out = talks.index(doc) % 2 == 1
        part = "held out (odd talks)" if held_out else "tuning (even talks)"
        keys = sorted(k for k in segs if (doc, k) in source)
        step = cut or len(keys) or 1
        for k0 in range(0, len(keys), step):
            piece = keys[k0 : k0 + step]
            # perturbed whatever the part, so that the random draws stay the same
            seed, src, gold = perturb(
                [segs[k] for k in piece],
                [source[(doc, k)] for k in piece],
                rng,
                merge=merge,
                drop=drop,
            )
            if held_out and tuning_only:
                continue
            problems += 1
            _score(seed, src, gold, languages, f"{part}|", totals, seconds, baselines=not cut)
    what = f"{problems} documents" + (f" of up to {cut} segments" if cut else " (system/talk)")
    lines = [f"== {name}: {what}, merge {merge}, drop {drop} per side =="]
    lines.append(f"{'aligner':<40} {'precision':>9} {'recall':>7} {'F1':>6}")
    for key, (ok, npred, ngold, _, _) in sorted(totals.items()):
        p, r = ok / max(npred, 1), ok / max(ngold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        part, label = key.split("|")
        lines.append(f"{label + ', ' + part:<40} {p:>9.4f} {r:>7.4f} {f1:>6.4f}")
    lines.append(", ".join(f"{label} {t:.1f} s" for label, t in seconds.items()))
    return lines


def _score(
    seed: list[str],
    src: list[str],
    gold: list[Bead],
    languages: tuple[str, str],
    prefix: str,
    totals: dict[str, list[int]],
    seconds: dict[str, float],
    *,
    baselines: bool,
) -> None:
    """Align one document with each aligner and add up its strict counts."""
    runs = {
        "transdiff source": lambda: align_source(
            seed, src, seed_language=languages[1], source_language=languages[0]
        )
    }
    if baselines:
        runs["positional 1-1"] = lambda: positional(len(seed), len(src))
        runs["NLTK Gale-Church"] = lambda: gale_church(seed, src)
    for label, fn in runs.items():
        t0 = time.perf_counter()
        pred: list[Bead] = fn()
        seconds[label] += time.perf_counter() - t0
        for k, v in enumerate(strict(pred, gold)):
            totals[prefix + label][k] += v


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
    parser.add_argument(
        "--part", choices=("all", "tuning"), default="all", help="tuning: even talks only"
    )
    parser.add_argument(
        "--cut", type=int, default=None, help="cut documents into N segments (no baselines)"
    )
    args = parser.parse_args()
    if args.cut is not None and args.cut < 2:
        parser.error("--cut must be 2 or more")
    rng = random.Random(args.seed)
    for name in ("zhen", "ende"):
        path = PAIRS[name][0]
        lines = run(
            name, path, rng, args.merge, args.drop, tuning_only=args.part == "tuning", cut=args.cut
        )
        print("\n".join(lines), flush=True)
    print(speed("ende", args.units, rng))


if __name__ == "__main__":
    main()
