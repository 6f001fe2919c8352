/* jax.random.choice with p and replacement (sample_choice.h). */
#include "sample_choice.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "sample.h"
#include "sample_jax.h"

enum { SCAN_BLOCK = 16, DRAW_BLOCK = 256 };

/* Inclusive prefix sums as XLA:CPU scans: running sums within blocks of 16,
 * then each block raised by the scanned totals of the blocks before it. */
#define DEFINE_CUMSUM(NAME, T)                                                          \
    static int NAME(const T *x, size_t n, T *out)                                       \
    {                                                                                   \
        for (size_t s0 = 0; s0 < n; s0 += SCAN_BLOCK) {                                 \
            T acc = 0;                                                                  \
            const size_t e = n - s0 < SCAN_BLOCK ? n : s0 + SCAN_BLOCK;                 \
            for (size_t i = s0; i < e; i++) out[i] = acc = acc + x[i];                  \
        }                                                                               \
        const size_t blocks = (n + SCAN_BLOCK - 1) / SCAN_BLOCK;                        \
        if (blocks < 2) return KR_OK;                                                   \
        T *totals = malloc(2 * blocks * sizeof *totals);                                \
        if (!totals) return KR_ERR_TOO_LARGE;                                           \
        for (size_t b = 0; b < blocks; b++) {                                           \
            const size_t last = (b + 1) * SCAN_BLOCK < n ? (b + 1) * SCAN_BLOCK : n;    \
            totals[b] = out[last - 1];                                                  \
        }                                                                               \
        int rc = NAME(totals, blocks, totals + blocks);                                 \
        for (size_t b = 1; rc == KR_OK && b < blocks; b++) {                            \
            const size_t last = (b + 1) * SCAN_BLOCK < n ? (b + 1) * SCAN_BLOCK : n;    \
            for (size_t i = b * SCAN_BLOCK; i < last; i++) out[i] += totals[blocks + b - 1]; \
        }                                                                               \
        free(totals);                                                                   \
        return rc;                                                                      \
    }
DEFINE_CUMSUM(cumsum_f32, float)
DEFINE_CUMSUM(cumsum_f64, double)

/* Integer keys in the sort comparator's order: -0 as +0, every NaN as +NaN
 * (above +inf), negative floats below positive ones. */
static int32_t order_key32(float x)
{
    uint32_t b;
    x = x == 0.0f ? 0.0f : x;
    memcpy(&b, &x, sizeof b);
    if (x != x) b = 0x7FC00000u;
    const int32_t k = (int32_t)b;
    return k ^ (int32_t)((uint32_t)(k >> 31) >> 1);
}

static int64_t order_key64(double x)
{
    uint64_t b;
    x = x == 0.0 ? 0.0 : x;
    memcpy(&b, &x, sizeof b);
    if (x != x) b = 0x7FF8000000000000u;
    const int64_t k = (int64_t)b;
    return k ^ (int64_t)((uint64_t)(k >> 63) >> 1);
}

typedef struct kr_choice_job {
    int f64;
    kr_layout layout;
    uint64_t total;
    kr_jax_f32 u32;
    kr_sampler_f64 u64;
    const void *cum;   /* float or double */
    const void *order; /* order keys of cum (int32_t or int64_t); NULL: bucketed */
    float top32;       /* cum[ncats - 1] */
    double top64;
    uint32_t ncats;
    unsigned levels, width;
    /* Sorted cums: bucket b = bucket_of(r) holds the answers for r in
     * [start[b], start[b + 1]] (start[nbuckets] = ncats). */
    const uint32_t *start;
    uint32_t nbuckets;
    unsigned steps;
    double scale;
} kr_choice_job;

enum { MAX_BUCKETS = 1 << 14 };

/* Monotone in x (a product by a positive scale, then truncated), so
 * bucket_of(cum[i]) < bucket_of(r) implies cum[i] < r. */
static uint32_t bucket_of(double x, double scale, uint32_t nbuckets)
{
    const double t = x * scale;
    return t <= 0.0 ? 0 : t >= (double)(nbuckets - 1) ? nbuckets - 1 : (uint32_t)t;
}

