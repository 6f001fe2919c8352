/* float64 math as JAX computes it on the CPU (XLA, jaxlib 0.10.2, x86-64
 * with FMA), so float64 samplers give JAX's x64 numbers bit for bit.
 *
 * XLA's CPU kernels run with subnormals flushed (FTZ + DAZ); these functions
 * model that on values instead of touching the FPU control word. Where XLA
 * fuses a multiply into an add, the code calls fma(); every other operation
 * is rounded on its own (the core is built with -ffp-contract=off). log and
 * erf are glibc's, as XLA calls them on Linux x86-64, reproduced bit for bit
 * by libm_exact.c so every platform gives the same results; pow and tan are
 * the C library's own (what XLA calls on the same host; not reproduced). */
#ifndef KEYRAND_XLA_MATH_H
#define KEYRAND_XLA_MATH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* log(x), with glibc's classic error convention that XLA binds to:
 * log(0) = -inf and log(x < 0) = +NaN, subnormals reading as 0. */
double kr_xla_log_f64(double x);

/* log1p(x): XLA's own rational approximation below |x| < sqrt(2) - 1, log(1 + x) above. */
double kr_xla_log1p_f64(double x);

/* glibc's erf(x) (libm_exact.h), on the flushed argument. */
double kr_xla_erf_f64(double x);

/* erf_inv(x): Giles' three-region polynomials in w = -log1p(-x^2), as
 * XLA expands chlo.erf_inv; +-inf at +-1, NaN outside [-1, 1]. */
double kr_xla_erfinv_f64(double x);

/* exp(x): XLA's own Cephes-style rational approximation (not the C library's). */
double kr_xla_exp_f64(double x);

/* The C library's tan(x) and pow(x, y) on flushed arguments, flushed. */
double kr_xla_tan_f64(double x);
double kr_xla_pow_f64(double x, double y);

/* Elementwise forms over arrays. */
typedef enum kr_xla_fn { KR_XLA_LOG, KR_XLA_LOG1P, KR_XLA_ERF, KR_XLA_ERFINV, KR_XLA_EXP,
                         KR_XLA_TAN, KR_XLA_FN_COUNT } kr_xla_fn;
void kr_xla_f64_array(kr_xla_fn fn, const double *x, size_t n, double *out);
void kr_xla_pow_f64_array(const double *x, const double *y, size_t n, double *out);

#ifdef __cplusplus
}
#endif

#endif
