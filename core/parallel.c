/* parallel.c - thread-pool for-loops; see parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"

typedef struct job {
    size_t n; /* SIZE_MAX: as many as p->exists admits */
    const parallel_producer *p;
    parallel_fn fn;
    void *ud;
    atomic_size_t next;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n || (j->p && !j->p->exists(i, j->ud)))
            break;
        j->fn(i, j->ud);
    }
    return NULL;
}

/* Runs worker(j) on up to `threads` new threads, and between their start
 * and their end, between(ud) (when given) on the calling thread; true when
 * at least one thread ran. */
static bool run_threads(job *j, int threads, void (*between)(void *), void *ud)
{
    pthread_t *tids = xcalloc((size_t)threads, sizeof(pthread_t));
    int started = 0;
    for (int t = 0; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, worker, j) != 0)
            break;
        started++;
    }
    if (started && between)
        between(ud);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    return started > 0;
}

int parallel_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void parallel_for(size_t n, int threads, parallel_fn fn, void *ud)
{
    job j = {.n = n, .fn = fn, .ud = ud};
    atomic_init(&j.next, 0);
    if ((size_t)threads > n)
        threads = (int)n;
    if (threads <= 1 || !run_threads(&j, threads, NULL, NULL))
        worker(&j);
}

typedef struct ordered_job {
    parallel_fn make, emit;
    void *ud;
    pthread_mutex_t mu;
    pthread_cond_t emitted;
    size_t next_emit; /* guarded by mu */
} ordered_job;

static void make_then_emit(size_t i, void *arg)
{
    ordered_job *o = arg;
    o->make(i, o->ud);
    pthread_mutex_lock(&o->mu);
    while (o->next_emit != i) /* the thread holding next_emit is not waiting */
        pthread_cond_wait(&o->emitted, &o->mu);
    pthread_mutex_unlock(&o->mu);
    o->emit(i, o->ud);
    pthread_mutex_lock(&o->mu);
    o->next_emit++;
    pthread_cond_broadcast(&o->emitted);
    pthread_mutex_unlock(&o->mu);
}

void parallel_for_ordered(size_t n, int threads, parallel_fn make, parallel_fn emit, void *ud)
{
    ordered_job o = {.make = make, .emit = emit, .ud = ud};
    pthread_mutex_init(&o.mu, NULL);
    pthread_cond_init(&o.emitted, NULL);
    parallel_for(n, threads, make_then_emit, &o);
    pthread_cond_destroy(&o.emitted);
    pthread_mutex_destroy(&o.mu);
}

void parallel_for_produced(int threads, const parallel_producer *p, void *ud)
{
    job j = {.n = SIZE_MAX, .p = p, .fn = p->fn, .ud = ud};
    atomic_init(&j.next, 0);
    if (threads <= 1 || !run_threads(&j, threads, p->produce, ud)) {
        p->produce(ud);
        worker(&j);
    }
}
