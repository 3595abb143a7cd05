"""Waivers: the TOML file, keying by flag id, applying them and finding stale ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import threading
from pathlib import Path

import pytest

from toolkit import lock
from toolkit.errors import InputError, TransdiffError, UsageError
from toolkit.pipeline import compare_files
from toolkit.result import Report, RunSettings
from toolkit.waivers import (
    Reason,
    Waiver,
    add_waiver,
    apply_waivers,
    default_path,
    find_flag,
    make_waiver,
    read_waivers,
    record_waiver,
    stale_waivers,
    write_waivers,
)

SEED = (
    "The harbour of Port Elsworth was rebuilt in 1998.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She did not sign the contract.\n"
)
REF = (
    "The harbour of Port Elsworth was rebuilt in 1989.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She signed the contract.\n"
)


def run(tmp_path: Path, seed: str = SEED) -> Report:
    (tmp_path / "seed.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "ref.txt").write_text(REF, encoding="utf-8")
    settings = RunSettings(score=None)
    return compare_files(tmp_path / "seed.txt", [tmp_path / "ref.txt"], settings=settings)


def number_flag(report: Report) -> tuple[int, str]:
    [(i, flag)] = [
        (i, f)
        for i, s in enumerate(report.sentences)
        for f in (*s.flags, *s.waived)
        if f.category.value == "accuracy/number"
    ]
    return i, flag.id


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    waivers = (
        Waiver(
            "5f6e7fab38c3",
            Reason.wont_fix,
            'says "1998"',
            "accuracy/number",
            "It… 1998.",
            "1998",
            dt.date(2026, 1, 31),
        ),
        Waiver("fee3de753579"),
    )
    write_waivers(path, waivers)
    assert read_waivers(path) == waivers
    text = path.read_text(encoding="utf-8")
    assert text.count("\n[[waiver]]\n") == 2
    assert 'reason = "wont-fix"' in text and "created = 2026-01-31" in text


def test_missing_file_is_no_waivers(tmp_path: Path) -> None:
    assert read_waivers(tmp_path / "none.toml") == ()
    assert default_path(tmp_path / "seed.txt") == tmp_path / "transdiff.waivers.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[waiver]\nid = 1", r"w\.toml: not valid TOML: "),
        ('[[waiver]]\nid = "abcdef"\nreasn = "wont-fix"', r"waiver 1: unknown key 'reasn'"),
        ("[[waiver]]\nid = 12", r"waiver 1: 'id' must be a string, got 12"),
        ('[[waiver]]\nid = "abcdef"\ncreated = "soon"', r"'created' must be an ISO date"),
        ('[[waiver]]\nid = "a1"\n[[waiver]]\nreason = "wont-fix"', r"waiver 2: no 'id'"),
        ('[[waiver]]\nid = "abcdef"\nreason = "fine"', r"unknown reason 'fine'"),
        ('title = "x"', r"unknown key 'title'"),
        ('waiver = "x"', r"must be an array of tables"),
    ],
)
def test_bad_file_is_one_line_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_waivers(path)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(path))


def test_created_as_iso_string_is_read_as_a_date(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('[[waiver]]\nid = "abcdef"\ncreated = "2026-02-03"\n', encoding="utf-8")
    assert read_waivers(path)[0].created == dt.date(2026, 2, 3)


def test_add_waiver_replaces_the_same_flag() -> None:
    first, second = Waiver("aaaaaa"), Waiver("bbbbbb")
    updated = Waiver("aaaaaa", Reason.wont_fix, "later")
    assert add_waiver((first, second), updated) == (updated, second)
    assert add_waiver((first,), second) == (first, second)


def test_find_flag_by_prefix(tmp_path: Path) -> None:
    report = run(tmp_path)
    _, full = number_flag(report)
    flag, segment = find_flag(report, full[:6].upper())
    assert (flag.id, segment.id, segment.text[flag.start : flag.end]) == (full, "p1.s1", "1998")
    with pytest.raises(UsageError, match="at least 6 characters"):
        find_flag(report, full[:5])
    with pytest.raises(UsageError, match="no flag with id 000000 in this run"):
        find_flag(report, "000000")


def test_find_flag_prefix_matching_two_flags_is_an_error(tmp_path: Path) -> None:
    report = run(tmp_path)
    sentences = tuple(
        dataclasses.replace(
            s,
            flags=tuple(dataclasses.replace(f, id=f"abcdef{i}{k}") for k, f in enumerate(s.flags)),
        )
        for i, s in enumerate(report.sentences)
    )
    report = dataclasses.replace(report, sentences=sentences)
    with pytest.raises(UsageError, match="matches 2 flags"):
        find_flag(report, "abcdef")


def test_apply_moves_the_flag_and_lowers_suspicion(tmp_path: Path, flags_count: None) -> None:
    report = run(tmp_path)
    i, full = number_flag(report)
    flag, segment = find_flag(report, full)
    waiver = make_waiver(flag, segment.text, reason=Reason.wont_fix, comment="as printed")
    assert (waiver.span, waiver.category, waiver.created) == (
        "1998",
        "accuracy/number",
        dt.date.today(),
    )
    waived = apply_waivers(report, [waiver])
    before, after = report.sentences[i], waived.sentences[i]
    assert [f.id for f in after.waived] == [full]
    assert full not in [f.id for f in after.flags]
    assert len(after.flags) == len(before.flags) - 1
    assert after.suspicion < before.suspicion
    assert waived.waivers[full] == waiver
    # The other sentences are untouched.
    assert [s for k, s in enumerate(waived.sentences) if k != i] == [
        s for k, s in enumerate(report.sentences) if k != i
    ]
    assert stale_waivers(waived, [waiver]) == ()


def test_waiver_survives_edits_elsewhere_and_goes_stale_when_its_sentence_changes(
    tmp_path: Path,
) -> None:
    report = run(tmp_path)
    _, full = number_flag(report)
    flag, segment = find_flag(report, full)
    waiver = make_waiver(flag, segment.text)
    elsewhere = SEED.replace("She did not sign", "She  did not sign")  # spacing only
    elsewhere = "A new first paragraph.\n\n" + elsewhere.replace("4 million", "five million")
    moved = apply_waivers(run(tmp_path, elsewhere), [waiver])
    assert [f.id for s in moved.sentences for f in s.waived] == [full]
    edited = apply_waivers(
        run(tmp_path, SEED.replace("was rebuilt", "was rebuilt again")), [waiver]
    )
    assert not any(s.waived for s in edited.sentences)
    assert stale_waivers(edited, [waiver]) == (waiver,)
    _, new_id = number_flag(edited)
    assert new_id != full


# --- recording under a lock (issue 10: concurrent waives lost waivers) ---------------------------


def test_record_waiver_adds_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    assert record_waiver(path, Waiver("aaaaaa111111")) == (Waiver("aaaaaa111111"),)
    record_waiver(path, Waiver("bbbbbb222222"))
    record_waiver(path, Waiver("aaaaaa111111", Reason.wont_fix))
    assert read_waivers(path) == (
        Waiver("aaaaaa111111", Reason.wont_fix),
        Waiver("bbbbbb222222"),
    )


def test_record_waiver_leaves_a_bad_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text("not = [toml\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        record_waiver(path, Waiver("aaaaaa111111"))
    assert path.read_text(encoding="utf-8") == "not = [toml\n"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_record_waiver_writes_through_a_symlink_and_locks_its_target(tmp_path: Path) -> None:
    # Issue 10: a symlinked waivers file was replaced by a regular file.
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "team.toml"
    (tmp_path / "mine.toml").symlink_to(target)
    record_waiver(tmp_path / "mine.toml", Waiver("aaaaaa111111"))
    assert (tmp_path / "mine.toml").is_symlink()
    assert read_waivers(target) == (Waiver("aaaaaa111111"),)
    # Two links to one file share one lock, beside the file itself.
    assert lock.lock_path(tmp_path / "mine.toml") == lock.lock_path(target)
    assert lock.lock_path(target) == tmp_path / "shared" / ".team.toml.lock"


@pytest.mark.parametrize("posix", [True, False], ids=["flock", "lock-file"])
def test_lock_excludes_a_second_holder_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posix: bool
) -> None:
    if not posix:
        monkeypatch.setattr(lock, "fcntl", None)  # the O_EXCL lock file used off POSIX
    elif lock.fcntl is None:
        pytest.skip("no fcntl here")
    path = tmp_path / "w.toml"
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock.exclusive_lock(path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(TransdiffError) as caught, lock.exclusive_lock(path, timeout=0.2):
            pass
    finally:
        release.set()
        thread.join()
    message = str(caught.value)
    assert message.startswith(f"{path}: locked by another process for 0.2 s; try again")
    assert ("delete" in message) is (not posix)  # a lock file left by a crash is stale
    with lock.exclusive_lock(path, timeout=0.2):  # free again once released
        pass
    assert (tmp_path / ".w.toml.lock").exists() is posix
