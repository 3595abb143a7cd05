"""Bad input, as a hostile and a careless user would give it: every kind of issue 10 and more.

For each kind the script builds the input in a fresh temporary folder, runs the real command in
a new process (``python -m toolkit ...``, the folder as working directory) with a timeout, and
prints one row::

    | kind | command | exit | first line of stderr | lines on stderr | traceback? | check |

``exit`` is the exit code (``TIMEOUT`` when the command hung).  ``check`` is what the script
verified beyond the exit code: the house rule (exit 0 with at most warnings, or 2 with one
``transdiff: error:`` line; never a traceback, never a hang; 128+N for signal N) and, where it
matters, the files (an input left intact, no temporary file left, the CSV neutralises
``=1+1``, the HTML escapes ``<script>``, no escape sequence reaches stdout ...).  A row whose
check fails reads ``FAIL: ...``; the script exits 1 if any does.

Cases that need something the machine may lack (named pipes, Unix sockets, ``/dev/full``, a
user namespace for a 16 kB tmpfs to fill up, ``setpriv`` to read as another user when run as
root) are skipped with a note.  ``--readme FILE`` also writes the rows as one Markdown table per
family (files, encodings, formats, configuration, outputs, streams and signals, terminal,
usage) for the README's "Bad input" section.

    python benchmarks/bad_input.py [--only SUBSTRING] [--timeout 60] [--readme FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pty
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SEED = next((ROOT / "seeds").glob("*.txt"))
BUNDLED_REF = ROOT / "references" / "postedit.txt"
H = "\x1b]0;pwned\x07\x1b[2J"  # a terminal title change and a screen clear
SGR = re.compile(r"\x1b\[[0-9;]*m")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")

SEED = """\
The committee met on 12 March 2024 to review the budget.
It approved 54 new projects in total.
The chairman said the results were satisfactory.
=1+1 is the formula; 3 cells must not run it, said <script>alert(1)</script> the clerk.
Доклад будет опубликован на следующей неделе.
"""
REF = """\
The committee met on 12 March 2024 to review the budget.
It approved 45 new projects in total.
The chairman said the results were not satisfactory.
=1+1 is the formula; 4 cells must not run it, said the clerk.
The report will be published next week.
"""
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="doc.txt" source-language="en" target-language="de" datatype="plaintext">
  <body>
   <trans-unit id="u1">
    <source>I have 3 cats.</source>
    <target>Ich habe 4 Katzen.</target>
    <alt-trans><target>Ich habe 3 Katzen.</target></alt-trans>
   </trans-unit>
  </body>
 </file>
</xliff>
"""
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
    + '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
    + ' <file original="x" source-language="en" datatype="plaintext"><body>\n'
    + '  <trans-unit id="1"><source>a</source><target>&lol9;</target></trans-unit>\n'
    + " </body></file>\n</xliff>\n"
)
XXE = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="x" source-language="en" datatype="plaintext"><body>
  <trans-unit id="1"><source>a</source><target>x &xxe; y</target></trans-unit>
 </body></file>
</xliff>
"""
PO_PLURAL = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"

msgid "%d file was deleted"
msgid_plural "%d files were deleted"
msgstr[0] "%d файл удалён"
msgstr[1] "%d files were deleted"
msgstr[2] "%d файлов удалено"
"""


# --- the cases ------------------------------------------------------------------------------


@dataclass
class Run:
    """One command to run in the case's folder, and what to verify afterwards.

    Attributes:
        args: The arguments after ``transdiff``.
        check: Called with the folder and the outcome; returns a problem, or "" when fine.
        expect: The exit codes the house rule allows here (default 0 or 2).
        stdout: "pipe" (captured), "full" (/dev/full), "closed", "broken" (read end closed),
            "pty" (a pseudo-terminal, read back), "stderr-full" (stderr is /dev/full).
        signal_after: Send this signal after ``delay`` seconds.
        wrap: A command to run the CLI under (for example ``unshare``); it gets the CLI's argv.
        preexec: Runs in the child before exec (resource limits).
        shown: The command as the table shows it (default: built from ``args``).
    """

    args: list[str]
    check: Callable[[Path, Outcome], str] | None = None
    expect: tuple[int, ...] = (0, 2)
    stdout: str = "pipe"
    signal_after: tuple[signal.Signals, float] | None = None
    wrap: list[str] = field(default_factory=list)
    preexec: Callable[[], None] | None = None
    shown: str = ""


@dataclass
class Outcome:
    """What a run did."""

    code: int | str
    stdout: str
    stderr: str
    seconds: float
    most_processes: int = 0  # the most processes seen below the run at once


@dataclass
class Case:
    family: str
    kind: str
    build: Callable[[Path], Run | str]  # a str: skipped, with the reason


CASES: list[Case] = []


def case(family: str, kind: str) -> Callable[[Callable[[Path], Run | str]], Callable]:
    def register(build: Callable[[Path], Run | str]) -> Callable:
        CASES.append(Case(family, kind, build))
        return build

    return register


def pair(w: Path) -> None:
    """seed.txt and ref.txt: five sentences with a number slip, a lost negation, an untranslated
    line, a spreadsheet formula and a script tag."""
    (w / "seed.txt").write_text(SEED, encoding="utf-8")
    (w / "ref.txt").write_text(REF, encoding="utf-8")


def unchanged(*names: str) -> Callable[[Path, Outcome], str]:
    """A check that the inputs ``names`` still hold what :func:`pair` wrote."""
    expected = {"seed.txt": SEED, "ref.txt": REF}

    def check(w: Path, _: Outcome) -> str:
        for name in names:
            if (w / name).read_text(encoding="utf-8") != expected[name]:
                return f"FAIL: {name} was changed"
        return f"{', '.join(names)} intact"

    return check


def no_file(name: str) -> Callable[[Path, Outcome], str]:
    def check(w: Path, _: Outcome) -> str:
        if (w / name).exists() or (w / name).is_symlink():
            return f"FAIL: {name} was written"
        return f"nothing written to {name}"

    return check


def both(*checks: Callable[[Path, Outcome], str]) -> Callable[[Path, Outcome], str]:
    def check(w: Path, outcome: Outcome) -> str:
        notes = [c(w, outcome) for c in checks]
        failed = [n for n in notes if n.startswith("FAIL")]
        return failed[0] if failed else "; ".join(notes)

    return check


