/* finding.h - what lint produces and reports consume.
 *
 * A finding names a rule, a severity, an exact span in a file and a message;
 * it may carry a fix as a list of byte-range edits on the original file.
 * Guarantees: findings own their strings (malloc); finding_list_sort orders
 * by file, line, column, rule id, message, so output is deterministic
 * whatever the thread count. */
#ifndef SA_FINDING_H
#define SA_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

typedef enum severity {
    SEV_INFO,
    SEV_LOW,
    SEV_MEDIUM,
    SEV_HIGH,
    SEV_CRITICAL
} severity;

typedef struct text_edit {
    size_t start; /* byte offsets in the original file; start == end inserts */
    size_t end;
    char *replacement;
} text_edit;

typedef struct finding {
    char *rule_id;
    severity sev;
    char *category;
    char *path;
    src_span span;
    char *message;
    char *fingerprint; /* stable across line shifts: rule, file, normalized context */
    bool fixable;      /* the rule describes a fix (stackaudit fix) */
    text_edit *edits;  /* the fix as edits, once built */
    size_t nedits;
    char *fix_title;
    size_t mask_start; /* byte range of a secret to mask in every output */
    size_t mask_end;   /* (mask_end == 0: nothing to mask) */
} finding;

typedef struct finding_list {
    finding *items;
    size_t count;
    size_t cap;
} finding_list;

finding *finding_list_add(finding_list *l); /* zero-filled new slot */
void finding_list_move(finding_list *dst, finding_list *src);
void finding_list_sort(finding_list *l);
void finding_list_free(finding_list *l);
void finding_free(finding *f);

const char *severity_name(severity s);
/* Parses "critical", "high", "medium", "low", "info" (case-insensitive). */
bool severity_parse(const char *s, severity *out);

#endif
