"""The sentence aligner: invariants on generated texts, golden beads on hand-written ones."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.align import Alignment, AlignSettings, Bead, align

# --- helpers ---------------------------------------------------------------------------------


def shapes(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.seed, b.ref) for b in alignment.beads]


def one_to_one(n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [((i,), (i,)) for i in range(n)]


def declared_kinds(signature: str) -> set[str]:
    """The bead kinds the aligner's signature says it may produce (``beads:1-1,2-1,...``)."""
    match = re.search(r"(?:^|\|)beads:([^|]+)", signature)
    assert match, f"no beads: field in {signature!r}"
    return set(match.group(1).split(","))


def check_invariants(alignment: Alignment, n: int, m: int) -> None:
    beads = alignment.beads
    assert [i for b in beads for i in b.seed] == list(range(n))
    assert [j for b in beads for j in b.ref] == list(range(m))
    allowed = declared_kinds(alignment.settings.signature)
    for b in beads:
        if b.seed and b.ref:
            assert 1 <= len(b.seed) <= 3 and 1 <= len(b.ref) <= 3, b
            assert 0.0 <= b.similarity <= 1.0, b
        else:
            assert b.kind in {"1-0", "0-1"}, b
            assert b.similarity == 0.0, b
        assert b.kind in allowed, f"{b.kind} not among the signature's {sorted(allowed)}"
    assert 0.0 <= alignment.matched_share <= 1.0


# --- hypothesis: invariants under edits ------------------------------------------------------

_WORDS = (
    "river harbour ship captain storm island village market bread winter summer garden "
    "teacher student letter train station bridge mountain forest farmer school doctor city "
    "council museum painting music lamp window engine road stone tower castle king queen "
    "soldier merchant silver copper wheat apple orchard candle clock map compass lantern "
    "valley meadow fisherman sailor baker library printer newspaper ferry lighthouse "
    "quickly slowly never often gladly built sold carried opened closed crossed painted "
    "wrote found lost repaired visited watched counted measured"
)
WORDS = _WORDS.split()
# An unrelated vocabulary for inserted sentences, so they cannot be mistaken for edits.
_OTHER_WORDS = (
    "quantum photon electron galaxy nebula asteroid orbit plasma neutrino comet spectrum "
    "telescope satellite gravity velocity magnet reactor isotope molecule enzyme protein"
)
OTHER_WORDS = _OTHER_WORDS.split()


def sentence(words: list[str]) -> str:
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


sentences = st.lists(st.sampled_from(WORDS), min_size=4, max_size=15).map(sentence)
unrelated = st.lists(st.sampled_from(OTHER_WORDS), min_size=4, max_size=15).map(sentence)
OPS = ("keep", "rewrite", "split", "merge", "drop", "insert")


def build_reference(data: st.DataObject, seed: list[str]) -> list[str]:
    """Apply one edit per seed position: keep, rewrite ~20% of words, split, merge, drop, insert."""
    ref: list[str] = []
    i = 0
    while i < len(seed):
        op = data.draw(st.sampled_from(OPS), label=f"op[{i}]")
        words = seed[i].rstrip(".").split()
        if op == "keep":
            ref.append(seed[i])
        elif op == "rewrite":
            new = [
                data.draw(st.sampled_from(WORDS)) if data.draw(st.integers(0, 4)) == 0 else w
                for w in words
            ]
            ref.append(sentence(new))
        elif op == "split":
            cut = data.draw(st.integers(1, len(words) - 1))
            ref.extend([sentence(words[:cut]), sentence(words[cut:])])
        elif op == "merge" and i + 1 < len(seed):
            ref.append(seed[i].rstrip(".") + ", and " + seed[i + 1][0].lower() + seed[i + 1][1:])
            i += 1
        elif op == "insert":
            ref.extend([data.draw(unrelated), seed[i]])
        elif op == "merge":  # nothing to merge the last sentence with
            ref.append(seed[i])
        i += 1
    return ref


@settings(max_examples=150, deadline=None)
@given(seed=st.lists(sentences, min_size=1, max_size=40, unique=True), data=st.data())
def test_invariants_under_edits(seed: list[str], data: st.DataObject) -> None:
    ref = build_reference(data, seed)
    check_invariants(align(seed, ref), len(seed), len(ref))


