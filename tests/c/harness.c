/* C-level test harness for the keyrand core.
 *
 * 1. Replays the Random123 known-answer file through every kernel.
 * 2. Checks every kernel against the scalar one on all lengths 0..300 (and a
 *    large one), both counter walks, counters that wrap, with canaries after
 *    each output to catch tail overruns.
 * 3. Checks the stream layouts (sub-ranges included) against naive
 *    implementations written straight from the layout definitions.
 *
 * Built natively (kernels from dispatch.c), under sanitizers, against SIMDe
 * (-DKR_HARNESS_SIMDE: every kernel compiled for any host) and cross-compiled
 * for aarch64 under qemu.
 *
 * 4. Replays the samplers' known answers (samplers.c) under every kernel.
 * 5. Cuts boxes out of every stream layout and sampler family (box.h) and
 *    compares them with the same box of the whole stream, on 1 and 3 threads.
 * 6. Checks the core's fused multiply-adds (fma_check.c).
 *
 * It first reports what it runs on: the compiler, the pool's threads and the
 * kernels compiled in, runnable here, and chosen by the dispatcher on its own.
 *
 * Usage: harness [--small-boxes] [--foreign-libm] <kat-file> [<sampler-answers-file>]
 *        harness --dispatch    (the report only)
 * --foreign-libm: the C library's double log1p is not glibc's x86-64 FMA
 * variant (MLX's float64 laplace calls it, and so does keyrand's): those
 * sampler answers are skipped, and counted.
 * --small-boxes leaves out the largest box shape (for emulated CPUs, where
 * its float64 samplers take most of the time; test_pool covers the pool). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "box.h"
#include "dispatch.h"
#include "fused.h"
#include "kernels.h"
#include "keyrand.h"
#include "libm_exact.h"
#include "halfprec.h"
#include "pool.h"
#include "sample.h"
#include "sample_binomial.h"
#include "sample_choice.h"
#include "sample_multinomial.h"
#include "sample_gamma.h"
#include "sample_jax.h"
#include "sample_poisson.h"
#include "sort.h"
#include "threefry.h"

int failures = 0;
long checks = 0;

#define CANARY 0xA5u
#define MAXN 2048

/* ---- kernels under test ---------------------------------------------- */

static int collect_kernels(const kr_kernel_table **out)
{
    int count = 0;
#ifdef KR_HARNESS_SIMDE
    static const kr_kernel_table simde[] = {
        KR_KERNEL_TABLE("avx2 (simde)", KR_ISA_AVX2, avx2),
        KR_KERNEL_TABLE("avx512 (simde)", KR_ISA_AVX512, avx512),
        KR_KERNEL_TABLE("neon (simde)", KR_ISA_NEON, neon),
    };
    for (size_t i = 0; i < sizeof simde / sizeof simde[0]; i++) out[count++] = &simde[i];
#else
    for (int isa = 0; isa < KR_ISA_COUNT; isa++) {
        const kr_kernel_table *t = kr_kernel_table_for((kr_isa)isa);
        if (t) out[count++] = t;
        else if (kr_isa_compiled((kr_isa)isa))
            printf("note: %s is compiled in but this CPU cannot run it\n",
                   kr_isa_name((kr_isa)isa));
    }
#endif
    return count;
}

/* ---- 1. known answers ------------------------------------------------- */

static void test_kat(const char *path, const kr_kernel_table *const *tables, int ntables)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        CHECK(0, "cannot open KAT file %s", path);
        return;
    }
    char line[256];
    int vectors = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned v[6];
        if (line[0] == '#' || sscanf(line, "%x %x %x %x %x %x", &v[0], &v[1], &v[2],
                                     &v[3], &v[4], &v[5]) != 6)
            continue;
        const uint32_t ctr[2] = {v[0], v[1]}, key[2] = {v[2], v[3]};
        uint32_t out[2];
        kr_threefry2x32(key, ctr, out);
        CHECK(out[0] == v[4] && out[1] == v[5], "KAT %d reference", vectors);
        for (int t = 0; t < ntables; t++) {
            uint32_t y0 = 0, y1 = 0;
            uint64_t w = 0;
            tables[t]->pairs(key, ctr[0], 1, ctr[1], 1, &y0, &y1);
            CHECK(y0 == v[4] && y1 == v[5], "KAT %d %s pairs", vectors, tables[t]->name);
            tables[t]->u64(key, ctr[0], 0, ctr[1], 1, &w);
            CHECK(w == (((uint64_t)v[4] << 32) | v[5]), "KAT %d %s u64", vectors,
                  tables[t]->name);
        }
        vectors++;
    }
    fclose(f);
    CHECK(vectors >= 3, "expected at least 3 KAT vectors, read %d", vectors);
}

/* ---- 2. kernels against scalar ---------------------------------------- */

static unsigned char ref_a[MAXN * 8 + 64], ref_b[MAXN * 8 + 64];
static unsigned char got_a[MAXN * 8 + 64], got_b[MAXN * 8 + 64];

static int canary_intact(const unsigned char *buf, size_t from)
{
    for (size_t i = from; i < from + 64; i++)
        if (buf[i] != CANARY) return 0;
    return 1;
}

static void compare_once(const kr_kernel_table *t, const uint32_t key[2], uint32_t c0,
                         uint32_t step0, uint32_t c1, size_t n)
{
    const kr_kernel_table *s = kr_kernel_table_for(KR_ISA_SCALAR);
    /* pairs, with both and with each single output */
    for (int which = 0; which < 3; which++) {
        memset(ref_a, CANARY, sizeof ref_a); memset(ref_b, CANARY, sizeof ref_b);
        memset(got_a, CANARY, sizeof got_a); memset(got_b, CANARY, sizeof got_b);
        s->pairs(key, c0, step0, c1, n, which == 2 ? NULL : ref_a, which == 1 ? NULL : ref_b);
        t->pairs(key, c0, step0, c1, n, which == 2 ? NULL : got_a, which == 1 ? NULL : got_b);
        CHECK(memcmp(ref_a, got_a, n * 4) == 0 && memcmp(ref_b, got_b, n * 4) == 0,
              "%s pairs n=%zu step0=%u c=(%08x,%08x) which=%d", t->name, n, step0, c0, c1, which);
        CHECK(canary_intact(got_a, n * 4) && canary_intact(got_b, n * 4),
              "%s pairs wrote past n=%zu", t->name, n);
        CHECK(which != 2 || got_a[0] == CANARY, "%s pairs wrote a NULL output", t->name);
    }
    memset(ref_a, CANARY, sizeof ref_a); memset(got_a, CANARY, sizeof got_a);
    s->xor32(key, c0, step0, c1, n, ref_a);
    t->xor32(key, c0, step0, c1, n, got_a);
    CHECK(memcmp(ref_a, got_a, n * 4) == 0, "%s xor32 n=%zu step0=%u", t->name, n, step0);
    CHECK(canary_intact(got_a, n * 4), "%s xor32 wrote past n=%zu", t->name, n);

    memset(ref_a, CANARY, sizeof ref_a); memset(got_a, CANARY, sizeof got_a);
    s->u64(key, c0, step0, c1, n, ref_a);
    t->u64(key, c0, step0, c1, n, got_a);
    CHECK(memcmp(ref_a, got_a, n * 8) == 0, "%s u64 n=%zu step0=%u", t->name, n, step0);
    CHECK(canary_intact(got_a, n * 8), "%s u64 wrote past n=%zu", t->name, n);

    /* keyed: n different keys (derived from key and the lane) on one counter */
    static uint32_t k0[MAXN], k1[MAXN];
    for (size_t i = 0; i < n; i++) {
        k0[i] = key[0] ^ (uint32_t)(i * 0x9E3779B9u);
        k1[i] = key[1] + (uint32_t)(i * 0x85EBCA6Bu);
    }
    memset(ref_a, CANARY, sizeof ref_a); memset(ref_b, CANARY, sizeof ref_b);
    memset(got_a, CANARY, sizeof got_a); memset(got_b, CANARY, sizeof got_b);
    s->keyed(k0, k1, c0, c1, n, (uint32_t *)(void *)ref_a, (uint32_t *)(void *)ref_b);
    t->keyed(k0, k1, c0, c1, n, (uint32_t *)(void *)got_a, (uint32_t *)(void *)got_b);
    CHECK(memcmp(ref_a, got_a, n * 4) == 0 && memcmp(ref_b, got_b, n * 4) == 0,
          "%s keyed n=%zu c=(%08x,%08x)", t->name, n, c0, c1);
    CHECK(canary_intact(got_a, n * 4) && canary_intact(got_b, n * 4),
          "%s keyed wrote past n=%zu", t->name, n);
}

