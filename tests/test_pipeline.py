"""The pipeline and its report-v1 JSON: keys, alignment coverage, offsets, the bundled job."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.document import Document
from toolkit.errors import InputError, UsageError
from toolkit.pipeline import compare_documents, compare_files, reference_names
from toolkit.report import render_json, report_to_dict
from toolkit.result import Report, RunSettings
from toolkit.verify import sentence_suspicion

ATTRIBUTION = "Переведено сервисом «Яндекс Переводчик»"

HARBOUR = (
    "The harbour of Port Elsworth was rebuilt in 1998. Mayor Helena Varga asked for 4 million "
    "euros.\n"
    "Engineers from Rotterdam designed a longer breakwater. Construction took two years.\n"
    "\n"
    "The ferry to Marrow Island now leaves every 90 minutes!\n"
)
HARBOUR_REF = (
    "Port Elsworth rebuilt its harbour in 1998. Mayor Helena Varga requested 4 million euros.\n"
    "A longer breakwater was designed by engineers from Rotterdam; the works lasted two years.\n"
    "Every 90 minutes a ferry now sails to Marrow Island.\n"
)
RUSSIAN = (
    "Вчера в городском парке открылась выставка осенних цветов. Садовники высадили более "
    "двухсот сортов хризантем и астр.\n"
    "Посетители могут прогуляться по новым аллеям до позднего вечера. Вход на выставку "
    "бесплатный для детей и пенсионеров.\n"
    "Выставка продлится до конца октября.\n"
)


def run(seed: str, *refs: tuple[str, str], **settings: Any) -> Report:
    """Compare in-memory texts; each reference is ``(path, text)``."""
    return compare_documents(
        Document.from_text(seed, path="seed.txt"),
        [Document.from_text(text, path=path) for path, text in refs],
        settings=RunSettings(**settings),
    )


def check_offsets(doc: Document, segments: list[dict[str, Any]]) -> None:
    assert segments, f"{doc.path}: no segments"
    previous_end = 0
    for seg in segments:
        assert doc.text[seg["start"] : seg["end"]] == seg["text"], seg
        assert seg["start"] >= previous_end, "segments overlap or are out of order"
        assert doc.text[previous_end : seg["start"]].strip() == "", "text lost between segments"
        previous_end = seg["end"]
    assert doc.text[previous_end:].strip() == ""


def check_report_offsets(report: Report) -> None:
    data = report_to_dict(report)
    check_offsets(report.seed, data["seed"]["segments"])
    for ref, ref_data in zip(report.references, data["references"], strict=True):
        check_offsets(ref.document, ref_data["segments"])


def check_alignment_coverage(data: dict[str, Any]) -> None:
    seed_ids = [s["id"] for s in data["seed"]["segments"]]
    for ref in data["references"]:
        ref_ids = [s["id"] for s in ref["segments"]]
        assert [i for bead in ref["alignment"] for i in bead["seed"]] == seed_ids
        assert [j for bead in ref["alignment"] for j in bead["ref"]] == ref_ids


# --- report-v1 JSON ----------------------------------------------------------------------------

# The README's JSON contract. Segments and beads are closed objects; the scoring stage (in progress)
# adds keys at the top level, to references and to sentences, so those are checked as supersets.
TOP_KEYS = {"schema", "signature", "seed", "references", "sentences", "warnings"}
SEED_KEYS = {"path", "encoding", "segments"}
SEGMENT_KEYS = {"id", "text", "start", "end"}
REFERENCE_KEYS = {"name", "path", "encoding", "segments", "alignment", "matched_share", "scores"}
BEAD_KEYS = {"seed", "ref", "kind", "similarity"}
SENTENCE_KEYS = {"id", "suspicion", "divergence", "flags", "scores"}
FLAG_KEYS = {
    "id",
    "category",
    "severity",
    "start",
    "end",
    "text",
    "message",
    "references",
    "support",
    "probability",
}


def test_report_v1_keys() -> None:
    report = run(HARBOUR, ("refs/harbour.txt", HARBOUR_REF))
    data = report_to_dict(report)
    assert set(data) >= TOP_KEYS
    assert data["schema"] == "transdiff/report-v1"
    assert set(data["seed"]) == SEED_KEYS
    assert data["seed"]["path"] == "seed.txt"
    assert data["seed"]["encoding"] == "utf-8"
    assert [set(s) for s in data["seed"]["segments"]] == [SEGMENT_KEYS] * 5
    (ref,) = data["references"]
    assert set(ref) >= REFERENCE_KEYS
    assert (ref["name"], ref["path"], ref["encoding"]) == ("harbour", "refs/harbour.txt", "utf-8")
    assert isinstance(ref["scores"], dict)
    assert all(set(s) == SEGMENT_KEYS for s in ref["segments"])
    assert ref["alignment"] and all(set(b) == BEAD_KEYS for b in ref["alignment"])
    assert all(set(s) >= SENTENCE_KEYS for s in data["sentences"])
    assert [s["id"] for s in data["sentences"]] == [s["id"] for s in data["seed"]["segments"]]
    for sentence, result in zip(data["sentences"], report.sentences, strict=True):
        assert all(set(f) == FLAG_KEYS for f in sentence["flags"])
        assert result.evidence is not None
        assert sentence["suspicion"] == sentence_suspicion(result.evidence, result.flags)
        assert 0.0 <= sentence["divergence"] <= 1.0
    assert data["warnings"] == []


def test_sentences_carry_flags_and_suspicion(flags_count: None) -> None:
    seed = "The bridge opened in 1998. It carries two lanes.\n"
    ref = "The bridge opened in 1989. It carries two lanes.\n"
    report = run(seed, ("ref.txt", ref))
    data = report_to_dict(report)
    first, second = data["sentences"]
    assert [(f["category"], f["text"], f["support"]) for f in first["flags"]] == [
        ("accuracy/number", "1998", "1/1")
    ]
    assert second["flags"] == [] and second["divergence"] == 0.0 and second["suspicion"] == 0.0
    # The sentence model's probability of a Major error, from the text and the verified flag;
    # the flag counts: without it the same sentence is less suspect.
    result = report.sentences[0]
    assert result.evidence is not None and result.flags[0].probability is not None
    assert first["suspicion"] == sentence_suspicion(result.evidence, result.flags)
    assert 0.0 < sentence_suspicion(result.evidence, ()) < first["suspicion"] < 1.0


def test_detection_can_be_switched_off() -> None:
    seed = "The bridge opened in 1998.\n"
    data = report_to_dict(run(seed, ("ref.txt", "The bridge opened in 1989.\n"), detect=False))
    assert [(s["flags"], s["suspicion"], s["divergence"]) for s in data["sentences"]] == [
        ([], 0.0, None)
    ]


def test_seed_segments_and_sentences() -> None:
    data = report_to_dict(run(HARBOUR))
    assert [(s["id"], s["text"]) for s in data["seed"]["segments"]] == [
        ("p1.s1", "The harbour of Port Elsworth was rebuilt in 1998."),
        ("p1.s2", "Mayor Helena Varga asked for 4 million euros."),
        ("p2.s1", "Engineers from Rotterdam designed a longer breakwater."),
        ("p2.s2", "Construction took two years."),
        ("p3.s1", "The ferry to Marrow Island now leaves every 90 minutes!"),
    ]
    assert [s["id"] for s in data["sentences"]] == ["p1.s1", "p1.s2", "p2.s1", "p2.s2", "p3.s1"]
    assert data["references"] == []


def test_bead_fields() -> None:
    data = report_to_dict(run(HARBOUR, ("harbour.txt", HARBOUR_REF)))
    beads = data["references"][0]["alignment"]
    assert [(b["seed"], b["ref"], b["kind"]) for b in beads] == [
        (["p1.s1"], ["p1.s1"], "1-1"),
        (["p1.s2"], ["p1.s2"], "1-1"),
        (["p2.s1", "p2.s2"], ["p2.s1"], "2-1"),
        (["p3.s1"], ["p3.s1"], "1-1"),
    ]
    assert all(0.0 < b["similarity"] <= 1.0 for b in beads)
    assert data["references"][0]["matched_share"] == 1.0


def test_json_text_is_the_dict() -> None:
    report = run(HARBOUR, ("harbour.txt", HARBOUR_REF), ("ru.txt", RUSSIAN))
    text = render_json(report)
    assert text.endswith("}\n") and text.count("\n") == 1
    assert json.loads(text) == report_to_dict(report)
    assert "Садовники" in text, "non-ASCII is written as is, not as \\u escapes"


def test_signature() -> None:
    signature = report_to_dict(run(HARBOUR))["signature"]
    assert signature.startswith("transdiff:0.1.0|lang:en|segmenter:sentencex-")
    assert "aligner:banded-dp" in signature and "thr:0.22" in signature
    lines = report_to_dict(run(HARBOUR, segmented=True))["signature"]
    assert "|segmenter:lines|" in lines


def test_alignment_lists_every_segment_once_in_order() -> None:
    report = run(HARBOUR, ("harbour.txt", HARBOUR_REF), ("ru.txt", RUSSIAN), ("same.txt", HARBOUR))
    check_alignment_coverage(report_to_dict(report))


def test_unrelated_reference_warning_names_it() -> None:
    report = run(HARBOUR, ("harbour.txt", HARBOUR_REF), ("ru.txt", RUSSIAN))
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("ru: ") and "unrelated" in report.warnings[0]
    assert report_to_dict(report)["warnings"] == list(report.warnings)


def test_segmented_ids_are_line_numbers() -> None:
    data = report_to_dict(run(HARBOUR, ("harbour.txt", HARBOUR_REF), segmented=True))
    assert [s["id"] for s in data["seed"]["segments"]] == ["L1", "L2", "L4"]
    assert [s["id"] for s in data["references"][0]["segments"]] == ["L1", "L2", "L3"]
    check_alignment_coverage(data)


# --- offsets round-trip ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        HARBOUR,
        HARBOUR.replace("\n", "\r\n"),
        HARBOUR.replace("\n", "\r"),
        "\ufeff" + HARBOUR,
        "  Indented start.  Two spaces after.\t\n\n\n" + HARBOUR.replace("\n", "\r\n", 2),
    ],
    ids=["lf", "crlf", "cr", "bom-in-text", "mixed"],
)
def test_offsets_round_trip_in_memory(text: str) -> None:
    report = run(text, ("harbour.txt", HARBOUR_REF.replace("\n", "\r\n")))
    check_report_offsets(report)


def test_offsets_round_trip_crlf_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(HARBOUR.replace("\n", "\r\n").encode())
    ref = tmp_path / "ref.txt"
    ref.write_bytes(HARBOUR_REF.replace("\n", "\r\n").encode())
    report = compare_files(seed, [ref])
    assert report.seed.newline == "\r\n" and "\r\n" in report.seed.text
    check_report_offsets(report)


def test_offsets_round_trip_bom_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(b"\xef\xbb\xbf" + HARBOUR.encode())
    ref = tmp_path / "ref.txt"
    ref.write_bytes(HARBOUR_REF.encode("utf-16"))
    report = compare_files(seed, [ref])
    assert report.seed.text == HARBOUR, "the byte-order mark is not part of the text"
    assert report.references[0].document.text == HARBOUR_REF
    first = report_to_dict(report)["seed"]["segments"][0]
    assert (first["start"], first["text"][:3]) == (0, "The")
    check_report_offsets(report)
    forced = compare_files(seed, [], settings=RunSettings(encoding="utf-8"))
    assert forced.seed.text == HARBOUR, "--encoding utf-8 must drop the mark as well"
    check_report_offsets(forced)


def test_offsets_round_trip_cp1251_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(RUSSIAN.replace("\n", "\r\n").encode("cp1251"))
    ref = tmp_path / "ref.txt"
    ref.write_bytes(RUSSIAN.encode("utf-8"))
    report = compare_files(seed, [ref])
    assert report.seed.text == RUSSIAN.replace("\n", "\r\n")
    assert report.seed.encoding.replace("_", "").lower() in {"cp1251", "windows1251"}
    check_report_offsets(report)
    beads = report.references[0].alignment.beads
    assert [(b.seed, b.ref) for b in beads] == [((i,), (i,)) for i in range(5)]
    assert all(b.similarity == 1.0 for b in beads)


def test_offsets_round_trip_with_forced_encoding(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(RUSSIAN.encode("cp1251"))
    report = compare_files(seed, [], settings=RunSettings(encoding="cp1251"))
    assert (report.seed.text, report.seed.encoding) == (RUSSIAN, "cp1251")
    check_report_offsets(report)


# --- files and names ---------------------------------------------------------------------------


def test_seed_given_as_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text(HARBOUR, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(HARBOUR_REF, encoding="utf-8")
    with pytest.raises(UsageError, match="seed is also given as a reference"):
        compare_files(seed, [other, seed])
    monkeypatch.chdir(tmp_path / "..")
    with pytest.raises(UsageError):  # the same file spelled differently
        compare_files(seed, [Path(tmp_path.name) / "." / "seed.txt"])


def test_seed_as_reference_is_checked_before_reading(tmp_path: Path) -> None:
    seed = tmp_path / "missing.txt"
    with pytest.raises(UsageError):
        compare_files(seed, [seed])


def test_reference_names_unique_for_same_stem() -> None:
    names = reference_names(["a/ref.txt", "b/ref.txt", "c/other.txt", "ref.md"])
    assert names == ["ref-1", "ref-2", "other", "ref-4"]
    assert len(set(names)) == len(names)
    assert reference_names(["references/postedit.txt"]) == ["postedit"]
    assert reference_names([]) == []


def test_reference_names_unique_when_a_stem_looks_numbered() -> None:
    names = reference_names(["a/ref.txt", "b/ref.txt", "ref-2.txt"])
    assert len(set(names)) == 3


def test_files_with_the_same_stem_get_unique_names(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text(HARBOUR, encoding="utf-8")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ref.txt").write_text(HARBOUR_REF, encoding="utf-8")
    report = compare_files(seed, [tmp_path / "a" / "ref.txt", tmp_path / "b" / "ref.txt"])
    assert [r.name for r in report.references] == ["ref-1", "ref-2"]
    assert [Path(r.document.path).parent.name for r in report.references] == ["a", "b"]


# --- the bundled job ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(seed_path: Path, alternative_path: Path, postedit_path: Path) -> dict[str, Any]:
    return report_to_dict(compare_files(seed_path, [alternative_path, postedit_path]))


def texts(data: dict[str, Any]) -> dict[str, str]:
    return {s["id"]: s["text"] for s in data["seed"]["segments"]}


def reference(data: dict[str, Any], name: str) -> dict[str, Any]:
    (ref,) = [r for r in data["references"] if r["name"] == name]
    return ref


def paragraph(segment_id: str) -> int:
    match = re.fullmatch(r"p(\d+)\.s\d+", segment_id)
    assert match, segment_id
    return int(match.group(1))


def test_bundled_job_shape(bundled: dict[str, Any], repo_root: Path) -> None:
    assert [r["name"] for r in bundled["references"]] == ["alternative", "postedit"]
    assert paragraph(bundled["seed"]["segments"][-1]["id"]) == 58
    assert bundled["seed"]["segments"][-1]["text"] == ATTRIBUTION
    assert len(bundled["sentences"]) == len(bundled["seed"]["segments"])
    assert bundled["warnings"] == []
    check_alignment_coverage(bundled)
    seed_doc = Document.from_text((repo_root / bundled["seed"]["path"]).read_text("utf-8"))
    check_offsets(seed_doc, bundled["seed"]["segments"])


def test_postedit_drops_only_the_attribution(bundled: dict[str, Any]) -> None:
    seed_text = texts(bundled)
    ref = reference(bundled, "postedit")
    ref_text = {s["id"]: s["text"] for s in ref["segments"]}
    unmatched = [b for b in ref["alignment"] if b["kind"] != "1-1"]
    assert unmatched == [{"seed": ["p58.s1"], "ref": [], "kind": "1-0", "similarity": 0.0}]
    assert seed_text["p58.s1"] == ATTRIBUTION
    for bead in ref["alignment"][:-1]:
        # Same segmentation, so each seed sentence pairs with the one of the same id.
        assert bead["seed"] == bead["ref"]
        (sid,), (rid,) = bead["seed"], bead["ref"]
        if seed_text[sid] == ref_text[rid]:
            assert bead["similarity"] == 1.0


def test_alternative_has_splits_merges_drops_and_an_addition(bundled: dict[str, Any]) -> None:
    seed_text = texts(bundled)
    ref = reference(bundled, "alternative")
    kinds = [b["kind"] for b in ref["alignment"]]
    assert "1-2" in kinds and "2-1" in kinds
    red_silk = [sid for sid, text in seed_text.items() if paragraph(sid) == 37]
    assert any("Red Silk" in seed_text[sid] for sid in red_silk)
    for bead in ref["alignment"]:
        if set(bead["seed"]) & set(red_silk):
            assert bead["kind"] == "1-0", bead
    ref_text = {s["id"]: s["text"] for s in ref["segments"]}
    added = [b for b in ref["alignment"] if b["kind"] == "0-1"]
    assert any(
        ref_text[j].startswith("The gathering is being held over two days")
        for b in added
        for j in b["ref"]
    )


# references/README.md: alternative lines 1-36 = seed 1-36, 37-45 = seed 38-46, 46 is added,
# 47-57 = seed 47-57; seed line 37 ("Red Silk") and 58 (attribution) are dropped.
ALTERNATIVE_SPLITS = {7, 10, 23, 52}
ALTERNATIVE_MERGES = {4, 16, 31, 33}


def alternative_line(seed_line: int) -> int | None:
    if seed_line in (37, 58):
        return None
    return seed_line - 1 if 38 <= seed_line <= 46 else seed_line


def test_alternative_matches_references_readme(bundled: dict[str, Any]) -> None:
    ref = reference(bundled, "alternative")
    found: dict[str, set[int]] = {"1-2": set(), "2-1": set(), "1-0": set(), "0-1": set()}
    for bead in ref["alignment"]:
        seed_lines = {paragraph(i) for i in bead["seed"]}
        ref_lines = {paragraph(j) for j in bead["ref"]}
        if bead["seed"] and bead["ref"]:
            assert len(seed_lines) == 1, f"a bead across seed lines: {bead}"
            (line,) = seed_lines
            assert ref_lines == {alternative_line(line)}, f"wrong counterpart: {bead}"
        if bead["kind"] != "1-1":
            found.setdefault(bead["kind"], set()).update(seed_lines if bead["seed"] else ref_lines)
    assert found == {
        "1-2": ALTERNATIVE_SPLITS,
        "2-1": ALTERNATIVE_MERGES,
        "1-0": {37, 58},
        "0-1": {46},
    }
    dropped = [b["seed"] for b in ref["alignment"] if b["kind"] == "1-0"]
    assert dropped == [["p37.s1"], ["p37.s2"], ["p58.s1"]]


@pytest.mark.parametrize("empty", ["", "  \n\t\n"])
def test_empty_document_is_an_input_error(empty: str) -> None:
    with pytest.raises(InputError, match=r"seed.txt: the text is empty"):
        run(empty, ("ref.txt", "Some text."))
    with pytest.raises(InputError, match=r"ref.txt: the text is empty"):
        run("Some text.", ("ref.txt", empty))


def test_run_settings_pickle_for_worker_processes() -> None:
    import pickle
    from types import MappingProxyType

    from toolkit.checks import Category, Severity

    settings = RunSettings(severity_overrides=MappingProxyType({Category.number: Severity.minor}))
    again = pickle.loads(pickle.dumps(settings))
    assert again.severity_overrides == {Category.number: Severity.minor}
    assert pickle.loads(pickle.dumps(RunSettings())) == RunSettings()


_WORDS = ["the", "harbour", "ferry", "was", "rebuilt", "in", "1998", "Mayor", "Varga", "not"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), min_size=1, max_size=6),
    st.lists(
        st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), max_size=6),
        min_size=1,
        max_size=2,
    ),
)
def test_sentence_divergence_is_that_of_detect_divergences(
    seed_lines: list[list[str]], ref_docs: list[list[list[str]]]
) -> None:
    """The pipeline reads each sentence's divergence from its evidence row: the same value as
    :func:`toolkit.detect.divergences` measures on the alignments (closest reference, 1 for a
    sentence every reference leaves unmatched, 2-1 beads joined)."""
    from toolkit.detect import divergences
    from toolkit.segment import segment_texts

    seed = "\n".join(" ".join(words) + "." for words in seed_lines)
    refs = [("\n".join(" ".join(w) + "." for w in lines) or "Nothing.") for lines in ref_docs]
    report = run(seed, *((f"r{k}.txt", text) for k, text in enumerate(refs)), segmented=True)
    texts = segment_texts(report.seed_segments)
    expected = divergences(
        texts,
        [(r.name, segment_texts(r.segments), r.alignment) for r in report.references],
    )
    assert [s.divergence for s in report.sentences] == expected
    assert all(d is not None and 0.0 <= d <= 1.0 for d in expected)
