"""What jax.random's samplers are built from, on NumPy arrays: dtype rules,
key splitting, raw bits in the current Threefry mode, uniform floats, and
XLA's elementwise math. A batch of keys (shape (..., 2)) gives a batch of
draws (shape (..., *shape)), as jax.vmap over the keys would."""
from __future__ import annotations

import ml_dtypes
import numpy as np

from .. import _core, _streams
from .._core import kr_dist
from .._dtypes import BFLOAT16, to_numpy_dtype
from .._streams import Layout
from .._validate import as_array
from ._config import NARROW_DTYPES, canonical_dtype, is_threefry_partitionable, x64_enabled
from ._host import host_profile
from ._keys import bits, jax_key

F16, F32, F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
FLOATS = (F32, F64, F16, BFLOAT16)
_UINT = {8: np.dtype(np.uint8), 16: np.dtype(np.uint16), 32: np.dtype(np.uint32),
         64: np.dtype(np.uint64)}
_UNIFORM, _NORMAL = int(kr_dist.KR_UNIFORM), int(kr_dist.KR_NORMAL)


class TypePromotionError(ValueError):
    """A parameter whose dtype does not promote to the sampler's, as
    ``jax.dtypes.TypePromotionError`` (also a ValueError)."""


def keys_of(key, name: str = "key") -> np.ndarray:
    """Raw uint32 key data of shape (..., 2), from raw or typed keys."""
    return jax_key(key, name)


def check_safe_cast(fn: str, dt: np.dtype, **params) -> None:
    """JAX refuses an array parameter whose type does not promote to dt
    (Python numbers are weak and always fit): TypePromotionError, a ValueError.
    Parameters come by name, for the message."""
    for name, value in params.items():
        if type(value) in (bool, int, float) or value is None:  # NumPy scalars are not weak
            continue
        try:
            src = canonical(np.asarray(value)).dtype
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be a real number or array") from exc
        if src.kind in "biu":
            continue
        if src.kind not in "f" and src != BFLOAT16:
            raise TypeError(f"{name} must be a real number or array; got dtype {src}")
        if _promote(src, dt) != dt:
            raise TypePromotionError(f"In arguments to {fn}, cannot safely cast argument "
                                     f"{name} of type {src} to {dt}")


def result_dtype(dt: np.dtype, *params) -> np.dtype:
    """A sample of dtype dt combined with the parameters, as JAX promotes:
    Python numbers are weak and integer parameters take the float's type, so
    only float arrays and NumPy float scalars widen it (float16 with bfloat16
    meet at float32; float64 stays only in 64-bit mode)."""
    for value in params:
        if type(value) in (bool, int, float) or value is None:  # NumPy scalars are not weak
            continue
        try:
            src = canonical(np.asarray(value)).dtype
        except (TypeError, ValueError):
            continue  # not numbers: refused by name where the parameter is read
        if src.kind == "f" or src == BFLOAT16:
            dt = _promote(src, dt)
    return dt


def _promote(a: np.dtype, b: np.dtype) -> np.dtype:
    if a == b:
        return a
    if BFLOAT16 in (a, b):  # bfloat16 and float16 meet at float32
        other = b if a == BFLOAT16 else a
        return F32 if other == F16 else np.promote_types(F32, other) if other != F32 else F32
    return np.promote_types(a, b)


def float_dtype(dtype, fn: str) -> np.dtype:
    """The float dtype of a sampler: JAX's default (float32, float64 in
    64-bit mode) for None; float16, bfloat16, float32, float64 otherwise.
    Without 64-bit mode an explicit float64 is float32, with JAX's warning."""
    if dtype is None:
        return F64 if x64_enabled() else F32
    dt = to_numpy_dtype(dtype)
    if dt not in FLOATS:
        raise ValueError(f"dtype argument to `{fn}` must be a float dtype "
                         f"(float16, bfloat16, float32, float64); got {dt}")
    return canonical_dtype(dt)


_COMPLEX_PARTS = {np.dtype(np.complex64): F32, np.dtype(np.complex128): F64}


