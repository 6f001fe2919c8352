"""Keys and raw bits in JAX's two Threefry layouts."""
from __future__ import annotations

import warnings

import numpy as np

from .. import _core
from .._prng import fold_in as _fold_in
from .._streams import Layout, check_halves_size, fill
from .._validate import _typed_jax_key_data, as_array, as_key, as_shape, size_of
from ._config import canonical_dtype, is_threefry_partitionable, x64_enabled

_UINT32 = np.dtype(np.uint32)


def jax_key(key, name: str = "key") -> np.ndarray:
    """Raw key data of shape (..., 2); malformed key data is a TypeError, as
    JAX reports it ("invalid PRNG key data")."""
    try:
        return as_key(key, name)
    except ValueError as exc:
        raise TypeError(f"invalid PRNG key data: {exc}") from None


def _seed_key(seed, ctor: str) -> np.ndarray:
    """JAX's threefry_seed: the seed as JAX parses it (a Python int as int64,
    then, as every 64-bit value without 64-bit mode, truncated to 32 bits),
    the high word its logical shift right by 32 (0 for types of 32 bits or
    fewer), the low word its low 32 bits."""
    if isinstance(seed, int):  # bool included, as JAX's isinstance test
        if not -(1 << 63) <= seed < 1 << 63:
            raise OverflowError(f"seed {seed} is too large: JAX parses a Python int "
                                "seed as a signed 64-bit integer")
        value, wide = int(seed), x64_enabled()
    else:
        if _typed_jax_key_data(seed) is not None:
            raise TypeError(f"{ctor} accepts a scalar seed, but was given a PRNG key.")
        if seed is None:
            raise ValueError("None is not a valid value for a seed")
        try:
            arr = np.asarray(seed)
        except (TypeError, ValueError, OverflowError) as exc:  # ragged, or beyond 64 bits
            raise TypeError(f"seed must be a scalar integer; got {type(seed).__name__}") from exc
        if arr.ndim:
            raise TypeError(f"{ctor} accepts a scalar seed, but was given an array of "
                            f"shape {arr.shape} != (). Use jax.vmap for batching")
        if arr.dtype.kind not in "iu":
            raise TypeError(f"PRNG key seed must be an integer; got {seed!r} "
                            f"of dtype {arr.dtype}")
        value, wide = int(arr), arr.dtype.itemsize == 8 and x64_enabled()
    bits64 = value & 0xFFFFFFFFFFFFFFFF
    high = bits64 >> 32 if wide else 0
    return np.array([high, bits64 & 0xFFFFFFFF], dtype=np.uint32)


def PRNGKey(seed, *, impl=None) -> np.ndarray:
    """A raw key from an integer seed, as ``jax.random.PRNGKey``.

    The seed is read as JAX reads it: a Python int (bools included) as a
    signed 64-bit integer (OverflowError beyond), a NumPy integer scalar or
    0-d array in its own type. The key is ``[high 32 bits, low 32 bits]``;
    the high word is 0 for types of 32 bits or fewer, and for every seed
    without 64-bit mode, where JAX first truncates the seed to 32 bits.
    ``impl``: ``"threefry2x32"`` (or :func:`key_dtype`), the only one
    implemented.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.PRNGKey(42)
        array([ 0, 42], dtype=uint32)
        >>> jr.PRNGKey(-1)
        array([         0, 4294967295], dtype=uint32)
    """
    _resolve_impl(impl, "impl")
    return _seed_key(seed, "PRNGKey")


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


def _fold_data(data) -> int:
    """data as JAX's jnp.asarray(data, dtype="uint32") reads a scalar: a
    Python int (or float, truncated) must lie in [0, 2**32) (OverflowError,
    as JAX); NumPy values and strings are converted as NumPy converts them
    (wrapping)."""
    if isinstance(data, int) or type(data) is float:  # np.float64 is a NumPy value
        d = int(data)  # a float NaN or inf: Python's ValueError / OverflowError
        if not 0 <= d <= 0xFFFFFFFF:
            raise OverflowError(f"Python integer {d} out of bounds for uint32 (data)")
        return d
    try:
        arr = np.asarray(data)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"data must be an integer; got {type(data).__name__}") from exc
    if arr.ndim:
        raise TypeError(f"fold_in accepts a scalar data, but was given an array of shape "
                        f"{arr.shape} != (). Use jax.vmap for batching.")
    if arr.dtype.kind not in "biufUS":
        raise TypeError(f"data must be an integer; got dtype {arr.dtype}")
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns on casting NaN
        try:
            return int(arr.astype(np.uint32))
        except ValueError as exc:  # a string that is not a number
            raise TypeError(f"data must be an integer; got {data!r}") from exc


