/* jax.random.gamma / loggamma (sample_gamma.h). */
#include "sample_gamma.h"

#include <string.h>

#include "dispatch.h"
#include "parallel.h"
#include "rejection.h"

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
        kr_kernels()->gamma_block(job, &keys, &alpha, m, out + done * size);
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
