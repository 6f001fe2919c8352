"""Random draws through keyrand's C API: each function fills a NumPy array
with the GIL released, by calling keyrand's functions directly (no Python
call per element or per chunk)."""
import operator

import numpy as np

from libc.stdint cimport uint32_t, uint64_t
from keyrand.c_random cimport (
    KR_ERR_ARG, KR_ERR_RANGE, KR_ERR_TOO_LARGE, KR_OK,
    kr_fill_bits32, kr_fill_normal_f32, kr_fill_normal_f64, kr_fill_uniform_f32,
    kr_fill_uniform_f32_range, kr_fill_uniform_f64, kr_fill_uniform_f64_range,
)

# Points per chunk in estimate_pi: two doubles each, 32 KiB on the stack.
cdef enum:
    PI_CHUNK = 2048


cdef int _read_key(object key, uint32_t out[2]) except -1:
    """out = key, which must be two integers in [0, 2**32) (e.g. keyrand.key(0))."""
    k = np.asarray(key)
    if k.dtype.kind not in "iu":
        raise TypeError(f"key must be an array of two uint32 words; got dtype {k.dtype}")
    if k.shape != (2,):
        raise ValueError(f"key must have shape (2,); got {k.shape}")
    if int(k.min()) < 0 or int(k.max()) > 0xFFFFFFFF:
        raise ValueError("key words must lie in [0, 2**32)")
    out[0] = int(k[0])
    out[1] = int(k[1])
    return 0


cdef uint64_t _count(object value, str name) except? 0:
    """A non-negative integer argument."""
    try:
        n = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer; got {type(value).__name__}") from None
    if not 0 <= n < 2**64:
        raise ValueError(f"{name} must be in [0, 2**64); got {n}")
    return n


cdef int _check(int rc) except -1:
    """Turn keyrand's return codes into exceptions."""
    if rc == KR_ERR_TOO_LARGE:
        raise ValueError("n: the MLX stream layout holds at most 2**32 - 2 words")
    if rc == KR_ERR_RANGE:
        raise ValueError("start + n lies beyond the end of the stream")
    if rc == KR_ERR_ARG:
        raise ValueError("low and high must not be NaN")
    return 0


def bits(key, n):
    """``keyrand.bits((n,), key=key)``: n raw uint32 words.

    Example:
        >>> import keyrand
        >>> bits(keyrand.key(0), 4).dtype
        dtype('uint32')
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef size_t count = _count(n, "n")
    out = np.empty(count, dtype=np.uint32)
    cdef uint32_t[::1] view = out
    cdef int rc
    with nogil:
        rc = kr_fill_bits32(k, &view[0] if count else NULL, count)
    _check(rc)
    return out


def uniform(key, n, double low=0.0, double high=1.0):
    """``keyrand.uniform(low, high, (n,), key=key)``: float32 on [low, high).

    Example:
        >>> import keyrand
        >>> x = uniform(keyrand.key(0), 1000, -1.0, 1.0)
        >>> bool((x >= -1).all() and (x < 1).all())
        True
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef size_t count = _count(n, "n")
    out = np.empty(count, dtype=np.float32)
    cdef float[::1] view = out
    cdef int rc
    with nogil:
        rc = kr_fill_uniform_f32(k, &view[0] if count else NULL, count, <float>low,
                                 <float>high)
    _check(rc)
    return out


def uniform_range(key, total, start, n, double low=0.0, double high=1.0):
    """Elements ``[start, start + n)`` of ``keyrand.uniform(low, high, (total,),
    key=key)``, computed without the others: chunks of a big stream.

    Example:
        >>> import keyrand
        >>> whole = uniform(keyrand.key(0), 10)
        >>> bool((uniform_range(keyrand.key(0), 10, 4, 3) == whole[4:7]).all())
        True
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef uint64_t length = _count(total, "total")
    cdef uint64_t first = _count(start, "start")
    cdef size_t count = _count(n, "n")
    out = np.empty(count, dtype=np.float32)
    cdef float[::1] view = out
    cdef int rc
    with nogil:
        rc = kr_fill_uniform_f32_range(k, length, first, &view[0] if count else NULL,
                                       count, <float>low, <float>high)
    _check(rc)
    return out


def normal(key, n):
    """``keyrand.normal((n,), key=key)``: float32 standard normal.

    Example:
        >>> import keyrand
        >>> normal(keyrand.key(0), 3).shape
        (3,)
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef size_t count = _count(n, "n")
    out = np.empty(count, dtype=np.float32)
    cdef float[::1] view = out
    cdef int rc
    with nogil:
        rc = kr_fill_normal_f32(k, &view[0] if count else NULL, count)
    _check(rc)
    return out


def uniform64(key, n, double low=0.0, double high=1.0):
    """``keyrand.uniform(low, high, (n,), numpy.float64, key=key)``.

    Example:
        >>> import keyrand
        >>> uniform64(keyrand.key(0), 2).dtype
        dtype('float64')
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef size_t count = _count(n, "n")
    out = np.empty(count, dtype=np.float64)
    cdef double[::1] view = out
    cdef int rc
    with nogil:
        rc = kr_fill_uniform_f64(k, &view[0] if count else NULL, count, low, high)
    _check(rc)
    return out


def normal64(key, n):
    """``keyrand.jax.normal(key, (n,), numpy.float64)`` with x64 and the
    partitionable mode on: JAX's float64 normal.

    Example:
        >>> import keyrand
        >>> normal64(keyrand.key(0), 2).dtype
        dtype('float64')
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef size_t count = _count(n, "n")
    out = np.empty(count, dtype=np.float64)
    cdef double[::1] view = out
    cdef int rc
    with nogil:
        rc = kr_fill_normal_f64(k, &view[0] if count else NULL, count)
    _check(rc)
    return out


cdef int _count_inside(const uint32_t key[2], uint64_t points,
                       uint64_t *inside) noexcept nogil:
    """How many of `points` points fall inside the unit quarter circle; point
    i is elements 2i and 2i + 1 of keyrand.uniform(0, 1, dtype=float64),
    drawn chunk by chunk so memory stays constant."""
    cdef double xy[2 * PI_CHUNK]
    cdef uint64_t done = 0, hits = 0
    cdef size_t i, m
    cdef int rc
    while done < points:
        m = <size_t>(points - done if points - done < PI_CHUNK else PI_CHUNK)
        rc = kr_fill_uniform_f64_range(key, 2 * done, xy, 2 * m, 0.0, 1.0)
        if rc != KR_OK:
            return rc
        for i in range(m):
            if xy[2 * i] * xy[2 * i] + xy[2 * i + 1] * xy[2 * i + 1] < 1.0:
                hits += 1
        done += m
    inside[0] = hits
    return KR_OK


def estimate_pi(key, points):
    """Monte-Carlo estimate of pi from ``points`` uniform points in the unit
    square, in a loop that never holds the GIL (threads may run it at once).

    Returns ``(estimate, inside)``: ``4 * inside / points`` and the number of
    points with ``x*x + y*y < 1``.

    Example:
        >>> import keyrand
        >>> est, inside = estimate_pi(keyrand.key(0), 100_000)
        >>> abs(est - 3.14159) < 0.05
        True
    """
    cdef uint32_t k[2]
    _read_key(key, k)
    cdef uint64_t n = _count(points, "points")
    if n == 0:
        raise ValueError("points must be positive")
    if n > (<uint64_t>1 << 62):
        raise ValueError("points must be at most 2**62")
    cdef uint64_t inside = 0
    cdef int rc
    with nogil:
        rc = _count_inside(k, n, &inside)
    _check(rc)
    return 4.0 * inside / n, inside
