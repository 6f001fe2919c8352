"""From validated arguments to filled NumPy arrays: allocation, batching over
keys and the choice of stream layout. Shared by the MLX-style top level and
the keyrand.jax namespace."""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import Layout

_MAX_WORDS = _core.HALVES_MAX_WORDS


def fill(layout: int, keys: np.ndarray, shape: tuple[int, ...], dtype, total: int,
         start: int = 0) -> np.ndarray:
    """A new array of shape keys.shape[:-1] + shape holding, for every key,
    elements [start, start + prod(shape)) of its stream of `total` elements."""
    return _core.stream(layout, keys, shape, np.dtype(dtype), total, start)


def check_halves_size(words: int, what: str, *args) -> None:
    """The halves layout (MLX, JAX legacy) counts blocks in 32 bits.
    `what` is formatted with args only when the check fails."""
    if words > _MAX_WORDS:
        raise ValueError(f"{what.format(*args)} needs {words} 32-bit words per key; the "
                         f"MLX / JAX legacy stream layout supports at most {_MAX_WORDS}")


def halves_words(keys: np.ndarray, count: int) -> np.ndarray:
    """words(key, count) for each key: shape (..., count) uint32."""
    check_halves_size(count, "this request")
    return fill(Layout.HALVES_WORDS, keys, (count,), np.uint32, count)


def fill_into(out: np.ndarray, key: np.ndarray) -> None:
    """Overwrite a C-contiguous uint32 array with MLX bits(out.shape, key=key)."""
    _core.fill(Layout.HALVES_WORDS, key.reshape(1, 2), out.size, 0,
               out.reshape(1, -1).view(np.uint8))
