# Declarations of the C core (src/c/keyrand.h, sample.h, parallel.h, pool.h,
# dispatch.h, ...) for Cython; used by src/pyx/_core.pyx only.
from libc.stdint cimport uint32_t, uint64_t

cdef extern from "box.h" nogil:
    enum:
        KR_BOX_MAX_DIMS
    ctypedef struct kr_box:
        int ndim
        uint64_t shape[32]
        uint64_t start[32]
        uint64_t count[32]

cdef extern from "keyrand.h" nogil:
    int KR_OK
    int KR_ERR_RANGE
    int KR_ERR_TOO_LARGE
    int KR_ERR_ARG
    unsigned long long KR_HALVES_MAX_WORDS

    void kr_threefry2x32(const uint32_t *key, const uint32_t *ctr, uint32_t *out)
    void kr_fold_in(const uint32_t *key, uint32_t data, uint32_t *out)
    int kr_halves_words(const uint32_t *key, uint64_t total, uint64_t start, size_t n, void *out)
    int kr_halves_bytes(const uint32_t *key, uint64_t total_bytes, uint64_t start, size_t n, void *out)
    int kr_halves_u64(const uint32_t *key, uint64_t total, uint64_t start, size_t n, void *out)
    int kr_part_u32(const uint32_t *key, uint64_t start, size_t n, void *out)
    int kr_part_u16(const uint32_t *key, uint64_t start, size_t n, void *out)
    int kr_part_u8(const uint32_t *key, uint64_t start, size_t n, void *out)
    int kr_part_u64(const uint32_t *key, uint64_t start, size_t n, void *out)
    int kr_part_keys(const uint32_t *key, uint64_t start, size_t n, void *out)
    ctypedef enum kr_layout:
        KR_HALVES_WORDS
        KR_HALVES_BYTES
        KR_HALVES_U64
        KR_PART_U8
        KR_PART_U16
        KR_PART_U32
        KR_PART_U64
        KR_PART_KEYS
        KR_LAYOUT_COUNT
    size_t kr_layout_width(int layout)
    int kr_stream(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t total,
                  uint64_t start, size_t n, void *out)
    int kr_stream_box(kr_layout layout, const uint32_t *keys, size_t nkeys, const kr_box *box,
                      unsigned per_element, void *out)


cdef extern from "parallel.h" nogil:
    ctypedef void (*kr_range_fn)(const uint32_t *key, uint64_t first, uint64_t count,
                                 void *key_out, const void *params) noexcept nogil
    unsigned KR_TASK_WORDS
    void kr_parallel_ranges(const uint32_t *keys, size_t nkeys, uint64_t units,
                            uint64_t task_units, unsigned words_per_unit,
                            size_t key_out_bytes, void *out, kr_range_fn fn,
                            const void *params)

cdef extern from "pool.h" nogil:
    void kr_pool_set_threads(int n)
    int kr_pool_threads()
    int kr_pool_default_threads()

cdef extern from "dispatch.h" nogil:
    ctypedef enum kr_isa:
        KR_ISA_COUNT
    ctypedef struct kr_kernel_table:
        const char *name
        kr_isa isa
    unsigned kr_supported_isas()
    int kr_isa_from_name(const char *name)
    const char *kr_isa_name(kr_isa isa)
    int kr_isa_compiled(kr_isa isa)
    int kr_select_isa(kr_isa isa)
    const kr_kernel_table *kr_kernels()
    const char *kr_build_compiler()
    int kr_build_sanitized()
    enum:
        KR_HOST_X86
        KR_HOST_SSE4A
        KR_HOST_AVX
        KR_HOST_AVX512F
        KR_HOST_FP16
        KR_HOST_BF16
        KR_HOST_F16C
    unsigned kr_host_features()

cdef extern from "sample.h" nogil:
    enum:
        KR_HAS_P
        KR_HAS_Q
        KR_UNSCALED
    ctypedef struct kr_sampler:
        int dist
        int type
        float a
        float b
        int has_loc
        int has_scale
        long long lo
        long long hi
    int kr_sampler_init(kr_sampler *s, int dist, int type, double p, double q, int flags,
                        long long lo, long long hi)
    ctypedef struct kr_sampler_f64:
        pass
    int kr_sampler_f64_init(kr_sampler_f64 *s, int dist, double p, double q, int flags)
    void kr_sampler_f64_triangular(kr_sampler_f64 *s, double left, double mode, double right)
    int kr_part_sample_f64(const uint32_t *key, uint64_t start, size_t n,
                           const kr_sampler_f64 *s, double *out)
    void kr_uniform_f64_array(const double *f, const double *low, const double *high,
                              size_t n, double *out)
    size_t kr_type_size(int type)
    int kr_halves_sample(const uint32_t *key, uint64_t total, uint64_t start, size_t n,
                         const kr_sampler *s, void *out)
    int kr_halves_sample_batch(const uint32_t *keys, size_t nkeys, uint64_t total,
                               const kr_sampler *s, void *out)
    int kr_part_sample_f64_batch(const uint32_t *keys, size_t nkeys, uint64_t n,
                                 const kr_sampler_f64 *s, double *out)
    int kr_halves_sample_box(const uint32_t *keys, size_t nkeys, const kr_box *box,
                             const kr_sampler *s, void *out)
    int kr_part_sample_f64_box(const uint32_t *keys, size_t nkeys, const kr_box *box,
                               const kr_sampler_f64 *s, double *out)
    int kr_f64_sample_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                            const kr_sampler_f64 *s, double *out)
    int kr_f64_sample_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                          const kr_box *box, const kr_sampler_f64 *s, double *out)
    int KR_MLX_FN_COUNT
    void kr_mlx_f32_array(int fn, const float *x, size_t n, float *out)
    int KR_TYPE_COUNT
    int KR_DIST_COUNT

cdef extern from "xla_math.h" nogil:
    int KR_XLA_FN_COUNT
    void kr_xla_f64_array(int fn, const double *x, size_t n, double *out)
    void kr_xla_pow_f64_array(const double *x, const double *y, size_t n, double *out)

cdef extern from "sort.h" nogil:
    void kr_sort_pairs_u32(uint32_t *keys, uint32_t *vals, size_t rows, size_t n,
                           uint32_t *tmp_keys, uint32_t *tmp_vals)
