"""jax.random's real-valued samplers: each is a uniform (or normal) draw
through the same elementwise operations JAX applies, with XLA's own
float32 / float64 math (xla_f32.h, xla_math.h) so results match JAX's CPU
numbers. In float32 (sample_jax.h) and float64 (sample.h's kr_sampler_f64)
the C engine runs fused: uniform, normal, exponential, gumbel, laplace,
logistic, cauchy (float32), and with scalar parameters lognormal, pareto,
rayleigh, truncated_normal, weibull_min (float32), geometric and triangular.
The rest (array parameters, wald, maxwell) compose NumPy arithmetic (IEEE,
each op rounded as XLA rounds it) with XLA's functions.
float16 / bfloat16 work as XLA runs them on a CPU: each function in float32,
rounded to the type."""
from __future__ import annotations

import math

import numpy as np

from .. import _core, _streams
from .._core import kr_dist
from .._validate import as_array, as_shape
from ._config import fixed_modes
from ._host import host_profile
from ._draws import (BFLOAT16, F16, F32, F64, as_param, canonical, check_safe_cast,
                     check_shape, complex_dtype, fma_f16, float_dtype, keys_of, result_dtype, split2,
                     uniform as _uniform, _word_layout, _word64_layout)

(_NORMAL, _EXPONENTIAL, _GUMBEL, _LAPLACE, _LOGISTIC, _LOGNORMAL, _PARETO, _RAYLEIGH,
 _TRUNCATED_NORMAL, _CAUCHY, _WEIBULL, _GEOMETRIC, _TRIANGULAR) = (
    int(kr_dist.KR_NORMAL), int(kr_dist.KR_EXPONENTIAL), int(kr_dist.KR_GUMBEL),
    int(kr_dist.KR_LAPLACE), int(kr_dist.KR_LOGISTIC), int(kr_dist.KR_LOGNORMAL),
    int(kr_dist.KR_PARETO), int(kr_dist.KR_RAYLEIGH), int(kr_dist.KR_TRUNCATED_NORMAL),
    int(kr_dist.KR_CAUCHY), int(kr_dist.KR_WEIBULL), int(kr_dist.KR_GEOMETRIC),
    int(kr_dist.KR_TRIANGULAR))
_XLA32 = {"log": int(_core.Xla32Fn.XLA32_LOG), "log1p": int(_core.Xla32Fn.XLA32_LOG1P),
          "exp": int(_core.Xla32Fn.XLA32_EXP), "erf": int(_core.Xla32Fn.XLA32_ERF),
          "erf_inv": int(_core.Xla32Fn.XLA32_ERFINV), "tan": int(_core.Xla32Fn.XLA32_TAN),
          "lgamma": int(_core.Xla32Fn.XLA32_LGAMMA),
          # a rank-0 erf is XLA's scalar kernel, which clamps earlier (xla_f32.h)
          "erf_scalar": int(_core.Xla32Fn.XLA32_ERF_SCALAR)}
_XLA64 = {"log": int(_core.XlaFn.XLA_LOG), "log1p": int(_core.XlaFn.XLA_LOG1P),
          "exp": int(_core.XlaFn.XLA_EXP), "erf": int(_core.XlaFn.XLA_ERF),
          "erf_inv": int(_core.XlaFn.XLA_ERFINV), "tan": int(_core.XlaFn.XLA_TAN)}


def xla(fn: str, x: np.ndarray, y=None) -> np.ndarray:
    """XLA's elementwise `fn` of x (pow: of x and y) in x's dtype (half types
    through float32)."""
    x = np.asarray(x)
    dt = x.dtype
    if dt == F64 and fn in _NOT_REPRODUCED_F64:
        return _approximate(fn, x)
    if fn == "rsqrt" and dt != F64:
        src = np.asarray(x, dtype=F32, order="C")
        out = np.empty_like(src)
        _core.xla_rsqrt_f32(src.reshape(-1), host_profile().rsqrt_steps, out.reshape(-1))
        return out if dt == F32 else out.astype(dt, copy=False)
    if fn == "pow":
        work, core = (F64, _core.xla_pow_f64) if dt == F64 else (F32, _core.xla_pow_f32)
        a, b = (np.asarray(v, dtype=work, order="C") for v in np.broadcast_arrays(x, y))
        out = np.empty_like(a)
        core(a.reshape(-1), np.ascontiguousarray(b).reshape(-1), out.reshape(-1))
        return out if dt == work else out.astype(dt, copy=False)
    if dt == F64:
        table, core, work = _XLA64, _core.xla_f64, F64
    else:
        table, core, work = _XLA32, _core.xla_f32, F32
    src = np.asarray(x, dtype=work, order="C")  # keeps 0-d arrays 0-d
    out = np.empty_like(src)
    core(table[fn], src.reshape(-1), out.reshape(-1))
    return out if dt == work else out.astype(dt, copy=False)


# XLA's float64 lgamma and rsqrt are not reproduced bit for bit yet (its
# float64 rsqrt needs AVX-512): they are computed correctly rounded instead,
# and float64 results that depend on them are within a few ulp of JAX's
# (docs/jax.md). Its tan and pow are the C library's, which xla_math.h calls.
_NOT_REPRODUCED_F64 = {"lgamma", "rsqrt"}


