/* Stable sort of 32-bit keys carrying 32-bit values: the order of
 * lax.sort_key_val (JAX's shuffle) and of MLX's stable argsort, as an LSD
 * radix sort (equal keys keep their input order by construction). */
#ifndef KEYRAND_SORT_H
#define KEYRAND_SORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sorts each of `rows` rows of n keys (row r at keys + r * n) ascending,
 * moving vals alongside; tmp_keys / tmp_vals: n words of scratch each. */
void kr_sort_pairs_u32(uint32_t *keys, uint32_t *vals, size_t rows, size_t n,
                       uint32_t *tmp_keys, uint32_t *tmp_vals);

#ifdef __cplusplus
}
#endif

#endif
