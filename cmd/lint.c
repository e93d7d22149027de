/* lint.c - `stackaudit lint`: security and tenant-isolation rules over the
 * given paths; text or JSON findings; suppressions, config, baseline.
 * Exit: 0 nothing at/above --fail-on, 1 findings at/above it, 2 usage or
 * input errors (the readable files are still checked and reported). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "cmd/common.h"
#include "cmd/lint_scan.h"
#include "cmd/lint_setup.h"
#include "reports/report.h"
#include "rules/baseline.h"
#include "rules/engine.h"

static const char lint_help[] =
    "Usage: stackaudit lint [OPTIONS] [PATH...]\n\n"
    "Check Terraform, docker compose and Kubernetes files against the security and\n"
    "tenant-isolation rules (stackaudit rules list). PATH defaults to '.'.\n\n"
    "Output:\n"
    "      --format FMT      text (default) or json (schema: docs/lint-json.md)\n"
    "      --fail-on SEV     exit 1 when a finding is at or above SEV (default high)\n"
    "      --severity SEV    only report findings at or above SEV\n"
    "Rules:\n"
    "      --rule ID         run only this rule (repeatable)\n"
    "      --skip-rule ID    do not run this rule (repeatable)\n"
    "      --rules DIR       also load the rule packs in DIR (repeatable)\n"
    "      --config FILE     use FILE instead of the .stackaudit.yaml found upward\n"
    "      --no-config       ignore .stackaudit.yaml\n"
    "Baseline:\n"
    "      --baseline FILE   hide findings recorded in FILE\n"
    "      --write-baseline FILE  record the current findings in FILE\n"
    "Suppressions in the files themselves:\n"
    "  # stackaudit:ignore RULE-ID reason        this line, or the next one\n"
    "  # stackaudit:ignore-file RULE-ID reason   the whole file\n"
    "Environment: NO_COLOR (no colors in text output); STACKAUDIT_NO_HUGE_PAGES=1 (no\n"
    "  transparent huge pages for the heap: lint does not re-execute itself with\n"
    "  GLIBC_TUNABLES=glibc.malloc.hugetlb=1, nor ask for them on worker threads' heaps)\n\n"
    COMMON_INPUT_HELP;

typedef struct input_ref {
    const char *path;
    size_t index; /* in walk order */
} input_ref;

static int by_path_then_index(const void *pa, const void *pb)
{
    const input_ref *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Appends pointers to n findings to r (room reserved). */
static void append(finding_refs *r, const finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r->items[r->count++] = &f[i];
}

/* Merges file's sorted findings into all, with those of the sorted cluster
 * list (from *next on) that come before or among them. */
static void join_file(finding_refs *all, const finding_list *file, const finding_list *cluster,
                      size_t *next)
{
    const char *path = file->items[0].path;
    size_t c = *next;
    while (c < cluster->count && strcmp(cluster->items[c].path, path) < 0)
        append(all, &cluster->items[c++], 1);
    if (c == cluster->count || strcmp(cluster->items[c].path, path) > 0) {
        append(all, file->items, file->count); /* none of this file's among them */
    } else {
        for (size_t i = 0; i < file->count; i++) {
            while (c < cluster->count && finding_cmp(&cluster->items[c], &file->items[i]) < 0)
                append(all, &cluster->items[c++], 1);
            append(all, &file->items[i], 1);
        }
    }
    *next = c;
}

static int by_finding_order(const void *a, const void *b)
{
    return finding_cmp(*(const finding *const *)a, *(const finding *const *)b);
}

/* The report order over the per-file lists (each sorted) and the findings
 * of the whole-platform checks (sorted): the files in path order, each
 * merged with the cluster findings about it, in one pass. Nothing is
 * copied: the result points into per_file and cluster. */
static finding_refs join_findings(const scan_result *res, const finding_list *per_file,
                                  const finding_list *cluster)
{
    input_ref *order = xcalloc(res->count + 1, sizeof *order);
    size_t total = cluster->count;
    for (size_t i = 0; i < res->count; i++) {
        order[i] = (input_ref){res->inputs[i]->path, i};
        total += per_file[i].count;
    }
    qsort(order, res->count, sizeof *order, by_path_then_index);
    finding_refs all = {.items = xcalloc(total + 1, sizeof *all.items)};
    size_t next = 0;
    bool twice = false; /* a path scanned twice: its files' findings interleave */
    for (size_t k = 0; k < res->count; k++) {
        const finding_list *l = &per_file[order[k].index];
        twice |= k > 0 && !strcmp(order[k - 1].path, order[k].path);
        if (l->count)
            join_file(&all, l, cluster, &next);
    }
    append(&all, cluster->items + next, cluster->count - next);
    if (twice)
        qsort(all.items, all.count, sizeof *all.items, by_finding_order);
    free(order);
    return all;
}

/* Path -> source of the first loaded input with that path: an open-addressing
 * table built once, so looking up the file of each finding stays O(1) however
 * many files are scanned. */
typedef struct source_index {
    const input_file **slots; /* NULL = empty */
    size_t mask;              /* capacity - 1 (capacity a power of two) */
} source_index;

static size_t path_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)(h ^ (h >> 29));
}

