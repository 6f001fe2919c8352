/* Value transforms of MLX's float32 samplers over a block of words, written
 * as plain loops: each ISA file includes this after kernel_template.h and
 * compiles it with its own flags, so the compiler vectorizes the loops (gathers
 * for logf's table, fused multiply-adds where the source says fmaf). Every
 * operation is IEEE-exact and nothing is reassociated or contracted
 * (-ffp-contract=off), so every ISA gives the scalar kernel's floats. */
#include <string.h>

#include "fused.h"
#include "libm_exact.h"
#include "mlx_math.h"
#include "sample.h"
#include "sample_jax.h"
#include "xla_f32.h"
#include "xla_f64.h"
#include "xla_math.h"

/* u in [0, 1): round(w) / 2^32, at most the float below 1, as MLX clamps. */
KR_ALWAYS_INLINE float KR_FN(kr_unit)(uint32_t w)
{
    const float u = (float)w * 0x1p-32f;
    return kr_select_f32(u < 0x1.fffffep-1f, u, 0x1.fffffep-1f);
}

void KR_FN(kr_uniform_f32)(const uint32_t *w, size_t n, float a, float b, float *out)
{
    for (size_t i = 0; i < n; i++) out[i] = b * KR_FN(kr_unit)(w[i]) + a;
}

/* MLX's normal: s uniform on [nextafter(-1, 0), 1) (its range rounds to 2),
 * then erfinv(s); 1 - s^2 is a positive normal float, so logf's main path. */
KR_ALWAYS_INLINE float KR_FN(kr_erfinv_word)(uint32_t w)
{
    const float s = 2.0f * KR_FN(kr_unit)(w) + -0x1.fffffep-1f;
    const float x = kr_fmaf(s, -s, 1.0f);
    uint32_t ix;
    memcpy(&ix, &x, 4);
    return kr_erfinv_poly(s, kr_logf_bits(ix));
}

/* s and t = log(1 - s^2) of MLX's normal for a word (see kr_erfinv_word). */
KR_ALWAYS_INLINE float KR_FN(kr_normal_t)(uint32_t w, float *s_out)
{
    const float s = 2.0f * KR_FN(kr_unit)(w) + -0x1.fffffep-1f;
    const float x = kr_fmaf(s, -s, 1.0f);
    uint32_t ix;
    memcpy(&ix, &x, 4);
    *s_out = s;
    return kr_logf_bits(ix);
}

/* Normal draws run in chunks: the vector loop evaluates only the central
 * erfinv polynomial and flags the tails (|t| > 6.125, ~0.1% of draws),
 * which a scalar pass then recomputes with the full erfinv. STORE(i, e) writes
 * element i from erfinv value e. */
enum { KR_NORMAL_CHUNK = 256 };
#define KR_NORMAL_CHUNKS(STORE)                                                \
    unsigned char tail[KR_NORMAL_CHUNK];                                       \
    for (size_t i0 = 0; i0 < n; i0 += KR_NORMAL_CHUNK) {                       \
        const size_t m = n - i0 < KR_NORMAL_CHUNK ? n - i0 : KR_NORMAL_CHUNK;  \
        unsigned any = 0;                                                      \
        for (size_t i = 0; i < m; i++) {                                       \
            float s;                                                           \
            const float t = KR_FN(kr_normal_t)(w[i0 + i], &s);                 \
            tail[i] = fabsf(t) > 6.125f;                                       \
            any |= tail[i];                                                    \
            STORE(i0 + i, s * kr_erfinv_near(t));                              \
        }                                                                      \
        if (!any) continue;                                                    \
        for (size_t i = 0; i < m; i++)                                         \
            if (tail[i]) STORE(i0 + i, KR_FN(kr_erfinv_word)(w[i0 + i]));      \
    }

void KR_FN(kr_normal_f32)(const uint32_t *w, size_t n, float mul, float loc, int has_loc,
                          float *out)
{
    const float add = has_loc ? loc : -0.0f; /* -0.0 is the exact identity for + */
#define KR_STORE_F32(i, e) (out[i] = add + mul * (e))
    KR_NORMAL_CHUNKS(KR_STORE_F32)
#undef KR_STORE_F32
}

/* MLX's gumbel: -log(-log(u)). u = 0 (word 0) is the one special case:
 * log(0) = -inf and the result is -inf; every other u is a positive normal
 * float below 1, and -log(u) a positive normal float. */
