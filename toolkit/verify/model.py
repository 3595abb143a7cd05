"""The fitted verifier, read from the JSON file shipped beside this module.

The file holds two logistic regressions (feature names, standardisation, coefficients): the
*flag* model (P(a flag's span is a real error)) and the *sentence* model (P(the sentence has a
Major error)), the thresholds chosen with them, and the pedigree of the fit (data, split,
libraries, script).  Evaluating them needs nothing but the standard library; scikit-learn is
only needed to refit them (``benchmarks/fit_verifier.py``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.checks.protocol import Category, Severity
from toolkit.errors import InputError

__all__ = ["LANGUAGE_MODELS", "MODEL_PATH", "Logistic", "Verifier", "load_verifier", "verifier_for"]

MODEL_PATH = Path(__file__).with_name("verifier.json")
#: Languages with a model of their own, fitted on their own MQM data too; the others use
#: :data:`MODEL_PATH` (fitted on Chinese-English TED talks, English targets).
LANGUAGE_MODELS = {"de": Path(__file__).with_name("verifier-de.json")}


@dataclass(frozen=True, slots=True)
class Logistic:
    """A logistic regression over named, standardised features.

    Attributes:
        features: Feature names, in the order of the coefficients.
        mean: Training mean of each feature.
        scale: Training standard deviation of each feature.
        coef: Coefficient of each standardised feature.
        intercept: The intercept.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def __post_init__(self) -> None:
        n = len(self.features)
        if not n or any(len(v) != n for v in (self.mean, self.scale, self.coef)):
            raise ValueError("a logistic model needs one mean, scale and coefficient per feature")
        if any(s <= 0 for s in self.scale):
            raise ValueError("a logistic model's scales must be positive")

    def probability(self, row: Mapping[str, float]) -> float:
        """The model's probability for one row of features (missing features count 0)."""
        z = self.intercept
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += w * (row.get(name, 0.0) - mu) / sd
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Logistic:
        def floats(key: str) -> tuple[float, ...]:
            values: Sequence[Any] = data[key]
            return tuple(float(v) for v in values)

        return cls(
            features=tuple(str(f) for f in data["features"]),
            mean=floats("mean"),
            scale=floats("scale"),
            coef=floats("coef"),
            intercept=float(data["intercept"]),
        )


@dataclass(frozen=True, slots=True)
class Verifier:
    """The flag model, the sentence model and their thresholds.

    Attributes:
        flag: P(a flag's span overlaps an error experts would mark).
        sentence: P(the sentence has a Major error).
        show: The flag threshold chosen on the training talks (out-of-fold precision 0.5):
            the run's default (``RunSettings.show_threshold``).
        training: Where the coefficients come from.
        minor: The categories whose rule-major flags are shown as minor once verified: on
            the training talks, fewer than 70% of their major flags overlapped an error the
            experts marked (measured on the flags at or above ``show`` when there are at
            least 10 of them, else on all of them; at least 10 flags).  Categories the data
            did not measure (a glossary's terminology, a plug-in's own) keep their severity.
    """

    flag: Logistic
    sentence: Logistic
    show: float
    training: Mapping[str, object]
    minor: frozenset[str] = frozenset()

    def severity(self, category: Category, rule: Severity) -> Severity:
        """The severity a verified flag is shown at: the rule's, except that a major flag in
        a category of :attr:`minor` is minor (its major flags were mostly harmless on
        expert-annotated data)."""
        if rule is Severity.major and category.value in self.minor:
            return Severity.minor
        return rule

    @property
    def signature(self) -> str:
        """Short pedigree for the run signature."""
        fit = self.training.get("fit", "mqm-ted-zhen")
        return (
            f"verifier:logreg-{len(self.flag.features)}f+{len(self.sentence.features)}f|fit:{fit}"
        )


@cache
def load_verifier(path: Path = MODEL_PATH) -> Verifier:
    """Read a verifier file.

    Raises:
        InputError: The file is missing or is not a valid model (reinstall transdiff).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Verifier(
            flag=Logistic.from_dict(data["flag"]),
            sentence=Logistic.from_dict(data["sentence"]),
            show=float(data["thresholds"]["show"]),
            training=dict(data.get("training", {})),
            minor=frozenset(str(c) for c in data.get("minor_categories", ())),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc) or type(exc).__name__
        raise InputError(
            f"{path}: the verifier model cannot be read ({reason}); reinstall transdiff "
            "(pip install --force-reinstall transdiff)"
        ) from None


def verifier_for(language: str = "en") -> Verifier:
    """The verifier of a language: its own model (:data:`LANGUAGE_MODELS`), else the default."""
    return load_verifier(LANGUAGE_MODELS.get(language, MODEL_PATH))
