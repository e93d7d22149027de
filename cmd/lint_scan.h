/* lint_scan.h - lint's pass over the files: walk the paths and lint every
 * file the walk finds, on the thread pool, while the walk goes on.
 *
 * Guarantees: the inputs come in walk order (as scan_each gives them), each
 * with its own finding list: the data rules and per-file checks, filtered
 * (suppressions, baseline, --severity) and sorted. A file's tree is kept
 * only when a whole-platform check reads it; its source text only then or
 * when the report shows source lines (text): checks that report later from
 * digests keep what they need of it (rules/k8s_digest.h). */
#ifndef SA_CMD_LINT_SCAN_H
#define SA_CMD_LINT_SCAN_H

#include "analyzers/scan.h"
#include "cmd/lint_setup.h"
#include "reports/report.h"

/* Fills res; returns res->count finding lists, one per input (free each
 * with finding_list_free, then the array). Their messages are interned in
 * messages, which must outlive them. */
finding_list *lint_scan(const lint_setup *s, text_pool *messages, scan_result *res);

/* Drops suppressed, baselined and below-threshold findings; source(ud, path)
 * gives the text holding the suppression comments. */
void lint_filter_findings(finding_list *all, source_lookup_fn source, const void *ud,
                          const baseline *base, severity min_sev);

#endif
