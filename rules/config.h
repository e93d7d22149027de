/* config.h - the project configuration file `.stackaudit.yaml`, found by
 * looking upward from the first scanned path:
 *
 *   disable: [RULE-ID, ...]          # rules that never run
 *   severity: {RULE-ID: low, ...}    # severity overrides
 *   exclude: [GLOB, ...]             # like --exclude
 *   rules: [DIR, ...]                # custom rule packs (relative to the file)
 *   fail_on: high                    # default for --fail-on
 *   settings: {NAME: VALUE, ...}     # parameters of built-in checks (docs/rules.md)
 *
 * Guarantees: unknown keys and bad values are errors naming the file, line
 * and column; strings stay valid until config_free. */
#ifndef SA_CONFIG_H
#define SA_CONFIG_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/doc.h"
#include "core/finding.h"

typedef struct rule_override {
    const char *id;
    severity sev;
    unsigned line, col; /* where it was written (unknown-rule errors) */
} rule_override;

typedef struct config {
    const char *path; /* NULL when no file was found */
    const char **disable;
    size_t ndisable;
    rule_override *severity;
    size_t nseverity;
    const char **exclude;
    size_t nexclude;
    const char **rule_dirs; /* resolved against the config file's directory */
    size_t nrule_dirs;
    bool has_fail_on;
    severity fail_on;
    const doc_node *settings; /* DOC_MAP or NULL */
    arena *arena;
} config;

/* Finds .stackaudit.yaml upward from start (a file or directory). Returns
 * false on a broken config (diagnostics added); true otherwise, with
 * cfg->path NULL when there is none. */
bool config_find_and_load(const char *start, config *cfg, diag_list *diags);
bool config_load(const char *path, config *cfg, diag_list *diags);
void config_free(config *cfg);

#endif
