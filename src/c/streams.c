/* Stream layouts on top of the active kernel: which counters produce which
 * output element. Range checks live here; kernels trust their arguments. */
#include <string.h>

#include "box.h"
#include "dispatch.h"
#include "keyrand.h"
#include "parallel.h"
#include "threefry.h"

/* Scratch blocks are small enough to stay in L1 next to the output stream. */
#define KR_BLOCK 1024

void kr_threefry2x32(const uint32_t key[2], const uint32_t ctr[2], uint32_t out[2])
{
    kr_threefry2x32_20(key, ctr[0], ctr[1], out);
}

void kr_fold_in(const uint32_t key[2], uint32_t data, uint32_t out[2])
{
    kr_threefry2x32_20(key, 0, data, out);
}

static int kr_range_ok(uint64_t total, uint64_t start, size_t n)
{
    return start <= total && (uint64_t)n <= total - start;
}

static char *kr_at(void *out, uint64_t index, size_t width)
{
    return (char *)out + (size_t)index * width;
}

/* ---- halves layout ------------------------------------------------------ */

int kr_halves_words(const uint32_t key[2], uint64_t total, uint64_t start,
                    size_t n, void *out)
{
    if (total > KR_HALVES_MAX_WORDS) return KR_ERR_TOO_LARGE;
    if (!kr_range_ok(total, start, n)) return KR_ERR_RANGE;
    if (n == 0) return KR_OK;
    const kr_kernel_table *k = kr_kernels();
    const uint64_t h = (total + 1) / 2, end = start + n;
    const int odd = (int)(total & 1);

    /* Blocks whose y0 is wanted: words [start, min(end, h)); blocks whose y1
     * is wanted: words [max(start, h), end) minus h. When both sets are
     * non-empty the y1 set starts at block 0, so it is one overlap run, one
     * y0-only run after it and one y1-only run before it. */
    uint64_t a0 = start, a1 = end < h ? end : h;
    const uint64_t b0 = (start > h ? start : h) - h, b1 = end > h ? end - h : 0;
    if (a0 < a1 && odd && a1 == h) {
        /* The odd middle block hashes (h - 1, 0) and keeps only y0. */
        uint32_t y[2];
        kr_threefry2x32_20(key, (uint32_t)(h - 1), 0, y);
        memcpy(kr_at(out, h - 1 - start, 4), &y[0], 4);
        a1 = h - 1;
    }
    if (a0 >= a1) {
        if (b0 < b1)
            k->pairs(key, (uint32_t)b0, 1, (uint32_t)(h + b0), (size_t)(b1 - b0),
                     NULL, kr_at(out, h + b0 - start, 4));
        return KR_OK;
    }
    /* Here b0 == 0 <= a0. */
    const uint64_t both_end = a1 < b1 ? a1 : b1;
    if (a0 < both_end)
        k->pairs(key, (uint32_t)a0, 1, (uint32_t)(h + a0), (size_t)(both_end - a0),
                 kr_at(out, 0, 4), kr_at(out, h + a0 - start, 4));
    const uint64_t y0_from = a0 > b1 ? a0 : b1;
    if (y0_from < a1)
        k->pairs(key, (uint32_t)y0_from, 1, (uint32_t)(h + y0_from),
                 (size_t)(a1 - y0_from), kr_at(out, y0_from - start, 4), NULL);
    const uint64_t y1_end = b1 < a0 ? b1 : a0;
    if (b0 < y1_end)
        k->pairs(key, (uint32_t)b0, 1, (uint32_t)(h + b0), (size_t)(y1_end - b0),
                 NULL, kr_at(out, h + b0 - start, 4));
    return KR_OK;
}

