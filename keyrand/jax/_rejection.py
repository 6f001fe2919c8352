"""jax.random's rejection-sampled family: gamma (Marsaglia-Tsang with JAX's
per-element keys) and what is built on it (loggamma, beta, dirichlet,
chisquare, f, t, generalized_normal, ball), poisson (Knuth / Hormann PTRS),
binomial (inversion / Hormann BTRS) and multinomial.

gamma / loggamma in float32 and float64 run in C (sample_gamma.h: the loop
over a block's active lanes, their key chains hashed side by side), and so
do poisson and float32 binomial (sample_poisson.h, sample_binomial.h: JAX's
whole-array rounds, where a later acceptance overwrites an earlier one, per
element). The rest here, and the half types, loop in NumPy over the
still-active elements only, with the same per-element key sequence, so each
element sees exactly the draws it sees in JAX."""
from __future__ import annotations

import math

import numpy as np

from .. import _core
from .._validate import as_array, as_dim, as_shape
from ._continuous import (_c, _fma, _normal, _op, _param_shape, _times_recip, complex_normal,
                          saturating_int, _work, xla)
from ._draws import (F32, F64, as_param, check_safe_cast, check_shape, complex_dtype, float_dtype,
                     int_dtype, keys_of, split2,
                     uniform as _uniform, _word_layout, _word64_layout)
from ._config import canonical_dtype, fixed_modes, x64_enabled
from ._discrete import per_key
from ._host import host_profile
from ._scan import xla_cumsum
from ._keys import split


def _flush(x):
    tiny = np.finfo(x.dtype).smallest_normal if x.dtype in (F32, F64) else 0
    return np.where(np.abs(x) < tiny, x.dtype.type(0), x) if tiny else x


def _split3(keys):
    parts = split(keys, 3)
    return tuple(np.ascontiguousarray(parts[..., i, :]) for i in range(3))


def _gamma_elements(keys: np.ndarray, alpha: np.ndarray, dt, log_space: bool) -> np.ndarray:
    """Gamma(alpha[i]) (or its log) from keys[i], element by element as JAX's
    vmapped Marsaglia-Tsang loop computes it; keys (n, 2), alpha (n,)."""
    third, squeeze = _c(1.0 / 3.0, dt), _c(0.0331, dt)
    one, zero = _c(1.0, dt), _c(0.0, dt)
    boost = alpha >= one
    a = np.where(boost, alpha, _op(dt, np.add, alpha, one))
    d = _op(dt, np.subtract, a, third)
    c = _op(dt, np.multiply, third, xla("rsqrt", d))  # XLA: third / sqrt(d) -> * rsqrt
    key, sub = split2(keys)
    n = alpha.shape[0]
    X, V, U = np.zeros(n, dt), np.ones(n, dt), np.full(n, 2.0, dt)

    def keep_going(X, V, U, d):
        bound = _op(dt, np.subtract, one, _op(dt, np.multiply, squeeze, _op(dt, np.multiply, X, X)))
        lhs = _op(dt, np.add, _op(dt, np.multiply, X, _c(0.5, dt)),
                  _op(dt, np.multiply, d, _op(dt, np.add, _op(dt, np.subtract, one, V),
                                              xla("log", V))))
        return (U >= bound) & (xla("log", U) >= lhs)

    active = np.flatnonzero(keep_going(X, V, U, d))
    while active.size:
        k_next, xk, uk = _split3(key[active])
        key[active] = k_next
        x = np.zeros(active.size, dt)
        v = np.full(active.size, -1.0, dt)
        inner = np.arange(active.size)
        while inner.size:
            xk_next, s = split2(xk[inner])
            xk[inner] = xk_next
            x[inner] = _normal(s, (), dt)
            v[inner] = _fma(dt, x[inner], c[active][inner], one)
            inner = inner[v[inner] <= zero]
        X[active] = _op(dt, np.multiply, x, x)
        V[active] = _op(dt, np.multiply, _op(dt, np.multiply, v, v), v)
        U[active] = _uniform(uk, (), dt)
        go = keep_going(X[active], V[active], U[active], d[active])
        active = active[go]
    inv_alpha = _op(dt, np.divide, one, alpha)
    if log_space:
        ls = xla("log1p", -_uniform(sub, (), dt))
        lb = np.where(boost | (ls == zero), zero, _op(dt, np.multiply, ls, inv_alpha))
        return _flush(_op(dt, np.add, _op(dt, np.add, xla("log", d), xla("log", V)), lb))
    u = _uniform(sub, (), dt)
    b = np.where(boost, one, xla("pow", _op(dt, np.subtract, one, u), inv_alpha))
    return _flush(_op(dt, np.multiply, _op(dt, np.multiply, d, V), b))


