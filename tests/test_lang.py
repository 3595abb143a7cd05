"""The language layer: data files, the Language API, identification and how a run uses it."""

from __future__ import annotations

import importlib
import json
import pickle
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from toolkit.checks import Category, Finding, PairFunction, registered
from toolkit.checks.omission import check_omission, is_content_word
from toolkit.checks.pronouns import check_pronoun_pair
from toolkit.checks.typography import check_typography
from toolkit.cli import app
from toolkit.compare import CompareSettings, compare_systems
from toolkit.document import Document
from toolkit.lang import Language, LanguageError, available, identify, language, resolve
from toolkit.pipeline import compare_documents, compare_files, run_checks
from toolkit.report.xliff import NAMESPACE, render_xliff
from toolkit.result import RunSettings

EN = "The committee approved the plan. It will start work in May."
# The checks that need English rules or word lists that de.toml does not have yet, in run order.
WITHOUT_GERMAN_DATA = tuple(["entity", "mistranslation", "pronoun-referent"])
DE = "Der Ausschuss hat den Plan gebilligt. Er beginnt im Mai mit der Arbeit."


def _doc(text: str, path: str = "seed.txt") -> Document:
    return Document(path=path, text=text, encoding="utf-8", newline="\n")


# --- data files and the API -------------------------------------------------------------------


def test_every_data_file_is_shipped_and_reads() -> None:
    folder = resources.files("toolkit.lang") / "data"
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))
    assert names == ["de.toml", "en.toml", "ru.toml", "zh.toml"]
    assert available() == ("de", "en", "ru", "zh")
    for name in names:
        data = tomllib.loads((folder / name).read_text(encoding="utf-8"))
        assert data["language"]["code"] == name.removesuffix(".toml")


@pytest.mark.parametrize("code", available())
def test_every_table_of_every_language_reads(code: str) -> None:
    """What a new language file must satisfy: every list resolves (derived lists included),
    every number table maps words to integers, every pronoun entry is well formed."""
    lang = language(code)
    data = tomllib.loads(
        (resources.files("toolkit.lang") / "data" / f"{code}.toml").read_text(encoding="utf-8")
    )
    for name, entry in data.get("words", {}).items():
        words = lang.words(name)
        assert words and all(w == w.strip() and w for w in words), name
        if isinstance(entry, dict):  # derived: base | add - remove, exactly
            bases = [entry["base"]] if isinstance(entry["base"], str) else entry["base"]
            expected = frozenset().union(*(lang.words(b) for b in bases))
            expected |= frozenset(entry.get("add", "").split())
            assert words == expected - frozenset(entry.get("remove", "").split()), name
    for name in data.get("phrases", {}):
        assert all(p.strip() == p and p for p in lang.phrases(name)), name
    for name in data.get("groups", {}):
        assert all(len(g) >= 2 for g in lang.groups(name)), name
    for name in data.get("pairs", {}):
        assert all(a and b for a, b in lang.pairs(name).items()), name
    for name, table in data.get("numbers", {}).items():
        if isinstance(table, dict):
            assert all(isinstance(v, int) for v in lang.numbers(name).values()), name
    assert all(p.forms for p in lang.pronouns)
    assert lang.number_format.decimal not in lang.number_format.thousands


def test_english_tables() -> None:
    en = language("en")
    assert en.name == "English" and en.has_data
    assert {"the", "of", "and"} <= en.words("stopwords")
    # function words derive from the stopwords: every stopword is one, plus the rest
    assert en.words("stopwords") < en.words("function")
    assert {"get", "don't", "however"} <= en.words("function")
    assert en.numbers("units")["seven"] == 7 and en.numbers("tens")["ninety"] == 90
    assert en.numbers("scales")["billion"] == 10**9
    assert en.number_format.decimal == "." and en.number_format.thousands == (",",)
    assert en.quotes[0] == ("\u201c", "\u201d")
    assert ("big", "large", "huge", "enormous", "massive", "giant", "vast", "immense") in (
        en.groups("synonyms")
    )
    assert "United Nations" in en.phrases("states_and_organisations")
    assert "colour" not in en.pairs("british_american")  # a rule of consistency.py spells it
    assert en.pairs("british_american")["grey"] == "gray"