int kr_halves_bytes(const uint32_t key[2], uint64_t total_bytes, uint64_t start,
                    size_t n, void *out)
{
    const uint64_t words = (total_bytes + 3) / 4;
    if (words > KR_HALVES_MAX_WORDS) return KR_ERR_TOO_LARGE;
    if (!kr_range_ok(total_bytes, start, n)) return KR_ERR_RANGE;
    char *dst = out;
    uint64_t pos = start;
    const uint64_t end = start + n;
    while (pos < end) {
        const uint64_t word = pos / 4;
        const unsigned skip = (unsigned)(pos % 4);
        if (skip == 0 && end - pos >= 4) {
            /* Whole words go straight to the output. */
            const uint64_t whole = (end - pos) / 4;
            kr_halves_words(key, words, word, (size_t)whole, dst);
            dst += whole * 4;
            pos += whole * 4;
            continue;
        }
        uint32_t w;
        kr_halves_words(key, words, word, 1, &w);
        size_t take = 4 - skip;
        if (take > end - pos) take = (size_t)(end - pos);
        memcpy(dst, (const char *)&w + skip, take);
        dst += take;
        pos += take;
    }
    return KR_OK;
}

int kr_halves_u64(const uint32_t key[2], uint64_t total, uint64_t start,
                  size_t n, void *out)
{
    if (total > KR_HALVES_MAX_WORDS / 2) return KR_ERR_TOO_LARGE;
    if (!kr_range_ok(total, start, n)) return KR_ERR_RANGE;
    /* 2 * total words: even, so block i is (i, total + i), high word y0. */
    kr_kernels()->u64(key, (uint32_t)start, 1, (uint32_t)(total + start), n, out);
    return KR_OK;
}

/* ---- partitionable layout ----------------------------------------------- */

typedef void (*kr_part_sink)(const kr_kernel_table *k, const uint32_t key[2],
                             uint32_t hi, uint32_t lo, size_t n, char *out);

/* Walk element indices [start, start + n), splitting where the low counter
 * word wraps so each kernel call sees a constant high word. */
static int kr_part_walk(const uint32_t key[2], uint64_t start, size_t n,
                        void *out, size_t width, kr_part_sink sink)
{
    /* Element indices run up to 2^64 - 1 inclusive. */
    if (n > 0 && (uint64_t)(n - 1) > UINT64_MAX - start) return KR_ERR_RANGE;
    const kr_kernel_table *k = kr_kernels();
    char *dst = out;
    while (n > 0) {
        const uint64_t lo = start & 0xFFFFFFFFu;
        const uint64_t room = 0x100000000ull - lo;
        const size_t take = (uint64_t)n < room ? n : (size_t)room;
        sink(k, key, (uint32_t)(start >> 32), (uint32_t)lo, take, dst);
        dst += take * width;
        start += take;
        n -= take;
    }
    return KR_OK;
}

static void kr_sink_u32(const kr_kernel_table *k, const uint32_t key[2],
                        uint32_t hi, uint32_t lo, size_t n, char *out)
{
    k->xor32(key, hi, 0, lo, n, out);
}

static void kr_sink_u64(const kr_kernel_table *k, const uint32_t key[2],
                        uint32_t hi, uint32_t lo, size_t n, char *out)
{
    k->u64(key, hi, 0, lo, n, out);
}

static void kr_sink_keys(const kr_kernel_table *k, const uint32_t key[2],
                         uint32_t hi, uint32_t lo, size_t n, char *out)
{
    /* The u64 kernel stores (y0 << 32 | y1), i.e. words y1, y0; a key is y0, y1. */
    k->u64(key, hi, 0, lo, n, out);
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        memcpy(&v, out + 8 * i, 8);
        v = (v << 32) | (v >> 32);
        memcpy(out + 8 * i, &v, 8);
    }
}

#define KR_NARROW_SINK(name, type)                                             \
    static void name(const kr_kernel_table *k, const uint32_t key[2],          \
                     uint32_t hi, uint32_t lo, size_t n, char *out)            \
    {                                                                          \
        uint32_t block[KR_BLOCK];                                              \
        for (size_t done = 0; done < n; done += KR_BLOCK) {                    \
            const size_t m = n - done < KR_BLOCK ? n - done : KR_BLOCK;        \
            k->xor32(key, hi, 0, lo + (uint32_t)done, m, block);               \
            type *dst = (type *)(void *)(out + done * sizeof(type));           \
            for (size_t i = 0; i < m; i++) {                                   \
                const type v = (type)block[i];                                 \
                memcpy(dst + i, &v, sizeof v);                                 \
            }                                                                  \
        }                                                                      \
    }
