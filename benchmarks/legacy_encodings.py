"""Reading text in a legacy code page: how often the decoded text is exactly the original, for
charset_normalizer's first choice alone and for transdiff's choice (``toolkit.legacy``).

Real text, cut into pieces of about ``--chars`` characters (whole words and names), encoded in
the code page its language is written in on Windows (and German also in latin-1):

* **German sentences**: the German MT output of the MQM TED en-de data (``target`` column,
  its error markup removed; ../shared/README.md; read from there, never copied);
* **names in 26 languages**: the country, language and currency names that pycountry ships
  translated (its ``locales``), shuffled with a fixed seed and joined with commas: real words
  of each language, not sentences.

Two parts, fixed before anything was changed after the first run: **dev**, the country names,
whose errors were looked at while ``toolkit.legacy`` was changed; **held-out**, the language
and currency names and the German sentences, whose errors were never looked at (only their
totals are printed).  ``toolkit.legacy``'s first settings (how close to charset_normalizer's
first a candidate must be, which code pages are added) were set on the seven paragraphs of
``tests/test_document.py``; see the README for what changed after.

    python benchmarks/legacy_encodings.py [--chars 200 1000] [--pieces 20]
"""

from __future__ import annotations

import argparse
import csv
import gettext
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pycountry
from charset_normalizer import from_bytes

from toolkit.legacy import legacy_codec

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mqm-ted-ende"
LANGUAGES = {
    "cp1252": "fr es pt it ca de nl sv da fi",
    "cp1250": "pl cs sk hu ro sl hr",
    "cp1254": "tr",
    "cp1257": "lt lv et",
    "cp1253": "el",
    "cp1251": "ru uk bg mk",
}
PARTS = ("dev", "held-out")
_MARKUP = re.compile(r"</?v>")


def names(language: str, part: str) -> list[str]:
    """pycountry's names translated into ``language`` (those it translates): the countries'
    for ``dev``, the languages' and currencies' for ``held-out``."""
    out = []
    domains = {
        "dev": (("iso3166-1", pycountry.countries),),
        "held-out": (("iso639-3", pycountry.languages), ("iso4217", pycountry.currencies)),
    }[part]
    for domain, items in domains:
        try:
            t = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for item in items:
            translated = t.gettext(item.name)
            if translated != item.name:
                out.append(translated)
    return out


def german(data: Path) -> list[str]:
    """The distinct German MT sentences of the MQM TED en-de data, markup removed."""
    seen: dict[str, None] = {}
    with (data / "mqm_ted_ende.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            seen.setdefault(_MARKUP.sub("", row["target"]), None)
    return list(seen)


def pieces(items: list[str], chars: int, count: int, codec: str, sep: str) -> Iterator[str]:
    """Up to ``count`` texts of about ``chars`` characters joined from ``items`` (those the
    code page can write), each with a letter outside ASCII."""
    usable = [s for s in items if _encodable(s, codec)]
    random.Random(13).shuffle(usable)
    made, text = 0, ""
    for item in usable:
        text = f"{text}{sep}{item}" if text else item
        if len(text) >= chars:
            if not text.isascii():
                yield text + "\n"
                made += 1
                if made == count:
                    return
            text = ""


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def measure(texts: list[str], codec: str, *, errors: bool) -> tuple[int, int, int, float]:
    """Texts, exact with charset_normalizer's first choice, exact with transdiff's, seconds
    (``errors``: print the texts transdiff reads wrong, as it reads them)."""
    alone = ours = 0
    seconds = 0.0
    for text in texts:
        data = text.encode(codec)
        best = from_bytes(data).best()
        alone += best is not None and best.encoding is not None and _same(data, best.encoding, text)
        start = time.perf_counter()
        chosen = legacy_codec(data)
        seconds += time.perf_counter() - start
        right = chosen is not None and _same(data, chosen, text)
        ours += right
        if errors and not right:
            got = data.decode(chosen, "replace") if chosen else "(none)"
            print(f"  {codec} read as {chosen}: {got[:150]!r}")
    return len(texts), alone, ours, seconds


def _same(data: bytes, codec: str, text: str) -> bool:
    try:
        return data.decode(codec) == text
    except UnicodeDecodeError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--pieces", type=int, default=20)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="print the dev part's errors")
    args = parser.parse_args()
    cases: list[tuple[str, str, str, list[str], str]] = []
    for codec, languages in LANGUAGES.items():
        for language in languages.split():
            cases += [(part, language, codec, names(language, part), ", ") for part in PARTS]
    if (args.data / "mqm_ted_ende.tsv").exists():
        sentences = german(args.data)
        cases += [("held-out", "de MQM", c, sentences, " ") for c in ("cp1252", "latin-1")]
    else:
        print(f"(no German sentences: {args.data} not found)", file=sys.stderr)
    print(
        f"{'part':8s} {'text':8s} {'code page':9s} {'chars':>5s} {'texts':>5s} {'alone':>6s} "
        f"{'ours':>6s} {'ms/text':>8s}"
    )
    totals = {(part, chars): (0, 0, 0) for part in PARTS for chars in args.chars}
    for part, label, codec, items, sep in cases:
        for chars in args.chars:
            texts = list(pieces(items, chars, args.pieces, codec, sep))
            if not texts:
                continue
            n, alone, ours, seconds = measure(texts, codec, errors=args.errors and part == "dev")
            t = totals[part, chars]
            totals[part, chars] = (t[0] + n, t[1] + alone, t[2] + ours)
            print(
                f"{part:8s} {label:8s} {codec:9s} {chars:5d} {n:5d} {alone:6d} {ours:6d} "
                f"{seconds / n * 1000:8.0f}",
                flush=True,
            )
    for (part, chars), (n, alone, ours) in totals.items():
        print(
            f"{part}, {chars} chars: {n} texts, exact {alone} ({alone / n:.1%}) alone, "
            f"{ours} ({ours / n:.1%}) with transdiff's choice"
        )


if __name__ == "__main__":
    main()
