"""Alignment accuracy on real translations: the MQM TED zh-en data (see ../shared/README.md).

For every talk and every MT system, the system's segments are the seed and the human
reference (``refB`` by default) the reference.  With a fixed random seed, some segments are
merged with their neighbour or dropped, on either side, so the gold beads are known.  The
script prints strict bead precision / recall / F1 (a bead counts only when both of its sides
are exactly right; unmatched 1-0 / 0-1 beads included) and the recall of unmatched sentences
for transdiff, a positional 1-1 baseline and NLTK's Gale-Church, all in the same run.

    python benchmarks/align_mqm.py [--data PATH] [--reference refB] [--seed 13]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from toolkit.align import align

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
HUMAN = {"ref", "refB"}

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def load(path: Path) -> dict[tuple[str, str], dict[int, str]]:
    """(system, doc) -> {seg_id: text}, with the <v> error markers removed."""
    segs: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = re.sub(r"</?v>", "", row["target"]).strip()
            segs[(row["system"], row["doc"])].setdefault(int(row["seg_id"]), text)
    return dict(segs)


def perturb(
    seed: list[str], ref: list[str], rng: random.Random, *, merge: float, drop: float
) -> tuple[list[str], list[str], list[Bead]]:
    """Merge and drop segments on either side; return the new sides and the gold beads."""
    beads: list[Bead] = []
    new_seed: list[str] = []
    new_ref: list[str] = []
    k = 0
    n = min(len(seed), len(ref))
    while k < n:
        roll = rng.random()
        if roll < merge and k + 1 < n:  # two seed segments become one (seed side merged): 1-2
            new_seed.append(seed[k] + " " + seed[k + 1])
            new_ref.extend([ref[k], ref[k + 1]])
            beads.append(((len(new_seed) - 1,), (len(new_ref) - 2, len(new_ref) - 1)))
            k += 2
        elif roll < 2 * merge and k + 1 < n:  # reference side merged: 2-1
            new_seed.extend([seed[k], seed[k + 1]])
            new_ref.append(ref[k] + " " + ref[k + 1])
            beads.append(((len(new_seed) - 2, len(new_seed) - 1), (len(new_ref) - 1,)))
            k += 2
        elif roll < 2 * merge + drop:  # dropped from the reference: 1-0
            new_seed.append(seed[k])
            beads.append(((len(new_seed) - 1,), ()))
            k += 1
        elif roll < 2 * merge + 2 * drop:  # dropped from the seed: 0-1
            new_ref.append(ref[k])
            beads.append(((), (len(new_ref) - 1,)))
            k += 1
        else:
            new_seed.append(seed[k])
            new_ref.append(ref[k])
            beads.append(((len(new_seed) - 1,), (len(new_ref) - 1,)))
            k += 1
    return new_seed, new_ref, beads


def positional(n: int, m: int) -> list[Bead]:
    beads: list[Bead] = [((i,), (i,)) for i in range(min(n, m))]
    beads += [((i,), ()) for i in range(m, n)] + [((), (j,)) for j in range(n, m)]
    return beads


def gale_church(seed: list[str], ref: list[str]) -> list[Bead]:
    from nltk.translate.gale_church import align_blocks

    links = align_blocks([len(s) for s in seed], [len(r) for r in ref])
    return beads_from_links(links, len(seed), len(ref))


def beads_from_links(links: list[tuple[int, int]], n: int, m: int) -> list[Bead]:
    """Group sentence links into beads (connected components); unlinked sentences are 1-0/0-1."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for i, j in links:
        parent[find(("s", i))] = find(("r", j))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in range(n):
        groups[find(("s", i))][0].append(i)
    for j in range(m):
        groups[find(("r", j))][1].append(j)
    return [(tuple(s), tuple(r)) for s, r in groups.values()]


def strict(pred: list[Bead], gold: list[Bead]) -> tuple[int, int, int, int, int]:
    """Correct beads, predicted, gold, correctly found unmatched, gold unmatched."""
    p, g = set(pred), set(gold)
    gold_empty = {b for b in g if not b[0] or not b[1]}
    return len(p & g), len(p), len(g), len(p & gold_empty), len(gold_empty)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--reference", default="refB", choices=sorted(HUMAN))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--merge", type=float, default=0.06, help="rate of merges per side")
    parser.add_argument("--drop", type=float, default=0.04, help="rate of drops per side")
    parser.add_argument("--no-gale-church", action="store_true")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"benchmark data not found: {args.data}")
    data = load(args.data)
    rng = random.Random(args.seed)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    seconds: dict[str, float] = defaultdict(float)
    kinds: dict[str, int] = defaultdict(int)
    problems = 0
    for (system, doc), seed_segs in sorted(data.items()):
        if system in HUMAN or (args.reference, doc) not in data:
            continue
        ref_segs = data[(args.reference, doc)]
        common = sorted(seed_segs.keys() & ref_segs.keys())  # gold 1-1 before perturbation
        seed_full = [seed_segs[k] for k in common]
        ref_full = [ref_segs[k] for k in common]
        seed, ref, gold = perturb(seed_full, ref_full, rng, merge=args.merge, drop=args.drop)
        problems += 1
        for b in gold:
            kinds[f"{len(b[0])}-{len(b[1])}"] += 1
        runs = {"positional 1-1": lambda s=seed, r=ref: positional(len(s), len(r))}
        if not args.no_gale_church:
            runs["NLTK Gale-Church"] = lambda s=seed, r=ref: gale_church(s, r)
        runs["transdiff"] = lambda s=seed, r=ref: [(b.seed, b.ref) for b in align(s, r).beads]
        for name, run in runs.items():
            t0 = time.perf_counter()
            pred = run()
            seconds[name] += time.perf_counter() - t0
            for k, v in enumerate(strict(pred, gold)):
                totals[name][k] += v
    print(
        f"MQM TED zh-en: {problems} system/talk pairs, reference {args.reference}, "
        f"random seed {args.seed}, merge {args.merge}/side, drop {args.drop}/side"
    )
    print("gold beads: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(
        f"{'aligner':<18} {'precision':>9} {'recall':>7} {'F1':>6} "
        f"{'unmatched recall':>16} {'seconds':>8}"
    )
    for name, (ok, npred, ngold, ok_empty, nempty) in totals.items():
        p = ok / npred if npred else 0.0
        r = ok / ngold if ngold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        ur = ok_empty / nempty if nempty else 0.0
        print(f"{name:<18} {p:>9.4f} {r:>7.4f} {f1:>6.4f} {ur:>16.4f} {seconds[name]:>8.2f}")


if __name__ == "__main__":
    main()
