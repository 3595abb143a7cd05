"""Reading files into documents: encodings, newlines, NFC and the errors for bad input."""
# ruff: noqa: RUF001, RUF003  (Turkish and Greek text: their letters are meant)

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import random
import socket
import threading
from pathlib import Path

import pytest
from charset_normalizer import from_bytes
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Document, decode, normalize, read_bytes, read_document
from toolkit.errors import InputError, TransdiffError
from toolkit.legacy import legacy_codec

RUSSIAN = (
    "Москва — столица России, крупнейший по численности населения город страны. "
    "Город расположен на реке Москве в центре Восточно-Европейской равнины. "
    "Вечером мы долго гуляли по набережной, разговаривали о книгах и смотрели, "
    "как зажигаются огни. Утром шёл мелкий дождь, но к обеду небо прояснилось, "
    "и солнце осветило старые улицы.\n"
)
SPANISH = (
    "El niño pequeño comió una manzana en el jardín. Mañana iremos a la montaña con "
    "nuestros amigos, si el tiempo lo permite. ¿Quién sabe qué pasará después? "
    "La canción terminó y todos aplaudieron con alegría.\n"
)
FRENCH = (
    "Le café était déjà fermé quand nous sommes arrivés à la gare. Élodie a proposé "
    "d'attendre le prochain train près de la fenêtre, où il faisait moins froid. Nous avons "
    "parlé de l'été dernier, des fêtes au village et de la crème brûlée de sa grand-mère.\n"
)
# Curly quotes, ellipsis and the euro sign sit in 0x80-0x9F: cp1252, not latin-1.
SPANISH_CP1252 = (
    "El menú del día cuesta 12 €. “¿Qué opinas?”, preguntó María… El niño pequeño comió "
    "una manzana en el jardín. Mañana iremos a la montaña con nuestros amigos.\n"
)
MIXED_SCRIPTS = "Hello, wörld — Привет, мир! 日本語 and 😀 outside the BMP.\n"


