/* jax.random.multinomial in float32 (sample_multinomial.h). */
#include "sample_multinomial.h"

#include <stdlib.h>

#include "sample_binomial.h"

enum { SCAN_BLOCK = 16 };

/* lax.cumsum(x, reverse=True) of n values as XLA's CPU scan adds them: in
 * blocks of 16 from the start, each row of a block summed left to right
 * from 0, then each block raised by the (recursively scanned) totals of the
 * blocks after it. x steps by xstride, out by stride; they may not alias. */
static int reverse_cumsum(const float *x, size_t xstride, size_t n, float *out, size_t stride)
{
    const size_t blocks = (n + SCAN_BLOCK - 1) / SCAN_BLOCK;
    for (size_t s0 = 0; s0 < n; s0 += SCAN_BLOCK) {
        const size_t e = n - s0 < SCAN_BLOCK ? n : s0 + SCAN_BLOCK;
        for (size_t i = s0; i < e; i++) {
            float acc = 0.0f;
            for (size_t j = i; j < e; j++) acc += x[j * xstride];
            out[i * stride] = acc;
        }
    }
    if (blocks < 2) return KR_OK;
    float *totals = malloc(2 * blocks * sizeof *totals);
    if (!totals) return KR_ERR_TOO_LARGE;
    for (size_t b = 0; b < blocks; b++) totals[b] = out[b * SCAN_BLOCK * stride];
    int rc = reverse_cumsum(totals, 1, blocks, totals + blocks, 1);
    for (size_t b = 0; rc == KR_OK && b + 1 < blocks; b++) {
        const float later = totals[blocks + b + 1];
        for (size_t i = b * SCAN_BLOCK; i < (b + 1) * SCAN_BLOCK; i++) out[i * stride] += later;
    }
    free(totals);
    return rc;
}

int kr_jax_multinomial_batch(kr_layout layout, const uint32_t *keys, size_t nkeys,
                             uint64_t batch, size_t cats, const float *count, size_t ncount,
                             const float *prob, size_t nrows, float *out)
{
    if ((layout != KR_PART_U32 && layout != KR_HALVES_WORDS) || ncount == 0 || nrows == 0 ||
        batch % ncount || batch % nrows)
        return KR_ERR_ARG;
    if (batch == 0 || nkeys == 0 || cats == 0) return KR_OK;
    if (batch > SIZE_MAX / 16 || cats > SIZE_MAX / 16 / nrows)
        return KR_ERR_TOO_LARGE;
    const size_t nb = (size_t)batch;
    float *left = malloc((2 * nb + cats * nrows) * sizeof *left);
    uint32_t *sub = malloc(2 * cats * sizeof *sub);
    if (!left || !sub) {
        free(left);
        free(sub);
        return KR_ERR_TOO_LARGE;
    }
    float *drawn = left + nb, *ratio = drawn + nb;
    int rc = KR_OK;
    for (size_t r = 0; rc == KR_OK && r < nrows; r++) {
        const float *p = prob + r * cats;
        rc = reverse_cumsum(p, 1, cats, ratio + r, nrows); /* then turned into ratios */
        for (size_t i = 0; rc == KR_OK && i < cats; i++) {
            const float rem = ratio[i * nrows + r];
            float q = p[i] / (rem == 0.0f ? 1.0f : rem);
            q = q < 0.0f ? 0.0f : q; /* NaN stays NaN, as in jnp.clip */
            ratio[i * nrows + r] = q > 1.0f ? 1.0f : q;
        }
    }
    for (size_t k = 0; rc == KR_OK && k < nkeys; k++) {
        rc = layout == KR_PART_U32
                 ? kr_part_keys(keys + 2 * k, 0, cats, sub)
                 : kr_halves_words(keys + 2 * k, 2 * (uint64_t)cats, 0, 2 * cats, sub);
        for (size_t e = 0; e < nb; e++) left[e] = count[e % ncount];
        float *dst = out + k * nb * cats;
        for (size_t i = 0; rc == KR_OK && i < cats; i++) {
            rc = kr_jax_binomial_batch(layout, sub + 2 * i, 1, batch, left, nb,
                                       ratio + i * nrows, nrows, drawn);
            for (size_t e = 0; rc == KR_OK && e < nb; e++) {
                dst[e * cats + i] = drawn[e];
                left[e] -= drawn[e];
            }
        }
    }
    free(left);
    free(sub);
    return rc;
}
