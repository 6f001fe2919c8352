/* The core's fused multiply-adds (fused.h): kr_fma / kr_fmaf, as every unit
 * without an FMA instruction calls them, and the software versions of
 * fma_soft.c on known answers (cases C libraries got wrong among them), then
 * the software versions against the C library on random and constructed
 * operands: ties, cancellation, subnormal and overflowing results. The C
 * library is the reference only where it is trusted (not on Windows). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"

#include "fused.h"

static int same_d(double a, double b) { return memcmp(&a, &b, 8) == 0 || (a != a && b != b); }
static int same_f(float a, float b) { return memcmp(&a, &b, 4) == 0 || (a != a && b != b); }

static const double fma_answers[][4] = {
    {0x1.0000000000001p+0, 0x1.0000000000001p+0, -0x1.0000000000002p+0, 0x1p-104},
    {0x1.fffffffffffffp+1023, 0x1.0000000000001p+0, -0x1.fffffffffffffp+1023,
     0x1.fffffffffffffp+971},
    {0x1.8p-540, 0x1.0000000000001p-534, 0x0.0000000000001p-1022, 0x0.0000000000003p-1022},
    {0x1.0000000000001p-537, 0x1.0000000000001p-537, -0x0.0000000000001p-1022, 0.0},
    {0x1.fffffffffffffp-1, 0x1.0000000000001p+0, -0x1p+0, 0x1.ffffffffffffep-54},
    {-0x1.3ffffffffffffp+2, 0x1.999999999999ap-4, 0x1p-1, 0x1.199999999999ap-54},
    {0x1.000000000000fp+600, 0x1.0000000000001p+423, 0x1.4p+1023, INFINITY},
    /* (2^27 + 1)(2^26 + 1) is a tie; a tiny z decides it. */
    {134217729.0, 67108865.0, 0x1p-1000, 0x1.0000006000001p+53},
    {134217729.0, 67108865.0, -0x1p-1000, 0x1.0000006p+53},
    {134217729.0, 67108865.0, 0x1p60, 0x1.02000000cp+60},
};

static const float fmaf_answers[][4] = {
    {-0x1.19dd8p+44f, 0x1.cep-23f, -0x1.0c8bf8p-79f, -0x1.fcadbep+21f}, /* UCRT, no FMA3 */
    {0x1.a49bd2p-26f, -0x1.fe2804p+3f, 0x1.47e512p-20f, 0x1.be3e1ap-21f}, /* mingw-w64 10 */
    {0x1.06p+7f, 0x1.340488p+7f, 0x1.310e42p+4f, 0x1.3b88e6p+14f},
    {0x1.000002p+0f, 0x1.000002p+0f, -0x1.000004p+0f, 0x1p-46f},
    {0x1p-100f, 0x1.000002p-49f, 0x1p-149f, 0x1p-148f},
};

