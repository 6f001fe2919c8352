"""Property tests for array-valued parameters: result shapes follow MLX's
broadcasting rules, the NumPy path for array parameters agrees element by
element with the fused C path for scalars, and (live) with MLX itself."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import keyrand as kr
from conftest import installed

KEY = kr.key(77)
DTYPES = ["float32", "float16", "bfloat16", "float64"]


@st.composite
def broadcast_case(draw, params=2):
    """A target shape and parameter shapes that broadcast to it (or to a
    suffix of it), plus whether to pass the target or let shape=None."""
    target = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    shapes = []
    for _ in range(params):
        ndim = draw(st.integers(0, len(target)))
        tail = target[len(target) - ndim:]
        shapes.append(tuple(d if draw(st.booleans()) else 1 for d in tail))
    pass_shape = draw(st.booleans())
    joint = np.broadcast_shapes(*shapes)
    return (target if pass_shape else None), shapes, (target if pass_shape else joint)


def values(shape, lo, hi, seed):
    return np.random.default_rng(seed).uniform(lo, hi, shape)


def is_array(out, shape, dtype=None):
    """Every sampler returns an ndarray, 0-d included, never a NumPy scalar."""
    assert type(out) is np.ndarray and out.shape == shape
    if dtype is not None:
        assert out.dtype == kr._dtypes.to_numpy_dtype(dtype)


def elementwise(fn, arrays, out_shape, **kw):
    """fn with each element's scalar parameters, read at that element."""
    flat = [np.broadcast_to(a, out_shape).reshape(-1) for a in arrays]
    got = np.empty(int(np.prod(out_shape)), dtype=object)
    for i in range(got.size):
        got[i] = fn(*(float(f[i]) for f in flat), **kw).reshape(-1)[i]
    return got


@settings(max_examples=40, deadline=None)
@given(broadcast_case(), st.sampled_from(DTYPES), st.integers(0, 2**16))
def test_uniform_array_bounds_match_scalar_path(case, dtype, seed):
    shape, (ls, hs), out_shape = case
    low, high = values(ls, -5, 0, seed), values(hs, 0, 5, seed + 1)
    out = kr.uniform(low, high, shape, dtype, key=KEY)
    is_array(out, out_shape, dtype)
    want = elementwise(lambda lo, hi: kr.uniform(lo, hi, out_shape, dtype, key=KEY),
                       [low, high], out_shape)
    np.testing.assert_array_equal(out.reshape(-1), want.astype(out.dtype))


@settings(max_examples=40, deadline=None)
@given(broadcast_case(), st.sampled_from(DTYPES), st.sampled_from(["normal", "laplace"]),
       st.integers(0, 2**16))
