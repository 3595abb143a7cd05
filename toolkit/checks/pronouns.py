"""Pronoun check against the reference: a pronoun that disagrees with the reference.

:func:`check_pronoun_pair` diffs the word tokens of the seed and the reference and flags a
seed pronoun that the reference replaces by a pronoun of another person, number, gender or
animacy (``He`` / ``It``, ``she`` / ``they``).  The pronoun classes come from the document
language's ``[[pronouns]]`` table (:attr:`toolkit.lang.Language.pronouns`).  A form that
several classes share (German "sie", "ihr-", "sein-", "ihm") is read as one class when a
singular verb follows it ("sie ist"), and otherwise flagged only when every reading of both
sides is a third person and none is shared ("seine" / "ihre", "ihn" / "sie": a gender or a
number changed; minor unless every reading is a change of gender); in a language with
``[words] formal_address``, such a form written in lower case is not formal, and one
capitalised mid-sentence is ("Ihre").  The reference-free check on a pronoun's
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
    # every class of a form (shared ones too), and the forms of formal address: a shared form
    # whose classes are all unlike the other side's is flagged too ("seine" / "ihre")
    classes_of_form: dict[str, tuple[Pronoun, ...]]
    formal_forms: frozenset[str]


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
        {form: tuple(found) for form, found in classes.items() if form not in dummy},
        frozenset(language.words("formal_address", default=frozenset())),
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


# After one of these (or at the start) a capital says nothing about formal address.
_RESTART = frozenset(".!?:;\"'(\u201e\u201c\u201d\u201a\u2018\u2019\u00ab\u00bb\u2026-\u2013\u2014")


def _classes_in_text(text: str, start: int, end: int, pronouns: _Pronouns) -> tuple[Pronoun, ...]:
    """Every class the pronoun at ``text[start:end]`` may have.  A form of formal address
    ("Sie", "Ihre") is formal when capitalised mid-sentence and not formal in lower case."""
    word = text[start:end]
    if len(word) > 1 and word.isupper():
        return ()
    found = pronouns.classes_of_form.get(word.lower(), ())
    if len(found) < 2 or not pronouns.formal_forms:
        return found
    before = text[:start].rstrip()
    if word.islower():
        return tuple(p for p in found if p.formality != "formal")
    if word in pronouns.formal_forms and before and before[-1] not in _RESTART:
        return tuple(p for p in found if p.formality == "formal")
    return found


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
    forms = pronouns.classes_of_form  # a word of no form there has no class at all
    findings: list[Finding] = []
    for block in token_diff(seed, ref).blocks:
        if block.tag != "replace":
            continue
        for seed_token, ref_token in zip(block.seed, block.ref, strict=False):
            if seed_token.text.lower() not in forms or ref_token.text.lower() not in forms:
                continue
            seed_class = _class_in_text(seed, seed_token.start, seed_token.end, pronouns)
            ref_class = _class_in_text(ref, ref_token.start, ref_token.end, pronouns)
            severity: Severity | None = None
            if seed_class and ref_class:
                if seed_class is not ref_class:
                    severity = _severity(seed_class, ref_class)
            elif pronouns.formal_forms:
                severity = _apart(
                    _classes_in_text(seed, seed_token.start, seed_token.end, pronouns),
                    _classes_in_text(ref, ref_token.start, ref_token.end, pronouns),
                )
            if severity is not None:
                findings.append(
                    Finding(
                        category=Category.pronoun,
                        severity=severity,
                        start=seed_token.start,
                        end=seed_token.end,
                        message=(
                            f'pronoun "{seed_token.text}" differs from the reference, '
                            f'which has "{ref_token.text}"'
                        ),
                    )
                )
    # Only a text in which the pronoun pattern finds a form is checked (the pattern's word
    # boundaries are not the tokens'); run last, as it costs more than the loop above.
    if findings and (pronouns.any.search(seed) is None or pronouns.any.search(ref) is None):
        return []
    return findings


def _apart(seed: tuple[Pronoun, ...], ref: tuple[Pronoun, ...]) -> Severity | None:
    """For forms that several classes share: None when the two sides may be one class, else
    the mildest severity any reading of them gives (major only when every reading is)."""
    if not seed or not ref or set(seed) & set(ref):
        return None
    if any(p.person != 3 for p in (*seed, *ref)):
        return None  # "du" / "Sie" is a register, "sie" / "mir" a rewording: third person only
    severities = {_severity(a, b) for a in seed for b in ref}
    return Severity.minor if Severity.minor in severities else Severity.major


PAIR_CHECK = register(
    PairFunction("pronoun", check_pronoun_pair, (Category.pronoun,), needs=("pronouns",))
)
