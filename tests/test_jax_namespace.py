"""keyrand.jax samplers: live against jax 0.10.2 (bit-exact table of
docs/jax.md), statistical sanity, and argument errors. The committed JAX
vectors are replayed by test_jax_sampling.py."""

import ml_dtypes
import numpy as np
import pytest
from scipy import stats

from keyrand import jax as jr

from conftest import installed, skip_or_fail

FLOATS = ["float32", "float64", "float16", "bfloat16"]
# (function, args, dtypes that are bit-exact); the remaining dtypes are
# within the bounds of docs/jax.md and checked statistically below.
EXACT = [
    ("uniform", (), FLOATS), ("normal", (), FLOATS),
    ("truncated_normal", (-1.0, 2.0), FLOATS), ("exponential", (), FLOATS),
    ("gumbel", (), FLOATS), ("laplace", (), FLOATS),
    ("logistic", (), FLOATS), ("lognormal", (0.7,), FLOATS),
    ("pareto", (3.0,), FLOATS), ("rayleigh", (2.0,), FLOATS),
    ("triangular", (-1.0, 0.3, 2.0), FLOATS), ("wald", (1.5,), FLOATS),
    ("maxwell", (), FLOATS), ("double_sided_maxwell", (1.5, 2.0), FLOATS),
]
# 0-d shapes: XLA fuses a scalar computation differently (within 2 ulp).
BOUNDED = []
MODES = [True, False]


def _jax():
    if not installed("jax"):
        skip_or_fail("jax is not installed")
    import jax
    if jax.__version__ != "0.10.2":
        skip_or_fail(f"jax {jax.__version__} is not the pinned 0.10.2")
    return jax


def _call(lib, name, key, args, shape, dtype):
    fn = getattr(lib, name)
    if name in ("uniform", "normal", "exponential", "gumbel", "laplace", "logistic", "maxwell"):
        return fn(key, shape, dtype)
    if name == "double_sided_maxwell":
        return fn(key, *args, shape, dtype)
    return fn(key, *args, shape=shape, dtype=dtype)


def _same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    if a.dtype.kind == "c":  # the two parts as floats
        a, b = a[..., None].view(a.real.dtype), b[..., None].view(b.real.dtype)
    u = f"u{a.dtype.itemsize}"
    bad = a.view(u) != b.view(u)
    assert not bad.any(), (int(bad.sum()), a[bad][:4], b[bad][:4])


@pytest.mark.parametrize("partitionable", MODES)
@pytest.mark.parametrize("name,args,dtypes", EXACT, ids=[e[0] for e in EXACT])
def test_float_samplers_live(name, args, dtypes, partitionable):
    jax = _jax()
    for dtype in dtypes:
        x64 = dtype == "float64"
        with jax.threefry_partitionable(partitionable), jax.enable_x64(x64), \
                jr.threefry_partitionable(partitionable), jr.enable_x64(x64):
            shapes = [(0, (1001,)), (7, (3, 5))]
            if "maxwell" in name:  # its reduction changes form at 1366 and 4096 draws
                shapes += [(3, (1400,)), (4, (4100,))]
            for seed, shape in shapes:
                key = jr.PRNGKey(seed)
                want = _call(jax.random, name, jax.numpy.asarray(key), args, shape, dtype)
                _same_bits(_call(jr, name, key, args, shape, dtype), want)


def _ulps(a, b):
    a, b = np.asarray(a), np.asarray(b)
    w = a.dtype.itemsize
    ia = a.view(f"i{w}").astype(np.int64)
    ib = b.view(f"i{w}").astype(np.int64)
    top = np.int64(1) << (8 * w - 1)
    ia, ib = (np.where(v < 0, -(v + top), v) for v in (ia, ib))
    return int(np.abs(ia - ib).max())


@pytest.mark.parametrize("name,args,dtypes,bound", BOUNDED + [(n, a, d, 2) for n, a, d in EXACT])
def test_float_samplers_within_bound_live(name, args, dtypes, bound):
    """Every float sampler, also at shape (), within its ulp bound of JAX."""
    jax = _jax()
    for dtype in dtypes:
        x64 = dtype == "float64"
        with jax.enable_x64(x64), jr.enable_x64(x64):
            for seed, shape in ((1, (2001,)), (42, ())):
                key = jr.PRNGKey(seed)
                want = _call(jax.random, name, jax.numpy.asarray(key), args, shape, dtype)
                got = _call(jr, name, key, args, shape, dtype)
                assert got.shape == np.shape(want) and got.dtype == want.dtype
                scale = np.abs(np.asarray(want, np.float64)).max() + 1
                assert _ulps(got, want) <= bound or np.allclose(
                    np.asarray(got, np.float64), np.asarray(want, np.float64),
                    rtol=0, atol=bound * float(ml_dtypes.finfo(dtype).eps) * scale), \
                    (name, dtype, shape, _ulps(got, want))


