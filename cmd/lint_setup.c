/* lint_setup.c - option parsing and rule/config/baseline preparation for
 * lint-like commands; see lint_setup.h. */
#include "cmd/lint_setup.h"

#include <stdlib.h>
#include <string.h>

static void print_diags(diag_list *d)
{
    for (size_t i = 0; i < d->count; i++)
        diag_print(stderr, &d->items[i]);
}

static int find_rule_or_fail(const lint_setup *s, const char *id, const char *cmd, const char *what)
{
    for (size_t i = 0; i < s->rules.count; i++)
        if (!strcmp(s->rules.items[i]->id, id))
            return (int)i;
    usage_error(cmd, "unknown rule '%s' in %s (see 'stackaudit rules list')", id, what);
    return -1;
}

int lint_setup_parse(lint_setup *s, int argc, char **argv, const char *cmd, const char *help)
{
    enum {
        OPT_FORMAT = OPT_FIRST_COMMAND_OPTION,
        OPT_FAIL_ON,
        OPT_SEVERITY,
        OPT_RULE,
        OPT_SKIP_RULE,
        OPT_RULES,
        OPT_CONFIG,
        OPT_NO_CONFIG,
        OPT_BASELINE,
        OPT_WRITE_BASELINE
    };
    static const struct option longopts[] = {
        COMMON_INPUT_OPTIONS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"severity", required_argument, NULL, OPT_SEVERITY},
        {"rule", required_argument, NULL, OPT_RULE},
        {"skip-rule", required_argument, NULL, OPT_SKIP_RULE},
        {"rules", required_argument, NULL, OPT_RULES},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
        {NULL, 0, NULL, 0},
    };
    memset(s, 0, sizeof *s);
    input_args_init(&s->args);
    rule_set_init(&s->rules);
    s->fail_on = SEV_HIGH;
    s->min_sev = SEV_INFO;
    const char **only = xcalloc((size_t)argc + 1, sizeof(char *)), **skip = xcalloc((size_t)argc + 1, sizeof(char *));
    const char **rule_dirs = xcalloc((size_t)argc + 1, sizeof(char *));
    size_t nonly = 0, nskip = 0, ndirs = 0;
    const char *config_path = NULL, *baseline_path = NULL;
    bool no_config = false, fail_on_given = false;
    int rc = -1, opt;
    optind = 1;
    while (rc < 0 && (opt = getopt_long(argc, argv, "j:vh", longopts, NULL)) != -1) {
        int r = input_args_option(&s->args, opt, optarg, cmd);
        if (r < 0) {
            rc = EXIT_USAGE;
            break;
        }
        if (r > 0)
            continue;
        switch (opt) {
        case OPT_FORMAT:
            if (!strcmp(optarg, "json"))
                s->json = true;
            else if (strcmp(optarg, "text"))
                rc = usage_error(cmd, "unknown format '%s' (text or json)", optarg);
            break;
        case OPT_FAIL_ON:
        case OPT_SEVERITY:
            if (!severity_parse(optarg, opt == OPT_FAIL_ON ? &s->fail_on : &s->min_sev))
                rc = usage_error(cmd, "unknown severity '%s' (critical, high, medium, low, info)", optarg);
            fail_on_given |= opt == OPT_FAIL_ON;
            break;
        case OPT_RULE:
            only[nonly++] = optarg;
            break;
        case OPT_SKIP_RULE:
            skip[nskip++] = optarg;
            break;
        case OPT_RULES:
            rule_dirs[ndirs++] = optarg;
            break;
        case OPT_CONFIG:
            config_path = optarg;
            break;
        case OPT_NO_CONFIG:
            no_config = true;
            break;
        case OPT_BASELINE:
            baseline_path = optarg;
            break;
        case OPT_WRITE_BASELINE:
            s->write_baseline = optarg;
            break;
        case 'h':
            fputs(help, stdout);
            rc = EXIT_CLEAN;
            break;
        default:
            rc = usage_error(cmd, "unknown option");
            break;
        }
    }
    static const char *dot[] = {"."};
    if (rc < 0) {
        s->paths = optind < argc ? (const char **)argv + optind : dot;
        s->npaths = optind < argc ? (size_t)(argc - optind) : 1;
    }

    diag_list d;
    diag_list_init(&d);
    if (rc < 0 && !no_config) {
        bool ok = config_path ? config_load(config_path, &s->cfg, &d)
                              : config_find_and_load(s->paths[0], &s->cfg, &d);
        if (!ok) {
            print_diags(&d);
            rc = EXIT_USAGE;
        }
    }
    if (rc < 0) {
        if (!rule_set_load_builtin(&s->rules, &d)) {
            print_diags(&d);
            fprintf(stderr, "stackaudit %s: the built-in rules failed to load (a bug)\n", cmd);
            rc = EXIT_INTERNAL;
        }
    }
    if (rc < 0) {
        for (size_t i = 0; i < s->cfg.nrule_dirs; i++)
            s->rule_errors |= !rule_set_load_path(&s->rules, s->cfg.rule_dirs[i], &d);
        for (size_t i = 0; i < ndirs; i++)
            s->rule_errors |= !rule_set_load_path(&s->rules, rule_dirs[i], &d);
        print_diags(&d);
        rule_set_sort(&s->rules);
        s->enabled = xcalloc(s->rules.count + 1, sizeof(bool));
        s->found_as = xcalloc(s->rules.count + 1, sizeof(finding_rule));
        for (size_t i = 0; i < s->rules.count; i++) {
            s->enabled[i] = nonly == 0;
            s->found_as[i] = s->rules.items[i]->found_as;
        }
        for (size_t i = 0; i < nonly && rc < 0; i++) {
            int k = find_rule_or_fail(s, only[i], cmd, "--rule");
            if (k < 0)
                rc = EXIT_USAGE;
            else
                s->enabled[k] = true;
        }
        for (size_t i = 0; i < nskip && rc < 0; i++) {
            int k = find_rule_or_fail(s, skip[i], cmd, "--skip-rule");
            if (k < 0)
                rc = EXIT_USAGE;
            else
                s->enabled[k] = false;
        }
        for (size_t i = 0; i < s->cfg.ndisable && rc < 0; i++) {
            int k = find_rule_or_fail(s, s->cfg.disable[i], cmd, s->cfg.path);
            if (k < 0)
                rc = EXIT_USAGE;
            else
                s->enabled[k] = false;
        }
        for (size_t i = 0; i < s->cfg.nseverity && rc < 0; i++) {
            int k = find_rule_or_fail(s, s->cfg.severity[i].id, cmd, s->cfg.path);
            if (k < 0)
                rc = EXIT_USAGE;
            else
                s->found_as[k].sev = s->cfg.severity[i].sev;
        }
        if (s->cfg.has_fail_on && !fail_on_given)
            s->fail_on = s->cfg.fail_on;
        s->lopts.enabled = s->enabled;
        s->lopts.found_as = s->found_as;
        /* config excludes join --exclude */
        size_t nex = s->args.nexcludes + s->cfg.nexclude;
        s->excludes = xcalloc(nex + 1, sizeof(char *));
        for (size_t i = 0; i < s->args.nexcludes; i++)
            s->excludes[i] = s->args.excludes[i];
        for (size_t i = 0; i < s->cfg.nexclude; i++)
            s->excludes[s->args.nexcludes + i] = s->cfg.exclude[i];
        s->args.scan.walk.excludes = s->excludes;
        s->args.scan.walk.nexcludes = nex;
    }
    if (rc < 0 && baseline_path) {
        diag_list bd;
        diag_list_init(&bd);
        if (!baseline_load(baseline_path, &s->base, &bd)) {
            print_diags(&bd);
            rc = EXIT_USAGE;
        } else {
            s->has_baseline = true;
        }
        diag_list_free(&bd);
    }
    diag_list_free(&d);
    free(only);
    free(skip);
    free(rule_dirs);
    if (rc >= 0)
        lint_setup_free(s);
    return rc;
}

void lint_setup_free(lint_setup *s)
{
    free(s->enabled);
    free(s->found_as);
    free(s->excludes);
    s->enabled = NULL;
    s->found_as = NULL;
    s->excludes = NULL;
    baseline_free(&s->base);
    rule_set_free(&s->rules);
    config_free(&s->cfg);
    input_args_free(&s->args);
}
