"""Compare sentence segmenters on the English golden rules and on speed.

Run from the repository root, after installing the candidates into the virtualenv::

    .venv/bin/pip install syntok sentencex blingfire sentence-splitter
    .venv/bin/python benchmarks/segmenters.py [--failures] [--only NAME ...]

Accuracy: share of the golden-rule cases (``benchmarks/data/golden_rules_en.tsv``) whose output,
each sentence stripped of surrounding white space, equals the expected list.  Speed: the seed
text repeated to about 20,000 sentences, segmented one paragraph (line) at a time.  ``sent/s``
divides a common reference count (pySBD's) by the time taken, so a segmenter that splits more
is not rewarded for it; ``own`` is the count the candidate itself produced.  ``10 MB`` is the
time that throughput implies for a 10 MB book.  ``20k para`` times one paragraph of 20,000
characters (the most transdiff hands a library at once), which shows whether a library slows
down on long paragraphs.  Candidates whose package is missing are skipped with the reason.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "benchmarks" / "data" / "golden_rules_en.tsv"
SEED = ROOT / "seeds" / "000_ad300a173e81270b.txt"
LONG_PARAGRAPH = 20_000  # characters of the one-paragraph timing

Splitter = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Result:
    """One candidate's figures."""

    name: str
    version: str
    correct: int
    total: int
    seconds: float
    produced: int
    chars: int
    long_seconds: float
    failures: tuple[str, ...]


def load_golden(path: Path = GOLDEN) -> list[tuple[str, list[str]]]:
    """Read the golden-rule cases: input text and expected sentences."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, *expected = line.split("\t")
        cases.append((text, expected))
    return cases


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _pysbd() -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return seg.segment


def _syntok() -> Splitter:
    from syntok import segmenter

    def split(text: str) -> list[str]:
        return [
            "".join(tok.spacing + tok.value for tok in sentence)
            for paragraph in segmenter.analyze(text)
            for sentence in paragraph
        ]

    return split


def _sentencex() -> Splitter:
    from sentencex import segment

    return lambda text: list(segment("en", text))


def _blingfire() -> Splitter:
    import blingfire

    return lambda text: blingfire.text_to_sentences(text).split("\n")


def _koehn() -> Splitter:
    from sentence_splitter import SentenceSplitter

    return SentenceSplitter(language="en").split


def _punkt_untrained() -> Splitter:
    # An untrained Punkt model needs no data files; it knows no abbreviations.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer().tokenize


def _nltk_sent_tokenize() -> Splitter:
    import nltk

    try:
        nltk.sent_tokenize("Probe. Text.")
    except LookupError:
        raise ImportError(
            "its trained 'punkt_tab' model is not installed (no download here)"
        ) from None
    return nltk.sent_tokenize


def _transdiff() -> Splitter:
    from toolkit.segment import split_sentences

    return lambda text: [text[s:e] for s, e in split_sentences(text)]


CANDIDATES: dict[str, tuple[str, Callable[[], Splitter]]] = {
    "pysbd": ("pysbd", _pysbd),
    "syntok": ("syntok", _syntok),
    "sentencex": ("sentencex", _sentencex),
    "blingfire": ("blingfire", _blingfire),
    "sentence-splitter": ("sentence-splitter", _koehn),
    "nltk-punkt-untrained": ("nltk", _punkt_untrained),
    "nltk-sent_tokenize": ("nltk", _nltk_sent_tokenize),
    "transdiff": ("transdiff", _transdiff),
}


def long_text(target_sentences: int) -> list[str]:
    """The seed's paragraphs repeated until about ``target_sentences`` sentences."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").splitlines() if p.strip()]
    split = _pysbd()
    per_copy = sum(len(split(p)) for p in paragraphs)
    copies = max(1, round(target_sentences / per_copy))
    return paragraphs * copies


def measure(name: str, split: Splitter, paragraphs: list[str], version: str) -> Result:
    """Golden-rule accuracy and speed of one candidate."""
    cases = load_golden()
    failures = []
    for text, expected in cases:
        got = [s.strip() for s in split(text) if s.strip()]
        if got != expected:
            failures.append(text)
    start = time.perf_counter()
    produced = sum(1 for p in paragraphs for s in split(p) if s.strip())
    seconds = time.perf_counter() - start
    long_paragraph = " ".join(paragraphs)[:LONG_PARAGRAPH]
    start = time.perf_counter()
    split(long_paragraph)
    long_seconds = time.perf_counter() - start
    return Result(
        name=name,
        version=version,
        correct=len(cases) - len(failures),
        total=len(cases),
        seconds=seconds,
        produced=produced,
        chars=sum(len(p) + 1 for p in paragraphs),
        long_seconds=long_seconds,
        failures=tuple(failures),
    )


def render(results: list[Result], reference: int) -> str:
    """The plain table, best accuracy first."""
    head = ("segmenter", "version", "golden", "acc %", "sent/s", "own", "MB/s", "10 MB", "20k para")
    rows = [head]
    for r in sorted(results, key=lambda r: (-r.correct, r.seconds)):
        mb_s = r.chars / r.seconds / 1e6
        rows.append(
            (
                r.name,
                r.version,
                f"{r.correct}/{r.total}",
                f"{100 * r.correct / r.total:.1f}",
                f"{reference / r.seconds:,.0f}",
                f"{r.produced:,}",
                f"{mb_s:.2f}",
                f"{10 / mb_s:.1f} s",
                f"{1000 * r.long_seconds:.1f} ms",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main() -> None:
    """Run every installed candidate and print a plain table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=20_000, help="size of the speed text")
    parser.add_argument("--only", nargs="*", choices=sorted(CANDIDATES), help="candidates to run")
    parser.add_argument("--failures", action="store_true", help="list the golden cases missed")
    args = parser.parse_args()

    paragraphs = long_text(args.sentences)
    pysbd_split = _pysbd()
    reference = sum(1 for p in paragraphs for s in pysbd_split(p) if s.strip())
    results: list[Result] = []
    for name in args.only or CANDIDATES:
        dist, factory = CANDIDATES[name]
        try:
            split = factory()
        except ImportError as exc:
            print(f"skipped {name}: {exc}")
            continue
        results.append(measure(name, split, paragraphs, _version(dist)))

    chars = sum(len(p) + 1 for p in paragraphs)
    print(f"\nspeed text: {len(paragraphs):,} paragraphs, {chars:,} characters,", end=" ")
    print(f"{reference:,} sentences (as pysbd counts them)\n")
    print(render(results, reference))
    if args.failures:
        for r in results:
            print(f"\n{r.name} misses {len(r.failures)}:")
            for text in r.failures:
                print(f"  {text}")


if __name__ == "__main__":
    main()
