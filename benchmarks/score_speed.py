"""Sentence-level scoring speed: transdiff's ``sentence_scores`` beside sacrebleu called directly.

Both sides score the same (hypothesis, reference) pairs with the same metric objects' settings
(BLEU with effective order, chrF, chrF++, TER), built once, so the ratio is transdiff's own
overhead.  Pairs come from the MQM TED zh-en data (every system against refB, same segment)
when ../shared is present, else from the bundled seed and references; they repeat to reach N.

Usage: .venv/bin/python benchmarks/score_speed.py [--pairs 100000] [--metrics bleu,chrf,chrf++,ter]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import time
from collections import defaultdict
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER

from toolkit.pipeline import compare_files
from toolkit.score import ScoreSettings, bead_pairs, sentence_scores

ROOT = Path(__file__).resolve().parent.parent
MQM = ROOT.parent / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"


def _mqm_pairs() -> list[tuple[str, str]]:
    segs: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    with MQM.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = re.sub(r"</?v>", "", row["target"]).strip()
            segs[(row["doc"], row["seg_id"])][row["system"]] = text
    pairs = []
    for by_system in segs.values():
        ref = by_system.get("refB")
        if ref:
            pairs.extend((hyp, ref) for name, hyp in by_system.items() if name != "refB")
    return pairs


def _bundled_pairs() -> list[tuple[str, str]]:
    seed = next((ROOT / "seeds").glob("*.txt"))
    refs = sorted((ROOT / "references").glob("*.txt"))
    report = compare_files(seed, refs)
    texts = [s.text for s in report.seed_segments]
    pairs = []
    for ref in report.references:
        pairs.extend(bead_pairs(texts, [s.text for s in ref.segments], ref.alignment))
    return pairs


def _direct(pairs: list[tuple[str, str]], metrics: tuple[str, ...]) -> list[list[float]]:
    """sacrebleu's sentence functions called directly, metric objects built once."""
    objects = {
        "bleu": BLEU(effective_order=True),
        "chrf": CHRF(),
        "chrf++": CHRF(word_order=2),
        "ter": TER(),
    }
    fns = [objects[m].sentence_score for m in metrics]
    return [[fn(h, [r]).score for fn in fns] for h, r in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--metrics", default="bleu,chrf,chrf++,ter")
    args = parser.parse_args()
    metrics = tuple(args.metrics.split(","))
    settings = ScoreSettings(metrics=metrics)  # type: ignore[arg-type]
    source = "MQM TED zh-en (systems vs refB)" if MQM.is_file() else "bundled seed/references"
    base = _mqm_pairs() if MQM.is_file() else _bundled_pairs()
    pairs = list(itertools.islice(itertools.cycle(base), args.pairs))
    print(f"{len(pairs)} pairs from {source} ({len(base)} distinct); metrics {','.join(metrics)}")
    sentence_scores(pairs[:100], settings=settings)  # warm up caches and metric objects

    t0 = time.perf_counter()
    direct = _direct(pairs, metrics)
    t_direct = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = sentence_scores(pairs, settings=settings)
    t_ours = time.perf_counter() - t0

    same = all([row[m] for m in metrics] == ref for row, ref in zip(ours, direct, strict=True))
    print(f"{'sacrebleu direct':<22} {t_direct:8.2f} s  {len(pairs) / t_direct:9.0f} pairs/s")
    print(f"{'transdiff':<22} {t_ours:8.2f} s  {len(pairs) / t_ours:9.0f} pairs/s")
    print(f"ratio transdiff/direct: {t_ours / t_direct:.3f} (target <= 1.2); same scores: {same}")


if __name__ == "__main__":
    main()
