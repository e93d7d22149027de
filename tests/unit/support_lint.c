/* support_lint.c - the lint-check test harness; see support_lint.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/report.h"
#include "tests/unit/support_lint.h"

lint_harness harness;

int lint_harness_setup(void **state)
{
    (void)state;
    rule_set_init(&harness.rules);
    diag_list d;
    diag_list_init(&d);
    bool ok = rule_set_load_builtin(&harness.rules, &d);
    diag_list_free(&d);
    strcpy(harness.tmpdir, "/tmp/sa-checks-XXXXXX");
    return ok && mkdtemp(harness.tmpdir) ? 0 : -1;
}

void lint_harness_reset(void)
{
    for (size_t i = 0; i < harness.ninputs; i++)
        input_free(harness.inputs[i]);
    harness.ninputs = 0;
}

int lint_harness_teardown(void **state)
{
    (void)state;
    lint_harness_reset();
    rule_set_free(&harness.rules);
    rmdir(harness.tmpdir);
    return 0;
}

input_file *lint_harness_add(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", harness.tmpdir, name);
    char *slash = strrchr(path, '/');
    bool subdir = slash > path + strlen(harness.tmpdir);
    if (subdir) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    load_options lo = load_options_default();
    lo.use_environment = false;
    assert_true(harness.ninputs < LINT_HARNESS_MAX_INPUTS);
    input_file *in = input_load(path, &lo);
    unlink(path);
    if (subdir) {
        *slash = '\0';
        rmdir(path);
    }
    assert_false(in->failed);
    harness.inputs[harness.ninputs++] = in;
    return in;
}

finding_list lint_harness_run(const doc_node *settings, const char *const *ids)
{
    const rule_set *rules = &harness.rules;
    bool *enabled = calloc(rules->count, sizeof(bool));
    for (size_t i = 0; ids[i]; i++) {
        const rule *r = rule_set_find(rules, ids[i]);
        assert_non_null(r);
        enabled[lint_rule_index(rules, r)] = true;
    }
    lint_options opts = {.enabled = enabled};
    lint_context ctx = {.rules = rules, .opts = &opts, .inputs = harness.inputs,
                        .ninputs = harness.ninputs, .settings = settings};
    for (size_t i = 0; i < harness.ninputs; i++)
        lint_run_file(rules, &opts, settings, harness.inputs[i], &ctx.findings);
    lint_run_checks(&ctx);
    finding_list_sort(&ctx.findings);
    free(enabled);
    return ctx.findings;
}

char *lint_harness_shown_line(const input_file *in, uint32_t line, const finding *f)
{
    byte_range mask = {f->mask_start, f->mask_end};
    uint32_t c0, c1;
    return report_masked_line(in->src, line, &mask, 1, f->span.start.offset, f->span.end.offset,
                              &c0, &c1);
}
