/* float32 elementwise math as XLA's CPU backend computes it (jaxlib 0.10.2,
 * x86-64 with FMA), so float32 JAX samplers give jax's numbers bit for bit.
 * The float32 counterpart of xla_math.c.
 *
 * log, log1p, exp, erf, erf_inv, lgamma: XLA emits its own polynomials
 * (Cephes / Eigen style, chlo expansions) into LLVM IR, and LLVM fuses
 * multiply-adds for the host CPU. tan, sin, pow: XLA calls the C library's
 * tanf, sinf, powf, i.e. glibc's; reproduced here for glibc 2.36 (Debian 12),
 * other glibc versions can differ in the last bit. Each function follows the
 * instructions the compiled code runs: fmaf()/fma() where it has an FMA,
 * every other operation rounded on its own (build with -ffp-contract=off).
 *
 * XLA's kernels run with FTZ and DAZ set; these functions model that on
 * values (a subnormal input reads as a signed zero, a subnormal result is
 * flushed) instead of touching the FPU control word.
 *
 * Shapes: these are the vectorized kernels XLA runs for arrays of 8 or more
 * elements and for the fused kernels of jax.random. Two exceptions: a 1-D
 * log or exp of 3, 5, 6 or 7 elements (plus 8 + those) calls glibc's logf /
 * expf instead, and erf on a rank-0 array is kr_xla_erff_scalar.
 *
 * Everything is branch-free (both sides computed, then selected on bit
 * patterns) so loops over arrays vectorize. NaN payloads may differ from
 * XLA's; every other bit matches. */
#ifndef KEYRAND_XLA_F32_H
#define KEYRAND_XLA_F32_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fused.h"
#include "halfprec.h"
#include "select.h"

/* Always inlined: the kernels' sampler loops vectorize only when every call
 * in them is inlined, and the compiler's own budget gives up once a function
 * (erf_inv, log1p) has a few callers in one file. */
#if defined(_MSC_VER)
#define KR_XLA_INLINE static __forceinline
#else
#define KR_XLA_INLINE static inline __attribute__((always_inline))
#endif

/* FTZ / DAZ: a subnormal becomes a zero of the same sign. */
KR_XLA_INLINE float kr_xla_ftz(float x)
{
    const uint32_t u = kr_f32_bits(x);
    return kr_bits_f32(kr_select_u32((u & 0x7F800000u) == 0, u & 0x80000000u, u));
}

/* a * b with FTZ as x86 applies it: tininess is detected before rounding, so
 * a product whose exact value lies below FLT_MIN is flushed even when it
 * rounds up to FLT_MIN. The fma gives the exact sign of |a||b| - |a * b|. */
KR_XLA_INLINE float kr_xla_mul_ftz(float a, float b)
{
    const float r = a * b;
    const float m = fabsf(a) * fabsf(b);
    const uint32_t below = kr_f32_bits(kr_fmaf(fabsf(a), fabsf(b), -m)) >> 31;
    const uint32_t tiny = (uint32_t)(m < 1.17549435e-38f) | ((uint32_t)(m == 1.17549435e-38f) & below);
    return kr_bits_f32(kr_select_u32((int)tiny, kr_f32_bits(r) & 0x80000000u, kr_f32_bits(r)));
}

/* floor(v) for |v| < 2^23 (the only range it is used on); NaN gives NaN. */
KR_XLA_INLINE float kr_xla_floor_small(float v)
{
    const float vv = kr_select_f32(v == v, v, 0.0f);
    const float t = (float)(int32_t)vv; /* toward zero */
    return kr_select_f32(v == v, t - kr_select_f32(t > vv, 1.0f, 0.0f), v);
}

/* log(x) for x > 0 normal: Cephes logf as Eigen's plog writes it (XLA's
 * log_f32). Frexp-style split x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * a degree-8 polynomial in m - 1, ln 2 in two parts (0x3F318000 + 0xB95E8083). */
KR_XLA_INLINE float kr_xla_log_core(float v)
{
    const uint32_t u = kr_f32_bits(v);
    const float m = kr_bits_f32((u & 0x807FFFFFu) | 0x3F000000u); /* in [0.5, 1) */
    const float e0 = (float)((int32_t)(u >> 23) - 127) + 1.0f;
    const int lt = m < 0.707106769f; /* 0x3F3504F3 */
    const float x = (m - 1.0f) + kr_select_f32(lt, m, 0.0f);
    const float e = e0 - kr_select_f32(lt, 1.0f, 0.0f);
    const float x2 = x * x;
    const float x3 = x2 * x;
    /* Cephes logf coefficients, in three interleaved Horner chains. */
    float y = kr_fmaf(x, 0.0703768358f, -0.115146101f);
    float y1 = kr_fmaf(x, -0.12420141f, 0.142493233f);
    float y2 = kr_fmaf(x, 0.200007141f, -0.24999994f);
    y = kr_fmaf(y, x, 0.116769984f);
    y1 = kr_fmaf(y1, x, -0.166680574f);
    y2 = kr_fmaf(y2, x, 0.333333313f);
    y = kr_fmaf(y, x3, y1);
    y = kr_fmaf(y, x3, y2);
    y = kr_fmaf(y, x3, e * -0.000212194442f);
    float r = kr_fmaf(-0.5f, x2, x);
    r = r + y;
    return kr_fmaf(e, 0.693359375f, r);
}

