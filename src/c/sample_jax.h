/* JAX's float32 samplers: jax.random's uniform-based draws computed as
 * XLA:CPU computes them (jaxlib 0.10.2, x86-64 with FMA), one value per
 * 32-bit word of either JAX layout, so keyrand.jax gives JAX's numbers. */
#ifndef KEYRAND_SAMPLE_JAX_H
#define KEYRAND_SAMPLE_JAX_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"
#include "sample.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every draw starts from f = bitcast((w >> 9) | bits(1.0f)) - 1 in [0, 1)
 * and u = max(low, fma(f, range, low)) with subnormal results flushed, as
 * jax.random.uniform(minval=low, maxval=low + range); then, with XLA's
 * float32 log / log1p / erf_inv (xla_f32.h):
 *   UNIFORM      u                          (p = minval, q = maxval)
 *   NORMAL       sqrt(2) * erf_inv(u), u on [nextafter(-1, 0), 1)
 *   EXPONENTIAL  -log1p(-u), u on [0, 1)
 *   GUMBEL       -log(-log(x)), x = max(tiny, f)   (mode "low"; XLA folds
 *                uniform(tiny, 1) to max(tiny, f))
 *   LAPLACE      sign(u) * log1p(-|u|), u on [-1 + 2^-24, 1)
 *   LOGISTIC     log(x) - log1p(-x), x = max(tiny, f)
 * and with a scalar parameter p (float32; the output not 0-d, so XLA sees p
 * as a broadcast and folds it):
 *   LOGNORMAL    exp(erf_inv(u) * a), a = fl(p * fl(sqrt 2)), u as NORMAL's
 *   PARETO       exp(e * a), a = fl(1 / p), e = EXPONENTIAL's value
 *   RAYLEIGH     p * sqrt(log(u) * -2), u on [0, 1)
 * and with scalar bounds p = lower, q = upper (float32, output not 0-d):
 *   TRUNCATED_NORMAL  clip(sqrt(2) * erf_inv(u), nextafter(lower, inf),
 *                nextafter(upper, -inf)), u on [erf(lower * fl(1 / sqrt 2)),
 *                erf(upper * fl(1 / sqrt 2))) with XLA's rank-0 erf
 *   CAUCHY       tan(fl(u - 1/2) * fl(pi)), u = max(eps, fma(f, 1 - eps, eps))
 * and with scalar parameters computed by the caller as JAX computes them:
 *   WEIBULL      p = fl(1 / concentration), q = scale: pow(e, p) * q, e
 *                EXPONENTIAL's value (glibc's powf, as XLA calls it)
 *   GEOMETRIC    p = fl(1 / log1p(-prob)): floor(log(u) * p) + 1, u on [0, 1)
 *                with 0 read as 1, stored as int32 (saturated, NaN as 0)
 * and with three scalar parameters (kr_jax_f32_triangular):
 *   TRIANGULAR   as kr_sampler_f64_triangular (sample.h), in float32 */
typedef struct kr_jax_f32 {
    kr_dist dist;
    float low, range;
    float a, b; /* the parameters as the transform uses them */
    float t[6]; /* TRIANGULAR: l, r, fc, r - l, m - l, r - m */
} kr_jax_f32;

/* Returns KR_OK, or KR_ERR_ARG for a dist without a JAX float32 form
 * (KR_TRIANGULAR has its own initializer). */
int kr_jax_f32_init(kr_jax_f32 *s, kr_dist dist, double p, double q);
void kr_jax_f32_triangular(kr_jax_f32 *s, double left, double mode, double right);

/* Whole streams of `total` values per key from the 32-bit words of `layout`
 * (KR_PART_U32: partitionable; KR_HALVES_WORDS: legacy), split across the
 * thread pool; key k's values at out + k * total. */
int kr_jax_f32_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t total,
                     const kr_jax_f32 *s, float *out);

/* Values [start, start + n) of one key's stream of `total` values. */
int kr_jax_f32_range(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                     size_t n, const kr_jax_f32 *s, float *out);

/* The box (box.h) of each key's stream of box->shape values. */
struct kr_box;
int kr_jax_f32_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                   const struct kr_box *box, const kr_jax_f32 *s, float *out);

/* JAX's float32 uniform, elementwise: max(low, fma(f, high - low, low))
 * from f in [0, 1) and broadcast-ready bounds (array-valued minval / maxval). */
void kr_jax_uniform_f32_array(const float *f, const float *low, const float *high, size_t n,
                              float *out);

/* JAX's randint for 32-bit types from its two draws (hi from the first half
 * of split(key), lo from the second): base + ((hi % span) * mult + lo % span)
 * % span, all modulo 2^32, span 0 meaning 2^32 (remainders are identities),
 * mult = 2^32 mod span. Written as uint32 (reinterpret for int32). */
void kr_jax_randint32(const uint32_t *hi, const uint32_t *lo, size_t n, uint32_t span,
                      uint32_t mult, uint32_t base, uint32_t *out);

/* Fused with its draws: kr_jax_randint32_batch (sample_split.h). */

/* jax.random.maxwell's norm of each row z[3i], z[3i + 1], z[3i + 2] of
 * normals, as XLA compiles it: a loop fusion with fused multiply-adds when
 * `contracted` (float32 fma(z2, z2, fma(z0, z0, z1 * z1)), float64
 * fma(z2, z2, fma(z1, z1, z0 * z0))), else its reduction's
 * (z0 * z0 + z2 * z2) + z1 * z1; then the square root. */
void kr_jax_maxwell_f32(const float *z, size_t n, int contracted, float *out);
void kr_jax_maxwell_f64(const double *z, size_t n, int contracted, double *out);

/* XLA's float32 elementwise math (xla_f32.h) over arrays. */
typedef enum kr_xla_f32_fn {
    KR_XLA32_LOG, KR_XLA32_LOG1P, KR_XLA32_EXP, KR_XLA32_ERF, KR_XLA32_ERFINV, KR_XLA32_TAN,
    KR_XLA32_LGAMMA, KR_XLA32_ERF_SCALAR, KR_XLA32_FN_COUNT
} kr_xla_f32_fn;
void kr_xla_f32_array(kr_xla_f32_fn fn, const float *x, size_t n, float *out);
/* XLA's float32 rsqrt: the CPU's estimate refined by `steps` (1 or 2)
 * Newton-Raphson steps (x86-64 only), or 1 / sqrt(x) for steps = 0; which
 * one XLA uses depends on the host CPU (dispatch.h, KR_HOST_*).
 * KR_ERR_ARG for a steps value this build cannot compute. */
int kr_xla_rsqrt_f32_array(const float *x, size_t n, int steps, float *out);
/* XLA's float32 pow(x[i], y[i]). */
void kr_xla_pow_f32_array(const float *x, const float *y, size_t n, float *out);

#ifdef __cplusplus
}
#endif

#endif
