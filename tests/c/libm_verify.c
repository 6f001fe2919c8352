/* libm_verify.c - compare src/c/libm_exact.c against the platform libm
 * (the reference is glibc 2.36 on x86-64 with FMA; tests/test_c_core.py runs
 * the exhaustive float and sampled double checks there).
 *
 * Build: gcc -std=c11 -O2 -ffp-contract=off -Isrc/c -o libm_verify \
 *        tests/c/libm_verify.c src/c/libm_exact.c -lm -pthread
 *
 *   libm_verify exh  logf|log1pf [threads]   all 2^32 float inputs vs libm;
 *                                       also prints a hash of kr_* outputs
 *                                       (equal hashes across platforms =>
 *                                       identical outputs for all inputs)
 *   libm_verify big  log|erf N [threads]     N double inputs (mixed categories:
 *                                       random bits, every binade, near 1 /
 *                                       erf break points, subnormals,
 *                                       consecutive-ulp runs, specials)
 *   libm_verify genref FILE [n]              write n sampled (input, libm output)
 *                                       pairs per function (run on x86-64)
 *   libm_verify checkref FILE                compare kr_* and this platform's
 *                                       libm against FILE (run anywhere)
 *   libm_verify neg                          kr_log1pf_neg = kr_log1pf on (-1, 0]
 *   libm_verify selftest                     kr_libm_selftest()
 *
 * Mismatch counting is on bit patterns; NaN results whose payload/sign
 * differ are counted separately from value mismatches.
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libm_exact.h"

static inline uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static inline double u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Call libm through volatile function pointers so the compiler cannot
 * constant-fold or substitute builtins. */
static float (*volatile sys_logf)(float) = logf;
static float (*volatile sys_log1pf)(float) = log1pf;
static double (*volatile sys_log)(double) = log;
static double (*volatile sys_erf)(double) = erf;

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int isnan_f(uint32_t u) { return (u & 0x7fffffffu) > 0x7f800000u; }
static int isnan_d(uint64_t u) { return (u & 0x7fffffffffffffffULL) > 0x7ff0000000000000ULL; }

/* ------------------------------------------------------------------ */
/* exhaustive float                                                    */
/* ------------------------------------------------------------------ */
#define NCHUNK 256 /* 2^24 inputs per chunk */
typedef struct {
    int fn, tid, nth;
    uint64_t bad, badnan, hash[NCHUNK];
    uint32_t ex_in[8], ex_got[8], ex_ref[8];
    int nex;
} fjob;

static void *exh_worker(void *arg)
{
    fjob *j = arg;
    for (unsigned c = (unsigned)j->tid; c < NCHUNK; c += (unsigned)j->nth) {
        uint64_t h = 0xcbf29ce484222325ULL ^ c;
        for (uint32_t lo = 0; lo < (1u << 24); lo++) {
            uint32_t u = (c << 24) | lo;
            float x = u2f(u), a, b;
            if (j->fn == 0) { a = kr_logf(x); b = sys_logf(x); }
            else            { a = kr_log1pf(x); b = sys_log1pf(x); }
            uint32_t ua = f2u(a), ub = f2u(b);
            h = (h ^ ua) * 0x100000001b3ULL;
            if (ua != ub) {
                if (isnan_f(ua) && isnan_f(ub)) j->badnan++;
                else {
                    if (j->nex < 8) {
                        j->ex_in[j->nex] = u; j->ex_got[j->nex] = ua;
                        j->ex_ref[j->nex] = ub; j->nex++;
                    }
                    j->bad++;
                }
            }
        }
        j->hash[c] = h;
    }
    return NULL;
}