/* lax.log: log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf. */
KR_XLA_INLINE float kr_xla_logf(float x)
{
    const float v = kr_xla_ftz(x);
    /* The core sees max(v, FLT_MIN) so it never reads garbage exponents. */
    const float vc = kr_select_f32(v > 1.17549435e-38f, v, 1.17549435e-38f);
    uint32_t r = kr_f32_bits(kr_xla_log_core(vc));
    r = kr_select_u32(!(v > 0.0f), 0xFFFFFFFFu, r); /* negative or NaN: XLA's all-ones NaN */
    r = kr_select_u32(v == 0.0f, 0xFF800000u, r);
    r = kr_select_u32(v == INFINITY, 0x7F800000u, r);
    return kr_bits_f32(r);
}

/* lax.log1p: for |x| < sqrt(2) - 1 the Cephes log1p rational
 * x - x^2/2 + x^3 P(x)/Q(x); otherwise log(1 + x). Both Horner chains start
 * from x * 0, as XLA emits them (NaN for infinite x, which is not selected). */
KR_XLA_INLINE float kr_xla_log1pf(float x)
{
    x = kr_xla_ftz(x);
    const float big = kr_xla_logf(x + 1.0f);
    const float z = x * 0.0f;
    float den = z + 1.0f;
    den = kr_fmaf(den, x, 15.0629091f);
    den = kr_fmaf(den, x, 83.0475693f);
    den = kr_fmaf(den, x, 221.762405f);
    den = kr_fmaf(den, x, 309.098724f);
    den = kr_fmaf(den, x, 216.427887f);
    den = kr_fmaf(den, x, 60.11866f);
    float num = z + 4.52700009e-05f;
    num = kr_fmaf(num, x, 0.498541027f);
    num = kr_fmaf(num, x, 6.57873249f);
    num = kr_fmaf(num, x, 29.9119186f);
    num = kr_fmaf(num, x, 60.9496689f);
    num = kr_fmaf(num, x, 57.1129646f);
    num = kr_fmaf(num, x, 20.0395527f);
    const float x2 = x * x;
    const float s = (x * x2) * (num / den);
    const float small = x + kr_fmaf(-0.5f, x2, s);
    return kr_select_f32(fabsf(x) < 0.414213568f, small, big); /* 0x3ED413CD */
}

/* lax.exp: Cephes expf. n = floor(x log2(e) + 1/2) clamped to [-127, 127],
 * r = x - n ln2 (two parts), e^r = 1 + r + r^2 P(r), times 2^n built in the
 * exponent field (2^-127 is built as 0). x is clamped to [-87.8, 88.8]. */
KR_XLA_INLINE float kr_xla_expf(float x)
{
    x = kr_xla_ftz(x);
    float xc = kr_select_f32(x < -87.8f, -87.8f, x); /* NaN passes */
    xc = kr_select_f32(xc > 88.8f, 88.8f, xc);
    float n = kr_xla_floor_small(kr_fmaf(xc, 1.44269502f, 0.5f));
    n = kr_select_f32(n < -127.0f, -127.0f, n);
    n = kr_select_f32(n > 127.0f, 127.0f, n);
    float r = kr_fmaf(-n, 0.693359375f, xc);
    r = kr_fmaf(-n, -0.000212194442f, r);
    float p = kr_fmaf(0.000198756912f, r, 0.00139819994f);
    p = kr_fmaf(p, r, 0.00833345205f);
    p = kr_fmaf(p, r, 0.0416657962f);
    p = kr_fmaf(p, r, 0.166666657f);
    p = kr_fmaf(p, r, 0.5f);
    const float y = kr_fmaf(p, r * r, r) + 1.0f;
    const int32_t k = (int32_t)kr_select_f32(n == n, n, 0.0f);
    const float scale = kr_bits_f32((uint32_t)(k + 127) << 23);
    return kr_xla_mul_ftz(y, scale);
}

/* lax.erf: Eigen's float erf (XLA's erf_f32): +-1 for |x| >= 3.832507
 * (0x407547CB), else x P(x^2) / Q(x^2), rational of degrees 9 / 12. */