def no_temp_files(w: Path, _: Outcome) -> str:
    left = [p.name for p in w.rglob("*.tmp")]
    return f"FAIL: temporary files left: {left}" if left else "no temporary file left"


def clean_stdout(_: Path, outcome: Outcome) -> str:
    # Colour codes (SGR, ESC [ ... m) are the only escapes transdiff itself may send.
    # A terminal turns each line break into CR LF; a lone CR would be the text's.
    shown = SGR.sub("", outcome.stdout + outcome.stderr).replace("\r\n", "\n")
    found = sorted({repr(c) for c in CONTROLS.findall(shown)})
    if found:
        return f"FAIL: raw controls reached the output: {', '.join(found)}"
    return "no raw control character in stdout or stderr"


# Files -----------------------------------------------------------------------------------------


@case("files", "missing file")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "nope.txt"])


@case("files", "directory as input")
def _(w: Path) -> Run:
    pair(w)
    (w / "adir").mkdir()
    return Run(["report", "seed.txt", "adir"])


@case("files", "binary file (PNG)")
def _(w: Path) -> Run:
    pair(w)
    (w / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    return Run(["report", "pic.txt", "ref.txt"])


@case("files", "NUL bytes in a text")
def _(w: Path) -> Run:
    pair(w)
    (w / "nul.txt").write_bytes(SEED.encode().replace(b" ", b"\x00", 3))
    return Run(["report", "nul.txt", "ref.txt"])


@case("files", "empty file")
def _(w: Path) -> Run:
    pair(w)
    (w / "empty.txt").write_bytes(b"")
    return Run(["report", "empty.txt", "ref.txt"])


@case("files", "white space only")
def _(w: Path) -> Run:
    pair(w)
    (w / "blank.txt").write_bytes(b" \t \n  \n\t")
    return Run(["report", "blank.txt", "ref.txt"])


@case("files", "only newlines")
def _(w: Path) -> Run:
    pair(w)
    (w / "newlines.txt").write_bytes(b"\n" * 500)
    return Run(["report", "newlines.txt", "ref.txt"])


@case("files", "byte-order mark only")
def _(w: Path) -> Run:
    pair(w)
    (w / "bom.txt").write_bytes(b"\xef\xbb\xbf")
    return Run(["report", "bom.txt", "ref.txt"])


@case("files", "very long line (1 MB, no line break)")
def _(w: Path) -> Run:
    # No sentence end in 1 MB: refused (a sentence is at most 10,000 characters).
    pair(w)
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit "
    (w / "long.txt").write_text((words * (1_000_000 // len(words)))[:1_000_000], "ascii")
    return Run(["report", "long.txt", "ref.txt", "-f", "json", "-o", "long.json"])


@case("files", "mixed newlines (LF, CRLF, CR)")
def _(w: Path) -> Run:
    pair(w)
    lines = SEED.splitlines()
    text = lines[0] + "\n" + lines[1] + "\r\n" + lines[2] + "\r" + "\n".join(lines[3:]) + "\n"
    (w / "mixed.txt").write_bytes(text.encode())
    return Run(["flag", "mixed.txt", "ref.txt"])


@case("files", "FIFO (named pipe) with no writer")
def _(w: Path) -> Run | str:
    if not hasattr(os, "mkfifo"):
        return "no named pipes here"
    pair(w)
    os.mkfifo(w / "fifo")
    return Run(["flag", "fifo", "ref.txt"])


@case("files", "/dev/zero (endless)")
def _(w: Path) -> Run | str:
    if not Path("/dev/zero").exists():
        return "no /dev/zero"
    pair(w)
    return Run(["flag", "/dev/zero", "ref.txt"])


@case("files", "/dev/urandom (endless, random)")
def _(w: Path) -> Run | str:
    if not Path("/dev/urandom").exists():
        return "no /dev/urandom"
    pair(w)
    return Run(["flag", "/dev/urandom", "ref.txt"])


@case("files", "Unix socket")
def _(w: Path) -> Run | str:
    if not hasattr(socket, "AF_UNIX"):
        return "no Unix sockets"
    pair(w)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(w / "sock"))  # left bound until the folder goes
    return Run(["flag", "sock", "ref.txt"])


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


@case("files", "100 GB sparse file (memory limited to 3 GB)")
def _(w: Path) -> Run:
    pair(w)
    with open(w / "huge.txt", "wb") as fh:
        fh.truncate(100 * 1024**3)
    return Run(["flag", "huge.txt", "ref.txt"], preexec=_limit_memory)


@case("files", "unreadable file (mode 000)")
def _(w: Path) -> Run | str:
    pair(w)
    (w / "secret.txt").write_text(SEED, encoding="utf-8")
    (w / "secret.txt").chmod(0)
    if os.geteuid() != 0:
        return Run(["flag", "secret.txt", "ref.txt"])
    if not shutil.which("setpriv"):
        return "running as root and no setpriv to drop to another user"
    # root reads any file: run the command as nobody (65534)
    w.chmod(0o755)
    for parent in w.parents:
        if parent == Path(tempfile.gettempdir()):
            break
        parent.chmod(0o755)
    wrap = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    return Run(
        ["flag", "secret.txt", "ref.txt"], wrap=wrap, shown="(as nobody) flag secret.txt ref.txt"
    )


@case("files", "symbolic link loop as input")
def _(w: Path) -> Run:
    pair(w)
    (w / "a.txt").symlink_to("b.txt")
    (w / "b.txt").symlink_to("a.txt")
    return Run(["report", "a.txt", "ref.txt"])


@case("files", "seed also a reference")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "seed.txt"])


@case("files", "seed also a reference, through a symbolic link")
def _(w: Path) -> Run:
    pair(w)
    (w / "same.txt").symlink_to("seed.txt")
    return Run(["report", "seed.txt", "same.txt"])


@case("files", "same reference twice")
def _(w: Path) -> Run:
    pair(w)
    return Run(["score", "seed.txt", "ref.txt", "ref.txt"])


@case("files", "file name with escape sequences (missing)")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", f"missing{H}.txt"],
        check=clean_stdout,
        shown="report seed.txt 'missing<ESC]0;pwned BEL ESC[2J>.txt'",
    )


@case("files", "file name with a line break (missing)")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "two\nlines.txt"], shown="report seed.txt $'two\\nlines.txt'")


