"""Project configuration: ``transdiff.toml`` or ``[tool.transdiff]`` in ``pyproject.toml``.

Looked up in the current folder (``transdiff.toml`` first), or read from a file given with
``--config``.  Keys::

    references = ["references/postedit.txt"]     # default references
    disabled_checks = ["mistranslation"]         # checks not to run
    fail_on = "major"                            # CI gate (see ``--fail-on``)
    glossary = "glossary.csv"                    # term,required[,forbidden|variants]
    waivers = "review/waivers.toml"              # instead of transdiff.waivers.toml
    checks = ["my_checks:SHOUTING"]              # your own checks (module:object)
    flag_threshold = 0                           # show every flag (default: the verifier's)
    [tool.transdiff.severity]                    # category -> severity of its flags
    "accuracy/number" = "critical"               # or the short name: number = "critical"

Relative paths are relative to the configuration file's folder, where the modules of
``checks`` are looked for too (then among the installed packages).  Command-line options
override the file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from toolkit.checks import Category, Check, Severity, check_names
from toolkit.checks.plugins import load_check
from toolkit.checks.terminology import read_glossary
from toolkit.document import read_bytes
from toolkit.errors import InputError, UsageError
from toolkit.result import RunSettings

__all__ = [
    "CONFIG_NAME",
    "KEYS",
    "Config",
    "find_config",
    "load_config",
    "parse_config",
    "run_settings",
]

CONFIG_NAME = "transdiff.toml"
KEYS = (
    "references",
    "disabled_checks",
    "severity",
    "fail_on",
    "glossary",
    "waivers",
    "checks",
    "flag_threshold",
)


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from a configuration file (all optional).

    Attributes:
        references: Default reference files.
        disabled_checks: Names of checks not to run.
        severity: Category -> severity given to its flags.
        fail_on: Exit 1 when an unwaived flag at or above this severity remains.
        glossary: Glossary CSV for the terminology checks.
        waivers: Waivers file instead of ``transdiff.waivers.toml`` beside the seed.
        checks: The project's own checks, run after the registered ones.
        flag_threshold: Verified probability below which flags are not shown (None: the
            verifier's own threshold; 0 shows every flag).
        source: The file the settings came from (None: defaults).
    """

    references: tuple[Path, ...] = ()
    disabled_checks: tuple[str, ...] = ()
    severity: Mapping[Category, Severity] = field(default_factory=lambda: MappingProxyType({}))
    fail_on: Severity | None = None
    glossary: Path | None = None
    waivers: Path | None = None
    checks: tuple[Check, ...] = ()
    flag_threshold: float | None = None
    source: Path | None = None

    def __post_init__(self) -> None:
        known = check_names(self.checks)
        unknown = [n for n in self.disabled_checks if n not in known]
        if unknown:
            raise UsageError(
                f"disabled_checks: unknown check {unknown[0]!r}; known checks: {', '.join(known)}"
            )
        object.__setattr__(self, "severity", MappingProxyType(_severities(self.severity)))
        if self.fail_on is not None:
            object.__setattr__(self, "fail_on", _severity("fail_on", self.fail_on))
        if self.flag_threshold is not None and not 0 <= self.flag_threshold <= 1:
            raise UsageError(f"flag_threshold must be in [0, 1], got {self.flag_threshold}")

    def override(self, **options: Any) -> Config:
        """This configuration with the command-line ``options`` that were given (not None)."""
        return dataclasses.replace(self, **{k: v for k, v in options.items() if v is not None})


def run_settings(config: Config, settings: RunSettings) -> RunSettings:
    """``settings`` with the checks, severities and glossary of ``config`` added (the
    configuration's severity of a category, and its glossary, win over the settings'; its
    flag threshold applies when the settings have none).

    Raises:
        InputError: The glossary cannot be read.
    """
    return dataclasses.replace(
        settings,
        disabled_checks=tuple(dict.fromkeys((*settings.disabled_checks, *config.disabled_checks))),
        severity_overrides={**settings.severity_overrides, **config.severity},
        extra_checks=(*settings.extra_checks, *config.checks),
        glossary=read_glossary(config.glossary) if config.glossary else settings.glossary,
        flag_threshold=(
            settings.flag_threshold
            if settings.flag_threshold is not None
            else config.flag_threshold
        ),
    )


