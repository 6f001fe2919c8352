"""keyrand against the committed golden vectors of the real MLX and JAX
(tests/golden/foundation.json, written by tests/golden/generate.py), and live
against the libraries themselves when the pinned versions are importable."""

import numpy as np
import pytest

import keyrand as kr
from keyrand import _state
from keyrand import jax as jr

from conftest import expected_array, golden_generator, installed, load_golden, skip_or_fail

CASES = load_golden("foundation.json")


def case_id(case):
    parts = [case["lib"], case["fn"], case.get("mode", "")]
    parts += [f"{k}={v}" for k, v in case["args"].items() if k != "key"]
    key = case["args"].get("key")
    if key is not None:
        parts.append("key=" + str(np.asarray(key).tolist()).replace(" ", ""))
    return "-".join(p for p in parts if p)[:120]


def run_mlx(case):
    fn, a = case["fn"], case["args"]
    if fn == "key":
        return kr.key(a["seed"])
    if fn == "split":
        return kr.split(a["key"], a["num"])
    if fn == "bits":
        return kr.bits(a["shape"], a["width"], key=a["key"])
    if fn == "global_state":
        kr.seed(a["seed"])
        states = [_state.current_key()]
        for _ in range(a["calls"]):
            kr.bits(a["shape"])  # any sampler with key=None consumes one subkey
            states.append(_state.current_key())
        return np.stack(states)
    raise AssertionError(f"no keyrand counterpart for mlx {fn}")


def run_jax(case):
    fn, a = case["fn"], case["args"]
    with jr.threefry_partitionable(case["mode"] == "partitionable"), \
            jr.enable_x64(case.get("x64", False)):
        if fn == "PRNGKey":
            return jr.PRNGKey(a["seed"])
        if fn == "split":
            num = tuple(a["num"]) if isinstance(a["num"], list) else a["num"]
            return jr.split(np.array(a["key"], np.uint32), num)
        if fn == "fold_in":
            return jr.fold_in(np.array(a["key"], np.uint32), a["data"])
        if fn == "bits":
            return jr.bits(np.array(a["key"], np.uint32), tuple(a["shape"]), a["dtype"])
    raise AssertionError(f"no keyrand counterpart for jax {fn}")


def check_case(case):
    run = run_mlx if case["lib"] == "mlx" else run_jax
    if "error" in case:
        # The library refused; keyrand must refuse with a clear error too.
        with pytest.raises((ValueError, TypeError, OverflowError)):
            run(case)
        return
    got = run(case)
    want = expected_array(case)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_golden_file_covers_the_foundation():
    seen = {(c["lib"], c["fn"]) for c in CASES}
    assert {("mlx", "key"), ("mlx", "split"), ("mlx", "bits"), ("mlx", "global_state"),
            ("jax", "PRNGKey"), ("jax", "split"), ("jax", "fold_in"),
            ("jax", "bits")} <= seen
    assert {c.get("mode") for c in CASES if c["lib"] == "jax"} == {"partitionable", "legacy"}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_committed_vector(case):
    check_case(case)


def test_committed_vectors_under_every_kernel(kernel):
    for case in CASES:
        check_case(case)


@pytest.mark.parametrize("lib", ["mlx", "jax"])
def test_live_against_the_library(lib):
    if not installed(lib):
        skip_or_fail(f"{lib} is not installed")
    gen = golden_generator()
    try:
        cases = gen.mlx_cases() if lib == "mlx" else gen.jax_cases()
    except gen.VersionMismatch as exc:
        skip_or_fail(str(exc))
    assert len(cases) > 50
    for case in cases:
        check_case(case)