# Encodings -------------------------------------------------------------------------------------


def damaged(w: Path, name: str = "bad.txt") -> None:
    data = BUNDLED_SEED.read_bytes()
    (w / name).write_bytes(data[:500] + b"\xff\xfe\xfa\xfb" + data[500:])


@case("encodings", "damaged UTF-8 (4 bad bytes at offset 500)")
def _(w: Path) -> Run:
    damaged(w)
    shutil.copy(BUNDLED_REF, w / "ref.txt")
    return Run(["flag", "bad.txt", "ref.txt", "-f", "json"])


@case("encodings", "damaged UTF-8 with --strict")
def _(w: Path) -> Run:
    damaged(w)
    shutil.copy(BUNDLED_REF, w / "ref.txt")
    return Run(["flag", "bad.txt", "ref.txt", "--strict"])


@case("encodings", "UTF-8 with BOM and one bad byte")
def _(w: Path) -> Run:
    pair(w)
    (w / "bombad.txt").write_bytes(b"\xef\xbb\xbf" + SEED.encode().replace(b"met", b"m\xffet"))
    return Run(["flag", "bombad.txt", "ref.txt", "-f", "json"])


@case("encodings", "compare: damaged UTF-8 system")
def _(w: Path) -> Run:
    damaged(w)
    shutil.copy(BUNDLED_SEED, w / "b.txt")
    shutil.copy(BUNDLED_REF, w / "ref.txt")
    fast = ["--bootstrap", "20", "--ar-trials", "20"]
    return Run(["compare", "bad.txt", "b.txt", "--ref", "ref.txt", *fast, "-f", "json"])


@case("encodings", "compare: damaged UTF-8 system with --strict")
def _(w: Path) -> Run:
    damaged(w)
    shutil.copy(BUNDLED_SEED, w / "b.txt")
    shutil.copy(BUNDLED_REF, w / "ref.txt")
    return Run(["compare", "b.txt", "bad.txt", "--ref", "ref.txt", "--strict"])


@case("encodings", "unknown encoding name")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "--encoding", "klingon-8"])


@case("encodings", "a codec that is not a text encoding")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "--encoding", "base64"])


@case("encodings", "wrong --encoding (ascii for UTF-8 text)")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "--encoding", "ascii"])


@case("encodings", "UTF-16 without a byte-order mark")
def _(w: Path) -> Run:
    pair(w)
    (w / "u16.txt").write_bytes(REF.replace("Доклад", "Report").encode("utf-16-le"))
    return Run(["report", "u16.txt", "ref.txt"])


@case("encodings", "UTF-16 with a byte-order mark")
def _(w: Path) -> Run:
    pair(w)
    (w / "u16.txt").write_bytes(SEED.encode("utf-16"))
    return Run(["flag", "u16.txt", "ref.txt", "-f", "json"])


@case("encodings", "legacy code page (cp1251 Russian)")
def _(w: Path) -> Run:
    pair(w)
    russian = "Доклад будет опубликован на следующей неделе. Комитет одобрил проекты.\n" * 3
    (w / "ru.txt").write_bytes(russian.encode("cp1251"))
    return Run(["flag", "ru.txt", "-f", "json"])


# Formats ---------------------------------------------------------------------------------------


@case("formats", "malformed XML (XLIFF)")
def _(w: Path) -> Run:
    (w / "broken.xlf").write_text(XLIFF.replace("</target>\n    <alt-trans>", "<alt-trans>"))
    return Run(["flag", "broken.xlf"])


@case("formats", "billion laughs (XML entity bomb)")
def _(w: Path) -> Run:
    (w / "bomb.xlf").write_text(BILLION_LAUGHS)
    return Run(["flag", "bomb.xlf"])


@case("formats", "XXE (external entity file:///etc/passwd)")
def _(w: Path) -> Run:
    (w / "xxe.xlf").write_text(XXE)

    def check(_: Path, outcome: Outcome) -> str:
        if "root:" in outcome.stdout + outcome.stderr:
            return "FAIL: /etc/passwd reached the output"
        return "/etc/passwd not read"

    return Run(["report", "xxe.xlf", "-f", "json"], check=check)


@case("formats", "XLIFF with a 20 MB attribute")
def _(w: Path) -> Run:
    (w / "hugeattr.xlf").write_text(XLIFF.replace('"doc.txt"', '"' + "x" * 20_000_000 + '"'))
    return Run(["flag", "hugeattr.xlf"])


@case("formats", "XML with 40,000-character tag names")
def _(w: Path) -> Run:
    (w / "longtag.tmx").write_text(f"<tmx><{'a' * 40_000}></{'b' * 40_000}></tmx>")
    return Run(["flag", "longtag.tmx"])


@case("formats", "wrong root element (XLIFF named .tmx)")
def _(w: Path) -> Run:
    (w / "x.tmx").write_text(XLIFF)
    return Run(["flag", "x.tmx"])


@case("formats", "JSONL nested 100,000 deep")
def _(w: Path) -> Run:
    (w / "deep.jsonl").write_text('{"id": 1, "text": "a"}\n' + "[" * 100_000 + "\n")
    return Run(["flag", "deep.jsonl"])


@case("formats", "JSONL number with 5,000 digits")
def _(w: Path) -> Run:
    (w / "bigint.jsonl").write_text('{"id": ' + "1" * 5000 + ', "text": "a"}\n')
    return Run(["flag", "bigint.jsonl"])


@case("formats", "JSONL with a byte that is not UTF-8")
def _(w: Path) -> Run:
    (w / "bad.jsonl").write_bytes(
        '{"id": "1", "text": "Привет, мир"}\n'.encode().replace(b",", b"\xff,", 1)
    )
    return Run(["flag", "bad.jsonl"])


@case("formats", "JSONL line that is not JSON")
def _(w: Path) -> Run:
    (w / "oops.jsonl").write_text('{"id": 1, "text": "a"}\n{oops\n')
    return Run(["flag", "oops.jsonl"])


@case("formats", "JSONL row without a text field")
def _(w: Path) -> Run:
    (w / "notext.jsonl").write_text('{"id": 1, "txt": "a"}\n')
    return Run(["flag", "notext.jsonl"])


