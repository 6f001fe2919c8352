/* Shared by the C harness files: a check counter that reports the first failures. */
#ifndef KEYRAND_HARNESS_H
#define KEYRAND_HARNESS_H

#include <stdio.h>

extern int failures;
extern long checks;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        checks++;                                                              \
        if (!(cond)) {                                                         \
            if (failures++ < 20) {                                             \
                fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);           \
                fprintf(stderr, __VA_ARGS__);                                  \
                fputc('\n', stderr);                                           \
            }                                                                  \
        }                                                                      \
    } while (0)

/* Replay the sampler answers file (written by sampler_answers.py from the
 * golden vectors) under the active kernel. */
void test_samplers(const char *path, const char *kernel_name, int foreign_libm);

/* The core's fused multiply-adds (fused.h, fma_soft.c): fma_check.c. */
void test_fma(void);

#endif