static void test_scalar_is_threefry(void)
{
    /* The scalar kernel's counter walk itself, against single evaluations. */
    const kr_kernel_table *s = kr_kernel_table_for(KR_ISA_SCALAR);
    const uint32_t key[2] = {0x01234567u, 0x89abcdefu};
    uint32_t a[37], b[37], x[37];
    uint64_t w[37];
    s->pairs(key, 0xFFFFFFF0u, 1, 0xFFFFFFFAu, 37, a, b);
    s->xor32(key, 5, 0, 0xFFFFFFF0u, 37, x);
    s->u64(key, 7, 1, 11, 37, w);
    for (uint32_t i = 0; i < 37; i++) {
        uint32_t y[2];
        kr_threefry2x32_20(key, 0xFFFFFFF0u + i, 0xFFFFFFFAu + i, y);
        CHECK(a[i] == y[0] && b[i] == y[1], "scalar pairs element %u", i);
        kr_threefry2x32_20(key, 5, 0xFFFFFFF0u + i, y);
        CHECK(x[i] == (y[0] ^ y[1]), "scalar xor32 element %u", i);
        kr_threefry2x32_20(key, 7 + i, 11 + i, y);
        CHECK(w[i] == (((uint64_t)y[0] << 32) | y[1]), "scalar u64 element %u", i);
    }
    uint32_t k0[37], k1[37];
    for (uint32_t i = 0; i < 37; i++) k0[i] = 0xFFFFFFFFu - 3 * i, k1[i] = i * i;
    s->keyed(k0, k1, 0xFFFFFFFEu, 9, 37, a, b);
    for (uint32_t i = 0; i < 37; i++) {
        const uint32_t ki[2] = {k0[i], k1[i]};
        uint32_t y[2];
        kr_threefry2x32_20(ki, 0xFFFFFFFEu, 9, y);
        CHECK(a[i] == y[0] && b[i] == y[1], "scalar keyed element %u", i);
    }
}

/* JAX's float32 samplers of sample_jax.h, in the order compare_transforms
 * runs them (kinds 15 on). */
static const kr_dist jax_dists[] = {KR_UNIFORM, KR_NORMAL, KR_EXPONENTIAL, KR_GUMBEL,
                                    KR_LAPLACE, KR_LOGISTIC, KR_LOGNORMAL, KR_PARETO,
                                    KR_RAYLEIGH, KR_TRUNCATED_NORMAL, KR_CAUCHY, KR_WEIBULL,
                                    KR_GEOMETRIC, KR_TRIANGULAR};
enum { JAX_KINDS = sizeof jax_dists / sizeof jax_dists[0] };
/* The float64 samplers of sample.h (kr_sampler_f64); UNIFORM first. */
static const kr_dist f64_dists[] = {KR_UNIFORM, KR_NORMAL, KR_LAPLACE, KR_GUMBEL,
                                    KR_TRUNCATED_NORMAL, KR_EXPONENTIAL, KR_LOGISTIC,
                                    KR_LOGNORMAL, KR_PARETO, KR_RAYLEIGH, KR_GEOMETRIC,
                                    KR_TRIANGULAR};
enum { F64_KINDS = sizeof f64_dists / sizeof f64_dists[0] };

/* wald's inputs from n words: v normal from the first half, z uniform (z = 0
 * included) from the second; n / 2 floats or n / 4 doubles of each. */
static float wald_v32[MAXN / 2], wald_z32[MAXN / 2];
static double wald_v64[MAXN / 4], wald_z64[MAXN / 4];
static void wald_inputs(const uint32_t *w, size_t n)
{
    const kr_kernel_table *ref = kr_kernel_table_for(KR_ISA_SCALAR);
    kr_jax_f32 normal, uniform;
    kr_jax_f32_init(&normal, KR_NORMAL, 0.0, 0.0);
    kr_jax_f32_init(&uniform, KR_UNIFORM, 0.0, 1.0);
    ref->jax_f32(&normal, w, n / 2, wald_v32);
    ref->jax_f32(&uniform, w + n / 2, n / 2, wald_z32);
    kr_sampler_f64 normal64, uniform64;
    kr_sampler_f64_init(&normal64, KR_NORMAL, 0.0, 1.0, 0);
    kr_sampler_f64_init(&uniform64, KR_UNIFORM, 0.0, 1.0, 0);
    uint64_t w64[MAXN / 2];
    memcpy(w64, w, n / 4 * 2 * 8);
    ref->jax_f64(&normal64, w64, n / 4, wald_v64);
    ref->jax_f64(&uniform64, w64 + n / 4, n / 4, wald_z64);
}

/* The float32 transforms on every length 0..300 (all tails) and on words that
 * reach the edges: 0 (gumbel's -inf, JAX's u = 0 and tiny floors), the top
 * (u clamped below 1), both erfinv branches. */
