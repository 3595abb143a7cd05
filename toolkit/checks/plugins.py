"""Load a user's own check from ``module:attribute`` (a configuration's ``checks`` key)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from toolkit.checks.protocol import Check
from toolkit.errors import UsageError

__all__ = ["load_check"]


def load_check(spec: str, *, folder: Path | None = None) -> Check:
    """The check object named by ``spec`` (``"my_checks:SHOUTING"``).

    Args:
        spec: A module path, a colon and the name of a check object (or of a class or
            function that takes no argument and returns one) in that module.
        folder: Where the module may also be found (the configuration file's folder); it
            stays on ``sys.path`` so that worker processes find the module too.

    Raises:
        UsageError: The spec is malformed, the module or the name is missing, or the object
            is not a check.
    """
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name.strip() or not attribute.strip():
        raise UsageError(f"checks: {spec!r} is not 'module:name' (for example 'my_checks:CHECK')")
    if folder is not None and str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(module_name.strip())
    except ImportError as exc:
        where = f" (looked in {folder} and the installed packages)" if folder else ""
        raise UsageError(f"checks: cannot import {module_name!r}{where}: {exc}") from None
    except Exception as exc:  # the user's module failed while importing: say so in one line
        raise UsageError(
            f"checks: importing {module_name!r} failed: {type(exc).__name__}: {exc}"
        ) from None
    obj = getattr(module, attribute.strip(), None)
    if obj is None:
        raise UsageError(f"checks: {module_name!r} has no {attribute!r}")
    if isinstance(obj, type) or (callable(obj) and not isinstance(obj, Check)):
        try:
            obj = obj()
        except Exception as exc:
            raise UsageError(
                f"checks: calling {spec!r} failed: {type(exc).__name__}: {exc}"
            ) from None
    if not isinstance(obj, Check):
        raise UsageError(
            f"checks: {spec!r} is not a check (it needs name, kinds, categories, supports "
            "and prepare; see toolkit.checks)"
        )
    return obj
