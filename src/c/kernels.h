/* The kernel interface: every instruction set provides the same table of
 * functions with identical signatures and identical results, differing only in
 * speed. dispatch.c picks one set at run time.
 *
 * A kernel evaluates Threefry-2x32-20 under one key on n consecutive counters
 *     (c0 + i * step0, c1 + i)  mod 2^32,  i = 0 .. n-1
 * which covers both stream layouts: step0 = 1 walks the diagonal pairs of the
 * "halves" layout (MLX, JAX legacy), step0 = 0 walks the low word of the 64-bit
 * element index of JAX's partitionable layout. Outputs are written with
 * unaligned stores, in host byte order, at element i of each output:
 *     pairs: y0 -> out0[i] and y1 -> out1[i] (uint32; either may be NULL)
 *     xor:   y0 ^ y1 -> out[i] (uint32)
 *     u64:   (y0 << 32) | y1 -> out[i] (uint64)
 * and `keyed` evaluates it under n keys on one counter.
 */
#ifndef KEYRAND_KERNELS_H
#define KEYRAND_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "keyrand assumes a little-endian host (MLX byte layouts are little-endian)"
#endif

typedef void (*kr_pairs_fn)(const uint32_t key[2], uint32_t c0, uint32_t step0,
                            uint32_t c1, size_t n, void *out0, void *out1);
typedef void (*kr_single_fn)(const uint32_t key[2], uint32_t c0, uint32_t step0,
                             uint32_t c1, size_t n, void *out);
/* Many keys, one counter: lane i hashes (c0, c1) under key (k0[i], k1[i]),
 * y0 -> y0[i], y1 -> y1[i] (the per-element key chains of JAX's samplers). */
typedef void (*kr_keyed_fn)(const uint32_t *k0, const uint32_t *k1, uint32_t c0, uint32_t c1,
                            size_t n, uint32_t *y0, uint32_t *y1);

typedef enum kr_isa {
    KR_ISA_SCALAR = 0,
    KR_ISA_AVX2 = 1,
    KR_ISA_AVX512 = 2,
    KR_ISA_NEON = 3,
    KR_ISA_COUNT = 4
} kr_isa;

/* Value transforms of MLX's float32 samplers on a block of words (see
 * transform_template.h): uniform b * u + a, normal mul * erfinv(s) (+ loc)
 * gumbel -log(-log(u)), laplace and int32 randint, u and s as MLX derives
 * them from a word. */
typedef void (*kr_uniform_f32_fn)(const uint32_t *w, size_t n, float a, float b, float *out);
typedef void (*kr_normal_f32_fn)(const uint32_t *w, size_t n, float mul, float loc,
                                 int has_loc, float *out);
typedef void (*kr_gumbel_f32_fn)(const uint32_t *w, size_t n, float *out);
typedef void (*kr_randint_i32_fn)(const uint32_t *w, size_t n, float a, float b, int32_t lo,
                                  int32_t top, int32_t *out);
/* float16 (bf16 = 0) or bfloat16 (bf16 = 1) bits, every operation rounded to the type. */
typedef void (*kr_uniform_half_fn)(const uint32_t *w, size_t n, int bf16, float a, float b,
                                   uint16_t *out);
typedef void (*kr_normal_half_fn)(const uint32_t *w, size_t n, int bf16, float mul, float loc,
                                  int has_loc, uint16_t *out);
typedef void (*kr_laplace_f32_fn)(const uint32_t *w, size_t n, float scale, float loc,
                                  int has_scale, int has_loc, float *out);
/* MLX's float64 laplace with glibc's log1p (build fma_build, libm_exact.h). */
typedef void (*kr_laplace_f64_fn)(const uint32_t *w, size_t n, double scale, double loc,
                                  int has_scale, int has_loc, int fma_build, double *out);
/* MLX's float32 truncated_normal: max(min(sqrt(2) * erfinv(range * u + a), hi), lo). */
typedef void (*kr_truncated_f32_fn)(const uint32_t *w, size_t n, float a, float range, float lo,
                                    float hi, float *out);