def _trailing(a: np.ndarray, dims: tuple[int, ...], dt) -> np.ndarray:
    """a broadcast to dims, flat, as few values as repeat in the flat output
    (the C samplers read element i's parameter at i % size)."""
    core = a.shape[next((i for i, s in enumerate(a.shape) if s != 1), a.ndim):]
    if core == dims[len(dims) - len(core):]:
        return np.ascontiguousarray(a, dtype=dt).reshape(-1)
    return np.ascontiguousarray(np.broadcast_to(a, dims), dtype=dt).reshape(-1)


def _gamma(keys, a, dims, dt, log_space):
    """gamma / loggamma draws of shape keys.shape[:-1] + dims."""
    if dt in (F32, F64):
        layout, steps = (_word64_layout(), 0) if dt == F64 else (_word_layout(),
                                                                   host_profile().rsqrt_steps)
        return _core.draw_gamma_jax(layout, keys, dims, _trailing(np.asarray(a), dims, dt),
                                    log_space, steps)
    alpha = np.broadcast_to(a, dims)
    n = math.prod(dims)
    per = split(keys, n).reshape(keys.shape[:-1] + (n, 2))  # one key per element
    flat_keys = per.reshape(-1, 2)
    flat_alpha = np.broadcast_to(alpha.reshape(-1), keys.shape[:-1] + (n,)).reshape(-1)
    out = _gamma_elements(np.ascontiguousarray(flat_keys), np.ascontiguousarray(flat_alpha), dt,
                          log_space)
    return out.reshape(keys.shape[:-1] + dims)


@fixed_modes
def gamma(key, a, shape=None, dtype=None) -> np.ndarray:
    """Gamma(a) floats, as ``jax.random.gamma``: Marsaglia-Tsang rejection
    with one key per element (``split(key, n)``), boosted for ``a < 1``.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.gamma(jr.PRNGKey(0), 2.5, (100,)) > 0).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "gamma")
    alpha = as_param(a, dt, "a")
    dims = _param_shape("gamma", shape, a=alpha)
    return _gamma(keys, alpha, dims, dt, False)


@fixed_modes
def loggamma(key, a, shape=None, dtype=None) -> np.ndarray:
    """log of Gamma(a) floats, computed in log space (accurate for tiny ``a``),
    as ``jax.random.loggamma``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.loggamma(jr.PRNGKey(0), 0.1, (3,)).shape
        (3,)
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "gamma")
    alpha = as_param(a, dt, "a")
    dims = _param_shape("gamma", shape, a=alpha)
    return _gamma(keys, alpha, dims, dt, True)


