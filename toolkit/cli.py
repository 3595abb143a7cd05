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
from toolkit.batch import run_batch
from toolkit.checks import Category, Severity
from toolkit.compare import CompareSettings
from toolkit.compare import compare_files as compare_systems
from toolkit.config import Config, load_config, run_settings
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
from toolkit.review import ReviewItem, failing_flags, review_queue
from toolkit.score import ScoreSettings
from toolkit.waivers import (
    Reason,
    Waiver,
    add_waiver,
    apply_waivers,
    find_flag,
    make_waiver,
    read_waivers,
    stale_waivers,
    write_waivers,
)
from toolkit.waivers import default_path as default_waivers_path

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
ConfigPath = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Configuration file (default: transdiff.toml or [tool.transdiff] in "
        "pyproject.toml in the current folder).",
        show_default=False,
    ),
]
WaiversPath = Annotated[
    Path | None,
    typer.Option(
        "--waivers",
        help="Waivers file (default: transdiff.waivers.toml beside the seed).",
        show_default=False,
    ),
]
FailOn = Annotated[
    Severity | None,
    typer.Option(
        "--fail-on",
        help="Exit 1 when an unwaived flag at or above this severity remains (for CI).",
        show_default=False,
    ),
]
GlossaryPath = Annotated[
    Path | None,
    typer.Option(
        "--glossary",
        help="Glossary CSV: term,required translation[,forbidden|variants].",
        show_default=False,
    ),
]
ReviewPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="SEED then REF... as for report; none: the file in seeds/ and references/.",
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
    fail_on: FailOn = None,
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
) -> None:
    """Segment, align, score and check the seed against every reference; write the report.

    Formats: text (the terminal view: word diffs and flags), json, md (a pull-request
    comment), csv (one row per flag, for a spreadsheet) and html (a page to open in a browser).

    Example: transdiff report --format html --out report.html
    """
    _check_bom(bom, fmt)
    cfg = _config(config, fail_on=fail_on, waivers=waivers, glossary=glossary)
    if cfg.fail_on is not None and not flags:
        raise _fail("--fail-on needs the checks; drop --no-flags")
    seed, refs = _review_inputs(paths, cfg)
    settings = RunSettings(segmented=segmented, encoding=encoding, detect=flags, jobs=_jobs(jobs))
    if not scores:
        settings = dataclasses.replace(settings, score=None)
    result = _run_reviewed(seed, refs, settings, cfg)
    use_color = out is None and _use_color(color)
    text = render(result, fmt, width=_width(), color=use_color, bom=bom)
    _emit(text, out, color=use_color)
    _gate(result, cfg.fail_on)


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
    fail_on: FailOn = None,
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
) -> None:
    """List the seed sentences that need a reviewer, most suspect first, with their flags.

    Example: transdiff flag seeds/000_ad300a173e81270b.txt references/postedit.txt
    """
    _check_bom(bom, fmt)
    cfg = _config(config, fail_on=fail_on, waivers=waivers, glossary=glossary)
    report = _run_reviewed(
        seed,
        list(refs or cfg.references),
        RunSettings(segmented=segmented, encoding=encoding, score=None, jobs=_jobs(jobs)),
        cfg,
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
    elif fmt is QueueFormat.xliff:
        text = render(_kept(report, items), Format.xliff)
    else:
        text = render_queue_text(report, items, width=_width())
    _emit(text, out)
    _gate(_kept(report, items), cfg.fail_on)


def _kept(report: Report, items: list[ReviewItem]) -> Report:
    """``report`` with only the flags that passed the queue's filters."""
    kept = {item.segment.id: item.flags for item in items}
    sentences = tuple(dataclasses.replace(s, flags=kept.get(s.id, ())) for s in report.sentences)
    return dataclasses.replace(report, sentences=sentences)


@app.command()
def batch(
    folder: Annotated[
        Path, typer.Argument(help="Folder of the documents to review (*.txt).", show_default=False)
    ],
    refs: Annotated[
        Path | None,
        typer.Option(
            "--refs",
            "-r",
            help="Folder of references: <name>, <stem>.*.txt or <stem>/*.txt per document "
            "(none found: that document runs reference-free).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the reports, index.json and index.html (created if missing).",
            show_default=False,
        ),
    ] = ...,  # type: ignore[assignment]  # required
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=0, help="Documents run at once (0: one per CPU core)."),
    ] = 0,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Format of each document's report.")
    ] = Format.html,
    scores: Annotated[
        bool,
        typer.Option("--scores/--no-scores", help="Score with sacrebleu (BLEU, chrF, TER, ...)."),
    ] = True,
    flags: Annotated[
        bool, typer.Option("--flags/--no-flags", help="Run the divergence checks.")
    ] = True,
    segmented: Segmented = False,
    encoding: Encoding = None,
) -> None:
    """Report on every document of a folder against its references, with an index page.

    Writes one report per document to OUT/<stem>.<format> and OUT/index.json and
    OUT/index.html. A bad document is recorded in the index and the others go on; the exit
    code is then 1.

    Example: transdiff batch seeds --refs references --out review
    """
    settings = RunSettings(segmented=segmented, encoding=encoding, detect=flags)
    if not scores:
        settings = dataclasses.replace(settings, score=None)
    try:
        with _progress() as progress:
            result = run_batch(
                folder, refs, out, fmt=fmt, jobs=_jobs(jobs), settings=settings, progress=progress
            )
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    total, failed = len(result.documents), len(result.failed)
    summary = f"transdiff: {total - failed} of {total} documents ok"
    if failed:
        summary += f", {failed} failed"
    typer.echo(f"{summary} (see {result.index_html})", err=True)
    if failed:
        raise typer.Exit(1)