void KR_FN(kr_gumbel_f32)(const uint32_t *w, size_t n, float *out)
{
    for (size_t i = 0; i < n; i++) {
        const float u = KR_FN(kr_unit)(w[i]);
        uint32_t iu, iv;
        memcpy(&iu, &u, 4);
        const float v = -kr_logf_bits(iu); /* garbage for u = 0, replaced below */
        memcpy(&iv, &v, 4);
        out[i] = kr_select_f32(w[i] == 0, -INFINITY, -kr_logf_bits(iv));
    }
}

/* MLX's randint into int32 for bounds [lo, top + 1] that fit int32: floor of
 * the float32 uniform on [lo, high), clamped to [lo, top]. x lies in
 * [-2^31, 2^31]; only 2^31 does not fit int32, and it clamps to top anyway.
 * floor is truncation corrected for negative non-integers (floorf itself
 * does not vectorize without -fno-trapping-math). */
void KR_FN(kr_randint_i32)(const uint32_t *w, size_t n, float a, float b, int32_t lo,
                           int32_t top, int32_t *out)
{
    for (size_t i = 0; i < n; i++) {
        const float x = b * KR_FN(kr_unit)(w[i]) + a;
        const int fits = x < 0x1p31f;
        const float xs = kr_select_f32(fits, x, 0.0f);
        int32_t v = (int32_t)xs;
        v -= (float)v > xs;
        v = kr_select_i32(fits, v, top);
        v = v < top ? v : top;
        out[i] = v > lo ? v : lo;
    }
}

/* MLX's laplace: sign(s) * log1p(-|s|) for s as in normal, then * scale
 * and + loc (each only when MLX applies it). */
void KR_FN(kr_laplace_f32)(const uint32_t *w, size_t n, float scale, float loc, int has_scale,
                           int has_loc, float *out)
{
    const float mul = has_scale ? scale : 1.0f, add = has_loc ? loc : -0.0f;
    for (size_t i = 0; i < n; i++) {
        const float s = 2.0f * KR_FN(kr_unit)(w[i]) + -0x1.fffffep-1f;
        const float mag = kr_log1pf_neg(-fabsf(s));
        const float v = kr_select_f32(s > 0.0f, mag, kr_select_f32(s < 0.0f, -mag, 0.0f * mag));
        out[i] = add + mul * v; /* * 1.0 and + -0.0 are exact identities */
    }
}

/* MLX's float64 laplace: s and its sign in float32 as above, log1p(-|s|)
 * as the C library computes it in double (glibc's build fma_build of
 * kr_log1p_neg), then * scale and + loc in double. */
#define KR_LAPLACE_F64_LOOP(FMA_BUILD)                                         \
    for (size_t i = 0; i < n; i++) {                                           \
        const float s = 2.0f * KR_FN(kr_unit)(w[i]) + -0x1.fffffep-1f;         \
        const double mag = kr_log1p_neg(-(double)fabsf(s), FMA_BUILD);         \
        const double v = kr_select_f64(s > 0.0f, mag, kr_select_f64(s < 0.0f, -mag, 0.0 * mag)); \
        out[i] = add + mul * v;                                                \
    }

void KR_FN(kr_laplace_f64)(const uint32_t *w, size_t n, double scale, double loc, int has_scale,
                           int has_loc, int fma_build, double *out)
{
    const double mul = has_scale ? scale : 1.0, add = has_loc ? loc : -0.0;
    if (fma_build)
        KR_LAPLACE_F64_LOOP(1)
    else
        KR_LAPLACE_F64_LOOP(0)
}
#undef KR_LAPLACE_F64_LOOP

/* MLX's truncated_normal: u = range * unit + a (its uniform between the
 * bounds' erf values), sqrt(2) * erfinv(u), then min with hi and max with
 * lo. The vector loop takes erfinv's
 * central branch on logf's main path; the tails and u = +-1 (1 - u^2 = 0)
 * are flagged and recomputed by the full erfinv. */
/* maximum(minimum(v, hi), lo) as MLX clips: lo wins when lo > hi, and a NaN
 * v (every value is NaN when a bound is) stays NaN. */
KR_ALWAYS_INLINE float KR_FN(kr_clip_f32)(float v, float lo, float hi)
{
    const float down = kr_select_f32(v <= hi || v != v, v, hi);
    return kr_select_f32(down >= lo || down != down, down, lo);
}

