/* The rejection samplers' per-ISA blocks (rejection.h): each kernel file
 * includes this after transform_template.h, so their math (XLA's log,
 * lgamma, pow with its fused multiply-adds) runs with that ISA's
 * instructions and their Threefry with its keyed kernel. Every operation is
 * IEEE-exact and uncontracted: every ISA gives the scalar kernel's values. */
#include <math.h>

#include "fused.h"
#include "rejection.h"
#include "xla_f32.h"
#include "xla_f64.h"
#include "xla_math.h"

static void KR_FN(kr_gamma_rsqrt64)(const double *d, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) out[i] = 1.0 / sqrt(d[i]);
}

#define KR_G_FN(name) name##_f32
#define KR_G_T float
#define KR_G_WORD_T uint32_t
#define KR_G_WORDS(part, keys, n, w) kr_lanes_words32(KR_FN(kr_keyed), part, keys, n, w)
#define KR_G_UNIT kr_unit_jax32
#define KR_G_NORMALS(job, w, n, out) KR_FN(kr_jax_f32)(&(job)->normal32, w, n, out)
#define KR_G_RSQRT(job, d, n, out) (void)kr_xla_rsqrt_f32_array(d, n, (job)->rsqrt_steps, out)
#define KR_G_LOG kr_xla_logf
#define KR_G_LOG1P kr_xla_log1pf
#define KR_G_POW kr_xla_powf
#define KR_G_FMA kr_fmaf
#define KR_G_TINY 1.17549435e-38f
#include "gamma_template.h"
#undef KR_G_FN
#undef KR_G_T
#undef KR_G_WORD_T
#undef KR_G_WORDS
#undef KR_G_UNIT
#undef KR_G_NORMALS
#undef KR_G_RSQRT
#undef KR_G_LOG
#undef KR_G_LOG1P
#undef KR_G_POW
#undef KR_G_FMA
#undef KR_G_TINY

#define KR_G_FN(name) name##_f64
#define KR_G_T double
#define KR_G_WORD_T uint64_t
#define KR_G_WORDS(part, keys, n, w) kr_lanes_words64(KR_FN(kr_keyed), part, keys, n, w)
#define KR_G_UNIT kr_unit_jax64
#define KR_G_NORMALS(job, w, n, out) KR_FN(kr_jax_f64)(&(job)->normal64, w, n, out)
#define KR_G_RSQRT(job, d, n, out) KR_FN(kr_gamma_rsqrt64)(d, n, out)
#define KR_G_LOG kr_xla_log64
#define KR_G_LOG1P kr_xla_log1p64
#define KR_G_POW kr_xla_pow_f64
#define KR_G_FMA kr_fma
#define KR_G_TINY 2.2250738585072014e-308
#include "gamma_template.h"
#undef KR_G_FN
#undef KR_G_T
#undef KR_G_WORD_T
#undef KR_G_WORDS
#undef KR_G_UNIT
#undef KR_G_NORMALS
#undef KR_G_RSQRT
#undef KR_G_LOG
#undef KR_G_LOG1P
#undef KR_G_POW
#undef KR_G_FMA
#undef KR_G_TINY

void KR_FN(kr_gamma_block)(const kr_gamma_job *job, kr_lanes *key, const void *alpha, size_t m,
                           void *out)
{
    if (job->f64)
        kr_gamma_values_f64(job, key, alpha, m, out);
    else
        kr_gamma_values_f32(job, key, alpha, m, out);
}

/* ---- jax.random.poisson (sample_poisson.h) ------------------------------ */

static void kr_poisson_store(const kr_poisson_job *job, void *out, size_t i, int64_t v)
{
    char *p = (char *)out + i * job->width;
    const uint8_t b1 = (uint8_t)v;
    const uint16_t b2 = (uint16_t)v;
    const uint32_t b4 = (uint32_t)v;
    const uint64_t b8 = (uint64_t)v;
    switch (job->width) {
    case 1: memcpy(p, &b1, 1); break;
    case 2: memcpy(p, &b2, 2); break;
    case 4: memcpy(p, &b4, 4); break;
    default: memcpy(p, &b8, 8); break;
    }
}