@case("formats", "PO plural form left in English")
def _(w: Path) -> Run:
    (w / "ru.po").write_text(PO_PLURAL, encoding="utf-8")

    def check(_: Path, outcome: Outcome) -> str:
        try:
            flags = [
                (s["id"], f["category"], f["severity"])
                for s in json.loads(outcome.stdout)["sentences"]
                for f in s["flags"]
            ]
        except (ValueError, KeyError) as exc:
            return f"FAIL: no JSON queue ({exc})"
        if ("L2", "accuracy/untranslated", "critical") not in flags:
            return f"FAIL: the English plural form was not flagged: {flags}"
        return "msgstr[1] flagged critical accuracy/untranslated on L2"

    return Run(["flag", "ru.po", "-f", "json"], check=check)


@case("formats", "CSV formula in the text (=1+1)")
def _(w: Path) -> Run:
    pair(w)

    def check(_: Path, __: Outcome) -> str:
        import csv

        rows = list(csv.reader((w / "out.csv").open(encoding="utf-8", newline="")))
        cells = [c for row in rows[1:] for c in row]
        if any(c[:1] in ("=", "+", "-", "@") and not _number(c) for c in cells):
            return "FAIL: a cell starts with a formula character"
        if not any(c.startswith("'=1+1") for c in cells):
            return "FAIL: the =1+1 sentence is not in the CSV"
        return "CSV cell reads '=1+1 ... (neutralised)"

    return Run(["report", "seed.txt", "ref.txt", "-f", "csv", "-o", "out.csv"], check=check)


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@case("formats", "script tag in the text (HTML report)")
def _(w: Path) -> Run:
    pair(w)

    def check(_: Path, __: Outcome) -> str:
        page = (w / "out.html").read_text(encoding="utf-8")
        if "<script>alert(1)" in page:
            return "FAIL: <script>alert(1) is in the page unescaped"
        if "script&gt;alert(1" not in page:  # the word diff may split the tag
            return "FAIL: the sentence is missing from the page"
        return "HTML shows script&gt;alert(1)... escaped"

    return Run(["report", "seed.txt", "ref.txt", "-f", "html", "-o", "out.html"], check=check)


# Configuration, glossary, waivers --------------------------------------------------------------


@case("configuration", "bad TOML config")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.toml").write_text('fail_on = "major\n')
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "config with an unknown key")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.toml").write_text('refrences = ["ref.txt"]\n')
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "config with a bad severity")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.toml").write_text('[severity]\nnumber = "urgent"\n')
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "config disables an unknown check")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.toml").write_text('disabled_checks = ["spelling"]\n')
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "--config file missing")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "--config", "nope.toml"])


@case("configuration", "--config FIFO")
def _(w: Path) -> Run | str:
    if not hasattr(os, "mkfifo"):
        return "no named pipes here"
    pair(w)
    os.mkfifo(w / "fifo")
    return Run(["report", "seed.txt", "ref.txt", "--config", "fifo"])


@case("configuration", "transdiff.toml is a FIFO")
def _(w: Path) -> Run | str:
    if not hasattr(os, "mkfifo"):
        return "no named pipes here"
    pair(w)
    os.mkfifo(w / "transdiff.toml")
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "config that is not UTF-8")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.toml").write_bytes(b'fail_on = "major"\n# caf\xe9\n')
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "bad glossary CSV (row without a translation)")
def _(w: Path) -> Run:
    pair(w)
    (w / "gl.csv").write_text("term,required\nbudget\n")
    return Run(["report", "seed.txt", "ref.txt", "--glossary", "gl.csv"])


@case("configuration", "glossary with too many columns")
def _(w: Path) -> Run:
    pair(w)
    (w / "gl.csv").write_text("budget,Budget,Etat,Haushalt\n")
    return Run(["report", "seed.txt", "ref.txt", "--glossary", "gl.csv"])


@case("configuration", "glossary that is not UTF-8")
def _(w: Path) -> Run:
    pair(w)
    (w / "gl.csv").write_bytes("café,кафе\n".encode("cp1251", "replace").replace(b"?", b"\xe9"))
    return Run(["report", "seed.txt", "ref.txt", "--glossary", "gl.csv"])


@case("configuration", "--glossary missing")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "--glossary", "nope.csv"])


@case("configuration", "--glossary FIFO")
def _(w: Path) -> Run | str:
    if not hasattr(os, "mkfifo"):
        return "no named pipes here"
    pair(w)
    os.mkfifo(w / "fifo")
    return Run(["report", "seed.txt", "ref.txt", "--glossary", "fifo"])


@case("configuration", "--glossary /dev/zero")
def _(w: Path) -> Run | str:
    if not Path("/dev/zero").exists():
        return "no /dev/zero"
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "--glossary", "/dev/zero"])


@case("configuration", "bad waivers TOML")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.waivers.toml").write_text("[[waiver]\nid = 'abc'\n")
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "waivers file with an unknown key")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.waivers.toml").write_text("[[waiver]]\nid = 'abcdef'\nwho = 'me'\n")
    return Run(["report", "seed.txt", "ref.txt"])


@case("configuration", "--waivers FIFO")
def _(w: Path) -> Run | str:
    if not hasattr(os, "mkfifo"):
        return "no named pipes here"
    pair(w)
    os.mkfifo(w / "fifo")
    return Run(["report", "seed.txt", "ref.txt", "--waivers", "fifo"])


@case("configuration", "waive: unknown flag id")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["waive", "0123456789ab", "seed.txt", "ref.txt"], check=no_file("transdiff.waivers.toml")
    )


@case("configuration", "waive: flag id too short")
def _(w: Path) -> Run:
    pair(w)
    return Run(["waive", "ab", "seed.txt", "ref.txt"])


@case("configuration", "waive with no SEED outside a project")
def _(w: Path) -> Run:
    return Run(["waive", "0123456789ab"])


# Outputs ---------------------------------------------------------------------------------------


@case("outputs", "--out is the seed")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "json", "--out", "seed.txt"],
        check=unchanged("seed.txt"),
    )


@case("outputs", "--out is a reference")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "json", "--out", "ref.txt"],
        check=unchanged("ref.txt"),
    )


@case("outputs", "--out is the seed, spelt ./sub/../seed.txt")
def _(w: Path) -> Run:
    pair(w)
    (w / "sub").mkdir()
    return Run(
        ["report", "seed.txt", "ref.txt", "--out", "./sub/../seed.txt"], check=unchanged("seed.txt")
    )