void KR_FN(kr_truncated_f32)(const uint32_t *w, size_t n, float a, float range, float lo,
                             float hi, float *out)
{
    unsigned char tail[KR_NORMAL_CHUNK];
#define KR_CLIP(e) KR_FN(kr_clip_f32)(1.41421354f * (e), lo, hi)
    for (size_t i0 = 0; i0 < n; i0 += KR_NORMAL_CHUNK) {
        const size_t m = n - i0 < KR_NORMAL_CHUNK ? n - i0 : KR_NORMAL_CHUNK;
        unsigned any = 0;
        for (size_t i = 0; i < m; i++) {
            const float u = range * KR_FN(kr_unit)(w[i0 + i]) + a;
            const float x = kr_fmaf(u, -u, 1.0f);
            uint32_t ix;
            memcpy(&ix, &x, 4);
            const float t = kr_logf_bits(ix);
            tail[i] = (fabsf(t) > 6.125f) | (x < 0x1p-126f);
            any |= tail[i];
            const float e = u * kr_erfinv_near(t);
            out[i0 + i] = KR_CLIP(e);
        }
        if (!any) continue;
        for (size_t i = 0; i < m; i++) {
            if (!tail[i]) continue;
            const float e = kr_erfinv_f32(range * KR_FN(kr_unit)(w[i0 + i]) + a);
            out[i0 + i] = KR_CLIP(e);
        }
    }
#undef KR_CLIP
}

/* float16 / bfloat16 outputs: MLX rounds every operation to the type. These
 * conversions are branch-free (so they vectorize) and round to nearest even
 * like halfprec.h; NaN (from a NaN parameter) becomes the quiet NaN. */
KR_ALWAYS_INLINE uint16_t KR_FN(kr_f16_bits)(float f)
{
    uint32_t x, sum;
    memcpy(&x, &f, 4);
    const uint32_t sign = (x >> 16) & 0x8000u, a = x & 0x7FFFFFFFu;
    uint32_t normal = (a - (112u << 23) + 0xFFFu + ((a >> 13) & 1u)) >> 13;
    normal = kr_select_u32(normal < 0x7C00u, normal, 0x7C00u); /* overflow: inf */
    normal = kr_select_u32(a > 0x7F800000u, 0x7E00u, normal);
    float fa;
    memcpy(&fa, &a, 4);
    const float shifted = fa + 0.5f;      /* rounds to a multiple of 2^-24 */
    memcpy(&sum, &shifted, 4);
    const uint32_t subnormal = sum - 0x3F000000u;
    return (uint16_t)(sign | kr_select_u32(a < 0x38800000u, subnormal, normal));
}

KR_ALWAYS_INLINE float KR_FN(kr_f16_value)(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16, em = h & 0x7FFFu;
    uint32_t normal = (em << 13) + (112u << 23), r;
    normal = kr_select_u32(em >= 0x7C00u, normal + (112u << 23), normal); /* inf */
    const float tiny = (float)em * 0x1p-24f;                 /* subnormal, exact */
    uint32_t sub;
    memcpy(&sub, &tiny, 4);
    r = sign | kr_select_u32(em < 0x400u, sub, normal);
    float out;
    memcpy(&out, &r, 4);
    return out;
}

KR_ALWAYS_INLINE uint16_t KR_FN(kr_bf16_bits)(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    const uint32_t nearest = (x + 0x7FFFu + ((x >> 16) & 1u)) >> 16;
    return (uint16_t)kr_select_u32((x & 0x7FFFFFFFu) > 0x7F800000u, (x >> 16) | 0x40u, nearest);
}

KR_ALWAYS_INLINE float KR_FN(kr_bf16_value)(uint16_t h)
{
    const uint32_t x = (uint32_t)h << 16;
    float out;
    memcpy(&out, &x, 4);
    return out;
}

#define KR_ROUND_F16(x) KR_FN(kr_f16_value)(KR_FN(kr_f16_bits)(x))
#define KR_ROUND_BF16(x) KR_FN(kr_bf16_value)(KR_FN(kr_bf16_bits)(x))

/* uniform in a half type: u = round(min(unit, below one)), then
 * round(round(b * u) + a); a and b are already values of the type. */
