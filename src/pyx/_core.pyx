# cython: language_level=3
"""Thin binding of the keyrand C core: C-contiguous buffers in, filled in
place with the GIL released. Validation, shapes and dtypes are the Python
layer's business (keyrand/_prng.py, keyrand/jax.py). The last section is the
nogil C API that other Cython modules cimport (keyrand/c_random.pxd)."""
from libc.math cimport fma as c_fma, fmaf as c_fmaf
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.string cimport memcpy
from cython cimport floating

cimport numpy as cnp
from keyrand_c cimport *

cnp.import_array()

# NumPy 1.x allows 32 dimensions (2.x: 64); stay within both.
cdef enum:
    MAX_DIMS = 32
    KEY_ROOM = 32  # key words copied to the stack (more: to a new array)

# Stream layouts of keyrand.h, as a Python enum.
cpdef enum Layout:
    HALVES_WORDS = KR_HALVES_WORDS
    HALVES_BYTES = KR_HALVES_BYTES
    HALVES_U64 = KR_HALVES_U64
    PART_U8 = KR_PART_U8
    PART_U16 = KR_PART_U16
    PART_U32 = KR_PART_U32
    PART_U64 = KR_PART_U64
    PART_KEYS = KR_PART_KEYS
    LAYOUT_COUNT = KR_LAYOUT_COUNT

HALVES_MAX_WORDS = KR_HALVES_MAX_WORDS
# Flags of draw(): which optional parameters (p, q) were given.
HAS_P = KR_HAS_P
HAS_Q = KR_HAS_Q
UNSCALED = KR_UNSCALED

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
        KR_EXPONENTIAL
        KR_LOGISTIC
        KR_LOGNORMAL
        KR_PARETO
        KR_RAYLEIGH
        KR_CAUCHY
        KR_WEIBULL
        KR_GEOMETRIC
        KR_TRIANGULAR
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


cdef struct KeyCopy:
    const uint32_t *words
    uint32_t local[KEY_ROOM]


cdef object _copy_keys(cnp.ndarray keys, KeyCopy *kc):
    """Point kc.words at a copy of the key words made once for this call:
    the caller's buffer may be `out` itself, or change under another thread
    mid-draw, and tasks read their key when they start. Returns the array
    holding a large batch's copy (keep it alive while kc.words is used)."""
    cdef size_t n = <size_t>cnp.PyArray_SIZE(keys)
    if n <= KEY_ROOM:
        memcpy(kc.local, cnp.PyArray_DATA(keys), n * sizeof(uint32_t))
        kc.words = kc.local
        return None
    held = cnp.PyArray_NewCopy(keys, cnp.NPY_CORDER)
    kc.words = <const uint32_t *>cnp.PyArray_DATA(held)
    return held


cdef tuple _batch(cnp.ndarray keys, tuple shape, int typenum, cnp.npy_intp dims[],
                  uint64_t *words, uint64_t limit=<uint64_t>-1, object out=None,
                  object box=None, kr_box *b=NULL):
    """(output array of shape keys.shape[:-1] + shape, key count): `out` if
    given (checked: an ndarray of that shape and type, C-contiguous and
    writeable), else a new uninitialized one. The number of elements per key
    goes to *words and must not exceed `limit` (the MLX layout's word count
    for samplers). keys must be C-contiguous uint32 of shape (..., 2).
    With box = (start, count), tuples as long as shape, the array holds only
    that box of each key's sample of `shape` (box.h), described into *b;
    *words still counts the whole sample."""
    if (cnp.PyArray_TYPE(keys) != cnp.NPY_UINT32 or not cnp.PyArray_IS_C_CONTIGUOUS(keys)
            or keys.ndim == 0 or keys.shape[keys.ndim - 1] != 2):
        raise ValueError("keys must be a C-contiguous uint32 array of shape (..., 2)")
    cdef int batch = keys.ndim - 1
    cdef int nd = batch + len(shape)
    if nd > MAX_DIMS:
        raise ValueError(f"too many dimensions: {nd} for the key batch and the shape "
                         f"(at most {MAX_DIMS})")
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
    if box is not None:
        _box(shape, box, b, dims + batch)
    if n > limit:
        raise ValueError(f"a sample of shape {shape} needs {n} 32-bit words per key; the "
                         f"MLX stream layout supports at most {limit}")
    words[0] = n
    if out is None:
        return cnp.PyArray_EMPTY(nd, dims, typenum, 0), keys.size // 2
    _check_out(out, nd, dims, typenum)
    return out, keys.size // 2


cdef _box(tuple shape, tuple box, kr_box *b, cnp.npy_intp dims[]):
    """*b = box (start, count) of an array of `shape`; dims = count."""
    start, count = box
    if len(start) != len(shape) or len(count) != len(shape):
        raise ValueError("box start and count need one entry per dimension")
    b.ndim = len(shape)
    cdef int i
    for i in range(b.ndim):
        if not 0 <= start[i] <= shape[i] or not 0 <= count[i] <= shape[i] - start[i]:
            raise ValueError(f"box start {start} count {count} leaves the shape {shape}")
        b.shape[i], b.start[i], b.count[i] = shape[i], start[i], count[i]
        dims[i] = count[i]


cdef _check_out(object out, int nd, cnp.npy_intp dims[], int typenum):
    if not isinstance(out, cnp.ndarray):
        raise TypeError(f"out must be a NumPy array; got {type(out).__name__}")
    cdef cnp.ndarray arr = out
    want = tuple(dims[i] for i in range(nd))
    got = tuple(arr.shape[i] for i in range(arr.ndim))
    want_dtype = cnp.PyArray_DescrFromType(typenum)
    # dtype equality: equivalent types (ulonglong, uint64) pass, another byte
    # order does not (the core writes native-endian values).
    if got != want or arr.dtype != want_dtype:
        raise ValueError(f"out must have shape {want} and dtype {want_dtype} (native byte "
                         f"order); got {got}, {arr.dtype!r}")
    if not (cnp.PyArray_IS_C_CONTIGUOUS(arr) and cnp.PyArray_ISWRITEABLE(arr)
            and cnp.PyArray_ISALIGNED(arr)):
        raise ValueError("out must be C-contiguous, aligned and writeable")


