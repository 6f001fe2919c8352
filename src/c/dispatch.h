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
/* The compiler that built the core, for diagnostics. */
const char *kr_build_compiler(void);
/* 1 if the core was built with AddressSanitizer (KEYRAND_SANITIZE=1). */
int kr_build_sanitized(void);

#endif
