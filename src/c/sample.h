/* Samplers: 32-bit words of a stream turned into values of a distribution,
 * block by block, so the words never leave L1 and each output is written once.
 * The formulas are MLX's CPU ones (see the project's COMPAT notes); a value
 * type names both the arithmetic precision (each op rounded to it, as MLX
 * does for half types) and the stored element. */
#ifndef KEYRAND_SAMPLE_H
#define KEYRAND_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kr_type {
    KR_F32, KR_F16, KR_BF16, KR_BOOL,
    KR_I8, KR_U8, KR_I16, KR_U16, KR_I32, KR_U32, KR_I64, KR_U64,
    KR_TYPE_COUNT
} kr_type;

typedef enum kr_dist {
    KR_UNIFORM,   /* a = low, b = high - low (both already in `type`) */
    KR_NORMAL,    /* a = sqrt(2) * scale (in `type`), b = loc if has_loc */
    KR_LAPLACE,   /* a = scale if has_scale, b = loc if has_loc */
    KR_GUMBEL,
    KR_BERNOULLI, /* a = p * 4294967808.0f (float32); stored as bool */
    KR_RANDINT,   /* a = low, b = high - low as float32; lo..hi clamp, stored as `type` */
    KR_DIST_COUNT
} kr_dist;

typedef struct kr_sampler {
    kr_dist dist;
    kr_type type;
    float a, b;
    int has_loc, has_scale;
    int64_t lo, hi;
} kr_sampler;

/* Bytes per stored element of a type. */
size_t kr_type_size(kr_type type);

/* Elements [start, start + n) of the sampler applied to words(key, total) of
 * the MLX layout (one word per element). Returns KR_OK or an error code. */
int kr_halves_sample(const uint32_t key[2], uint64_t total, uint64_t start, size_t n,
                     const kr_sampler *s, void *out);

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
void kr_erfinv_f32_array(const float *x, size_t n, float *out);
void kr_erf_f32_array(const float *x, size_t n, float *out);
void kr_exp_f32_array(const float *x, size_t n, float *out);

#ifdef __cplusplus
}
#endif

#endif
