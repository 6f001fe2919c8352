"""The C core's stable radix sort (sort.c, through keyrand._order) against
NumPy's stable argsort: every row length around the insertion-sort cutoff
and the byte boundaries, duplicate-heavy keys, keys sharing digits (the
skipped passes), many rows, and an order carried in from a previous sort."""

import numpy as np
import pytest

from keyrand._order import stable_order

RNG = np.random.default_rng(20261204)


def _want(keys, order=None):
    idx = np.argsort(keys, axis=-1, kind="stable")
    return idx if order is None else np.take_along_axis(order, idx, axis=-1)


def _key_sets(n):
    yield RNG.integers(0, 2**32, n, dtype=np.uint32)                   # all four passes
    yield RNG.integers(0, 4, n, dtype=np.uint32)                       # ties everywhere
    yield (RNG.integers(0, 2**32, n, dtype=np.uint32) & 0xFF00FF00) | 0x00110022
    yield np.full(n, 0xDEADBEEF, np.uint32)                            # every pass skipped
    yield np.arange(n, dtype=np.uint32)[::-1].copy()                   # reversed
    yield RNG.integers(0, 2**32, n, dtype=np.uint32) | 0xFFFFFF00      # one live byte


@pytest.mark.parametrize("n", [0, 1, 2, 3, 31, 47, 48, 49, 64, 255, 256, 257, 1000, 65537])
def test_stable_order_equals_a_stable_argsort(n):
    for keys in _key_sets(n):
        got = stable_order(keys.copy())
        assert got.dtype == np.uint32 and got.shape == (n,)
        np.testing.assert_array_equal(got, _want(keys))


@pytest.mark.parametrize("shape", [(3, 4, 50), (7, 1), (5, 0), (2, 3000)])
def test_rows_sort_independently_and_carry_an_order(shape):
    keys = RNG.integers(0, 64, shape, dtype=np.uint32)
    carried = np.argsort(RNG.random(shape), axis=-1).astype(np.uint32)
    np.testing.assert_array_equal(stable_order(keys.copy()), _want(keys))
    np.testing.assert_array_equal(stable_order(keys.copy(), carried.copy()),
                                  _want(keys, carried))


def test_a_non_contiguous_view_is_sorted_by_its_values():
    base = RNG.integers(0, 2**32, (40, 60), dtype=np.uint32)
    view = base.T[::2]
    np.testing.assert_array_equal(stable_order(view), _want(view))
