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
/* What a secret looks like in any output: never its length or a part of it. */
#define SECRET_TEXT_MASK "********"

/* The source text of the file at path (ud: the caller's index), or NULL. */
typedef const src_file *(*source_lookup_fn)(const void *ud, const char *path);

typedef struct report_data {
    const finding_refs *findings; /* in report order */
    size_t files_scanned; /* files read and checked */
    size_t files_failed;  /* files that could not be read or parsed */
    source_lookup_fn source_of; /* a finding's file, for the offending line */
    const void *ud;
    int threads; /* writers that format in parallel may use this many */
} report_data;

void report_text(FILE *out, const report_data *d, bool color);
void report_json(FILE *out, const report_data *d);

typedef struct byte_range {
    size_t start;
    size_t end;
} byte_range;

/* Line `line` of f as a malloc'd string in which every byte range of masks
 * touching it is replaced by "********" (whatever the secret's length).
 * *col_start / *col_end receive the display columns (1-based, characters)
 * of byte offsets from / to on that line; NULL when the line is out of range. */
char *report_masked_line(const src_file *f, uint32_t line, const byte_range *masks, size_t nmasks,
                         size_t from, size_t to, uint32_t *col_start, uint32_t *col_end);

#endif