def _approximate(fn, x):
    wide = x.astype(F64)
    if fn == "rsqrt":
        with np.errstate(divide="ignore", invalid="ignore"):
            r = 1.0 / np.sqrt(wide)
    else:
        r = np.vectorize(math.lgamma, otypes=[F64])(wide)
    return r.astype(x.dtype)


def xla_log(x):
    return xla("log", x)


def _prep(key, shape, dtype, fn: str):
    return keys_of(key), as_shape(shape), float_dtype(dtype, fn)


def _c(value, dt):
    """A constant in the sampler's dtype (lax._const / np.array(v, dtype))."""
    return np.asarray(value, dtype=dt)


def uniform(key, shape=(), dtype=None, minval=0.0, maxval=1.0) -> np.ndarray:
    """Uniform floats in ``[minval, maxval)``, as ``jax.random.uniform``.

    Random mantissa bits give ``f`` in ``[0, 1)``; the result is
    ``max(minval, f * (maxval - minval) + minval)`` computed as XLA computes it
    (one fused multiply-add in float32 / float64). ``dtype`` defaults to
    float32 (float64 in 64-bit mode); bfloat16 draws 8 bits per value as JAX does.

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.uniform(jr.PRNGKey(0), (3,), minval=-1.0, maxval=1.0)
        >>> x.shape, x.dtype
        ((3,), dtype('float32'))
    """
    keys, dims, dt = _prep(key, shape, dtype, "uniform")
    try:
        check_shape("uniform", dims, minval=minval, maxval=maxval)
    except ValueError as exc:  # JAX fails inside its arithmetic: a TypeError
        raise TypeError(str(exc)) from None
    return _uniform(keys, dims, dt, minval, maxval)


def _normal(keys, dims, dt) -> np.ndarray:
    if dt in _ENGINE:
        return _fused(_NORMAL, keys, dims, dt=dt)
    return _op(dt, np.multiply, _c(math.sqrt(2.0), dt), _erf_inv_draw(keys, dims, dt))


def _work(dt):
    return dt if dt in (F32, F64) else F32


def normal(key, shape=(), dtype=None) -> np.ndarray:
    """Standard normal floats, as ``jax.random.normal``:
    ``sqrt(2) * erf_inv(uniform(key, shape, dtype, nextafter(-1, 0), 1))``
    with XLA's erf_inv. A complex dtype (complex64; complex128 in 64-bit
    mode) draws the real and imaginary parts from the two halves of
    ``split(key)``, each scaled by ``1 / sqrt(2)`` (unit variance in all), as
    JAX does.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.normal(jr.PRNGKey(0), (2, 3)).shape
        (2, 3)
    """
    cplx = complex_dtype(dtype)
    if cplx is not None:
        return complex_normal(keys_of(key), as_shape(shape), *cplx)
    keys, dims, dt = _prep(key, shape, dtype, "normal")
    return _normal(keys, dims, dt)


@fixed_modes
def complex_normal(keys, dims, dt, part) -> np.ndarray:
    """JAX's complex normal: ``(re + 1j * im) / sqrt(2)``, which XLA computes
    as each part times ``fl(1 / fl(sqrt 2))``."""
    k_re, k_im = split2(keys)
    re, im = _normal(k_re, dims, part), _normal(k_im, dims, part)
    out = np.empty(re.shape, dt)
    scale = part.type(1) / part.type(math.sqrt(2.0))
    np.multiply(re, scale, out=out.real)
    np.multiply(im + part.type(0), scale, out=out.imag)  # re + 1j * im: a -0 part is +0
    return out


def _finfo(dt):
    import ml_dtypes
    return ml_dtypes.finfo(dt)


def _op(dt, f, *args):
    """f on the arguments in the working precision (float32 for half types),
    rounded to dt: one XLA elementwise op."""
    w = _work(dt)
    with np.errstate(all="ignore"):  # IEEE results (inf, NaN) as XLA gives them, silently
        return np.asarray(f(*(np.asarray(a, dtype=w) for a in args)), dtype=w).astype(dt, copy=False)


def _fma(dt, a, b, c):
    """a * b + c with one rounding, as XLA's contracted multiply-adds (float16:
    in float32, rounded to the type; bfloat16 rounds the product first)."""
    if dt == BFLOAT16:
        return _op(dt, np.add, _op(dt, np.multiply, a, b), c)
    if dt == F16:
        return fma_f16(a, b, c)
    w = _work(dt)
    ops = [np.asarray(v, dtype=w) for v in (a, b, c)]
    shape = np.broadcast_shapes(*(v.shape for v in ops))
    out = np.empty(shape, w)
    _core.fma(*(np.ascontiguousarray(v).reshape(-1) if v.shape == shape
                else np.full(shape, v, w).reshape(-1) for v in ops), out.reshape(-1))
    return out.astype(dt, copy=False)


def _above_tiny(keys, dims, dt):
    """uniform(minval=tiny, maxval=1) as compiled inside a sampler: XLA folds
    the constant bounds, (f - 1) + tiny -> f - 1, leaving max(tiny, f)."""
    f = _uniform(keys, dims, dt)
    return np.maximum(f, _c(_finfo(dt).tiny, dt))


def _broadcast_param(param, dims) -> bool:
    """Whether XLA sees the parameter as a broadcast (lower rank or size-1
    axes) rather than an array of the output's shape: its rewrites then
    apply (division by it becomes a product with its reciprocal)."""
    return np.shape(param) != tuple(dims)


