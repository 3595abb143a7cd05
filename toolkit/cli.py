"""The ``transdiff`` command: parses options, calls one library function, renders, writes.

The library raises :class:`~toolkit.errors.TransdiffError`; this module turns it into one line
on stderr and a non-zero exit, and does nothing else of substance.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar

from toolkit import __version__
from toolkit.checks import Category, Severity
from toolkit.compare import CompareSettings
from toolkit.compare import compare_files as compare_systems
from toolkit.errors import TransdiffError, UsageError
from toolkit.pipeline import Progress, compare_files
from toolkit.report import (
    Format,
    QueueFormat,
    TableFormat,
    render,
    render_alignment_table,
    render_compare_json,
    render_compare_table,
    render_csv,
    render_json,
    render_markdown,
    render_score_table,
    render_sentence_scores,
    write_atomic,
)
from toolkit.report.queue import render_queue_json, render_queue_text
from toolkit.result import Report, RunSettings
from toolkit.review import ReviewItem, review_queue
from toolkit.score import ScoreSettings

app = typer.Typer(
    name="transdiff",
    help="Compare a translation with its references, sentence by sentence.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 2

Segmented = Annotated[
    bool,
    typer.Option(
        "--segmented",
        help="Every non-empty line is one segment (line-aligned MT data), id L<line>.",
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", help="Codec of every input (e.g. cp1251) instead of detection."),
]
Jobs = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes for the checks on long documents (0: one per CPU core).",
    ),
]
Out = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write the output here (atomically).")
]
Bom = Annotated[
    bool,
    typer.Option("--bom", help="Start the CSV with a UTF-8 byte-order mark (for Excel)."),
]
Color = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help="Colours in the text view (default: on a terminal, unless NO_COLOR is set).",
        show_default=False,
    ),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"transdiff: error: {message}", err=True)
    return typer.Exit(EXIT_INPUT)


def _warn(report: Report) -> None:
    for warning in report.warnings:
        typer.echo(f"transdiff: warning: {warning}", err=True)


def _width() -> int:
    """Terminal width for text tables (80 when not a terminal)."""
    return max(60, shutil.get_terminal_size((80, 24)).columns)


def _default_inputs() -> tuple[Path, list[Path]]:
    """The bundled job: the one text file in seeds/ and every text file in references/."""
    seeds = sorted(Path("seeds").glob("*.txt"))
    if len(seeds) != 1:
        found = "no" if not seeds else str(len(seeds))
        raise UsageError(
            f"no SEED given and seeds/ holds {found} .txt files (expected one); "
            "run from the project folder or name the files: transdiff report SEED [REF...]"
        )
    return seeds[0], sorted(Path("references").glob("*.txt"))


def _use_color(choice: bool | None) -> bool:
    """Colour when asked, else when stdout is a terminal and NO_COLOR is unset or empty."""
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


_STEPS = {"reading": "file", "segmenting": "text", "aligning": "reference"}


@contextlib.contextmanager
def _progress() -> Iterator[Progress | None]:
    """A transient progress bar on stderr when stderr is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def update(stage: str, done: int, total: int) -> None:
            label = stage
            if stage in _STEPS and total > 1 and done < total:
                label = f"{stage} {_STEPS[stage]} {done + 1} of {total}"
            bar.update(task, description=label, completed=done, total=total)

        yield update


def _jobs(value: int) -> int:
    """0 means one worker per CPU core this process may use."""
    if value:
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run(seed: Path, refs: list[Path], settings: RunSettings) -> Report:
    try:
        with _progress() as progress:
            report = compare_files(seed, refs, settings=settings, progress=progress)
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    _warn(report)
    return report


def _check_bom(bom: bool, fmt: str) -> None:
    if bom and fmt != "csv":
        raise _fail(f"--bom applies to --format csv only, not {fmt}; drop it")


def _emit(text: str, out: Path | None, *, color: bool = False) -> None:
    """Print ``text``, or write it to ``out`` atomically (complete or not at all)."""
    if out is None:
        typer.echo(text, nl=False, color=color)
        return
    try:
        write_atomic(out, text)
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:  # a full disk, a lost mount: write_atomic has removed its temp file
        raise _fail(f"{out}: cannot write the report ({exc.strerror or exc})") from None
    typer.echo(f"transdiff: wrote {out}", err=True)


