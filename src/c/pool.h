/* A small persistent thread pool for large fills (pthreads or Win32 threads;
 * no OpenMP runtime to ship). Work is cut into fixed tasks by the caller, so
 * the numbers never depend on how many threads run them; the calling thread
 * works too, and a caller that finds the pool busy runs its tasks alone.
 * Threads start on first use and are recreated after fork(). */
#ifndef KEYRAND_POOL_H
#define KEYRAND_POOL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*kr_task_fn)(void *ctx, size_t task);

/* Run fn(ctx, t) for t in [0, tasks) and return when all are done. */
void kr_pool_run(kr_task_fn fn, void *ctx, size_t tasks);

/* Threads used by kr_pool_run, the caller included (1 = no pool threads).
 * n < 1 means the default: the CPUs this process may run on. */
void kr_pool_set_threads(int n);
int kr_pool_threads(void);
int kr_pool_default_threads(void);
/* The threads underneath: "win32" or "pthreads" (diagnostics, tests). */
const char *kr_pool_backend(void);

#ifdef __cplusplus
}
#endif

#endif
