/* Samplers on the MLX word layout (see sample.h). */
#include "sample.h"

#include <math.h>
#include <string.h>

#include "dispatch.h"
#include "fused.h"
#include "halfprec.h"
#include "libm_exact.h"
#include "mlx_math.h"
#include "keyrand.h"
#include "sample_words.h"

static const size_t kr_sizes[KR_TYPE_COUNT] = {4, 2, 2, 1, 1, 1, 2, 2, 4, 4, 8, 8, 8};

size_t kr_type_size(kr_type type)
{
    return (unsigned)type < KR_TYPE_COUNT ? kr_sizes[type] : 0;
}

/* Round a float32 value to the precision of `type` (float types only). */
static inline float kr_round(kr_type type, float x)
{
    if (type == KR_F16) return kr_f16_to_f32(kr_f32_to_f16(x));
    if (type == KR_BF16) return kr_bf16_to_f32(kr_f32_to_bf16(x));
    return x;
}

/* Largest value below 1 in each float type, as MLX clamps uniform draws. */
static inline float kr_below_one(kr_type type)
{
    if (type == KR_F16) return 0.99951171875f;  /* 1 - 2^-11 */
    if (type == KR_BF16) return 0.99609375f;    /* 1 - 2^-8 */
    return 0.99999994039535522f;                /* 1 - 2^-24 */
}

/* u in [0, 1) from a word: round(w) / 2^32, clamped below 1, in `type`. */
static inline float kr_unit(kr_type type, uint32_t w)
{
    const float u = (float)w * 2.3283064365386963e-10f; /* exact scaling by 2^-32 */
    return kr_round(type, u < kr_below_one(type) ? u : kr_below_one(type));
}

/* MLX normal/laplace base: uniform on [nextafter(-1, 0), 1) in float32; its
 * range 1 + (1 - 2^-24) rounds to exactly 2. */
static inline float kr_symmetric(uint32_t w)
{
    return 2.0f * kr_unit(KR_F32, w) + -0.99999994039535522f;
}

float kr_erfinv_f32(float a)
{
    return kr_erfinv_poly(a, kr_logf(kr_fmaf(a, -a, 1.0f)));
}

float kr_exp_f32(float x)
{
    if (x != x) return x;
    if (x > 88.0f) return INFINITY;
    if (x < -88.0f) return 0.0f;
    const float y = x * 1.442695f;
    const float i = floorf(y + 0.5f);
    const float f = y - i;
    float p = 1.535336188319500e-4f;
    p = kr_fmaf(p, f, 1.339887440266574e-3f);
    p = kr_fmaf(p, f, 9.618437357674640e-3f);
    p = kr_fmaf(p, f, 5.550332471162809e-2f);
    p = kr_fmaf(p, f, 2.402264791363012e-1f);
    p = kr_fmaf(p, f, 6.931472028550421e-1f);
    p = kr_fmaf(p, f, 1.0f);
    return kr_bits_f32((uint32_t)((int32_t)i + 127) << 23) * p;
}

float kr_erf_f32(float v)
{
    const float t = 1.0f / kr_fmaf(0.3275911f, fabsf(v), 1.0f);
    const float r = kr_fmaf(kr_fmaf(kr_fmaf(kr_fmaf(1.061405429f, t, -1.453152027f), t, 1.421413741f),
                             t, -0.284496736f), t, 0.254829592f);
    const float e = -kr_exp_f32(-v * v);
    const float res = kr_fmaf(e * t, r, 1.0f);
    return v > 0.0f ? res : -res;
}

void kr_mlx_f32_array(kr_mlx_fn fn, const float *x, size_t n, float *out)
{
    float (*f)(float) = fn == KR_MLX_ERF ? kr_erf_f32 : fn == KR_MLX_ERFINV ? kr_erfinv_f32
                                                                            : kr_exp_f32;
    for (size_t i = 0; i < n; i++) out[i] = f(x[i]);
}

/* A user parameter as MLX holds it: a float32 array cast to `type`. */
static inline float kr_param(kr_type type, double x)
{
    return kr_round(type, (float)x);
}