static void compare_transforms(const kr_kernel_table *t)
{
    static _Alignas(uint64_t) uint32_t w[MAXN];
    static float want[MAXN + 16], got[MAXN + 16];
    const kr_kernel_table *ref = kr_kernel_table_for(KR_ISA_SCALAR);
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < MAXN; i++) {
        x = x * 1664525u + 1013904223u;
        w[i] = i % 7 == 0 ? (uint32_t)(i * 0x01000193u) : x;
    }
    w[0] = 0, w[1] = 0xFFFFFFFFu, w[2] = 0xFFFFFF80u, w[3] = 0x80000000u, w[4] = 1;
    for (size_t n = 0; n <= 300; n++) {
        for (int kind = 0; kind <= 18 + JAX_KINDS; kind++) {
            memset(want, CANARY, sizeof want);
            memset(got, CANARY, sizeof got);
            if (kind == 18 + JAX_KINDS) { /* XLA's float32 math: every bit pattern, and */
                float *x = (float *)(void *)w;   /* the words scaled into (-1, 1) and (0, 60) */
                for (int fn = 0; fn < KR_XLA32_FN_COUNT; fn++) {
                    for (int scaled = 0; scaled < 3; scaled++) {
                        static float xs[MAXN];
                        for (size_t i = 0; i < n; i++)
                            xs[i] = scaled == 0 ? x[i]
                                    : scaled == 1 ? (float)w[i] * 0x1p-31f - 1.0f
                                                  : (float)w[i] * 0x1p-26f;
                        ref->xla_f32(fn, xs, n, want);
                        t->xla_f32(fn, xs, n, got);
                        size_t same = 0; /* bit for bit, but a NaN's sign and payload */
                        for (size_t i = 0; i < n; i++)
                            same += memcmp(&want[i], &got[i], 4) == 0 ||
                                    (want[i] != want[i] && got[i] != got[i]);
                        CHECK(same == n && memcmp(want + n, got + n, 16 * 4) == 0,
                              "%s XLA float32 fn %d (inputs %d), n = %zu", t->name, fn, scaled, n);
                    }
                }
                continue; /* checked above, NaN-blind */
            } else if (kind >= 15 && kind < 15 + JAX_KINDS) {
                kr_jax_f32 s;
                if (jax_dists[kind - 15] == KR_TRIANGULAR)
                    kr_jax_f32_triangular(&s, -2.5, 0.75, 3.0);
                else
                    kr_jax_f32_init(&s, jax_dists[kind - 15], -2.5, 0.75);
                ref->jax_f32(&s, w, n, want);
                t->jax_f32(&s, w, n, got);
            } else if (kind == 0) {
                ref->uniform_f32(w, n, -1.5f, 3.25f, want);
                t->uniform_f32(w, n, -1.5f, 3.25f, got);
            } else if (kind < 3) {
                ref->normal_f32(w, n, 1.4142135f, 0.5f, kind == 2, want);
                t->normal_f32(w, n, 1.4142135f, 0.5f, kind == 2, got);
            } else if (kind == 3) {
                ref->gumbel_f32(w, n, want);
                t->gumbel_f32(w, n, got);
            } else if (kind == 13 || kind == 14) { /* laplace, plain and scaled + shifted */
                for (int build = 0; build < 2; build++) { /* float64, both glibc builds */
                    double *dw = (double *)(void *)want, *dg = (double *)(void *)got;
                    ref->laplace_f64(w, n / 2, 2.0, -1.0, kind == 14, kind == 14, build, dw);
                    t->laplace_f64(w, n / 2, 2.0, -1.0, kind == 14, kind == 14, build, dg);
                    CHECK(memcmp(want, got, sizeof want) == 0, "%s laplace f64 build %d, n = %zu",
                          t->name, build, n / 2);
                }
                memset(want, CANARY, sizeof want);
                memset(got, CANARY, sizeof got);
                ref->laplace_f32(w, n, 2.0f, -1.0f, kind == 14, kind == 14, want);
                t->laplace_f32(w, n, 2.0f, -1.0f, kind == 14, kind == 14, got);
            } else if (kind == 15 + JAX_KINDS) { /* JAX's randint: two halves of the words */
                static const uint32_t spans[] = {0, 1, 2, 3, 10, 65536, 65537, 0x80000000u,
                                                 0x80000001u, 0xFFFFFFFFu};
                for (size_t j = 0; j < sizeof spans / sizeof spans[0]; j++) {
                    const uint32_t span = spans[j], m = span ? (65536u % span) : 0;
                    const uint32_t mult = span ? (uint32_t)(m * m) % span : 0;
                    ref->randint32_jax(w, w + MAXN / 2, n / 2, span, mult, 77u,
                                       (uint32_t *)(void *)want);
                    t->randint32_jax(w, w + MAXN / 2, n / 2, span, mult, 77u,
                                     (uint32_t *)(void *)got);
                    CHECK(memcmp(want, got, sizeof want) == 0, "%s randint span %u, n = %zu",
                          t->name, span, n / 2);
                }
            } else if (kind == 17 + JAX_KINDS) { /* JAX's wald, float32 then float64 */
                wald_inputs(w, n);
                ref->wald_jax(KR_F32, wald_v32, wald_z32, n / 2, 1e4, want);
                t->wald_jax(KR_F32, wald_v32, wald_z32, n / 2, 1e4, got);
                CHECK(memcmp(want, got, sizeof want) == 0, "%s wald f32, n = %zu", t->name, n / 2);
                ref->wald_jax(KR_F64, wald_v64, wald_z64, n / 4, 0.75, want);
                t->wald_jax(KR_F64, wald_v64, wald_z64, n / 4, 0.75, got);
            } else if (kind == 16 + JAX_KINDS) { /* MLX's truncated normal: inner, +-1 edges */
                ref->truncated_f32(w, n / 2, -0.6826895f, 1.6372086f, -1.0f, 2.0f, want);
                t->truncated_f32(w, n / 2, -0.6826895f, 1.6372086f, -1.0f, 2.0f, got);
                ref->truncated_f32(w, n - n / 2, -1.0f, 2.0f, -5.0f, 7.0f, want + n / 2);
                t->truncated_f32(w, n - n / 2, -1.0f, 2.0f, -5.0f, 7.0f, got + n / 2);
            } else if (kind == 12) { /* the float64 samplers, words as 64-bit pairs */
                for (int d = 0; d < F64_KINDS; d++) {
                    kr_sampler_f64 s;
                    if (f64_dists[d] == KR_TRIANGULAR)
                        kr_sampler_f64_triangular(&s, -1.25, 0.75, 2.0);
                    else
                        kr_sampler_f64_init(&s, f64_dists[d], -1.25, d == 0 ? 10.5 : 0.75,
                                            KR_HAS_P | KR_HAS_Q);
                    ref->jax_f64(&s, (const uint64_t *)(const void *)w, n / 2,
                                 (double *)(void *)want);
                    t->jax_f64(&s, (const uint64_t *)(const void *)w, n / 2,
                               (double *)(void *)got);
                    CHECK(memcmp(want, got, sizeof want) == 0, "%s float64 sampler %d, n = %zu",
                          t->name, (int)f64_dists[d], n / 2);
                }
            } else if (kind >= 6) { /* half types: uniform / normal, float16 / bfloat16 */
                const int bf16 = kind & 1;
                uint16_t *hw = (uint16_t *)(void *)want, *hg = (uint16_t *)(void *)got;
                if (kind < 8) {
                    ref->uniform_half(w, n, bf16, -1.5f, 3.25f, hw);
                    t->uniform_half(w, n, bf16, -1.5f, 3.25f, hg);
                } else {
                    ref->normal_half(w, n, bf16, 1.4140625f, 0.5f, kind >= 10, hw);
                    t->normal_half(w, n, bf16, 1.4140625f, 0.5f, kind >= 10, hg);
                }
            } else {
                const int32_t lo = kind == 4 ? -7 : INT32_MIN + 5, top = kind == 4 ? 99 : INT32_MAX;
                const float a = (float)lo, b = (float)top + 1.0f - a;
                ref->randint_i32(w, n, a, b, lo, top, (int32_t *)(void *)want);
                t->randint_i32(w, n, a, b, lo, top, (int32_t *)(void *)got);
            }
            CHECK(memcmp(want, got, sizeof want) == 0, "%s transform %d, n = %zu", t->name,
                  kind, n);
        }
    }
}

/* The scalar transforms against the element-wise definitions (sample.h's
 * erfinv and libm_exact's full logf, special cases included). */