KR_XLA_INLINE float kr_xla_erff(float x)
{
    x = kr_xla_ftz(x);
    const float z = x * x;
    float p = kr_fmaf(z, 0.000229050653f, 0.00340829091f);
    p = kr_fmaf(z, p, 0.0509556942f);
    p = kr_fmaf(z, p, 0.185208321f);
    p = kr_fmaf(z, p, 1.12837911f);
    float q = kr_fmaf(z, -1.17916031e-07f, 2.35479656e-05f);
    q = kr_fmaf(z, q, 0.00101796258f);
    q = kr_fmaf(z, q, 0.0140704699f);
    q = kr_fmaf(z, q, 0.110985048f);
    q = kr_fmaf(z, q, 0.497469246f);
    q = kr_fmaf(z, q, 1.0f);
    const float r = (x * p) / q;
    return kr_select_f32(fabsf(x) >= 3.8325069f, copysignf(1.0f, x), r);
}

/* lax.sqrt: IEEE sqrt of the flushed input. Built with -fno-math-errno
 * (__NO_MATH_ERRNO__) this is sqrtf, one instruction; otherwise the errno
 * check of sqrtf keeps loops scalar, so the same correctly rounded result is
 * computed without it: rsqrt by Newton iterations (two in float from the
 * classic bit-level guess, two in double), s = x rsqrt(x) in double, then one
 * rounding to float. The double result is within 2^-51 of sqrt(x) and a
 * float sqrt is never closer than 2^-49 to a rounding midpoint, so the last
 * rounding is the correct one. */
KR_XLA_INLINE float kr_xla_sqrtf(float x)
{
    x = kr_xla_ftz(x);
#ifdef __NO_MATH_ERRNO__
    return sqrtf(x);
#else
    const int normal = (x > 0.0f) & (x < INFINITY);
    const float v = kr_select_f32(normal, x, 1.0f);
    float y = kr_bits_f32(0x5F3759DFu - (kr_f32_bits(v) >> 1));
    const float hv = 0.5f * v;
    y = y * (1.5f - hv * y * y);
    y = y * (1.5f - hv * y * y);
    const double vd = (double)v;
    double yd = (double)y;
    yd = yd * (1.5 - 0.5 * vd * yd * yd);
    yd = yd * (1.5 - 0.5 * vd * yd * yd);
    const float s = (float)(vd * yd);
    /* 0 -> itself, +inf -> +inf, negative or NaN -> NaN */
    return kr_select_f32(normal, s, kr_select_f32(x >= 0.0f, x, NAN));
#endif
}

/* lax.erf on a rank-0 array (a scalar kernel, e.g. truncated_normal's
 * erf(bound / sqrt 2) for traced bounds): XLA's scalar emitter clamps x to
 * +-3.7439213 (0x406F9C68) first and returns +-1 from there, where the vector
 * kernel above still evaluates the rational up to 3.832507. */
KR_XLA_INLINE float kr_xla_erff_scalar(float x)
{
    x = kr_xla_ftz(x);
    const float c = 3.74392128f;
    /* llvm.maximum / llvm.minimum: NaN propagates */
    float xc = kr_select_f32(x < -c, -c, x);
    xc = kr_select_f32(xc > c, c, xc);
    const float z = xc * xc;
    float p = kr_fmaf(z, 0.000229050653f, 0.00340829091f);
    p = kr_fmaf(p, z, 0.0509556942f);
    p = kr_fmaf(p, z, 0.185208321f);
    p = kr_fmaf(p, z, 1.12837911f);
    float q = kr_fmaf(z, -1.17916031e-07f, 2.35479656e-05f);
    q = kr_fmaf(q, z, 0.00101796258f);
    q = kr_fmaf(q, z, 0.0140704699f);
    q = kr_fmaf(q, z, 0.110985048f);
    q = kr_fmaf(q, z, 0.497469246f);
    q = kr_fmaf(q, z, 1.0f);
    const float r = (xc * p) / q;
    return kr_select_f32(fabsf(x) >= c, copysignf(1.0f, x), r);
}

/* lax.erf_inv: M. Giles' single-precision erfinv ("Approximating the erfinv
 * function", GPU Computing Gems), as chlo.erf_inv expands it: w = -log1p(-x^2)
 * with x^2 rounded first, one polynomial whose coefficients are selected on
 * w < 5, in w - 2.5 or sqrt(w) - 3; +-inf at +-1, NaN outside [-1, 1]. */
