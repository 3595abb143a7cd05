"""How precise the source checks are on real MT errors (MQM TED zh-en and en-de).

Data: ../shared/data/mqm-ted-zhen and ../shared/data/mqm-ted-ende (read from there, not copied):
every MT system's segment is the seed, paired with its source segment (the data pairs them),
and the source checks (``toolkit/source/checks.py``) run on each pair.  Nothing is fitted,
so there is no split: every talk is measured.  Printed per check and category:

* flags: how many fired;
* span P: the share whose span overlaps an error span the experts marked (a flag on what the
  translation lacks spans the whole sentence, so for those this is nearly "the segment has an
  error somewhere": read the next column too);
* seg err / seg Major: the share on segments with any MQM error / with a Major error;
* base: the share of all segments with any error / a Major error (what a random flag gets).

Then arbitration: the reference-based number and entity flags, and apart the negation flags,
against the same reference: how many the source removes (it agrees with the seed) and the
share of the removed ones whose span has no MQM error (they were the reference's difference,
not the MT's error), and how many it confirms.  Negation flags are few: a second line counts
the removed ones whose whole segment has no MQM error at all.

Beside them, in the same run, the reference-based number check on the same segments (against
``refB`` for zh-en, ``ref`` for en-de), which is what transdiff had before the source.

    python benchmarks/source_mqm.py [--pairs zhen ende]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from collections import defaultdict
from pathlib import Path

from flags_mqm import _MARK, Segment, load

from toolkit.align import Alignment, Bead
from toolkit.checks import Category, Context, SourceText
from toolkit.checks.entities import CHECK as ENTITY_CHECK
from toolkit.checks.negation import CHECK as NEGATION_CHECK
from toolkit.checks.numbers import CHECK as NUMBER_CHECK
from toolkit.checks.numbers import check_numbers
from toolkit.detect import detect
from toolkit.lang import language as get_language
from toolkit.source.arbiter import SOURCE, arbitrate
from toolkit.source.checks import SOURCE_CHECKS

# ../shared/data beside the repository, found from a git worktree too (one level deeper).
DATA = next(
    (p / "shared/data" for p in Path(__file__).resolve().parents if (p / "shared/data").is_dir()),
    Path(__file__).resolve().parents[2] / "shared/data",
)
PAIRS = {
    "zhen": (DATA / "mqm-ted-zhen/mqm_ted_zhen.tsv", "zh", "en", "refB"),
    "ende": (DATA / "mqm-ted-ende/mqm_ted_ende.tsv", "en", "de", "ref"),
}


def sources(path: Path) -> dict[tuple[str, int], str]:
    """The source text of each (talk, segment)."""
    out: dict[tuple[str, int], str] = {}
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            # Raters mark source errors with <v> too: strip the marks.
            out.setdefault((row["doc"], int(row["seg_id"])), _MARK.sub("", row["source"]).strip())
    return out


def measure(name: str) -> None:
    path, source_language, target_language, reference = PAIRS[name]
    t0 = time.perf_counter()
    segments, humans = load(path)
    source = sources(path)
    target = get_language(target_language)
    segments = [s for s in segments if (s.doc, s.seg_id) in source]
    segments.sort(key=lambda s: (s.system, s.doc, s.seg_id))
    # One document per (system, talk), as a user would check it (length outliers need one).
    documents: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for s in segments:
        documents[(s.system, s.doc)].append(s)
    tally: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    arbitration: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for segs in documents.values():
        seed = [s.text for s in segs]
        beads = [
            SourceText(source[(s.doc, s.seg_id)], (k,), source_language) for k, s in enumerate(segs)
        ]
        context = Context(seed, target_language, beads)
        for check in SOURCE_CHECKS:
            checker = check.prepare(context)
            for k, s in enumerate(segs):
                for f in checker.sentence(k):
                    key = f"{check.name} {f.category.value}"
                    hit = bool(s.spans & set(range(f.start, f.end)))
                    tally[key].append((hit, s.mqm > 0, s.major))
        ref = humans.get(reference, {})
        _arbitrate(segs, ref, beads, target_language, arbitration)
        for s in segs:
            if (s.doc, s.seg_id) in ref:
                for f in check_numbers(s.text, ref[(s.doc, s.seg_id)], language=target):
                    hit = bool(s.spans & set(range(f.start, f.end)))
                    tally[f"reference number ({reference})"].append((hit, s.mqm > 0, s.major))
    base_err = sum(s.mqm > 0 for s in segments) / len(segments)
    base_major = sum(s.major for s in segments) / len(segments)
    print(
        f"== {name}: {len(segments)} MT segments, {len(documents)} documents; "
        f"base: any error {base_err:.3f}, Major {base_major:.3f} =="
    )
    print(f"{'check / category':<44} {'flags':>6} {'span P':>7} {'seg err':>8} {'seg Major':>9}")
    for key in sorted(tally, key=lambda k: (k.startswith("reference"), k)):
        rows = tally[key]
        n = len(rows)
        span = sum(r[0] for r in rows) / n
        err = sum(r[1] for r in rows) / n
        major = sum(r[2] for r in rows) / n
        print(f"{key:<44} {n:>6} {span:>7.3f} {err:>8.3f} {major:>9.3f}")
    for group, a in arbitration.items():
        print(
            f"arbitration of the reference {group} flags ({reference}): {a['flags']} "
            f"flags, {a['removed']} removed as reference issues, of which "
            f"{a['removed without error'] / max(a['removed'], 1):.3f} have no MQM error on their "
            f"span ({a['removed clean segment'] / max(a['removed'], 1):.3f} none in the "
            f"segment); {a['confirmed']} confirmed by the source"
        )
    per = (time.perf_counter() - t0) / len(segments) * 1e6
    print(f"({per:.0f} us per segment, loading included)\n")


def _arbitrate(
    segs: list[Segment],
    ref: dict[tuple[str, int], str],
    beads: list[SourceText],
    language: str,
    counts: dict[str, dict[str, int]],
) -> None:
    """Count what arbitration does to the reference-based number and entity flags, and to
    the negation flags."""
    keep = [k for k, s in enumerate(segs) if (s.doc, s.seg_id) in ref]
    seed = [segs[k].text for k in keep]
    texts = [ref[(segs[k].doc, segs[k].seg_id)] for k in keep]
    alignment = Alignment([Bead((i,), (i,), 1.0) for i in range(len(seed))])
    checks = [c for c in (NUMBER_CHECK, ENTITY_CHECK, NEGATION_CHECK) if c.supports(language)]
    flags = detect(seed, [("ref", texts, alignment)], checks=checks, language=language)
    source = [dataclasses.replace(beads[k], seed=(i,)) for i, k in enumerate(keep)]
    kept, issues = arbitrate(seed, flags, source, language=language)

    def group(category: Category) -> str:
        return "negation" if category is Category.negation else "number and entity"

    for sentence_flags in flags:
        for f in sentence_flags:
            counts[group(f.category)]["flags"] += 1
    for issue in issues:
        tally = counts[group(issue.flag.category)]
        segment = segs[keep[issue.sentence]]
        tally["removed"] += 1
        tally["removed without error"] += not segment.spans & set(
            range(issue.flag.start, issue.flag.end)
        )
        tally["removed clean segment"] += segment.mqm == 0
    for sentence_flags in kept:
        for f in sentence_flags:
            counts[group(f.category)]["confirmed"] += SOURCE in f.references


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", nargs="+", choices=sorted(PAIRS), default=sorted(PAIRS))
    args = parser.parse_args()
    for name in sorted(args.pairs, reverse=True):
        measure(name)


if __name__ == "__main__":
    main()
