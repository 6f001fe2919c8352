/* AVX-512 kernel: 16 lanes per vector, 4 vectors in flight, native rotates
 * (vprold). Compiled with the AVX-512 flags only (see setup.py). */
#include "kernels.h"

#if KR_HAVE_X86_KERNELS || defined(KR_USE_SIMDE)

#ifdef KR_USE_SIMDE
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#else
#include <immintrin.h>
#endif

#define KR_SUFFIX avx512
#define KR_VEC __m512i
#define KR_LANES 16
#define KR_WAYS 4
#define KR_SET1(u) _mm512_set1_epi32((int)(u))
#define KR_LOADU(p) _mm512_loadu_si512((const void *)(p))
#define KR_ADD(a, b) _mm512_add_epi32((a), (b))
#define KR_XOR(a, b) _mm512_xor_si512((a), (b))
#define KR_ROTL(a, r) _mm512_rol_epi32((a), (r))
#define KR_STOREU(p, v) _mm512_storeu_si512((void *)(p), (v))
#define KR_STORE_U64(p, hi, lo) kr_avx512_store_u64((p), (hi), (lo))

static inline void kr_avx512_store_u64(void *p, __m512i hi, __m512i lo)
{
    /* Two-source permutes place (lo_i, hi_i) pairs directly, no lane fixups. */
    const __m512i first = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19,
                                            4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i second = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27,
                                             12, 28, 13, 29, 14, 30, 15, 31);
    _mm512_storeu_si512(p, _mm512_permutex2var_epi32(lo, first, hi));
    _mm512_storeu_si512((char *)p + 64, _mm512_permutex2var_epi32(lo, second, hi));
}

#include "kernel_template.h"
#include "transform_template.h"
#include "rejection_template.h"

#else
typedef int kr_avx512_unavailable_on_this_arch;
#endif
