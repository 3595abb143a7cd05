"""Reference-free consistency check: one name or word spelled two ways in one document.

Every variant group has a dominant spelling, the one written most often (on a tie, the one
written first); each occurrence of the other spellings is a minor finding whose message names
the dominant spelling and how often it is written.  Three kinds of group:

1. **Names**: capitalised words (not all capitals, possessive "'s" ignored, and never a word the
   document also writes in lowercase) group when their *keys* are equal: the key drops accents,
   hyphens and apostrophes, reads "tsch"/"tch" as "ch", "sch" as "sh", "ph" as "f", "ck" and a
   hard "c" as "k", a soft "c" as "s", "x" as "ks", "y" as "i", "ie" as "i", and doubled letters
   as one ("Zelensky" = "Zelenskyy" = "Zelenskiy", "Kiev" = "Kyiv", "Tchaikovsky" =
   "Chaikovsky").  Both spellings need four letters or more.  Keys of seven letters or more also
   group when ``rapidfuzz``'s Levenshtein distance between them is 1 (2 from twelve letters on),
   as "Jinping" / "Jingping", if the keys start alike, neither key begins the other ("Russia" /
   "Russian", "Swede" / "Sweden", "Petrov" / "Petrova" are different words), they do not differ
   only in a final vowel ("Maria" / "Mario"), and the dominant name is written at least twice as
   often as the other.  A group counts only if one of its names stands mid-sentence at least
   once, so capitalised sentence openers are not taken for names.
2. **Hyphenation**: a lowercase word with hyphens and the same word written solid ("e-mail" /
   "email", "co-operation" / "cooperation"; a final "s" is ignored), except pairs whose meanings
   differ ("re-sign" / "resign", "re-cover" / "recover", "co-op" / "coop", ...).
3. **British and American spelling** of the same word, lowercase or opening a sentence: -ise /
   -ize and -yse / -yze (with their -ed, -ing, -ation forms), -our / -or, -tre / -ter and
   -bre / -ber, -ence / -ense in defence, offence, pretence, -ll- / -l- before -ed, -ing, -er,
   -or, -ous, -ogue / -og, and a short table (grey / gray, judgement / judgment, ...).  Forms
   count by system: "organised" and "organization" are the same word spelled both ways.  Words
   only mixed across ("colour" with "organize") are left alone: that is Oxford spelling.

The groups of a document are computed once, on its first sentence checked, and reused for the
others, so checking every sentence of a document stays linear.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, combinations

from rapidfuzz.distance import Levenshtein

from toolkit.checks import Category, DocumentFunction, Finding, Severity, register
from toolkit.lang import Language
from toolkit.lang import language as get_language

__all__ = ["CHECK", "check_consistency"]

_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_MIN_NAME = 4  # shorter names ("Hal" / "Hall", "Ana" / "Anna") are too often different names
_DOMINANCE = 2  # a near-miss name is flagged only under a name written this many times as often
_VOWELS = frozenset("aeiou")
_CROWDED = 50  # names sharing one deletion variant beyond this are not compared
_FEW = 16  # up to this many flagged words, sentences are screened by substring tests

# --- name keys -------------------------------------------------------------------------------

_KEY_STEPS = (
    (re.compile(r"t?sch"), "sh"),  # Schmidt / Shmidt
    (re.compile(r"tch"), "ch"),  # Tchaikovsky / Chaikovsky
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"x"), "ks"),  # Alexei / Aleksei
    (re.compile(r"c(?=[eiy])"), "s"),  # a soft c: Mice is not Mike
    (re.compile(r"c(?!h)"), "k"),  # a hard c: Carl / Karl
    (re.compile(r"y"), "i"),
    (re.compile(r"ie"), "i"),  # Kiev / Kyiv, Dmitriev / Dmitriyev
    (re.compile(r"(.)\1+"), r"\1"),  # Zelenskyy / Zelensky
)


def _name_key(form: str) -> str:
    decomposed = unicodedata.normalize("NFKD", form.casefold())
    key = "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch))
    for pattern, replacement in _KEY_STEPS:
        key = pattern.sub(replacement, key)
    return key


def _max_edits(length: int) -> int:
    """How many edits make two name keys of this length (the shorter one) the same name."""
    if length < 7:
        return 0
    return 1 if length < 12 else 2


def _deletions(key: str, depth: int) -> set[str]:
    out = {key}
    frontier = {key}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _near_pairs(keys: Iterable[str]) -> Iterable[tuple[str, str]]:
    """Pairs of keys within their length's edit budget, found through shared deletions."""
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    for key in keys:
        if _max_edits(len(key)):
            for variant in _deletions(key, _max_edits(len(key))):
                buckets[variant].append(key)
    seen = set()
    for bucket in buckets.values():
        if len(bucket) > _CROWDED:
            continue  # a deletion that many names share says nothing, and pairs would be quadratic
        for a, b in combinations(bucket, 2):
            pair = (a, b) if a < b else (b, a)
            if pair in seen:
                continue
            seen.add(pair)
            limit = _max_edits(min(len(a), len(b)))
            if limit and Levenshtein.distance(a, b, score_cutoff=limit) <= limit:
                yield pair


