/* JAX float32 samplers on the one-value-per-word engine (sample_jax.h). */
#include "sample_jax.h"

#include <math.h>
#include <string.h>

#include "dispatch.h"
#include "fused.h"
#include "sample_words.h"
#include "xla_f32.h"

/* XLA's kernels flush subnormal values to zero (sign kept). */
static float kr_ftz(float x)
{
    return fabsf(x) < 0x1p-126f ? copysignf(0.0f, x) : x;
}

static void kr_set_range(kr_jax_f32 *s, float low, float high)
{
    s->low = kr_ftz(low);
    s->range = kr_ftz(kr_ftz(high) - s->low);
}

int kr_jax_f32_init(kr_jax_f32 *s, kr_dist dist, double p, double q)
{
    memset(s, 0, sizeof *s);
    s->dist = dist;
    switch (dist) {
    case KR_UNIFORM:
        kr_set_range(s, (float)p, (float)q);
        return KR_OK;
    case KR_NORMAL:
        kr_set_range(s, -0x1.fffffep-1f, 1.0f); /* nextafter(-1, 0) */
        return KR_OK;
    case KR_LAPLACE:
        kr_set_range(s, -0x1.fffffep-1f, 1.0f); /* -1 + epsneg */
        return KR_OK;
    case KR_EXPONENTIAL:
    case KR_GUMBEL:
    case KR_LOGISTIC:
        kr_set_range(s, 0.0f, 1.0f);
        return KR_OK;
    case KR_LOGNORMAL:
        kr_set_range(s, -0x1.fffffep-1f, 1.0f);
        s->a = (float)p * 1.41421354f;
        return KR_OK;
    case KR_PARETO:
        kr_set_range(s, 0.0f, 1.0f);
        s->a = 1.0f / (float)p;
        return KR_OK;
    case KR_RAYLEIGH:
        kr_set_range(s, 0.0f, 1.0f);
        s->a = (float)p;
        return KR_OK;
    case KR_TRUNCATED_NORMAL: {
        const float lo = (float)p, hi = (float)q, inv_sqrt2 = 1.0f / 1.41421354f;
        kr_set_range(s, kr_xla_erff_scalar(lo * inv_sqrt2), kr_xla_erff_scalar(hi * inv_sqrt2));
        s->a = nextafterf(lo, INFINITY);
        s->b = nextafterf(hi, -INFINITY);
        return KR_OK;
    }
    case KR_CAUCHY:
        kr_set_range(s, 0.0f, 1.0f);
        return KR_OK;
    case KR_WEIBULL:
    case KR_GEOMETRIC:
        kr_set_range(s, 0.0f, 1.0f);
        s->a = kr_ftz((float)p); /* XLA reads subnormal operands as zeros */
        s->b = kr_ftz((float)q);
        return KR_OK;
    default:
        return KR_ERR_ARG;
    }
}

void kr_jax_f32_triangular(kr_jax_f32 *s, double left, double mode, double right)
{
    memset(s, 0, sizeof *s);
    s->dist = KR_TRIANGULAR;
    kr_set_range(s, 0.0f, 1.0f);
    const float l = (float)left, m = (float)mode, r = (float)right;
    const float rl = r - l, ml = m - l;
    const float t[6] = {l, r, ml * (1.0f / rl), rl, ml, r - m};
    memcpy(s->t, t, sizeof t);
}

static void kr_jax_words(const void *ctx, const uint32_t *w, size_t n, void *out)
{
    kr_kernels()->jax_f32(ctx, w, n, out);
}

int kr_jax_f32_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t total,
                     const kr_jax_f32 *s, float *out)
{
    const kr_word_sampler ws = {kr_jax_words, s, sizeof(float)};
    return kr_words_sample_batch(layout, keys, nkeys, total, &ws, out);
}

int kr_jax_f32_range(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                     size_t n, const kr_jax_f32 *s, float *out)
{
    const kr_word_sampler ws = {kr_jax_words, s, sizeof(float)};
    return kr_words_sample(layout, key, total, start, n, &ws, out);
}