/* XLA's float -> integer conversion: saturated, NaN as 0. */
static void kr_poisson_store_float(const kr_poisson_job *job, void *out, size_t i, float k)
{
    const unsigned bits = 8 * job->width;
    const double top = job->is_signed ? ldexp(1.0, (int)bits - 1) : ldexp(1.0, (int)bits);
    const double bottom = job->is_signed ? -top : 0.0;
    int64_t v;
    if (k != k) {
        v = 0;
    } else if ((double)k >= top) {
        v = (int64_t)(job->is_signed ? (uint64_t)top - 1 : ~0ULL >> (64 - bits));
    } else if ((double)k <= bottom) {
        v = (int64_t)bottom;
    } else if (!job->is_signed && (double)k >= ldexp(1.0, 63)) {
        v = (int64_t)(uint64_t)k;
    } else {
        v = (int64_t)k;
    }
    kr_poisson_store(job, out, i, v);
}

/* PTRS's constants of one lam, and one round of it. */
typedef struct kr_ptrs {
    float lam, log_lam, a, b, inv_alpha, v_r;
} kr_ptrs;

static kr_ptrs kr_ptrs_of(float lam)
{
    kr_ptrs c;
    c.lam = lam;
    c.log_lam = kr_xla_logf(lam);
    c.b = 0.931f + 2.53f * sqrtf(lam);
    c.a = -0.059f + 0.02483f * c.b;
    c.inv_alpha = 1.1239f + 1.1328f / (c.b - 3.4f);
    c.v_r = 0.9277f - 3.6224f / (c.b - 2.0f);
    return c;
}

/* One round for the elements active[0..na) of a block: acc[j] whether
 * element active[j] accepts, k[j] its k. The two shortcuts decide most
 * rounds in a loop the compiler can vectorize; log(s) <= t (with lgamma)
 * runs only for the rest, about 1 round in 7. */
static void kr_ptrs_round(const kr_ptrs *c, const uint16_t *active, size_t na,
                          const uint32_t *w0, const uint32_t *w1, uint8_t *acc, float *k)
{
    uint8_t open[KR_POISSON_BLOCK];
    float uss[KR_POISSON_BLOCK], vs[KR_POISSON_BLOCK], us0[KR_POISSON_BLOCK];
    float ca[KR_POISSON_BLOCK], cb[KR_POISSON_BLOCK], cl[KR_POISSON_BLOCK], cv[KR_POISSON_BLOCK];
    for (size_t j = 0; j < na; j++) { /* gathered, so the next loop vectorizes */
        const kr_ptrs *e = &c[active[j]];
        ca[j] = e->a, cb[j] = e->b, cl[j] = e->lam, cv[j] = e->v_r;
        us0[j] = kr_unit_jax32(w0[active[j]]);
        vs[j] = kr_unit_jax32(w1[active[j]]);
    }
    for (size_t j = 0; j < na; j++) {
        const float u = us0[j] - 0.5f, v = vs[j];
        const float us = 0.5f - fabsf(u);
        const float kk = kr_xla_floorf((((2.0f * ca[j]) / us + cb[j]) * u + cl[j]) + 0.43f);
        const int accept1 = (us >= 0.07f) & (v <= cv[j]);
        const int reject = (kk < 0.0f) | ((us < 0.013f) & (v > us));
        k[j] = kk;
        uss[j] = us;
        acc[j] = (uint8_t)accept1;
        open[j] = (uint8_t)(!accept1 & !reject);
    }
    /* The rest, packed so the loop with lgamma runs in vectors. Their k is
     * not negative (or NaN): lgamma(k + 1) needs no reflection. */
    uint16_t slot[KR_POISSON_BLOCK];
    float pu[KR_POISSON_BLOCK], pv[KR_POISSON_BLOCK], pk[KR_POISSON_BLOCK];
    float pa[KR_POISSON_BLOCK], pb[KR_POISSON_BLOCK], plam[KR_POISSON_BLOCK];
    float plog[KR_POISSON_BLOCK], pinv[KR_POISSON_BLOCK];
    size_t no = 0;
    for (size_t j = 0; j < na; j++) {
        const kr_ptrs *e = &c[active[j]];
        slot[no] = (uint16_t)j;
        pu[no] = uss[j], pv[no] = vs[j], pk[no] = k[j];
        pa[no] = e->a, pb[no] = e->b, plam[no] = e->lam, plog[no] = e->log_lam;
        pinv[no] = e->inv_alpha;
        no += open[j];
    }
    for (size_t o = 0; o < no; o++) {
        const float us = pu[o];
        const float s = kr_xla_logf((pv[o] * pinv[o]) / (pa[o] / (us * us) + pb[o]));
        const float t = (-plam[o] + pk[o] * plog[o]) - kr_xla_lgammaf_right(pk[o] + 1.0f);
        open[o] = s <= t;
    }
    for (size_t o = 0; o < no; o++) acc[slot[o]] = open[o];
}