/* On a non-decreasing cum without NaN every correct lower bound is JAX's
 * answer: the first index whose cum is at least r, searched inside r's
 * bucket by `steps` branch-free halvings (steps covers the longest bucket;
 * cum[ncats] is +inf, so an exhausted range reads no further). */
#define LOWER_BOUND(T, JOB, R, RESULT)                                                  \
    do {                                                                                \
        const T *cum_ = (JOB)->cum;                                                     \
        const uint32_t b_ = bucket_of((double)(R), (JOB)->scale, (JOB)->nbuckets);      \
        uint32_t base_ = (JOB)->start[b_], len_ = (JOB)->start[b_ + 1] - base_;         \
        for (unsigned s_ = 0; s_ < (JOB)->steps; s_++) {                                \
            const uint32_t half_ = len_ >> 1;                                           \
            const int below_ = cum_[base_ + half_] < (R);                               \
            base_ = below_ ? base_ + half_ + 1 : base_;                                 \
            len_ = below_ ? len_ - half_ - 1 : half_;                                   \
        }                                                                               \
        (RESULT) = base_;                                                               \
    } while (0)

/* searchsorted(side='left') as JAX's scan runs it: `levels` halvings of
 * [low, high), high where query <= order[mid]. */
#define SEARCH(ORDER, Q, LEVELS, NCATS, RESULT)                                         \
    do {                                                                                \
        uint32_t low_ = 0, high_ = (NCATS);                                             \
        for (unsigned l_ = 0; l_ < (LEVELS); l_++) {                                    \
            const uint32_t mid_ = low_ + (high_ - low_) / 2;                            \
            const int left_ = (Q) <= (ORDER)[mid_];                                     \
            low_ = left_ ? low_ : mid_;                                                 \
            high_ = left_ ? mid_ : high_;                                               \
        }                                                                               \
        (RESULT) = high_;                                                               \
    } while (0)

static void kr_choice_run(const uint32_t key[2], uint64_t first, uint64_t count,
                          void *key_out, const void *params)
{
    const kr_choice_job *job = params;
    union { float f[DRAW_BLOCK]; double d[DRAW_BLOCK]; } u;
    uint32_t idx[DRAW_BLOCK];
    for (uint64_t done = 0; done < count; done += DRAW_BLOCK) {
        const uint64_t at = first + done;
        const size_t m = count - done < DRAW_BLOCK ? (size_t)(count - done) : DRAW_BLOCK;
        /* a checked layout and range: cannot fail */
        if (job->f64) {
            const int64_t *order = job->order;
            (void)kr_f64_sample(job->layout, key, job->total, at, m, &job->u64, u.d);
            for (size_t i = 0; i < m; i++) {
                const double r = job->top64 * (1.0 - u.d[i]);
                if (order) {
                    const int64_t q = order_key64(r);
                    SEARCH(order, q, job->levels, job->ncats, idx[i]);
                } else {
                    LOWER_BOUND(double, job, r, idx[i]);
                }
            }
        } else {
            const int32_t *order = job->order;
            (void)kr_jax_f32_range(job->layout, key, job->total, at, m, &job->u32, u.f);
            for (size_t i = 0; i < m; i++) {
                const float r = job->top32 * (1.0f - u.f[i]);
                if (order) {
                    const int32_t q = order_key32(r);
                    SEARCH(order, q, job->levels, job->ncats, idx[i]);
                } else {
                    LOWER_BOUND(float, job, r, idx[i]);
                }
            }
        }
        if (job->width == 8) {
            int64_t *dst = (int64_t *)key_out + at;
            for (size_t i = 0; i < m; i++) dst[i] = idx[i];
        } else {
            memcpy((int32_t *)key_out + at, idx, m * sizeof *idx);
        }
    }
}

