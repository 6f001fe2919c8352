/* What the rejection samplers' drivers (sample_gamma.c, sample_poisson.c)
 * share with their per-ISA block functions (rejection_template.h, compiled
 * into every kernel file so their math runs with that ISA's instructions):
 * the jobs, and the lanes of keys whose Threefry chains the kernels hash. */
#ifndef KEYRAND_REJECTION_H
#define KEYRAND_REJECTION_H

#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "halfprec.h"
#include "kernels.h"
#include "parallel.h"
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

/* The round keys of JAX's whole-array loops (poisson, binomial) for one key:
 * the two-way chain's draw key of round r (key, two[r] = split(key), or
 * two[r], key = split(key) when drawn first), the three-way chain's s0[r],
 * s1[r] (key, s0, s1 = split(key, 3)), both chains from the key itself; and
 * per block of the array, what pass 1 found. */
typedef struct kr_rounds {
    uint32_t (*two)[2], (*s0)[2], (*s1)[2];
    uint64_t count;  /* round keys of each chain */
    uint32_t *first; /* per block: the rounds its elements' loops took, or UINT32_MAX */
    uint64_t blocks;
} kr_rounds;

typedef struct kr_poisson_job {
    int part;
    uint64_t n, limit;
    const float *lam;
    size_t nlam, lam_at; /* lam index of the key's element 0 */
    unsigned width;
    int is_signed;
    kr_rounds rk;       /* Knuth's draw keys (two), PTRS's (s0, s1) */
    int pass;           /* 1 or 2 (kr_rounds_run) */
    uint64_t last;      /* pass 2: the rounds JAX's PTRS loop ran */
    int ptrs, knuth;    /* whether any element takes PTRS (lam >= 10) / Knuth (lam > 0) */
} kr_poisson_job;

typedef struct kr_binomial_job {
    int part;
    uint64_t n;
    const float *count, *prob; /* element i: count[i % ncount], prob[i % nprob] */
    size_t ncount, nprob, count_at, prob_at; /* indices of the key's element 0 */
    kr_rounds rk;  /* inversion's draw keys (two, drawn first), BTRS's (s0, s1) */
    int pass;
    uint64_t last; /* pass 2: the rounds JAX's BTRS loop ran */
    int btrs, inversion; /* whether any element takes each method */
} kr_binomial_job;

/* One key's two passes: pass 1 (*pass = 1) over its n elements with `run`
 * on the pool, the round keys doubling (and pass 1 redone) while some block
 * needs more, starting from `count`; then *last = the most rounds a block
 * took, and pass 2. `two` / `three`: whether the chains are needed;
 * `first`: the two-way chain draws from split's first key. Returns KR_OK or
 * KR_ERR_TOO_LARGE (no memory). */
int kr_rounds_run(kr_rounds *rk, const uint32_t key[2], int part, uint64_t n, uint64_t count,
                  int two, int first, int three, kr_range_fn run, void *job, int *pass,
                  uint64_t *last, void *key_out);
void kr_rounds_free(kr_rounds *rk);

/* Round keys made up front (more, doubling, only when some element needs
 * them): enough for nearly every array, few for a small one. */
static inline uint64_t kr_first_rounds(uint64_t n) { return n <= 1024 ? 16 : 64; }

/* jax.random.poisson's choice: Knuth's method for lam < 10 and NaN, else PTRS. */
static inline int kr_is_knuth(float lam) { return lam != lam || lam < 10.0f; }

/* One element's parameters as JAX derives them (jax.random._binomial). */
typedef struct kr_binom {
    float count;    /* floor(n) */
    float q;        /* min(p, 1 - p), 0.01 for a NaN or negative one */
    float cinv;     /* the inversion loop's count: count, or 0 for BTRS's elements */
    int keep;       /* the result is s (else count - s) */
    int invalid;    /* NaN: a NaN or negative count or p */
    int inf;        /* an infinite count, valid */
    int inversion;  /* n q <= 10 (or a bad count) */
    int btrs;       /* the element's value is BTRS's */
} kr_binom;

static inline kr_binom kr_binom_of(float n, float p)
{
    kr_binom e;
    const int p_lt_half = p < 0.5f;
    float q = p_lt_half ? p : 1.0f - p;
    const int bad_count = n != n || n < 0.0f, inf_count = fabsf(n) == INFINITY;
    const int q_nan = q != q, q_neg = q < 0.0f;
    q = q_nan || q_neg ? 0.01f : q + 0.0f; /* -0 would make every step -inf */
    e.q = q;
    e.inversion = bad_count || n * q <= 10.0f;
    e.count = floorf(n);
    e.cinv = e.inversion ? e.count : 0.0f;
    e.invalid = q_neg || q_nan || bad_count;
    e.inf = inf_count && !e.invalid;
    e.keep = p_lt_half || bad_count || q_nan || inf_count;
    e.btrs = !e.inversion && !inf_count;
    return e;
}

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

/* Words [at, at + m) of a round key's uniform(shape) stream of n words
 * (sizes checked by the caller). */
static inline void kr_round_words(int part, uint64_t n, const uint32_t key[2], uint64_t at,
                                  size_t m, uint32_t *w)
{
    if (part)
        (void)kr_part_u32(key, at, m, w);
    else
        (void)kr_halves_words(key, n, at, m, w);
}

/* jax.random.uniform's f in [0, 1) from its word. */
static inline float kr_unit_jax32(uint32_t w) { return kr_bits_f32(w >> 9 | 0x3F800000u) - 1.0f; }

static inline double kr_unit_jax64(uint64_t w)
{
    return kr_u2d(w >> 12 | 0x3FF0000000000000ULL) - 1.0;
}

#endif
