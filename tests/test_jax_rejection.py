"""keyrand.jax's rejection-sampled family and the samplers built on XLA's
tan / pow / rsqrt / lgamma: live against jax 0.10.2 and statistically
against SciPy."""
import platform

import numpy as np
import pytest
from scipy import stats

import keyrand as kr
from keyrand import jax as jr

from conftest import installed
from test_jax_namespace import _jax, _same_bits
from test_kernels import under

MODES = [True, False]


def _both(fn, *args, **kwargs):
    jax = _jax()
    key = jr.PRNGKey(11)
    want = np.asarray(fn(jax.random, jax.numpy.asarray(key), *args, **kwargs))
    got = fn(jr, key, *args, **kwargs)
    return got, want


# float64: XLA calls the C library's pow / tan, and so does keyrand (glibc here).
X64_CASES = {
    "gamma float64": lambda m, k: m.gamma(k, np.array([0.3, 2.5]), (300, 2), "float64"),
    "loggamma float64": lambda m, k: m.loggamma(k, 0.01, (301,), "float64"),
    "beta float64": lambda m, k: m.beta(k, 0.5, 2.0, (257,), "float64"),
    "t float64": lambda m, k: m.t(k, 4.0, (257,), "float64"),
    "cauchy float64": lambda m, k: m.cauchy(k, (1001,), "float64"),
    "weibull_min float64": lambda m, k: m.weibull_min(k, 2.0, 1.5, (1001,), "float64"),
    "generalized_normal float64": lambda m, k: m.generalized_normal(k, 1.5, (257,), "float64"),
    "ball float64": lambda m, k: m.ball(k, 3, shape=(100,), dtype="float64"),
    "choice p float64": lambda m, k: m.choice(k, 700, (1001,), p=np.linspace(0.1, 3.0, 700)),
    "choice p float32 (int64 indices)": lambda m, k: m.choice(
        k, 700, (1001,), p=np.linspace(0.1, 3.0, 700, dtype=np.float32)),
}
ON_GLIBC = platform.libc_ver()[0] == "glibc"

