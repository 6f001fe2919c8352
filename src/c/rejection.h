/* What the rejection samplers' drivers (sample_gamma.c, sample_poisson.c)
 * share with their per-ISA block functions (rejection_template.h, compiled
 * into every kernel file so their math runs with that ISA's instructions):
 * the jobs, and the lanes of keys whose Threefry chains the kernels hash. */
#ifndef KEYRAND_REJECTION_H
#define KEYRAND_REJECTION_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "halfprec.h"
#include "kernels.h"
#include "keyrand.h"
#include "sample.h"
#include "sample_jax.h"
#include "xla_f64.h"

/* Elements per block: a block's loop state stays in L1. */
enum { KR_GAMMA_BLOCK = 256, KR_POISSON_BLOCK = 256 };

typedef struct kr_gamma_job {
    const uint32_t *keys;
    uint64_t n;
    const void *alpha;
    size_t nalpha;
    int part, f64, log_space, rsqrt_steps;
    kr_jax_f32 normal32;
    kr_sampler_f64 normal64;
} kr_gamma_job;

typedef struct kr_poisson_job {
    int part;
    uint64_t n, limit;
    const float *lam;
    size_t nlam, lam_at; /* lam index of the key's element 0 */
    unsigned width;
    int is_signed;
    /* round keys of the key being drawn: Knuth's sub_r, PTRS's s0_r, s1_r */
    uint32_t (*sub)[2], (*s0)[2], (*s1)[2];
    uint64_t rounds;    /* how many of each there are */
    uint64_t last;      /* pass 2: the rounds JAX's PTRS loop ran */
    int pass;           /* 1 or 2 (sample_poisson.c) */
    int ptrs;           /* whether any element takes PTRS (lam >= 10) */
    uint32_t *first;    /* pass 1, per block: its rounds until every element accepted
                           once, or UINT32_MAX when there were too few round keys */
} kr_poisson_job;

/* jax.random.poisson's choice: Knuth's method for lam < 10 and NaN, else PTRS. */
static inline int kr_is_knuth(float lam) { return lam != lam || lam < 10.0f; }

/* Keys of a block, one lane each, as two word arrays (the kernels' layout). */
typedef struct kr_lanes {
    uint32_t k0[KR_GAMMA_BLOCK], k1[KR_GAMMA_BLOCK];
} kr_lanes;

/* to[j] = from[idx[j]]. */
static inline void kr_gather(const kr_lanes *from, const uint16_t *idx, size_t n, kr_lanes *to)
{
    for (size_t j = 0; j < n; j++) {
        to->k0[j] = from->k0[idx[j]];
        to->k1[j] = from->k1[idx[j]];
    }
}

/* to[idx[j]] = from[j]. */
static inline void kr_scatter(const kr_lanes *from, const uint16_t *idx, size_t n, kr_lanes *to)
{
    for (size_t j = 0; j < n; j++) {
        to->k0[idx[j]] = from->k0[j];
        to->k1[idx[j]] = from->k1[j];
    }
}

/* split(key, num) of m keys, num <= 3, key r of lane i to out[r] (which may
 * be `in`). Block b hashes (0, b) when partitionable, whose words are key b;
 * the legacy split hashes (b, num + b) and key r is the words 2r, 2r + 1 of
 * [y0 of every block, then y1 of every block]. */
static inline void kr_lanes_split(kr_keyed_fn keyed, int part, const kr_lanes *in, size_t m,
                                  unsigned num, kr_lanes *const *out)
{
    uint32_t y[6][KR_GAMMA_BLOCK]; /* y0 of block b at y[b], its y1 at y[num + b] */
    for (unsigned b = 0; b < num; b++)
        keyed(in->k0, in->k1, part ? 0u : b, part ? b : num + b, m, y[b], y[num + b]);
    for (unsigned r = 0; r < num; r++) {
        memcpy(out[r]->k0, y[part ? r : 2 * r], m * sizeof y[0][0]);
        memcpy(out[r]->k1, y[part ? num + r : 2 * r + 1], m * sizeof y[0][0]);
    }
}

/* The words of 0-d draws: the block (0, 0), xored (partitionable) or its
 * first word (legacy); 64-bit: (0, 0) or the legacy (0, 1), y0 high. */
static inline void kr_lanes_words32(kr_keyed_fn keyed, int part, const kr_lanes *keys,
                                    size_t n, uint32_t *w)
{
    uint32_t y1[KR_GAMMA_BLOCK];
    keyed(keys->k0, keys->k1, 0, 0, n, w, y1);
    if (part)
        for (size_t i = 0; i < n; i++) w[i] ^= y1[i];
}

static inline void kr_lanes_words64(kr_keyed_fn keyed, int part, const kr_lanes *keys,
                                    size_t n, uint64_t *w)
{
    uint32_t y0[KR_GAMMA_BLOCK], y1[KR_GAMMA_BLOCK];
    keyed(keys->k0, keys->k1, 0, part ? 0u : 1u, n, y0, y1);
    for (size_t i = 0; i < n; i++) w[i] = (uint64_t)y0[i] << 32 | y1[i];
}

/* jax.random.uniform's f in [0, 1) from its word. */
static inline float kr_unit_jax32(uint32_t w) { return kr_bits_f32(w >> 9 | 0x3F800000u) - 1.0f; }

static inline double kr_unit_jax64(uint64_t w)
{
    return kr_u2d(w >> 12 | 0x3FF0000000000000ULL) - 1.0;
}

#endif