/* PTRS over every element of a block (Knuth's with lam = 1e5) until each
 * accepted once: the rounds that took, cap if some never did within the
 * loop's limit, or UINT32_MAX when more round keys are needed. Its elements'
 * values are -1 until pass 2 finds an acceptance. */
static uint32_t kr_ptrs_rounds(const kr_poisson_job *job, uint64_t at, const float *lam,
                               size_t m, uint64_t cap, void *out)
{
    uint32_t w0[KR_POISSON_BLOCK], w1[KR_POISSON_BLOCK];
    uint16_t active[KR_POISSON_BLOCK];
    kr_ptrs c[KR_POISSON_BLOCK];
    uint8_t acc[KR_POISSON_BLOCK];
    float k[KR_POISSON_BLOCK];
    uint32_t rounds = 0;
    size_t na = 0;
    for (size_t i = 0; i < m; i++) {
        const float l = kr_is_knuth(lam[i]) ? 1e5f : lam[i];
        c[i] = i && l == c[i - 1].lam ? c[i - 1] : kr_ptrs_of(l);
        active[na++] = (uint16_t)i;
        if (!kr_is_knuth(lam[i])) kr_poisson_store_float(job, out, i, -1.0f);
    }
    for (uint64_t r = 0; na && r < cap; r++) {
        kr_round_words(job->part, job->n, job->rk.s0[r], at, m, w0);
        kr_round_words(job->part, job->n, job->rk.s1[r], at, m, w1);
        kr_ptrs_round(c, active, na, w0, w1, acc, k);
        size_t keep = 0;
        for (size_t j = 0; j < na; j++)
            if (!acc[j]) active[keep++] = active[j];
        if (keep < na) rounds = (uint32_t)r + 1;
        na = keep;
    }
    if (na) return cap < job->limit ? UINT32_MAX : (uint32_t)cap;
    return rounds;
}

/* Pass 1 on a block: Knuth's counts (final) and, when the array has PTRS
 * elements, the rounds PTRS took here (kr_ptrs_rounds). */
static uint32_t kr_poisson_pass1(const kr_poisson_job *job, uint64_t at, const float *lam,
                                 size_t m, void *out)
{
    uint32_t w[KR_POISSON_BLOCK];
    float lp[KR_POISSON_BLOCK];
    int64_t count[KR_POISSON_BLOCK];
    const uint64_t cap = job->rk.count < job->limit ? job->rk.count : job->limit;

    /* Knuth, as JAX's loop: count += lp > -lam, then lp += log(u), on the
     * whole block while any element is active (lp only falls, so a count
     * stops once its element is done). PTRS's elements read lam as 0 here:
     * never active, as NaN and lam <= 0. */
    float lamk[KR_POISSON_BLOCK];
    size_t na = 0;
    for (size_t i = 0; i < m; i++) {
        lp[i] = 0.0f;
        count[i] = 0;
        lamk[i] = kr_is_knuth(lam[i]) ? lam[i] : 0.0f;
        na += 0.0f > -lamk[i];
    }
    for (uint64_t r = 0; na && r < cap; r++) {
        kr_round_words(job->part, job->n, job->rk.two[r], at, m, w);
        uint32_t live = 0;
        for (size_t i = 0; i < m; i++) {
            count[i] += lp[i] > -lamk[i];
            lp[i] = lp[i] + kr_xla_logf(kr_unit_jax32(w[i]));
            live += lp[i] > -lamk[i];
        }
        na = live;
    }
    if (na && cap < job->limit) return UINT32_MAX;
    /* Without PTRS elements the PTRS loop's length matters to no one. */
    const uint32_t rounds = job->ptrs ? kr_ptrs_rounds(job, at, lam, m, cap, out) : 0;
    for (size_t i = 0; i < m; i++) {
        const float l = lam[i];
        if (l == 0.0f)
            kr_poisson_store(job, out, i, 0);
        else if (kr_is_knuth(l))
            kr_poisson_store(job, out, i, count[i] - 1);
    }
    return rounds;
}

