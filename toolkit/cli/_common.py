"""Options and helpers shared by the commands: colour, progress, config, the CI gate.

Errors are raised, not caught: the main group (:mod:`toolkit.cli._app`) turns every
:class:`~toolkit.errors.TransdiffError` into one line on stderr and its exit code.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar

from toolkit.checks import Severity
from toolkit.cli._terminal import is_terminal, say, show
from toolkit.config import Config, load_config
from toolkit.detect import PARALLEL_MIN_SENTENCES
from toolkit.document import STDIN
from toolkit.errors import OutputError, UsageError
from toolkit.lang import language
from toolkit.paths import check_outputs, output_file
from toolkit.pipeline import Progress, compare_files
from toolkit.report import write_atomic
from toolkit.result import Report, RunSettings
from toolkit.review import failing_flags, review_files, waivers_path
from toolkit.workers import usable_cores

Segmented = Annotated[
    bool,
    typer.Option(
        "--segmented",
        help="Every non-empty line is one segment (line-aligned MT data), id L<line>.",
    ),
]


def _language_code(value: str | None) -> str | None:
    """--lang checked before any file is read: an unknown code is one line, exit 2."""
    if value is None:
        return None
    return language(value).code  # a LanguageError is one line, exit 2 (cli/_app.py)


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="The seed's language (ISO 639 code: en, de, ...); default: the target language "
        "a TMX/XLIFF/PO file declares, else identified from the text.",
        callback=_language_code,
        show_default=False,
    ),
]
Parallel = Annotated[
    bool,
    typer.Option(
        "--parallel",
        help="The files are line-parallel (line i of the seed translates line i of each "
        "reference), as sacrebleu expects: lines are paired in order, not aligned, and the "
        "scores equal sacrebleu's. Implies --segmented.",
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", help="Codec of every input (e.g. cp1251) instead of detection."),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse an input with bytes that are not valid UTF-8 (default: read them as "
        "U+FFFD and warn with their byte offsets).",
    ),
]
FlagThreshold = Annotated[
    float | None,
    typer.Option(
        "--flag-threshold",
        min=0.0,
        max=1.0,
        metavar="P",
        help="Show only flags whose verified probability of marking a real error is at least "
        "P (0: every flag); default: the verifier's threshold, chosen on its training data. "
        "Flags whose span a post-edit reference changes are always shown.",
        show_default=False,
    ),
]
Jobs = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help=f"Worker processes for the checks on documents of {PARALLEL_MIN_SENTENCES:,} "
        "sentences or more (0: one per usable core; never more than the usable cores, nor "
        f"more than one per {PARALLEL_MIN_SENTENCES // 2:,} sentences).",
    ),
]
Out = Annotated[
    str | None,  # a str: Path would drop the trailing slash of "--out review/"
    typer.Option(
        "--out",
        "-o",
        metavar="PATH",
        help="Write the output to this file, atomically (a symbolic link is written through to "
        "its target). A folder (an existing one, or PATH ending in /) gets a file named after "
        "the seed. Never an input file.",
        show_default=False,
    ),
]
Width = Annotated[
    int | None,
    typer.Option(
        "--width",
        min=40,
        help="Columns of the text output (default: the terminal's; 80 when piped).",
        show_default=False,
    ),
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
        help="Configuration file (default: transdiff.toml or \\[tool.transdiff] in "
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
SourcePath = Annotated[
    Path | None,
    typer.Option(
        "--source",
        help="The original the seed translates (any language): source checks (numbers, "
        "placeholders, tags, URLs, untranslated text, punctuation, length) and the arbiter of "
        "reference-based number and name flags.  A TMX, XLIFF or PO seed's own sources are "
        "used without it.",
        show_default=False,
    ),
]
SourceLang = Annotated[
    str | None,
    typer.Option(
        "--source-lang",
        help="The source's language (ISO 639 code); default: the one a unit file declares, "
        "else identified from the text.",
        callback=_language_code,
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
SeedPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[SEED [REF]...]",
        help="The translation under review, then its references (- is standard input, for one "
        "of them); none: the file in seeds/ and every .txt in references/; a SEED alone: the "
        "configuration's references, else reference-free checks only.",
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
InputPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[SEED [REF]...]",
        help="The translation under review, then its references (- is standard input, for one "
        "of them); none: the file in seeds/ and every .txt in references/; a SEED alone: "
        "every .txt in references/.",
        show_default=False,
    ),
]


def _warn(report: Report) -> None:
    for warning in report.warnings:
        say(f"transdiff: warning: {warning}")


def _width(value: int | None = None) -> int:
    """Columns of the text views: ``--width``; else the terminal's (at least 60) when stdout is
    a terminal; else 80 (piped or redirected, whatever COLUMNS says)."""
    if value is not None:
        return value
    if is_terminal(sys.stdout):
        return max(60, shutil.get_terminal_size((80, 24)).columns)
    return 80


def _default_inputs(command: str = "report") -> tuple[Path, list[Path]]:
    """The bundled job: the one text file in seeds/ and every text file in references/."""
    seeds = sorted(Path("seeds").glob("*.txt"))
    if len(seeds) != 1:
        found = "no" if not seeds else str(len(seeds))
        raise UsageError(
            f"no SEED given and seeds/ holds {found} .txt files (expected one); "
            f"run from the project folder or name the files: transdiff {command} SEED [REF...]"
        )
    return seeds[0], _default_references()


def _default_references() -> list[Path]:
    """Every text file in references/ (none when there is no such folder)."""
    return sorted(Path("references").glob("*.txt"))


def _table_inputs(paths: list[Path] | None, command: str) -> tuple[Path, list[Path]]:
    """SEED and REF... as given; a SEED alone: the references in references/; none: the
    bundled job (as for report, without a configuration)."""
    if not paths:
        seed, refs = _default_inputs(command)
    else:
        seed, refs = paths[0], list(paths[1:]) or _default_references()
    if not refs:
        raise UsageError(
            f"no reference given and references/ holds no .txt file; "
            f"name one: transdiff {command} SEED REF..."
        )
    return seed, refs


def _default_systems() -> list[Path]:
    """compare's systems when none is given: every text file in seeds/."""
    systems = sorted(Path("seeds").glob("*.txt"))
    if len(systems) < 2:
        found = "no" if not systems else str(len(systems))
        raise UsageError(
            f"no SYSTEMS given and seeds/ holds {found} .txt file{'s' * (len(systems) != 1)} "
            "(compare needs two or more); name them: transdiff compare SYS1 SYS2 [--ref REF]"
        )
    return systems