@app.command()
def align(
    seed: Annotated[Path, typer.Argument(help="The translation under review.", show_default=False)],
    refs: Annotated[list[Path], typer.Argument(help="One or more references.", show_default=False)],
    segmented: Segmented = False,
    encoding: Encoding = None,
) -> None:
    """Show how the seed's sentences align with each reference's, as a table of beads.

    Example: transdiff align seeds/000_ad300a173e81270b.txt references/alternative.txt
    """
    report = _run(seed, refs, RunSettings(segmented=segmented, encoding=encoding))
    width = _width()
    tables = [render_alignment_table(report, ref, width=width) for ref in report.references]
    typer.echo("\n".join(tables), nl=False)


@app.command()
def report(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="SEED then REF...; none: the file in seeds/ and every .txt in references/.",
            show_default=False,
        ),
    ] = None,
    segmented: Segmented = False,
    jobs: Jobs = 0,
    encoding: Encoding = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    out: Out = None,
    bom: Bom = False,
    color: Color = None,
    scores: Annotated[
        bool,
        typer.Option(
            "--scores/--no-scores",
            help="Score with sacrebleu (BLEU, chrF, chrF++, TER); --no-scores is much faster "
            "on long texts.",
        ),
    ] = True,
    flags: Annotated[
        bool,
        typer.Option(
            "--flags/--no-flags",
            help="Run the divergence checks (flags and suspicion per sentence).",
        ),
    ] = True,
) -> None:
    """Segment, align, score and check the seed against every reference; write the report.

    Formats: text (the terminal view: word diffs and flags), json, md (a pull-request
    comment), csv (one row per flag, for a spreadsheet) and html (a page to open in a browser).

    Example: transdiff report --format html --out report.html
    """
    _check_bom(bom, fmt)
    try:
        seed, refs = (paths[0], list(paths[1:])) if paths else _default_inputs()
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    settings = RunSettings(segmented=segmented, encoding=encoding, detect=flags, jobs=_jobs(jobs))
    if not scores:
        settings = dataclasses.replace(settings, score=None)
    result = _run(seed, refs, settings)
    use_color = out is None and _use_color(color)
    text = render(result, fmt, width=_width(), color=use_color, bom=bom)
    _emit(text, out, color=use_color)


Metrics = Annotated[
    list[str] | None,
    typer.Option(
        "--metrics",
        "-m",
        help="Metrics, comma-separated or repeated: bleu, chrf, chrf++, ter (default: all).",
        show_default=False,
    ),
]
Tokenize = Annotated[
    str, typer.Option("--tokenize", "-tok", help="BLEU tokenizer, as in sacrebleu.")
]
Lowercase = Annotated[
    bool, typer.Option("--lowercase", "-lc", help="Lowercase for BLEU and chrF, as in sacrebleu.")
]
WordOrder = Annotated[
    int, typer.Option("--chrf-word-order", help="Word n-gram order of chrf++ (chrF++ is 2).")
]


def _score_settings(
    metrics: list[str] | None, tokenize: str, lowercase: bool, word_order: int
) -> ScoreSettings:
    names = [m.strip() for item in metrics or [] for m in item.split(",") if m.strip()]
    try:
        if not names:
            return ScoreSettings(tokenize=tokenize, lowercase=lowercase, chrf_word_order=word_order)
        return ScoreSettings(
            metrics=tuple(names),  # type: ignore[arg-type]  # validated in __post_init__
            tokenize=tokenize,
            lowercase=lowercase,
            chrf_word_order=word_order,
        )
    except TransdiffError as exc:
        raise _fail(str(exc)) from None


@app.command()
def score(
    seed: Annotated[Path, typer.Argument(help="The translation under review.", show_default=False)],
    refs: Annotated[list[Path], typer.Argument(help="One or more references.", show_default=False)],
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Also list per-sentence scores, worst first.")
    ] = False,
    metrics: Metrics = None,
    tokenize: Tokenize = "13a",
    lowercase: Lowercase = False,
    chrf_word_order: WordOrder = 2,
    segmented: Segmented = False,
    encoding: Encoding = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TableFormat.text,
) -> None:
    """Score the seed against each reference and all together (BLEU, chrF, chrF++, TER).

    Seed and references need not be line-aligned: scores follow the sentence alignment.

    Example: transdiff score seeds/000_ad300a173e81270b.txt references/postedit.txt --sentences
    """
    settings = _score_settings(metrics, tokenize, lowercase, chrf_word_order)
    report = _run(seed, refs, RunSettings(segmented=segmented, encoding=encoding, score=settings))
    if fmt is TableFormat.json:
        typer.echo(render_json(report), nl=False)
        return
    text = render_score_table(report)
    if sentences:
        text += "\n" + render_sentence_scores(report, width=_width())
    typer.echo(text, nl=False)