static void source_index_build(source_index *ix, const scan_result *r)
{
    size_t cap = 16;
    while (cap < 2 * r->count + 1)
        cap *= 2;
    ix->slots = xzalloc(cap, sizeof *ix->slots);
    ix->mask = cap - 1;
    for (size_t i = 0; i < r->count; i++) {
        const input_file *in = r->inputs[i];
        if (!in->src)
            continue;
        size_t h = path_hash(in->path) & ix->mask;
        while (ix->slots[h] && strcmp(ix->slots[h]->path, in->path) != 0)
            h = (h + 1) & ix->mask;
        if (!ix->slots[h])
            ix->slots[h] = in; /* the first input with a path wins */
    }
}

static const src_file *source_of(const void *ud, const char *path)
{
    const source_index *ix = ud;
    size_t h = path_hash(path) & ix->mask;
    while (ix->slots[h]) {
        if (!strcmp(ix->slots[h]->path, path))
            return ix->slots[h]->src;
        h = (h + 1) & ix->mask;
    }
    return NULL;
}

int cmd_lint(int argc, char **argv)
{
    lint_setup s;
    int rc = lint_setup_parse(&s, argc, argv, "lint", lint_help);
    if (rc >= 0)
        return rc;

    scan_result res;
    text_pool *messages = text_pool_new();
    finding_list *per_file = lint_scan(&s, messages, &res);
    lint_context ctx = {.rules = &s.rules, .opts = &s.lopts, .inputs = res.inputs, .ninputs = res.count,
                       .settings = s.cfg.settings};
    lint_run_checks_parallel(&ctx, scan_thread_count(&s.args.scan));
    source_index ix;
    source_index_build(&ix, &res);
    finding_list cluster = ctx.findings; /* of the whole-platform checks */
    lint_filter_findings(&cluster, source_of, &ix, s.has_baseline ? &s.base : NULL, s.min_sev);
    finding_list_sort(&cluster);
    finding_refs report = join_findings(&res, per_file, &cluster);

    bool input_errors = print_scan_diagnostics(stderr, &res, s.args.verbose) || s.rule_errors;
    size_t checked = 0, failed = 0;
    for (size_t i = 0; i < res.count; i++) {
        if (res.inputs[i]->failed)
            failed++;
        else if (!res.inputs[i]->skip_reason)
            checked++;
    }
    report_data data = {.findings = &report, .files_scanned = checked,
                        .files_failed = failed, .source_of = source_of, .ud = &ix,
                        .threads = scan_thread_count(&s.args.scan)};
    if (s.json)
        report_json(stdout, &data);
    else
        report_text(stdout, &data, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));

    if (s.write_baseline) {
        diag_list d;
        diag_list_init(&d);
        if (!baseline_write(s.write_baseline, &report, &d)) {
            for (size_t i = 0; i < d.count; i++)
                diag_print(stderr, &d.items[i]);
            input_errors = true;
        } else {
            fprintf(stderr, "stackaudit lint: recorded %zu finding%s in %s\n", report.count,
                    report.count == 1 ? "" : "s", s.write_baseline);
        }
        diag_list_free(&d);
    }

    bool over = false;
    for (size_t i = 0; i < report.count; i++)
        over |= report.items[i]->rule->sev >= s.fail_on;
    free(report.items);
    finding_list_free(&cluster);
    for (size_t i = 0; i < res.count; i++) /* on one thread: faster than on several */
        finding_list_free(&per_file[i]);
    free(per_file);
    text_pool_free(messages);
    free(ix.slots);
    scan_result_free(&res);
    lint_setup_free(&s);
    if (input_errors)
        return EXIT_USAGE;
    return over ? EXIT_FINDINGS : EXIT_CLEAN;
}