static int run_exh(const char *name, int nth)
{
    int fn = !strcmp(name, "logf") ? 0 : !strcmp(name, "log1pf") ? 1 : -1;
    if (fn < 0) { fprintf(stderr, "unknown function %s\n", name); return 2; }
    fjob *jobs = calloc((size_t)nth, sizeof *jobs);
    pthread_t *th = calloc((size_t)nth, sizeof *th);
    for (int t = 0; t < nth; t++) {
        jobs[t].fn = fn; jobs[t].tid = t; jobs[t].nth = nth;
        pthread_create(&th[t], NULL, exh_worker, &jobs[t]);
    }
    uint64_t bad = 0, badnan = 0, H = 0x84222325cbf29ce4ULL;
    for (int t = 0; t < nth; t++) pthread_join(th[t], NULL);
    for (int t = 0; t < nth; t++) {
        bad += jobs[t].bad; badnan += jobs[t].badnan;
        for (int e = 0; e < jobs[t].nex; e++)
            printf("  mismatch x=%08" PRIx32 " (%a): kr=%08" PRIx32 " (%a) libm=%08" PRIx32 " (%a)\n",
                   jobs[t].ex_in[e], (double)u2f(jobs[t].ex_in[e]),
                   jobs[t].ex_got[e], (double)u2f(jobs[t].ex_got[e]),
                   jobs[t].ex_ref[e], (double)u2f(jobs[t].ex_ref[e]));
    }
    for (unsigned c = 0; c < NCHUNK; c++)
        H = (H ^ jobs[c % (unsigned)nth].hash[c]) * 0x100000001b3ULL;
    printf("%s exhaustive 2^32: value mismatches %" PRIu64
           ", NaN-bit-pattern-only mismatches %" PRIu64 ", kr output hash %016" PRIx64 "\n",
           name, bad, badnan, H);
    free(jobs); free(th);
    return bad || badnan;
}

/* kr_log1pf_neg (the vectorizable form for the Laplace samplers) against
 * kr_log1pf on every float in (-1, 0], split over two threads. */
typedef struct { uint32_t from, to; uint64_t bad; } negjob;

static void *neg_worker(void *arg)
{
    negjob *j = arg;
    for (uint32_t b = j->from; b < j->to; b++) {
        const float x = u2f(b), want = kr_log1pf(x), got = kr_log1pf_neg(x);
        if (f2u(want) != f2u(got)) j->bad++;
    }
    return NULL;
}

static int run_neg(void)
{
    negjob jobs[2] = {{0x80000000u, 0x9FC00000u, 0}, {0x9FC00000u, 0xBF800000u, 0}};
    pthread_t th[2];
    for (int t = 0; t < 2; t++) pthread_create(&th[t], NULL, neg_worker, &jobs[t]);
    for (int t = 0; t < 2; t++) pthread_join(th[t], NULL);
    const uint64_t bad = jobs[0].bad + jobs[1].bad + (f2u(kr_log1pf_neg(0.0f)) != 0);
    printf("log1pf_neg on (-1, 0]: value mismatches %" PRIu64
           ", NaN-bit-pattern-only mismatches 0\n", bad);
    return bad != 0;
}

/* ------------------------------------------------------------------ */
/* double input generators                                             */
/* ------------------------------------------------------------------ */
#define NCAT 8
static const char *cat_name[2][NCAT] = {
    {"random bits", "every binade (+/-)", "near 1 [1-2^-4,1+0x1.09p-4]",
     "near 1, |x-1| < 2^-20..2^-52 (log-scale)", "subnormal", "positive random bits",
     "consecutive ulps around 1.0 / powers of 2", "specials"},
    {"random bits", "every binade (+/-)", "uniform [-6.5,6.5]",
     "uniform bits |x| in [2^-28, 6]", "subnormal", "|x| in [0.75,3.2] bits",
     "consecutive ulps around break points", "specials"},
};
static const uint64_t specials[] = {
    0, 0x8000000000000000ULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL,
    0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL,
    0xfff8000000000000ULL, 0x7ff0000000000001ULL, 0x7ff4000000000000ULL,
    0xfff0000000000123ULL, 0x7fefffffffffffffULL, 0xffefffffffffffffULL,
    0x0000000000000001ULL, 0x8000000000000001ULL, 0x000fffffffffffffULL,
    0x0010000000000000ULL, 0x3fefffffffffffffULL, 0x3ff0000000000001ULL,
    0x3feb000000000000ULL, 0x3ff4000000000000ULL, 0x4006db6e00000000ULL,
    0x4018000000000000ULL, 0x3e30000000000000ULL, 0x0080000000000000ULL,
    0x3fee000000000000ULL, 0x3ff1090000000000ULL, 0x3fe6000000000000ULL,
};
#define NSPEC (sizeof specials / sizeof specials[0])

