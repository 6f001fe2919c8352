"""Samplers with the names, arguments and numbers of mlx.core.random.

Scalar parameters take the fused C path (words -> values in L1-sized blocks,
output written once). Array parameters broadcast as MLX broadcasts them: the
C core produces the parameter-free part and NumPy applies the parameters with
the same per-op rounding in the output dtype that MLX uses."""
from __future__ import annotations

import math

import numpy as np

from . import _core, _state
from ._core import kr_dist, kr_type
from ._dtypes import FLOAT_TYPES as FLOAT_DTYPES, float_dtype, int_dtype, to_numpy_dtype
from ._streams import check_halves_size
from ._prng import bits
from ._validate import as_int, as_key, as_shape, size_of

_SQRT2 = math.sqrt(2.0)
# nextafter(float32(2**32), inf): MLX's bernoulli threshold scale.
_BERNOULLI_SCALE = np.float32(4294967808.0)


def _keys(key):
    return _state.next_key() if key is None else as_key(key)


def _draw(dist, ktype, dtype, keys, shape, a=0.0, b=0.0, has_loc=False, has_scale=False,
          lo=0, hi=0) -> np.ndarray:
    """One value per 32-bit word of each key's MLX stream of prod(shape) words."""
    n = size_of(shape)
    check_halves_size(n, f"a sample of shape {shape}")
    out = np.empty(keys.shape[:-1] + shape, dtype=dtype)
    if out.size:
        flat = keys.reshape(-1, 2)
        _core.sample(dist, ktype, a, b, has_loc, has_scale, lo, hi, flat, n, 0,
                     out.reshape(len(flat), -1).view(np.uint8))
    return out


def _param(value, name: str, dtype) -> np.ndarray:
    """A parameter as an array of `dtype` (rounded as MLX's astype), NaN-free."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers") from exc
    if arr.dtype.kind not in "biuf" and arr.dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be a number or an array of numbers; got dtype {arr.dtype}")
    if arr.dtype.kind not in "biu" and np.isnan(arr.astype(np.float32)).any():
        raise ValueError(f"{name} must not be NaN")
    return arr.astype(dtype)


def _out_shape(shape, params: dict, default=None) -> tuple[int, ...]:
    """MLX's result shape: `shape`, which the parameters must broadcast to
    without enlarging; with shape None, the parameters' broadcast shape."""
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


def uniform(low=0.0, high=1.0, shape=(), dtype=np.float32, key=None, stream=None) -> np.ndarray:
    """Uniform values in ``[low, high)``, as ``mlx.core.random.uniform``.

    ``low`` and ``high`` broadcast against each other and must broadcast to
    ``shape``. Values are bit-identical to MLX for float32, float16 and
    bfloat16: ``u = min(round(bits) / 2**32, 1 - eps/2)`` in the dtype, then
    ``(high - low) * u + low`` with each operation rounded to the dtype.

    Example:
        >>> import keyrand as kr
        >>> x = kr.uniform(-1, 1, shape=(2, 3), key=kr.key(0))
        >>> x.shape, x.dtype
        ((2, 3), dtype('float32'))
    """
    dt, kt = float_dtype(dtype)
    lo, hi = _param(low, "low", dt), _param(high, "high", dt)
    dims = _out_shape(shape, {"low": lo, "high": hi})
    keys = _keys(key)
    if lo.ndim == 0 and hi.ndim == 0:
        return _draw(kr_dist.KR_UNIFORM, kt, dt, keys, dims, float(lo), float(hi - lo))
    u = _draw(kr_dist.KR_UNIFORM, kt, dt, keys, dims, 0.0, 1.0)
    return ((hi - lo) * u + lo).astype(dt, copy=False)


def normal(shape=(), dtype=np.float32, loc=None, scale=None, key=None, stream=None) -> np.ndarray:
    """Normal values, as ``mlx.core.random.normal``.

    ``sqrt(2) * erfinv(s)`` for ``s`` uniform on ``(-1, 1)``, with MLX's
    float32 erfinv, then scaled by ``scale`` and shifted by ``loc`` (each
    rounded to the dtype). Bit-identical to MLX on Linux (glibc ``logf``).

    Example:
        >>> import keyrand as kr
        >>> kr.normal((1000,), key=kr.key(0)).std().round(1)
        np.float32(1.0)
    """
    dt, kt = float_dtype(dtype)
    params = {}
    if loc is not None:
        params["loc"] = _param(loc, "loc", dt)
    if scale is not None:
        params["scale"] = _param(scale, "scale", dt)
    dims = _out_shape(shape, params)
    keys = _keys(key)
    c = dt.type(_SQRT2)
    if scale is not None:
        c = (c * params["scale"]).astype(dt)
    if c.ndim == 0 and all(p.ndim == 0 for p in params.values()):
        return _draw(kr_dist.KR_NORMAL, kt, dt, keys, dims, float(c),
                     float(params.get("loc", 0.0)), has_loc=loc is not None)
    out = c * _draw(kr_dist.KR_NORMAL, kt, dt, keys, dims, 1.0)
    if loc is not None:
        out = params["loc"] + out
    return np.broadcast_to(out, keys.shape[:-1] + dims).astype(dt)


