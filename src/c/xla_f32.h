/* float32 elementwise math as XLA's CPU backend computes it (jaxlib 0.10.2,
 * x86-64 with FMA), so float32 JAX samplers give jax's numbers bit for bit.
 * The float32 counterpart of xla_math.c.
 *
 * XLA:CPU does not call libm for these: it emits its own polynomials (Cephes
 * and Eigen style) into LLVM IR, and LLVM fuses multiply-adds for the host
 * CPU. Each function follows the instruction sequence XLA's compiled kernel
 * runs: fmaf() where the kernel has an FMA, every other operation rounded on
 * its own (build with -ffp-contract=off).
 *
 * XLA's kernels run with FTZ and DAZ set; these functions model that on
 * values (a subnormal input reads as a signed zero, a subnormal result is
 * flushed) instead of touching the FPU control word.
 *
 * Everything is branch-free (both sides computed, then selected on bit
 * patterns) so loops over arrays vectorize. NaN payloads may differ from
 * XLA's; every other bit matches. */
#ifndef KEYRAND_XLA_F32_H
#define KEYRAND_XLA_F32_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t kr_xla_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static inline float kr_xla_float(uint32_t u)
{
    float x;
    memcpy(&x, &u, 4);
    return x;
}

/* c ? a : b on bit patterns. */
static inline uint32_t kr_xla_sel(int c, uint32_t a, uint32_t b)
{
    const uint32_t m = 0u - (uint32_t)(c != 0);
    return (a & m) | (b & ~m);
}

static inline float kr_xla_self(int c, float a, float b)
{
    return kr_xla_float(kr_xla_sel(c, kr_xla_bits(a), kr_xla_bits(b)));
}

/* FTZ / DAZ: a subnormal becomes a zero of the same sign. */
static inline float kr_xla_ftz(float x)
{
    const uint32_t u = kr_xla_bits(x);
    return kr_xla_float(kr_xla_sel((u & 0x7F800000u) == 0, u & 0x80000000u, u));
}

/* floor(v) for |v| < 2^23 (the only range it is used on); NaN gives NaN. */
static inline float kr_xla_floor_small(float v)
{
    const float vv = kr_xla_self(v == v, v, 0.0f);
    const float t = (float)(int32_t)vv; /* toward zero */
    return kr_xla_self(v == v, t - kr_xla_self(t > vv, 1.0f, 0.0f), v);
}

/* log(x) for x > 0 normal: Cephes logf as Eigen's plog writes it (XLA's
 * log_f32). Frexp-style split x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * a degree-8 polynomial in m - 1, ln 2 in two parts (0x3F318000 + 0xB95E8083). */
static inline float kr_xla_log_core(float v)
{
    const uint32_t u = kr_xla_bits(v);
    const float m = kr_xla_float((u & 0x807FFFFFu) | 0x3F000000u); /* in [0.5, 1) */
    const float e0 = (float)((int32_t)(u >> 23) - 127) + 1.0f;
    const int lt = m < 0.707106769f; /* 0x3F3504F3 */
    const float x = (m - 1.0f) + kr_xla_self(lt, m, 0.0f);
    const float e = e0 - kr_xla_self(lt, 1.0f, 0.0f);
    const float x2 = x * x;
    const float x3 = x2 * x;
    /* Cephes logf coefficients, in three interleaved Horner chains. */
    float y = fmaf(x, 0.0703768358f, -0.115146101f);
    float y1 = fmaf(x, -0.12420141f, 0.142493233f);
    float y2 = fmaf(x, 0.200007141f, -0.24999994f);
    y = fmaf(y, x, 0.116769984f);
    y1 = fmaf(y1, x, -0.166680574f);
    y2 = fmaf(y2, x, 0.333333313f);
    y = fmaf(y, x3, y1);
    y = fmaf(y, x3, y2);
    y = fmaf(y, x3, e * -0.000212194442f);
    float r = fmaf(-0.5f, x2, x);
    r = r + y;
    return fmaf(e, 0.693359375f, r);
}

/* lax.log: log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf. */
static inline float kr_xla_logf(float x)
{
    const float v = kr_xla_ftz(x);
    /* The core sees max(v, FLT_MIN) so it never reads garbage exponents. */
    const float vc = kr_xla_self(v > 1.17549435e-38f, v, 1.17549435e-38f);
    uint32_t r = kr_xla_bits(kr_xla_log_core(vc));
    r = kr_xla_sel(!(v > 0.0f), 0xFFFFFFFFu, r); /* negative or NaN: XLA's all-ones NaN */
    r = kr_xla_sel(v == 0.0f, 0xFF800000u, r);
    r = kr_xla_sel(v == INFINITY, 0x7F800000u, r);
    return kr_xla_float(r);
}

/* lax.log1p: for |x| < sqrt(2) - 1 the Cephes log1p rational
 * x - x^2/2 + x^3 P(x)/Q(x); otherwise log(1 + x). Both Horner chains start
 * from x * 0, as XLA emits them (NaN for infinite x, which is not selected). */
