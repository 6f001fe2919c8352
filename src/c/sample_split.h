/* JAX samplers that draw from both halves of split(key): each key k comes
 * as its pair keys_a[k], keys_b[k] (its split), the two draws are generated
 * block by block and combined in L1, on the thread pool in fixed tasks. */
#ifndef KEYRAND_SAMPLE_SPLIT_H
#define KEYRAND_SAMPLE_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* JAX's 32-bit randint (sample_jax.h's kr_jax_randint32): hi from keys_a,
 * lo from keys_b, on the 32-bit words of `layout` (KR_PART_U32 or
 * KR_HALVES_WORDS); key k's `total` values at out + k * total. */
int kr_jax_randint32_batch(kr_layout layout, const uint32_t *keys_a, const uint32_t *keys_b,
                           size_t nkeys, uint64_t total, uint32_t span, uint32_t mult,
                           uint32_t base, uint32_t *out);

/* JAX's wald with a scalar mean (the output not 0-d): v = normal(keys_a),
 * z = uniform(keys_b), combined as kernels.h's wald_jax. type is KR_F32
 * (layout KR_PART_U32 or KR_HALVES_WORDS, float out) or KR_F64 (x64:
 * KR_PART_U64 or KR_HALVES_U64, double out). */
int kr_jax_wald_batch(int type, kr_layout layout, const uint32_t *keys_a,
                      const uint32_t *keys_b, size_t nkeys, uint64_t total, double mean,
                      void *out);

#ifdef __cplusplus
}
#endif

#endif