def write(tmp_path: Path, data: bytes, name: str = "input.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def input_error(path: Path, **kwargs: str) -> str:
    """Read ``path`` expecting an InputError; return its message after checking its shape."""
    with pytest.raises(InputError) as info:
        read_document(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message, "the CLI prints the message as one line"
    assert str(path) in message, "the message must say which file is wrong"
    return message


# --- encodings -------------------------------------------------------------------------------


def test_utf8_without_bom(tmp_path: Path) -> None:
    path = write(tmp_path, MIXED_SCRIPTS.encode("utf-8"))

    doc = read_document(path)

    assert doc == Document(path=str(path), text=MIXED_SCRIPTS, encoding="utf-8", newline="\n")


def test_utf8_bom_is_removed_and_reported(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, codecs.BOM_UTF8 + MIXED_SCRIPTS.encode("utf-8")))

    assert doc.text == MIXED_SCRIPTS
    assert doc.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("bom", "codec", "reported"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_utf16_and_utf32_with_bom(tmp_path: Path, bom: bytes, codec: str, reported: str) -> None:
    doc = read_document(write(tmp_path, bom + MIXED_SCRIPTS.encode(codec)))

    assert doc.text == MIXED_SCRIPTS
    assert doc.encoding == reported


def test_cp1251_russian_is_detected(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, RUSSIAN.encode("cp1251")))

    assert doc.text == RUSSIAN
    assert codecs.lookup(doc.encoding).name == "cp1251"


@pytest.mark.parametrize(
    ("text", "codec"),
    [(SPANISH, "latin-1"), (SPANISH, "cp1252"), (SPANISH_CP1252, "cp1252")],
)
def test_western_legacy_encoding_is_detected(tmp_path: Path, text: str, codec: str) -> None:
    doc = read_document(write(tmp_path, text.encode(codec)))

    assert doc.text == text
    # cp1252 is a superset of latin-1's printable characters, so it is right for both.
    assert codecs.lookup(doc.encoding).name == "cp1252"


# Short paragraphs in a legacy code page that charset_normalizer alone ranks below another
# code page decoding them without error (in brackets what its first choice read).
LEGACY_PARAGRAPHS = {
    "french cp1252": (FRENCH, "cp1252"),  # cp1257: "déją"
    "polish cp1250": (  # cp1252: "poszliœmy"
        "Wczoraj wieczorem poszliśmy do kina, a potem zjedliśmy kolację w małej restauracji "
        "niedaleko dworca. Pogoda była piękna, więc wróciliśmy pieszo przez park i rozmawialiśmy "
        "o wakacjach nad morzem.\n",
        "cp1250",
    ),
    "turkish cp1254": (  # iso8859_10: "akŧam"
        "Dün akşam sinemaya gittik, sonra istasyonun yakınındaki küçük bir lokantada akşam "
        "yemeği yedik. Hava çok güzeldi, bu yüzden parkın içinden yürüyerek döndük ve deniz "
        "kenarındaki tatili konuştuk.\n",
        "cp1254",
    ),
    "lithuanian cp1257": (  # cp1250: "nuëjome"
        "Vakar vakare nuėjome į kiną, o paskui vakarieniavome mažame restorane netoli stoties. "
        "Oras buvo gražus, todėl grįžome pėsčiomis per parką ir kalbėjomės apie atostogas prie "
        "jūros.\n",
        "cp1257",
    ),
    "spanish latin-1": (  # cp1250: "nińo"
        "El niño pequeño comió una manzana en el jardín. Mañana iremos a la montaña con "
        "nuestros amigos.\n",
        "latin-1",
    ),
    "czech cp1250": (
        "Včera večer jsme šli do kina a potom jsme povečeřeli v malé restauraci nedaleko "
        "nádraží. Počasí bylo krásné, takže jsme se vrátili pěšky přes park.\n",
        "cp1250",
    ),
    "slovak cp1250": (  # cp1252: "¾udovodemokratická" ("¾" is a number to the regex's \w)
        "Laoská ľudovodemokratická republika, Mexiko, Saudská Arábia.\n",
        "cp1250",
    ),
    "greek cp1253": (
        "Χθες το βράδυ πήγαμε σινεμά και μετά φάγαμε σε ένα μικρό εστιατόριο κοντά στον "
        "σταθμό. Ο καιρός ήταν ωραίος, οπότε γυρίσαμε με τα πόδια μέσα από το πάρκο.\n",
        "cp1253",
    ),
}


@pytest.mark.parametrize("name", sorted(LEGACY_PARAGRAPHS))
def test_legacy_code_page_is_read_without_losing_a_letter(tmp_path: Path, name: str) -> None:
    text, codec = LEGACY_PARAGRAPHS[name]
    doc = read_document(write(tmp_path, text.encode(codec)))

    assert doc.text == text


def test_code_pages_that_read_alike_keep_charset_normalizers_choice() -> None:
    # German letters are the same bytes in cp1250 and cp1252: the word lists cannot tell them
    # apart, so the mess measure's first choice stands (and decodes the text exactly).
    text = "Das Wetter war schön, also sind wir zu Fuß durch den Park zurückgegangen.\n"
    data = text.encode("cp1252")

    assert legacy_codec(data) == from_bytes(data).best().encoding  # type: ignore[union-attr]
    assert data.decode(legacy_codec(data) or "") == text


_FRENCH_WORDS = [
    "déjà",
    "là",
    "où",
    "été",
    "fenêtre",
    "crème",
    "brûlée",
    "fête",
    "à",
    "très",
    "après",
    "père",
    "mère",
    "élève",
    "réponse",
    "café",
    "le",
    "la",
    "les",
    "de",
    "des",
    "un",
    "une",
    "et",
    "nous",
    "avons",
    "parlé",
    "dans",
    "maison",
    "train",
    "soir",
    "grand",
    "petit",
    "village",
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_FRENCH_WORDS), min_size=12, max_size=40))
def test_french_in_cp1252_reads_back_exactly(words: list[str]) -> None:
    # Random French word salads with at least three accented words, cp1252 bytes.
    assume(sum(not w.isascii() for w in words) >= 3)
    text = " ".join(words).capitalize() + ".\n"

    assert decode(text.encode("cp1252")).text == text


def test_explicit_encoding_decodes_what_detection_gets_wrong(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, FRENCH.encode("cp1252")), encoding="cp1252")

    assert doc.text == FRENCH
    assert doc.encoding == "cp1252"


