/* jax.random.poisson (sample_poisson.h). */
#include "sample_poisson.h"

#include "dispatch.h"
#include "rejection.h"

static void kr_poisson_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                           const void *params)
{
    (void)key;
    const kr_poisson_job *job = params;
    size_t a = (size_t)((job->lam_at + first) % job->nlam);
    float lam[KR_POISSON_BLOCK];
    for (uint64_t done = 0; done < count; done += KR_POISSON_BLOCK) {
        const uint64_t at = first + done;
        const size_t m = count - done < KR_POISSON_BLOCK ? (size_t)(count - done) : KR_POISSON_BLOCK;
        for (size_t i = 0; i < m; i++) {
            lam[i] = job->lam[a];
            if (++a == job->nlam) a = 0;
        }
        void *out = (char *)key_out + at * job->width;
        const uint32_t rounds = kr_kernels()->poisson_block(job, at, lam, m, out);
        if (job->pass == 1) job->rk.first[at / KR_POISSON_BLOCK] = rounds;
    }
}

int kr_jax_poisson_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                         const float *lam, size_t nlam, unsigned width, int is_signed,
                         void *out)
{
    if ((layout != KR_PART_U32 && layout != KR_HALVES_WORDS) || nlam == 0 ||
        (width != 1 && width != 2 && width != 4 && width != 8))
        return KR_ERR_ARG;
    const int part = layout == KR_PART_U32;
    if (!part && n > KR_HALVES_MAX_WORDS) return KR_ERR_TOO_LARGE;
    if (n == 0 || nkeys == 0) return KR_OK;
    kr_poisson_job job = {.part = part, .n = n, .lam = lam, .nlam = nlam, .width = width,
                          .is_signed = is_signed};
    for (size_t i = 0; i < nlam; i++) {
        job.ptrs |= !kr_is_knuth(lam[i]);
        job.knuth |= kr_is_knuth(lam[i]) && lam[i] > 0.0f;
    }
    job.limit = is_signed ? (1ULL << (8 * width - 1)) - 1 : ~0ULL >> (64 - 8 * width);
    int rc = KR_OK;
    for (size_t k = 0; k < nkeys && rc == KR_OK; k++) {
        job.lam_at = (size_t)((k * n) % nlam);
        rc = kr_rounds_run(&job.rk, keys + 2 * k, part, n, kr_first_rounds(n), job.knuth, 0,
                           job.ptrs, kr_poisson_run, &job, &job.pass, &job.last,
                           (char *)out + (size_t)(k * n) * width);
    }
    kr_rounds_free(&job.rk);
    return rc;
}
