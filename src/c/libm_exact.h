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

#ifdef __cplusplus
}
#endif
#endif