static void test_transform_definitions(void)
{
    const kr_kernel_table *ref = kr_kernel_table_for(KR_ISA_SCALAR);
    _Alignas(uint64_t) uint32_t w[1024];
    float got[1024];
    uint32_t x = 99;
    for (size_t i = 0; i < 1024; i++) w[i] = x = x * 1664525u + 1013904223u;
    w[0] = 0, w[1] = 0xFFFFFFFFu, w[2] = 1, w[3] = 0x80000000u;
    for (int kind = 0; kind < 6; kind++) {
        /* truncated normal (4, 5): u reaching -1 (word 0) in 5, clipped both ways */
        const float ta = kind == 4 ? -0.6826895f : -1.0f, tr = kind == 4 ? 1.6372086f : 2.0f;
        const float tlo = kind == 4 ? -1.0f : -1.5f, thi = kind == 4 ? 2.0f : 1.25f;
        if (kind >= 4) ref->truncated_f32(w, 1024, ta, tr, tlo, thi, got);
        if (kind == 0) ref->uniform_f32(w, 1024, 0.25f, 2.0f, got);
        if (kind == 1) ref->normal_f32(w, 1024, 1.4142135f, 0.0f, 0, got);
        if (kind == 2) ref->gumbel_f32(w, 1024, got);
        if (kind == 3) ref->laplace_f32(w, 1024, 2.0f, -1.0f, 1, 1, got);
        for (size_t i = 0; i < 1024; i++) {
            float u = (float)w[i] * 0x1p-32f;
            u = u < 0x1.fffffep-1f ? u : 0x1.fffffep-1f;
            float want;
            if (kind == 0) want = 2.0f * u + 0.25f;
            else if (kind == 1) want = 1.4142135f * kr_erfinv_f32(2.0f * u + -0x1.fffffep-1f);
            else if (kind == 2) want = -kr_logf(-kr_logf(u));
            else if (kind >= 4) {
                const float v = 1.41421354f * kr_erfinv_f32(tr * u + ta);
                const float down = v <= thi ? v : thi;
                want = down >= tlo ? down : tlo;
            } else {
                const float sy = 2.0f * u + -0x1.fffffep-1f, mag = kr_log1pf(-fabsf(sy));
                want = -1.0f + 2.0f * (sy > 0.0f ? mag : (sy < 0.0f ? -mag : 0.0f * mag));
            }
            CHECK(memcmp(&want, &got[i], 4) == 0, "transform %d of word %08x", kind, w[i]);
        }
    }
    /* Half types against halfprec.h's independent conversions. */
    uint16_t halves[1024];
    for (int bf16 = 0; bf16 < 2; bf16++) {
        const float below = bf16 ? 0.99609375f : 0.99951171875f;
        for (int kind = 0; kind < 2; kind++) {
            if (kind == 0) ref->uniform_half(w, 1024, bf16, -1.5f, 3.25f, halves);
            else ref->normal_half(w, 1024, bf16, 1.4140625f, 0.5f, 1, halves);
            for (size_t i = 0; i < 1024; i++) {
                float u = (float)w[i] * 0x1p-32f, v;
                u = u < below ? u : below;
#define R(x) (bf16 ? kr_bf16_to_f32(kr_f32_to_bf16(x)) : kr_f16_to_f32(kr_f32_to_f16(x)))
                if (kind == 0) {
                    v = R(R(3.25f * R(u)) + -1.5f);
                } else {
                    float u32 = (float)w[i] * 0x1p-32f;
                    u32 = u32 < 0x1.fffffep-1f ? u32 : 0x1.fffffep-1f;
                    v = R(1.4140625f * R(kr_erfinv_f32(2.0f * u32 + -0x1.fffffep-1f)));
                    v = R(0.5f + v);
                }
#undef R
                const uint16_t want = bf16 ? kr_f32_to_bf16(v) : kr_f32_to_f16(v);
                CHECK(halves[i] == want, "half transform %d/%d of word %08x", bf16, kind, w[i]);
            }
        }
    }
    /* float64 uniform, including infinite bounds (NaN results) and flushes. */
    const double ranges[3][2] = {{-3.25, 10.5}, {-INFINITY, INFINITY}, {-0x1p-1000, 0x1p-1020}};
    double d[512];
    for (int r = 0; r < 3; r++) {
        kr_sampler_f64 s;
        kr_sampler_f64_init(&s, KR_UNIFORM, 0.0, 1.0, 0);
        s.low = ranges[r][0], s.range = ranges[r][1];
        ref->jax_f64(&s, (const uint64_t *)(const void *)w, 512, d);
        for (size_t i = 0; i < 512; i++) {
            uint64_t word;
            memcpy(&word, (const char *)w + 8 * i, 8);
            const uint64_t bits = (word >> 12) | 0x3FF0000000000000ull;
            double f, want;
            memcpy(&f, &bits, 8);
            want = kr_fma(f - 1.0, ranges[r][1], ranges[r][0]);
            if (fabs(want) < 0x1p-1022) want = copysign(0.0, want);
            if (ranges[r][0] > want) want = ranges[r][0];
            CHECK(memcmp(&want, &d[i], 8) == 0 || (want != want && d[i] != d[i]),
                  "uniform f64 %d of word %016llx", r, (unsigned long long)word);
        }
    }
    /* JAX's randint against the remainders it is defined by */
    uint32_t r32[512];
    static const uint32_t rspans[] = {2, 3, 7, 1000, 65535, 65537, 0x7FFFFFFFu, 0x80000000u,
                                      0x80000001u, 0xFFFFFFFEu, 0xFFFFFFFFu};
    for (size_t j = 0; j < sizeof rspans / sizeof rspans[0]; j++) {
        const uint32_t span = rspans[j], m = 65536u % span, mult = (uint32_t)(m * m) % span;
        ref->randint32_jax(w, w + 512, 512, span, mult, 5u, r32);
        for (size_t i = 0; i < 512; i++) {
            const uint32_t want = 5u + ((w[i] % span) * mult + w[512 + i] % span) % span;
            CHECK(r32[i] == want, "randint span %u of words %08x %08x", span, w[i], w[512 + i]);
        }
    }
    int32_t ints[1024];
    for (int edge = 0; edge < 2; edge++) {
        const int64_t lo = edge ? INT32_MIN : -3, hi = edge ? (int64_t)INT32_MAX + 1 : 1000;
        const float a = (float)lo, b = (float)hi - (float)lo;
        ref->randint_i32(w, 1024, a, b, (int32_t)lo, (int32_t)(hi - 1), ints);
        for (size_t i = 0; i < 1024; i++) {
            float u = (float)w[i] * 0x1p-32f;
            u = u < 0x1.fffffep-1f ? u : 0x1.fffffep-1f;
            int64_t v = (int64_t)floorf(b * u + a);
            v = v < hi - 1 ? v : hi - 1;
            v = v > lo ? v : lo;
            CHECK(ints[i] == (int32_t)v, "randint of word %08x: %d, want %lld", w[i], ints[i],
                  (long long)v);
        }
    }
    /* MLX's float64 laplace against glibc's log1p of the C library, when it
     * is one of the two builds kr_log1p_neg reproduces */
    const int build = kr_log1p_build();
    printf("transforms: the C library's log1p is %s\n",
           build < 0 ? "not glibc's (called directly)" : build ? "glibc's FMA build" : "glibc's plain build");
    if (build >= 0) {
        double lap[1024];
        ref->laplace_f64(w, 1024, 1.0, 0.0, 0, 0, build, lap);
        for (size_t i = 0; i < 1024; i++) {
            float u = (float)w[i] * 0x1p-32f;
            u = u < 0x1.fffffep-1f ? u : 0x1.fffffep-1f;
            const float sym = 2.0f * u + -0x1.fffffep-1f;
            const double mag = log1p(-(double)fabsf(sym));
            const double want = sym > 0.0f ? mag : (sym < 0.0f ? -mag : 0.0 * mag);
            CHECK(memcmp(&want, &lap[i], 8) == 0, "laplace f64 of word %08x", w[i]);
        }
    }
    /* JAX's wald against its definition (jax.random._wald as XLA contracts it) */
    wald_inputs(w, 1024);
    const double means[] = {1.0, 1e-3, 1e4, 0.5};
    for (size_t j = 0; j < sizeof means / sizeof means[0]; j++) {
        float w32[512];
        double w64[256];
        ref->wald_jax(KR_F32, wald_v32, wald_z32, 512, means[j], w32);
        ref->wald_jax(KR_F64, wald_v64, wald_z64, 256, means[j], w64);
        const float m = (float)means[j];
        for (size_t i = 0; i < 512; i++) {
            const float y = wald_v32[i] * wald_v32[i], y_sq = y * y, m_sq = m * m;
            const float root = sqrtf(kr_fmaf(4.0f * m, y, m_sq * y_sq));
            const float x = kr_fmaf(-(m / 2.0f), root, m + m_sq * y / 2.0f);
            const float want = wald_z32[i] <= m / (m + x) ? x : m_sq / x;
            CHECK(memcmp(&want, &w32[i], 4) == 0, "wald f32 mean %g element %zu", means[j], i);
        }
        const double md = means[j];
        for (size_t i = 0; i < 256; i++) {
            const double y = wald_v64[i] * wald_v64[i], y_sq = y * y, m_sq = md * md;
            const double root = sqrt(kr_fma(4.0 * md, y, m_sq * y_sq));
            const double x = kr_fma(-(md / 2.0), root, md + m_sq * y / 2.0);
            const double want = wald_z64[i] <= md / (md + x) ? x : m_sq / x;
            CHECK(memcmp(&want, &w64[i], 8) == 0, "wald f64 mean %g element %zu", md, i);
        }
    }
    /* Combinations without a sampler are refused, not computed as something else. */
    kr_sampler bad;
    kr_sampler_f64 bad64;
    CHECK(kr_sampler_init(&bad, KR_TRUNCATED_NORMAL, KR_F16, 0, 1, 0, 0, 0) == KR_ERR_ARG, "tn");
    CHECK(kr_sampler_init(&bad, KR_EXPONENTIAL, KR_F32, 0, 1, 0, 0, 0) == KR_ERR_ARG, "exp");
    CHECK(kr_sampler_init(&bad, KR_UNIFORM, KR_F64, 0, 1, 0, 0, 0) == KR_ERR_ARG, "f64");
    CHECK(kr_sampler_init(&bad, KR_BERNOULLI, KR_F32, 0.5, 0, 0, 0, 0) == KR_ERR_ARG, "bern");
    CHECK(kr_sampler_init(&bad, KR_RANDINT, KR_F16, 0, 0, 0, 0, 9) == KR_ERR_ARG, "randint");
    CHECK(kr_sampler_f64_init(&bad64, KR_RANDINT, 0, 1, 0) == KR_ERR_ARG, "f64 randint");
    printf("transforms: scalar kernel matches the definitions\n");
}

