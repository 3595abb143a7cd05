"""Unit files as inputs: TMX, XLIFF 1.2 and 2.0, PO, JSONL; pairing; safe XML parsing."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from toolkit.checks import Category
from toolkit.cli import app
from toolkit.errors import InputError
from toolkit.formats import (
    MAX_DETAIL,
    MAX_JSON_DEPTH,
    Unit,
    UnitDocument,
    load_documents,
    read_units,
)
from toolkit.pipeline import compare_files

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="doc.txt" source-language="en" target-language="de" datatype="plaintext">
  <body>
   <trans-unit id="u1">
    <source>I have 3 cats.</source>
    <target>Ich habe 4 Katzen.</target>
    <alt-trans><target>Ich habe 3 Katzen.</target></alt-trans>
   </trans-unit>
   <trans-unit id="u2">
    <source>Good &lt;day&gt; &amp; "night"</source>
    <target>Guten &lt;Tag&gt; &amp; &quot;Nacht&quot;</target>
    <alt-trans><target>Guten &lt;Tag&gt; &amp; &quot;Nacht&quot;</target></alt-trans>
   </trans-unit>
  </body>
 </file>
</xliff>
"""
XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="ru">
 <file id="f1">
  <unit id="a"><segment><source>Two dogs.</source><target>Две собаки.</target></segment></unit>
  <unit id="b">
   <segment id="s1"><source>One.</source><target>Один.</target></segment>
   <segment id="s2"><source>Two.</source><target>Два.</target></segment>
  </unit>
 </file>
</xliff>
"""
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
 <header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"
   creationtool="t" creationtoolversion="1" o-tmf="t"/>
 <body>
  <tu tuid="t1">
   <tuv xml:lang="en"><seg>Pay 15 euros.</seg></tuv>
   <tuv xml:lang="de"><seg>Zahlen Sie 16 Euro.</seg></tuv>
   <tuv xml:lang="de"><seg>Zahlen Sie 15 Euro.</seg></tuv>
  </tu>
  <tu><tuv xml:lang="en"><seg>Hello.</seg></tuv><tuv xml:lang="de"><seg>Hallo.</seg></tuv></tu>
 </body>
</tmx>
"""
PO_SEED = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: app.c:1
msgid "I have 3 cats."
msgstr "Ich habe 4 Katzen."

msgctxt "menu"
msgid "Open"
msgstr "Öffnen"

msgid "Save"
msgstr ""

#~ msgid "Old"
#~ msgstr "Alt"
"""
PO_REF = """msgctxt "menu"
msgid "Open"
msgstr "Öffnen"

msgid "I have 3 cats."
msgstr "Ich habe 3 Katzen."
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="x" source-language="en" datatype="plaintext"><body>
  <trans-unit id="1"><source>a</source><target>&lol9;</target></trans-unit>
 </body></file>
</xliff>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="x" source-language="en" datatype="plaintext"><body>
  <trans-unit id="1"><source>a</source><target>x &xxe; y</target></trans-unit>
 </body></file>
</xliff>
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def check_one_line_error(result: Result) -> str:
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("transdiff: error:") and result.stderr.count("\n") == 1
    return result.stderr


# --- each format ------------------------------------------------------------------------


def test_xliff12_units_with_alt_trans(tmp_path: Path) -> None:
    units = read_units(write(tmp_path, "doc.xlf", XLIFF12))
    assert units == [
        Unit("u1", "I have 3 cats.", "Ich habe 4 Katzen.", ("Ich habe 3 Katzen.",), ("en", "de")),
        Unit(
            "u2",
            'Good <day> & "night"',
            'Guten <Tag> & "Nacht"',
            ('Guten <Tag> & "Nacht"',),
            ("en", "de"),
        ),
    ]


def test_xliff20_units_one_per_segment(tmp_path: Path) -> None:
    units = read_units(write(tmp_path, "doc.xliff", XLIFF20))
    assert [(u.id, u.source, u.target) for u in units] == [
        ("a", "Two dogs.", "Две собаки."),
        ("b::s1", "One.", "Один."),
        ("b::s2", "Two.", "Два."),
    ]
    assert {u.languages for u in units} == {("en", "ru")}


def test_tmx_extra_target_tuv_is_an_alternative(tmp_path: Path) -> None:
    units = read_units(write(tmp_path, "mem.tmx", TMX))
    assert units == [
        Unit("t1", "Pay 15 euros.", "Zahlen Sie 16 Euro.", ("Zahlen Sie 15 Euro.",), ("en", "de")),
        Unit("2", "Hello.", "Hallo.", languages=("en", "de")),
    ]


