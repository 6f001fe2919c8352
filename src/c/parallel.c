/* Fixed-size tasks over (key, unit) space, run on the pool (parallel.h). */
#include "parallel.h"

#include "pool.h"

typedef struct kr_job {
    const uint32_t *keys;
    uint64_t units, task_units, total;
    size_t key_out_bytes;
    char *out;
    kr_range_fn fn;
    const void *params;
} kr_job;

static void kr_run_task(void *ctx, size_t task)
{
    const kr_job *job = ctx;
    uint64_t u = (uint64_t)task * job->task_units;
    const uint64_t end = u + job->task_units < job->total ? u + job->task_units : job->total;
    while (u < end) {
        const uint64_t k = u / job->units, first = u % job->units;
        const uint64_t room = job->units - first;
        const uint64_t count = end - u < room ? end - u : room;
        job->fn(job->keys + 2 * k, first, count, job->out + (size_t)k * job->key_out_bytes,
                job->params);
        u += count;
    }
}

void kr_parallel_ranges(const uint32_t *keys, size_t nkeys, uint64_t units,
                        uint64_t task_units, unsigned words_per_unit, size_t key_out_bytes,
                        void *out, kr_range_fn fn, const void *params)
{
    if (nkeys == 0 || units == 0) return;
    kr_job job = {keys, units, task_units ? task_units : 1, (uint64_t)nkeys * units,
                  key_out_bytes, out, fn, params};
    const uint64_t tasks = (job.total + job.task_units - 1) / job.task_units;
    if (job.total * words_per_unit < KR_PARALLEL_MIN_WORDS) {
        for (uint64_t t = 0; t < tasks; t++) kr_run_task(&job, (size_t)t);
        return;
    }
    kr_pool_run(kr_run_task, &job, (size_t)tasks);
}
