/* The body shared by every kernel. An ISA file defines its vector type and a
 * handful of operations, then includes this file once; the counter walk, the
 * interleaving of independent states and the tail handling live only here.
 *
 * Required before inclusion:
 *   KR_SUFFIX              name suffix (scalar, avx2, ...)
 *   KR_VEC                 vector type of KR_LANES uint32 lanes
 *   KR_WAYS                independent states kept in flight per iteration
 *   KR_SET1(u)             broadcast
 *   KR_LOADU(p)            load KR_LANES uint32 from p (unaligned)
 *   KR_ADD(a, b), KR_XOR(a, b)
 *   KR_ROTL(a, r)          rotate left by the constant r
 *   KR_STOREU(p, v)        store KR_LANES uint32 to p (unaligned)
 *   KR_STORE_U64(p, hi, lo) store KR_LANES uint64 (hi << 32 | lo) to p
 *
 * Threefry's add-rotate-xor chain is serial, so one state leaves the ALUs idle
 * most of the time; KR_WAYS states are advanced round by round in lockstep to
 * hide that latency. */
#include <string.h>

#include "kernels.h"
#include "threefry.h"

#define KR_CAT_(a, b) a##_##b
#define KR_CAT(a, b) KR_CAT_(a, b)
#define KR_FN(name) KR_CAT(name, KR_SUFFIX)

#if defined(_MSC_VER)
#define KR_ALWAYS_INLINE static __forceinline
#else
#define KR_ALWAYS_INLINE static inline __attribute__((always_inline))
#endif

enum { KR_EMIT_PAIRS, KR_EMIT_XOR, KR_EMIT_U64 };

/* The key schedule as the eight vectors added at the six injections. */
typedef struct {
    KR_VEC inj[12];
} KR_FN(kr_sched);

#define KR_MIX(r)                                                              \
    for (int j = 0; j < ways; j++) {                                           \
        x0[j] = KR_ADD(x0[j], x1[j]);                                          \
        x1[j] = KR_ROTL(x1[j], r);                                             \
        x1[j] = KR_XOR(x1[j], x0[j]);                                          \
    }
#define KR_INJECT(s)                                                           \
    for (int j = 0; j < ways; j++) {                                           \
        x0[j] = KR_ADD(x0[j], ks[j * kstride].inj[2 * (s)]);                   \
        x1[j] = KR_ADD(x1[j], ks[j * kstride].inj[2 * (s) + 1]);               \
    }
#define KR_GROUP_A KR_MIX(KR_ROT_A0) KR_MIX(KR_ROT_A1) KR_MIX(KR_ROT_A2) KR_MIX(KR_ROT_A3)
#define KR_GROUP_B KR_MIX(KR_ROT_B0) KR_MIX(KR_ROT_B1) KR_MIX(KR_ROT_B2) KR_MIX(KR_ROT_B3)

/* ks[j * kstride] is state j's schedule: kstride 0 shares one key. */
KR_ALWAYS_INLINE void KR_FN(kr_rounds)(int ways, KR_VEC *x0, KR_VEC *x1,
                                       const KR_FN(kr_sched) *ks, int kstride)
{
    KR_INJECT(0)
    KR_GROUP_A KR_INJECT(1)
    KR_GROUP_B KR_INJECT(2)
    KR_GROUP_A KR_INJECT(3)
    KR_GROUP_B KR_INJECT(4)
    KR_GROUP_A KR_INJECT(5)
}

KR_ALWAYS_INLINE void KR_FN(kr_emit)(int mode, KR_VEC y0, KR_VEC y1, size_t i,
                                     void *out0, void *out1)
{
    if (mode == KR_EMIT_PAIRS) {
        if (out0) KR_STOREU((uint32_t *)out0 + i, y0);
        if (out1) KR_STOREU((uint32_t *)out1 + i, y1);
    } else if (mode == KR_EMIT_XOR) {
        KR_STOREU((uint32_t *)out0 + i, KR_XOR(y0, y1));
    } else {
        KR_STORE_U64((uint64_t *)out0 + i, y0, y1);
    }
}

