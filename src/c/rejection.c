/* The whole-array loops' round keys and two passes (rejection.h). */
#include "rejection.h"

#include <stdlib.h>

#include "threefry.h"

/* KR_POISSON_BLOCK elements per block; tasks hold whole blocks. */
static const uint64_t kr_rounds_task = KR_TASK_WORDS / 32 / KR_POISSON_BLOCK * KR_POISSON_BLOCK;

static int kr_rounds_alloc(kr_rounds *rk, uint64_t n, uint64_t count)
{
    if (!rk->first) {
        rk->blocks = (n + KR_POISSON_BLOCK - 1) / KR_POISSON_BLOCK;
        if (rk->blocks > SIZE_MAX / sizeof(uint32_t)) return 0;
        rk->first = malloc((size_t)rk->blocks * sizeof(uint32_t));
        if (!rk->first) return 0;
    }
    if (count <= rk->count) return 1;
    if (count > SIZE_MAX / sizeof rk->two[0] / 3) return 0;
    void *p = realloc(rk->two, 3 * (size_t)count * sizeof rk->two[0]);
    if (!p) return 0;
    rk->two = p;
    rk->s0 = rk->two + count;
    rk->s1 = rk->s0 + count;
    rk->count = count;
    return 1;
}

/* Legacy split: the words y0 of blocks (b, num + b), then their y1, in pairs. */
static void kr_rounds_fill(kr_rounds *rk, int part, const uint32_t key[2], int two, int first,
                           int three)
{
    uint32_t k[2], y[3][2];
    memcpy(k, key, sizeof k);
    for (uint64_t r = 0; two && r < rk->count; r++) {
        for (uint32_t b = 0; b < 2; b++) kr_threefry2x32_20(k, part ? 0 : b, part ? b : 2 + b, y[b]);
        const uint32_t w[4] = {y[0][0], part ? y[0][1] : y[1][0], part ? y[1][0] : y[0][1],
                               y[1][1]}; /* the two keys, in order */
        memcpy(rk->two[r], w + (first ? 0 : 2), 8);
        memcpy(k, w + (first ? 2 : 0), sizeof k);
    }
    memcpy(k, key, sizeof k);
    for (uint64_t r = 0; three && r < rk->count; r++) {
        for (uint32_t b = 0; b < 3; b++) kr_threefry2x32_20(k, part ? 0 : b, part ? b : 3 + b, y[b]);
        const uint32_t w[6] = {y[0][0], part ? y[0][1] : y[1][0], part ? y[1][0] : y[2][0],
                               part ? y[1][1] : y[0][1], part ? y[2][0] : y[1][1], y[2][1]};
        memcpy(k, w, sizeof k);
        memcpy(rk->s0[r], w + 2, 8);
        memcpy(rk->s1[r], w + 4, 8);
    }
}

int kr_rounds_run(kr_rounds *rk, const uint32_t key[2], int part, uint64_t n, uint64_t count,
                  int two, int first, int three, kr_range_fn run, void *job, int *pass,
                  uint64_t *last, void *key_out)
{
    if (!kr_rounds_alloc(rk, n, count)) return KR_ERR_TOO_LARGE;
    for (;;) {
        kr_rounds_fill(rk, part, key, two, first, three);
        *pass = 1;
        kr_parallel_ranges(key, 1, n, kr_rounds_task, 24, 0, key_out, run, job);
        uint64_t most = 0;
        for (uint64_t b = 0; b < rk->blocks; b++)
            if (rk->first[b] > most) most = rk->first[b];
        if (most != UINT32_MAX) {
            *last = most;
            break;
        }
        if (!kr_rounds_alloc(rk, n, 2 * rk->count)) return KR_ERR_TOO_LARGE;
    }
    *pass = 2;
    kr_parallel_ranges(key, 1, n, kr_rounds_task, 24, 0, key_out, run, job);
    return KR_OK;
}

void kr_rounds_free(kr_rounds *rk)
{
    free(rk->two);
    free(rk->first);
}
