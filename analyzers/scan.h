/* scan.h - from the user's paths to loaded inputs, in parallel.
 *
 * Guarantees: inputs come back in walk order (sorted paths, roots in the
 * order given) whatever the thread count; walk problems are in diags; each
 * input keeps its own diagnostics. */
#ifndef SA_SCAN_H
#define SA_SCAN_H

#include "analyzers/input.h"
#include "core/walk.h"

typedef struct scan_options {
    load_options load;
    walk_options walk;
    int threads; /* <= 0: number of online CPUs */
} scan_options;

typedef struct scan_result {
    input_file **inputs;
    size_t count;
    diag_list diags; /* walk-level problems (unreadable roots, symlink loops) */
} scan_result;

scan_options scan_options_default(void);
void scan_run(const char **paths, size_t npaths, const scan_options *opts, scan_result *out);
void scan_result_free(scan_result *r);
/* Number of worker threads scan_run would use for opts. */
int scan_thread_count(const scan_options *opts);

#endif
