"""out=: filling a caller's buffer gives the same values as a fresh array,
and a buffer that does not fit is a clear error, never a silent write."""
import numpy as np
import pytest

import keyrand as kr
from keyrand import jax as jr

K = kr.key(3)
KEYS = kr.split(kr.key(4), 2)


def _x64(fn, *args, **kwargs):
    with jr.enable_x64():  # JAX's 64-bit types need 64-bit mode
        return fn(*args, **kwargs)


CASES = [
    (lambda **o: kr.bits((1001,), key=K, **o), (1001,), np.uint32),
    (lambda **o: kr.bits((5, 7), 1, key=KEYS, **o), (2, 5, 7), np.uint8),
    (lambda **o: _x64(jr.bits, K, (333,), np.uint64, **o), (333,), np.uint64),
    (lambda **o: jr.bits(KEYS, (9,), np.uint16, **o), (2, 9), np.uint16),
    (lambda **o: kr.uniform(-2, 3, (1000,), key=K, **o), (1000,), np.float32),
    (lambda **o: kr.uniform(np.zeros(4), 1.0, (3, 4), np.float16, key=K, **o), (3, 4),
     np.float16),
    (lambda **o: kr.uniform(shape=(77,), dtype=np.float64, key=KEYS, **o), (2, 77), np.float64),
    (lambda **o: kr.normal((1000,), loc=1.0, scale=2.0, key=K, **o), (1000,), np.float32),
    (lambda **o: kr.normal((2, 3), loc=np.arange(3.0), key=K, **o), (2, 3), np.float32),
    (lambda **o: kr.normal((50,), np.float64, key=K, **o), (50,), np.float64),
]


@pytest.mark.parametrize("call, shape, dtype", CASES)
def test_out_is_filled_and_returned(call, shape, dtype):
    fresh = call()
    buf = np.full(shape, 7, dtype=dtype)
    got = call(out=buf)
    assert got is buf
    np.testing.assert_array_equal(buf.view(np.uint8), fresh.view(np.uint8))


@pytest.mark.parametrize("call, shape, dtype", CASES)
def test_out_that_does_not_fit_is_an_error(call, shape, dtype):
    with pytest.raises(ValueError, match="out must have shape"):
        call(out=np.empty(shape + (1,), dtype))
    other = np.float32 if dtype != np.float32 else np.float64
    with pytest.raises(ValueError, match="out must have shape"):
        call(out=np.empty(shape, other))
    with pytest.raises(TypeError, match="out must be a NumPy array"):
        call(out=[0] * int(np.prod(shape)))


def test_out_must_be_contiguous_and_writeable():
    strided = np.empty(20, np.uint32)[::2]
    with pytest.raises(ValueError, match="C-contiguous, aligned and writeable"):
        kr.bits((10,), key=K, out=strided)
    frozen = np.empty(10, np.float32)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="C-contiguous, aligned and writeable"):
        kr.uniform(shape=(10,), key=K, out=frozen)


@pytest.mark.parametrize("call, dtype", [
    (lambda o: kr.normal((5,), key=K, out=o), ">f4"),
    (lambda o: kr.bits((5,), key=K, out=o), ">u4"),
    (lambda o: _x64(jr.bits, K, (5,), np.uint64, out=o), ">u8"),
    (lambda o: kr.uniform(shape=(5,), dtype=np.float64, key=K, out=o), ">f8"),
])
def test_out_of_another_byte_order_is_refused(call, dtype):
    """The core writes native-endian values: a byte-swapped out= would hold
    other numbers than the result, so it is an error, never filled."""
    buf = np.zeros(5, dtype)
    with pytest.raises(ValueError, match="native byte order"):
        call(buf)
    assert not buf.any()


def test_out_of_an_equivalent_dtype_is_accepted():
    """np.ulonglong is uint64 on every supported platform (LP64 and LLP64)."""
    buf = np.zeros(5, np.ulonglong)
    got = _x64(jr.bits, K, (5,), np.uint64, out=buf)
    assert got is buf
    np.testing.assert_array_equal(buf, _x64(jr.bits, K, (5,), np.uint64))


def _keys_inside(out: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A copy of `keys` living in the first bytes of `out`'s buffer."""
    inside = out.reshape(-1).view(np.uint32)[:keys.size].reshape(keys.shape)
    inside[:] = keys
    return inside


@pytest.mark.parametrize("call, dtype", [
    (lambda k, **o: kr.bits((4,), key=k, **o), np.uint32),
    (lambda k, **o: kr.normal((4,), key=k, **o), np.float32),
    (lambda k, **o: kr.uniform(shape=(3,), dtype=np.float64, key=k, **o), np.float64),
    (lambda k, **o: jr.bits(k, (4,), **o), np.uint32),
    (lambda k, **o: jr.bits(k, (8,), np.uint8, **o), np.uint8),
    (lambda k, **o: kr.bits((5,), 2, key=k, **o), np.uint16),
], ids=["kr.bits", "kr.normal", "kr.uniform-f64", "jr.bits", "jr.bits-u8", "kr.bits-u16"])
@pytest.mark.parametrize("nkeys", [2, 40])  # on the stack / a copied batch
def test_out_that_holds_the_keys_gets_every_row_right(call, dtype, nkeys):
    """Keys in the first part of `out` (was: later rows drawn from keys the
    earlier rows had overwritten). The key words are copied once per call."""
    keys = kr.split(kr.key(8), nkeys)
    want = call(keys)
    out = np.zeros(want.shape, dtype)
    got = call(_keys_inside(out, keys), out=out)
    assert got is out
    assert np.array_equal(got, want)


def test_a_key_changed_by_another_thread_mid_draw_gives_one_keys_sample():
    """While a thread flips the key array's contents, a large threaded draw
    is wholly one key's sample (was: part one, part the other)."""
    import threading
    a, b = kr.key(1), kr.key(2)
    n = 3 * 2**20  # many pool tasks
    want = [kr.normal((n,), key=a), kr.normal((n,), key=b)]
    shared = a.copy()
    stop = threading.Event()

    def flip():
        while not stop.is_set():
            shared[:] = b
            shared[:] = a

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        for _ in range(10):
            got = kr.normal((n,), key=shared)
            assert np.array_equal(got, want[0]) or np.array_equal(got, want[1])
    finally:
        stop.set()
        flipper.join()