def randint(low, high, shape=(), dtype=np.int32, key=None, stream=None) -> np.ndarray:
    """Integers in ``[low, high)``, as ``mlx.core.random.randint``.

    MLX draws a float32 uniform on ``[low, high)`` and floors it, so wide
    ranges do not reach every integer; keyrand reproduces that exactly.

    Example:
        >>> import keyrand as kr
        >>> r = kr.randint(0, 10, (100,), key=kr.key(0))
        >>> bool(((0 <= r) & (r < 10)).all())
        True
    """
    as_bool = to_numpy_dtype(dtype) == np.bool_
    dt, kt = (np.dtype(np.bool_), None) if as_bool else int_dtype(dtype)
    lo, hi = _param(low, "low", np.int64), _param(high, "high", np.int64)
    dims = _out_shape(shape, {"low": lo, "high": hi})
    keys = _keys(key)
    lo32, hi32 = lo.astype(np.float32), hi.astype(np.float32)
    if lo.ndim == 0 and hi.ndim == 0 and not as_bool:
        return _draw(kr_dist.KR_RANDINT, kt, dt, keys, dims, float(lo32), float(hi32 - lo32),
                     lo=int(lo), hi=int(hi) - 1)
    # MLX casts floor(u) and both bounds to the dtype before clamping.
    u = _draw(kr_dist.KR_UNIFORM, kr_type.KR_F32, np.float32, keys, dims, 0.0, 1.0)
    f = np.floor((hi32 - lo32) * u + lo32).astype(np.int64)
    if as_bool:
        return np.maximum(np.minimum(f != 0, hi - 1 != 0), lo != 0)
    return np.maximum(np.minimum(f, hi - 1), lo).astype(dt)


def bernoulli(p=0.5, shape=None, key=None, stream=None) -> np.ndarray:
    """Booleans that are True with probability ``p``, as ``mlx.core.random.bernoulli``.

    With ``shape=None`` the result has the shape of ``p``.

    Example:
        >>> import keyrand as kr
        >>> kr.bernoulli(0.25, (8,), key=kr.key(0)).dtype
        dtype('bool')
    """
    prob = _param(p, "p", np.float32)
    if ((prob < 0) | (prob > 1)).any():
        raise ValueError("p must lie in [0, 1]")
    dims = _out_shape(shape, {"p": prob})
    keys = _keys(key)
    if prob.ndim == 0:
        return _draw(kr_dist.KR_BERNOULLI, kr_type.KR_BOOL, np.bool_, keys, dims,
                     float(prob * _BERNOULLI_SCALE))
    return bits(dims, 4, key=keys).astype(np.float32) < prob * _BERNOULLI_SCALE


def gumbel(shape=(), dtype=np.float32, key=None, stream=None) -> np.ndarray:
    """Standard Gumbel values ``-log(-log(u))``, as ``mlx.core.random.gumbel``.

    Example:
        >>> import keyrand as kr
        >>> kr.gumbel((3,), key=kr.key(0)).shape
        (3,)
    """
    dt, kt = float_dtype(dtype)
    return _draw(kr_dist.KR_GUMBEL, kt, dt, _keys(key), as_shape(shape))


def laplace(shape=(), dtype=np.float32, loc=0.0, scale=1.0, key=None, stream=None) -> np.ndarray:
    """Laplace values ``loc + scale * sign(s) * log1p(-|s|)``, as
    ``mlx.core.random.laplace``.

    Example:
        >>> import keyrand as kr
        >>> kr.laplace((2, 2), loc=1.0, scale=2.0, key=kr.key(0)).shape
        (2, 2)
    """
    dt, kt = float_dtype(dtype)
    loc_a, scale_a = _param(loc, "loc", dt), _param(scale, "scale", dt)
    dims = _out_shape(shape, {"loc": loc_a, "scale": scale_a})
    keys = _keys(key)
    if loc_a.ndim == 0 and scale_a.ndim == 0:
        return _draw(kr_dist.KR_LAPLACE, kt, dt, keys, dims, float(scale_a), float(loc_a),
                     has_loc=float(loc_a) != 0.0, has_scale=float(scale_a) != 1.0)
    out = scale_a * _draw(kr_dist.KR_LAPLACE, kt, dt, keys, dims)
    return np.broadcast_to(loc_a + out, keys.shape[:-1] + dims).astype(dt)


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
        if n < 0:
            raise ValueError(f"x must be non-negative; got {n}")
        return np.argsort(bits((n,), 4, key=key), kind="stable").astype(np.uint32)
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise ValueError("x must be an integer or an array with at least one dimension")
    ax = as_int(axis, "axis")
    if not -arr.ndim <= ax < arr.ndim:
        raise ValueError(f"axis {ax} is out of range for an array of {arr.ndim} dimensions")
    order = np.argsort(bits((arr.shape[ax],), 4, key=key), kind="stable")
    return np.take(arr, order, axis=ax)


