/* float16 and bfloat16 conversions with round-to-nearest-even, done on bit
 * patterns so every platform and kernel rounds identically. MLX computes in
 * these types by widening to float32, doing one op, and rounding back. */
#ifndef KEYRAND_HALFPREC_H
#define KEYRAND_HALFPREC_H

#include <stdint.h>
#include <string.h>

#include "fused.h"

static inline uint32_t kr_f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float kr_bits_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint16_t kr_f32_to_bf16(float f)
{
    const uint32_t u = kr_f32_bits(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((u >> 16) | 0x40); /* quiet NaN */
    return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

static inline float kr_bf16_to_f32(uint16_t h) { return kr_bits_f32((uint32_t)h << 16); }

static inline uint16_t kr_f32_to_f16(float f)
{
    const uint32_t u = kr_f32_bits(f);
    const uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    const uint32_t a = u & 0x7FFFFFFFu;
    if (a > 0x7F800000u) return (uint16_t)(sign | 0x7E00u);            /* NaN */
    if (a >= 0x477FF000u) return (uint16_t)(sign | 0x7C00u);           /* rounds past 65504 */
    if (a < 0x38800000u) {                                             /* subnormal or zero */
        if (a < 0x33000000u) return sign;                              /* below half the least subnormal */
        const uint32_t mant = (a & 0x7FFFFFu) | 0x800000u;
        const unsigned shift = 126u - (a >> 23);                       /* 14..24 */
        uint32_t h = mant >> shift;
        const uint32_t rest = mant & ((1u << shift) - 1u), half = 1u << (shift - 1u);
        if (rest > half || (rest == half && (h & 1u))) h++;
        return (uint16_t)(sign | h);
    }
    uint32_t h = ((a >> 13) - (112u << 10));                           /* rebias 127 -> 15 */
    const uint32_t rest = a & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) h++;
    return (uint16_t)(sign | h);
}

static inline float kr_f16_to_f32(uint16_t h)
{
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
    if (exp == 0x1Fu) return kr_bits_f32(sign | 0x7F800000u | (mant << 13));
    if (exp == 0) {
        /* subnormal: mant * 2^-24, exact in float32 */
        const float v = (float)mant * 5.9604644775390625e-8f;
        return sign ? -v : v;
    }
    return kr_bits_f32(sign | ((exp + 112u) << 23) | (mant << 13));
}

#endif
