"""The Python API: accepted inputs, clear errors for bad ones, the global key
sequence under threads, configuration and the main job."""
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import keyrand as kr
from keyrand import _state
from keyrand import jax as jr

from conftest import run_python


# ---- keys in many forms -----------------------------------------------------

@pytest.mark.parametrize("form", [
    lambda k: k,
    lambda k: k.tolist(),
    lambda k: tuple(int(v) for v in k),
    lambda k: k.astype(np.int64),
    lambda k: k.astype(np.uint64),
    lambda k: np.asfortranarray(np.stack([k, k]))[0],
])
def test_key_forms_are_equivalent(form):
    k = kr.key(2**40 + 7)
    np.testing.assert_array_equal(kr.split(form(k)), kr.split(k))


def test_jax_typed_and_mlx_keys_are_accepted():
    jax = pytest.importorskip("jax")
    typed = jax.random.key(7)
    np.testing.assert_array_equal(jr.split(typed), jr.split(jr.PRNGKey(7)))
    np.testing.assert_array_equal(kr.bits((3,), key=jax.random.PRNGKey(7)),
                                  kr.bits((3,), key=[0, 7]))


def test_mlx_arrays_are_accepted():
    mx = pytest.importorskip("mlx.core")
    np.testing.assert_array_equal(kr.split(mx.random.key(9)), kr.split(kr.key(9)))


@pytest.mark.parametrize("bad, exc, words", [
    ([1, 2, 3], ValueError, "shape (..., 2)"),
    (5, ValueError, "shape (..., 2)"),
    ([1.0, 2.0], TypeError, "dtype float64"),
    ([True, False], TypeError, "dtype bool"),
    ([-1, 0], ValueError, "[0, 2**32)"),
    ([2**32, 0], ValueError, "[0, 2**32)"),
    ("ab", TypeError, "key"),
    ({"a": 1}, TypeError, "key"),
    (np.zeros((2, 3), np.uint32), ValueError, "shape (..., 2)"),
])
def test_bad_keys_name_the_argument(bad, exc, words):
    # keyrand.jax reports malformed key data as JAX does: always a TypeError.
    for call, kind in ((lambda: kr.split(bad), exc), (lambda: kr.bits((2,), key=bad), exc),
                       (lambda: kr.fold_in(bad, 1), exc), (lambda: jr.bits(bad, (2,)), TypeError),
                       (lambda: jr.split(bad), TypeError), (lambda: jr.normal(bad), TypeError)):
        with pytest.raises(kind) as info:
            call()
        assert "key" in str(info.value) and words in str(info.value)


@pytest.mark.parametrize("shape, exc", [
    ((-1,), ValueError), ((2, -3), ValueError), ((1.5,), TypeError), ("ab", TypeError),
    ((None,), TypeError), (2.0, TypeError), ((np.bool_(True),), TypeError),
    ((1, 2, np.bool_(False)), TypeError),  # NumPy 2 refuses np.bool_ as an index; 1.x warned
])
def test_bad_shapes_name_the_argument(shape, exc):
    for call in (lambda: kr.bits(shape, key=kr.key(0)), lambda: jr.bits(jr.PRNGKey(0), shape)):
        with pytest.raises(exc, match="shape"):
            call()


def test_shape_forms():
    k = kr.key(3)
    for shape in (5, [5], (5,), np.array([5]), (np.int64(5),)):
        np.testing.assert_array_equal(kr.bits(shape, key=k), kr.bits((5,), key=k))
    assert kr.bits((), key=k).shape == ()
    assert kr.bits((0, 4), key=k).shape == (0, 4)


@pytest.mark.parametrize("width, exc", [(3, ValueError), (8, ValueError), (0, ValueError),
                                        (4.0, TypeError), ("4", TypeError)])
def test_bad_width(width, exc):
    with pytest.raises(exc, match="width"):
        kr.bits((2,), width, key=kr.key(0))


# A dtype that is not unsigned is JAX's ValueError; one NumPy cannot parse, a TypeError.
@pytest.mark.parametrize("dtype, exc", [("int32", ValueError), ("float32", ValueError),
                                        ("uint128", TypeError), (object(), TypeError)])
def test_bad_jax_bits_dtype(dtype, exc):
    with pytest.raises(exc, match="dtype"):
        jr.bits(jr.PRNGKey(0), (2,), dtype)