def stream(int layout, cnp.ndarray keys, tuple shape, cnp.dtype dtype, uint64_t total,
           uint64_t start=0, out=None, tuple box=None):
    """A new array of shape keys.shape[:-1] + shape holding, for each key,
    elements [start, start + n) of its stream of `total` elements, n being
    the array's bytes per key over the layout's element size (so bytes may
    fill uint16 elements, or 64-bit keys pairs of uint32). `total` is ignored
    by the partitionable layouts. With box = (start, count) the array is that
    box of the stream laid out in `shape` (each dtype element a whole number
    of layout elements; start and total are then implied)."""
    cdef size_t width = kr_layout_width(layout)
    if width == 0:
        raise ValueError(f"unknown layout {layout}")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef kr_box b
    cdef int rc
    cdef unsigned per
    cdef const uint32_t *key
    cdef void *dst
    cdef size_t count
    cdef KeyCopy kc
    out, m = _batch(keys, shape, dtype.num, dims, &n, <uint64_t>-1, out, box, &b)
    if box is not None:
        if <size_t>dtype.itemsize % width:
            raise ValueError("a box needs whole layout elements per array element")
        per = dtype.itemsize // width
        held = _copy_keys(keys, &kc)
        key = kc.words
        dst = cnp.PyArray_DATA(out)
        count = m
        with nogil:
            rc = kr_stream_box(<kr_layout>layout, key, count, &b, per, dst)
        _raise_for(rc)
        return out
    if (n * <size_t>dtype.itemsize) % width:
        raise ValueError("the array is not a whole number of the layout's elements")
    n = n * <size_t>dtype.itemsize // width
    held = _copy_keys(keys, &kc)
    _stream(layout, kc.words, m, total, start, n, cnp.PyArray_DATA(out))
    return out


def fill(int layout, const uint32_t[:, ::1] keys, uint64_t total, uint64_t start,
         unsigned char[:, ::1] out):
    """Fill out[k] (an existing buffer) with elements [start, start + n) of
    key k's stream of `total` elements, n = out.shape[1] / element size."""
    cdef size_t width = kr_layout_width(layout)
    if width == 0:
        raise ValueError(f"unknown layout {layout}")
    if keys.shape[1] != 2 or keys.shape[0] != out.shape[0]:
        raise ValueError("keys must be (m, 2) and out (m, bytes)")
    if keys.shape[0] and out.shape[1]:
        _stream(layout, &keys[0, 0], keys.shape[0], total, start,
                <size_t>out.shape[1] // width, &out[0, 0])


cdef void _stream(int layout, const uint32_t *keys, Py_ssize_t m, uint64_t total,
                  uint64_t start, size_t n, void *out) except *:
    cdef int rc
    with nogil:
        rc = kr_stream(<kr_layout>layout, keys, m, total, start, n, out)
    _raise_for(rc)


def set_num_threads(int n):
    """Threads for large fills, the caller included; n < 1 restores the default."""
    with nogil:
        kr_pool_set_threads(n)


def get_num_threads():
    """Threads large fills use now."""
    return kr_pool_threads()


def default_num_threads():
    """The CPUs this process may run on."""
    return kr_pool_default_threads()


def _raise_for(int rc):
    if rc == KR_ERR_TOO_LARGE:
        raise ValueError("shape too large for the stream layout (the MLX / JAX legacy "
                         f"layout holds at most {KR_HALVES_MAX_WORDS} 32-bit words per key)")
    if rc == KR_ERR_RANGE:
        raise ValueError("requested range lies outside the stream")
    if rc == KR_ERR_ARG:
        raise ValueError("invalid argument to the C core")


def draw(int dist, int type, double p, double q, int flags, long long lo, long long hi,
         cnp.ndarray keys, tuple shape, cnp.dtype dtype, out=None, tuple box=None):
    """A new array of shape keys.shape[:-1] + shape: for each key, the sampler
    kr_sampler_init(dist, type, p, q, flags, lo, hi) (sample.h) applied to
    its MLX stream of prod(shape) words (only `box`, as in stream(), if given)."""
    cdef kr_sampler s
    if kr_sampler_init(&s, dist, type, p, q, flags, lo, hi) != KR_OK:
        raise ValueError("unknown sampler or value type")
    cdef size_t size = kr_type_size(type)
    if <size_t>dtype.itemsize != size:
        raise ValueError("dtype does not match the value type")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef kr_box b
    out, m = _batch(keys, shape, dtype.num, dims, &n, KR_HALVES_MAX_WORDS, out, box, &b)
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef const uint32_t *key = kc.words
    cdef void *dst = cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef int rc
    cdef bint whole = box is None
    with nogil:
        if whole:
            rc = kr_halves_sample_batch(key, count, n, &s, dst)
        else:
            rc = kr_halves_sample_box(key, count, &b, &s, dst)
    _raise_for(rc)
    return out


def draw_f64(int dist, double p, double q, int flags, cnp.ndarray keys, tuple shape,
             out=None, tuple box=None, int layout=KR_PART_U64, double r=0.0):
    """A new float64 array of shape keys.shape[:-1] + shape: for each key, the
    float64 sampler kr_sampler_f64_init(dist, p, q, flags) (sample.h;
    TRIANGULAR: kr_sampler_f64_triangular(p, q, r)) on its 64-bit stream in
    `layout` (PART_U64 or HALVES_U64; only `box`, as in stream(), if given)."""
    cdef kr_sampler_f64 s
    if dist == KR_TRIANGULAR:
        kr_sampler_f64_triangular(&s, p, q, r)
    elif kr_sampler_f64_init(&s, dist, p, q, flags) != KR_OK:
        raise ValueError("unknown float64 sampler")
    if layout != KR_PART_U64 and layout != KR_HALVES_U64:
        raise ValueError("layout must be PART_U64 or HALVES_U64")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = KR_HALVES_MAX_WORDS // 2 if layout == KR_HALVES_U64 else <uint64_t>-1
    cdef kr_box b
    out, m = _batch(keys, shape, cnp.NPY_FLOAT64, dims, &n, limit, out, box, &b)
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef const uint32_t *key = kc.words
    cdef double *dst = <double *>cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef int rc
    cdef bint whole = box is None
    with nogil:
        if whole:
            rc = kr_f64_sample_batch(<kr_layout>layout, key, count, n, &s, dst)
        else:
            rc = kr_f64_sample_box(<kr_layout>layout, key, count, &b, &s, dst)
    _raise_for(rc)
    return out


cdef extern from "sample_jax.h" nogil:
    ctypedef struct kr_jax_f32:
        pass
    int kr_jax_f32_init(kr_jax_f32 *s, kr_dist dist, double p, double q)
    void kr_jax_f32_triangular(kr_jax_f32 *s, double left, double mode, double right)
    int kr_jax_f32_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t total,
                         const kr_jax_f32 *s, float *out)
    int kr_jax_f32_box(kr_layout layout, const uint32_t *keys, size_t nkeys, const kr_box *box,
                       const kr_jax_f32 *s, float *out)
    void kr_jax_uniform_f32_array(const float *f, const float *low, const float *high,
                                  size_t n, float *out)
    void kr_jax_randint32(const uint32_t *hi, const uint32_t *lo, size_t n, uint32_t span,
                          uint32_t mult, uint32_t base, uint32_t *out)
    void kr_jax_maxwell_f32(const float *z, size_t n, int contracted, float *out)
    void kr_jax_maxwell_f64(const double *z, size_t n, int contracted, double *out)

