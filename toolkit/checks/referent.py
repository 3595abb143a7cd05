"""Reference-free pronoun check: he / she whose antecedent is a country or an organisation.

:func:`check_pronoun_referent` flags ``he`` / ``she`` at the start of a clause whose
antecedent is a country, state or organisation ("The USSR backed the rebels. He sent
advisers."), a common slip when translating from languages where countries take a gendered
pronoun.  The rules are English; the word lists are in ``toolkit/lang/data/en.toml``.

The antecedent rule is deliberately simple so that a reviewer can predict it:

1. Walk back from the pronoun, clause by clause (clauses end at ``;``, ``:``, ``, and``,
   ``, but``, ``while``, ...), through the pronoun's own sentence to the nearest clause
   that names anything.  A pronoun with nothing named before it in its own sentence refers
   to the subject of the previous sentence's main clause (its first noun phrase once a
   fronted "When ..., " or "Even before 1941, " is skipped), not to the nearest name: in
   "The USSR helped China when Japan attacked. He sent pilots." it is the USSR.
2. Its *subject* is the first noun phrase of that clause: a run of capitalised words
   (optionally after "the", joined by "of"), an organisation noun after "the" ("the
   company"), a person noun after a determiner ("a man"), or he/she/him/her.
3. Flag the pronoun when the subject is in the gazetteer (pycountry countries, historic
   countries, and the states and organisations in :data:`STATES_AND_ORGANISATIONS`) or is
   an organisation noun, *unless* a person is named between the subject and the pronoun.

So "Mary Jones joined the UN. She left." is not flagged: the subject is Mary Jones, a
person, and the UN is only an object.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, partial
from typing import NamedTuple

import pycountry

from toolkit.checks import Category, Finding, Kind, SentenceFunction, Severity, register
from toolkit.lang import language

__all__ = [
    "REFERENT_CHECK",
    "STATES_AND_ORGANISATIONS",
    "check_pronoun_referent",
    "is_state_or_organisation",
]

_EN = language("en")
# States, blocs and organisations that pycountry does not list (or lists only awkwardly).
STATES_AND_ORGANISATIONS: tuple[str, ...] = _EN.phrases("states_and_organisations")
# Nouns that, after "the", name an organisation or a state rather than a person.
_ORGANISATION_NOUNS = _EN.words("organisation_nouns")
# Nouns that, after a determiner, name a person.
_PERSON_NOUNS = _EN.words("person_nouns")
_TITLES = _EN.words("person_titles")
# he/she and their case forms: wrong for a state, and a person mention in their own right.
_GENDERED = _EN.words("gendered_pronouns")
_DETERMINERS = _EN.words("determiners")
# Capitalised at the start of a sentence, but never the head of a noun phrase.
_FUNCTION_WORDS = _EN.words("pronoun_non_heads")
_MONTHS_AND_DAYS = _EN.words("months_and_days")
# A conjunction after a comma, or any of these words, starts a new clause.
_COORDINATORS = _EN.words("coordinators")
_SUBORDINATORS = _EN.words("subordinators")

_WORD = re.compile(r"[^\W\d_]++(?:['\u2019.-][^\W\d_]++)*+|\d++|[;:,]")


class _Token(NamedTuple):
    text: str
    start: int
    end: int
    position: int  # position in the sentence's token list
    lower: str  # the text in lowercase

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


# Built from ready tuples (a C call), not through the named tuple's Python constructor.
_new_token: Callable[[tuple[str, int, int, int, str]], _Token] = partial(tuple.__new__, _Token)
_Match = re.Match


def _tokens(text: str) -> list[_Token]:
    found = list(_WORD.finditer(text))
    words = list(map(_Match.group, found))
    starts, ends = map(_Match.start, found), map(_Match.end, found)
    return list(
        map(
            _new_token,
            zip(words, starts, ends, range(len(words)), map(str.lower, words), strict=True),
        )
    )


_ANY_GENDERED = re.compile(
    r"\b(?:" + "|".join(sorted(_GENDERED, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def _any_word(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds any of ``words`` (lowercase letters) as a whole word.

    It is ``\\b(?:he|she|...)\\b``, written with each word's first letter first and the word
    boundary before it checked behind that letter, so that the regex engine looks only at
    those letters, not at every position: twice as fast.
    """
    rest: dict[str, list[str]] = {}
    for word in sorted(sorted(words), key=len, reverse=True):
        rest.setdefault(word[0], []).append(re.escape(word[1:]))
    return re.compile(
        "|".join(
            rf"{re.escape(c)}(?<!\w{re.escape(c)})(?:{'|'.join(tails)})\b"
            for c, tails in sorted(rest.items())
        )
    )


