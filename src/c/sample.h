/* Samplers: 32-bit words of a stream turned into values of a distribution,
 * block by block, so the words never leave L1 and each output is written once.
 * The formulas are MLX's CPU ones (see the project's COMPAT notes); a value
 * type names both the arithmetic precision (each op rounded to it, as MLX
 * does for half types) and the stored element. */
#ifndef KEYRAND_SAMPLE_H
#define KEYRAND_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kr_type {
    KR_F32, KR_F16, KR_BF16, KR_BOOL,
    KR_I8, KR_U8, KR_I16, KR_U16, KR_I32, KR_U32, KR_I64, KR_U64,
    KR_F64, /* the float64 samplers (kr_sampler_f64) */
    KR_TYPE_COUNT
} kr_type;

typedef enum kr_dist {
    KR_UNIFORM,   /* a = low, b = high - low (both already in `type`) */
    KR_NORMAL,    /* a = sqrt(2) * scale (in `type`), b = loc if has_loc; KR_F64: a64, b64 */
    KR_LAPLACE,   /* a = scale if has_scale, b = loc if has_loc; KR_F64: a64, b64 */
    KR_GUMBEL,
    KR_BERNOULLI, /* a = p * 4294967808.0f (float32); stored as bool */
    KR_RANDINT,   /* a = low, b = high - low as float32; lo..hi clamp, stored as `type` */
    KR_TRUNCATED_NORMAL, /* MLX's float32; float64 and JAX's float32 samplers */
    KR_EXPONENTIAL, /* JAX's float32 samplers only (sample_jax.h) */
    KR_LOGISTIC,
    KR_LOGNORMAL,
    KR_PARETO,
    KR_RAYLEIGH,
    KR_CAUCHY,
    KR_WEIBULL,   /* JAX's float32 weibull_min */
    KR_GEOMETRIC, /* JAX's geometric, stored as int32 (float32) / int64 (float64) */
    KR_TRIANGULAR, /* JAX's triangular, scalar left / mode / right (kr_*_triangular) */
    KR_DIST_COUNT
} kr_dist;

typedef struct kr_sampler {
    kr_dist dist;
    kr_type type;
    float a, b;
    double a64, b64; /* KR_F64's parameters (MLX computes them in float64) */
    int has_loc, has_scale;
    int64_t lo, hi;
    float clip_lo, clip_hi; /* TRUNCATED_NORMAL's bounds */
} kr_sampler;

/* Flags of kr_sampler_init: which optional parameters were given;
 * KR_UNSCALED (NORMAL only): erfinv(s) itself, rounded to the type, which
 * the array-parameter paths then scale and shift as MLX does. */
enum { KR_HAS_P = 1, KR_HAS_Q = 2, KR_UNSCALED = 4 };

/* A sampler from user-level scalar parameters, rounded as MLX rounds them
 * (a Python scalar becomes a float32 array, then `astype(type)`):
 *   UNIFORM   p = low, q = high
 *   NORMAL    p = loc (if KR_HAS_P), q = scale (if KR_HAS_Q)
 *   LAPLACE   p = loc, q = scale (applied only when not 0 / 1 in float32)
 *   GUMBEL    -
 *   BERNOULLI p = probability
 *   RANDINT   lo = low, hi = high (integers; q, p unused)
 *   TRUNCATED_NORMAL (KR_F32 only) p = lower, q = upper: u uniform between
 *             erf(lower / sqrt 2) and erf(upper / sqrt 2) (MLX's erf), then
 *             max(min(sqrt(2) * erfinv(u), upper), lower) (lower when
 *             lower > upper, as MLX)
 * KR_F64 (NORMAL and LAPLACE only) is MLX's float64: the float32 draw and its
 * float32 erfinv (NORMAL) or |u| (LAPLACE) as above, the rest in float64:
 *   NORMAL    loc + (sqrt(2) * scale) * erfinv(s), loc and scale in float64
 *   LAPLACE   loc + scale * sign(s) * log1p(-|s|), log1p in double (the C
 *             library's: glibc's on Linux, as MLX), loc and scale float32
 * Returns KR_OK, or KR_ERR_ARG for an unknown dist or type. */
int kr_sampler_init(kr_sampler *s, kr_dist dist, kr_type type, double p, double q, int flags,
                    int64_t lo, int64_t hi);

/* Bytes per stored element of a type. */
size_t kr_type_size(kr_type type);

/* Elements [start, start + n) of the sampler applied to words(key, total) of
 * the MLX layout (one word per element). Returns KR_OK or an error code. */
int kr_halves_sample(const uint32_t key[2], uint64_t total, uint64_t start, size_t n,
                     const kr_sampler *s, void *out);

/* Whole streams of `total` elements for each of nkeys keys (key k's values at
 * out + k * total * kr_type_size(type)), split across the thread pool. */
int kr_halves_sample_batch(const uint32_t *keys, size_t nkeys, uint64_t total,
                           const kr_sampler *s, void *out);

/* The box (box.h) of each key's stream of box->shape elements. */
struct kr_box;
int kr_halves_sample_box(const uint32_t *keys, size_t nkeys, const struct kr_box *box,
                         const kr_sampler *s, void *out);

