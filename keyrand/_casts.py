"""MLX's float -> integer ``astype`` as it runs on x86-64.

C++ leaves a float -> int conversion out of range undefined; MLX's CPU build
compiles it to ``cvttss2si`` / ``cvttsd2si``, which truncate toward zero and
give the "integer indefinite" (the lowest value of the conversion's width) for
NaN and for values beyond it. Types narrower than 32 bits convert through a
32-bit int and wrap; the unsigned 32- and 64-bit types take the two-step
sequence (values from 2**(bits - 1) up are converted less that and get the
top bit back), which sends NaN to 2**(bits - 1). keyrand spells that out
instead of relying on NumPy's own (equally undefined) casts, so randint's
out-of-range bounds give MLX's x86 numbers on every host. (For uint32, MLX's
scalar tail converts through a 64-bit int instead, so MLX's own value of a
float beyond the type depends on its position; this is its vector loop's.)
"""

from __future__ import annotations

import numpy as np


def _truncate(t: np.ndarray, low: float) -> np.ndarray:
    """int64 of trunc'ed values in [low, -low); the indefinite low elsewhere (NaN too)."""
    inside = (t >= low) & (t < -low)
    return np.where(inside, t, low).astype(np.int64)


def float_to_int(x: np.ndarray, dt: np.dtype) -> np.ndarray:
    """``x`` (any float dtype) cast to the integer or bool dtype ``dt`` as MLX's
    ``astype`` does on x86-64."""
    dt = np.dtype(dt)
    if dt == np.bool_:
        return np.asarray(x != 0)  # NaN is True
    t = np.trunc(np.asarray(x, np.float64))
    if dt.itemsize < 4 or dt == np.int32:
        return _truncate(t, -2.0**31).astype(dt)  # int64 -> dt wraps, as the low bits
    if dt == np.int64:
        return _truncate(t, -2.0**63)
    # uint32 / uint64: x >= 2**(bits - 1) (NaN is not) converts x - 2**(bits - 1)
    # and sets the top bit back; anything else converts signed.
    top = 2.0 ** (8 * dt.itemsize - 1)
    small = _truncate(t, -top).astype(dt)
    large = _truncate(t - top, -top).astype(dt) ^ dt.type(top)
    return np.where(t >= top, large, small)


def to_int(x: np.ndarray, dt: np.dtype) -> np.ndarray:
    """MLX's ``astype(x, dt)`` for an integer or bool ``dt``: floats as
    float_to_int, integers modulo 2**bits (bool: nonzero)."""
    if x.dtype.kind in "biu":
        return np.asarray(x != 0) if np.dtype(dt) == np.bool_ else x.astype(dt)
    return float_to_int(x, dt)
