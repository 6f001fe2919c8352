"""keyrand.jax against the real jax.random on raw keys: the committed vectors
of tests/golden/jax_sampling.json (written by tests/golden/generate.py,
group jax_sampling_cases) and of the per-host files jax_host_<kind>.json
(its host-dependent cases as another kind of CPU computes them) replayed
under each case's Threefry mode and x64 setting and under the XLA host
profile of the machine that made the file (keyrand/jax/_host.py), under every
SIMD kernel for the exactly reproduced functions, and live against JAX (on
this machine's own profile) when the pinned version is importable.

Only the functions keyrand.jax exports (``keyrand.jax.__all__``) are
collected; the others' cases wait in the file until they are implemented."""
import builtins
import os
import platform

import numpy as np
import pytest

from keyrand import jax as jr
from keyrand._dtypes import to_numpy_dtype

from keyrand import _core

from conftest import TESTS, golden_generator, installed, load_golden_file, skip_or_fail


def _load(name):
    data = load_golden_file(name)
    host = data["generator"]["host"]
    for case in data["cases"]:
        case["host"] = host  # in memory only: how the case is replayed
    return data["cases"]


CASES = _load("jax_sampling.json")
HOST_FILES = sorted(p.name for p in (TESTS / "golden").glob("jax_host_*.json"))
HOST_CASES = [c for name in HOST_FILES for c in _load(name)]
# gamma and what is built on it call XLA's float32 rsqrt: the CPU's estimate.
RSQRT_FNS = {"gamma", "loggamma", "beta", "dirichlet", "chisquare", "f", "t",
             "generalized_normal", "ball"}
_F = _core.host_features()
THIS_VENDOR = ("amd" if _F["sse4a"] else "intel") if _F["x86"] else None

EXACT = "exact"
STATISTICAL = "statistical"

# How keyrand's output is compared with JAX's, per function:
#   EXACT        bit for bit (NaN payloads aside);
#   an int n     floats within n units in the last place, element by element
#                (integer and bool outputs are always compared exactly);
#   STATISTICAL  the bits cannot match: shape and dtype only here.
COMPARISON = {
    # raw uint32 keys
    "key": EXACT, "key_data": EXACT, "wrap_key_data": EXACT, "clone": EXACT,
    # the streams and what is computed exactly from them
    "uniform": EXACT, "normal": EXACT, "randint": EXACT, "bernoulli": EXACT,
    "choice": EXACT, "permutation": EXACT, "categorical": EXACT, "rademacher": EXACT,
    "gumbel": EXACT, "laplace": EXACT, "exponential": EXACT,
    # integer outputs, and counts (integer-valued floats: no ulp bound helps)
    "geometric": EXACT, "poisson": EXACT, "binomial": EXACT, "multinomial": EXACT,
    # float transforms of the streams (docs/jax.md): exact but for 0-d shapes, which
    # XLA fuses differently, and float64 pow / tan off glibc (the C library's, as
    # XLA calls them: GLIBC_EXACT)
    "truncated_normal": 0, "logistic": 0, "lognormal": 0, "pareto": 0, "rayleigh": 0,
    "maxwell": 0, "double_sided_maxwell": 0, "triangular": 0, "ball": 0, "dirichlet": 0,
    "cauchy": 2, "weibull_min": 2, "wald": 4, "generalized_normal": 4,
    # the gamma family: exact in float32 / float16 where this CPU computes the recording
    # host's rsqrt, and in float64 (glibc's pow) (comparison()); bfloat16 rounds
    # differently inside JAX's loop (statistical, docs/jax.md)
    "gamma": 16, "loggamma": 16, "beta": 16, "chisquare": 16, "f": 16, "t": 16,
    # LAPACK inside (Cholesky / QR): NumPy's LAPACK, close but not bit-equal;
    # tests/test_jax_rejection.py compares them to JAX with a tolerance
    "multivariate_normal": STATISTICAL, "orthogonal": STATISTICAL,
}
FUNCTIONS = set(COMPARISON)
IMPLEMENTED = FUNCTIONS & set(jr.__all__)
COLLECTED = [c for c in CASES + HOST_CASES if c["fn"] in IMPLEMENTED]
_MAIN_IDS = {id(c) for c in CASES}

