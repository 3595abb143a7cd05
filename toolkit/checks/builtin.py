"""The built-in checks, in the order they run.

Each module registers its checks when imported; this tuple fixes the order in which they run
(and so which message a flag keeps when two checks find the same span).
"""

from __future__ import annotations

from toolkit.checks import (
    casing,
    consistency,
    entities,
    formality,
    leftover,
    mistranslation,
    negation,
    numbers,
    omission,
    pronouns,
    referent,
    script,
    typography,
)
from toolkit.checks.protocol import Check
from toolkit.source.checks import SOURCE_CHECKS

__all__ = ["BUILTIN"]

BUILTIN: tuple[Check, ...] = (
    # per aligned bead
    numbers.CHECK,
    pronouns.PAIR_CHECK,
    negation.CHECK,
    entities.CHECK,
    omission.CHECK,
    mistranslation.CHECK,
    leftover.CHECK,
    # per sentence
    referent.REFERENT_CHECK,
    typography.CHECK,
    casing.CHECK,
    script.CHECK,
    consistency.CHECK,
    formality.CHECK,
    # against the source (when the run has one)
    *SOURCE_CHECKS,
)
