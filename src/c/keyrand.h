/* keyrand C API: Threefry-2x32-20 streams in the layouts of MLX and JAX.
 *
 * Every function writes a sub-range [start, start + n) of a stream defined by a
 * key and the stream's total length, without computing the elements before
 * `start`; concatenating sub-ranges gives the whole stream. Outputs need no
 * particular alignment and are written in host byte order (keyrand supports
 * little-endian hosts only). No function allocates or touches global state
 * other than the cached kernel choice, so all are safe to call concurrently
 * and without the GIL.
 *
 * Return value of the stream functions: KR_OK, or an error code when the
 * request lies outside the stream (nothing is written then). */
#ifndef KEYRAND_H
#define KEYRAND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KR_OK 0
#define KR_ERR_RANGE 1     /* start + n exceeds the stream length */
#define KR_ERR_TOO_LARGE 2 /* stream longer than the layout supports */
#define KR_ERR_ARG 3       /* unknown sampler or value type */

/* Longest stream, in 32-bit words, of the "halves" layout: JAX switches to a
 * different (blocked) scheme at 2^32 - 1 words, which keyrand does not emulate. */
#define KR_HALVES_MAX_WORDS 0xFFFFFFFEull

/* One block: out = threefry2x32_20(key, ctr). */
void kr_threefry2x32(const uint32_t key[2], const uint32_t ctr[2], uint32_t out[2]);

/* JAX fold_in: out = threefry2x32_20(key, (0, data)). */
void kr_fold_in(const uint32_t key[2], uint32_t data, uint32_t out[2]);

/* --- "halves" layout: MLX bits/split, JAX legacy mode ------------------------
 * words(key, W): h = ceil(W/2) blocks; block i hashes (i, h + i), except that
 * for odd W the last block hashes (h - 1, 0); y0 of block i is word i and y1 is
 * word h + i (the odd block's y1 is dropped). */

/* Words [start, start + n) of words(key, total). */
int kr_halves_words(const uint32_t key[2], uint64_t total, uint64_t start,
                    size_t n, void *out);

/* Bytes [start, start + n) of the little-endian serialisation of
 * words(key, ceil(total_bytes / 4)), truncated to total_bytes: MLX bits of
 * width 1 and 2, JAX legacy 8- and 16-bit bits. */
int kr_halves_bytes(const uint32_t key[2], uint64_t total_bytes, uint64_t start,
                    size_t n, void *out);

/* JAX legacy 64-bit bits: element i of `total` is (w[i] << 32) | w[total + i]
 * with w = words(key, 2 * total). */
int kr_halves_u64(const uint32_t key[2], uint64_t total, uint64_t start,
                  size_t n, void *out);

/* --- JAX partitionable layout ------------------------------------------------
 * Element i (a 64-bit index, independent of the total length) hashes
 * (i >> 32, i & 0xFFFFFFFF) into (a, b). */

/* uint32 a ^ b; the uint16 / uint8 forms keep its low bits. */
int kr_part_u32(const uint32_t key[2], uint64_t start, size_t n, void *out);
int kr_part_u16(const uint32_t key[2], uint64_t start, size_t n, void *out);
int kr_part_u8(const uint32_t key[2], uint64_t start, size_t n, void *out);
/* uint64 (a << 32) | b. */
int kr_part_u64(const uint32_t key[2], uint64_t start, size_t n, void *out);
/* Keys (a, b) as uint32 pairs: JAX partitionable split. */
int kr_part_keys(const uint32_t key[2], uint64_t start, size_t n, void *out);

/* --- Many keys at once --------------------------------------------------------
 * The layouts above by name, and one call that fills a stream for each of
 * nkeys keys (key k's elements at out + k * n * kr_layout_width(layout)).
 * Large requests run on keyrand's thread pool (pool.h) in fixed-size tasks,
 * so the result never depends on the number of threads. */
typedef enum kr_layout {
    KR_HALVES_WORDS, KR_HALVES_BYTES, KR_HALVES_U64,
    KR_PART_U8, KR_PART_U16, KR_PART_U32, KR_PART_U64, KR_PART_KEYS,
    KR_LAYOUT_COUNT
} kr_layout;

/* Bytes per element of a layout (0 for an unknown layout). */
size_t kr_layout_width(kr_layout layout);

/* Elements [start, start + n) of each key's stream of `total` elements
 * (`total` is ignored by the partitionable layouts). */
int kr_stream(kr_layout layout, const uint32_t *keys, size_t nkeys, uint64_t total,
              uint64_t start, size_t n, void *out);

/* --- Boxes (box.h) -------------------------------------------------------------
 * The box of each key's stream laid out in box->shape, where one array element
 * is `per_element` consecutive layout elements (e.g. 2 for uint16 over the
 * byte layout); the stream's total is the array's element count times
 * per_element. Returns KR_OK or an error code (nothing written then). */
struct kr_box;
int kr_stream_box(kr_layout layout, const uint32_t *keys, size_t nkeys,
                  const struct kr_box *box, unsigned per_element, void *out);

#ifdef __cplusplus
}
#endif

#endif