void KR_FN(kr_uniform_half)(const uint32_t *w, size_t n, int bf16, float a, float b,
                            uint16_t *out)
{
    if (bf16) {
        for (size_t i = 0; i < n; i++) {
            const float u0 = (float)w[i] * 0x1p-32f;
            const float u = KR_ROUND_BF16(kr_select_f32(u0 < 0.99609375f, u0, 0.99609375f));
            out[i] = KR_FN(kr_bf16_bits)(KR_ROUND_BF16(b * u) + a);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            const float u0 = (float)w[i] * 0x1p-32f;
            const float u = KR_ROUND_F16(kr_select_f32(u0 < 0.99951171875f, u0, 0.99951171875f));
            out[i] = KR_FN(kr_f16_bits)(KR_ROUND_F16(b * u) + a);
        }
    }
}

/* normal in a half type: round(mul * round(erfinv(s))) (+ loc, rounded). */
void KR_FN(kr_normal_half)(const uint32_t *w, size_t n, int bf16, float mul, float loc,
                           int has_loc, uint16_t *out)
{
    /* Without loc add -0.0, the exact identity (+0.0 would turn -0 into +0). */
    const float add = has_loc ? loc : -0.0f;
#define KR_STORE_BF16(i, e) (out[i] = KR_FN(kr_bf16_bits)(add + KR_ROUND_BF16(mul * KR_ROUND_BF16(e))))
#define KR_STORE_F16(i, e) (out[i] = KR_FN(kr_f16_bits)(add + KR_ROUND_F16(mul * KR_ROUND_F16(e))))
    if (bf16) {
        KR_NORMAL_CHUNKS(KR_STORE_BF16)
    } else {
        KR_NORMAL_CHUNKS(KR_STORE_F16)
    }
#undef KR_STORE_BF16
#undef KR_STORE_F16
}

/* JAX's float64 uniform from a 64-bit word: f = 1.m - 1 from the top 52
 * bits, max(low, fma(f, range, low)) with XLA's flush of subnormal results
 * (low and range are already flushed). */
KR_ALWAYS_INLINE double KR_FN(kr_jax_uniform64)(uint64_t w, double low, double range)
{
    const double f = kr_u2d((w >> 12) | 0x3FF0000000000000ull) - 1.0;
    const double r = kr_xla_flush64(kr_fma(f, range, low));
    return kr_sel64(low > r, low, r);
}

/* The float64 samplers of sample.h (kr_sampler_f64), one value per 64-bit
 * word; one function per transform, as for float32 below. U is element i's
 * uniform draw; `a` the parameter as the transform uses it, `mul` / `add`
 * normal's and laplace's scale and loc (1 and -0.0, exact identities, when
 * absent). */
#define KR_JAX64_TRANSFORM(name, body)                                         \
    static void KR_FN(kr_jax64_##name)(const kr_sampler_f64 *s, const uint64_t *w, \
                                       size_t n, double *out)                  \
    {                                                                          \
        const double low = s->low, range = s->range, a = s->a;                 \
        const double mul = s->has_scale ? s->scale : 1.0;                      \
        const double add = s->has_loc ? s->loc : -0.0;                         \
        const double lo_clip = s->clip_lo, hi_clip = s->clip_hi;               \
        (void)a, (void)mul, (void)add, (void)lo_clip, (void)hi_clip;           \
        for (size_t i = 0; i < n; i++) {                                       \
            const double U = KR_FN(kr_jax_uniform64)(w[i], low, range);        \
            body                                                               \
        }                                                                      \
    }

/* erf_inv's central branch in the vector loop, the rare tail elements
 * (flagged) recomputed after each chunk by the full scalar erf_inv; STORE(i,
 * e) writes element i from e = erf_inv(U). */
#define KR_JAX64_ERFINV_TRANSFORM(name, STORE)                                 \
    static void KR_FN(kr_jax64_##name)(const kr_sampler_f64 *s, const uint64_t *w, \
                                       size_t n, double *out)                  \
    {                                                                          \
        const double low = s->low, range = s->range, a = s->a;                 \
        const double mul = s->has_scale ? s->scale : 1.0;                      \
        const double add = s->has_loc ? s->loc : -0.0;                         \
        const double lo_clip = s->clip_lo, hi_clip = s->clip_hi;               \
        (void)a, (void)mul, (void)add, (void)lo_clip, (void)hi_clip;           \
        unsigned char tail[KR_NORMAL_CHUNK];                                   \
        for (size_t i0 = 0; i0 < n; i0 += KR_NORMAL_CHUNK) {                   \
            const size_t m = n - i0 < KR_NORMAL_CHUNK ? n - i0 : KR_NORMAL_CHUNK; \
            unsigned any = 0;                                                  \
            for (size_t i = 0; i < m; i++) {                                   \
                int t;                                                         \
                const double U = KR_FN(kr_jax_uniform64)(w[i0 + i], low, range); \
                const double e = kr_xla_erfinv64_central(U, &t);               \
                tail[i] = (unsigned char)t;                                    \
                any |= (unsigned)t;                                            \
                STORE(i0 + i, e);                                              \
            }                                                                  \
            if (!any) continue;                                                \
            for (size_t i = 0; i < m; i++)                                     \
                if (tail[i])                                                   \
                    STORE(i0 + i, kr_xla_erfinv_f64(                           \
                                      KR_FN(kr_jax_uniform64)(w[i0 + i], low, range))); \
        }                                                                      \
    }