def test_pronoun_table_has_person_number_gender() -> None:
    by_label = {p.label: p for p in language("en").pronouns}
    assert set(by_label) == {
        "3sg masculine",
        "3sg feminine",
        "3sg neuter",
        "3pl",
        "1sg",
        "1pl",
        "2",
    }
    she = by_label["3sg feminine"]
    assert (she.person, she.number, she.gender, she.formality) == (3, "singular", "feminine", "")
    assert she.forms == {"she", "her", "hers", "herself"}
    assert by_label["2"].number == "any"


def test_codes_normalise_and_cache() -> None:
    assert language("EN") is language("en")
    assert language("en-GB") is language("en")
    assert language("eng") is language("en")  # ISO 639-3 reads as its two-letter code
    assert language("en_US").code == "en"


def test_a_language_without_data_has_no_tables() -> None:
    fr = language("fr")
    assert fr.name == "French" and not fr.has_data
    assert not fr.has("words.function") and not fr.has("pronouns")
    assert fr.words("function", default=frozenset()) == frozenset()
    assert fr.pronouns == () and fr.stem("maisons") == "maisons"
    with pytest.raises(LanguageError, match=r"French \(fr\) has no \[words\] function"):
        fr.words("function")


def test_german_names_its_stemmer_and_conventions() -> None:
    de = language("de")
    assert de.has_data and de.sentencex == "de"
    assert de.stem("häuser") == "haus"
    assert de.number_format.decimal == ","
    assert de.has("pronouns") and de.has("words.function")


@pytest.mark.parametrize("code", ["xx", "english", "", "12", "e"])
def test_unknown_code_is_a_language_error(code: str) -> None:
    with pytest.raises(LanguageError, match="unknown language"):
        language(code)


def test_language_pickles_by_code() -> None:
    assert pickle.loads(pickle.dumps(language("en"))) is language("en")


@given(st.text(max_size=12))
def test_any_code_gives_a_language_or_a_language_error(code: str) -> None:
    try:
        lang = language(code)
    except LanguageError as exc:
        assert "\n" not in str(exc)  # the CLI prints it as one line
    else:
        assert lang is language(lang.code) and lang.code == lang.code.lower()


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_resolve_never_fails_on_text(text: str) -> None:
    lang, origin = resolve(None, text=text)
    assert origin in {"identified", "default"}
    if origin == "default":  # nothing sure enough was identified: English
        assert lang is language("en")


# --- choosing the language ----------------------------------------------------------------------


def test_identify() -> None:
    assert identify(EN)[0] == "en"
    assert identify(DE)[0] == "de"
    assert identify("1234 5678 !!") == ("", 0.0)


def test_resolve_order() -> None:
    assert resolve("de", declared=("fr",), text=EN) == (language("de"), "given")
    assert resolve(None, declared=("fr-FR",), text=EN) == (language("fr"), "file")
    assert resolve(None, declared=("",), text=DE) == (language("de"), "identified")
    assert resolve(None, text="") == (language("en"), "default")


def test_run_settings_check_the_code() -> None:
    assert RunSettings(language="en-GB").language == "en"
    with pytest.raises(LanguageError):
        RunSettings(language="xx")


# --- checks and languages -----------------------------------------------------------------------


def test_checks_without_data_are_skipped_and_listed() -> None:
    run, not_run = run_checks(RunSettings(), "de")
    assert not_run == list(WITHOUT_GERMAN_DATA)
    assert {c.name for c in run} == {
        "number",
        "omission",
        "typography",
        "untranslated",
        "consistency",
        "formality",
        "pronoun",
        "english-leftover",
        "casing",  # German rules: nouns take a capital (toolkit/checks/nouncase.py)
        "negation",  # the rules read the language's negation words
        # the source checks need no word lists (they run when the run has a source)
        "source-number",
        "source-markup",
        "source-untranslated",
        "source-punctuation",
        "source-length",
    }
    assert run_checks(RunSettings(), "en")[1] == []


def test_a_check_that_needs_a_table_runs_where_the_table_is() -> None:
    def shout(seed: str, ref: str, *, language: Language) -> list[Finding]:
        return [Finding(Category.typography, "minor", 0, 1, f"in {language.code}")]  # type: ignore[arg-type]

    check = PairFunction("needs-pronouns", shout, (Category.typography,), needs=("pronouns",))
    assert check.supports("en") and check.supports("de") and not check.supports("fr")
    found = check.prepare(_context("en")).pair("a", "b")
    assert [f.message for f in found] == ["in en"]