@pytest.mark.parametrize("partitionable", MODES)
def test_integer_and_index_samplers_live(partitionable):
    jax = _jax()
    jrand = jax.random
    logits = np.log(np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], np.float32))
    arr = np.arange(24, dtype=np.int32).reshape(4, 6)
    calls = [
        ("randint", lambda m, k: m.randint(k, (101,), -10, 17)),
        ("randint uint8 full", lambda m, k: m.randint(k, (50,), 0, 256, "uint8")),
        ("randint wide", lambda m, k: m.randint(k, (50,), -2**31, 2**31 - 1)),
        ("randint big span", lambda m, k: m.randint(k, (50,), 0, 2**20 + 3, "uint32")),
        ("randint array bound", lambda m, k: m.randint(k, (6,), np.arange(6), 100)),
        ("bernoulli", lambda m, k: m.bernoulli(k, 0.3, (101,))),
        ("bernoulli array", lambda m, k: m.bernoulli(k, np.array([0.1, 0.5, 0.9], np.float32))),
        ("bernoulli high", lambda m, k: m.bernoulli(k, 0.3, (51,), mode="high")),
        ("rademacher", lambda m, k: m.rademacher(k, (51,))),
        ("permutation int", lambda m, k: m.permutation(k, 1000)),
        ("permutation 2-D", lambda m, k: m.permutation(k, arr, 1)),
        ("permutation independent", lambda m, k: m.permutation(k, arr, 0, True)),
        ("choice", lambda m, k: m.choice(k, 10, (7,))),
        ("choice no replace", lambda m, k: m.choice(k, arr, (3,), replace=False)),
        ("choice p", lambda m, k: m.choice(k, 5, (9,), p=np.array([.1, .2, .3, .2, .2],
                                                                  np.float32))),
        ("choice p no replace", lambda m, k: m.choice(
            k, 5, (3,), replace=False, p=np.array([.1, .2, .3, .2, .2], np.float32))),
        ("categorical", lambda m, k: m.categorical(k, logits, shape=(5, 2))),
        ("categorical axis 0", lambda m, k: m.categorical(k, logits, axis=0, shape=(3,))),
        ("categorical no replace", lambda m, k: m.categorical(k, logits, shape=(2, 2),
                                                              replace=False)),
        ("geometric", lambda m, k: m.geometric(k, 0.3, (101,))),
        ("split", lambda m, k: m.split(k, 5)),
    ]
    with jax.threefry_partitionable(partitionable), jr.threefry_partitionable(partitionable):
        key = jr.PRNGKey(5)
        for what, f in calls:
            want = np.asarray(f(jrand, jax.numpy.asarray(key)))
            got = f(jr, key)
            assert got.dtype == want.dtype and got.shape == want.shape, what
            np.testing.assert_array_equal(got, want, err_msg=what)


def test_errors_match_jax():
    jax = _jax()
    key = jr.PRNGKey(0)
    bad = [
        lambda m, k: m.randint(k, (3,), 0, 2**32, "uint32"),   # int32 parsing, x64 off
        lambda m, k: m.uniform(k, (3,), "int32"),
        lambda m, k: m.choice(k, 3, (5,), replace=False),
        lambda m, k: m.bernoulli(k, 0.5, mode="middle"),
        lambda m, k: m.gumbel(k, (3,), mode="lowest"),
        lambda m, k: m.randint(k, (3,), 0, 5, "float32"),
    ]
    for f in bad:
        with pytest.raises(Exception) as want:
            f(jax.random, jax.numpy.asarray(key))
        with pytest.raises(Exception) as got:
            f(jr, key)
        assert issubclass(got.type, (TypeError, ValueError, OverflowError))
        assert got.type is want.type or issubclass(got.type, want.type.__mro__[1]), \
            (got.type, want.type)