CASES = {
    "gamma": lambda m, k: m.gamma(k, np.array([0.05, 0.5, 1.0, 2.5, 30.0], np.float32), (200, 5)),
    "gamma scalar": lambda m, k: m.gamma(k, 0.3, (301,)),
    "loggamma": lambda m, k: m.loggamma(k, np.array([0.01, 0.7, 4.0], np.float32), (100, 3)),
    "beta": lambda m, k: m.beta(k, 0.5, 2.0, (257,)),
    "dirichlet": lambda m, k: m.dirichlet(k, np.array([0.3, 1.0, 5.0], np.float32), (50,)),
    "chisquare": lambda m, k: m.chisquare(k, 3.0, (257,)),
    "f": lambda m, k: m.f(k, 3.0, 7.0, (257,)),
    "t": lambda m, k: m.t(k, 4.0, (257,)),
    "poisson small": lambda m, k: m.poisson(k, 3.5, (301,)),
    "poisson mixed": lambda m, k: m.poisson(k, np.array([0.0, 1e-3, 9.9, 10.0, 25.0, 1000.0],
                                                        np.float32), (50, 6)),
    "poisson int8 limit": lambda m, k: m.poisson(k, np.array([0.0, -1.0, np.nan, 9.99, 10.0, 120.0,
                                                              1e7], np.float32), (300, 7), "int8"),
    "poisson uint16 knuth": lambda m, k: m.poisson(k, 0.5, (700,), "uint16"),
    "poisson rejection only": lambda m, k: m.poisson(k, 37.5, (3000,)),
    "binomial": lambda m, k: m.binomial(k, np.array([0, 5, 10, 100, 1000], np.float32),
                                        np.float32(0.3), (40, 5)),
    "binomial with inf, nan and negative counts": lambda m, k: m.binomial(
        k, np.array([0, 5, 10, 100, 1000, np.inf, -3, np.nan, 1e6], np.float32), np.float32(0.3),
        (40, 9)),
    "binomial odd p": lambda m, k: m.binomial(
        k, np.float32(30), np.array([0.0, 0.1, 0.5, 0.9, 1.0, -0.2, np.nan, 1.5, 0.99],
                                    np.float32), (30, 9)),
    "binomial high p": lambda m, k: m.binomial(k, 50, 0.9, (101,)),
    "multinomial": lambda m, k: m.multinomial(k, 300, np.full(20, 0.05, np.float32)),
    # 40 cells: three blocks of XLA's scan for the remaining mass; p need not sum to 1
    "multinomial 40 cells": lambda m, k: m.multinomial(
        k, 1000.0, np.linspace(0.1, 3.0, 40, dtype=np.float32), shape=(7, 40)),
    "multinomial float16 40 cells": lambda m, k: m.multinomial(
        k, 30.0, np.linspace(0.1, 3.0, 40).astype(np.float16), shape=(300, 40)),
    # choice by p: XLA's blocked cumsum, and JAX's binary search where the
    # cumsum decreases (half types, negative p) or holds NaN
    "choice p 1000 cells": lambda m, k: m.choice(
        k, 1000, (3001,), p=np.linspace(0.05, 2.0, 1000, dtype=np.float32)),
    "choice p float16 5000 cells": lambda m, k: m.choice(
        k, 5000, (3001,), p=np.linspace(0.05, 2.0, 5000).astype(np.float16)),
    "choice p nan and negative": lambda m, k: m.choice(
        k, 100, (2, 500), p=np.where(np.arange(100) % 9 == 4, -1.0,
                                      np.where(np.arange(100) == 70, np.nan, 1.0)
                                      ).astype(np.float32)),
    "choice p skewed": lambda m, k: m.choice(
        k, 3000, (3001,), p=np.where(np.arange(3000) % 1000 < 990, 1e-7, 1.0).astype(np.float32)),
    "choice p rows of an array": lambda m, k: m.choice(
        k, np.arange(60).reshape(3, 20), (4, 5), p=np.linspace(1, 2, 20, dtype=np.float32),
        axis=1),
    "multinomial rows": lambda m, k: m.multinomial(
        k, np.array([0, 3, 50, 1e5, 7], np.float32),
        np.array([[[0.5, 0.5, 0.0]], [[0.0, 0.2, 0.8]], [[np.nan, 0.3, 0.7]], [[0.0, 0.0, 0.0]]],
                 np.float32), shape=(4, 5, 3), dtype="int32"),
    "generalized_normal": lambda m, k: m.generalized_normal(k, 1.5, (257,)),
    "ball": lambda m, k: m.ball(k, 3, shape=(100,)),
    "cauchy": lambda m, k: m.cauchy(k, (1001,)),
    "weibull_min": lambda m, k: m.weibull_min(k, 2.0, 1.5, (1001,)),
}


@pytest.mark.parametrize("partitionable", MODES)
@pytest.mark.parametrize("name", list(CASES))
def test_bits_equal_jax(name, partitionable):
    jax = _jax()
    with jax.threefry_partitionable(partitionable), jr.threefry_partitionable(partitionable):
        got, want = _both(CASES[name])
    nan = np.isnan(got) & np.isnan(want) if got.dtype.kind == "f" else False
    assert got.shape == want.shape and got.dtype == want.dtype
    assert ((got == want) | nan).all() or _same_bits(got, want)


@pytest.mark.parametrize("partitionable", MODES)
@pytest.mark.parametrize("name", list(X64_CASES))
def test_float64_equals_jax(name, partitionable):
    jax = _jax()
    with jax.enable_x64(True), jr.enable_x64(True), \
            jax.threefry_partitionable(partitionable), jr.threefry_partitionable(partitionable):
        got, want = _both(X64_CASES[name])
    assert got.shape == want.shape and got.dtype == want.dtype
    if ON_GLIBC:
        np.testing.assert_array_equal(got, want)
    else:  # another C library's pow / tan than the one XLA was measured with
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)


GAMMA_SIZES = [*range(0, 40), 255, 256, 257, 511, 513, 3000]


def _rejection_battery():
    out = []
    for partitionable in MODES:
        with jr.threefry_partitionable(partitionable):
            for n in GAMMA_SIZES:
                for a in (0.3, 2.5):
                    out.append(jr.gamma(jr.PRNGKey(n), a, (n,)))
                    out.append(jr.loggamma(jr.PRNGKey(n), a, (n,)))
                    with jr.enable_x64(True):
                        out.append(jr.gamma(jr.PRNGKey(n), a, (n,), "float64"))
                out.append(jr.poisson(jr.PRNGKey(n), np.array([3.0, 30.0], np.float32)[n % 2], (n,)))
                out.append(jr.binomial(jr.PRNGKey(n), (20.0, 300.0)[n % 2], 0.3, (n,)))
            keys = jr.split(jr.PRNGKey(5), 3)
            out.append(jr.gamma(keys, np.array([0.1, 1.0, 7.0], np.float32), (300, 3)))
    return out