@case("outputs", "--out is a symbolic link to the seed")
def _(w: Path) -> Run:
    pair(w)
    (w / "link.json").symlink_to("seed.txt")
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "json", "--out", "link.json"],
        check=unchanged("seed.txt"),
    )


@case("outputs", "--out is a hard link to the seed")
def _(w: Path) -> Run:
    pair(w)
    os.link(w / "seed.txt", w / "hard.json")
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "json", "--out", "hard.json"],
        check=unchanged("seed.txt"),
    )


@case("outputs", "--out is the waivers file")
def _(w: Path) -> Run:
    pair(w)
    (w / "transdiff.waivers.toml").write_text("")
    args = ["report", "seed.txt", "ref.txt", "--out", "transdiff.waivers.toml"]

    def check(_: Path, __: Outcome) -> str:
        text = (w / "transdiff.waivers.toml").read_text()
        return "FAIL: waivers file overwritten" if text else "waivers file intact"

    return Run(args, check=check)


@case("outputs", "--out is the glossary")
def _(w: Path) -> Run:
    pair(w)
    (w / "gl.csv").write_text("budget,budget\n")
    args = ["report", "seed.txt", "ref.txt", "--glossary", "gl.csv", "--out", "gl.csv"]

    def check(_: Path, __: Outcome) -> str:
        same = (w / "gl.csv").read_text() == "budget,budget\n"
        return "glossary intact" if same else "FAIL: glossary overwritten"

    return Run(args, check=check)


@case("outputs", "flag --out onto a reference")
def _(w: Path) -> Run:
    pair(w)
    return Run(["flag", "seed.txt", "ref.txt", "--out", "ref.txt"], check=unchanged("ref.txt"))


@case("outputs", "--out an existing folder (d/)")
def _(w: Path) -> Run:
    pair(w)
    (w / "d").mkdir()

    def check(_: Path, __: Outcome) -> str:
        return "wrote d/seed.json" if (w / "d" / "seed.json").is_file() else "FAIL: no d/seed.json"

    return Run(["report", "seed.txt", "ref.txt", "-f", "json", "--out", "d/"], check=check)


@case("outputs", "--out a missing folder (newdir/)")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "json", "--out", "newdir/"], check=no_file("newdir")
    )


@case("outputs", "--out a file in a missing folder")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "-f", "json", "--out", "nowhere/r.json"])


@case("outputs", "--out . in the seed's folder (text)")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "text", "--out", "."], check=unchanged("seed.txt")
    )


@case("outputs", "empty --out")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt", "--out", ""], shown="report seed.txt ref.txt --out ''"
    )


@case("outputs", "symbolic link --out to a shared file")
def _(w: Path) -> Run:
    pair(w)
    (w / "shared").mkdir()
    (w / "shared" / "report.json").write_text("old")
    (w / "latest.json").symlink_to("shared/report.json")

    def check(_: Path, __: Outcome) -> str:
        if not (w / "latest.json").is_symlink():
            return "FAIL: the link was replaced by a file"
        if (w / "shared" / "report.json").read_text() == "old":
            return "FAIL: the target was not updated"
        return "target updated, link kept"

    return Run(["report", "seed.txt", "ref.txt", "-f", "json", "--out", "latest.json"], check=check)


@case("outputs", "symbolic link loop as --out")
def _(w: Path) -> Run:
    pair(w)
    (w / "a").symlink_to("b")
    (w / "b").symlink_to("a")

    def check(_: Path, __: Outcome) -> str:
        return "link a kept" if (w / "a").is_symlink() else "FAIL: link a replaced"

    return Run(["report", "seed.txt", "ref.txt", "--out", "a"], check=check)


@case("outputs", "--bom without --format csv")
def _(w: Path) -> Run:
    pair(w)
    return Run(["report", "seed.txt", "ref.txt", "-f", "json", "--bom"])


@case("outputs", "waive: waivers file is the seed")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["waive", "0123456789ab", "seed.txt", "ref.txt", "--waivers", "seed.txt"],
        check=unchanged("seed.txt"),
    )


def _flag_ids(w: Path, n: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "flag", "seed.txt", "ref.txt", "-f", "json"],
        cwd=w,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ids = [f["id"] for s in json.loads(done.stdout)["sentences"] for f in s["flags"]]
    return ids[:n]


@case("outputs", "waive through a symbolic link to a shared waivers file")
def _(w: Path) -> Run:
    pair(w)
    (w / "shared").mkdir()
    (w / "shared" / "w.toml").write_text("")
    (w / "transdiff.waivers.toml").symlink_to("shared/w.toml")
    (flag_id,) = _flag_ids(w, 1)

    def check(_: Path, __: Outcome) -> str:
        if not (w / "transdiff.waivers.toml").is_symlink():
            return "FAIL: the link was replaced"
        if flag_id not in (w / "shared" / "w.toml").read_text():
            return "FAIL: the shared file did not get the waiver"
        return "shared file updated, link kept"

    return Run(
        ["waive", flag_id[:12], "seed.txt", "ref.txt"],
        check=check,
        shown="waive ID seed.txt ref.txt",
    )


@case("outputs", "batch --out inside the references folder")
def _(w: Path) -> Run:
    batch_folders(w)
    return Run(
        ["batch", "s", "--refs", "r", "--out", "r/doc", "-f", "text"], check=batch_refs_intact
    )


@case("outputs", "batch --out inside the documents folder")
def _(w: Path) -> Run:
    batch_folders(w)
    return Run(["batch", "s", "--refs", "r", "--out", "s/reports"], check=no_file("s/reports"))


@case("outputs", "batch: an output file is a link to a reference")
def _(w: Path) -> Run:
    batch_folders(w)
    (w / "o").mkdir()
    (w / "o" / "doc.txt").symlink_to("../r/doc.txt")
    return Run(["batch", "s", "--refs", "r", "--out", "o", "-f", "text"], check=batch_refs_intact)


@case("outputs", "batch --format xliff")
def _(w: Path) -> Run:
    batch_folders(w)

    def check(_: Path, __: Outcome) -> str:
        return "wrote o/doc.xlf" if (w / "o" / "doc.xlf").is_file() else "FAIL: no o/doc.xlf"

    return Run(["batch", "s", "--refs", "r", "--out", "o", "--format", "xliff"], check=check)


