"""How well transdiff's flags and suspicion find real errors in German (MQM TED en-de).

Data: ../shared/data/mqm-ted-ende (same format as the zh-en file): 13 MT systems x 5 TED talks
with expert MQM annotations, and one human translation, ``ref``, the reference.  Every MT
system's talk is one seed document, line-aligned with ``ref`` (1-1 beads: detection, not
alignment), run with ``language="de"``.  Printed, for the held-out talks and for all talks:

* per category of flag (all flags, then the flags the verifier shows): flags, the share that
  overlap an annotated error span (flag precision), and the same for Major/critical flags;
* Kendall tau-b of each score against the MQM segment score (pooled and item-grouped, see
  ``flags_mqm.item_grouped_tau``) and precision@k for the segments with a Major error, for
  transdiff's suspicion beside sentence chrF, sentence BLEU and length, computed in the same run.

The split is fixed before anything is tuned: talks sorted by name, even positions tune (the
divergence weight and the reliabilities are fitted there), odd positions are held out.

    python benchmarks/flags_mqm_de.py [--data PATH] [--weights 0,1,2,3,5,8]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from flags_mqm import (
    Run,
    Segment,
    choose_weight,
    documents,
    fit_reliability,
    flag_spans,
    load,
    table,
)
from sacrebleu.metrics import BLEU, CHRF

from toolkit.checks import registered
from toolkit.detect import Flag, SuspicionModel, detect, divergences, suspicion
from toolkit.result import RunSettings
from toolkit.verify import suspicion_for, verify_document

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/mqm-ted-ende/mqm_ted_ende.tsv"
REFERENCE = "ref"


def split(segments: list[Segment]) -> tuple[list[int], list[int]]:
    """Indices of the tuning talks (even positions of the sorted talk names) and of the
    held-out talks (odd positions)."""
    docs = sorted({s.doc for s in segments})
    tune = [i for i, s in enumerate(segments) if docs.index(s.doc) % 2 == 0]
    held = [i for i, s in enumerate(segments) if docs.index(s.doc) % 2 == 1]
    return tune, held


def run_detection(segments: list[Segment], ref: dict[tuple[str, int], str], lang: str) -> Run:
    """flags_mqm.run_detection with the seed language given."""
    n = len(segments)
    flags: list[tuple[Flag, ...]] = [()] * n
    shown: list[tuple[Flag, ...]] = [()] * n
    spread: list[float | None] = [None] * n
    shipped: list[float] = [0.0] * n
    checks = [c for c in registered() if c.supports(lang)]
    skipped = sorted(c.name for c in registered() if not c.supports(lang))
    print(f"checks run for {lang}: {', '.join(c.name for c in checks)}; skipped: {skipped}")
    for idx, seed, references in documents(segments, {REFERENCE: ref}):
        found = detect(seed, references, checks=checks, language=lang)
        verified = verify_document(
            seed, references, found, language=lang, threshold=RunSettings().show_threshold(lang)
        )
        for k, f, d, (kept, _, row) in zip(
            idx, found, divergences(seed, references), verified, strict=True
        ):
            flags[k], spread[k], shown[k] = f, d, kept
            shipped[k] = suspicion_for(row, kept, d, language=lang)
    return Run(flags, spread, shipped, shown)


def category_precision(
    segments: list[Segment], flags: list[tuple[Flag, ...]], subset: list[int]
) -> list[str]:
    """Per flag category: flags, share overlapping an MQM error span; the same for the
    Major/critical flags."""
    count: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for i in subset:
        spans = segments[i].spans
        for f in flags[i]:
            row = count[f.category.value]
            hit = bool(spans.intersection(range(f.start, f.end)))
            row[0] += 1
            row[1] += hit
            if f.severity.value in ("major", "critical"):
                row[2] += 1
                row[3] += hit
    lines = [f"  {'category':<24} {'flags':>6} {'prec':>6} {'major':>6} {'prec':>6}"]
    total = [0, 0, 0, 0]
    for cat in sorted(count, key=lambda c: -count[c][0]):
        n, hit, nmaj, hmaj = count[cat]
        total = [a + b for a, b in zip(total, count[cat], strict=True)]
        lines.append(f"  {cat:<24} {n:>6} {_share(hit, n)} {nmaj:>6} {_share(hmaj, nmaj)}")
    n, hit, nmaj, hmaj = total
    lines.append(f"  {'all':<24} {n:>6} {_share(hit, n)} {nmaj:>6} {_share(hmaj, nmaj)}")
    return lines


def _share(hit: int, n: int) -> str:
    return f"{hit / n:>6.3f}" if n else f"{'-':>6}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weights", default="0,1,2,3,5,8,12,20")
    parser.add_argument("--lang", default="de", help="the seed language given to the checks")
    args = parser.parse_args()
    t0 = time.perf_counter()
    segments, humans = load(args.data)
    ref = humans[REFERENCE]
    segments = [s for s in segments if (s.doc, s.seg_id) in ref]
    segments.sort(key=lambda s: (s.system, s.doc, s.seg_id))
    print(f"loaded {len(segments)} MT segments from {len({s.system for s in segments})} systems")
    t = time.perf_counter()
    run = run_detection(segments, ref, args.lang)
    print(
        f"detection with {REFERENCE}: {(time.perf_counter() - t) / len(segments) * 1e6:.0f} us/seg"
    )

    chrf, bleu = CHRF(), BLEU(effective_order=True)
    pairs = [(s.text, [ref[(s.doc, s.seg_id)]]) for s in segments]
    chrf_scores = [-chrf.sentence_score(h, r).score for h, r in pairs]
    bleu_scores = [-bleu.sentence_score(h, r).score for h, r in pairs]
    tune, held = split(segments)
    reliability = fit_reliability(segments, run, tune)
    print("reliability per category, fitted on the even talks:")
    print("  " + repr({k: reliability[k] for k in sorted(reliability)}))

    def scores(model: SuspicionModel) -> list[float]:
        return [
            suspicion(f, d, model=model) for f, d in zip(run.flags, run.divergence, strict=True)
        ]

    weights = [float(x) for x in args.weights.split(",")]
    chosen = choose_weight(scores, segments, tune, weights, reliability)
    fitted = SuspicionModel(divergence_weight=chosen, reliability=reliability)
    print(f"chosen divergence weight: {chosen:g}")
    spans = [flag_spans(s, f) for s, f in zip(segments, run.flags, strict=True)]
    shown = [flag_spans(s, f) for s, f in zip(segments, run.shown, strict=True)]
    shipped = SuspicionModel()
    rows: list[tuple[str, list[float], list[set[int]] | None]] = [
        ("transdiff shipped (verifier)", run.shipped, shown),
        (f"shipped formula (w={shipped.divergence_weight:g})", scores(shipped), spans),
        (f"transdiff fitted (w={chosen:g})", scores(fitted), spans),
        ("transdiff flags only", scores(SuspicionModel(divergence_weight=0.0)), spans),
        ("sentence chrF", chrf_scores, None),
        ("sentence BLEU", bleu_scores, None),
        ("length (chars)", [float(len(s.text)) for s in segments], None),
    ]
    for label, subset in (("held-out odd talks", held), ("all talks", tune + held)):
        print(f"\n-- {label} --")
        print("\n".join(table(rows, segments, sorted(subset))))
        print("flag precision against MQM spans, all flags:")
        print("\n".join(category_precision(segments, run.flags, subset)))
        print("flag precision against MQM spans, shown flags (verifier):")
        print("\n".join(category_precision(segments, run.shown, subset)))
    mean_chars = float(np.mean([len(s.text) for s in segments]))
    print(f"\nmean segment length {mean_chars:.0f} chars; total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