cdef extern from "sample_split.h" nogil:
    int kr_jax_randint32_batch(kr_layout layout, const uint32_t *keys_a,
                               const uint32_t *keys_b, size_t nkeys, uint64_t total,
                               uint32_t span, uint32_t mult, uint32_t base, uint32_t *out)
    int kr_jax_wald_batch(int type, kr_layout layout, const uint32_t *keys_a,
                          const uint32_t *keys_b, size_t nkeys, uint64_t total, double mean,
                          void *out)

cdef extern from "sample_gamma.h" nogil:
    int kr_jax_gamma_batch(int type, kr_layout layout, const uint32_t *keys, size_t nkeys,
                           uint64_t n, const void *alpha, size_t nalpha, int log_space,
                           int rsqrt_steps, void *out)

cdef extern from "sample_poisson.h" nogil:
    int kr_jax_poisson_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                             const float *lam, size_t nlam, unsigned width, int is_signed,
                             void *out)

cdef extern from "sample_binomial.h" nogil:
    int kr_jax_binomial_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                              const float *count, size_t ncount, const float *prob,
                              size_t nprob, float *out)

cdef extern from "sample_choice.h" nogil:
    int kr_jax_choice_p_batch(int type, kr_layout layout, const uint32_t *keys, size_t nkeys,
                              uint64_t n, const void *p, size_t ncats, unsigned width,
                              void *out)

cdef extern from "sample_multinomial.h" nogil:
    int kr_jax_multinomial_batch(kr_layout layout, const uint32_t *keys, size_t nkeys,
                                 uint64_t batch, size_t cats, const float *count, size_t ncount,
                                 const float *prob, size_t nrows, float *out)


def draw_jax_f32(int dist, double p, double q, int layout, cnp.ndarray keys, tuple shape,
                 out=None, tuple box=None, double r=0.0):
    """A new float32 array of shape keys.shape[:-1] + shape: for each key,
    JAX's float32 sampler kr_jax_f32_init(dist, p, q) (sample_jax.h;
    TRIANGULAR: kr_jax_f32_triangular(p, q, r)) on the 32-bit words of
    `layout` (PART_U32 or HALVES_WORDS); only `box`, as in stream(), if given."""
    cdef kr_jax_f32 s
    if dist == KR_TRIANGULAR:
        kr_jax_f32_triangular(&s, p, q, r)
    elif kr_jax_f32_init(&s, <kr_dist>dist, p, q) != KR_OK:
        raise ValueError("unknown JAX float32 sampler")
    if layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32 or HALVES_WORDS")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = KR_HALVES_MAX_WORDS if layout == KR_HALVES_WORDS else <uint64_t>-1
    cdef kr_box b
    out, m = _batch(keys, shape, cnp.NPY_FLOAT32, dims, &n, limit, out, box, &b)
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef const uint32_t *key = kc.words
    cdef float *dst = <float *>cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef int rc
    cdef bint whole = box is None
    with nogil:
        if whole:
            rc = kr_jax_f32_batch(<kr_layout>layout, key, count, n, &s, dst)
        else:
            rc = kr_jax_f32_box(<kr_layout>layout, key, count, &b, &s, dst)
    _raise_for(rc)
    return out


def uniform_f32_jax(const float[::1] f, const float[::1] low, const float[::1] high,
                    float[::1] out):
    """out = JAX's float32 uniform from unit values f and per-element bounds."""
    cdef size_t n = f.shape[0]
    if low.shape[0] != n or high.shape[0] != n or out.shape[0] != n:
        raise ValueError("f, low, high and out must have the same length")
    if n:
        with nogil:
            kr_jax_uniform_f32_array(&f[0], &low[0], &high[0], n, &out[0])


def randint32_jax(const uint32_t[::1] hi, const uint32_t[::1] lo, uint32_t span,
                  uint32_t mult, uint32_t base, uint32_t[::1] out):
    """out = JAX's 32-bit randint from its two draws (sample_jax.h)."""
    cdef size_t n = out.shape[0]
    if hi.shape[0] != n or lo.shape[0] != n:
        raise ValueError("hi, lo and out must have the same length")
    if n:
        with nogil:
            kr_jax_randint32(&hi[0], &lo[0], n, span, mult, base, &out[0])


cdef _check_pair(cnp.ndarray keys_a, cnp.ndarray keys_b):
    if (cnp.PyArray_TYPE(keys_b) != cnp.NPY_UINT32 or not cnp.PyArray_IS_C_CONTIGUOUS(keys_b)
            or (<object>keys_b).shape != (<object>keys_a).shape):
        raise ValueError("keys_b must be C-contiguous uint32 keys of keys_a's shape")


