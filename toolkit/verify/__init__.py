"""Verified flags and a calibrated suspicion: two models fitted on expert MQM annotations.

The checks propose flags; :func:`verify_flags` gives each one the probability that its span is a
real error (the *flag* model), sets its severity from that probability and sets aside the flags
below the show threshold. :func:`check_and_verify` runs the checks and computes, once per seed
sentence, what the *sentence* model reads from the texts (length, closeness to the references,
what the word diff changes); :func:`sentence_suspicion` adds the verified flags (which a
reviewer may waive later) and returns P(the sentence has a Major error). Both models and their
thresholds come from ``benchmarks/fit_verifier.py`` (see :mod:`toolkit.verify.model`).
Without references nothing is verified: the flags keep their rule severity and suspicion comes
from them alone.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence

from toolkit.align import Alignment
from toolkit.checks import BUILTIN_CATEGORIES, Check, Severity, SourceText
from toolkit.detect import CheckPool, detect, detect_then, suspicion
from toolkit.flags import Flag, flag_sort_key
from toolkit.verify.features import (
    FLAG_TOTALS,
    Counterpart,
    counterpart_words,
    flag_features,
    flag_totals,
    reference_features,
    similarity,
)
from toolkit.verify.model import Verifier, verifier_for
from toolkit.verify.postedit import changed_span, post_edit_flags
from toolkit.verify.row import FeatureRow

_FLAG_TOTALS = frozenset(FLAG_TOTALS)

__all__ = [
    "Verified",
    "check_and_verify",
    "counterparts",
    "flag_row",
    "model_signature",
    "post_edit_changes",
    "sentence_suspicion",
    "suspicion_for",
    "verify_document",
    "verify_flags",
]

References = Sequence[tuple[str, Sequence[str], Alignment]]


def counterparts(
    seed: Sequence[str], references: References, lo: int = 0, hi: int | None = None
) -> list[list[Counterpart]]:
    """For each seed sentence ``lo..hi-1`` (default: all), its text against the text of each
    reference aligned to it.

    The sentences of a 2-1 bead are compared together (their joined text) with the reference
    text, as the divergence is; a sentence a reference leaves unmatched faces None.
    """
    hi = len(seed) if hi is None else hi
    out: list[list[Counterpart]] = [[] for _ in range(lo, hi)]
    for _, ref_sentences, alignment in references:
        for bead in alignment.beads:
            if not bead.seed or not lo <= bead.seed[0] < hi:
                continue
            text = " ".join(seed[i] for i in bead.seed)
            ref = " ".join(ref_sentences[j] for j in bead.ref) if bead.ref else None
            for i in bead.seed:
                out[i - lo].append(Counterpart(text, ref))
    return out


def verify_flags(
    sentence: str,
    pairs: Sequence[Counterpart],
    features: Mapping[str, float],
    flags: Sequence[Flag],
    *,
    threshold: float = 0.0,
    verifier: Verifier | None = None,
    language: str = "en",
    post_edited: Sequence[bool] = (),
) -> tuple[tuple[Flag, ...], tuple[Flag, ...]]:
    """The flags of one sentence with their probability, split into shown and dismissed.

    A reference-free flag (casing, typography, ...) on a span that every reference reproduces
    word for word is dismissed whatever its probability: the references make the same choice;
    and a sentence that one reference repeats exactly keeps no flag at all.  A flag whose span
    a post-edit changes (or in a sentence the post-edit leaves out) is shown whatever its
    probability: the reviser rejected that span (the verifier learned from independent
    translations, see :mod:`toolkit.verify.postedit`).  Severity: a rule's *major* stays
    major only in the categories whose major flags proved precise on the training talks
    (:meth:`Verifier.severity`), or where a post-edit revised the span; elsewhere it becomes
    minor.  Critical stays critical.

    Args:
        sentence: The seed sentence the flags' offsets refer to.
        pairs: Its text against each reference (:func:`counterparts`).
        features: Its text features (:func:`~toolkit.verify.features.reference_features`).
        flags: The flags the checks raised on it.
        threshold: Flags below this probability are dismissed (critical ones never are).
        verifier: The models (default: the shipped ones).
        language: The seed's language (its function words and word frequencies).
        post_edited: For each of ``pairs``, whether its reference is a post-edit of the seed
            (missing entries: no).

    Returns:
        ``(shown, dismissed)``: the flags at or above the threshold, most severe first, and
        the others; each with its probability.
    """
    if not flags:
        return (), ()  # (most sentences: nothing to verify, nor to compare texts for)
    verifier = verifier or verifier_for(language)
    shown: list[Flag] = []
    dismissed: list[Flag] = []
    # A reference that repeats the sentence word for word vouches for all of it.
    copied = any(p.reference is not None and _fold(p.reference) == _fold(p.seed) for p in pairs)
    for flag in flags:
        row = flag_row(sentence, flag, pairs, features, language=language)
        p = round(verifier.flag.probability(row), 4)
        # A post-edit that changes the span, or leaves the whole sentence out, revised it.
        revised = any(
            edited
            and (
                pair.reference is None
                or changed_span(sentence, flag.start, flag.end, pair.reference)
            )
            for pair, edited in zip(pairs, post_edited, strict=False)
        )
        severity = flag.severity if revised else verifier.severity(flag.category, flag.severity)
        verified = dataclasses.replace(flag, probability=p, severity=severity)
        keep = flag.severity is Severity.critical or p >= threshold or revised
        if copied or (not flag.references and _reproduced(sentence, flag, pairs)):
            keep = False
        (shown if keep else dismissed).append(verified)
    shown.sort(key=flag_sort_key)
    return tuple(shown), tuple(dismissed)


def flag_row(
    sentence: str,
    flag: Flag,
    pairs: Sequence[Counterpart],
    features: Mapping[str, float],
    *,
    language: str = "en",
) -> dict[str, float]:
    """The flag model's features of one flag with the one-hot of its category: the same row in
    training and at run time.  The counterpart is what the closest reference that has one
    puts against the span (ties: the alphabetically first counterpart), so the row does not
    depend on the order the references were given in."""
    found = [
        (pair, words)
        for pair in pairs
        if pair.reference is not None
        and (words := counterpart_words(sentence, flag.start, flag.end, pair.reference))
    ]
    if len(found) > 1:  # the closeness decides only between several references
        found.sort(key=lambda c: (-similarity(c[0].seed, c[0].reference or ""), c[1]))
    counterpart = found[0][1] if found else ""
    row = flag_features(
        sentence,
        flag.start,
        flag.end,
        counterpart=counterpart,
        severity=flag.severity.weight,
        support=flag.agreement,
        confirmations=flag.support,
        sentence=features,
        references=[p.reference for p in pairs if p.reference is not None],
        language=language,
    )
    row.update({f"category={c.value}": float(flag.category is c) for c in BUILTIN_CATEGORIES})
    return row


def _fold(text: str) -> str:
    return " ".join(text.split())


def _reproduced(sentence: str, flag: Flag, pairs: Sequence[Counterpart]) -> bool:
    """Whether every reference contains the flagged span together with the word before and
    the word after it, as the seed writes them: the references make the same choice."""
    refs = [p.reference for p in pairs]
    if not refs or any(r is None for r in refs):
        return False
    lo, hi = flag.start, flag.end
    while lo > 0 and not sentence[lo - 1].isspace():  # to the start of the span's first word
        lo -= 1
    while lo > 0 and sentence[lo - 1].isspace():
        lo -= 1
    while lo > 0 and not sentence[lo - 1].isspace():  # and the word before it
        lo -= 1
    while hi < len(sentence) and not sentence[hi].isspace():
        hi += 1
    while hi < len(sentence) and sentence[hi].isspace():
        hi += 1
    while hi < len(sentence) and not sentence[hi].isspace():
        hi += 1
    needle = " ".join(sentence[lo:hi].split())
    return all(needle in " ".join((r or "").split()) for r in refs)


Verified = tuple[tuple[Flag, ...], tuple[Flag, ...], Mapping[str, float] | None]


def verify_document(
    seed: Sequence[str],
    references: References,
    flags: Sequence[Sequence[Flag]],
    *,
    threshold: float = 0.0,
    language: str = "en",
    post_edits: Sequence[bool] = (),
) -> list[Verified]:
    """:func:`verify_flags` for every seed sentence: ``(shown, dismissed, evidence)`` each;
    without references the flags are all shown, unverified, and the evidence is None.
    ``post_edits``: for each reference, whether it is a post-edit of the seed.
    (:func:`check_and_verify` runs the checks and this together, faster.)"""
    if not references:
        return [(tuple(f), (), None) for f in flags]
    rows = _verify_block(
        seed,
        references,
        0,
        len(seed),
        [tuple(f) for f in flags],
        threshold,
        language,
        tuple(post_edits),
    )
    return rows


def check_and_verify(
    seed: Sequence[str],
    references: References,
    *,
    checks: Sequence[Check] | None = None,
    language: str = "en",
    source: Sequence[SourceText | None] | None = None,
    threshold: float = 0.0,
    jobs: int = 1,
    post_edits: Sequence[bool] = (),
    pool: CheckPool | None = None,
) -> list[Verified]:
    """Run the checks (:func:`toolkit.detect.detect`) and verify their flags block by block
    in the same process, while the word diffs both read are cached: ``(shown, dismissed,
    evidence)`` per seed sentence, as :func:`verify_document` gives.  ``jobs`` as in
    ``detect``, as ``source``; the result is the same for any number of jobs.  ``post_edits``
    as in :func:`verify_document`; ``pool`` as in :func:`toolkit.detect.detect_then`."""
    if not references:
        flags = detect(seed, references, checks=checks, language=language, source=source, jobs=jobs)
        return [(f, (), None) for f in flags]
    rows = detect_then(
        seed,
        references,
        functools.partial(
            _verify_block, threshold=threshold, language=language, post_edits=tuple(post_edits)
        ),
        checks=checks,
        language=language,
        source=source,
        jobs=jobs,
        pool=pool,
    )
    return rows  # the evidence: read-only, compact rows (a report keeps one per line)


def _verify_block(
    seed: Sequence[str],
    references: References,
    lo: int,
    hi: int,
    flags: list[tuple[Flag, ...]],
    threshold: float,
    language: str = "en",
    post_edits: tuple[bool, ...] = (),
) -> list[Verified]:
    """Verify the flags of seed sentences ``lo..hi-1`` (``flags[k]`` is sentence ``lo + k``)."""
    pairs = counterparts(seed, references, lo, hi)
    out: list[Verified] = []
    for k, (sentence_pairs, sentence_flags) in enumerate(zip(pairs, flags, strict=True)):
        sentence = seed[lo + k]
        row = reference_features(sentence_pairs)
        shown, dismissed = verify_flags(
            sentence,
            sentence_pairs,
            row,
            sentence_flags,
            threshold=threshold,
            language=language,
            post_edited=post_edits,
        )
        # Compact and read-only: it may cross process boundaries, and the report keeps it.
        out.append((shown, dismissed, FeatureRow(row)))
    return out


def sentence_suspicion(
    features: Mapping[str, float],
    flags: Sequence[Flag],
    *,
    verifier: Verifier | None = None,
    language: str = "en",
) -> float:
    """P(the sentence has a Major error), rounded to 4 places, from the features the model file
    names: its text features and the totals of the verified flags it still carries (flags
    without a probability are left out; the shipped models read no flag total); 0 for a
    sentence that a reference repeats word for word (up to case and spacing) and that carries
    no flag: nothing in it for a reviewer to check."""
    if not flags and features.get("divergence") == 0.0 and not features.get("unmatched"):
        return 0.0
    verifier = verifier or verifier_for(language)
    if not any(name in _FLAG_TOTALS for name in verifier.sentence.features):
        # The model reads text features only (the shipped ones do): the same probability,
        # without copying the row or totalling the flags (a million sentences settle).
        return round(verifier.sentence.probability(features), 4)
    row = features.as_dict() if isinstance(features, FeatureRow) else dict(features)
    # Flags the verifier did not score (a post-edit's changes) are shown, not counted: the
    # model learned from the checks' flags.
    row.update(
        flag_totals(
            [
                (f.category.value, f.severity.weight, f.agreement, f.probability)
                for f in flags
                if f.probability is not None
            ]
        )
    )
    return round(verifier.sentence.probability(row), 4)


def suspicion_for(
    features: Mapping[str, float] | None,
    flags: Sequence[Flag],
    divergence: float | None,
    *,
    language: str = "en",
) -> float:
    """A sentence's suspicion: :func:`sentence_suspicion` when it has text features (it was
    compared with a reference), else the flags-only formula of :func:`toolkit.detect.suspicion`."""
    if features is None:
        return suspicion(flags, divergence)
    return sentence_suspicion(features, flags, language=language)


def post_edit_changes(
    seed: Sequence[str],
    references: References,
    shown: Sequence[Sequence[Flag]],
    post_edits: Sequence[bool],
) -> list[tuple[Flag, ...]]:
    """``shown`` (the flags of each seed sentence) with a minor flag added for every change a
    post-edit reference makes that no flag marks yet (:func:`.postedit.post_edit_flags`), in
    flag order.  Sentences that share a bead with another seed sentence are left as they
    are (the change cannot be placed in one of them)."""
    out = [tuple(flags) for flags in shown]
    edited = [k for k, is_post_edit in enumerate(post_edits) if is_post_edit]
    if not edited:
        return out
    pairs = counterparts(seed, references)
    for i, sentence in enumerate(seed):
        added: list[Flag] = []
        for k in edited:
            pair = pairs[i][k]
            if pair.reference is None or pair.seed != sentence:
                continue
            others = [
                (references[j][0], pairs[i][j].reference) for j in range(len(references)) if j != k
            ]
            added += post_edit_flags(
                sentence, pair.reference, references[k][0], (*out[i], *added), others
            )
        if added:
            out[i] = tuple(sorted((*out[i], *added), key=flag_sort_key))
    return out


def model_signature(language: str = "en") -> str:
    """The pedigree of the language's verifier, for the run signature."""
    return verifier_for(language).signature
