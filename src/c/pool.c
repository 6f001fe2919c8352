/* The thread pool of pool.h. Every field is guarded by one mutex; tasks are
 * large (tens of microseconds), so claiming them under the lock costs nothing
 * measurable and keeps the code free of atomics. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#endif
#include "pool.h"

#include <stdint.h>

#define KR_MAX_THREADS 256

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN /* threads and locks only: no COM, OLE or sockets */
#include <windows.h>
typedef SRWLOCK kr_mutex;
typedef CONDITION_VARIABLE kr_cond;
typedef HANDLE kr_thread;
#define KR_MUTEX_INIT SRWLOCK_INIT
#define KR_COND_INIT CONDITION_VARIABLE_INIT
static void kr_lock(kr_mutex *m) { AcquireSRWLockExclusive(m); }
static void kr_unlock(kr_mutex *m) { ReleaseSRWLockExclusive(m); }
static int kr_trylock(kr_mutex *m) { return TryAcquireSRWLockExclusive(m) != 0; }
static void kr_wait(kr_cond *c, kr_mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }
static void kr_wake_all(kr_cond *c) { WakeAllConditionVariable(c); }
static void kr_wake_one(kr_cond *c) { WakeConditionVariable(c); }
#else
#include <pthread.h>
#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif
typedef pthread_mutex_t kr_mutex;
typedef pthread_cond_t kr_cond;
typedef pthread_t kr_thread;
#define KR_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#define KR_COND_INIT PTHREAD_COND_INITIALIZER
static void kr_lock(kr_mutex *m) { pthread_mutex_lock(m); }
static void kr_unlock(kr_mutex *m) { pthread_mutex_unlock(m); }
static int kr_trylock(kr_mutex *m) { return pthread_mutex_trylock(m) == 0; }
static void kr_wait(kr_cond *c, kr_mutex *m) { pthread_cond_wait(c, m); }
static void kr_wake_all(kr_cond *c) { pthread_cond_broadcast(c); }
static void kr_wake_one(kr_cond *c) { pthread_cond_signal(c); }
#endif

static struct {
    kr_mutex lock;        /* guards every field below */
    kr_cond wake, done;
    kr_mutex busy;        /* held by the caller whose job the pool is running */
    int threads;          /* wanted, caller included; 0 = default */
    int started;          /* pool threads alive (they are never stopped) */
    int helpers;          /* pool threads taking part in the current job */
    unsigned long generation;  /* bumped for each job */
    kr_task_fn fn;
    void *ctx;
    size_t tasks, next;
    int active;           /* pool threads still busy with the current job */
    kr_thread ids[KR_MAX_THREADS];  /* detached; kept for debuggers */
    unsigned long born[KR_MAX_THREADS]; /* generation when each thread was made */
} P = {KR_MUTEX_INIT, KR_COND_INIT, KR_COND_INIT, KR_MUTEX_INIT, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     {0}, {0}};

/* Run the current job's unclaimed tasks; called and returns with the lock held. */
static void kr_drain_locked(void)
{
    while (P.next < P.tasks) {
        const size_t t = P.next++;
        const kr_task_fn fn = P.fn;
        void *ctx = P.ctx;
        kr_unlock(&P.lock);
        fn(ctx, t);
        kr_lock(&P.lock);
    }
}

/* Pool thread `index` (0-based). It takes part in a job only when the job
 * wants at least index + 1 helpers, so lowering the thread count needs no
 * thread to stop: the others just sleep. It starts from the generation it
 * was made in, so the job that made it is not missed. */
static void kr_worker(int index)
{
    kr_lock(&P.lock);
    unsigned long seen = P.born[index];
    for (;;) {
        while (P.generation == seen) kr_wait(&P.wake, &P.lock);
        seen = P.generation;
        if (index >= P.helpers) continue;
        kr_drain_locked();
        if (--P.active == 0) kr_wake_one(&P.done);
    }
}

#if defined(_WIN32)
static DWORD WINAPI kr_thread_main(LPVOID arg)
{
    kr_worker((int)(uintptr_t)arg);
    return 0;
}
static int kr_spawn(kr_thread *t, int index)
{
    *t = CreateThread(NULL, 0, kr_thread_main, (LPVOID)(uintptr_t)index, 0, NULL);
    return *t != NULL;
}
static void kr_after_fork_setup(void) {}
const char *kr_pool_backend(void) { return "win32"; }
#else
static void *kr_thread_main(void *arg)
{
    kr_worker((int)(uintptr_t)arg);
    return NULL;
}
static int kr_spawn(kr_thread *t, int index)
{
    if (pthread_create(t, NULL, kr_thread_main, (void *)(uintptr_t)index) != 0) return 0;
    pthread_detach(*t);
    return 1;
}

/* The child of a fork has none of the pool's threads, and a lock another
 * thread held at the fork stays held: start over from the initial state. */
static void kr_pool_after_fork(void)
{
    const kr_mutex m = KR_MUTEX_INIT;
    const kr_cond c = KR_COND_INIT;
    P.lock = m;
    P.busy = m;
    P.wake = c;
    P.done = c;
    P.started = 0;
    P.helpers = 0;
    P.fn = NULL;
    P.tasks = P.next = 0;
    P.active = 0;
}
static pthread_once_t kr_fork_once = PTHREAD_ONCE_INIT;
static void kr_register_fork(void) { pthread_atfork(NULL, NULL, kr_pool_after_fork); }
static void kr_after_fork_setup(void) { pthread_once(&kr_fork_once, kr_register_fork); }
const char *kr_pool_backend(void) { return "pthreads"; }
#endif

int kr_pool_default_threads(void)
{
    long n = 1;
#if defined(_WIN32)
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    n = (long)info.dwNumberOfProcessors;
#elif defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    else n = sysconf(_SC_NPROCESSORS_ONLN);
#else
    n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
    if (n < 1) n = 1;
    return n > KR_MAX_THREADS ? KR_MAX_THREADS : (int)n;
}

int kr_pool_threads(void)
{
    kr_lock(&P.lock);
    const int n = P.threads;
    kr_unlock(&P.lock);
    return n > 0 ? n : kr_pool_default_threads();
}

void kr_pool_set_threads(int n)
{
    if (n > KR_MAX_THREADS) n = KR_MAX_THREADS;
    kr_lock(&P.lock);
    P.threads = n < 1 ? 0 : n;
    kr_unlock(&P.lock);
}

static void kr_run_alone(kr_task_fn fn, void *ctx, size_t tasks)
{
    for (size_t t = 0; t < tasks; t++) fn(ctx, t);
}

void kr_pool_run(kr_task_fn fn, void *ctx, size_t tasks)
{
    const int want = kr_pool_threads();
    if (want <= 1 || tasks <= 1 || !kr_trylock(&P.busy)) {
        kr_run_alone(fn, ctx, tasks);
        return;
    }
    kr_after_fork_setup();
    kr_lock(&P.lock);
    while (P.started < want - 1) {
        P.born[P.started] = P.generation;
        if (!kr_spawn(&P.ids[P.started], P.started)) break;
        P.started++;
    }
    P.fn = fn;
    P.ctx = ctx;
    P.tasks = tasks;
    P.next = 0;
    P.helpers = want - 1 < P.started ? want - 1 : P.started;
    P.active = P.helpers;
    P.generation++;
    kr_wake_all(&P.wake);
    kr_drain_locked();
    while (P.active > 0) kr_wait(&P.done, &P.lock);
    P.fn = NULL;
    P.ctx = NULL;
    kr_unlock(&P.lock);
    kr_unlock(&P.busy);
}
