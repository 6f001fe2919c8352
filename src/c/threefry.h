/* Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror, Shaw: "Parallel random
 * numbers: as easy as 1, 2, 3", SC'11), the block function MLX and JAX use.
 *
 * This header holds the constants every kernel shares and a portable scalar
 * evaluation used for single blocks (keys, fold_in) and as the reference that
 * each SIMD kernel is tested against. */
#ifndef KEYRAND_THREEFRY_H
#define KEYRAND_THREEFRY_H

#include <stdint.h>
#include <string.h>

/* Key-schedule parity: the third schedule word is k0 ^ k1 ^ KR_THREEFRY_PARITY. */
#define KR_THREEFRY_PARITY 0x1BD11BDAu

/* Rotation amounts of the two round groups; groups alternate every four rounds
 * and the key is injected after each group. */
#define KR_ROT_A0 13
#define KR_ROT_A1 15
#define KR_ROT_A2 26
#define KR_ROT_A3 6
#define KR_ROT_B0 17
#define KR_ROT_B1 29
#define KR_ROT_B2 16
#define KR_ROT_B3 24

static inline uint32_t kr_rotl32(uint32_t x, unsigned r)
{
    return (x << r) | (x >> (32u - r));
}

/* One evaluation: out = threefry2x32_20(key, (x0, x1)). */
static inline void kr_threefry2x32_20(const uint32_t key[2], uint32_t x0,
                                      uint32_t x1, uint32_t out[2])
{
    static const unsigned rot[2][4] = {
        {KR_ROT_A0, KR_ROT_A1, KR_ROT_A2, KR_ROT_A3},
        {KR_ROT_B0, KR_ROT_B1, KR_ROT_B2, KR_ROT_B3},
    };
    uint32_t k[2];
    memcpy(k, key, sizeof k); /* keys may sit unaligned (unpickled or sliced arrays) */
    const uint32_t ks[3] = {k[0], k[1], k[0] ^ k[1] ^ KR_THREEFRY_PARITY};
    x0 += ks[0];
    x1 += ks[1];
    for (uint32_t block = 0; block < 5; block++) {
        for (int r = 0; r < 4; r++) {
            x0 += x1;
            x1 = kr_rotl32(x1, rot[block & 1][r]);
            x1 ^= x0;
        }
        x0 += ks[(block + 1) % 3];
        x1 += ks[(block + 2) % 3] + block + 1;
    }
    out[0] = x0;
    out[1] = x1;
}

#endif