def complex_dtype(dtype):
    """The complex dtype asked for (complex128 truncated without 64-bit mode,
    as JAX) and its real part's dtype, or None for any other request."""
    if dtype is None:
        return None
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError, SyntaxError):
        return None  # float_dtype reports it
    if dt not in _COMPLEX_PARTS:
        return None
    dt = canonical_dtype(dt)
    return dt, _COMPLEX_PARTS[dt]


def int_dtype(dtype, fn: str, error=TypeError) -> np.dtype:
    """An integer dtype: JAX's default int (int32, int64 in 64-bit mode) for
    None. JAX reports other dtypes with `error` (its class varies by function)."""
    if dtype is None:
        return np.dtype(np.int64 if x64_enabled() else np.int32)
    dt = to_numpy_dtype(dtype)
    if dt.kind not in "iu" or dt.itemsize not in (1, 2, 4, 8):
        raise error(f"dtype argument to `{fn}` must be an integer dtype, got {dt}")
    return canonical_dtype(dt)


def split2(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """jax.random.split(key) unpacked into its two keys (per key of a batch);
    keys already checked (keys_of), so the stream is drawn directly."""
    if is_threefry_partitionable():
        pair = _core.stream(Layout.PART_KEYS, keys, (2, 2), _UINT[32], 2)
    else:
        pair = _core.stream(Layout.HALVES_WORDS, keys, (2, 2), _UINT[32], 4)
    if pair.ndim == 2:  # one key: both rows are contiguous already
        return pair[0], pair[1]
    return (np.ascontiguousarray(pair[..., 0, :]), np.ascontiguousarray(pair[..., 1, :]))


def random_bits(keys: np.ndarray, nbits: int, shape: tuple[int, ...]) -> np.ndarray:
    """jax's internal _random_bits: uint{nbits} words in the current mode."""
    return bits(keys, shape, _UINT[nbits])


def _word_layout() -> int:
    return Layout.PART_U32 if is_threefry_partitionable() else Layout.HALVES_WORDS


def _word64_layout() -> int:
    """The 64-bit words of the current mode (jax.random.bits(key, shape, uint64))."""
    return Layout.PART_U64 if is_threefry_partitionable() else Layout.HALVES_U64


def unit(keys: np.ndarray, shape: tuple[int, ...], dt: np.dtype) -> np.ndarray:
    """jax.random.uniform's f in [0, 1): random mantissa bits under exponent 0,
    minus one. bfloat16 takes 8-bit draws, as JAX does."""
    if dt == F32:
        return _streams.draw_jax_f32(_UNIFORM, 0.0, 1.0, _word_layout(), keys, shape)
    nbits = 8 * dt.itemsize
    nmant = ml_dtypes.finfo(dt).nmant
    rng_bits = 8 if nmant < 8 else nbits
    raw = random_bits(keys, rng_bits, shape).astype(_UINT[nbits], copy=False)
    one = np.array(1.0, dtype=dt).view(_UINT[nbits])
    mantissa = np.asarray((raw >> _UINT[nbits].type(rng_bits - nmant)) | one).reshape(raw.shape)
    return mantissa.view(dt) - dt.type(1.0)


def fma_f16(a, b, c) -> np.ndarray:
    """XLA's float16 a * b + c: one float16 FMA (rounded once; exact in
    float64 for float16 operands) on a host with native float16 arithmetic,
    else the product and the sum each rounded to float16 (_host.py)."""
    a, b, c = (np.asarray(v, F64) for v in (a, b, c))
    with np.errstate(all="ignore"):  # inf and NaN as IEEE gives them, as in JAX
        if host_profile().fp16:
            return (a * b + c).astype(F16)
        return ((a * b).astype(F16).astype(F64) + c).astype(F16)


def _flush(x: np.ndarray) -> np.ndarray:
    """XLA's flush of subnormal results to (signed) zero."""
    tiny = np.finfo(x.dtype).smallest_normal
    return np.where(np.abs(x) < tiny, np.copysign(x.dtype.type(0), x), x)


def as_param(value, dt: np.dtype, name: str) -> np.ndarray:
    """A parameter converted to the sampler's dtype, as lax.convert_element_type."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers") from exc
    if arr.dtype.kind not in "biuf" and arr.dtype != BFLOAT16:
        raise TypeError(f"{name} must be a real number or array; got dtype {arr.dtype}")
    return arr.astype(dt)  # a copy: the result never aliases the caller's array


def uniform(keys: np.ndarray, shape: tuple[int, ...], dt: np.dtype, minval=0.0,
            maxval=1.0) -> np.ndarray:
    """jax.random.uniform for validated keys, shape and dtype:
    max(minval, f * (maxval - minval) + minval), fused into one FMA as XLA
    fuses it, with subnormal results flushed."""
    scalar = type(minval) in (float, int) and type(maxval) in (float, int)
    if scalar and dt == F32:
        return _streams.draw_jax_f32(_UNIFORM, float(minval), float(maxval), _word_layout(),
                                  keys, shape)
    if scalar and dt == F64:
        return _streams.draw_f64(_UNIFORM, keys, shape, float(minval), float(maxval),
                                 layout=_word64_layout())
    lo = as_param(minval, dt, "minval")
    hi = as_param(maxval, dt, "maxval")
    f = unit(keys, shape, dt)
    if dt in (F32, F64):
        lo_b, hi_b = (np.ascontiguousarray(np.broadcast_to(b, f.shape)) for b in (lo, hi))
        out = np.empty_like(f)
        fma = _core.uniform_f64 if dt == F64 else _core.uniform_f32_jax
        fma(f.reshape(-1), lo_b.reshape(-1), hi_b.reshape(-1), out.reshape(-1))
        return out
    if dt == F16:
        with np.errstate(all="ignore"):  # an infinite range is IEEE's, as in JAX
            r = (hi.astype(F32) - lo.astype(F32)).astype(F16)
            return np.maximum(lo, fma_f16(f, r, lo))
    # bfloat16: each op in float32, rounded to bfloat16, subnormals flushed.
    lo, hi = (_flush(b.astype(F32)).astype(dt, copy=False) for b in (lo, hi))
    r = _flush((hi.astype(F32) - lo.astype(F32))).astype(dt, copy=False)
    prod = _flush(f.astype(F32) * r.astype(F32)).astype(dt, copy=False)
    total = _flush(prod.astype(F32) + lo.astype(F32)).astype(dt, copy=False)
    return np.maximum(lo, total)


def check_shape(fn: str, shape: tuple[int, ...], **params) -> None:
    """Parameters (by name) must broadcast to exactly `shape` (jax's _check_shape).
    This is on every small call's path: scalars and 0-d arrays cost a type
    test each."""
    fine = True
    for name, p in params.items():
        t = type(p)
        if t is float or t is int:
            continue
        if t is not np.ndarray or p.dtype.kind not in "biufc":
            p = as_array(p, name, "biufc")  # refuses what is not numbers, by name
        small = p.shape
        if small and small != shape and not _broadcasts_to(small, shape):
            fine = False
    if not fine:
        shapes = [np.shape(p) for p in params.values()]
        raise ValueError(f"{fn} parameter shapes {shapes} ({', '.join(params)}) must "
                         f"broadcast to the shape argument {shape}")


def _broadcasts_to(small: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """Whether `small` broadcasts to exactly `shape` (np.broadcast_shapes(shape,
    small) == shape, without its cost)."""
    if len(small) > len(shape):
        return False
    return all(a == 1 or a == b for a, b in zip(small[::-1], shape[::-1]))


def prob_dtype(p) -> np.dtype:
    """The float dtype JAX gives a probability: Python floats the default float,
    arrays their own (float64 as float32 unless in 64-bit mode)."""
    if isinstance(p, float):
        return F64 if x64_enabled() else F32
    dt = as_array(p, "p", "biufc").dtype
    if dt.kind != "f" and dt != BFLOAT16:
        raise TypeError(f"bernoulli probability `p` must have a floating dtype, got {dt}")
    if dt == F64 and not x64_enabled():
        return F32
    return dt


def canonical(arr: np.ndarray) -> np.ndarray:
    """An input array as JAX holds it: 64-bit types narrowed to 32 bits unless
    in 64-bit mode."""
    if x64_enabled() or arr.dtype not in NARROW_DTYPES:
        return arr
    return arr.astype(NARROW_DTYPES[arr.dtype])