# Exceptions of JAX's own, as the builtin class keyrand raises instead.
JAX_ERRORS = {"TypePromotionError": ValueError}  # jax.dtypes.TypePromotionError(ValueError)
KEY_ARGS = ("key", "keys", "key_bits_array")
STORE = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def same_estimate(host: dict) -> bool:
    """Whether this CPU computes the recording host's float32 rsqrt: the same
    refinement of an estimate from the same vendor's hardware (or no estimate)."""
    steps = host["profile"]["rsqrt_steps"]
    return steps == 0 or (THIS_VENDOR is not None and host["kind"].startswith(THIS_VENDOR))


def replay_profile(host: dict) -> dict:
    """The keyrand.jax host profile that reproduces the recording host."""
    profile = dict(host["profile"])
    if not same_estimate(host):
        profile["rsqrt_steps"] = None  # another vendor's estimate: keep this CPU's
    return profile


# float64 samplers whose only inexact step was XLA's pow / tan, which keyrand
# takes from the C library as XLA does: exact where that is the recording
# host's (glibc).
GLIBC_EXACT = RSQRT_FNS | {"cauchy", "weibull_min"}
ON_GLIBC = platform.libc_ver()[0] == "glibc"


def comparison(case):
    if case["fn"] == "multivariate_normal" and case["args"].get("method") in ("svd", "eigh"):
        return STATISTICAL  # the signs of eigenvectors are the LAPACK build's choice
    dtype = case.get("out", {}).get("dtype")
    if case["fn"] in GLIBC_EXACT and dtype == "float64" and ON_GLIBC:
        return EXACT
    if case["fn"] in RSQRT_FNS and dtype in ("float32", "float16") and same_estimate(case["host"]):
        return EXACT
    return COMPARISON[case["fn"]]


def decode(name, value):
    """A recorded argument as keyrand.jax takes it (the generator hands JAX the same)."""
    if name in KEY_ARGS:
        return np.array(value, dtype=np.uint32)
    if isinstance(value, dict):
        dt = to_numpy_dtype(value["dtype"])
        if value.get("bits"):
            return np.array(value["array"], dtype=STORE[dt.itemsize]).view(dt)
        return np.array(value["array"], dtype=dt)
    if isinstance(value, list):
        return tuple(value)  # shapes
    return value  # Python scalars and dtype names


def call(case):
    kwargs = {name: decode(name, value) for name, value in case["args"].items()}
    with jr.threefry_partitionable(case["mode"] == "partitionable"), \
            jr.enable_x64(case["x64"]), jr.host_profile_override(**replay_profile(case["host"])):
        return getattr(jr, case["fn"])(**kwargs)


