"""The source aligner's later passes: the lexicon learned on the document, punctuation cues."""
# ruff: noqa: RUF001  (Chinese full-width marks: they are meant)

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit.source.align as source_align
from toolkit.source.align import align_source, align_source_paragraphs
from toolkit.source.cues import cues
from toolkit.source.lexicon import learn_lexicon, tokens
from toolkit.source.marks import CLASSES, MarkModel, first_pass, learn_marks, marks

# Twenty nouns of four letters: every sentence below is as long as every other, so lengths
# cannot tell where a sentence is missing.
WORDS = [
    "bird",
    "fish",
    "tree",
    "rock",
    "milk",
    "road",
    "lamp",
    "door",
    "wall",
    "coat",
    "boat",
    "cake",
    "frog",
    "goat",
    "hill",
    "lake",
    "moon",
    "rose",
    "ship",
    "wolf",
]


def _foreign(word: str) -> str:
    return word[1:] + word[0] + "ay"


def _document(size: int) -> tuple[list[str], list[str]]:
    seed, source = [], []
    for k in range(size):
        words = [WORDS[(k * 3) % 20], WORDS[(k * 7 + 1) % 20], WORDS[(k * 11 + 2) % 20]]
        seed.append("The " + " and the ".join(words) + ".")
        source.append("Le " + " et le ".join(_foreign(w) for w in words) + ".")
    return seed, source


def test_tokens_are_words_and_han_bigrams() -> None:
    assert tokens("我们站在地球上 Hello, world! 上 COVID-19") == {
        "我们", "们站", "站在", "在地", "地球", "球上", "上", "hello", "world", "covid", "19",
    }  # fmt: skip


def test_the_lexicon_keeps_words_that_recur_together() -> None:
    pairs = [
        (tokens("the universe is old"), tokens("宇宙很古老")),
        (tokens("the universe is big"), tokens("宇宙真大")),
        (tokens("stars shine"), tokens("星星闪耀")),
        (tokens("stars are far"), tokens("星星很远")),
        (tokens("pollen flies"), tokens("花粉飞")),
        (tokens("bees and birds"), tokens("蜜蜂和鸟")),
        (tokens("a river"), tokens("一条河")),
        (tokens("some rain"), tokens("一些雨")),
        (tokens("on a hill"), tokens("在山上")),
        (tokens("in a lake"), tokens("在湖里")),
    ]
    lexicon = learn_lexicon(pairs)
    assert lexicon.links["unive"] == {"宇宙"}  # words stand for their first five letters
    assert lexicon.links["stars"] == {"星星"}
    assert "polle" not in lexicon.links  # once is not enough
    assert lexicon.back(frozenset({"星星"})) == {"stars"}
    assert tokens("Orchids, orchid!") == {"orchi"}


def test_the_lexicon_finds_a_dropped_sentence_that_lengths_cannot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed, source = _document(40)
    del source[17]
    gold = [((i,), (i,)) for i in range(17)] + [((17,), ())]
    gold += [((i,), (i - 1,)) for i in range(18, 40)]
    assert align_source(seed, source) == gold
    monkeypatch.setattr(source_align, "_PASSES", 1)  # lengths and cues only
    assert align_source(seed, source) != gold


def test_question_marks_pair_questions() -> None:
    assert marks("Really? Yes!") == (1, 1, 0, 0, 0, 0, 0, 0, 0)
    assert marks("真的吗？（笑声）") == (1, 0, 0, 1, 0, 0, 0, 0, 0)
    assert marks("一、二，三：") == (0, 0, 0, 0, 0, 1, 2, 0, 0)
    assert marks("No marks") is None
    # full stops that end sentences, not decimals nor an ellipsis
    assert marks("It is 3.5 m. Wait... ok.")[-1] == 2  # type: ignore[index]
    assert marks("他来了。她走了。")[-1] == 2  # type: ignore[index]
    cost = first_pass().cost
    assert cost(marks("Why?"), marks("为什么？")) == -400.0
    assert cost(marks("Why?"), None) == 400.0
    # the first pass does not read commas: languages use them too differently
    assert cost(marks("a, b"), marks("甲乙")) == 0.0


def test_learned_marks_reward_kept_commas() -> None:
    # aligned pairs keep their commas; shifted pairs have them at random
    aligned = [(marks("a, b"), marks("甲，乙")), (marks("a"), marks("甲"))] * 10
    shifted = [(marks("a, b"), marks("甲")), (marks("a"), marks("甲，乙"))] * 10
    model = learn_marks(aligned, shifted)
    assert model.cost(marks("x, y"), marks("丙，丁")) < -200
    assert model.cost(marks("x, y"), marks("丙丁")) > 200
    assert model.cost(marks("x"), marks("丙")) < -200
    # a class nobody uses costs nothing either way
    assert model.costs[0] == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert len(model.costs) == len(CLASSES)


