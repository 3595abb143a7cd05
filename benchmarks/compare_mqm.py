"""``transdiff compare`` on the MQM TED zh-en data: two MT systems against refB.

Builds one line file per system (and refB) from the shared TSV into a temporary folder: one
line per segment, in talk and segment order, the ``<v>...</v>`` error markers stripped (the
first row of a segment gives its text; every rater saw the same target).  Then runs
``transdiff compare SYS1 SYS2 --ref refB --segmented`` with the remaining arguments (for
example ``--format html --out page.html``) and prints what it prints.  Nothing is written
into the repository.

    python benchmarks/compare_mqm.py [--systems Facebook-AI Online-W] [--talk talk.2] [-- ARGS]
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path

_TSV = "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
# ../shared beside the project (the main checkout), or /work/shared from a worktree.
DEFAULT_DATA = next(
    (p / _TSV for p in (Path(__file__).resolve().parents[2], Path("/work")) if (p / _TSV).exists()),
    Path(_TSV),
)
_MARK = re.compile(r"</?v>")


def build(data: Path, systems: list[str], folder: Path, talk: str | None) -> list[Path]:
    """Write ``<system>.txt`` for each of ``systems`` into ``folder``; their paths in order."""
    texts: dict[str, dict[tuple[int, int], str]] = {s: {} for s in systems}
    csv.field_size_limit(sys.maxsize)
    with data.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["system"] not in texts or (talk and row["doc"] != talk):
                continue
            key = (int(row["doc_id"]), int(row["seg_id"]))
            # One line per segment: a line break inside a target would shift every later line.
            line = " ".join(_MARK.sub("", row["target"]).split())
            texts[row["system"]].setdefault(key, line)
    keys = sorted(set.intersection(*(set(t) for t in texts.values())))
    if not keys:
        raise SystemExit(f"no segment common to {', '.join(systems)}")
    paths = []
    for system in systems:
        path = folder / f"{system}.txt"
        path.write_text("\n".join(texts[system][k] or "." for k in keys) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--systems", nargs="+", default=["Facebook-AI", "Online-W"])
    parser.add_argument("--reference", default="refB")
    parser.add_argument("--talk", default=None, help="one talk (talk.2, ...); default: all six")
    parser.add_argument("args", nargs="*", help="more arguments for transdiff compare")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = build(
            folder=folder,
            data=options.data,
            talk=options.talk,
            systems=[*options.systems, options.reference],
        )
        command = [
            sys.executable,
            "-m",
            "toolkit",
            "compare",
            *map(str, paths[:-1]),
            "--ref",
            str(paths[-1]),
            "--segmented",
            *options.args,
        ]
        done = subprocess.run(command, cwd=folder, check=False)
    raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
