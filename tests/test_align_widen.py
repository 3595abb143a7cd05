"""Issue 13: where a misleading anchor makes the path run along the band's edge, the widened
band is solved again and every sentence finds its own counterpart."""

from __future__ import annotations

import random

import pytest

from toolkit.align import align

VOCABULARY = [
    "river",
    "harbour",
    "ship",
    "captain",
    "storm",
    "island",
    "village",
    "market",
    "bread",
    "winter",
    "summer",
    "garden",
    "teacher",
    "student",
    "letter",
    "train",
    "station",
    "bridge",
    "mountain",
    "forest",
    "farmer",
    "school",
    "doctor",
    "city",
]


@pytest.mark.parametrize("offset", [4, 8])
def test_a_misleading_anchor_is_repaired(monkeypatch: pytest.MonkeyPatch, offset: int) -> None:
    rng = random.Random(7)
    seed = [
        " ".join(rng.choices(VOCABULARY, k=rng.randint(5, 12))) + f" {1000 + 7 * k}."
        for k in range(400)
    ]
    ref = [s.replace("a", "e", 1) for s in seed]
    anchors = [(i, i + offset if i == 200 else i) for i in range(0, 400, 5)]
    monkeypatch.setattr("toolkit.align.find_anchors", lambda model: anchors)
    alignment = align(seed, ref)
    assert [(b.seed, b.ref) for b in alignment.beads] == [((i,), (i,)) for i in range(400)]
