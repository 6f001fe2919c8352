"""jax.random's integer-valued and index samplers: randint, bernoulli,
rademacher, choice, permutation."""
from __future__ import annotations

import math

import numpy as np

from .. import _core, _streams
from .._dtypes import to_numpy_dtype
from .._order import stable_order
from .._validate import as_array, as_int, as_shape
from ._config import canonical_dtype, fixed_modes, x64_enabled
from ._continuous import gumbel, xla_log
from ._scan import xla_cumsum, xla_searchsorted
from ._draws import (F32, F64, canonical, check_shape, int_dtype, keys_of, prob_dtype, random_bits,
                     split2, uniform as _uniform, _word_layout, _word64_layout)

_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
_BOUNDS32 = {np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
             for t in (np.int32, np.uint32)}


def _int_param(value, name: str) -> np.ndarray:
    if type(value) is int and not x64_enabled() and not -2**31 <= value < 2**31:
        # JAX parses a Python int as int32 unless in 64-bit mode.
        raise OverflowError(f"{name}={value} does not fit in int32 (64-bit mode is off)")
    if type(value) is int and not -2**63 <= value < 2**63:
        raise OverflowError(f"{name}={value} does not fit in int64")  # JAX's weak int type
    arr = as_array(value, name)
    if arr.dtype.kind == "f":
        arr = arr.astype(np.int64)  # JAX casts float bounds to its default int
    if arr.dtype.kind not in "iub":
        raise TypeError(f"{name} must be an integer or an array of integers; got {arr.dtype}")
    if arr.dtype == np.uint64:
        return arr
    return arr.astype(np.int64)


@fixed_modes
def randint(key, shape, minval, maxval, dtype=None) -> np.ndarray:
    """Uniform integers in ``[minval, maxval)``, as ``jax.random.randint``.

    Two draws of ``nbits`` (32, or 64 for 64-bit dtypes) per element from the
    two halves of ``split(key)``, combined modulo the span, as JAX does (with
    its small documented bias for spans that are not powers of two). Types
    narrower than 32 bits are drawn as int32 with bounds clipped to the type.
    ``dtype`` defaults to int32 (int64 in 64-bit mode).

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.randint(jr.PRNGKey(0), (3,), 0, 10)
        >>> bool(((0 <= x) & (x < 10)).all()), x.dtype
        (True, dtype('int32'))
    """
    keys = keys_of(key)
    dims = as_shape(shape)
    dt = int_dtype(dtype, "randint")
    if type(minval) is int and type(maxval) is int and dt.itemsize == 4 and \
            -2**31 <= minval < 2**31 and -2**31 <= maxval < 2**31:  # Python ints: straight to C
        return _randint32_scalar(keys, dims, minval, maxval, dt)
    lo, hi = _int_param(minval, "minval"), _int_param(maxval, "maxval")
    check_shape("randint", dims, minval=lo, maxval=hi)
    info = np.iinfo(dt)
    sample_dt = dt
    if info.bits < 32:
        sample_dt = np.dtype(np.int32)
        lo = np.clip(lo.astype(np.int32), info.min, info.max)
        hi = np.clip(hi.astype(np.int32), info.min, info.max + 1)
    return _randint(keys, dims, lo, hi, sample_dt).astype(dt, copy=False)


