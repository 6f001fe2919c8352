/* jax.random.poisson: Knuth's product of uniforms for lam < 10 (and NaN),
 * Hormann's PTRS rejection above, in float32 with XLA's log / lgamma, from
 * the whole-array rounds of JAX's loops, so every element gets JAX's value
 * in either Threefry mode. */
#ifndef KEYRAND_SAMPLE_POISSON_H
#define KEYRAND_SAMPLE_POISSON_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* JAX runs each method as one loop over the whole array of a key: round r
 * draws uniform(sub_r, shape) (Knuth: key, sub_r = split(key); PTRS: key,
 * s0_r, s1_r = split(key, 3), both chains from the same key), and the loop
 * stops when every element is done or after `limit` rounds (the output
 * type's maximum). Knuth's count is final once an element's log-product
 * drops to -lam, but PTRS overwrites an element's value on every later
 * acceptance until the last element accepts (the elements taking Knuth's
 * method run in it with lam = 1e5), so an element's value depends on the
 * round count of its whole array: computed here in two passes, the first
 * finding each element's first acceptance, the second its last one before
 * the loop ends.
 *
 * layout is KR_PART_U32 or KR_HALVES_WORDS (the mode's 32-bit words); n the
 * elements per key; element i of key k has lam[(k * n + i) % nlam] (nlam > 0
 * divides n) and is written at element k * n + i of out, an integer array of
 * `width` bytes (1, 2, 4, 8), signed or not: 0 for lam == 0, Knuth's count
 * minus one (wrapped to the type), or PTRS's float value converted as XLA
 * converts (saturated, NaN as 0). Returns KR_OK, KR_ERR_ARG, or
 * KR_ERR_TOO_LARGE (a legacy stream over KR_HALVES_MAX_WORDS words, or no
 * memory for the round keys). */
int kr_jax_poisson_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                         const float *lam, size_t nlam, unsigned width, int is_signed,
                         void *out);

#ifdef __cplusplus
}
#endif

#endif