static double runs_break[2][8] = {
    {1.0, 2.0, 0.5, 0x1p-1022, 1.0 - 0x1p-4, 1.0 + 0x1.09p-4, 0x1.6p-1, 0x1p1023},
    {0.84375, 1.25, 0x1.6db6ep1, 6.0, 0x1p-28, 0x1p-1015, 1.0, 0.5},
};

/* i-th input of category cat for function fn (0=log, 1=erf) */
static double gen_d(int fn, int cat, uint64_t *rng, uint64_t i)
{
    uint64_t r = splitmix(rng);
    switch (cat) {
    case 0: return u2d(r);
    case 1: { /* exponent cycles through all 2048 values, sign alternates */
        uint64_t e = (i >> 1) & 2047, s = i & 1;
        return u2d((s << 63) | (e << 52) | (r & 0xfffffffffffffULL));
    }
    case 2:
        if (fn == 0) {
            uint64_t lo = 0x3fedf00000000000ULL, hi = 0x3ff10a0000000000ULL; /* slightly beyond both ends */
            return u2d(lo + r % (hi - lo));
        }
        return -6.5 + 13.0 * (double)(r >> 11) * 0x1p-53;
    case 3:
        if (fn == 0) { /* 1 +- 2^-e * m, e in [1,60]: log-scale density near 1 */
            int e = 1 + (int)(r % 60);
            double m = (double)((r >> 8) & 0xffffffffffffULL) * 0x1p-48;
            double d = ldexp(m, -e);
            return (r >> 63) ? 1.0 - d : 1.0 + d;
        } else {
            uint64_t lo = 0x3e30000000000000ULL, hi = 0x4018000000000000ULL;
            return u2d(((r >> 63) << 63) | (lo + (r & 0x7fffffffffffffffULL) % (hi - lo)));
        }
    case 4: return u2d((r & 0x800fffffffffffffULL));
    case 5:
        if (fn == 0) return u2d(r & 0x7fffffffffffffffULL);
        else {
            uint64_t lo = d2u(0.75), hi = d2u(3.2);
            return u2d(((r >> 63) << 63) | (lo + (r & 0x7fffffffffffffffULL) % (hi - lo)));
        }
    case 6: { /* runs of consecutive doubles (both directions, both signs) */
        uint64_t b = d2u(runs_break[fn][(i >> 20) & 7]);
        int64_t off = (int64_t)(i & 0xfffff) - 0x80000;
        uint64_t v = b + (uint64_t)off;
        if (fn == 1 && ((i >> 23) & 1)) v ^= 0x8000000000000000ULL;
        return u2d(v);
    }
    default: return u2d(specials[i % NSPEC]);
    }
}

typedef struct {
    int fn, tid, nth;
    uint64_t n, bad[NCAT], badnan[NCAT], cnt[NCAT];
    uint64_t ex_in[8], ex_got[8], ex_ref[8];
    int nex;
} djob;

static void *big_worker(void *arg)
{
    djob *j = arg;
    for (int cat = 0; cat < NCAT; cat++) {
        uint64_t rng = 0x1234567ULL * (uint64_t)(cat + 1) + (uint64_t)j->tid * 0x9876543210ULL;
        /* category share: specials get NSPEC, consecutive runs 8*2^20, rest split evenly */
        uint64_t total = cat == 7 ? NSPEC : cat == 6 ? (16ULL << 20) : (j->n - (16ULL << 20)) / 6;
        for (uint64_t i = (uint64_t)j->tid; i < total; i += (uint64_t)j->nth) {
            double x = gen_d(j->fn, cat, &rng, i), a, b;
            if (j->fn == 0) { a = kr_log(x); b = sys_log(x); }
            else            { a = kr_erf(x); b = sys_erf(x); }
            uint64_t ua = d2u(a), ub = d2u(b);
            j->cnt[cat]++;
            if (ua != ub) {
                if (isnan_d(ua) && isnan_d(ub)) j->badnan[cat]++;
                else {
                    j->bad[cat]++;
                    if (j->nex < 8) {
                        j->ex_in[j->nex] = d2u(x); j->ex_got[j->nex] = ua;
                        j->ex_ref[j->nex] = ub; j->nex++;
                    }
                }
            }
        }
    }
    return NULL;
}