@fixed_modes
def beta(key, a, b, shape=None, dtype=None) -> np.ndarray:
    """Beta(a, b) floats, as ``jax.random.beta``: two loggamma draws from the
    halves of ``split(key)``, combined stably.

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.beta(jr.PRNGKey(0), 2.0, 3.0, (100,))
        >>> bool(((0 <= x) & (x <= 1)).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "beta")
    check_safe_cast("beta", dt, a=a, b=b)
    pa, pb = as_param(a, dt, "a"), as_param(b, dt, "b")
    dims = _param_shape("beta", shape, a=pa, b=pb)
    ka, kb = split2(keys)
    la = _gamma(ka, pa, dims, dt, True)
    lb = _gamma(kb, pb, dims, dt, True)
    m = np.maximum(la, lb)
    ga = xla("exp", _op(dt, np.subtract, la, m))
    gb = xla("exp", _op(dt, np.subtract, lb, m))
    return _op(dt, np.divide, ga, _op(dt, np.add, ga, gb))


@fixed_modes
def dirichlet(key, alpha, shape=None, dtype=None) -> np.ndarray:
    """Dirichlet(alpha) vectors along the last axis, as ``jax.random.dirichlet``:
    one loggamma per component, then a softmax.

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.dirichlet(jr.PRNGKey(0), [1.0, 2.0, 3.0], (4,))
        >>> x.shape, bool(abs(x.sum(-1) - 1).max() < 1e-5)
        ((4, 3), True)
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "dirichlet")
    al = as_param(alpha, dt, "alpha")
    if al.ndim < 1:
        raise ValueError(f"dirichlet requires alpha.ndim >= 1, got alpha.ndim == {al.ndim}")
    if al.shape[-1] == 0:
        raise ValueError("alpha must hold at least one concentration along its last axis")
    batch = al.shape[:-1] if shape is None else as_shape(shape)
    dims = tuple(batch) + al.shape[-1:]
    _param_shape("dirichlet", dims, alpha=al)
    lg = _gamma(keys, al, dims, dt, True)
    e = xla("exp", _op(dt, np.subtract, lg, np.max(lg, axis=-1, keepdims=True)))
    w = _work(dt)
    total = np.zeros(e.shape[:-1], w)
    for j in range(e.shape[-1]):  # left to right, as XLA's loop reduction
        total = (total + e[..., j].astype(w)).astype(w)
    return _times_recip(dt, e, total.astype(dt, copy=False)[..., None])


@fixed_modes
def chisquare(key, df, shape=None, dtype=None) -> np.ndarray:
    """Chi-square(df) floats, as ``jax.random.chisquare``: ``2 exp(loggamma(df / 2))``.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.chisquare(jr.PRNGKey(0), 3.0, (10,)) > 0).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "chisquare")
    check_safe_cast("chisquare", dt, df=df)
    d = as_param(df, dt, "df")
    dims = _param_shape("chisquare", shape, df=d)
    lg = _gamma(keys, _op(dt, np.multiply, d, _c(0.5, dt)), dims, dt, True)
    return _op(dt, np.multiply, xla("exp", lg), _c(2.0, dt))


@fixed_modes
def f(key, dfnum, dfden, shape=None, dtype=None) -> np.ndarray:
    """F(dfnum, dfden) floats, as ``jax.random.f`` (the first half of
    ``split(key)`` draws the denominator, as in JAX).

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.f(jr.PRNGKey(0), 3.0, 5.0, (10,)) > 0).all())
        True
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "f")
    check_safe_cast("f", dt, dfnum=dfnum, dfden=dfden)
    dn, dd = as_param(dfnum, dt, "dfnum"), as_param(dfden, dt, "dfden")
    dims = _param_shape("f", shape, dfnum=dn, dfden=dd)
    for v, name in ((dn, "dfnum"), (dd, "dfden")):
        if v.ndim and v.shape != tuple(dims):  # JAX divides with lax.div: same shapes only
            raise TypeError(f"f: {name} of shape {v.shape} does not match shape {tuple(dims)}")
    kd, kn = split2(keys)
    ln = _gamma(kn, _op(dt, np.multiply, dn, _c(0.5, dt)), dims, dt, True)
    ld = _gamma(kd, _op(dt, np.multiply, dd, _c(0.5, dt)), dims, dt, True)
    # XLA rewrites (chi_n / dfnum) / (chi_d / dfden) as (e_n * 2 dfden) / (e_d * 2 dfnum).
    top = _op(dt, np.multiply, xla("exp", ln), _op(dt, np.multiply, dd, _c(2.0, dt)))
    bottom = _op(dt, np.multiply, xla("exp", ld), _op(dt, np.multiply, dn, _c(2.0, dt)))
    return _op(dt, np.divide, top, bottom)


@fixed_modes
def t(key, df, shape=None, dtype=None) -> np.ndarray:
    """Student's t(df) floats, as ``jax.random.t``: ``z * sqrt(h / gamma(h))``,
    ``h = df / 2``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.t(jr.PRNGKey(0), 4.0, (10,)).shape
        (10,)
    """
    keys = keys_of(key)
    dt = float_dtype(dtype, "t")
    check_safe_cast("t", dt, df=df)
    d = as_param(df, dt, "df")
    dims = _param_shape("t", shape, df=d)
    kn, kg = split2(keys)
    z = _normal(kn, dims, dt)
    h = _op(dt, np.multiply, d, _c(0.5, dt))
    g = _gamma(kg, h, dims, dt, False)
    return _op(dt, np.multiply, z, _op(dt, np.sqrt, _op(dt, np.divide, h, g)))


