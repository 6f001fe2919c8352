/* Fused multiply-adds exactly where the source writes them, nowhere else.
 *
 * Implicit contraction (a * b + c compiled as one FMA) would change bits
 * between kernels and platforms. GCC is told on the command line
 * (-ffp-contract=off; -std=c11 implies it too). Clang's default is "on" and
 * so is clang-cl's under /fp:precise, and MSVC before Visual Studio 2022 17.0
 * contracts under /fp:precise as well: the pragmas below switch it off for
 * the rest of every unit that includes this header, whatever the flags.
 *
 * Explicit ones: kr_fma and kr_fmaf round once, as C99's fma promises but
 * not every C library delivers on Windows (mingw-w64 before v11 rounds twice,
 * Microsoft's UCRT does on CPUs without FMA3). A unit compiled for an FMA
 * instruction uses it; elsewhere on Windows fma_soft.c computes them; other
 * C libraries (glibc, musl, Apple's) are correctly rounded. */
#ifndef KEYRAND_FUSED_H
#define KEYRAND_FUSED_H

#include <math.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(_MSC_VER)
#pragma fp_contract(off)
#endif

#ifdef __cplusplus
extern "C" {
#endif

double kr_fma_soft(double x, double y, double z);
float kr_fmaf_soft(float x, float y, float z);

#ifdef __cplusplus
}
#endif

/* MSVC has no __FMA__; its /arch:AVX2 (__AVX2__) emits FMA3. */
#if defined(__FMA__) || defined(__aarch64__) || defined(_M_ARM64) ||               \
    (defined(_MSC_VER) && defined(__AVX2__))
#define KR_FMA_HARDWARE 1
#else
#define KR_FMA_HARDWARE 0
#endif

#if KR_FMA_HARDWARE || !defined(_WIN32)
#define kr_fma(x, y, z) fma((x), (y), (z))
#define kr_fmaf(x, y, z) fmaf((x), (y), (z))
#else
#define kr_fma(x, y, z) kr_fma_soft((x), (y), (z))
#define kr_fmaf(x, y, z) kr_fmaf_soft((x), (y), (z))
#endif

#endif
