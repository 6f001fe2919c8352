"""kr_downstream's draws equal keyrand's Python API bit for bit: the C API
(keyrand.c_random) and the Python API are one stream definition."""
import threading

import numpy as np
import pytest

import keyrand
from keyrand import jax as jr
import kr_downstream as kd

KEY = keyrand.key(2024)


@pytest.mark.parametrize("n", [0, 1, 7, 1000, 300_001])
def test_bits(n):
    assert np.array_equal(kd.bits(KEY, n), keyrand.bits((n,), key=KEY))


@pytest.mark.parametrize("n", [0, 1, 1001, 300_001])  # 300_001 words: the thread pool
def test_uniform_and_normal_float32(n):
    assert np.array_equal(kd.uniform(KEY, n, -2.0, 5.0),
                          keyrand.uniform(-2.0, 5.0, (n,), key=KEY))
    assert np.array_equal(kd.normal(KEY, n), keyrand.normal((n,), key=KEY))


@pytest.mark.parametrize("n", [0, 3, 300_001])
def test_float64(n):
    assert np.array_equal(kd.uniform64(KEY, n, 1.0, 2.0),
                          keyrand.uniform(1.0, 2.0, (n,), np.float64, key=KEY))
    with jr.threefry_partitionable(True), jr.enable_x64(True):
        want = jr.normal(KEY, (n,), np.float64)
    assert np.array_equal(kd.normal64(KEY, n), want)


def test_sub_ranges_concatenate_to_the_stream():
    total = 400_003
    whole = keyrand.uniform(0.0, 1.0, (total,), key=KEY)
    cuts = [0, 1, 5, 131_072, 262_145, total]
    parts = [kd.uniform_range(KEY, total, a, b - a) for a, b in zip(cuts, cuts[1:])]
    assert np.array_equal(np.concatenate(parts), whole)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="beyond the end"):
        kd.uniform_range(KEY, 10, 8, 3)
    with pytest.raises(ValueError, match="2\\*\\*32 - 2"):
        kd.uniform_range(KEY, 2**32, 0, 1)
    with pytest.raises(ValueError, match="NaN"):
        kd.uniform(KEY, 3, float("nan"), 1.0)
    with pytest.raises(ValueError, match="n must be"):
        kd.bits(KEY, -1)
    with pytest.raises(TypeError, match="n must be an integer"):
        kd.bits(KEY, 2.5)
    with pytest.raises(ValueError, match="key must have shape"):
        kd.bits([1, 2, 3], 2)
    with pytest.raises(TypeError, match="key"):
        kd.bits(np.array([0.5, 1.0]), 2)


def test_estimate_pi_counts_keyrands_points():
    points = 100_003
    est, inside = kd.estimate_pi(KEY, points)
    u = keyrand.uniform(0.0, 1.0, (2 * points,), np.float64, key=KEY)
    x, y = u[0::2], u[1::2]
    assert inside == int(np.count_nonzero(x * x + y * y < 1.0))
    assert est == 4.0 * inside / points
    assert abs(est - np.pi) < 0.02


def test_estimate_pi_runs_in_threads_without_the_gil():
    keys = [keyrand.key(s) for s in range(4)]
    serial = [kd.estimate_pi(k, 200_000) for k in keys]
    results = [None] * len(keys)

    def run(i):
        results[i] = kd.estimate_pi(keys[i], 200_000)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(keys))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == serial


def test_docstring_examples_run():
    import doctest
    from kr_downstream import _draws
    result = doctest.testmod(_draws)
    assert result.failed == 0 and result.attempted > 0
