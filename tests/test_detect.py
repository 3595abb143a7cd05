"""detect.py and review.py: merging findings across references, ids, suspicion, the flag command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.align import Alignment, Bead, align
from toolkit.checks import Category, Finding, PairFunction, Severity
from toolkit.cli import app
from toolkit.detect import Flag, detect, divergences, flag_id, suspicion


def _pair(name: str, function) -> PairFunction:
    return PairFunction(name, function, (Category.mistranslation,))


def _find_word(word: str):
    def check(seed: str, ref: str) -> list[Finding]:
        k = seed.find(word)
        if k < 0 or word in ref:
            return []
        return [Finding(Category.mistranslation, Severity.major, k, k + len(word), f"{word}?")]

    return check


SEED = ["The cat sat on the mat.", "A dog barked at the moon.", "Rain fell all night."]
REF_A = ["The cat sat on the rug.", "A dog howled at the moon.", "Rain fell all night long."]
REF_B = ["The cat sat on the mat.", "A dog howled at the moon.", "Rain fell all night."]


def _refs(*texts: list[str]) -> list[tuple[str, list[str], object]]:
    return [(f"r{k}", t, align(SEED, t)) for k, t in enumerate(texts)]


def test_support_counts_the_references_that_agree() -> None:
    checks = [_pair("mat", _find_word("mat")), _pair("barked", _find_word("barked"))]
    flags = detect(SEED, _refs(REF_A, REF_B), checks=checks)
    assert [(f.message, f.references, f.available) for f in flags[0]] == [("mat?", ("r0",), 2)]
    assert [(f.message, f.references, f.agreement) for f in flags[1]] == [
        ("barked?", ("r0", "r1"), 1.0)
    ]
    assert flags[2] == ()


def test_sentence_without_counterpart_is_an_addition() -> None:
    ref = [REF_A[0], REF_A[2]]
    flags = detect(SEED, [("r", ref, align(SEED, ref))], checks=[])
    assert [(f.category, f.severity) for f in flags[1]] == [(Category.addition, Severity.major)]
    assert (flags[1][0].start, flags[1][0].end) == (0, len(SEED[1]))
    assert flags[0] == () and flags[2] == ()


def test_flag_id_is_stable_and_changes_with_the_sentence() -> None:
    a = flag_id(Category.number, "It grew  by 5%.", "5%")
    assert a == flag_id(Category.number, "It grew by 5%.", "5%")
    assert a != flag_id(Category.number, "It grew by 6%.", "5%")
    assert a != flag_id(Category.casing, "It grew by 5%.", "5%")
    assert len(a) == 12


def _flag(severity: Severity, support: int = 1, available: int = 1) -> Flag:
    refs = tuple(f"r{k}" for k in range(support))
    return Flag("x", Category.number, severity, 0, 1, "m", refs, available)


def test_suspicion_grows_with_severity_and_agreement() -> None:
    assert suspicion([]) == 0.0
    minor, major = suspicion([_flag(Severity.minor)]), suspicion([_flag(Severity.major)])
    assert 0.0 < minor < major < suspicion([_flag(Severity.critical)]) <= 1.0
    assert suspicion([_flag(Severity.major, 1, 2)]) < suspicion([_flag(Severity.major, 2, 2)])


def test_flag_command_flags_the_pronoun_slip_and_ranks_the_post_edits_judgement_first(
    tmp_path: Path,
) -> None:
    """The pronoun slip is flagged on "He" at the rule's severity.  The reference keeps most
    of the seed's words: it reads as a post-edit of it, so the sentence whose major flag it
    supports leads the queue, although the sentence model's suspicion (P(Major error), which on
    expert-annotated data follows the sentence's length and its closeness to the reference
    more than single flags) ranks that short sentence last; the others follow by suspicion."""
    seed = tmp_path / "seed.txt"
    ref = tmp_path / "ref.txt"
    seed.write_text(
        "The harbour opened in 1990 after years of work.\n"
        "Before the war, the Netherlands helped Belgium rebuild the port. "
        "He sent engineers, cranes and money.\n"
        "Trade grew quickly in the next decade.",
        encoding="utf-8",
    )
    ref.write_text(
        "The harbour opened in 1990 after many years of work.\n"
        "Before the war, the Netherlands helped Belgium to rebuild the port. "
        "It sent engineers, cranes and money.\n"
        "Trade grew fast in the following decade.",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["flag", str(seed), str(ref), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "transdiff/flags-v1"
    assert data["post_edits"] == ["ref"]
    slip = [s for s in data["sentences"] if s["text"].startswith("He sent")]
    assert len(slip) == 1
    pronoun = [f for f in slip[0]["flags"] if f["category"] == "accuracy/pronoun"]
    assert pronoun and pronoun[0]["text"] == "He" and pronoun[0]["severity"] == "major"
    assert data["sentences"][0]["text"].startswith("He sent")
    rest = [s["suspicion"] for s in data["sentences"][1:]]
    assert rest == sorted(rest, reverse=True)
    assert data["sentences"][0]["suspicion"] < min(rest)


def test_flag_command_without_reference_says_so(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("A strong—willed leader spoke.\nThe the crowd cheered.", encoding="utf-8")
    result = CliRunner().invoke(app, ["flag", str(seed)])
    assert result.exit_code == 0, result.output
    assert "reference-free" in result.stderr
    assert "fluency/typography" in result.stdout


def test_regression_casing_vocabulary_follows_the_document() -> None:
    """The casing check caches one document's vocabulary (it was rescanned per sentence,
    quadratic); a different document must not reuse it."""
    from toolkit.checks.casing import check_casing

    with_lower = ["The Harbour was busy at dawn.", "Ships left the harbour at noon."]
    without = ["The Harbour was busy at dawn.", "Ships left at noon."]
    assert [with_lower[0][f.start : f.end] for f in check_casing(with_lower, 0)] == ["Harbour"]
    assert check_casing(without, 0) == []
    assert len(check_casing(with_lower, 0)) == 1


def test_divergence_is_from_the_closest_reference() -> None:
    seed = ["The cat sat on the mat.", "A dog barked at the moon."]
    near = ["The cat sat on the mat.", "A wolf howled at the sun."]
    far = ["The cat lay on the rug.", "A dog barked at the moon."]
    one = divergences(seed, [("near", near, align(seed, near))])
    both = divergences(seed, [("near", near, align(seed, near)), ("far", far, align(seed, far))])
    assert one[0] == 0.0 and one[1] > 0.2
    assert both == [0.0, 0.0]  # each sentence has an identical counterpart somewhere
    assert divergences(seed, []) == [None, None]


def test_divergence_of_a_merged_bead_compares_the_joined_sentences() -> None:
    seed = ["The cat sat.", "It purred."]
    ref = ["The cat sat and it purred."]
    alignment = Alignment((Bead((0, 1), (0,), 0.9),))
    [a, b] = divergences(seed, [("r", ref, alignment)])
    assert a == b < 0.2  # one edit apart once joined, not half a sentence apart


def test_unmatched_sentence_has_divergence_one() -> None:
    seed = ["The cat sat.", "Snow fell on Tuesday in the hills of the north."]
    alignment = Alignment((Bead((0,), (0,), 1.0), Bead((1,), (), 0.0)))
    assert divergences(seed, [("r", ["The cat sat."], alignment)]) == [0.0, 1.0]
    assert suspicion((), 1.0) > suspicion((), 0.0) == 0.0


def test_merged_bead_is_checked_as_one_text() -> None:
    # Two seed sentences face one reference sentence: a check must not see the other
    # sentence's words as missing, and findings land in the sentence they start in.
    seed = ["The port opened in 1990.", "It cost 5 million."]
    ref = ["The port opened in 1990 and cost 6 million."]
    alignment = Alignment((Bead((0, 1), (0,), 0.8),))

    def spans(sentence: str, reference: str) -> list[Finding]:
        assert reference == ref[0]
        k = sentence.find("5 million")
        return [Finding(Category.number, Severity.major, k, k + 1, "5?")] if k >= 0 else []

    flags = detect(seed, [("r", ref, alignment)], checks=[_pair("n", spans)])
    assert flags[0] == ()
    [flag] = flags[1]
    assert seed[1][flag.start : flag.end] == "5"


def test_parallel_detection_gives_the_same_flags(monkeypatch) -> None:
    import toolkit.detect as detect_module

    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    seed = [
        f"In {1990 + k} the port of Varna sent {k + 3} ships. He was not ready."
        if k % 3
        else f"The the council met on day {k}."
        for k in range(40)
    ]
    ref = [s.replace("He was not", "It was").replace("Varna", "Burgas") for s in seed]
    del ref[7]
    refs = [("r", ref, align(seed, ref))]
    serial = detect(seed, refs)
    assert sum(len(f) for f in serial) > 40  # numbers, pronouns, negation, entities, ...
    assert detect(seed, refs, jobs=2) == serial
    assert detect(seed, refs, jobs=3) == serial


def test_pool_tasks_of_a_few_sentences_give_the_same_flags(monkeypatch) -> None:
    """Workers get the seed once and then chunks that carry only their slice of the
    references (2-1 beads included): the flags do not depend on the chunking."""
    import toolkit.detect as detect_module

    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    monkeypatch.setattr(detect_module, "CHUNK", 7)
    seed = [
        f"On day {k} the council of Varna met {k + 2} times. He was not ready." for k in range(30)
    ]
    ref = [s.replace("He was not", "It was").replace("Varna", "Burgas") for s in seed]
    ref[10:12] = [ref[10] + " " + ref[11]]  # a 2-1 bead
    beads = [Bead((i,), (i,), 0.9) for i in range(10)]
    beads.append(Bead((10, 11), (10,), 0.9))
    beads += [Bead((i,), (i - 1,), 0.9) for i in range(12, 30)]
    refs = [("r", ref, Alignment(tuple(beads)))]
    serial = detect(seed, refs)
    assert sum(len(f) for f in serial) >= 30
    assert detect(seed, refs, jobs=2) == serial


def test_a_window_reads_only_its_sentences() -> None:
    from toolkit.detect import _Window

    window = _Window(["c", "d"], 2, 5)
    assert len(window) == 5 and window[2] == "c" and window[3] == "d" and window[-2] == "d"
    with pytest.raises(IndexError):
        window[1]


def test_chunks_never_cut_a_bead() -> None:
    from toolkit.detect import _chunk_bounds

    beads = (Bead((0,), (0,), 1.0), Bead((1, 2, 3), (1,), 1.0), Bead((4,), (2,), 1.0))
    refs = [("r", ["a", "b", "c"], Alignment(beads))]
    assert _chunk_bounds(5, refs, 2) == [(0, 4), (4, 5)]
    assert _chunk_bounds(5, refs, 1) == [(0, 5)]


@pytest.mark.verifier_threshold  # the workers verify with the shipped model, so must this
def test_a_pool_started_early_gives_the_same_flags_and_refuses_another_document(
    monkeypatch,
) -> None:
    """The pipeline starts the check workers before it aligns (they prepare the checks
    meanwhile); the flags and the verified evidence are those of a run in one process."""
    import toolkit.detect as detect_module
    from toolkit.checks import registered
    from toolkit.detect import CheckPool
    from toolkit.verify import check_and_verify

    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    seed = [
        f"In {1990 + k} the port of Varna sent {k + 3} ships. He was not ready." for k in range(24)
    ]
    ref = [s.replace("He was not", "It was").replace("Varna", "Burgas") for s in seed]
    refs = [("r", ref, align(seed, ref))]
    checks = registered()
    serial = check_and_verify(seed, refs, checks=checks)
    assert sum(len(shown) + len(dismissed) for shown, dismissed, _ in serial) >= 24
    with CheckPool(seed, checks, jobs=2) as pool:
        assert pool.started and pool.workers == 2
        assert check_and_verify(seed, refs, checks=checks, pool=pool) == serial
        with pytest.raises(ValueError, match="another document"):
            detect_module.detect_then(seed[:-1], refs, detect_module._flags_only, pool=pool)
        with pytest.raises(ValueError, match="another document"):
            check_and_verify(seed, refs, checks=checks, language="de", pool=pool)
    with CheckPool(seed, checks, jobs=1) as alone:
        assert not alone.started
        assert check_and_verify(seed, refs, checks=checks, pool=alone) == serial
        with pytest.raises(RuntimeError):
            alone.map(len, [])


def test_a_pool_left_by_an_error_drops_its_queued_work(monkeypatch) -> None:
    import time

    import toolkit.detect as detect_module
    from toolkit.checks import registered

    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    seed = [f"Sentence number {k} of the test." for k in range(20)]
    with pytest.raises(KeyError), detect_module.CheckPool(seed, registered(), jobs=2) as pool:
        waiting = [pool.submit(time.sleep, 0.5) for _ in range(40)]
        raise KeyError("the alignment failed")
    # Without cancelling, none would be: the 40 tasks would take 10 s on the 2 workers.
    assert sum(f.cancelled() for f in waiting) >= 30


def _logged_facts(sentences: list[str]) -> frozenset[str]:
    """Document facts that log the process preparing them (to count preparations)."""
    import os

    with open(os.environ["TRANSDIFF_TEST_PREPARED"], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    return frozenset(w for s in sentences for w in s.split())


def _unpicklable_facts(sentences: list[str]) -> tuple[frozenset[str], object]:
    """Logged facts that do not pickle (they hold a lock)."""
    import threading

    return _logged_facts(sentences), threading.Lock()


def _rare_word(sentences: list[str], index: int, facts: object) -> list[Finding]:
    """A finding on the sentence's first word when it ends in "7" (the facts are read)."""
    words = facts[0] if isinstance(facts, tuple) else facts
    first = sentences[index].split()[0]
    if first in words and first.endswith("7"):
        return [Finding(Category.typography, Severity.minor, 0, len(first), f"{first} is odd")]
    return []