def _same_name(a: str, b: str) -> bool:
    """Whether two near keys are spellings of one name rather than two related words."""
    if a[0] != b[0] or a.startswith(b) or b.startswith(a):
        return False  # Swede / Sweden, Russia / Russian, Petrov / Petrova
    # Maria / Mario: a final vowel often marks another name
    return not (len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} <= _VOWELS)


# --- spelling variants of lowercase words ----------------------------------------------------

_ENDINGS_IZE = "(?:e|es|ed|ing|ation|ations|ational|er|ers)"
_ENDINGS_OUR = "(?:s|ed|ing|ite|ites|able|ably|er|ers|ful|less)?"
_ENDINGS_LL = "(?:ed|ing|er|ers|or|ors|ous)"
# (rule, British pattern, American pattern): both give the stem that keys the group.
_SPELLING_RULES = (
    ("ize", rf"([a-z-]{{3,}})is{_ENDINGS_IZE}", rf"([a-z-]{{3,}})iz{_ENDINGS_IZE}"),
    ("yze", r"([a-z-]{2,})ys(?:e|ed|ing|er|ers)", r"([a-z-]{2,})yz(?:e|ed|ing|er|ers)"),
    # Before -our / -or, which would take "counselor" as counsel + or.
    ("ll", rf"([a-z-]{{2,}}[aeo])ll{_ENDINGS_LL}", rf"([a-z-]{{2,}}[aeo])l{_ENDINGS_LL}"),
    ("our", rf"([a-z-]{{3,}})our{_ENDINGS_OUR}", rf"([a-z-]{{3,}})or{_ENDINGS_OUR}"),
    ("tre", r"([a-z-]{2,}[tb])re[sd]?", r"([a-z-]{2,}[tb])er(?:s|ed)?"),
    ("ence", r"([a-z-]*(?:def|off|pret))ences?", r"([a-z-]*(?:def|off|pret))enses?"),
    ("ogue", r"([a-z-]{3,})ogues?", r"([a-z-]{3,})ogs?"),
)
# All rules in one pattern, tried in order; the name of the group that matched ("our_British")
# tells the rule and the spelling system, and the group holds the stem that keys the word.
_SPELLING = re.compile(
    "|".join(
        pattern.replace("(", f"(?P<{name}_{system}>", 1)
        for name, british, american in _SPELLING_RULES
        for system, pattern in (("British", british), ("American", american))
    )
)
# Stems whose two spellings are two words: timbre (sound) is not timber (wood).
_SPELLING_EXCEPTIONS = frozenset({("tre", "timb")})
# Hyphenated words that mean something else written solid.
_HYPHEN_EXCEPTIONS = re.compile(
    r"re(?:cover|sign|form|creat|press|leas|treat|collect|mark|count|sort|serv|present|act)\w*"
    r"|coop|unionized"
)


@cache
def _british_american(language: Language) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """British -> American and American -> British words of ``language``'s data file."""
    british = language.pairs("british_american")
    return british, {american: b for b, american in british.items()}


def _spelling(form: str, language: Language) -> tuple[str, str] | None:
    """``(group key, "British" or "American")`` for a lowercase word with both spellings."""
    british, american = _british_american(language)
    if form in british:
        return "word:" + british[form], "British"
    if form in american:
        return "word:" + form, "American"
    match = _SPELLING.fullmatch(form)
    if match is None or match.lastgroup is None:
        return None
    name, system = match.lastgroup.split("_")
    stem = match.group(match.lastgroup)
    if (name, stem) in _SPELLING_EXCEPTIONS:
        return None
    return f"{name}:{stem}", system


