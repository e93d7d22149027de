/* parallel.h - parallel for-loops over indexes on a pool of threads.
 * Guarantees: every index runs exactly once; the call returns when all are
 * done; with threads <= 1 (or if threads cannot be started) it runs
 * serially on the calling thread. Results must be written per index by the
 * callback, which keeps output deterministic. */
#ifndef SA_PARALLEL_H
#define SA_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*parallel_fn)(size_t index, void *ud);

/* fn(i) for every i in [0, n). */
void parallel_for(size_t n, int threads, parallel_fn fn, void *ud);

/* make(i) for every i in [0, n) on the pool, and emit(i) in index order:
 * emit(i) starts once emit(i - 1) has returned, on the thread that made i
 * (so at most about `threads` made items wait to be emitted). */
void parallel_for_ordered(size_t n, int threads, parallel_fn make, parallel_fn emit, void *ud);

/* What a produced loop needs: produce(ud) runs on the calling thread and
 * makes items 0, 1, 2... available; exists(i, ud) waits until item i is
 * available (true) or produce has ended without it (false); fn(i, ud)
 * runs once per available item. */
typedef struct parallel_producer {
    void (*produce)(void *ud);
    bool (*exists)(size_t index, void *ud);
    parallel_fn fn;
} parallel_producer;

/* fn over items that appear while the loop runs: the threads start at once
 * and each takes the next index as soon as it exists. With threads <= 1,
 * produce runs to its end first, then every item, on the calling thread. */
void parallel_for_produced(int threads, const parallel_producer *p, void *ud);
/* Online CPU count (at least 1). */
int parallel_cpu_count(void);

#endif