@pytest.mark.parametrize(("facts", "preparations"), [(_logged_facts, 1), (_unpicklable_facts, 2)])
def test_a_pool_prepares_the_checks_once_and_ships_them_to_the_other_workers(
    monkeypatch, tmp_path: Path, facts, preparations: int
) -> None:
    """One worker prepares the document checks and the others load them pickled (the seed
    is not in the pickle); checks whose prepared state does not pickle are prepared by each
    worker.  Either way the flags are those of one process."""
    import toolkit.detect as detect_module
    from toolkit.checks import DocumentFunction
    from toolkit.detect import CheckPool, detect_then

    log = tmp_path / "prepared.log"
    monkeypatch.setenv("TRANSDIFF_TEST_PREPARED", str(log))
    monkeypatch.setattr(detect_module, "PARALLEL_MIN_SENTENCES", 10)
    monkeypatch.setattr(detect_module, "CHUNK", 5)  # several chunks for each worker
    check = DocumentFunction("odd", facts, _rare_word, (Category.typography,))
    seed = [f"w{k} is sentence {k} of this document." for k in range(40)]
    refs = [("r", seed, Alignment(tuple(Bead((k,), (k,), 1.0) for k in range(40))))]
    with CheckPool(seed, [check], jobs=2) as pool:
        assert pool.workers == 2
        found = detect_then(seed, refs, detect_module._flags_only, checks=[check], pool=pool)
        blob = pool.prepared()
    assert [k for k, flags in enumerate(found) if flags] == [7, 17, 27, 37]
    assert found[17][0].message == "w17 is odd"
    assert len(log.read_text().split()) == preparations
    if preparations == 1:
        assert blob is not None and len(blob) < 1000  # the facts (600 bytes), not the seed (1,600)
    else:
        assert blob is None