/* Pass 2 on a block: PTRS's value is its last acceptance before the loop
 * ended, the first one found going back from the last round. */
static void kr_poisson_pass2(const kr_poisson_job *job, uint64_t at, const float *lam,
                             size_t m, void *out)
{
    uint32_t w0[KR_POISSON_BLOCK], w1[KR_POISSON_BLOCK];
    uint16_t active[KR_POISSON_BLOCK];
    kr_ptrs c[KR_POISSON_BLOCK];
    uint8_t acc[KR_POISSON_BLOCK];
    float k[KR_POISSON_BLOCK];
    size_t na = 0;
    for (size_t i = 0; i < m; i++) {
        if (kr_is_knuth(lam[i])) continue;
        c[i] = na && lam[i] == c[active[na - 1]].lam ? c[active[na - 1]] : kr_ptrs_of(lam[i]);
        active[na++] = (uint16_t)i;
    }
    for (uint64_t r = job->last; na && r-- > 0;) {
        kr_round_words(job->part, job->n, job->rk.s0[r], at, m, w0);
        kr_round_words(job->part, job->n, job->rk.s1[r], at, m, w1);
        kr_ptrs_round(c, active, na, w0, w1, acc, k);
        size_t keep = 0;
        for (size_t j = 0; j < na; j++) {
            if (acc[j])
                kr_poisson_store_float(job, out, active[j], k[j]);
            else
                active[keep++] = active[j];
        }
        na = keep;
    }
}

uint32_t KR_FN(kr_poisson_block)(const kr_poisson_job *job, uint64_t at, const float *lam,
                                 size_t m, void *out)
{
    if (job->pass == 1) return kr_poisson_pass1(job, at, lam, m, out);
    kr_poisson_pass2(job, at, lam, m, out);
    return 0;
}

/* ---- jax.random.binomial (sample_binomial.h) ---------------------------- */

/* ceilf(x) exactly, in a form GCC vectorizes (it does not vectorize ceilf
 * unless told that floating-point exceptions do not matter). */
static inline float kr_ceil(float x) { return -kr_xla_floorf(-x); }

/* The value of an element from its method's result s. */
static float kr_binom_value(const kr_binom *e, float s)
{
    if (e->invalid) s = NAN;
    else if (e->inf) s = INFINITY;
    return e->keep ? s : e->count - s;
}

static const float kr_stirling_table[10] = {
    0.0810614667953272f, 0.0413406959554092f, 0.0276779256849983f, 0.02079067210376509f,
    0.0166446911898211f, 0.0138761288230707f, 0.0118967099458917f, 0.0104112652619720f,
    0.00925546218271273f, 0.00833056343336287f};

/* JAX's Stirling tail: the table up to 9, above it the series at k = 9. */
static float kr_stirling_tail(float k)
{
    if (k <= 9.0f) return kr_stirling_table[(int)floorf(k < 0.0f ? 0.0f : k)];
    const float kc = k == k ? 9.0f : k, kp1 = kc + 1.0f, kp1sq = kp1 * kp1;
    const float inner = (1.0f / 360.0f) - (1.0f / 1260.0f) / kp1sq;
    return ((1.0f / 12.0f) - inner / kp1sq) / kp1;
}

/* BTRS's constants for count n and q. */
typedef struct kr_btrs {
    float n, q, a, b, c, v_r, r, alpha, m;
} kr_btrs;

static kr_btrs kr_btrs_of(float n, float q)
{
    kr_btrs t;
    const float stddev = sqrtf((n * q) * (1.0f - q));
    t.n = n;
    t.q = q;
    t.b = 1.15f + 2.53f * stddev;
    t.a = (-0.0873f + 0.0248f * t.b) + 0.01f * q;
    t.c = n * q + 0.5f;
    t.v_r = 0.92f - 4.2f / t.b;
    t.r = q / (1.0f - q);
    t.alpha = (2.83f + 5.1f / t.b) * stddev;
    t.m = floorf((n + 1.0f) * q);
    return t;
}

