/* jax.random.poisson (sample_poisson.h). */
#include "sample_poisson.h"

#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "parallel.h"
#include "rejection.h"
#include "threefry.h"

/* Round keys made up front; more (doubling) only when some element needs them. */
#define KR_POISSON_FIRST_ROUNDS 64u

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
        if (job->pass == 1) job->first[at / KR_POISSON_BLOCK] = rounds;
    }
}

/* The round keys of one key, `rounds` of each chain. */
static void kr_poisson_chains(int part, const uint32_t key[2], uint64_t rounds,
                              kr_poisson_job *job)
{
    uint32_t k[2], y[3][2];
    memcpy(k, key, sizeof k);
    for (uint64_t r = 0; r < rounds; r++) { /* key, sub = split(key) */
        for (uint32_t b = 0; b < 2; b++) kr_threefry2x32_20(k, part ? 0 : b, part ? b : 2 + b, y[b]);
        const uint32_t next[2] = {y[0][0], part ? y[0][1] : y[1][0]};
        job->sub[r][0] = part ? y[1][0] : y[0][1];
        job->sub[r][1] = y[1][1];
        memcpy(k, next, sizeof k);
    }
    memcpy(k, key, sizeof k);
    for (uint64_t r = 0; r < rounds; r++) { /* key, s0, s1 = split(key, 3) */
        for (uint32_t b = 0; b < 3; b++) kr_threefry2x32_20(k, part ? 0 : b, part ? b : 3 + b, y[b]);
        if (part) {
            memcpy(job->s0[r], y[1], sizeof y[1]);
            memcpy(job->s1[r], y[2], sizeof y[2]);
            memcpy(k, y[0], sizeof k);
        } else { /* words y0 of blocks 0..2, then their y1, in pairs */
            const uint32_t w[6] = {y[0][0], y[1][0], y[2][0], y[0][1], y[1][1], y[2][1]};
            memcpy(k, w, sizeof k);
            memcpy(job->s0[r], w + 2, 8);
            memcpy(job->s1[r], w + 4, 8);
        }
    }
}

static int kr_poisson_grow(kr_poisson_job *job, uint64_t rounds)
{
    const size_t bytes = (size_t)rounds * sizeof job->sub[0];
    if (rounds > SIZE_MAX / sizeof job->sub[0] / 3) return 0;
    void *p = realloc(job->sub, 3 * bytes);
    if (!p) return 0;
    job->sub = p;
    job->s0 = job->sub + rounds;
    job->s1 = job->s0 + rounds;
    job->rounds = rounds;
    return 1;
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
    for (size_t i = 0; i < nlam; i++) job.ptrs |= !kr_is_knuth(lam[i]);
    job.limit = is_signed ? (1ULL << (8 * width - 1)) - 1 : ~0ULL >> (64 - 8 * width);
    const uint64_t blocks = (n + KR_POISSON_BLOCK - 1) / KR_POISSON_BLOCK;
    job.first = blocks <= SIZE_MAX / sizeof(uint32_t) ? malloc((size_t)blocks * sizeof(uint32_t))
                                                      : NULL;
    int rc = job.first && kr_poisson_grow(&job, KR_POISSON_FIRST_ROUNDS) ? KR_OK
                                                                          : KR_ERR_TOO_LARGE;
    /* About 24 words of Threefry and a few logs per element and pass. */
    const uint64_t task = KR_TASK_WORDS / 32 / KR_POISSON_BLOCK * KR_POISSON_BLOCK;
    for (size_t k = 0; k < nkeys && rc == KR_OK; k++) {
        const uint32_t *key = keys + 2 * k;
        char *key_out = (char *)out + (size_t)(k * n) * width;
        job.lam_at = (size_t)((k * n) % nlam);
        uint64_t last;
        for (;;) {
            kr_poisson_chains(part, key, job.rounds, &job);
            job.pass = 1;
            kr_parallel_ranges(key, 1, n, task, 24, 0, key_out, kr_poisson_run, &job);
            last = 0;
            for (uint64_t b = 0; b < blocks; b++)
                if (job.first[b] > last) last = job.first[b];
            if (last != UINT32_MAX) break;
            if (!kr_poisson_grow(&job, 2 * job.rounds)) {
                rc = KR_ERR_TOO_LARGE;
                break;
            }
        }
        if (rc != KR_OK) break;
        job.last = last;
        job.pass = 2;
        kr_parallel_ranges(key, 1, n, task, 24, 0, key_out, kr_poisson_run, &job);
    }
    free(job.sub);
    free(job.first);
    return rc;
}