/* float64 samplers, defined as JAX computes them in x64 mode: element i of
 * key k comes from the i-th 64-bit word of k's partitionable stream
 * (jax.random.bits(k, shape, uint64) with jax_threefry_partitionable on):
 *   UNIFORM           p = low, q = high:  max(low, fma(f, high - low, low)),
 *                     f = bitcast((word >> 12) | bits(1.0)) - 1 in [0, 1)
 *   NORMAL            sqrt(2) * erf_inv(uniform(nextafter(-1, 0), 1)),
 *                     then * scale (q, if KR_HAS_Q), + loc (p, if KR_HAS_P)
 *   LAPLACE           sign(u) * log1p(-|u|), u = uniform(-1 + 2^-53, 1),
 *                     then * scale (q) unless 1, + loc (p) unless 0
 *   GUMBEL            -log(-log(uniform(DBL_MIN, 1)))
 *   TRUNCATED_NORMAL  p = lower, q = upper: sqrt(2) * erf_inv(uniform(
 *                     erf(lower / sqrt(2)), erf(upper / sqrt(2)))), clipped to
 *                     [nextafter(lower, inf), nextafter(upper, -inf)]
 *   EXPONENTIAL       -log1p(-u), u = uniform(0, 1)
 *   LOGISTIC          log(x) - log1p(-x), x = max(uniform(0, 1), DBL_MIN)
 * and, with a scalar parameter p that XLA sees as a broadcast (an output
 * that is not 0-d; it folds the constants):
 *   LOGNORMAL         p = sigma: exp(erf_inv(u) * fl(sigma * sqrt(2))), u as NORMAL's
 *   PARETO            p = b: exp(e * fl(1 / b)), e = EXPONENTIAL's value
 *   RAYLEIGH          p = scale: scale * sqrt(log(uniform(0, 1)) * -2)
 *   GEOMETRIC         p = fl(1 / log1p(-prob)): floor(log(u) * p) + 1, u = uniform(0, 1)
 *                     with 0 read as 1, stored as int64 (saturated, NaN as 0)
 * with XLA's float64 math (xla_f64.h), vectorized per kernel. */
typedef struct kr_sampler_f64 {
    kr_dist dist;
    double low, range;          /* the uniform draw: fma(f, range, low), at least low */
    double loc, scale;
    int has_loc, has_scale;
    double clip_lo, clip_hi;    /* TRUNCATED_NORMAL */
    double a;                   /* LOGNORMAL, PARETO, RAYLEIGH: the parameter as used */
    double t[6];                /* TRIANGULAR: see kr_sampler_f64_triangular */
} kr_sampler_f64;

/* Returns KR_OK, or KR_ERR_ARG for a dist without a float64 form. */
int kr_sampler_f64_init(kr_sampler_f64 *s, kr_dist dist, double p, double q, int flags);

/* JAX's float64 triangular with scalar parameters (the output not 0-d):
 * t = {l, r, fc, r - l, m - l, r - m}, fc = fl(m - l) * fl(1 / fl(r - l))
 * (XLA's rewrite of a division by a broadcast), then from u on [0, 1)
 *   u < fc ? l + sqrt(fl(u * (r - l)) * (m - l))
 *          : r - sqrt(fl((1 - u) * (r - l)) * (r - m)). */
void kr_sampler_f64_triangular(kr_sampler_f64 *s, double left, double mode, double right);

/* The float64 samplers on either 64-bit JAX layout: KR_PART_U64
 * (partitionable, as below) or KR_HALVES_U64 (legacy: element i from block
 * (i, total + i), total values per key, at most KR_HALVES_MAX_WORDS / 2).
 * `total` is each key's whole stream (ignored by KR_PART_U64); the box and
 * batch forms as below. */
int kr_f64_sample(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                  size_t n, const kr_sampler_f64 *s, double *out);
int kr_f64_sample_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                        const kr_sampler_f64 *s, double *out);
int kr_f64_sample_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                      const struct kr_box *box, const kr_sampler_f64 *s, double *out);

/* Elements [start, start + n) of the float64 sampler for one key. */
int kr_part_sample_f64(const uint32_t key[2], uint64_t start, size_t n,
                       const kr_sampler_f64 *s, double *out);

/* Elements [0, n) for each of nkeys keys (key k's at out + k * n), split
 * across the thread pool. */
int kr_part_sample_f64_batch(const uint32_t *keys, size_t nkeys, uint64_t n,
                             const kr_sampler_f64 *s, double *out);

/* The box (box.h) of each key's float64 stream of box->shape elements. */
int kr_part_sample_f64_box(const uint32_t *keys, size_t nkeys, const struct kr_box *box,
                           const kr_sampler_f64 *s, double *out);

/* JAX's float64 uniform, elementwise: max(low, fma(f, high - low, low)) from
 * f in [0, 1) and broadcast-ready bounds (for array-valued low / high). */
void kr_uniform_f64_array(const double *f, const double *low, const double *high, size_t n,
                          double *out);

/* MLX's float32 erfinv (Giles' single-precision polynomials on log(1 - a^2),
 * with fused multiply-adds), used by normal and truncated_normal. */
float kr_erfinv_f32(float a);

/* MLX's float32 erf (Abramowitz-Stegun 7.1.26 with MLX's exp polynomial),
 * used for the bounds of truncated_normal. */
float kr_erf_f32(float v);

/* MLX's float32 exp on its CPU backend: 2^i * p(f) with a degree-6
 * polynomial on f in [-0.5, 0.5]; used by erf and categorical. */
float kr_exp_f32(float x);

/* Elementwise forms over arrays, for parameters that vary per element. */
typedef enum kr_mlx_fn { KR_MLX_ERF, KR_MLX_ERFINV, KR_MLX_EXP, KR_MLX_FN_COUNT } kr_mlx_fn;
void kr_mlx_f32_array(kr_mlx_fn fn, const float *x, size_t n, float *out);

#ifdef __cplusplus
}
#endif

#endif