def maxwell_norm(cnp.ndarray z, bint contracted):
    """A new array of z.shape[:-1]: jax.random.maxwell's norm of each row of
    three normals (sample_jax.h), z C-contiguous float32 or float64."""
    cdef int t = cnp.PyArray_TYPE(z)
    if ((t != cnp.NPY_FLOAT32 and t != cnp.NPY_FLOAT64) or not cnp.PyArray_IS_C_CONTIGUOUS(z)
            or z.ndim == 0 or z.shape[z.ndim - 1] != 3):
        raise ValueError("z must be C-contiguous float32 / float64 rows of 3")
    cdef cnp.ndarray out = cnp.PyArray_EMPTY(z.ndim - 1, z.shape, t, 0)
    cdef size_t n = cnp.PyArray_SIZE(out)
    cdef void *src = cnp.PyArray_DATA(z)
    cdef void *dst = cnp.PyArray_DATA(out)
    with nogil:
        if t == cnp.NPY_FLOAT32:
            kr_jax_maxwell_f32(<const float *>src, n, contracted, <float *>dst)
        else:
            kr_jax_maxwell_f64(<const double *>src, n, contracted, <double *>dst)
    return out


def draw_randint32_jax(int layout, cnp.ndarray keys_a, cnp.ndarray keys_b, tuple shape,
                       uint32_t span, uint32_t mult, uint32_t base):
    """A new uint32 array of shape keys_a.shape[:-1] + shape: JAX's 32-bit
    randint (sample_split.h) of each key, from the words of its split pair
    keys_a / keys_b (same shape) in `layout` (PART_U32 or HALVES_WORDS)."""
    if layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32 or HALVES_WORDS")
    _check_pair(keys_a, keys_b)
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = KR_HALVES_MAX_WORDS if layout == KR_HALVES_WORDS else <uint64_t>-1
    out, m = _batch(keys_a, shape, cnp.NPY_UINT32, dims, &n, limit)
    cdef KeyCopy ka, kb
    held_a = _copy_keys(keys_a, &ka)
    held_b = _copy_keys(keys_b, &kb)
    cdef uint32_t *dst = <uint32_t *>cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef int rc
    with nogil:
        rc = kr_jax_randint32_batch(<kr_layout>layout, ka.words, kb.words, count, n, span, mult,
                                    base, dst)
    _raise_for(rc)
    return out


def draw_wald_jax(int layout, cnp.ndarray keys_a, cnp.ndarray keys_b, tuple shape,
                  double mean):
    """A new array of shape keys_a.shape[:-1] + shape: JAX's wald with a
    scalar mean (sample_split.h) from each key's split pair keys_a / keys_b;
    float32 on PART_U32 / HALVES_WORDS, float64 on PART_U64 / HALVES_U64."""
    cdef bint f64 = layout == KR_PART_U64 or layout == KR_HALVES_U64
    if not f64 and layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32, HALVES_WORDS, PART_U64 or HALVES_U64")
    _check_pair(keys_a, keys_b)
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = <uint64_t>-1
    if layout == KR_HALVES_WORDS:
        limit = KR_HALVES_MAX_WORDS
    elif layout == KR_HALVES_U64:
        limit = KR_HALVES_MAX_WORDS // 2
    out, m = _batch(keys_a, shape, cnp.NPY_FLOAT64 if f64 else cnp.NPY_FLOAT32, dims, &n, limit)
    cdef KeyCopy ka, kb
    held_a = _copy_keys(keys_a, &ka)
    held_b = _copy_keys(keys_b, &kb)
    cdef void *dst = cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef int rc
    cdef int kind = KR_F64 if f64 else KR_F32
    with nogil:
        rc = kr_jax_wald_batch(kind, <kr_layout>layout, ka.words, kb.words, count, n, mean, dst)
    _raise_for(rc)
    return out


def draw_gamma_jax(int layout, cnp.ndarray keys, tuple shape, cnp.ndarray alpha,
                   bint log_space, int rsqrt_steps):
    """A new array of shape keys.shape[:-1] + shape: JAX's gamma (or
    loggamma) with one key per element (sample_gamma.h); float32 on
    PART_U32 / HALVES_WORDS, float64 on PART_U64 / HALVES_U64. alpha is
    C-contiguous in the output's type; element i of the flattened output
    uses alpha[i % alpha.size]."""
    cdef bint f64 = layout == KR_PART_U64 or layout == KR_HALVES_U64
    if not f64 and layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32, HALVES_WORDS, PART_U64 or HALVES_U64")
    cdef int typenum = cnp.NPY_FLOAT64 if f64 else cnp.NPY_FLOAT32
    if cnp.PyArray_TYPE(alpha) != typenum or not cnp.PyArray_IS_C_CONTIGUOUS(alpha):
        raise ValueError("alpha must be C-contiguous in the output's type")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = <uint64_t>-1 if layout == KR_PART_U32 or layout == KR_PART_U64 \
        else KR_HALVES_MAX_WORDS // 2
    out, m = _batch(keys, shape, typenum, dims, &n, limit)
    cdef size_t nalpha = <size_t>cnp.PyArray_SIZE(alpha)
    if nalpha == 0 or (n * <uint64_t>m) % nalpha:
        if n * <uint64_t>m == 0:
            return out
        raise ValueError("alpha's size must divide the output's")
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef const void *a = cnp.PyArray_DATA(alpha)
    cdef void *dst = cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef int rc
    cdef int kind = KR_F64 if f64 else KR_F32
    with nogil:
        rc = kr_jax_gamma_batch(kind, <kr_layout>layout, kc.words, count, n, a, nalpha,
                                log_space, rsqrt_steps, dst)
    _raise_for(rc)
    return out


def draw_poisson_jax(int layout, cnp.ndarray keys, tuple shape, cnp.ndarray lam,
                     cnp.dtype dtype):
    """A new integer array (dtype) of shape keys.shape[:-1] + shape: JAX's
    poisson (sample_poisson.h) on PART_U32 / HALVES_WORDS words. lam is
    C-contiguous float32; element i of the flattened output uses
    lam[i % lam.size]."""
    if layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32 or HALVES_WORDS")
    if (<object>dtype).kind not in "iu" or dtype.itemsize not in (1, 2, 4, 8):
        raise ValueError("dtype must be an integer type of 1, 2, 4 or 8 bytes")
    if cnp.PyArray_TYPE(lam) != cnp.NPY_FLOAT32 or not cnp.PyArray_IS_C_CONTIGUOUS(lam):
        raise ValueError("lam must be C-contiguous float32")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = <uint64_t>-1 if layout == KR_PART_U32 else KR_HALVES_MAX_WORDS
    out, m = _batch(keys, shape, dtype.num, dims, &n, limit)
    cdef size_t nlam = <size_t>cnp.PyArray_SIZE(lam)
    if n * <uint64_t>m == 0:
        return out
    if nlam == 0 or n % nlam:
        raise ValueError("lam's size must divide each key's element count")
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef const float *lp = <const float *>cnp.PyArray_DATA(lam)
    cdef void *dst = cnp.PyArray_DATA(out)
    cdef size_t count = m
    cdef unsigned width = dtype.itemsize
    cdef int signed = 1 if (<object>dtype).kind == "i" else 0
    cdef int rc
    with nogil:
        rc = kr_jax_poisson_batch(<kr_layout>layout, kc.words, count, n, lp, nlam, width,
                                  signed, dst)
    _raise_for(rc)
    return out


