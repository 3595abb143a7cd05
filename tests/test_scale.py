"""Issue 13, speed and memory: the limit on one sentence's length, and the shortcuts of the
aligner that must not change its answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.pipeline import MAX_SENTENCE, compare_documents
from toolkit.result import RunSettings
from toolkit.similarity import SimilarityModel

WORDS = [
    "the",
    "harbour",
    "of",
    "Port",
    "Elsworth",
    "was",
    "rebuilt",
    "in",
    "1998",
    "by",
    "engineers",
    "from",
    "Rotterdam",
]


def _words(n: int) -> str:
    return " ".join(WORDS[k % len(WORDS)] for k in range(n))


def test_a_sentence_over_the_limit_is_refused_by_name() -> None:
    long = _words(MAX_SENTENCE // 4)  # no full stop anywhere: one sentence
    assert len(long) > MAX_SENTENCE
    seed = Document.from_text(f"A short opening line.\n{long}\n", path="seed.txt")
    ref = Document.from_text("A short opening line.\nSomething else.\n", path="ref.txt")
    with pytest.raises(InputError) as err:
        compare_documents(seed, [ref], settings=RunSettings(segmented=True, score=None))
    assert str(err.value) == (
        f"seed.txt: line 2 runs {len(long):,} characters without a sentence end; transdiff "
        f"compares sentences of at most {MAX_SENTENCE:,} characters: break the text into "
        "sentences or lines"
    )


def test_a_sentence_at_the_limit_is_compared() -> None:
    text = _words(MAX_SENTENCE)[:MAX_SENTENCE].rstrip()
    seed = Document.from_text(text + "\n", path="seed.txt")
    ref = Document.from_text(text[: MAX_SENTENCE - 4].rstrip() + " too\n", path="ref.txt")
    report = compare_documents(
        seed, [ref], settings=RunSettings(segmented=True, score=None, detect=False)
    )
    assert [b.kind for b in report.references[0].alignment.beads] == ["1-1"]


def test_cli_refuses_a_long_line_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(_words(10_000) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("Hello there.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", str(tmp_path / "seed.txt"), str(tmp_path / "ref.txt"), "--no-scores"]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "seed.txt: sentence p1.s1 runs" in lines[0]
    assert f"at most {MAX_SENTENCE:,} characters" in lines[0]


_SENTENCES = st.lists(
    st.text(alphabet="ab cdE1,.'-\u00e9 ", min_size=0, max_size=40), min_size=3, max_size=8
)


@settings(max_examples=300, deadline=None)
@given(_SENTENCES, _SENTENCES, st.data())
def test_the_length_bound_never_falls_below_the_similarity(
    seed: list[str], ref: list[str], data: st.DataObject
) -> None:
    """The DP skips a wider bead when the bound says it cannot win; that is only safe if the
    bound is a true upper bound of the similarity, for every span."""
    model = SimilarityModel(seed, ref)
    i0 = data.draw(st.integers(0, len(seed) - 1))
    i1 = data.draw(st.integers(i0 + 1, min(len(seed), i0 + 3)))
    j0 = data.draw(st.integers(0, len(ref) - 1))
    j1 = data.draw(st.integers(j0 + 1, min(len(ref), j0 + 3)))
    assert model.similarity(i0, i1, j0, j1) <= model.bound(i0, i1, j0, j1)


@pytest.mark.parametrize("batch", [1, 3, 2000])
def test_json_in_pieces_is_the_one_dumps(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The streamed JSON (what ``--out`` writes) is byte for byte ``json.dumps`` of the report's
    data, whatever the batch size."""
    import json

    from toolkit.report import json as report_json

    monkeypatch.setattr(report_json, "_BATCH", batch)
    seed = Document.from_text(
        "The harbour was rebuilt in 1998. Mayor Varga asked for 4 million euros.\n"
        "Engineers from Rotterdam designed it. It took \u201ctwo\u201d years.\n",
        path="seed.txt",
    )
    refs = [
        Document.from_text(
            "The port was rebuilt in 1999. Mayor Varga wanted 5 million euros.\n"
            "Dutch engineers designed it. She took two years.\n",
            path="refB.txt",
        ),
        Document.from_text("The harbour was rebuilt in 1998.\n", path="ref2.txt"),
    ]
    report = compare_documents(seed, refs)
    assert any(s.flags for s in report.sentences)
    expected = (
        json.dumps(report_json.report_to_dict(report), ensure_ascii=False, allow_nan=False) + "\n"
    )
    assert "".join(report_json.json_chunks(report)) == expected
    assert report_json.render_json(report) == expected