_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _stirling_tail(k, dt):
    """JAX's Stirling tail: a table up to 9; above, the series evaluated at
    the clamped k = 9 (so a constant, as JAX computes it)."""
    table = np.array(_STIRLING_TAIL, dtype=dt)
    kc = np.clip(k, _c(0.0, dt), _c(9.0, dt))
    kp1 = _op(dt, np.add, kc, _c(1.0, dt))
    kp1sq = _op(dt, np.multiply, kp1, kp1)
    inner = _op(dt, np.subtract, _c(1.0 / 360, dt),
                _op(dt, np.divide, _c(1.0 / 1260, dt), kp1sq))
    approx = _op(dt, np.divide, _op(dt, np.subtract, _c(1.0 / 12, dt),
                                    _op(dt, np.divide, inner, kp1sq)), kp1)
    idx = np.floor(np.nan_to_num(kc, nan=0.0)).astype(np.int32)  # XLA's int32(NaN) is 0
    return np.where(k <= _c(9.0, dt), table[idx], approx)


def _binomial_inversion(keys, count, q, dims, dt):
    l1q = xla("log1p", -q)
    num = np.zeros(count.shape, dt)
    total = np.zeros(count.shape, dt)
    key = keys
    while (total <= count).any():  # log(u) / log1p(-0) = -inf for q = 0: JAX's semantics
        pair = split(key, 2)
        sub, key = np.ascontiguousarray(pair[..., 0, :]), np.ascontiguousarray(pair[..., 1, :])
        num = np.where(total <= count, _op(dt, np.add, num, _c(1.0, dt)), num)
        u = _uniform(sub, dims, dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.ceil(_op(dt, np.divide, xla("log", u), l1q))
        total = _op(dt, np.add, total, g)
    return _op(dt, np.subtract, num, _c(1.0, dt))


def _btrs(keys, count, q, dims, dt):
    o = lambda f, *a: _op(dt, f, *a)  # noqa: E731
    mul, add, sub, div = np.multiply, np.add, np.subtract, np.divide
    one, half = _c(1.0, dt), _c(0.5, dt)
    stddev = o(np.sqrt, o(mul, o(mul, count, q), o(sub, one, q)))
    b = o(add, _c(1.15, dt), o(mul, _c(2.53, dt), stddev))
    a = o(add, o(add, _c(-0.0873, dt), o(mul, _c(0.0248, dt), b)), o(mul, _c(0.01, dt), q))
    c = o(add, o(mul, count, q), half)
    v_r = o(sub, _c(0.92, dt), o(div, _c(4.2, dt), b))
    r = o(div, q, o(sub, one, q))
    alpha = o(mul, o(add, _c(2.83, dt), o(div, _c(5.1, dt), b)), stddev)
    m = np.floor(o(mul, o(add, count, one), q))
    k_out = np.full(count.shape, -1.0, dt)
    accepted = np.zeros(count.shape, bool)
    key = keys
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while not accepted.all():
            key, s0, s1 = _split3(key)
            u = o(sub, _uniform(s0, dims, dt), half)
            v = _uniform(s1, dims, dt)
            us = o(sub, half, np.abs(u))
            accept1 = (us >= _c(0.07, dt)) & (v <= v_r)
            k = np.floor(o(add, o(mul, o(add, o(div, o(mul, _c(2.0, dt), a), us), b), u), c))
            reject = (k < 0) | (k > count)
            v = xla("log", o(div, o(mul, v, alpha), o(add, o(div, a, o(mul, us, us)), b)))
            ub = _btrs_bound(dt, count, m, k, r)
            accept = accept1 | (~reject & (v <= ub))
            k_out = np.where(accept, k, k_out)
            accepted |= accept
    return k_out


def _btrs_bound(dt, count, m, k, r):
    o = lambda f, *a: _op(dt, f, *a)  # noqa: E731
    mul, add, sub, div = np.multiply, np.add, np.subtract, np.divide
    one, half = _c(1.0, dt), _c(0.5, dt)
    n_m1 = o(add, o(sub, count, m), one)
    n_k1 = o(add, o(sub, count, k), one)
    t1 = o(mul, o(add, m, half), xla("log", o(div, o(add, m, one), o(mul, r, n_m1))))
    t2 = o(mul, o(add, count, one), xla("log", o(div, n_m1, n_k1)))
    t3 = o(mul, o(add, k, half), xla("log", o(div, o(mul, r, n_k1), o(add, k, one))))
    ub = o(add, o(add, t1, t2), t3)
    ub = o(add, ub, _stirling_tail(m, dt))
    ub = o(add, ub, _stirling_tail(o(sub, count, m), dt))
    ub = o(sub, ub, _stirling_tail(k, dt))
    return o(sub, ub, _stirling_tail(o(sub, count, k), dt))


def _binomial(keys, count, prob, dims, dt):
    """JAX's binomial on validated, broadcast float arrays (count, prob in dt)."""
    one = _c(1.0, dt)
    p_lt_half = prob < _c(0.5, dt)
    q = np.where(p_lt_half, prob, _op(dt, np.subtract, one, prob))
    bad_count = np.isnan(count) | (count < 0)
    inf_count = np.isinf(count)
    q_nan, q_neg = np.isnan(q), q < 0
    # q + 0: p = -0.0 makes q = -0.0, whose log1p(-q) = +0 turns every geometric
    # step into -inf, and the inversion loop (JAX's too) would never end.
    q = np.where(q_nan | q_neg, _c(0.01, dt), q + _c(0.0, dt))
    with np.errstate(invalid="ignore"):
        use_inversion = bad_count | (_op(dt, np.multiply, count, q) <= _c(10.0, dt))
    count = np.floor(count)
    inv = _binomial_inversion(keys, np.where(use_inversion, count, _c(0.0, dt)), q, dims, dt)
    # Infinite counts (the result is inf) run in BTRS as they are, as in JAX:
    # they accept by the first shortcut only, and count in the loop's length.
    btrs = _btrs(keys, np.where(use_inversion, _c(1e4, dt), count),
                 np.where(use_inversion, _c(0.5, dt), q), dims, dt)
    s = np.where(use_inversion, inv, btrs)
    invalid = q_neg | q_nan | bad_count
    s = np.where(invalid, _c(np.nan, dt), s)
    s = np.where(inf_count & ~invalid, _c(np.inf, dt), s)
    keep = p_lt_half | bad_count | q_nan | inf_count
    with np.errstate(invalid="ignore"):
        return np.where(keep, s, _op(dt, np.subtract, count, s))


def _prob_dtype(*params):
    """jnp's promote_dtypes_inexact: the float type of the array parameters
    (64-bit narrowed unless in 64-bit mode), the default float otherwise."""
    from ._draws import canonical, prob_dtype
    kinds = [canonical(np.asarray(v)).dtype for v in params if not isinstance(v, (int, float))]
    floats = [d for d in kinds if d.kind == "f" or str(d) == "bfloat16"]
    return np.result_type(*floats) if floats else prob_dtype(0.5)


@fixed_modes
def binomial(key, n, p, shape=None, dtype=None) -> np.ndarray:
    """Binomial(n, p) counts as floats, as ``jax.random.binomial``: inversion
    for ``n * min(p, 1 - p) <= 10``, Hormann's BTRS rejection otherwise.

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.binomial(jr.PRNGKey(0), 20, 0.3, (100,))
        >>> bool(((0 <= x) & (x <= 20)).all())
        True
    """
    keys = keys_of(key)
    out_dt = float_dtype(dtype, "binomial")
    if type(n) in (int, float) and type(p) is float and -2**31 < n < 2**31 and not x64_enabled():
        # Python scalars (the common call): JAX's default float, no broadcasting
        count, prob = np.full(1, n, F32), np.full(1, p, F32)
        dims = _param_shape("binomial", shape, n=count[0], p=prob[0])
        return _core.draw_binomial_jax(_word_layout(), keys, dims, count,
                                       prob).astype(out_dt, copy=False)
    n, p = (v if isinstance(v, (int, float)) else as_array(v, name)
            for v, name in ((n, "n"), (p, "p")))
    pdt = _prob_dtype(p)
    prob = np.asarray(p).astype(pdt)
    count = np.asarray(n).astype(pdt)
    dims = _param_shape("binomial", shape, n=count, p=prob)
    if pdt == F32:
        return _core.draw_binomial_jax(_word_layout(), keys, dims, _trailing(count, dims, F32),
                                       _trailing(prob, dims, F32)).astype(out_dt, copy=False)
    count, prob = (np.broadcast_to(v, dims) for v in (count, prob))
    return per_key(keys, lambda k: _binomial(k, count, prob, dims, pdt),
                   (dims, pdt)).astype(out_dt)


@fixed_modes
def multinomial(key, n, p, *, shape=None, dtype=None) -> np.ndarray:
    """Multinomial(n, p) counts along the last axis, as ``jax.random.multinomial``:
    a binomial per category (keys from ``split(key, K)``) on what remains.
    ``shape`` includes the category axis, as in JAX.

    Example:
        >>> from keyrand import jax as jr
        >>> x = jr.multinomial(jr.PRNGKey(0), 10, [0.2, 0.3, 0.5])
        >>> float(x.sum())
        10.0
    """
    from .._dtypes import to_numpy_dtype
    keys = keys_of(key)
    out_dt = (float_dtype(None, "multinomial") if dtype is None
              else canonical_dtype(to_numpy_dtype(dtype)))
    if out_dt.kind not in "biufc" and out_dt.name != "bfloat16":
        raise TypeError(f"multinomial: dtype must be a numeric or bool dtype; got {out_dt}")
    n, p = (v if isinstance(v, (int, float)) else as_array(v, name)
            for v, name in ((n, "n"), (p, "p")))
    pdt = _prob_dtype(n, p)
    prob = np.asarray(p).astype(pdt)
    count = np.asarray(n).astype(pdt)
    if prob.ndim < 1:
        raise ValueError("p must have at least one dimension (the categories)")
    dims = prob.shape if shape is None else as_shape(shape)
    try:
        if np.broadcast_shapes(prob.shape, dims) != dims:
            raise ValueError
    except ValueError as exc:
        raise ValueError(f"p of shape {prob.shape} does not broadcast to the shape "
                         f"{dims}") from exc
    batch, cats = dims[:-1], dims[-1]
    try:
        remainder = np.broadcast_to(count, batch)
    except ValueError as exc:
        raise ValueError(f"n of shape {count.shape} does not broadcast to the batch shape "
                         f"{batch} (shape without the category axis)") from exc
    if cats == 0:  # no categories: nothing to count (JAX: an empty array)
        return np.zeros(keys.shape[:-1] + dims, out_dt)
    prob = np.broadcast_to(prob, prob.shape[:-1] + (cats,))
    if pdt == F32:
        rows = _trailing(prob, dims, F32).reshape(-1, cats)
        return _converted(_core.draw_multinomial_jax(_word_layout(), keys, dims,
                                                     _trailing(count, batch, F32), rows),
                          out_dt)
    # The ratios from p as given (elementwise, so equal to JAX's on the broadcast p)
    P = np.moveaxis(prob, -1, 0)
    rem = xla_cumsum(P, reverse=True)
    ratio = _op(pdt, np.divide, P, np.where(rem == 0, _c(1.0, pdt), rem))
    ratio = np.clip(ratio, _c(0.0, pdt), _c(1.0, pdt))

    def draw(k):
        sub = split(k, cats)
        left = remainder.astype(pdt)
        out = np.empty(dims, pdt)
        for i in range(cats):
            ci = _binomial(np.ascontiguousarray(sub[i]), left,
                           np.broadcast_to(ratio[i], batch), batch, pdt)
            left = _op(pdt, np.subtract, left, ci)
            out[..., i] = ci
        return out
    return _converted(per_key(keys, draw, (dims, pdt)), out_dt)


def _converted(x: np.ndarray, dt: np.dtype) -> np.ndarray:
    """x as XLA's convert_element_type gives it: integers saturate, NaN -> 0."""
    return saturating_int(x, dt) if dt.kind in "iu" else x.astype(dt, copy=False)


@fixed_modes
def poisson(key, lam, shape=None, dtype=None) -> np.ndarray:
    """Poisson(lam) integers, as ``jax.random.poisson``: Knuth's method for
    ``lam < 10``, Hormann's PTRS rejection above, all in float32 as JAX does.

    Example:
        >>> from keyrand import jax as jr
        >>> bool((jr.poisson(jr.PRNGKey(0), 3.0, (100,)) >= 0).all())
        True
    """
    keys = keys_of(key)
    out_dt = int_dtype(dtype, "poisson", ValueError)
    rate = as_array(lam, "lam")
    dims = _param_shape("poisson", shape, lam=rate)
    return _core.draw_poisson_jax(_word_layout(), keys, dims, _trailing(rate, dims, F32), out_dt)


@fixed_modes
def generalized_normal(key, p, shape=(), dtype=None) -> np.ndarray:
    """Generalized normal floats with shape parameter ``p``, as
    ``jax.random.generalized_normal``: a random sign times ``gamma(1/p) ** (1/p)``.

    Example:
        >>> from keyrand import jax as jr
        >>> jr.generalized_normal(jr.PRNGKey(0), 1.5, (4,)).shape
        (4,)
    """
    from ._discrete import rademacher
    keys = keys_of(key)
    dt = float_dtype(dtype, "generalized_normal")
    dims = as_shape(shape)
    check_shape("generalized_normal", dims, p=p)  # via gamma's check in JAX
    return _generalized_normal(keys, p, dims, dt, rademacher)


def _generalized_normal(keys, p, dims, dt, rademacher):
    inv_p = _weak_reciprocal(p, dt)
    k0, k1 = split2(keys)
    g = _gamma(k0, inv_p, dims, dt, False)
    r = rademacher(k1, dims, dt)
    return _op(dt, np.multiply, r, xla("pow", g, np.broadcast_to(inv_p, g.shape)))


def _weak_reciprocal(p, dt):
    """1 / p as JAX computes it for a Python scalar (in the default float type,
    then converted to dt) or an array (in its own type)."""
    from ._draws import prob_dtype
    w = prob_dtype(0.5) if isinstance(p, (int, float)) else np.asarray(p).dtype
    return (np.asarray(1.0, w) / np.asarray(p, w)).astype(dt, copy=False)


@fixed_modes
def ball(key, d, p=2, shape=(), dtype=None) -> np.ndarray:
    """Points uniform in the ``d``-dimensional unit ``p``-norm ball, as
    ``jax.random.ball``.

    Example:
        >>> import numpy as np
        >>> from keyrand import jax as jr
        >>> x = jr.ball(jr.PRNGKey(0), 3, shape=(10,))
        >>> x.shape, bool((np.linalg.norm(x, axis=-1) <= 1).all())
        ((10, 3), True)
    """
    from ._continuous import _exponential
    from ._discrete import rademacher
    keys = keys_of(key)
    dim = as_dim(d, "d")
    if as_array(p, "p").ndim:
        # JAX documents p as a float; its array-p shapes are an accident of
        # broadcasting ((d,) gives (d, d) points), not a feature to copy.
        raise ValueError(f"ball: p must be a scalar; got shape {np.shape(p)}")
    dt = float_dtype(dtype, "ball")
    dims = as_shape(shape)
    as_shape(dims + (dim,), "shape + (d,)")
    k1, k2 = split2(keys)
    g = _generalized_normal(k1, p, dims + (dim,), dt, rademacher)
    e = _exponential(k2, dims, dt)
    pp = np.asarray(p, dt)
    w = _work(dt)
    total = np.zeros(g.shape[:-1], w)
    for j in range(dim):  # left to right, then + e (XLA's loop reduction)
        term = xla("pow", np.abs(g[..., j]), np.broadcast_to(pp, g.shape[:-1]))
        total = (total + term.astype(w)).astype(w)
    total = (total + e.astype(w)).astype(dt, copy=False)
    neg_inv = -_weak_reciprocal(p, dt)
    # XLA: g / pow(s, 1/p) -> g * pow(s, -1/p)
    return _op(dt, np.multiply, g, xla("pow", total, np.broadcast_to(neg_inv, total.shape))[..., None])


def orthogonal(key, n, shape=(), dtype=None, m=None) -> np.ndarray:
    """Random ``n x m`` matrices with orthonormal columns (rows if ``n < m``),
    uniform under the Haar measure, as ``jax.random.orthogonal``: the QR
    factor of a normal matrix with the signs of R's diagonal. The bits follow
    the LAPACK in use (NumPy's), so they match JAX's only to rounding. A
    complex dtype (complex64; complex128 in 64-bit mode) gives unitary
    matrices from :func:`normal`'s complex draws, as JAX.

    Example:
        >>> import numpy as np
        >>> from keyrand import jax as jr
        >>> q = jr.orthogonal(jr.PRNGKey(0), 3)
        >>> bool(np.allclose(q @ q.T, np.eye(3), atol=1e-5))
        True
    """
    keys = keys_of(key)
    rows = as_dim(n, "n")
    cols = rows if m is None else as_dim(m, "m")
    cplx = complex_dtype(dtype)
    dims = as_shape(shape)
    zdims = as_shape(dims + (max(rows, cols), min(rows, cols)), "shape + (n, m)")
    if cplx is None:
        dt = float_dtype(dtype, "orthogonal")
        z = _normal(keys, zdims, dt).astype(_work(dt))
    else:
        dt = cplx[0]
        z = complex_normal(keys, zdims, *cplx)
    q, r = np.linalg.qr(z)
    d = np.diagonal(r, axis1=-2, axis2=-1)
    # jnp.sign: d / |d| for complex (NumPy 1.x's np.sign takes the real part's sign).
    with np.errstate(invalid="ignore", divide="ignore"):
        signs = np.where(d == 0, 0, d / np.abs(d)) if cplx else np.sign(d)
    x = (q * signs[..., None, :]).astype(dt, copy=False)
    return np.swapaxes(x, -1, -2) if rows < cols else x


@fixed_modes
def multivariate_normal(key, mean, cov, shape=None, dtype=None, method="cholesky"):
    """Multivariate normal vectors, as ``jax.random.multivariate_normal``:
    ``mean + factor @ z`` with ``z`` normal and ``factor`` from a Cholesky
    (default), SVD or eigen decomposition of ``cov``. The factor comes from
    NumPy's LAPACK, so values match JAX's to rounding, not bit for bit.

    Example:
        >>> import numpy as np
        >>> from keyrand import jax as jr
        >>> jr.multivariate_normal(jr.PRNGKey(0), np.zeros(2), np.eye(2), (5,)).shape
        (5, 2)
    """
    if method not in ("svd", "eigh", "cholesky"):
        raise ValueError("method must be one of {'svd', 'eigh', 'cholesky'}")
    keys = keys_of(key)
    mean, cov = as_array(mean, "mean"), as_array(cov, "cov")
    pdt = _prob_dtype(mean, cov)
    mu, sigma = mean.astype(pdt), cov.astype(pdt)
    dt = pdt if dtype is None else float_dtype(dtype, "multivariate_normal")
    if mu.ndim < 1:
        raise ValueError("multivariate_normal requires mean.ndim >= 1, got mean.ndim == 0")
    if sigma.ndim < 2:
        raise ValueError(f"multivariate_normal requires cov.ndim >= 2, got cov.ndim == "
                         f"{sigma.ndim}")
    k = mu.shape[-1]
    if sigma.shape[-2:] != (k, k):
        raise ValueError(f"multivariate_normal requires cov.shape == (..., n, n) for "
                         f"n={k} = mean.shape[-1], "
                         f"but got cov.shape == {sigma.shape}.")
    batch = np.broadcast_shapes(mu.shape[:-1], sigma.shape[:-2])
    dims = batch if shape is None else as_shape(shape)
    _param_shape("multivariate_normal", dims, mean=np.empty(batch))
    w = _work(dt)
    s = sigma.astype(w)
    if method == "cholesky":
        try:
            factor = np.linalg.cholesky(s)
        except np.linalg.LinAlgError:  # not positive definite: JAX's Cholesky gives NaNs
            factor = np.full(s.shape, np.nan, w)
    elif method == "svd":
        u, sv, _ = np.linalg.svd(s)
        factor = u * np.sqrt(sv)[..., None, :]
    else:
        vals, vecs = np.linalg.eigh(s)
        factor = vecs * np.sqrt(vals)[..., None, :]
    z = _normal(keys, tuple(dims) + (k,), dt).astype(w)
    out = np.result_type(pdt, dt) if dt != pdt else dt  # mean + factor @ z promotes
    return (mu.astype(w) + np.einsum("...ij,...j->...i", factor, z)).astype(out)