def _recip(dt, value):
    """fl(1 / value) as XLA's rewrite computes it: in dt, except that
    bfloat16 keeps the reciprocal in float32."""
    if dt == BFLOAT16:
        with np.errstate(all="ignore"):
            return np.float32(1.0) / np.asarray(value, F32)
    return _op(dt, np.divide, _c(1.0, dt), value)


def _times_recip(dt, x, value):
    """x * fl(1 / value), rounded to dt."""
    with np.errstate(all="ignore"):
        return (np.asarray(x, _work(dt)) * _recip(dt, value)).astype(dt, copy=False)


def exponential(key, shape=(), dtype=None) -> np.ndarray:
    """Exponential(1) floats, as ``jax.random.exponential``: ``-log1p(-u)``.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.exponential(jr.PRNGKey(0), (100,)) >= 0).all())
        True
    """
    keys, dims, dt = _prep(key, shape, dtype, "exponential")
    return _exponential(keys, dims, dt)


# The dtypes the C engine samples in: float32 (sample_jax.h) and float64
# (sample.h's kr_sampler_f64), each on the words of the current mode.
_ENGINE = (F32, F64)


def _fused(dist, keys, dims, p=0.0, q=0.0, dt=F32, r=0.0):
    """A sampler of the C engine in dt (one of _ENGINE), fused per block."""
    if dt == F64:
        return _streams.draw_f64(dist, keys, dims, p, q, layout=_word64_layout(), r=r)
    return _streams.draw_jax_f32(dist, p, q, _word_layout(), keys, dims, r=r)


def _fusable(dt, param, dims) -> bool:
    """An engine dtype with a scalar parameter that XLA sees as a broadcast
    (a non-0-d output): the C engine's parameterized samplers."""
    return dt in _ENGINE and np.ndim(param) == 0 and dims != ()


def _fused_weak(dist, keys, dt, shape, *values):
    """The engine's scalar-parameter sampler `dist` when every parameter is a
    Python float, or an int a double holds (JAX's weak types: converted to dt,
    never refused), dt an engine dtype and the shape given and not 0-d; else
    None. Skips the array checks; the C descriptors round the doubles to
    float32 themselves."""
    if shape is None or dt not in _ENGINE:
        return None
    for v in values:
        kind = type(v)
        if kind is not float and (kind is not int or not -2**53 <= v <= 2**53):
            return None
    dims = as_shape(shape)
    if dims == ():
        return None
    p, q, r = (*map(float, values), 0.0, 0.0)[:3]
    return _fused(dist, keys, dims, p, q, dt, r)


def _exponential(keys, dims, dt):
    if dt in _ENGINE:
        return _fused(_EXPONENTIAL, keys, dims, dt=dt)
    u = _uniform(keys, dims, dt)
    return -xla("log1p", -u)


def gumbel(key, shape=(), dtype=None, mode=None) -> np.ndarray:
    """Standard Gumbel floats, as ``jax.random.gumbel``: ``-log(-log(u))``
    with ``u`` uniform on ``[tiny, 1)`` (mode "low", the default), or with
    two uniforms per value for mode "high".

    Example:
        >>> from keyrand import jax as jr
        >>> jr.gumbel(jr.PRNGKey(0), (3,)).dtype
        dtype('float32')
    """
    keys, dims, dt = _prep(key, shape, dtype, "gumbel")
    mode = "low" if mode is None else mode
    if mode not in ("highest", "high", "low"):
        raise ValueError(f'Must provide valid mode for gumbel got: {mode}')
    if mode == "low":
        if dt in _ENGINE:
            return _fused(_GUMBEL, keys, dims, dt=dt)
        return -xla("log", -xla("log", _above_tiny(keys, dims, dt)))
    if mode == "highest" and dt == F32:
        return _gumbel_highest(keys, dims)
    info = _finfo(dt)
    both = _uniform(keys, (2,) + dims, dt, 0.0, 1.0)
    batch = (slice(None),) * (keys.ndim - 1)
    high, low = both[batch + (0,)], both[batch + (1,)]
    shifted = _op(dt, lambda h, l: h + np.float32(2.0 ** -info.nmant) * l if dt != F64
                  else h + 2.0 ** -info.nmant * l, high, low)
    shifted = _op(dt, np.add, shifted, _c(info.tiny, dt))
    x = np.where(high >= _c(0.5, dt), high, shifted)
    return -xla("log", -xla("log1p", -x))


