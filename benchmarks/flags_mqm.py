"""How well transdiff's suspicion and flags find real translation errors (MQM TED zh-en).

Data: ../shared/data/mqm-ted-zhen (see ../shared/README.md): 13 MT systems x 529 segments with
expert MQM annotations, and two human translations, ``refB`` (rated best) and ``ref`` (rated
worst).  Every MT system's segments are the seed, line-aligned with the references (1-1 beads:
this measures detection, not alignment).  For each segment the script computes, in one run:

* transdiff's suspicion (flags + divergence) with ``refB`` alone and with both references;
* sacrebleu sentence chrF and sentence BLEU against the same references (the baselines).

and prints, pooled over the 13 systems:

* Kendall tau-b between the score and the MQM segment score (higher MQM = worse; chrF and
  BLEU are negated so that higher = worse for every column);
* precision@k, k = number of segments with at least one Major error (ties at the cut-off
  count fractionally, as their expected value under random tie-breaking);
* character F1 of flag spans against the annotated ``<v>`` spans (union over raters, all
  error categories but "Source error").  chrF and BLEU give no spans: their row marks the
  whole segment for their top-k segments.  The "divergence only; word diff" row ranks by
  transdiff's divergence alone (no flags) and marks every seed word that the token diff
  against ``refB`` does not match: the simplest span baseline.

The suspicion model's one free setting (the weight of divergence against flags) is chosen on
the even-numbered talks and the table is printed for the odd-numbered talks (held out) and
for all talks.

    python benchmarks/flags_mqm.py [--data PATH] [--weights 0,1,2,3,5,8]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sacrebleu.metrics import BLEU, CHRF

from toolkit.align import Alignment, Bead
from toolkit.checks.diff import token_diff
from toolkit.detect import Flag, SuspicionModel, detect, divergences, suspicion
from toolkit.result import RunSettings
from toolkit.verify import suspicion_for, verify_document

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
HUMAN = ("refB", "ref")
SHOW = RunSettings().show_threshold("en")  # the flags a default run shows
_MARK = re.compile(r"</?v>")


@dataclass
class Segment:
    """One MT segment with its annotations."""

    system: str
    doc: str
    seg_id: int
    text: str
    rater_scores: dict[str, float] = field(default_factory=dict)
    major: bool = False
    spans: set[int] = field(default_factory=set)  # annotated character offsets

    @property
    def mqm(self) -> float:
        return sum(self.rater_scores.values()) / len(self.rater_scores)


def _weight(category: str, severity: str) -> float:
    if category in ("No-error", "Source error") or severity.lower() == "no-error":
        return 0.0
    if category == "Non-translation!" or "Untranslated" in category:
        return 25.0
    if severity == "Major":
        return 5.0
    return 0.1 if category == "Fluency/Punctuation" else 1.0


def load(path: Path) -> tuple[list[Segment], dict[str, dict[tuple[str, int], str]]]:
    """MT segments with MQM scores and spans, and the human texts by (doc, seg_id)."""
    segments: dict[tuple[str, str, int], Segment] = {}
    humans: dict[str, dict[tuple[str, int], str]] = defaultdict(dict)
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            target = row["target"]
            text = _MARK.sub("", target)
            key = (row["doc"], int(row["seg_id"]))
            if row["system"] in HUMAN:
                humans[row["system"]].setdefault(key, text.strip())
                continue
            seg = segments.setdefault(
                (row["system"], *key), Segment(row["system"], key[0], key[1], text)
            )
            weight = _weight(row["category"], row["severity"])
            rater = row["rater"]
            seg.rater_scores[rater] = seg.rater_scores.get(rater, 0.0) + weight
            if weight and row["severity"] == "Major":
                seg.major = True
            if weight and text == seg.text:
                _add_spans(target, seg.spans)
    return list(segments.values()), dict(humans)


def _add_spans(marked: str, spans: set[int]) -> None:
    offset = 0
    start = None
    for m in _MARK.finditer(marked):
        pos = m.start() - offset
        if m.group() == "<v>":
            start = pos
        elif start is not None:
            spans.update(range(start, pos))
            start = None
        offset += len(m.group())


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b (ties in either variable corrected), exact, O(n^2) in numpy chunks."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    concordance = 0.0
    untied_x = untied_y = 0.0
    step = 512
    for lo in range(0, len(xs), step):
        dx = np.sign(xs[lo : lo + step, None] - xs[None, :])
        dy = np.sign(ys[lo : lo + step, None] - ys[None, :])
        concordance += float((dx * dy).sum())
        untied_x += float(np.count_nonzero(dx))
        untied_y += float(np.count_nonzero(dy))
    # Every pair was counted twice (i, j) and (j, i): the ratio is unaffected.
    return concordance / np.sqrt(untied_x * untied_y) if untied_x and untied_y else 0.0


def precision_at_k(scores: Sequence[float], relevant: Sequence[bool], k: int) -> float:
    """Precision of the k highest scores; ties at the cut-off count by their expected value."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    cut = scores[order[k - 1]]
    above = [i for i in order if scores[i] > cut]
    tied = [i for i in order if scores[i] == cut]
    hits = sum(relevant[i] for i in above)
    room = k - len(above)
    hits += room * (sum(relevant[i] for i in tied) / len(tied))
    return hits / k


