/* checks.h - the registry of built-in C checks: rules written in C because
 * they look at more than one entity at a time (a whole file, or every file
 * of a platform). Their metadata is a normal rule record with `check: NAME`;
 * each platform's checks_<platform>.c exports a NULL-terminated table
 * mapping NAME to its function, scope and the input formats it can report
 * on (lint skips it on the others), and rules/checks.c searches those
 * tables. Adding a check touches two places: its function and its table
 * row, in one file. */
#ifndef SA_CHECKS_H
#define SA_CHECKS_H

#include "rules/rule.h"

typedef struct check_entry {
    const char *name;
    rule_check_fn fn;
    check_scope scope;
    rule_collect_fn collect; /* optional; see rule.h */
    unsigned formats;        /* CHECK_FORMAT bits (rule.h); 0: every format */
} check_entry;

extern const check_entry checks_compose[];
extern const check_entry checks_kubernetes[];
extern const check_entry checks_terraform[];
extern const check_entry checks_meta[];

/* The entry named name, or NULL. */
const check_entry *checks_find(const char *name);

#endif