def _gumbel_highest(keys, dims):
    """gumbel(mode="highest") in float32: a 64-bit fixed-point uniform from two
    words, folded to (0, 1/2] by negation so that log1p keeps its precision,
    converted to float32 by truncation (JAX's _safe_int_to_float)."""
    from ._draws import random_bits
    both = random_bits(keys, 32, (2,) + dims)
    batch = (slice(None),) * (keys.ndim - 1)
    hi, lo = both[batch + (0,)].astype(np.uint64), both[batch + (1,)].astype(np.uint64)
    mask32 = np.uint64(0xFFFFFFFF)
    nlo = (~lo + np.uint64(1)) & mask32
    nhi = (~hi + (nlo == 0).astype(np.uint64)) & mask32
    flip = hi < np.uint64(1 << 31)
    H = np.where(flip, hi, nhi)
    L = np.where(flip, lo, nlo)
    value = (H << np.uint64(32)) | L  # fixed point in (0, 1)
    # Truncating conversion: the top 24 significant bits and the exponent.
    lz = np.where(value == 0, np.uint64(64), _clz64(value))
    shifted = np.where(lz < 64, value << np.minimum(lz, np.uint64(63)), np.uint64(0))
    mant = (shifted >> np.uint64(40)) & np.uint64(0x7FFFFF)
    expo = ((np.int64(126) - lz.astype(np.int64)) << 23) & 0x3FC00000
    x = (expo.astype(np.uint64) | mant).astype(np.uint32).view(F32)
    x = np.where(value == 0, np.float32(2.0 ** -65), x)
    low_side = -xla("log", -xla("log", x))
    high_side = -xla("log", -xla("log1p", -x))
    return np.where(flip, high_side, low_side).astype(F32)


def _clz64(v):
    """Leading zeros of nonzero uint64 values."""
    n = np.zeros(v.shape, np.uint64)
    for shift in (32, 16, 8, 4, 2, 1):
        s = np.uint64(shift)
        top = v >> np.uint64(64 - shift)
        move = top == 0
        n = np.where(move, n + s, n)
        v = np.where(move, v << s, v)
    return n


def laplace(key, shape=(), dtype=None) -> np.ndarray:
    """Standard Laplace floats, as ``jax.random.laplace``:
    ``sign(u) * log1p(-|u|)``, ``u`` uniform on ``[-1 + epsneg, 1)``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.laplace(jr.PRNGKey(0), (3,)).shape
        (3,)
    """
    keys, dims, dt = _prep(key, shape, dtype, "laplace")
    if dt in _ENGINE:  # loc 0, scale 1: none applied
        return _fused(_LAPLACE, keys, dims, 0.0, 1.0, dt=dt)
    u = _uniform(keys, dims, dt, -1.0 + float(_finfo(dt).epsneg), 1.0)
    return _op(dt, np.multiply, np.sign(u), xla("log1p", -np.abs(u)))


def logistic(key, shape=(), dtype=None) -> np.ndarray:
    """Standard logistic floats, as ``jax.random.logistic``:
    ``log(x) - log1p(-x)``, ``x`` uniform on ``[tiny, 1)``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.logistic(jr.PRNGKey(0), (3,)).shape
        (3,)
    """
    keys, dims, dt = _prep(key, shape, dtype, "logistic")
    if dt in _ENGINE:
        return _fused(_LOGISTIC, keys, dims, dt=dt)
    x = _above_tiny(keys, dims, dt)
    return _op(dt, np.subtract, xla("log", x), xla("log1p", -x))


def lognormal(key, sigma=np.float32(1.0), shape=None, dtype=None) -> np.ndarray:
    """Log-normal floats, as ``jax.random.lognormal``: ``exp(sigma * normal)``.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.lognormal(jr.PRNGKey(0), 0.5, (10,)) > 0).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "lognormal")
    fast = _fused_weak(_LOGNORMAL, keys, dt, shape, sigma)
    if fast is not None:
        return fast
    check_safe_cast("lognormal", dt, sigma=sigma)
    s = as_param(sigma, dt, "sigma")
    dims = _param_shape("lognormal", shape, sigma=s)
    if _fusable(dt, s, dims):
        return _fused(_LOGNORMAL, keys, dims, float(s), dt=dt)
    if _broadcast_param(s, dims) and dt != BFLOAT16:
        # XLA folds the scalar into normal's constant: erf_inv(u) * (sigma * sqrt 2).
        scale = _op(dt, np.multiply, s, _c(math.sqrt(2.0), dt))
        return xla("exp", _op(dt, np.multiply, _erf_inv_draw(keys, dims, dt), scale))
    return xla("exp", _op(dt, np.multiply, _normal(keys, dims, dt), s))


def _erf_inv_draw(keys, dims, dt):
    """erf_inv(u) of normal's uniform u: the normal draw before its sqrt 2."""
    lo = np.nextafter(_c(-1.0, dt), _c(0.0, dt))
    return xla("erf_inv", _uniform(keys, dims, dt, lo, _c(1.0, dt)))


def _param_shape(fn, shape, **params):
    """shape, or the broadcast shape of the parameters (by name) when shape
    is None (jax's _check_broadcast_shapes)."""
    if shape is None:
        try:
            return np.broadcast_shapes(*(np.shape(p) for p in params.values()))
        except ValueError as exc:
            raise ValueError(f"{fn}: {', '.join(params)} of shapes "
                             f"{[np.shape(p) for p in params.values()]} cannot be broadcast "
                             "together") from exc
    dims = as_shape(shape)
    check_shape(fn, dims, **params)
    return dims


