/* lint_setup.h - what `lint` (and later `fix` and `report`) need before
 * running rules: options, the project config, the loaded rule set with
 * per-rule enable/severity settings, the baseline. */
#ifndef SA_CMD_LINT_SETUP_H
#define SA_CMD_LINT_SETUP_H

#include "cmd/common.h"
#include "rules/baseline.h"
#include "rules/config.h"
#include "rules/engine.h"

typedef struct lint_setup {
    input_args args;
    const char **paths;
    size_t npaths;
    bool json;
    severity fail_on;
    severity min_sev;
    config cfg;
    rule_set rules;
    bool rule_errors; /* a user rule pack failed to load (exit 2) */
    bool *enabled;
    finding_rule *found_as; /* per rule: its findings' rule, severity as configured */
    lint_options lopts;
    baseline base;
    bool has_baseline;
    const char *write_baseline;
    const char **excludes; /* config excludes + --exclude */
} lint_setup;

/* Parses options and prepares everything. Returns -1 when the command
 * should run, else the exit code to return at once (help, usage error). */
int lint_setup_parse(lint_setup *s, int argc, char **argv, const char *cmd, const char *help);
void lint_setup_free(lint_setup *s);

#endif