static float kr_btrs_bound(const kr_btrs *t, float k)
{
    const float n = t->n, m = t->m, r = t->r;
    const float n_m1 = (n - m) + 1.0f, n_k1 = (n - k) + 1.0f;
    const float t1 = (m + 0.5f) * kr_xla_logf((m + 1.0f) / (r * n_m1));
    const float t2 = (n + 1.0f) * kr_xla_logf(n_m1 / n_k1);
    const float t3 = (k + 0.5f) * kr_xla_logf((r * n_k1) / (k + 1.0f));
    float ub = (t1 + t2) + t3;
    ub = ub + kr_stirling_tail(m);
    ub = ub + kr_stirling_tail(n - m);
    ub = ub - kr_stirling_tail(k);
    return ub - kr_stirling_tail(n - k);
}

/* One BTRS round for the elements active[0..na), as kr_ptrs_round. */
static void kr_btrs_round(const kr_btrs *c, const uint16_t *active, size_t na,
                          const uint32_t *w0, const uint32_t *w1, uint8_t *acc, float *k)
{
    uint8_t open[KR_POISSON_BLOCK];
    float uss[KR_POISSON_BLOCK], vs[KR_POISSON_BLOCK], us0[KR_POISSON_BLOCK];
    float ca[KR_POISSON_BLOCK], cb[KR_POISSON_BLOCK], cc[KR_POISSON_BLOCK], cv[KR_POISSON_BLOCK];
    float cn[KR_POISSON_BLOCK];
    for (size_t j = 0; j < na; j++) { /* gathered, so the next loop vectorizes */
        const kr_btrs *e = &c[active[j]];
        ca[j] = e->a, cb[j] = e->b, cc[j] = e->c, cv[j] = e->v_r, cn[j] = e->n;
        us0[j] = kr_unit_jax32(w0[active[j]]);
        vs[j] = kr_unit_jax32(w1[active[j]]);
    }
    for (size_t j = 0; j < na; j++) {
        const float u = us0[j] - 0.5f, v = vs[j];
        const float us = 0.5f - fabsf(u);
        const int accept1 = (us >= 0.07f) & (v <= cv[j]);
        const float kk = kr_xla_floorf(((2.0f * ca[j]) / us + cb[j]) * u + cc[j]);
        const int reject = (kk < 0.0f) | (kk > cn[j]);
        k[j] = kk;
        uss[j] = us;
        acc[j] = (uint8_t)accept1;
        open[j] = (uint8_t)(!accept1 & !reject);
    }
    for (size_t j = 0; j < na; j++) {
        if (!open[j]) continue;
        const kr_btrs *e = &c[active[j]];
        const float us = uss[j];
        const float lv = kr_xla_logf((vs[j] * e->alpha) / (e->a / (us * us) + e->b));
        acc[j] = lv <= kr_btrs_bound(e, k[j]);
    }
}

static void kr_binom_params(const kr_binomial_job *job, uint64_t at, size_t m, kr_binom *e)
{
    size_t ic = (size_t)((job->count_at + at) % job->ncount);
    size_t ip = (size_t)((job->prob_at + at) % job->nprob);
    for (size_t i = 0; i < m; i++) {
        e[i] = kr_binom_of(job->count[ic], job->prob[ip]);
        if (++ic == job->ncount) ic = 0;
        if (++ip == job->nprob) ip = 0;
    }
}

/* Pass 1: inversion's values (final) and BTRS's rounds until every element
 * (the inversion's with n = 1e4, q = 1/2; an infinite count as it is, which
 * accepts by the first shortcut only) accepted once; UINT32_MAX when more
 * round keys are needed (neither loop has a limit). */
