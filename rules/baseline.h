/* baseline.h - findings recorded earlier, to hide them from later runs.
 *
 * File format (JSON): {"version": 1, "findings": [{"rule_id": ..., "file":
 * ..., "fingerprint": ...}, ...]}. A finding matches when rule, file and
 * fingerprint are equal; fingerprints do not include line numbers, so a
 * baseline survives lines being added above a finding. */
#ifndef SA_BASELINE_H
#define SA_BASELINE_H

#include <stdbool.h>

#include "core/diag.h"
#include "core/finding.h"

typedef struct baseline {
    char **keys; /* "rule\tfile\tfingerprint", sorted */
    size_t count;
} baseline;

bool baseline_load(const char *path, baseline *b, diag_list *diags);
bool baseline_contains(const baseline *b, const finding *f);
/* Writes the findings atomically (temporary file + rename). */
bool baseline_write(const char *path, const finding_refs *l, diag_list *diags);
void baseline_free(baseline *b);

#endif