#define KR_SQRT2_F64 1.4142135623730951
#define KR_TINY64 0x1p-1022
KR_JAX64_TRANSFORM(uniform, out[i] = U;)
#define KR_STORE_NORMAL(i, e) (out[i] = add + mul * ((e) * KR_SQRT2_F64))
KR_JAX64_ERFINV_TRANSFORM(normal, KR_STORE_NORMAL)
/* clip: min(max(t, lo), hi), t flushed as XLA's product */
#define KR_STORE_TRUNC(i, e)                                                   \
    do {                                                                       \
        const double t_ = kr_xla_flush64(KR_SQRT2_F64 * (e));                  \
        const double up_ = kr_sel64(t_ > lo_clip || t_ != t_, t_, lo_clip);    \
        out[i] = kr_sel64(up_ < hi_clip || up_ != up_, up_, hi_clip);          \
    } while (0)
KR_JAX64_ERFINV_TRANSFORM(truncated_normal, KR_STORE_TRUNC)
/* XLA folds a broadcast sigma into normal's constant: a = fl(sigma * sqrt 2) */
#define KR_STORE_LOGNORMAL(i, e) (out[i] = kr_xla_exp64((e) * a))
KR_JAX64_ERFINV_TRANSFORM(lognormal, KR_STORE_LOGNORMAL)
#undef KR_STORE_NORMAL
#undef KR_STORE_TRUNC
#undef KR_STORE_LOGNORMAL
/* lax.sign(u) * log1p(-|u|), u = 0 giving u * log1p(0) */
KR_JAX64_TRANSFORM(laplace, const double mag = kr_xla_log1p64(-fabs(U));
                   const double sign = kr_sel64(U > 0.0, 1.0, kr_sel64(U < 0.0, -1.0, U));
                   out[i] = add + mul * (sign * mag);)
KR_JAX64_TRANSFORM(gumbel, out[i] = -kr_xla_log64(-kr_xla_log64(U));)
KR_JAX64_TRANSFORM(exponential, out[i] = -kr_xla_log1p64(-U);)
/* XLA folds uniform(tiny, 1) to max(f, tiny) */
KR_JAX64_TRANSFORM(logistic, const double x = kr_sel64(U > KR_TINY64, U, KR_TINY64);
                   out[i] = kr_xla_log64(x) - kr_xla_log1p64(-x);)
/* exp(e * fl(1 / b)), e exponential */
KR_JAX64_TRANSFORM(pareto, out[i] = kr_xla_exp64(-kr_xla_log1p64(-U) * a);)
KR_JAX64_TRANSFORM(rayleigh, out[i] = a * sqrt(kr_xla_log64(U) * -2.0);)
/* geometric as int64 in the double's slot, XLA's saturating conversion
 * (NaN: 0; the values are >= 1) */
KR_JAX64_TRANSFORM(geometric,
                   const double g = kr_xla_floor64(kr_xla_log64(kr_sel64(U == 0.0, 1.0, U)) * a) + 1.0;
                   const int64_t v = (int64_t)kr_sel64(g < 0x1p63, g, 0.0);
                   const int64_t r = g != g ? 0 : (g < 0x1p63 ? v : INT64_MAX);
                   memcpy(out + i, &r, 8);)
/* u < fc ? l + sqrt(u * rl * ml) : r - sqrt((1 - u) * rl * rm) */
KR_JAX64_TRANSFORM(triangular, const double *t = s->t;
                   const double lo = t[0] + sqrt(U * t[3] * t[4]);
                   const double hi = t[1] - sqrt((1.0 - U) * t[3] * t[5]);
                   out[i] = kr_sel64(U < t[2], lo, hi);)
