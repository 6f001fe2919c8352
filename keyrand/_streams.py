"""From validated arguments to filled NumPy arrays: allocation, batching over
keys and the choice of stream layout. Shared by the MLX-style top level and
the keyrand.jax namespace."""
from __future__ import annotations

import contextvars
import threading

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


# The halves layout (MLX, JAX legacy) holds at most this many 32-bit words per key.
MAX_WORDS = _core.HALVES_MAX_WORDS


# Inside keyrand.block(): (whole shape, start, count, [used]) of the box the
# sampler's draws of shape `count` stand for. _open counts the blocks open
# in any thread, so draws outside blocks skip boxed() (a small-call cost).
_BOX = contextvars.ContextVar("keyrand_box", default=None)
_open = 0
_open_lock = threading.Lock()


def run_boxed(whole: tuple[int, ...], start: tuple[int, ...], count: tuple[int, ...],
              fn, *args) -> tuple:
    """(fn(*args), whether it drew the box): fn's draws of shape `count` are
    the box at `start` of the whole sample. It runs in a copy of the caller's
    context, so nothing it sets (the box, modes) outlives it, even when an
    interrupt arrives at the worst moment."""
    return contextvars.copy_context().run(_boxed_call, (whole, start, count), fn, args)


def _boxed_call(box: tuple, fn, args: tuple) -> tuple:
    global _open
    used: list = []
    _BOX.set(box + (used,))
    with _open_lock:
        _open += 1
    # An interrupt before the try leaves _open too high: boxed() is then
    # consulted needlessly, never skipped inside a block.
    try:
        return fn(*args), bool(used)
    finally:
        with _open_lock:
            _open -= 1


def in_block() -> bool:
    """Whether a keyrand.block() box is set in this context (samplers without
    a boxed form take their composed, box-aware path there)."""
    return bool(_open) and _BOX.get() is not None


def boxed(shape: tuple[int, ...]) -> tuple[tuple[int, ...], tuple | None]:
    """(shape, box) for the binding: inside keyrand.block(), a draw of the
    block's shape is that box of the whole sample's stream; else no box."""
    active = _BOX.get()
    if active is None or shape != active[2]:
        return shape, None
    whole, start, count, used = active
    used.append(True)
    if whole == count:
        return shape, None
    return whole, (start, count)


def fill(layout: int, keys: np.ndarray, shape: tuple[int, ...], dtype, total: int,
         start: int = 0, out: np.ndarray | None = None) -> np.ndarray:
    """An array of shape keys.shape[:-1] + shape (new, or `out`) holding, for
    every key, elements [start, start + prod(shape)) of its stream of `total`
    elements (inside keyrand.block(), the block's box of the whole stream)."""
    full, box = boxed(shape) if _open else (shape, None)
    return _core.stream(layout, keys, full, np.dtype(dtype), total, start, out, box)


def draw(dist: int, ktype: int, dtype, keys: np.ndarray, shape: tuple[int, ...], p=0.0,
         q=0.0, flags=0, lo=0, hi=0, out=None) -> np.ndarray:
    """One value per 32-bit word of each key's MLX stream of prod(shape) words:
    sampler `dist` with parameters p, q (lo, hi) as sample.h describes, into
    `out` if given (inside keyrand.block(), the block's box)."""
    full, box = boxed(shape) if _open else (shape, None)
    return _core.draw(dist, ktype, p, q, flags, lo, hi, keys, full, dtype, out, box)


def draw_f64(dist: int, keys: np.ndarray, shape: tuple[int, ...], p=0.0, q=0.0, flags=0,
             out=None, layout: int = Layout.PART_U64, r=0.0) -> np.ndarray:
    """float64 values as JAX draws them in x64 mode (sample.h: kr_sampler_f64),
    from each key's 64-bit stream in `layout` (PART_U64: partitionable, no
    length limit; HALVES_U64: legacy); inside keyrand.block(), the block's box."""
    full, box = boxed(shape) if _open else (shape, None)
    return _core.draw_f64(dist, p, q, flags, keys, full, out, box, layout, r)


def draw_jax_f32(dist: int, p: float, q: float, layout: int, keys: np.ndarray,
                 shape: tuple[int, ...], out=None, r: float = 0.0) -> np.ndarray:
    """JAX float32 sampler `dist` (sample_jax.h; a third parameter r for
    TRIANGULAR), boxed in block()."""
    full, box = boxed(shape) if _open else (shape, None)
    return _core.draw_jax_f32(dist, p, q, layout, keys, full, out, box, r)


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
    if words > MAX_WORDS:
        raise ValueError(f"{what.format(*args)} needs {words} 32-bit words per key; the "
                         f"MLX / JAX legacy stream layout supports at most {MAX_WORDS}")