KR_XLA_INLINE float kr_xla_erfinvf(float x)
{
    x = kr_xla_ftz(x);
    const float w = -kr_xla_log1pf(kr_xla_ftz(x * -x));
    const int c = w < 5.0f;
    const float t = kr_select_f32(c, w - 2.5f, kr_xla_sqrtf(w) - 3.0f);
    float p = kr_select_f32(c, 2.81022636e-08f, -0.000200214257f);
    p = kr_fmaf(p, t, kr_select_f32(c, 3.43273939e-07f, 0.000100950558f));
    p = kr_fmaf(p, t, kr_select_f32(c, -3.5233877e-06f, 0.00134934322f));
    p = kr_fmaf(p, t, kr_select_f32(c, -4.39150654e-06f, -0.00367342844f));
    p = kr_fmaf(p, t, kr_select_f32(c, 0.00021858087f, 0.00573950773f));
    p = kr_fmaf(p, t, kr_select_f32(c, -0.00125372503f, -0.0076224613f));
    p = kr_fmaf(p, t, kr_select_f32(c, -0.00417768164f, 0.00943887047f));
    p = kr_fmaf(p, t, kr_select_f32(c, 0.246640727f, 1.00167406f));
    p = kr_fmaf(p, t, kr_select_f32(c, 1.50140941f, 2.83297682f));
    const float r = kr_xla_mul_ftz(p, x);
    return kr_select_f32(fabsf(x) == 1.0f, x * INFINITY, r);
}

/* -a if neg (0 or 1), else a: the sign bit flipped, as multiplying by -1 does. */
KR_XLA_INLINE double kr_xla_dneg(double a, uint32_t neg)
{
    uint64_t u;
    memcpy(&u, &a, 8);
    u ^= (uint64_t)neg << 63;
    memcpy(&a, &u, 8);
    return a;
}

/* c ? a : b for doubles, on bit patterns. */
KR_XLA_INLINE double kr_xla_seld(int c, double a, double b)
{
    uint64_t ua, ub;
    double out;
    memcpy(&ua, &a, 8);
    memcpy(&ub, &b, 8);
    const uint64_t m = 0u - (uint64_t)(c != 0);
    const uint64_t r = (ua & m) | (ub & ~m);
    memcpy(&out, &r, 8);
    return out;
}

/* |x| 4/pi for |x| >= 2 (glibc's reduce_large for sinf, cosf and tanf): the
 * 2.62-bit fixed-point product of the mantissa with 4/pi to 192 bits, exact.
 * Returns the remainder times pi/2 (sign of x not applied), *n the quadrant. */
KR_XLA_INLINE double kr_xla_reduce_large(uint32_t xi, uint32_t *n)
{
    /* floor(4/pi 2^(7 + 8i)) mod 2^32: 4/pi in overlapping 32-bit windows */
    static const uint32_t inv_pio4[24] = {
        0x000000A2, 0x0000A2F9, 0x00A2F983, 0xA2F9836E, 0xF9836E4E, 0x836E4E44,
        0x6E4E4415, 0x4E441529, 0x441529FC, 0x1529FC27, 0x29FC2757, 0xFC2757D1,
        0x2757D1F5, 0x57D1F534, 0xD1F534DD, 0xF534DDC0, 0x34DDC0DB, 0xDDC0DB62,
        0xC0DB6295, 0xDB629599, 0x6295993C, 0x95993C43, 0x993C4390, 0x3C439041,
    };
    const uint32_t j = (xi >> 26) & 15u;
    const uint32_t mant = ((xi & 0x7FFFFFu) | 0x800000u) << ((xi >> 23) & 7u);
    const uint64_t lo = (uint64_t)(uint32_t)(mant * inv_pio4[j]);
    const uint64_t mid = (uint64_t)mant * inv_pio4[j + 4];
    const uint64_t hi = (uint64_t)mant * inv_pio4[j + 8];
    uint64_t frac = ((hi >> 32) | (lo << 32)) + mid;
    const uint64_t nl = (frac + (1ull << 61)) >> 62;
    frac -= nl << 62;
    *n = (uint32_t)nl;
    /* (double)(int64_t)frac in 32-bit halves (one rounding, in the sum), as
     * AVX2 has no int64 -> double conversion */
    const double fhi = (double)(int32_t)(uint32_t)(frac >> 32) * 4294967296.0;
    const double flo = (double)(int32_t)((uint32_t)frac ^ 0x80000000u) + 2147483648.0;
    return (fhi + flo) * 0x1.921FB54442D18p-62; /* pi 2^-63 */
}

/* lax.tan: XLA calls the C library's tanf, here glibc 2.36 (Debian 12) on
 * x86-64, which has no FMA variant of it: fdlibm's float kernel __kernel_tanf
 * after the sinf/cosf range reduction (x - n pi/2 in double for |x| < 120,
 * else 4/pi to 192 bits in integer arithmetic). It runs under XLA's FTZ/DAZ,
 * but nothing in it is subnormal except a tiny x, which it returns untouched.
 * Newer glibc (2.41+) has a correctly rounded tanf, so jax on such a system
 * can differ in the last bit. */
