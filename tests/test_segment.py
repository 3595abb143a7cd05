"""Tests of paragraph-aware sentence splitting (toolkit.segment)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import segment as seg_module
from toolkit.document import Document
from toolkit.segment import (
    Segment,
    paragraph_spans,
    segment_document,
    segmenter_signature,
    split_sentences,
)

GOLDEN = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "golden_rules_en.tsv"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def triples(text: str, *, segmented: bool = False) -> list[tuple[str, int, int, str]]:
    return [
        (s.id, s.start, s.end, s.text)
        for s in segment_document(Document.from_text(text), segmented=segmented)
    ]


def assert_covers(text: str, segments: tuple[Segment, ...]) -> None:
    """Segments are in order, non-empty, stripped, exact slices, with only white space between."""
    pos = 0
    for s in segments:
        assert s.start >= pos, f"{s.id} overlaps or is out of order"
        assert text[pos : s.start].strip() == "", f"non-space text lost before {s.id}"
        assert s.text == text[s.start : s.end]
        assert s.text and s.text == s.text.strip()
        pos = s.end
    assert text[pos:].strip() == "", "non-space text lost at the end"


# --- sentences ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Mr. Brown met Dr. Green at noon. They spoke briefly.",
            ["Mr. Brown met Dr. Green at noon.", "They spoke briefly."],
            id="titles",
        ),
        pytest.param(
            "The U.S. delegation arrived. Talks began on Monday.",
            ["The U.S. delegation arrived.", "Talks began on Monday."],
            id="U.S.",
        ),
        pytest.param(
            "Talks with V. Putin lasted hours. Nothing was agreed.",
            ["Talks with V. Putin lasted hours.", "Nothing was agreed."],
            id="initial",
        ),
        pytest.param(
            "Prof. J. R. Tolkien wrote it. Read it.",
            ["Prof. J. R. Tolkien wrote it.", "Read it."],
            id="initials",
        ),
        pytest.param(
            "Bring tools, e.g. a saw, i.e. anything sharp. Then wait.",
            ["Bring tools, e.g. a saw, i.e. anything sharp.", "Then wait."],
            id="e.g.-i.e.",
        ),
        pytest.param(
            "He arrived at 5 p.m. and left. The end.",
            ["He arrived at 5 p.m. and left.", "The end."],
            id="p.m.",
        ),
        pytest.param(
            "Smith et al. (2020) disagree. We agree.",
            ["Smith et al. (2020) disagree.", "We agree."],
            id="et-al",
        ),
        pytest.param(
            "Sales hit 3.5 mln. rubles in May.",
            ["Sales hit 3.5 mln. rubles in May."],
            id="lowercase-after-abbreviation",
        ),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Prices rose 2.5 percent in Q3. Wages rose 3.1 percent.",
            ["Prices rose 2.5 percent in Q3.", "Wages rose 3.1 percent."],
            id="decimals",
        ),
        pytest.param(
            "About 51,000 people came. The hall held 1,200.",
            ["About 51,000 people came.", "The hall held 1,200."],
            id="thousands",
        ),
        pytest.param(
            "He paid $4.50 for it. Cheap!", ["He paid $4.50 for it.", "Cheap!"], id="money"
        ),
        pytest.param(
            "Version 2.0.1 is out. Update now!",
            ["Version 2.0.1 is out.", "Update now!"],
            id="version",
        ),
        pytest.param(
            "The temperature was -3.5 °C. Snow fell.",
            ["The temperature was -3.5 °C.", "Snow fell."],
            id="negative",
        ),
        pytest.param(
            "Visit example.com today. It is free.",
            ["Visit example.com today.", "It is free."],
            id="domain",
        ),
    ],
)
def test_numbers(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'She asked, "Is it over?" Nobody answered.',
            ['She asked, "Is it over?"', "Nobody answered."],
            id="straight-quote",
        ),
        pytest.param(
            "He said: \u201cWe agree.\u201d The others nodded.",
            ["He said: \u201cWe agree.\u201d", "The others nodded."],
            id="curly-quote",
        ),
        pytest.param(
            "\u00abМы согласны\u00bb, \u2014 сказал он. Все кивнули.",  # noqa: RUF001
            ["\u00abМы согласны\u00bb, \u2014 сказал он.", "Все кивнули."],  # noqa: RUF001
            id="guillemets",
        ),
        pytest.param(
            "The output fell (by 4.2%.) Exports grew.",
            ["The output fell (by 4.2%.)", "Exports grew."],
            id="stop-before-bracket",
        ),
        pytest.param(
            "(See the annex.) The table follows.",
            ["(See the annex.)", "The table follows."],
            id="bracketed-sentence",
        ),
        pytest.param("Is it true?! Yes.", ["Is it true?!", "Yes."], id="interrobang"),
    ],
)
def test_quotes_and_brackets(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("It was late\u2026 Everyone left.", ["It was late\u2026", "Everyone left."]),
        pytest.param("Wait... Who is there?", ["Wait...", "Who is there?"]),
        pytest.param("I thought... well, never mind.", ["I thought... well, never mind."]),
        pytest.param(
            "The deal\u2014signed in May\u2014holds. Both sides agree.",
            ["The deal\u2014signed in May\u2014holds.", "Both sides agree."],
            id="em-dash",
        ),
        pytest.param(
            "Costs - as expected - rose. Profits fell.",
            ["Costs - as expected - rose.", "Profits fell."],
            id="spaced-hyphen",
        ),
    ],
)
def test_ellipses_and_dashes(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Buy bread. 2. Sell milk.", ["1. Buy bread.", "2. Sell milk."]),
        ("1) Buy bread 2) Sell milk", ["1) Buy bread", "2) Sell milk"]),
        ("1. Introduction", ["1. Introduction"]),
        ("2.3. Results", ["2.3. Results"]),
        ("IV. The war ended.", ["IV. The war ended."]),
    ],
)
def test_list_markers_stay_with_their_item(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_ideographic_stops_split_without_spaces() -> None:
    text = "你好。我很好！你呢？"  # noqa: RUF001
    assert sentences(text) == ["你好。", "我很好！", "你呢？"]  # noqa: RUF001


def golden_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, *expected = line.split("\t")
            cases.append((text, expected))
    return cases


@pytest.mark.parametrize(("text", "expected"), golden_cases())
def test_golden_rules_en(text: str, expected: list[str]) -> None:
    # The English golden rules of the Pragmatic Segmenter, as pySBD ships them.
    assert sentences(text) == expected


@pytest.mark.parametrize("text", ["", " ", "\r\n\t \u3000"])
def test_split_sentences_of_blank_text_is_empty(text: str) -> None:
    assert split_sentences(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("word", [(0, 4)]),
        ("  padded words  ", [(2, 14)]),
        ("No final punctuation here", [(0, 25)]),
        ("  One.  Two.  ", [(2, 6), (8, 12)]),
    ],
)
def test_split_sentences_spans_are_stripped(text: str, expected: list[tuple[int, int]]) -> None:
    assert split_sentences(text) == expected


# --- documents, paragraphs and offsets ----------------------------------------------------


def test_ids_and_offsets_of_a_line_per_paragraph_text() -> None:
    text = "Results\nGrowth was 2.5 percent. Mr. Lee was pleased.\n\nIt held.\n"
    assert triples(text) == [
        ("p1.s1", 0, 7, "Results"),
        ("p2.s1", 8, 31, "Growth was 2.5 percent."),
        ("p2.s2", 32, 52, "Mr. Lee was pleased."),
        ("p3.s1", 54, 62, "It held."),
    ]


def test_crlf_offsets_point_into_the_text_as_read() -> None:
    text = "Title\r\nMr. Smith paid $2.5 million. He left.\r\n\r\nEnd\r\n"
    assert triples(text) == [
        ("p1.s1", 0, 5, "Title"),
        ("p2.s1", 7, 35, "Mr. Smith paid $2.5 million."),
        ("p2.s2", 36, 44, "He left."),
        ("p3.s1", 48, 51, "End"),
    ]


def test_cr_only_offsets_point_into_the_text_as_read() -> None:
    text = "Heading\rLine one. Line two.\r"
    assert triples(text) == [
        ("p1.s1", 0, 7, "Heading"),
        ("p2.s1", 8, 17, "Line one."),
        ("p2.s2", 18, 27, "Line two."),
    ]


def test_headings_only() -> None:
    text = "Part One\nThe Early Years\nA New Home"
    assert [s.text for s in segment_document(Document.from_text(text))] == text.split("\n")


WRAPPED = (
    "CHAPTER ONE\n"
    "\n"
    "It was a bright cold day in April, and the clocks were\n"
    "striking thirteen. Winston Smith, his chin nuzzled into\n"
    "his breast, slipped quickly through the glass doors.\n"
    "\n"
    "The hallway smelt of boiled cabbage and old rag mats. At\n"
    "one end of it a coloured poster had been tacked to the wall.\n"
)


def test_hard_wrapped_text_is_split_in_blocks() -> None:
    segments = segment_document(Document.from_text(WRAPPED))
    assert [(s.id, s.text) for s in segments] == [
        ("p1.s1", "CHAPTER ONE"),
        ("p2.s1", "It was a bright cold day in April, and the clocks were\nstriking thirteen."),
        (
            "p2.s2",
            "Winston Smith, his chin nuzzled into\n"
            "his breast, slipped quickly through the glass doors.",
        ),
        ("p3.s1", "The hallway smelt of boiled cabbage and old rag mats."),
        ("p3.s2", "At\none end of it a coloured poster had been tacked to the wall."),
    ]
    assert_covers(WRAPPED, segments)


def test_hard_wrapped_crlf_text_keeps_its_newlines() -> None:
    text = WRAPPED.replace("\n", "\r\n")
    segments = segment_document(Document.from_text(text))
    assert segments[1].text == (
        "It was a bright cold day in April, and the clocks were\r\nstriking thirteen."
    )
    assert (segments[1].start, segments[1].end) == (15, 89)
    assert_covers(text, segments)


def test_heading_on_the_first_line_of_a_wrapped_block() -> None:
    text = (
        "Summary\n"
        "The committee met twice and agreed on a plan that\n"
        "covers the budget for the coming year and more.\n\n"
        "It was approved without a vote by the members who\n"
        "attended the second meeting in the town hall.\n"
    )
    spans = paragraph_spans(text)
    assert [text[s:e].split("\n")[0] for s, e in spans] == [
        "Summary",
        "The committee met twice and agreed on a plan that",
        "It was approved without a vote by the members who",
    ]


def test_lines_ending_sentences_are_paragraphs_even_with_blank_lines() -> None:
    text = "One sentence here.\nAnother one here.\n\nA third one.\nThe fourth one."
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "One sentence here.",
        "Another one here.",
        "A third one.",
        "The fourth one.",
    ]


def test_a_sentence_never_crosses_a_line_paragraph() -> None:
    lines = [f"Line {n} ends here." for n in range(1, 7)] + ["The talks went on", "and on."]
    segments = segment_document(Document.from_text("\n".join(lines)))
    assert [s.text for s in segments] == lines
    assert [s.id for s in segments][-2:] == ["p7.s1", "p8.s1"]


def test_two_lines_broken_mid_sentence_are_one_block() -> None:
    text = "The talks went on\nand on until dawn."
    assert [s.text for s in segment_document(Document.from_text(text))] == [text]


def test_segmented_mode_numbers_every_line() -> None:
    text = "First line. Two sentences.\r\n\r\n  Third line  \rFourth\n\nSixth\n"
    assert triples(text, segmented=True) == [
        ("L1", 0, 26, "First line. Two sentences."),
        ("L3", 32, 42, "Third line"),
        ("L4", 45, 51, "Fourth"),
        ("L6", 53, 58, "Sixth"),
    ]
    assert [s.paragraph for s in segment_document(Document.from_text(text), segmented=True)] == [
        1,
        3,
        4,
        6,
    ]


@pytest.mark.parametrize("text", [" ", "\n\n", "\r\n \t\r"])
def test_blank_document_has_no_segments(text: str) -> None:
    doc = Document.from_text(text)
    assert segment_document(doc) == ()
    assert segment_document(doc, segmented=True) == ()


def test_single_word() -> None:
    assert triples("Hello") == [("p1.s1", 0, 5, "Hello")]


def test_segment_rejects_offsets_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="end - start"):
        Segment(id="p1.s1", text="abc", start=5, end=6, paragraph=1)
    with pytest.raises(ValueError, match="paragraph"):
        Segment(id="p1.s1", text="a", start=0, end=1, paragraph=0)


def test_signature_names_the_library() -> None:
    assert re.fullmatch(r"sentencex-\S+\+rules:en", segmenter_signature())


# --- long input and a misbehaving library -----------------------------------------------


def test_two_megabyte_single_line_is_covered() -> None:
    unit = "Mr. Lee paid 51,000 dollars (about 2.5 times more.) Then he left... "
    text = unit * (2_000_000 // len(unit))
    segments = segment_document(Document.from_text(text))
    assert_covers(text, segments)
    assert len(segments) == 2 * (2_000_000 // len(unit))
    assert {s.paragraph for s in segments} == {1}


def test_long_paragraph_without_spaces_is_cut_hard() -> None:
    text = "x" * 45_000
    assert split_sentences(text) == [(0, 20_000), (20_000, 40_000), (40_000, 45_000)]


def test_long_paragraph_is_cut_after_a_stop() -> None:
    text = ("word " * 2500).strip() + ". " + "more words " * 2000
    spans = split_sentences(text)
    assert text[spans[0][0] : spans[0][1]].endswith("word.")
    assert_covers(
        text, tuple(Segment(f"x{i}", text[s:e], s, e, 1) for i, (s, e) in enumerate(spans))
    )


def test_sentencex_panic_on_multibyte_space_is_avoided(capfd: pytest.CaptureFixture[str]) -> None:
    # sentencex 1.0.32 panicked (and printed a Rust backtrace) on this input, found by fuzzing.
    text = "\u3002)\u2028Z\u3000.\u00bb'\u03010U.S.1YU.S.(\u00ab\u3002\u0301\u00abX\x1c9a"
    assert_covers(text, segment_document(Document.from_text(text)))
    assert capfd.readouterr().err == ""


def test_library_failure_falls_back_to_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(language: str, text: str) -> list[str]:
        raise RuntimeError("boom")

    monkeypatch.setattr(seg_module, "_sentencex_segment", broken)
    assert sentences("First one. Second one! Third") == ["First one.", "Second one!", "Third"]


@pytest.mark.parametrize(
    "alter",
    [str.upper, lambda s: " ".join(s.split()), lambda s: s.replace("e", "é"), lambda s: s + "!"],
    ids=["upper", "collapse-spaces", "change-letters", "add-characters"],
)
def test_sentences_the_library_alters_are_mapped_without_loss(
    monkeypatch: pytest.MonkeyPatch, alter: object
) -> None:
    real = seg_module._sentencex_segment

    def altering(language: str, text: str) -> list[str]:
        return [alter(s) for s in real(language, text)]  # type: ignore[operator]

    monkeypatch.setattr(seg_module, "_sentencex_segment", altering)
    text = "One  sentence here. Another\tone   there.   A third."
    spans = split_sentences(text)
    assert_covers(
        text, tuple(Segment(f"x{i}", text[s:e], s, e, 1) for i, (s, e) in enumerate(spans))
    )


# --- properties -------------------------------------------------------------------------

TOKENS = st.sampled_from(
    [
        "word", "Mr.", "U.S.", "e.g.", "2.5", "51,000", "It", "the", "A", "x",
        ".", "!", "?", "...", "\u2026", ",", ";", ":", "\"", "'", "\u201c", "\u201d", "(", ")",
        "\u2014", "-", "1.", "2.", "a.", "\u2022", "\u3002", "\u00ab", "\u00bb",
        " ", "  ", "\t", "\u00a0", "\u3000", "\u2028",
        "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\r\r",
    ]
)  # fmt: skip
TEXTS = st.lists(TOKENS, max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_sentences_cover_the_text(text: str) -> None:
    segments = segment_document(Document.from_text(text))
    assert_covers(text, segments)
    paragraphs = paragraph_spans(text)
    for s in segments:
        ps, pe = paragraphs[s.paragraph - 1]
        assert ps <= s.start and s.end <= pe, "a sentence crosses its paragraph"
    ids = [s.id for s in segments]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"p\d+\.s\d+", i) for i in ids)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_lines_cover_the_text(text: str) -> None:
    segments = segment_document(Document.from_text(text), segmented=True)
    assert_covers(text, segments)
    for s in segments:
        assert "\r" not in s.text and "\n" not in s.text
        line = 1 + len(re.findall(r"\r\n|\r|\n", text[: s.start]))
        assert (s.id, s.paragraph) == (f"L{line}", line)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=80))
def test_any_text_is_covered(text: str) -> None:
    assert_covers(text, segment_document(Document.from_text(text)))
    assert_covers(text, segment_document(Document.from_text(text), segmented=True))


def test_line_segments_are_the_segments_of_each_non_empty_line() -> None:
    import pickle

    from toolkit.segment import (
        LineSegments,
        Segment,
        segment_ids,
        segment_rows,
        segment_spans,
        segment_texts,
    )

    text = "  First line. \n\nSecond one\r\nthird\n   \n"
    segments = segment_document(Document("t.txt", text, "utf-8", "mixed"), segmented=True)
    assert isinstance(segments, LineSegments)
    expected = (
        Segment("L1", "First line.", 2, 13, 1),
        Segment("L3", "Second one", 16, 26, 3),
        Segment("L4", "third", 28, 33, 4),
    )
    assert segments == expected
    assert list(segments) == list(expected)
    assert segments[-1] == expected[-1]
    assert segments[1:] == expected[1:]
    assert len(segments) == 3
    assert segment_texts(segments) == ["First line.", "Second one", "third"]
    assert all(text[s.start : s.end] == s.text for s in segments)
    assert pickle.loads(pickle.dumps(segments)) == expected
    assert segments != expected[:2]
    rows = [(x.id, x.text, x.start, x.end) for x in expected]
    assert list(segment_rows(segments)) == list(segment_rows(expected)) == rows
    assert list(segment_spans(segments)) == [(x.start, x.end) for x in expected]
    assert list(segment_ids(segments)) == ["L1", "L3", "L4"] == segment_ids(list(expected))
    assert segment_ids(segments)[1:] == ["L3", "L4"]
