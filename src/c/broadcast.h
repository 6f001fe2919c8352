/* Elementwise passes over operands broadcast as NumPy broadcasts them: each
 * operand is read through per-dimension element strides (0 along an axis it
 * is broadcast on), the output is C-contiguous, and nothing full-size is
 * made on the way. */
#ifndef KEYRAND_BROADCAST_H
#define KEYRAND_BROADCAST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { KR_BROADCAST_MAX_DIMS = 32 };

/* A broadcast operand: its data and its stride (in elements, may be 0 or
 * negative) along each dimension of the output. */
typedef struct kr_operand {
    const void *data;
    const int64_t *strides;
} kr_operand;

/* MLX's normal from its unscaled values z (erfinv, sample.h's KR_UNSCALED),
 * in place over the C-order elements of `shape` (ndim dimensions):
 *     z = loc + fl(c * scale) * z
 * each operation rounded to the type (float32 or float64); scale NULL: the
 * factor is c itself; loc NULL: no shift. KR_ERR_ARG for ndim beyond
 * KR_BROADCAST_MAX_DIMS. */
int kr_affine_f32(int ndim, const int64_t *shape, float c, const kr_operand *scale,
                  const kr_operand *loc, float *z);
int kr_affine_f64(int ndim, const int64_t *shape, double c, const kr_operand *scale,
                  const kr_operand *loc, double *z);

#ifdef __cplusplus
}
#endif

#endif
