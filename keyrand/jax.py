"""The ``jax.random`` API on NumPy arrays, bit-compatible with JAX.

``from keyrand import jax as jr`` then ``jr.split(jr.PRNGKey(0))`` gives what
``jax.random.split(jax.random.PRNGKey(0))`` gives, without JAX installed.
Keys are raw uint32 arrays of shape ``(..., 2)``; JAX typed keys
(``jax.random.key``) are accepted as input too.

Both Threefry modes are supported: the partitionable one (JAX's default since
0.5.0; element ``i`` depends only on the key and ``i``) and the legacy one
(``jax_threefry_partitionable=False``), selected globally with
:func:`set_threefry_partitionable` or locally with
:func:`threefry_partitionable`. :func:`set_enable_x64` mirrors
``jax_enable_x64`` for seeds and default dtypes.

Example:
    >>> from keyrand import jax as jr
    >>> key = jr.PRNGKey(0)
    >>> key, sub = jr.split(key)
    >>> jr.bits(sub, (3,)).dtype
    dtype('uint32')
"""
from __future__ import annotations

import contextlib
import contextvars

import numpy as np

_UINT32 = np.dtype(np.uint32)

from . import _core
from ._streams import Layout
from ._prng import fold_in as _fold_in
from ._streams import check_halves_size, fill
from ._validate import as_int, as_key, as_shape, size_of

__all__ = [
    "PRNGKey",
    "bits",
    "fold_in",
    "is_threefry_partitionable",
    "key_data",
    "set_enable_x64",
    "set_threefry_partitionable",
    "split",
    "threefry_partitionable",
    "x64_enabled",
    "enable_x64",
]

class _Flag:
    """A global value plus per-context overrides, as jax.config flags behave."""

    def __init__(self, name: str, default: bool):
        self.default = default
        self.override = contextvars.ContextVar(name, default=None)

    def get(self) -> bool:
        value = self.override.get()
        return self.default if value is None else value

    def set_default(self, flag) -> None:
        self.default = _as_flag(flag)

    @contextlib.contextmanager
    def scoped(self, flag):
        token = self.override.set(_as_flag(flag))
        try:
            yield
        finally:
            self.override.reset(token)


def _as_flag(value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"flag must be a bool; got {type(value).__name__}")
    return bool(value)


_PARTITIONABLE = _Flag("keyrand_jax_threefry_partitionable", True)
_X64 = _Flag("keyrand_jax_enable_x64", False)


def set_threefry_partitionable(flag: bool) -> None:
    """Choose the Threefry mode globally, as
    ``jax.config.update("jax_threefry_partitionable", flag)``. Default True.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.set_threefry_partitionable(False)
        >>> jr.is_threefry_partitionable()
        False
        >>> jr.set_threefry_partitionable(True)
    """
    _PARTITIONABLE.set_default(flag)


def threefry_partitionable(flag: bool):
    """Use the given Threefry mode inside a ``with`` block (this thread and
    context only), like ``jax.threefry_partitionable``.

    Example:
        >>> from keyrand import jax as jr
        >>> with jr.threefry_partitionable(False):
        ...     legacy = jr.split(jr.PRNGKey(0))
    """
    return _PARTITIONABLE.scoped(flag)


def is_threefry_partitionable() -> bool:
    """Whether the partitionable Threefry mode is in force here.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.is_threefry_partitionable()
        True
    """
    return _PARTITIONABLE.get()


def set_enable_x64(flag: bool) -> None:
    """Mirror ``jax_enable_x64`` globally: with it, seeds keep 64 bits and the
    default ``bits`` dtype is uint64. Default False.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.set_enable_x64(True)
        >>> jr.PRNGKey(2**32 + 5)
        array([1, 5], dtype=uint32)
        >>> jr.set_enable_x64(False)
    """
    _X64.set_default(flag)


def enable_x64(flag: bool = True):
    """``set_enable_x64`` for the duration of a ``with`` block (this context only).

    Example:
        >>> from keyrand import jax as jr
        >>> with jr.enable_x64():
        ...     jr.bits(jr.PRNGKey(0), (2,)).dtype
        dtype('uint64')
    """
    return _X64.scoped(flag)


def x64_enabled() -> bool:
    """Whether 64-bit mode is in force here.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.x64_enabled()
        False
    """
    return _X64.get()


