/* Kernel selection (implemented in dispatch.c). */
#ifndef KEYRAND_DISPATCH_H
#define KEYRAND_DISPATCH_H

#include "kernels.h"

/* Bit mask (1 << kr_isa) of kernels both compiled in and runnable here. */
unsigned kr_supported_isas(void);
/* The fastest runnable kernel. */
kr_isa kr_best_isa(void);
/* Index of a kernel by its name ("scalar", "avx2", "avx512", "neon"), or -1. */
int kr_isa_from_name(const char *name);
const char *kr_isa_name(kr_isa isa);
/* Whether this build contains the kernel, whatever the CPU. */
int kr_isa_compiled(kr_isa isa);
/* Make `isa` the active kernel: 0 on success, -1 if the build lacks it,
 * -2 if this CPU (or OS) cannot run it. */
int kr_select_isa(kr_isa isa);
/* A given kernel's table if runnable here, else NULL (used by tests). */
const kr_kernel_table *kr_kernel_table_for(kr_isa isa);
/* The active kernel; the best runnable one unless kr_select_isa chose. */
const kr_kernel_table *kr_kernels(void);
/* Host CPU features that change XLA:CPU's arithmetic (not keyrand's own,
 * which is the same everywhere): XLA reads LLVM's host feature string and
 * emits different code for the same program on different CPUs. */
enum {
    KR_HOST_X86 = 1u << 0,        /* x86-64: XLA's rsqrt estimate exists at all */
    KR_HOST_SSE4A = 1u << 1,      /* XLA's test for an AMD CPU (one Newton step in rsqrt) */
    KR_HOST_AVX = 1u << 2,        /* with OS support; without it XLA's rsqrt is 1 / sqrt */
    KR_HOST_AVX512F = 1u << 3,    /* with OS support */
    KR_HOST_FP16 = 1u << 4,       /* native float16 arithmetic (AVX512-FP16; aarch64
                                   * FEAT_FP16): float16 multiply-adds are contracted */
    KR_HOST_BF16 = 1u << 5,       /* AVX512-BF16: float -> bfloat16 by vcvtneps2bf16 */
    KR_HOST_F16C = 1u << 6,       /* float16 conversions in hardware (no numeric effect) */
};
/* KR_HOST_* bits of this CPU, detected once. */
unsigned kr_host_features(void);

/* The compiler that built the core, for diagnostics. */
const char *kr_build_compiler(void);
/* 1 if the core was built with AddressSanitizer (KEYRAND_SANITIZE=1). */
int kr_build_sanitized(void);

#endif
