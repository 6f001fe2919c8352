/* Two-draw JAX samplers (sample_split.h). */
#include "sample_split.h"

#include "dispatch.h"
#include "parallel.h"
#include "sample.h"
#include "sample_jax.h"

enum { KR_SPLIT_BLOCK = 512 }; /* values per block: both draws stay in L1 */

/* One block: values [at, at + m) of the key whose split is (a, b). */
typedef void (*kr_split_block_fn)(const void *job, const uint32_t a[2], const uint32_t b[2],
                                  uint64_t at, size_t m, void *out);

typedef struct kr_split_job {
    kr_split_block_fn block;
    const uint32_t *keys_a, *keys_b;
    size_t size; /* bytes per value */
    kr_layout layout;
    uint64_t total;
    uint32_t span, mult, base; /* randint */
    int type;                  /* wald: its type, mean and the samplers of its draws */
    double mean;
    kr_jax_f32 normal32, uniform32;
    kr_sampler_f64 normal64, uniform64;
} kr_split_job;

static void kr_split_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                         const void *params)
{
    const kr_split_job *job = params;
    const uint32_t *key_b = job->keys_b + (key - job->keys_a); /* the same key's pair */
    char *out = (char *)key_out + first * job->size;
    for (uint64_t done = 0; done < count; done += KR_SPLIT_BLOCK) {
        const size_t m = count - done < KR_SPLIT_BLOCK ? (size_t)(count - done) : KR_SPLIT_BLOCK;
        job->block(job, key, key_b, first + done, m, out + done * job->size);
    }
}

/* The checked layout's 32-bit words [at, at + m): cannot fail. */
static void kr_split_words(const kr_split_job *job, const uint32_t key[2], uint64_t at, size_t m,
                           uint32_t *w)
{
    if (job->layout == KR_PART_U32)
        (void)kr_part_u32(key, at, m, w);
    else
        (void)kr_halves_words(key, job->total, at, m, w);
}

static int kr_split_batch(const kr_split_job *job, size_t nkeys, unsigned words_per_value,
                          void *out)
{
    kr_parallel_ranges(job->keys_a, nkeys, job->total, KR_TASK_WORDS / words_per_value,
                       words_per_value, (size_t)job->total * job->size, out, kr_split_run, job);
    return KR_OK;
}

/* The halves layouts hold at most `max` values per key. */
static int kr_halves_fit(kr_layout layout, uint64_t total, uint64_t max)
{
    const int halves = layout == KR_HALVES_WORDS || layout == KR_HALVES_U64;
    return halves && total > max ? KR_ERR_TOO_LARGE : KR_OK;
}

static void kr_randint_block(const void *params, const uint32_t a[2], const uint32_t b[2],
                             uint64_t at, size_t m, void *out)
{
    const kr_split_job *job = params;
    uint32_t hi[KR_SPLIT_BLOCK], lo[KR_SPLIT_BLOCK];
    kr_split_words(job, a, at, m, hi);
    kr_split_words(job, b, at, m, lo);
    kr_jax_randint32(hi, lo, m, job->span, job->mult, job->base, out);
}

int kr_jax_randint32_batch(kr_layout layout, const uint32_t *keys_a, const uint32_t *keys_b,
                           size_t nkeys, uint64_t total, uint32_t span, uint32_t mult,
                           uint32_t base, uint32_t *out)
{
    if (layout != KR_PART_U32 && layout != KR_HALVES_WORDS) return KR_ERR_ARG;
    const int rc = kr_halves_fit(layout, total, KR_HALVES_MAX_WORDS);
    if (rc != KR_OK) return rc;
    const kr_split_job job = {.block = kr_randint_block, .keys_a = keys_a, .keys_b = keys_b,
                              .size = 4, .layout = layout, .total = total,
                              .span = span, .mult = mult, .base = base};
    return kr_split_batch(&job, nkeys, 2, out);
}

/* Checked layouts and ranges: the draws cannot fail. */
static void kr_wald_block(const void *params, const uint32_t a[2], const uint32_t b[2],
                          uint64_t at, size_t m, void *out)
{
    const kr_split_job *job = params;
    if (job->type == KR_F64) {
        double v[KR_SPLIT_BLOCK], z[KR_SPLIT_BLOCK];
        (void)kr_f64_sample(job->layout, a, job->total, at, m, &job->normal64, v);
        (void)kr_f64_sample(job->layout, b, job->total, at, m, &job->uniform64, z);
        kr_kernels()->wald_jax(KR_F64, v, z, m, job->mean, out);
    } else {
        float v[KR_SPLIT_BLOCK], z[KR_SPLIT_BLOCK];
        (void)kr_jax_f32_range(job->layout, a, job->total, at, m, &job->normal32, v);
        (void)kr_jax_f32_range(job->layout, b, job->total, at, m, &job->uniform32, z);
        kr_kernels()->wald_jax(KR_F32, v, z, m, job->mean, out);
    }
}

int kr_jax_wald_batch(int type, kr_layout layout, const uint32_t *keys_a,
                      const uint32_t *keys_b, size_t nkeys, uint64_t total, double mean,
                      void *out)
{
    const int f64 = type == KR_F64;
    if (type != KR_F32 && !f64) return KR_ERR_ARG;
    if (f64 ? layout != KR_PART_U64 && layout != KR_HALVES_U64
            : layout != KR_PART_U32 && layout != KR_HALVES_WORDS)
        return KR_ERR_ARG;
    const int rc = kr_halves_fit(layout, total, KR_HALVES_MAX_WORDS / (f64 ? 2 : 1));
    if (rc != KR_OK) return rc;
    kr_split_job job = {.block = kr_wald_block, .keys_a = keys_a, .keys_b = keys_b,
                        .size = f64 ? 8 : 4, .layout = layout, .total = total,
                        .type = type, .mean = mean};
    (void)kr_jax_f32_init(&job.normal32, KR_NORMAL, 0.0, 0.0);
    (void)kr_jax_f32_init(&job.uniform32, KR_UNIFORM, 0.0, 1.0);
    (void)kr_sampler_f64_init(&job.normal64, KR_NORMAL, 0.0, 1.0, 0);
    (void)kr_sampler_f64_init(&job.uniform64, KR_UNIFORM, 0.0, 1.0, 0);
    return kr_split_batch(&job, nkeys, f64 ? 4 : 2, out);
}