KR_XLA_INLINE float kr_xla_tanf(float x)
{
    const uint32_t xi = kr_f32_bits(x);
    const uint32_t ax = xi & 0x7FFFFFFFu;

    /* |x| < 120: n = round(x 2/pi) from x (2/pi 2^24) truncated, x - n pi/2 */
    const int fast = (ax >> 20) < 0x42Fu;
    const double xd = (double)kr_select_f32(fast, x, 0.0f);
    const int32_t nf = ((int32_t)(xd * 0x1.45F306DC9C883p+23) + 0x800000) >> 24;
    const double df = xd - (double)nf * 0x1.921FB54442D18p0; /* no FMA in tanf */

    uint32_t nl;
    double dl = kr_xla_reduce_large(xi, &nl);
    dl = kr_xla_seld((int)(xi >> 31), -dl, dl);

    const int small = ax <= 0x3F490FDAu; /* |x| <= pi/4: no reduction */
    const double dx = kr_xla_seld(fast, df, dl);
    const uint32_t n = kr_select_u32(small, 0u, kr_select_u32(fast, (uint32_t)nf, nl));
    const float y0 = kr_select_f32(small, x, (float)dx);
    const float y1 = kr_select_f32(small, 0.0f, (float)(dx - (double)y0));
    const int32_t iy = 1 - (int32_t)((n & 1u) << 1); /* 1: tan, -1: -1/tan */

    /* __kernel_tanf(y0, y1, iy) */
    const uint32_t hx = kr_f32_bits(y0);
    const uint32_t ix = hx & 0x7FFFFFFFu;
    const int neg = (int)(hx >> 31);
    const float sgn = kr_select_f32(neg, -1.0f, 1.0f);
    /* |y0| < 2^-13: y0 itself, or -1/y0 */
    const float tiny = kr_select_f32(iy == 1, y0,
                                   kr_select_f32(ix == 0, 1.0f / fabsf(y0), -1.0f / y0));
    /* |y0| >= 0.6744: work on pi/4 - |y| instead */
    const int big = ix >= 0x3F2CA140u;
    const float xa = kr_select_f32(neg, -y0, y0), ya = kr_select_f32(neg, -y1, y1);
    const float xr = (0.785398126f - xa) + (3.77489471e-08f - ya); /* pi/4 in two parts */
    const float xk = kr_select_f32(big, xr, y0);
    const float yk = kr_select_f32(big, 0.0f, y1);
    const float near = sgn * (float)iy * (1.0f - (float)(2 * iy) * xk);
    /* tan(x) = x + x^3/3 + x^5 (odd and even terms in x^4) */
    const float z = xk * xk;
    const float w = z * z;
    const float r0 = 0.13333334f + w * (0.0218694881f + w * (0.00359207904f + w * (0.000588041265f
                     + w * (7.81794442e-05f + w * -1.85586377e-05f))));
    const float v0 = z * (0.0539682545f + w * (0.00886323955f + w * (0.00145620946f
                     + w * (0.00024646314f + w * (7.14072521e-05f + w * 2.59073058e-05f)))));
    const float s = z * xk;
    float r = yk + z * (s * (r0 + v0) + yk);
    r = r + 0.333333343f * s;
    const float wk = xk + r;
    const float fiy = (float)iy;
    const float resbig = sgn * (fiy - 2.0f * (xk - (wk * wk / (wk + fiy) - r)));
    /* -1/(x + r) with the leading bits of w and of -1/w split off */
    const float zh = kr_bits_f32(kr_f32_bits(wk) & 0xFFFFF000u);
    const float v2 = r - (zh - xk);
    const float a = -1.0f / wk;
    const float t = kr_bits_f32(kr_f32_bits(a) & 0xFFFFF000u);
    const float inv = t + a * ((1.0f + t * zh) + t * v2);
    float res = kr_select_f32(iy == 1, wk, inv);
    res = kr_select_f32(big, resbig, res);
    res = kr_select_f32(big & (fabsf(xr) < 0x1p-13f), near, res);
    res = kr_select_f32(ix < 0x39000000u, tiny, res);
    return kr_select_f32(ax >= 0x7F800000u, x - x, res);
}

/* lax.pow: XLA calls the C library's powf, here glibc 2.36 on x86-64, whose
 * ifunc picks the build compiled with -mfma on FMA CPUs (every multiply-add
 * below is fused, as in that build). Szabolcs Nagy's powf: log2(x) in double
 * from a 16-entry table (x = 2^k z, z/c - 1 = r, a degree-5 polynomial in r),
 * then 2^(y log2 x) from a 32-entry table and a cubic. Under XLA's DAZ a
 * subnormal x reads as 0 in glibc's normalising multiply, which leaves
 * log2 x = -150 exactly; under FTZ a result below 2^-126 is a signed 0. */
