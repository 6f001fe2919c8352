"""Keys, splitting and raw bits with the names and semantics of
mlx.core.random (plus JAX's fold_in, which MLX lacks)."""
from __future__ import annotations

import numpy as np

from . import _core, _state
from ._streams import Layout
from ._streams import check_halves_size, fill
from ._validate import as_int, as_key, as_shape, size_of

_BITS_DTYPES = {1: np.dtype(np.uint8), 2: np.dtype(np.uint16), 4: np.dtype(np.uint32)}
_UINT32 = _BITS_DTYPES[4]


def key(seed: int) -> np.ndarray:
    """Create a PRNG key from a seed, as ``mlx.core.random.key``.

    The key is ``[seed >> 32, seed & 0xFFFFFFFF]`` as uint32; ``seed`` must be
    an integer in ``[0, 2**64)``.

    Example:
        >>> import keyrand as kr
        >>> kr.key(42)
        array([ 0, 42], dtype=uint32)
    """
    s = as_int(seed, "seed")
    if not 0 <= s < 1 << 64:
        raise ValueError(f"seed must be in [0, 2**64); got {s}")
    return np.array([s >> 32, s & 0xFFFFFFFF], dtype=np.uint32)


def seed(seed: int) -> None:
    """Seed the global key used by every function called with ``key=None``.

    After ``seed(s)`` the sequence of draws equals MLX's after
    ``mx.random.seed(s)``: each call splits the global key once.

    Example:
        >>> import keyrand as kr
        >>> kr.seed(5)
        >>> a = kr.bits((2,))
        >>> kr.seed(5)
        >>> bool((kr.bits((2,)) == a).all())
        True
    """
    _state.seed_key(key(seed))


def _key_or_next(k) -> np.ndarray:
    return _state.next_key() if k is None else as_key(k)


def split(key, num: int = 2, stream=None) -> np.ndarray:
    """Split a key into ``num`` new keys, as ``mlx.core.random.split``.

    Returns a uint32 array of shape ``(num, 2)``; a batch of keys of shape
    ``(..., 2)`` gives ``(..., num, 2)``. Identical to JAX's legacy-mode split.
    ``stream`` is accepted for MLX compatibility and ignored.

    Example:
        >>> import keyrand as kr
        >>> k1, k2 = kr.split(kr.key(0))
        >>> kr.split(kr.key(0), num=3).shape
        (3, 2)
    """
    keys = as_key(key)
    n = as_int(num, "num")
    if n < 0:
        raise ValueError(f"num must be non-negative; got {n}")
    check_halves_size(2 * n, "split(num={})", n)
    return _core.stream(Layout.HALVES_WORDS, keys, (n, 2), _UINT32, 2 * n)


def bits(shape=(), width: int = 4, key=None, stream=None, *, out=None) -> np.ndarray:
    """Raw random bits, as MLX's ``random::bits`` (C++ API).

    ``width`` is the element size in bytes: 1, 2 or 4 give uint8, uint16 or
    uint32. The elements are the little-endian bytes of the Threefry word
    stream of ``key`` for ``ceil(size * width / 4)`` words. A batch of keys of
    shape ``(..., 2)`` gives an output of shape ``(..., *shape)``, one
    independent block per key. With ``key=None`` the global key is split once.
    ``out`` (keyrand's extension): a C-contiguous array of the result's shape
    and dtype to fill instead of allocating one.

    Example:
        >>> import keyrand as kr
        >>> kr.bits((4,), key=kr.key(0)).dtype
        dtype('uint32')
        >>> kr.bits((2, 3), width=1, key=kr.key(0)).shape
        (2, 3)
    """
    dims = as_shape(shape)
    w = as_int(width, "width")
    if w not in _BITS_DTYPES:
        raise ValueError(f"width must be 1, 2 or 4 (bytes); got {w}")
    keys = _key_or_next(key)
    n = size_of(dims)
    check_halves_size(-(-n * w // 4), "bits(shape={}, width={})", dims, w)
    if w == 4:
        return fill(Layout.HALVES_WORDS, keys, dims, _UINT32, n, out=out)
    return fill(Layout.HALVES_BYTES, keys, dims, _BITS_DTYPES[w], n * w, out=out)


def fold_in(key, data: int) -> np.ndarray:
    """Fold an integer into a key, as ``jax.random.fold_in`` (MLX has none).

    ``data`` is taken modulo 2**32. The new key is Threefry of ``key`` on the
    counter ``(0, data)``; a batch of keys gives a batch of folded keys.

    Example:
        >>> import keyrand as kr
        >>> per_step = [kr.fold_in(kr.key(0), step) for step in range(3)]
        >>> per_step[0].shape
        (2,)
    """
    keys = as_key(key)
    d = as_int(data, "data") & 0xFFFFFFFF
    out = np.empty(keys.shape, dtype=np.uint32)
    _core.fold_in(keys.reshape(-1, 2), d, out.reshape(-1, 2))
    return out
