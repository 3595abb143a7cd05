"""Issue 13, speed: the similarity model's shortcuts for repeated sentences (shared features,
remembered row similarities and spans) must give exactly what computing afresh gives."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.similarity import SimilarityModel

_VOCABULARY = (
    "Thank you . the harbour of Port Elsworth was rebuilt in 1998 by the council and a new "
    "bridge crossed the river Applause it's 3,5 metres wide"
)
VOCABULARY = _VOCABULARY.split()


def sentences(rng: random.Random, n: int, pool: int) -> list[str]:
    """``n`` sentences drawn from ``pool`` distinct ones, so many occur several times."""
    distinct = [" ".join(rng.choices(VOCABULARY, k=rng.randint(1, 9))) for _ in range(pool)]
    return [rng.choice(distinct) for _ in range(n)]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 40), st.integers(1, 40), st.integers(1, 8))
def test_repeated_sentences_score_as_if_computed_afresh(
    text_seed: int, n: int, m: int, pool: int
) -> None:
    rng = random.Random(text_seed)
    seed, ref = sentences(rng, n, pool), sentences(rng, m, pool)
    model = SimilarityModel(seed, ref)
    fresh = SimilarityModel(seed, ref)  # its 1-1 similarities and containments remember nothing
    for _ in range(2):  # the second pass reads what the first one remembered
        for i in range(n):
            sims, seed_in, ref_in = model.row_similarities(i, 0, m)
            for j in range(m):
                assert (seed_in[j], ref_in[j]) == fresh.containment(i, j)
                if fresh.seed[i].wsum or fresh.ref[j].wsum:
                    assert sims[j] == fresh.similarity(i, i + 1, j, j + 1)
    for _ in range(20):
        i0 = rng.randrange(n)
        i1 = rng.randint(i0 + 1, min(n, i0 + 3))
        j0 = rng.randrange(m)
        j1 = rng.randint(j0 + 1, min(m, j0 + 3))
        expected = SimilarityModel(seed, ref).similarity(i0, i1, j0, j1)
        assert model.similarity(i0, i1, j0, j1) == expected
        model.forget_spans()
        assert model.similarity(i0, i1, j0, j1) == expected


def test_a_repeated_sentence_shares_its_features() -> None:
    model = SimilarityModel(["Thank you.", "A bridge.", "Thank you."], ["Thank you.", "Wide."])
    assert model.seed[0] is model.seed[2] is model.ref[0]
    assert model.seed[0].repeated and not model.seed[1].repeated
