"""Commands that write reports: report and the review queue (flag)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Annotated

import typer

from toolkit.checks import Category, Severity
from toolkit.cli._app import app
from toolkit.cli._common import (
    Bom,
    Color,
    ConfigPath,
    Encoding,
    FailOn,
    FlagThreshold,
    GlossaryPath,
    Jobs,
    Lang,
    Out,
    Parallel,
    SeedPaths,
    Segmented,
    SourceLang,
    SourcePath,
    Strict,
    WaiversPath,
    Width,
    _config,
    _emit,
    _gate,
    _inputs,
    _jobs,
    _output,
    _review_inputs,
    _run_reviewed,
    _stem,
    _use_color,
    _width,
)
from toolkit.cli._terminal import say
from toolkit.errors import UsageError
from toolkit.report import (
    FORMATS,
    Format,
    check_options,
    output_format,
    render,
    render_queue,
)
from toolkit.report.json import json_chunks
from toolkit.report.queue import queue_report
from toolkit.result import RunSettings
from toolkit.review import review_queue

_FORMATS = ", ".join(f"{f} ({spec.description})" for f, spec in FORMATS.items())


@app.command()
def report(
    paths: SeedPaths = None,
    segmented: Segmented = False,
    lang: Lang = None,
    parallel: Parallel = False,
    jobs: Jobs = 0,
    encoding: Encoding = None,
    strict: Strict = False,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help=f"Output format: {_FORMATS}.")
    ] = Format.text,
    out: Out = None,
    width: Width = None,
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
    flag_threshold: FlagThreshold = None,
    fail_on: FailOn = None,
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
    source: SourcePath = None,
    source_lang: SourceLang = None,
) -> None:
    """Segment, align, score and check the seed against every reference; write the report.

    Formats: text (the terminal view: word diffs and flags), json, md (a pull-request
    comment), csv (one row per flag, for a spreadsheet), html (a page to open in a browser)
    and xliff. --out FOLDER/ writes FOLDER/<seed name>.<txt|json|md|csv|html|xlf>.

    Example: transdiff report --format html --out report.html
    """
    check_options(fmt, bom=bom)
    cfg = _config(config, fail_on=fail_on, waivers=waivers, glossary=glossary)
    if cfg.fail_on is not None and not flags:
        raise UsageError("--fail-on needs the checks; drop --no-flags")
    seed, refs = _review_inputs(paths, cfg)
    name = f"{_stem(seed)}.{output_format(fmt).extension}"
    target = _output(out, name, _inputs(seed, refs, cfg, source))
    settings = RunSettings(
        segmented=segmented,
        parallel=parallel,
        encoding=encoding,
        strict=strict,
        detect=flags,
        jobs=_jobs(jobs),
        language=lang,
        source_language=source_lang,
        flag_threshold=flag_threshold,
    )
    if not scores:
        settings = dataclasses.replace(settings, score=None)
    result = _run_reviewed(seed, refs, settings, cfg, source)
    use_color = target is None and _use_color(color)
    # The page opens on the reference named first; on the closest one when they were found.
    named = bool(paths and paths[1:]) or bool(cfg.references)
    first = result.references[0].name if named and result.references else None
    text: str | Iterator[str]
    if target is not None and output_format(fmt).format is Format.json and not bom:
        text = json_chunks(result)  # written batch by batch: bounded memory on long texts
    else:
        text = render(result, fmt, width=_width(width), color=use_color, bom=bom, reference=first)
    _emit(text, target, color=use_color)
    _gate(result, cfg.fail_on)


@app.command()
def flag(
    paths: SeedPaths = None,
    min_severity: Annotated[
        Severity, typer.Option("--min-severity", help="Leave out flags below this severity.")
    ] = Severity.minor,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            help="Keep only this category (repeatable): accuracy/pronoun, or just pronoun.",
            show_default=False,
            metavar="NAME",
        ),
    ] = None,
    segmented: Segmented = False,
    parallel: Parallel = False,
    lang: Lang = None,
    jobs: Jobs = 0,
    encoding: Encoding = None,
    strict: Strict = False,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text and json list the queue; md, csv, html and xliff render "
            "the report with the queue's flags only.",
        ),
    ] = Format.text,
    out: Out = None,
    width: Width = None,
    bom: Bom = False,
    flag_threshold: FlagThreshold = None,
    fail_on: FailOn = None,
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
    source: SourcePath = None,
    source_lang: SourceLang = None,
) -> None:
    """List the seed sentences that need a reviewer, most suspect first, with their flags.

    --out FOLDER/ writes FOLDER/<seed name>.flags.<txt|json|md|csv|html|xlf>.

    Example: transdiff flag seeds/000_ad300a173e81270b.txt references/postedit.txt
    """
    check_options(fmt, bom=bom)
    cfg = _config(config, fail_on=fail_on, waivers=waivers, glossary=glossary)
    seed, refs = _review_inputs(paths, cfg, "flag")
    name = f"{_stem(seed)}.flags.{output_format(fmt).extension}"
    target = _output(out, name, _inputs(seed, refs, cfg, source))
    report = _run_reviewed(
        seed,
        refs,
        RunSettings(
            segmented=segmented,
            parallel=parallel,
            encoding=encoding,
            strict=strict,
            score=None,
            jobs=_jobs(jobs),
            language=lang,
            source_language=source_lang,
            flag_threshold=flag_threshold,
        ),
        cfg,
        source,
    )
    if not report.references:
        say("transdiff: no reference given: running the reference-free checks only")
    items = review_queue(report, min_severity=min_severity, categories=_categories(category))
    named = report.references[0].name if report.references else None
    _emit(render_queue(report, items, fmt, width=_width(width), bom=bom, reference=named), target)
    _gate(queue_report(report, items), cfg.fail_on)


def _categories(names: list[str] | None) -> list[Category] | None:
    """The ``--category`` names as categories (after the configuration registered its own)."""
    if not names:
        return None
    try:
        return [Category.named(name) for name in names]
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--category'") from None