def pareto(key, b, shape=None, dtype=None) -> np.ndarray:
    """Pareto floats with shape ``b``, as ``jax.random.pareto``: ``exp(e / b)``
    for ``e`` exponential.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.pareto(jr.PRNGKey(0), 3.0, (10,)) >= 1).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "pareto")
    fast = _fused_weak(_PARETO, keys, dt, shape, b)
    if fast is not None:
        return fast
    check_safe_cast("pareto", dt, b=b)
    bb = as_param(b, dt, "b")
    dims = _param_shape("pareto", shape, b=bb)
    if _fusable(dt, bb, dims):
        return _fused(_PARETO, keys, dims, float(bb), dt=dt)
    e = _exponential(keys, dims, dt)
    if _broadcast_param(bb, dims):  # XLA: division by a broadcast -> product with 1 / b
        return xla("exp", _times_recip(dt, e, bb))
    return xla("exp", _op(dt, np.divide, e, bb))


def rayleigh(key, scale, shape=None, dtype=None) -> np.ndarray:
    """Rayleigh floats, as ``jax.random.rayleigh``: ``scale * sqrt(-2 log(u))``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.rayleigh(jr.PRNGKey(0), 2.0, (3,)).shape
        (3,)
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "rayleigh")
    fast = _fused_weak(_RAYLEIGH, keys, dt, shape, scale)
    if fast is not None:
        return fast
    check_safe_cast("rayleigh", dt, scale=scale)
    sc = as_param(scale, dt, "scale")
    dims = _param_shape("rayleigh", shape, scale=sc)
    if _fusable(dt, sc, dims):
        return _fused(_RAYLEIGH, keys, dims, float(sc), dt=dt)
    u = _uniform(keys, dims, dt)
    root = _op(dt, np.sqrt, _op(dt, np.multiply, xla("log", u), _c(-2.0, dt)))
    return _op(dt, np.multiply, sc, root)


def maxwell(key, shape=(), dtype=None) -> np.ndarray:
    """Maxwell floats, as ``jax.random.maxwell``: the Euclidean norm of three
    standard normals.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.maxwell(jr.PRNGKey(0), (4,)).shape
        (4,)
    """
    keys, dims, dt = _prep(key, shape, dtype, "maxwell")
    return _maxwell(keys, dims, dt)


# XLA compiles maxwell's norm in three regimes of n = prod(shape): a loop
# fusion with FMAs up to 1365 draws, above that a YNNPACK reduction (fixed
# pairing, no FMA), which from 4096 draws also absorbs bfloat16's last rounding.
_MAXWELL_LOOP_MAX = 1365
_YNN_ALL = 4096


def _maxwell(keys, dims, dt, final_round: bool = True):
    n = math.prod(dims)
    if dt == BFLOAT16 and n > _MAXWELL_LOOP_MAX:
        # bfloat16 normals stay float32 inside the YNNPACK fusion.
        lo = np.nextafter(_c(-1.0, dt), _c(0.0, dt))
        u = _uniform(keys, dims + (3,), dt, lo, _c(1.0, dt)).astype(F32)
        z = xla("erf_inv", u) * np.float32(1.4140625)
        sq = z * z
        total = ((sq[..., 0] + sq[..., 2]) + sq[..., 1])
        if n >= _YNN_ALL:
            root = np.sqrt(total)
            return root.astype(dt, copy=False) if final_round else root
        return np.sqrt(total.astype(dt, copy=False).astype(F32)).astype(dt, copy=False)
    z = _normal(keys, dims + (3,), dt)
    if dt in _ENGINE:
        return _core.maxwell_norm(z, n <= _MAXWELL_LOOP_MAX)
    w = z.astype(F32)  # half types: squares and sums in float32, rounded as XLA rounds them
    sq = w * w if dt == BFLOAT16 else (w * w).astype(F16).astype(F32)
    total = ((sq[..., 0] + sq[..., 2]) + sq[..., 1]).astype(dt, copy=False)
    return np.sqrt(total.astype(F32)).astype(dt, copy=False)


@fixed_modes
def double_sided_maxwell(key, loc, scale, shape=(), dtype=None) -> np.ndarray:
    """Double-sided Maxwell floats, as ``jax.random.double_sided_maxwell``:
    a random sign times a Maxwell draw, times ``scale``, plus ``loc``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.double_sided_maxwell(jr.PRNGKey(0), 0.0, 1.0, (4,)).shape
        (4,)
    """
    from ._discrete import rademacher
    keys, dims, dt = _prep(key, shape, dtype, "double_sided_maxwell")
    out_dt = result_dtype(dt, loc, scale)  # the sample's type meets the parameters'
    lo, sc = as_param(loc, out_dt, "loc"), as_param(scale, out_dt, "scale")
    params = np.broadcast_shapes(lo.shape, sc.shape)
    dims = (dims or params) + params
    k1, k2 = split2(keys)
    big = math.prod(dims) >= _YNN_ALL
    if dt == BFLOAT16 == out_dt and big:  # all in float32 inside YNNPACK, one final rounding
        m = _maxwell(k1, dims, dt, final_round=False)
        signed = rademacher(k2, dims, dt).astype(F32) * m
        return (signed * sc.astype(F32) + lo.astype(F32)).astype(dt, copy=False)
    m = _maxwell(k1, dims, dt)
    signed = _op(dt, np.multiply, rademacher(k2, dims, dt), m)  # exact: a sign flip
    if out_dt != dt:  # the sample converted exactly, then scaled in the wider type
        signed, dt = signed.astype(out_dt), out_dt
    if dt == BFLOAT16:
        return _op(dt, np.add, _op(dt, np.multiply, signed, sc), lo)
    if not big:
        return _fma(dt, sc, signed, lo)
    # Inside YNNPACK: no FMA; float16 rounds once at the end.
    w = _work(dt)
    return ((signed.astype(w) * np.asarray(sc, w)).astype(w) + np.asarray(lo, w)).astype(dt, copy=False)


