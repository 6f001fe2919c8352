# cython: language_level=3
"""Thin binding of the keyrand C core: C-contiguous buffers in, filled in
place with the GIL released. Validation, shapes and dtypes are the Python
layer's business (keyrand/_prng.py, keyrand/jax.py)."""
from libc.stdint cimport uint32_t, uint64_t

cimport numpy as cnp
from keyrand_c cimport *

cnp.import_array()

# NumPy 1.x allows 32 dimensions (2.x: 64); stay within both.
cdef enum:
    MAX_DIMS = 32

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
# Flags of draw(): which optional parameters (p, q) were given.
HAS_P = KR_HAS_P
HAS_Q = KR_HAS_Q

# Sampler kinds and value types of sample.h, exported as Python enums.
cdef extern from "sample.h":
    cpdef enum kr_dist:
        KR_UNIFORM
        KR_NORMAL
        KR_LAPLACE
        KR_GUMBEL
        KR_BERNOULLI
        KR_RANDINT
        KR_TRUNCATED_NORMAL
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
        KR_F64


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


cdef tuple _batch(cnp.ndarray keys, tuple shape, int typenum, cnp.npy_intp dims[],
                  uint64_t *words, uint64_t limit=<uint64_t>-1):
    """(new uninitialized array keys.shape[:-1] + shape, key count); the
    number of elements per key in *words, which must not exceed `limit` (the
    MLX layout's word count for samplers). keys must be C-contiguous uint32
    of shape (..., 2)."""
    if (cnp.PyArray_TYPE(keys) != cnp.NPY_UINT32 or not cnp.PyArray_IS_C_CONTIGUOUS(keys)
            or keys.ndim == 0 or keys.shape[keys.ndim - 1] != 2):
        raise ValueError("keys must be a C-contiguous uint32 array of shape (..., 2)")
    cdef int batch = keys.ndim - 1
    cdef int nd = batch + len(shape)
    if nd > MAX_DIMS:
        raise ValueError(f"too many dimensions: {nd} (at most {MAX_DIMS})")
    cdef int i
    cdef uint64_t n = 1
    cdef cnp.npy_intp d
    for i in range(batch):
        dims[i] = keys.shape[i]
    for i in range(len(shape)):
        d = shape[i]
        if d < 0:
            raise ValueError("negative dimension")
        dims[batch + i] = d
        if d and n > (<uint64_t>-1) // <uint64_t>d:
            raise ValueError("shape has more elements than 2**64")
        n *= <uint64_t>d
    if n > limit:
        raise ValueError(f"a sample of shape {shape} needs {n} 32-bit words per key; the "
                         f"MLX stream layout supports at most {limit}")
    words[0] = n
    return cnp.PyArray_EMPTY(nd, dims, typenum, 0), keys.size // 2


def stream(int layout, cnp.ndarray keys, tuple shape, cnp.dtype dtype, uint64_t total,
           uint64_t start=0):
    """A new array of shape keys.shape[:-1] + shape holding, for each key,
    elements [start, start + n) of its stream of `total` elements, n being
    the array's bytes per key over the layout's element size (so bytes may
    fill uint16 elements, or 64-bit keys pairs of uint32). `total` is ignored by the partitionable layouts."""
    if not 0 <= layout < LAYOUT_COUNT:
        raise ValueError(f"unknown layout {layout}")
    cdef size_t width = ELEMENT_BYTES[layout]
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    out, m = _batch(keys, shape, dtype.num, dims, &n)
    if (n * <size_t>dtype.itemsize) % width:
        raise ValueError("the array is not a whole number of the layout's elements")
    n = n * <size_t>dtype.itemsize // width
    _fill_each(layout, <const uint32_t *>cnp.PyArray_DATA(keys), m, total, start, n,
               <unsigned char *>cnp.PyArray_DATA(out), n * width)
    return out