static int run_big(const char *name, uint64_t n, int nth)
{
    int fn = !strcmp(name, "log") ? 0 : !strcmp(name, "erf") ? 1 : -1;
    if (fn < 0) { fprintf(stderr, "unknown function %s\n", name); return 2; }
    djob *jobs = calloc((size_t)nth, sizeof *jobs);
    pthread_t *th = calloc((size_t)nth, sizeof *th);
    for (int t = 0; t < nth; t++) {
        jobs[t].fn = fn; jobs[t].tid = t; jobs[t].nth = nth; jobs[t].n = n;
        pthread_create(&th[t], NULL, big_worker, &jobs[t]);
    }
    for (int t = 0; t < nth; t++) pthread_join(th[t], NULL);
    uint64_t tb = 0, tn = 0, tc = 0;
    for (int c = 0; c < NCAT; c++) {
        uint64_t b = 0, bn = 0, cn = 0;
        for (int t = 0; t < nth; t++) { b += jobs[t].bad[c]; bn += jobs[t].badnan[c]; cn += jobs[t].cnt[c]; }
        printf("  %-44s inputs %11" PRIu64 "  mismatches %" PRIu64 "  NaN-pattern %" PRIu64 "\n",
               cat_name[fn][c], cn, b, bn);
        tb += b; tn += bn; tc += cn;
    }
    for (int t = 0; t < nth; t++)
        for (int e = 0; e < jobs[t].nex; e++)
            printf("  mismatch x=%016" PRIx64 " (%a): kr=%a libm=%a\n", jobs[t].ex_in[e],
                   u2d(jobs[t].ex_in[e]), u2d(jobs[t].ex_got[e]), u2d(jobs[t].ex_ref[e]));
    printf("%s: %" PRIu64 " inputs, value mismatches %" PRIu64 ", NaN-bit-pattern-only mismatches %" PRIu64 "\n",
           name, tc, tb, tn);
    free(jobs); free(th);
    return tb || tn;
}

/* ------------------------------------------------------------------ */
/* reference file: magic, then per function: u64 count, pairs of u64   */
/* (float functions store the 32-bit patterns zero-extended)           */
/* ------------------------------------------------------------------ */
static const char *fnames[4] = {"logf", "log1pf", "log", "erf"};

static uint32_t gen_f(int fn, uint64_t *rng, uint64_t i)
{
    uint64_t r = splitmix(rng);
    switch (i % 4) {
    case 0: return (uint32_t)r;                                    /* any bits */
    case 1: return (uint32_t)r & 0x7fffffffu;                      /* positive */
    case 2: /* logf: [0.5,2) ; log1pf: (-1, 1) */
        if (fn == 0) return 0x3f000000u + (uint32_t)(r % (0x40000000u - 0x3f000000u));
        return ((uint32_t)(r >> 40) & 1u) << 31 | (uint32_t)(r % 0x3f800000u);
    default: /* near 1 / near 0 region, dense in bits */
        if (fn == 0) return 0x3f700000u + (uint32_t)(r % 0x180000u);
        return ((uint32_t)(r >> 40) & 1u) << 31 | (0x30000000u + (uint32_t)(r % 0x0f000000u));
    }
}