def draw_binomial_jax(int layout, cnp.ndarray keys, tuple shape, cnp.ndarray count,
                      cnp.ndarray prob):
    """A new float32 array of shape keys.shape[:-1] + shape: JAX's binomial
    (sample_binomial.h) on PART_U32 / HALVES_WORDS words. count and prob are
    C-contiguous float32; element i of the flattened output uses
    count[i % count.size] and prob[i % prob.size]."""
    if layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32 or HALVES_WORDS")
    for a in (count, prob):
        if cnp.PyArray_TYPE(a) != cnp.NPY_FLOAT32 or not cnp.PyArray_IS_C_CONTIGUOUS(a):
            raise ValueError("count and prob must be C-contiguous float32")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    cdef uint64_t limit = <uint64_t>-1 if layout == KR_PART_U32 else KR_HALVES_MAX_WORDS
    out, m = _batch(keys, shape, cnp.NPY_FLOAT32, dims, &n, limit)
    cdef size_t nc = <size_t>cnp.PyArray_SIZE(count), np_ = <size_t>cnp.PyArray_SIZE(prob)
    if n * <uint64_t>m == 0:
        return out
    if nc == 0 or np_ == 0 or n % nc or n % np_:
        raise ValueError("count's and prob's sizes must divide each key's element count")
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef const float *cp = <const float *>cnp.PyArray_DATA(count)
    cdef const float *pp = <const float *>cnp.PyArray_DATA(prob)
    cdef float *dst = <float *>cnp.PyArray_DATA(out)
    cdef size_t nkeys = m
    cdef int rc
    with nogil:
        rc = kr_jax_binomial_batch(<kr_layout>layout, kc.words, nkeys, n, cp, nc, pp, np_, dst)
    _raise_for(rc)
    return out


def draw_multinomial_jax(int layout, cnp.ndarray keys, tuple shape, const float[::1] count,
                         const float[:, ::1] prob):
    """A new float32 array of shape keys.shape[:-1] + shape: JAX's multinomial
    counts (sample_multinomial.h) along shape's last axis, K = shape[-1]
    categories. prob: rows of K probabilities, row e % rows for draw e;
    count: the trials, count[e % size]."""
    if layout != KR_PART_U32 and layout != KR_HALVES_WORDS:
        raise ValueError("layout must be PART_U32 or HALVES_WORDS")
    if not shape:
        raise ValueError("shape must end in the category axis")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    out, m = _batch(keys, shape, cnp.NPY_FLOAT32, dims, &n, <uint64_t>-1)
    cdef size_t cats = shape[len(shape) - 1], nc = count.shape[0], rows = prob.shape[0]
    if n * <uint64_t>m == 0:
        return out
    cdef uint64_t batch = n // cats
    if prob.shape[1] != cats:
        raise ValueError("prob's rows must have shape[-1] probabilities")
    if nc == 0 or rows == 0 or batch % nc or batch % rows:
        raise ValueError("count's size and prob's rows must divide the draws per key")
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef float *dst = <float *>cnp.PyArray_DATA(out)
    cdef size_t nkeys = m
    cdef int rc
    with nogil:
        rc = kr_jax_multinomial_batch(<kr_layout>layout, kc.words, nkeys, batch, cats,
                                      &count[0], nc, &prob[0, 0], rows, dst)
    _raise_for(rc)
    return out


def draw_choice_p_jax(int layout, cnp.ndarray keys, tuple shape, cnp.ndarray p, bint wide):
    """A new int32 (int64 if wide) array of shape keys.shape[:-1] + shape:
    jax.random.choice(key, len(p), shape, p=p) indices (sample_choice.h).
    p: C-contiguous 1-d float32 (layout PART_U32 / HALVES_WORDS) or float64
    (PART_U64 / HALVES_U64), not empty."""
    cdef int typenum = cnp.PyArray_TYPE(p)
    if (typenum != cnp.NPY_FLOAT32 and typenum != cnp.NPY_FLOAT64) or p.ndim != 1 \
            or not cnp.PyArray_IS_C_CONTIGUOUS(p) or p.shape[0] == 0:
        raise ValueError("p must be a non-empty C-contiguous 1-d float32 or float64 array")
    cdef cnp.npy_intp dims[MAX_DIMS]
    cdef uint64_t n
    out, m = _batch(keys, shape, cnp.NPY_INT64 if wide else cnp.NPY_INT32, dims, &n)
    if n * <uint64_t>m == 0:
        return out
    cdef KeyCopy kc
    held = _copy_keys(keys, &kc)
    cdef int ctype = KR_F64 if typenum == cnp.NPY_FLOAT64 else KR_F32
    cdef const void *src = cnp.PyArray_DATA(p)
    cdef void *dst = cnp.PyArray_DATA(out)
    cdef size_t nkeys = m, ncats = p.shape[0]
    cdef unsigned width = 8 if wide else 4
    cdef int rc
    with nogil:
        rc = kr_jax_choice_p_batch(ctype, <kr_layout>layout, kc.words, nkeys, n, src, ncats,
                                   width, dst)
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


cdef extern from "xla_math.h":
    cpdef enum XlaFn "kr_xla_fn":
        XLA_LOG "KR_XLA_LOG"
        XLA_LOG1P "KR_XLA_LOG1P"
        XLA_ERF "KR_XLA_ERF"
        XLA_ERFINV "KR_XLA_ERFINV"
        XLA_EXP "KR_XLA_EXP"
        XLA_TAN "KR_XLA_TAN"

