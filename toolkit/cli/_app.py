"""The typer application every command registers on."""

from __future__ import annotations

import sys
from typing import Annotated, Any, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

try:  # typer 0.2x carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef,import-not-found,unused-ignore]

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


# Metavars in click's style; typer's own are Python types (<bool>, <list[Path]>, <int range>)
_METAVARS = {int: "N", float: "X"}


def _metavar(param: Any) -> str:
    """A help metavar: SEED, REFS..., PATH, N, TEXT, a|b|c; none for a flag."""
    if isinstance(param, TyperArgument):
        return (param.name or "value").upper() + ("..." if param.nargs != 1 else "")
    if getattr(param, "is_flag", False):
        return ""
    desc = getattr(param, "type_descriptor", None)
    if desc is None:  # pragma: no cover - a plain click parameter
        return "TEXT"
    if desc.choices:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices)
    if desc.is_path:
        return "PATH"
    annotation = desc.annotation
    element = get_args(annotation)[0] if desc.is_list and get_args(annotation) else annotation
    return _METAVARS.get(element, "TEXT")


def _clean_metavars(params: list[Any]) -> None:
    """Give every parameter without an explicit metavar a clean one (see :func:`_metavar`)."""
    for param in params:
        if param.metavar is None:
            param.metavar = _metavar(param)
        if isinstance(param, TyperArgument):
            # the name column shows SEED already; typer would add <path> beside it
            param.display_type_rich = _no_type  # type: ignore[method-assign]


def _no_type(ctx: Any) -> None:
    return None


class _CleanHelp:
    """Help that shows SEED, [REF]... and PATH, not {seed} and <list[Path]> (mixed into the
    command and the group classes)."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _clean_metavars(self.params)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        _clean_metavars(params)  # --help is added here
        return params


class _Command(_CleanHelp, TyperCommand):
    """A command whose help shows SEED, [REF]... and PATH, not {seed} and <list[Path]>."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                metavar = param.metavar or param.name.upper()
                optional = not param.required and not metavar.startswith("[")
                pieces.append(f"[{metavar}]" if optional else metavar)
        return pieces


class _Typer(typer.Typer):
    """Every command is a :class:`_Command`."""

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or _Command, **kwargs)


class _Group(_CleanHelp, TyperGroup):
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


app = _Typer(
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
