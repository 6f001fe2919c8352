"""Samplers with the names, arguments and numbers of mlx.core.random.

Scalar parameters take the fused C path (words -> values in L1-sized blocks,
output written once). Array parameters broadcast as MLX broadcasts them: the
C core produces the parameter-free part and NumPy applies the parameters with
the same per-op rounding in the output dtype that MLX uses."""
from __future__ import annotations

import math

import numpy as np

from . import _casts, _core, _state, _streams
from ._core import kr_dist, kr_type
from ._dtypes import (FLOAT_TYPES as FLOAT_DTYPES, float_dtype, int_dtype, int_dtype_fast,
                      to_numpy_dtype)
from ._order import stable_order
from ._prng import bits
from ._streams import deliver
from ._validate import as_array, as_int, as_key, as_shape

_SQRT2 = math.sqrt(2.0)
_INV_SQRT2 = 1.0 / _SQRT2
_F32, _F64, _BOOL = np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.bool_)
_C64 = np.dtype(np.complex64)
_HALF_OR_SINGLE = tuple(dt for dt in FLOAT_DTYPES if dt != _F64)
# The C enums as plain ints (an IntEnum argument is converted at every call).
_UNIFORM, _NORMAL, _LAPLACE, _GUMBEL, _BERNOULLI, _RANDINT, _TRUNCATED_NORMAL = (
    int(kr_dist.KR_UNIFORM), int(kr_dist.KR_NORMAL), int(kr_dist.KR_LAPLACE),
    int(kr_dist.KR_GUMBEL), int(kr_dist.KR_BERNOULLI), int(kr_dist.KR_RANDINT),
    int(kr_dist.KR_TRUNCATED_NORMAL))
_T_F32, _T_BOOL, _F64_TYPE = int(kr_type.KR_F32), int(kr_type.KR_BOOL), int(kr_type.KR_F64)
# nextafter(float32(2**32), inf): MLX's bernoulli threshold scale.
_BERNOULLI_SCALE = np.float32(4294967808.0)
# nextafter(-1, 0) in float32: the low end of MLX's normal / laplace uniform.


def _keys(key):
    return _state.next_key() if key is None else as_key(key)


# Integers a double holds exactly: the C fast path takes parameters as doubles.
_EXACT_INT = 2**53


def _scalar(value, name: str) -> bool:
    """True for a plain Python number, which takes the fused C path (MLX makes
    it a float32 array first; so does the C core)."""
    kind = type(value)
    return kind is float or kind is int and -_EXACT_INT <= value <= _EXACT_INT


_draw, _draw_f64 = _streams.draw, _streams.draw_f64


def _xla(fn, x: np.ndarray) -> np.ndarray:
    """XLA's float64 log / log1p / erf / erf_inv / exp of x, elementwise."""
    x = np.asarray(x, dtype=np.float64, order="C")
    out = np.empty_like(x)
    _core.xla_f64(fn, x.reshape(-1), out.reshape(-1))
    return out