@settings(max_examples=40, deadline=None)
@given(seed=st.lists(sentences, min_size=1, max_size=40, unique=True))
def test_identical_texts_align_one_to_one_property(seed: list[str]) -> None:
    alignment = align(seed, seed)
    assert shapes(alignment) == one_to_one(len(seed))
    assert all(b.similarity == 1.0 for b in alignment.beads)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.lists(sentences, max_size=12, unique=True),
    ref=st.lists(unrelated | sentences, max_size=12),
)
def test_invariants_for_any_pair(seed: list[str], ref: list[str]) -> None:
    check_invariants(align(seed, ref), len(seed), len(ref))


# --- hypothesis: repeated content (issue 13) -------------------------------------------------
# Each sentence carries its origin; a matched bead must join sentences of the same origin, so a
# passage that occurs several times is matched copy to copy, never with another copy.

# Distinct sentences as in real text: each has its own name and number (which a second
# translation keeps) and three to twelve other words.
_SYL = ["ka", "lo", "mi", "re", "su", "tan"]
NAMES = [(_SYL[k % 6] + _SYL[k // 6] + "l").title() for k in range(36)]
distinct = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=12, unique=True),
    min_size=6,
    max_size=30,
).map(
    lambda texts: [sentence([*words, NAMES[k], str(101 + 7 * k)]) for k, words in enumerate(texts)]
)
PARAGRAPH = [
    sentence(OTHER_WORDS[k : k + 6]) for k in range(0, 15, 5)
]  # three sentences no base sentence resembles
THANKS = "Thank you."


def reword(data: st.DataObject, text: str) -> str:
    """The sentence with about a fifth of its words replaced (a second translation of it)."""
    *words, name, number = text.rstrip(".").split()
    changed = [
        data.draw(st.sampled_from(WORDS)) if data.draw(st.integers(0, 4)) == 0 else w for w in words
    ]
    return sentence([*changed, name, number])


def matched_by_origin(
    alignment: Alignment, seed_origin: list[object], ref_origin: list[object]
) -> None:
    """Every matched bead joins sentences of one origin, and no sentence is left unmatched."""
    for bead in alignment.beads:
        assert bead.seed and bead.ref, f"unmatched {bead}"
        origins = {seed_origin[i] for i in bead.seed} | {ref_origin[j] for j in bead.ref}
        assert len(origins) == 1, f"{bead} joins {origins}"


@settings(max_examples=30, deadline=None)
@given(base=distinct, data=st.data())
def test_document_concatenated_with_itself_aligns_copy_to_copy(
    base: list[str], data: st.DataObject
) -> None:
    ref = [reword(data, s) for s in base]
    seed2, ref2 = base + base, ref + ref
    n = len(base)
    alignment = align(seed2, ref2)
    check_invariants(alignment, 2 * n, 2 * n)
    copy = [k // n for k in range(2 * n)]
    matched_by_origin(alignment, copy, copy)


@settings(max_examples=30, deadline=None)
@given(base=distinct, data=st.data())
def test_paragraph_inserted_at_three_places_aligns_copy_to_copy(
    base: list[str], data: st.DataObject
) -> None:
    places = sorted(data.draw(st.lists(st.integers(0, len(base)), min_size=3, max_size=3)))
    reworded = [reword(data, s) for s in PARAGRAPH]
    seed: list[str] = []
    ref: list[str] = []
    origin: list[object] = []
    for k in range(len(base) + 1):
        for copy in [c for c, at in enumerate(places) if at == k]:
            seed += PARAGRAPH
            ref += reworded
            origin += [("paragraph", copy, p) for p in range(len(PARAGRAPH))]
        if k < len(base):
            seed.append(base[k])
            ref.append(reword(data, base[k]))
            origin.append(k)
    alignment = align(seed, ref)
    check_invariants(alignment, len(seed), len(ref))
    matched_by_origin(alignment, origin, origin)
    assert alignment.warnings == ()


@settings(max_examples=10, deadline=None)
@given(base=distinct, data=st.data())
def test_two_hundred_identical_short_lines_scattered(base: list[str], data: st.DataObject) -> None:
    # 200 "Thank you." lines on each side, in the same gaps between the base sentences.
    gaps = data.draw(st.lists(st.integers(0, len(base)), min_size=200, max_size=200))
    count = [gaps.count(k) for k in range(len(base) + 1)]
    seed: list[str] = []
    ref: list[str] = []
    origin: list[object] = []
    for k in range(len(base) + 1):
        seed += [THANKS] * count[k]
        ref += [THANKS] * count[k]
        origin += [("thanks", k, t) for t in range(count[k])]
        if k < len(base):
            seed.append(base[k])
            ref.append(reword(data, base[k]))
            origin.append(k)
    alignment = align(seed, ref)
    check_invariants(alignment, len(seed), len(ref))
    matched_by_origin(alignment, origin, origin)


@settings(max_examples=30, deadline=None)
@given(base=distinct, data=st.data())
def test_repeated_block_one_side_lacks_is_one_to_zero(base: list[str], data: st.DataObject) -> None:
    n = len(base)
    start = data.draw(st.integers(0, n - 2))
    stop = data.draw(st.integers(start + 1, min(n, start + 4)))
    # The copy goes where it is not next to the block it repeats, so which copy is extra is clear.
    at = data.draw(st.sampled_from([k for k in range(n + 1) if k < start or k > stop]))
    block = base[start:stop]
    seed = base[:at] + block + base[at:]
    ref = [reword(data, s) for s in base]
    extra = range(at, at + len(block))
    expected = [
        ((i,), (i if i < at else i - len(block),)) for i in range(len(seed)) if i not in extra
    ]
    expected[at:at] = [((i,), ()) for i in extra]
    assert shapes(align(seed, ref)) == expected


# --- golden beads on clean, hand-written texts -----------------------------------------------

HARBOUR = [
    "The harbour of Port Elsworth was rebuilt in 1998 after a winter storm destroyed the old pier.",
    "Mayor Helena Varga asked the regional government for 4 million euros to pay for the work.",
    "Engineers from Rotterdam designed a longer breakwater that protects the fishing fleet.",
    "Construction took two years, and the new quay opened to ships in the spring of 2000.",
    "Local fishermen welcomed the change because their boats no longer scraped rotten timber.",
    "The ferry to Marrow Island now leaves every 90 minutes instead of twice a day.",
    "Tourism grew quickly in the following decade.",
    "By 2005 the town counted 30,000 summer visitors, three times as many as before.",
    "A small museum about shipwrecks opened in the former customs house on Quay Street.",
    "Its most popular exhibit is the bell of the steamer Albatross, which sank in 1911.",
    "Critics say the harbour fees have become too high for the owners of small yachts.",
    "The council will review the fees again at its meeting on 14 March.",
]
# The same facts in other words: synonyms, clauses reordered, same numbers and names.
HARBOUR_PARAPHRASE = [
    "After a winter storm wrecked the old pier, Port Elsworth rebuilt its harbour in 1998.",
    "To fund the project, Mayor Helena Varga requested 4 million euros from the regional "
    "authorities.",
    "A longer breakwater, designed by engineers from Rotterdam, now shelters the fishing boats.",
    "The works lasted two years; ships could use the new quay from the spring of 2000.",
    "Fishermen in the town were pleased, as their vessels stopped scraping on decayed timber.",
    "Instead of two departures a day, the Marrow Island ferry now sails every 90 minutes.",
    "In the next decade tourism expanded fast.",
    "In 2005 there were 30,000 summer visitors in the town, triple the earlier figure.",
    "The old customs house on Quay Street became a little museum of shipwrecks.",
    "Visitors like best the bell of the Albatross, a steamer that went down in 1911.",
    "According to critics, small yacht owners now pay harbour fees that are too high.",
    "On 14 March the council will look at the fees once more.",
]
INSERTED = "Meanwhile a bakery on Linden Road began selling cinnamon pastries to hikers."


def test_identical_texts_align_one_to_one() -> None:
    alignment = align(HARBOUR, HARBOUR)
    assert shapes(alignment) == one_to_one(len(HARBOUR))
    assert all(b.similarity > 0.9 for b in alignment.beads)
    assert alignment.warnings == ()
    assert alignment.matched_share == 1.0


@pytest.mark.parametrize("k", [0, 5, 11])
def test_deleted_sentence_is_one_to_zero(k: int) -> None:
    ref = HARBOUR[:k] + HARBOUR[k + 1 :]
    expected = [((i,), (i if i < k else i - 1,)) for i in range(len(HARBOUR)) if i != k]
    expected.insert(k, ((k,), ()))
    assert shapes(align(HARBOUR, ref)) == expected


@pytest.mark.parametrize("k", [0, 6, 12])
def test_inserted_sentence_is_zero_to_one(k: int) -> None:
    ref = [*HARBOUR[:k], INSERTED, *HARBOUR[k:]]
    expected = [((i,), (i if i < k else i + 1,)) for i in range(len(HARBOUR))]
    expected.insert(k, ((), (k,)))
    alignment = align(HARBOUR, ref)
    assert shapes(alignment) == expected
    assert alignment.beads[k].similarity == 0.0


def test_split_sentence_is_one_to_two() -> None:
    ref = [
        *HARBOUR[:3],
        "Construction took two years.",
        "The new quay opened to ships in the spring of 2000.",
        *HARBOUR[4:],
    ]
    expected = [((i,), (i,)) for i in range(3)] + [((3,), (3, 4))]
    expected += [((i,), (i + 1,)) for i in range(4, len(HARBOUR))]
    alignment = align(HARBOUR, ref)
    assert shapes(alignment) == expected
    assert alignment.beads[3].kind == "1-2"
    assert alignment.beads[3].similarity > 0.5


def test_merged_sentences_are_two_to_one() -> None:
    merged = (
        "Tourism grew quickly in the following decade, and by 2005 the town counted 30,000 "
        "summer visitors, three times as many as before."
    )
    ref = [*HARBOUR[:6], merged, *HARBOUR[8:]]
    expected = [((i,), (i,)) for i in range(6)] + [((6, 7), (6,))]
    expected += [((i,), (i - 1,)) for i in range(8, len(HARBOUR))]
    alignment = align(HARBOUR, ref)
    assert shapes(alignment) == expected
    assert alignment.beads[6].kind == "2-1"
    assert alignment.beads[6].similarity > 0.5


def test_paraphrase_aligns_one_to_one() -> None:
    alignment = align(HARBOUR, HARBOUR_PARAPHRASE)
    assert shapes(alignment) == one_to_one(len(HARBOUR))
    assert alignment.warnings == ()


# --- a long text that loses a whole section --------------------------------------------------

_SYLLABLES = ["bar", "kel", "mor", "tun", "vis", "dro", "lan", "pe", "sor", "ga", "rin", "holt"]
VILLAGES = [
    (_SYLLABLES[k % 12] + _SYLLABLES[(k * 5 + 3) % 12] + _SYLLABLES[(k // 12 + 7) % 12]).title()
    for k in range(60)
]
assert len(set(VILLAGES)) == 60
SEED_TEMPLATES = [
    "The village of {v} built a stone bridge over the river in {y}.",
    "In {v}, {n} families still grow apples on the terraces above the lake.",
    "A market is held in {v} every Thursday, and traders come from {n} kilometres away.",
    "The school of {v} was closed in {y} when only {n} pupils remained.",
    "Pilgrims stop in {v} to see a chapel painted by an unknown artist around {y}.",
    "The mill of {v} produced {n} tonnes of flour a year before the railway arrived in {y}.",
]
REF_TEMPLATES = [
    "In {y} the people of {v} put up a stone bridge across the river.",
    "{n} families in {v} continue to cultivate apples on the terraces over the lake.",
    "Every Thursday {v} holds a market, with traders travelling {n} kilometres to reach it.",
    "When just {n} pupils were left in {y}, the {v} school shut its doors.",
    "A chapel decorated around {y} by an unknown painter draws pilgrims to {v}.",
    "Until the railway reached it in {y}, the {v} mill made {n} tonnes of flour each year.",
]


def village_text(templates: list[str]) -> list[str]:
    return [
        templates[k % 6].format(v=VILLAGES[k], y=1700 + 3 * k, n=101 + 7 * k) for k in range(60)
    ]


def test_dropped_section_of_ten_sentences() -> None:
    seed = village_text(SEED_TEMPLATES)
    ref = village_text(REF_TEMPLATES)
    del ref[25:35]
    expected = [((i,), (i if i < 25 else i - 10,)) for i in range(60) if not 25 <= i < 35]
    expected[25:25] = [((i,), ()) for i in range(25, 35)]
    alignment = align(seed, ref)
    assert shapes(alignment) == expected
    # Ten sentences in one stretch are more than a few percent of the text: said, by line.
    assert alignment.warnings == (
        "10 seed sentences (17%, 26-35) are left unmatched in one stretch: a passage that one "
        "text lacks, or texts in a different order; check these lines",
    )


@pytest.mark.parametrize("rounds", [4, 0], ids=["widening", "fallback-to-plain-band"])
def test_misleading_anchor_is_no_worse_than_no_anchors(
    monkeypatch: pytest.MonkeyPatch, rounds: int
) -> None:
    """Issue 13: an anchor from the wrong copy of a repeated text must not derail the result,
    whether widening the band repairs it or (no widening) the plain band is solved instead."""
    monkeypatch.setattr("toolkit.align._WIDEN_ROUNDS", rounds)
    seed = village_text(SEED_TEMPLATES) * 2
    ref = village_text(REF_TEMPLATES) * 2
    plain = align(seed, ref, use_anchors=False)
    assert shapes(plain) == one_to_one(120)
    # Seed sentence 70 (second copy) "anchored" to reference sentence 10 (first copy).
    monkeypatch.setattr("toolkit.align.find_anchors", lambda model: [(70, 10)])
    alignment = align(seed, ref)
    assert shapes(alignment) == shapes(plain)
    assert alignment.warnings == ()


# --- unrelated and empty inputs --------------------------------------------------------------

# Regression: a 1-1 bead beat two unmatched sentences whenever similarity > 0.12, which chance
# pairs of unrelated English sentences reach, so the "unrelated" warning never fired.


def test_unrelated_english_texts_warn(unrelated_texts: dict[str, str]) -> None:
    seed = unrelated_texts["cooking"].splitlines()
    ref = unrelated_texts["astronomy"].splitlines()
    alignment = align(seed, ref)
    assert len(alignment.warnings) == 1
    assert "unrelated" in alignment.warnings[0]


def test_unrelated_sentences_are_not_matched_below_threshold(
    unrelated_texts: dict[str, str],
) -> None:
    """AlignSettings documents threshold as what a 1-1 match must exceed to beat two skips."""
    alignment = align(
        unrelated_texts["cooking"].splitlines(), unrelated_texts["astronomy"].splitlines()
    )
    low = [
        b
        for b in alignment.beads
        if b.kind == "1-1" and b.similarity <= alignment.settings.threshold
    ]
    assert low == []


def test_unrelated_english_texts_do_not_crash(unrelated_texts: dict[str, str]) -> None:
    seed = unrelated_texts["cooking"].splitlines()
    ref = unrelated_texts["astronomy"].splitlines()
    check_invariants(align(seed, ref), 20, 20)


def test_text_in_another_language_warns(unrelated_texts: dict[str, str]) -> None:
    seed = unrelated_texts["cooking"].splitlines()
    alignment = align(seed, unrelated_texts["park_ru"].splitlines())
    check_invariants(alignment, 20, 10)
    assert len(alignment.warnings) == 1
    assert "unrelated" in alignment.warnings[0]
    assert "0%" in alignment.warnings[0] and "20 seed sentences" in alignment.warnings[0]
    assert alignment.matched_share < alignment.settings.unrelated_below


def test_related_texts_do_not_warn() -> None:
    assert align(HARBOUR, HARBOUR_PARAPHRASE[:-1]).warnings == ()


@pytest.mark.parametrize(
    ("seed", "ref"), [([], HARBOUR[:3]), (HARBOUR[:3], []), ([], [])], ids=["seed", "ref", "both"]
)
def test_empty_side_leaves_everything_unmatched(seed: list[str], ref: list[str]) -> None:
    alignment = align(seed, ref)
    check_invariants(alignment, len(seed), len(ref))
    assert all(not (b.seed and b.ref) for b in alignment.beads)
    assert len(alignment.beads) == len(seed) + len(ref)
    assert alignment.matched_share == 0.0


# --- value objects ---------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [-0.01, 1.0, 1.5])
def test_settings_reject_threshold_out_of_range(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        AlignSettings(threshold=threshold)


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.99])
def test_settings_accept_threshold_in_range(threshold: float) -> None:
    assert f"thr:{threshold}" in AlignSettings(threshold=threshold).signature


def test_settings_signature() -> None:
    signature = AlignSettings().signature
    assert "aligner:banded-dp" in signature
    assert declared_kinds(signature) >= {"1-1", "1-2", "2-1", "1-0", "0-1"}


def test_settings_are_used_by_align() -> None:
    custom = AlignSettings(threshold=0.3)
    assert align(HARBOUR[:2], HARBOUR[:2], settings=custom).settings is custom


def test_bead_needs_a_sentence() -> None:
    with pytest.raises(ValueError, match="at least one sentence"):
        Bead((), (), 0.0)


@pytest.mark.parametrize("similarity", [1.5, -0.1])
def test_bead_similarity_out_of_range(similarity: float) -> None:
    with pytest.raises(ValueError, match="similarity"):
        Bead((0,), (0,), similarity)


@pytest.mark.parametrize(
    ("seed", "ref", "kind"),
    [((3, 4), (2,), "2-1"), ((0,), (0, 1, 2), "1-3"), ((5,), (), "1-0"), ((), (7,), "0-1")],
)
def test_bead_kind(seed: tuple[int, ...], ref: tuple[int, ...], kind: str) -> None:
    assert Bead(seed, ref, 0.0).kind == kind
