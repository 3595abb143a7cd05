"""The review workflow in the library (issue 11.3): configuration, glossary and waivers applied
by one call (``review_files``) behind ``report``, ``flag`` and ``batch``; suspicion settled once;
errors caught in one place with their exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import toolkit.pipeline
from toolkit.batch import run_batch
from toolkit.checks import Category
from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import InputError, OutputError, TransdiffError, UsageError
from toolkit.flags import Flag, Reason, Waiver, flag_id, flag_sort_key
from toolkit.pipeline import settle
from toolkit.result import Report
from toolkit.review import review_files

SEED = (
    "The harbour of Port Elsworth was rebuilt in 1998.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She did not sign the contract.\n\n"
    "The port ferry to Marrow Island now leaves every 90 minutes.\n"
)
REF = (
    "The harbour of Port Elsworth was rebuilt in 1989.\n\n"
    "Mayor Helena Varga asked for 4 million euros. She signed the contract.\n\n"
    "The harbour ferry to Marrow Island now departs every 90 minutes.\n"
)
NEGATED = "She did not sign the contract."
NEGATION_ID = flag_id(Category.named("negation"), NEGATED, "not")
WAIVERS = f'[[waiver]]\nid = "{NEGATION_ID}"\nreason = "wont-fix"\ncomment = "house style"\n'
GLOSSARY = "term,required,forbidden\nHafen,harbour,port\n"
CONFIG = 'disabled_checks = ["mistranslation"]\n[severity]\nnumber = "critical"\n'

# What the configuration, the glossary and the waivers make of the run, sentence by sentence:
# the number flag is critical (configured severity), mistranslation is off (disabled), the
# forbidden "port" is a terminology flag (glossary), the negation flag is waived (waivers).
# REF is a post-edit of SEED (word edit rate 0.13), so the change it makes that no check
# marks ("leaves" -> "departs") is a minor post-edit flag, mistranslation being off or not.
EXPECTED_FLAGS = {
    "p1.s1": [("accuracy/number", "critical", "1998")],
    "p2.s1": [],
    "p2.s2": [],
    "p3.s1": [("terminology", "major", "port"), ("accuracy/mistranslation", "minor", "leaves")],
}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def flags_of(data: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    return {
        s["id"]: [(f["category"], f["severity"], f["text"]) for f in s["flags"]]
        for s in data["sentences"]
    }


def waived_of(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (s["id"], f["id"], f["waiver"]["reason"], f["waiver"]["comment"])
        for s in data["sentences"]
        for f in s["waived"]
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """docs/a.txt with refs/a.txt, a configuration, a glossary and a waivers file."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "refs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "refs" / "a.txt").write_text(REF, encoding="utf-8")
    (tmp_path / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "waivers.toml").write_text(WAIVERS, encoding="utf-8")
    return tmp_path


# --- batch honours the configuration, the glossary and the waivers ----------------------------