int kr_sampler_init(kr_sampler *s, kr_dist dist, kr_type type, double p, double q, int flags,
                    int64_t lo, int64_t hi)
{
    if ((unsigned)dist >= KR_DIST_COUNT || (unsigned)type >= KR_TYPE_COUNT ||
        (dist >= KR_TRUNCATED_NORMAL && !(dist == KR_TRUNCATED_NORMAL && type == KR_F32)))
        return KR_ERR_ARG; /* JAX's samplers (kr_sampler_f64, sample_jax.h) */
    if (type == KR_F64 && dist != KR_NORMAL && dist != KR_LAPLACE)
        return KR_ERR_ARG; /* MLX has no float64 form: kr_sampler_f64 */
    const int is_float = type == KR_F32 || type == KR_F16 || type == KR_BF16 || type == KR_F64;
    if (dist == KR_BERNOULLI ? type != KR_BOOL : dist == KR_RANDINT ? is_float : !is_float)
        return KR_ERR_ARG;
    memset(s, 0, sizeof *s);
    s->dist = dist;
    s->type = type;
    switch (dist) {
    case KR_UNIFORM:
        s->a = kr_param(type, p);
        s->b = kr_round(type, kr_param(type, q) - s->a);
        break;
    case KR_NORMAL:
        if (flags & KR_UNSCALED) { /* mul 1, no loc: exact identities */
            s->a = 1.0f;
            s->a64 = 1.0;
            break;
        }
        if (type == KR_F64) { /* MLX keeps a Python float scale / loc in float64 */
            s->a64 = (flags & KR_HAS_Q) ? 1.4142135623730951 * q : 1.4142135623730951;
            s->has_loc = (flags & KR_HAS_P) != 0;
            s->b64 = s->has_loc ? p : 0.0;
            break;
        }
        s->a = kr_param(type, 1.4142135623730951);
        if (flags & KR_HAS_Q) s->a = kr_round(type, s->a * kr_param(type, q));
        s->has_loc = (flags & KR_HAS_P) != 0;
        if (s->has_loc) s->b = kr_param(type, p);
        break;
    case KR_LAPLACE:
        /* MLX skips the multiply / add when its float32 scale / loc is 1 / 0. */
        s->has_scale = (float)q != 1.0f;
        s->has_loc = (float)p != 0.0f;
        s->a = kr_param(type, q);
        s->b = kr_param(type, p);
        s->a64 = (double)(float)q; /* MLX's laplace takes C++ floats */
        s->b64 = (double)(float)p;
        break;
    case KR_BERNOULLI:
        s->a = (float)p * 4294967808.0f; /* nextafter(2^32, inf) as float32 */
        break;
    case KR_TRUNCATED_NORMAL: {
        const float sqrt2 = 1.41421354f;
        s->clip_lo = (float)p;
        s->clip_hi = (float)q;
        s->a = kr_erf_f32(s->clip_lo / sqrt2);
        s->b = kr_erf_f32(s->clip_hi / sqrt2) - s->a; /* the uniform's range */
        break;
    }
    case KR_RANDINT:
        s->a = (float)lo;
        s->b = (float)hi - (float)lo;
        s->lo = lo;
        s->hi = hi > INT64_MIN ? hi - 1 : hi;
        break;
    default:
        break;
    }
    return KR_OK;
}

static inline float kr_value(const kr_sampler *s, uint32_t w)
{
    const kr_type t = s->type;
    switch (s->dist) {
    case KR_UNIFORM:
        return kr_round(t, kr_round(t, s->b * kr_unit(t, w)) + s->a);
    case KR_NORMAL: {
        float v = kr_round(t, s->a * kr_round(t, kr_erfinv_f32(kr_symmetric(w))));
        return s->has_loc ? kr_round(t, s->b + v) : v;
    }
    case KR_LAPLACE: {
        const float x = kr_symmetric(w);
        const float mag = kr_log1pf(-fabsf(x));
        float v = kr_round(t, x > 0.0f ? mag : (x < 0.0f ? -mag : 0.0f * mag));
        if (s->has_scale) v = kr_round(t, s->a * v);
        return s->has_loc ? kr_round(t, s->b + v) : v;
    }
    case KR_GUMBEL:
        return -kr_round(t, kr_logf(-kr_round(t, kr_logf(kr_unit(t, w)))));
    default:
        return 0.0f;
    }
}

/* MLX's float64 laplace of one word (kr_sampler_init). */
static inline double kr_laplace_f64(const kr_sampler *s, uint32_t w)
{
    const float x = kr_symmetric(w);
    const double mag = log1p(-(double)fabsf(x));
    double v = x > 0.0f ? mag : (x < 0.0f ? -mag : 0.0 * mag); /* sign(x) * mag */
    if (s->has_scale) v = s->a64 * v;
    return s->has_loc ? s->b64 + v : v;
}

static void kr_store_float(kr_type type, float v, char *dst)
{
    if (type == KR_F32) {
        memcpy(dst, &v, 4);
    } else {
        const uint16_t h = type == KR_F16 ? kr_f32_to_f16(v) : kr_f32_to_bf16(v);
        memcpy(dst, &h, 2);
    }
}

static void kr_store_int(kr_type type, int64_t v, char *dst)
{
    switch (type) {
    case KR_I8: case KR_U8: case KR_BOOL: { uint8_t x = (uint8_t)v; memcpy(dst, &x, 1); break; }
    case KR_I16: case KR_U16: { uint16_t x = (uint16_t)v; memcpy(dst, &x, 2); break; }
    case KR_I32: case KR_U32: { uint32_t x = (uint32_t)v; memcpy(dst, &x, 4); break; }
    default: { uint64_t x = (uint64_t)v; memcpy(dst, &x, 8); break; }
    }
}