def test_bad_seeds_and_nums():
    with pytest.raises(ValueError, match="seed"):
        kr.key(-1)
    with pytest.raises(ValueError, match="seed"):
        kr.key(2**64)
    with pytest.raises(TypeError, match="seed"):
        kr.key(1.5)
    with pytest.raises(TypeError, match="seed"):
        kr.seed("3")
    with pytest.raises(OverflowError, match="seed"):
        jr.PRNGKey(2**63)
    with pytest.raises(ValueError, match="num"):
        kr.split(kr.key(0), -2)
    with pytest.raises(TypeError, match="num"):
        kr.split(kr.key(0), 2.0)
    with pytest.raises(ValueError, match="num"):
        jr.split(jr.PRNGKey(0), (2, -1))
    with pytest.raises(OverflowError, match="data"):
        jr.fold_in(jr.PRNGKey(0), -1)
    with pytest.raises(TypeError, match="data"):
        kr.fold_in(kr.key(0), 1.5)
    with pytest.raises(TypeError, match="flag"):
        jr.set_threefry_partitionable("yes")


def test_requests_beyond_the_halves_layout_are_refused_cheaply():
    with pytest.raises(ValueError, match="at most 4294967294"):
        kr.bits((2**31, 2**2), key=kr.key(0))
    with pytest.raises(ValueError, match="at most 4294967294"):
        with jr.threefry_partitionable(False), jr.enable_x64(True):
            jr.bits(jr.PRNGKey(0), (2**31,), "uint64")


def test_split_zero_and_fold_in_batches():
    assert kr.split(kr.key(1), 0).shape == (0, 2)
    keys = kr.split(kr.key(1), 4)
    folded = kr.fold_in(keys, 9)
    assert folded.shape == (4, 2)
    for i in range(4):
        np.testing.assert_array_equal(folded[i], kr.fold_in(keys[i], 9))
    np.testing.assert_array_equal(kr.fold_in(kr.key(1), 2**32 + 9), kr.fold_in(kr.key(1), 9))


def test_outputs_are_fresh_writable_arrays():
    k = kr.key(0)
    a = kr.bits((7,), 1, key=k)
    assert a.flags.c_contiguous and a.flags.writeable and a.flags.owndata
    a[:] = 0
    assert kr.bits((7,), 1, key=k).any()


# ---- properties -------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(0, 6), max_size=3), width=st.sampled_from([1, 2, 4]),
       seed=st.integers(0, 2**64 - 1))
def test_bits_shape_dtype_and_flat_stream(shape, width, seed):
    k = kr.key(seed)
    out = kr.bits(tuple(shape), width, key=k)
    assert out.shape == tuple(shape) and out.dtype.itemsize == width
    # Reshaping a request keeps the stream: it depends on the size only.
    np.testing.assert_array_equal(out.ravel(), kr.bits((out.size,), width, key=k))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 200), m=st.integers(0, 200), seed=st.integers(0, 2**32 - 1),
       dtype=st.sampled_from(["uint8", "uint16", "uint32", "uint64"]))
def test_partitionable_bits_are_prefix_stable(n, m, seed, dtype):
    k = jr.PRNGKey(seed)
    short, long = jr.bits(k, (min(n, m),), dtype), jr.bits(k, (max(n, m),), dtype)
    np.testing.assert_array_equal(short, long[:len(short)])


def test_mode_switches_are_scoped():
    k = jr.PRNGKey(5)
    assert jr.is_threefry_partitionable()
    with jr.threefry_partitionable(False):
        assert not jr.is_threefry_partitionable()
        legacy = jr.split(k)
    assert jr.is_threefry_partitionable()
    np.testing.assert_array_equal(legacy, kr.split(k))  # legacy split is MLX's split
    assert not np.array_equal(jr.split(k), legacy)
    jr.set_threefry_partitionable(False)
    try:
        np.testing.assert_array_equal(jr.split(k), legacy)
    finally:
        jr.set_threefry_partitionable(True)


def test_context_overrides_are_per_thread():
    seen = {}

    def other():
        seen["other"] = jr.is_threefry_partitionable()

    with jr.threefry_partitionable(False):
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen["other"] is True


# ---- the global key --------------------------------------------------------

def test_seed_sequence_is_mlx_split_sequence():
    kr.seed(123)
    expected = kr.key(123)
    for _ in range(5):
        expected, sub = kr.split(expected)
        np.testing.assert_array_equal(kr.bits((4,)), kr.bits((4,), key=sub))
    np.testing.assert_array_equal(_state.current_key(), expected)