def _special(which, x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
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
    dt, _ = float_dtype(dtype)
    lo, up = _param(lower, "lower", dt), _param(upper, "upper", dt)
    dims = _out_shape(shape, {"lower": lo, "upper": up})
    # Half types: each op widened to float32 and rounded back, as MLX does.
    sqrt2 = dt.type(_SQRT2)
    a = _special(_core.Special.SPECIAL_ERF, (lo / sqrt2).astype(dt)).astype(dt)
    b = _special(_core.Special.SPECIAL_ERF, (up / sqrt2).astype(dt)).astype(dt)
    u = uniform(a, b, dims, dt, key=_keys(key))
    out = (sqrt2 * _special(_core.Special.SPECIAL_ERFINV, u).astype(dt)).astype(dt)
    return np.minimum(np.maximum(out, lo), up).astype(dt, copy=False)


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
    keys = _keys(key)
    if x.size == n and dims:
        return _categorical_inverse_cdf(x.reshape(n), dims, keys)
    # Gumbel-max: the categories sit at `offset` among the requested dims.
    offset = ax + len(dims) - x.ndim + 1
    g = _draw(kr_dist.KR_GUMBEL, kr_type.KR_F32, np.float32, keys,
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
    u = _draw(kr_dist.KR_UNIFORM, kr_type.KR_F32, np.float32, keys, dims, 0.0,
              float(running[-1]))
    return (np.searchsorted(cdf, u, side="right") - 1).astype(np.uint32)


def _check_covariance(cov: np.ndarray) -> None:
    """cov must be a finite, symmetric, positive semi-definite batch of matrices
    (up to float32 rounding: 1e-5 of its largest entry / eigenvalue)."""
    if not np.isfinite(cov).all():
        raise ValueError("cov must be finite")
    c = cov.astype(np.float64)
    scale = np.abs(c).max(axis=(-2, -1), initial=0.0)
    if (np.abs(c - np.swapaxes(c, -1, -2)).max(axis=(-2, -1), initial=0.0)
            > 1e-5 * scale).any():
        raise ValueError("cov must be symmetric")
    eig = np.linalg.eigvalsh(c)
    if (eig.min(axis=-1, initial=0.0) < -1e-5 * np.abs(eig).max(axis=-1, initial=0.0)).any():
        raise ValueError("cov must be positive semi-definite")


def multivariate_normal(mean, cov, shape=(), dtype=np.float32, key=None,
                        stream=None) -> np.ndarray:
    """Multivariate normal vectors, as ``mlx.core.random.multivariate_normal``.

    Like MLX, the square root of ``cov`` is ``U diag(sqrt(S)) V^T`` from its
    SVD (LAPACK ``gesdd``, here through NumPy), ``z = normal(shape + (n,))``
    and the result is ``mean + z @ sqrt(cov)``, all in float32. ``mean`` has
    shape ``(..., n)`` and ``cov`` ``(..., n, n)``; their batch dimensions
    broadcast with ``shape``. ``cov`` must be symmetric positive
    semi-definite (checked, to float32 rounding).

    Example:
        >>> import numpy as np, keyrand as kr
        >>> x = kr.multivariate_normal(np.zeros(2), np.eye(2), (5,), key=kr.key(0))
        >>> x.shape, x.dtype
        ((5, 2), dtype('float32'))
    """
    dt, _ = float_dtype(dtype)
    if dt != np.float32:
        raise ValueError(f"multivariate_normal supports dtype float32 only; got {dt}")
    mu, c = _param(mean, "mean", np.float32), _param(cov, "cov", np.float32)
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
    _check_covariance(c)
    keys = _keys(key)
    if n == 0:
        return np.empty(keys.shape[:-1] + batch + (0,), np.float32)
    u, s, vt = np.linalg.svd(c)
    root = (u * np.sqrt(s)[..., None, :]) @ vt
    z = _draw(kr_dist.KR_NORMAL, kr_type.KR_F32, np.float32, keys, batch + (n,),
              float(np.float32(_SQRT2)))
    return mu + (z[..., None, :] @ root)[..., 0, :]