#undef KR_SQRT2_F64
#undef KR_TINY64
#undef KR_JAX64_TRANSFORM
#undef KR_JAX64_ERFINV_TRANSFORM

void KR_FN(kr_jax_f64)(const kr_sampler_f64 *s, const uint64_t *w, size_t n, double *out)
{
    switch (s->dist) {
    case KR_NORMAL: KR_FN(kr_jax64_normal)(s, w, n, out); break;
    case KR_TRUNCATED_NORMAL: KR_FN(kr_jax64_truncated_normal)(s, w, n, out); break;
    case KR_LOGNORMAL: KR_FN(kr_jax64_lognormal)(s, w, n, out); break;
    case KR_LAPLACE: KR_FN(kr_jax64_laplace)(s, w, n, out); break;
    case KR_GUMBEL: KR_FN(kr_jax64_gumbel)(s, w, n, out); break;
    case KR_EXPONENTIAL: KR_FN(kr_jax64_exponential)(s, w, n, out); break;
    case KR_LOGISTIC: KR_FN(kr_jax64_logistic)(s, w, n, out); break;
    case KR_PARETO: KR_FN(kr_jax64_pareto)(s, w, n, out); break;
    case KR_RAYLEIGH: KR_FN(kr_jax64_rayleigh)(s, w, n, out); break;
    case KR_GEOMETRIC: KR_FN(kr_jax64_geometric)(s, w, n, out); break;
    case KR_TRIANGULAR: KR_FN(kr_jax64_triangular)(s, w, n, out); break;
    default: KR_FN(kr_jax64_uniform)(s, w, n, out); break;
    }
}

/* JAX's 32-bit randint from its two draws (sample_jax.h): x % span by
 * multiplying with a precomputed reciprocal (the round-up method of
 * Granlund and Montgomery, as libdivide's branch-free unsigned division
 * uses it: q = (((x - t) >> 1) + t) >> shift, t = mulhi(x, magic)), exact
 * for every 32-bit x, so the loop vectorizes (no integer division). */
void KR_FN(kr_randint32_jax)(const uint32_t *hi, const uint32_t *lo, size_t n, uint32_t span,
                             uint32_t mult, uint32_t base, uint32_t *out)
{
    if (span == 0) { /* the whole type: hi * mult + lo with mult = 2^32 mod 2^32 = 0 */
        for (size_t i = 0; i < n; i++) out[i] = base + hi[i] * mult + lo[i];
        return;
    }
    if (span == 1) {
        for (size_t i = 0; i < n; i++) out[i] = base;
        return;
    }
    unsigned k = 31;
    while (!(span >> k)) k--; /* floor(log2(span)) */
    uint32_t magic = 0, shift = k - 1;
    if (span & (span - 1)) { /* not a power of two: magic = 1 + floor(2^(33+k) / span) */
        const uint64_t p = (uint64_t)1 << (32 + k);
        const uint32_t q0 = (uint32_t)(p / span), rem = (uint32_t)(p % span);
        magic = q0 + q0 + ((uint64_t)rem + rem >= span) + 1u;
        shift = k;
    }
#define KR_MOD(x)                                                              \
    ((x) - span * (((((x) - (uint32_t)(((uint64_t)(x) * magic) >> 32)) >> 1) + \
                    (uint32_t)(((uint64_t)(x) * magic) >> 32)) >> shift))
    for (size_t i = 0; i < n; i++) {
        const uint32_t a = hi[i], b = lo[i];
        const uint32_t offset = KR_MOD(a) * mult + KR_MOD(b); /* wraps as XLA's */
        out[i] = base + KR_MOD(offset);
    }
#undef KR_MOD
}

/* JAX's wald from its two draws (sample_split.h): v normal, z uniform, every
 * operation in the type as XLA fuses it (two multiply-adds contracted):
 *   y = v^2, root = sqrt(fma(4 mu, y, mu^2 y^2)),
 *   x = fma(-mu / 2, root, mu + mu^2 y / 2), z <= mu / (mu + x) ? x : mu^2 / x */
