/* finding.h - what lint produces and reports consume.
 *
 * A finding names a rule, a severity, an exact span in a file and a message.
 * Guarantees: a finding's message lives in the texts of its list (a few
 * large blocks, not one allocation per message): it stays valid while the
 * list lives, moves with the findings (finding_list_move, finding_list_adopt)
 * and is freed with the list; or, once finding_list_intern moved it, in a
 * text pool, which must outlive the list;
 * a finding's rule (id, category, severity, fixable) is shared by the
 * findings of that rule and is owned by the rule set or the lint setup,
 * and path is the input's, so those and the inputs must outlive the
 * findings; a finding is 64 bytes (one cache line) on 64-bit targets;
 * finding_list_sort orders by file, line, column, rule id, message, so
 * output is deterministic whatever the thread count. */
#ifndef SA_FINDING_H
#define SA_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "text_pool.h"

typedef enum severity {
    SEV_INFO,
    SEV_LOW,
    SEV_MEDIUM,
    SEV_HIGH,
    SEV_CRITICAL
} severity;

/* 16 hex digits and a NUL */
#define FINGERPRINT_SIZE 17

/* What the findings of one rule say of it: shared by them all, so that a
 * finding carries one pointer for it (the severity is the one configured
 * for the rule). */
typedef struct finding_rule {
    const char *id;       /* the rule's */
    const char *category; /* the rule's */
    severity sev;
    bool fixable; /* the rule describes a fix (stackaudit fix) */
} finding_rule;

typedef struct finding {
    const finding_rule *rule;
    const char *path;     /* the input's */
    const char *message;  /* in its list's texts or pool */
    src_span span;
    uint32_t mask_start; /* byte range of a secret to mask in every output */
    uint32_t mask_end;   /* (mask_end == 0: nothing to mask) */
    uint64_t fingerprint; /* stable across line shifts: rule, file, normalized
                             context; written as finding_fingerprint_hex does */
} finding;

/* Findings are kept by the hundred thousand, copied and sorted: one cache
 * line each. */
_Static_assert(sizeof(void *) != 8 || sizeof(finding) == 64, "a finding is 64 bytes");

typedef struct finding_text_block finding_text_block;

typedef struct finding_list {
    finding *items;
    size_t count;
    size_t cap;
    finding_text_block *texts; /* the messages of the findings (not interned) */
} finding_list;

/* Findings in report order, pointing into finding_lists that outlive it. */
typedef struct finding_refs {
    const finding **items;
    size_t count;
} finding_refs;

finding *finding_list_add(finding_list *l); /* zero-filled new slot */
/* A copy of s[0, n) and a NUL in l's texts (for a message of l's findings). */
const char *finding_list_text(finding_list *l, const char *s, size_t n);
/* Makes room for n more findings (one allocation for many moves). */
void finding_list_reserve(finding_list *l, size_t n);
/* Moves the messages of l's findings into pool (equal messages then share
 * one copy there) and frees l's texts: for a list kept long when messages
 * repeat across lists. */
void finding_list_intern(finding_list *l, text_pool *pool);
/* Gives back the room beyond the findings l holds (for a list kept long). */
void finding_list_shrink(finding_list *l);
/* Appends src's findings to dst in order and leaves src empty. */
void finding_list_move(finding_list *dst, finding_list *src);
/* For callers that copied src's findings into dst themselves: dst takes
 * src's texts, src's slots are freed and src is left empty. */
void finding_list_adopt(finding_list *dst, finding_list *src);
/* The order of reports: path, line, column, rule id and message, then what
 * is left (end, mask, fingerprint), so that findings comparing equal are
 * alike in every output. */
int finding_cmp(const finding *a, const finding *b);
void finding_list_sort(finding_list *l);
void finding_list_free(finding_list *l);

/* A fingerprint as reports and baselines write it: "%016llx". */
void finding_fingerprint_hex(uint64_t fingerprint, char out[FINGERPRINT_SIZE]);

const char *severity_name(severity s);
/* Parses "critical", "high", "medium", "low", "info" (case-insensitive). */
bool severity_parse(const char *s, severity *out);

#endif