static void test_kernels(const kr_kernel_table *const *tables, int ntables)
{
    const uint32_t keys[3][2] = {{0, 0}, {0xDEADBEEFu, 42}, {0xFFFFFFFFu, 0xFFFFFFFFu}};
    const uint32_t starts[3][2] = {{0, 0}, {123456789u, 987654321u}, {0xFFFFFF80u, 0xFFFFFFC0u}};
    for (int t = 0; t < ntables; t++) {
        if (tables[t]->isa == KR_ISA_SCALAR) continue;
        for (int k = 0; k < 3; k++)
            for (int c = 0; c < 3; c++)
                for (uint32_t step0 = 0; step0 < 2; step0++)
                    for (size_t n = 0; n <= 300; n++)
                        compare_once(tables[t], keys[k], starts[c][0], step0, starts[c][1], n);
        compare_once(tables[t], keys[1], 17, 1, 99, MAXN);
        compare_once(tables[t], keys[1], 17, 0, 99, MAXN - 3);
        compare_transforms(tables[t]);
        printf("kernel %s: identical to scalar\n", tables[t]->name);
    }
}

/* The rejection samplers (sample_gamma.h, sample_poisson.h) under every
 * selectable ISA against the scalar one: their per-ISA blocks (keyed Threefry
 * chains, normals, XLA math) on block tails, both JAX modes, both types. */
#define REJ_N 700
#define REJ_KEYS 2
#define REJ_CASES 80
static unsigned char rej_ref[REJ_CASES][REJ_KEYS * REJ_N * 8], rej_got[REJ_KEYS * REJ_N * 8 + 1];

static int rejection_case(int c, void *out, size_t *bytes)
{
    static const uint32_t keys[REJ_KEYS][2] = {{0, 7}, {0x9E3779B9u, 0xFFFFFFFFu}};
    static const size_t sizes[8] = {1, 7, 40, 255, 256, 257, 511, REJ_N};
    const float alpha32[5] = {0.05f, 0.3f, 1.0f, 2.5f, 30.0f};
    const double alpha64[5] = {0.05, 0.3, 1.0, 2.5, 30.0};
    const float lam[7] = {0.0f, 3.0f, 9.99f, 10.0f, 50.0f, NAN, -1.0f};
    const size_t n = sizes[c % 8];
    const int part = (c / 8) % 2, variant = c / 16; /* 5 variants */
    if (variant < 2) { /* gamma: float32 (log space for variant 1), float64 */
        const int f64 = c % 3 == 0, log_space = variant == 1;
        const size_t nalpha = n % 5 == 0 ? 5 : 1;
        const kr_layout layout = f64 ? (part ? KR_PART_U64 : KR_HALVES_U64)
                                     : (part ? KR_PART_U32 : KR_HALVES_WORDS);
        *bytes = REJ_KEYS * n * (f64 ? 8 : 4);
        return kr_jax_gamma_batch(f64 ? KR_F64 : KR_F32, layout, keys[0], REJ_KEYS, n,
                                  f64 ? (const void *)(alpha64 + (nalpha == 1) * (c % 5))
                                      : (const void *)(alpha32 + (nalpha == 1) * (c % 5)),
                                  nalpha, log_space, 0, out);
    }
    if (variant == 4) { /* binomial: inversion, BTRS, or a mixed row with odd counts */
        const float count[7] = {0.0f, 20.0f, 300.0f, INFINITY, -2.0f, NAN, 1e6f};
        const float prob[7] = {0.3f, 0.7f, 0.05f, 0.3f, 0.5f, 0.3f, 0.999f};
        const size_t mixed = n % 7 == 0 ? 7 : 1;
        *bytes = REJ_KEYS * n * 4;
        return kr_jax_binomial_batch(part ? KR_PART_U32 : KR_HALVES_WORDS, keys[0], REJ_KEYS, n,
                                     count + (mixed == 1) * (1 + c % 2), mixed,
                                     prob + (mixed == 1) * (1 + c % 2), mixed, out);
    }
    /* poisson: one lam (Knuth or PTRS) or the mixed row, int8 or int32 */
    const unsigned width = variant == 2 ? 1 : 4;
    const size_t nlam = n % 7 == 0 ? 7 : 1;
    *bytes = REJ_KEYS * n * width;
    return kr_jax_poisson_batch(part ? KR_PART_U32 : KR_HALVES_WORDS, keys[0], REJ_KEYS, n,
                                lam + (nlam == 1) * (1 + c % 4), nlam, width, 1, out);
}

static void test_rejection(void)
{
    size_t bytes;
    CHECK(kr_select_isa(KR_ISA_SCALAR) == 0, "select scalar");
    for (int c = 0; c < REJ_CASES; c++)
        CHECK(rejection_case(c, rej_ref[c], &bytes) == KR_OK, "rejection case %d", c);
    for (int isa = 1; isa < KR_ISA_COUNT; isa++) {
        if (kr_select_isa((kr_isa)isa) != 0) continue;
        for (int c = 0; c < REJ_CASES; c++) {
            memset(rej_got, CANARY, sizeof rej_got);
            CHECK(rejection_case(c, rej_got, &bytes) == KR_OK, "rejection case %d", c);
            CHECK(memcmp(rej_ref[c], rej_got, bytes) == 0, "%s rejection case %d differs",
                  kr_isa_name((kr_isa)isa), c);
            CHECK(rej_got[bytes] == CANARY, "%s rejection case %d wrote past its end",
                  kr_isa_name((kr_isa)isa), c);
        }
        printf("rejection samplers under %s: identical to scalar\n", kr_isa_name((kr_isa)isa));
    }
    (void)kr_select_isa(kr_best_isa());
}

/* ---- 3. stream layouts against naive definitions ---------------------- */

static void naive_words(const uint32_t key[2], uint32_t total, uint32_t *out)
{
    const uint32_t h = (total + 1) / 2;
    uint32_t *ctr = calloc(2 * (size_t)h + 1, 4), *ab = malloc(8 * (size_t)h + 8);
    for (uint32_t i = 0; i < total; i++) ctr[i] = i;
    for (uint32_t i = 0; i < h; i++) {
        uint32_t y[2];
        kr_threefry2x32_20(key, ctr[i], ctr[h + i], y);
        ab[i] = y[0];
        ab[h + i] = y[1];
    }
    memcpy(out, ab, 4 * (size_t)total);
    free(ctr);
    free(ab);
}

static void naive_part(const uint32_t key[2], uint64_t i, uint32_t y[2])
{
    kr_threefry2x32_20(key, (uint32_t)(i >> 32), (uint32_t)i, y);
}

static void test_halves(const char *kname)
{
    const uint32_t key[2] = {0x9E3779B9u, 0x7F4A7C15u};
    static uint32_t ref[1200], got[1200 + 16];
    static unsigned char refb[4 * 1200], gotb[4 * 1200 + 16];
    for (uint32_t total = 0; total <= 1101; total += total < 70 ? 1 : 97) {
        naive_words(key, total, ref);
        const uint32_t maxsub = total <= 40 ? total : 7;
        for (uint32_t start = 0; start <= total; start++) {
            for (uint32_t n = 0; start + n <= total; n++) {
                if (total > 40 && n > maxsub && start + n != total && start != 0) break;
                memset(got, CANARY, sizeof got);
                CHECK(kr_halves_words(key, total, start, n, got) == KR_OK, "halves rc");
                CHECK(memcmp(got, ref + start, 4 * (size_t)n) == 0 &&
                          ((unsigned char *)got)[4 * n] == CANARY,
                      "[%s] halves_words total=%u start=%u n=%u", kname, total, start, n);
            }
        }
        /* bytes: every total_bytes that maps onto `total` words */
        memcpy(refb, ref, 4 * (size_t)total);
        for (uint32_t tb = total ? 4 * total - 3 : 0; tb <= 4 * total; tb++) {
            for (uint32_t start = 0; start <= tb; start += tb > 64 ? 13 : 1) {
                const uint32_t n = tb - start;
                memset(gotb, CANARY, sizeof gotb);
                CHECK(kr_halves_bytes(key, tb, start, n, gotb) == KR_OK, "bytes rc");
                CHECK(memcmp(gotb, refb + start, n) == 0 && gotb[n] == CANARY,
                      "[%s] halves_bytes total=%u start=%u", kname, tb, start);
                if (n >= 3) {
                    memset(gotb, CANARY, sizeof gotb);
                    kr_halves_bytes(key, tb, start + 1, n - 2, gotb);
                    CHECK(memcmp(gotb, refb + start + 1, n - 2) == 0 && gotb[n - 2] == CANARY,
                          "[%s] halves_bytes inner total=%u start=%u", kname, tb, start + 1);
                }
            }
        }
        /* JAX legacy 64-bit: element i = w[i] << 32 | w[N + i] of words(2N) */
        if (total % 2 == 0) {
            const uint32_t N = total / 2;
            uint64_t g64[700];
            for (uint32_t start = 0; start <= N; start += 1 + N / 5) {
                memset(g64, CANARY, sizeof g64);
                kr_halves_u64(key, N, start, N - start, g64);
                int ok = 1;
                for (uint32_t i = start; i < N; i++)
                    ok &= g64[i - start] == (((uint64_t)ref[i] << 32) | ref[N + i]);
                CHECK(ok, "[%s] halves_u64 N=%u start=%u", kname, N, start);
            }
        }
    }
    uint32_t dummy[4];
    CHECK(kr_halves_words(key, 10, 8, 3, dummy) == KR_ERR_RANGE, "range error expected");
    CHECK(kr_halves_words(key, 0xFFFFFFFFull, 0, 1, dummy) == KR_ERR_TOO_LARGE,
          "too-large error expected");
    CHECK(kr_halves_bytes(key, 5, 6, 0, dummy) == KR_ERR_RANGE, "bytes range error expected");
}

