"""German sentence splitting: labelled accuracy, and where pysbd and sentencex disagree.

* Accuracy on ``benchmarks/data/sentences_de.txt`` (German paragraphs with abbreviations and
  ordinals, split by hand): the share of paragraphs split exactly right by transdiff
  (sentencex plus the German rules), by sentencex alone and by pysbd.
* On the en-de MQM targets (every distinct MT and reference segment of
  ../shared/data/mqm-ted-ende): the segments whose split transdiff's rules change,
  and how many segments pysbd and sentencex (alone, and with transdiff's rules) split into
  different sentences, with examples.

    python benchmarks/segment_de.py [--data PATH] [--examples 5]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import pysbd
from sentencex import segment as sentencex_segment

from toolkit.segment import split_sentences

HERE = Path(__file__).resolve().parent
LABELLED = HERE / "data/sentences_de.txt"
DEFAULT_DATA = HERE.parents[1] / "shared/data/mqm-ted-ende/mqm_ted_ende.tsv"
_MARK = re.compile(r"</?v>")


def labelled() -> list[list[str]]:
    text = LABELLED.read_text(encoding="utf-8")
    lines = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return [block.split("\n") for block in lines.strip().split("\n\n")]


def transdiff(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language="de")]


def sentencex(text: str) -> list[str]:
    return [s.strip() for s in sentencex_segment("de", text) if s.strip()]


_PYSBD = pysbd.Segmenter(language="de", clean=False)


def pysbd_split(text: str) -> list[str]:
    return [s.strip() for s in _PYSBD.segment(text) if s.strip()]


SPLITTERS = {"transdiff": transdiff, "sentencex": sentencex, "pysbd": pysbd_split}


def targets(path: Path) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return sorted({_MARK.sub("", row["target"]).strip() for row in rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    gold = labelled()
    print(f"labelled German paragraphs: {len(gold)}, sentences: {sum(map(len, gold))}")
    for name, split in SPLITTERS.items():
        right = sum(split(" ".join(p)) == p for p in gold)
        print(f"  {name:<10} paragraphs split exactly right {right}/{len(gold)}")
    texts = targets(args.data)
    print(f"\nen-de MQM targets: {len(texts)} distinct segments")
    pysbd_out = [pysbd_split(t) for t in texts]
    ours = [transdiff(t) for t in texts]
    plain = [sentencex(t) for t in texts]
    changed = [i for i, (a, b) in enumerate(zip(ours, plain, strict=True)) if a != b]
    print(
        f"  transdiff's rules (the German lists among them) change {len(changed)} segments"
        " of sentencex's split:"
    )
    for i in changed[: args.examples]:
        print(f"    sentencex: {plain[i]}\n    transdiff: {ours[i]}")
    for name in ("sentencex", "transdiff"):
        out = [SPLITTERS[name](t) for t in texts]
        differ = [i for i, (a, b) in enumerate(zip(out, pysbd_out, strict=True)) if a != b]
        sentences = sum(len(o) for o in out)
        print(
            f"  pysbd vs {name}: {len(differ)} segments split differently; "
            f"{name} {sentences} sentences, pysbd {sum(map(len, pysbd_out))}"
        )
        for i in differ[: args.examples]:
            print(f"    {name}: {out[i]}\n    pysbd: {pysbd_out[i]}")


if __name__ == "__main__":
    main()
