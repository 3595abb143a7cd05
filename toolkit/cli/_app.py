"""The typer application every command registers on."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer 0.2x carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from toolkit import __version__
from toolkit.cli._terminal import say
from toolkit.errors import EXIT_INPUT, TransdiffError

ClickException = click_exceptions.ClickException
ClickUsageError = click_exceptions.UsageError
# click >= 8.2 raises it for a bare `transdiff` after printing the help; () catches nothing
NoArgsIsHelpError: Any = getattr(click_exceptions, "NoArgsIsHelpError", ())


def _command(ctx: Any, name: str | None = None) -> str:
    """``transdiff CMD``: the command a context parses (``python -m toolkit`` is transdiff too)."""
    names = [name] if name else []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(["transdiff", *reversed(names)])


def usage_line(exc: ClickUsageError, command: str = "transdiff") -> str:
    """A usage error as one line: what is wrong, and where the help is (``command --help``)."""
    # typer words a bad choice "Value error, 'x' is not one of ..."; the words add nothing
    message = " ".join(exc.format_message().replace("Value error, ", "").split())
    if exc.ctx is not None:
        command = _command(exc.ctx)
    return f"transdiff: error: {message.rstrip('.')}; see {command} --help"


class _Group(TyperGroup):
    """The command group: the one place where errors become one line on stderr.

    A :class:`~toolkit.errors.TransdiffError` from the library or a command: ``transdiff:
    error: <message>`` and the error's ``exit_code`` (2 for bad input).  A bad option value,
    an unknown option, a missing argument (click's usage errors, whose panels this replaces):
    ``transdiff: error: <what>; see transdiff CMD --help``, exit 2.  Here rather than in
    ``main`` so that ``app`` behaves the same when called directly (tests, ``-m toolkit``).
    """

    # The command being parsed: some click errors (an option missing its value) carry no context.
    _command = "transdiff"

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        self._command = _command(ctx, name)
        return name, command, rest

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        try:
            # Not standalone: click raises its errors here instead of printing the panel, and
            # returns the exit code of typer.Exit (--help, --version, --fail-on) or None.
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except NoArgsIsHelpError as exc:  # bare `transdiff`: typer has printed the help
            if exc.format_message().strip():
                typer.echo(exc.format_message())
            sys.exit(exc.exit_code)
        except TransdiffError as exc:
            say(f"transdiff: error: {exc}")
            sys.exit(exc.exit_code)
        except ClickUsageError as exc:
            say(usage_line(exc, self._command))
            sys.exit(EXIT_INPUT)
        except ClickException as exc:
            say(f"transdiff: error: {exc.format_message()}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            say("transdiff: aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="transdiff",
    help="Compare a translation with its references, sentence by sentence.",
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


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
