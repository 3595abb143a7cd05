"""The source as arbiter between the seed and a reference that disagree.

A reference-based flag says "the seed differs from the reference"; it does not say which of
the two is wrong.  When the run has the source, it can tell for numbers and for names that
cross languages unchanged, for month names, and for negation (the source's negation cues are
read in its own language, :mod:`toolkit.source.negation`):

* the source agrees with the seed (the seed's number is the source's, the seed's name is
  written in the source): the flag is dropped from the seed's flags and kept as a probable
  *reference* issue, for whoever maintains the reference;
* the source disagrees with the seed (the seed's number is not in the source, which has
  another): the flag gains the source's support.

A negation flag is of one of two kinds.  The seed negates and the reference does not (the
flag's span holds a seed negation marker): a source with at least as many negations as the
seed sentence agrees with the seed, a source without any agrees with the reference.  The
reference negates and the seed does not: a source without negation, beside a seed sentence
without any, agrees with the seed; a source with more negations than the seed sentence agrees
with the reference.  Anything else, or a source language without negation words, is left as
it is.  Other meanings are not judged.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.checks import Category, SourceText
from toolkit.checks.negation import negation_markers
from toolkit.detect import Flag
from toolkit.lang import LanguageError
from toolkit.lang import language as get_language
from toolkit.source.matching import metric_value, months_in, seed_numbers
from toolkit.source.negation import source_negations
from toolkit.source.quantities import quantities

__all__ = ["SOURCE", "ReferenceIssue", "arbitrate"]

# How the source appears among a flag's supporting references (no file stem has brackets).
SOURCE = "(source)"


@dataclass(frozen=True, slots=True)
class ReferenceIssue:
    """A divergence the source settles in the seed's favour: probably the reference's error.

    Attributes:
        sentence: The seed sentence's index.
        flag: The flag the seed would otherwise carry (its references are those that differ).
        evidence: What the source says, in plain language.
    """

    sentence: int
    flag: Flag
    evidence: str

    def to_dict(self, seed_sentence: str) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "sentence": self.sentence,
            "references": list(self.flag.references),
            "category": self.flag.category.value,
            "text": seed_sentence[self.flag.start : self.flag.end],
            "message": self.flag.message,
            "evidence": self.evidence,
        }


def arbitrate(
    seed: Sequence[str],
    flags: Sequence[tuple[Flag, ...]],
    source: Sequence[SourceText | None],
    *,
    language: str = "en",
) -> tuple[list[tuple[Flag, ...]], list[ReferenceIssue]]:
    """Each sentence's flags after the source's verdict, and the reference issues it found.

    Args:
        seed: The seed sentences.
        flags: Their flags.
        source: For each seed sentence, its source (None: none found).
        language: The seed's language.
    """
    kept: list[tuple[Flag, ...]] = []
    issues: list[ReferenceIssue] = []
    for index, (sentence, sentence_flags) in enumerate(zip(seed, flags, strict=True)):
        origin = source[index] if index < len(source) else None
        if origin is None:
            kept.append(sentence_flags)
            continue
        out: list[Flag] = []
        for flag in sentence_flags:
            verdict = _verdict(sentence, flag, origin, language) if flag.references else None
            if verdict is None:
                out.append(flag)
            elif verdict[0]:
                issues.append(ReferenceIssue(index, flag, verdict[1]))
            else:
                out.append(
                    dataclasses.replace(
                        flag,
                        references=(*flag.references, SOURCE),
                        available=flag.available + 1,
                        message=f"{flag.message}; {verdict[1]}",
                    )
                )
        kept.append(tuple(out))
    return kept, issues


def _month_verdict(span: str, origin: SourceText, language: str) -> tuple[bool, str] | None:
    """A month the seed names against the months its source names ("July" / "в июле")."""
    seed_months = months_in(span, language)
    source_months = months_in(origin.text, origin.language)
    if len(seed_months) != 1 or not source_months:
        return None
    number, _ = seed_months[0]
    match = next((words for n, words in source_months if n == number), None)
    if match is not None:
        return True, f'the source has "{match}" (month {number}), as the seed does'
    listed = ", ".join(f'"{words}" (month {n})' for n, words in source_months[:2])
    return False, f"the source has {listed}, not the seed's month"


def _verdict(
    sentence: str, flag: Flag, origin: SourceText, language: str
) -> tuple[bool, str] | None:
    """(True, why) when the source agrees with the seed, (False, why) when it agrees with
    the flag, None when it cannot tell."""
    span = sentence[flag.start : flag.end]
    if flag.category is Category.number:
        values = {q.value for q in seed_numbers(span, language)}
        said = quantities(origin.text, origin.language)
        if not values or not said:
            return None
        match = next((q for q in said if q.value in values), None)
        if match is not None and metric_value(match, origin.text, origin.language) is not None:
            return None  # "8 ft." kept where the reference converts it: a matter of locale
        if match is not None:
            return True, f'the source has "{match.text}", as the seed does'
        elsewhere = {q.value for q in seed_numbers(sentence, language)}
        others = [q for q in said if q.value not in elsewhere] or said
        listed = ", ".join(f'"{q.text}"' for q in others[:3])
        return False, f"the source has {listed}, not the seed's number"
    if flag.category is Category.negation:
        return _negation_verdict(sentence, span, origin, language)
    if flag.category is Category.entity:
        month = _month_verdict(span, origin, language)
        if month is not None:
            return month
    written = re.search(rf"(?<!\w){re.escape(span)}(?!\w)", origin.text)
    if flag.category is Category.entity and re.search(r"[A-Za-z]", span) and written:
        return True, f'the source writes "{span}", as the seed does'
    return None


def _negation_verdict(
    sentence: str, span: str, origin: SourceText, language: str
) -> tuple[bool, str] | None:
    """A negation only the seed (or only the reference) has, against the source's."""
    said = source_negations(origin.text, origin.language)
    try:
        seed_language = get_language(language)
    except LanguageError:
        return None
    if said is None or not seed_language.has("words.negation_markers"):
        return None
    seed_has = len(negation_markers(sentence, language=seed_language))
    cues = ", ".join(f'"{c}"' for c in dict.fromkeys(said))
    if negation_markers(span, language=seed_language):  # the seed negates, the reference not
        if said and len(said) >= seed_has:
            return True, f"the source negates too ({cues}), as the seed does"
        if not said:
            return False, "the source has no negation, as the reference"
        return None
    if not said and not seed_has:
        return True, "the source has no negation, as the seed"
    if len(said) > seed_has:
        return False, f"the source negates ({cues}), as the reference does"
    return None
