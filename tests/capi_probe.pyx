# Every function of keyrand/c_random.pxd, reachable from Python for the tests
# in test_c_api.py (built there like any downstream module: cimport only).
from libc.stdint cimport uint32_t, uint64_t, uintptr_t
from keyrand.c_random cimport *

CODES = {"KR_OK": KR_OK, "KR_ERR_RANGE": KR_ERR_RANGE,
         "KR_ERR_TOO_LARGE": KR_ERR_TOO_LARGE, "KR_ERR_ARG": KR_ERR_ARG}

# name -> (function number, output dtype)
FILLS = {
    "bits32": (0, "uint32"), "bits32_range": (1, "uint32"),
    "uniform_f32": (2, "float32"), "uniform_f32_range": (3, "float32"),
    "normal_f32": (4, "float32"), "normal_f32_range": (5, "float32"),
    "uniform_f64": (6, "float64"), "uniform_f64_range": (7, "float64"),
    "normal_f64": (8, "float64"), "normal_f64_range": (9, "float64"),
    "bits64_part": (10, "uint64"),
}


def threefry2x32(key, ctr):
    cdef uint32_t k[2]
    cdef uint32_t c[2]
    cdef uint32_t out[2]
    k[0], k[1] = key
    c[0], c[1] = ctr
    with nogil:
        kr_threefry2x32(k, c, out)
    return out[0], out[1]


def fill(str name, key, out, uint64_t total=0, uint64_t start=0, double low=0.0,
         double high=1.0, count=None):
    """The return code of kr_fill_<name>(key, ...) writing len(out) elements
    into the NumPy array `out` (C-contiguous, of the function's dtype).
    `count` overrides the length passed to C, to provoke the errors of
    oversized requests without allocating them: the C API must refuse them
    before writing anything."""
    number, dtype = FILLS[name]
    if out.dtype != dtype or not out.flags.c_contiguous or out.ndim != 1:
        raise ValueError(f"out must be a 1-D C-contiguous {dtype} array")
    cdef uint32_t k[2]
    k[0], k[1] = key
    cdef int which = number
    cdef size_t n = out.shape[0] if count is None else count
    cdef void *p = <void *><uintptr_t>out.ctypes.data
    cdef float lo32 = low, hi32 = high
    cdef int rc = -1
    with nogil:
        if which == 0:
            rc = kr_fill_bits32(k, <uint32_t *>p, n)
        elif which == 1:
            rc = kr_fill_bits32_range(k, total, start, <uint32_t *>p, n)
        elif which == 2:
            rc = kr_fill_uniform_f32(k, <float *>p, n, lo32, hi32)
        elif which == 3:
            rc = kr_fill_uniform_f32_range(k, total, start, <float *>p, n, lo32, hi32)
        elif which == 4:
            rc = kr_fill_normal_f32(k, <float *>p, n)
        elif which == 5:
            rc = kr_fill_normal_f32_range(k, total, start, <float *>p, n)
        elif which == 6:
            rc = kr_fill_uniform_f64(k, <double *>p, n, low, high)
        elif which == 7:
            rc = kr_fill_uniform_f64_range(k, start, <double *>p, n, low, high)
        elif which == 8:
            rc = kr_fill_normal_f64(k, <double *>p, n)
        elif which == 9:
            rc = kr_fill_normal_f64_range(k, start, <double *>p, n)
        elif which == 10:
            rc = kr_fill_bits64_part(k, start, <uint64_t *>p, n)
    return rc
