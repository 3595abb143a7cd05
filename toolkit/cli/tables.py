"""Commands that print tables: align, score, compare."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli._app import app
from toolkit.cli._common import (
    Encoding,
    InputPaths,
    Lang,
    Out,
    Parallel,
    Segmented,
    SourceLang,
    Strict,
    Width,
    _check_stdin,
    _default_references,
    _default_systems,
    _emit,
    _output,
    _run,
    _stem,
    _table_inputs,
    _width,
)
from toolkit.cli._terminal import say
from toolkit.compare import CompareSettings
from toolkit.compare_analysis import AnalysisSettings, ReferenceAnalysis, analyse_files
from toolkit.report import (
    TableFormat,
    render_alignment_table,
    render_json,
    render_score_table,
    render_sentence_scores,
)
from toolkit.report.alignment import AlignFormat, render_alignment_json, render_alignment_tsv
from toolkit.report.compare_html import render_compare_html
from toolkit.report.compare_json import render_compare_v2
from toolkit.report.compare_text import render_compare_text
from toolkit.result import RunSettings
from toolkit.score import ScoreSettings

CompareSource = Annotated[
    Path | None,
    typer.Option(
        "--source",
        help="The original the systems translate (any language): each system gets the source "
        "checks, and the source settles the reference-based number, name, month and negation "
        "flags it can judge.",
        show_default=False,
    ),
]


class CompareFormat(StrEnum):
    """Output formats of ``compare``."""

    text = "text"
    json = "json"
    html = "html"


@app.command()
def align(
    paths: InputPaths = None,
    segmented: Segmented = False,
    lang: Lang = None,
    parallel: Parallel = False,
    encoding: Encoding = None,
    strict: Strict = False,
    fmt: Annotated[
        AlignFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text (a table, texts cut to fit), json or tsv (every bead "
            "with the full texts of both sides).",
        ),
    ] = AlignFormat.text,
    out: Out = None,
    width: Width = None,
) -> None:
    """Show how the seed's sentences align with each reference's, as a table of beads.

    --out FOLDER/ writes FOLDER/<seed name>.align.<txt|json|tsv>.

    Example: transdiff align seeds/000_ad300a173e81270b.txt references/alternative.txt
    """
    seed, refs = _table_inputs(paths, "align")
    target = _output(out, f"{_stem(seed)}.align.{fmt.extension}", [seed, *refs])
    settings = RunSettings(
        segmented=segmented, parallel=parallel, encoding=encoding, strict=strict, language=lang
    )
    report = _run(seed, refs, settings)
    if fmt is AlignFormat.json:
        text = render_alignment_json(report)
    elif fmt is AlignFormat.tsv:
        text = render_alignment_tsv(report)
    else:
        columns = _width(width)
        tables = [render_alignment_table(report, ref, width=columns) for ref in report.references]
        text = "\n".join(tables)
    _emit(text, target)


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
    if not names:
        return ScoreSettings(tokenize=tokenize, lowercase=lowercase, chrf_word_order=word_order)
    return ScoreSettings(
        metrics=tuple(names),  # type: ignore[arg-type]  # validated in __post_init__
        tokenize=tokenize,
        lowercase=lowercase,
        chrf_word_order=word_order,
    )


@app.command()
def score(
    paths: InputPaths = None,
    sentences: Annotated[
        bool, typer.Option("--sentences", help="Also list per-sentence scores, worst first.")
    ] = False,
    metrics: Metrics = None,
    tokenize: Tokenize = "13a",
    lowercase: Lowercase = False,
    chrf_word_order: WordOrder = 2,
    segmented: Segmented = False,
    lang: Lang = None,
    parallel: Parallel = False,
    encoding: Encoding = None,
    strict: Strict = False,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TableFormat.text,
    out: Out = None,
    width: Width = None,
) -> None:
    """Score the seed against each reference and all together (BLEU, chrF, chrF++, TER).

    Seed and references need not be line-aligned: scores follow the sentence alignment.
    --out FOLDER/ writes FOLDER/<seed name>.scores.<txt|json>.

    Example: transdiff score seeds/000_ad300a173e81270b.txt references/postedit.txt --sentences
    """
    seed, refs = _table_inputs(paths, "score")
    target = _output(out, f"{_stem(seed)}.scores.{_extension(fmt)}", [seed, *refs])
    settings = _score_settings(metrics, tokenize, lowercase, chrf_word_order)
    report = _run(
        seed,
        refs,
        RunSettings(
            segmented=segmented,
            parallel=parallel,
            encoding=encoding,
            strict=strict,
            score=settings,
            language=lang,
        ),
    )
    if fmt is TableFormat.json:
        _emit(render_json(report), target)
        return
    columns = _width(width)
    text = render_score_table(report, width=columns)
    if sentences:
        text += "\n" + render_sentence_scores(report, width=columns)
    _emit(text, target)


@app.command()
def compare(
    systems: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Two or more translations of the same text; the first is the baseline "
            "(- is standard input, for one of them); none: every .txt in seeds/.",
            show_default=False,
        ),
    ] = None,
    refs: Annotated[
        list[Path] | None,
        typer.Option(
            "--ref",
            "-r",
            metavar="PATH",
            help="A reference (repeat for several); none: every .txt in references/.",
            show_default=False,
        ),
    ] = None,
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
    ngrams: Annotated[
        int,
        typer.Option(
            "--ngrams",
            min=1,
            help="Salient n-grams listed each way (those one system matches and the other misses).",
        ),
    ] = 10,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, help="Random seed of the flag-count bootstrap (reproducible)."
        ),
    ] = 12345,
    segmented: Segmented = False,
    lang: Lang = None,
    encoding: Encoding = None,
    strict: Strict = False,
    fmt: Annotated[
        CompareFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text, json (transdiff/compare-v2) or html (a side-by-side page).",
        ),
    ] = CompareFormat.text,
    out: Out = None,
    width: Width = None,
    source: CompareSource = None,
    source_lang: SourceLang = None,
) -> None:
    """Rank translations of one text with paired tests, and show where they differ.

    Systems need not be line-aligned: each is aligned to every reference, whose segmentation
    is the unit of the tests.  Besides ranks and p-values: scores by sentence length, word
    accuracy by word frequency, the n-grams each system matches and the other misses, and
    flags per category with a paired bootstrap.  With --source, every system is also
    checked against the original and the source settles reference-based flags.  --out FOLDER/
    writes FOLDER/<baseline name>.compare.<txt|json|html>.

    Example: transdiff compare sys1.txt sys2.txt --ref references/postedit.txt -f html -o cmp.html
    """
    systems = list(systems or _default_systems())
    refs = list(refs or _default_references())
    _check_stdin([*systems, *refs])
    extension = "txt" if fmt is CompareFormat.text else fmt.value
    inputs: list[Path | None] = [*systems, *refs, source]
    target = _output(out, f"{_stem(systems[0])}.compare.{extension}", inputs)
    score = _score_settings(metrics, tokenize, lowercase, chrf_word_order)
    settings = CompareSettings(
        segmented=segmented,
        encoding=encoding,
        strict=strict,
        score=score,
        bootstrap_samples=bootstrap,
        ar_trials=ar_trials,
        language=lang,
    )
    analysis = AnalysisSettings(ngram_top=ngrams, samples=bootstrap, seed=seed)
    analyses = analyse_files(
        systems,
        refs,
        settings=settings,
        analysis=analysis,
        source=source,
        source_language=source_lang,
    )
    # Each comparison repeats the systems' warnings; say each once, as report does.
    said = (w for a in analyses for w in (*a.comparison.warnings, *_source_warnings(a)))
    for warning in dict.fromkeys(said):
        say(f"transdiff: warning: {warning}")
    if fmt is CompareFormat.json:
        _emit(render_compare_v2(analyses), target)
    elif fmt is CompareFormat.html:
        _emit(render_compare_html(analyses), target)
    else:
        _emit(render_compare_text(analyses, width=_width(width)), target)


def _source_warnings(analysis: ReferenceAnalysis) -> tuple[str, ...]:
    return analysis.source.warnings if analysis.source else ()


def _extension(fmt: TableFormat) -> str:
    return "txt" if fmt is TableFormat.text else fmt.value