@app.command()
def compare(
    systems: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more translations of the same text; the first is the baseline.",
            show_default=False,
        ),
    ],
    refs: Annotated[
        list[Path],
        typer.Option("--ref", "-r", help="A reference (repeat for several).", show_default=False),
    ],
    metrics: Metrics = None,
    tokenize: Tokenize = "13a",
    lowercase: Lowercase = False,
    chrf_word_order: WordOrder = 2,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Paired bootstrap resamples (sacrebleu: 1000).")
    ] = 1000,
    ar_trials: Annotated[
        int,
        typer.Option("--ar-trials", help="Approximate randomization trials (sacrebleu: 10000)."),
    ] = 10000,
    segmented: Segmented = False,
    encoding: Encoding = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TableFormat.text,
) -> None:
    """Rank translations of one text with paired bootstrap and approximate randomization tests.

    Systems need not be line-aligned: each is aligned to every reference, whose segmentation
    is the unit of the tests.

    Example: transdiff compare sys1.txt sys2.txt --ref references/postedit.txt
    """
    score = _score_settings(metrics, tokenize, lowercase, chrf_word_order)
    try:
        settings = CompareSettings(
            segmented=segmented,
            encoding=encoding,
            score=score,
            bootstrap_samples=bootstrap,
            ar_trials=ar_trials,
        )
        comparisons = compare_systems(systems, refs, settings=settings)
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    if fmt is TableFormat.json:
        typer.echo(render_compare_json(comparisons), nl=False)
    else:
        typer.echo(render_compare_table(comparisons), nl=False)


@app.command()
def flag(
    seed: Annotated[Path, typer.Argument(help="The translation under review.", show_default=False)],
    refs: Annotated[
        list[Path] | None,
        typer.Argument(help="References (none: reference-free checks only).", show_default=False),
    ] = None,
    min_severity: Annotated[
        Severity, typer.Option("--min-severity", help="Leave out flags below this severity.")
    ] = Severity.minor,
    category: Annotated[
        list[Category] | None,
        typer.Option(
            "--category", help="Keep only this category (repeatable).", show_default=False
        ),
    ] = None,
    segmented: Segmented = False,
    jobs: Jobs = 0,
    encoding: Encoding = None,
    fmt: Annotated[
        QueueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = QueueFormat.text,
    out: Out = None,
    bom: Bom = False,
) -> None:
    """List the seed sentences that need a reviewer, most suspect first, with their flags.

    Example: transdiff flag seeds/000_ad300a173e81270b.txt references/postedit.txt
    """
    _check_bom(bom, fmt)
    report = _run(
        seed,
        list(refs or []),
        RunSettings(segmented=segmented, encoding=encoding, score=None, jobs=_jobs(jobs)),
    )
    if not report.references:
        typer.echo(
            "transdiff: no reference given: running the reference-free checks only", err=True
        )
    items = review_queue(report, min_severity=min_severity, categories=category)
    if fmt is QueueFormat.json:
        text = render_queue_json(report, items)
    elif fmt is QueueFormat.md:
        text = render_markdown(_kept(report, items))
    elif fmt is QueueFormat.csv:
        text = render_csv(_kept(report, items), bom=bom)
    else:
        text = render_queue_text(report, items, width=_width())
    _emit(text, out)


def _kept(report: Report, items: list[ReviewItem]) -> Report:
    """``report`` with only the flags that passed the queue's filters."""
    kept = {item.segment.id: item.flags for item in items}
    sentences = tuple(dataclasses.replace(s, flags=kept.get(s.id, ())) for s in report.sentences)
    return dataclasses.replace(report, sentences=sentences)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"transdiff {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Compare a translation with its references, sentence by sentence."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("transdiff: interrupted", err=True)
        sys.exit(130)
