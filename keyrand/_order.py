"""Stable orders of 32-bit random words: what JAX's shuffle (lax.sort_key_val)
and MLX's permutation (a stable argsort) do, by the C core's radix sort."""

from __future__ import annotations

import numpy as np

from . import _core

_U32 = np.dtype(np.uint32)


def stable_order(sort_keys: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """``order`` (default: 0, 1, ... along the last axis) rearranged along
    its last axis as a stable sort rearranges ``sort_keys`` (uint32, same
    shape, overwritten) along its last axis. Rows of 2**32 or more words
    fall back to NumPy."""
    n = sort_keys.shape[-1]
    if n >= 2**32:
        idx = np.argsort(sort_keys, axis=-1, kind="stable")
        return idx if order is None else np.take_along_axis(order, idx, axis=-1)
    if order is None:
        order = np.empty(sort_keys.shape, _U32)
        order[...] = np.arange(n, dtype=_U32)
    rows = (-1, n) if n else (0, 0)
    _core.sort_pairs_u32(np.ascontiguousarray(sort_keys, _U32).reshape(rows),
                         order.reshape(rows), np.empty(n, _U32), np.empty(n, _U32))
    return order
