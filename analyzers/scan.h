/* scan.h - from the user's paths to loaded inputs, in parallel (lint's
 * own pass, which also runs the rules, is cmd/lint_scan.c).
 *
 * Guarantees: inputs come in walk order (sorted paths, roots in the order
 * given) whatever the thread count; walk problems are reported apart; each
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
void scan_result_free(scan_result *r);

/* Streaming variant for commands that handle one file at a time: loads the
 * files in batches on the thread pool, hands each input to fn in walk order,
 * then frees it, so memory stays bounded by one batch. Walk problems go to
 * walk_diags. */
typedef void (*scan_visit_fn)(const input_file *in, void *ud);
void scan_each(const char **paths, size_t npaths, const scan_options *opts, scan_visit_fn fn,
               void *ud, diag_list *walk_diags);
/* Number of worker threads a scan uses for opts. */
int scan_thread_count(const scan_options *opts);

#endif