def test_po_skips_header_and_obsolete_and_keys_context(tmp_path: Path) -> None:
    units = read_units(write(tmp_path, "de.po", PO_SEED))
    assert units == [
        Unit("I have 3 cats.", "I have 3 cats.", "Ich habe 4 Katzen."),
        Unit("menu::Open", "Open", "Öffnen"),
        Unit("Save", "Save", ""),
    ]


# Russian has three plural forms; form 1 was left in English (a copy of msgid_plural).
PO_PLURAL = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
"(n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "%d file was deleted"
msgid_plural "%d files were deleted"
msgstr[0] "%d файл удалён"
msgstr[1] "%d files were deleted"
msgstr[2] "%d файлов удалено"

msgid "Cancel"
msgstr "Отмена"
"""
PO_PLURAL_REF = """msgid "%d file was deleted"
msgid_plural "%d files were deleted"
msgstr[0] "%d файл удалён"
msgstr[1] "%d файла удалено"
msgstr[2] "%d файлов удалено"
"""


def test_regression_po_plural_forms_are_each_a_unit(tmp_path: Path) -> None:
    # Was: only msgstr[0] was read; the English msgstr[1] went unchecked.
    units = read_units(write(tmp_path, "ru.po", PO_PLURAL))
    assert units == [
        Unit("%d file was deleted[0]", "%d file was deleted", "%d файл удалён"),
        Unit("%d file was deleted[1]", "%d files were deleted", "%d files were deleted"),
        Unit("%d file was deleted[2]", "%d files were deleted", "%d файлов удалено"),
        Unit("Cancel", "Cancel", "Отмена"),
    ]


def test_untranslated_po_plural_keeps_one_empty_unit_per_form(tmp_path: Path) -> None:
    path = write(tmp_path, "x.po", 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    assert read_units(path) == [Unit("a[0]", "a", ""), Unit("a[1]", "as", "")]


def test_po_plural_reference_pairs_form_by_form(tmp_path: Path) -> None:
    seed = write(tmp_path, "seed.po", PO_PLURAL)
    ref = write(tmp_path, "ref.po", PO_PLURAL_REF)
    seed_doc, (ref_doc,) = load_documents(seed, [ref])
    expected = "%d файл удалён\n%d files were deleted\n%d файлов удалено\nОтмена"  # noqa: RUF001
    assert seed_doc.text == expected
    assert ref_doc.text == "%d файл удалён\n%d файла удалено\n%d файлов удалено\n"


def test_flag_finds_the_untranslated_plural_form(tmp_path: Path) -> None:
    result = invoke("flag", write(tmp_path, "ru.po", PO_PLURAL), "--format", "json")
    assert result.exit_code == 0, result.output
    flagged = [
        (s["id"], f["category"], f["severity"])
        for s in json.loads(result.stdout)["sentences"]
        for f in s["flags"]
    ]
    assert flagged == [("L2", "accuracy/untranslated", "critical")]


def test_jsonl_units(tmp_path: Path) -> None:
    text = (
        '{"id": 7, "text": "Один \\"два\\" <три> & 🙂"}\n\n'
        '{"id": "x", "text": "B", "source": "S"}\n'
    )
    units = read_units(write(tmp_path, "mt.jsonl", text))
    assert units == [Unit("7", "", 'Один "два" <три> & 🙂'), Unit("x", "S", "B")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": 2, "text": "b"', "mt.jsonl: line 2: not valid JSON"),
        ('["b"]', 'mt.jsonl: line 2: expected an object with a string "text"'),
        ('{"id": 2, "txt": "b"}', 'mt.jsonl: line 2: expected an object with a string "text"'),
    ],
)
def test_jsonl_bad_line_names_its_number(tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path, "mt.jsonl", '{"id": 1, "text": "a"}\n' + line + "\n")
    with pytest.raises(InputError) as info:
        read_units(path)
    assert str(info.value).startswith(str(tmp_path / expected))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_regression_deeply_nested_jsonl_is_a_one_line_error(tmp_path: Path) -> None:
    # Was: a RecursionError traceback and exit 1.
    rows = '{"id": 1, "text": "a"}\n' + "[" * 100_000 + "\n"
    stderr = check_one_line_error(invoke("flag", write(tmp_path, "deep.jsonl", rows)))
    assert stderr == (
        f"transdiff: error: {tmp_path / 'deep.jsonl'}: line 2: JSON nested deeper than 64 "
        'levels; expected a flat object such as {"id": "1", "text": "..."}\n'
    )


def test_json_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    # The row object is level 1, so the list may add MAX_JSON_DEPTH - 1 levels.
    row = f'{{"id": "1", "text": "a", "meta": {nested(MAX_JSON_DEPTH - 1)}}}\n'
    assert read_units(write(tmp_path, "ok.jsonl", row)) == [Unit("1", "", "a")]
    too_deep = row.replace(nested(MAX_JSON_DEPTH - 1), nested(MAX_JSON_DEPTH))
    with pytest.raises(InputError, match=r"line 1: JSON nested deeper than 64 levels"):
        read_units(write(tmp_path, "deep.jsonl", too_deep))


def test_brackets_inside_json_strings_are_not_nesting(tmp_path: Path) -> None:
    text = '[{\\"]' * 200  # brackets, braces, escaped quotes: all inside one string
    row = json.dumps({"id": "1", "text": text}) + "\n"
    assert read_units(write(tmp_path, "s.jsonl", row)) == [Unit("1", "", text)]


def test_jsonl_number_with_too_many_digits_is_a_one_line_error(tmp_path: Path) -> None:
    # Was: a ValueError traceback (Python refuses int() of more than 4300 digits).
    row = '{"id": ' + "1" * 5000 + ', "text": "a"}\n'
    stderr = check_one_line_error(invoke("flag", write(tmp_path, "big.jsonl", row)))
    assert stderr.startswith(
        f"transdiff: error: {tmp_path / 'big.jsonl'}: line 1: not valid JSON (Exceeds the limit"
    )


def test_jsonl_with_bytes_that_are_not_utf8_is_refused(tmp_path: Path) -> None:
    # JSON is UTF-8; a damaged file is refused like a damaged XML or PO file.
    path = tmp_path / "bad.jsonl"
    path.write_bytes('{"id": "1", "text": "Привет, мир"}\n'.encode().replace(b",", b"\xff,", 1))
    with pytest.raises(InputError) as info:
        read_units(path)
    assert str(info.value) == (
        f"{path}: 1 byte at byte offset 10 is not valid UTF-8; fix the file, "
        "or pass --encoding if it uses another code page"
    )


# --- documents and pairing --------------------------------------------------------------


def test_unit_document_is_targets_one_per_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "mt.jsonl", '{"id": "a", "text": "one\\ntwo"}\n{"id": "b", "text": "3"}\n'
    )
    seed, refs = load_documents(path, [])
    assert isinstance(seed, UnitDocument)
    assert seed.text == "one two\n3"
    assert [u.id for u in seed.units] == ["a", "b"]
    assert refs == []


def test_po_reference_pairs_by_id_not_position(tmp_path: Path) -> None:
    seed = write(tmp_path, "seed.po", PO_SEED)
    ref = write(tmp_path, "ref.po", PO_REF)
    seed_doc, (ref_doc,) = load_documents(seed, [ref])
    assert seed_doc.text == "Ich habe 4 Katzen.\nÖffnen\n"
    assert ref_doc.text == "Ich habe 3 Katzen.\nÖffnen\n"  # reordered to the seed's ids


def test_reference_sharing_no_id_is_an_error(tmp_path: Path) -> None:
    seed = write(tmp_path, "seed.po", PO_SEED)
    ref = write(tmp_path, "ref.jsonl", '{"id": "zzz", "text": "x"}\n')
    with pytest.raises(InputError, match="shares no unit id with"):
        load_documents(seed, [ref])


def test_alternatives_become_references(tmp_path: Path) -> None:
    seed = write(tmp_path, "mem.tmx", TMX)
    _, refs = load_documents(seed, [])
    assert [(Path(r.path).name, r.text) for r in refs] == [
        ("mem.alt1.tmx", "Zahlen Sie 15 Euro.\n")
    ]


def test_plain_text_reference_pairs_by_line(tmp_path: Path) -> None:
    seed = write(
        tmp_path, "doc.xlf", XLIFF12.replace("<alt-trans>", "<!--").replace("</alt-trans>", "-->")
    )
    ref = write(tmp_path, "ref.txt", 'Ich habe 3 Katzen.\nGuten <Tag> & "Nacht"\n')
    report = compare_files(seed, [ref])
    assert report.settings.segmented
    assert [s.id for s in report.seed_segments] == ["L1", "L2"]
    assert [r.name for r in report.references] == ["ref"]
    assert [f.category for f in report.sentences[0].flags] == [Category.number]
    assert report.sentences[1].flags == ()


# --- the command line -------------------------------------------------------------------


def test_flag_finds_number_slip_against_alt_trans(tmp_path: Path) -> None:
    result = invoke("flag", write(tmp_path, "doc.xlf", XLIFF12))
    assert result.exit_code == 0, result.output
    assert "references: doc.alt1" in result.stdout
    # the queue wraps at 80 columns: compare the words
    words = " ".join(result.stdout.split())
    assert 'number "4" does not match the reference, which has "3"' in words
    assert "L1  suspicion" in result.stdout
    assert "L2  suspicion" not in result.stdout


def test_flag_po_against_po(tmp_path: Path) -> None:
    result = invoke("flag", write(tmp_path, "seed.po", PO_SEED), write(tmp_path, "ref.po", PO_REF))
    assert result.exit_code == 0, result.output
    words = " ".join(result.stdout.split())  # the queue wraps at 80 columns
    assert 'number "4" does not match the reference, which has "3"' in words
    assert "Öffnen" not in result.stdout


def test_report_on_an_xliff_file(tmp_path: Path) -> None:
    result = invoke(
        "report", write(tmp_path, "doc.xlf", XLIFF12), "--format", "json", "--no-scores"
    )
    assert result.exit_code == 0, result.output
    assert '"accuracy/number"' in result.stdout


def test_malformed_xml_is_a_one_line_error(tmp_path: Path) -> None:
    broken = XLIFF12.replace("</target>\n    <alt-trans>", "\n    <alt-trans>", 1)
    stderr = check_one_line_error(invoke("flag", write(tmp_path, "file.xlf", broken)))
    assert f"{tmp_path / 'file.xlf'}: not well-formed XML at line " in stderr


def test_regression_huge_attribute_is_a_one_line_error(tmp_path: Path) -> None:
    # Was two lines: libxml2's message ends in a line break and advises XML_PARSE_HUGE.
    text = XLIFF12.replace('original="doc.txt"', 'original="' + "x" * 10_100_000 + '"')
    stderr = check_one_line_error(invoke("flag", write(tmp_path, "huge.xlf", text)))
    # The column is where libxml2 gave up, which depends on its buffering.
    assert re.fullmatch(
        re.escape(f"transdiff: error: {tmp_path / 'huge.xlf'}: not well-formed XML at line 3, ")
        + r"column \d+: "
        + re.escape(
            "Resource limit exceeded: Buffer size limit exceeded (one text, attribute or name "
            "is longer than the parser's safety limit)\n"
        ),
        stderr,
    )


def test_parser_detail_is_cut_to_one_short_line(tmp_path: Path) -> None:
    # libxml2 quotes both tag names of a mismatch: 80,000 characters here.
    text = f"<tmx><{'a' * 40_000}></{'b' * 40_000}></tmx>"
    path = write(tmp_path, "long.tmx", text)
    with pytest.raises(InputError) as info:
        read_units(path)
    message = str(info.value)
    prefix = f"{path}: not well-formed XML at line 1, column "
    assert message.startswith(prefix)
    detail = message.split(": ", 2)[2]
    assert detail.startswith("Opening and ending tag mismatch: aaaa")
    assert len(detail) == MAX_DETAIL and detail.endswith("\u2026")


def test_wrong_root_element(tmp_path: Path) -> None:
    stderr = check_one_line_error(invoke("flag", write(tmp_path, "x.tmx", XLIFF12)))
    assert "the root element is <xliff>, expected <tmx>" in stderr


def test_malformed_jsonl_on_the_command_line(tmp_path: Path) -> None:
    stderr = check_one_line_error(invoke("flag", write(tmp_path, "a.jsonl", "{oops\n")))
    assert "a.jsonl: line 1: not valid JSON" in stderr


# --- hostile XML ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_is_refused_quickly(tmp_path: Path, encoding: str) -> None:
    text = BILLION_LAUGHS.replace(
        '<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>'
    )
    path = write(tmp_path, "bomb.xlf", text, encoding)
    started = time.perf_counter()
    stderr = check_one_line_error(invoke("flag", path))
    assert time.perf_counter() - started < 5
    # The byte check sees "<!ENTITY" in UTF-8; in UTF-16 libxml2's own limit stops the parse.
    assert "declares XML entities" in stderr or "entity amplification" in stderr
    assert "lollol" not in stderr


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xxe_does_not_read_the_file(tmp_path: Path, encoding: str) -> None:
    text = XXE.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    path = write(tmp_path, "xxe.xlf", text, encoding)
    result = invoke("report", path, "--format", "json")
    stderr = check_one_line_error(result)
    assert "declares XML entities" in stderr
    assert "root:" not in result.output
    with pytest.raises(InputError, match="declares XML entities"):
        read_units(path)