static int run_genref(const char *file, uint64_t n)
{
    FILE *f = fopen(file, "wb");
    if (!f) { perror(file); return 2; }
    fwrite("KRLIBMv1", 1, 8, f);
    for (int fn = 0; fn < 4; fn++) {
        uint64_t rng = 0xabcdef01ULL + (uint64_t)fn;
        fwrite(&n, 8, 1, f);
        for (uint64_t i = 0; i < n; i++) {
            uint64_t in, out;
            if (fn < 2) {
                uint32_t u = gen_f(fn, &rng, i);
                float y = fn == 0 ? sys_logf(u2f(u)) : sys_log1pf(u2f(u));
                in = u; out = f2u(y);
            } else {
                double x = gen_d(fn - 2, (int)(i % NCAT), &rng, i / NCAT);
                double y = fn == 2 ? sys_log(x) : sys_erf(x);
                in = d2u(x); out = d2u(y);
            }
            fwrite(&in, 8, 1, f); fwrite(&out, 8, 1, f);
        }
    }
    fclose(f);
    printf("wrote %s: %" PRIu64 " samples per function\n", file, n);
    return 0;
}

static int run_checkref(const char *file)
{
    FILE *f = fopen(file, "rb");
    char magic[8];
    if (!f || fread(magic, 1, 8, f) != 8 || memcmp(magic, "KRLIBMv1", 8)) {
        fprintf(stderr, "bad reference file %s\n", file); return 2;
    }
    int fail = 0;
    for (int fn = 0; fn < 4; fn++) {
        uint64_t n, kb = 0, kbn = 0, sb = 0, sbn = 0, pair[2];
        int shown = 0;
        if (fread(&n, 8, 1, f) != 1) return 2;
        for (uint64_t i = 0; i < n; i++) {
            if (fread(pair, 8, 2, f) != 2) return 2;
            uint64_t k, s;
            int nk, ns, nr;
            if (fn < 2) {
                float x = u2f((uint32_t)pair[0]);
                k = f2u(fn == 0 ? kr_logf(x) : kr_log1pf(x));
                s = f2u(fn == 0 ? sys_logf(x) : sys_log1pf(x));
                nk = isnan_f((uint32_t)k); ns = isnan_f((uint32_t)s); nr = isnan_f((uint32_t)pair[1]);
            } else {
                double x = u2d(pair[0]);
                k = d2u(fn == 2 ? kr_log(x) : kr_erf(x));
                s = d2u(fn == 2 ? sys_log(x) : sys_erf(x));
                nk = isnan_d(k); ns = isnan_d(s); nr = isnan_d(pair[1]);
            }
            if (k != pair[1]) {
                if (nk && nr) kbn++; else kb++;
                if (shown < 4 && !(nk && nr)) {
                    printf("  kr mismatch %s in=%016" PRIx64 " kr=%016" PRIx64 " ref=%016" PRIx64 "\n",
                           fnames[fn], pair[0], k, pair[1]);
                    shown++;
                }
            }
            if (s != pair[1]) { if (ns && nr) sbn++; else sb++; }
        }
        printf("%-7s %" PRIu64 " samples: kr_%s vs x86 ref: %" PRIu64 " mismatches (+%" PRIu64
               " NaN-pattern); this platform's libm vs x86 ref: %" PRIu64 " (+%" PRIu64 " NaN-pattern)\n",
               fnames[fn], n, fnames[fn], kb, kbn, sb, sbn);
        fail |= (kb || kbn);
    }
    fclose(f);
    return fail;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "exh"))
        return run_exh(argv[2], argc > 3 ? atoi(argv[3]) : 2);
    if (argc >= 4 && !strcmp(argv[1], "big"))
        return run_big(argv[2], strtoull(argv[3], NULL, 0), argc > 4 ? atoi(argv[4]) : 2);
    if (argc >= 3 && !strcmp(argv[1], "genref"))
        return run_genref(argv[2], argc > 3 ? strtoull(argv[3], NULL, 0) : 4000000);
    if (argc >= 3 && !strcmp(argv[1], "checkref"))
        return run_checkref(argv[2]);
    if (argc >= 2 && !strcmp(argv[1], "neg"))
        return run_neg();
    if (argc >= 2 && !strcmp(argv[1], "selftest")) {
        int r = kr_libm_selftest();
        printf("kr_libm_selftest: %s (mask %d)\n", r ? "FAIL" : "ok", r);
        return r != 0;
    }
    fprintf(stderr, "usage: see header of verify.c\n");
    return 2;
}