# Review workflow: configuration, waivers and the CI gate.


def _config(path: Path | None, **options: object) -> Config:
    """The configuration file's settings with the command-line ``options`` on top."""
    try:
        return load_config(path).override(**options)
    except TransdiffError as exc:
        raise _fail(str(exc)) from None


def _review_inputs(paths: list[Path] | None, cfg: Config) -> tuple[Path, list[Path]]:
    """SEED and REF... as given; else the configured references; else the bundled job."""
    try:
        if paths:
            return paths[0], list(paths[1:]) or list(cfg.references)
        seed, refs = _default_inputs()
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    return seed, list(cfg.references) or refs


def _waivers_file(seed: Path, cfg: Config) -> Path:
    return cfg.waivers or default_waivers_path(seed)


def _read_waivers(path: Path) -> tuple[Waiver, ...]:
    try:
        return read_waivers(path)
    except TransdiffError as exc:
        raise _fail(str(exc)) from None


def _run_reviewed(seed: Path, refs: list[Path], settings: RunSettings, cfg: Config) -> Report:
    """Run with the configured checks and glossary, then apply the waivers."""
    waivers = _read_waivers(_waivers_file(seed, cfg))  # a bad file fails before the long run
    try:
        settings = run_settings(cfg, settings)
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    return apply_waivers(_run(seed, refs, settings), waivers)


def _gate(report: Report, threshold: Severity | None) -> None:
    """Exit 1 when an unwaived flag at or above ``threshold`` remains; say so on stderr."""
    if threshold is None:
        return
    counts = failing_flags(report, threshold)
    total = sum(counts.values())
    if not total:
        typer.echo(f"transdiff: no unwaived flags at or above {threshold}: passing", err=True)
        return
    detail = ", ".join(f"{n} {severity}" for severity, n in counts.items())
    typer.echo(
        f"transdiff: {total} unwaived flag{'s' * (total != 1)} at or above {threshold} "
        f"({detail}): failing",
        err=True,
    )
    raise typer.Exit(1)


@app.command()
def waive(
    flag_id: Annotated[
        str,
        typer.Argument(help="The flag's id (at least 6 characters of it).", show_default=False),
    ],
    paths: ReviewPaths = None,
    reason: Annotated[
        Reason, typer.Option("--reason", help="Why the flag is accepted.")
    ] = Reason.false_positive,
    comment: Annotated[
        str, typer.Option("--comment", help="A note for the next reviewer.")
    ] = "",
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
    segmented: Segmented = False,
    encoding: Encoding = None,
) -> None:
    """Accept a flag: record a waiver so later runs show it as waived, not as a flag.

    The waiver is keyed by the flag's id (category, sentence text and span): it applies as
    long as the sentence is unchanged. The run checks that the flag exists.

    Example: transdiff waive 3fa92c1b7d4e --reason wont-fix --comment "house style"
    """
    cfg = _config(config, waivers=waivers, glossary=glossary)
    seed, refs = _review_inputs(paths, cfg)
    path = _waivers_file(seed, cfg)
    settings = RunSettings(segmented=segmented, encoding=encoding, score=None)
    report = _run_reviewed(seed, refs, settings, cfg)
    try:
        found, segment = find_flag(report, flag_id)
        waiver = make_waiver(found, segment.text, reason=reason, comment=comment)
        write_waivers(path, add_waiver(_read_waivers(path), waiver))
    except TransdiffError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{path}: cannot write the waivers ({exc.strerror or exc})") from None
    typer.echo(
        f"waived {found.id} ({reason}: {found.severity} {found.category} "
        f"[{waiver.span}] in {segment.id}) in {path}"
    )


@app.command("waivers")
def list_waivers(
    paths: ReviewPaths = None,
    stale: Annotated[
        bool,
        typer.Option(
            "--stale", help="Only waivers that match no flag of the current run (needs a run)."
        ),
    ] = False,
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
    segmented: Segmented = False,
    encoding: Encoding = None,
) -> None:
    """List the recorded waivers, one a line; --stale: those whose sentence has changed.

    Example: transdiff waivers --stale
    """
    cfg = _config(config, waivers=waivers, glossary=glossary)
    seed, refs = _review_inputs(paths, cfg)
    path = _waivers_file(seed, cfg)
    listed = _read_waivers(path)
    if stale:
        settings = RunSettings(segmented=segmented, encoding=encoding, score=None)
        listed = stale_waivers(_run_reviewed(seed, refs, settings, cfg), listed)
    for w in listed:
        note = f"  # {w.comment}" if w.comment else ""
        typer.echo(f"{w.id}  {w.reason:<14} {w.category:<24} [{w.span}] {w.sentence}{note}")
    kind = "stale waiver" if stale else "waiver"
    typer.echo(f"transdiff: {len(listed)} {kind}{'s' * (len(listed) != 1)} in {path}", err=True)


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