def fill(int layout, const uint32_t[:, ::1] keys, uint64_t total, uint64_t start,
         unsigned char[:, ::1] out):
    """Fill out[k] (an existing buffer) with elements [start, start + n) of
    key k's stream of `total` elements, n = out.shape[1] / element size."""
    if not 0 <= layout < LAYOUT_COUNT:
        raise ValueError(f"unknown layout {layout}")
    if keys.shape[1] != 2 or keys.shape[0] != out.shape[0]:
        raise ValueError("keys must be (m, 2) and out (m, bytes)")
    if keys.shape[0] and out.shape[1]:
        _fill_each(layout, &keys[0, 0], keys.shape[0], total, start,
                   <size_t>out.shape[1] // ELEMENT_BYTES[layout], &out[0, 0], out.shape[1])


cdef void _fill_each(int layout, const uint32_t *keys, Py_ssize_t m, uint64_t total,
                     uint64_t start, size_t n, unsigned char *out, size_t row_bytes) except *:
    cdef Py_ssize_t k
    cdef int rc = KR_OK
    if n == 0:
        return
    with nogil:
        for k in range(m):
            rc = fill_one(layout, keys + 2 * k, total, start, n, out + k * row_bytes)
            if rc != KR_OK:
                break
    _raise_for(rc)


def _raise_for(int rc):
    if rc == KR_ERR_TOO_LARGE:
        raise ValueError("stream longer than the layout supports")
    if rc == KR_ERR_RANGE:
        raise ValueError("requested range lies outside the stream")
    if rc == KR_ERR_ARG:
        raise ValueError("invalid argument to the C core")


def draw(int dist, int type, double p, double q, int flags, long long lo, long long hi,
         cnp.ndarray keys, tuple shape, cnp.dtype dtype):
    """A new array of shape keys.shape[:-1] + shape: for each key, the sampler
    kr_sampler_init(dist, type, p, q, flags, lo, hi) (sample.h) applied to
    its MLX stream of prod(shape) words."""
    cdef kr_sampler s
    if kr_sampler_init(&s, dist, type, p, q, flags, lo, hi) != KR_OK:
        raise ValueError("unknown sampler or value type")
    cdef size_t size = kr_type_size(type)
    if <size_t>dtype.itemsize != size:
        raise ValueError("dtype does not match the value type")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    out, m = _batch(keys, shape, dtype.num, dims, &n, KR_HALVES_MAX_WORDS)
    cdef const uint32_t *key = <const uint32_t *>cnp.PyArray_DATA(keys)
    cdef unsigned char *dst = <unsigned char *>cnp.PyArray_DATA(out)
    cdef Py_ssize_t k, count = m
    cdef int rc = KR_OK
    if n:
        with nogil:
            for k in range(count):
                rc = kr_halves_sample(key + 2 * k, n, 0, n, &s, dst + k * n * size)
                if rc != KR_OK:
                    break
    _raise_for(rc)
    return out


def draw_f64(int dist, double p, double q, int flags, cnp.ndarray keys, tuple shape):
    """A new float64 array of shape keys.shape[:-1] + shape: for each key, the
    float64 sampler kr_sampler_f64_init(dist, p, q, flags) (sample.h) on its
    partitionable 64-bit stream."""
    cdef kr_sampler_f64 s
    if kr_sampler_f64_init(&s, dist, p, q, flags) != KR_OK:
        raise ValueError("unknown float64 sampler")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    out, m = _batch(keys, shape, cnp.NPY_FLOAT64, dims, &n)
    cdef const uint32_t *key = <const uint32_t *>cnp.PyArray_DATA(keys)
    cdef double *dst = <double *>cnp.PyArray_DATA(out)
    cdef Py_ssize_t k, count = m
    cdef int rc = KR_OK
    if n:
        with nogil:
            for k in range(count):
                rc = kr_part_sample_f64(key + 2 * k, 0, n, &s, dst + k * n)
                if rc != KR_OK:
                    break
    _raise_for(rc)
    return out


def uniform_f64(const double[::1] f, const double[::1] low, const double[::1] high,
                double[::1] out):
    """out = JAX's float64 uniform from unit values f and per-element bounds."""
    cdef size_t n = f.shape[0]
    if low.shape[0] != n or high.shape[0] != n or out.shape[0] != n:
        raise ValueError("f, low, high and out must have the same length")
    if n:
        with nogil:
            kr_uniform_f64_array(&f[0], &low[0], &high[0], n, &out[0])


cpdef enum XlaFn:
    XLA_LOG = 0
    XLA_LOG1P = 1
    XLA_ERF = 2
    XLA_ERFINV = 3
    XLA_EXP = 4


def xla_f64(int fn, const double[::1] x, double[::1] out):
    """out = XLA's float64 log, log1p, erf, erf_inv or exp of x (xla_math.h)."""
    if x.shape[0] != out.shape[0]:
        raise ValueError("x and out must have the same length")
    if not 0 <= fn < KR_XLA_FN_COUNT:
        raise ValueError("unknown function")
    if x.shape[0]:
        with nogil:
            kr_xla_f64_array(fn, &x[0], x.shape[0], &out[0])


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