def _context(code: str):  # type: ignore[no-untyped-def]
    from toolkit.checks import Context

    return Context(["a"], code)


def test_pronoun_pair_reads_the_language_table() -> None:
    found = check_pronoun_pair("He left early.", "She left early.", language=language("en"))
    assert [(f.severity.value, f.start, f.end) for f in found] == [("major", 0, 2)]
    # French has no pronoun table: nothing to compare
    assert check_pronoun_pair("He left.", "She left.", language=language("fr")) == []


def test_omission_without_function_words_counts_every_word() -> None:
    assert not is_content_word("the")
    assert is_content_word("the", language=language("fr"))
    seed = "The committee approved the plan on Monday."
    ref = "The committee approved the plan for the new hospital in the city centre on Monday."
    assert [f.category for f in check_omission(seed, ref)] == [Category.omission]
    # "for the ... in the": function words of English, content words of a language without a list
    french = check_omission(seed, ref, language=language("fr"))
    assert [f.category for f in french] == [Category.omission]
    assert "major" in [f.severity.value for f in french]


def test_every_builtin_check_declares_how_it_reads_the_language() -> None:
    for check in registered():
        assert check.supports("en"), check.name


# --- the run ------------------------------------------------------------------------------------


def test_report_carries_the_language_in_signature_and_json(tmp_path: Path) -> None:
    report = compare_documents(_doc(DE), [_doc(DE, "ref.txt")], settings=RunSettings())
    assert report.language == "de"
    assert "|lang:de|segmenter:sentencex-" in report.signature
    assert "+rules:de|" in report.signature
    assert report.checks_not_run == WITHOUT_GERMAN_DATA
    assert any(w.startswith("checks not run for de") for w in report.warnings)
    english = compare_documents(_doc(EN), [_doc(EN, "ref.txt")], settings=RunSettings())
    assert english.language == "en" and "|lang:en|" in english.signature
    assert english.checks_not_run == ()


def test_given_language_wins_over_identification() -> None:
    report = compare_documents(_doc(EN), [_doc(EN, "ref.txt")], settings=RunSettings(language="de"))
    assert report.language == "de"


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence"
 adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body>
<tu tuid="t1"><tuv xml:lang="en"><seg>Pay 15 euros.</seg></tuv>
<tuv xml:lang="fr"><seg>Payez 16 euros.</seg></tuv></tu>
<tu tuid="t2"><tuv xml:lang="en"><seg>Hello.</seg></tuv>
<tuv xml:lang="fr"><seg>Bonjour.</seg></tuv></tu>
</body></tmx>
"""


def test_tmx_target_language_is_the_run_language_and_xliff_writes_both(tmp_path: Path) -> None:
    seed = tmp_path / "mem.tmx"
    seed.write_text(TMX, encoding="utf-8")
    ref = tmp_path / "ref.txt"
    ref.write_text("Payez 15 euros.\nBonjour.\n", encoding="utf-8")
    report = compare_files(seed, [ref])
    assert (report.language, report.source_language) == ("fr", "en")
    root = etree.fromstring(render_xliff(report).encode("utf-8"))
    file = root.find(f"{{{NAMESPACE}}}file")
    assert file is not None
    assert (file.get("source-language"), file.get("target-language")) == ("en", "fr")


def test_xliff_of_a_plain_text_run_knows_only_the_target() -> None:
    report = compare_documents(_doc("He paid 15 euros."), [_doc("He paid 16 euros.", "r.txt")])
    file = etree.fromstring(render_xliff(report).encode("utf-8")).find(f"{{{NAMESPACE}}}file")
    assert file is not None
    assert (file.get("source-language"), file.get("target-language")) == ("und", "en")


# --- the CLI ------------------------------------------------------------------------------------


def _invoke(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_unknown_language_is_one_line_exit_2(tmp_path: Path) -> None:
    seed = tmp_path / "s.txt"
    seed.write_text(EN, encoding="utf-8")
    for command in ("report", "flag", "score", "align"):
        args = [command, seed, seed] if command in ("score", "align") else [command, seed]
        result = _invoke(*args, "--lang", "klingon")
        assert result.exit_code == 2, command
        lines = result.output.strip().splitlines()
        assert lines == [
            "transdiff: error: unknown language 'klingon': give an ISO 639 code such as en, "
            "de or fr (languages with data: de, en, ru, zh)"
        ]


def test_cli_lang_reaches_the_json(tmp_path: Path) -> None:
    seed, ref = tmp_path / "s.txt", tmp_path / "r.txt"
    seed.write_text(EN, encoding="utf-8")
    ref.write_text(EN, encoding="utf-8")
    result = _invoke("report", seed, ref, "--lang", "de", "--format", "json", "--no-scores")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "de"
    assert "|lang:de|" in data["signature"]
    assert "pronoun-referent" in data["checks_not_run"]
    queue = _invoke("flag", seed, ref, "--lang", "de", "--format", "json")
    assert queue.exit_code == 0, queue.output
    assert json.loads(queue.stdout)["language"] == "de"


def test_compare_segments_and_signs_with_the_language() -> None:
    systems = [
        Document.from_text("Der Hund schläft. Es regnet in Berlin.", path="a.txt"),
        Document.from_text("Ein Hund schläft. Es regnet stark in Berlin.", path="b.txt"),
    ]
    refs = [Document.from_text("Der Hund schläft.\nEs regnet in Berlin.", path="ref.txt")]
    fast = CompareSettings(bootstrap_samples=20, ar_trials=20, language="de")
    (comparison,) = compare_systems(systems, refs, settings=fast)
    assert all("|lang:de|segmenter:sentencex-" in s for s in comparison.signatures.values())


PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

msgid "The cat sleeps."
msgstr "Die Katze schläft."

msgid "It rains."
msgstr "Es regnet."
"""

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="doc.txt" source-language="en" target-language="ru" datatype="plaintext">
  <body>
   <trans-unit id="u1"><source>Two dogs.</source><target>Две собаки.</target></trans-unit>
  </body>
 </file>