KR_NARROW_SINK(kr_sink_u16, uint16_t)
KR_NARROW_SINK(kr_sink_u8, uint8_t)

int kr_part_u32(const uint32_t key[2], uint64_t start, size_t n, void *out)
{
    return kr_part_walk(key, start, n, out, 4, kr_sink_u32);
}

int kr_part_u16(const uint32_t key[2], uint64_t start, size_t n, void *out)
{
    return kr_part_walk(key, start, n, out, 2, kr_sink_u16);
}

int kr_part_u8(const uint32_t key[2], uint64_t start, size_t n, void *out)
{
    return kr_part_walk(key, start, n, out, 1, kr_sink_u8);
}

int kr_part_u64(const uint32_t key[2], uint64_t start, size_t n, void *out)
{
    return kr_part_walk(key, start, n, out, 8, kr_sink_u64);
}

int kr_part_keys(const uint32_t key[2], uint64_t start, size_t n, void *out)
{
    return kr_part_walk(key, start, n, out, 8, kr_sink_keys);
}

/* ---- many keys ------------------------------------------------------------ */

static const size_t kr_widths[KR_LAYOUT_COUNT] = {4, 1, 8, 1, 2, 4, 8, 8};

size_t kr_layout_width(kr_layout layout)
{
    return (unsigned)layout < KR_LAYOUT_COUNT ? kr_widths[layout] : 0;
}

typedef int (*kr_range)(const uint32_t key[2], uint64_t total, uint64_t start, size_t n,
                        void *out);

/* The partitionable layouts take no total: adapt them to kr_range. */
#define KR_PART_RANGE(name)                                                    \
    static int name##_range(const uint32_t key[2], uint64_t total, uint64_t start, \
                            size_t n, void *out)                               \
    {                                                                          \
        (void)total;                                                           \
        return name(key, start, n, out);                                       \
    }
KR_PART_RANGE(kr_part_u8)
KR_PART_RANGE(kr_part_u16)
KR_PART_RANGE(kr_part_u32)
KR_PART_RANGE(kr_part_u64)
KR_PART_RANGE(kr_part_keys)

static const kr_range kr_ranges[KR_LAYOUT_COUNT] = {
    kr_halves_words, kr_halves_bytes, kr_halves_u64, kr_part_u8_range, kr_part_u16_range,
    kr_part_u32_range, kr_part_u64_range, kr_part_keys_range,
};

typedef struct kr_elements {
    kr_range range;
    uint64_t total, start;
    size_t width;
} kr_elements;

static void kr_element_run(const uint32_t key[2], uint64_t first, uint64_t count,
                           void *key_out, const void *params)
{
    const kr_elements *p = params;
    p->range(key, p->total, p->start + first, (size_t)count,
             (char *)key_out + (size_t)first * p->width);
}

/* Whole halves streams in pair slots: slot i < W/2 is block (i, h + i),
 * giving words i and h + i; for odd W, slot W/2 is the middle block. The
 * output is `limit` bytes: W words, truncated for the byte layout. */
typedef struct kr_slots {
    uint64_t words, limit;
} kr_slots;

static void kr_slot_run(const uint32_t key[2], uint64_t first, uint64_t count,
                        void *key_out, const void *params)
{
    const kr_slots *p = params;
    const uint64_t h = (p->words + 1) / 2, full = p->words / 2, end = first + count;
    const kr_kernel_table *k = kr_kernels();
    char *out = key_out;
    uint32_t tail[KR_BLOCK];
    for (uint64_t i = first; i < (end < full ? end : full); i += KR_BLOCK) {
        const uint64_t stop = end < full ? end : full;
        const size_t m = stop - i < KR_BLOCK ? (size_t)(stop - i) : KR_BLOCK;
        const uint64_t y1_at = 4 * (h + i);
        if (y1_at + 4 * m <= p->limit) {
            k->pairs(key, (uint32_t)i, 1, (uint32_t)(h + i), m, out + 4 * i, out + y1_at);
        } else { /* the stream's last word is cut short */
            k->pairs(key, (uint32_t)i, 1, (uint32_t)(h + i), m, out + 4 * i, tail);
            memcpy(out + y1_at, tail, (size_t)(p->limit - y1_at));
        }
    }
    if ((p->words & 1) && end > full) {
        uint32_t y[2];
        kr_threefry2x32_20(key, (uint32_t)(h - 1), 0, y);
        const uint64_t at = 4 * (h - 1);
        memcpy(out + at, &y[0], p->limit - at < 4 ? (size_t)(p->limit - at) : 4);
    }
}