def _randint(keys, dims, lo, hi, dt) -> np.ndarray:
    info = np.iinfo(dt)
    if lo.ndim == 0 and hi.ndim == 0 and info.bits == 32:
        return _randint32_scalar(keys, dims, int(lo), int(hi), dt)
    nbits = info.bits
    udt = np.dtype(_UNSIGNED[dt.itemsize])
    out_of_range = hi > _clip_bounds(hi.dtype, info)[1]
    lo, hi = _clip_convert(lo, dt), _clip_convert(hi, dt)
    k1, k2 = split2(keys)
    higher, lower = random_bits(k1, nbits, dims), random_bits(k2, nbits, dims)
    with np.errstate(over="ignore"):  # all arithmetic wraps, as XLA's does
        span = np.asarray(hi.astype(udt) - lo.astype(udt), dtype=udt)
        span = np.where(hi <= lo, udt.type(1), span)
        span = np.where(out_of_range & (hi > lo), span + udt.type(1), span).astype(udt)
        # span 0 stands for 2**nbits (the whole type): XLA's x % 0 is x.
        divisor = np.where(span == 0, udt.type(1), span)
        def rem(a):
            return np.where(span == 0, a, a % divisor).astype(udt)
        mult = rem(np.full_like(span, 1 << (nbits // 2)))
        mult = rem(mult * mult)
        offset = rem(rem(higher) * mult + rem(lower))
        return (lo.astype(udt) + offset).astype(dt, copy=False)


def _randint32_scalar(keys, dims, lo: int, hi: int, dt) -> np.ndarray:
    """_randint for scalar bounds and a 32-bit type, combined in C."""
    least, most = _BOUNDS32[dt]
    out_of_range = hi > most
    lo, hi = min(max(lo, least), most), min(max(hi, least), most)
    span = (hi - lo) % 2**32
    if hi <= lo:
        span = 1
    elif out_of_range:
        span = (span + 1) % 2**32
    # JAX squares 2^16 mod span in uint32, which wraps for spans above 2^16.
    mult = 0 if span == 0 else ((((1 << 16) % span) ** 2) % 2**32) % span
    k1, k2 = split2(keys)
    if not _streams.in_block():  # both draws generated and combined block by block
        return _core.draw_randint32_jax(_word_layout(), k1, k2, dims, span, mult,
                                        lo % 2**32).view(dt)
    higher, lower = random_bits(k1, 32, dims), random_bits(k2, 32, dims)
    out = np.empty(higher.shape, np.uint32)
    _core.randint32_jax(higher.reshape(-1), lower.reshape(-1), span, mult, lo % 2**32,
                        out.reshape(-1))
    return out.view(dt)


def _clip_bounds(src: np.dtype, info: np.iinfo) -> tuple[int, int]:
    """The range both src and the target type hold (jax's _convert_and_clip_integer)."""
    own = np.iinfo(src)
    return max(info.min, own.min), min(info.max, own.max)


def _clip_convert(val: np.ndarray, dt: np.dtype) -> np.ndarray:
    low, high = _clip_bounds(val.dtype, np.iinfo(dt))
    return np.clip(val, val.dtype.type(low), val.dtype.type(high)).astype(dt, copy=False)


def bernoulli(key, p=0.5, shape=None, mode: str = "low") -> np.ndarray:
    """Booleans that are True with probability ``p``, as ``jax.random.bernoulli``.

    ``uniform(key, shape, dtype(p)) < p``; ``p``'s dtype is JAX's (a Python float
    is float32, or float64 in 64-bit mode). ``shape`` defaults to ``p``'s shape.
    ``mode="high"`` compares two uniforms for probabilities below 2**-24.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.bernoulli(jr.PRNGKey(0), 0.3, (4,)).dtype
        dtype('bool')
    """
    if mode not in ("high", "low"):
        raise ValueError(f"got mode={mode!r}, expected 'high' or 'low'")
    keys = keys_of(key)
    dt = prob_dtype(p)
    prob = np.asarray(p).astype(dt, copy=False)
    dims = np.shape(prob) if shape is None else as_shape(shape)
    check_shape("bernoulli", dims, p=prob)
    if mode == "high":
        u = _uniform(keys, (2,) + dims, dt)
        batch = (slice(None),) * (keys.ndim - 1)
        u1, u2 = u[batch + (0,)], u[batch + (1,)]
        u2 = (u2 * dt.type(2.0 ** -_nmant(dt))).astype(dt, copy=False)
        return u2 < (prob - u1).astype(dt, copy=False)
    return _uniform(keys, dims, dt) < prob


def _nmant(dt) -> int:
    import ml_dtypes
    return ml_dtypes.finfo(dt).nmant


@fixed_modes
def rademacher(key, shape=(), dtype=None) -> np.ndarray:
    """-1 or +1 with equal probability, as ``jax.random.rademacher``
    (``2 * bernoulli(key, 0.5, shape) - 1``; default int dtype).

    Example:
        >>> from keyrand import jax as jr
        >>> sorted(set(jr.rademacher(jr.PRNGKey(0), (100,)).tolist()))
        [-1, 1]
    """
    keys = keys_of(key)
    dims = as_shape(shape)
    dt = int_dtype(None, "rademacher") if dtype is None else canonical_dtype(to_numpy_dtype(dtype))
    # bernoulli(key, 0.5): uniform < 0.5, that is the word's top bit clear (the
    # uniform keeps the top mantissa bits; float64 in 64-bit mode).
    nbits = 64 if x64_enabled() else 32
    top = (random_bits(keys, nbits, dims) >> (nbits - 1)).astype(np.int32)
    top *= -2  # 2 * b - 1 = 1 - 2 * top; -1 wraps in unsigned types, as in JAX
    top += 1
    return top.astype(dt, copy=False)


def per_key(keys: np.ndarray, draw, empty: tuple | None = None) -> np.ndarray:
    """draw(key) for a single key, or stacked over a batch of keys (as
    jax.vmap would run it). `empty` = (shape, dtype) of one key's draw: a
    batch of no keys is then answered without drawing anything."""
    if keys.ndim == 1:
        return draw(keys)
    flat = keys.reshape(-1, 2)
    if not flat.size and empty is not None:
        return np.empty(keys.shape[:-1] + tuple(empty[0]), empty[1])
    results = [draw(k) for k in flat]
    if not results:
        probe = draw(np.zeros(2, np.uint32))
        return np.empty(keys.shape[:-1] + probe.shape, probe.dtype)
    return np.stack(results).reshape(keys.shape[:-1] + results[0].shape)


def _default_int() -> np.dtype:
    return int_dtype(None, "arange")


def _axis(axis, ndim: int, name: str = "axis") -> int:
    a = as_int(axis, name)
    if not -ndim <= a < ndim:
        raise ValueError(f"{name} {a} is out of bounds for an array of dimension {ndim}")
    return a % ndim


def _shuffle_order(key: np.ndarray, shape: tuple[int, ...], axis: int) -> np.ndarray | None:
    """JAX's shuffle of an array of `shape` along `axis` as indices: the
    stable sorts by fresh 32-bit keys, enough rounds that all sort keys are
    distinct with high probability (JAX's static count), composed. Rows
    along `axis`, moved last; None when no round runs (size < 2)."""
    size = math.prod(shape)
    rounds = math.ceil(3 * math.log(max(1, size)) / math.log(0xFFFFFFFF))
    order = None
    for _ in range(rounds):
        key, sub = split2(key)
        order = stable_order(np.moveaxis(random_bits(sub, 32, shape), axis, -1), order)
    return order


def _shuffle(key: np.ndarray, x: np.ndarray, axis: int) -> np.ndarray:
    order = _shuffle_order(key, x.shape, axis)
    if order is None:
        return x
    moved = np.take_along_axis(np.moveaxis(x, axis, -1), order, axis=-1)
    return np.moveaxis(moved, -1, axis)


def _arange_shuffle(key: np.ndarray, n: int) -> np.ndarray:
    """_shuffle(key, arange(n)): the composed order itself."""
    order = _shuffle_order(key, (n,), 0)
    dt = _default_int()
    return np.arange(n, dtype=dt) if order is None else order.astype(dt, copy=False)


@fixed_modes
def permutation(key, x, axis: int = 0, independent: bool = False) -> np.ndarray:
    """A random permutation of ``arange(x)`` (int ``x``) or of an array along
    ``axis``, as ``jax.random.permutation``. ``independent=True`` shuffles
    each slice along ``axis`` on its own.

    Example:
        >>> from keyrand import jax as jr
        >>> sorted(jr.permutation(jr.PRNGKey(0), 5).tolist())
        [0, 1, 2, 3, 4]
    """
    keys = keys_of(key)
    arr = canonical(as_array(x, "x", "biufc"))
    if arr.ndim == 0:
        if arr.dtype.kind not in "iu":
            raise TypeError("x must be an integer or at least 1-dimensional")
        n = as_int(x, "x")
        if n < 0:
            raise ValueError(f"x must be non-negative; got {n}")
        _axis(axis, 1)
        return per_key(keys, lambda k: _arange_shuffle(k, n), ((n,), _default_int()))
    ax = _axis(axis, arr.ndim)
    if independent or arr.ndim == 1:
        return per_key(keys, lambda k: _shuffle(k, arr, ax), (arr.shape, arr.dtype))

    def draw(k):
        return np.take(arr, _arange_shuffle(k, arr.shape[ax]), axis=ax)
    return per_key(keys, draw, (arr.shape, arr.dtype))


@fixed_modes
def choice(key, a, shape=(), replace: bool = True, p=None, axis: int = 0,
           mode: str | None = None) -> np.ndarray:
    """Random elements of ``a`` (an array, or ``arange(a)`` for an int), as
    ``jax.random.choice``: with replacement by ``randint`` (or by the
    cumulative ``p``), without replacement by ``permutation`` (or Gumbel
    top-k with ``p``).

    Example:
        >>> from keyrand import jax as jr
        >>> jr.choice(jr.PRNGKey(0), 10, (3,), replace=False).shape
        (3,)
    """
    keys = keys_of(key)
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        raise TypeError(f"shape argument of choice must be a sequence, got {shape!r}")
    dims = as_shape(shape)
    axis = as_int(axis, "axis")
    if not isinstance(replace, (bool, np.bool_, int, np.integer)):
        raise TypeError(f"replace must be a bool; got {type(replace).__name__}")
    try:
        arr = canonical(np.asarray(a))
    except (TypeError, ValueError) as exc:
        raise TypeError("a must be an integer or an array") from exc
    if arr.ndim == 0:
        n_inputs = as_int(a, "a")
        _int_param(n_inputs, "a")  # JAX's int32 limit without x64, by this name
    else:
        axis = _axis(axis, arr.ndim)
        n_inputs = arr.shape[axis]
    n_draws = math.prod(dims)
    if n_draws == 0:
        return np.zeros(keys.shape[:-1] + dims, dtype=arr.dtype)
    if n_inputs <= 0:
        raise ValueError("a must be greater than 0 unless no samples are taken")
    if not replace and n_draws > n_inputs:
        raise ValueError(f"Cannot take a larger sample (size {n_draws}, the shape argument) "
                         f"than population (size {n_inputs}) when 'replace=False'")
    if p is not None:
        p_arr = as_array(p, "p")
        pdt = prob_dtype(p_arr.astype(F32) if p_arr.dtype.kind in "iub" else p_arr)
        p_arr = p_arr.astype(pdt)
        if p_arr.shape != (n_inputs,):
            raise ValueError("p must be None or a 1D vector with the same size as "
                             f"a.shape[axis]. p has shape {p_arr.shape} and a.shape[axis] "
                             f"is {n_inputs}.")

    if p is not None and replace and p_arr.dtype in (F32, F64):
        return _choice_by_p(keys, arr, axis, dims, np.ascontiguousarray(p_arr))

    def draw(k):
        if p is None and replace:
            ind = randint(k, dims, 0, n_inputs)
        elif p is None:
            source = n_inputs if arr.ndim == 0 else arr
            perm = permutation(k, source, axis)
            sl = (slice(None),) * axis + (slice(n_draws),)
            return _reshape(perm[sl], arr, axis, dims)
        elif replace:
            cum = xla_cumsum(p_arr)
            u = _uniform(k, dims, p_arr.dtype)
            r = (cum[-1] * (p_arr.dtype.type(1) - u)).astype(p_arr.dtype)
            ind = xla_searchsorted(cum, r).astype(_default_int())
        else:
            g = gumbel(k, (n_inputs,), dtype=p_arr.dtype, mode=mode) + xla_log(p_arr)
            ind = np.argsort(-g, kind="stable")[:n_draws].astype(_default_int())
        result = ind if arr.ndim == 0 else np.take(arr, ind, axis)
        return _reshape(result, arr, axis, dims)

    empty = (dims, _default_int()) if arr.ndim == 0 else \
        (arr.shape[:axis] + dims + arr.shape[axis + 1:], arr.dtype)
    return per_key(keys, draw, empty)


def _choice_by_p(keys, arr, axis, dims, p):
    """choice with replacement and p in float32 / float64, every key in one C
    call: indices, then arr's entries along `axis` (after the key axes)."""
    layout = _word_layout() if p.dtype == F32 else _word64_layout()
    ind = _core.draw_choice_p_jax(layout, np.ascontiguousarray(keys), dims, p,
                                  _default_int() == np.int64)
    if arr.ndim == 0:
        return ind
    batch = keys.shape[:-1]
    taken = np.take(arr, ind.reshape(math.prod(batch), -1), axis)
    return np.moveaxis(taken, axis, 0).reshape(
        batch + arr.shape[:axis] + dims + arr.shape[axis + 1:])


def _reshape(result, arr, axis, dims):
    if arr.ndim == 0:
        return result.reshape(dims)
    return result.reshape(arr.shape[:axis] + dims + arr.shape[axis + 1:])
