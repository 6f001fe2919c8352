"""MLX samplers against the committed golden vectors of the real MLX
(tests/golden/mlx_sampling.json), under every kernel; live against MLX when
it is importable; statistical checks against SciPy; bad input."""
import builtins
import importlib.util

import numpy as np
import pytest

import keyrand as kr
from keyrand import _casts
from keyrand._dtypes import to_numpy_dtype

from conftest import golden_generator, installed, load_golden, skip_or_fail

CASES = load_golden("mlx_sampling.json")
IMPLEMENTED = {"uniform", "normal", "randint", "bernoulli", "truncated_normal", "gumbel",
               "laplace", "categorical", "multivariate_normal", "permutation", "global_sequence"}


def decode_arg(value):
    if isinstance(value, dict) and "float" in value:  # NaN / inf as a Python float
        return float(value["float"])
    if isinstance(value, dict) and value.get("bits"):
        dt = to_numpy_dtype(value["dtype"])
        store = {2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.itemsize]
        return np.array(value["array"], dtype=store).view(dt)
    if isinstance(value, dict) and "array" in value:
        return np.array(value["array"], dtype=to_numpy_dtype(value["dtype"]))
    if isinstance(value, list):
        return tuple(value)
    return value


def call(fn, args):
    kwargs = {k: decode_arg(v) for k, v in args.items()}
    if "key" in kwargs:
        kwargs["key"] = np.array(args["key"], np.uint32)
    return getattr(kr, fn)(**kwargs)


def as_bits(out: dict) -> np.ndarray:
    dt = to_numpy_dtype(out["dtype"])
    if out.get("bits"):
        store = {2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.itemsize]
        return np.array(out["data"], dtype=store).reshape(out["shape"])
    return np.array(out["data"], dtype=dt).reshape(out["shape"])


# multivariate_normal goes through LAPACK's SVD, whose last bits depend on the
# LAPACK build (MLX bundles its own OpenBLAS): agreement to a few ulps of the
# largest |value| is the documented contract there; everything else is exact.
LAPACK_ULPS = {"multivariate_normal": 8}


def same(got: np.ndarray, out: dict, ulps: int = 0) -> None:
    want = as_bits(out)
    assert got.dtype == to_numpy_dtype(out["dtype"])
    assert got.shape == want.shape
    if ulps:
        want = want.view(got.dtype)
        finite = want[np.isfinite(want)]
        tol = ulps * np.spacing(np.abs(finite).max(initial=0))
        np.testing.assert_allclose(got, want, rtol=0, atol=tol)  # NaN where MLX has NaN
        return
    if out.get("bits"):
        # NaN where MLX gives NaN (its sign and payload are the hardware's);
        # every other value bit for bit.
        nan = np.isnan(want.view(got.dtype))
        np.testing.assert_array_equal(np.isnan(got), nan)
        got, want = got.view(want.dtype)[~nan], want[~nan]
    np.testing.assert_array_equal(got, want)


def check(case):
    fn, args = case["fn"], case["args"]
    if "error" in case and args.get("dtype") == "float64":
        # MLX has no float64 on the CPU; keyrand defines it as JAX's x64 draws.
        assert call(fn, args).dtype == np.float64
        return
    if "error" in case:  # the class MLX raises
        with pytest.raises(getattr(builtins, case["error"])):
            call(fn, args)
        return
    if fn == "global_sequence":
        kr.seed(args["seed"])
        for (name, kwargs), out in zip(args["calls"], case["outs"]):
            same(call(name, kwargs), out)
        return
    same(call(fn, args), case["out"], LAPACK_ULPS.get(fn, 0))


def case_id(case):
    text = "-".join(f"{k}={v}" for k, v in case["args"].items() if k != "key")
    return f"{case['fn']}-{text}"[:100]


@pytest.mark.parametrize("case", [c for c in CASES if c["fn"] in IMPLEMENTED], ids=case_id)
def test_committed_vector(case):
    check(case)


def test_committed_vectors_under_every_kernel(kernel):
    for case in CASES:
        if case["fn"] in IMPLEMENTED:
            check(case)