static void test_partitionable(const char *kname)
{
    const uint32_t key[2] = {0x243F6A88u, 0x85A308D3u};
    const uint64_t starts[] = {0, 1, 0xFFFFFFFFull - 40, 0x100000000ull - 3,
                               0x123456789ull, UINT64_MAX - 299};
    static uint32_t g32[301], gk[602];
    static uint16_t g16[301];
    static uint8_t g8[301];
    static uint64_t g64[301];
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        for (size_t n = 0; n <= 300; n += n < 40 ? 1 : 26) { /* reaches index 2^64 - 1 */
            const uint64_t st = starts[s];
            CHECK(kr_part_u32(key, st, n, g32) == KR_OK, "part rc");
            kr_part_u16(key, st, n, g16);
            kr_part_u8(key, st, n, g8);
            kr_part_u64(key, st, n, g64);
            kr_part_keys(key, st, n, gk);
            int ok = 1;
            for (size_t i = 0; i < n; i++) {
                uint32_t y[2];
                naive_part(key, st + i, y);
                ok &= g32[i] == (y[0] ^ y[1]);
                ok &= g16[i] == (uint16_t)(y[0] ^ y[1]);
                ok &= g8[i] == (uint8_t)(y[0] ^ y[1]);
                ok &= g64[i] == (((uint64_t)y[0] << 32) | y[1]);
                ok &= gk[2 * i] == y[0] && gk[2 * i + 1] == y[1];
            }
            CHECK(ok, "[%s] partitionable start=%llu n=%zu", kname, (unsigned long long)st, n);
        }
    }
    CHECK(kr_part_u32(key, UINT64_MAX - 2, 5, g32) == KR_ERR_RANGE, "index overflow");
    uint32_t folded[2], y[2];
    kr_fold_in(key, 12345, folded);
    kr_threefry2x32_20(key, 0, 12345, y);
    CHECK(folded[0] == y[0] && folded[1] == y[1], "fold_in");
}

/* Many keys through the pool: any thread count gives the single-thread bytes. */
static void test_pool(void)
{
    enum { KEYS = 3 };
    static const uint64_t sizes[] = {1, 4097, (1u << 17) - 1, (1u << 17) + 3, 300001};
    const uint32_t keys[2 * KEYS] = {0, 0, 1, 5, 0x9E3779B9u, 0x7F4A7C15u};
    for (int layout = 0; layout < KR_LAYOUT_COUNT; layout++) {
        const size_t width = kr_layout_width((kr_layout)layout);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            const uint64_t n = sizes[s];
            const size_t bytes = KEYS * n * width;
            unsigned char *want = malloc(bytes), *got = malloc(bytes);
            if (!want || !got) abort();
            kr_pool_set_threads(1);
            CHECK(kr_stream((kr_layout)layout, keys, KEYS, n, 0, n, want) == KR_OK, "stream");
            for (int threads = 2; threads <= 4; threads++) {
                kr_pool_set_threads(threads);
                memset(got, 0, bytes);
                kr_stream((kr_layout)layout, keys, KEYS, n, 0, n, got);
                CHECK(memcmp(got, want, bytes) == 0, "layout %d, n %llu, %d threads", layout,
                      (unsigned long long)n, threads);
            }
            /* The same as one key at a time. */
            for (int k = 0; k < KEYS; k++) {
                kr_stream((kr_layout)layout, keys + 2 * k, 1, n, 0, n, got);
                CHECK(memcmp(got, want + k * n * width, n * width) == 0, "layout %d key %d",
                      layout, k);
            }
            free(want);
            free(got);
        }
    }
    kr_pool_set_threads(0);
    printf("pool: every layout identical on 1 to 4 threads\n");
}

/* The box of a whole C-ordered array (nkeys arrays of b->shape, `width`
 * bytes per element), copied element by element: the definition of a box. */
static void box_of_whole(const kr_box *b, size_t nkeys, size_t width, const unsigned char *whole,
                         unsigned char *out)
{
    uint64_t total = 1, size = 1, idx[KR_BOX_MAX_DIMS] = {0};
    for (int d = 0; d < b->ndim; d++) {
        total *= b->shape[d];
        size *= b->count[d];
    }
    for (size_t k = 0; k < nkeys; k++)
        for (uint64_t e = 0; e < size; e++) {
            uint64_t rest = e, at = 0;
            for (int d = b->ndim - 1; d >= 0; d--) {
                idx[d] = b->start[d] + rest % b->count[d];
                rest /= b->count[d];
            }
            for (int d = 0; d < b->ndim; d++) at = at * b->shape[d] + idx[d];
            memcpy(out + (k * size + e) * width, whole + (k * total + at) * width, width);
        }
}

static int small_boxes = 0; /* --small-boxes */

typedef int (*box_fill_fn)(const uint32_t *keys, size_t nkeys, const kr_box *b, int whole,
                           void *out);

static kr_layout box_layout;
static unsigned box_per;
static kr_sampler box_sampler;
static kr_sampler_f64 box_sampler_f64;
static kr_jax_f32 box_sampler_jax;

static int box_stream(const uint32_t *keys, size_t nkeys, const kr_box *b, int whole, void *out)
{
    uint64_t total = 1;
    for (int d = 0; d < b->ndim; d++) total *= b->shape[d];
    return whole ? kr_stream(box_layout, keys, nkeys, total * box_per, 0,
                             (size_t)(total * box_per), out)
                 : kr_stream_box(box_layout, keys, nkeys, b, box_per, out);
}

static int box_mlx(const uint32_t *keys, size_t nkeys, const kr_box *b, int whole, void *out)
{
    uint64_t total = 1;
    for (int d = 0; d < b->ndim; d++) total *= b->shape[d];
    return whole ? kr_halves_sample_batch(keys, nkeys, total, &box_sampler, out)
                 : kr_halves_sample_box(keys, nkeys, b, &box_sampler, out);
}

static int box_f64(const uint32_t *keys, size_t nkeys, const kr_box *b, int whole, void *out)
{
    uint64_t total = 1;
    for (int d = 0; d < b->ndim; d++) total *= b->shape[d];
    return whole ? kr_part_sample_f64_batch(keys, nkeys, total, &box_sampler_f64, out)
                 : kr_part_sample_f64_box(keys, nkeys, b, &box_sampler_f64, out);
}

static int box_jax(const uint32_t *keys, size_t nkeys, const kr_box *b, int whole, void *out)
{
    uint64_t total = 1;
    for (int d = 0; d < b->ndim; d++) total *= b->shape[d];
    return whole ? kr_jax_f32_batch(box_layout, keys, nkeys, total, &box_sampler_jax, out)
                 : kr_jax_f32_box(box_layout, keys, nkeys, b, &box_sampler_jax, out);
}

/* Every box of a few shapes (odd sizes, whole and partial dimensions, one
 * large enough for the pool) against the box of the whole stream. */