def truncated_normal(key, lower, upper, shape=None, dtype=None) -> np.ndarray:
    """Normal floats truncated to ``(lower, upper)``, as
    ``jax.random.truncated_normal``: ``sqrt(2) * erf_inv(u)`` for ``u``
    uniform between ``erf(lower / sqrt 2)`` and ``erf(upper / sqrt 2)``,
    clipped to the open interval.

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.truncated_normal(jr.PRNGKey(0), -1.0, 1.0, (100,))
        >>> bool(((-1 < x) & (x < 1)).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "truncated_normal")
    fast = _fused_weak(_TRUNCATED_NORMAL, keys, dt, shape, lower, upper)
    if fast is not None:
        return fast
    lo, hi = as_param(lower, dt, "lower"), as_param(upper, dt, "upper")
    dims = _param_shape("truncated_normal", shape, lower=lo, upper=hi)
    if dt in _ENGINE and lo.ndim == 0 and hi.ndim == 0:
        return _fused(_TRUNCATED_NORMAL, keys, dims, float(lo), float(hi), dt=dt)
    sqrt2 = _c(math.sqrt(2.0), dt)
    # XLA turns x / sqrt 2 into x * fl(1 / fl(sqrt 2)).
    a = _erf_of_bound(_times_recip(dt, lo, sqrt2))
    b = _erf_of_bound(_times_recip(dt, hi, sqrt2))
    u = _uniform(keys, dims, dt, a, b)
    out = _op(dt, np.multiply, sqrt2, xla("erf_inv", u))
    inf = _c(np.inf, dt)
    return np.clip(out, np.nextafter(lo, inf), np.nextafter(hi, -inf)).astype(dt, copy=False)


def _erf_of_bound(x):
    """erf of a truncation bound: 0-d bounds go through XLA's scalar kernel."""
    if np.ndim(x) == 0 and x.dtype != F64:
        return xla("erf_scalar", x)
    return xla("erf", x)


def triangular(key, left, mode, right, shape=None, dtype=None) -> np.ndarray:
    """Triangular floats on ``[left, right]`` with peak ``mode``, as
    ``jax.random.triangular`` (inverse CDF of one uniform).

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.triangular(jr.PRNGKey(0), 0.0, 0.3, 1.0, (100,))
        >>> bool(((0 <= x) & (x <= 1)).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "triangular")
    fast = _fused_weak(_TRIANGULAR, keys, dt, shape, left, mode, right)
    if fast is not None:
        return fast
    check_safe_cast("triangular", dt, left=left, mode=mode, right=right)
    l, m, r = (as_param(v, dt, n) for v, n in ((left, "left"), (mode, "mode"), (right, "right")))
    dims = _param_shape("triangular", shape, left=l, mode=m, right=r)
    if _fusable(dt, l, dims) and np.ndim(m) == 0 and np.ndim(r) == 0:
        return _fused(_TRIANGULAR, keys, dims, float(l), float(m), dt, float(r))
    l, m, r = (np.broadcast_to(v, dims) for v in (l, m, r))
    w = _work(dt)
    l32, m32, r32 = (v.astype(w) for v in (l, m, r))
    rl = _op(dt, np.subtract, r32, l32)
    if all(_broadcast_param(v, dims) for v in (left, right)):
        fc = _times_recip(dt, _op(dt, np.subtract, m32, l32), rl)
    else:
        fc = _op(dt, np.divide, _op(dt, np.subtract, m32, l32), rl)
    u = _uniform(keys, dims, dt)
    out1 = _op(dt, np.add, l, _op(dt, np.sqrt, _op(dt, np.multiply, _op(dt, np.multiply, u, rl),
                                                    _op(dt, np.subtract, m32, l32))))
    one_minus = _op(dt, np.subtract, _c(1.0, dt), u)
    out2 = _op(dt, np.subtract, r, _op(dt, np.sqrt, _op(dt, np.multiply,
                                                        _op(dt, np.multiply, one_minus, rl),
                                                        _op(dt, np.subtract, r32, m32))))
    return np.where(u < fc, out1, out2).astype(dt, copy=False)


@fixed_modes
def wald(key, mean, shape=None, dtype=None) -> np.ndarray:
    """Wald (inverse Gaussian) floats, as ``jax.random.wald``: one normal and
    one uniform per value, from the two halves of ``split(key)``.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.wald(jr.PRNGKey(0), 1.0, (100,)) > 0).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "wald")
    check_safe_cast("wald", dt, mean=mean)
    mu = as_param(mean, dt, "mean")
    dims = _param_shape("wald", shape, mean=mu)
    k1, k2 = split2(keys)
    if _fusable(dt, mu, dims) and not _streams.in_block():  # both draws combined in C
        layout = _word64_layout() if dt == F64 else _word_layout()
        return _core.draw_wald_jax(layout, k1, k2, dims, float(mu))
    mu = np.broadcast_to(mu, dims)
    v = _normal(k1, dims, dt)
    z = _uniform(k2, dims, dt)
    y = _op(dt, np.multiply, v, v)
    y_sq = _op(dt, np.multiply, y, y)
    mean_sq = _op(dt, np.multiply, mu, mu)
    # XLA contracts 4 mean y + mean^2 y^2 and x - mean / 2 * root into FMAs.
    four_mean = _op(dt, np.multiply, _c(4.0, dt), mu)
    root = _op(dt, np.sqrt, _fma(dt, four_mean, y, _op(dt, np.multiply, mean_sq, y_sq)))
    half_mean = _op(dt, np.divide, mu, _c(2.0, dt))
    x = _op(dt, np.add, mu, _op(dt, np.divide, _op(dt, np.multiply, mean_sq, y), _c(2.0, dt)))
    x = _fma(dt, -half_mean, root, x)
    accept = z <= _op(dt, np.divide, mu, _op(dt, np.add, mu, x))
    return np.where(accept, x, _op(dt, np.divide, mean_sq, x)).astype(dt, copy=False)