def char_f1(predicted: Sequence[set[int]], gold: Sequence[set[int]]) -> tuple[float, float, float]:
    """Pooled character precision, recall and F1."""
    tp = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
    npred = sum(len(p) for p in predicted)
    ngold = sum(len(g) for g in gold)
    prec = tp / npred if npred else 0.0
    rec = tp / ngold if ngold else 0.0
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


@dataclass
class Run:
    """Per-segment detection output for one reference setting."""

    flags: list[tuple[Flag, ...]]
    divergence: list[float | None]
    shipped: list[float] = field(default_factory=list)  # the shipped suspicion (toolkit.verify)
    shown: list[tuple[Flag, ...]] = field(default_factory=list)  # flags the verifier shows


References = list[tuple[str, list[str], Alignment]]


def documents(
    segments: list[Segment], refs: dict[str, dict[tuple[str, int], str]]
) -> Iterator[tuple[list[int], list[str], References]]:
    """Each (system, talk) as one document: the segment indices in order, the seed sentences,
    and the references line-aligned with them (1-1 beads: detection, not alignment)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, seg in enumerate(segments):
        groups[(seg.system, seg.doc)].append(k)
    for idx in groups.values():
        idx.sort(key=lambda k: segments[k].seg_id)
        seed = [segments[k].text for k in idx]
        one_to_one = Alignment(tuple(Bead((i,), (i,), 1.0) for i in range(len(seed))))
        references = [
            (name, [ref[(segments[k].doc, segments[k].seg_id)] for k in idx], one_to_one)
            for name, ref in refs.items()
        ]
        yield idx, seed, references


def run_detection(segments: list[Segment], refs: list[dict[tuple[str, int], str]]) -> Run:
    """Flags, divergence and the shipped suspicion for every segment, one detect() call per
    (system, talk)."""
    flags: list[tuple[Flag, ...]] = [()] * len(segments)
    shown: list[tuple[Flag, ...]] = [()] * len(segments)
    spread: list[float | None] = [None] * len(segments)
    shipped: list[float] = [0.0] * len(segments)
    named = {f"r{n}": ref for n, ref in enumerate(refs)}
    for idx, seed, references in documents(segments, named):
        found = detect(seed, references)
        verified = verify_document(seed, references, found, threshold=SHOW)
        for k, f, d, (kept, _, row) in zip(
            idx, found, divergences(seed, references), verified, strict=True
        ):
            flags[k], spread[k], shown[k] = f, d, kept
            shipped[k] = suspicion_for(row, kept, d)
    return Run(flags, spread, shipped, shown)


def item_grouped_tau(scores: Sequence[float], segments: list[Segment], subset: list[int]) -> float:
    """Mean over source segments of Kendall tau between the score and MQM across systems (the
    systems' translations of one source segment: length cancels out)."""
    items: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in subset:
        items[(segments[i].doc, segments[i].seg_id)].append(i)
    taus = []
    for idx in items.values():
        mqm = [segments[i].mqm for i in idx]
        if len(set(mqm)) < 2:
            continue
        taus.append(kendall_tau_b([scores[i] for i in idx], mqm))
    return float(np.mean(taus)) if taus else 0.0


def flag_spans(seg: Segment, flags: Sequence[Flag]) -> set[int]:
    out: set[int] = set()
    for f in flags:
        out.update(range(f.start, f.end))
    return out


def diff_spans(seg: Segment, ref: str) -> set[int]:
    out: set[int] = set()
    for block in token_diff(seg.text, ref).changes():
        for tok in block.seed:
            out.update(range(tok.start, tok.end))
    return out


def table(
    rows: list[tuple[str, list[float], list[set[int]] | None]],
    segments: list[Segment],
    subset: list[int],
) -> list[str]:
    mqm = [segments[i].mqm for i in subset]
    major = [segments[i].major for i in subset]
    k = sum(major)
    gold = [segments[i].spans for i in subset]
    lines = [
        f"{'score':<28} {'tau':>7} {'item':>7} {'P@k':>7} {'span P':>7} {'span R':>7}"
        f" {'span F1':>7}",
    ]
    for name, scores, spans in rows:
        sub = [scores[i] for i in subset]
        tau = kendall_tau_b(sub, mqm)
        item = item_grouped_tau(scores, segments, subset)
        pk = precision_at_k(sub, major, k)
        if spans is None:  # whole segment for the top-k
            top = set(sorted(range(len(subset)), key=lambda j: -sub[j])[:k])
            pred = [
                set(range(len(segments[i].text))) if j in top else set()
                for j, i in enumerate(subset)
            ]
        else:
            pred = [spans[i] for i in subset]
        p, r, f1 = char_f1(pred, gold)
        lines.append(
            f"{name:<28} {tau:>7.4f} {item:>7.4f} {pk:>7.4f} {p:>7.4f} {r:>7.4f} {f1:>7.4f}"
        )
    lines.append(f"({len(subset)} segments, k = {k} with a Major error)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weights", default="0,1,2,3,5,8,12,20")
    args = parser.parse_args()
    t0 = time.perf_counter()
    segments, humans = load(args.data)
    segments = [s for s in segments if all((s.doc, s.seg_id) in humans[h] for h in HUMAN)]
    segments.sort(key=lambda s: (s.system, s.doc, s.seg_id))
    print(f"loaded {len(segments)} MT segments from {len({s.system for s in segments})} systems")

    settings = {"refB": [humans["refB"]], "refB+ref": [humans["refB"], humans["ref"]]}
    runs: dict[str, Run] = {}
    for name, refs in settings.items():
        t = time.perf_counter()
        runs[name] = run_detection(segments, refs)
        per = (time.perf_counter() - t) / len(segments) * 1e6
        print(f"detection with {name}: {per:.0f} us per segment")

    chrf, bleu = CHRF(), BLEU(effective_order=True)
    baseline: dict[str, dict[str, list[float]]] = {}
    for name, refs in settings.items():
        pairs = [(s.text, [r[(s.doc, s.seg_id)] for r in refs]) for s in segments]
        baseline[name] = {
            "chrF": [-chrf.sentence_score(hyp, rr).score for hyp, rr in pairs],
            "BLEU": [-bleu.sentence_score(hyp, rr).score for hyp, rr in pairs],
        }

    docs = sorted({s.doc for s in segments})
    tune = [i for i, s in enumerate(segments) if docs.index(s.doc) % 2 == 0]
    held = [i for i, s in enumerate(segments) if docs.index(s.doc) % 2 == 1]

    major_spans = load_major_spans(args.data)
    reliability = fit_reliability(segments, runs["refB"], tune)
    print("\nreliability per category, fitted on the even talks against refB:")
    print("  " + repr({k: reliability[k] for k in sorted(reliability)}))
    shipped = SuspicionModel()

    def suspicion_scores(run: Run, model: SuspicionModel) -> list[float]:
        return [
            suspicion(f, d, model=model) for f, d in zip(run.flags, run.divergence, strict=True)
        ]

    weights = [float(w) for w in args.weights.split(",")]
    for name, run in runs.items():
        print(f"\n== references: {name} ==")
        print("tuning the divergence weight on the even talks (tau, P@k), fitted reliability:")
        chosen = choose_weight(
            lambda m, run=run: suspicion_scores(run, m), segments, tune, weights, reliability
        )
        print(f"chosen divergence weight: {chosen}")
        fitted = SuspicionModel(divergence_weight=chosen, reliability=reliability)
        spans = [flag_spans(s, f) for s, f in zip(segments, run.flags, strict=True)]
        ref0 = settings[name][0]
        rows: list[tuple[str, list[float], list[set[int]] | None]] = [
            (
                "transdiff shipped (verifier)",
                run.shipped,
                [flag_spans(s, f) for s, f in zip(segments, run.shown, strict=True)],
            ),
            (
                f"previous formula (w={shipped.divergence_weight:g})",
                suspicion_scores(run, shipped),
                spans,
            ),
            (f"transdiff fitted (w={chosen:g})", suspicion_scores(run, fitted), spans),
            (
                "transdiff flags only",
                suspicion_scores(run, SuspicionModel(divergence_weight=0.0)),
                spans,
            ),
            ("sentence chrF", baseline[name]["chrF"], None),
            ("length (chars)", [float(len(s.text)) for s in segments], None),
            ("sentence BLEU", baseline[name]["BLEU"], None),
            (
                "divergence only; word diff",
                suspicion_scores(Run([()] * len(segments), run.divergence), shipped),
                [diff_spans(s, ref0[(s.doc, s.seg_id)]) for s in segments],
            ),
        ]
        for label, subset in (("held-out odd talks", held), ("all talks", tune + held)):
            print(f"-- {label} --")
            print("\n".join(table(rows, segments, sorted(subset))))
        _per_category(segments, run, {"training talks": tune, "held-out talks": held}, major_spans)
    print(f"\ntotal {time.perf_counter() - t0:.1f} s")


def choose_weight(
    scores: Callable[[SuspicionModel], list[float]],
    segments: list[Segment],
    tune: list[int],
    weights: Sequence[float],
    reliability: dict[str, float],
) -> float:
    """The divergence weight with the best tau + P@k on the ``tune`` segments (printed)."""
    major = [s.major for s in segments]
    best: tuple[float, float] | None = None
    for w in weights:
        every = scores(SuspicionModel(divergence_weight=w, reliability=reliability))
        sub = [every[i] for i in tune]
        tau = kendall_tau_b(sub, [segments[i].mqm for i in tune])
        pk = precision_at_k(sub, [major[i] for i in tune], sum(major[i] for i in tune))
        print(f"  weight {w:>5.1f}: tau {tau:.4f}  P@k {pk:.4f}")
        if best is None or tau + pk > best[0]:
            best = (tau + pk, w)
    assert best is not None
    return best[1]


def fit_reliability(
    segments: list[Segment], run: Run, subset: list[int], *, prior: float = 0.5, k: float = 20
) -> dict[str, float]:
    """Per category and severity (``"accuracy/pronoun:major"``): lift of P(segment has an
    error | flagged) over the base rate, in [0, 1], shrunk towards ``prior`` by ``k``
    pseudo-flags."""
    base = sum(segments[i].mqm > 0 for i in subset) / len(subset)
    count: dict[str, int] = defaultdict(int)
    hit: dict[str, int] = defaultdict(int)
    for i in subset:
        for f in run.flags[i]:
            key = f"{f.category.value}:{f.severity.value}"
            count[key] += 1
            hit[key] += segments[i].mqm > 0
    out = {}
    for cat, n in count.items():
        lift = max(0.0, (hit[cat] / n - base) / (1 - base))
        out[cat] = round((n * lift + k * prior) / (n + k), 2)
    return out


def length_expected(segments: list[Segment], subset: list[int], bins: int = 10) -> dict[int, float]:
    """For each segment of ``subset``: the share of segments with an MQM error among the
    subset's segments of the same length decile (what its length alone predicts)."""
    order = sorted(subset, key=lambda i: len(segments[i].text))
    decile = {i: min(bins - 1, r * bins // len(order)) for r, i in enumerate(order)}
    rate = [
        float(np.mean([segments[i].mqm > 0 for i in order if decile[i] == d])) for d in range(bins)
    ]
    return {i: rate[decile[i]] for i in subset}


def _per_category(
    segments: list[Segment], run: Run, parts: dict[str, list[int]], major_spans: MajorSpans
) -> None:
    """Per category of the shown (verified) flags: segments flagged, the share of them with an
    MQM error, the share their lengths alone predict (base rate within length deciles) and
    the difference (lift); then the Major-severity flags' span precision and the character
    recall of the Major error spans."""
    for label, subset in parts.items():
        expected = length_expected(segments, subset)
        flagged: dict[str, set[int]] = defaultdict(set)
        for i in subset:
            for f in run.shown[i]:
                flagged[f.category.value].add(i)
        print(f"per category, shown flags, {label}: segments, share with an error, by length, lift")
        for cat in sorted(flagged, key=lambda c: -len(flagged[c])):
            idx = flagged[cat]
            obs = float(np.mean([segments[i].mqm > 0 for i in idx]))
            exp = float(np.mean([expected[i] for i in idx]))
            print(f"  {cat:<26} {len(idx):>6} {obs:>7.3f} {exp:>7.3f} {obs - exp:>+7.3f}")
        n = hit = 0
        gold = caught = 0
        for i in subset:
            seg = segments[i]
            major = major_spans.get((seg.system, seg.doc, seg.seg_id), set())
            marked: set[int] = set()
            for f in run.shown[i]:
                if f.severity.value in ("major", "critical"):
                    n += 1
                    hit += bool(seg.spans & set(range(f.start, f.end)))
                    marked.update(range(f.start, f.end))
            gold += len(major)
            caught += len(major & marked)
        share = f"{hit / n:.3f}" if n else "-"
        print(
            f"  major or critical flags: {n}, overlapping an error span {share}; "
            f"character recall of Major spans {caught / max(gold, 1):.3f}"
        )
        # What the rules call major among the shown flags (the verifier shows most as minor).
        rule_major = [
            bool(segments[i].spans & set(range(f.start, f.end)))
            for i in subset
            for f in run.shown[i]
            if f.id in {g.id for g in run.flags[i] if g.severity.value in ("major", "critical")}
        ]
        print(
            f"  shown flags the rules call major or critical: {len(rule_major)}, overlapping an "
            f"error span {np.mean(rule_major) if rule_major else 0.0:.3f}"
        )
        for what, flags in (("every flag (threshold 0)", run.flags), ("shown flags", run.shown)):
            total = sum(len(flags[i]) for i in subset)
            on_error = sum(
                bool(segments[i].spans & set(range(f.start, f.end)))
                for i in subset
                for f in flags[i]
            )
            print(
                f"  {what}: {total}, {on_error} on an error span ({on_error / max(total, 1):.3f})"
            )


MajorSpans = dict[tuple[str, str, int], set[int]]


def load_major_spans(path: Path) -> MajorSpans:
    """Character offsets of the Major error spans of each MT segment (union over raters)."""
    out: MajorSpans = defaultdict(set)
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["severity"] != "Major" or row["category"] in ("No-error", "Source error"):
                continue
            key = (row["system"], row["doc"], int(row["seg_id"]))
            _add_spans(row["target"], out[key])
    return out


if __name__ == "__main__":
    main()
