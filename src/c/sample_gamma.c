/* jax.random.gamma / loggamma (sample_gamma.h). */
#include "sample_gamma.h"

#include <math.h>
#include <string.h>

#include "dispatch.h"
#include "fused.h"
#include "halfprec.h"
#include "kernels.h"
#include "parallel.h"
#include "sample.h"
#include "sample_jax.h"
#include "threefry.h"
#include "xla_f32.h"
#include "xla_f64.h"
#include "xla_math.h"

/* Elements per block: the loop state of a block stays in L1. */
enum { KR_GAMMA_BLOCK = 256 };

typedef struct kr_gamma_job {
    const uint32_t *keys;
    uint64_t n;
    const void *alpha;
    size_t nalpha;
    int part, f64, log_space, rsqrt_steps;
    kr_jax_f32 normal32;
    kr_sampler_f64 normal64;
} kr_gamma_job;

/* Keys of a block, one lane each, as two word arrays (the kernels' layout). */
typedef struct kr_lanes {
    uint32_t k0[KR_GAMMA_BLOCK], k1[KR_GAMMA_BLOCK];
} kr_lanes;

/* to[j] = from[idx[j]]. */
static void kr_gather(const kr_lanes *from, const uint16_t *idx, size_t n, kr_lanes *to)
{
    for (size_t j = 0; j < n; j++) {
        to->k0[j] = from->k0[idx[j]];
        to->k1[j] = from->k1[idx[j]];
    }
}

/* to[idx[j]] = from[j]. */
static void kr_scatter(const kr_lanes *from, const uint16_t *idx, size_t n, kr_lanes *to)
{
    for (size_t j = 0; j < n; j++) {
        to->k0[idx[j]] = from->k0[j];
        to->k1[idx[j]] = from->k1[j];
    }
}

/* split(key, num) of m keys, num <= 3, key r of lane i to out[r] (which may
 * be `in`). Block b hashes (0, b) when partitionable, whose words are key b;
 * the legacy split hashes (b, num + b) and key r is the words 2r, 2r + 1 of
 * [y0 of every block, then y1 of every block]. */
static void kr_gamma_split(int part, const kr_lanes *in, size_t m, unsigned num,
                           kr_lanes *const *out)
{
    const kr_kernel_table *k = kr_kernels();
    uint32_t y[6][KR_GAMMA_BLOCK]; /* y0 of block b at y[b], its y1 at y[num + b] */
    for (unsigned b = 0; b < num; b++)
        k->keyed(in->k0, in->k1, part ? 0u : b, part ? b : num + b, m, y[b], y[num + b]);
    for (unsigned r = 0; r < num; r++) {
        memcpy(out[r]->k0, y[part ? r : 2 * r], m * sizeof y[0][0]);
        memcpy(out[r]->k1, y[part ? num + r : 2 * r + 1], m * sizeof y[0][0]);
    }
}

/* The words of 0-d draws: the block (0, 0), xored (partitionable) or its
 * first word (legacy); 64-bit: (0, 0) or the legacy (0, 1), y0 high. */
static void kr_gamma_words32(int part, const kr_lanes *keys, size_t n, uint32_t *w)
{
    uint32_t y1[KR_GAMMA_BLOCK];
    kr_kernels()->keyed(keys->k0, keys->k1, 0, 0, n, w, y1);
    if (part)
        for (size_t i = 0; i < n; i++) w[i] ^= y1[i];
}

static void kr_gamma_words64(int part, const kr_lanes *keys, size_t n, uint64_t *w)
{
    uint32_t y0[KR_GAMMA_BLOCK], y1[KR_GAMMA_BLOCK];
    kr_kernels()->keyed(keys->k0, keys->k1, 0, part ? 0u : 1u, n, y0, y1);
    for (size_t i = 0; i < n; i++) w[i] = (uint64_t)y0[i] << 32 | y1[i];
}

static float kr_gamma_unit32(uint32_t w) { return kr_bits_f32(w >> 9 | 0x3F800000u) - 1.0f; }

static double kr_gamma_unit64(uint64_t w) { return kr_u2d(w >> 12 | 0x3FF0000000000000ULL) - 1.0; }

static void kr_gamma_rsqrt64(const double *d, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) out[i] = 1.0 / sqrt(d[i]);
}