@pytest.mark.skipif(len(kr.available_simd_kernels()) < 2, reason="only the scalar kernel runs")
def test_rejection_identical_under_every_kernel():
    """gamma's per-lane key chains (the kernels' keyed Threefry) and normals,
    and poisson's and binomial's blocks, on every kernel, every block tail, both modes."""
    reference = under("scalar", _rejection_battery)
    for kernel in kr.available_simd_kernels()[1:]:
        for want, got in zip(reference, under(kernel, _rejection_battery)):
            np.testing.assert_array_equal(got, want, err_msg=kernel)


@pytest.mark.parametrize("partitionable", MODES)
def test_key_batch_equals_jax_vmap(partitionable):
    jax = _jax()
    lam = np.array([2.0, 40.0], np.float32)
    with jax.threefry_partitionable(partitionable), jr.threefry_partitionable(partitionable):
        keys = jr.split(jr.PRNGKey(4), 3)
        for fn in (lambda m, k: m.poisson(k, lam, (90, 2)),
                   lambda m, k: m.binomial(k, lam * 4, 0.3, (90, 2))):
            want = jax.vmap(lambda k: fn(jax.random, k))(jax.numpy.asarray(keys))
            np.testing.assert_array_equal(fn(jr, keys), np.asarray(want))


def test_rejection_is_thread_count_independent():
    previous = kr.get_num_threads()
    try:
        kr.set_num_threads(1)
        draw = lambda: [jr.gamma(jr.PRNGKey(2), 0.7, (200_001,)),  # noqa: E731
                        jr.poisson(jr.PRNGKey(2), 12.0, (200_001,)),
                        jr.binomial(jr.PRNGKey(2), 90.0, 0.4, (200_001,))]
        one = draw()
        kr.set_num_threads(2)
        two = draw()
    finally:
        kr.set_num_threads(previous)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name,args,dist", [
    ("gamma", (0.4,), stats.gamma(0.4)), ("gamma", (3.0,), stats.gamma(3.0)),
    ("beta", (0.5, 2.0), stats.beta(0.5, 2.0)), ("chisquare", (3.0,), stats.chi2(3.0)),
    ("f", (3.0, 7.0), stats.f(3.0, 7.0)), ("t", (4.0,), stats.t(4.0)),
    ("cauchy", (), stats.cauchy()), ("weibull_min", (2.0, 1.5), stats.weibull_min(1.5, scale=2.0)),
    ("generalized_normal", (1.5,), stats.gennorm(1.5)),
])
def test_continuous_fit(name, args, dist):
    x = getattr(jr, name)(jr.PRNGKey(5), *args, shape=(20000,))
    assert stats.kstest(x.astype(np.float64), dist.cdf).pvalue > 1e-4


@pytest.mark.parametrize("lam", [0.7, 4.0, 30.0, 500.0])
def test_poisson_fit(lam):
    x = jr.poisson(jr.PRNGKey(6), lam, (20000,))
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / 20000)
    assert abs(x.var() / lam - 1) < 0.06


@pytest.mark.parametrize("n,p", [(8, 0.3), (200, 0.4), (1000, 0.95)])
def test_binomial_fit(n, p):
    x = jr.binomial(jr.PRNGKey(7), n, p, (20000,))
    assert ((0 <= x) & (x <= n)).all()
    assert abs(x.mean() - n * p) < 5 * np.sqrt(n * p * (1 - p) / 20000)


def test_a_multinomial_key_batch_is_each_keys_draw():
    keys = jr.split(jr.PRNGKey(4), 6).reshape(2, 3, 2)
    p = np.array([0.1, 0.6, 0.3], np.float32)
    got = jr.multinomial(keys, 20.0, p, shape=(9, 3))
    assert got.shape == (2, 3, 9, 3)
    for i in np.ndindex(2, 3):
        np.testing.assert_array_equal(got[i], jr.multinomial(keys[i], 20.0, p, shape=(9, 3)))