@pytest.mark.parametrize("name,args,dist", [
    ("normal", (), stats.norm()), ("exponential", (), stats.expon()),
    ("gumbel", (), stats.gumbel_r()), ("laplace", (), stats.laplace()),
    ("logistic", (), stats.logistic()), ("lognormal", (0.7,), stats.lognorm(0.7)),
    ("pareto", (3.0,), stats.pareto(3.0)), ("rayleigh", (2.0,), stats.rayleigh(scale=2.0)),
    ("maxwell", (), stats.maxwell()), ("triangular", (0.0, 0.3, 1.0), stats.triang(0.3)),
    ("wald", (1.5,), stats.invgauss(1.5)),
    ("truncated_normal", (-1.0, 2.0), stats.truncnorm(-1.0, 2.0)),
])
@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_distributions_fit(name, args, dist, dtype):
    x = _call(jr, name, jr.PRNGKey(99), args, (20000,), dtype).astype(np.float64)
    # half types round the values: compare on a coarse grid of quantiles
    p = stats.kstest(x, dist.cdf).pvalue if dtype == "float32" else 1.0
    assert p > 1e-4, (name, p)
    qs = np.quantile(x, [0.1, 0.5, 0.9])
    np.testing.assert_allclose(qs, dist.ppf([0.1, 0.5, 0.9]), rtol=0.05, atol=0.02)


def test_geometric_and_rademacher_frequencies():
    g = jr.geometric(jr.PRNGKey(1), 0.3, (50000,))
    assert g.min() >= 1
    assert abs(g.mean() - 1 / 0.3) < 0.05
    r = jr.rademacher(jr.PRNGKey(2), (50000,))
    assert set(np.unique(r)) == {-1, 1} and abs(r.mean()) < 0.02


def test_batched_keys_equal_one_call_per_key():
    keys = jr.split(jr.PRNGKey(3), 3)
    for name, args in [("uniform", ()), ("normal", ()), ("exponential", ())]:
        batch = _call(jr, name, keys, args, (4, 5), "float32")
        for i in range(3):
            _same_bits(batch[i], _call(jr, name, keys[i], args, (4, 5), "float32"))
    batch = jr.randint(keys, (6,), 0, 100)
    for i in range(3):
        np.testing.assert_array_equal(batch[i], jr.randint(keys[i], (6,), 0, 100))
    perm = jr.permutation(keys, 7)
    for i in range(3):
        np.testing.assert_array_equal(perm[i], jr.permutation(keys[i], 7))


@pytest.mark.parametrize("x64", [False, True])
@pytest.mark.parametrize("partitionable", MODES)
def test_fused_wald_equals_its_composed_form(partitionable, x64):
    """wald with a scalar mean (both draws fused in C, on the pool for long
    streams, per key of a batch) against the same mean as an array of the
    output's shape, which takes the per-operation path."""
    dt = np.float64 if x64 else np.float32
    with jr.threefry_partitionable(partitionable), jr.enable_x64(x64):
        keys = jr.split(jr.PRNGKey(11), 2)
        for mean, shape in ((1.5, (150001,)), (1e4, (7, 3)), (1e-3, (2,))):
            fused = jr.wald(keys, mean, shape)
            for i in range(2):
                composed = jr.wald(keys[i], np.full(shape, mean, dt), shape)
                _same_bits(fused[i], composed)


@pytest.mark.parametrize("x64", [False, True])
def test_weibull_min_flushes_subnormals_as_xla(x64):
    """XLA reads a subnormal scale as zero and flushes a subnormal product:
    tiny scales and concentrations, Python floats (the fused fast path) and
    float32 scalars."""
    jax = _jax()
    with jax.enable_x64(x64), jr.enable_x64(x64):
        for scale, conc in ((1e-3, 1e-3), (3e-39, 1.0), (1e-20, 0.05), (2.5, 0.7)):
            for s, c in ((scale, conc), (np.float32(scale), np.float32(conc))):
                want = jax.random.weibull_min(jax.random.PRNGKey(3), s, c, (20000,),
                                              dtype=np.float32)
                _same_bits(jr.weibull_min(jr.PRNGKey(3), s, c, (20000,), dtype=np.float32), want)


def test_bad_arguments_name_themselves():
    key = jr.PRNGKey(0)
    with pytest.raises(TypeError, match="key"):  # JAX: "invalid PRNG key data"
        jr.uniform(np.zeros(3, np.uint32), (2,))
    with pytest.raises(ValueError, match="dtype"):
        jr.normal(key, (2,), "int32")
    with pytest.raises(TypeError, match="minval"):
        jr.uniform(key, (2,), minval="a")
    with pytest.raises(ValueError, match="shape"):
        jr.lognormal(key, np.ones(3), (2,))
    with pytest.raises(TypeError, match="bernoulli"):
        jr.bernoulli(key, 1, (2,))