static inline float kr_xla_log1pf(float x)
{
    x = kr_xla_ftz(x);
    const float big = kr_xla_logf(x + 1.0f);
    const float z = x * 0.0f;
    float den = z + 1.0f;
    den = fmaf(den, x, 15.0629091f);
    den = fmaf(den, x, 83.0475693f);
    den = fmaf(den, x, 221.762405f);
    den = fmaf(den, x, 309.098724f);
    den = fmaf(den, x, 216.427887f);
    den = fmaf(den, x, 60.11866f);
    float num = z + 4.52700009e-05f;
    num = fmaf(num, x, 0.498541027f);
    num = fmaf(num, x, 6.57873249f);
    num = fmaf(num, x, 29.9119186f);
    num = fmaf(num, x, 60.9496689f);
    num = fmaf(num, x, 57.1129646f);
    num = fmaf(num, x, 20.0395527f);
    const float x2 = x * x;
    const float s = (x * x2) * (num / den);
    const float small = x + fmaf(-0.5f, x2, s);
    return kr_xla_self(fabsf(x) < 0.414213568f, small, big); /* 0x3ED413CD */
}

/* lax.exp: Cephes expf. n = floor(x log2(e) + 1/2) clamped to [-127, 127],
 * r = x - n ln2 (two parts), e^r = 1 + r + r^2 P(r), times 2^n built in the
 * exponent field (2^-127 is built as 0). x is clamped to [-87.8, 88.8]. */
static inline float kr_xla_expf(float x)
{
    x = kr_xla_ftz(x);
    float xc = kr_xla_self(x < -87.8f, -87.8f, x); /* NaN passes */
    xc = kr_xla_self(xc > 88.8f, 88.8f, xc);
    float n = kr_xla_floor_small(fmaf(xc, 1.44269502f, 0.5f));
    n = kr_xla_self(n < -127.0f, -127.0f, n);
    n = kr_xla_self(n > 127.0f, 127.0f, n);
    float r = fmaf(-n, 0.693359375f, xc);
    r = fmaf(-n, -0.000212194442f, r);
    float p = fmaf(0.000198756912f, r, 0.00139819994f);
    p = fmaf(p, r, 0.00833345205f);
    p = fmaf(p, r, 0.0416657962f);
    p = fmaf(p, r, 0.166666657f);
    p = fmaf(p, r, 0.5f);
    const float y = fmaf(p, r * r, r) + 1.0f;
    const int32_t k = (int32_t)kr_xla_self(n == n, n, 0.0f);
    const float scale = kr_xla_float((uint32_t)(k + 127) << 23);
    return kr_xla_ftz(y * scale);
}

/* lax.erf: Eigen's float erf (XLA's erf_f32): +-1 for |x| >= 3.832507
 * (0x407547CB), else x P(x^2) / Q(x^2), rational of degrees 9 / 12. */
static inline float kr_xla_erff(float x)
{
    x = kr_xla_ftz(x);
    const float z = x * x;
    float p = fmaf(z, 0.000229050653f, 0.00340829091f);
    p = fmaf(z, p, 0.0509556942f);
    p = fmaf(z, p, 0.185208321f);
    p = fmaf(z, p, 1.12837911f);
    float q = fmaf(z, -1.17916031e-07f, 2.35479656e-05f);
    q = fmaf(z, q, 0.00101796258f);
    q = fmaf(z, q, 0.0140704699f);
    q = fmaf(z, q, 0.110985048f);
    q = fmaf(z, q, 0.497469246f);
    q = fmaf(z, q, 1.0f);
    const float r = (x * p) / q;
    return kr_xla_self(fabsf(x) >= 3.8325069f, copysignf(1.0f, x), r);
}

/* lax.erf_inv: M. Giles' single-precision erfinv ("Approximating the erfinv
 * function", GPU Computing Gems), as chlo.erf_inv expands it: w = -log1p(-x^2)
 * with x^2 rounded first, one polynomial whose coefficients are selected on
 * w < 5, in w - 2.5 or sqrt(w) - 3; +-inf at +-1, NaN outside [-1, 1]. */
static inline float kr_xla_erfinvf(float x)
{
    x = kr_xla_ftz(x);
    const float w = -kr_xla_log1pf(kr_xla_ftz(x * -x));
    const int c = w < 5.0f;
    /* sqrt of a NaN w is NaN either way; keep sqrtf's argument >= 0 */
    const float t = kr_xla_self(c, w - 2.5f, sqrtf(kr_xla_self(w >= 0.0f, w, 0.0f)) - 3.0f);
    const float tt = kr_xla_self(w >= 0.0f || c, t, w);
    float p = kr_xla_self(c, 2.81022636e-08f, -0.000200214257f);
    p = fmaf(p, tt, kr_xla_self(c, 3.43273939e-07f, 0.000100950558f));
    p = fmaf(p, tt, kr_xla_self(c, -3.5233877e-06f, 0.00134934322f));
    p = fmaf(p, tt, kr_xla_self(c, -4.39150654e-06f, -0.00367342844f));
    p = fmaf(p, tt, kr_xla_self(c, 0.00021858087f, 0.00573950773f));
    p = fmaf(p, tt, kr_xla_self(c, -0.00125372503f, -0.0076224613f));
    p = fmaf(p, tt, kr_xla_self(c, -0.00417768164f, 0.00943887047f));
    p = fmaf(p, tt, kr_xla_self(c, 0.246640727f, 1.00167406f));
    p = fmaf(p, tt, kr_xla_self(c, 1.50140941f, 2.83297682f));
    const float r = kr_xla_ftz(p * x);
    return kr_xla_self(fabsf(x) == 1.0f, x * INFINITY, r);
}

#endif