_ANY_GENDERED_LOWER = _any_word({f.lower() for f in _GENDERED})


def _normalise_name(name: str) -> str:
    name = " ".join(name.lower().replace("\u2019", "'").split())
    return name.removeprefix("the ").rstrip(".")


@cache
def _gazetteer() -> frozenset[str]:
    names: set[str] = set()
    for country in [*pycountry.countries, *pycountry.historic_countries]:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            names.add(value)
            # "Korea, Republic of" -> "Korea"; "USSR, Union of Soviet ..." -> both parts.
            head, _, tail = value.partition(",")
            names.add(head)
            if tail and not tail.strip().endswith(" of"):
                names.add(tail)
    names.update(STATES_AND_ORGANISATIONS)
    return frozenset(_normalise_name(n) for n in names if n.strip())


def is_state_or_organisation(name: str) -> bool:
    """Whether ``name`` is a country, historic state or organisation in the gazetteer.

    Matching ignores case, surrounding spaces, a leading "the" and a trailing full stop.
    """
    return _normalise_name(name) in _gazetteer()


class _Kind(Enum):
    state = "state"  # country, state or organisation: "it"
    person = "person"  # he/she is right
    other = "other"  # anything else; never a reason to flag


@dataclass(frozen=True, slots=True)
class _Phrase:
    text: str
    kind: _Kind
    end: int  # token index just past the phrase


def _phrase_at(tokens: list[_Token], i: int) -> _Phrase | None:
    """The noun phrase starting at token ``i``, if one does."""
    token = tokens[i]
    lower = token.lower
    has_the = lower == "the"
    j = i + 1 if lower in _DETERMINERS else i
    if j < len(tokens) and j != i:
        head = tokens[j]
        if head.lower in _ORGANISATION_NOUNS and not head.capitalised and has_the:
            return _Phrase(f"the {head.text}", _Kind.state, j + 1)
        if head.lower in _PERSON_NOUNS and not head.capitalised:
            return _Phrase(f"{token.lower} {head.text}", _Kind.person, j + 1)
    if j == i and lower in _GENDERED:
        return _Phrase(token.text, _Kind.person, i + 1)
    # A run of capitalised words, allowing "of" / "of the" inside ("League of Nations").
    words: list[_Token] = []
    k = j
    while k < len(tokens):
        t = tokens[k]
        if t.capitalised and t.text[0].isalpha():
            if not words and t.lower in _FUNCTION_WORDS:
                break
            words.append(t)
            k += 1
        elif words and t.lower == "of" and k + 1 < len(tokens):
            nxt = tokens[k + 2] if tokens[k + 1].lower == "the" and k + 2 < len(tokens) else None
            follower = nxt if nxt is not None else tokens[k + 1]
            if not (follower.capitalised and follower.text[0].isalpha()):
                break
            words.extend(tokens[k : follower.position])
            k = follower.position
        else:
            break
    if not words:
        return None
    # Keep the original spelling, but show a lowercase "the" as the message quotes it.
    name = " ".join(w.text for w in words)
    shown = f"the {name}" if has_the else name
    if is_state_or_organisation(name):
        return _Phrase(shown, _Kind.state, k)
    if has_the or any(w.lower in _MONTHS_AND_DAYS for w in words):
        return _Phrase(shown, _Kind.other, k)  # "the Red Army", "In May": not a person
    if words[0].lower.rstrip(".") in _TITLES or len(words) <= 3:
        return _Phrase(shown, _Kind.person, k)
    return _Phrase(shown, _Kind.other, k)


def _clause_starts(tokens: list[_Token]) -> list[int]:
    """Token indices where a clause starts (always including 0)."""
    starts = [0]
    for i, t in enumerate(tokens):
        after_comma = i > 0 and tokens[i - 1].text == ","
        ends_clause = t.text in {";", ":"} or t.lower in _SUBORDINATORS
        if ends_clause or (t.lower in _COORDINATORS and after_comma):
            starts.append(i + 1)
    return sorted({s for s in starts if s <= len(tokens)})