cdef extern from "sample_jax.h":
    cpdef enum Xla32Fn "kr_xla_f32_fn":
        XLA32_LOG "KR_XLA32_LOG"
        XLA32_LOG1P "KR_XLA32_LOG1P"
        XLA32_EXP "KR_XLA32_EXP"
        XLA32_ERF "KR_XLA32_ERF"
        XLA32_ERFINV "KR_XLA32_ERFINV"
        XLA32_TAN "KR_XLA32_TAN"
        XLA32_LGAMMA "KR_XLA32_LGAMMA"
        XLA32_ERF_SCALAR "KR_XLA32_ERF_SCALAR"
    int KR_XLA32_FN_COUNT
    void kr_xla_f32_array(int fn, const float *x, size_t n, float *out) nogil
    void kr_xla_pow_f32_array(const float *x, const float *y, size_t n, float *out) nogil
    int kr_xla_rsqrt_f32_array(const float *x, size_t n, int steps, float *out) nogil

cdef extern from "broadcast.h" nogil:
    int KR_BROADCAST_MAX_DIMS
    ctypedef struct kr_operand:
        const void *data
        const int64_t *strides
    int kr_affine_f32(int ndim, const int64_t *shape, float c, const kr_operand *scale,
                      const kr_operand *loc, float *z)
    int kr_affine_f64(int ndim, const int64_t *shape, double c, const kr_operand *scale,
                      const kr_operand *loc, double *z)


cdef int _operand(cnp.ndarray x, cnp.ndarray z, kr_operand *op, int64_t *strides) except -1:
    """op reading x, an array of z's dtype that broadcasts to z's shape (NumPy's
    rules: axes aligned from the right, size-1 and missing axes repeated), at
    any element strides."""
    cdef int lead = z.ndim - x.ndim, d, j
    cdef bint fits = lead >= 0 and x.dtype.num == z.dtype.num
    for d in range(x.ndim if fits else 0):
        fits = fits and (x.shape[d] == z.shape[lead + d] or x.shape[d] == 1)
    if not fits:
        raise ValueError(f"operands must broadcast to z's shape {(<object>z).shape} and have "
                         f"its dtype {z.dtype}; got {(<object>x).shape}, {x.dtype}")
    cdef Py_ssize_t size = z.itemsize
    for d in range(z.ndim):
        j = d - lead
        if j < 0 or x.shape[j] == 1:
            strides[d] = 0
        elif x.strides[j] % size:
            raise ValueError("operand strides must be whole elements")
        else:
            strides[d] = x.strides[j] // size
    op.data = cnp.PyArray_DATA(x)
    op.strides = strides
    return 0


def affine(cnp.ndarray z, double c, cnp.ndarray scale=None, cnp.ndarray loc=None):
    """z = loc + fl(c * scale) * z in place (broadcast.h: MLX's normal from its
    unscaled values), z C-contiguous float32 / float64; scale and loc None or
    arrays of z's dtype that broadcast to its shape, at any strides."""
    if not z.flags.c_contiguous or not z.flags.writeable:
        raise ValueError("z must be a writable C-contiguous array")
    if z.ndim > KR_BROADCAST_MAX_DIMS:
        raise ValueError(f"z has more than {KR_BROADCAST_MAX_DIMS} dimensions")
    cdef int num = z.dtype.num
    if num != cnp.NPY_FLOAT32 and num != cnp.NPY_FLOAT64:
        raise ValueError(f"z must be float32 or float64; got {z.dtype}")
    cdef int64_t shape[32]
    cdef int64_t s_strides[32]
    cdef int64_t l_strides[32]
    cdef kr_operand s_op, l_op
    cdef kr_operand *sp = NULL
    cdef kr_operand *lp = NULL
    cdef int ndim = z.ndim, rc
    for d in range(ndim):
        shape[d] = z.shape[d]
    if scale is not None:
        _operand(scale, z, &s_op, s_strides)
        sp = &s_op
    if loc is not None:
        _operand(loc, z, &l_op, l_strides)
        lp = &l_op
    cdef void *dst = cnp.PyArray_DATA(z)
    cdef float c32 = <float>c
    with nogil:
        if num == cnp.NPY_FLOAT32:
            rc = kr_affine_f32(ndim, shape, c32, sp, lp, <float *>dst)
        else:
            rc = kr_affine_f64(ndim, shape, c, sp, lp, <double *>dst)
    _raise_for(rc)
    return z


cdef extern from "sample.h":
    cpdef enum Special "kr_mlx_fn":
        SPECIAL_ERF "KR_MLX_ERF"
        SPECIAL_ERFINV "KR_MLX_ERFINV"
        SPECIAL_EXP "KR_MLX_EXP"


def xla_f64(int fn, const double[::1] x, double[::1] out):
    """out = XLA's float64 log, log1p, erf, erf_inv, exp or tan of x (xla_math.h)."""
    if not 0 <= fn < KR_XLA_FN_COUNT:
        raise ValueError("unknown function")
    if x.shape[0] != out.shape[0]:
        raise ValueError("x and out must have the same length")
    if x.shape[0]:
        with nogil:
            kr_xla_f64_array(fn, &x[0], x.shape[0], &out[0])


def xla_f32(int fn, const float[::1] x, float[::1] out):
    """out = XLA's float32 log, log1p, exp, erf or erf_inv of x (xla_f32.h)."""
    if not 0 <= fn < KR_XLA32_FN_COUNT:
        raise ValueError("unknown function")
    if x.shape[0] != out.shape[0]:
        raise ValueError("x and out must have the same length")
    if x.shape[0]:
        with nogil:
            kr_xla_f32_array(fn, &x[0], x.shape[0], &out[0])


def fma(const floating[::1] a, const floating[::1] b, const floating[::1] c,
        floating[::1] out):
    """out = a * b + c rounded once (XLA's fused multiply-adds), elementwise."""
    cdef Py_ssize_t i, n = out.shape[0]
    if a.shape[0] != n or b.shape[0] != n or c.shape[0] != n:
        raise ValueError("a, b, c and out must have the same length")
    with nogil:
        for i in range(n):
            if floating is float:
                out[i] = c_fmaf(a[i], b[i], c[i])
            else:
                out[i] = c_fma(a[i], b[i], c[i])