def PRNGKey(seed) -> np.ndarray:
    """A raw key from an integer seed, as ``jax.random.PRNGKey``.

    The seed is read as a 64-bit two's-complement integer (Python ints in
    ``[-2**63, 2**63)``, or any NumPy integer scalar); the key is
    ``[high 32 bits, low 32 bits]``. Without 64-bit mode, as in JAX's default
    configuration, the seed is first truncated to 32 bits so the high word is 0.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.PRNGKey(42)
        array([ 0, 42], dtype=uint32)
        >>> jr.PRNGKey(-1)
        array([         0, 4294967295], dtype=uint32)
    """
    if isinstance(seed, np.integer):
        bits64 = int(seed.astype(np.uint64) if seed.dtype.kind == "u"
                     else seed.astype(np.int64)) & 0xFFFFFFFFFFFFFFFF
    else:
        s = as_int(seed, "seed")
        if not -(1 << 63) <= s < 1 << 63:
            raise ValueError(f"seed must fit in a signed 64-bit integer; got {s}")
        bits64 = s & 0xFFFFFFFFFFFFFFFF
    high = bits64 >> 32 if x64_enabled() else 0
    return np.array([high, bits64 & 0xFFFFFFFF], dtype=np.uint32)


def key_data(keys) -> np.ndarray:
    """The raw uint32 data of keys (typed JAX keys or raw arrays), shape (..., 2).

    Example:
        >>> from keyrand import jax as jr
        >>> jr.key_data(jr.PRNGKey(3))
        array([0, 3], dtype=uint32)
    """
    return as_key(keys, "keys")


def split(key, num=2) -> np.ndarray:
    """Split a key into ``num`` new keys, as ``jax.random.split``.

    ``num`` is an int or a tuple (the shape of the key grid); the result has
    shape ``(*num, 2)``, or ``(..., *num, 2)`` for a batch of keys. The
    derivation follows the current Threefry mode.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.split(jr.PRNGKey(0), 3).shape
        (3, 2)
        >>> jr.split(jr.PRNGKey(0), (2, 3)).shape
        (2, 3, 2)
    """
    keys = as_key(key)
    grid = (num,) if type(num) is int and num >= 0 else as_shape(num, "num")
    n = size_of(grid)
    if is_threefry_partitionable():
        return _core.stream(Layout.PART_KEYS, keys, grid + (2,), _UINT32, n)
    check_halves_size(2 * n, "split(num={})", num)
    return _core.stream(Layout.HALVES_WORDS, keys, grid + (2,), _UINT32, 2 * n)


def fold_in(key, data) -> np.ndarray:
    """Fold an integer in ``[0, 2**32)`` into a key, as ``jax.random.fold_in``.

    The same in both Threefry modes.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.fold_in(jr.PRNGKey(0), 7).shape
        (2,)
    """
    d = as_int(data, "data")
    if not 0 <= d <= 0xFFFFFFFF:
        raise ValueError(f"data must be in [0, 2**32); got {d}")
    return _fold_in(key, d)


_BITS_LAYOUTS = {
    # dtype: (partitionable layout, legacy layout)
    np.dtype(np.uint8): (Layout.PART_U8, Layout.HALVES_BYTES),
    np.dtype(np.uint16): (Layout.PART_U16, Layout.HALVES_BYTES),
    np.dtype(np.uint32): (Layout.PART_U32, Layout.HALVES_WORDS),
    np.dtype(np.uint64): (Layout.PART_U64, Layout.HALVES_U64),
}


def bits(key, shape=(), dtype=None, *, out=None) -> np.ndarray:
    """Uniform random bits, as ``jax.random.bits``.

    ``dtype`` is an unsigned integer type of 8, 16, 32 or 64 bits (default
    uint32, or uint64 in 64-bit mode). A batch of keys of shape ``(..., 2)``
    gives ``(..., *shape)``, as ``jax.vmap`` over the keys would. ``out``
    (keyrand's extension): a C-contiguous array of that shape and dtype to
    fill instead of allocating one.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.bits(jr.PRNGKey(0), (2, 2), dtype="uint8").shape
        (2, 2)
    """
    keys = as_key(key)
    dims = as_shape(shape)
    if dtype is None:
        dtype = np.uint64 if x64_enabled() else np.uint32
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"dtype must be an unsigned integer dtype; got {dtype!r}") from exc
    if dt not in _BITS_LAYOUTS:
        raise TypeError(f"dtype must be uint8, uint16, uint32 or uint64; got {dt}")
    part_layout, legacy_layout = _BITS_LAYOUTS[dt]
    n = size_of(dims)
    if is_threefry_partitionable():
        return fill(part_layout, keys, dims, dt, n, out=out)
    check_halves_size(-(-n * dt.itemsize // 4), "bits(shape={}, dtype={})", dims, dt)
    total = n * dt.itemsize if legacy_layout == Layout.HALVES_BYTES else n
    return fill(legacy_layout, keys, dims, dt, total, out=out)
