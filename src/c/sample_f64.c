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
    case KR_EXPONENTIAL:
    case KR_LOGISTIC:
        kr_set_range(s, 0.0, 1.0);
        break;
    case KR_LOGNORMAL:
        kr_set_range(s, nextafter(-1.0, 0.0), 1.0);
        s->a = p * KR_SQRT2;
        break;
    case KR_PARETO:
        kr_set_range(s, 0.0, 1.0);
        s->a = 1.0 / p;
        break;
    case KR_RAYLEIGH:
    case KR_GEOMETRIC:
        kr_set_range(s, 0.0, 1.0);
        s->a = p;
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

void kr_sampler_f64_triangular(kr_sampler_f64 *s, double left, double mode, double right)
{
    memset(s, 0, sizeof *s);
    s->dist = KR_TRIANGULAR;
    kr_set_range(s, 0.0, 1.0);
    const double rl = right - left, ml = mode - left;
    const double t[6] = {left, right, ml * (1.0 / rl), rl, ml, right - mode};
    memcpy(s->t, t, sizeof t);
}

/* Values from n 64-bit words (a kr_finish_fn of box.h). */
static void kr_values_f64(const void *ctx, const void *raw, size_t n, void *out)
{
    kr_kernels()->jax_f64(ctx, raw, n, out);
}

/* 64-bit words [start, start + n) of a key's stream of `total` (used by
 * the halves layout only) in `layout`. */
static int kr_words64(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                      size_t n, uint64_t *words)
{
    return layout == KR_PART_U64 ? kr_part_u64(key, start, n, words)
                                 : kr_halves_u64(key, total, start, n, words);
}

static int kr_f64_layout_ok(kr_layout layout, uint64_t total)
{
    if (layout == KR_PART_U64) return KR_OK;
    if (layout != KR_HALVES_U64) return KR_ERR_ARG;
    return total > KR_HALVES_MAX_WORDS / 2 ? KR_ERR_TOO_LARGE : KR_OK;
}

int kr_f64_sample(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                  size_t n, const kr_sampler_f64 *s, double *out)
{
    uint64_t words[KR_BLOCK64];
    for (size_t done = 0; done < n; done += KR_BLOCK64) {
        const size_t m = n - done < KR_BLOCK64 ? n - done : KR_BLOCK64;
        const int rc = kr_words64(layout, key, total, start + done, m, words);
        if (rc != KR_OK) return rc;
        kr_values_f64(s, words, m, out + done);
    }
    return KR_OK;
}

int kr_part_sample_f64(const uint32_t key[2], uint64_t start, size_t n,
                       const kr_sampler_f64 *s, double *out)
{
    return kr_f64_sample(KR_PART_U64, key, 0, start, n, s, out);
}

typedef struct kr_f64_job {
    kr_layout layout;
    uint64_t total;
    const kr_sampler_f64 *s;
} kr_f64_job;

static void kr_f64_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                       const void *params)
{
    const kr_f64_job *job = params;
    /* a checked layout and range: cannot fail */
    (void)kr_f64_sample(job->layout, key, job->total, first, (size_t)count, job->s,
                        (double *)key_out + first);
}

int kr_f64_sample_batch(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t n,
                        const kr_sampler_f64 *s, double *out)
{
    const int rc = kr_f64_layout_ok(layout, n);
    if (rc != KR_OK) return rc;
    const kr_f64_job job = {layout, n, s};
    kr_parallel_ranges(keys, nkeys, n, KR_TASK_WORDS / 2, 2, (size_t)n * 8, out, kr_f64_run, &job);
    return KR_OK;
}

int kr_part_sample_f64_batch(const uint32_t *keys, size_t nkeys, uint64_t n,
                             const kr_sampler_f64 *s, double *out)
{
    return kr_f64_sample_batch(KR_PART_U64, keys, nkeys, n, s, out);
}

static void kr_u64_span(const uint32_t key[2], uint64_t start, size_t n, void *out,
                        const void *params)
{
    const kr_f64_job *job = params;
    (void)kr_words64(job->layout, key, job->total, start, n, out); /* a checked box */
}

int kr_f64_sample_box(kr_layout layout, const uint32_t *keys, size_t nkeys, const kr_box *box,
                      const kr_sampler_f64 *s, double *out)
{
    uint64_t total, size;
    int rc = kr_box_check(box, &total, &size);
    if (rc == KR_OK) rc = kr_f64_layout_ok(layout, total);
    if (rc != KR_OK) return rc;
    const kr_f64_job job = {layout, total, s};
    const kr_box_source src = {kr_u64_span, &job, 8, kr_values_f64, s, sizeof(double), 2};
    kr_box_fill(box, keys, nkeys, &src, out);
    return KR_OK;
}

int kr_part_sample_f64_box(const uint32_t *keys, size_t nkeys, const kr_box *box,
                           const kr_sampler_f64 *s, double *out)
{
    return kr_f64_sample_box(KR_PART_U64, keys, nkeys, box, s, out);
}

void kr_uniform_f64_array(const double *f, const double *low, const double *high, size_t n,
                          double *out)
{
    for (size_t i = 0; i < n; i++) {
        const double lo = kr_daz(low[i]);
        out[i] = kr_uniform_f64(f[i], lo, kr_daz(kr_daz(high[i]) - lo));
    }
}