def test_mark_model_needs_every_class() -> None:
    with pytest.raises(ValueError, match="classes"):
        MarkModel(((0.0,) * 5,))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 39), min_size=25, max_size=45),
    st.lists(st.integers(0, 39), min_size=25, max_size=45),
    st.integers(1, 4),
)
def test_later_passes_keep_every_sentence_once_in_order(
    left: list[int], right: list[int], paragraphs: int
) -> None:
    seed_all, source_all = _document(40)
    seed = [seed_all[k] for k in left]
    source = [source_all[k] for k in right]
    beads = align_source(seed, source)
    assert [i for b in beads for i in b[0]] == list(range(len(seed)))
    assert [j for b in beads for j in b[1]] == list(range(len(source)))
    cut_a, cut_b = len(seed) // paragraphs, len(source) // paragraphs
    split_seed = [seed[k * cut_a : (k + 1) * cut_a] for k in range(paragraphs - 1)]
    split_seed.append(seed[(paragraphs - 1) * cut_a :])
    split_source = [source[k * cut_b : (k + 1) * cut_b] for k in range(paragraphs - 1)]
    split_source.append(source[(paragraphs - 1) * cut_b :])
    beads = align_source_paragraphs(split_seed, split_source)
    assert [i for b in beads for i in b[0]] == list(range(len(seed)))
    assert [j for b in beads for j in b[1]] == list(range(len(source)))
    assert {(len(a), len(b)) for a, b in beads} <= BEAD_SHAPES


# As Moore (2002): no 2-2 beads, which absorbed a drop next to a merge more cheaply than the two.
BEAD_SHAPES = {(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2, 3, 4]), min_size=5, max_size=40))
def test_beads_are_one_two_or_none_never_two_to_two(kinds: list[int]) -> None:
    # kinds: 0 kept, 1 merged on the seed side, 2 on the source side, 3 and 4 dropped
    seed_all, source_all = _document(2 * len(kinds))
    seed: list[str] = []
    source: list[str] = []
    for k, kind in enumerate(kinds):
        a, b = seed_all[2 * k : 2 * k + 2], source_all[2 * k : 2 * k + 2]
        if kind == 1:
            seed.append(" ".join(a))
            source.extend(b)
        elif kind == 2:
            seed.extend(a)
            source.append(" ".join(b))
        elif kind == 3:
            seed.append(a[0])
        elif kind == 4:
            source.append(b[0])
        else:
            seed.append(a[0])
            source.append(b[0])
    beads = align_source(seed, source)
    assert [i for b in beads for i in b[0]] == list(range(len(seed)))
    assert [j for b in beads for j in b[1]] == list(range(len(source)))
    assert {(len(a), len(b)) for a, b in beads} <= BEAD_SHAPES


def test_numbers_are_cues_by_value_when_the_languages_are_known() -> None:
    assert cues("at least 20000 species") == frozenset({"#20000"})
    assert "#20000" not in cues("至少有两万种兰花")  # digits only without the language
    assert cues("至少有两万种兰花", "zh") == frozenset({"#20000"})
    assert cues("at least 20,000 species", "en") == frozenset({"#20000"})
    assert cues("twenty thousand species", "en") == frozenset({"#20000"})
    # "one" and "一" stand for "a" too often to count; names stay
    assert cues("one orchid from LIGO", "en") == frozenset({"ligo"})
    assert cues("一朵兰花", "zh") == frozenset()


def _counted_birds() -> tuple[list[str], list[str]]:
    """Sixteen English sentences and their Chinese sources, alike but for a number in words
    (twelve .. ninety)."""
    english = ["twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"]
    english += ["eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty"]
    english += ["seventy", "eighty", "ninety"]
    chinese = ["十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", "三十"]
    chinese += ["四十", "五十", "六十", "七十", "八十", "九十"]
    return [f"we saw {n} birds" for n in english], [f"我们看到{n}只鸟" for n in chinese]


def test_numbers_in_words_find_a_dropped_sentence_when_the_languages_are_given() -> None:
    seed, source = _counted_birds()
    del source[7]  # lengths alike: only the numbers tell where
    gold = [((i,), (i,)) for i in range(7)] + [((7,), ())]
    gold += [((i,), (i - 1,)) for i in range(8, 16)]
    assert align_source(seed, source, seed_language="en", source_language="zh") == gold
    assert align_source(seed, source) != gold  # digits only: the words are not read


def test_a_number_on_one_side_only_tells_a_drop_from_a_merge(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed, source = _counted_birds()
    source.insert(8, "其中7只是白的")  # "7 of them were white": in the source only
    gold = [((i,), (i,)) for i in range(8)] + [((), (8,))]
    gold += [((i,), (i + 1,)) for i in range(8, 16)]
    assert align_source(seed, source, seed_language="en", source_language="zh") == gold
    monkeypatch.setattr(source_align, "_UNSHARED", 0.0)  # the 7 merged into the bead before
    beads = align_source(seed, source, seed_language="en", source_language="zh")
    assert ((7,), (7, 8)) in beads
