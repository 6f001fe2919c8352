/* jax.random.choice with p and replacement: the cumulative p searched for
 * p_cuml[-1] * (1 - u), as JAX computes it on the CPU. */
#ifndef KEYRAND_SAMPLE_CHOICE_H
#define KEYRAND_SAMPLE_CHOICE_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* For each of nkeys keys, n indices into p's ncats entries, written as
 * int32 (width 4) or int64 (width 8) at out + k * n * width. type KR_F32
 * (layout KR_PART_U32 or KR_HALVES_WORDS) or KR_F64 (KR_PART_U64 or
 * KR_HALVES_U64): p's and u's type. cum = jnp.cumsum(p) as XLA's CPU scan
 * adds it (blocks of 16); draw i is the first index whose cum is at least
 * r = fl(cum[ncats-1] * (1 - u_i)), u = jax.random.uniform(key, (n,)), found
 * by jnp.searchsorted's fixed-depth binary search under its total order
 * (NaN above +inf, -0 = +0), so unsorted or NaN cums give JAX's indices.
 * Returns KR_OK, KR_ERR_ARG, or KR_ERR_TOO_LARGE (the layout's length, or
 * no memory for the ncats-entry scratch). */
int kr_jax_choice_p_batch(int type, kr_layout layout, const uint32_t *keys, size_t nkeys,
                          uint64_t n, const void *p, size_t ncats, unsigned width, void *out);

#ifdef __cplusplus
}
#endif

#endif