def fold_in(key, data) -> np.ndarray:
    """Fold a 32-bit integer into a key, as ``jax.random.fold_in``.

    ``data`` is read as JAX reads it: a Python int in ``[0, 2**32)``
    (OverflowError outside), a float truncated, a NumPy scalar converted to
    uint32 as NumPy converts it. The same in both Threefry modes.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.fold_in(jr.PRNGKey(0), 7).shape
        (2,)
    """
    return _fold_in(key, _fold_data(data))


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
    if dt not in _BITS_LAYOUTS:  # JAX's class and words
        raise ValueError(f"dtype argument to `bits` must be an unsigned int dtype, got {dt}")
    dt = canonical_dtype(dt)
    part_layout, legacy_layout = _BITS_LAYOUTS[dt]
    n = size_of(dims)
    if is_threefry_partitionable():
        return fill(part_layout, keys, dims, dt, n, out=out)
    check_halves_size(-(-n * dt.itemsize // 4), "bits(shape={}, dtype={})", dims, dt)
    total = n * dt.itemsize if legacy_layout == Layout.HALVES_BYTES else n
    return fill(legacy_layout, keys, dims, dt, total, out=out)


_IMPL = "threefry2x32"
# jax 0.10.2's registered PRNG implementations (jax._src.random.prng.prngs).
_JAX_IMPLS = ("philox2x32", "philox4x32", "threefry2x32", "rbg", "unsafe_rbg", "threefry4x32")


class KeyDType:
    """The dtype of a threefry2x32 key, as ``jax.random.key_dtype()``
    describes it (``key<fry>``). keyrand keys are raw uint32 data, so this
    only names the implementation: pass it as ``dtype=`` to :func:`key` or
    :func:`wrap_key_data`."""

    __slots__ = ()
    name = "key<fry>"
    impl = _IMPL

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, KeyDType) or _jax_impl_name(other) == _IMPL

    def __hash__(self) -> int:
        return hash((KeyDType, _IMPL))


def _jax_impl_name(spec):
    """The implementation name of a JAX key dtype or PRNGSpec, else None."""
    if not type(spec).__module__.startswith("jax"):
        return None
    impl = getattr(spec, "_impl", None)
    return getattr(impl, "name", None)


def _resolve_impl(spec, arg: str) -> None:
    """Check a PRNG implementation given as impl= or dtype=, as JAX resolves
    it: None, "threefry2x32", key_dtype() or a JAX key dtype / PRNGSpec."""
    if spec is None or isinstance(spec, KeyDType):
        return
    if type(spec) is str:
        name = spec
    else:
        name = _jax_impl_name(spec)
        if name is None:
            raise TypeError(f"unrecognized type {type(spec)} for specifying PRNG "
                            f"implementation ({arg}).")
    if name == _IMPL:
        return
    if name in _JAX_IMPLS:
        raise ValueError(f"keyrand implements the threefry2x32 PRNG only; got {arg}={name!r}")
    known = ", ".join(f'"{s}"' for s in _JAX_IMPLS)
    raise ValueError(f'unrecognized PRNG implementation "{name}" ({arg}). '
                     f'Did you mean one of: {known}?')


def _impl_arg(ctor: str, impl, dtype):
    if dtype is not None:
        if impl is not None:
            raise ValueError(f"Cannot specify both `impl` and `dtype` arguments to {ctor}")
        _resolve_impl(dtype, "dtype")
    else:
        _resolve_impl(impl, "impl")


def key_dtype(impl_spec=None) -> KeyDType:
    """The key dtype of a PRNG implementation, as ``jax.random.key_dtype``
    (only threefry2x32 is implemented).

    Example:
        >>> from keyrand import jax as jr
        >>> jr.key_dtype()
        key<fry>
    """
    _resolve_impl(impl_spec, "impl_spec")
    return KeyDType()


def key_impl(keys) -> str:
    """The PRNG implementation of keys, as ``jax.random.key_impl``: always
    ``"threefry2x32"`` (the keys are checked).

    Example:
        >>> from keyrand import jax as jr
        >>> jr.key_impl(jr.PRNGKey(0))
        'threefry2x32'
    """
    jax_key(keys, "keys")
    return _IMPL


def key(seed, *, impl=None, dtype=None) -> np.ndarray:
    """A key from an integer seed, as ``jax.random.key``, but raw: keyrand keys
    are uint32 arrays of shape ``(2,)`` (JAX's typed keys are accepted as input
    everywhere). Equals :func:`PRNGKey`. ``impl`` or ``dtype`` (not both, as
    JAX): ``"threefry2x32"`` or :func:`key_dtype`, the only implementation.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.key(7)
        array([0, 7], dtype=uint32)
    """
    _impl_arg("jax.random.key", impl, dtype)
    return _seed_key(seed, "key")


def wrap_key_data(key_bits_array, *, impl=None, dtype=None) -> np.ndarray:
    """Key data of shape ``(..., 2)`` as keys, as ``jax.random.wrap_key_data``
    (keyrand keys are the raw data, so this validates and copies). ``impl``
    or ``dtype`` as for :func:`key`.

    Example:
        >>> import numpy as np
        >>> from keyrand import jax as jr
        >>> jr.wrap_key_data(np.array([0, 7], dtype=np.uint32))
        array([0, 7], dtype=uint32)
    """
    _impl_arg("jax.random.wrap_key_data", impl, dtype)
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