@fixed_modes
def geometric(key, p, shape=None, dtype=None) -> np.ndarray:
    """Geometric integers (trials until the first success, from 1), as
    ``jax.random.geometric``: ``floor(log(u) / log1p(-p)) + 1``.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.geometric(jr.PRNGKey(0), 0.3, (100,)) >= 1).all())
        True
    """
    from ._draws import int_dtype, prob_dtype
    keys = keys_of(key)
    dt = int_dtype(dtype, "geometric", ValueError)
    if type(p) is float and 1e-30 < p < 1.0 and shape is not None:  # a Python float: no array checks
        pdt = prob_dtype(p)
        dims = as_shape(shape)
        if dims != () and dt.kind == "i" and pdt.itemsize == dt.itemsize:
            q = xla("log1p", -pdt.type(p))  # negative and finite for p in (0, 1)
            recip = pdt.type(1.0) / pdt.type(q)
            return _fused(_GEOMETRIC, keys, dims, float(recip), dt=pdt).view(dt)
    arr = as_array(p, "p")
    pdt = prob_dtype(arr.astype(F32) if arr.dtype.kind in "iub" else p)
    prob = arr.astype(pdt)
    dims = _param_shape("geometric", shape, p=prob)
    if _fusable(pdt, prob, dims) and dt.kind == "i" and pdt.itemsize == dt.itemsize:
        # XLA: log(u) / q -> log(u) * fl(1 / q); the engine stores the
        # integers (int32 / int64) in the float's slot.
        with np.errstate(divide="ignore"):
            recip = _recip(pdt, xla("log1p", -prob))
        return _fused(_GEOMETRIC, keys, dims, float(recip), dt=pdt).view(dt)
    u = _uniform(keys, dims, pdt)
    u = np.where(u == 0, pdt.type(1), u)
    q = xla("log1p", -prob)
    with np.errstate(divide="ignore", invalid="ignore"):  # p = 0: log(u) / 0, as in JAX
        if _broadcast_param(prob, dims):
            ratio = _times_recip(pdt, xla("log", u), q)
        else:
            ratio = _op(pdt, np.divide, xla("log", u), q)
    g = _op(pdt, np.add, np.floor(ratio), _c(1.0, pdt))
    return saturating_int(g, dt)


def saturating_int(x: np.ndarray, dt) -> np.ndarray:
    """XLA's float -> integer conversion: clamped to the type's range, NaN -> 0."""
    info = np.iinfo(dt)
    w = np.nan_to_num(np.asarray(x, F64), nan=0.0, posinf=np.inf, neginf=-np.inf)
    top = w >= float(info.max)  # float(info.max) may round up to a power of two
    out = np.where(top, 0.0, np.maximum(w, float(info.min))).astype(dt, copy=False)
    out[top] = info.max
    return out


@fixed_modes
def categorical(key, logits, axis: int = -1, shape=None, replace: bool = True,
                mode=None) -> np.ndarray:
    """Indices drawn with probabilities ``softmax(logits)`` along ``axis``, as
    ``jax.random.categorical``: the argmax of ``logits`` plus Gumbel noise
    (``replace=True``), or the top-k of one noisy copy (``replace=False``).

    Example:
        >>> import numpy as np
        >>> from keyrand import jax as jr
        >>> jr.categorical(jr.PRNGKey(0), np.log([0.2, 0.3, 0.5]), shape=(4,)).shape
        (4,)
    """
    from ._discrete import per_key
    from .._validate import as_int
    keys = keys_of(key)
    arr = as_array(logits, "logits")
    if arr.dtype.kind != "f" and str(arr.dtype) != "bfloat16":
        # JAX's gumbel noise takes the logits' dtype, which must be a float
        raise ValueError(f"logits must have a float dtype (the dtype argument to `gumbel`), "
                         f"got {arr.dtype}")
    from ._draws import canonical
    arr = canonical(arr)
    if arr.ndim == 0:
        raise ValueError("logits must have at least one dimension")
    ax = as_int(axis, "axis")
    if not -arr.ndim <= ax < arr.ndim:
        raise ValueError(f"axis {ax} is out of bounds for logits of dimension {arr.ndim}")
    if arr.shape[ax] == 0:
        raise ValueError("logits must hold at least one category along axis")
    batch_shape = tuple(np.delete(arr.shape, ax))
    if shape is None:
        dims = batch_shape
    else:
        dims = as_shape(shape)
        check_shape("categorical", dims, logits=np.empty(batch_shape))
    prefix = dims[:len(dims) - len(batch_shape)]
    dt = arr.dtype
    if replace:
        pos = ax % arr.ndim
        neg = pos - arr.ndim
        logits_shape = list(dims[len(dims) - len(batch_shape):])
        logits_shape.insert(pos, arr.shape[ax])

        def draw(k):
            g = gumbel(k, (*prefix, *logits_shape), dt, mode=mode)
            noisy = _op(dt, np.add, g, arr.reshape((1,) * len(prefix) + arr.shape))
            return np.argmax(noisy, axis=neg).astype(_int())
        return per_key(keys, draw, (dims, _int()))
    count = math.prod(prefix)
    if count > arr.shape[ax]:
        raise ValueError(f"Number of samples without replacement ({count}) cannot exceed "
                         f"number of categories ({arr.shape[ax]}).")

    def draw_without(k):
        noisy = _op(dt, np.add, arr, gumbel(k, arr.shape, dt, mode=mode))
        moved = np.moveaxis(noisy, ax, -1)
        top = np.argsort(-moved.astype(_work(dt)), axis=-1, kind="stable")[..., :count]
        return np.moveaxis(top, -1, 0).reshape(dims).astype(np.int32)  # lax.top_k's indices
    return per_key(keys, draw_without, (dims, np.int32))


