/* support_lint.h - a small harness for tests of lint checks: the built-in
 * rules loaded once, files written into a temporary directory and loaded as
 * stackaudit would (the name fixes the format), and a lint run over the
 * loaded files with only the named rules enabled.
 *
 * Used from cmocka group setup/teardown: lint_harness_setup() /
 * lint_harness_teardown(). Assertion failures are cmocka failures. */
#ifndef SA_SUPPORT_LINT_H
#define SA_SUPPORT_LINT_H

#include "core/finding.h"
#include "rules/engine.h"

#define LINT_HARNESS_MAX_INPUTS 8

typedef struct lint_harness {
    rule_set rules;
    char tmpdir[64];
    input_file *inputs[LINT_HARNESS_MAX_INPUTS];
    size_t ninputs;
} lint_harness;

extern lint_harness harness;

/* Loads the built-in rules and makes the temporary directory; 0 on success. */
int lint_harness_setup(void **state);
int lint_harness_teardown(void **state);
/* Forgets the loaded files. */
void lint_harness_reset(void);
/* Writes text to TMPDIR/name (one directory level may be given) and loads it. */
input_file *lint_harness_add(const char *name, const char *text);
/* Lints every loaded file with only the rules named in ids (NULL-terminated). */
finding_list lint_harness_run(const doc_node *settings, const char *const *ids);
/* Line `line` of in as text output shows it, masking f's secret (malloc'd). */
char *lint_harness_shown_line(const input_file *in, uint32_t line, const finding *f);

#endif