def expected(out: dict) -> np.ndarray:
    """The recorded output; float arrays as their bit patterns (complex ones
    as the flat bits of their interleaved parts)."""
    dt = to_numpy_dtype(out["dtype"])
    if dt.kind == "c":
        return np.array(out["data"], dtype=STORE[dt.itemsize // 2])
    store = STORE[dt.itemsize] if out.get("bits") else dt
    return np.array(out["data"], dtype=store).reshape(out["shape"])


def ulp_distance(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Units in the last place between two float arrays of the same dtype (as
    unsigned integers: steps along the line of representable values)."""
    u = np.dtype(STORE[got.dtype.itemsize])
    s = np.dtype(f"i{u.itemsize}")
    sign = u.type(1 << (8 * u.itemsize - 1))

    def line(a):  # sign-magnitude bits -> a monotonic signed integer
        bits = a.view(u)
        mag = (bits & ~sign).view(s)
        return np.where(bits & sign, -mag, mag)

    a, b = line(got), line(want)
    with np.errstate(over="ignore"):
        return np.where(a >= b, a.view(u) - b.view(u), b.view(u) - a.view(u))


def _truncated_by_jax(case) -> bool:
    """An explicit 64-bit dtype outside 64-bit mode: JAX truncates it to 32 bits
    with a UserWarning, and so does keyrand.jax."""
    dtype = case["args"].get("dtype")
    return not case["x64"] and dtype in ("float64", "int64", "uint64")


def check(case):
    if "out" in case and _truncated_by_jax(case):
        with pytest.warns(UserWarning, match="will be truncated to dtype"):
            got = np.asarray(call(case))
        _compare(case, got)
        return
    if "error" in case:
        name = case["error"]
        with pytest.raises(JAX_ERRORS.get(name) or getattr(builtins, name)):
            call(case)
        return
    _compare(case, np.asarray(call(case)))


def _compare(case, got):
    out = case["out"]
    assert got.dtype == to_numpy_dtype(out["dtype"]), (got.dtype, out["dtype"])
    assert list(got.shape) == out["shape"], (got.shape, out["shape"])
    how = comparison(case)
    if how == STATISTICAL:
        return
    want = expected(out)
    if not out.get("bits"):  # integers and bools
        np.testing.assert_array_equal(got, want)
        return
    if got.dtype.kind == "c":  # each part as a float
        got = np.ascontiguousarray(got).view(got.real.dtype)
    got, want = got.ravel(), want.view(got.dtype).ravel()
    both_nan = np.isnan(got) & np.isnan(want)  # NaN payloads are not part of the contract
    ulps = 0 if how == EXACT else how
    bad = (ulp_distance(got, want) > ulps) & ~both_nan
    assert not bad.any(), (f"{bad.sum()} of {bad.size} beyond {ulps} ulp", got[bad][:5],
                           want[bad][:5])


def case_id(case):
    parts = [case["fn"], case["mode"][:4], "x64" if case["x64"] else "", case["host"]["kind"]]
    parts += [f"{k}={v}" for k, v in case["args"].items()
              if k not in KEY_ARGS and not isinstance(v, dict)]
    parts += [f"{k}=<{v['dtype']}>" for k, v in case["args"].items() if isinstance(v, dict)]
    key = next((case["args"][k] for k in KEY_ARGS if k in case["args"]), None)
    if key is not None:
        parts.append("key=" + str(np.asarray(key).tolist()).replace(" ", ""))
    return "-".join(p for p in parts if p)[:120]


def test_golden_file_covers_the_namespace():
    assert {c["fn"] for c in CASES} == FUNCTIONS
    assert {c["mode"] for c in CASES} == {"partitionable", "legacy"}
    assert {c["x64"] for c in CASES} == {False, True}
    for fn in FUNCTIONS - {"key", "key_data", "wrap_key_data"}:
        assert {c["mode"] for c in CASES if c["fn"] == fn} == {"partitionable", "legacy"}, fn


def test_host_files_hold_the_host_dependent_cases():
    """Each jax_host_<kind>.json repeats exactly the host-dependent cases of
    jax_sampling.json (same calls), made on a host of another kind."""
    gen = golden_generator()
    meta = ("fn", "mode", "x64", "args")
    want = [{k: c[k] for k in meta} for c in CASES
            if gen.host_dependent(c["fn"], c["args"], c["mode"], c["x64"])]
    assert HOST_FILES, "no per-host golden file"
    kinds = {CASES[0]["host"]["kind"]}
    for name in HOST_FILES:
        cases = [c for c in HOST_CASES if f"jax_host_{c['host']['kind']}.json" == name]
        assert [{k: c[k] for k in meta} for c in cases] == want, name
        assert cases[0]["host"]["kind"] not in kinds, f"{name} repeats a kind of host"
        kinds.add(cases[0]["host"]["kind"])


def test_host_kinds_differ_where_recorded():
    """The per-host files exist because the numbers differ: float16 wald and
    truncated_normal do between a host with native float16 and one without."""
    by_kind = {}
    for case in CASES + HOST_CASES:
        if case["fn"] in ("wald", "truncated_normal") and \
                case.get("out", {}).get("dtype") == "float16":
            by_kind.setdefault(case["host"]["profile"]["fp16"], []).append(case["out"]["data"])
    if len(by_kind) < 2:
        pytest.skip("the committed files come from one kind of float16 host only")
    assert by_kind[True] != by_kind[False]


def test_host_detection_matches_cpuinfo():
    """keyrand's own CPU detection (dispatch.c) agrees with the kernel's flags."""
    import platform
    info = golden_generator().host_info()
    if platform.system() != "Linux" or not info["features"]:
        pytest.skip("needs /proc/cpuinfo of this architecture (qemu-user shows the host's)")
    f = _core.host_features()
    if info["machine"] in ("x86_64", "amd64"):
        assert f["sse4a"] == ("sse4a" in info["features"])
        assert f["avx"] == ("avx" in info["features"])
        assert f["avx512f"] == ("avx512f" in info["features"])
        assert f["bf16"] == ("avx512_bf16" in info["features"])
        assert f["f16c"] == ("f16c" in info["features"])
    assert f["fp16"] == info["profile"]["fp16"]
    assert jr.host_profile() == jr.HostProfile(**info["profile"])


@pytest.mark.parametrize("case", COLLECTED, ids=case_id)
def test_committed_vector(case):
    check(case)


def test_committed_vectors_under_every_kernel(kernel):
    for case in COLLECTED:
        if comparison(case) in (EXACT, 0):
            check(case)


def _live_cases(only):
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
    return gen.jax_sampling_cases(only=only)


def _check_live(cases, committed):
    here = golden_generator().host_info()
    for case in cases:
        case["host"] = here  # JAX ran here: this CPU's profile
    meta = ("fn", "mode", "x64", "args")
    assert [{k: c[k] for k in meta} for c in cases] == [{k: c[k] for k in meta} for c in committed], \
        "tests/golden/jax_sampling.json is out of date: rerun tests/golden/generate.py"
    for case in cases:
        check(case)


def _first_calls(names):
    """A case filter: per function in names, its first argument set (with each of
    its keys) in partitionable mode, so one compilation per function."""
    first = {}

    def wanted(fn, args, mode, x64):
        if fn not in names or mode != "partitionable":
            return False
        spec = (x64, repr({k: v for k, v in args.items() if k not in KEY_ARGS}))
        return first.setdefault(fn, spec) == spec
    return wanted


def _selected(wanted):
    return [c for c in COLLECTED
            if id(c) in _MAIN_IDS and wanted(c["fn"], c["args"], c["mode"], c["x64"])]


# Built from gamma or binomial draws, 1-3 s of XLA compilation each: left to the
# full rerun, as gamma and poisson stand for them in the quick one.
LIVE_SLOW = {"loggamma", "beta", "dirichlet", "chisquare", "f", "t", "generalized_normal",
             "ball", "binomial", "multinomial"}


def test_live_against_jax():
    """The first call of each implemented function (but LIVE_SLOW). JAX compiles
    every new shape, dtype and argument type, so the whole group is some 700
    compilations (minutes): KEYRAND_GOLDEN_LIVE=all reruns all of it."""
    names = IMPLEMENTED - LIVE_SLOW
    _check_live(_live_cases(_first_calls(names)), _selected(_first_calls(names)))


def test_live_against_jax_all_cases():
    if os.environ.get("KEYRAND_GOLDEN_LIVE", "") != "all":
        pytest.skip("set KEYRAND_GOLDEN_LIVE=all to rerun the whole group (minutes)")
    _check_live(_live_cases(IMPLEMENTED), COLLECTED)
