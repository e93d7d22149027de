/* rules.c - `stackaudit rules list|explain`: the rule catalogue, from the
 * same records the engine runs (built-in packs plus --rules DIR). */
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/common.h"
#include "core/json_out.h"
#include "rules/rule.h"

static const char rules_help[] =
    "Usage: stackaudit rules list [--platform P] [--category C] [--severity S] [--format text|json]\n"
    "       stackaudit rules explain RULE-ID\n\n"
    "list     a table of the rules: id, severity, category, platforms, title\n"
    "         --platform compose|kubernetes|terraform, --category security|isolation|\n"
    "         reliability|cost-hygiene, --severity SEV (at or above)\n"
    "explain  rationale, remediation, references, and the failing and passing examples\n\n"
    "Both accept --rules DIR (repeatable) to include user rule packs.\n";

static void print_block(const char *title, const char *text)
{
    if (!text || !*text)
        return;
    printf("\n%s:\n", title);
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        printf("  %.*s\n", (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
}

static int explain(const rule *r)
{
    char plat[64];
    printf("%s: %s\n", r->id, r->title);
    printf("severity: %s   category: %s   applies to: %s (%s)%s\n", severity_name(r->sev),
           r->category, r->target ? r->target : "whole model", rule_platforms_text(r, plat, sizeof plat),
           r->fix ? "   fix: available" : "");
    printf("defined in: %s:%u%s\n", r->source, r->line, r->check ? " (C check)" : "");
    print_block("Why it matters", r->rationale);
    print_block("What to do", r->remediation);
    if (r->nreferences) {
        printf("\nReferences:\n");
        for (size_t i = 0; i < r->nreferences; i++)
            printf("  - %s\n", r->references[i]);
    }
    for (size_t i = 0; i < r->nexamples; i++) {
        const rule_example *e = &r->examples[i];
        char title[96];
        if (e->fail) {
            snprintf(title, sizeof title, "Flagged (%s, line %d)", e->platform, e->fail_line);
            print_block(title, e->fail);
        }
        if (e->pass) {
            snprintf(title, sizeof title, "Not flagged (%s)", e->platform);
            print_block(title, e->pass);
        }
    }
    return EXIT_CLEAN;
}

static bool matches(const rule *r, const char *plat, const char *cat, severity min)
{
    if (cat && strcmp(r->category, cat))
        return false;
    if (r->sev < min)
        return false;
    if (plat) {
        for (int k = PLATFORM_COMPOSE; k <= PLATFORM_TERRAFORM; k++)
            if (!strcmp(plat, platform_name((platform)k)))
                return !r->platforms || (r->platforms & (1u << k));
        return false;
    }
    return true;
}

static void list_json(const rule_set *rs, const char *plat, const char *cat, severity min)
{
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, true);
    json_begin_array(&j);
    char buf[64];
    for (size_t i = 0; i < rs->count; i++) {
        const rule *r = rs->items[i];
        if (!matches(r, plat, cat, min))
            continue;
        json_begin_object(&j);
        json_key(&j, "id");
        json_string(&j, r->id);
        json_key(&j, "title");
        json_string(&j, r->title);
        json_key(&j, "severity");
        json_string(&j, severity_name(r->sev));
        json_key(&j, "category");
        json_string(&j, r->category);
        json_key(&j, "platforms");
        json_string(&j, rule_platforms_text(r, buf, sizeof buf));
        json_key(&j, "target");
        json_string(&j, r->target);
        json_key(&j, "fix");
        json_bool(&j, r->fix != NULL);
        json_key(&j, "examples");
        json_int(&j, (int64_t)r->nexamples);
        json_end_object(&j);
    }
    json_end_array(&j);
    sb_addc(&sb, '\n');
    fwrite(sb.buf, 1, sb.len, stdout);
    sb_free(&sb);
}

int cmd_rules(int argc, char **argv)
{
    enum { OPT_PLATFORM = 1, OPT_CATEGORY, OPT_SEVERITY, OPT_FORMAT, OPT_RULES };
    static const struct option longopts[] = {
        {"platform", required_argument, NULL, OPT_PLATFORM},
        {"category", required_argument, NULL, OPT_CATEGORY},
        {"severity", required_argument, NULL, OPT_SEVERITY},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"rules", required_argument, NULL, OPT_RULES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *plat = NULL, *cat = NULL;
    severity min = SEV_INFO;
    bool json = false;
    const char **dirs = xcalloc((size_t)argc + 1, sizeof(char *));
    size_t ndirs = 0;
    int opt, rc = -1;
    optind = 1;
    while (rc < 0 && (opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_PLATFORM:
            plat = optarg;
            if (strcmp(plat, "compose") && strcmp(plat, "kubernetes") && strcmp(plat, "terraform"))
                rc = usage_error("rules", "unknown platform '%s' (compose, kubernetes, terraform)", plat);
            break;
        case OPT_CATEGORY:
            cat = optarg;
            break;
        case OPT_SEVERITY:
            if (!severity_parse(optarg, &min))
                rc = usage_error("rules", "unknown severity '%s'", optarg);
            break;
        case OPT_FORMAT:
            json = !strcmp(optarg, "json");
            if (!json && strcmp(optarg, "text"))
                rc = usage_error("rules", "unknown format '%s' (text or json)", optarg);
            break;
        case OPT_RULES:
            dirs[ndirs++] = optarg;
            break;
        case 'h':
            fputs(rules_help, stdout);
            rc = EXIT_CLEAN;
            break;
        default:
            rc = usage_error("rules", "unknown option");
        }
    }
    const char *sub = rc < 0 && optind < argc ? argv[optind] : NULL;
    if (rc < 0 && !sub)
        rc = usage_error("rules", "expected 'list' or 'explain RULE-ID'");
    if (rc >= 0) {
        free(dirs);
        return rc;
    }
    rule_set rs;
    rule_set_init(&rs);
    diag_list d;
    diag_list_init(&d);
    bool ok = rule_set_load_builtin(&rs, &d);
    for (size_t i = 0; i < ndirs; i++)
        ok &= rule_set_load_path(&rs, dirs[i], &d);
    for (size_t i = 0; i < d.count; i++)
        diag_print(stderr, &d.items[i]);
    rule_set_sort(&rs);
    if (!strcmp(sub, "list")) {
        if (json) {
            list_json(&rs, plat, cat, min);
        } else {
            char buf[64];
            size_t shown = 0;
            int w = 2;
            for (size_t i = 0; i < rs.count; i++)
                if ((int)strlen(rs.items[i]->id) > w)
                    w = (int)strlen(rs.items[i]->id);
            printf("%-*s %-9s %-13s %-26s %s\n", w, "ID", "SEVERITY", "CATEGORY", "PLATFORMS", "TITLE");
            for (size_t i = 0; i < rs.count; i++) {
                const rule *r = rs.items[i];
                if (!matches(r, plat, cat, min))
                    continue;
                printf("%-*s %-9s %-13s %-26s %s\n", w, r->id, severity_name(r->sev), r->category,
                       rule_platforms_text(r, buf, sizeof buf), r->title);
                shown++;
            }
            printf("\n%zu rule%s\n", shown, shown == 1 ? "" : "s");
        }
        rc = ok ? EXIT_CLEAN : EXIT_USAGE;
    } else if (!strcmp(sub, "explain")) {
        const rule *r = optind + 1 < argc ? rule_set_find(&rs, argv[optind + 1]) : NULL;
        if (optind + 1 >= argc)
            rc = usage_error("rules", "explain needs a RULE-ID");
        else if (!r)
            rc = usage_error("rules", "unknown rule '%s' (see 'stackaudit rules list')", argv[optind + 1]);
        else
            rc = explain(r);
    } else {
        rc = usage_error("rules", "unknown subcommand '%s' (list, explain)", sub);
    }
    diag_list_free(&d);
    rule_set_free(&rs);
    free(dirs);
    return rc;
}
