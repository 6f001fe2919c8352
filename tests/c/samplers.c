/* Replays the samplers' known answers (written by sampler_answers.py from the
 * golden vectors of the real MLX and JAX) through the C core: every MLX
 * sampler with scalar parameters, the float64 (JAX x64) samplers and XLA's
 * float64 math. Each stream is also generated in two pieces at an odd split
 * point, which must agree with the whole (random access). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "keyrand.h"
#include "sample.h"
#include "xla_math.h"

static const char *const dist_names[KR_DIST_COUNT] = {
    "uniform", "normal", "laplace", "gumbel", "bernoulli", "randint", "truncated_normal",
    "exponential", "logistic", "lognormal", "pareto", "rayleigh", "cauchy",
};
static const char *const type_names[KR_TYPE_COUNT] = {
    "f32", "f16", "bf16", "bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f64",
};
static const char *const xla_names[KR_XLA_FN_COUNT] = {"log", "log1p", "erf", "erf_inv", "exp"};

static int lookup(const char *name, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

/* One line of any length; NULL at the end of the file. */
static char *read_line(FILE *f, char **buf, size_t *cap)
{
    size_t len = 0;
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n') {
        if (len + 1 >= *cap) {
            *cap = *cap ? 2 * *cap : 4096;
            *buf = realloc(*buf, *cap);
            if (!*buf) abort();
        }
        (*buf)[len++] = (char)c;
    }
    if (c == EOF && len == 0) return NULL;
    if (!*buf) {
        *cap = 1;
        *buf = malloc(1);
        if (!*buf) abort();
    }
    (*buf)[len] = '\0';
    return *buf;
}

static double f64_from_hex(const char *hex)
{
    const uint64_t bits = strtoull(hex, NULL, 16);
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

/* Hex text to bytes; returns the byte count ("-" is empty). */
static size_t parse_bytes(const char *hex, unsigned char *out, size_t cap)
{
    if (strcmp(hex, "-") == 0) return 0;
    size_t n = strlen(hex) / 2;
    if (n > cap) return (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        const char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};
        out[i] = (unsigned char)strtoul(pair, NULL, 16);
    }
    return n;
}

static int same_f64(double got, double want)
{
    if (got != got && want != want) return 1; /* NaN payloads are not the contract */
    return memcmp(&got, &want, 8) == 0;
}

#define MAX_BYTES (1 << 16)
static unsigned char want_buf[MAX_BYTES], got_buf[MAX_BYTES], piece_buf[MAX_BYTES];

static void replay_mlx(char *fields[], int line_no)
{
    const int dist = lookup(fields[1], dist_names, KR_DIST_COUNT);
    const int type = lookup(fields[2], type_names, KR_TYPE_COUNT);
    const uint32_t key[2] = {(uint32_t)strtoul(fields[3], NULL, 10),
                             (uint32_t)strtoul(fields[4], NULL, 10)};
    kr_sampler s;
    const int rc = kr_sampler_init(&s, (kr_dist)dist, (kr_type)type, f64_from_hex(fields[5]),
                                   f64_from_hex(fields[6]), atoi(fields[7]),
                                   strtoll(fields[8], NULL, 10), strtoll(fields[9], NULL, 10));
    const size_t n = strtoull(fields[10], NULL, 10), size = kr_type_size((kr_type)type);
    const size_t bytes = parse_bytes(fields[11], want_buf, MAX_BYTES);
    CHECK(rc == KR_OK && bytes == n * size, "line %d: bad mlx answer", line_no);
    if (rc != KR_OK || bytes != n * size) return;
    CHECK(kr_halves_sample(key, n, 0, n, &s, got_buf) == KR_OK, "line %d: sample", line_no);
    CHECK(memcmp(got_buf, want_buf, bytes) == 0, "line %d: %s %s differs from MLX", line_no,
          fields[1], fields[2]);
    /* Random access: [0, m) and [m, n) generated alone. */
    const size_t m = n / 3 + 1 < n ? n / 3 + 1 : n;
    kr_halves_sample(key, n, 0, m, &s, piece_buf);
    kr_halves_sample(key, n, m, n - m, &s, piece_buf + m * size);
    CHECK(memcmp(piece_buf, want_buf, bytes) == 0, "line %d: pieces differ", line_no);
}