def test_explicit_encoding_overrides_detection(tmp_path: Path) -> None:
    # Valid UTF-8 that detection would read as UTF-8; the caller's codec wins anyway.
    doc = read_document(write(tmp_path, "café\n".encode()), encoding="latin-1")

    assert doc.text == "cafÃ©\n"
    assert doc.encoding == "latin-1"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")],
    ids=["utf-8", "utf-16-le"],
)
def test_explicit_encoding_still_drops_the_bom(tmp_path: Path, bom: bytes, codec: str) -> None:
    doc = read_document(write(tmp_path, bom + SPANISH.encode(codec)), encoding=codec)

    assert doc.text == SPANISH
    assert doc.encoding == codec


def test_unknown_encoding_names_the_codec(tmp_path: Path) -> None:
    path = write(tmp_path, b"plain text\n")

    message = input_error(path, encoding="no-such-codec")

    assert "unknown encoding 'no-such-codec'" in message


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_regression_leading_zwnbsp_after_bom_is_kept(tmp_path: Path, codec: str) -> None:
    # The BOM was stripped twice: once by the codec, once more by hand, losing a U+FEFF of the text.
    text = "\ufeffword joiner first\n"

    doc = read_document(write(tmp_path, text.encode(codec)))

    assert doc.text == text


# --- newlines and NFC ------------------------------------------------------------------------

NEWLINE_CASES = [
    pytest.param("one\ntwo\n", "\n", id="lf"),
    pytest.param("one\r\ntwo\r\n", "\r\n", id="crlf"),
    pytest.param("one\rtwo\r", "\r", id="cr"),
    pytest.param("one\r\ntwo\nthree\rfour", "mixed", id="mixed"),
    pytest.param("one\ntwo", "\n", id="lf-no-final-newline"),
    pytest.param("a single line without a break", "", id="none"),
]


@pytest.mark.parametrize(("text", "newline"), NEWLINE_CASES)
def test_newlines_are_kept_exactly(tmp_path: Path, text: str, newline: str) -> None:
    doc = read_document(write(tmp_path, text.encode("utf-8")))

    assert doc.text == text
    assert doc.newline == newline


@pytest.mark.parametrize(("text", "newline"), NEWLINE_CASES)
def test_from_text(text: str, newline: str) -> None:
    doc = Document.from_text(text, path="memory.txt")

    assert doc == Document(path="memory.txt", text=text, encoding="utf-8", newline=newline)


def test_from_text_default_path() -> None:
    assert Document.from_text("x").path == "<text>"