def xla_rsqrt_f32(const float[::1] x, int steps, float[::1] out):
    """out = XLA's float32 rsqrt of x: the CPU's estimate and `steps` (1 or 2)
    Newton-Raphson steps, or 1 / sqrt(x) for steps = 0 (sample_jax.h)."""
    cdef int rc = 0
    if x.shape[0] != out.shape[0]:
        raise ValueError("x and out must have the same length")
    if x.shape[0]:
        with nogil:
            rc = kr_xla_rsqrt_f32_array(&x[0], x.shape[0], steps, &out[0])
    if rc != 0:
        raise ValueError(f"steps must be 0, 1 or 2 (1 and 2 on x86-64 only); got {steps}")


def xla_pow_f64(const double[::1] x, const double[::1] y, double[::1] out):
    """out = XLA's float64 pow(x, y), elementwise: the C library's (xla_math.h)."""
    if x.shape[0] != out.shape[0] or y.shape[0] != out.shape[0]:
        raise ValueError("x, y and out must have the same length")
    if x.shape[0]:
        with nogil:
            kr_xla_pow_f64_array(&x[0], &y[0], x.shape[0], &out[0])


def xla_pow_f32(const float[::1] x, const float[::1] y, float[::1] out):
    """out = XLA's float32 pow(x, y), elementwise (xla_f32.h)."""
    if x.shape[0] != out.shape[0] or y.shape[0] != out.shape[0]:
        raise ValueError("x, y and out must have the same length")
    if x.shape[0]:
        with nogil:
            kr_xla_pow_f32_array(&x[0], &y[0], x.shape[0], &out[0])


def special_f32(int fn, const float[::1] x, float[::1] out):
    """out = MLX's float32 erf, erfinv or exp of x (sample.h)."""
    if not 0 <= fn < KR_MLX_FN_COUNT:
        raise ValueError("unknown function")
    if x.shape[0] != out.shape[0]:
        raise ValueError("x and out must have the same length")
    if x.shape[0]:
        with nogil:
            kr_mlx_f32_array(fn, &x[0], x.shape[0], &out[0])


def sort_pairs_u32(uint32_t[:, ::1] keys, uint32_t[:, ::1] vals, uint32_t[::1] tmp_keys,
                   uint32_t[::1] tmp_vals):
    """Stably sorts each row of keys ascending, moving vals alongside, in
    place; tmp_*: one row of scratch each (sort.h)."""
    cdef Py_ssize_t n = keys.shape[1]
    if keys.shape[0] != vals.shape[0] or n != vals.shape[1]:
        raise ValueError("keys and vals must have the same shape")
    if tmp_keys.shape[0] < n or tmp_vals.shape[0] < n:
        raise ValueError("the scratch rows are shorter than a row")
    if keys.shape[0] and n:
        with nogil:
            kr_sort_pairs_u32(&keys[0, 0], &vals[0, 0], keys.shape[0], n, &tmp_keys[0],
                              &tmp_vals[0])


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


def host_features():
    """The host CPU features that change XLA:CPU's arithmetic (dispatch.h)."""
    cdef unsigned f = kr_host_features()
    return {name: bool(f & bit) for name, bit in (
        ("x86", KR_HOST_X86), ("sse4a", KR_HOST_SSE4A), ("avx", KR_HOST_AVX),
        ("avx512f", KR_HOST_AVX512F), ("fp16", KR_HOST_FP16), ("bf16", KR_HOST_BF16),
        ("f16c", KR_HOST_F16C))}


def compiler():
    """The compiler that built the C core."""
    return kr_build_compiler().decode()


def sanitized():
    """Whether the C core was built with AddressSanitizer (KEYRAND_SANITIZE=1)."""
    return bool(kr_build_sanitized())


# ---------------------------------------------------------------------------
# C API for cimporters
# ---------------------------------------------------------------------------
# The nogil functions that other Cython modules call through this extension's
# __pyx_capi__ table: declared in keyrand/_core.pxd, published under their
# kr_* names (and documented) in keyrand/c_random.pxd and docs/c_api.md.
# Each is a thin call into the C core: one copy of the kernels and of the
# thread pool serves Python and every cimporter alike. They return KR_OK or
# an error code of keyrand.h and never touch Python objects.

cdef struct HalvesRange:
    # One sub-range of an MLX-layout sampler stream, cut into pool tasks.
    const kr_sampler *sampler
    uint64_t total
    uint64_t start
    size_t size


cdef struct PartRangeF64:
    # One sub-range of a float64 sampler stream, cut into pool tasks.
    const kr_sampler_f64 *sampler
    uint64_t start


cdef void _halves_range_task(const uint32_t *key, uint64_t first, uint64_t count,
                             void *key_out, const void *params) noexcept nogil:
    cdef const HalvesRange *job = <const HalvesRange *>params
    # Validated by _sample_halves_range, so this cannot fail.
    kr_halves_sample(key, job.total, job.start + first, <size_t>count, job.sampler,
                     <char *>key_out + first * job.size)


cdef void _part_f64_range_task(const uint32_t *key, uint64_t first, uint64_t count,
                               void *key_out, const void *params) noexcept nogil:
    cdef const PartRangeF64 *job = <const PartRangeF64 *>params
    kr_part_sample_f64(key, job.start + first, <size_t>count, job.sampler,
                       <double *>key_out + first)


cdef int _sample_halves_range(const uint32_t *key, uint64_t total, uint64_t start,
                              void *out, size_t n, const kr_sampler *s) noexcept nogil:
    """Elements [start, start + n) of sampler s on the MLX stream of `total`
    words; large ranges are cut into fixed tasks on the pool (the result does
    not depend on the thread count)."""
    if total > KR_HALVES_MAX_WORDS:
        return KR_ERR_TOO_LARGE
    if start > total or n > total - start:
        return KR_ERR_RANGE
    if n == 0:
        return KR_OK
    if start == 0 and n == total:
        return kr_halves_sample_batch(key, 1, total, s, out)
    cdef HalvesRange job
    job.sampler = s
    job.total = total
    job.start = start
    job.size = kr_type_size(s.type)
    kr_parallel_ranges(key, 1, n, KR_TASK_WORDS, 1, n * job.size, out,
                       _halves_range_task, &job)
    return KR_OK


