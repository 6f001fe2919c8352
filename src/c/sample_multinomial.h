/* jax.random.multinomial in float32: a binomial per category on what the
 * earlier categories left, from split(key, K), as JAX's scan runs it. */
#ifndef KEYRAND_SAMPLE_MULTINOMIAL_H
#define KEYRAND_SAMPLE_MULTINOMIAL_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* For each of nkeys keys, `batch` draws of K = cats counts. prob holds nrows
 * rows of K probabilities (draw e uses row e % nrows) and count the trials
 * (draw e: count[e % ncount]); both sizes divide batch. Category i's ratio
 * is p_i over the reverse cumulative sum of the row (XLA's CPU scan order,
 * 1 where that sum is 0), clipped to [0, 1], and its count
 * binomial(sub_i, left, ratio) (sample_binomial.h) with sub = split(key, K)
 * in the layout's mode and `left` the trials the earlier categories did
 * not take. Draw e of key k goes to out[(k * batch + e) * K .. + K).
 * Returns KR_OK, KR_ERR_ARG, or KR_ERR_TOO_LARGE (the binomial's limits,
 * or no memory for the scratch). */
int kr_jax_multinomial_batch(kr_layout layout, const uint32_t *keys, size_t nkeys,
                             uint64_t batch, size_t cats, const float *count, size_t ncount,
                             const float *prob, size_t nrows, float *out);

#ifdef __cplusplus
}
#endif

#endif
