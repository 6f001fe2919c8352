"""Keys and raw bits in JAX's two Threefry layouts."""
from __future__ import annotations

import numpy as np

from .. import _core
from .._prng import fold_in as _fold_in
from .._streams import Layout, check_halves_size, fill
from .._validate import as_array, as_int, as_key, as_shape, size_of
from ._config import canonical_dtype, is_threefry_partitionable, x64_enabled

_UINT32 = np.dtype(np.uint32)


def jax_key(key, name: str = "key") -> np.ndarray:
    """Raw key data of shape (..., 2); malformed key data is a TypeError, as
    JAX reports it ("invalid PRNG key data")."""
    try:
        return as_key(key, name)
    except ValueError as exc:
        raise TypeError(f"invalid PRNG key data: {exc}") from None


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
    return jax_key(keys, "keys")


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
    keys = jax_key(key)
    grid = (num,) if type(num) is int and 0 <= num < 2**31 else as_shape(num, "num")
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
    keys = jax_key(key)
    dims = as_shape(shape)
    if dtype is None:
        dtype = np.uint64 if x64_enabled() else np.uint32
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError) as exc:  # NumPy parses strings
        raise TypeError(f"dtype must be an unsigned integer dtype; got {dtype!r}") from exc
    if dt not in _BITS_LAYOUTS:
        raise TypeError(f"dtype must be uint8, uint16, uint32 or uint64; got {dt}")
    dt = canonical_dtype(dt)
    part_layout, legacy_layout = _BITS_LAYOUTS[dt]
    n = size_of(dims)
    if is_threefry_partitionable():
        return fill(part_layout, keys, dims, dt, n, out=out)
    check_halves_size(-(-n * dt.itemsize // 4), "bits(shape={}, dtype={})", dims, dt)
    total = n * dt.itemsize if legacy_layout == Layout.HALVES_BYTES else n
    return fill(legacy_layout, keys, dims, dt, total, out=out)


def _check_impl(impl) -> None:
    if impl is not None and impl != "threefry2x32":
        raise ValueError(f"keyrand implements the threefry2x32 PRNG only; got impl={impl!r}")


def key(seed, *, impl=None) -> np.ndarray:
    """A key from an integer seed, as ``jax.random.key``, but raw: keyrand keys
    are uint32 arrays of shape ``(2,)`` (JAX's typed keys are accepted as input
    everywhere). Equals :func:`PRNGKey`.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.key(7)
        array([0, 7], dtype=uint32)
    """
    _check_impl(impl)
    return PRNGKey(seed)


def wrap_key_data(key_bits_array, *, impl=None) -> np.ndarray:
    """Key data of shape ``(..., 2)`` as keys, as ``jax.random.wrap_key_data``
    (keyrand keys are the raw data, so this validates and copies).

    Example:
        >>> import numpy as np
        >>> from keyrand import jax as jr
        >>> jr.wrap_key_data(np.array([0, 7], dtype=np.uint32))
        array([0, 7], dtype=uint32)
    """
    _check_impl(impl)
    data = key_bits_array if hasattr(key_bits_array, "dtype") else \
        as_array(key_bits_array, "key_bits_array", "iu")
    if np.asarray(data).dtype != np.uint32:
        raise TypeError(f"key_bits_array must be uint32; got {np.asarray(data).dtype}")
    return jax_key(data, "key_bits_array").copy()


def clone(key) -> np.ndarray:
    """A copy of a key (``jax.random.clone``; keyrand keys are plain arrays).

    Example:
        >>> from keyrand import jax as jr
        >>> k = jr.PRNGKey(0)
        >>> bool((jr.clone(k) == k).all())
        True
    """
    return jax_key(key).copy()
