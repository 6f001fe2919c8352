/* The sampling engine for one value per 32-bit word: words of a stream,
 * generated L1-sized block by block, go straight through a transform into
 * the output, so each output element is written once. Used by the MLX
 * samplers (sample.h, halves layout) and the JAX float32 samplers
 * (sample_jax.h, either JAX layout). */
#ifndef KEYRAND_SAMPLE_WORDS_H
#define KEYRAND_SAMPLE_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "keyrand.h"

#ifdef __cplusplus
extern "C" {
#endif

/* n words -> n output elements of `size` bytes each, at out. */
typedef void (*kr_words_fn)(const void *ctx, const uint32_t *w, size_t n, void *out);

typedef struct kr_word_sampler {
    kr_words_fn fn;
    const void *ctx;
    size_t size;
} kr_word_sampler;

/* Elements [start, start + n) of one key's stream of `total` elements.
 * layout is KR_HALVES_WORDS (MLX, JAX legacy) or KR_PART_U32 (JAX
 * partitionable, where `total` is ignored). Returns KR_OK or an error code. */
int kr_words_sample(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                    size_t n, const kr_word_sampler *ws, void *out);

/* Whole streams of `total` elements for each of nkeys keys (key k's at
 * out + k * total * size), split across the thread pool. */
int kr_words_sample_batch(kr_layout layout, const uint32_t *keys, size_t nkeys,
                          uint64_t total, const kr_word_sampler *ws, void *out);

/* The box (box.h) of each key's stream of box->shape elements. */
struct kr_box;
int kr_words_sample_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                        const struct kr_box *box, const kr_word_sampler *ws, void *out);

#ifdef __cplusplus
}
#endif

#endif
