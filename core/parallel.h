/* parallel.h - a parallel for-loop over indexes 0..n-1 on a pool of
 * threads. Guarantees: every index runs exactly once; the call returns when
 * all are done; with threads <= 1 (or if threads cannot be started) it runs
 * serially on the calling thread. Results must be written per index by the
 * callback, which keeps output deterministic. */
#ifndef SA_PARALLEL_H
#define SA_PARALLEL_H

#include <stddef.h>

typedef void (*parallel_fn)(size_t index, void *ud);

void parallel_for(size_t n, int threads, parallel_fn fn, void *ud);
/* Online CPU count (at least 1). */
int parallel_cpu_count(void);

#endif
