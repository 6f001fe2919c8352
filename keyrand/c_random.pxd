# keyrand's C API for Cython: Threefry-2x32-20 streams, callable without the GIL.
#
#     from keyrand.c_random cimport kr_fill_uniform_f32, KR_OK
#
# How it works: these functions live in the extension module keyrand._core
# (src/pyx/_core.pyx), which exports them through its __pyx_capi__ table.
# A module that cimports them fetches the function pointers when it is
# imported (it imports keyrand._core then), so there is nothing to link and
# no C header to find: compile with Cython's include_path (and nothing else)
# set to keyrand.get_include(). Every caller shares keyrand's one copy of the
# C core: the same SIMD kernel choice (keyrand.set_simd_kernel) and the same
# thread pool (keyrand.set_num_threads).
#
# Conventions (docs/c_api.md has the full reference):
# * key is two uint32 words, as keyrand.key(seed) holds them.
# * Every function is noexcept nogil and safe to call from several threads at
#   once; fills of 2**17 words or more run on keyrand's thread pool, cut into
#   fixed tasks, so the values never depend on the thread count.
# * Fill functions return KR_OK (0) or an error code below; on error nothing
#   is written.
# * "MLX layout" streams (bits32, *_f32) depend on their total length and
#   hold at most 2**32 - 2 words; the *_range forms give elements
#   [start, start + n) of the stream of `total` elements. The float64 and
#   bits64 streams are element-indexed (JAX's partitionable layout), so their
#   *_range / *_part forms need no total.
#
# Equalities (all bit for bit, with k the key as a uint32 array):
#   kr_fill_bits32(k, out, n)            == keyrand.bits((n,), key=k)
#   kr_fill_uniform_f32(k, out, n, a, b) == keyrand.uniform(a, b, (n,), key=k)
#   kr_fill_normal_f32(k, out, n)        == keyrand.normal((n,), key=k)
#   kr_fill_uniform_f64(k, out, n, a, b) == keyrand.uniform(a, b, (n,), numpy.float64, key=k)
#   kr_fill_normal_f64(k, out, n)        == keyrand.jax.normal(k, (n,), numpy.float64)
#                                           (x64 and partitionable mode: JAX's float64
#                                           normal, element-indexed; keyrand.normal's
#                                           float64 is MLX's, on the MLX layout)
#   kr_fill_bits64_part(k, s, out, n)    == keyrand.jax.bits(k, (s + n,), numpy.uint64)[s:]
#                                           (partitionable mode, keyrand.jax's default)
from libc.stdint cimport uint32_t, uint64_t

# Return codes (the values of src/c/keyrand.h).
cdef enum:
    KR_OK = 0
    KR_ERR_RANGE = 1      # start + n beyond the stream (or beyond 2**64 elements)
    KR_ERR_TOO_LARGE = 2  # an MLX-layout stream of more than 2**32 - 2 words
    KR_ERR_ARG = 3        # a NaN bound

from keyrand._core cimport (
    # One Threefry-2x32-20 block: out = threefry(key, ctr).
    capi_threefry2x32 as kr_threefry2x32,

    # Raw 32-bit words of the MLX layout (keyrand.bits).
    # kr_fill_bits32(key, out, n)
    capi_fill_bits32 as kr_fill_bits32,
    # kr_fill_bits32_range(key, total, start, out, n)
    capi_fill_bits32_range as kr_fill_bits32_range,

    # float32 uniform on [low, high) (keyrand.uniform).
    # kr_fill_uniform_f32(key, out, n, low, high)
    capi_fill_uniform_f32 as kr_fill_uniform_f32,
    # kr_fill_uniform_f32_range(key, total, start, out, n, low, high)
    capi_fill_uniform_f32_range as kr_fill_uniform_f32_range,

    # float32 standard normal (keyrand.normal).
    # kr_fill_normal_f32(key, out, n)
    capi_fill_normal_f32 as kr_fill_normal_f32,
    # kr_fill_normal_f32_range(key, total, start, out, n)
    capi_fill_normal_f32_range as kr_fill_normal_f32_range,

    # float64 uniform on [low, high) (keyrand.uniform(..., dtype=float64)).
    # kr_fill_uniform_f64(key, out, n, low, high)
    capi_fill_uniform_f64 as kr_fill_uniform_f64,
    # kr_fill_uniform_f64_range(key, start, out, n, low, high)
    capi_fill_uniform_f64_range as kr_fill_uniform_f64_range,

    # float64 standard normal (keyrand.normal(..., dtype=float64)).
    # kr_fill_normal_f64(key, out, n)
    capi_fill_normal_f64 as kr_fill_normal_f64,
    # kr_fill_normal_f64_range(key, start, out, n)
    capi_fill_normal_f64_range as kr_fill_normal_f64_range,

    # JAX's partitionable 64-bit words: element i is (a << 32) | b for
    # (a, b) = threefry(key, (i >> 32, i & 0xFFFFFFFF)).
    # kr_fill_bits64_part(key, start, out, n)
    capi_fill_bits64_part as kr_fill_bits64_part,
)
