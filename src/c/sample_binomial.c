/* jax.random.binomial in float32 (sample_binomial.h). */
#include "sample_binomial.h"

#include "dispatch.h"
#include "rejection.h"

static void kr_binomial_run(const uint32_t key[2], uint64_t first, uint64_t count,
                            void *key_out, const void *params)
{
    (void)key;
    const kr_binomial_job *job = params;
    for (uint64_t done = 0; done < count; done += KR_POISSON_BLOCK) {
        const uint64_t at = first + done;
        const size_t m = count - done < KR_POISSON_BLOCK ? (size_t)(count - done) : KR_POISSON_BLOCK;
        const uint32_t rounds =
            kr_kernels()->binomial_block(job, at, m, (float *)key_out + at);
        if (job->pass == 1) job->rk.first[at / KR_POISSON_BLOCK] = rounds;
    }
}

int kr_jax_binomial_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                          const float *count, size_t ncount, const float *prob, size_t nprob,
                          float *out)
{
    if ((layout != KR_PART_U32 && layout != KR_HALVES_WORDS) || ncount == 0 || nprob == 0)
        return KR_ERR_ARG;
    const int part = layout == KR_PART_U32;
    if (!part && n > KR_HALVES_MAX_WORDS) return KR_ERR_TOO_LARGE;
    if (n == 0 || nkeys == 0) return KR_OK;
    kr_binomial_job job = {.part = part, .n = n, .count = count, .prob = prob,
                           .ncount = ncount, .nprob = nprob};
    /* Which methods occur: the pairs of a count and a probability that meet
     * in the array, those of its first lcm(ncount, nprob) elements (both
     * sizes divide n). */
    size_t a = ncount, b = nprob;
    while (b) {
        const size_t t = a % b;
        a = b;
        b = t;
    }
    const uint64_t pairs = (uint64_t)(ncount / a) * nprob;
    for (uint64_t i = 0; i < pairs; i++) {
        const kr_binom e = kr_binom_of(count[i % ncount], prob[i % nprob]);
        job.inversion |= e.inversion;
        job.btrs |= e.btrs;
    }
    int rc = KR_OK;
    for (size_t k = 0; k < nkeys && rc == KR_OK; k++) {
        job.count_at = (size_t)((k * n) % ncount);
        job.prob_at = (size_t)((k * n) % nprob);
        rc = kr_rounds_run(&job.rk, keys + 2 * k, part, n, kr_first_rounds(n), job.inversion, 1,
                           job.btrs,
                           kr_binomial_run, &job, &job.pass, &job.last, out + k * n);
    }
    kr_rounds_free(&job.rk);
    return rc;
}