static void replay_x64(char *fields[], int line_no)
{
    const int dist = lookup(fields[1], dist_names, KR_DIST_COUNT);
    const uint32_t key[2] = {(uint32_t)strtoul(fields[2], NULL, 10),
                             (uint32_t)strtoul(fields[3], NULL, 10)};
    kr_sampler_f64 s;
    const int rc = kr_sampler_f64_init(&s, (kr_dist)dist, f64_from_hex(fields[4]),
                                       f64_from_hex(fields[5]), atoi(fields[6]));
    const size_t n = strtoull(fields[7], NULL, 10);
    const size_t bytes = parse_bytes(fields[8], want_buf, MAX_BYTES);
    CHECK(rc == KR_OK && bytes == 8 * n, "line %d: bad x64 answer", line_no);
    if (rc != KR_OK || bytes != 8 * n) return;
    double *got = (double *)(void *)got_buf, *piece = (double *)(void *)piece_buf;
    CHECK(kr_part_sample_f64(key, 0, n, &s, got) == KR_OK, "line %d: sample", line_no);
    CHECK(memcmp(got_buf, want_buf, bytes) == 0, "line %d: %s float64 differs from JAX",
          line_no, fields[1]);
    const size_t m = n / 3 + 1 < n ? n / 3 + 1 : n;
    kr_part_sample_f64(key, 0, m, &s, piece);
    kr_part_sample_f64(key, m, n - m, &s, piece + m);
    CHECK(memcmp(piece_buf, want_buf, bytes) == 0, "line %d: pieces differ", line_no);
}

static void replay_xla(char *fields[], int line_no)
{
    const int fn = lookup(fields[1], xla_names, KR_XLA_FN_COUNT);
    CHECK(fn >= 0, "line %d: unknown op %s", line_no, fields[1]);
    if (fn < 0) return;
    const double x = f64_from_hex(fields[2]), want = f64_from_hex(fields[3]);
    double got;
    kr_xla_f64_array((kr_xla_fn)fn, &x, 1, &got);
    CHECK(same_f64(got, want), "line %d: %s(%a) = %a, JAX %a", line_no, fields[1], x, got, want);
}

/* Answers that depend on the C library's double log1p (MLX's float64 laplace). */
static int needs_libm(char *fields[])
{
    return strcmp(fields[1], "laplace") == 0 && strcmp(fields[2], "f64") == 0;
}

void test_samplers(const char *path, const char *kernel_name, int foreign_libm)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "cannot open sampler answers %s", path);
    if (!f) return;
    char *buf = NULL, *line;
    size_t cap = 0;
    int line_no = 0, counts[3] = {0, 0, 0}, skipped = 0;
    const int failed_before = failures;
    while ((line = read_line(f, &buf, &cap)) != NULL) {
        line_no++;
        char *fields[16];
        int nf = 0;
        for (char *tok = strtok(line, " "); tok && nf < 16; tok = strtok(NULL, " "))
            fields[nf++] = tok;
        if (nf == 12 && strcmp(fields[0], "mlx") == 0 && foreign_libm && needs_libm(fields)) {
            skipped++;
        } else if (nf == 12 && strcmp(fields[0], "mlx") == 0) {
            replay_mlx(fields, line_no);
            counts[0]++;
        } else if (nf == 9 && strcmp(fields[0], "x64") == 0) {
            replay_x64(fields, line_no);
            counts[1]++;
        } else if (nf == 4 && strcmp(fields[0], "xla") == 0) {
            replay_xla(fields, line_no);
            counts[2]++;
        } else {
            CHECK(0, "line %d of %s: not an answer", line_no, path);
        }
    }
    free(buf);
    fclose(f);
    printf("samplers under %s: %d MLX, %d float64, %d XLA math answers, %s", kernel_name,
           counts[0], counts[1], counts[2], failures == failed_before ? "all match" : "MISMATCH");
    if (skipped) printf(" (%d MLX answers skipped: they need glibc's x86-64 FMA log1p)", skipped);
    printf("\n");
}