def test_a_choice_key_batch_is_each_keys_draw():
    keys = jr.split(jr.PRNGKey(4), 6).reshape(3, 2, 2)
    p = np.linspace(0.5, 1.0, 30, dtype=np.float32)
    rows = np.arange(90).reshape(3, 30)
    got, got_rows = jr.choice(keys, 30, (7,), p=p), jr.choice(keys, rows, (7,), p=p, axis=1)
    assert got.shape == (3, 2, 7) and got_rows.shape == (3, 2, 3, 7)
    for i in np.ndindex(3, 2):
        np.testing.assert_array_equal(got[i], jr.choice(keys[i], 30, (7,), p=p))
        np.testing.assert_array_equal(got_rows[i], rows[:, got[i]])
    assert jr.choice(keys[:0], 30, (7,), p=p).shape == (0, 2, 7)


def test_multinomial_and_dirichlet_sum():
    m = jr.multinomial(jr.PRNGKey(8), 40, np.array([0.1, 0.2, 0.7], np.float32), shape=(500, 3))
    assert (m.sum(-1) == 40).all()
    d = jr.dirichlet(jr.PRNGKey(9), np.array([1.0, 2.0, 3.0], np.float32), (500,))
    np.testing.assert_allclose(d.sum(-1), 1, atol=1e-5)
    np.testing.assert_allclose(d.mean(0), [1 / 6, 2 / 6, 3 / 6], atol=0.02)


def test_orthogonal_and_multivariate_normal():
    q = jr.orthogonal(jr.PRNGKey(1), 4, (3,))
    np.testing.assert_allclose(q @ np.swapaxes(q, -1, -2), np.broadcast_to(np.eye(4), (3, 4, 4)),
                               atol=1e-5)
    cov = np.array([[2.0, 0.5], [0.5, 1.0]], np.float32)
    x = jr.multivariate_normal(jr.PRNGKey(2), np.array([1.0, -1.0], np.float32), cov, (40000,))
    np.testing.assert_allclose(np.cov(x.T), cov, atol=0.05)
    np.testing.assert_allclose(x.mean(0), [1.0, -1.0], atol=0.03)
    with pytest.raises(ValueError, match="method"):
        jr.multivariate_normal(jr.PRNGKey(2), np.zeros(2), cov, method="qr")


def test_multivariate_normal_close_to_jax():
    cov = np.array([[2.0, 0.5], [0.5, 1.0]], np.float32)
    for method in ("cholesky", "svd", "eigh"):
        got, want = _both(lambda m, k: m.multivariate_normal(
            k, np.zeros(2, np.float32), cov, (100,), method=method))
        np.testing.assert_allclose(got, want, rtol=0, atol=2e-6 * np.abs(want).max())


@pytest.mark.parametrize("name,args,dist", [
    ("gamma", (3.0,), stats.gamma(3.0)), ("beta", (2.0, 5.0), stats.beta(2.0, 5.0)),
    ("chisquare", (4.0,), stats.chi2(4.0)), ("t", (5.0,), stats.t(5.0)),
    ("f", (4.0, 9.0), stats.f(4.0, 9.0)), ("loggamma", (2.0,), None),
])
def test_bfloat16_family_quantiles(name, args, dist):
    """bfloat16 gamma-family draws are not JAX's bits (docs/jax.md): check the
    distribution on a grid of quantiles (bfloat16 keeps ~3 significant digits)."""
    x = getattr(jr, name)(jr.PRNGKey(13), *args, shape=(40000,), dtype="bfloat16")
    assert x.dtype == np.dtype("bfloat16")
    x = x.astype(np.float64)
    if dist is None:  # loggamma: log of a gamma draw
        x, dist = np.exp(x), stats.gamma(*args)
    q = [0.1, 0.25, 0.5, 0.75, 0.9]
    np.testing.assert_allclose(np.quantile(x, q), dist.ppf(q), rtol=0.04, atol=0.02)


