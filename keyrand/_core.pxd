# The C-level functions that the extension keyrand._core exports to other
# Cython modules (through its __pyx_capi__ table).
#
# Do not cimport this file directly: keyrand/c_random.pxd is the public,
# documented interface and gives these functions their kr_* names. They are
# implemented in src/pyx/_core.pyx ("C API for cimporters"); their names here
# differ from the C core's own (keyrand_c.pxd) so the two never clash inside
# _core.pyx.
#
# This file must stay self-contained (no cdef extern, no C headers): it is
# parsed when a downstream project compiles, and nothing is linked there.
from libc.stdint cimport uint32_t, uint64_t

cdef void capi_threefry2x32(const uint32_t key[2], const uint32_t ctr[2],
                            uint32_t out[2]) noexcept nogil

cdef int capi_fill_bits32(const uint32_t key[2], uint32_t *out, size_t n) noexcept nogil
cdef int capi_fill_bits32_range(const uint32_t key[2], uint64_t total, uint64_t start,
                                uint32_t *out, size_t n) noexcept nogil

cdef int capi_fill_uniform_f32(const uint32_t key[2], float *out, size_t n,
                               float low, float high) noexcept nogil
cdef int capi_fill_uniform_f32_range(const uint32_t key[2], uint64_t total, uint64_t start,
                                     float *out, size_t n, float low,
                                     float high) noexcept nogil

cdef int capi_fill_normal_f32(const uint32_t key[2], float *out, size_t n) noexcept nogil
cdef int capi_fill_normal_f32_range(const uint32_t key[2], uint64_t total, uint64_t start,
                                    float *out, size_t n) noexcept nogil

cdef int capi_fill_uniform_f64(const uint32_t key[2], double *out, size_t n,
                               double low, double high) noexcept nogil
cdef int capi_fill_uniform_f64_range(const uint32_t key[2], uint64_t start, double *out,
                                     size_t n, double low, double high) noexcept nogil

cdef int capi_fill_normal_f64(const uint32_t key[2], double *out, size_t n) noexcept nogil
cdef int capi_fill_normal_f64_range(const uint32_t key[2], uint64_t start, double *out,
                                    size_t n) noexcept nogil

cdef int capi_fill_bits64_part(const uint32_t key[2], uint64_t start, uint64_t *out,
                               size_t n) noexcept nogil