KR_XLA_INLINE float kr_xla_powf(float x, float y)
{
    /* glibc __powf_log2_data: c near the centre of each subinterval of z,
     * 1/c and log2(c) */
    static const double invc[16] = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
    };
    static const double logc[16] = {
        -0x1.efec65b963019p-2, -0x1.b0b6832d4fca4p-2, -0x1.7418b0a1fb77bp-2, -0x1.39de91a6dcf7bp-2,
        -0x1.01d9bf3f2b631p-2, -0x1.97c1d1b3b7afp-3, -0x1.2f9e393af3c9fp-3, -0x1.960cbbf788d5cp-4,
        -0x1.a6f9db6475fcep-5, 0x0p+0, 0x1.338ca9f24f53dp-4, 0x1.476a9543891bap-3,
        0x1.e840b4ac4e4d2p-3, 0x1.40645f0c6651cp-2, 0x1.88e9c2c1b9ff8p-2, 0x1.ce0a44eb17bccp-2,
    };
    /* bits(2^(i/32)) - (i << 47), 2^(i/32) rounded to double */
    static const uint64_t exp2tab[32] = {
        0x3FF0000000000000ull, 0x3FEFD9B0D3158574ull, 0x3FEFB5586CF9890Full, 0x3FEF9301D0125B51ull,
        0x3FEF72B83C7D517Bull, 0x3FEF54873168B9AAull, 0x3FEF387A6E756238ull, 0x3FEF1E9DF51FDEE1ull,
        0x3FEF06FE0A31B715ull, 0x3FEEF1A7373AA9CBull, 0x3FEEDEA64C123422ull, 0x3FEECE086061892Dull,
        0x3FEEBFDAD5362A27ull, 0x3FEEB42B569D4F82ull, 0x3FEEAB07DD485429ull, 0x3FEEA47EB03A5585ull,
        0x3FEEA09E667F3BCDull, 0x3FEE9F75E8EC5F74ull, 0x3FEEA11473EB0187ull, 0x3FEEA589994CCE13ull,
        0x3FEEACE5422AA0DBull, 0x3FEEB737B0CDC5E5ull, 0x3FEEC49182A3F090ull, 0x3FEED503B23E255Dull,
        0x3FEEE89F995AD3ADull, 0x3FEEFF76F2FB5E47ull, 0x3FEF199BDD85529Cull, 0x3FEF3720DCEF9069ull,
        0x3FEF5818DCFBA487ull, 0x3FEF7C97337B9B5Full, 0x3FEFA4AFA2A490DAull, 0x3FEFD0765B6E4540ull,
    };
    const uint32_t ix0 = kr_f32_bits(x), iy = kr_f32_bits(y);
    const uint32_t ax = ix0 & 0x7FFFFFFFu;

    /* y an integer (finite, nonzero y): all of |y| >= 2^24 is even */
    const uint32_t ey = (iy >> 23) & 0xFFu;
    const uint32_t inrange = (uint32_t)(ey >= 0x7Fu) & (uint32_t)(ey <= 0x96u);
    const uint32_t unit = 1u << kr_select_u32((int)inrange, 0x96u - ey, 0u); /* weight of 1 */
    const uint32_t yint = (uint32_t)(ey > 0x96u) | (inrange & (uint32_t)((iy & (unit - 1u)) == 0));
    const uint32_t yodd = inrange & (uint32_t)((iy & (unit - 1u)) == 0) & (uint32_t)((iy & unit) != 0);
    const uint32_t negodd = (ix0 >> 31) & yodd;

    /* log2(x) = k + log2(c) + log1p(z/c - 1)/ln 2 */
    const uint32_t ixm = kr_select_u32(ax < 0x00800000u, 0u - (23u << 23), ax);
    const uint32_t tmp = ixm - 0x3F330000u;
    const uint64_t i = (uint64_t)((tmp >> 19) & 15u); /* 64-bit, so GCC can emulate the gather */
    const uint32_t top = tmp & 0xFF800000u;
    const double z = (double)kr_bits_f32(ixm - top);
    const double k = (double)((int32_t)top >> 23);
    const double r = kr_fma(z, invc[i], -1.0);
    const double y0 = logc[i] + k;
    const double r2 = r * r;
    const double pa = kr_fma(0x1.27616c9496e0bp-2, r, -0x1.71969a075c67ap-2);
    const double pb = kr_fma(0x1.ec70a6ca7baddp-2, r, -0x1.7154748bef6c8p-1);
    const double r4 = r2 * r2;
    double q = kr_fma(0x1.71547652ab82bp+0, r, y0);
    q = kr_fma(pb, r2, q);
    const double logx = kr_fma(pa, r4, q);
    const double ylogx = (double)y * logx;

    /* 2^ylogx = 2^(m/32) 2^t, m = round(32 ylogx) by the 1.5 2^52 shift */
    const double kd0 = ylogx + 0x1.8p+47;
    uint64_t ki;
    memcpy(&ki, &kd0, 8);
    const double t = ylogx - (kd0 - 0x1.8p+47);
    const uint64_t sbits = exp2tab[ki & 31u] + ((ki + ((uint64_t)negodd << 16)) << 47);
    double s;
    memcpy(&s, &sbits, 8);
    const double pz = kr_fma(0x1.c6af84b912394p-5, t, 0x1.ebfce50fac4f3p-3);
    const double t2 = t * t;
    double e = kr_fma(0x1.62e42ff0c52d6p-1, t, 1.0);
    e = kr_fma(pz, t2, e);
    e = e * s;
    const uint32_t sign = negodd << 31;
    /* FTZ on the double -> float conversion: tiny before rounding */
    uint32_t res = kr_select_u32(fabs(e) < 0x1p-126, sign, kr_f32_bits((float)e));
    uint64_t ylb;
    memcpy(&ylb, &ylogx, 8);
    const int huge = ((ylb >> 47) & 0xFFFFu) >= 0x80BFu; /* |ylogx| >= 126 */
    res = kr_select_u32(huge & (ylogx <= -150.0), sign, res);
    res = kr_select_u32(huge & (ylogx > 0x1.fffffffd1d571p+6), sign | 0x7F800000u, res);

    /* special x and y, in glibc's order of precedence (last here = first) */
    const float nanv = NAN;
    res = kr_select_u32((ix0 >> 31) & !yint, kr_f32_bits(nanv), res); /* x < 0, y not an integer */
    const float x2 = x * x;
    const float x2s = kr_select_f32((int)negodd, -x2, x2);
    const int xzin = 2u * ix0 - 1u >= 2u * 0x7F800000u - 1u; /* x is 0, inf or nan */
    res = kr_select_u32(xzin, kr_f32_bits(kr_select_f32((int)(iy >> 31), 1.0f / x2s, x2s)), res);
    const int yzin = 2u * iy - 1u >= 2u * 0x7F800000u - 1u;
    const int xsnan = 2u * (ix0 ^ 0x00400000u) > 2u * 0x7FC00000u;
    const int ysnan = 2u * (iy ^ 0x00400000u) > 2u * 0x7FC00000u;
    uint32_t sp = kr_f32_bits(y * y);
    sp = kr_select_u32((2u * ix0 < 2u * 0x3F800000u) == !(iy >> 31), 0u, sp);
    sp = kr_select_u32(2u * ix0 == 2u * 0x3F800000u, 0x3F800000u, sp);
    sp = kr_select_u32((2u * ix0 > 2u * 0x7F800000u) | (2u * iy > 2u * 0x7F800000u), kr_f32_bits(x + y), sp);
    sp = kr_select_u32(ix0 == 0x3F800000u, kr_select_u32(ysnan, kr_f32_bits(x + y), 0x3F800000u), sp);
    sp = kr_select_u32(2u * iy == 0, kr_select_u32(xsnan, kr_f32_bits(x + y), 0x3F800000u), sp);
    res = kr_select_u32(yzin, sp, res);
    return kr_bits_f32(res);
}

