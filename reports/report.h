/* report.h - output writers for lint findings (one file per format).
 *
 * Guarantees: writers print findings in the order given (callers sort
 * them); a finding's masked byte range never reaches the output. */
#ifndef SA_REPORT_H
#define SA_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/finding.h"
#include "core/source.h"

#define STACKAUDIT_VERSION "0.1.0"

typedef struct report_data {
    const finding_list *findings;
    size_t files_scanned; /* files read and checked */
    size_t files_failed;  /* files that could not be read or parsed */
    /* Source of a finding's file (for the offending line), or NULL. */
    const src_file *(*source_of)(const void *ud, const char *path);
    const void *ud;
} report_data;

void report_text(FILE *out, const report_data *d, bool color);
void report_json(FILE *out, const report_data *d);

/* Copies line `line` of f into a malloc'd string with bytes of
 * [mask_start, mask_end) replaced by '*'; NULL when out of range. */
char *report_masked_line(const src_file *f, uint32_t line, size_t mask_start, size_t mask_end);

#endif
