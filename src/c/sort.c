#include "sort.h"

#include <string.h>

enum { DIGIT_BITS = 8, BUCKETS = 1 << DIGIT_BITS, PASSES = 32 / DIGIT_BITS, SMALL = 48 };

/* Below a few dozen keys the four histogram passes cost more than shifting. */
static void insertion_sort(uint32_t *keys, uint32_t *vals, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t k = keys[i], v = vals[i];
        size_t j = i;
        for (; j > 0 && keys[j - 1] > k; j--) {
            keys[j] = keys[j - 1];
            vals[j] = vals[j - 1];
        }
        keys[j] = k;
        vals[j] = v;
    }
}

static void radix_sort(uint32_t *keys, uint32_t *vals, size_t n, uint32_t *tmp_keys,
                       uint32_t *tmp_vals)
{
    size_t count[PASSES][BUCKETS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = keys[i];
        for (int p = 0; p < PASSES; p++)
            count[p][(k >> (p * DIGIT_BITS)) & (BUCKETS - 1)]++;
    }
    uint32_t *src_k = keys, *src_v = vals, *dst_k = tmp_keys, *dst_v = tmp_vals;
    for (int p = 0; p < PASSES; p++) {
        unsigned shift = (unsigned)(p * DIGIT_BITS);
        size_t *c = count[p];
        if (c[(src_k[0] >> shift) & (BUCKETS - 1)] == n)
            continue; /* one digit value: this pass would not move anything */
        size_t offset = 0;
        for (int b = 0; b < BUCKETS; b++) {
            size_t m = c[b];
            c[b] = offset;
            offset += m;
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t k = src_k[i];
            size_t at = c[(k >> shift) & (BUCKETS - 1)]++;
            dst_k[at] = k;
            dst_v[at] = src_v[i];
        }
        uint32_t *t = src_k; src_k = dst_k; dst_k = t;
        t = src_v; src_v = dst_v; dst_v = t;
    }
    if (src_k != keys) {
        memcpy(keys, src_k, n * sizeof *keys);
        memcpy(vals, src_v, n * sizeof *vals);
    }
}

void kr_sort_pairs_u32(uint32_t *keys, uint32_t *vals, size_t rows, size_t n,
                       uint32_t *tmp_keys, uint32_t *tmp_vals)
{
    for (size_t r = 0; r < rows; r++) {
        uint32_t *k = keys + r * n, *v = vals + r * n;
        if (n < SMALL)
            insertion_sort(k, v, n);
        else
            radix_sort(k, v, n, tmp_keys, tmp_vals);
    }
}
