"""keyrand.c_random, the cimport-able C API: every function, called from a
module that only cimports it (tests/capi_probe.pyx, built here against this
keyrand), equals the Python API; sub-ranges, error codes, threads."""
import importlib
import re
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest

import keyrand as kr
from keyrand import _core
from keyrand import jax as jr
from conftest import ROOT, TESTS, env_with_path, require_cython_build

KEY = kr.key(31337)
MAX_WORDS = 2**32 - 2
LARGE = 300_001  # above the thread pool's threshold of 2**17 words

_BUILD = """
import keyrand
from Cython.Build import cythonize
from setuptools import Extension, setup
setup(script_args=["build_ext", "--inplace"],
      ext_modules=cythonize([Extension("capi_probe", ["capi_probe.pyx"])],
                            include_path=[keyrand.get_include()],
                            compiler_directives={"language_level": 3}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    require_cython_build()
    where = tmp_path_factory.mktemp("capi_probe")
    shutil.copy(TESTS / "capi_probe.pyx", where)
    build = subprocess.run([sys.executable, "-c", _BUILD], cwd=where, capture_output=True,
                           text=True, env=env_with_path(), timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("capi_probe")
    finally:
        sys.path.remove(str(where))


def draw(probe, name, n, **kw):
    out = np.empty(n, dtype=probe.FILLS[name][1])
    rc = probe.fill(name, KEY, out, **kw)
    assert rc == probe.CODES["KR_OK"], (name, rc)
    return out


def test_error_codes_are_those_of_keyrand_h(probe):
    header = (ROOT / "src" / "c" / "keyrand.h").read_text()
    defined = {m[1]: int(m[2]) for m in re.finditer(r"#define (KR_(?:OK|ERR_\w+)) (\d+)", header)}
    assert defined == probe.CODES


def test_threefry_block(probe):
    for key, ctr in [((0, 0), (0, 0)), ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3)),
                     ((1, 2), (0xFFFFFFFF, 7))]:
        expected = _core.threefry2x32(np.array(key, np.uint32), np.array(ctr, np.uint32))
        assert probe.threefry2x32(key, ctr) == expected


def _jax_normal_f64(n):
    """kr_fill_normal_f64's definition: JAX's x64 normal (keyrand.normal's
    float64 follows MLX instead, on the MLX layout)."""
    with jr.threefry_partitionable(True), jr.enable_x64(True):
        return jr.normal(KEY, (n,), np.float64)


@pytest.mark.parametrize("n", [0, 1, 2, 1001, LARGE])
def test_whole_streams_equal_the_python_api(probe, n, kernel):
    assert np.array_equal(draw(probe, "bits32", n), kr.bits((n,), key=KEY))
    assert np.array_equal(draw(probe, "uniform_f32", n, low=-3.0, high=0.5),
                          kr.uniform(-3.0, 0.5, (n,), key=KEY))
    assert np.array_equal(draw(probe, "normal_f32", n), kr.normal((n,), key=KEY))
    assert np.array_equal(draw(probe, "uniform_f64", n, low=-3.0, high=0.5),
                          kr.uniform(-3.0, 0.5, (n,), np.float64, key=KEY))
    assert np.array_equal(draw(probe, "normal_f64", n), _jax_normal_f64(n))
    with jr.threefry_partitionable(True), jr.enable_x64(True):
        expected = jr.bits(KEY, (n,), np.uint64)
    assert np.array_equal(draw(probe, "bits64_part", n), expected)


def test_uniform_f32_rounds_bounds_as_keyrand(probe):
    # float32 bounds: the same values keyrand.uniform gets from these floats.
    low, high = float(np.float32(0.1)), float(np.float32(7.3))
    assert np.array_equal(draw(probe, "uniform_f32", 999, low=low, high=high),
                          kr.uniform(low, high, (999,), key=KEY))


# Cut points of a stream into sub-ranges: tiny, odd, and pool-sized pieces.
TOTAL = 2 * LARGE + 3
CUTS = [0, 1, 2, 7, 1000, LARGE, LARGE + 1, TOTAL]


@pytest.mark.parametrize("name, whole", [
    ("bits32_range", lambda: kr.bits((TOTAL,), key=KEY)),
    ("uniform_f32_range", lambda: kr.uniform(0.25, 4.0, (TOTAL,), key=KEY)),
    ("normal_f32_range", lambda: kr.normal((TOTAL,), key=KEY)),
])
def test_mlx_layout_ranges_concatenate_to_the_stream(probe, name, whole):
    parts = [draw(probe, name, b - a, total=TOTAL, start=a, low=0.25, high=4.0)
             for a, b in zip(CUTS, CUTS[1:])]
    assert np.array_equal(np.concatenate(parts), whole())


@pytest.mark.parametrize("name, whole", [
    ("uniform_f64_range", lambda n: kr.uniform(0.25, 4.0, (n,), np.float64, key=KEY)),
    ("normal_f64_range", lambda n: _jax_normal_f64(n)),
])
def test_element_indexed_ranges_concatenate_to_the_stream(probe, name, whole):
    parts = [draw(probe, name, b - a, start=a, low=0.25, high=4.0)
             for a, b in zip(CUTS, CUTS[1:])]
    assert np.array_equal(np.concatenate(parts), whole(TOTAL))


def test_element_indexed_streams_reach_the_last_index(probe):
    start = 2**64 - 5
    words = draw(probe, "bits64_part", 5, start=start)
    assert np.array_equal(words, _core.stream(_core.Layout.PART_U64, KEY, (5,),
                                              np.dtype(np.uint64), 0, start))
    assert draw(probe, "normal_f64_range", 5, start=start).shape == (5,)


@pytest.mark.parametrize("name, n, kw, code", [
    ("bits32", MAX_WORDS + 1, {}, "KR_ERR_TOO_LARGE"),
    ("uniform_f32", MAX_WORDS + 1, {}, "KR_ERR_TOO_LARGE"),
    ("normal_f32", MAX_WORDS + 1, {}, "KR_ERR_TOO_LARGE"),
    ("bits32_range", 1, {"total": MAX_WORDS + 1}, "KR_ERR_TOO_LARGE"),
    ("uniform_f32_range", 1, {"total": MAX_WORDS + 1}, "KR_ERR_TOO_LARGE"),
    ("normal_f32_range", 1, {"total": MAX_WORDS + 1}, "KR_ERR_TOO_LARGE"),
    ("bits32_range", 3, {"total": 10, "start": 8}, "KR_ERR_RANGE"),
    ("uniform_f32_range", 3, {"total": 10, "start": 8}, "KR_ERR_RANGE"),
    ("normal_f32_range", 1, {"total": 10, "start": 11}, "KR_ERR_RANGE"),
    ("uniform_f64_range", 6, {"start": 2**64 - 5}, "KR_ERR_RANGE"),
    ("normal_f64_range", 2, {"start": 2**64 - 1}, "KR_ERR_RANGE"),
    ("bits64_part", 6, {"start": 2**64 - 5}, "KR_ERR_RANGE"),
    ("uniform_f32", 4, {"low": float("nan")}, "KR_ERR_ARG"),
    ("uniform_f32_range", 4, {"total": 4, "high": float("nan")}, "KR_ERR_ARG"),
    ("uniform_f64", 4, {"high": float("nan")}, "KR_ERR_ARG"),
    ("uniform_f64_range", 4, {"low": float("nan")}, "KR_ERR_ARG"),
])
def test_errors_return_a_code_and_write_nothing(probe, name, n, kw, code):
    out = np.full(min(n, 16), 7, dtype=probe.FILLS[name][1])
    # n above 16 is passed as a bare count: the C API refuses it before
    # writing, so the small buffer is never overrun.
    assert probe.fill(name, KEY, out, count=n, **kw) == probe.CODES[code]
    assert (out == 7).all()


def test_threads_call_at_once(probe):
    names = ["uniform_f32", "normal_f32", "normal_f64", "bits64_part"]
    serial = {name: draw(probe, name, LARGE) for name in names}
    results = {}

    def run(name):
        results[name] = draw(probe, name, LARGE)

    threads = [threading.Thread(target=run, args=(name,)) for name in names * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in names:
        assert np.array_equal(results[name], serial[name])


def test_values_do_not_depend_on_the_thread_count(probe):
    before = kr.get_num_threads()
    try:
        kr.set_num_threads(1)
        one = draw(probe, "normal_f32_range", LARGE, total=TOTAL, start=5)
        kr.set_num_threads(4)
        four = draw(probe, "normal_f32_range", LARGE, total=TOTAL, start=5)
    finally:
        kr.set_num_threads(before)
    assert np.array_equal(one, four)
