"""Memory and thread safety: no leaks (RSS stays flat over many calls, input
refcounts unchanged), KeyboardInterrupt during large requests leaves keyrand
working, concurrent large requests and multiprocessing children get the
numbers a single caller would."""
import gc
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import keyrand as kr
from keyrand import _core
from keyrand import jax as jr
from conftest import run_python


def test_a_sanitizer_run_runs_the_sanitized_build():
    # CI's second pass sets KEYRAND_SANITIZE=1 for the build and the run: a
    # stale, uninstrumented extension would make that pass prove nothing.
    assert _core.sanitized() == (os.environ.get("KEYRAND_SANITIZE") == "1")


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


CALLS = [
    lambda k: kr.normal((1000,), key=k),
    lambda k: kr.uniform(np.zeros(3), 1.0, (64, 3), key=k),
    lambda k: kr.randint(0, 10, (100,), np.int8, key=k),
    lambda k: kr.bits((33,), 2, key=k),
    lambda k: kr.split(k, 5),
    lambda k: kr.block(kr.normal, np.s_[3:50, 1], (100, 4), key=k),
    lambda k: jr.normal(k, (500,), np.float16),
    lambda k: jr.gamma(k, 2.5, (50,)),
    lambda k: jr.choice(k, 10, (4,), replace=False),
    lambda k: kr.categorical(np.log(np.arange(1.0, 5.0)), shape=(20,), key=k),
]


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
@pytest.mark.skipif(_core.sanitized(), reason="ASan's quarantine keeps freed memory by "
                    "design; the ordinary pass checks the RSS")
def test_repeated_calls_keep_memory_flat():
    k = kr.key(0)
    for call in CALLS:  # warm-up: caches, lazy imports, the pool
        for _ in range(50):
            call(k)
    gc.collect()
    before = _rss_bytes()
    for _ in range(2000):
        for call in CALLS:
            call(k)
    gc.collect()
    grown = _rss_bytes() - before
    # 20000 calls; a leak of even 100 bytes per call would show as 2 MB.
    assert grown < 2 << 20, f"RSS grew by {grown} bytes over 20000 calls"


def test_inputs_keep_their_refcounts():
    k = kr.key(1)
    low = np.zeros(3)
    out = np.empty(1000, np.float32)
    before = [sys.getrefcount(x) for x in (k, low, out)]
    for _ in range(100):
        kr.uniform(low, 1.0, (10, 3), key=k)
        kr.normal((1000,), key=k, out=out)
        kr.bits((4,), key=k)
        jr.uniform(k, (10, 3), minval=low)
        kr.block(kr.normal, np.s_[2:5], (10,), key=k)
        with pytest.raises(ValueError):
            kr.normal((999,), key=k, out=out)
    assert [sys.getrefcount(x) for x in (k, low, out)] == before


INTERRUPTED = textwrap.dedent("""
    import _thread, os, signal, threading, time
    import numpy as np
    import keyrand as kr

    # Runners start jobs with SIGINT ignored (a shell's `cmd &`), which this
    # interpreter would inherit: the test's own handler makes the signal count.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    kr.set_num_threads(2)
    want = kr.normal((10**7,), key=kr.key(9))
    other = []
    def concurrent():  # a second caller running while the main thread is interrupted
        for _ in range(5):
            other.append(np.array_equal(kr.normal((10**7,), key=kr.key(9)), want))
    t = threading.Thread(target=concurrent)
    t.start()
    # A real SIGINT on POSIX; Windows has no kill(SIGINT) for a process
    # (os.kill would terminate it), so the same flag is tripped directly.
    interrupt = (lambda: os.kill(os.getpid(), signal.SIGINT)) if os.name != "nt" \
        else _thread.interrupt_main
    threading.Timer(0.05, interrupt).start()
    try:
        for _ in range(400):
            kr.normal((10**7,), key=kr.key(9))
        print("not interrupted")
    except KeyboardInterrupt:
        print("interrupted")
    t.join()
    print("concurrent ok" if all(other) and len(other) == 5 else "concurrent WRONG")
    print("after ok" if np.array_equal(kr.normal((10**7,), key=kr.key(9)), want) else "after WRONG")
""")


def test_keyboard_interrupt_during_large_requests():
    result = run_python(INTERRUPTED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["interrupted", "concurrent ok", "after ok"], \
        result.stdout + result.stderr


MULTIPROCESSING = textwrap.dedent("""
    import multiprocessing as mp
    import numpy as np
    import keyrand as kr

    def child(seed):
        return kr.normal((3 * 10**6,), key=kr.key(seed)).tobytes()

    if __name__ == "__main__":
        kr.set_num_threads(2)
        kr.normal((3 * 10**6,), key=kr.key(0))  # the pool's threads exist before the fork
        for method in ("fork", "spawn"):
            with mp.get_context(method).Pool(2) as pool:
                got = pool.map(child, range(4))
            same = all(g == kr.normal((3 * 10**6,), key=kr.key(s)).tobytes()
                       for s, g in enumerate(got))
            print(method, "ok" if same else "WRONG")
""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_multiprocessing_children_fork_and_spawn(tmp_path):
    # A script file: spawned children import the parent's main module.
    script = tmp_path / "children.py"
    script.write_text(MULTIPROCESSING)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["fork ok", "spawn ok"], result.stdout + result.stderr


def _unaligned(words) -> np.ndarray:
    raw = np.zeros(4 * len(words) + 1, np.uint8)[1:]
    arr = raw.view(np.uint32)
    arr[:] = words
    assert not arr.flags.aligned
    return arr


def test_unaligned_keys_give_the_same_numbers():
    # Unpickled arrays (e.g. keys shipped to Dask workers) can sit at odd
    # addresses; the sanitizer pass found the kernels loading such keys as
    # uint32 (undefined behaviour).
    k = kr.key(12345)
    odd = _unaligned(k)
    np.testing.assert_array_equal(kr.normal((100,), key=odd), kr.normal((100,), key=k))
    np.testing.assert_array_equal(kr.split(odd, 3), kr.split(k, 3))
    np.testing.assert_array_equal(kr.fold_in(odd, 7), kr.fold_in(k, 7))
    np.testing.assert_array_equal(jr.uniform(odd, (50,)), jr.uniform(k, (50,)))
    np.testing.assert_array_equal(kr.block(kr.normal, np.s_[3:9], (20,), key=odd),
                                  kr.normal((20,), key=k)[3:9])