def _hyphenation(form: str) -> str:
    """The group key of a word written with or without hyphens (final "s" dropped)."""
    solid = form.replace("-", "")
    return solid[:-1] if solid.endswith("s") and len(solid) > 4 else solid


# --- the document's groups -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Variant:
    """What a flagged spelling is measured against."""

    dominant: str  # the spelling written most often
    count: int  # how often it is written
    advice: str
    system: str = ""  # for a group of several words: how the dominant ones are spelled
    system_count: int = 0  # and how often


@dataclass(frozen=True, slots=True)
class _Groups:
    names: dict[str, _Variant]  # capitalised forms to flag
    words: dict[str, _Variant]  # lowercase forms to flag (also when opening a sentence)
    hits: frozenset[int] = frozenset()  # the sentences holding a flagged word


def _strip_possessive(token: str) -> str:
    if "'" not in token and "\u2019" not in token:
        return token
    return _POSSESSIVE.sub("", token) or token


def _is_name(token: str) -> bool:
    return token[0].isupper() and not token.isupper()


def _flag_minorities(
    groups: dict[str, dict[str, Counter[str]]],
    order: dict[str, int],
    advice: str,
    out: dict[str, _Variant],
    *,
    systems: bool = False,
) -> None:
    """Flag every form outside the dominant label of each group with two labels or more."""
    for labels in groups.values():
        if len(labels) < 2:
            continue

        def weight(label: str, labels: dict[str, Counter[str]] = labels) -> tuple[int, int]:
            return labels[label].total(), -min(order[f] for f in labels[label])

        winner = max(labels, key=weight)
        dominant = max(labels[winner], key=lambda f: (labels[winner][f], -order[f]))
        variant = _Variant(
            dominant,
            labels[winner][dominant],
            advice,
            system=winner if systems else "",
            system_count=labels[winner].total(),
        )
        for label, forms in labels.items():
            if label != winner:
                for form in forms:
                    out.setdefault(form, variant)


def _name_variants(
    counts: Counter[str], mid: Counter[str], order: dict[str, int]
) -> dict[str, _Variant]:
    keys = {form: _name_key(form) for form in counts if len(form) >= _MIN_NAME}
    by_key: dict[str, dict[str, Counter[str]]] = defaultdict(dict)
    for form, key in keys.items():
        by_key[key][form] = Counter({form: counts[form]})
    named = {
        key: labels for key, labels in by_key.items() if key and any(mid[form] for form in labels)
    }
    out: dict[str, _Variant] = {}
    _flag_minorities(named, order, "use one spelling of the name", out)
    totals = {key: sum(c.total() for c in labels.values()) for key, labels in by_key.items()}
    for a, b in _near_pairs(totals):
        if not _same_name(a, b):
            continue
        big, small = (a, b) if totals[a] >= totals[b] else (b, a)
        if totals[big] < _DOMINANCE * totals[small]:
            continue
        if not any(mid[f] for f in (*by_key[big], *by_key[small])):
            continue
        dominant = max(by_key[big], key=lambda f: (counts[f], -order[f]))
        for form in by_key[small]:
            previous = out.get(form)
            if previous is None or previous.count < counts[dominant]:
                out[form] = _Variant(dominant, counts[dominant], "use one spelling of the name")
    return out


def _word_variants(
    counts: Counter[str], order: dict[str, int], language: Language
) -> dict[str, _Variant]:
    hyphen: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    spelling: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    hyphenated = {_hyphenation(form) for form in counts if "-" in form}
    # British and American spelling: the rules above are English, the word pairs data.
    spellings = language.has("pairs.british_american")
    for form, n in counts.items():
        key = _hyphenation(form)
        if key in hyphenated and len(key) >= 4 and not _HYPHEN_EXCEPTIONS.fullmatch(key):
            hyphen[key]["with a hyphen" if "-" in form else "solid"][form] += n
        found = _spelling(form, language) if spellings else None
        if found is not None:
            spelling[found[0]][f"with {found[1]} spelling"][form] += n
    out: dict[str, _Variant] = {}
    _flag_minorities(hyphen, order, "hyphenate it the same way throughout", out, systems=True)
    _flag_minorities(spelling, order, "keep to British or to American spelling", out, systems=True)
    return out


