"""What a translation must carry over from its source unchanged: placeholders, markup, URLs,
e-mail addresses, @handles and codes.

Each kind is found by one pattern; the source and the seed are compared as multisets, and for
the placeholders whose order is their meaning (printf's ``%s %d`` without positions) in order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["Token", "missing_and_added", "order_matters", "tokens"]

# Most specific first: a URL may contain "%20", an e-mail an "@".
_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "url",
        r"\b(?:https?://|www\.)[^\s<>\"'\u3000-\u303f\uff00-\uffef]+[^\s<>\"'.,;:!?)\]}\u3000-\u303f\uff00-\uffef]",
    ),
    ("e-mail", r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b"),
    ("placeholder", r"\{\{\s*[\w.]+\s*\}\}"),  # {{name}}
    (
        "placeholder",
        r"\{\d+(?:,[^{}]*)?\}|\{[A-Za-z_]\w*(?:,[^{}]*)?\}",
    ),  # {0} {name} {n, plural, ...}
    ("placeholder", r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGcsp@]"),
    ("placeholder", r"\$\{[A-Za-z_]\w*\}|\$\d+\b"),  # ${name} $1
    ("tag", r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"),
    ("entity", r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});"),
    ("handle", r"(?<![\w@])@[A-Za-z_]\w{1,30}\b"),
)
_FOUND = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_PATTERNS)))
_KINDS = tuple(kind for kind, _ in _PATTERNS)
# printf conversions without an explicit position: their order is their meaning.
_POSITIONAL = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGcsp@]")


@dataclass(frozen=True, slots=True)
class Token:
    """One thing to carry over: its kind (url, e-mail, placeholder, tag, entity, handle),
    its text and its span in the text it was found in."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """What must be equal on both sides: the text, with a tag's attributes and a URL's
        trailing slash left out (translators may legitimately change those)."""
        if self.kind == "tag":
            m = re.match(r"</?\s*([\w:-]+)", self.text)
            closing = self.text.startswith("</")
            return f"<{'/' if closing else ''}{m.group(1).lower() if m else self.text}>"
        if self.kind == "placeholder" and (m := _ICU.match(self.text)):
            return f"{{{m.group(1)}, {m.group(2)}}}"
        if self.kind == "url":
            return self.text.rstrip("/").lower()
        return self.text


def tokens(text: str) -> list[Token]:
    """Every placeholder, tag, entity, URL, e-mail address and @handle in ``text``."""
    out = []
    icu = list(_icu(text))
    for m in _FOUND.finditer(text):
        if any(t.start <= m.start() < t.end for t in icu):
            continue
        kind = _KINDS[int((m.lastgroup or "k0")[1:])]
        if kind == "placeholder" and m.group().startswith("%") and _percent_sign(text, m.start()):
            continue
        out.append(Token(kind, m.group(), m.start(), m.end()))
    return sorted(out + icu, key=lambda t: t.start)


_ICU = re.compile(r"\{\s*([A-Za-z_]\w*)\s*,\s*(plural|select|selectordinal)\s*,")


def _icu(text: str) -> list[Token]:
    """ICU message arguments (``{n, plural, one {# item} other {# items}}``), braces balanced;
    their key is the argument and its type: the branches are translated."""
    out = []
    for m in _ICU.finditer(text):
        depth, i = 0, m.start()
        while i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        if depth == 0:
            out.append(Token("placeholder", text[m.start() : i + 1], m.start(), i + 1))
    return out


def _percent_sign(text: str, at: int) -> bool:
    """Whether the ``%`` at ``at`` is a percent sign in running text ("20% of", "50 %")."""
    before = text[:at].rstrip(" \u00a0\u202f")[-1:]
    return before.isdigit() or text[at + 1 : at + 2] in (" ", "\u00a0", "")


def order_matters(found: list[Token]) -> list[str]:
    """The placeholders whose order is their meaning (printf without positions), in order."""
    return [t.text for t in found if t.kind == "placeholder" and _POSITIONAL.fullmatch(t.text)]


def missing_and_added(source: list[Token], seed: list[Token]) -> tuple[list[Token], list[Token]]:
    """The source's tokens absent from the seed, and the seed's tokens absent from the source
    (each compared by :attr:`Token.key`, as multisets)."""
    return _unmatched(source, seed), _unmatched(seed, source)


def _unmatched(tokens: list[Token], against: list[Token]) -> list[Token]:
    """The tokens of ``tokens`` left over when each is paired with an equal one of ``against``."""
    have = Counter(t.key for t in against)
    out = []
    for t in tokens:
        if have[t.key]:
            have[t.key] -= 1
        else:
            out.append(t)
    return out
