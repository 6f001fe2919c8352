/* Broadcast elementwise passes (broadcast.h). The outer dimensions are walked
 * by an odometer; the innermost runs as one loop whose unit and zero strides
 * get their own copies, which the compiler vectorizes. */
#include "broadcast.h"

#include "keyrand.h"

/* One row: n elements of z with scale / loc at element strides ss / ls. */
#define KR_AFFINE_ROW(T)                                                       \
    static void kr_affine_row_##T(size_t n, T c, const T *s, int64_t ss,       \
                                  const T *l, int64_t ls, T *z)                \
    {                                                                          \
        if (s && l && ss == 1 && ls == 1) {                                    \
            for (size_t i = 0; i < n; i++) z[i] = l[i] + (c * s[i]) * z[i];    \
        } else if (s && l && ss == 1 && ls == 0) {                             \
            const T add = l[0];                                                \
            for (size_t i = 0; i < n; i++) z[i] = add + (c * s[i]) * z[i];     \
        } else if (s && l && ss == 0 && ls == 1) {                             \
            const T mul = c * s[0];                                            \
            for (size_t i = 0; i < n; i++) z[i] = l[i] + mul * z[i];           \
        } else if (s && l) {                                                   \
            for (size_t i = 0; i < n; i++)                                     \
                z[i] = l[(int64_t)i * ls] + (c * s[(int64_t)i * ss]) * z[i];   \
        } else if (s) {                                                        \
            if (ss == 1)                                                       \
                for (size_t i = 0; i < n; i++) z[i] = (c * s[i]) * z[i];       \
            else                                                               \
                for (size_t i = 0; i < n; i++) z[i] = (c * s[(int64_t)i * ss]) * z[i]; \
        } else if (l) {                                                        \
            if (ls == 1)                                                       \
                for (size_t i = 0; i < n; i++) z[i] = l[i] + c * z[i];         \
            else                                                               \
                for (size_t i = 0; i < n; i++) z[i] = l[(int64_t)i * ls] + c * z[i]; \
        } else {                                                               \
            for (size_t i = 0; i < n; i++) z[i] = c * z[i];                    \
        }                                                                      \
    }

KR_AFFINE_ROW(float)
KR_AFFINE_ROW(double)

/* The odometer over the outer dimensions, calling ROW on each innermost row. */
#define KR_AFFINE(T)                                                           \
    static int kr_affine_##T##_nd(int ndim, const int64_t *shape, T c, const kr_operand *scale, \
                           const kr_operand *loc, T *z)                        \
    {                                                                          \
        if (ndim < 0 || ndim > KR_BROADCAST_MAX_DIMS) return KR_ERR_ARG;       \
        for (int d = 0; d < ndim; d++)                                         \
            if (shape[d] <= 0) return KR_OK; /* nothing to do */               \
        const T *s = scale ? (const T *)scale->data : NULL;                    \
        const T *l = loc ? (const T *)loc->data : NULL;                        \
        const int64_t inner = ndim ? shape[ndim - 1] : 1;                      \
        const int64_t ss = s && ndim ? scale->strides[ndim - 1] : 0;           \
        const int64_t ls = l && ndim ? loc->strides[ndim - 1] : 0;             \
        int64_t index[KR_BROADCAST_MAX_DIMS] = {0};                            \
        for (;;) {                                                             \
            kr_affine_row_##T((size_t)inner, c, s, ss, l, ls, z);              \
            z += inner;                                                        \
            int d = ndim - 2; /* advance the odometer, innermost outer axis first */ \
            for (; d >= 0; d--) {                                              \
                if (s) s += scale->strides[d];                                 \
                if (l) l += loc->strides[d];                                   \
                if (++index[d] < shape[d]) break;                              \
                if (s) s -= scale->strides[d] * shape[d];                      \
                if (l) l -= loc->strides[d] * shape[d];                        \
                index[d] = 0;                                                  \
            }                                                                  \
            if (d < 0) return KR_OK;                                           \
        }                                                                      \
    }

KR_AFFINE(float)
KR_AFFINE(double)

int kr_affine_f32(int ndim, const int64_t *shape, float c, const kr_operand *scale,
                  const kr_operand *loc, float *z)
{
    return kr_affine_float_nd(ndim, shape, c, scale, loc, z);
}

int kr_affine_f64(int ndim, const int64_t *shape, double c, const kr_operand *scale,
                  const kr_operand *loc, double *z)
{
    return kr_affine_double_nd(ndim, shape, c, scale, loc, z);
}
