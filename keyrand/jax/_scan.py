"""lax.cumsum and jnp.searchsorted as JAX computes them on the CPU, for the
samplers that scan probabilities (choice, multinomial). XLA scans in blocks of 16 from the start
of the axis: inside a block each output is a left-to-right sum from 0, and the
blocks are then raised by the scanned totals of the blocks before them (after
them, reversed). Every addition is rounded to the array's own type, half
types included; the C samplers (sample_choice.c, sample_multinomial.c) do
the same for float32 and float64. Half-type cumsums can therefore decrease, and
searchsorted must be JAX's own binary search to give its indices."""
from __future__ import annotations

import numpy as np

_BLOCK = 16


def xla_cumsum(x: np.ndarray, reverse: bool = False) -> np.ndarray:
    """lax.cumsum(x, axis=0, reverse=reverse) with XLA:CPU's rounding.

    Example:
        >>> xla_cumsum(np.ones(20, np.float16))[-1]
        np.float16(20.0)
    """
    n = x.shape[0]
    dt = x.dtype
    nb = -(-n // _BLOCK)
    # Zeros pad the last block: adding +0 to a sum that starts at +0 changes nothing.
    padded = np.zeros((nb * _BLOCK,) + x.shape[1:], dt)
    padded[:n] = x
    blocks = padded.reshape((nb, _BLOCK) + x.shape[1:])
    out = np.zeros_like(blocks)
    if reverse:  # row i sums x[i], x[i + 1], ... of its block
        for j in range(_BLOCK):
            out[:, :j + 1] = _add(out[:, :j + 1], blocks[:, j:j + 1], dt)
    else:
        acc = np.zeros_like(blocks[:, 0])
        for j in range(_BLOCK):
            out[:, j] = acc = _add(acc, blocks[:, j], dt)
    if nb > 1:
        if reverse:
            # the totals are scanned whole: their blocks start at block 0 too
            later = xla_cumsum(out[:, 0], reverse=True)[1:]
            out[:-1] = _add(out[:-1], later[:, None], dt)
        else:
            earlier = xla_cumsum(out[:, _BLOCK - 1])[:-1]
            out[1:] = _add(out[1:], earlier[:, None], dt)
    return out.reshape(padded.shape)[:n]


def xla_searchsorted(cum: np.ndarray, q: np.ndarray) -> np.ndarray:
    """jnp.searchsorted(cum, q) (side 'left', method 'scan') as int64: a fixed
    number of halvings of [0, len(cum)), NaN ordered above +inf, so that an
    unsorted `cum` gives JAX's indices.

    Example:
        >>> xla_searchsorted(np.array([1.0, 2.0, 3.0]), np.array([2.0, 9.0]))
        array([1, 3])
    """
    n = cum.shape[0]
    low = np.zeros(q.shape, np.int64)
    high = np.full(q.shape, n, np.int64)
    for _ in range(n.bit_length()):  # = ceil(log2(n + 1)) levels
        mid = low + (high - low) // 2
        at = cum[mid]
        left = (q <= at) | np.isnan(at)
        low = np.where(left, low, mid)
        high = np.where(left, mid, high)
    return high


def _add(a: np.ndarray, b: np.ndarray, dt: np.dtype) -> np.ndarray:
    if dt.itemsize >= 4:
        return a + b
    return (a.astype(np.float32) + b.astype(np.float32)).astype(dt, copy=False)