def _uniform_f64(keys, dims, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """JAX's float64 uniform with per-element bounds."""
    f = _draw_f64(_UNIFORM, keys, dims, 0.0, 1.0)
    lo, hi = (np.ascontiguousarray(np.broadcast_to(b, f.shape)) for b in (low, high))
    out = np.empty_like(f)
    _core.uniform_f64(f.reshape(-1), lo.reshape(-1), hi.reshape(-1), out.reshape(-1))
    return out


def _symmetric_erfinv(keys, dims, dt, kt) -> np.ndarray:
    """MLX's unscaled normal in dtype dt (kernel type kt): erfinv of a float32
    uniform on [nextafter(-1, 0), 1), rounded to dt, fused in C (the
    array-parameter paths scale it)."""
    return _draw(_NORMAL, kt, dt, keys, dims, 0.0, 1.0, _core.UNSCALED)


def _param(value, name: str, dtype) -> np.ndarray:
    """A parameter as an array of `dtype` (rounded as MLX's astype; NaN kept,
    as MLX computes with it).
    float64 input goes through float32 first, as MLX converts it."""
    arr = as_array(value, name)
    if arr.dtype.kind == "u" and np.dtype(dtype).kind == "i" and arr.size \
            and arr.max() > np.iinfo(dtype).max:  # astype would wrap around
        raise ValueError(f"{name} is out of the range of {np.dtype(dtype)}")
    if arr.dtype == np.float64 and np.dtype(dtype) in _HALF_OR_SINGLE:
        arr = arr.astype(np.float32)
    return arr.astype(dtype, copy=False)  # callers only read it


def _fits(part: tuple, dims: tuple) -> bool:
    """Whether an array of shape `part` broadcasts to `dims` unchanged."""
    lead = len(dims) - len(part)
    return lead >= 0 and all(p == 1 or p == d for p, d in zip(part, dims[lead:]))


def _out_shape(shape, params: dict, default=None) -> tuple[int, ...]:
    """MLX's result shape: `shape`, which the parameters must broadcast to
    without enlarging; with shape None, the parameters' broadcast shape."""
    if shape is not None:  # the common case, without NumPy's broadcast machinery
        dims = as_shape(shape)
        if all(_fits(np.shape(p), dims) for p in params.values()):
            return dims
    try:
        joint = np.broadcast_shapes(*(np.shape(p) for p in params.values()))
    except ValueError as exc:
        raise ValueError(f"{' and '.join(params)} cannot be broadcast together: "
                         f"{', '.join(str(np.shape(p)) for p in params.values())}") from exc
    if shape is None:
        return joint if default is None else default
    dims = as_shape(shape)
    try:
        if np.broadcast_shapes(joint, dims) == dims:
            return dims
    except ValueError:
        pass
    raise ValueError(f"{' and '.join(params)} of shape {joint} cannot be broadcast "
                     f"to the requested shape {dims}")


def uniform(low=0.0, high=1.0, shape=(), dtype=np.float32, key=None, stream=None, *,
            out=None) -> np.ndarray:
    """Uniform values in ``[low, high)``, as ``mlx.core.random.uniform``.

    ``low`` and ``high`` broadcast against each other and must broadcast to
    ``shape``. Values are bit-identical to MLX for float32, float16 and
    bfloat16: ``u = min(round(bits) / 2**32, 1 - eps/2)`` in the dtype, then
    ``(high - low) * u + low`` with each operation rounded to the dtype.
    float64 is JAX's x64 uniform (see docs/sampling.md). ``out`` (keyrand's
    extension): an array of the result's shape and dtype to fill.

    Example:
        >>> import keyrand as kr
        >>> x = kr.uniform(-1, 1, shape=(2, 3), key=kr.key(0))
        >>> x.shape, x.dtype
        ((2, 3), dtype('float32'))
    """
    dt, kt = float_dtype(dtype)
    # Two floats (the defaults) are checked inline: this is the small-call path.
    if shape is not None and (type(low) is float is type(high)
                              or _scalar(low, "low") and _scalar(high, "high")):
        if kt == _F64_TYPE:
            return _draw_f64(_UNIFORM, _keys(key), as_shape(shape), low, high,
                             out=out)
        return _draw(_UNIFORM, kt, dt, _keys(key), as_shape(shape), low, high,
                     out=out)
    lo, hi = _param(low, "low", dt), _param(high, "high", dt)
    dims = _out_shape(shape, {"low": lo, "high": hi})
    if kt == _F64_TYPE:
        return deliver(_uniform_f64(_keys(key), dims, lo, hi), out)
    u = _draw(_UNIFORM, kt, dt, _keys(key), dims, 0.0, 1.0)
    return deliver(np.asarray((hi - lo) * u + lo, dtype=dt), out)


def normal(shape=(), dtype=np.float32, loc=None, scale=None, key=None, stream=None, *,
           out=None) -> np.ndarray:
    """Normal values, as ``mlx.core.random.normal``.

    ``sqrt(2) * erfinv(s)`` for ``s`` uniform on ``(-1, 1)``, with MLX's
    float32 erfinv, then scaled by ``scale`` and shifted by ``loc`` (each
    rounded to the dtype; float64, as MLX: the float32 erfinv, then
    ``loc + (sqrt(2) * scale) * e`` in float64). Bit-identical to MLX on
    Linux (glibc ``logf``) in every dtype. complex64, as MLX: the real and
    imaginary parts are ``erfinv`` of consecutive uniforms (shape + (2,),
    viewed as pairs; variance 1/2 each), then ``scale * z + loc`` in complex
    arithmetic. ``out`` (keyrand's extension): an array of the result's shape
    and dtype to fill.

    Example:
        >>> import keyrand as kr
        >>> round(float(kr.normal((1000,), key=kr.key(0)).std()), 1)
        1.0
    """
    if dtype is not None and dtype is not np.float32 and to_numpy_dtype(dtype) == _C64:
        return _complex_normal(shape, loc, scale, key, out)
    dt, kt = float_dtype(dtype)
    if shape is not None and (loc is None or _scalar(loc, "loc")) and \
            (scale is None or _scalar(scale, "scale")):
        flags = (0 if loc is None else _core.HAS_P) | (0 if scale is None else _core.HAS_Q)
        p, q = loc or 0.0, 1.0 if scale is None else scale
        return _draw(_NORMAL, kt, dt, _keys(key), as_shape(shape), p, q, flags,
                     out=out)
    params = {}
    if loc is not None:
        params["loc"] = _param(loc, "loc", dt)
    if scale is not None:
        params["scale"] = _param(scale, "scale", dt)
    dims = _out_shape(shape, params)
    keys = _keys(key)
    z = _symmetric_erfinv(keys, dims, dt, kt)
    scale_a, loc_a = params.get("scale"), params.get("loc")
    if dt in (_F32, _F64):  # one pass in C, reading the parameters broadcast
        _core.affine(z, _SQRT2, scale_a, loc_a)
        return deliver(z, out)
    c = dt.type(_SQRT2)
    if scale_a is not None:
        c = np.multiply(c, scale_a).astype(dt, copy=False)
    np.multiply(c, z, out=z)  # in place: the parameters broadcast to z's shape
    if loc_a is not None:
        np.add(loc_a, z, out=z)
    return deliver(z, out)


def _complex_normal(shape, loc, scale, key, out) -> np.ndarray:
    """MLX's complex64 normal: erfinv pairs viewed as complex, then scale and
    loc as complex64 operands (real or complex, float64 through float32)."""
    params = {}
    for name, value in (("loc", loc), ("scale", scale)):
        if value is not None:
            arr = as_array(value, name, "biufc")  # NaN included: MLX adds it as is
            if arr.dtype == _F64:
                arr = arr.astype(_F32)  # MLX's conversion of a float64 operand
            params[name] = arr.astype(_C64, copy=False)
    dims = _out_shape(shape, params)
    z = _symmetric_erfinv(_keys(key), dims + (2,), _F32, _T_F32).view(_C64).reshape(dims)
    if "scale" in params:
        np.multiply(params["scale"], z, out=z)
    if "loc" in params:
        np.add(params["loc"], z, out=z)
    return deliver(z, out)


def randint(low, high, shape=(), dtype=np.int32, key=None, stream=None) -> np.ndarray:
    """Integers in ``[low, high)``, as ``mlx.core.random.randint``.

    MLX draws a float32 uniform on ``[low, high)`` and floors it, so wide
    ranges do not reach every integer; keyrand reproduces that exactly. As
    in MLX, the result and both bounds are then cast to ``dtype`` and the
    result clamped to ``[low, high - 1]``: float bounds, bounds beyond the
    dtype (they wrap: ``randint(0, 300, dtype=int8)`` lies in ``[0, 43]``) and
    NaN give MLX's numbers (docs/sampling.md).

    Example:
        >>> import keyrand as kr
        >>> r = kr.randint(0, 10, (100,), key=kr.key(0))
        >>> bool(((0 <= r) & (r < 10)).all())
        True
    """
    fast = int_dtype_fast(dtype)
    if fast is not None and shape is not None and type(low) is int and type(high) is int:
        dt, kt, smallest, largest = fast
        if smallest <= low <= largest and smallest <= (high - 1 if high > low else low) <= largest \
                and -2**63 <= high < 2**63:  # the C sampler takes 64-bit bounds
            return _draw(_RANDINT, kt, dt, _keys(key), as_shape(shape), lo=low, hi=high)
    as_bool = to_numpy_dtype(dtype) == np.bool_
    dt, kt = (np.dtype(np.bool_), None) if as_bool else int_dtype(dtype)
    lo, hi = _randint_bound(low, "low"), _randint_bound(high, "high")
    dims = _out_shape(shape, {"low": lo, "high": hi})
    keys = _keys(key)
    if lo.ndim == 0 and hi.ndim == 0 and not as_bool and lo.dtype.kind in "iu" \
            and hi.dtype.kind in "iu" and _fits_dtype(int(lo), int(hi), dt):
        return _draw(_RANDINT, kt, dt, keys, dims, lo=int(lo), hi=int(hi))
    # MLX: floor of a float32 uniform on [low, high), each operand cast to the
    # dtype (wrapping where it does not fit), then clamped to [low, high - 1].
    u = uniform(lo.astype(_F32), hi.astype(_F32), dims, _F32, key=keys)
    top = hi.astype(np.int32) if hi.dtype == np.bool_ else hi
    top = np.subtract(top, np.ones((), top.dtype))  # in its own type: ints wrap, halves round
    drawn = _casts.to_int(np.floor(u), dt)
    clamped = np.maximum(np.minimum(drawn, _casts.to_int(top, dt)), _casts.to_int(lo, dt))
    return np.asarray(clamped, dtype=dt)


def _randint_bound(value, name: str) -> np.ndarray:
    """low / high as MLX holds them: Python ints as int32 (int64 beyond),
    Python floats as float32, arrays in their own dtype (lists as mx.array
    reads them); NaN and values beyond the dtype are kept."""
    arr = as_array(value, name)
    if not isinstance(value, (np.ndarray, np.generic)):
        if arr.dtype == np.int64 and arr.size and \
                np.iinfo(np.int32).min <= arr.min() and arr.max() <= np.iinfo(np.int32).max:
            arr = arr.astype(np.int32)
        elif arr.dtype == _F64:
            arr = arr.astype(_F32)
    return arr


def _fits_dtype(lo: int, hi: int, dt: np.dtype) -> bool:
    """Whether low ... high - 1 (low alone for an empty range) fit dt, where
    the C sampler's result is MLX's."""
    info = np.iinfo(dt)
    return info.min <= lo <= info.max and info.min <= (hi - 1 if hi > lo else lo) <= info.max


def bernoulli(p=0.5, shape=None, key=None, stream=None) -> np.ndarray:
    """Booleans that are True with probability ``p``, as ``mlx.core.random.bernoulli``:
    ``uniform < p``, so any float ``p`` is accepted as MLX accepts it (above 1
    always True, below 0 or NaN always False); an integer or bool ``p`` is a
    ValueError, as in MLX. With ``shape=None`` the result has the shape of ``p``.

    Example:
        >>> import keyrand as kr
        >>> kr.bernoulli(0.25, (8,), key=kr.key(0)).dtype
        dtype('bool')
    """
    if shape is not None and type(p) is float:  # NaN too: u < NaN is False
        return _draw(_BERNOULLI, _T_BOOL, _BOOL, _keys(key), as_shape(shape), p)
    arr = as_array(p, "p")
    if arr.dtype.kind in "biu":
        raise ValueError(f"bernoulli probability p must be a float type; got {arr.dtype}")
    prob = arr.astype(np.float32, copy=False)  # as MLX converts it
    dims = _out_shape(shape, {"p": prob})
    keys = _keys(key)
    if prob.ndim == 0:
        return _draw(_BERNOULLI, _T_BOOL, _BOOL, keys, dims, float(prob))
    return np.asarray(bits(dims, 4, key=keys).astype(np.float32) < prob * _BERNOULLI_SCALE)


def gumbel(shape=(), dtype=np.float32, key=None, stream=None) -> np.ndarray:
    """Standard Gumbel values ``-log(-log(u))``, as ``mlx.core.random.gumbel``.

    Example:
        >>> import keyrand as kr
        >>> kr.gumbel((3,), key=kr.key(0)).shape
        (3,)
    """
    dt, kt = float_dtype(dtype)
    if kt == _F64_TYPE:
        return _draw_f64(_GUMBEL, _keys(key), as_shape(shape))
    return _draw(_GUMBEL, kt, dt, _keys(key), as_shape(shape))


def laplace(shape=(), dtype=np.float32, loc=0.0, scale=1.0, key=None, stream=None) -> np.ndarray:
    """Laplace values ``loc + scale * sign(s) * log1p(-|s|)``, as
    ``mlx.core.random.laplace`` (float64 as MLX too: ``log1p`` in double of
    the float32 ``|s|``; ``loc`` and ``scale`` are float32 in MLX, and are
    here). Array ``loc`` / ``scale`` are keyrand's extension.

    Example:
        >>> import keyrand as kr
        >>> kr.laplace((2, 2), loc=1.0, scale=2.0, key=kr.key(0)).shape
        (2, 2)
    """
    dt, kt = float_dtype(dtype)
    if shape is not None and _scalar(loc, "loc") and _scalar(scale, "scale"):
        return _draw(_LAPLACE, kt, dt, _keys(key), as_shape(shape), loc, scale)
    # MLX's laplace takes float loc / scale: float32, whatever the dtype.
    pdt = _F32 if kt == _F64_TYPE else dt
    loc_a, scale_a = (_param(v, n, pdt).astype(dt) for v, n in ((loc, "loc"), (scale, "scale")))
    dims = _out_shape(shape, {"loc": loc_a, "scale": scale_a})
    out = scale_a * _draw(_LAPLACE, kt, dt, _keys(key), dims, 0.0, 1.0)
    return np.asarray(loc_a + out, dtype=dt)


def permutation(x, axis=0, key=None, stream=None) -> np.ndarray:
    """A random permutation of ``range(x)``, or of ``x`` along ``axis``, as
    ``mlx.core.random.permutation``: the stable argsort of 32-bit random words.

    Example:
        >>> import keyrand as kr
        >>> sorted(kr.permutation(5, key=kr.key(0)).tolist())
        [0, 1, 2, 3, 4]
    """
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        n = as_int(x, "x")
        if not 0 <= n <= _streams.MAX_WORDS:
            raise ValueError(f"x must lie in [0, {_streams.MAX_WORDS}] (the MLX stream "
                             f"layout's limit); got {n}")
        return stable_order(bits((n,), 4, key=key))
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError("x must be an integer or an array") from exc
    if arr.ndim == 0:
        raise ValueError("x must be an integer or an array with at least one dimension")
    ax = as_int(axis, "axis")
    if not -arr.ndim <= ax < arr.ndim:
        raise ValueError(f"axis {ax} is out of range for an array of {arr.ndim} dimensions")
    return np.take(arr, stable_order(bits((arr.shape[ax],), 4, key=key)), axis=ax)


def _special(which, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32, order="C")  # keeps 0-d arrays 0-d
    out = np.empty_like(x)
    _core.special_f32(which, x.reshape(-1), out.reshape(-1))
    return out


def truncated_normal(lower, upper, shape=None, dtype=np.float32, key=None,
                     stream=None) -> np.ndarray:
    """Normal values conditioned on ``[lower, upper]``, as
    ``mlx.core.random.truncated_normal``: ``sqrt(2) * erfinv(u)`` with ``u``
    uniform between ``erf(lower / sqrt(2))`` and ``erf(upper / sqrt(2))``
    (MLX's float32 erf and erfinv), clipped to the bounds.

    Example:
        >>> import keyrand as kr
        >>> x = kr.truncated_normal(-1.0, 2.0, (1000,), key=kr.key(0))
        >>> bool(((-1 <= x) & (x <= 2)).all())
        True
    """
    dt, kt = float_dtype(dtype)
    if kt in (_T_F32, _F64_TYPE) and shape is not None and _scalar(lower, "lower") \
            and _scalar(upper, "upper"):
        keys, dims = _keys(key), as_shape(shape)
        if kt == _F64_TYPE:
            return _draw_f64(_TRUNCATED_NORMAL, keys, dims, lower, upper)
        return _draw(_TRUNCATED_NORMAL, kt, dt, keys, dims, lower, upper)
    lo, up = _param(lower, "lower", dt), _param(upper, "upper", dt)
    dims = _out_shape(shape, {"lower": lo, "upper": up})
    if kt == _F64_TYPE:
        return _truncated_normal_f64(_keys(key), dims, lo, up)
    # Half types: each op widened to float32 and rounded back, as MLX does.
    sqrt2 = dt.type(_SQRT2)
    a = _special(_core.Special.SPECIAL_ERF, (lo / sqrt2).astype(dt)).astype(dt)
    b = _special(_core.Special.SPECIAL_ERF, (up / sqrt2).astype(dt)).astype(dt)
    u = uniform(a, b, dims, dt, key=_keys(key))
    out = (sqrt2 * _special(_core.Special.SPECIAL_ERFINV, u).astype(dt)).astype(dt)
    return np.asarray(np.maximum(np.minimum(out, up), lo), dtype=dt)  # lo wins, as MLX


def _axis(axis, ndim: int, name: str = "axis") -> int:
    ax = as_int(axis, name)
    if not -ndim <= ax < ndim:
        raise ValueError(f"{name} {ax} is out of range for an array of {ndim} dimensions")
    return ax % ndim


def categorical(logits, axis=-1, shape=None, num_samples=None, key=None,
                stream=None) -> np.ndarray:
    """Category indices drawn with probabilities ``softmax(logits)`` along
    ``axis``, as ``mlx.core.random.categorical`` (uint32, bit-identical).

    With neither ``shape`` nor ``num_samples`` the result has the shape of
    ``logits`` without ``axis``; ``shape`` must broadcast that shape;
    ``num_samples`` appends a trailing dimension of that many draws. Like MLX,
    1-D logits with a non-empty ``shape`` sample by inverse CDF (memory
    ``O(n + draws)``) and all other cases by the Gumbel-max trick.

    Example:
        >>> import numpy as np, keyrand as kr
        >>> logits = np.log(np.array([0.2, 0.3, 0.5], np.float32))
        >>> kr.categorical(logits, num_samples=4, key=kr.key(0)).shape
        (4,)
    """
    x = _param(logits, "logits", np.float32)
    if x.ndim == 0:
        raise ValueError("logits must have at least one dimension")
    ax = _axis(axis, x.ndim)
    n = x.shape[ax]
    if n == 0:
        raise ValueError("logits must have at least one category along axis")
    reduced = x.shape[:ax] + x.shape[ax + 1:]
    if shape is not None and num_samples is not None:
        raise ValueError("at most one of shape and num_samples may be given")
    if num_samples is not None:
        draws = as_int(num_samples, "num_samples")
        if draws < 0:
            raise ValueError(f"num_samples must be non-negative; got {draws}")
        x, dims = x[..., None], reduced + (draws,)
    else:
        dims = reduced if shape is None else _out_shape(shape, {"logits (without axis)":
                                                                 np.broadcast_to(np.bool_(0), reduced)})
    inverse_cdf = x.size == n and bool(dims)
    if math.prod(dims) * (1 if inverse_cdf else n) > _streams.MAX_WORDS:
        raise ValueError(f"{'num_samples' if num_samples is not None else 'shape'}: {dims} "
                         f"draws over {n} categories need more than {_streams.MAX_WORDS} "
                         "32-bit words, the MLX stream layout's limit")
    keys = _keys(key)
    if inverse_cdf:
        return _categorical_inverse_cdf(x.reshape(n), dims, keys)
    # Gumbel-max: the categories sit at `offset` among the requested dims.
    offset = ax + len(dims) - x.ndim + 1
    g = _draw(_GUMBEL, _T_F32, _F32, keys,
              dims[:offset] + (n,) + dims[offset:])
    np.add(g, x, out=g)
    return np.asarray(np.argmax(g, axis=keys.ndim - 1 + offset), dtype=np.uint32)


def _categorical_inverse_cdf(x: np.ndarray, dims, keys) -> np.ndarray:
    top = x.max()
    # exp(x - inf) is NaN: an infinite maximum makes the maximal entries equally likely.
    w = (x == top).astype(np.float32) if np.isinf(top) else \
        _special(_core.Special.SPECIAL_EXP, x - top)
    # MLX sums and scans float32 left to right on the CPU; so does cumsum.
    running = np.cumsum(w, dtype=np.float32)
    cdf = np.concatenate([np.zeros(1, np.float32), running[:-1]])
    u = _draw(_UNIFORM, _T_F32, _F32, keys, dims, 0.0,
              float(running[-1]))
    return (np.searchsorted(cdf, u, side="right") - 1).astype(np.uint32)


def _truncated_normal_f64(keys, dims, lo: np.ndarray, up: np.ndarray) -> np.ndarray:
    """JAX's x64 truncated_normal with per-element bounds (kr_sampler_f64).
    XLA turns the division of an array bound by the constant sqrt 2 into a
    product with fl(1 / sqrt 2), as keyrand.jax's truncated_normal does."""
    a = _xla(_core.XlaFn.XLA_ERF, lo * _INV_SQRT2)
    b = _xla(_core.XlaFn.XLA_ERF, up * _INV_SQRT2)
    out = _SQRT2 * _xla(_core.XlaFn.XLA_ERFINV, _uniform_f64(keys, dims, a, b))
    out = np.where(np.abs(out) < np.finfo(np.float64).tiny, out * 0.0, out)  # XLA flushes subnormals
    return np.asarray(np.minimum(np.maximum(out, np.nextafter(lo, np.inf)),
                                 np.nextafter(up, -np.inf)))


def _covariance_root(c: np.ndarray) -> np.ndarray:
    """MLX's square root of each cov matrix, ``U diag(sqrt(S)) V^T`` from its
    SVD, whatever the matrix (MLX checks neither symmetry nor definiteness).
    A NaN entry is refused, as MLX's SVD fails on it; a matrix with an
    infinite entry gives NaN, as MLX's does."""
    if np.isnan(c).any():
        raise ValueError("cov must not contain NaN (MLX's SVD fails on it)")
    infinite = np.isinf(c).any(axis=(-2, -1))
    if infinite.any():
        c = np.where(infinite[..., None, None], c.dtype.type(0), c)
    u, s, vt = np.linalg.svd(c)
    root = (u * np.sqrt(s)[..., None, :]) @ vt
    if infinite.any():
        root[infinite] = np.nan
    return root


def multivariate_normal(mean, cov, shape=(), dtype=np.float32, key=None,
                        stream=None) -> np.ndarray:
    """Multivariate normal vectors, as ``mlx.core.random.multivariate_normal``.

    Like MLX, the square root of ``cov`` is ``U diag(sqrt(S)) V^T`` from its
    SVD (LAPACK ``gesdd``, here through NumPy), ``z = normal(shape + (n,))``
    and the result is ``mean + z @ sqrt(cov)``, all in float32. ``mean`` has
    shape ``(..., n)`` and ``cov`` ``(..., n, n)``; their batch dimensions
    broadcast with ``shape``. As in MLX, ``cov`` is not checked for symmetry
    or definiteness (the SVD root is used whatever it is); an infinite entry
    gives NaN vectors and a NaN entry is a ValueError (MLX's SVD fails).

    Example:
        >>> import numpy as np, keyrand as kr
        >>> x = kr.multivariate_normal(np.zeros(2), np.eye(2), (5,), key=kr.key(0))
        >>> x.shape, x.dtype
        ((5, 2), dtype('float32'))
    """
    dt = to_numpy_dtype(np.float32 if dtype is None else dtype)
    if dt not in (_F32, _F64):  # a ValueError for any other dtype, as in MLX
        raise ValueError(f"multivariate_normal supports dtypes float32 and float64; got {dt}")
    kt = int(FLOAT_DTYPES[dt])
    mu, c = _param(mean, "mean", dt), _param(cov, "cov", dt)
    if mu.ndim < 1:
        raise ValueError("mean must have at least one dimension")
    if c.ndim < 2 or c.shape[-1] != c.shape[-2]:
        raise ValueError(f"cov must have shape (..., n, n); got {c.shape}")
    n = mu.shape[-1]
    if c.shape[-1] != n:
        raise ValueError(f"mean of shape {mu.shape} and cov of shape {c.shape} "
                         "disagree on the dimension n")
    dims = as_shape(shape)
    try:
        batch = np.broadcast_shapes(c.shape[:-2], mu.shape[:-1], dims)
    except ValueError as exc:
        raise ValueError(f"the batch shapes of mean {mu.shape[:-1]}, cov {c.shape[:-2]} "
                         f"and shape {dims} cannot be broadcast together") from exc
    keys = _keys(key)
    if n == 0:
        return np.empty(keys.shape[:-1] + batch + (0,), dt)
    root = _covariance_root(c)
    z = _draw(_NORMAL, kt, dt, keys, batch + (n,))  # keyrand.normal's draws, as in MLX
    return mu + (z[..., None, :] @ root)[..., 0, :]