def test_array_loc_scale_match_scalar_path(case, dtype, fn, seed):
    shape, (ls, ss), out_shape = case
    loc, scale = values(ls, -3, 3, seed), values(ss, 0.1, 4, seed + 1)
    if shape is None:
        shape = out_shape  # these take a shape; () is their default
    sampler = getattr(kr, fn)
    out = sampler(shape, dtype, loc, scale, key=KEY)
    is_array(out, out_shape, dtype)
    want = elementwise(lambda m, s: sampler(out_shape, dtype, m, s, key=KEY),
                       [loc, scale], out_shape)
    np.testing.assert_array_equal(out.reshape(-1), want.astype(out.dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("which", ["both", "loc", "scale"])
def test_normal_reads_strided_parameter_views(dtype, which):
    # The C pass reads parameters through their strides: reversed, transposed
    # and broadcast views must give what their contiguous copies give, for a
    # batch of keys too (keyrand's extension: one row per key).
    base = np.arange(1.0, 13.0).reshape(3, 4)
    views = {"reversed": base[::-1, ::-2], "transposed": base.T[:2], "column": base[:, :1]}
    keys = np.stack([kr.key(1), kr.key(2)])
    for name, view in views.items():
        out_shape = np.broadcast_shapes(view.shape, (3, 2) if name != "transposed" else (2, 3))
        kw = {"loc": view - 6.5, "scale": view / 4}
        kw = {k: v for k, v in kw.items() if which in ("both", k)}
        got = kr.normal(out_shape, dtype, key=keys, **kw)
        want = kr.normal(out_shape, dtype, key=keys,
                         **{k: np.ascontiguousarray(v) for k, v in kw.items()})
        assert got.shape == (2,) + out_shape
        np.testing.assert_array_equal(got, want, err_msg=name)
        first = elementwise(lambda *p: kr.normal(out_shape, dtype, key=keys[0],
                                                 **dict(zip(kw, p))),
                            list(kw.values()), out_shape)
        np.testing.assert_array_equal(got[0].reshape(-1), first.astype(got.dtype), err_msg=name)


@settings(max_examples=30, deadline=None)
@given(broadcast_case(params=1), st.integers(0, 2**16))
def test_bernoulli_array_p_matches_scalar_path(case, seed):
    shape, (ps,), out_shape = case
    p = values(ps, 0, 1, seed)
    out = kr.bernoulli(p, shape, key=KEY)
    is_array(out, out_shape, "bool")
    want = elementwise(lambda q: kr.bernoulli(q, out_shape, key=KEY), [p], out_shape)
    np.testing.assert_array_equal(out.reshape(-1), want.astype(bool))


@settings(max_examples=30, deadline=None)
@given(broadcast_case(), st.sampled_from(["int32", "int8", "uint16", "int64"]),
       st.integers(0, 2**16))
def test_randint_array_bounds_match_scalar_path(case, dtype, seed):
    shape, (ls, hs), out_shape = case
    rng = np.random.default_rng(seed)
    low, high = rng.integers(0, 50, ls), rng.integers(50, 120, hs)
    out = kr.randint(low, high, shape, dtype, key=KEY)
    is_array(out, out_shape, dtype)
    want = elementwise(lambda lo, hi: kr.randint(int(lo), int(hi), out_shape, dtype, key=KEY),
                       [low, high], out_shape)
    np.testing.assert_array_equal(out.reshape(-1), want.astype(out.dtype))


@settings(max_examples=30, deadline=None)
@given(broadcast_case(), st.sampled_from(["float32", "float64"]), st.integers(0, 2**16))
def test_truncated_normal_array_bounds_match_scalar_bounds(case, dtype, seed):
    shape, (ls, us), out_shape = case
    lower, upper = values(ls, -3, -0.5, seed), values(us, 0.5, 3, seed + 1)
    out = kr.truncated_normal(lower, upper, shape, dtype, key=KEY)
    is_array(out, out_shape, dtype)
    assert ((out >= np.broadcast_to(lower, out_shape).astype(dtype)) &
            (out <= np.broadcast_to(upper, out_shape).astype(dtype))).all()
    want = elementwise(lambda lo, up: kr.truncated_normal(lo, up, out_shape, dtype, key=KEY),
                       [lower, upper], out_shape)
    np.testing.assert_array_equal(out.reshape(-1), want.astype(out.dtype))


@settings(max_examples=30, deadline=None)
@given(broadcast_case(), st.integers(0, 2**16))
def test_shape_that_does_not_contain_the_parameters_is_an_error(case, seed):
    _, (ls, hs), out_shape = case
    joint = np.broadcast_shapes(ls, hs)
    padded = (1,) * (len(out_shape) - len(joint)) + joint
    wide = [axis for axis, d in enumerate(padded) if d > 1]
    if not wide:
        return  # parameters broadcast into any shape of this rank
    # Shrink a dimension the parameters fill: they no longer fit the requested shape.
    axis = wide[0]
    small = out_shape[:axis] + (out_shape[axis] - 1,) + out_shape[axis + 1:]
    low, high = values(ls, -5, 0, seed), values(hs, 0, 5, seed + 1)
    with pytest.raises(ValueError, match="shape"):
        kr.uniform(low, high, small, key=KEY)
    with pytest.raises(ValueError, match="shape"):
        kr.normal(small, loc=low, scale=high, key=KEY)


mlx_missing = not installed("mlx")


@pytest.mark.skipif(mlx_missing, reason="mlx is not installed (covered by golden vectors)")
@settings(max_examples=40, deadline=None)
@given(broadcast_case(), st.sampled_from(["uniform", "normal", "bernoulli", "truncated_normal"]),
       st.integers(0, 2**16))
def test_array_parameters_match_mlx_live(case, fn, seed):
    import mlx.core as mx

    shape, (s1, s2), out_shape = case
    a, b = values(s1, -2, -0.1, seed).astype(np.float32), values(s2, 0.1, 2, seed).astype(np.float32)
    mk = mx.array(KEY)
    if fn == "uniform":
        ours = kr.uniform(a, b, out_shape, key=KEY)
        theirs = mx.random.uniform(mx.array(a), mx.array(b), out_shape, key=mk)
    elif fn == "normal":
        ours = kr.normal(out_shape, loc=a, scale=b, key=KEY)
        theirs = mx.random.normal(out_shape, loc=mx.array(a), scale=mx.array(b), key=mk)
    elif fn == "bernoulli":
        p = (b / 2).astype(np.float32)
        ours = kr.bernoulli(p, shape, key=KEY)
        theirs = mx.random.bernoulli(mx.array(p), shape, key=mk)
    else:
        ours = kr.truncated_normal(a, b, shape, key=KEY)
        theirs = mx.random.truncated_normal(mx.array(a), mx.array(b), shape, key=mk)
    np.testing.assert_array_equal(ours, np.array(theirs))