def _use_color(choice: bool | None) -> bool:
    """Colour when asked, else when stdout is a terminal and NO_COLOR is unset or empty."""
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(sys.stdout)


_STEPS = {"reading": "file", "segmenting": "text", "aligning": "reference"}


@contextlib.contextmanager
def _progress() -> Iterator[Progress | None]:
    """A transient progress bar on stderr when stderr is a terminal; nothing otherwise."""
    if not is_terminal(sys.stderr):
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
    """0 means one worker per CPU core this process may use; the library caps the rest."""
    return value or usable_cores()


def _check_stdin(paths: list[Path]) -> None:
    """``-`` (standard input) at most once: a stream can be read only once."""
    if sum(str(p) == STDIN for p in paths) > 1:
        raise UsageError(
            "-: standard input is given twice; it can be read once: "
            "give it as the seed or as one reference"
        )


def _stem(seed: Path) -> str:
    """The seed's name in output file names (``stdin`` for standard input)."""
    return "stdin" if str(seed) == STDIN else seed.stem


def _run(seed: Path, refs: list[Path], settings: RunSettings) -> Report:
    _check_stdin([seed, *refs])
    with _progress() as progress:
        report = compare_files(seed, refs, settings=settings, progress=progress)
    _warn(report)
    return report


def _emit(text: str | Iterable[str], out: Path | None, *, color: bool = False) -> None:
    """Print ``text``, or write it (or its pieces) to ``out`` atomically (complete or not at
    all)."""
    if out is None:
        show(text if isinstance(text, str) else "".join(text), color=color)
        return
    try:
        write_atomic(out, text)
    except OSError as exc:  # a full disk, a lost mount: write_atomic has removed its temp file
        raise OutputError(f"{out}: cannot write the report ({exc.strerror or exc})") from None
    say(f"transdiff: wrote {out}")


def _inputs(
    seed: Path, refs: list[Path], cfg: Config, source: Path | None = None
) -> list[Path | None]:
    """Every file a review run reads: seed, references, waivers, glossary, configuration,
    and the original text."""
    return [seed, *refs, _waivers_file(seed, cfg), cfg.glossary, cfg.source, source]


def _output(out: str | None, name: str, inputs: list[Path | None]) -> Path | None:
    """The file ``--out`` names (``OUT/name`` for a folder); an input file is refused."""
    if out is None:
        return None
    path = output_file(out, name)
    check_outputs([path], inputs=inputs)
    return path


def _config(path: Path | None, **options: object) -> Config:
    """The configuration file's settings with the command-line ``options`` on top."""
    return load_config(path).override(**options)


def _review_inputs(
    paths: list[Path] | None, cfg: Config, command: str = "report"
) -> tuple[Path, list[Path]]:
    """SEED and REF... as given; else the configured references; else the bundled job."""
    if paths:
        return paths[0], list(paths[1:]) or list(cfg.references)
    seed, refs = _default_inputs(command)
    return seed, list(cfg.references) or refs


def _waivers_file(seed: Path, cfg: Config) -> Path:
    return waivers_path(seed.parent, cfg)


def _run_reviewed(
    seed: Path, refs: list[Path], settings: RunSettings, cfg: Config, source: Path | None = None
) -> Report:
    """The review run (:func:`toolkit.review.review_files`) with a progress bar and warnings."""
    _check_stdin([seed, *refs])
    with _progress() as progress:
        report = review_files(
            seed, refs, settings=settings, config=cfg, source=source, progress=progress
        )
    _warn(report)
    return report


def _gate(report: Report, threshold: Severity | None) -> None:
    """Exit 1 when an unwaived flag at or above ``threshold`` remains; say so on stderr."""
    if threshold is None:
        return
    counts = failing_flags(report, threshold)
    total = sum(counts.values())
    if not total:
        say(f"transdiff: no unwaived flags at or above {threshold}: passing")
        return
    detail = ", ".join(f"{n} {severity}" for severity, n in counts.items())
    say(
        f"transdiff: {total} unwaived flag{'s' * (total != 1)} at or above {threshold} "
        f"({detail}): failing"
    )
    raise typer.Exit(1)
