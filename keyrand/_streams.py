"""From validated arguments to filled NumPy arrays: allocation, batching over
keys and the choice of stream layout. Shared by the MLX-style top level and
the keyrand.jax namespace."""
from __future__ import annotations

import numpy as np

from . import _core


class Layout:
    """The stream layouts of keyrand.h as plain ints (an IntEnum argument
    costs a Python-level conversion on every call into the binding)."""
    HALVES_WORDS = int(_core.Layout.HALVES_WORDS)
    HALVES_BYTES = int(_core.Layout.HALVES_BYTES)
    HALVES_U64 = int(_core.Layout.HALVES_U64)
    PART_U8 = int(_core.Layout.PART_U8)
    PART_U16 = int(_core.Layout.PART_U16)
    PART_U32 = int(_core.Layout.PART_U32)
    PART_U64 = int(_core.Layout.PART_U64)
    PART_KEYS = int(_core.Layout.PART_KEYS)


_MAX_WORDS = _core.HALVES_MAX_WORDS


def fill(layout: int, keys: np.ndarray, shape: tuple[int, ...], dtype, total: int,
         start: int = 0, out: np.ndarray | None = None) -> np.ndarray:
    """An array of shape keys.shape[:-1] + shape (new, or `out`) holding, for
    every key, elements [start, start + prod(shape)) of its stream of `total`
    elements."""
    return _core.stream(layout, keys, shape, np.dtype(dtype), total, start, out)


def deliver(result: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """result, or result copied into `out` (which must match it exactly)."""
    if out is None:
        return result
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a NumPy array; got {type(out).__name__}")
    if out.shape != result.shape or out.dtype != result.dtype:
        raise ValueError(f"out must have shape {result.shape} and dtype {result.dtype}; "
                         f"got {out.shape}, {out.dtype}")
    np.copyto(out, result)
    return out


def check_halves_size(words: int, what: str, *args) -> None:
    """The halves layout (MLX, JAX legacy) counts blocks in 32 bits.
    `what` is formatted with args only when the check fails."""
    if words > _MAX_WORDS:
        raise ValueError(f"{what.format(*args)} needs {words} 32-bit words per key; the "
                         f"MLX / JAX legacy stream layout supports at most {_MAX_WORDS}")
