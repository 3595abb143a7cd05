"""Objects that cross to and from the check workers by the million pickle as their fields."""

from __future__ import annotations

import dataclasses
import pickle

from hypothesis import given
from hypothesis import strategies as st

from toolkit.align import Bead
from toolkit.checks import Category, Severity
from toolkit.flags import Flag

_flags = st.builds(
    Flag,
    id=st.text(max_size=12),
    category=st.sampled_from(list(Category)),
    severity=st.sampled_from(list(Severity)),
    start=st.integers(0, 500),
    end=st.integers(0, 500),
    message=st.text(max_size=40),
    references=st.lists(st.text(max_size=5), max_size=3).map(tuple),
    available=st.integers(0, 4),
    probability=st.none() | st.floats(0, 1),
)
_beads = st.builds(
    Bead,
    seed=st.lists(st.integers(0, 10**6), min_size=1, max_size=3).map(tuple),
    ref=st.lists(st.integers(0, 10**6), max_size=3).map(tuple),
    similarity=st.floats(0, 1),
)


@given(st.one_of(_flags, _beads))
def test_a_pickled_flag_or_bead_comes_back_equal_with_every_field(value: Flag | Bead) -> None:
    copy = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == value and type(copy) is type(value)
    # Every field travels (a field added to the class and not to __reduce__ fails here).
    fields = tuple(getattr(value, f.name) for f in dataclasses.fields(value))
    assert value.__reduce__()[1] == fields
