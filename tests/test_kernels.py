"""Every kernel gives the same bits: every tail length, large sizes, random
sub-ranges, batched keys; in process (set_simd_kernel) and as selected by the
KEYRAND_SIMD environment variable at import."""
import hashlib

import numpy as np
import pytest

import keyrand as kr
from keyrand import _core
from keyrand import jax as jr

from conftest import run_python

KERNELS = kr.available_simd_kernels()
KEYS = np.array([[0, 0], [0x9E3779B9, 0x7F4A7C15], [0xFFFFFFFF, 1]], np.uint32)
L = _core.Layout
ELEMENT = {L.HALVES_WORDS: np.uint32, L.HALVES_BYTES: np.uint8, L.HALVES_U64: np.uint64,
           L.PART_U8: np.uint8, L.PART_U16: np.uint16, L.PART_U32: np.uint32,
           L.PART_U64: np.uint64, L.PART_KEYS: np.uint64}


def raw(layout, keys, total, start, n):
    out = np.empty((len(keys), n), ELEMENT[layout])
    _core.fill(layout, keys, total, start, out.view(np.uint8))
    return out


def under(kernel, fn):
    previous = kr.simd_kernel()
    kr.set_simd_kernel(kernel)
    try:
        return fn()
    finally:
        kr.set_simd_kernel(previous)


def battery():
    """Outputs of every layout for lengths 0..300 and a few large sizes."""
    out = []
    for n in [*range(301), 4096 + 17, 100_003]:
        for width in (1, 2, 4):
            out.append(kr.bits((n,), width, key=KEYS))
        for partitionable in (True, False):
            with jr.threefry_partitionable(partitionable):
                for dt in ("uint8", "uint16", "uint32", "uint64"):
                    out.append(jr.bits(KEYS, (n,), dt))
                out.append(jr.split(KEYS[1], n))
    return out


def digest(arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(str(a.shape).encode() + a.dtype.str.encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


@pytest.mark.skipif(len(KERNELS) < 2, reason="only the scalar kernel runs on this CPU")
def test_all_kernels_identical_in_process():
    reference = under("scalar", battery)
    for kernel in KERNELS[1:]:
        got = under(kernel, battery)
        assert len(got) == len(reference)
        for want, have in zip(reference, got):
            np.testing.assert_array_equal(have, want, err_msg=f"kernel {kernel}")


@pytest.mark.parametrize("layout", list(L)[:-1])
def test_random_subranges_equal_the_whole(layout, kernel):
    """Counter-based random access: any [start, start+n) of a stream equals
    the same slice of the whole stream, without computing the prefix."""
    rng = np.random.default_rng(12345)
    for total in (1, 2, 3, 7, 8, 33, 1000, 1001, 5000):
        stream_total = total * (4 if layout == L.HALVES_BYTES else 1)
        whole = raw(layout, KEYS, stream_total, 0, stream_total)
        for _ in range(25):
            start = int(rng.integers(0, stream_total + 1))
            n = int(rng.integers(0, stream_total - start + 1))
            part = raw(layout, KEYS, stream_total, start, n)
            np.testing.assert_array_equal(part, whole[:, start:start + n])


def test_partitionable_access_far_into_the_stream(kernel):
    """Element indices are 64-bit: blocks across the 2**32 boundary agree with
    single-block evaluations."""
    start = (1 << 32) - 5
    got = raw(L.PART_U64, KEYS[1:2], 0, start, 11)[0]
    for i, v in enumerate(got):
        c = start + i
        y0, y1 = _core.threefry2x32(KEYS[1], np.array([c >> 32, c & 0xFFFFFFFF], np.uint32))
        assert int(v) == (y0 << 32) | y1


def test_batched_keys_equal_one_key_at_a_time(kernel):
    batch = KEYS.reshape(3, 1, 2)
    for n in (0, 1, 5, 33):
        together = kr.bits((n, 2), 1, key=batch)
        assert together.shape == (3, 1, n, 2)
        for i in range(3):
            np.testing.assert_array_equal(together[i, 0], kr.bits((n, 2), 1, key=KEYS[i]))
        for partitionable in (True, False):
            with jr.threefry_partitionable(partitionable):
                together = jr.bits(batch, (n,), "uint64")
                for i in range(3):
                    np.testing.assert_array_equal(together[i, 0], jr.bits(KEYS[i], (n,), "uint64"))


SUBPROCESS_BATTERY = """
import hashlib, numpy as np, keyrand as kr
from keyrand import jax as jr
keys = np.array([[0, 0], [0x9E3779B9, 0x7F4A7C15]], np.uint32)
h = hashlib.sha256()
for n in [*range(0, 300), 65537]:
    for w in (1, 2, 4):
        h.update(kr.bits((n,), w, key=keys).tobytes())
    for p in (True, False):
        with jr.threefry_partitionable(p):
            for dt in ("uint8", "uint16", "uint32", "uint64"):
                h.update(jr.bits(keys, (n,), dt).tobytes())
print(kr.simd_kernel(), h.hexdigest())
"""


def test_keyrand_simd_selects_each_kernel_with_identical_bits():
    results = {}
    for kernel in KERNELS:
        proc = run_python(SUBPROCESS_BATTERY, {"KEYRAND_SIMD": kernel})
        assert proc.returncode == 0, proc.stderr
        active, h = proc.stdout.split()
        assert active == kernel
        results[kernel] = h
    assert len(set(results.values())) == 1, results


def test_default_is_the_best_runnable_kernel():
    proc = run_python("import keyrand as kr; print(kr.simd_kernel())")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == KERNELS[-1]


def test_unrunnable_kernel_is_a_clear_import_error():
    missing = [k for k in ("avx2", "avx512", "neon") if k not in KERNELS]
    if not missing:
        pytest.skip("this CPU runs every kernel")
    proc = run_python("import keyrand", {"KEYRAND_SIMD": missing[0]})
    assert proc.returncode != 0
    assert "RuntimeError" in proc.stderr
    assert f"KEYRAND_SIMD={missing[0]}" in proc.stderr
    assert "runnable here" in proc.stderr


def test_unknown_kernel_name_is_a_clear_import_error():
    proc = run_python("import keyrand", {"KEYRAND_SIMD": "sse9"})
    assert proc.returncode != 0
    assert "KEYRAND_SIMD=sse9" in proc.stderr and "unknown SIMD kernel" in proc.stderr


def test_auto_and_empty_pick_the_default():
    for value in ("auto", ""):
        proc = run_python("import keyrand as kr; print(kr.simd_kernel())", {"KEYRAND_SIMD": value})
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == KERNELS[-1]


def test_set_simd_kernel_rejects_bad_names():
    with pytest.raises(ValueError, match="unknown SIMD kernel"):
        kr.set_simd_kernel("mmx")
    with pytest.raises(TypeError):
        kr.set_simd_kernel(3)
    before = kr.simd_kernel()
    for name in ("scalar\x00junk", "\x00", "avx2\x00"):  # C would read "scalar"
        with pytest.raises(ValueError, match="unknown SIMD kernel"):
            kr.set_simd_kernel(name)
        assert kr.simd_kernel() == before