int kr_jax_f32_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                   const struct kr_box *box, const kr_jax_f32 *s, float *out)
{
    const kr_word_sampler ws = {kr_jax_words, s, sizeof(float)};
    return kr_words_sample_box(layout, keys, nkeys, box, &ws, out);
}

void kr_jax_uniform_f32_array(const float *f, const float *low, const float *high, size_t n,
                              float *out)
{
    for (size_t i = 0; i < n; i++) {
        kr_jax_f32 s;
        kr_set_range(&s, low[i], high[i]);
        const float r = kr_ftz(kr_fmaf(f[i], s.range, s.low));
        out[i] = s.low > r ? s.low : r;
    }
}

/* lax.rsqrt as XLA:CPU emits it for float32 on x86 with AVX: the hardware
 * estimate (rsqrtss / rsqrtps: the same estimate on one CPU) refined by
 * `steps` Newton-Raphson steps with fused multiply-adds (XLA: one on an AMD
 * CPU, whose estimate is more accurate, two elsewhere), the estimate itself
 * kept below FLT_MIN and at +inf. steps = 0 is 1 / sqrt(x), what XLA computes
 * without AVX and on other CPUs. */
#if defined(__x86_64__) || defined(_M_X64) || defined(_M_AMD64)
#include <xmmintrin.h>
static float kr_xla_rsqrtf(float x, int steps)
{
    if (steps == 0) return 1.0f / sqrtf(x);
    const float y0 = _mm_cvtss_f32(_mm_rsqrt_ss(_mm_set_ss(x)));
    float y = y0;
    for (int step = 0; step < steps; step++) {
        const float h = kr_fmaf(x * y, y, -1.0f);
        y = kr_fmaf(y * -0.5f, h, y);
    }
    return x < 0x1p-126f || x == INFINITY ? y0 : y;
}
#define KR_HAVE_RSQRT_ESTIMATE 1
#else
static float kr_xla_rsqrtf(float x, int steps)
{
    (void)steps;
    return 1.0f / sqrtf(x);
}
#define KR_HAVE_RSQRT_ESTIMATE 0
#endif

int kr_xla_rsqrt_f32_array(const float *x, size_t n, int steps, float *out)
{
    if (steps < 0 || steps > 2 || (steps > 0 && !KR_HAVE_RSQRT_ESTIMATE)) return KR_ERR_ARG;
    for (size_t i = 0; i < n; i++) out[i] = kr_xla_rsqrtf(x[i], steps);
    return KR_OK;
}

void kr_xla_f32_array(kr_xla_f32_fn fn, const float *x, size_t n, float *out)
{
    kr_kernels()->xla_f32((int)fn, x, n, out);
}

void kr_xla_pow_f32_array(const float *x, const float *y, size_t n, float *out)
{
    for (size_t i = 0; i < n; i++) out[i] = kr_xla_powf(x[i], y[i]);
}

void kr_jax_randint32(const uint32_t *hi, const uint32_t *lo, size_t n, uint32_t span,
                      uint32_t mult, uint32_t base, uint32_t *out)
{
    kr_kernels()->randint32_jax(hi, lo, n, span, mult, base, out);
}

#define KR_MAXWELL_LOOP(sq, fma_, a, b)                                        \
    for (size_t i = 0; i < n; i++) {                                           \
        const T z0 = z[3 * i], z1 = z[3 * i + 1], z2 = z[3 * i + 2];           \
        out[i] = sq(contracted ? fma_(z2, z2, fma_(a, a, b * b))               \
                               : (z0 * z0 + z2 * z2) + z1 * z1);               \
    }

void kr_jax_maxwell_f32(const float *z, size_t n, int contracted, float *out)
{
    typedef float T;
    KR_MAXWELL_LOOP(sqrtf, kr_fmaf, z0, z1)
}

void kr_jax_maxwell_f64(const double *z, size_t n, int contracted, double *out)
{
    typedef double T;
    KR_MAXWELL_LOOP(sqrt, kr_fma, z1, z0)
}
#undef KR_MAXWELL_LOOP
