"""Shared fixtures: the bundled files (found from this file, not the working folder) and texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.checks import Category, Severity
from toolkit.result import RunSettings
from toolkit.verify.model import Verifier

PrecisionRecall = Callable[[list[bool], list[bool]], tuple[float, float]]

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ad300a173e81270b.txt"
ALTERNATIVE = ROOT / "references" / "alternative.txt"
POSTEDIT = ROOT / "references" / "postedit.txt"


def _every_flag(settings: RunSettings, language: str = "en") -> float:
    return 0.0 if settings.flag_threshold is None else settings.flag_threshold


def _rule_severity(verifier: Verifier, category: Category, rule: Severity) -> Severity:
    return rule


@pytest.fixture(autouse=True)
def _every_flag_shown(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests check what the rules find in a sentence or two; the verifier's default
    threshold (fitted on TED talks, see README "Suspicion and verified flags") would set many
    of those flags aside, and show the major ones of most categories as minor.  They run as
    with ``--flag-threshold 0`` (a threshold given explicitly still applies) and with the
    rules' severities; tests marked ``verifier_threshold`` (tests/test_postedit.py,
    tests/test_severity.py) run with the shipped defaults."""
    if request.node.get_closest_marker("verifier_threshold") is None:
        monkeypatch.setattr(RunSettings, "show_threshold", _every_flag)
        monkeypatch.setattr(Verifier, "severity", _rule_severity)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project folder (the one holding seeds/ and references/)."""
    return ROOT


@pytest.fixture(scope="session")
def seed_path() -> Path:
    assert SEED.is_file(), f"bundled seed missing: {SEED}"
    return SEED


@pytest.fixture(scope="session")
def alternative_path() -> Path:
    assert ALTERNATIVE.is_file(), f"bundled reference missing: {ALTERNATIVE}"
    return ALTERNATIVE


@pytest.fixture(scope="session")
def postedit_path() -> Path:
    assert POSTEDIT.is_file(), f"bundled reference missing: {POSTEDIT}"
    return POSTEDIT


# Two English texts on unrelated topics (a recipe, astronomy news), 20 sentences each, and a
# Russian text on a third topic: written for the tests.
COOKING = """\
Melt the butter in a heavy pan over a low flame.
Add the chopped onions and cook them until they turn soft and golden.
Meanwhile, wash the rice twice in cold water.
Pour the rice into the pan and stir so every grain is coated with fat.
Season generously with salt, black pepper and a pinch of nutmeg.
Heat the stock in a separate saucepan, but do not let it boil.
Add one ladle of stock at a time, waiting until the rice absorbs it.
This slow method gives the dish its creamy texture.
After about eighteen minutes, taste a grain to check whether it is tender.
Grate a generous handful of parmesan cheese.
Take the pan off the heat and fold in the cheese with a wooden spoon.
Cover the risotto and let it rest for two minutes.
Meanwhile, fry a few sage leaves in olive oil until crisp.
Serve the risotto on warm plates with the sage on top.
A glass of dry white wine goes well with it.
Leftovers can be shaped into small balls and fried the next day.
Children often prefer the dish without pepper.
Some cooks add mushrooms or peas in the spring.
Others stir in saffron, which colours the rice yellow.
Whatever you choose, use the best butter you can find.
"""
ASTRONOMY = """\
Astronomers have discovered a new exoplanet orbiting a red dwarf.
The planet is slightly larger than Earth and circles its star every nine days.
It was detected by measuring tiny dips in the star's brightness.
Such dips happen when a planet passes in front of its host star.
The research team used a space telescope launched several years ago.
Follow-up observations from a ground observatory in Chile confirmed the signal.
Because the star is cool, the planet may lie inside the habitable zone.
However, red dwarfs often emit violent flares that could strip away an atmosphere.
Scientists hope to study the planet's atmosphere with infrared spectroscopy.
Water vapour, methane or carbon dioxide would leave distinct fingerprints in the light.
The system lies about forty light-years from the Sun.
That is close enough for detailed measurements with current instruments.
Several similar worlds have been found around nearby dwarf stars in the past decade.
None of them has yet shown clear signs of life.
Critics warn that public expectations are running ahead of the evidence.
Nonetheless, the discovery will guide the choice of targets for future missions.
Engineers are already designing a larger mirror for the next generation of telescopes.
Funding for that project depends on decisions by several space agencies.
The results were published this week in a leading astronomy journal.
The authors plan to observe the planet again next year.
"""
PARK_RU = """\
Вчера в городском парке открылась выставка осенних цветов.
Садовники высадили более двухсот сортов хризантем и астр.
Посетители могут прогуляться по новым аллеям до позднего вечера.
Вход на выставку бесплатный для детей и пенсионеров.
В субботу в парке пройдёт концерт духового оркестра.
Организаторы просят гостей не оставлять мусор на газонах.
Рядом с прудом установили скамейки и фонари.
Кафе у главного входа будет работать без выходных.
Экскурсии для школьников проводятся по предварительной записи.
Выставка продлится до конца октября.
"""  # noqa: RUF001 - Russian text, Cyrillic letters intended


@pytest.fixture(scope="session")
def unrelated_texts() -> dict[str, str]:
    """Texts that translate nothing in common: ``cooking``, ``astronomy`` (English), ``park_ru``."""
    texts = {"cooking": COOKING, "astronomy": ASTRONOMY, "park_ru": PARK_RU}
    assert [len(t.splitlines()) for t in texts.values()] == [20, 20, 10]
    return texts


def _precision_recall(predicted: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


# Figures measured by the labelled-set tests, printed at the end of the run.
_MEASURED: list[str] = []


@pytest.fixture
def precision_recall(request: pytest.FixtureRequest) -> PrecisionRecall:
    """Precision and recall of predicted flags against labels (1.0 when nothing to count)."""

    def measure(predicted: list[bool], gold: list[bool]) -> tuple[float, float]:
        precision, recall = _precision_recall(predicted, gold)
        _MEASURED.append(
            f"{request.node.nodeid}: precision {precision:.3f} recall {recall:.3f} "
            f"({len(gold)} examples, {sum(gold)} positive)"
        )
        return precision, recall

    return measure


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _MEASURED:
        terminalreporter.section("precision / recall on the labelled examples")
        for line in _MEASURED:
            terminalreporter.write_line(line)


@pytest.fixture
def flags_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped sentence models read no flag (README "Suspicion and verified flags"); a
    model file may (the features are data).  Tests of what counts towards suspicion (a waived
    or dismissed flag does not) run with the shipped model plus the verified flags' summed
    probability, so that a flag that counts shows in the number."""
    import dataclasses

    import toolkit.verify as verify
    from toolkit.verify.model import Logistic, verifier_for

    def counting(language: str = "en") -> Verifier:
        shipped = verifier_for(language)
        s = shipped.sentence
        sentence = Logistic(
            features=(*s.features, "flag_p_sum"),
            mean=(*s.mean, 0.0),
            scale=(*s.scale, 0.1),
            coef=(*s.coef, 1.0),
            intercept=s.intercept,
        )
        return dataclasses.replace(shipped, sentence=sentence)

    monkeypatch.setattr(verify, "verifier_for", counting)