#define KR_WALD_LOOP(T, SQRT, FMA, SEL)                                        \
    do {                                                                       \
        const T *v_ = v, *z_ = z;                                              \
        T *o_ = out;                                                           \
        const T mu = (T)mean, mu2 = mu * mu, four = (T)4 * mu, half = mu / (T)2; \
        for (size_t i = 0; i < n; i++) {                                       \
            const T y = v_[i] * v_[i];                                         \
            const T root = SQRT(FMA(four, y, mu2 * (y * y)));                  \
            const T x = FMA(-half, root, mu + (mu2 * y) / (T)2);               \
            o_[i] = SEL(z_[i] <= mu / (mu + x), x, mu2 / x);                   \
        }                                                                      \
    } while (0)

void KR_FN(kr_wald_jax)(int type, const void *v, const void *z, size_t n, double mean,
                        void *out)
{
    if (type == KR_F64)
        KR_WALD_LOOP(double, sqrt, kr_fma, kr_sel64);
    else
        KR_WALD_LOOP(float, sqrtf, kr_fmaf, kr_select_f32);
}
#undef KR_WALD_LOOP

/* JAX's float32 uniform: f = 1.m - 1 from the top 23 bits, then
 * max(low, fma(f, range, low)) with XLA's flush of subnormal results. */
KR_ALWAYS_INLINE float KR_FN(kr_jax_uniform)(uint32_t w, float low, float range)
{
    const uint32_t bits = (w >> 9) | 0x3f800000u;
    float f;
    memcpy(&f, &bits, 4);
    const float r = kr_fmaf(f - 1.0f, range, low);
    const float flushed = kr_select_f32(fabsf(r) < 0x1p-126f, copysignf(0.0f, r), r);
    return kr_select_f32(low > flushed, low, flushed);
}

/* One function per JAX transform (sample_jax.h): each loop stays small enough
 * for the XLA math it calls to be inlined and vectorized. U is element i's
 * uniform draw under the descriptor's range. */
#define KR_JAX_TRANSFORM(name, body)                                           \
    static void KR_FN(kr_jax_##name)(const kr_jax_f32 *s, const uint32_t *w,   \
                                     size_t n, float *out)                     \
    {                                                                          \
        const float low = s->low, range = s->range, a = s->a, b = s->b;        \
        (void)a, (void)b;                                                      \
        for (size_t i = 0; i < n; i++) {                                       \
            const float U = KR_FN(kr_jax_uniform)(w[i], low, range);           \
            body                                                               \
        }                                                                      \
    }

#define KR_TINY 0x1p-126f
KR_JAX_TRANSFORM(uniform_f32, out[i] = U;)
KR_JAX_TRANSFORM(normal, out[i] = 1.41421354f * kr_xla_erfinvf(U);)
KR_JAX_TRANSFORM(exponential, out[i] = -kr_xla_log1pf(-U);)
KR_JAX_TRANSFORM(gumbel, out[i] = -kr_xla_logf(-kr_xla_logf(kr_select_f32(U > KR_TINY, U, KR_TINY)));)
/* sign(u) * log1p(-|u|): u = 0 gives 0 * log1p(0) = 0 */
KR_JAX_TRANSFORM(laplace, const float mag = kr_xla_log1pf(-fabsf(U));
                 out[i] = kr_select_f32(U > 0.0f, mag, kr_select_f32(U < 0.0f, -mag, 0.0f * mag));)
KR_JAX_TRANSFORM(logistic, const float x = kr_select_f32(U > KR_TINY, U, KR_TINY);
                 out[i] = kr_xla_logf(x) - kr_xla_log1pf(-x);)
KR_JAX_TRANSFORM(lognormal, out[i] = kr_xla_expf(kr_xla_erfinvf(U) * a);)
KR_JAX_TRANSFORM(pareto, out[i] = kr_xla_expf(-kr_xla_log1pf(-U) * a);)
KR_JAX_TRANSFORM(rayleigh, out[i] = a * kr_xla_sqrtf(kr_xla_logf(U) * -2.0f);)
/* clip: min(max(x, a), b) */
KR_JAX_TRANSFORM(truncated_normal, const float x = 1.41421354f * kr_xla_erfinvf(U);
                 const float up = kr_select_f32(x > a, x, a);
                 out[i] = kr_select_f32(up < b, up, b);)
/* u = max(eps, fma(f, 1 - eps, eps)), XLA's folding of uniform(eps, 1) */
KR_JAX_TRANSFORM(cauchy, const float v = kr_fmaf(U, 1.0f - 0x1p-23f, 0x1p-23f);
                 const float u = kr_select_f32(v > 0x1p-23f, v, 0x1p-23f);
                 out[i] = kr_xla_tanf((u - 0.5f) * 3.14159274f);)