</xliff>
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    # a PO header names no source language: the msgids (the unit seed's own source) are
    # identified as English
    [("de.po", PO, ("de", "en")), ("doc.xlf", XLIFF, ("ru", "en"))],
)
def test_unit_files_declare_the_run_language(
    tmp_path: Path, name: str, text: str, expected: tuple[str, str]
) -> None:
    seed = tmp_path / name
    seed.write_text(text, encoding="utf-8")
    report = compare_files(seed, [], settings=RunSettings(score=None))
    assert (report.language, report.source_language) == expected
    # --lang still wins over what the file declares
    forced = compare_files(seed, [], settings=RunSettings(score=None, language="fr"))
    assert forced.language == "fr"


def test_typography_reads_the_language_quotes() -> None:
    german = ["Er sagte: \u201eJa\u201c, und ging."]
    # German quotes open low and close with the English opening mark: fine in German ...
    assert check_typography(german, 0, language=language("de")) == []
    # ... an unmatched opening quote in English conventions
    (finding,) = check_typography(german, 0, language=language("en"))
    assert finding.message == "opening quote \u201c without a closing \u201d"
    (unclosed,) = check_typography(["Er sagte: \u201eJa."], 0, language=language("de"))
    assert unclosed.message == "opening quote \u201e without a closing \u201c"


def test_identification_without_room_for_its_model_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression (bad_input: RLIMIT_FSIZE): py3langid unpacks its model through a temporary
    file; when that cannot be written, the run falls back to English instead of a traceback."""
    module = importlib.import_module("toolkit.lang.identify")  # the package re-exports a function

    def no_room() -> None:
        raise OSError(27, "File too large")

    monkeypatch.setattr(module, "_identifier", no_room)
    assert module.identify("Das ist ein ganz normaler deutscher Satz.") == ("", 0.0)
    assert module.resolve(text="Das ist ein ganz normaler deutscher Satz.")[1] == "default"


def test_word_frequencies_of_a_language_wordfreq_lacks_are_zero_and_quiet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Regression (bad_input: a 1 MB line identified as Latin): wordfreq warned on stderr and
    used Italian; the verifier's features read no frequency instead."""
    from toolkit.verify.features import _zipf

    assert _zipf("amicus", "la") == 0.0
    assert _zipf("house", "en") > 4.0
    assert capsys.readouterr().err == ""
