/* Whole requests cut into fixed-size tasks for the thread pool. A request is
 * nkeys independent streams of `units` units each (pairs of words for the
 * halves layout, elements otherwise); each task covers a fixed run of
 * consecutive units of the flattened (key, unit) space, so the split, and
 * therefore the output, never depends on the thread count. */
#ifndef KEYRAND_PARALLEL_H
#define KEYRAND_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Units [first, first + count) of one key's stream; key_out is that key's
 * output (element 0 of its stream). Arguments are already validated. */
typedef void (*kr_range_fn)(const uint32_t key[2], uint64_t first, uint64_t count,
                            void *key_out, const void *params);

/* Words per task: tens of microseconds, far above the pool's per-task cost,
 * and small enough to share a request among threads. */
#define KR_TASK_WORDS (1u << 16)

/* Work below this many 32-bit words stays on the calling thread. */
#define KR_PARALLEL_MIN_WORDS (1u << 17)

/* Run fn over units [0, units) of each of nkeys keys (key k's output at
 * out + k * key_out_bytes), `task_units` units per task, on the pool when the
 * request is at least KR_PARALLEL_MIN_WORDS words (words_per_unit each). */
void kr_parallel_ranges(const uint32_t *keys, size_t nkeys, uint64_t units,
                        uint64_t task_units, unsigned words_per_unit, size_t key_out_bytes,
                        void *out, kr_range_fn fn, const void *params);

#ifdef __cplusplus
}
#endif

#endif
