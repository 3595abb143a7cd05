"""The batch command: a folder of documents, one report each, and an index."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from toolkit.batch import run_batch
from toolkit.cli._app import app
from toolkit.cli._common import (
    ConfigPath,
    Encoding,
    FlagThreshold,
    GlossaryPath,
    Lang,
    Parallel,
    Segmented,
    SourceLang,
    Strict,
    _config,
    _jobs,
    _progress,
)
from toolkit.cli._terminal import say
from toolkit.report import Format
from toolkit.result import RunSettings


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
            help="Folder for the reports, index.json and index.html (created if missing; "
            "not an input folder nor inside one).",
            show_default=False,
        ),
    ] = ...,  # type: ignore[assignment]  # required
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Documents run at once (0: one per usable core; never more than the usable "
            "cores).",
        ),
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
    parallel: Parallel = False,
    lang: Lang = None,
    encoding: Encoding = None,
    strict: Strict = False,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            help="Waivers file for every document (default: transdiff.waivers.toml in FOLDER).",
            show_default=False,
        ),
    ] = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
    flag_threshold: FlagThreshold = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="Folder of the originals: each document's of the same name, else of the same "
            "stem (report.txt <- report.ru.txt), checked as report --source checks one.",
            show_default=False,
        ),
    ] = None,
    source_lang: SourceLang = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run the documents on the workers of this Dask distributed scheduler "
            "(tcp://host:8786) instead of local processes; needs transdiff\\[cluster] and the "
            "same files at the same paths on every worker.",
        ),
    ] = None,
) -> None:
    """Report on every document of a folder against its references, with an index page.

    Writes one report per document to OUT/<stem>.<txt|json|md|csv|html|xlf> and
    OUT/index.json and OUT/index.html. The configuration's checks, severities, glossary and
    waivers apply to every document, as in report. A bad document is recorded in the index
    and the others go on; the exit code is then 1.

    Example: transdiff batch seeds --refs references --out review
    """
    cfg = _config(config, waivers=waivers, glossary=glossary)
    settings = RunSettings(
        segmented=segmented,
        parallel=parallel,
        encoding=encoding,
        strict=strict,
        detect=flags,
        language=lang,
        source_language=source_lang,
        flag_threshold=flag_threshold,
    )
    if not scores:
        settings = dataclasses.replace(settings, score=None)
    with _progress() as progress:
        result = run_batch(
            folder,
            refs,
            out,
            fmt=fmt,
            jobs=_jobs(jobs),
            settings=settings,
            config=cfg,
            progress=progress,
            scheduler=scheduler,
            sources_dir=sources,
        )
    total, failed = len(result.documents), len(result.failed)
    summary = f"transdiff: {total - failed} of {total} documents ok"
    if failed:
        summary += f", {failed} failed"
    say(f"{summary} (see {result.index_html})")
    if failed:
        raise typer.Exit(1)