def test_live_against_mlx():
    if not installed("mlx"):
        skip_or_fail("mlx is not installed")
    gen = golden_generator()
    try:
        cases = gen.mlx_sampling_cases()
    except gen.VersionMismatch as exc:
        skip_or_fail(str(exc))
    checked = 0
    for case in cases:
        if case["fn"] in IMPLEMENTED:
            check(case)
            checked += 1
    assert checked > 200


# ---- distributions, statistically -----------------------------------------

stats = pytest.importorskip("scipy.stats") if importlib.util.find_spec("scipy") else None


@pytest.mark.parametrize("name, draw, cdf", [
    ("uniform", lambda k: kr.uniform(-3, 5, (200_000,), key=k), lambda x: (x + 3) / 8),
    ("normal", lambda k: kr.normal((200_000,), loc=2.0, scale=3.0, key=k),
     lambda x: __import__("scipy.stats").stats.norm.cdf(x, 2, 3)),
    ("gumbel", lambda k: kr.gumbel((200_000,), key=k),
     lambda x: __import__("scipy.stats").stats.gumbel_r.cdf(x)),
    ("laplace", lambda k: kr.laplace((200_000,), loc=1.0, scale=2.0, key=k),
     lambda x: __import__("scipy.stats").stats.laplace.cdf(x, 1, 2)),
    ("truncated_normal", lambda k: kr.truncated_normal(-1.0, 2.0, (200_000,), key=k),
     lambda x: __import__("scipy.stats").stats.truncnorm.cdf(x, -1, 2)),
])
def test_kolmogorov_smirnov(name, draw, cdf):
    if stats is None:
        skip_or_fail("scipy is not installed")
    x = draw(kr.key(2024)).astype(np.float64)
    result = stats.kstest(x, cdf)
    assert result.pvalue > 1e-4, (name, result)


def test_categorical_frequencies_on_both_paths():
    if stats is None:
        skip_or_fail("scipy is not installed")
    probs = np.array([0.05, 0.4, 0.0, 0.25, 0.3])
    with np.errstate(divide="ignore"):
        logits = np.log(probs).astype(np.float32)
    inverse_cdf = kr.categorical(logits, shape=(100_000,), key=kr.key(4))
    gumbel_max = kr.categorical(np.broadcast_to(logits, (100_000, 5)), key=kr.key(5))
    for draws in (inverse_cdf, gumbel_max):
        counts = np.bincount(draws, minlength=5)
        assert counts[2] == 0
        keep = probs > 0
        assert stats.chisquare(counts[keep], probs[keep] * draws.size).pvalue > 1e-4


def test_multivariate_normal_covariance():
    cov = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
    mean = np.array([1.0, -2.0, 0.5])
    x = kr.multivariate_normal(mean, cov, (200_000,), key=kr.key(6)).astype(np.float64)
    # Standard errors at n = 2e5 are below 0.01 for these entries.
    np.testing.assert_allclose(x.mean(axis=0), mean, atol=0.02)
    np.testing.assert_allclose(np.cov(x, rowvar=False), cov, atol=0.03)
    # A singular (rank-1) covariance is valid: all mass on the line x1 = 2 x0.
    line = kr.multivariate_normal(np.zeros(2), [[1.0, 2.0], [2.0, 4.0]], (1000,), key=kr.key(7))
    np.testing.assert_allclose(line[:, 1], 2 * line[:, 0], atol=1e-4)


def test_discrete_frequencies():
    if stats is None:
        skip_or_fail("scipy is not installed")
    r = kr.randint(-3, 7, (100_000,), key=kr.key(1))
    counts = np.bincount(r + 3, minlength=10)
    assert stats.chisquare(counts).pvalue > 1e-4
    b = kr.bernoulli(0.3, (100_000,), key=kr.key(2))
    assert stats.binomtest(int(b.sum()), b.size, 0.3).pvalue > 1e-4
    perms = np.array([kr.permutation(3, key=k) for k in kr.split(kr.key(3), 6000)])
    _, counts = np.unique(perms, axis=0, return_counts=True)
    assert len(counts) == 6 and stats.chisquare(counts).pvalue > 1e-4


