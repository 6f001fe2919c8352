/* c ? x : y on bit patterns: branch-free selects that compilers vectorize
 * (a ternary on floats often keeps a loop scalar), exact for every value. */
#ifndef KEYRAND_SELECT_H
#define KEYRAND_SELECT_H

#include <stdint.h>
#include <string.h>

static inline uint32_t kr_select_u32(int c, uint32_t x, uint32_t y)
{
    const uint32_t mask = 0u - (uint32_t)(c != 0);
    return (x & mask) | (y & ~mask);
}

static inline int32_t kr_select_i32(int c, int32_t x, int32_t y)
{
    return (int32_t)kr_select_u32(c, (uint32_t)x, (uint32_t)y);
}

static inline float kr_select_f32(int c, float x, float y)
{
    uint32_t bx, by, r;
    float out;
    memcpy(&bx, &x, 4);
    memcpy(&by, &y, 4);
    r = kr_select_u32(c, bx, by);
    memcpy(&out, &r, 4);
    return out;
}

static inline double kr_select_f64(int c, double x, double y)
{
    uint64_t bx, by;
    double out;
    memcpy(&bx, &x, 8);
    memcpy(&by, &y, 8);
    const uint64_t mask = 0ULL - (uint64_t)(c != 0), r = (bx & mask) | (by & ~mask);
    memcpy(&out, &r, 8);
    return out;
}

#endif