def batch_folders(w: Path) -> None:
    (w / "s").mkdir()
    (w / "r").mkdir()
    (w / "s" / "doc.txt").write_text(SEED, encoding="utf-8")
    (w / "r" / "doc.txt").write_text(REF, encoding="utf-8")


def batch_refs_intact(w: Path, _: Outcome) -> str:
    same = (w / "r" / "doc.txt").read_text(encoding="utf-8") == REF
    return "reference intact" if same else "FAIL: the reference was overwritten"


def _fill_tmpfs_wrap(w: Path) -> list[str] | str:
    """A command prefix that runs the CLI with a 16 kB tmpfs mounted on ``w/full`` (a user
    namespace: no root needed), then lists what the folder holds into ``w/listing.txt``."""
    if not shutil.which("unshare"):
        return "no unshare"
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=16k tmpfs {shlex.quote(str(w))}"],
        capture_output=True,
        check=False,
    )
    if probe.returncode:
        return "no user namespaces here to mount a small tmpfs (disk full not simulated)"
    (w / "full").mkdir()
    script = (
        "mount -t tmpfs -o size=16k tmpfs full || exit 99; "
        '"$@"; rc=$?; ls -A full > listing.txt; exit $rc'
    )
    return ["unshare", "-rm", "sh", "-c", script, "sh"]


@case("outputs", "disk full while writing --out (16 kB tmpfs)")
def _(w: Path) -> Run | str:
    pair(w)
    wrap = _fill_tmpfs_wrap(w)
    if isinstance(wrap, str):
        return wrap

    def check(_: Path, __: Outcome) -> str:
        left = (w / "listing.txt").read_text().split()
        return (
            f"FAIL: left in the full folder: {left}" if left else "nothing left in the full folder"
        )

    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "html", "--out", "full/report.html"],
        check=check,
        wrap=wrap,
    )


@case("outputs", "file size limit while writing --out (RLIMIT_FSIZE 8 kB)")
def _(w: Path) -> Run:
    pair(w)
    (w / "report.html").write_text("old report")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    def check(_: Path, outcome: Outcome) -> str:
        if (w / "report.html").read_text() != "old report":
            return "FAIL: the old report was changed"
        return both(no_temp_files)(w, outcome) + "; old report intact"

    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "html", "--out", "report.html"],
        check=check,
        preexec=limit,
    )


# Streams and signals ---------------------------------------------------------------------------


@case("streams and signals", "stdout is /dev/full")
def _(w: Path) -> Run | str:
    if not Path("/dev/full").exists():
        return "no /dev/full"
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt"],
        stdout="full",
        shown="report seed.txt ref.txt > /dev/full",
    )


@case("streams and signals", "stdout closed")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt"], stdout="closed", shown="report seed.txt ref.txt >&-"
    )


@case("streams and signals", "reader stops early (broken pipe)")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["report", "seed.txt", "ref.txt", "-f", "json"],
        stdout="broken",
        shown="report seed.txt ref.txt -f json | (exit)",
    )


@case("streams and signals", "broken pipe with --fail-on (gate still decides)")
def _(w: Path) -> Run:
    pair(w)
    return Run(
        ["flag", "seed.txt", "ref.txt", "--fail-on", "major"],
        stdout="broken",
        expect=(1,),
        shown="flag seed.txt ref.txt --fail-on major | (exit)",
    )


@case("streams and signals", "stderr is /dev/full (error to report)")
def _(w: Path) -> Run | str:
    if not Path("/dev/full").exists():
        return "no /dev/full"
    pair(w)
    return Run(
        ["report", "seed.txt", "nope.txt"],
        stdout="stderr-full",
        shown="report seed.txt nope.txt 2> /dev/full",
    )


def slow_pair(w: Path) -> None:
    """A pair that takes well over the 3 s before the signal, even on an idle machine: the
    bundled texts, 40 times over."""
    (w / "seed.txt").write_text(BUNDLED_SEED.read_text(encoding="utf-8") * 40, encoding="utf-8")
    (w / "ref.txt").write_text(BUNDLED_REF.read_text(encoding="utf-8") * 40, encoding="utf-8")