TRUNCATED = [("bits", lambda m, k: m.bits(k, (5,), "uint64")),
             ("uniform", lambda m, k: m.uniform(k, (5,), "float64")),
             ("normal", lambda m, k: m.normal(k, (5,), "float64")),
             ("randint", lambda m, k: m.randint(k, (5,), 0, 9, "int64")),
             ("geometric", lambda m, k: m.geometric(k, 0.3, (5,), "uint64")),
             ("poisson", lambda m, k: m.poisson(k, 3.0, (5,), "int64")),
             ("rademacher", lambda m, k: m.rademacher(k, (5,), "int64")),
             ("gamma", lambda m, k: m.gamma(k, 2.0, (5,), "float64"))]


@pytest.mark.parametrize("name, call", TRUNCATED, ids=[t[0] for t in TRUNCATED])
def test_64_bit_dtypes_without_x64_are_truncated_as_jax_does(name, call):
    """Without 64-bit mode JAX gives the 32-bit result and warns; so does
    keyrand.jax, the warning pointing at the caller's line."""
    key = jr.PRNGKey(4)
    with pytest.warns(UserWarning, match="will be truncated to dtype") as record:
        got = call(jr, key)
    assert record[0].filename == __file__
    assert got.dtype.itemsize == 4
    with jr.enable_x64():
        assert call(jr, key).dtype.itemsize == 8
    if installed("jax"):
        jax = _jax()
        with jax.enable_x64(False), pytest.warns(UserWarning) as theirs:
            want = np.asarray(call(jax.random, jax.numpy.asarray(key)))
        assert str(record[0].message) == str(theirs[0].message)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("partitionable", MODES)
@pytest.mark.parametrize("x64", [False, True])
def test_complex_normal_live(partitionable, x64):
    jax = _jax()
    dtypes = ["complex64", "complex128"] if x64 else ["complex64"]
    with jax.enable_x64(x64), jr.enable_x64(x64), \
            jax.threefry_partitionable(partitionable), jr.threefry_partitionable(partitionable):
        for dt in dtypes:
            for shape in [(), (1,), (7,), (1000,), (3, 5)]:
                want = np.asarray(jax.random.normal(jax.random.PRNGKey(3), shape, dt))
                _same_bits(jr.normal(jr.PRNGKey(3), shape, dt), want)
            keys = jr.split(jr.PRNGKey(8), 3)
            batch = jr.normal(keys, (5,), dt)
            for i in range(3):
                _same_bits(batch[i], np.asarray(jax.random.normal(jax.numpy.asarray(keys[i]),
                                                                  (5,), dt)))
            for n, m in [(4, None), (3, 5), (5, 3)]:
                want = np.asarray(jax.random.orthogonal(jax.random.PRNGKey(2), n, (2,), dt, m=m))
                got = jr.orthogonal(jr.PRNGKey(2), n, (2,), dt, m=m)
                assert got.dtype == want.dtype and got.shape == want.shape
                tol = 1e-5 if dt == "complex64" else 1e-12  # LAPACK builds differ in rounding
                np.testing.assert_allclose(got, want, atol=tol)


def test_complex_normal_has_unit_variance_and_unitary_orthogonal():
    z = jr.normal(jr.PRNGKey(5), (40000,), np.complex64)
    assert z.dtype == np.complex64
    assert abs(z.real.var() - 0.5) < 0.02 and abs(z.imag.var() - 0.5) < 0.02
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 0.03
    with pytest.warns(UserWarning, match="truncated to dtype complex64"):
        assert jr.normal(jr.PRNGKey(5), (2,), np.complex128).dtype == np.complex64
    with jr.enable_x64(True):
        q = jr.orthogonal(jr.PRNGKey(1), 4, (3,), np.complex128)
    assert q.dtype == np.complex128
    eye = np.broadcast_to(np.eye(4), (3, 4, 4))
    np.testing.assert_allclose(q @ np.conj(np.swapaxes(q, -1, -2)), eye, atol=1e-12)
    with pytest.raises(ValueError, match="dtype"):
        jr.uniform(jr.PRNGKey(0), (2,), np.complex64)  # JAX's uniform has no complex form