/* XLA flushes a subnormal product to zero */
KR_JAX_TRANSFORM(weibull, out[i] = kr_xla_mul_ftz(kr_xla_powf(-kr_xla_log1pf(-U), a), b);)
/* geometric as int32 in the float's slot, XLA's saturating conversion */
KR_JAX_TRANSFORM(geometric,
                 const float g = kr_xla_floorf(kr_xla_logf(kr_select_f32(U == 0.0f, 1.0f, U)) * a) + 1.0f;
                 const int32_t v = (int32_t)kr_select_f32(g < 0x1p31f, g, 0.0f);
                 const int32_t r = kr_select_i32(g != g, 0, kr_select_i32(g < 0x1p31f, v, INT32_MAX));
                 memcpy(out + i, &r, 4);)
KR_JAX_TRANSFORM(triangular, const float *t = s->t;
                 const float lo = t[0] + kr_xla_sqrtf(U * t[3] * t[4]);
                 const float hi = t[1] - kr_xla_sqrtf((1.0f - U) * t[3] * t[5]);
                 out[i] = kr_select_f32(U < t[2], lo, hi);)
#undef KR_TINY
#undef KR_JAX_TRANSFORM

void KR_FN(kr_jax_f32)(const kr_jax_f32 *s, const uint32_t *w, size_t n, float *out)
{
    switch (s->dist) {
    case KR_NORMAL: KR_FN(kr_jax_normal)(s, w, n, out); break;
    case KR_EXPONENTIAL: KR_FN(kr_jax_exponential)(s, w, n, out); break;
    case KR_GUMBEL: KR_FN(kr_jax_gumbel)(s, w, n, out); break;
    case KR_LAPLACE: KR_FN(kr_jax_laplace)(s, w, n, out); break;
    case KR_LOGISTIC: KR_FN(kr_jax_logistic)(s, w, n, out); break;
    case KR_LOGNORMAL: KR_FN(kr_jax_lognormal)(s, w, n, out); break;
    case KR_PARETO: KR_FN(kr_jax_pareto)(s, w, n, out); break;
    case KR_RAYLEIGH: KR_FN(kr_jax_rayleigh)(s, w, n, out); break;
    case KR_TRUNCATED_NORMAL: KR_FN(kr_jax_truncated_normal)(s, w, n, out); break;
    case KR_CAUCHY: KR_FN(kr_jax_cauchy)(s, w, n, out); break;
    case KR_WEIBULL: KR_FN(kr_jax_weibull)(s, w, n, out); break;
    case KR_GEOMETRIC: KR_FN(kr_jax_geometric)(s, w, n, out); break;
    case KR_TRIANGULAR: KR_FN(kr_jax_triangular)(s, w, n, out); break;
    default: KR_FN(kr_jax_uniform_f32)(s, w, n, out); break;
    }
}

/* XLA's float32 elementwise math over an array (kr_xla_f32_array): one loop
 * per function, so each can vectorize and its FMAs are the ISA's. */
void KR_FN(kr_xla_f32_array)(int fn, const float *x, size_t n, float *out)
{
    switch (fn) {
    case KR_XLA32_LOG: for (size_t i = 0; i < n; i++) out[i] = kr_xla_logf(x[i]); break;
    case KR_XLA32_LOG1P: for (size_t i = 0; i < n; i++) out[i] = kr_xla_log1pf(x[i]); break;
    case KR_XLA32_EXP: for (size_t i = 0; i < n; i++) out[i] = kr_xla_expf(x[i]); break;
    case KR_XLA32_ERF: for (size_t i = 0; i < n; i++) out[i] = kr_xla_erff(x[i]); break;
    case KR_XLA32_ERFINV: for (size_t i = 0; i < n; i++) out[i] = kr_xla_erfinvf(x[i]); break;
    case KR_XLA32_TAN: for (size_t i = 0; i < n; i++) out[i] = kr_xla_tanf(x[i]); break;
    case KR_XLA32_LGAMMA: for (size_t i = 0; i < n; i++) out[i] = kr_xla_lgammaf(x[i]); break;
    case KR_XLA32_ERF_SCALAR:
        for (size_t i = 0; i < n; i++) out[i] = kr_xla_erff_scalar(x[i]);
        break;
    default: break;
    }
}