def _is_clause_start(tokens: list[_Token], i: int) -> bool:
    if i == 0:
        return True
    before = tokens[i - 1]
    return before.text in {";", ":", ","} or before.lower in _COORDINATORS | _SUBORDINATORS


def _clauses(tokens: list[_Token]) -> list[list[_Token]]:
    starts = _clause_starts(tokens)
    bounds = [*starts[1:], len(tokens)]
    return [tokens[a:b] for a, b in zip(starts, bounds, strict=True) if a < b]


def _phrases(clause: list[_Token]) -> list[_Phrase]:
    found: list[_Phrase] = []
    i = 0
    while i < len(clause):
        phrase = _phrase_at(clause, i)
        if phrase is None:
            i += 1
        else:
            found.append(phrase)
            i = phrase.end
    return found


def _reindexed(tokens: list[_Token]) -> list[_Token]:
    return [_new_token((t.text, t.start, t.end, n, t.lower)) for n, t in enumerate(tokens)]


def _sentence_subject(tokens: list[_Token]) -> _Phrase | None:
    """The subject of a sentence's main clause: its first noun phrase once a fronted
    subordinate clause ("When Japan attacked, ...", "Even before 1941, ...") is skipped.

    A pronoun that opens a sentence refers by preference to that subject (centering), not to
    the nearest name: "The USSR helped China when Japan attacked. He sent pilots" -> USSR.
    None when there is no phrase, or when a person is named later in the sentence (then the
    pronoun may well refer to that person).
    """
    start = 0
    if any(t.lower in _SUBORDINATORS for t in tokens[:2]):
        start = next((t.position + 1 for t in tokens if t.text == ","), 0)
    phrases = _phrases(_reindexed(tokens[start:]))
    if not phrases:
        return None
    subject, *later = phrases
    if any(p.kind is _Kind.person for p in later):
        return None
    return subject


def _antecedent(preceding: list[list[_Token]]) -> _Phrase | None:
    """The subject of the nearest preceding clause that names anything, or None.

    Returns None too when a person is named after that subject (a nearer candidate).
    """
    for clause in reversed(preceding):
        phrases = _phrases(_reindexed(clause))
        if not phrases:
            continue
        subject, *later = phrases
        if any(p.kind is _Kind.person for p in later):
            return None
        return subject
    return None


def check_pronoun_referent(sentences: Sequence[str], index: int) -> list[Finding]:
    """Flag he/she at a clause start whose antecedent is a country or an organisation.

    The antecedent is the subject of the nearest preceding clause, in the same sentence or
    else in the previous one (see the module docstring for the full rule).

    Args:
        sentences: The seed sentences of the document.
        index: Which sentence to check.

    Returns:
        One major ``accuracy/pronoun`` finding per such pronoun, spanning the pronoun.
    """
    if not 0 <= index < len(sentences):
        raise IndexError(f"sentence index {index} is outside 0..{len(sentences) - 1}")
    text = sentences[index]
    # On ASCII text, the case-sensitive pattern on the lowercase text is the same test, faster.
    if text.isascii():
        if _ANY_GENDERED_LOWER.search(text.lower()) is None:
            return []
    elif _ANY_GENDERED.search(text) is None:
        return []
    tokens = _tokens(sentences[index])
    previous: list[_Token] | None = None  # the previous sentence's tokens, made when needed
    findings: list[Finding] = []
    for token in tokens:
        if token.lower not in _GENDERED or not _is_clause_start(tokens, token.position):
            continue
        own = _clauses(tokens[: token.position])
        subject = _antecedent(own)
        if subject is None and not any(_phrases(_reindexed(c)) for c in own):
            if previous is None:
                previous = _tokens(sentences[index - 1]) if index > 0 else []
            subject = _sentence_subject(previous)
        if subject is None or subject.kind is not _Kind.state:
            continue
        findings.append(
            Finding(
                category=Category.pronoun,
                severity=Severity.major,
                start=token.start,
                end=token.end,
                message=(
                    f'"{token.text}" seems to refer to "{subject.text}", '
                    'a country or organisation: use "it"'
                ),
            )
        )
    return findings


REFERENT_CHECK = register(
    SentenceFunction(
        "pronoun-referent",
        check_pronoun_referent,
        (Category.pronoun,),
        kind=Kind.document,
        languages=frozenset({"en"}),
    )
)
