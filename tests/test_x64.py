"""float64 samplers: keyrand defines them as JAX's x64 draws. Compared with
the committed vectors of the real JAX (tests/golden/x64_sampling.json) under
every kernel, live against JAX when it is importable, and statistically."""
import importlib.util

import numpy as np
import pytest

import keyrand as kr
from keyrand import _core
from keyrand import jax as jr

from conftest import golden_generator, installed, load_golden, skip_or_fail
from test_sampling import check, case_id

CASES = load_golden("x64_sampling.json")
SAMPLERS = [c for c in CASES if c["fn"] != "xla_f64"]
MATH = [c for c in CASES if c["fn"] == "xla_f64"]
OPS = {"log": _core.XlaFn.XLA_LOG, "log1p": _core.XlaFn.XLA_LOG1P, "erf": _core.XlaFn.XLA_ERF,
       "erf_inv": _core.XlaFn.XLA_ERFINV, "exp": _core.XlaFn.XLA_EXP}


def check_math(case):
    x = np.array(case["args"]["x"]["array"], dtype=np.uint64).view(np.float64)
    want = np.array(case["out"]["data"], dtype=np.uint64)
    got = np.empty_like(x)
    _core.xla_f64(OPS[case["args"]["op"]], x, got)
    # NaN payloads are not part of the contract; every other bit is.
    nan = np.isnan(got) & np.isnan(want.view(np.float64))
    bad = (got.view(np.uint64) != want) & ~nan
    assert not bad.any(), (case["args"]["op"], x[bad][:5], got[bad][:5], want.view(np.float64)[bad][:5])


@pytest.mark.parametrize("case", SAMPLERS, ids=case_id)
def test_committed_vector(case):
    check(case)


@pytest.mark.parametrize("case", MATH, ids=lambda c: c["args"]["op"])
def test_xla_float64_math(case):
    check_math(case)


def test_committed_vectors_under_every_kernel(kernel):
    for case in SAMPLERS:
        check(case)


def test_live_against_jax():
    if not installed("jax"):
        skip_or_fail("jax is not installed")
    gen = golden_generator()
    import jax
    import jaxlib
    try:
        gen.check_version("jax", jax.__version__)
        gen.check_version("jaxlib", jaxlib.__version__)
    except gen.VersionMismatch as exc:
        skip_or_fail(str(exc))
    cases = gen.jax_x64_cases()
    for case in cases:
        (check_math if case["fn"] == "xla_f64" else check)(case)
    assert len(cases) == len(CASES)


def test_float64_uses_the_partitionable_64_bit_stream():
    """uniform(float64) is the top 52 bits of jax bits(uint64), partitionable."""
    k = kr.key(11)
    with jr.threefry_partitionable(True), jr.enable_x64(True):
        words = jr.bits(k, (100,), np.uint64)
    f = ((words >> np.uint64(12)) | np.uint64(0x3FF0000000000000)).view(np.float64) - 1.0
    np.testing.assert_array_equal(kr.uniform(shape=(100,), dtype=np.float64, key=k), f)
    # The Threefry mode setting of keyrand.jax does not change the definition.
    with jr.threefry_partitionable(False):
        np.testing.assert_array_equal(kr.uniform(shape=(100,), dtype="float64", key=k), f)


def test_float64_has_no_32_bit_length_limit_and_batches_keys():
    keys = kr.split(kr.key(3), 3)
    batch = kr.normal((2, 5), dtype=np.float64, key=keys)
    assert batch.shape == (3, 2, 5) and batch.dtype == np.float64
    for k, row in zip(keys, batch):
        np.testing.assert_array_equal(row, kr.normal((2, 5), dtype=np.float64, key=k))


stats = pytest.importorskip("scipy.stats") if importlib.util.find_spec("scipy") else None


@pytest.mark.parametrize("name, draw, cdf", [
    ("uniform", lambda k: kr.uniform(-3, 5, (200_000,), np.float64, key=k), lambda x: (x + 3) / 8),
    ("normal", lambda k: kr.normal((200_000,), np.float64, loc=2.0, scale=3.0, key=k),
     lambda x: stats.norm.cdf(x, 2, 3)),
    ("gumbel", lambda k: kr.gumbel((200_000,), np.float64, key=k), lambda x: stats.gumbel_r.cdf(x)),
    ("laplace", lambda k: kr.laplace((200_000,), np.float64, 1.0, 2.0, key=k),
     lambda x: stats.laplace.cdf(x, 1, 2)),
    ("truncated_normal", lambda k: kr.truncated_normal(-1.0, 2.0, (200_000,), np.float64, key=k),
     lambda x: stats.truncnorm.cdf(x, -1, 2)),
])
def test_kolmogorov_smirnov(name, draw, cdf):
    if stats is None:
        skip_or_fail("scipy is not installed")
    assert stats.kstest(draw(kr.key(2026)), cdf).pvalue > 1e-4, name


def test_multivariate_normal_float64():
    cov = np.array([[2.0, 0.6], [0.6, 1.0]])
    x = kr.multivariate_normal([1.0, -1.0], cov, (200_000,), np.float64, key=kr.key(8))
    assert x.dtype == np.float64
    np.testing.assert_allclose(x.mean(axis=0), [1.0, -1.0], atol=0.02)
    np.testing.assert_allclose(np.cov(x, rowvar=False), cov, atol=0.03)
    # z is the float64 normal stream of the key: mean + z @ sqrt(cov).
    z = kr.normal((4, 2), np.float64, key=kr.key(8))
    w, v = np.linalg.eigh(cov)
    np.testing.assert_allclose(kr.multivariate_normal([1.0, -1.0], cov, (4,), np.float64,
                                                      key=kr.key(8)),
                               [1.0, -1.0] + z @ ((v * np.sqrt(w)) @ v.T), rtol=1e-12)
