/* Portable kernel: plain C on uint32_t, the reference for every SIMD kernel. */
#include <stdint.h>
#include <string.h>

#define KR_SUFFIX scalar
#define KR_VEC uint32_t
#define KR_LANES 1
#define KR_WAYS 4
#define KR_SET1(u) ((uint32_t)(u))
#define KR_LOADU(p) (*(const uint32_t *)(p))
#define KR_ADD(a, b) ((uint32_t)((a) + (b)))
#define KR_XOR(a, b) ((a) ^ (b))
#define KR_ROTL(a, r) kr_rotl32((a), (r))
#define KR_STOREU(p, v) kr_store_u32((p), (v))
#define KR_STORE_U64(p, hi, lo) kr_store_u64((p), (hi), (lo))

static inline void kr_store_u32(void *p, uint32_t v) { memcpy(p, &v, 4); }

static inline void kr_store_u64(void *p, uint32_t hi, uint32_t lo)
{
    const uint64_t v = ((uint64_t)hi << 32) | lo;
    memcpy(p, &v, 8);
}

#include "kernel_template.h"
#include "transform_template.h"
#include "rejection_template.h"
