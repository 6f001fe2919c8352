/* Correctly rounded fma and fmaf (round to nearest even) from plain
 * arithmetic, for C libraries whose own are not (see fused.h). Needs IEEE
 * binary32/64 without excess precision, like the rest of the core.
 *
 * fmaf: the product of two floats is exact in double, so only the sum
 * rounds; rounding it to odd in double (53 >= 24 + 2 bits) and then to float
 * equals rounding the exact sum to float once.
 *
 * fma, usual magnitudes: Boldo and Melquiond's emulation ("Emulation of FMA
 * and correctly rounded sums: proved algorithms using rounding to odd", IEEE
 * Trans. Computers 57(4), 2008): the product split exactly into two doubles
 * (Dekker), z added to its high part exactly (TwoSum), the two low parts
 * added with rounding to odd, then one rounding to nearest. Exact as long as
 * nothing overflows or underflows, which the operand ranges guarantee.
 *
 * fma, any other operands: the exact sum in 128-bit integer arithmetic (both
 * operands aligned with a sticky bit for what falls off the end), rounded
 * once to the double format, subnormal and overflowing results included. */
#include "fused.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD != 0
#error "fma_soft.c needs FLT_EVAL_METHOD == 0 (no x87 excess precision)"
#endif

static uint64_t kr_dbits(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static double kr_bitsd(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

static int kr_finite(double d) { return (kr_dbits(d) & 0x7FF0000000000000ull) != 0x7FF0000000000000ull; }

/* a + b rounded to odd: of the two doubles around an inexact sum, the one
 * with an odd last bit. Finite operands, no overflow. */
static double kr_add_odd(double a, double b)
{
    const double s = a + b;
    const double bv = s - a; /* s's rounding error, exactly (TwoSum) */
    const double err = (a - (s - bv)) + (b - bv);
    uint64_t bits = kr_dbits(s);
    if (err != 0.0 && (bits & 1u) == 0) /* step to the odd neighbour towards err */
        bits = (err > 0.0) == (s > 0.0) ? bits + 1 : bits - 1;
    return kr_bitsd(bits);
}

float kr_fmaf_soft(float x, float y, float z)
{
    const double p = (double)x * (double)y; /* exact */
    const double s = p + (double)z;
    if (!kr_finite(s)) return (float)s;     /* inf / NaN operands: IEEE rules already */
    return (float)kr_add_odd(p, (double)z);
}

/* ---- fma ------------------------------------------------------------------ */

typedef struct {
    uint64_t hi, lo;
} kr_u128;

/* 64 x 64 -> 128 bits from 32-bit halves (MSVC has no __int128). */
static kr_u128 kr_mul64(uint64_t a, uint64_t b)
{
    const uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    kr_u128 r;
    r.lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

/* Index of the top set bit (v != 0), by halving. */
static int kr_top_bit(kr_u128 v)
{
    uint64_t w = v.hi ? v.hi : v.lo;
    int n = v.hi ? 64 : 0;
    for (int step = 32; step > 0; step >>= 1)
        if (w >> step) {
            w >>= step;
            n += step;
        }
    return n;
}

static kr_u128 kr_shl(kr_u128 v, int s) /* 0 <= s < 128 */
{
    kr_u128 r;
    if (s == 0) return v;
    if (s >= 64) {
        r.hi = v.lo << (s - 64);
        r.lo = 0;
    } else {
        r.hi = (v.hi << s) | (v.lo >> (64 - s));
        r.lo = v.lo << s;
    }
    return r;
}

/* v >> s, and whether any 1 bit was shifted out (s >= 0; any size). */
static kr_u128 kr_shr(kr_u128 v, int s, int *lost)
{
    kr_u128 r;
    if (s == 0) {
        *lost = 0;
        return v;
    }
    if (s >= 128) {
        *lost = (v.hi | v.lo) != 0;
        r.hi = r.lo = 0;
    } else if (s >= 64) {
        *lost = v.lo != 0 || (s > 64 && (v.hi << (128 - s)) != 0);
        r.lo = v.hi >> (s - 64);
        r.hi = 0;
    } else {
        *lost = (v.lo << (64 - s)) != 0;
        r.lo = (v.lo >> s) | (v.hi << (64 - s));
        r.hi = v.hi >> s;
    }
    return r;
}

static int kr_less(kr_u128 a, kr_u128 b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }

static kr_u128 kr_add(kr_u128 a, kr_u128 b)
{
    kr_u128 r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < a.lo);
    return r;
}

static kr_u128 kr_sub(kr_u128 a, kr_u128 b) /* a >= b */
{
    kr_u128 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

/* |d| = m * 2^e with m < 2^53, for finite nonzero d. */
static uint64_t kr_unpack(double d, int *e)
{
    const uint64_t b = kr_dbits(d);
    const int be = (int)((b >> 52) & 0x7FF);
    const uint64_t m = b & 0x000FFFFFFFFFFFFFull;
    if (be == 0) {
        *e = -1074;
        return m;
    }
    *e = be - 1075;
    return m | 0x0010000000000000ull;
}

/* Shift v left so that its top bit is bit 125, adjusting the exponent: room
 * for the carry of a sum and 70 bits below a double's 53. */
static kr_u128 kr_normalize(kr_u128 v, int *e)
{
    const int s = 125 - kr_top_bit(v);
    *e -= s;
    return kr_shl(v, s);
}

/* x = hi + lo exactly, each half with at most 26 significant bits (Veltkamp;
 * |x| < 2^995). */
static void kr_split(double x, double *hi, double *lo)
{
    const double c = 134217729.0 * x; /* 2^27 + 1 */
    *hi = c - (c - x);
    *lo = x - *hi;
}

/* Operands whose exponents keep every step of the emulation exact: products
 * and z within [2^-800, 2^800], so every partial result is a multiple of
 * 2^-1010 or more (normal, no underflow) and far from overflow. */
static int kr_fma_usual(double x, double y, double z)
{
    const uint64_t ex = (kr_dbits(x) >> 52) & 0x7FF, ey = (kr_dbits(y) >> 52) & 0x7FF;
    const uint64_t ez = (kr_dbits(z) >> 52) & 0x7FF;
    return ex >= 1023 - 400 && ex <= 1023 + 400 && ey >= 1023 - 400 && ey <= 1023 + 400 &&
           ez >= 1023 - 800 && ez <= 1023 + 800;
}

static double kr_fma_usual_path(double x, double y, double z)
{
    double xh, xl, yh, yl;
    kr_split(x, &xh, &xl);
    kr_split(y, &yh, &yl);
    const double ph = x * y; /* x * y = ph + pl exactly (Dekker) */
    const double pl = (((xh * yh - ph) + xh * yl) + xl * yh) + xl * yl;
    const double th = z + ph; /* z + ph = th + tl exactly (TwoSum) */
    const double bv = th - z;
    const double tl = (z - (th - bv)) + (ph - bv);
    return th + kr_add_odd(tl, pl);
}

double kr_fma_soft(double x, double y, double z)
{
    if (!kr_finite(x) || !kr_finite(y)) return x * y + z; /* the product is exact (inf, NaN) */
    if (!kr_finite(z)) return z + z;                      /* a finite product does not matter */
    if (x == 0.0 || y == 0.0) return x * y + z;           /* exact +-0 product: IEEE signs */
    if (z == 0.0) return x * y;                           /* one rounding of the product */
    if (kr_fma_usual(x, y, z)) return kr_fma_usual_path(x, y, z);

    const uint64_t sign_p = (kr_dbits(x) ^ kr_dbits(y)) >> 63, sign_z = kr_dbits(z) >> 63;
    int ex, ey, ep, ez;
    const uint64_t mx = kr_unpack(x, &ex), my = kr_unpack(y, &ey), mz = kr_unpack(z, &ez);
    ep = ex + ey;
    kr_u128 p = kr_normalize(kr_mul64(mx, my), &ep);
    kr_u128 q = {0, mz};
    q = kr_normalize(q, &ez);

    /* Align the smaller exponent to the larger; dropped bits become a sticky 1. */
    int e = ep, lost;
    if (ep >= ez) {
        q = kr_shr(q, ep - ez, &lost);
        q.lo |= (uint64_t)lost;
    } else {
        p = kr_shr(p, ez - ep, &lost);
        p.lo |= (uint64_t)lost;
        e = ez;
    }

    kr_u128 r;
    uint64_t sign = sign_p;
    if (sign_p == sign_z) {
        r = kr_add(p, q);
    } else if (kr_less(p, q)) {
        r = kr_sub(q, p);
        sign = sign_z;
    } else {
        r = kr_sub(p, q);
    }
    if ((r.hi | r.lo) == 0) return 0.0; /* exact cancellation: +0 in round to nearest */

    /* r * 2^e, rounded to the double whose last bit weighs 2^lsb. */
    const int top = e + kr_top_bit(r);              /* exponent of the leading bit */
    const int lsb = top - 52 > -1074 ? top - 52 : -1074;
    const int shift = lsb - e;
    uint64_t m;
    if (shift <= 0) {                               /* exact (deep cancellation) */
        m = kr_shl(r, -shift).lo;
    } else {
        int rest_nonzero;
        const kr_u128 kept = kr_shr(r, shift, &rest_nonzero);
        m = kept.lo;
        if (shift <= 128) {                         /* the dropped bits against one half */
            int below_half;
            const kr_u128 half_and_below = kr_shr(r, shift - 1, &below_half);
            const int half = (int)(half_and_below.lo & 1u);
            if (half && (below_half || (m & 1u))) m++;
        }
    }
    /* m < 2^52 only for subnormals (lsb = -1074); a carry to 2^53 moves into
     * the exponent field by itself. */
    uint64_t bits = ((uint64_t)(lsb + 1074) << 52) + m;
    if (lsb + 1074 > 2046 || bits >= 0x7FF0000000000000ull) bits = 0x7FF0000000000000ull;
    return kr_bitsd(bits | sign << 63);
}
