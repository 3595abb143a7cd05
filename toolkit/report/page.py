"""What the HTML pages share: the jinja2 environment (autoescaping) and inlined static files."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

__all__ = ["csp_hash", "environment", "inline_asset"]


@cache
def environment() -> jinja2.Environment:
    """Templates from ``toolkit/report/templates``, every value escaped unless marked safe."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("toolkit", "report/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def inline_asset(name: str) -> tuple[Markup, str]:
    """A static file inlined into a page, and its Content-Security-Policy hash source."""
    text = (files("toolkit") / "report" / "templates" / name).read_text(encoding="utf-8")
    if "</" in text or "<!--" in text:
        raise ValueError(f"{name} must not contain '</' or '<!--': it is inlined in the page")
    return Markup(text), csp_hash(text)


def csp_hash(text: str) -> str:
    """The Content-Security-Policy hash source of an inline style or script."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"