/* Transform a block of words into n stored elements: the kernel's vector
 * transforms (transform_template.h) where they exist, element by element
 * otherwise (laplace and gumbel in half types, integers other than int32). */
static void kr_transform(const kr_sampler *s, const uint32_t *w, size_t n, char *out)
{
    const kr_kernel_table *k = kr_kernels();
    const size_t size = kr_sizes[s->type];
    const int half = s->type == KR_F16 || s->type == KR_BF16;
    float *f32 = (float *)(void *)out;
    uint16_t *f16 = (uint16_t *)(void *)out;
    if (s->type == KR_F64 && s->dist == KR_NORMAL) {
        /* The kernel's float32 erfinv (mul 1, no loc: e itself), then float64. */
        float e[256];
        double *f64 = (double *)(void *)out;
        for (size_t i0 = 0; i0 < n; i0 += 256) {
            const size_t m = n - i0 < 256 ? n - i0 : 256;
            k->normal_f32(w + i0, m, 1.0f, 0.0f, 0, e);
            for (size_t i = 0; i < m; i++) {
                const double v = s->a64 * (double)e[i];
                f64[i0 + i] = s->has_loc ? s->b64 + v : v;
            }
        }
    } else if (s->type == KR_F64 && kr_log1p_build() >= 0) {
        k->laplace_f64(w, n, s->a64, s->b64, s->has_scale, s->has_loc, kr_log1p_build(),
                       (double *)(void *)out);
    } else if (s->type == KR_F64) { /* a C library other than glibc: its own log1p */
        double *f64 = (double *)(void *)out;
        for (size_t i = 0; i < n; i++) f64[i] = kr_laplace_f64(s, w[i]);
    } else if (s->dist == KR_BERNOULLI) {
        for (size_t i = 0; i < n; i++) out[i] = (float)w[i] < s->a;
    } else if (s->dist == KR_RANDINT && s->type == KR_I32 && s->lo >= INT32_MIN &&
               s->hi <= INT32_MAX) {
        k->randint_i32(w, n, s->a, s->b, (int32_t)s->lo, (int32_t)s->hi, (int32_t *)(void *)out);
    } else if (s->dist == KR_RANDINT) {
        for (size_t i = 0; i < n; i++) {
            const float f = floorf(s->b * kr_unit(KR_F32, w[i]) + s->a);
            int64_t v = (int64_t)f;
            v = v < s->hi ? v : s->hi;
            v = v > s->lo ? v : s->lo;
            kr_store_int(s->type, v, out + i * size);
        }
    } else if (s->type == KR_F32 && s->dist == KR_UNIFORM) {
        k->uniform_f32(w, n, s->a, s->b, f32);
    } else if (s->type == KR_F32 && s->dist == KR_NORMAL) {
        k->normal_f32(w, n, s->a, s->b, s->has_loc, f32);
    } else if (s->type == KR_F32 && s->dist == KR_LAPLACE) {
        k->laplace_f32(w, n, s->a, s->b, s->has_scale, s->has_loc, f32);
    } else if (s->dist == KR_TRUNCATED_NORMAL) {
        k->truncated_f32(w, n, s->a, s->b, s->clip_lo, s->clip_hi, f32);
    } else if (s->type == KR_F32) {
        k->gumbel_f32(w, n, f32);
    } else if (half && s->dist == KR_UNIFORM) {
        k->uniform_half(w, n, s->type == KR_BF16, s->a, s->b, f16);
    } else if (half && s->dist == KR_NORMAL) {
        k->normal_half(w, n, s->type == KR_BF16, s->a, s->b, s->has_loc, f16);
    } else {
        for (size_t i = 0; i < n; i++) kr_store_float(s->type, kr_value(s, w[i]), out + i * size);
    }
}

static void kr_transform_words(const void *ctx, const uint32_t *w, size_t n, void *out)
{
    kr_transform(ctx, w, n, out);
}

int kr_halves_sample(const uint32_t key[2], uint64_t total, uint64_t start, size_t n,
                     const kr_sampler *s, void *out)
{
    const kr_word_sampler ws = {kr_transform_words, s, kr_sizes[s->type]};
    return kr_words_sample(KR_HALVES_WORDS, key, total, start, n, &ws, out);
}

int kr_halves_sample_batch(const uint32_t *keys, size_t nkeys, uint64_t total,
                           const kr_sampler *s, void *out)
{
    const kr_word_sampler ws = {kr_transform_words, s, kr_sizes[s->type]};
    return kr_words_sample_batch(KR_HALVES_WORDS, keys, nkeys, total, &ws, out);
}

int kr_halves_sample_box(const uint32_t *keys, size_t nkeys, const struct kr_box *box,
                         const kr_sampler *s, void *out)
{
    const kr_word_sampler ws = {kr_transform_words, s, kr_sizes[s->type]};
    return kr_words_sample_box(KR_HALVES_WORDS, keys, nkeys, box, &ws, out);
}
