/* AVX2 kernel: 8 lanes per vector, 4 vectors in flight. Compiled with -mavx2
 * only (see setup.py); dispatch.c calls it after checking the CPU and the OS. */
#include "kernels.h"

#if KR_HAVE_X86_KERNELS || defined(KR_USE_SIMDE)

#ifdef KR_USE_SIMDE
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx2.h>
#else
#include <immintrin.h>
#endif

#define KR_SUFFIX avx2
#define KR_VEC __m256i
#define KR_LANES 8
#define KR_WAYS 4
#define KR_SET1(u) _mm256_set1_epi32((int)(u))
#define KR_LOADU(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define KR_ADD(a, b) _mm256_add_epi32((a), (b))
#define KR_XOR(a, b) _mm256_xor_si256((a), (b))
#define KR_STOREU(p, v) _mm256_storeu_si256((__m256i *)(void *)(p), (v))
#define KR_STORE_U64(p, hi, lo) kr_avx2_store_u64((p), (hi), (lo))

/* No rotate instruction before AVX-512: byte-multiple amounts are one
 * shuffle, the rest two shifts and an or. */
#define KR_ROTL(a, r)                                                          \
    ((r) == 16   ? _mm256_shuffle_epi8((a), kr_avx2_rot16())                   \
     : (r) == 24 ? _mm256_shuffle_epi8((a), kr_avx2_rot24())                   \
                 : _mm256_or_si256(_mm256_slli_epi32((a), (r)),                \
                                   _mm256_srli_epi32((a), 32 - (r))))

static inline __m256i kr_avx2_rot16(void)
{
    return _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                            2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}

static inline __m256i kr_avx2_rot24(void)
{
    return _mm256_setr_epi8(1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
                            1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
}

static inline void kr_avx2_store_u64(void *p, __m256i hi, __m256i lo)
{
    /* unpack works within 128-bit halves: elements {0,1,4,5} and {2,3,6,7}. */
    const __m256i a = _mm256_unpacklo_epi32(lo, hi);
    const __m256i b = _mm256_unpackhi_epi32(lo, hi);
    _mm256_storeu_si256((__m256i *)p, _mm256_permute2x128_si256(a, b, 0x20));
    _mm256_storeu_si256((__m256i *)p + 1, _mm256_permute2x128_si256(a, b, 0x31));
}

#include "kernel_template.h"
#include "transform_template.h"
#include "rejection_template.h"

#else
typedef int kr_avx2_unavailable_on_this_arch;
#endif
