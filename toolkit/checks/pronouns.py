"""Pronoun check against the reference: a pronoun that disagrees with the reference.

:func:`check_pronoun_pair` diffs the word tokens of the seed and the reference and flags a
seed pronoun that the reference replaces by a pronoun of another person, number, gender or
animacy (``He`` / ``It``, ``she`` / ``they``).  The pronoun classes come from the document
language's ``[[pronouns]]`` table (:attr:`toolkit.lang.Language.pronouns`); a form that two
classes share (German "sie") is never flagged.  The reference-free check on a pronoun's
antecedent is :mod:`toolkit.checks.referent`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from toolkit.checks import Category, Finding, PairFunction, Severity, register
from toolkit.checks.diff import token_diff
from toolkit.lang import Language, Pronoun
from toolkit.lang import language as get_language

__all__ = ["PAIR_CHECK", "check_pronoun_pair"]


@dataclass(frozen=True, slots=True, eq=False)
class _Pronouns:
    """A language's pronoun forms, for the pair check."""

    # a form shared by two classes (German "sie") or non-referential ("es") is left out
    of_form: dict[str, Pronoun]
    any: re.Pattern[str]
    # a shared form's one third-person singular class ("sie": she), taken when a verb of
    # ``singular_verbs`` follows it ("sie ist", never "Sie sind" or "sie sind")
    singular_of_form: dict[str, Pronoun]
    singular_verbs: frozenset[str]


@cache
def _pronouns(language: Language) -> _Pronouns:
    classes: dict[str, list[Pronoun]] = {}
    for pronoun in language.pronouns:
        for form in pronoun.forms:
            classes.setdefault(form, []).append(pronoun)
    # A form that is often no pronoun of a referent at all (German "es gibt", "es regnet")
    # is never flagged either.
    dummy = language.words("non_referential_pronouns", default=frozenset())
    of_form = {
        form: found[0] for form, found in classes.items() if len(found) == 1 and form not in dummy
    }
    singular: dict[str, Pronoun] = {}
    for form, found in classes.items():
        third = [p for p in found if p.person == 3 and p.number == "singular"]
        if len(found) > 1 and len(third) == 1 and form not in dummy:
            singular[form] = third[0]
    forms = sorted(classes, key=len, reverse=True)
    return _Pronouns(
        of_form,
        re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", re.I),
        singular,
        language.words("pronoun_singular_verbs", default=frozenset()),
    )


_NEXT_WORD = re.compile(r"\s+(\w+)")


def _class_in_text(text: str, start: int, end: int, pronouns: _Pronouns) -> Pronoun | None:
    """The class of the pronoun at ``text[start:end]``; a shared form followed by a singular
    verb is its third-person singular class."""
    word = text[start:end]
    found = _class_of_word(word, pronouns)
    if found is not None or not pronouns.singular_verbs:
        return found
    after = _NEXT_WORD.match(text, end)
    if after is not None and after.group(1).lower() in pronouns.singular_verbs:
        return pronouns.singular_of_form.get(word.lower())
    return None


def _class_of_word(word: str, pronouns: _Pronouns) -> Pronoun | None:
    # "US" and "IT" in capitals are a country and a field, not pronouns; "I" is a pronoun.
    if len(word) > 1 and word.isupper():
        return None
    return pronouns.of_form.get(word.lower())


def _severity(seed_class: Pronoun, ref_class: Pronoun) -> Severity:
    """Major for a change of gender or animacy in the third person singular (he / it) and
    for a third person that becomes a first or second; minor for a change of number only
    (it / they) or of perspective between first and second person (we / you), which
    translators often choose freely (generic "you", inclusive "we")."""
    singular = [p.person == 3 and p.number == "singular" for p in (seed_class, ref_class)]
    if all(singular):
        return Severity.major
    if (seed_class.person == 3) != (ref_class.person == 3) and any(singular):
        return Severity.major  # he / you, it / we: a different participant
    return Severity.minor


def check_pronoun_pair(seed: str, ref: str, *, language: Language | None = None) -> list[Finding]:
    """Flag seed pronouns that the reference replaces by a pronoun of another class.

    The word tokens (lowercased) of both texts are diffed with Levenshtein opcodes; in each
    ``replace`` block, a seed pronoun facing a reference pronoun of another person, number,
    gender or animacy is flagged.  Case forms of one class (he/him/his) are not flagged.

    Args:
        seed: The seed sentence.
        ref: The reference sentence aligned to it.
        language: Their language (default English): its ``[[pronouns]]`` table.

    Returns:
        One ``accuracy/pronoun`` finding per divergent pronoun, spanning the seed pronoun:
        major for gender or animacy (he / it) or a singular third person that becomes
        another person, minor for number only (it / they) or first / second person (we / you).
    """
    pronouns = _pronouns(language or get_language("en"))
    if pronouns.any.search(seed) is None or pronouns.any.search(ref) is None:
        return []
    findings: list[Finding] = []
    for block in token_diff(seed, ref).blocks:
        if block.tag != "replace":
            continue
        for seed_token, ref_token in zip(block.seed, block.ref, strict=False):
            seed_class = _class_in_text(seed, seed_token.start, seed_token.end, pronouns)
            ref_class = _class_in_text(ref, ref_token.start, ref_token.end, pronouns)
            if seed_class and ref_class and seed_class is not ref_class:
                findings.append(
                    Finding(
                        category=Category.pronoun,
                        severity=_severity(seed_class, ref_class),
                        start=seed_token.start,
                        end=seed_token.end,
                        message=(
                            f'pronoun "{seed_token.text}" differs from the reference, '
                            f'which has "{ref_token.text}"'
                        ),
                    )
                )
    return findings


PAIR_CHECK = register(
    PairFunction("pronoun", check_pronoun_pair, (Category.pronoun,), needs=("pronouns",))
)