def test_document_is_frozen_and_checks_newline() -> None:
    doc = Document.from_text("x\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "y"  # type: ignore[misc]
    with pytest.raises(ValueError, match="newline must be one of"):
        Document(path="p", text="x", encoding="utf-8", newline="\n\n")


def test_text_is_not_normalised_on_read(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 cre\u0300me\n"

    doc = read_document(write(tmp_path, decomposed.encode("utf-8")))

    assert doc.text == decomposed
    assert len(doc.text) == 13
    assert normalize(doc.text) == "Caf\u00e9 cr\u00e8me\n"


def test_normalize_is_nfc_not_nfkc() -> None:
    assert normalize("e\u0301") == "\u00e9"
    assert normalize("\u00e9") == "\u00e9"
    # NFKC would turn the ligature into "fi" and the superscript into "2".
    assert normalize("\ufb01le\u00b2") == "\ufb01le\u00b2"


# --- bad input -------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    assert "no such file" in input_error(tmp_path / "absent.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()

    assert "is a directory" in input_error(folder)


def test_empty_file(tmp_path: Path) -> None:
    assert "the file is empty" in input_error(write(tmp_path, b""))


def test_empty_file_with_explicit_encoding(tmp_path: Path) -> None:
    assert "the file is empty" in input_error(write(tmp_path, b""), encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [b" \n\t\r\n  ", codecs.BOM_UTF8 + b"\n\n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
    ids=["plain", "utf-8-bom", "utf-16-bom"],
)
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    assert "no text (only white space)" in input_error(write(tmp_path, data))


def test_png_is_binary(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(2000)

    assert "binary file" in input_error(write(tmp_path, png, "image.png"))


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    data = random.Random(20240607).randbytes(4096)
    assert b"\x00" in data

    assert "binary file" in input_error(write(tmp_path, data, "noise.bin"))


def test_random_bytes_without_nul_are_binary(tmp_path: Path) -> None:
    # No NUL at all: the share of other control bytes must give it away.
    data = bytes(b for b in random.Random(7).randbytes(4096) if b)

    assert "binary file" in input_error(write(tmp_path, data, "noise.bin"))


def test_undecodable_bytes_with_explicit_encoding(tmp_path: Path) -> None:
    message = input_error(write(tmp_path, b"\xff\xfe\xfa"), encoding="utf-8")

    assert "bytes at offset 0 are not valid utf-8" in message
    assert "--encoding" in message


def test_undecodable_bytes_later_in_the_file(tmp_path: Path) -> None:
    message = input_error(write(tmp_path, b"fine so far \xc3("), encoding="utf-8")

    assert "offset 12" in message


CHINESE = "我们今天去了公园。一个小时以后，我们回家了。\n这是第二行，有数字 2024 和英文 TED。\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "Hello world, plain English.\n",
        RUSSIAN,
        # "一" is 00 4E in UTF-16-LE: zero bytes on both sides; the other byte order reads as
        # unassigned code points or unpaired surrogates (both were "looks like a binary file").
        CHINESE,
        "我们今天去了公园看到很多花朋友们都很高兴天气非常好我们回家吃饭" * 10,
    ],
    ids=["english", "russian", "chinese", "chinese-without-ascii"],
)
def test_utf16_without_bom_names_the_encoding_to_pass(
    tmp_path: Path, codec: str, text: str
) -> None:
    path = write(tmp_path, text.encode(codec))

    message = input_error(path)

    assert f"looks like {codec.upper()} text without a byte-order mark" in message
    assert f"--encoding {codec}" in message
    # ... and the advice works.
    assert read_document(path, encoding=codec).text == text


_SCRIPTS = st.sampled_from(
    [
        "我们今天去了公园一个小时以后回家",
        "안녕하세요오늘날씨가좋네요",
        "Привет мир это строка",
        "Καλημέρα κόσμε",
        "مرحبا بالعالم",
        "日本語のテキストです",
        "Hello, world 2024",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_SCRIPTS, min_size=3, max_size=12), st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_is_never_given_the_wrong_byte_order(
    phrases: list[str], codec: str
) -> None:
    # Every text ends with a newline (0A 00 or 00 0A): a zero byte, so it looks binary.
    text = "\n".join(phrases) + "\n"

    with pytest.raises(InputError) as info:
        decode(text.encode(codec))

    assert f"looks like {codec.upper()} text without a byte-order mark" in str(info.value)


def test_input_error_is_a_transdiff_error() -> None:
    with pytest.raises(TransdiffError):
        decode(b"", name="x.txt")


def test_decode_names_the_source_in_messages() -> None:
    with pytest.raises(InputError, match=r"^source\.txt: the file is empty$"):
        decode(b"", name="source.txt")


# --- UTF-8 damaged by a few bytes ------------------------------------------------------------

DAMAGE = b"\xff\xfe\xfd\xfc"  # bytes that are never valid anywhere in UTF-8


def damaged_seed(seed_path: Path, tmp_path: Path) -> tuple[Path, str]:
    """The bundled seed with 4 invalid bytes at byte 500; also the text expected from it."""
    data = seed_path.read_bytes()
    path = write(tmp_path, data[:500] + DAMAGE + data[500:], "damaged.txt")
    expected = data[:500].decode() + "\ufffd" * 4 + data[500:].decode()
    return path, expected


def test_regression_seed_with_invalid_bytes_is_not_read_as_a_legacy_code_page(
    seed_path: Path, tmp_path: Path
) -> None:
    # Was: iso8859-14, no warning, the Russian attribution line turned into mojibake.
    path, expected = damaged_seed(seed_path, tmp_path)

    doc = read_document(path)

    assert doc.encoding == "utf-8"
    assert doc.text == expected
    assert doc.text.endswith("Переведено сервисом «Яндекс Переводчик»")
    assert doc.warnings == (
        f"{path}: 4 bytes at byte offsets 500-503 are not valid UTF-8, read as U+FFFD; "
        "pass --encoding if the file uses another code page, or --strict to refuse it",
    )


def test_strict_refuses_damaged_utf8(seed_path: Path, tmp_path: Path) -> None:
    path, _ = damaged_seed(seed_path, tmp_path)

    message = input_error(path, strict=True)

    assert message == (
        f"{path}: 4 bytes at byte offsets 500-503 are not valid UTF-8; fix the file, "
        "or pass --encoding if it uses another code page"
    )


def test_damage_message_groups_runs_and_names_at_most_five() -> None:
    good = "Привет, мир. " * 20
    data = b"".join(good.encode() + b"\xff" * n for n in (1, 2, 1, 1, 3, 1, 1))
    step = len(good.encode())

    text, codec, warnings = decode(data, name="x.txt")

    assert codec == "utf-8"
    assert text.count("\ufffd") == 10
    offsets = [step, 2 * step + 1, 3 * step + 3, 4 * step + 4, 5 * step + 5]
    assert warnings == (
        f"x.txt: 10 bytes at byte offsets {offsets[0]}, {offsets[1]}-{offsets[1] + 1}, "
        f"{offsets[2]}, {offsets[3]}, {offsets[4]}-{offsets[4] + 2} and 2 more are not valid "
        "UTF-8, read as U+FFFD; pass --encoding if the file uses another code page, "
        "or --strict to refuse it",
    )


def test_damaged_utf8_after_a_bom_counts_offsets_from_the_start_of_the_file() -> None:
    # Was: refused ("bytes at offset 12 are not valid utf-8-sig") while the same file
    # without its byte-order mark was read with a warning.
    data = codecs.BOM_UTF8 + "Ёлка ".encode() + b"\xff" + "и шар\n".encode()

    assert decode(data, name="x.txt") == (
        "Ёлка \ufffdи шар\n",
        "utf-8-sig",
        (
            "x.txt: 1 byte at byte offset 12 is not valid UTF-8, read as U+FFFD; pass "
            "--encoding if the file uses another code page, or --strict to refuse it",
        ),
    )
    with pytest.raises(InputError, match=r"^x\.txt: 1 byte at byte offset 12 is not valid"):
        decode(data, name="x.txt", strict=True)


def test_one_bad_byte_is_named_in_the_singular() -> None:
    _, _, warnings = decode("Ёлка ".encode() + b"\xc3(", name="x.txt")

    assert warnings[0].startswith("x.txt: 1 byte at byte offset 9 is not valid UTF-8,")


@pytest.mark.parametrize("strict", [False, True])
def test_legacy_code_page_with_accidental_utf8_pairs_is_still_detected(
    tmp_path: Path, strict: bool
) -> None:
    # In cp1251 a capital O before a closing guillemet (CE BB) and the Ukrainian capitals NI
    # (CD B2) are well-formed UTF-8 by accident.  They are rare among the bytes that are not
    # UTF-8, so the file is still a legacy code page, strict or not.
    text = RUSSIAN + "«ООО «Ромашка»» и «НІ»: так пишут.\n"

    doc = read_document(write(tmp_path, text.encode("cp1251")), strict=strict)

    assert codecs.lookup(doc.encoding).name == "cp1251"
    assert doc.text == text
    assert doc.warnings == ()


def test_clean_files_have_no_warnings(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, MIXED_SCRIPTS.encode())).warnings == ()
    assert read_document(write(tmp_path, RUSSIAN.encode("cp1251"))).warnings == ()


def test_regression_damaged_seed_keeps_its_critical_untranslated_flag(
    seed_path: Path, tmp_path: Path
) -> None:
    path, _ = damaged_seed(seed_path, tmp_path)

    result = CliRunner().invoke(app, ["flag", str(path), "--format", "json"])

    assert result.exit_code == 0, result.output
    flags = [
        (s["text"], f["category"], f["severity"])
        for s in json.loads(result.stdout)["sentences"]
        for f in s["flags"]
    ]
    assert (
        "Переведено сервисом «Яндекс Переводчик»",
        "accuracy/untranslated",
        "critical",
    ) in flags
    assert result.stderr.startswith(
        f"transdiff: warning: {path}: 4 bytes at byte offsets 500-503 are not valid UTF-8,"
    )


def test_damaged_seed_warning_is_in_the_json_report(seed_path: Path, tmp_path: Path) -> None:
    path, _ = damaged_seed(seed_path, tmp_path)

    result = CliRunner().invoke(app, ["report", str(path), "--format", "json", "--no-scores"])

    assert result.exit_code == 0, result.output
    (warning,) = json.loads(result.stdout)["warnings"]
    assert warning.startswith(f"{path}: 4 bytes at byte offsets 500-503 are not valid UTF-8")


def test_strict_option_is_a_one_line_error(seed_path: Path, tmp_path: Path) -> None:
    path, _ = damaged_seed(seed_path, tmp_path)

    result = CliRunner().invoke(app, ["flag", str(path), "--strict"])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"transdiff: error: {path}: 4 bytes at byte offsets 500-503 are not valid UTF-8; "
        "fix the file, or pass --encoding if it uses another code page\n"
    )


# --- files that are not regular files --------------------------------------------------------


def _refused_within(path: Path, seconds: float = 10.0) -> str:
    """Read ``path`` in a thread (a blocking open must not hang the test); return the error."""
    outcome: list[BaseException | bytes] = []
    thread = threading.Thread(target=lambda: outcome.append(_catch(path)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"reading {path} blocked"
    (result,) = outcome
    assert isinstance(result, InputError), result
    return str(result)


def _catch(path: Path) -> BaseException | bytes:
    try:
        return read_bytes(path)
    except BaseException as exc:  # handed to the test thread
        return exc


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_regression_fifo_without_writer_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    assert _refused_within(fifo) == (
        f"{fifo}: is a named pipe (FIFO), not a regular file; give a text file"
    )


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_character_device_is_refused() -> None:
    # /dev/null rather than /dev/zero: a regression must fail this test, not fill the memory.
    assert _refused_within(Path("/dev/null")) == (
        "/dev/null: is a character device, not a regular file; give a text file"
    )


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))

        assert input_error(path) == f"{path}: is a socket, not a regular file; give a text file"


def test_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = write(tmp_path, "café\n".encode())
    link = tmp_path / "link.txt"
    link.symlink_to(target)

    assert read_document(link).text == "café\n"


# --- awkward but valid input -----------------------------------------------------------------


def test_ten_megabyte_single_line(tmp_path: Path) -> None:
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit "
    text = (words * (10 * 1024 * 1024 // len(words) + 1))[: 10 * 1024 * 1024]

    doc = read_document(write(tmp_path, text.encode("ascii")))

    assert len(doc.text) == 10 * 1024 * 1024
    assert doc.text == text
    assert (doc.encoding, doc.newline) == ("utf-8", "")


def test_headings_only(tmp_path: Path) -> None:
    text = "# Title\n\n## Chapter one\n\n## Chapter two\n\n### Notes\n"

    doc = read_document(write(tmp_path, text.encode("utf-8")))

    assert doc.text == text
    assert doc.newline == "\n"


def test_single_character(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, b"x")).text == "x"


# --- round trip ------------------------------------------------------------------------------

_ALLOWED_C0 = {"\t", "\n", "\r"}
documents = st.text(
    st.characters(
        codec="utf-8",
        exclude_characters="".join(chr(c) for c in range(0x20) if chr(c) not in _ALLOWED_C0),
    ),
    min_size=1,
).filter(str.strip)


def _utf8(text: str) -> bytes:
    # Without a BOM a leading U+FEFF cannot be told from one; that file reads as UTF-8 with BOM.
    assume(not text.startswith("\ufeff"))
    return text.encode("utf-8")


ENCODERS = {
    "utf-8": _utf8,
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


@pytest.mark.parametrize("form", sorted(ENCODERS))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=documents)
def test_round_trip(tmp_path: Path, form: str, text: str) -> None:
    # One file, overwritten by every example, so sharing tmp_path between examples is safe.
    path = write(tmp_path, ENCODERS[form](text))

    doc = read_document(path)

    assert doc.text == text
    expected = Document.from_text(text, path=str(path))
    assert doc == dataclasses.replace(expected, encoding=doc.encoding)


_NEVER_UTF8 = st.sampled_from([0xC0, 0xC1, 0xF5, 0xFE, 0xFF])


@settings(max_examples=200, deadline=None)
@given(
    text=documents.filter(lambda t: sum(ord(c) > 0x7F for c in t) >= 3),
    cuts=st.lists(st.tuples(st.integers(min_value=0), _NEVER_UTF8), min_size=1, max_size=3),
)
def test_damaged_utf8_keeps_every_other_character(text: str, cuts: list[tuple[int, int]]) -> None:
    """Invariant: the text read is the original with one U+FFFD per bad byte, in place."""
    assume(not text.startswith("\ufeff"))
    positions = sorted({at % (len(text) + 1): byte for at, byte in cuts}.items())
    data, expected, done = b"", "", 0
    for at, byte in positions:
        data += text[done:at].encode() + bytes([byte])
        expected += text[done:at] + "\ufffd"
        done = at
    data += text[done:].encode()
    expected += text[done:]
    assume(sum(ord(c) > 0x7F for c in text) >= len(positions))

    decoded = decode(data, name="x.txt")

    assert decoded.encoding == "utf-8"
    assert decoded.text == expected
    assert len(decoded.warnings) == 1
    first = len(text[: positions[0][0]].encode())
    assert f" byte offset{'s' * (len(positions) > 1)} {first}" in decoded.warnings[0]


def test_restricted_identifier_chooses_among_its_languages_and_leaves_the_shared_one() -> None:
    from toolkit.lang.identify import identify, restricted_identifier

    spanish = "El niño pequeño comió una manzana en el jardín con sus amigos de la escuela."
    french_or_german = restricted_identifier(lambda code: code in {"fr", "de"})

    assert sorted(french_or_german.nb_classes) == ["de", "fr"]
    assert french_or_german.classify(spanish)[0] in {"fr", "de"}
    assert identify(spanish)[0] == "es"  # the shared identifier still knows every language


def test_legacy_guess_falls_back_when_the_identifier_cannot_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The identifier's model unpacks through a temporary file; with no room for it the
    # mess measure's first choice stands instead of an error.
    import toolkit.legacy

    def no_room(text: str) -> list[str]:
        raise OSError("No space left on device")

    monkeypatch.setattr(toolkit.legacy, "_languages", no_room)
    data = FRENCH.encode("cp1252")

    assert legacy_codec(data) == from_bytes(data).best().encoding  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["greek cp1253", "polish cp1250", "french cp1252"])
def test_a_long_legacy_file_is_judged_on_its_beginning(tmp_path: Path, name: str) -> None:
    # A megabyte of text: the candidates are read on their first characters only, so a
    # letter the word list spells otherwise (Greek final "ς", listed as "σ") cannot add up
    # over the whole file against the right code page.
    text, codec = LEGACY_PARAGRAPHS[name]
    long_text = text * (1_000_000 // len(text.encode(codec)))

    doc = read_document(write(tmp_path, long_text.encode(codec)))

    assert doc.text == long_text
    assert codecs.lookup(doc.encoding).name == codecs.lookup(codec).name


@pytest.mark.parametrize("codec", ["cp1252", "cp1250", "cp1257", "latin-1"])
def test_the_bundled_seed_in_a_legacy_code_page_reads_back_exactly(codec: str) -> None:
    # English with guillemets and em dashes inside words ("strong—willed"): no word has a
    # non-ASCII letter, so only the misreadings' odd letters and symbols tell (charset
    # normalizer alone read it as mac_iceland, iso8859_10 or cp932).
    seed = Path(__file__).parents[1] / "seeds" / "000_ad300a173e81270b.txt"
    text = seed.read_text(encoding="utf-8").encode(codec, "replace").decode(codec)

    assert decode(text.encode(codec)).text == text


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("它甚至能让我们", "gb18030"),  # a tie with a cp1251 reading: the multi-byte one stays
        ("今日はとても良い天気ですね。 私は東京に住んでいます。", "euc_jp"),  # alone: cp949
        ("이 책은 정말 재미있었어요.", "euc_kr"),
    ],
)
def test_east_asian_legacy_encodings_read_back_exactly(text: str, codec: str) -> None:
    assert decode(text.encode(codec)).text == text
