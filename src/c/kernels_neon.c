/* NEON kernel (aarch64): 4 lanes per vector, 4 vectors in flight. NEON is
 * part of the aarch64 baseline, so no extra compiler flags are needed. */
#include "kernels.h"

#if KR_HAVE_NEON_KERNELS || defined(KR_USE_SIMDE)

#ifdef KR_USE_SIMDE
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/arm/neon.h>
#else
#include <arm_neon.h>
#endif

#define KR_SUFFIX neon
#define KR_VEC uint32x4_t
#define KR_LANES 4
#define KR_WAYS 4
#define KR_SET1(u) vdupq_n_u32((uint32_t)(u))
#define KR_LOADU(p) vld1q_u32((const uint32_t *)(p))
#define KR_ADD(a, b) vaddq_u32((a), (b))
#define KR_XOR(a, b) veorq_u32((a), (b))
#define KR_STOREU(p, v) vst1q_u32((uint32_t *)(void *)(p), (v))
#define KR_STORE_U64(p, hi, lo) kr_neon_store_u64((p), (hi), (lo))

/* 16 is a halfword swap; other amounts: shift left, then shift-right-insert. */
#define KR_ROTL(a, r)                                                          \
    ((r) == 16 ? vreinterpretq_u32_u16(vrev32q_u16(vreinterpretq_u16_u32(a)))  \
               : vsriq_n_u32(vshlq_n_u32((a), (r)), (a), 32 - (r)))

static inline void kr_neon_store_u64(void *p, uint32x4_t hi, uint32x4_t lo)
{
    uint32x4x2_t pair;
    pair.val[0] = lo;
    pair.val[1] = hi;
    vst2q_u32((uint32_t *)p, pair); /* interleaving store: lo0 hi0 lo1 hi1 ... */
}

#include "kernel_template.h"
#include "transform_template.h"
#include "rejection_template.h"

#else
typedef int kr_neon_unavailable_on_this_arch;
#endif
