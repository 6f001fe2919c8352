/* jax.random.gamma and loggamma (Marsaglia-Tsang rejection, boosted for
 * alpha < 1) with JAX's per-element key chain, so every element sees exactly
 * the draws it sees in JAX, in either Threefry mode, float32 and float64. */
#ifndef KEYRAND_SAMPLE_GAMMA_H
#define KEYRAND_SAMPLE_GAMMA_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element i of key k draws from the i-th key of split(k, n), as
 * jax.random._gamma_one does (names from jax 0.10.2's random.py):
 *   key, sub = split(key_i)
 *   d = (alpha >= 1 ? alpha : alpha + 1) - 1/3,  c = 1/3 * rsqrt(d)
 *   repeat: key, xk, uk = split(key, 3)
 *           repeat xk, s = split(xk); x = normal(s); v = fma(x, c, 1) while v <= 0
 *           X = x * x; V = v * v * v; U = uniform(uk)
 *   while U >= 1 - 0.0331 X^2 and log(U) >= X / 2 + d (1 - V + log V)
 *   gamma:    d V * (alpha >= 1 ? 1 : pow(1 - uniform(sub), 1 / alpha))
 *   loggamma: log d + log V + (alpha >= 1 or l == 0 ? 0 : l / alpha),
 *             l = log1p(-uniform(sub))
 * each operation rounded to the type, the result's subnormals flushed, with
 * XLA's log / log1p / pow / rsqrt (float32: xla_f32.h, rsqrt with
 * `rsqrt_steps` as kr_xla_rsqrt_f32_array; float64: xla_math.h's, and
 * 1 / sqrt).
 *
 * type is KR_F32 (layout KR_PART_U32 or KR_HALVES_WORDS: the mode's 32-bit
 * words) or KR_F64 (KR_PART_U64 or KR_HALVES_U64). Element i of key k uses
 * alpha[(k * n + i) % nalpha] (nalpha > 0 divides n, or n * nkeys), and is
 * written at out[k * n + i]. Fixed tasks on the thread pool. Returns KR_OK,
 * KR_ERR_ARG, or KR_ERR_TOO_LARGE when the legacy split(k, n) cannot be made. */
int kr_jax_gamma_batch(int type, kr_layout layout, const uint32_t *keys, size_t nkeys,
                       uint64_t n, const void *alpha, size_t nalpha, int log_space,
                       int rsqrt_steps, void *out);

#ifdef __cplusplus
}
#endif

#endif