cdef int _sample_part_f64_range(const uint32_t *key, uint64_t start, double *out, size_t n,
                                const kr_sampler_f64 *s) noexcept nogil:
    """Elements [start, start + n) of float64 sampler s (element-indexed, so
    no total); the indices must stay below 2**64."""
    if n and <uint64_t>(n - 1) > <uint64_t>-1 - start:
        return KR_ERR_RANGE
    cdef PartRangeF64 job
    job.sampler = s
    job.start = start
    # Two 32-bit words per element, as kr_part_sample_f64_batch counts them.
    kr_parallel_ranges(key, 1, n, KR_TASK_WORDS // 2, 2, n * sizeof(double), out,
                       _part_f64_range_task, &job)
    return KR_OK


cdef inline bint _is_nan(double x) noexcept nogil:
    return x != x


cdef void capi_threefry2x32(const uint32_t key[2], const uint32_t ctr[2],
                            uint32_t out[2]) noexcept nogil:
    kr_threefry2x32(key, ctr, out)


cdef int capi_fill_bits32(const uint32_t key[2], uint32_t *out, size_t n) noexcept nogil:
    return kr_stream(KR_HALVES_WORDS, key, 1, n, 0, n, out)


cdef int capi_fill_bits32_range(const uint32_t key[2], uint64_t total, uint64_t start,
                                uint32_t *out, size_t n) noexcept nogil:
    return kr_stream(KR_HALVES_WORDS, key, 1, total, start, n, out)


cdef int _uniform_f32_sampler(kr_sampler *s, float low, float high) noexcept nogil:
    if _is_nan(low) or _is_nan(high):
        return KR_ERR_ARG
    return kr_sampler_init(s, KR_UNIFORM, KR_F32, low, high, 0, 0, 0)


cdef int capi_fill_uniform_f32(const uint32_t key[2], float *out, size_t n,
                               float low, float high) noexcept nogil:
    return capi_fill_uniform_f32_range(key, n, 0, out, n, low, high)


cdef int capi_fill_uniform_f32_range(const uint32_t key[2], uint64_t total, uint64_t start,
                                     float *out, size_t n, float low,
                                     float high) noexcept nogil:
    cdef kr_sampler s
    cdef int rc = _uniform_f32_sampler(&s, low, high)
    if rc != KR_OK:
        return rc
    return _sample_halves_range(key, total, start, out, n, &s)


cdef int capi_fill_normal_f32(const uint32_t key[2], float *out, size_t n) noexcept nogil:
    return capi_fill_normal_f32_range(key, n, 0, out, n)


cdef int capi_fill_normal_f32_range(const uint32_t key[2], uint64_t total, uint64_t start,
                                    float *out, size_t n) noexcept nogil:
    cdef kr_sampler s
    # keyrand.normal() without loc / scale: flags 0, the standard normal.
    kr_sampler_init(&s, KR_NORMAL, KR_F32, 0.0, 1.0, 0, 0, 0)
    return _sample_halves_range(key, total, start, out, n, &s)


cdef int capi_fill_uniform_f64(const uint32_t key[2], double *out, size_t n,
                               double low, double high) noexcept nogil:
    return capi_fill_uniform_f64_range(key, 0, out, n, low, high)


cdef int capi_fill_uniform_f64_range(const uint32_t key[2], uint64_t start, double *out,
                                     size_t n, double low, double high) noexcept nogil:
    if _is_nan(low) or _is_nan(high):
        return KR_ERR_ARG
    cdef kr_sampler_f64 s
    kr_sampler_f64_init(&s, KR_UNIFORM, low, high, 0)
    return _sample_part_f64_range(key, start, out, n, &s)


cdef int capi_fill_normal_f64(const uint32_t key[2], double *out, size_t n) noexcept nogil:
    return capi_fill_normal_f64_range(key, 0, out, n)


cdef int capi_fill_normal_f64_range(const uint32_t key[2], uint64_t start, double *out,
                                    size_t n) noexcept nogil:
    cdef kr_sampler_f64 s
    kr_sampler_f64_init(&s, KR_NORMAL, 0.0, 1.0, 0)
    return _sample_part_f64_range(key, start, out, n, &s)


cdef int capi_fill_bits64_part(const uint32_t key[2], uint64_t start, uint64_t *out,
                               size_t n) noexcept nogil:
    return kr_stream(KR_PART_U64, key, 1, 0, start, n, out)


# The global key (key=None draws, MLX's random.state). Each function reads
# and writes it with no Python code in between and the GIL held, so neither
# another thread nor a signal handler (which runs only between bytecodes)
# can see it half-updated, and no lock is needed that a handler could
# deadlock on.
cdef uint32_t _global_key[2]
cdef bint _global_seeded = False


def global_seed(const uint32_t[::1] key):
    """Set the global key to key (2 words)."""
    global _global_seeded
    if key.shape[0] != 2:
        raise ValueError("key must have 2 words")
    _global_key[0], _global_key[1] = key[0], key[1]
    _global_seeded = True


def global_next(uint64_t clock_ms):
    """The next subkey of the global key: split in two, row 0 kept, row 1
    returned (seeded from clock_ms first if never seeded)."""
    global _global_seeded
    out = cnp.PyArray_EMPTY(1, [2], cnp.NPY_UINT32, 0)  # allocated before the update
    cdef uint32_t *dst = <uint32_t *>cnp.PyArray_DATA(out)
    cdef uint32_t words[4]
    if not _global_seeded:
        _global_key[0], _global_key[1] = <uint32_t>(clock_ms >> 32), <uint32_t>clock_ms
        _global_seeded = True
    if kr_stream(KR_HALVES_WORDS, _global_key, 1, 4, 0, 4, words) != KR_OK:
        raise RuntimeError("the global key update failed")
    _global_key[0], _global_key[1] = words[0], words[1]
    dst[0], dst[1] = words[2], words[3]
    return out


def global_current():
    """A copy of the global key, or None before it is first used."""
    if not _global_seeded:
        return None
    out = cnp.PyArray_EMPTY(1, [2], cnp.NPY_UINT32, 0)
    cdef uint32_t *dst = <uint32_t *>cnp.PyArray_DATA(out)
    dst[0], dst[1] = _global_key[0], _global_key[1]
    return out
