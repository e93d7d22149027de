/* suppress.h - inline suppressions written as comments in the scanned files:
 *
 *   # stackaudit:ignore RULE-ID[,RULE-ID...] reason     (this line, or the
 *                                                        next when alone on its line)
 *   # stackaudit:ignore-file RULE-ID[,RULE-ID...] reason (the whole file)
 *
 * (`//` and block comments work too in HCL.) RULE-ID may be `all`.
 * Guarantees: only the given rules are silenced; every directive without a
 * reason is itself reported by the SA-IGNORE-WITHOUT-REASON rule. */
#ifndef SA_SUPPRESS_H
#define SA_SUPPRESS_H

#include <stdbool.h>

#include "core/finding.h"
#include "core/source.h"

typedef struct suppression {
    bool whole_file;
    uint32_t line;       /* the line it applies to (comment's own or the next) */
    uint32_t comment_line;
    char rules[256];     /* comma-separated ids */
    bool has_reason;
    const src_comment *comment;
} suppression;

/* Parses the directive in a comment body; false when it is not one. */
bool suppression_parse(const src_file *f, const src_comment *c, suppression *out);
/* The directives of one file, parsed once for all of its findings. */
typedef struct suppression_list {
    suppression *items;
    size_t count;
} suppression_list;

/* The directives in f's comments, in order (f NULL: none). */
void suppression_list_build(suppression_list *l, const src_file *f);
/* True when a directive of l silences finding x (one of its file's). */
bool suppression_list_applies(const suppression_list *l, const finding *x);
void suppression_list_free(suppression_list *l);

#endif
