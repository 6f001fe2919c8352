"""The thread pool: results never depend on the thread count (tasks are
fixed-size), the count is configurable (set_num_threads, KEYRAND_NUM_THREADS,
threadpoolctl), concurrent callers and fork() are safe."""
import os
import threading

import numpy as np
import pytest

import keyrand as kr
from keyrand import jax as jr

from conftest import run_python, skip_or_fail

# Around the pool's thresholds: 2^17 words engage it, tasks hold 2^16 words.
SIZES = [2**17 - 1, 2**17, 2**17 + 1, 3 * 2**16 + 12345, 10**6 + 7]


@pytest.fixture
def threads():
    previous = kr.get_num_threads()
    yield
    kr.set_num_threads(previous)


def draws(n):
    k = kr.key(5)
    keys = kr.split(kr.key(6), 3)
    out = {
        "bits u32": kr.bits((n,), key=k),
        "bits u8": kr.bits((n,), 1, key=k),
        "bits u16 batched": kr.bits((n // 3,), 2, key=keys),
        "split": kr.split(k, n // 2),
        "uniform f16": kr.uniform(-1, 2, (n,), np.float16, key=k),
        "normal f32 batched": kr.normal((n // 3,), key=keys),
        "laplace bf16": kr.laplace((n,), "bfloat16", key=k),
        "normal f64": kr.normal((n,), np.float64, key=k),
        "many small keys": kr.uniform(shape=(7,), key=kr.split(k, n // 7)),
    }
    for partitionable in (True, False):
        with jr.threefry_partitionable(partitionable):
            out[f"jax u64 {partitionable}"] = jr.bits(k, (n // 2,), np.uint64)
            out[f"jax u8 {partitionable}"] = jr.bits(k, (n,), np.uint8)
            out[f"jax split {partitionable}"] = jr.split(k, n // 2)
    return out


@pytest.mark.parametrize("n", SIZES)
def test_results_do_not_depend_on_the_thread_count(n, threads):
    kr.set_num_threads(1)
    want = draws(n)
    for count in (2, 3, 8):
        kr.set_num_threads(count)
        got = draws(n)
        for name in want:
            assert np.array_equal(got[name].view(np.uint8), want[name].view(np.uint8)), \
                (name, count)


def test_concurrent_callers_get_their_own_results(threads):
    kr.set_num_threads(2)
    keys = [kr.key(i) for i in range(6)]
    want = [kr.normal((400_000,), key=k) for k in keys]
    got = [None] * len(keys)

    def work(i):
        for _ in range(3):
            got[i] = kr.normal((400_000,), key=keys[i])

    workers = [threading.Thread(target=work, args=(i,)) for i in range(len(keys))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


FORK_CHILD = """
import os
import numpy as np
import keyrand as kr
kr.set_num_threads(2)
want = kr.uniform(shape=(10**6,), key=kr.key(9))  # starts the pool's threads
pid = os.fork()
if pid == 0:  # the child has none of the pool's threads: they must be recreated
    ok = np.array_equal(kr.uniform(shape=(10**6,), key=kr.key(9)), want)
    os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_pool_works_in_a_forked_child():
    # A fresh interpreter: forking this one (with JAX's threads) is unsafe.
    result = run_python(FORK_CHILD)
    assert result.returncode == 0 and result.stdout.strip() == "child 0", result.stderr


def test_set_num_threads_validates(threads):
    with pytest.raises(ValueError, match="n must be at least 1"):
        kr.set_num_threads(0)
    with pytest.raises(TypeError, match="n must be an integer"):
        kr.set_num_threads(2.5)
    with pytest.raises(TypeError, match="n must be an integer"):
        kr.set_num_threads(True)
    kr.set_num_threads(3)
    assert kr.get_num_threads() == 3
    kr.set_num_threads(None)
    assert kr.get_num_threads() == len(os.sched_getaffinity(0)) \
        if hasattr(os, "sched_getaffinity") else kr.get_num_threads() >= 1


def test_environment_variable():
    ok = run_python("import keyrand as kr; print(kr.get_num_threads())",
                    {"KEYRAND_NUM_THREADS": "3"})
    assert ok.returncode == 0 and ok.stdout.strip() == "3", ok.stderr
    bad = run_python("import keyrand", {"KEYRAND_NUM_THREADS": "many"})
    assert bad.returncode != 0 and "KEYRAND_NUM_THREADS" in bad.stderr


def test_threadpoolctl_controls_the_pool(threads):
    try:
        import threadpoolctl
    except ImportError:
        skip_or_fail("threadpoolctl is not installed")
    if not hasattr(threadpoolctl, "register"):
        # keyrand registers its pool only through threadpoolctl.register (3.4+;
        # Debian 13 ships 3.1.0), and says nothing when it cannot.
        skip_or_fail(f"threadpoolctl {threadpoolctl.__version__} has no register() "
                     "(3.4+), so it cannot see keyrand's pool")
    kr.set_num_threads(2)
    info = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "keyrand"]
    assert len(info) == 1 and info[0]["num_threads"] == 2
    with threadpoolctl.threadpool_limits(1, user_api="keyrand"):
        assert kr.get_num_threads() == 1
    assert kr.get_num_threads() == 2


def _jax_cases():
    from public_calls import CASES
    return [pytest.param(fn, kwargs, id=fn.__name__) for fn, kwargs in CASES
            if fn.__module__.startswith("keyrand.jax")]


@pytest.mark.parametrize("fn,kwargs", _jax_cases())
def test_every_jax_function_reads_each_mode_once(fn, kwargs, monkeypatch):
    """A flag read twice in one call can change in between (another thread's
    set_*): the call must read each flag at most once or hold them all
    (_config.fixed_modes), as JAX fixes them at trace time."""
    from keyrand.jax import _config, _host
    reads: dict = {}
    for label, flag in (("partitionable", _config._PARTITIONABLE), ("x64", _config._X64),
                        ("host", _host._PROFILE)):
        def get(original=flag.get, label=label):
            if not _config._FIXED.get():
                reads[label] = reads.get(label, 0) + 1
            return original()
        monkeypatch.setattr(flag, "get", get)
    fn(**kwargs)
    assert all(n == 1 for n in reads.values()), reads


@pytest.mark.parametrize("name,call", [
    ("gamma", lambda k: jr.gamma(k, 0.7, (64,))),
    ("beta", lambda k: jr.beta(k, 2.0, 3.0, (64,))),
    ("t", lambda k: jr.t(k, 3.0, (64,))),
    ("poisson", lambda k: jr.poisson(k, 4.0, (64,))),
    ("randint", lambda k: jr.randint(k, (64,), 0, 2**31 - 1)),
    ("choice", lambda k: jr.choice(k, 50, (20,), replace=False)),
])
def test_a_mode_flip_from_another_thread_gives_one_mode(name, call):
    """While one thread flips the global Threefry mode, every result is
    exactly one mode's (was: a mix, the mode re-read at internal steps)."""
    k = jr.PRNGKey(3)
    with jr.threefry_partitionable(True):
        part = call(k)
    with jr.threefry_partitionable(False):
        legacy = call(k)
    assert not np.array_equal(part, legacy)
    stop = threading.Event()
    before = jr.is_threefry_partitionable()

    def flip():
        while not stop.is_set():
            jr.set_threefry_partitionable(not jr.is_threefry_partitionable())

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        for _ in range(60):
            got = call(k)
            assert np.array_equal(got, part) or np.array_equal(got, legacy)
    finally:
        stop.set()
        flipper.join()
        jr.set_threefry_partitionable(before)