NO_KEYS = np.zeros((0, 2), np.uint32)
EMPTY_BATCH = {
    # drawn in C, which returns before drawing for no keys: shape and dtype checked
    "poisson": (lambda k: jr.poisson(k, 3.0, (500,)), None),
    "binomial": (lambda k: jr.binomial(k, 10.0, 0.3, (500,)), None),
    "multinomial": (lambda k: jr.multinomial(k, 10.0, np.array([0.2, 0.8], np.float32),
                                             shape=(500, 2)), None),
    "choice by p": (lambda k: jr.choice(k, 3, (500,), p=np.array([0.2, 0.3, 0.5], np.float32)),
                    None),
    "categorical": (lambda k: jr.categorical(k, np.zeros(5, np.float32), shape=(500,)),
                    "_continuous.gumbel"),
    "choice": (lambda k: jr.choice(k, 1000, (500,), replace=False),
               "_discrete._shuffle_order"),
    "choice of rows": (lambda k: jr.choice(k, np.ones((4, 50), np.int8), (3, 2), axis=1),
                       "_discrete.randint"),
    "permutation": (lambda k: jr.permutation(k, 1000), "_discrete._shuffle_order"),
    "permutation of rows": (lambda k: jr.permutation(k, np.ones((3, 40), np.float16), axis=1),
                            "_discrete._shuffle_order"),
}


@pytest.mark.parametrize("name", list(EMPTY_BATCH))
def test_a_batch_of_no_keys_draws_nothing(name, monkeypatch):
    """A (0, 2) key batch is answered at once, with the shape and dtype a
    batch of one key has (jax.vmap's), and without drawing a sample."""
    call, drawer = EMPTY_BATCH[name]
    one = call(np.zeros((1, 2), np.uint32))

    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} drew a sample for no keys")
    if drawer:
        module, attr = drawer.split(".")
        monkeypatch.setattr(getattr(jr, module), attr, refuse)
    got = call(NO_KEYS)
    assert got.shape == (0,) + one.shape[1:] and got.dtype == one.dtype


@pytest.mark.parametrize("partitionable", MODES)
@pytest.mark.parametrize("x64", [False, True])
def test_binomial_nan_negative_and_infinite_counts(partitionable, x64):
    """JAX's corner cases: n < 0 or NaN (or p NaN) give NaN, n = 0 gives 0,
    n = inf gives inf (was an IndexError with x64: the Stirling table indexed
    by int32(NaN))."""
    with jr.threefry_partitionable(partitionable), jr.enable_x64(x64):
        got = jr.binomial(jr.PRNGKey(0), np.array([-1, 0, np.nan, np.inf]), 0.5, shape=(4,))
        np.testing.assert_array_equal(got, [np.nan, 0.0, np.nan, np.inf])
        assert got.dtype == (np.float64 if x64 else np.float32)
        got = jr.binomial(jr.PRNGKey(1), np.array([np.inf, -1, np.inf]),
                          np.array([np.nan, np.nan, -0.1]), shape=(3,))
        assert np.isnan(got).all()
        if installed("jax"):
            jax = _jax()
            with jax.threefry_partitionable(partitionable), jax.enable_x64(x64):
                want = jax.random.binomial(jax.random.PRNGKey(0), np.array([-1, 0, np.nan, np.inf]),
                                           0.5, shape=(4,))
            np.testing.assert_array_equal(
                jr.binomial(jr.PRNGKey(0), np.array([-1, 0, np.nan, np.inf]), 0.5, shape=(4,)),
                np.asarray(want))


def test_parameters_promote_the_result_as_jax():
    """A sample meets typed parameters under JAX's promotion: float16 with
    bfloat16 is float32; a NumPy float64 scalar is not weak (with x64 it
    widens the result, or is refused where JAX refuses to cast it down)."""
    import ml_dtypes
    bf16, h = ml_dtypes.bfloat16, np.float16
    k = jr.PRNGKey(0)
    assert jr.double_sided_maxwell(k, h(0), h(1), (4,), bf16).dtype == np.float32
    assert jr.weibull_min(k, h(1), h(1), (4,), bf16).dtype == np.float32
    assert jr.weibull_min(k, 1.0, 1.5, (4,), bf16).dtype == bf16  # Python floats are weak
    with jr.enable_x64(True):
        assert jr.double_sided_maxwell(k, np.float64(0), 1.0, (4,), np.float32).dtype == np.float64
        with pytest.raises(jr.TypePromotionError, match="float64 to float32"):
            jr.pareto(k, np.float64(2.0), (2,), np.float32)
    with pytest.raises(jr.TypePromotionError) as info:
        jr.beta(k, h(1), h(1), (4,), bf16)
    assert isinstance(info.value, ValueError)  # as jax.dtypes.TypePromotionError
