"""German pronouns against the reference: forms that several classes share ("sie", "ihr",
"seine") are flagged when no reading of them matches the reference's (third person only)."""

from __future__ import annotations

import pytest

from toolkit.checks import Severity
from toolkit.checks.pronouns import check_pronoun_pair
from toolkit.lang import language

DE = language("de")


def found(seed: str, ref: str) -> list[tuple[str, Severity]]:
    return [(seed[f.start : f.end], f.severity) for f in check_pronoun_pair(seed, ref, language=DE)]


@pytest.mark.parametrize(
    ("seed", "ref", "expected"),
    [
        # masculine or neuter against feminine or plural: a gender or a number changed
        ("Er las seine Zeitung.", "Er las ihre Zeitung.", [("seine", Severity.minor)]),
        ("Wir sahen ihn gestern.", "Wir sahen sie gestern.", [("ihn", Severity.minor)]),
        ("Dann kam er.", "Dann kamen sie.", [("er", Severity.minor)]),
        ("Er gab seinem Bruder Geld.", "Er gab ihrem Bruder Geld.", [("seinem", Severity.minor)]),
        # a singular verb reads the shared form: a gender changed, major
        ("Er ist hier.", "Sie ist hier.", [("Er", Severity.major)]),
    ],
)
def test_shared_forms_apart_from_the_reference(
    seed: str, ref: str, expected: list[tuple[str, Severity]]
) -> None:
    assert found(seed, ref) == expected


@pytest.mark.parametrize(
    ("seed", "ref"),
    [
        ("Sie las ihre Zeitung.", "Sie las ihre Zeitung."),
        ("Er las seine Zeitung.", "Er las seine Zeitung."),
        ("Wir gaben ihm das Buch.", "Wir gaben es ihm."),  # "es" is not referential
        ("Danke, dass Sie kommen.", "Danke, dass ihr kommt."),  # a register, not a gender
        ("Er kam gestern.", "Sie kamen gestern."),  # a sentence's first "Sie" may be formal
        ("Wir gaben ihm das Buch.", "Wir gaben ihr das Buch."),  # "ihr" may be "you" (2pl)
        ("Kann ich sie sehen?", "Kann ich mir das ansehen?"),  # a rewording
        ("Das Kind las seine Zeitung.", "Das Kind las ihm die Zeitung vor."),  # "sein-"/"ihm"
    ],
)
def test_leaves_alone(seed: str, ref: str) -> None:
    assert found(seed, ref) == []


def test_english_pronouns_share_no_form() -> None:
    """The rule for shared forms never runs in English (every form has one class)."""
    forms = [f for p in language("en").pronouns for f in p.forms]
    assert len(forms) == len(set(forms))
