/* libm_exact.h - platform-independent logf/log1pf/log/erf that reproduce
 * glibc 2.36 on x86-64 (Debian bookworm, CPU with FMA+AVX2) bit for bit.
 * See libm_exact.c for the reference, build requirements and verification.
 */
#ifndef KEYRAND_LIBM_EXACT_H
#define KEYRAND_LIBM_EXACT_H

#include <stdint.h>
#include <string.h>

#include "fused.h"
#include "select.h"

#ifdef __cplusplus
extern "C" {
#endif

float  kr_logf(float x);

/* logf's main path on the bits ix of a positive normal float (no special
 * cases), inline so loops over arrays vectorize: x = 2^k z with z in [0x1.66p-1, 0x1.66p0)
 * lies in one of 16 subintervals with centre c, and
 * log x = k ln2 + log c + log1p(z/c - 1), evaluated in double. glibc's FMA
 * and SSE2 builds give the same floats for every input, so no fma here. */
extern const double kr_logf_invc[16], kr_logf_logc[16]; /* 1/c, log c */

static inline float kr_logf_bits(uint32_t ix)
{
    float zf;
    const uint32_t t = ix - 0x3f330000u;       /* z starts at 0x1.66p-1 */
    const uint64_t i = (t >> 19) & 15u;        /* top 4 mantissa bits of z */
    const int k = ((int)(t >> 23) ^ 0x100) - 0x100; /* signed 9-bit exponent */
    const uint32_t iz = ix - (t & 0xff800000u);
    memcpy(&zf, &iz, 4);
    const double r = (double)zf * kr_logf_invc[i] - 1.0;
    const double y0 = kr_logf_logc[i] + (double)k * 0x1.62e42fefa39efp-1;
    const double r2 = r * r;
    double y = 0x1.5575b0be00b6ap-2 * r + -0x1.ffffef20a4123p-2;
    y = -0x1.00ea348b88334p-2 * r2 + y;
    y = y * r2 + (y0 + r);
    return (float)y;
}
float  kr_log1pf(float x);
double kr_log(double x);
double kr_erf(double x);

/* Returns 0 if a handful of contraction/rounding-sensitive golden values are
 * reproduced, otherwise a nonzero bit mask of failing functions
 * (1=logf, 2=log1pf, 4=log, 8=erf). Cheap; call once at startup or in tests
 * to catch a build that enabled FP contraction or x87 excess precision. */
int kr_libm_selftest(void);

/* Which build of glibc's log1p the C library's is, as kr_log1p_neg's
 * fma_build: 1 or 0, found by comparing on inputs where they differ; -1 for
 * another C library (then call log1p itself). Computed once. */
int kr_log1p_build(void);

/* log1pf for x in (-1, 0] only (Laplace samplers), branch-free so loops
 * vectorize; equal to kr_log1pf there. The three cases of fdlibm's log1pf
 * (tiny |x|, -0.2929 <= x, and 1 + x renormalized with a correction term)
 * are all computed and one selected per element. */
static inline float kr_log1pf_neg(float x)
{
    const float ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f;
    uint32_t ix, hb;
    memcpy(&ix, &x, 4);
    const uint32_t ax = ix & 0x7fffffffu;
    const float tiny = kr_select_f32(ax < 0x24800000u, x, x - x * x * 0.5f); /* |x| < 2^-29 */
    const int renorm = ax > 0x3e95f61fu;                                     /* x < -0.2929 */
    const float u1 = 1.0f + x;
    memcpy(&hb, &u1, 4);
    const float corr = (x - (u1 - 1.0f)) / u1;
    const uint32_t hu1 = hb & 0x007fffffu;
    const int halve = hu1 >= 0x3504f7u;
    const uint32_t ub = hu1 | kr_select_u32(halve, 0x3f000000u, 0x3f800000u);
    float u;
    memcpy(&u, &ub, 4);
    const uint32_t hu2 = kr_select_u32(halve, (0x00800000u - hu1) >> 2, hu1);
    const int32_t k = (int32_t)kr_select_u32(renorm, (uint32_t)((int32_t)(hb >> 23) - 127 + halve),
                                           0u);
    const float f = kr_select_f32(renorm, u - 1.0f, x), c = kr_select_f32(renorm, corr, 0.0f);
    const uint32_t hu = kr_select_u32(renorm, hu2, 1u);
    const float fk = (float)k, hfsq = 0.5f * f * f;
    /* hu == 0: |f| < 2^-20 */
    const float r0 = hfsq * (1.0f - 0.66666666666666666f * f);
    const float at_zero = kr_select_f32(k == 0, 0.0f, fk * ln2_hi + (c + fk * ln2_lo));
    const float near_zero = kr_select_f32(k == 0, f - r0,
                                        fk * ln2_hi - ((r0 - (fk * ln2_lo + c)) - f));
    const float small = kr_select_f32(f == 0.0f, at_zero, near_zero);
    const float s = f / (2.0f + f), z = s * s;
    const float r = z * (6.6666668653e-01f + z * (4.0000000596e-01f + z * (2.8571429849e-01f
                    + z * (2.2222198546e-01f + z * (1.8183572590e-01f + z * (1.5313838422e-01f
                    + z * 1.4798198640e-01f))))));
    const float general = kr_select_f32(k == 0, f - (hfsq - s * (hfsq + r)),
                                      fk * ln2_hi - ((hfsq - (s * (hfsq + r) + (fk * ln2_lo + c)))
                                                     - f));
    return kr_select_f32(ax < 0x31000000u, tiny, kr_select_f32(hu == 0, small, general));
}

/* glibc's double log (__ieee754_log_fma) for a positive normal finite x,
 * branch-free (both paths computed, one selected) so loops vectorize; the
 * scalar kr_log runs the same code. kr_log_main also takes the shifted bits
 * of a normalised subnormal. */
extern const double kr_log_tab[128][2]; /* 1/c, log c on [0x1.6p-1, 0x1.6p0) */

static inline double kr_log_u2d(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static inline double kr_log_main(uint64_t ix)
{
    /* x = 2^k z, z in [0x1.6p-1, 0x1.6p0), 128 subintervals */
    const uint64_t t = ix - 0x3fe6000000000000ULL;
    const uint64_t i = (t >> 45) & 127u;
    /* k + 2048 from the signed 12-bit exponent, converted exactly through
     * 2^52 + (k + 2048): no 64-bit integer conversion, which AVX2 lacks */
    const double kd = kr_log_u2d(0x4330000000000000ULL | ((t >> 52) ^ 0x800u)) -
                      (0x1p52 + 2048.0);
    const double z = kr_log_u2d(ix - (t & 0xfff0000000000000ULL));
    const double invc = kr_log_tab[i][0], logc = kr_log_tab[i][1];
    const double r = kr_fma(z, invc, -1.0); /* z/c - 1 */
    const double w = kr_fma(kd, 0x1.62e42fefa3800p-1, logc);
    const double hi = w + r;
    double lo = kr_fma(kd, 0x1.ef35793c76730p-45, (w - hi) + r);
    const double r2 = r * r;
    double p = kr_fma(r, -0x1.fffffffeb459p-3, 0x1.555555551305bp-2);
    const double q = kr_fma(r, -0x1.55575e506c89fp-3, 0x1.999b324f10111p-3);
    lo = kr_fma(r2, -0x1.0000000000001p-1, lo);
    p = kr_fma(q, r2, p);
    const double y = kr_fma(r * r2, p, lo);
    return y + hi;
}

/* x in [1 - 2^-4, 1 + 0x1.09p-4): a polynomial in r = x - 1 (exact). */
static inline double kr_log_near1(double x)
{
    const double r = x - 1.0;
    const double r2 = r * r, r3 = r * r2;
    /* Estrin-like scheme; every a + r*b below was fused by GCC */
    double pa = kr_fma(r, -0x1.ffffffffffdcbp-3, 0x1.5555555555577p-2);
    pa = kr_fma(r2, 0x1.999999995dd0cp-3, pa);
    double pb = kr_fma(r, 0x1.24924a344de3p-3, -0x1.55555556745a7p-3);
    pb = kr_fma(r2, -0x1.fffffa4423d65p-4, pb);
    double pc = kr_fma(r, -0x1.999eb43b068ffp-4, 0x1.c7184282ad6cap-4);
    pc = kr_fma(r2, 0x1.78182f7afd085p-4, pc);
    pc = kr_fma(r3, -0x1.5521375d145cdp-4, pc);
    pb = kr_fma(pc, r3, pb);
    const double p = kr_fma(pb, r3, pa);
    /* r + B0 r^2 in extra precision: r = rhi + rlo, rhi of <= 27 bits so
     * rhi * rhi is exact (r * 2^27 is exact: fused or not, the same). */
    const double w = r * 0x1p27;
    const double rhi = (r + w) - w;
    const double rlo = r - rhi;
    const double q = rhi * rhi; /* q * B0 exact (B0 = -1/2) */
    const double hi = kr_fma(q, -0.5, r);
    double lo = kr_fma(q, -0.5, r - hi);
    lo = kr_fma(-0.5 * rlo, rhi + r, lo);
    const double y = kr_fma(p, r3, lo);
    return hi + y;
}

static inline double kr_log_pos(double x)
{
    uint64_t ix;
    memcpy(&ix, &x, 8);
    const int near1 = ix - 0x3fee000000000000ULL < 0x3ff1090000000000ULL - 0x3fee000000000000ULL;
    const double a = kr_log_near1(x), b = kr_log_main(ix);
    uint64_t ua, ub;
    memcpy(&ua, &a, 8);
    memcpy(&ub, &b, 8);
    const uint64_t m = 0ULL - (uint64_t)near1;
    return kr_log_u2d((ua & m) | (ub & ~m));
}

/* glibc's double log1p for x in (-1, 0] only (MLX's float64 laplace), in
 * either of its x86-64 builds: fdlibm's code with glibc's Estrin evaluation
 * of the polynomial, compiled plain (fma_build = 0) or, as __log1p_fma on
 * CPUs with FMA and AVX2, with GCC's contractions (fma_build = 1: the
 * polynomial's multiply-adds and k ln2_lo + c fused). Branch free like
 * kr_log1pf_neg: the tiny, k = 0 and renormalized cases are all computed and
 * one selected per element. kr_log1p_build (libm_exact.c) says which build
 * the C library's log1p is, if either. */
static inline double kr_log1p_neg(double x, int fma_build)
{
    const double ln2_hi = 0x1.62e42feep-1, ln2_lo = 0x1.a39ef35793c76p-33;
    const double lp1 = 0x1.5555555555593p-1, lp2 = 0x1.999999997fa04p-2,
                 lp3 = 0x1.2492494229359p-2, lp4 = 0x1.c71c51d8e78afp-3,
                 lp5 = 0x1.7466496cb03dep-3, lp6 = 0x1.39a09d078c69fp-3,
                 lp7 = 0x1.2f112df3e5244p-3;
    uint64_t ix, ub;
    memcpy(&ix, &x, 8);
    const uint32_t ax = (uint32_t)(ix >> 32) & 0x7fffffffu;
    const double tiny = kr_select_f64(ax < 0x3c900000u, x, x - x * x * 0.5); /* |x| < 2^-29 */
    const int renorm = ax > 0x3fd2bec3u;                                       /* x < -0.2929 */
    const double u1 = 1.0 + x;
    memcpy(&ub, &u1, 8);
    const double corr = (x - (u1 - 1.0)) / u1; /* u1 < 1: k <= 0 */
    const uint32_t hu1 = (uint32_t)(ub >> 32) & 0x000fffffu;
    const int halve = hu1 >= 0x6a09eu;
    const uint64_t nb = ((uint64_t)(hu1 | kr_select_u32(halve, 0x3fe00000u, 0x3ff00000u)) << 32) |
                        (ub & 0xffffffffu);
    double u;
    memcpy(&u, &nb, 8);
    const uint32_t hu2 = kr_select_u32(halve, (0x00100000u - hu1) >> 2, hu1);
    /* k = exponent(u1) - 1023 + halve, exactly through 2^52 + biased exponent */
    const double ek = kr_log_u2d(0x4330000000000000ULL | (ub >> 52)) - (0x1p52 + 1023.0);
    const double fk = kr_select_f64(renorm, ek + (double)halve, 0.0);
    const double f = kr_select_f64(renorm, u - 1.0, x), c = kr_select_f64(renorm, corr, 0.0);
    const uint32_t hu = kr_select_u32(renorm, hu2, 1u);
    const int k0 = fk == 0.0;
    const double hfsq = 0.5 * f * f;
    /* k ln2_hi is exact (|k| < 2000): its products need no fusing */
    const double klo_c = fma_build ? kr_fma(fk, ln2_lo, c) : fk * ln2_lo + c;
    /* hu == 0: |f| < 2^-20 */
    const double r0 = hfsq * (fma_build ? kr_fma(-f, 0.66666666666666666, 1.0)
                                        : 1.0 - 0.66666666666666666 * f);
    const double at_zero = kr_select_f64(k0, 0.0, fk * ln2_hi + klo_c);
    const double near_zero = kr_select_f64(k0, f - r0, fk * ln2_hi - ((r0 - klo_c) - f));
    const double small = kr_select_f64(f == 0.0, at_zero, near_zero);
    const double s = f / (2.0 + f), z = s * s, z2 = z * z, z4 = z2 * z2, z6 = z4 * z2;
    double r;
    if (fma_build) {
        const double r2 = kr_fma(z, lp3, lp2), r3 = kr_fma(z, lp5, lp4), r4 = kr_fma(z, lp7, lp6);
        r = kr_fma(z6, r4, kr_fma(z4, r3, kr_fma(z, lp1, z2 * r2)));
    } else {
        r = z * lp1 + z2 * (lp2 + z * lp3) + z4 * (lp4 + z * lp5) + z6 * (lp6 + z * lp7);
    }
    const double sr = s * (hfsq + r);
    const double general = kr_select_f64(k0, f - (hfsq - sr), fk * ln2_hi - ((hfsq - (sr + klo_c)) - f));
    return kr_select_f64(ax < 0x3e200000u, tiny, kr_select_f64(hu == 0, small, general));
}

#ifdef __cplusplus
}
#endif
#endif
