/* libm_exact.h - platform-independent logf/log1pf/log/erf that reproduce
 * glibc 2.36 on x86-64 (Debian bookworm, CPU with FMA+AVX2) bit for bit.
 * See libm_exact.c for the reference, build requirements and verification.
 */
#ifndef KEYRAND_LIBM_EXACT_H
#define KEYRAND_LIBM_EXACT_H

#include <stdint.h>
#include <string.h>

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

#ifdef __cplusplus
}
#endif
#endif