/* lax.sin: XLA calls the C library's sinf, here glibc 2.36 on x86-64 in its
 * FMA build (ifunc). Szabolcs Nagy's sinf: x itself for |x| < 2^-12, the
 * polynomial on x for |x| < 0.75, else x - n pi/2 (one FMA, |x| < 120) or the
 * exact large reduction; odd quadrants use the cosine polynomial. Evaluated
 * in double and rounded once to float. */
static inline float kr_xla_sinf(float y)
{
    const uint32_t xi = kr_f32_bits(y);
    const uint32_t top = (xi >> 20) & 0x7FFu;
    const double x = (double)y;
    const int fast = top < 0x42Fu; /* |y| < 120 */
    const double xf = kr_xla_seld(fast, x, 0.0);
    const int32_t nf = ((int32_t)(xf * 0x1.45F306DC9C883p+23) + 0x800000) >> 24;
    const double rf = kr_fma(-(double)nf, 0x1.921FB54442D18p0, xf);
    uint32_t nl;
    const double rl = kr_xla_reduce_large(xi, &nl);
    const int small = top < 0x3F4u; /* |y| < 0.75: no reduction */
    const uint32_t n = kr_select_u32(small, 0u, kr_select_u32(fast, (uint32_t)nf, nl));
    /* the large reduction is of |y|; the sign moves the quadrant instead */
    const uint32_t q = kr_select_u32(small | fast, n, n + (xi >> 31));
    const double r = kr_xla_seld(small, x, kr_xla_seld(fast, rf, rl));
    const double x2 = r * r;
    /* sin(x) ~ x + s1 x^3 + x^5 (s2 + s3 x^2), x signed by the quadrant */
    const double xs = kr_xla_dneg(r, (q ^ (q >> 1)) & 1u);
    const double x3 = x2 * xs;
    const double s1 = kr_fma(x2, -0x1.994eb3774cf24p-13, 0x1.1107605230bc4p-7);
    const double x5 = x2 * x3;
    const double sv = kr_fma(x5, s1, kr_fma(x3, -0x1.555545995a603p-3, xs));
    /* cos(x) ~ c0 + c1 x^2 + c2 x^4 + x^6 (c3 + c4 x^2); glibc's second table
     * negates every coefficient, which negates the result exactly */
    const double x4 = x2 * x2;
    const double c1 = kr_fma(x2, -0x1.ffffffd0c621cp-2, 1.0);
    const double c2 = kr_fma(x2, 0x1.99343027bf8c3p-16, -0x1.6c087e89a359dp-10);
    const double x6 = x2 * x4;
    const double cv = kr_fma(c2, x6, kr_fma(x4, 0x1.55553e1068f19p-5, c1));
    const double res = kr_xla_seld((int)(n & 1u), kr_xla_dneg(cv, (q >> 1) & 1u), sv);
    float out = (float)res;
    out = kr_select_f32(top < 0x398u, y, out); /* |y| < 2^-12 */
    return kr_select_f32(top >= 0x7F8u, y - y, out);
}