#if !defined(_WIN32)
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static double bits_d(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

static float bits_f(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}

/* A random double 2^e * (1 + m), e in [lo, hi], either sign. */
static double rand_double(int lo, int hi)
{
    const uint64_t r = next64();
    const int e = lo + (int)(r % (uint64_t)(hi - lo + 1));
    return ldexp(1.0 + (double)(next64() >> 11) * 0x1p-53, e) * ((r >> 40) & 1 ? -1.0 : 1.0);
}


/* Operands of one kind (0..7) for double. */
static void fma_operands(int kind, double *x, double *y, double *z)
{
    if (kind == 0) { /* any bits: NaN, inf, subnormal, zero, huge */
        *x = bits_d(next64()), *y = bits_d(next64()), *z = bits_d(next64());
    } else if (kind == 1) { /* comparable magnitudes */
        *x = rand_double(-30, 30), *y = rand_double(-30, 30), *z = rand_double(-62, 62);
    } else if (kind == 2) { /* cancellation: z near -x*y */
        *x = rand_double(-30, 30), *y = rand_double(-30, 30);
        *z = -(*x * *y) * (1.0 + (double)((int)(next64() % 9) - 4) * 0x1p-52);
    } else if (kind == 3 || kind == 4) { /* integers: frequent ties; 4 scaled to subnormal */
        *x = (double)((next64() >> 37) | (1ull << 26)), *y = (double)((next64() >> 36) | (1ull << 27));
        *z = (double)(int64_t)(next64() >> 9) * ((next64() & 1) ? 1.0 : -1.0);
        if (kind == 4) *x = ldexp(*x, -1040), *y = ldexp(*y, -40), *z = ldexp(*z, -1080);
    } else if (kind == 5) { /* products near the overflow threshold */
        *x = rand_double(500, 524), *y = rand_double(490, 500), *z = rand_double(1000, 1023);
    } else if (kind == 6) { /* around the edges of fma_soft.c's fast path */
        *x = rand_double(-420, 420), *y = rand_double(-420, 420), *z = rand_double(-850, 850);
    } else { /* integers, z cancelling the rounded product to a few units: ties */
        *x = (double)((next64() >> 37) | (1ull << 26)), *y = (double)((next64() >> 36) | (1ull << 27));
        *z = -(*x * *y) + (double)((int)(next64() % 17) - 8);
    }
}

static void fmaf_operands(int kind, float *x, float *y, float *z)
{
    if (kind == 0) {
        *x = bits_f((uint32_t)next64()), *y = bits_f((uint32_t)next64()),
        *z = bits_f((uint32_t)next64());
    } else if (kind == 1) {
        *x = (float)rand_double(-20, 20), *y = (float)rand_double(-20, 20),
        *z = (float)rand_double(-40, 40);
    } else if (kind == 2) {
        *x = (float)rand_double(-20, 20), *y = (float)rand_double(-20, 20);
        *z = -(*x * *y) * (1.0f + (float)((int)(next64() % 9) - 4) * 0x1p-23f);
    } else if (kind == 3 || kind == 4) {
        *x = (float)((next64() >> 53) | (1u << 11)), *y = (float)((next64() >> 52) | (1u << 12));
        *z = (float)(int32_t)(next64() >> 39) * ((next64() & 1) ? 1.0f : -1.0f);
        if (kind == 4) *x = ldexpf(*x, -140), *y = ldexpf(*y, -20), *z = ldexpf(*z, -160);
    } else if (kind == 5) {
        *x = (float)rand_double(60, 64), *y = (float)rand_double(60, 64),
        *z = (float)rand_double(120, 127);
    } else if (kind == 6) {
        *x = (float)rand_double(-75, 75), *y = (float)rand_double(-75, 75),
        *z = (float)rand_double(-149, 127);
    } else {
        *x = (float)((next64() >> 53) | (1u << 11)), *y = (float)((next64() >> 52) | (1u << 12));
        *z = -(*x * *y) + (float)((int)(next64() % 17) - 8);
    }
}

#endif

void test_fma(void)
{
    for (size_t i = 0; i < sizeof fma_answers / sizeof fma_answers[0]; i++) {
        const double *a = fma_answers[i];
        CHECK(same_d(kr_fma(a[0], a[1], a[2]), a[3]), "kr_fma known answer %zu", i);
        CHECK(same_d(kr_fma_soft(a[0], a[1], a[2]), a[3]), "kr_fma_soft known answer %zu", i);
    }
    for (size_t i = 0; i < sizeof fmaf_answers / sizeof fmaf_answers[0]; i++) {
        const float *a = fmaf_answers[i];
        CHECK(same_f(kr_fmaf(a[0], a[1], a[2]), a[3]), "kr_fmaf known answer %zu", i);
        CHECK(same_f(kr_fmaf_soft(a[0], a[1], a[2]), a[3]), "kr_fmaf_soft known answer %zu", i);
    }
#if defined(_WIN32)
    printf("fma: known answers match; the C library is not the reference on Windows\n");
#else
    enum { PER_KIND = 40000, KINDS = 8 };
    for (int kind = 0; kind < KINDS; kind++) {
        int bad = 0;
        for (int i = 0; i < PER_KIND; i++) {
            double x, y, z;
            float fx, fy, fz;
            fma_operands(kind, &x, &y, &z);
            fmaf_operands(kind, &fx, &fy, &fz);
            const double want = fma(x, y, z), got = kr_fma_soft(x, y, z);
            const float wantf = fmaf(fx, fy, fz), gotf = kr_fmaf_soft(fx, fy, fz);
            if (!same_d(want, got) && bad++ < 3)
                fprintf(stderr, "fma(%a, %a, %a): soft %a, C library %a\n", x, y, z, got, want);
            if (!same_f(wantf, gotf) && bad++ < 3)
                fprintf(stderr, "fmaf(%a, %a, %a): soft %a, C library %a\n", fx, fy, fz, gotf,
                        wantf);
        }
        CHECK(bad == 0, "software fma differs from the C library on %d operands of kind %d", bad,
              kind);
    }
    printf("fma: known answers match; software fma and fmaf equal the C library's on %d cases\n",
           2 * PER_KIND * KINDS);
#endif
}