int kr_jax_choice_p_batch(int type, kr_layout layout, const uint32_t *keys, size_t nkeys,
                          uint64_t n, const void *p, size_t ncats, unsigned width, void *out)
{
    const int f64 = type == KR_F64;
    if ((type != KR_F32 && !f64) || (width != 4 && width != 8) || ncats == 0)
        return KR_ERR_ARG;
    if (f64 ? layout != KR_PART_U64 && layout != KR_HALVES_U64
            : layout != KR_PART_U32 && layout != KR_HALVES_WORDS)
        return KR_ERR_ARG;
    /* jnp.searchsorted counts in uint32 */
    if (ncats > UINT32_MAX - 1 || ncats > SIZE_MAX / 16) return KR_ERR_TOO_LARGE;
    if ((layout == KR_HALVES_WORDS && n > KR_HALVES_MAX_WORDS) ||
        (layout == KR_HALVES_U64 && n > KR_HALVES_MAX_WORDS / 2))
        return KR_ERR_TOO_LARGE;
    if (n == 0 || nkeys == 0) return KR_OK;
    kr_choice_job job = {.f64 = f64, .layout = layout, .total = n, .ncats = (uint32_t)ncats,
                         .width = width};
    while (job.levels < 33 && ((uint64_t)1 << job.levels) < (uint64_t)ncats + 1) job.levels++;
    job.nbuckets = 1;
    while (job.nbuckets < 4 * ncats && job.nbuckets < MAX_BUCKETS) job.nbuckets *= 2;
    const size_t item = f64 ? 8 : 4;
    /* cum and a +inf after it, its order keys, the bucket starts */
    char *scratch = malloc((2 * ncats + 2) * item + (job.nbuckets + 1) * sizeof(uint32_t));
    if (!scratch) return KR_ERR_TOO_LARGE;
    void *cum = scratch, *order = scratch + (ncats + 1) * item;
    uint32_t *start = (uint32_t *)(scratch + (2 * ncats + 2) * item);
    int rc = f64 ? cumsum_f64(p, ncats, cum) : cumsum_f32(p, ncats, cum);
    int sorted = 1;
    for (size_t i = 0; i < ncats; i++) {
        const double c = f64 ? ((const double *)cum)[i] : ((const float *)cum)[i];
        sorted &= c == c && (i == 0 || c >= (f64 ? ((const double *)cum)[i - 1]
                                                 : ((const float *)cum)[i - 1]));
    }
    if (f64) {
        job.top64 = ((const double *)cum)[ncats - 1];
        (void)kr_sampler_f64_init(&job.u64, KR_UNIFORM, 0.0, 1.0, 0);
    } else {
        job.top32 = ((const float *)cum)[ncats - 1];
        (void)kr_jax_f32_init(&job.u32, KR_UNIFORM, 0.0, 1.0);
    }
    const double top = f64 ? job.top64 : job.top32;
    job.cum = cum;
    job.scale = top > 0.0 ? job.nbuckets / top : 0.0;
    /* The buckets cost a few steps per bucket: worth it from about one draw
     * per category. */
    const int bucketed = sorted && top <= DBL_MAX && job.scale > 0.0 && job.scale <= DBL_MAX &&
                         n >= (ncats + nkeys - 1) / nkeys;
    if (bucketed) {
        uint32_t b = 0;
        for (size_t i = 0; i < ncats; i++) {
            const double c = f64 ? ((const double *)cum)[i] : ((const float *)cum)[i];
            for (const uint32_t to = bucket_of(c, job.scale, job.nbuckets); b <= to; b++)
                start[b] = (uint32_t)i;
        }
        for (; b <= job.nbuckets; b++) start[b] = (uint32_t)ncats;
        uint32_t longest = 0;
        for (b = 0; b < job.nbuckets; b++)
            longest = start[b + 1] - start[b] > longest ? start[b + 1] - start[b] : longest;
        while (longest >> job.steps) job.steps++; /* halvings that empty the range */
        if (f64) ((double *)cum)[ncats] = INFINITY;
        else ((float *)cum)[ncats] = INFINITY;
        job.start = start;
    } else {
        for (size_t i = 0; i < ncats; i++) {
            if (f64) ((int64_t *)order)[i] = order_key64(((const double *)cum)[i]);
            else ((int32_t *)order)[i] = order_key32(((const float *)cum)[i]);
        }
        job.order = order;
    }
    if (rc == KR_OK)
        kr_parallel_ranges(keys, nkeys, n, KR_TASK_WORDS / 8, f64 ? 2 : 1, (size_t)n * width,
                           out, kr_choice_run, &job);
    free(scratch);
    return rc;
}
