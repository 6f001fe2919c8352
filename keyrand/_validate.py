"""Argument checking shared by the public namespaces: every bad argument
becomes a TypeError or ValueError that names it."""
from __future__ import annotations

import math
import operator
import sys

import numpy as np

_UINT32_MAX = 0xFFFFFFFF
_UINT32 = np.dtype(np.uint32)


def _typed_jax_key_data(key):
    """Raw uint32 data of a JAX typed key array (jax.random.key), else None."""
    jax = sys.modules.get("jax")
    if jax is None or not type(key).__module__.startswith("jax"):
        return None
    try:
        if jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
            return np.asarray(jax.random.key_data(key))
    except AttributeError:
        return None
    return None


def as_key(key, name: str = "key") -> np.ndarray:
    """A C-contiguous uint32 array of shape (..., 2).

    Accepts keyrand keys, nested lists of ints, NumPy arrays of any integer
    dtype whose values fit in uint32, and MLX or JAX arrays (raw or typed)."""
    if type(key) is np.ndarray and key.dtype is _UINT32 and key.shape == (2,) \
            and key.strides == (4,):
        return key  # the common case, a single key made by keyrand
    data = _typed_jax_key_data(key)
    if data is None:
        try:
            data = np.asarray(key)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be an array of uint32 with shape (..., 2); "
                            f"got {type(key).__name__}") from exc
    if data.dtype == np.bool_ or data.dtype.kind not in "iu":
        raise TypeError(f"{name} must be an array of uint32 with shape (..., 2); "
                        f"got dtype {data.dtype}")
    if data.ndim == 0 or data.shape[-1] != 2:
        raise ValueError(f"{name} must have shape (..., 2); got shape {data.shape}")
    if data.dtype != np.uint32:
        if data.size and (data.min() < 0 or data.max() > _UINT32_MAX):
            raise ValueError(f"{name} values must lie in [0, 2**32); "
                             f"got values in [{data.min()}, {data.max()}]")
        data = data.astype(np.uint32)
    return np.ascontiguousarray(data)


# Elements an array may hold (NumPy counts them in a signed 64-bit integer).
_MAX_ELEMENTS = 2**63 - 1


def as_shape(shape, name: str = "shape") -> tuple[int, ...]:
    """A tuple of non-negative ints from an int or a sequence of ints, with
    fewer than 2**63 elements."""
    if type(shape) is tuple and len(shape) <= 2:
        for d in shape:  # the common case: small dimensions, no overflow possible
            if type(d) is not int or not 0 <= d < 2**31:
                break
        else:
            return shape
    if isinstance(shape, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of integers; got {shape!r}")
    try:
        dims = (shape,) if not hasattr(shape, "__iter__") else tuple(shape)
        if any(isinstance(d, np.bool_) for d in dims):
            # NumPy 2 refuses np.bool_ as an index (1.x only warns): refuse on every NumPy
            raise TypeError
        dims = tuple(operator.index(d) for d in dims)
    except TypeError as exc:
        raise TypeError(f"{name} must be a sequence of integers; got {shape!r}") from exc
    if any(d < 0 for d in dims):
        raise ValueError(f"{name} must not have negative dimensions; got {dims}")
    if any(d > _MAX_ELEMENTS for d in dims):
        # Even beside a 0: NumPy, JAX and MLX hold a dimension in 64 signed bits
        # (both raise TypeError for it).
        raise TypeError(f"{name} dimensions must be below 2**63; got {dims}")
    if len(dims) > 32:
        raise ValueError(f"{name} has {len(dims)} dimensions; at most 32 are supported")
    if 0 not in dims and math.prod(dims) > _MAX_ELEMENTS:
        raise ValueError(f"{name} {dims} has more than 2**63 - 1 elements")
    return dims


def as_array(value, name: str, kinds: str = "biuf") -> np.ndarray:
    """np.asarray(value) for a numeric parameter: ragged nested sequences,
    objects, strings and integers beyond 64 bits are refused by name.
    `kinds`: the dtype kinds accepted (bfloat16 counts as "f")."""
    try:
        arr = np.asarray(value)
    except OverflowError as exc:
        raise ValueError(f"{name} is out of the range of 64-bit integers") from exc
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers") from exc
    kind = arr.dtype.kind
    if kind == "V" and arr.dtype.name == "bfloat16":  # ml_dtypes' (dtype.name is slow)
        kind = "f"
    if kind not in kinds:
        raise TypeError(f"{name} must be a number or an array of numbers; got dtype {arr.dtype}")
    return arr


def as_int(value, name: str) -> int:
    """A Python int from an int-like value (not a float, not a bool array)."""
    if type(value) is int:
        return value
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer; got a bool")
    try:
        return operator.index(value)
    except TypeError as exc:
        raise TypeError(f"{name} must be an integer; got {type(value).__name__}") from exc


def as_dim(value, name: str) -> int:
    """A dimension given as a lone integer argument (orthogonal's n, ball's
    d): an int in [0, 2**63), the argument named in the error."""
    d = as_int(value, name)
    if d < 0:
        raise ValueError(f"{name} must be a non-negative dimension; got {d}")
    if d > _MAX_ELEMENTS:
        raise TypeError(f"{name} must be a dimension below 2**63; got {d}")
    return d


def size_of(shape: tuple[int, ...]) -> int:
    return math.prod(shape)