def test_complex64_normal_pairs_and_complex_parameters():
    """complex64 normal: independent parts of variance 1/2 each, then scale
    and loc (real or complex) applied in complex64 arithmetic, as MLX."""
    z = kr.normal((200_000,), "complex64", key=kr.key(4))
    assert z.dtype == np.complex64 and z.shape == (200_000,)
    assert abs(z.real.var() - 0.5) < 0.01 and abs(z.imag.var() - 0.5) < 0.01
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 0.01
    assert abs(np.mean(np.abs(z) ** 2) - 1.0) < 0.01
    base = kr.normal((2, 3), np.complex64, key=kr.key(5))
    loc = np.array([[1 + 2j], [-0.5j]], np.complex128)
    got = kr.normal((2, 3), np.complex64, loc=loc, scale=2j, key=kr.key(5))
    want = np.complex64(2j) * base + loc.astype(np.complex64)
    assert got.dtype == np.complex64
    np.testing.assert_array_equal(got, want)
    # A NaN loc spoils only the part it is in, as MLX's complex addition does.
    half_nan = kr.normal((3,), np.complex64, loc=np.nan, key=kr.key(5))
    assert np.isnan(half_nan.real).all() and np.isfinite(half_nan.imag).all()
    with pytest.raises(TypeError, match="loc"):
        kr.normal((2,), np.complex64, loc="1+2j", key=kr.key(5))


# ---- bad input --------------------------------------------------------------

@pytest.mark.parametrize("call_, exc, words", [
    (lambda: kr.uniform(shape=(2,), dtype=np.int32, key=kr.key(0)), ValueError, "dtype"),
    (lambda: kr.uniform(shape=(2,), dtype="complex64", key=kr.key(0)), ValueError, "dtype"),
    (lambda: kr.uniform(shape=(2,), dtype="no such type", key=kr.key(0)), TypeError, "dtype"),
    (lambda: kr.uniform(np.zeros(3), 1.0, (2,), key=kr.key(0)), ValueError, "shape"),
    (lambda: kr.uniform(shape=(-1,), key=kr.key(0)), ValueError, "shape"),
    (lambda: kr.normal((2,), scale="big", key=kr.key(0)), TypeError, "scale"),
    (lambda: kr.bernoulli(1, (2,), key=kr.key(0)), ValueError, "p"),
    (lambda: kr.bernoulli(np.array([True]), key=kr.key(0)), ValueError, "p"),
    (lambda: kr.randint(0, 10, (2,), dtype=np.float32, key=kr.key(0)), ValueError, "dtype"),
    (lambda: kr.permutation(-1, key=kr.key(0)), ValueError, "x"),
    (lambda: kr.permutation(np.arange(6).reshape(2, 3), axis=2, key=kr.key(0)), ValueError, "axis"),
    (lambda: kr.uniform(shape=(2,), key=[1, 2, 3]), ValueError, "key"),
    (lambda: kr.categorical(1.0, key=kr.key(0)), ValueError, "logits"),
    (lambda: kr.categorical(np.zeros((2, 0)), key=kr.key(0)), ValueError, "logits"),
    (lambda: kr.categorical(np.zeros((2, 3)), axis=2, key=kr.key(0)), ValueError, "axis"),
    (lambda: kr.categorical(np.zeros((2, 3)), axis=0.5, key=kr.key(0)), TypeError, "axis"),
    (lambda: kr.categorical(np.zeros((2, 3)), shape=(3,), key=kr.key(0)), ValueError, "shape"),
    (lambda: kr.categorical(np.zeros(3), num_samples=-1, key=kr.key(0)), ValueError,
     "num_samples"),
    (lambda: kr.categorical(np.zeros(3), shape=(2,), num_samples=2, key=kr.key(0)), ValueError,
     "num_samples"),
    (lambda: kr.categorical(["a", "b"], key=kr.key(0)), TypeError, "logits"),
    (lambda: kr.multivariate_normal(0.0, np.eye(2), key=kr.key(0)), ValueError, "mean"),
    (lambda: kr.multivariate_normal(np.zeros(2), np.ones(2), key=kr.key(0)), ValueError, "cov"),
    (lambda: kr.multivariate_normal(np.zeros(2), np.ones((2, 3)), key=kr.key(0)), ValueError,
     "cov"),
    (lambda: kr.multivariate_normal(np.zeros(3), np.eye(2), key=kr.key(0)), ValueError, "mean"),
    (lambda: kr.multivariate_normal(np.zeros(2), [[1, np.nan], [np.nan, 1]], key=kr.key(0)),
     ValueError, "cov"),  # MLX's SVD fails (a RuntimeError there)
    (lambda: kr.multivariate_normal(np.zeros(2), np.eye(2), dtype=np.float16, key=kr.key(0)),
     ValueError, "dtype"),
    (lambda: kr.multivariate_normal(np.zeros((3, 2)), np.eye(2), shape=(4,), key=kr.key(0)),
     ValueError, "shape"),
])
def test_bad_input_names_the_argument(call_, exc, words):
    with pytest.raises(exc, match=words):
        call_()