# Sentences whose words are counted at once by _groups.
_COUNT_BLOCK = 4096


def _groups(sentences: Sequence[str], *, language: Language | None = None) -> _Groups:
    counts: Counter[str] = Counter()
    firsts: Counter[str] = Counter()
    # Counted a block of sentences at a time, in one C loop each (Counter.update per sentence
    # cost more than finding the words); the words come in the same order.
    for lo in range(0, len(sentences), _COUNT_BLOCK):
        found = [t for t in map(_WORD.findall, sentences[lo : lo + _COUNT_BLOCK]) if t]
        counts.update(chain.from_iterable(found))
        firsts.update([t[0] for t in found])
    order: dict[str, int] = {}
    names: Counter[str] = Counter()
    name_mid: Counter[str] = Counter()
    words: Counter[str] = Counter()
    lowercase: set[str] = set()
    for token, n in counts.items():
        form = _strip_possessive(token)
        if form.islower():
            words[form] += n
            lowercase.add(form)
        elif _is_name(form):
            names[form] += n
            name_mid[form] += n - firsts[token]
            if firsts[token]:
                words[form.casefold()] += firsts[token]  # "Colour" opening a sentence
        order.setdefault(form, len(order))
        order.setdefault(form.casefold(), len(order))
    names = Counter({f: n for f, n in names.items() if f.casefold() not in lowercase})
    flagged_names = _name_variants(names, name_mid, order)
    flagged_words = _word_variants(words, order, language or get_language("en"))
    if not flagged_names and not flagged_words:
        return _Groups({}, {})
    forms = {token: _strip_possessive(token) for token in counts}
    anywhere = {t for t, f in forms.items() if f in flagged_names or f in flagged_words}
    first = {t for t, f in forms.items() if _is_name(f) and f.casefold() in flagged_words}
    # A second pass finds the sentences to report on: cheaper than keeping every sentence's words,
    # and only needed when the document has variants.  With few flagged words, substring tests
    # skip most sentences before they are cut into words.
    wanted = anywhere | first
    if not wanted:
        return _Groups(flagged_names, flagged_words, frozenset())
    # One search for any of the words (a substring test each, in C), or none with many words.
    probe = re.compile("|".join(map(re.escape, sorted(wanted)))) if len(wanted) <= _FEW else None
    hits = frozenset(
        i
        for i, text in enumerate(sentences)
        if (probe is None or probe.search(text))
        and (tokens := _WORD.findall(text))
        and (tokens[0] in first or not anywhere.isdisjoint(tokens))
    )
    return _Groups(flagged_names, flagged_words, hits)


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def check_consistency(sentences: Sequence[str], index: int) -> list[Finding]:
    """Find words of one sentence that the rest of the document spells another way.

    Args:
        sentences: The seed sentences of the document; they give each word's usual spelling.
        index: Which sentence to check.

    Returns:
        Findings with offsets into ``sentences[index]``, sorted by position.  (This reads
        the whole document on every call; a run prepares :data:`CHECK` once instead.)
    """
    return _check(sentences, index, _groups(sentences))


def _check(sentences: Sequence[str], index: int, groups: _Groups) -> list[Finding]:
    if index not in groups.hits:
        return []
    text = sentences[index]
    findings = []
    for position, match in enumerate(_WORD.finditer(text)):
        form = _strip_possessive(match.group())
        variant = None
        if _is_name(form):
            variant = groups.names.get(form)
            if variant is None and position == 0:
                variant = groups.words.get(form.casefold())
        elif form.islower():
            variant = groups.words.get(form)
        if variant is None:
            continue
        findings.append(
            Finding(
                Category.consistency,
                Severity.minor,
                match.start(),
                match.start() + len(form),
                _message(form, variant),
            )
        )
    return findings


def _message(form: str, variant: _Variant) -> str:
    if variant.system_count > variant.count:
        # Several words of the dominant spelling: "organized", "organization", ...
        return (
            f'"{form}": written {variant.system} {_times(variant.system_count)} elsewhere in the '
            f'document (as "{variant.dominant}"); {variant.advice}'
        )
    return (
        f'"{form}" is written "{variant.dominant}" {_times(variant.count)} elsewhere '
        f"in the document; {variant.advice}"
    )


CHECK = register(
    DocumentFunction("consistency", _groups, _check, (Category.consistency,), needs=())
)