static void check_boxes(const char *what, box_fill_fn fill, size_t width)
{
    enum { KEYS = 2 };
    static const uint64_t shapes[][3] = {{7, 5, 3}, {1, 13, 1}, {3, 300, 301}}; /* largest last */
    static const uint64_t boxes[][6] = {
        /* start[3], count[3] as fractions of the shape: 0 = 0, 1 = 1/3, 2 = all */
        {0, 0, 0, 2, 2, 2}, {1, 0, 0, 1, 2, 2}, {0, 1, 0, 2, 1, 2}, {1, 1, 1, 1, 1, 1},
        {0, 0, 1, 2, 2, 1}, {1, 1, 0, 0, 2, 2}, {0, 0, 0, 1, 1, 1}};
    const uint32_t keys[2 * KEYS] = {7, 11, 0x9E3779B9u, 3};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0] - (small_boxes ? 1 : 0); s++) {
        kr_box b = {3, {shapes[s][0], shapes[s][1], shapes[s][2]}, {0}, {0}};
        const uint64_t total = b.shape[0] * b.shape[1] * b.shape[2];
        unsigned char *whole = malloc(KEYS * total * width + 1);
        unsigned char *want = malloc(KEYS * total * width + 1);
        unsigned char *got = malloc(KEYS * total * width + 1);
        if (!whole || !want || !got) abort();
        CHECK(fill(keys, KEYS, &b, 1, whole) == KR_OK, "%s: whole stream", what);
        for (size_t x = 0; x < sizeof boxes / sizeof boxes[0]; x++) {
            for (int d = 0; d < 3; d++) {
                const uint64_t n = b.shape[d], third = n / 3;
                b.start[d] = boxes[x][d] == 1 ? third : 0;
                b.count[d] = boxes[x][3 + d] == 2 ? n - b.start[d] : boxes[x][3 + d] == 1
                                                                         ? (third ? third : 1)
                                                                         : 0;
                if (b.start[d] + b.count[d] > n) b.count[d] = n - b.start[d];
            }
            const uint64_t size = b.count[0] * b.count[1] * b.count[2];
            box_of_whole(&b, KEYS, width, whole, want);
            for (int threads = 1; threads <= 3; threads += 2) {
                kr_pool_set_threads(threads);
                memset(got, CANARY, KEYS * size * width + 1);
                CHECK(fill(keys, KEYS, &b, 0, got) == KR_OK, "%s: box", what);
                CHECK(memcmp(got, want, KEYS * size * width) == 0 &&
                          got[KEYS * size * width] == CANARY,
                      "%s: shape %llu box %zu, %d threads", what, (unsigned long long)s, x,
                      threads);
            }
        }
        b.start[2] = 1;
        b.count[2] = b.shape[2];
        CHECK(fill(keys, KEYS, &b, 0, got) == KR_ERR_RANGE, "%s: box outside", what);
        free(whole);
        free(want);
        free(got);
    }
    kr_pool_set_threads(0);
}

static void test_boxes(void)
{
    for (int layout = 0; layout < KR_LAYOUT_COUNT; layout++) {
        box_layout = (kr_layout)layout;
        for (box_per = 1; box_per <= 2; box_per++) {
            char what[64];
            snprintf(what, sizeof what, "stream layout %d x%u", layout, box_per);
            check_boxes(what, box_stream, kr_layout_width(box_layout) * box_per);
        }
    }
    kr_sampler_init(&box_sampler, KR_NORMAL, KR_F32, 0.0, 1.0, 0, 0, 0);
    check_boxes("mlx normal", box_mlx, 4);
    kr_sampler_init(&box_sampler, KR_UNIFORM, KR_F16, -2.0, 3.0, 0, 0, 0);
    check_boxes("mlx uniform f16", box_mlx, 2);
    kr_sampler_f64_init(&box_sampler_f64, KR_NORMAL, 0.0, 1.0, 0);
    check_boxes("f64 normal", box_f64, 8);
    kr_jax_f32_init(&box_sampler_jax, KR_NORMAL, 0.0, 0.0);
    box_layout = KR_PART_U32;
    check_boxes("jax normal partitionable", box_jax, 4);
    box_layout = KR_HALVES_WORDS;
    check_boxes("jax normal legacy", box_jax, 4);
    printf("boxes: every layout and sampler family equal the box of the whole stream%s\n",
           small_boxes ? " (small shapes only)" : "");
}

/* The radix sort on rows around its insertion-sort cutoff and with few
 * distinct digits (skipped passes): each row must come out ascending, equal
 * keys in input order (the values are input positions), and hold the same
 * multiset; scratch is exactly one row, so ASan sees any overrun. */
static void test_sort(void)
{
    static const size_t lengths[] = {1, 2, 47, 48, 49, 256, 257, 5000};
    static const uint32_t masks[] = {0xFFFFFFFFu, 3u, 0xFF00FF00u, 0u};
    uint64_t state = 0x9E3779B97F4A7C15u;
    for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
        const size_t n = lengths[li], rows = 3;
        for (size_t mi = 0; mi < sizeof masks / sizeof *masks; mi++) {
            uint32_t *keys = malloc(rows * n * sizeof *keys);
            uint32_t *vals = malloc(rows * n * sizeof *vals);
            uint32_t *orig = malloc(rows * n * sizeof *orig);
            uint32_t *tk = malloc(n * sizeof *tk), *tv = malloc(n * sizeof *tv);
            for (size_t i = 0; i < rows * n; i++) {
                state = state * 6364136223846793005u + 1442695040888963407u;
                keys[i] = orig[i] = (uint32_t)(state >> 32) & masks[mi];
                vals[i] = (uint32_t)(i % n);
            }
            kr_sort_pairs_u32(keys, vals, rows, n, tk, tv);
            int ok = 1;
            for (size_t r = 0; r < rows; r++) {
                const uint32_t *k = keys + r * n, *v = vals + r * n, *o = orig + r * n;
                for (size_t i = 0; i < n; i++) {
                    if (v[i] >= n || o[v[i]] != k[i]) ok = 0;
                    if (i && (k[i - 1] > k[i] || (k[i - 1] == k[i] && v[i - 1] >= v[i])))
                        ok = 0;
                }
            }
            CHECK(ok, "sort: n=%zu mask=%08x not a stable sort", n, (unsigned)masks[mi]);
            free(keys); free(vals); free(orig); free(tk); free(tv);
        }
    }
    printf("sort: stable and a permutation on every row length and digit pattern\n");
}

/* Multinomial over 40 categories (three scan blocks): every draw is whole,
 * non-negative and sums to its count; each key of a batch draws what it
 * draws alone; every ISA gives the scalar kernel's bits. */
#define MN_K 40
#define MN_KEYS 3
#define MN_BATCH 6
static void test_multinomial(void)
{
    static const uint32_t keys[MN_KEYS][2] = {{0, 7}, {1, 2}, {0xFFFFFFFFu, 0x9E3779B9u}};
    static const float count[3] = {0.0f, 10.0f, 300.0f};
    static float prob[2][MN_K], ref[2][MN_KEYS * MN_BATCH * MN_K];
    static float got[MN_KEYS * MN_BATCH * MN_K + 1];
    for (int i = 0; i < MN_K; i++) {
        prob[0][i] = 1.0f / MN_K;
        prob[1][i] = i % 3 == 0 ? 0.0f : (float)(i + 1); /* unnormalised, some zeros */
    }
    const kr_layout layouts[2] = {KR_HALVES_WORDS, KR_PART_U32};
    const size_t per = MN_BATCH * MN_K;
    CHECK(kr_select_isa(KR_ISA_SCALAR) == 0, "select scalar");
    for (int m = 0; m < 2; m++) {
        CHECK(kr_jax_multinomial_batch(layouts[m], keys[0], MN_KEYS, MN_BATCH, MN_K, count, 3,
                                       prob[0], 2, ref[m]) == KR_OK, "multinomial mode %d", m);
        for (size_t e = 0; e < MN_KEYS * MN_BATCH; e++) {
            float sum = 0.0f;
            int whole = 1;
            for (int i = 0; i < MN_K; i++) {
                const float v = ref[m][e * MN_K + i];
                whole &= v >= 0.0f && v == (float)(int)v;
                sum += v;
            }
            CHECK(whole && sum == count[e % MN_BATCH % 3],
                  "multinomial mode %d draw %zu: sum %g, count %g", m, e, sum,
                  count[e % MN_BATCH % 3]);
        }
        for (int k = 0; k < MN_KEYS; k++) {
            memset(got, CANARY, sizeof got);
            CHECK(kr_jax_multinomial_batch(layouts[m], keys[k], 1, MN_BATCH, MN_K, count, 3,
                                           prob[0], 2, got) == KR_OK, "multinomial key %d", k);
            CHECK(memcmp(got, ref[m] + k * per, per * sizeof *got) == 0,
                  "multinomial mode %d: key %d of the batch differs from it alone", m, k);
            CHECK(((unsigned char *)got)[per * sizeof *got] == CANARY,
                  "multinomial wrote past its end");
        }
    }
    for (int isa = 1; isa < KR_ISA_COUNT; isa++) {
        if (kr_select_isa((kr_isa)isa) != 0) continue;
        for (int m = 0; m < 2; m++) {
            CHECK(kr_jax_multinomial_batch(layouts[m], keys[0], MN_KEYS, MN_BATCH, MN_K, count,
                                           3, prob[0], 2, got) == KR_OK, "multinomial");
            CHECK(memcmp(got, ref[m], sizeof ref[m]) == 0, "%s multinomial mode %d differs",
                  kr_isa_name((kr_isa)isa), m);
        }
    }
    (void)kr_select_isa(kr_best_isa());
    printf("multinomial: whole counts summing to each count, batch = single keys, every ISA\n");
}

