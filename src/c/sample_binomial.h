/* jax.random.binomial in float32: inversion (a sum of geometric steps) for
 * n min(p, 1 - p) <= 10, Hormann's BTRS rejection above, from the
 * whole-array rounds of JAX's loops, so every element gets JAX's value in
 * either Threefry mode. */
#ifndef KEYRAND_SAMPLE_BINOMIAL_H
#define KEYRAND_SAMPLE_BINOMIAL_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* As jax.random._binomial: the inversion loop's round r draws
 * uniform(sub_r, shape) with sub_r, key = split(key); BTRS's draws
 * uniform(s0_r), uniform(s1_r) with key, s0_r, s1_r = split(key, 3), both
 * chains from the same key. Like poisson's PTRS (sample_poisson.h), BTRS
 * overwrites an element's value on every acceptance until the last element
 * accepts (the inversion's elements run in it with n = 1e4, p = 1/2), so it
 * is computed in two passes.
 *
 * layout is KR_PART_U32 or KR_HALVES_WORDS; n the elements per key; element
 * i of key k has count[(k * n + i) % ncount] and prob[(k * n + i) % nprob]
 * (each size divides n) and is written at out[k * n + i]: NaN for a NaN or
 * negative count or p, inf for an infinite count. Returns KR_OK, KR_ERR_ARG,
 * or KR_ERR_TOO_LARGE (a legacy stream over KR_HALVES_MAX_WORDS words, or no
 * memory for the round keys). */
int kr_jax_binomial_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                          const float *count, size_t ncount, const float *prob, size_t nprob,
                          float *out);

#ifdef __cplusplus
}
#endif

#endif