def test_samplers_take_the_global_key_once_per_call():
    kr.seed(9)
    a = [kr.uniform(shape=(3,)), kr.normal((2,)), kr.randint(0, 5, (4,)), kr.gumbel((2,))]
    k = kr.key(9)
    subs = []
    for _ in range(4):
        k, sub = kr.split(k)
        subs.append(sub)
    np.testing.assert_array_equal(a[0], kr.uniform(shape=(3,), key=subs[0]))
    np.testing.assert_array_equal(a[1], kr.normal((2,), key=subs[1]))
    np.testing.assert_array_equal(a[2], kr.randint(0, 5, (4,), key=subs[2]))
    np.testing.assert_array_equal(a[3], kr.gumbel((2,), key=subs[3]))


_LAPLACE64_SCRIPT = """
import math, sys
import numpy as np
import keyrand as kr
key = kr.key(5)
w = kr.bits((10**6,), key=key)  # the two builds differ on ~3e-5 of draws
u = np.minimum(w.astype(np.float32) * np.float32(2.0 ** -32), np.float32(1 - 2.0 ** -24))
s = np.float32(2) * u + np.float32(-0.99999994)
mag = np.array([math.log1p(-float(abs(v))) for v in s])  # the C library's log1p
want = np.where(s > 0, mag, np.where(s < 0, -mag, 0.0 * mag))
got = kr.laplace((10**6,), np.float64, key=key)
bad = int((got.view(np.uint64) != want.view(np.uint64)).sum())
sys.exit(f"{bad} differ" if bad else 0)
"""


@pytest.mark.parametrize("tunables", [None, "glibc.cpu.hwcaps=-AVX2,-FMA"],
                         ids=["host-log1p", "glibc-plain-log1p"])
def test_float64_laplace_uses_the_c_librarys_log1p(tunables):
    """MLX's float64 laplace calls the C library's log1p in double; keyrand's
    vector kernel reproduces glibc's two x86-64 builds of it (with and without
    FMA, picked at run time as glibc picks) and calls log1p itself elsewhere.
    The second run makes glibc pick its plain build on an FMA host."""
    import os
    import subprocess
    import sys
    env = dict(os.environ)
    if tunables:
        env["GLIBC_TUNABLES"] = tunables
    result = subprocess.run([sys.executable, "-c", _LAPLACE64_SCRIPT], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]


def test_float_to_int_casts_as_mlx_on_x86():
    """The out-of-range float -> int conversions randint's bounds go through:
    truncation, then the lowest value of the conversion's width (32 bits up to
    int32, 64 for int64) wrapped to the type; the unsigned two-step sequence."""
    f = np.array([2.9, -2.9, 300.7, np.nan, 3e9, -3e9, 5e9, 2.0**63, -1.0], np.float32)
    want = {
        "int8": [2, -2, 44, 0, 0, 0, 0, 0, -1],
        "uint8": [2, 254, 44, 0, 0, 0, 0, 0, 255],
        "int32": [2, -2, 300, -2**31, -2**31, -2**31, -2**31, -2**31, -1],
        "uint32": [2, 2**32 - 2, 300, 2**31, 3_000_000_000, 2**31, 0, 0, 2**32 - 1],
        "int64": [2, -2, 300, -2**63, 3_000_000_000, -3_000_000_000, 5_000_000_000, -2**63, -1],
        "uint64": [2, 2**64 - 2, 300, 2**63, 3_000_000_000, 2**64 - 3_000_000_000,
                   5_000_000_000, 2**63, 2**64 - 1],
        "bool": [True, True, True, True, True, True, True, True, True],
    }
    for name, values in want.items():
        got = _casts.float_to_int(f, np.dtype(name))
        assert got.dtype == np.dtype(name)
        assert got.tolist() == values, name