/* floor(v) for every float (XLA's vroundps). */
KR_XLA_INLINE float kr_xla_floorf(float v)
{
    return kr_select_f32(fabsf(v) < 8388608.0f, kr_xla_floor_small(v), v);
}

/* chlo.lgamma's Lanczos sum for z = x - 1 (g = 7, 9 terms, as in XLA's
 * client math library): lgamma(x) for x >= 1/2, before the checks of
 * kr_xla_lgammaf. The only contraction LLVM finds is the multiply-add of
 * the log(t) term. */
KR_XLA_INLINE float kr_xla_lgamma_lanczos(float z)
{
    /* log(t) = log(g + 1/2) + log1p(z / (g + 1/2)), t = z + g + 1/2 */
    const float log_t = kr_xla_log1pf(z * 0.13333334f) + 2.01490307f;
    const float lw = kr_fmaf(log_t, (z + 0.5f) - (z + 7.5f) / log_t, 0.918938518f);
    float sum = 676.520386f / (z + 1.0f) + 1.0f;
    sum = sum - 1259.13916f / (z + 2.0f);
    sum = sum + 771.323425f / (z + 3.0f);
    sum = sum - 176.615036f / (z + 4.0f);
    sum = sum + 12.5073433f / (z + 5.0f);
    sum = sum - 0.138571098f / (z + 6.0f);
    sum = sum + 9.98436917e-06f / (z + 7.0f);
    sum = sum + 1.50563267e-07f / (z + 8.0f);
    return lw + kr_xla_logf(sum);
}

/* lax.lgamma for x >= 1/2 or NaN (no reflection): what kr_xla_lgammaf
 * selects there, without its sine. */
KR_XLA_INLINE float kr_xla_lgammaf_right(float x)
{
    x = kr_xla_ftz(x);
    return kr_select_f32(x == INFINITY, INFINITY, kr_xla_lgamma_lanczos(x + -1.0f));
}

/* lax.lgamma: the Lanczos sum with the reflection formula below 1/2,
 * log(pi) - log(sin(pi frac)) - lgamma(1 - x); XLA fuses it into one kernel
 * that calls glibc's sinf and inlines its own log and log1p. */
static inline float kr_xla_lgammaf(float x)
{
    x = kr_xla_ftz(x);
    const float ax = fabsf(x);
    const int reflect = x < 0.5f;
    const float frac = ax - kr_xla_floorf(ax);
    const float rf = kr_select_f32(0.5f < frac, 1.0f - frac, frac);
    const float log_sin = kr_xla_logf(kr_xla_sinf(rf * 3.14159274f));
    const float lg = kr_xla_lgamma_lanczos(kr_select_f32(reflect, -x, x + -1.0f));
    float r = kr_select_f32(fabsf(log_sin) < INFINITY, (1.14472985f - log_sin) - lg, -log_sin);
    r = kr_select_f32(reflect, r, lg);
    return kr_select_f32(ax == INFINITY, INFINITY, r);
}

#endif
