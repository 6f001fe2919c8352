/* MLX's float32 erfinv, inline so loops over arrays vectorize: Giles'
 * single-precision polynomials in t = log(1 - a^2), evaluated with fused
 * multiply-adds as MLX writes them. Both polynomials are computed and one
 * selected, which keeps the loop branch-free (the results are the same). */
#ifndef KEYRAND_MLX_MATH_H
#define KEYRAND_MLX_MATH_H

#include <math.h>

#include "select.h"

static inline float kr_erfinv_poly(float a, float t)
{
    float far = 3.03697567e-10f;
    far = fmaf(far, t, 2.93243101e-8f);
    far = fmaf(far, t, 1.22150334e-6f);
    far = fmaf(far, t, 2.84108955e-5f);
    far = fmaf(far, t, 3.93552968e-4f);
    far = fmaf(far, t, 3.02698812e-3f);
    far = fmaf(far, t, 4.83185798e-3f);
    far = fmaf(far, t, -2.64646143e-1f);
    far = fmaf(far, t, 8.40016484e-1f);
    float near = 5.43877832e-9f;
    near = fmaf(near, t, 1.43285448e-7f);
    near = fmaf(near, t, 1.22774793e-6f);
    near = fmaf(near, t, 1.12963626e-7f);
    near = fmaf(near, t, -5.61530760e-5f);
    near = fmaf(near, t, -1.47697632e-4f);
    near = fmaf(near, t, 2.31468678e-3f);
    near = fmaf(near, t, 1.15392581e-2f);
    near = fmaf(near, t, -2.32015476e-1f);
    near = fmaf(near, t, 8.86226892e-1f);
    return a * kr_select_f32(fabsf(t) > 6.125f, far, near);
}

#endif
