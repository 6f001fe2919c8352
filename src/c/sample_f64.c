/* float64 samplers on JAX's partitionable 64-bit layout (see sample.h). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "box.h"
#include "dispatch.h"
#include "fused.h"
#include "keyrand.h"
#include "parallel.h"
#include "sample.h"
#include "xla_math.h"

#define KR_BLOCK64 512
#define KR_SQRT2 1.4142135623730951

/* Subnormal operands read as zero in XLA's kernels. */
static inline double kr_daz(double x)
{
    return fabs(x) < DBL_MIN ? copysign(0.0, x) : x;
}

/* [0, 1) from the top 52 bits of a word: 1.m - 1, exact. */
static inline double kr_unit_f64(uint64_t word)
{
    const uint64_t bits = (word >> 12) | 0x3FF0000000000000ull;
    double d;
    memcpy(&d, &bits, 8);
    return d - 1.0;
}

/* jax.random.uniform in float64: XLA fuses the scale and shift. */
static inline double kr_uniform_f64(double f, double low, double range)
{
    const double r = kr_daz(kr_fma(f, range, low));
    return low > r ? low : r;
}

static void kr_set_range(kr_sampler_f64 *s, double low, double high)
{
    s->low = kr_daz(low);
    s->range = kr_daz(kr_daz(high) - s->low);
}

int kr_sampler_f64_init(kr_sampler_f64 *s, kr_dist dist, double p, double q, int flags)
{
    memset(s, 0, sizeof *s);
    s->dist = dist;
    s->loc = p;
    s->scale = q;
    switch (dist) {
    case KR_UNIFORM:
        kr_set_range(s, p, q);
        break;
    case KR_NORMAL:
        kr_set_range(s, nextafter(-1.0, 0.0), 1.0);
        s->has_loc = (flags & KR_HAS_P) != 0;
        s->has_scale = (flags & KR_HAS_Q) != 0;
        break;
    case KR_LAPLACE:
        kr_set_range(s, -1.0 + DBL_EPSILON / 2, 1.0);
        s->has_loc = p != 0.0;
        s->has_scale = q != 1.0;
        break;
    case KR_GUMBEL:
        kr_set_range(s, DBL_MIN, 1.0);
        break;
    case KR_TRUNCATED_NORMAL:
        /* XLA rewrites the division by the constant sqrt 2 as a product with
         * its reciprocal, 1 / sqrt 2 rounded once. */
        kr_set_range(s, kr_xla_erf_f64(p * (1.0 / KR_SQRT2)), kr_xla_erf_f64(q * (1.0 / KR_SQRT2)));
        s->clip_lo = nextafter(p, INFINITY);
        s->clip_hi = nextafter(q, -INFINITY);
        break;
    default:
        return KR_ERR_ARG;
    }
    return KR_OK;
}

static inline double kr_value_f64(const kr_sampler_f64 *s, uint64_t word)
{
    const double u = kr_uniform_f64(kr_unit_f64(word), s->low, s->range);
    double v;
    switch (s->dist) {
    case KR_NORMAL:
        v = kr_xla_erfinv_f64(u) * KR_SQRT2;
        break;
    case KR_LAPLACE: {
        const double sign = u > 0.0 ? 1.0 : (u < 0.0 ? -1.0 : u); /* lax.sign */
        v = sign * kr_xla_log1p_f64(-fabs(u));
        break;
    }
    case KR_GUMBEL:
        return -kr_xla_log_f64(-kr_xla_log_f64(u));
    case KR_TRUNCATED_NORMAL: {
        const double t = kr_daz(KR_SQRT2 * kr_xla_erfinv_f64(u));
        const double lo = t > s->clip_lo ? t : s->clip_lo;
        return lo < s->clip_hi ? lo : s->clip_hi;
    }
    default:
        return u;
    }
    if (s->has_scale) v = s->scale * v;
    return s->has_loc ? s->loc + v : v;
}

/* Values from n 64-bit words (a kr_finish_fn of box.h). */
static void kr_values_f64(const void *ctx, const void *raw, size_t n, void *out)
{
    const kr_sampler_f64 *s = ctx;
    const uint64_t *words = raw;
    double *dst = out;
    if (s->dist == KR_UNIFORM) {
        kr_kernels()->uniform_f64(words, n, s->low, s->range, dst);
        return;
    }
    for (size_t i = 0; i < n; i++) dst[i] = kr_value_f64(s, words[i]);
}

int kr_part_sample_f64(const uint32_t key[2], uint64_t start, size_t n,
                       const kr_sampler_f64 *s, double *out)
{
    uint64_t words[KR_BLOCK64];
    for (size_t done = 0; done < n; done += KR_BLOCK64) {
        const size_t m = n - done < KR_BLOCK64 ? n - done : KR_BLOCK64;
        const int rc = kr_part_u64(key, start + done, m, words);
        if (rc != KR_OK) return rc;
        kr_values_f64(s, words, m, out + done);
    }
    return KR_OK;
}

static void kr_f64_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                       const void *params)
{
    kr_part_sample_f64(key, first, (size_t)count, params, (double *)key_out + first);
}

int kr_part_sample_f64_batch(const uint32_t *keys, size_t nkeys, uint64_t n,
                             const kr_sampler_f64 *s, double *out)
{
    /* Element indices are 64-bit: any n that fits in memory is in range. */
    kr_parallel_ranges(keys, nkeys, n, KR_TASK_WORDS / 2, 2, (size_t)n * 8, out, kr_f64_run, s);
    return KR_OK;
}

static void kr_u64_span(const uint32_t key[2], uint64_t start, size_t n, void *out,
                        const void *params)
{
    (void)params;
    (void)kr_part_u64(key, start, n, out); /* runs of a checked box are in range */
}

int kr_part_sample_f64_box(const uint32_t *keys, size_t nkeys, const kr_box *box,
                           const kr_sampler_f64 *s, double *out)
{
    uint64_t total, size;
    const int rc = kr_box_check(box, &total, &size);
    if (rc != KR_OK) return rc;
    const kr_box_source src = {kr_u64_span, NULL, 8, kr_values_f64, s, sizeof(double), 2};
    kr_box_fill(box, keys, nkeys, &src, out);
    return KR_OK;
}

void kr_uniform_f64_array(const double *f, const double *low, const double *high, size_t n,
                          double *out)
{
    for (size_t i = 0; i < n; i++) {
        const double lo = kr_daz(low[i]);
        out[i] = kr_uniform_f64(f[i], lo, kr_daz(kr_daz(high[i]) - lo));
    }
}
