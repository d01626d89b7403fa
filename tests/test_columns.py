"""The column helpers that group and de-duplicate a national form's lines, against plain Python."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sr_cost.core.columns import factorize, first_equal, joint_keys

# codes as the validators make them: -1 for a blank, small vocabulary codes, or sparse large ones
CODES = st.one_of(st.integers(-1, 5), st.integers(-1, 70_000))


def reference_keys(tables: list[list[tuple[int, ...]]]):
    """Keys numbered in order of first appearance, table by table, and where each first appears."""
    index: dict[tuple[int, ...], int] = {}
    where: list[tuple[int, int]] = []
    keys = []
    for t, rows in enumerate(tables):
        out = []
        for r, row in enumerate(rows):
            if row not in index:
                index[row] = len(index)
                where.append((t, r))
            out.append(index[row])
        keys.append(out)
    return keys, len(index), where


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(st.tuples(*[CODES] * width), min_size=1, max_size=40), min_size=1, max_size=3)
    )
)
def test_joint_keys_number_tuples_in_order_of_first_appearance(tables):
    width = len(tables[0][0])
    parts = [[np.array([row[j] for row in rows], dtype=np.int64) for j in range(width)] for rows in tables]
    keys, n, table_of, row_of = joint_keys(parts)
    want_keys, want_n, want_where = reference_keys(tables)
    assert [k.tolist() for k in keys] == want_keys
    assert n == want_n
    assert list(zip(table_of.tolist(), row_of.tolist())) == want_where


@given(st.lists(st.integers(0, 300), max_size=60), st.booleans())
def test_factorize_with_and_without_a_bound_agree(keys, bounded):
    a = np.array(keys, dtype=np.int64)
    codes, n, first = factorize(a, 301 if bounded else None)
    (want,), want_n, want_where = reference_keys([[(k,) for k in keys]])
    assert codes.tolist() == want and n == want_n
    assert first.tolist() == [r for _, r in want_where]


@given(st.lists(st.tuples(st.integers(-1, 3), st.integers(0, 2), st.integers(-1, 10**6)), max_size=60))
def test_first_equal_points_each_row_at_the_first_identical_row(rows):
    columns = [np.array([row[j] for row in rows], dtype=np.int64) for j in range(3)]
    first: dict[tuple[int, ...], int] = {}
    want = [first.setdefault(row, i) for i, row in enumerate(rows)]
    assert first_equal(columns).tolist() == want


@given(
    st.lists(st.one_of(st.none(), st.text(alphabet=" \t\u00a0x1", max_size=3), st.integers()), min_size=1, max_size=20)
)
def test_blank_is_nonblanks_opposite(values):
    from sr_cost.inputs.tables import CellColumn as Column
    from sr_cost.inputs.tables import nonblank

    uniques = list(dict.fromkeys(values))
    codes = np.array([uniques.index(v) for v in values], dtype=np.int64)
    assert Column(codes, uniques).blank().tolist() == [not nonblank(v) for v in values]