def _x64() -> bool:
    from ._config import x64_enabled
    return x64_enabled()


def _int() -> np.dtype:
    return np.dtype(np.int64 if _x64() else np.int32)


def cauchy(key, shape=(), dtype=None) -> np.ndarray:
    """Standard Cauchy floats, as ``jax.random.cauchy``: ``tan(pi (u - 1/2))``
    with ``u`` uniform on ``[eps, 1)``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.cauchy(jr.PRNGKey(0), (3,)).shape
        (3,)
    """
    keys, dims, dt = _prep(key, shape, dtype, "cauchy")
    if dt == F32:
        return _fused(_CAUCHY, keys, dims)
    eps = _c(_finfo(dt).eps, dt)
    # Constant bounds: XLA keeps max(eps, fma(f, 1 - eps, eps)).
    f = _uniform(keys, dims, dt)
    u = np.maximum(eps, _fma(dt, f, _op(dt, np.subtract, _c(1.0, dt), eps), eps))
    return xla("tan", _op(dt, np.multiply, _op(dt, np.subtract, u, _c(0.5, dt)), _c(np.pi, dt)))


@fixed_modes
def weibull_min(key, scale, concentration, shape=(), dtype=None) -> np.ndarray:
    """Weibull floats, as ``jax.random.weibull_min``:
    ``(-log1p(-u)) ** (1 / concentration) * scale``. As in JAX, the parameters
    keep their own type until combined, and the result has the broadcast shape
    of ``shape`` and the parameters.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.weibull_min(jr.PRNGKey(0), 2.0, 1.5, (10,)) >= 0).all())
        True
    """
    from ._draws import prob_dtype
    keys, dims, dt = _prep(key, shape, dtype, "weibull_min")
    if dt == F32 and type(scale) is float and type(concentration) is float and \
            1e-30 < abs(concentration) < 1e30 and abs(scale) < 1e30:
        # Python floats are JAX's weak type: fl(1 / c) in float32, or in float64
        # with x64, then float32; no overflow or division by zero in this range.
        inv = np.float32(1.0 / concentration) if _x64() else \
            np.float32(1.0) / np.float32(concentration)
        return _fused(_WEIBULL, keys, dims, float(inv), float(np.float32(scale)))
    weak = prob_dtype(0.5)
    # The power takes the sample's and concentration's promoted type, the
    # product that and scale's (float16 parameters of a bfloat16 sample: float32).
    pow_dt = result_dtype(dt, concentration)
    out_dt = result_dtype(pow_dt, scale)
    conc = as_array(concentration, "concentration")
    conc = conc.astype(weak) if isinstance(concentration, (int, float)) else canonical(conc)
    with np.errstate(divide="ignore", over="ignore"):  # 1 / 0 = inf, as in JAX
        inv = (np.asarray(1.0, conc.dtype) / conc).astype(pow_dt, copy=False)
    sc = as_array(scale, "scale")
    sc = (sc.astype(weak) if isinstance(scale, (int, float)) else sc).astype(out_dt, copy=False)
    if dt == F32 and out_dt == F32 and inv.ndim == 0 and sc.ndim == 0:
        return _fused(_WEIBULL, keys, dims, float(inv), float(sc))
    e = (-xla("log1p", -_uniform(keys, dims, dt))).astype(pow_dt, copy=False)
    try:
        full = np.broadcast_shapes(e.shape, inv.shape, sc.shape)
    except ValueError:  # a TypeError in JAX's arithmetic
        raise TypeError(f"weibull_min: scale {sc.shape} and concentration {inv.shape} "
                        f"do not broadcast to the shape {e.shape}") from None
    if pow_dt != out_dt and pow_dt in (F16, BFLOAT16) and (pow_dt == BFLOAT16 or
                                                         not host_profile().fp16):
        # XLA computes a half-type pow in float32; widened right after, its
        # rounding to the half type is simplified away.
        e, inv = e.astype(F32), inv.astype(F32)
    powered = xla("pow", np.broadcast_to(e, full), np.broadcast_to(inv, full))
    return _op(out_dt, np.multiply, powered.astype(out_dt, copy=False), sc)