/* JAX's x64 samplers from 64-bit words (sample.h, kr_sampler_f64). */
struct kr_sampler_f64;
typedef void (*kr_jax_f64_fn)(const struct kr_sampler_f64 *s, const uint64_t *w, size_t n,
                              double *out);

/* JAX's float32 samplers (sample_jax.h): one value per word. */
struct kr_jax_f32;
typedef void (*kr_jax_f32_fn)(const struct kr_jax_f32 *s, const uint32_t *w, size_t n,
                              float *out);

/* JAX's 32-bit randint from its two draws (sample_jax.h, kr_jax_randint32). */
typedef void (*kr_randint32_jax_fn)(const uint32_t *hi, const uint32_t *lo, size_t n,
                                    uint32_t span, uint32_t mult, uint32_t base, uint32_t *out);

/* JAX's wald from its normal and uniform draws (sample_split.h), float32 or
 * float64 (type: the kr_type KR_F32 or KR_F64 of sample.h). */
typedef void (*kr_wald_jax_fn)(int type, const void *v, const void *z, size_t n,
                               double mean, void *out);

/* XLA's float32 elementwise math over an array (fn: a kr_xla_f32_fn of
 * sample_jax.h), in each ISA's file so its fused multiply-adds are inlined. */
typedef void (*kr_xla_f32_array_fn)(int fn, const float *x, size_t n, float *out);

/* The rejection samplers' blocks (rejection.h, rejection_template.h):
 * jax.random.gamma's values of m elements from their keys (overwritten), in
 * the job's type; one pass of jax.random.poisson over the m elements at
 * index `at` (sample_poisson.c says what it returns); likewise of
 * jax.random.binomial (sample_binomial.c). */
struct kr_gamma_job;
struct kr_poisson_job;
struct kr_lanes;
struct kr_binomial_job;
typedef void (*kr_gamma_block_fn)(const struct kr_gamma_job *job, struct kr_lanes *key,
                                  const void *alpha, size_t m, void *out);
typedef uint32_t (*kr_poisson_block_fn)(const struct kr_poisson_job *job, uint64_t at,
                                        const float *lam, size_t m, void *out);
typedef uint32_t (*kr_binomial_block_fn)(const struct kr_binomial_job *job, uint64_t at,
                                         size_t m, float *out);

typedef struct kr_kernel_table {
    const char *name;
    kr_isa isa;
    kr_pairs_fn pairs;
    kr_single_fn xor32;
    kr_single_fn u64;
    kr_keyed_fn keyed;
    kr_uniform_f32_fn uniform_f32;
    kr_normal_f32_fn normal_f32;
    kr_gumbel_f32_fn gumbel_f32;
    kr_randint_i32_fn randint_i32;
    kr_uniform_half_fn uniform_half;
    kr_normal_half_fn normal_half;
    kr_jax_f64_fn jax_f64;
    kr_laplace_f32_fn laplace_f32;
    kr_jax_f32_fn jax_f32;
    kr_randint32_jax_fn randint32_jax;
    kr_truncated_f32_fn truncated_f32;
    kr_wald_jax_fn wald_jax;
    kr_laplace_f64_fn laplace_f64;
    kr_gamma_block_fn gamma_block;
    kr_poisson_block_fn poisson_block;
    kr_binomial_block_fn binomial_block;
    kr_xla_f32_array_fn xla_f32;
} kr_kernel_table;

