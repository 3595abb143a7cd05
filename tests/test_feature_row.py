"""The compact feature rows a report keeps per sentence behave as read-only dicts."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.verify.row import FeatureRow

_ROWS = st.dictionaries(
    st.text(min_size=1, max_size=8), st.floats(allow_nan=False), min_size=0, max_size=10
)


@given(_ROWS)
def test_a_row_equals_its_dict_in_order_and_pickles(items: dict[str, float]) -> None:
    row = FeatureRow(items)
    assert row == items and list(row) == list(items) and len(row) == len(items)
    assert all(row[k] == v and k in row for k, v in items.items())
    back = pickle.loads(pickle.dumps(row))
    assert isinstance(back, FeatureRow) and back == items


def test_rows_share_their_keys_and_are_read_only() -> None:
    a, b = FeatureRow({"x": 1.5, "y": -2.0}), FeatureRow({"x": 0.0, "y": 3.25})
    assert a._keys is b._keys
    assert a.get("z") is None and a.get("y") == -2.0
    with pytest.raises(KeyError):
        a["z"]
    with pytest.raises(AttributeError):
        a._values = b._values  # type: ignore[misc]
    with pytest.raises(TypeError):
        a["x"] = 2.0  # type: ignore[index]


@given(_ROWS)
def test_a_rows_dict_and_values_keep_every_float_exactly(items: dict[str, float]) -> None:
    row = FeatureRow(items)
    assert row.as_dict() == dict(row) == items
    assert list(row.as_dict()) == list(items)
    assert row.values_tuple() == tuple(items.values())


def test_a_pickled_list_of_rows_holds_each_key_once_and_unpickles_read_only() -> None:
    keys = [f"feature_{k}" for k in range(8)]
    rows = [FeatureRow({k: float(i + j) for j, k in enumerate(keys)}) for i in range(1000)]
    data = pickle.dumps(rows)
    # 8 floats packed in 64 bytes per row, plus a few bytes of framing: the keys once.
    assert len(data) < 1000 * 80
    assert data.count(b"feature_3") == 1
    back = pickle.loads(data)
    assert back == rows and back[0]._keys is back[999]._keys
    with pytest.raises(AttributeError):
        back[0]._values = b""  # type: ignore[misc]
