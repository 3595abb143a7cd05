"""Review decisions: waive a flag, list waivers."""

from __future__ import annotations

from typing import Annotated

import typer

from toolkit.cli._app import app
from toolkit.cli._common import (
    ConfigPath,
    Encoding,
    GlossaryPath,
    ReviewPaths,
    Segmented,
    Strict,
    WaiversPath,
    _config,
    _review_inputs,
    _run_reviewed,
    _waivers_file,
)
from toolkit.cli._terminal import say, show
from toolkit.errors import OutputError
from toolkit.paths import check_outputs
from toolkit.report.terminal import terminal_safe
from toolkit.result import RunSettings
from toolkit.waivers import (
    Reason,
    find_flag,
    make_waiver,
    read_waivers,
    record_waiver,
    stale_waivers,
)


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
    comment: Annotated[str, typer.Option("--comment", help="A note for the next reviewer.")] = "",
    waivers: WaiversPath = None,
    glossary: GlossaryPath = None,
    config: ConfigPath = None,
    segmented: Segmented = False,
    encoding: Encoding = None,
    strict: Strict = False,
) -> None:
    """Accept a flag: record a waiver so later runs show it as waived, not as a flag.

    The waiver is keyed by the flag's id (category, sentence text and span): it applies as
    long as the sentence is unchanged. The run checks that the flag exists.

    Example: transdiff waive 3fa92c1b7d4e --reason wont-fix --comment "house style"
    """
    cfg = _config(config, waivers=waivers, glossary=glossary)
    seed, refs = _review_inputs(paths, cfg)
    path = _waivers_file(seed, cfg)
    check_outputs([path], inputs=[seed, *refs, cfg.glossary, cfg.source], what="waivers file")
    settings = RunSettings(segmented=segmented, encoding=encoding, strict=strict, score=None)
    report = _run_reviewed(seed, refs, settings, cfg)
    found, segment = find_flag(report, flag_id)
    waiver = make_waiver(found, segment.text, reason=reason, comment=comment)
    try:
        record_waiver(path, waiver)  # under a lock: concurrent waives lose nothing
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the waivers ({exc.strerror or exc})") from None
    done = (
        f"waived {found.id} ({reason}: {found.severity} {found.category} "
        f"[{waiver.span}] in {segment.id}) in {path}"
    )
    show(terminal_safe(done, one_line=True) + "\n")


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
    strict: Strict = False,
) -> None:
    """List the recorded waivers, one a line; --stale: those whose sentence has changed.

    Example: transdiff waivers --stale
    """
    cfg = _config(config, waivers=waivers, glossary=glossary)
    seed, refs = _review_inputs(paths, cfg)
    path = _waivers_file(seed, cfg)
    listed = read_waivers(path)
    if stale:
        settings = RunSettings(segmented=segmented, encoding=encoding, strict=strict, score=None)
        listed = stale_waivers(_run_reviewed(seed, refs, settings, cfg), listed)
    lines = []
    for w in listed:
        note = f"  # {w.comment}" if w.comment else ""
        line = f"{w.id}  {w.reason:<14} {w.category:<24} [{w.span}] {w.sentence}{note}"
        lines.append(terminal_safe(line, flat=True) + "\n")
    show("".join(lines))
    kind = "stale waiver" if stale else "waiver"
    say(f"transdiff: {len(listed)} {kind}{'s' * (len(listed) != 1)} in {path}")