for _sig, _code in (("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)):

    def _signal_case(w: Path, sig: str = _sig, code: int = _code) -> Run | str:
        if not hasattr(signal, sig):
            return f"no {sig} here"
        slow_pair(w)
        return Run(
            ["report", "seed.txt", "ref.txt", "-f", "json", "--out", "out.json"],
            check=both(no_temp_files, no_file("out.json")),
            expect=(code,),
            signal_after=(getattr(signal, sig), 3.0),
            shown=f"report seed.txt ref.txt -f json --out out.json; {sig} after 3 s",
        )

    case("streams and signals", f"{_sig} during a run with --out")(_signal_case)


@case("streams and signals", "SIGTERM during batch")
def _(w: Path) -> Run:
    (w / "s").mkdir()
    (w / "r").mkdir()
    for n in range(40):  # well over the 4 s before the signal, even on an idle machine
        (w / "s" / f"d{n}.txt").write_text(BUNDLED_SEED.read_text(encoding="utf-8"))
        (w / "r" / f"d{n}.txt").write_text(BUNDLED_REF.read_text(encoding="utf-8"))
    return Run(
        ["batch", "s", "--refs", "r", "--out", "o", "-j", "1", "-f", "json"],
        check=no_temp_files,
        expect=(143,),
        signal_after=(signal.SIGTERM, 4.0),
        shown="batch s --refs r --out o -j 1 -f json; SIGTERM after 4 s",
    )


@case("streams and signals", "concurrent waives (4 at once)")
def _(w: Path) -> Run | str:
    pair(w)
    ids = _flag_ids(w, 4)
    if len(ids) < 4:
        return f"only {len(ids)} flags to waive"
    # Three start here; the fourth is the row's own command, started at the same moment.
    others = [
        subprocess.Popen(
            [sys.executable, "-m", "toolkit", "waive", i[:12], "seed.txt", "ref.txt"],
            cwd=w,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in ids[1:]
    ]

    def check(_: Path, __: Outcome) -> str:
        codes = [p.wait(timeout=120) for p in others]
        text = (w / "transdiff.waivers.toml").read_text(encoding="utf-8")
        lost = [i for i in ids if i not in text]
        if lost or any(codes):
            return f"FAIL: exit codes {codes}, lost {len(lost)} of {len(ids)}"
        return f"all {len(ids)} waivers in the file"

    return Run(
        ["waive", ids[0][:12], "seed.txt", "ref.txt"],
        check=check,
        shown="4 x waive ID seed.txt ref.txt at once",
    )


@case("streams and signals", "--jobs 1000 on 5,200 lines")
def _(w: Path) -> Run:
    lines = [s for s in BUNDLED_SEED.read_text(encoding="utf-8").splitlines() if s.strip()]
    refs = [s for s in BUNDLED_REF.read_text(encoding="utf-8").splitlines() if s.strip()]
    n = 5200
    (w / "big.txt").write_text("\n".join((lines * (n // len(lines) + 1))[:n]) + "\n")
    (w / "bigref.txt").write_text("\n".join((refs * (n // len(refs) + 1))[:n]) + "\n")
    args = [
        "report",
        "big.txt",
        "bigref.txt",
        "--segmented",
        "--jobs",
        "1000",
        "--no-scores",
        "-f",
        "json",
        "-o",
        "big.json",
    ]
    return Run(args, check=_most_workers, shown=" ".join(args))


# Terminal --------------------------------------------------------------------------------------


def hostile_pair(w: Path) -> None:
    seed = (
        f"In 1998 {H} and \x1b]8;;http://evil.example/\x07a link\x1b]8;;\x07, \x9b31mred\u202e.\n"
    )
    (w / "seed.txt").write_text(seed + SEED, encoding="utf-8")
    (w / "ref.txt").write_text("In 1999 and a link, red.\n" + REF, encoding="utf-8")


for _command in (["align"], ["score", "--sentences"], ["flag"], ["report"], ["report", "-f", "md"]):

    def _escape_case(w: Path, command: list[str] = _command) -> Run:
        hostile_pair(w)
        args = [command[0], "seed.txt", "ref.txt", *command[1:]]
        return Run(
            args, check=clean_stdout, stdout="pty", shown=" ".join(args) + " (on a terminal)"
        )

    case("terminal", f"escape sequences in the text ({' '.join(_command)})")(_escape_case)


@case("terminal", "escape sequences in file names (score table)")
def _(w: Path) -> Run:
    shutil.copy(BUNDLED_SEED, w / f"seed{H}.txt")
    shutil.copy(BUNDLED_REF, w / f"ref{H}.txt")
    return Run(
        ["score", f"seed{H}.txt", f"ref{H}.txt"],
        check=clean_stdout,
        shown="score 'seed<ESC...>.txt' 'ref<ESC...>.txt'",
    )


@case("terminal", "escape sequences in a file name (warning)")
def _(w: Path) -> Run:
    pair(w)
    (w / f"cook{H}.txt").write_text(
        "Melt the butter in a pan.\nAdd the onions.\nStir the rice.\nServe it warm.\n"
    )
    return Run(
        ["report", "seed.txt", f"cook{H}.txt"],
        check=clean_stdout,
        shown="report seed.txt 'cook<ESC...>.txt'",
    )


# Usage -----------------------------------------------------------------------------------------


USAGE = (
    ("bad --format", ["report", "--format", "xml"]),
    ("bad --reason", ["waive", "3fa92c1b7d4e", "--reason", "nope"]),
    ("--jobs abc", ["report", "--jobs", "abc"]),
    ("negative --jobs", ["report", "--jobs", "-1"]),
    ("missing argument", ["align"]),
    ("missing option (--out)", ["batch", "d"]),
    ("unknown option", ["report", "--frmat", "json"]),
    ("option without its value", ["score", "a", "--format"]),
    ("unknown command", ["reprot"]),
    ("unknown metric", ["score", "seed.txt", "ref.txt", "--metrics", "meteor"]),
    ("unknown BLEU tokenizer", ["score", "seed.txt", "ref.txt", "--tokenize", "nope"]),
    (
        "compare: a system is also the reference",
        ["compare", "seed.txt", "ref.txt", "--ref", "ref.txt"],
    ),
    ("compare: the same system twice", ["compare", "seed.txt", "seed.txt", "--ref", "ref.txt"]),
    ("compare: only one system", ["compare", "seed.txt", "--ref", "ref.txt"]),
    (
        "compare: --bootstrap 1",
        ["compare", "seed.txt", "other.txt", "--ref", "ref.txt", "--bootstrap", "1"],
    ),
)
for _label, _args in USAGE:

    def _usage_case(w: Path, args: list[str] = _args) -> Run:
        pair(w)
        shutil.copy(w / "seed.txt", w / "other.txt")
        return Run(args)

    case("usage", _label)(_usage_case)


@case("usage", "compare: systems that translate different texts")
def _(w: Path) -> Run:
    pair(w)
    (w / "cook.txt").write_text(
        "Melt the butter in a pan.\nAdd the onions.\nStir the rice.\nServe it warm.\n"
    )
    return Run(["compare", "seed.txt", "cook.txt", "--ref", "ref.txt"])


@case("usage", "unrelated reference (warning)")
def _(w: Path) -> Run:
    pair(w)
    (w / "cook.txt").write_text(
        "Melt the butter in a pan.\nAdd the onions.\nStir the rice.\nServe it warm.\n"
    )
    return Run(["report", "seed.txt", "cook.txt", "-f", "json"])


@case("usage", "no SEED and no seeds/ folder")
def _(w: Path) -> Run:
    return Run(["report"])


# --- running --------------------------------------------------------------------------------------


def _descendants(pid: int) -> int:
    """Processes below ``pid`` now (from /proc; 0 where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    count, todo = 0, [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        count += len(kids)
        todo.extend(kids)
    return count


def _most_workers(_: Path, outcome: Outcome) -> str:
    most = outcome.most_processes
    limit = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # workers plus multiprocessing's resource tracker
    if most > (limit or 1) + 1:
        return f"FAIL: {most} processes below the run (cores: {limit})"
    return f"at most {most} processes below the run ({limit} cores)"


def run(w: Path, spec: Run, timeout: float) -> Outcome:
    argv = [*spec.wrap, sys.executable, "-m", "toolkit", *spec.args]
    stdout: int | None = subprocess.PIPE
    stderr: int | None = subprocess.PIPE
    closers = []
    pass_fds: tuple[int, ...] = ()
    preexecs = [spec.preexec] if spec.preexec else []
    if spec.stdout == "full":
        stdout = os.open("/dev/full", os.O_WRONLY)
        closers.append(stdout)
    elif spec.stdout == "stderr-full":
        stderr = os.open("/dev/full", os.O_WRONLY)
        closers.append(stderr)
    elif spec.stdout == "closed":
        preexecs.append(lambda: os.close(1))
    elif spec.stdout == "pty":
        master, stdout = pty.openpty()
        closers.append(stdout)
    started = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=w,
        stdout=stdout,
        stderr=stderr,
        stdin=subprocess.DEVNULL,
        preexec_fn=(lambda: [f() for f in preexecs]) if preexecs else None,
        pass_fds=pass_fds,
    )
    if spec.stdout == "broken":
        proc.stdout.close()  # the reader is gone before the first write: EPIPE
    for fd in closers:
        os.close(fd)
    screen: list[bytes] = []
    if spec.stdout == "pty":
        reader = threading.Thread(target=_drain, args=(master, screen), daemon=True)
        reader.start()
    most = [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.2):
            most[0] = max(most[0], _descendants(proc.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    if spec.signal_after is not None:
        sig, delay = spec.signal_after
        threading.Timer(delay, lambda: proc.poll() is None and proc.send_signal(sig)).start()
    try:
        out, err = _communicate(proc, timeout)
        code: int | str = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = _communicate(proc, 10)
        code = "TIMEOUT"
    finally:
        stop.set()
    if spec.stdout == "pty":
        reader.join(10)
        os.close(master)
        out = b"".join(screen).decode("utf-8", "backslashreplace")
    return Outcome(code, out, err, time.monotonic() - started, most[0])


def _drain(fd: int, into: list[bytes]) -> None:
    """Read a pseudo-terminal until the child has gone (EIO)."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into.append(chunk)


def _communicate(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    if proc.stdout is not None and proc.stdout.closed:
        proc.stdout = None
    out, err = proc.communicate(timeout=timeout)
    decode = lambda b: (b or b"").decode("utf-8", "backslashreplace")  # noqa: E731
    return decode(out), decode(err)


def verdict(spec: Run, outcome: Outcome, w: Path) -> str:
    lines = outcome.stderr.splitlines()
    if outcome.code == "TIMEOUT":
        return "FAIL: hung (killed)"
    if "Traceback" in outcome.stderr:
        return "FAIL: traceback"
    if outcome.code not in spec.expect:
        return f"FAIL: exit {outcome.code}, expected {' or '.join(map(str, spec.expect))}"
    if spec.stdout == "stderr-full":  # nothing to read: the exit code is all there is
        if outcome.stdout:
            return "FAIL: output on stdout"
    elif outcome.code == 2 and (len(lines) != 1 or not lines[0].startswith("transdiff: error: ")):
        return f"FAIL: {len(lines)} lines on stderr for an error"
    elif any(not ln.startswith("transdiff: ") for ln in lines):
        return "FAIL: stray stderr output"  # only warnings, "wrote ...", the gate's line
    notes = []
    if spec.check is not None:
        note = spec.check(w, outcome)
        if note.startswith("FAIL"):
            return note
        notes.append(note)
    return "; ".join(notes) or "ok"


def cell(text: str, limit: int = 150) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "\u2026"
    return text.replace("|", "\\|")


def command_text(spec: Run) -> str:
    shown = spec.shown or " ".join(shlex.quote(a) for a in spec.args)
    return "transdiff " + shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="run the kinds whose name contains this")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--readme", type=Path, help="also write per-family tables here")
    options = parser.parse_args()
    rows = []
    print("| kind | command | exit | first line of stderr | lines on stderr | traceback? | check |")
    print("|---|---|---|---|---|---|---|")
    for item in CASES:
        if options.only.lower() not in item.kind.lower():
            continue
        with tempfile.TemporaryDirectory(prefix="bad_input_") as tmp:
            w = Path(tmp)
            spec = item.build(w)
            if isinstance(spec, str):
                row = (item.kind, "-", "skipped", spec, "-", "-", "skipped: " + spec)
            else:
                outcome = run(w, spec, options.timeout)
                lines = outcome.stderr.splitlines()
                row = (
                    item.kind,
                    command_text(spec),
                    str(outcome.code),
                    lines[0] if lines else "",
                    str(len(lines)),
                    "yes" if "Traceback" in outcome.stderr else "no",
                    verdict(spec, outcome, w),
                )
            _restore_permissions(w)
        rows.append((item.family, row))
        kind, command, code, first, count, trace, check = row
        print(
            f"| {cell(kind)} | `{cell(command, 90)}` | {code} | `{cell(first)}` | {count} "
            f"| {trace} | {cell(check)} |",
            flush=True,
        )
    failed = [r for _, r in rows if r[-1].startswith("FAIL")]
    skipped = [r for _, r in rows if r[2] == "skipped"]
    print(
        f"\n{len(rows)} kinds: {len(rows) - len(failed) - len(skipped)} handled, "
        f"{len(failed)} failed, {len(skipped)} skipped"
    )
    if options.readme:
        options.readme.write_text(readme_tables(rows), encoding="utf-8")
    return 1 if failed else 0


def readme_tables(rows: list[tuple[str, tuple[str, ...]]]) -> str:
    out = []
    for family in dict.fromkeys(f for f, _ in rows):
        out += [
            f"**{family.capitalize()}**",
            "",
            "| kind | command | exit | message | also checked |",
            "|---|---|---|---|---|",
        ]
        for fam, (kind, command, code, first, _, _, check) in rows:
            if fam == family:
                shown = first.removeprefix("transdiff: ")
                message = f"`{cell(shown, 200)}`" if shown else "(nothing)"
                command = cell(command.removeprefix("transdiff "), 80)
                checked = "" if check == "ok" else cell(check, 90)
                out.append(f"| {cell(kind)} | `{command}` | {code} | {message} | {checked} |")
        out.append("")
    return "\n".join(out)


def _restore_permissions(w: Path) -> None:
    for path in w.rglob("*"):
        if not path.is_symlink():
            with contextlib.suppress(OSError):
                path.chmod(0o700)


if __name__ == "__main__":
    sys.exit(main())
