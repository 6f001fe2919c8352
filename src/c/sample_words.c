/* One value per word, block by block (sample_words.h). */
#include "sample_words.h"

#include "box.h"
#include "dispatch.h"
#include "parallel.h"

#define KR_BLOCK 1024

static int kr_words_layout_ok(kr_layout layout, uint64_t total)
{
    if (layout == KR_PART_U32) return KR_OK;
    if (layout != KR_HALVES_WORDS) return KR_ERR_ARG;
    return total > KR_HALVES_MAX_WORDS ? KR_ERR_TOO_LARGE : KR_OK;
}

/* Halves streams in pair slots (see streams.c): slot i < total / 2 is block
 * (i, h + i) and yields elements i and h + i; for odd totals slot total / 2
 * is the middle element. Both words of every block are used. */
typedef struct kr_slot_job {
    uint64_t total;
    const kr_word_sampler *ws;
} kr_slot_job;

static void kr_slots_run(const uint32_t key[2], uint64_t first, uint64_t count,
                         void *key_out, const void *params)
{
    const kr_slot_job *p = params;
    const kr_kernel_table *k = kr_kernels();
    const uint64_t h = (p->total + 1) / 2, full = p->total / 2, end = first + count;
    const uint64_t stop = end < full ? end : full;
    const size_t size = p->ws->size;
    char *dst = key_out;
    uint32_t w0[KR_BLOCK], w1[KR_BLOCK];
    for (uint64_t i = first; i < stop; i += KR_BLOCK) {
        const size_t m = stop - i < KR_BLOCK ? (size_t)(stop - i) : KR_BLOCK;
        k->pairs(key, (uint32_t)i, 1, (uint32_t)(h + i), m, w0, w1);
        p->ws->fn(p->ws->ctx, w0, m, dst + i * size);
        p->ws->fn(p->ws->ctx, w1, m, dst + (h + i) * size);
    }
    if ((p->total & 1) && end > full) {
        kr_halves_words(key, p->total, h - 1, 1, w0);
        p->ws->fn(p->ws->ctx, w0, 1, dst + (h - 1) * size);
    }
}

/* Any sub-range: words of the range block by block, then the transform. */
static int kr_range_run(kr_layout layout, const uint32_t key[2], uint64_t total,
                        uint64_t start, size_t n, const kr_word_sampler *ws, char *out)
{
    uint32_t w[KR_BLOCK];
    for (size_t done = 0; done < n; done += KR_BLOCK) {
        const size_t m = n - done < KR_BLOCK ? n - done : KR_BLOCK;
        const int rc = layout == KR_PART_U32 ? kr_part_u32(key, start + done, m, w)
                                             : kr_halves_words(key, total, start + done, m, w);
        if (rc != KR_OK) return rc;
        ws->fn(ws->ctx, w, m, out + done * ws->size);
    }
    return KR_OK;
}

int kr_words_sample(kr_layout layout, const uint32_t key[2], uint64_t total, uint64_t start,
                    size_t n, const kr_word_sampler *ws, void *out)
{
    const int rc = kr_words_layout_ok(layout, total);
    if (rc != KR_OK) return rc;
    if (layout == KR_HALVES_WORDS && start == 0 && n == total) {
        const kr_slot_job p = {total, ws};
        kr_slots_run(key, 0, (total + 1) / 2, out, &p);
        return KR_OK;
    }
    return kr_range_run(layout, key, total, start, n, ws, out);
}

static void kr_part_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                        const void *params)
{
    const kr_word_sampler *ws = params;
    /* Validated by the caller: element indices below 2^64 always are. */
    (void)kr_range_run(KR_PART_U32, key, 0, first, (size_t)count, ws,
                       (char *)key_out + (size_t)first * ws->size);
}

int kr_words_sample_batch(kr_layout layout, const uint32_t *keys, size_t nkeys,
                          uint64_t total, const kr_word_sampler *ws, void *out)
{
    const int rc = kr_words_layout_ok(layout, total);
    if (rc != KR_OK) return rc;
    const size_t key_bytes = (size_t)total * ws->size;
    if (layout == KR_PART_U32) {
        kr_parallel_ranges(keys, nkeys, total, KR_TASK_WORDS, 1, key_bytes, out, kr_part_run, ws);
    } else {
        const kr_slot_job p = {total, ws};
        kr_parallel_ranges(keys, nkeys, (total + 1) / 2, KR_TASK_WORDS / 2, 2, key_bytes, out,
                           kr_slots_run, &p);
    }
    return KR_OK;
}

typedef struct kr_words_span {
    kr_layout layout;
    uint64_t total;
} kr_words_span;

static void kr_words_span_run(const uint32_t key[2], uint64_t start, size_t n, void *out,
                              const void *params)
{
    const kr_words_span *p = params;
    /* Runs of a checked box are in range. */
    if (p->layout == KR_PART_U32)
        (void)kr_part_u32(key, start, n, out);
    else
        (void)kr_halves_words(key, p->total, start, n, out);
}

static void kr_words_finish(const void *ctx, const void *raw, size_t n, void *out)
{
    const kr_word_sampler *ws = ctx;
    ws->fn(ws->ctx, raw, n, out);
}

int kr_words_sample_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                        const kr_box *box, const kr_word_sampler *ws, void *out)
{
    uint64_t total, size;
    int rc = kr_box_check(box, &total, &size);
    if (rc == KR_OK) rc = kr_words_layout_ok(layout, total);
    if (rc != KR_OK) return rc;
    const kr_words_span p = {layout, total};
    const kr_box_source src = {kr_words_span_run, &p, 4, kr_words_finish, ws, ws->size, 1};
    kr_box_fill(box, keys, nkeys, &src, out);
    return KR_OK;
}