KR_ALWAYS_INLINE void KR_FN(kr_walk)(int mode, const uint32_t key[2], uint32_t c0,
                                     uint32_t step0, uint32_t c1, size_t n,
                                     void *out0, void *out1)
{
    uint32_t k[2];
    memcpy(k, key, sizeof k); /* keys may sit unaligned (unpickled or sliced arrays) */
    const uint32_t k2 = k[0] ^ k[1] ^ KR_THREEFRY_PARITY;
    const uint32_t inj[12] = {k[0], k[1], k[1], k2 + 1u, k2, k[0] + 2u,
                              k[0], k[1] + 3u, k[1], k2 + 4u, k2, k[0] + 5u};
    KR_FN(kr_sched) ks;
    for (int s = 0; s < 12; s++) ks.inj[s] = KR_SET1(inj[s]);

    uint32_t first0[KR_LANES], first1[KR_LANES];
    for (uint32_t l = 0; l < KR_LANES; l++) {
        first0[l] = c0 + l * step0;
        first1[l] = c1 + l;
    }
    KR_VEC ctr0 = KR_LOADU(first0), ctr1 = KR_LOADU(first1);
    const KR_VEC adv0 = KR_SET1(step0 * (uint32_t)KR_LANES);
    const KR_VEC adv1 = KR_SET1((uint32_t)KR_LANES);

    size_t i = 0;
    for (; i + (size_t)KR_WAYS * KR_LANES <= n; i += (size_t)KR_WAYS * KR_LANES) {
        KR_VEC x0[KR_WAYS], x1[KR_WAYS];
        for (int j = 0; j < KR_WAYS; j++) {
            x0[j] = ctr0;
            x1[j] = ctr1;
            ctr0 = KR_ADD(ctr0, adv0);
            ctr1 = KR_ADD(ctr1, adv1);
        }
        KR_FN(kr_rounds)(KR_WAYS, x0, x1, &ks, 0);
        for (int j = 0; j < KR_WAYS; j++)
            KR_FN(kr_emit)(mode, x0[j], x1[j], i + (size_t)j * KR_LANES, out0, out1);
    }
    for (; i < n; i += KR_LANES) {
        KR_VEC x0[1] = {ctr0}, x1[1] = {ctr1};
        ctr0 = KR_ADD(ctr0, adv0);
        ctr1 = KR_ADD(ctr1, adv1);
        KR_FN(kr_rounds)(1, x0, x1, &ks, 0);
        if (n - i >= KR_LANES) {
            KR_FN(kr_emit)(mode, x0[0], x1[0], i, out0, out1);
            continue;
        }
        /* Partial vector: emit into scratch, copy the valid elements. */
        uint64_t t0[KR_LANES], t1[KR_LANES];
        const size_t rest = n - i;
        const size_t width = mode == KR_EMIT_U64 ? 8 : 4;
        KR_FN(kr_emit)(mode, x0[0], x1[0], 0, t0, t1);
        if (out0) memcpy((char *)out0 + i * width, t0, rest * width);
        if (mode == KR_EMIT_PAIRS && out1) memcpy((char *)out1 + i * 4, t1, rest * 4);
    }
}

void KR_FN(kr_pairs)(const uint32_t key[2], uint32_t c0, uint32_t step0,
                     uint32_t c1, size_t n, void *out0, void *out1)
{
    KR_FN(kr_walk)(KR_EMIT_PAIRS, key, c0, step0, c1, n, out0, out1);
}

void KR_FN(kr_xor32)(const uint32_t key[2], uint32_t c0, uint32_t step0,
                     uint32_t c1, size_t n, void *out)
{
    KR_FN(kr_walk)(KR_EMIT_XOR, key, c0, step0, c1, n, out, NULL);
}

void KR_FN(kr_u64)(const uint32_t key[2], uint32_t c0, uint32_t step0,
                   uint32_t c1, size_t n, void *out)
{
    KR_FN(kr_walk)(KR_EMIT_U64, key, c0, step0, c1, n, out, NULL);
}

/* The schedule of KR_LANES keys, one per lane. */
KR_ALWAYS_INLINE void KR_FN(kr_sched_lanes)(KR_VEC k0, KR_VEC k1, KR_FN(kr_sched) *ks)
{
    const KR_VEC k2 = KR_XOR(KR_XOR(k0, k1), KR_SET1(KR_THREEFRY_PARITY));
    const KR_VEC parts[12] = {k0, k1, k1, k2, k2, k0, k0, k1, k1, k2, k2, k0};
    for (int s = 0; s < 12; s++)
        ks->inj[s] = s % 2 ? KR_ADD(parts[s], KR_SET1((uint32_t)(s - 1) / 2)) : parts[s];
}

void KR_FN(kr_keyed)(const uint32_t *k0, const uint32_t *k1, uint32_t c0, uint32_t c1,
                     size_t n, uint32_t *y0, uint32_t *y1)
{
    const KR_VEC ctr0 = KR_SET1(c0), ctr1 = KR_SET1(c1);
    size_t i = 0;
    for (; i + (size_t)KR_WAYS * KR_LANES <= n; i += (size_t)KR_WAYS * KR_LANES) {
        KR_FN(kr_sched) ks[KR_WAYS];
        KR_VEC x0[KR_WAYS], x1[KR_WAYS];
        for (int j = 0; j < KR_WAYS; j++) {
            const size_t at = i + (size_t)j * KR_LANES;
            KR_FN(kr_sched_lanes)(KR_LOADU(k0 + at), KR_LOADU(k1 + at), &ks[j]);
            x0[j] = ctr0;
            x1[j] = ctr1;
        }
        KR_FN(kr_rounds)(KR_WAYS, x0, x1, ks, 1);
        for (int j = 0; j < KR_WAYS; j++) {
            KR_STOREU(y0 + i + (size_t)j * KR_LANES, x0[j]);
            KR_STOREU(y1 + i + (size_t)j * KR_LANES, x1[j]);
        }
    }
    for (; i + KR_LANES <= n; i += KR_LANES) {
        KR_FN(kr_sched) ks;
        KR_FN(kr_sched_lanes)(KR_LOADU(k0 + i), KR_LOADU(k1 + i), &ks);
        KR_VEC x0[1] = {ctr0}, x1[1] = {ctr1};
        KR_FN(kr_rounds)(1, x0, x1, &ks, 0);
        KR_STOREU(y0 + i, x0[0]);
        KR_STOREU(y1 + i, x1[0]);
    }
    for (; i < n; i++) {
        const uint32_t key[2] = {k0[i], k1[i]};
        uint32_t y[2];
        kr_threefry2x32_20(key, c0, c1, y);
        y0[i] = y[0];
        y1[i] = y[1];
    }
}
