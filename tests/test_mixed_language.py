"""Mixed-language input: a document whose sentences are in more than one language is warned
about, naming the language and where it is (toolkit/lang/identify.py, the pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Document
from toolkit.lang import language, mixed_language_warning, other_languages
from toolkit.pipeline import compare_documents
from toolkit.result import RunSettings

ROOT = Path(__file__).resolve().parents[1]
GERMAN = ROOT / "benchmarks/data/sentences_de.txt"  # German paragraphs (written for the tests)
ENGLISH = ROOT / "seeds/000_ad300a173e81270b.txt"  # the bundled English seed

DE_SENTENCES = [
    "Die Regierung hat den Haushalt für das nächste Jahr gestern verabschiedet.",
    "Viele Bürger haben sich über die hohen Preise in den Geschäften beschwert.",
    "Der Zug nach München fährt heute wegen eines Streiks nicht.",
    "Im Sommer fahren wir mit den Kindern an die Ostsee.",
    "Die Ausstellung im Museum ist noch bis Ende Oktober geöffnet.",
    "Nach dem Regen blühen die Blumen im Garten besonders schön.",
    "Unsere Nachbarn haben sich einen neuen Hund gekauft.",
    "Das Konzert am Samstag war schon nach wenigen Stunden ausverkauft.",
]
EN_SENTENCES = [
    "The committee approved the budget for next year on Tuesday.",
    "Many residents complained about the noise from the building site.",
    "The train to Manchester is cancelled today because of a strike.",
]


def mix_text() -> str:
    """A real German and English mix: the German test paragraphs, then the English seed's
    first twelve lines."""
    german = [
        line for line in GERMAN.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ][:30]
    english = ENGLISH.read_text(encoding="utf-8").splitlines()[:12]
    return "\n".join(german + english) + "\n"


def test_other_languages_finds_the_english_part() -> None:
    texts = DE_SENTENCES + EN_SENTENCES
    (other,) = other_languages(texts, "de")
    assert other.code == "en"
    assert other.indices == (8, 9, 10)
    assert other.counted == 11
    assert other.runs == ((8, 10),)
    assert other.share == pytest.approx(3 / 11)


@pytest.mark.parametrize(
    "texts",
    [
        DE_SENTENCES,  # one language
        DE_SENTENCES + EN_SENTENCES[:1],  # one sentence: a quotation, not a second language
        DE_SENTENCES * 2 + EN_SENTENCES[:2],  # 2 of 18: below a fifth
        [*DE_SENTENCES[:1], "Ja.", "Gut so.", "OK, fine.", *EN_SENTENCES[:1]],  # short ones
    ],
)
def test_no_other_language(texts: list[str]) -> None:
    assert other_languages(texts, "de") == ()


def test_the_warning_names_the_language_and_the_lines() -> None:
    texts = DE_SENTENCES + EN_SENTENCES
    lines = [1, 2, 3, 5, 6, 7, 8, 9, 11, 12, 14]
    assert mixed_language_warning(texts, lines, language("de")) == [
        "3 of 11 sentences of 5 words or more read as English (en), not German (de): "
        "lines 11-14; the checks read one language: split the document by language, or "
        "give --lang"
    ]


def test_pipeline_warns_on_a_real_mix() -> None:
    doc = Document(path="mix.txt", text=mix_text(), encoding="utf-8", newline="\n")
    ref = Document(path="ref.txt", text=mix_text(), encoding="utf-8", newline="\n")
    report = compare_documents(doc, [ref], settings=RunSettings(score=None))
    assert report.language == "en"
    mixed = [w for w in report.warnings if "read as" in w]
    assert mixed == [
        "mix.txt: 9 of 24 sentences of 5 words or more read as German (de), not English "
        "(en): lines 2-22; the checks read one language: split the document by language, "
        "or give --lang"
    ]


def test_a_document_mostly_in_another_language_is_told_its_language() -> None:
    (message,) = mixed_language_warning(EN_SENTENCES, [1, 2, 3], language("de"))
    assert message == (
        "3 of 3 sentences of 5 words or more read as English (en), not German (de): lines 1-3; "
        "most of it is English: give --lang en"
    )


@pytest.mark.parametrize(("path", "code"), [(ENGLISH, "en"), (GERMAN, "de")])
def test_one_language_documents_have_no_warning(path: Path, code: str) -> None:
    text = path.read_text(encoding="utf-8")
    doc = Document(path="one.txt", text=text, encoding="utf-8", newline="\n")
    report = compare_documents(doc, [doc], settings=RunSettings(score=None, detect=False))
    assert report.language == code
    assert not [w for w in report.warnings if "read as" in w]


def test_cli_prints_the_warning_and_json_carries_it(tmp_path: Path) -> None:
    seed = tmp_path / "mix.txt"
    seed.write_text(mix_text(), encoding="utf-8")
    result = CliRunner().invoke(app, ["flag", str(seed), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "read as German (de), not English (en): lines 2-22" in result.stderr


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(DE_SENTENCES + EN_SENTENCES + ["Ja.", ""]), max_size=14))
def test_other_languages_invariants(texts: list[str]) -> None:
    for other in other_languages(texts, "de"):
        assert other.code != "de"
        assert len(other.indices) >= 2 and other.share >= 0.2
        assert all(0 <= i < len(texts) for i in other.indices)
        assert [i for a, b in other.runs for i in other.indices if a <= i <= b] == list(
            other.indices
        )


_EN = [
    "The harbour of the old town was rebuilt after the war by the city council.",
    "Most of what we know about the universe has come from the light of stars.",
    "Trade between the two countries grew quickly in the following decade.",
]
_DE = [
    "Der Hafen der alten Stadt wurde nach dem Krieg vom Stadtrat wieder aufgebaut.",
    "Das meiste, was wir über das Universum wissen, stammt aus dem Licht der Sterne.",
    "Der Handel zwischen den beiden Ländern wuchs im folgenden Jahrzehnt schnell.",
]


def test_long_documents_are_screened_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    ident = importlib.import_module("toolkit.lang.identify")  # the module, not the function

    calls: list[str] = []
    real = ident.identify

    def counting(text: str) -> tuple[str, float]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(ident, "identify", counting)
    n = ident.SCREEN + 500
    english = [_EN[i % 3] for i in range(n)]
    assert ident.other_languages(english, "en") == ()
    assert len(calls) == ident.SCREEN, "a one-language document is only screened"
    mixed = english[:]
    mixed[1000:1800] = [_DE[i % 3] for i in range(800)]
    screened = ident.other_languages(mixed, "en")
    monkeypatch.setattr(ident, "SCREEN", 10**9)
    full = ident.other_languages(mixed, "en")
    assert screened == full and [o.code for o in full] == ["de"]
    assert full[0].indices == tuple(range(1000, 1800)) and full[0].runs == ((1000, 1799),)
