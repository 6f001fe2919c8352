/* libm_exact.h - platform-independent logf/log1pf/log/erf that reproduce
 * glibc 2.36 on x86-64 (Debian bookworm, CPU with FMA+AVX2) bit for bit.
 * See libm_exact.c for the reference, build requirements and verification.
 */
#ifndef KEYRAND_LIBM_EXACT_H
#define KEYRAND_LIBM_EXACT_H

#ifdef __cplusplus
extern "C" {
#endif

float  kr_logf(float x);
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