static int kr_check(kr_layout layout, uint64_t total, uint64_t start, size_t n)
{
    switch (layout) {
    case KR_HALVES_WORDS:
        if (total > KR_HALVES_MAX_WORDS) return KR_ERR_TOO_LARGE;
        return kr_range_ok(total, start, n) ? KR_OK : KR_ERR_RANGE;
    case KR_HALVES_BYTES:
        if ((total + 3) / 4 > KR_HALVES_MAX_WORDS) return KR_ERR_TOO_LARGE;
        return kr_range_ok(total, start, n) ? KR_OK : KR_ERR_RANGE;
    case KR_HALVES_U64:
        if (total > KR_HALVES_MAX_WORDS / 2) return KR_ERR_TOO_LARGE;
        return kr_range_ok(total, start, n) ? KR_OK : KR_ERR_RANGE;
    default:
        return n > 0 && (uint64_t)(n - 1) > UINT64_MAX - start ? KR_ERR_RANGE : KR_OK;
    }
}

int kr_stream(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t total,
              uint64_t start, size_t n, void *out)
{
    if ((unsigned)layout >= KR_LAYOUT_COUNT) return KR_ERR_ARG;
    const int rc = kr_check(layout, total, start, n);
    if (rc != KR_OK || n == 0) return rc;
    const size_t width = kr_widths[layout];
    if ((layout == KR_HALVES_WORDS || layout == KR_HALVES_BYTES) && start == 0 && n == total) {
        const uint64_t words = layout == KR_HALVES_WORDS ? total : (total + 3) / 4;
        const kr_slots p = {words, layout == KR_HALVES_WORDS ? 4 * total : total};
        kr_parallel_ranges(keys, nkeys, (words + 1) / 2, KR_TASK_WORDS / 2, 2, n * width, out,
                           kr_slot_run, &p);
        return KR_OK;
    }
    const kr_elements p = {kr_ranges[layout], total, start, width};
    const unsigned words = width == 8 ? 2 : 1;
    kr_parallel_ranges(keys, nkeys, n, KR_TASK_WORDS / words, words, n * width, out,
                       kr_element_run, &p);
    return KR_OK;
}

/* Boxes: each array element is `per` layout elements (uint16 over bytes). */
typedef struct kr_stream_span {
    kr_range range;
    uint64_t total;
    unsigned per;
} kr_stream_span;

static void kr_stream_span_run(const uint32_t key[2], uint64_t start, size_t n, void *out,
                               const void *params)
{
    const kr_stream_span *p = params;
    p->range(key, p->total, start * p->per, n * p->per, out);
}

int kr_stream_box(kr_layout layout, const uint32_t *keys, size_t nkeys, const kr_box *box,
                  unsigned per_element, void *out)
{
    if ((unsigned)layout >= KR_LAYOUT_COUNT || per_element == 0) return KR_ERR_ARG;
    uint64_t total, size;
    int rc = kr_box_check(box, &total, &size);
    if (rc != KR_OK) return rc;
    if (total > UINT64_MAX / per_element) return KR_ERR_TOO_LARGE;
    total *= per_element;
    /* The whole stream must be valid for its layout; then every run is. */
    rc = kr_check(layout, total, 0, (size_t)(total > SIZE_MAX ? SIZE_MAX : total));
    if (rc != KR_OK) return rc;
    const size_t width = kr_widths[layout] * per_element;
    const kr_stream_span p = {kr_ranges[layout], total, per_element};
    const kr_box_source src = {kr_stream_span_run, &p, width, NULL, NULL, width,
                               width >= 8 ? 2 : 1};
    kr_box_fill(box, keys, nkeys, &src, out);
    return KR_OK;
}