@pytest.mark.parametrize("where", ["configuration file", "command line"])
def test_batch_applies_config_glossary_and_waivers(project: Path, where: str) -> None:
    config = project / "transdiff.toml"
    options: list[str | Path] = ["--config", config]
    if where == "configuration file":
        config.write_text(
            CONFIG.replace(
                "[severity]", 'glossary = "glossary.csv"\nwaivers = "waivers.toml"\n[severity]'
            ),
            encoding="utf-8",
        )
    else:
        config.write_text(CONFIG, encoding="utf-8")
        options += ["--glossary", project / "glossary.csv", "--waivers", project / "waivers.toml"]
    out = project / "out"
    result = invoke(
        "batch",
        project / "docs",
        "--refs",
        project / "refs",
        "--out",
        out,
        "-f",
        "json",
        "-j",
        "1",
        *options,
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert flags_of(data) == EXPECTED_FLAGS
    assert waived_of(data) == [("p2.s2", NEGATION_ID, "wont-fix", "house style")]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["documents"][0]["flags"] == {"critical": 1, "major": 1, "minor": 1}
    assert index["documents"][0]["waived"] == 1
    assert index["summary"]["waived"] == 1
    assert index["settings"]["disabled_checks"] == ["mistranslation"]
    assert index["settings"]["severity"] == {"accuracy/number": "critical"}
    assert index["settings"]["waivers"] == 1
    assert index["settings"]["glossary"].endswith("glossary.csv")


def test_batch_reads_the_default_waivers_file_in_the_folder(project: Path) -> None:
    (project / "waivers.toml").rename(project / "docs" / "transdiff.waivers.toml")
    out = project / "out"
    result = invoke(
        "batch", project / "docs", "--refs", project / "refs", "--out", out, "-f", "json", "-j", "1"
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert [w[:2] for w in waived_of(data)] == [("p2.s2", NEGATION_ID)]
    # without the configuration: mistranslation runs, number stays major
    assert flags_of(data)["p1.s1"] == [("accuracy/number", "major", "1998")]


def test_batch_and_report_give_the_same_report(project: Path) -> None:
    config = project / "transdiff.toml"
    config.write_text(CONFIG, encoding="utf-8")
    common = [
        "--config",
        config,
        "--glossary",
        project / "glossary.csv",
        "--waivers",
        project / "waivers.toml",
        "-f",
        "json",
    ]
    out = project / "out"
    batch = invoke(
        "batch", project / "docs", "--refs", project / "refs", "--out", out, "-j", "1", *common
    )
    report = invoke("report", project / "docs" / "a.txt", project / "refs" / "a.txt", *common)
    assert batch.exit_code == 0 and report.exit_code == 0, batch.output + report.output
    from_batch = json.loads((out / "a.json").read_text(encoding="utf-8"))
    from_report = json.loads(report.stdout)
    assert from_batch["sentences"] == from_report["sentences"]


def test_batch_with_a_bad_waivers_file_fails_before_any_document(project: Path) -> None:
    (project / "waivers.toml").write_text("[[waiver]]\nreason = 'x'\n", encoding="utf-8")
    out = project / "out"
    result = invoke(
        "batch",
        project / "docs",
        "--refs",
        project / "refs",
        "--out",
        out,
        "--waivers",
        project / "waivers.toml",
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("transdiff: error: ") and result.stderr.count("\n") == 1
    assert "waiver 1: no 'id'" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


# --- review_files, the library call -----------------------------------------------------------


def test_review_files_applies_all_three(project: Path, flags_count: None) -> None:
    (project / "transdiff.toml").write_text(CONFIG, encoding="utf-8")
    report = review_files(
        project / "docs" / "a.txt",
        [project / "refs" / "a.txt"],
        config=load_config(project / "transdiff.toml"),
        glossary=project / "glossary.csv",
        waivers=project / "waivers.toml",
    )
    found = {
        s.id: [(f.category.value, f.severity.value, seg.text[f.start : f.end]) for f in s.flags]
        for s, seg in zip(report.sentences, report.seed_segments, strict=True)
    }
    assert found == EXPECTED_FLAGS
    assert [f.id for s in report.sentences for f in s.waived] == [NEGATION_ID]
    assert report.waivers[NEGATION_ID].reason is Reason.wont_fix
    # the waived sentence's suspicion comes from what is left: less than with the flag
    plain = review_files(project / "docs" / "a.txt", [project / "refs" / "a.txt"], waivers=())
    assert report.sentences[2].suspicion < plain.sentences[2].suspicion
    assert [f.id for f in plain.sentences[2].flags] == [NEGATION_ID]


def test_review_files_takes_waivers_as_values_and_the_configured_references(
    project: Path,
) -> None:
    (project / "transdiff.toml").write_text('references = ["refs/a.txt"]\n', encoding="utf-8")
    config = load_config(project / "transdiff.toml")
    report = review_files(
        project / "docs" / "a.txt", config=config, waivers=[Waiver(NEGATION_ID, comment="ok")]
    )
    assert [r.name for r in report.references] == ["a"]
    assert dict(report.waivers) == {NEGATION_ID: Waiver(NEGATION_ID, comment="ok")}


def test_suspicion_is_computed_once_per_sentence(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = toolkit.pipeline.suspicion_for

    def counting(*args: Any, **options: Any) -> float:
        calls.append(1)
        return original(*args, **options)

    monkeypatch.setattr(toolkit.pipeline, "suspicion_for", counting)
    report = review_files(
        project / "docs" / "a.txt", [project / "refs" / "a.txt"], waivers=project / "waivers.toml"
    )
    assert len(calls) == len(report.sentences) == 4
    assert report.sentences[2].waived


def test_run_batch_in_the_library(project: Path) -> None:
    (project / "transdiff.toml").write_text(CONFIG, encoding="utf-8")
    result = run_batch(
        project / "docs",
        project / "refs",
        project / "out",
        fmt="json",
        jobs=1,
        config=load_config(project / "transdiff.toml"),
        glossary=project / "glossary.csv",
        waivers=[Waiver(NEGATION_ID)],
    )
    assert result.waivers == (Waiver(NEGATION_ID),)
    (doc,) = result.documents
    assert (doc.status, doc.waived, dict(doc.flags)) == (
        "ok",
        1,
        {"critical": 1, "major": 1, "minor": 1},
    )


# --- settle: the last waivers decide, whatever came before ------------------------------------

_REPORTS: dict[str, Report] = {}


def _report() -> Report:
    if "r" not in _REPORTS:  # hypothesis runs many examples: compute the run once
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            seed, ref = Path(folder, "seed.txt"), Path(folder, "ref.txt")
            seed.write_text(SEED, encoding="utf-8")
            ref.write_text(REF, encoding="utf-8")
            _REPORTS["r"] = review_files(seed, [ref], waivers=())
    return _REPORTS["r"]


def _all_flags(report: Report) -> list[Flag]:
    return [f for s in report.sentences for f in (*s.flags, *s.waived)]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_settle_depends_on_the_last_waivers_only(data: st.DataObject) -> None:
    report = _report()
    ids = sorted({f.id for f in _all_flags(report)})
    first = data.draw(st.sets(st.sampled_from(ids)))
    last = data.draw(st.sets(st.sampled_from(ids)))
    again = settle(
        settle(report, waivers=[Waiver(i) for i in first]), waivers=[Waiver(i) for i in last]
    )
    direct = settle(report, waivers=[Waiver(i) for i in last])
    assert again.sentences == direct.sentences
    assert {f.id for s in direct.sentences for f in s.waived} == set(last)
    assert sorted(f.id for f in _all_flags(direct)) == sorted(f.id for f in _all_flags(report))
    for s in direct.sentences:
        assert list(s.flags) == sorted(s.flags, key=flag_sort_key)
    if not last:
        assert direct.sentences == report.sentences


# --- a plug-in check named in the configuration runs through report and batch -----------------

PLUGIN = """
from toolkit.checks import Category, Finding, SentenceFunction, Severity

LEAVES = Category.register("fluency/style/house-word", badge="house")


def leaves(sentences, index):
    text = sentences[index]
    at = text.find("leaves")
    return [] if at < 0 else [Finding(LEAVES, Severity.minor, at, at + 6, "house style: departs")]


CHECK = SentenceFunction("house-word", leaves, (LEAVES,))
"""


def house(data: dict[str, Any]) -> list[tuple[str, tuple[str, str, str]]]:
    """The plug-in's flags, with their sentence."""
    return [
        (sid, f)
        for sid, found in flags_of(data).items()
        for f in found
        if f[0].endswith("house-word")
    ]


def test_a_configured_plugin_check_runs_through_report_and_batch(project: Path) -> None:
    (project / "flow_plugin_house.py").write_text(PLUGIN, encoding="utf-8")
    config = project / "transdiff.toml"
    config.write_text('checks = ["flow_plugin_house:CHECK"]\n', encoding="utf-8")
    (project / "docs" / "b.txt").write_text("The train leaves at noon.\n", encoding="utf-8")
    wanted = ("fluency/style/house-word", "minor", "leaves")

    report = invoke(
        "report",
        project / "docs" / "a.txt",
        project / "refs" / "a.txt",
        "--config",
        config,
        "-f",
        "json",
    )
    assert report.exit_code == 0, report.output
    assert house(json.loads(report.stdout)) == [("p3.s1", wanted)]

    out = project / "out"  # two documents, two worker processes: the plug-in reaches them
    batch = invoke(
        "batch",
        project / "docs",
        "--refs",
        project / "refs",
        "--out",
        out,
        "-f",
        "json",
        "-j",
        "2",
        "--config",
        config,
    )
    assert batch.exit_code == 0, batch.output
    a = json.loads((out / "a.json").read_text(encoding="utf-8"))
    b = json.loads((out / "b.json").read_text(encoding="utf-8"))
    assert house(a) == [("p3.s1", wanted)]
    assert house(b) == [("p1.s1", wanted)]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["settings"]["extra_checks"] == ["house-word"]


# --- errors: the library raises with an exit code, the main group prints one line -------------


def test_error_classes_carry_their_exit_code() -> None:
    assert TransdiffError.exit_code == 2
    assert all(issubclass(c, TransdiffError) for c in (InputError, UsageError, OutputError))
    assert {c.exit_code for c in (InputError, UsageError, OutputError)} == {2}


def one_line(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert result.stderr.startswith("transdiff: error: ") and result.stderr.count("\n") == 1
    return result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "missing.txt"], "missing.txt"),
        (["flag", "docs/a.txt", "--glossary", "nope.csv"], "glossary file not found"),
        (
            ["batch", "docs", "--out", "out", "--config", "nope.toml"],
            "configuration file not found",
        ),
        (["batch", "nofolder", "--out", "out"], "no such folder"),
        (["report", "docs/a.txt", "-f", "json", "--bom"], "--bom applies to --format csv only"),
        (["flag", "docs/a.txt", "-f", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    project: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(project)
    assert message in one_line(invoke(*args))


def test_an_error_s_own_exit_code_reaches_the_shell(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Busy(TransdiffError):
        exit_code = 75

    def busy(*args: object, **kwargs: object) -> Report:
        raise Busy("the review is locked by another reviewer")

    monkeypatch.setattr("toolkit.cli._common.review_files", busy)
    result = invoke("report", project / "docs" / "a.txt")
    assert one_line(result, 75) == "transdiff: error: the review is locked by another reviewer\n"


def test_settle_carries_every_field_of_a_sentence_result() -> None:
    """settle builds each SentenceResult field by field (faster than dataclasses.replace): a
    field added to the class must be carried there too, or this fails."""
    import dataclasses
    import inspect

    from toolkit.pipeline import _settle
    from toolkit.result import SentenceResult

    source = inspect.getsource(_settle)
    for field in dataclasses.fields(SentenceResult):
        assert f"{field.name}=" in source, f"settle does not carry SentenceResult.{field.name}"


def test_unsettled_results_hold_every_field_settle_reads() -> None:
    """The pipeline hands _settle light tuples instead of SentenceResults: they must hold every
    field of one but the suspicion (which _settle computes), or a new field would be lost."""
    import dataclasses

    from toolkit.pipeline import _Unsettled
    from toolkit.result import SentenceResult

    names = {f.name for f in dataclasses.fields(SentenceResult)} - {"suspicion"}
    assert set(_Unsettled._fields) == names
