/* float64 elementwise math as XLA's CPU backend computes it (jaxlib 0.10.2,
 * x86-64 with FMA), branch-free and always inlined so the kernels' sampler
 * loops vectorize; xla_math.c exports the same functions for arrays. The
 * float64 counterpart of xla_f32.h.
 *
 * log is glibc's (XLA calls it; libm_exact.h reproduces it); log1p, exp and
 * erf_inv are XLA's own expansions. Subnormal inputs read as signed zeros
 * and subnormal results are flushed (XLA's FTZ / DAZ), modelled on values.
 * Every path is computed and one selected per element; NaN payloads may
 * differ from XLA's, every other bit matches. */
#ifndef KEYRAND_XLA_F64_H
#define KEYRAND_XLA_F64_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fused.h"
#include "libm_exact.h"
#include "xla_f32.h" /* KR_XLA_INLINE */

KR_XLA_INLINE uint64_t kr_d2u(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

KR_XLA_INLINE double kr_u2d(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* c ? x : y on bit patterns. */
KR_XLA_INLINE double kr_sel64(int c, double x, double y)
{
    const uint64_t m = 0ULL - (uint64_t)(c != 0);
    return kr_u2d((kr_d2u(x) & m) | (kr_d2u(y) & ~m));
}

/* FTZ / DAZ: a subnormal becomes a zero of the same sign. */
KR_XLA_INLINE double kr_xla_flush64(double x)
{
    const uint64_t u = kr_d2u(x);
    return kr_u2d((u & 0x7FF0000000000000ULL) == 0 ? u & 0x8000000000000000ULL : u);
}

/* log: glibc's on a positive normal finite x; -inf for (flushed) zeros,
 * +inf for +inf, a positive quiet NaN below zero, NaN for NaN. */
KR_XLA_INLINE double kr_xla_log64(double x)
{
    x = kr_xla_flush64(x);
    const uint64_t ix = kr_d2u(x);
    const int finite_pos = ix - 0x0010000000000000ULL < 0x7FF0000000000000ULL - 0x0010000000000000ULL;
    const double y = kr_log_pos(kr_sel64(finite_pos, x, 1.0));
    const double special =
        kr_sel64(x != x, x + x,
                 kr_sel64(x == 0.0, -INFINITY,
                          kr_sel64(x < 0.0, kr_u2d(0x7FF8000000000000ULL), INFINITY)));
    return kr_sel64(finite_pos, y, special);
}

/* log1p: XLA's rational approximation for |x| < sqrt(2) - 1, else
 * log(1 + x). Both Horner chains start from x * 0, which XLA keeps (NaN for
 * an infinite x). */
KR_XLA_INLINE double kr_xla_log1p64(double x)
{
    x = kr_xla_flush64(x);
    const double zero = x * 0.0;
    double den = zero + 1.0;
    den = kr_fma(den, x, 15.062909083469192043167);
    den = kr_fma(den, x, 83.047565967967209469434);
    den = kr_fma(den, x, 221.76239823732856465394);
    den = kr_fma(den, x, 309.09872225312059774938);
    den = kr_fma(den, x, 216.42788614495947685003);
    den = kr_fma(den, x, 60.118660497603843919306);
    double num = zero + 4.5270000862445199635215e-5;
    num = kr_fma(num, x, 0.49854102823193375972212);
    num = kr_fma(num, x, 6.5787325942061044846969);
    num = kr_fma(num, x, 29.911919328553073277375);
    num = kr_fma(num, x, 60.949667980987787057556);
    num = kr_fma(num, x, 57.112963590585538103336);
    num = kr_fma(num, x, 20.039553499201281259648);
    const double x2 = x * x;
    const double near0 = x + kr_fma(x2, -0.5, (x * x2) * (num / den));
    const int small = fabs(x) < kr_u2d(0x3FDA827999FCEF32ULL); /* sqrt(2) - 1 */
    return kr_sel64(small, near0, kr_xla_log64(x + 1.0));
}

/* erf_inv (Giles 2010, double precision), the central branch w < 6.25,
 * w = -log1p(-x^2): where *tail is set (w >= 6.25 or NaN, |x| = 1, about
 * 0.2% of uniform draws) the caller recomputes with kr_xla_erfinv_f64. */
KR_XLA_INLINE double kr_xla_erfinv64_central(double x, int *tail)
{
    x = kr_xla_flush64(x);
    const double w = -kr_xla_log1p64(x * -x);
    *tail = !(w < 6.25) | (fabs(x) == 1.0);
    const double t = w - 3.125;
    double p = -3.6444120640178196996e-21;
    p = kr_fma(p, t, -1.685059138182016589e-19);
    p = kr_fma(p, t, 1.2858480715256400167e-18);
    p = kr_fma(p, t, 1.115787767802518096e-17);
    p = kr_fma(p, t, -1.333171662854620906e-16);
    p = kr_fma(p, t, 2.0972767875968561637e-17);
    p = kr_fma(p, t, 6.6376381343583238325e-15);
    p = kr_fma(p, t, -4.0545662729752068639e-14);
    p = kr_fma(p, t, -8.1519341976054721522e-14);
    p = kr_fma(p, t, 2.6335093153082322977e-12);
    p = kr_fma(p, t, -1.2975133253453532498e-11);
    p = kr_fma(p, t, -5.4154120542946279317e-11);
    p = kr_fma(p, t, 1.051212273321532285e-09);
    p = kr_fma(p, t, -4.1126339803469836976e-09);
    p = kr_fma(p, t, -2.9070369957882005086e-08);
    p = kr_fma(p, t, 4.2347877827932403518e-07);
    p = kr_fma(p, t, -1.3654692000834678645e-06);
    p = kr_fma(p, t, -1.3882523362786468719e-05);
    p = kr_fma(p, t, 0.0001867342080340571352);
    p = kr_fma(p, t, -0.00074070253416626697512);
    p = kr_fma(p, t, -0.0060336708714301490533);
    p = kr_fma(p, t, 0.24015818242558961693);
    p = kr_fma(p, t, 1.6536545626831027356);
    return kr_xla_flush64(p * x);
}

/* floor(v) for |v| < 2^51: round to an integer through 1.5 * 2^52, then
 * down by one where that rounded up (floor() itself vectorizes only with
 * -fno-trapping-math). */
KR_XLA_INLINE double kr_floor_small(double v)
{
    const double r = (v + 0x1.8p52) - 0x1.8p52;
    return r - kr_sel64(r > v, 1.0, 0.0);
}

/* floor(x), exact for every double (as kr_xla_floorf). */
KR_XLA_INLINE double kr_xla_floor64(double x)
{
    return kr_sel64((fabs(x) < 0x1p51) & (x != 0.0), kr_floor_small(x), x);
}

/* exp: XLA's Cephes-style expansion, x = n ln2 + g, e^g = 1 + 2p / (q - p),
 * scaled by 2^n in four factors so none overflows. The factors' exponents
 * come from doubles through 2^52 (no 64-bit integer conversion). */
KR_XLA_INLINE double kr_xla_exp64(double x)
{
    const double hi = kr_u2d(0x40862E42FEFA39EFULL); /*  709.78...: exp overflows above */
    const double lo = kr_u2d(0xC086232BDD7ABCD2ULL); /* -708.39...: exp is subnormal below */
    const double nan_in = x + x;
    const int is_nan = x != x;
    x = kr_xla_flush64(x);
    const double xc = kr_sel64(x < hi, kr_sel64(x > lo, x, lo), hi);
    const double n = kr_floor_small(kr_fma(xc, 1.4426950408889634073599, 0.5)); /* |.| < 1100 */
    double g = kr_fma(-n, 0.693145751953125, xc);
    g = kr_fma(-n, 1.42860682030941723212e-6, g);
    const double g2 = g * g;
    const double p =
        kr_fma(kr_fma(g2, 1.26177193074810590878e-4, 3.02994407707441961300e-2), g2, 1.0) * g;
    const double q = kr_fma(kr_fma(kr_fma(g2, 3.00198505138664455042e-6, 2.52448340349684104192e-3),
                                   g2, 2.27265548208155028766e-1),
                            g2, 2.0);
    const double e = kr_fma(p / (q - p), 2.0, 1.0);
    const double k = kr_sel64(n < -2099.0, -2099.0, kr_sel64(n > 2099.0, 2099.0, n));
    const double b = kr_floor_small(k * 0.25);
    /* b + 1023 and k - 3b + 1023 lie in [498, 1550]: integers below 2^52,
     * the low bits of 2^52 plus them */
    const uint64_t e1 = kr_d2u((b + 1023.0) + 0x1p52) & 0xFFFFFu;
    const uint64_t e2 = kr_d2u(((k - 3.0 * b) + 1023.0) + 0x1p52) & 0xFFFFFu;
    const double s1 = kr_u2d(e1 << 52), s2 = kr_u2d(e2 << 52);
    const double r = kr_xla_flush64(e * s1 * s1 * s1 * s2);
    return kr_sel64(is_nan, nan_in, kr_sel64(x < lo, 0.0, kr_sel64(x > hi, INFINITY, r)));
}

#endif
