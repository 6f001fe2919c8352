/* Random access by boxes: any rectangular block of a sample, computed
 * without the elements outside it.
 *
 * Each key's stream, laid out in C order in an array of shape `shape`, is
 * cut to the elements whose index lies in [start[d], start[d] + count[d])
 * along every dimension d; the box is written in C order. A box is a set of
 * runs of consecutive stream elements, each run produced by the stream's
 * sub-range function, so a box costs what its own elements cost (plus one
 * sub-range call per run). Boxes run on the thread pool in fixed tasks, like
 * whole streams, so the result never depends on the thread count. */
#ifndef KEYRAND_BOX_H
#define KEYRAND_BOX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KR_BOX_MAX_DIMS 32

typedef struct kr_box {
    int ndim;
    uint64_t shape[KR_BOX_MAX_DIMS];
    uint64_t start[KR_BOX_MAX_DIMS];
    uint64_t count[KR_BOX_MAX_DIMS];
} kr_box;

/* KR_OK, or KR_ERR_RANGE when the box leaves the array, or KR_ERR_ARG for a
 * bad ndim or an array of more than 2^64 - 1 elements. Sets *total to the
 * array's element count and *size to the box's. */
int kr_box_check(const kr_box *box, uint64_t *total, uint64_t *size);

/* Raw units [start, start + n) of one key's stream (words, bytes, 64-bit
 * words...), written at out. */
typedef void (*kr_span_fn)(const uint32_t key[2], uint64_t start, size_t n, void *out,
                           const void *params);

/* n raw units -> n output elements. */
typedef void (*kr_finish_fn)(const void *ctx, const void *raw, size_t n, void *out);

/* Where a box's elements come from: `span` gives the raw units of a run;
 * `finish`, if not NULL, turns them into values (a sampler's transform).
 * With a finish step the runs' raw units are gathered into an L1-sized
 * buffer first, so short runs (a column block) still reach the transform
 * in long vectors. */
typedef struct kr_box_source {
    kr_span_fn span;
    const void *span_params;
    size_t raw_width;           /* bytes per raw unit */
    kr_finish_fn finish;        /* NULL: the raw units are the output */
    const void *finish_ctx;
    size_t width;               /* bytes per output element */
    unsigned words_per_element; /* 32-bit Threefry words, for the task size */
} kr_box_source;

/* The box of each of nkeys keys' streams (key k's at out + k * size * width).
 * The box must have passed kr_box_check and src->span must accept every run
 * of it. */
void kr_box_fill(const kr_box *box, const uint32_t *keys, size_t nkeys,
                 const kr_box_source *src, void *out);

#ifdef __cplusplus
}
#endif

#endif
