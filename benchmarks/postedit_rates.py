"""How far independent human translations and post-edits sit from the translation they face.

transdiff takes a reference whose word edit rate against the seed is at or below
``toolkit.verify.postedit.POST_EDIT_RATE`` for a post-edit (its changes confirm flags).  This
prints the rate of the two human references of the MQM TED zh-en data against each of the 13
MT systems, talk by talk (all independent translations: none may fall below the bound), and of
the bundled seed's two references (``postedit`` is a post-edit, ``alternative`` a translation).

    python benchmarks/postedit_rates.py [--data PATH]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from flags_mqm import DEFAULT_DATA, HUMAN, documents, load

from toolkit.pipeline import compare_files
from toolkit.result import RunSettings
from toolkit.verify.postedit import POST_EDIT_RATE, edit_rate

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    segments, humans = load(args.data)
    segments = [s for s in segments if all((s.doc, s.seg_id) in humans[h] for h in HUMAN)]
    print(f"post-edit bound: word edit rate <= {POST_EDIT_RATE}")
    for name in HUMAN:
        rates = [
            edit_rate(seed, refs[0][1], refs[0][2]).rate
            for _, seed, refs in documents(segments, {name: humans[name]})
        ]
        below = sum(r <= POST_EDIT_RATE for r in rates)
        print(
            f"TED zh-en, {name} against each MT system and talk: {len(rates)} documents, "
            f"min {min(rates):.3f}, median {statistics.median(rates):.3f}, "
            f"max {max(rates):.3f}; at or below the bound: {below}"
        )
    seed_path = next((ROOT / "seeds").glob("*.txt"))
    refs = sorted((ROOT / "references").glob("*.txt"))
    report = compare_files(seed_path, refs, settings=RunSettings(score=None, detect=False))
    seed = [s.text for s in report.seed_segments]
    for ref in report.references:
        rate = edit_rate(seed, [s.text for s in ref.segments], ref.alignment).rate
        print(f"bundled seed against {ref.name}: {rate:.3f}")


if __name__ == "__main__":
    main()