#define KR_G_FN(name) name##_f32
#define KR_G_T float
#define KR_G_WORD_T uint32_t
#define KR_G_WORDS kr_gamma_words32
#define KR_G_UNIT kr_gamma_unit32
#define KR_G_NORMALS(job, w, n, out) kr_kernels()->jax_f32(&(job)->normal32, w, n, out)
#define KR_G_RSQRT(job, d, n, out) (void)kr_xla_rsqrt_f32_array(d, n, (job)->rsqrt_steps, out)
#define KR_G_LOG kr_xla_logf
#define KR_G_LOG1P kr_xla_log1pf
#define KR_G_POW kr_xla_powf
#define KR_G_FMA kr_fmaf
#define KR_G_TINY 1.17549435e-38f
#include "gamma_template.h"
#undef KR_G_FN
#undef KR_G_T
#undef KR_G_WORD_T
#undef KR_G_WORDS
#undef KR_G_UNIT
#undef KR_G_NORMALS
#undef KR_G_RSQRT
#undef KR_G_LOG
#undef KR_G_LOG1P
#undef KR_G_POW
#undef KR_G_FMA
#undef KR_G_TINY

#define KR_G_FN(name) name##_f64
#define KR_G_T double
#define KR_G_WORD_T uint64_t
#define KR_G_WORDS kr_gamma_words64
#define KR_G_UNIT kr_gamma_unit64
#define KR_G_NORMALS(job, w, n, out) kr_kernels()->jax_f64(&(job)->normal64, w, n, out)
#define KR_G_RSQRT(job, d, n, out) kr_gamma_rsqrt64(d, n, out)
#define KR_G_LOG kr_xla_log64
#define KR_G_LOG1P kr_xla_log1p64
#define KR_G_POW kr_xla_pow_f64
#define KR_G_FMA kr_fma
#define KR_G_TINY 2.2250738585072014e-308
#include "gamma_template.h"

/* Elements [first, first + count) of one key. */
static void kr_gamma_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                         const void *params)
{
    const kr_gamma_job *job = params;
    const size_t size = job->f64 ? 8 : 4;
    const uint64_t at = (uint64_t)((key - job->keys) / 2) * job->n + first;
    size_t a = (size_t)(at % job->nalpha);
    char *out = (char *)key_out + first * size;
    uint32_t ek[KR_GAMMA_BLOCK][2];
    kr_lanes keys;
    union { float f[KR_GAMMA_BLOCK]; double d[KR_GAMMA_BLOCK]; } alpha;
    for (uint64_t done = 0; done < count; done += KR_GAMMA_BLOCK) {
        const size_t m = count - done < KR_GAMMA_BLOCK ? (size_t)(count - done) : KR_GAMMA_BLOCK;
        /* Checked sizes: the element keys cannot fail. */
        if (job->part)
            (void)kr_part_keys(key, first + done, m, ek);
        else
            (void)kr_halves_words(key, 2 * job->n, 2 * (first + done), 2 * m, ek);
        for (size_t i = 0; i < m; i++) {
            keys.k0[i] = ek[i][0];
            keys.k1[i] = ek[i][1];
            memcpy((char *)&alpha + i * size, (const char *)job->alpha + a * size, size);
            if (++a == job->nalpha) a = 0;
        }
        if (job->f64)
            kr_gamma_block_f64(job, &keys, alpha.d, m, (double *)(void *)(out + done * size));
        else
            kr_gamma_block_f32(job, &keys, alpha.f, m, (float *)(void *)(out + done * size));
    }
}

int kr_jax_gamma_batch(int type, kr_layout layout, const uint32_t *keys, size_t nkeys,
                       uint64_t n, const void *alpha, size_t nalpha, int log_space,
                       int rsqrt_steps, void *out)
{
    const int f64 = type == KR_F64;
    if ((type != KR_F32 && !f64) || nalpha == 0) return KR_ERR_ARG;
    if (f64 ? layout != KR_PART_U64 && layout != KR_HALVES_U64
            : layout != KR_PART_U32 && layout != KR_HALVES_WORDS)
        return KR_ERR_ARG;
    if (!f64 && rsqrt_steps != 0) {
        float probe = 1.0f;
        if (kr_xla_rsqrt_f32_array(&probe, 1, rsqrt_steps, &probe) != KR_OK) return KR_ERR_ARG;
    }
    const int part = layout == KR_PART_U32 || layout == KR_PART_U64;
    if (!part && n > KR_HALVES_MAX_WORDS / 2) return KR_ERR_TOO_LARGE;
    if (n == 0 || nkeys == 0) return KR_OK;
    kr_gamma_job job = {.keys = keys, .n = n, .alpha = alpha, .nalpha = nalpha, .part = part,
                        .f64 = f64, .log_space = log_space, .rsqrt_steps = rsqrt_steps};
    (void)kr_jax_f32_init(&job.normal32, KR_NORMAL, 0.0, 0.0);
    (void)kr_sampler_f64_init(&job.normal64, KR_NORMAL, 0.0, 1.0, 0);
    /* About 24 words of Threefry per accepted element. */
    kr_parallel_ranges(keys, nkeys, n, KR_TASK_WORDS / 32, 24, (size_t)n * (f64 ? 8 : 4), out,
                       kr_gamma_run, &job);
    return KR_OK;
}
