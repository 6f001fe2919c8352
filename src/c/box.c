/* Boxes of a stream as runs of sub-ranges (box.h). */
#include "box.h"

#include "keyrand.h"
#include "parallel.h"

int kr_box_check(const kr_box *box, uint64_t *total, uint64_t *size)
{
    if (box->ndim < 0 || box->ndim > KR_BOX_MAX_DIMS) return KR_ERR_ARG;
    uint64_t t = 1, s = 1;
    int empty = 0;
    for (int d = 0; d < box->ndim; d++) {
        const uint64_t n = box->shape[d];
        if (box->start[d] > n || box->count[d] > n - box->start[d]) return KR_ERR_RANGE;
        if (n == 0) empty = 1;
        else if (!empty && t > UINT64_MAX / n) return KR_ERR_ARG;
        t = empty ? 0 : t * n;
        s *= box->count[d]; /* at most t, so no overflow */
    }
    *total = t;
    *size = s;
    return KR_OK;
}

/* The box as runs: dimensions after `outer` are whole in the box, so each
 * index over the first `outer` dimensions selects one run of `run`
 * consecutive stream elements. */
typedef struct kr_box_job {
    const kr_box *box;
    const kr_box_source *src;
    int outer;
    uint64_t run, base;
    uint64_t stride[KR_BOX_MAX_DIMS]; /* stream elements per step along d */
} kr_box_job;

static uint64_t kr_run_start(const kr_box_job *job, uint64_t r)
{
    uint64_t at = job->base;
    for (int d = job->outer - 1; d >= 0; d--) {
        const uint64_t c = job->box->count[d];
        at += (job->box->start[d] + r % c) * job->stride[d];
        r /= c;
    }
    return at;
}

/* Raw units of box elements [e, e + n), run by run, at raw. */
static void kr_box_raw(const kr_box_job *job, const uint32_t key[2], uint64_t e, uint64_t n,
                       char *raw)
{
    const kr_box_source *src = job->src;
    for (const uint64_t end = e + n; e < end;) {
        const uint64_t r = e / job->run, o = e % job->run;
        const uint64_t take = job->run - o < end - e ? job->run - o : end - e;
        src->span(key, kr_run_start(job, r) + o, (size_t)take, raw, src->span_params);
        raw += (size_t)take * src->raw_width;
        e += take;
    }
}

enum { KR_BOX_SCRATCH = 8192 }; /* bytes of raw units per finishing step */

static void kr_box_run(const uint32_t key[2], uint64_t first, uint64_t count, void *key_out,
                       const void *params)
{
    const kr_box_job *job = params;
    const kr_box_source *src = job->src;
    char *out = (char *)key_out + (size_t)first * src->width;
    if (!src->finish) {
        kr_box_raw(job, key, first, count, out);
        return;
    }
    uint64_t scratch[KR_BOX_SCRATCH / 8];
    const uint64_t cap = KR_BOX_SCRATCH / src->raw_width;
    for (uint64_t done = 0; done < count;) {
        const uint64_t m = count - done < cap ? count - done : cap;
        kr_box_raw(job, key, first + done, m, (char *)scratch);
        src->finish(src->finish_ctx, scratch, (size_t)m, out + (size_t)done * src->width);
        done += m;
    }
}

void kr_box_fill(const kr_box *box, const uint32_t *keys, size_t nkeys,
                 const kr_box_source *src, void *out)
{
    uint64_t total, size;
    if (kr_box_check(box, &total, &size) != KR_OK || size == 0) return;
    kr_box_job job = {box, src, 0, 1, 0, {0}};
    int d = box->ndim - 1;
    while (d >= 0 && box->start[d] == 0 && box->count[d] == box->shape[d])
        job.run *= box->shape[d--];
    if (d >= 0) {
        /* stride[d] is the run dimension's: the product of the whole ones. */
        job.stride[d] = job.run;
        for (int i = d - 1; i >= 0; i--) job.stride[i] = job.stride[i + 1] * box->shape[i + 1];
        job.outer = d;
        job.base = box->start[d] * job.run;
        job.run *= box->count[d];
    }
    const unsigned words = src->words_per_element ? src->words_per_element : 1;
    kr_parallel_ranges(keys, nkeys, size, KR_TASK_WORDS / words, words,
                       (size_t)size * src->width, out, kr_box_run, &job);
}
