/* MLX's float32 erfinv, inline so loops over arrays vectorize: Giles'
 * single-precision polynomials in t = log(1 - a^2), evaluated with fused
 * multiply-adds as MLX writes them. kr_erfinv_poly computes both polynomials
 * and selects one, which keeps loops branch-free (the results are the same). */
#ifndef KEYRAND_MLX_MATH_H
#define KEYRAND_MLX_MATH_H

#include <math.h>

#include "fused.h"
#include "select.h"

/* The polynomial for |t| > 6.125 (the tails, about 0.1% of normal draws). */
static inline float kr_erfinv_far(float t)
{
    float p = 3.03697567e-10f;
    p = kr_fmaf(p, t, 2.93243101e-8f);
    p = kr_fmaf(p, t, 1.22150334e-6f);
    p = kr_fmaf(p, t, 2.84108955e-5f);
    p = kr_fmaf(p, t, 3.93552968e-4f);
    p = kr_fmaf(p, t, 3.02698812e-3f);
    p = kr_fmaf(p, t, 4.83185798e-3f);
    p = kr_fmaf(p, t, -2.64646143e-1f);
    return kr_fmaf(p, t, 8.40016484e-1f);
}

/* The polynomial for |t| <= 6.125. */
static inline float kr_erfinv_near(float t)
{
    float p = 5.43877832e-9f;
    p = kr_fmaf(p, t, 1.43285448e-7f);
    p = kr_fmaf(p, t, 1.22774793e-6f);
    p = kr_fmaf(p, t, 1.12963626e-7f);
    p = kr_fmaf(p, t, -5.61530760e-5f);
    p = kr_fmaf(p, t, -1.47697632e-4f);
    p = kr_fmaf(p, t, 2.31468678e-3f);
    p = kr_fmaf(p, t, 1.15392581e-2f);
    p = kr_fmaf(p, t, -2.32015476e-1f);
    return kr_fmaf(p, t, 8.86226892e-1f);
}

static inline float kr_erfinv_poly(float a, float t)
{
    return a * kr_select_f32(fabsf(t) > 6.125f, kr_erfinv_far(t), kr_erfinv_near(t));
}

#endif