static uint32_t kr_binomial_pass1(const kr_binomial_job *job, uint64_t at, size_t m, float *out)
{
    kr_binom e[KR_POISSON_BLOCK];
    uint32_t w0[KR_POISSON_BLOCK], w1[KR_POISSON_BLOCK];
    float num[KR_POISSON_BLOCK], total[KR_POISSON_BLOCK], l1q[KR_POISSON_BLOCK];
    float cinv[KR_POISSON_BLOCK]; /* contiguous, so the loop below vectorizes */
    kr_binom_params(job, at, m, e);
    size_t na = 0;
    for (size_t i = 0; i < m; i++) {
        num[i] = total[i] = 0.0f;
        cinv[i] = e[i].cinv;
        l1q[i] = kr_xla_log1pf(-e[i].q);
        na += job->inversion && total[i] <= cinv[i]; /* its loop matters to no one else */
    }
    /* As JAX's loop: num += total <= n, then total += ceil(log(u) / log1p(-q))
     * on the whole block (total only grows: a count stops once done). */
    for (uint64_t r = 0; na && r < job->rk.count; r++) {
        kr_round_words(job->part, job->n, job->rk.two[r], at, m, w0);
        uint32_t live = 0; /* 32 bits wide, as the floats: the loop vectorizes */
        for (size_t i = 0; i < m; i++) {
            num[i] = total[i] <= cinv[i] ? num[i] + 1.0f : num[i];
            total[i] = total[i] + kr_ceil(kr_xla_logf(kr_unit_jax32(w0[i])) / l1q[i]);
            live += total[i] <= cinv[i];
        }
        na = live;
    }
    if (na) return UINT32_MAX;
    uint32_t rounds = 0;
    if (job->btrs) {
        kr_btrs c[KR_POISSON_BLOCK];
        uint16_t active[KR_POISSON_BLOCK];
        uint8_t acc[KR_POISSON_BLOCK];
        float k[KR_POISSON_BLOCK];
        for (size_t i = 0; i < m; i++) {
            c[i] = e[i].inversion ? kr_btrs_of(1e4f, 0.5f) : kr_btrs_of(e[i].count, e[i].q);
            active[i] = (uint16_t)i;
        }
        na = m;
        for (uint64_t r = 0; na && r < job->rk.count; r++) {
            kr_round_words(job->part, job->n, job->rk.s0[r], at, m, w0);
            kr_round_words(job->part, job->n, job->rk.s1[r], at, m, w1);
            kr_btrs_round(c, active, na, w0, w1, acc, k);
            size_t keep = 0;
            for (size_t j = 0; j < na; j++)
                if (!acc[j]) active[keep++] = active[j];
            if (keep < na) rounds = (uint32_t)r + 1;
            na = keep;
        }
        if (na) return UINT32_MAX;
    }
    for (size_t i = 0; i < m; i++)
        if (!e[i].btrs) out[i] = kr_binom_value(&e[i], e[i].inversion ? num[i] - 1.0f : 0.0f);
    return rounds;
}

/* Pass 2: BTRS's values, each element's last acceptance before the loop ended. */
static void kr_binomial_pass2(const kr_binomial_job *job, uint64_t at, size_t m, float *out)
{
    kr_binom e[KR_POISSON_BLOCK];
    kr_btrs c[KR_POISSON_BLOCK];
    uint32_t w0[KR_POISSON_BLOCK], w1[KR_POISSON_BLOCK];
    uint16_t active[KR_POISSON_BLOCK];
    uint8_t acc[KR_POISSON_BLOCK];
    float k[KR_POISSON_BLOCK];
    kr_binom_params(job, at, m, e);
    size_t na = 0;
    for (size_t i = 0; i < m; i++) {
        if (!e[i].btrs) continue;
        c[i] = kr_btrs_of(e[i].count, e[i].q);
        active[na++] = (uint16_t)i;
    }
    for (uint64_t r = job->last; na && r-- > 0;) {
        kr_round_words(job->part, job->n, job->rk.s0[r], at, m, w0);
        kr_round_words(job->part, job->n, job->rk.s1[r], at, m, w1);
        kr_btrs_round(c, active, na, w0, w1, acc, k);
        size_t keep = 0;
        for (size_t j = 0; j < na; j++) {
            if (acc[j])
                out[active[j]] = kr_binom_value(&e[active[j]], k[j]);
            else
                active[keep++] = active[j];
        }
        na = keep;
    }
}

uint32_t KR_FN(kr_binomial_block)(const kr_binomial_job *job, uint64_t at, size_t m, float *out)
{
    if (job->pass == 1) return kr_binomial_pass1(job, at, m, out);
    kr_binomial_pass2(job, at, m, out);
    return 0;
}
