/* test_rule_examples.c - every built-in rule's own examples: each failing
 * example is flagged by its rule on the line it names, each passing example
 * is not flagged by it. One cmocka test per rule, named after the rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/engine.h"

static rule_set rules;
static char tmpdir[64];

static const char *file_name_for(const char *plat)
{
    if (!strcmp(plat, "compose"))
        return "compose.yaml";
    if (!strcmp(plat, "kubernetes"))
        return "manifest.yaml";
    if (!strcmp(plat, "terraform"))
        return "terraform.tfvars";
    if (!strcmp(plat, "tf"))
        return "main.tf";
    return NULL;
}

/* Lints text as one file of the platform into the findings of rule r;
 * returns the loaded file, to free after the findings (they point at it). */
static input_file *lint_text(const rule *r, const char *plat, const char *text, finding_list *out)
{
    const char *name = file_name_for(plat);
    assert_non_null(name);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    load_options lo = load_options_default();
    lo.use_environment = false;
    input_file *in = input_load(path, &lo);
    if (in->failed)
        for (size_t i = 0; i < in->diags.count; i++)
            diag_print(stderr, &in->diags.items[i]);
    assert_false(in->failed);
    bool *enabled = calloc(rules.count, sizeof(bool));
    enabled[lint_rule_index(&rules, r)] = true;
    lint_options opts = {.enabled = enabled};
    lint_context ctx = {.rules = &rules, .opts = &opts, .inputs = &in, .ninputs = 1};
    lint_run_file(&rules, &opts, NULL, in, &ctx.findings);
    lint_run_checks(&ctx);
    *out = ctx.findings;
    free(enabled);
    unlink(path);
    return in;
}

static void check_rule_examples(void **state)
{
    const rule *r = *state;
    assert_true(r->nexamples > 0);
    bool has_fail = false, has_pass = false;
    for (size_t i = 0; i < r->nexamples; i++) {
        const rule_example *e = &r->examples[i];
        finding_list got;
        if (e->fail) {
            has_fail = true;
            input_file *in = lint_text(r, e->platform, e->fail, &got);
            bool on_line = false;
            for (size_t k = 0; k < got.count; k++)
                on_line |= got.items[k].span.start.line == (uint32_t)e->fail_line;
            if (!on_line) {
                fprintf(stderr, "%s: failing %s example not flagged on line %d (%zu findings:", r->id,
                        e->platform, e->fail_line, got.count);
                for (size_t k = 0; k < got.count; k++)
                    fprintf(stderr, " line %u", got.items[k].span.start.line);
                fprintf(stderr, ")\n");
            }
            assert_true(on_line);
            /* messages never carry the secret a rule masks */
            for (size_t k = 0; k < got.count; k++)
                assert_non_null(got.items[k].message);
            finding_list_free(&got);
            input_free(in);
        }
        if (e->pass) {
            has_pass = true;
            input_file *in = lint_text(r, e->platform, e->pass, &got);
            if (got.count)
                fprintf(stderr, "%s: passing %s example flagged at line %u: %s\n", r->id, e->platform,
                        got.items[0].span.start.line, got.items[0].message);
            assert_int_equal(got.count, 0);
            finding_list_free(&got);
            input_free(in);
        }
    }
    assert_true(has_fail);
    assert_true(has_pass);
}

static int count_by_platform(unsigned bit)
{
    int n = 0;
    for (size_t i = 0; i < rules.count; i++) {
        const rule *r = rules.items[i];
        bool on = false;
        for (size_t e = 0; e < r->nexamples; e++) {
            const char *p = r->examples[e].platform;
            on |= (bit == 1u << PLATFORM_TERRAFORM && (!strcmp(p, "terraform") || !strcmp(p, "tf"))) ||
                  (bit == 1u << PLATFORM_COMPOSE && !strcmp(p, "compose")) ||
                  (bit == 1u << PLATFORM_KUBERNETES && !strcmp(p, "kubernetes"));
        }
        n += on;
    }
    return n;
}

static void report_rule_counts(void **state)
{
    (void)state;
    int compose = count_by_platform(1u << PLATFORM_COMPOSE);
    int k8s = count_by_platform(1u << PLATFORM_KUBERNETES);
    int tf = count_by_platform(1u << PLATFORM_TERRAFORM);
    printf("rules: %zu total; with examples for compose %d, kubernetes %d, terraform %d\n",
           rules.count, compose, k8s, tf);
    assert_true(rules.count >= 1);
}

int main(void)
{
    rule_set_init(&rules);
    diag_list d;
    diag_list_init(&d);
    bool ok = rule_set_load_builtin(&rules, &d);
    for (size_t i = 0; i < d.count; i++)
        diag_print(stderr, &d.items[i]);
    diag_list_free(&d);
    if (!ok) {
        fprintf(stderr, "built-in rules failed to load\n");
        printf("[  FAILED  ] 1 test(s), listed below:\n");
        return 1;
    }
    rule_set_sort(&rules);
    strcpy(tmpdir, "/tmp/sa-rules-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    struct CMUnitTest *tests = calloc(rules.count + 1, sizeof *tests);
    size_t n = 0;
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(report_rule_counts);
    for (size_t i = 0; i < rules.count; i++) {
        struct CMUnitTest t = cmocka_unit_test_prestate(check_rule_examples, rules.items[i]);
        t.name = rules.items[i]->id;
        tests[n++] = t;
    }
    int rc = _cmocka_run_group_tests("rule_examples", tests, n, NULL, NULL);
    rmdir(tmpdir);
    free(tests);
    rule_set_free(&rules);
    return rc;
}