def test_global_key_under_threads_hands_out_each_subkey_once():
    kr.seed(77)
    per_thread, threads = 400, 8
    results = [[] for _ in range(threads)]

    def worker(i):
        for _ in range(per_thread):
            results[i].append(tuple(kr.bits((2,)).tolist()))

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    draws = [d for r in results for d in r]
    # The state advanced exactly once per call, and every call got its own subkey.
    expected, subs = kr.key(77), set()
    for _ in range(per_thread * threads):
        expected, sub = kr.split(expected)
        subs.add(tuple(kr.bits((2,), key=sub).tolist()))
    np.testing.assert_array_equal(_state.current_key(), expected)
    assert set(draws) == subs and len(draws) == len(subs)


def test_global_key_in_a_forked_child():
    script = """
import os, keyrand as kr
kr.seed(1)
pid = os.fork()
if pid == 0:
    os._exit(0 if kr.bits((2,)).shape == (2,) else 1)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
"""
    if not hasattr(__import__("os"), "fork"):
        pytest.skip("no fork on this platform")
    proc = run_python(script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"


def test_signal_handlers_may_draw_with_and_seed_the_global_key():
    """A handler using key=None (or seed()) while the main thread is inside a
    global-key draw: was a deadlock (a lock held across Python calls). Every
    subkey is still handed out once, in the split chain's order."""
    script = """
import signal, numpy as np, keyrand as kr
got, handled = [], [0]
def handler(signum, frame):
    handled[0] += 1
    got.append(tuple(kr.bits((2,)).tolist()))
signal.signal(signal.SIGALRM, handler)
kr.seed(9)
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
while handled[0] < 300:
    got.append(tuple(kr.bits((2,)).tolist()))
signal.setitimer(signal.ITIMER_REAL, 0)
chain, subs = kr.key(9), []
for _ in range(len(got)):
    chain, sub = kr.split(chain)
    subs.append(tuple(kr.bits((2,), key=sub).tolist()))
assert sorted(got) == sorted(subs), "a subkey was handed out twice or skipped"
signal.signal(signal.SIGALRM, lambda *a: kr.seed(3))
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
for _ in range(20000):
    kr.normal((1,))
signal.setitimer(signal.ITIMER_REAL, 0)
print("ok", handled[0])
"""
    signal = pytest.importorskip("signal")
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    proc = run_python(script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok"), proc.stdout


# ---- configuration and the main job ----------------------------------------

def test_show_config(capsys):
    kr.show_config()
    text = capsys.readouterr().out
    assert f"keyrand {kr.__version__}" in text
    assert kr.simd_kernel() in text and "compiler" in text


def test_main_job_runs_quickly_and_reports_every_kernel():
    proc = subprocess.run([sys.executable, "-m", "keyrand"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "GB/s" in proc.stdout and "<- active" in proc.stdout
    for kernel in kr.available_simd_kernels():
        assert f"  {kernel} " in proc.stdout
    # split(key(0)), as MLX gives it.
    assert "[[4146024105, 967050713], [2718843009, 1272950319]]" in proc.stdout


def _main(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "keyrand", *args], capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_main_job_help_and_bad_arguments():
    help_ = _main("--help")
    assert help_.returncode == 0 and "--quick" in help_.stdout
    assert "GB/s" not in help_.stdout  # --help does not run the job
    for bad in (["--frobnicate"], ["--words", "0"], ["--repeats", "x"], ["extra"]):
        proc = _main(*bad)
        assert proc.returncode == 2, (bad, proc.stdout)
        assert "usage: python -m keyrand" in proc.stderr, bad


def test_main_job_quick_runs_the_active_kernel_only():
    proc = _main("--quick")
    assert proc.returncode == 0, proc.stderr
    assert f"  {kr.simd_kernel()} " in proc.stdout and "<- active" in proc.stdout
    assert "1e+06 uint32 words" in proc.stdout
    others = set(kr.available_simd_kernels()) - {kr.simd_kernel()}
    assert not any(f"  {k:<8} 1 thread" in proc.stdout for k in others)


def test_main_job_into_a_closed_pipe_ends_quietly():
    """`python -m keyrand | head -1`: no traceback when the reader leaves."""
    proc = subprocess.Popen([sys.executable, "-m", "keyrand", "--quick"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # as head does after its first line
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    assert proc.returncode in (0, 1)
