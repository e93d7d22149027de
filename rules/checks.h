/* checks.h - the registry of built-in C checks: rules that need the whole
 * model (several documents or files at once). Their metadata is a normal
 * rule record with `check: NAME`; each platform's checks_<platform>.c
 * exports a NULL-terminated table mapping NAME to its function, and
 * rules/checks.c searches those tables. Adding a check touches two places:
 * its function and its table row, in one file. */
#ifndef SA_CHECKS_H
#define SA_CHECKS_H

#include "rules/rule.h"

typedef struct check_entry {
    const char *name;
    rule_check_fn fn;
} check_entry;

extern const check_entry checks_compose[];
extern const check_entry checks_kubernetes[];
extern const check_entry checks_terraform[];
extern const check_entry checks_meta[];

rule_check_fn checks_find(const char *name);

#endif