/* A table entry for the kernels of one ISA file. */
#define KR_KERNEL_TABLE(name, isa, suffix)                                     \
    {name, isa, kr_pairs_##suffix, kr_xor32_##suffix, kr_u64_##suffix,         \
     kr_keyed_##suffix, kr_uniform_f32_##suffix, kr_normal_f32_##suffix, kr_gumbel_f32_##suffix,      \
     kr_randint_i32_##suffix, kr_uniform_half_##suffix, kr_normal_half_##suffix,   \
     kr_jax_f64_##suffix, kr_laplace_f32_##suffix, kr_jax_f32_##suffix,      \
     kr_randint32_jax_##suffix, kr_truncated_f32_##suffix, kr_wald_jax_##suffix, \
     kr_laplace_f64_##suffix, kr_gamma_block_##suffix, kr_poisson_block_##suffix, \
     kr_binomial_block_##suffix, kr_xla_f32_array_##suffix}

#define KR_DECLARE_KERNELS(suffix)                                              \
    void kr_pairs_##suffix(const uint32_t key[2], uint32_t c0, uint32_t step0,  \
                           uint32_t c1, size_t n, void *out0, void *out1);      \
    void kr_xor32_##suffix(const uint32_t key[2], uint32_t c0, uint32_t step0,  \
                           uint32_t c1, size_t n, void *out);                   \
    void kr_u64_##suffix(const uint32_t key[2], uint32_t c0, uint32_t step0,    \
                         uint32_t c1, size_t n, void *out);                     \
    void kr_keyed_##suffix(const uint32_t *k0, const uint32_t *k1, uint32_t c0, \
                           uint32_t c1, size_t n, uint32_t *y0, uint32_t *y1);  \
    void kr_uniform_f32_##suffix(const uint32_t *w, size_t n, float a, float b, \
                                 float *out);                                   \
    void kr_normal_f32_##suffix(const uint32_t *w, size_t n, float mul,         \
                                float loc, int has_loc, float *out);            \
    void kr_gumbel_f32_##suffix(const uint32_t *w, size_t n, float *out);       \
    void kr_randint_i32_##suffix(const uint32_t *w, size_t n, float a, float b, \
                                 int32_t lo, int32_t top, int32_t *out);        \
    void kr_uniform_half_##suffix(const uint32_t *w, size_t n, int bf16, float a, \
                                  float b, uint16_t *out);                      \
    void kr_normal_half_##suffix(const uint32_t *w, size_t n, int bf16, float mul, \
                                 float loc, int has_loc, uint16_t *out);        \
    void kr_jax_f64_##suffix(const struct kr_sampler_f64 *s, const uint64_t *w,  \
                             size_t n, double *out);                            \
    void kr_laplace_f32_##suffix(const uint32_t *w, size_t n, float scale,      \
                                 float loc, int has_scale, int has_loc, float *out); \
    void kr_jax_f32_##suffix(const struct kr_jax_f32 *s, const uint32_t *w,     \
                             size_t n, float *out);                             \
    void kr_randint32_jax_##suffix(const uint32_t *hi, const uint32_t *lo,      \
                                   size_t n, uint32_t span, uint32_t mult,      \
                                   uint32_t base, uint32_t *out);              \
    void kr_truncated_f32_##suffix(const uint32_t *w, size_t n, float a, float range, \
                                   float lo, float hi, float *out);            \
    void kr_wald_jax_##suffix(int type, const void *v, const void *z, size_t n, \
                              double mean, void *out);                         \
    void kr_laplace_f64_##suffix(const uint32_t *w, size_t n, double scale, double loc, \
                                 int has_scale, int has_loc, int fma_build, double *out); \
    void kr_gamma_block_##suffix(const struct kr_gamma_job *job, struct kr_lanes *key, \
                                 const void *alpha, size_t m, void *out);      \
    uint32_t kr_poisson_block_##suffix(const struct kr_poisson_job *job, uint64_t at, \
                                       const float *lam, size_t m, void *out);   \
    uint32_t kr_binomial_block_##suffix(const struct kr_binomial_job *job, uint64_t at, \
                                        size_t m, float *out);                 \
    void kr_xla_f32_array_##suffix(int fn, const float *x, size_t n, float *out);

KR_DECLARE_KERNELS(scalar)
KR_DECLARE_KERNELS(avx2)
KR_DECLARE_KERNELS(avx512)
KR_DECLARE_KERNELS(neon)

/* Which kernels this build contains (the rest are not linked in). */
#if defined(__x86_64__) || defined(_M_X64) || defined(_M_AMD64)
#define KR_HAVE_X86_KERNELS 1
#else
#define KR_HAVE_X86_KERNELS 0
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#define KR_HAVE_NEON_KERNELS 1
#else
#define KR_HAVE_NEON_KERNELS 0
#endif

#endif
