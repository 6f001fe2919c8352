# cython: language_level=3
"""Thin binding of the keyrand C core: C-contiguous buffers in, filled in
place with the GIL released. Validation, shapes and dtypes are the Python
layer's business (keyrand/_prng.py, keyrand/jax.py)."""
from libc.stdint cimport uint32_t, uint64_t

from keyrand_c cimport *

# Stream layouts understood by fill(), and their element sizes in bytes.
cpdef enum Layout:
    HALVES_WORDS = 0
    HALVES_BYTES = 1
    HALVES_U64 = 2
    PART_U8 = 3
    PART_U16 = 4
    PART_U32 = 5
    PART_U64 = 6
    PART_KEYS = 7
    LAYOUT_COUNT = 8

cdef size_t ELEMENT_BYTES[8]
ELEMENT_BYTES[:] = [4, 1, 8, 1, 2, 4, 8, 8]
HALVES_MAX_WORDS = KR_HALVES_MAX_WORDS

# Sampler kinds and value types of sample.h, exported as Python enums.
cdef extern from "sample.h":
    cpdef enum kr_dist:
        KR_UNIFORM
        KR_NORMAL
        KR_LAPLACE
        KR_GUMBEL
        KR_BERNOULLI
        KR_RANDINT
    cpdef enum kr_type:
        KR_F32
        KR_F16
        KR_BF16
        KR_BOOL
        KR_I8
        KR_U8
        KR_I16
        KR_U16
        KR_I32
        KR_U32
        KR_I64
        KR_U64


cdef int fill_one(int layout, const uint32_t *key, uint64_t total, uint64_t start,
                  size_t n, void *out) noexcept nogil:
    if layout == HALVES_WORDS:
        return kr_halves_words(key, total, start, n, out)
    if layout == HALVES_BYTES:
        return kr_halves_bytes(key, total, start, n, out)
    if layout == HALVES_U64:
        return kr_halves_u64(key, total, start, n, out)
    if layout == PART_U8:
        return kr_part_u8(key, start, n, out)
    if layout == PART_U16:
        return kr_part_u16(key, start, n, out)
    if layout == PART_U32:
        return kr_part_u32(key, start, n, out)
    if layout == PART_U64:
        return kr_part_u64(key, start, n, out)
    return kr_part_keys(key, start, n, out)


def fill(int layout, const uint32_t[:, ::1] keys, uint64_t total, uint64_t start,
         unsigned char[:, ::1] out):
    """Fill out[k] with elements [start, start + n) of key k's stream of
    `total` elements (total is ignored by the partitionable layouts), where n
    is out.shape[1] divided by the layout's element size."""
    if not 0 <= layout < LAYOUT_COUNT:
        raise ValueError(f"unknown layout {layout}")
    if keys.shape[1] != 2 or keys.shape[0] != out.shape[0]:
        raise ValueError("keys must be (m, 2) and out (m, bytes)")
    cdef size_t width = ELEMENT_BYTES[layout]
    cdef size_t n = <size_t>out.shape[1] // width
    cdef Py_ssize_t k, m = keys.shape[0]
    cdef int rc = KR_OK
    if n == 0 or m == 0:
        return
    with nogil:
        for k in range(m):
            rc = fill_one(layout, &keys[k, 0], total, start, n, &out[k, 0])
            if rc != KR_OK:
                break
    _raise_for(rc)


def _raise_for(int rc):
    if rc == KR_ERR_TOO_LARGE:
        raise ValueError("stream longer than the layout supports")
    if rc == KR_ERR_RANGE:
        raise ValueError("requested range lies outside the stream")


def sample(int dist, int type, float a, float b, bint has_loc, bint has_scale,
           long long lo, long long hi, const uint32_t[:, ::1] keys, uint64_t total,
           uint64_t start, unsigned char[:, ::1] out):
    """Fill out[k] with elements [start, start + n) of a sampler (sample.h)
    applied to key k's MLX word stream of `total` words."""
    if not (0 <= dist < KR_DIST_COUNT and 0 <= type < KR_TYPE_COUNT):
        raise ValueError("unknown sampler")
    if keys.shape[1] != 2 or keys.shape[0] != out.shape[0]:
        raise ValueError("keys must be (m, 2) and out (m, bytes)")
    cdef kr_sampler s
    s.dist, s.type, s.a, s.b = dist, type, a, b
    s.has_loc, s.has_scale, s.lo, s.hi = has_loc, has_scale, lo, hi
    cdef size_t n = <size_t>out.shape[1] // kr_type_size(type)
    cdef Py_ssize_t k, m = keys.shape[0]
    cdef int rc = KR_OK
    if n == 0 or m == 0:
        return
    with nogil:
        for k in range(m):
            rc = kr_halves_sample(&keys[k, 0], total, start, n, &s, &out[k, 0])
            if rc != KR_OK:
                break
    _raise_for(rc)


cpdef enum Special:
    SPECIAL_ERF = 0
    SPECIAL_ERFINV = 1
    SPECIAL_EXP = 2


def special_f32(int which, const float[::1] x, float[::1] out):
    """out = MLX's float32 erf, erfinv or exp of x, elementwise."""
    if x.shape[0] != out.shape[0]:
        raise ValueError("x and out must have the same length")
    if which not in (SPECIAL_ERF, SPECIAL_ERFINV, SPECIAL_EXP):
        raise ValueError("unknown function")
    if x.shape[0] == 0:
        return
    with nogil:
        if which == SPECIAL_ERF:
            kr_erf_f32_array(&x[0], x.shape[0], &out[0])
        elif which == SPECIAL_EXP:
            kr_exp_f32_array(&x[0], x.shape[0], &out[0])
        else:
            kr_erfinv_f32_array(&x[0], x.shape[0], &out[0])


def threefry2x32(const uint32_t[::1] key, const uint32_t[::1] ctr):
    """One Threefry-2x32-20 block: (y0, y1) for `key` (2,) and counter (2,)."""
    if key.shape[0] != 2 or ctr.shape[0] != 2:
        raise ValueError("key and ctr must have two words each")
    cdef uint32_t out[2]
    kr_threefry2x32(&key[0], &ctr[0], out)
    return out[0], out[1]


def fold_in(const uint32_t[:, ::1] keys, uint32_t data, uint32_t[:, ::1] out):
    """out[k] = threefry2x32(keys[k], (0, data))."""
    cdef Py_ssize_t k
    for k in range(keys.shape[0]):
        kr_fold_in(&keys[k, 0], data, &out[k, 0])


def kernel_name():
    """Name of the active kernel."""
    return kr_kernels().name.decode()


def kernel_names():
    """All kernel names, in dispatch order."""
    return [kr_isa_name(<kr_isa>i).decode() for i in range(KR_ISA_COUNT)]


def compiled_kernels():
    """Kernels this build contains."""
    return [kr_isa_name(<kr_isa>i).decode() for i in range(KR_ISA_COUNT)
            if kr_isa_compiled(<kr_isa>i)]


def runnable_kernels():
    """Kernels this build contains and this CPU and OS can run."""
    cdef unsigned mask = kr_supported_isas()
    return [kr_isa_name(<kr_isa>i).decode() for i in range(KR_ISA_COUNT)
            if mask & (1u << i)]


def select_kernel(str name):
    """Activate a kernel: 0 on success, -1 unknown or not built, -2 not runnable."""
    cdef int isa = kr_isa_from_name(name.encode())
    if isa < 0:
        return -1
    return kr_select_isa(<kr_isa>isa)


def compiler():
    """The compiler that built the C core."""
    return kr_build_compiler().decode()