def _category(name: str | Category) -> Category:
    """A category from its value (``accuracy/number``) or the part after the slash."""
    try:
        return Category.named(str(name))
    except ValueError as exc:
        raise UsageError(f"severity: {exc}") from None


def _severities(table: Mapping[Any, Any]) -> dict[Category, Severity]:
    return {_category(k): _severity(f"severity.{k}", v) for k, v in table.items()}


def _severity(key: str, value: object) -> Severity:
    try:
        if isinstance(value, str):
            return Severity(value)
    except ValueError:
        pass
    choices = ", ".join(s.value for s in Severity)
    raise UsageError(f"{key}: {value!r} is not a severity; use one of {choices}")


def find_config(folder: str | Path = ".") -> Path | None:
    """``transdiff.toml`` in ``folder``, else its ``pyproject.toml`` if that has
    ``[tool.transdiff]``, else None."""
    folder = Path(folder)
    own = folder / CONFIG_NAME
    if own.exists():  # a folder or a pipe of that name is an error when read, not skipped
        return own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(read_bytes(pyproject).decode("utf-8"))
        except (InputError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None  # not ours to judge: a broken pyproject.toml without our table
        if "transdiff" in data.get("tool", {}):
            return pyproject
    return None


def load_config(path: str | Path | None = None, *, folder: str | Path = ".") -> Config:
    """The configuration in ``path``, or the one :func:`find_config` finds in ``folder``
    (defaults when there is none).

    Raises:
        InputError: The file is missing, not a regular file, not TOML, has an unknown key
            or a bad value (the message names the file and the key).
    """
    if path is None:
        path = find_config(folder)
        if path is None:
            return Config()
    path = Path(path)
    # A pipe or a device would hang or never end: refused by read_bytes before it is opened.
    raw = read_bytes(path, missing="configuration file not found")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: the configuration is not UTF-8 ({exc.reason} at byte offset {exc.start})"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, source=path)


def parse_config(data: Mapping[str, Any], *, source: Path) -> Config:
    """A :class:`Config` from parsed TOML: ``[tool.transdiff]`` when present (required in a
    ``pyproject.toml``), else the top level."""
    tool = data.get("tool")
    if isinstance(tool, dict) and "transdiff" in tool:
        table, where = tool["transdiff"], "[tool.transdiff]"
    elif source.name == "pyproject.toml":
        return Config(source=source)
    else:
        table, where = data, "the top level"
    if not isinstance(table, dict):
        raise InputError(f"{source}: {where} must be a table")
    unknown = [k for k in table if k not in KEYS]
    if unknown:
        raise InputError(
            f"{source}: unknown key {unknown[0]!r} in {where}; known keys: {', '.join(KEYS)}"
        )
    base = source.parent
    try:
        return Config(
            references=tuple(base / p for p in _strings(table, "references")),
            disabled_checks=tuple(_strings(table, "disabled_checks")),
            severity=_severities(_table(table, "severity")),
            fail_on=_string(table, "fail_on"),  # type: ignore[arg-type]  # checked by Config
            glossary=_path(base, table, "glossary"),
            waivers=_path(base, table, "waivers"),
            checks=tuple(load_check(s, folder=base) for s in _strings(table, "checks")),
            flag_threshold=_number(table, "flag_threshold"),
            source=source,
        )
    except UsageError as exc:
        raise InputError(f"{source}: {exc}") from None


def _strings(table: Mapping[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{key!r} must be a list of strings, got {value!r}")
    return value


def _string(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise UsageError(f"{key!r} must be a string, got {value!r}")
    return value


def _number(table: Mapping[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{key!r} must be a number, got {value!r}")
    return float(value)


def _path(base: Path, table: Mapping[str, Any], key: str) -> Path | None:
    value = _string(table, key)
    return base / value if value else None


def _table(table: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise UsageError(f'{key!r} must be a table (category = "severity"), got {value!r}')
    return value