/* choice by p on 1 to 70 categories, even, skewed (tiny categories sharing
 * a bucket), and with a decreasing stretch (negative p) and a NaN: a key batch equals its keys alone, each ISA the scalar kernel;
 * on non-decreasing cums the index is the first cum >= r (checked against
 * the uniforms themselves, drawn by kr_jax_f32_range). */
static void test_choice(void)
{
    enum { N = 333, NK = 2, MAXC = 70 };
    static const uint32_t keys[NK][2] = {{0, 7}, {0x9E3779B9u, 5}};
    static int32_t ref[NK * N], got[NK * N + 1];
    static int64_t wide[NK * N];
    float p[MAXC], cum[MAXC], u[N];
    double p64[MAXC];
    kr_jax_f32 unif;
    (void)kr_jax_f32_init(&unif, KR_UNIFORM, 0.0, 1.0);
    for (size_t ncats = 1; ncats <= MAXC; ncats += ncats < 20 ? 1 : 25) {
        for (int bad = 0; bad < 3; bad++) { /* even, unsorted with NaN, skewed */
            for (size_t i = 0; i < ncats; i++) {
                p[i] = bad == 2 ? (i + 2 < ncats ? 1e-7f : 1.0f) : (float)(1 + i % 5);
                if (bad == 1 && i % 9 == 4) p[i] = -3.0f;
                if (bad == 1 && i == 50) p[i] = NAN;
                p64[i] = p[i];
            }
            for (int part = 0; part < 2; part++) {
                const kr_layout lay = part ? KR_PART_U32 : KR_HALVES_WORDS;
                CHECK(kr_select_isa(KR_ISA_SCALAR) == 0, "select scalar");
                CHECK(kr_jax_choice_p_batch(KR_F32, lay, keys[0], NK, N, p, ncats, 4, ref) ==
                          KR_OK, "choice");
                for (int isa = 1; isa < KR_ISA_COUNT; isa++) {
                    if (kr_select_isa((kr_isa)isa) != 0) continue;
                    memset(got, CANARY, sizeof got);
                    CHECK(kr_jax_choice_p_batch(KR_F32, lay, keys[0], NK, N, p, ncats, 4, got) ==
                              KR_OK, "choice");
                    CHECK(memcmp(got, ref, sizeof ref) == 0 &&
                              ((unsigned char *)got)[sizeof ref] == CANARY,
                          "%s choice of %zu differs", kr_isa_name((kr_isa)isa), ncats);
                }
                (void)kr_select_isa(kr_best_isa());
                CHECK(kr_jax_choice_p_batch(KR_F32, lay, keys[1], 1, N, p, ncats, 8, wide) ==
                          KR_OK, "choice");
                int same = 1;
                for (size_t i = 0; i < N; i++) same &= wide[i] == ref[N + i];
                CHECK(same, "choice of %zu: key 1 alone or int64 differs", ncats);
                if (part) { /* one draw: JAX's search without buckets, the same first index */
                    int32_t one = -1;
                    CHECK(kr_jax_choice_p_batch(KR_F32, lay, keys[0], 1, 1, p, ncats, 4, &one) ==
                              KR_OK && one == ref[0], "choice of %zu: one draw differs", ncats);
                }
                if (bad == 1) continue;
                float acc = 0.0f; /* below 16 categories XLA's scan is a running sum */
                for (size_t i = 0; i < ncats; i++) cum[i] = acc += p[i];
                CHECK(kr_jax_f32_range(lay, keys[0], N, 0, N, &unif, u) == KR_OK, "uniform");
                for (size_t i = 0; ncats <= 16 && i < N; i++) {
                    const float r = cum[ncats - 1] * (1.0f - u[i]);
                    size_t want = 0;
                    while (want < ncats && cum[want] < r) want++;
                    CHECK(ref[i] == (int32_t)want, "choice of %zu: draw %zu is %d, not %zu",
                          ncats, i, (int)ref[i], want);
                }
            }
            CHECK(kr_jax_choice_p_batch(KR_F64, KR_PART_U64, keys[0], NK, N, p64, ncats, 8,
                                        wide) == KR_OK, "choice float64");
            int inside = 1;
            for (size_t i = 0; i < NK * N; i++) inside &= wide[i] >= 0 && wide[i] <= (int64_t)ncats;
            CHECK(inside, "choice float64 of %zu: an index outside [0, ncats]", ncats);
        }
    }
    CHECK(kr_jax_choice_p_batch(KR_F64, KR_PART_U32, keys[0], 1, N, p64, 3, 8, wide) ==
              KR_ERR_ARG, "choice: float64 on a 32-bit layout");
    CHECK(kr_jax_choice_p_batch(KR_F32, KR_PART_U32, keys[0], 1, N, p, 0, 4, got) == KR_ERR_ARG,
          "choice: no categories");
    printf("choice by p: first cum >= r, batch = single keys, every ISA\n");
}

/* What the build and the dispatcher left to themselves chose, before any
 * kr_select_isa: tests run this under emulated CPUs. */
static void report_platform(void)
{
    printf("compiler: %s\n", kr_build_compiler());
    printf("threads: %s\n", kr_pool_backend());
    const char *chosen = kr_kernels()->name;
    CHECK(strcmp(chosen, kr_isa_name(kr_best_isa())) == 0, "chose %s, best is %s", chosen,
          kr_isa_name(kr_best_isa()));
    printf("dispatch: compiled");
    for (int isa = 0; isa < KR_ISA_COUNT; isa++)
        if (kr_isa_compiled((kr_isa)isa)) printf(" %s", kr_isa_name((kr_isa)isa));
    printf("; supported");
    for (int isa = 0; isa < KR_ISA_COUNT; isa++)
        if (kr_supported_isas() & (1u << isa)) printf(" %s", kr_isa_name((kr_isa)isa));
    printf("; best %s\n", chosen);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s [--small-boxes] [--foreign-libm] <threefry2x32_20 KAT file> "
                        "[<sampler answers>]\n"
                        "       %s --dispatch\n", argv[0], argv[0]);
        return 2;
    }
    report_platform();
    if (strcmp(argv[1], "--dispatch") == 0) return failures ? 1 : 0;
    int foreign_libm = 0; /* --foreign-libm */
    for (;;) {
        if (strcmp(argv[1], "--small-boxes") == 0 && argc > 2) {
            small_boxes = 1;
        } else if (strcmp(argv[1], "--foreign-libm") == 0 && argc > 2) {
            foreign_libm = 1;
        } else {
            break;
        }
        argv++;
        argc--;
    }
    test_fma();
    const kr_kernel_table *tables[KR_ISA_COUNT + 3];
    const int ntables = collect_kernels(tables);
    test_kat(argv[1], tables, ntables);
    test_scalar_is_threefry();
    test_transform_definitions();
    test_kernels(tables, ntables);
    test_rejection();
    test_pool();
    test_boxes();
    test_sort();
    test_multinomial();
    test_choice();
    CHECK(kr_libm_selftest() == 0, "libm_exact selftest (built with FP contraction?)");
    for (int isa = 0; isa < KR_ISA_COUNT; isa++) {
        if (kr_select_isa((kr_isa)isa) != 0) continue;
        test_halves(kr_isa_name((kr_isa)isa));
        test_partitionable(kr_isa_name((kr_isa)isa));
        printf("streams under %s: match the naive layouts\n", kr_isa_name((kr_isa)isa));
        if (argc > 2) test_samplers(argv[2], kr_isa_name((kr_isa)isa), foreign_libm);
    }
    printf("%ld passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
