/* pricing.c - `stackaudit pricing update|status|show|export`: build,
 * refresh and inspect the local AWS price catalog (pricing/catalog.h,
 * pricing/update.h; user documentation in docs/pricing.md).
 *
 * This file holds the dispatch to the subcommands (pricing_update.c,
 * pricing_status.c, pricing_show.c) and what they share (pricing.h): the
 * option table, the option parser, opening the catalog.
 *
 * Exit codes: 0 done (also "unchanged"), 2 usage errors and failed updates
 * (network, HTTP, CSV, cache directory: the previous catalog is kept),
 * 3 internal failures. */
#include "cmd/pricing.h"

#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "cmd/commands.h"

static const char pricing_help[] =
    "Usage: stackaudit pricing COMMAND [OPTIONS]\n\n"
    "Build, refresh and inspect the local AWS price catalog (an SQLite file at\n"
    "$XDG_CACHE_HOME/stackaudit/pricing.db, or ~/.cache/stackaudit/pricing.db).\n"
    "It starts as the price list built into stackaudit, so cost estimates work\n"
    "offline; 'update' refreshes it from the official AWS price-list files.\n\n"
    "Commands:\n"
    "  update   download or read AWS offer files into the catalog\n"
    "  status   where the catalog is, its age, sources and rows per service/region\n"
    "  show     the prices of one resource (m5.large, db.t3.micro, ebs-gp3 ...)\n"
    "  export   every price as CSV\n\n"
    "Run 'stackaudit pricing COMMAND --help' for a command's options.\n"
    "Documentation: docs/pricing.md\n";

/* --- options ------------------------------------------------------------- */

/* Every long option of the pricing subcommands, once; a subcommand's
 * getopt_long table is the subset its pricing_command names. */
static const struct option all_options[] = {
    {"service", required_argument, NULL, OPT_SERVICE},
    {"region", required_argument, NULL, OPT_REGION},
    {"url", required_argument, NULL, OPT_URL},
    {"file", required_argument, NULL, OPT_FILE},
    {"pricing-db", required_argument, NULL, OPT_PRICING_DB},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE_DL},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"component", required_argument, NULL, OPT_COMPONENT},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
};
#define OPTION_COUNT (sizeof all_options / sizeof *all_options)

/* Fills table (OPTION_COUNT + 1 entries) with the options named in names,
 * in that order, and shortopts with the short forms among them. */
static void build_option_table(const char *names, struct option *table, char *shortopts)
{
    size_t n = 0, nshort = 0;
    const char *p = names;
    while (*p) {
        size_t len = strcspn(p, " ");
        for (size_t i = 0; i < OPTION_COUNT; i++) {
            const struct option *o = &all_options[i];
            if (strlen(o->name) != len || strncmp(o->name, p, len) != 0)
                continue;
            table[n++] = *o;
            if (o->val < 256)
                shortopts[nshort++] = (char)o->val;
        }
        p += len;
        p += strspn(p, " ");
    }
    table[n] = (struct option){NULL, 0, NULL, 0};
    shortopts[nshort] = '\0';
}

static bool parse_format(const pricing_command *c, const char *arg, pricing_format *out)
{
    static const struct {
        const char *name;
        pricing_format format;
    } formats[] = {{"text", FORMAT_TEXT}, {"json", FORMAT_JSON}, {"csv", FORMAT_CSV}};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(arg, formats[i].name) == 0 && strstr(c->formats, formats[i].name)) {
            *out = formats[i].format;
            return true;
        }
    usage_error(c->name, "unknown --format '%s' (%s)", arg, c->formats);
    return false;
}

/* The options the subcommand's own handler left. */
static int shared_option(const pricing_command *c, int opt, const char *arg, pricing_args *args)
{
    switch (opt) {
    case OPT_PRICING_DB:
        args->db_path = arg;
        return OPTION_TAKEN;
    case OPT_SERVICE:
        args->filter.service = arg;
        return OPTION_TAKEN;
    case OPT_REGION:
        args->filter.region = arg;
        return OPTION_TAKEN;
    case OPT_COMPONENT:
        args->filter.component = arg;
        return OPTION_TAKEN;
    case OPT_OUTPUT:
        args->output = arg;
        return OPTION_TAKEN;
    case OPT_FORMAT:
        return parse_format(c, arg, &args->format) ? OPTION_TAKEN : OPTION_INVALID;
    default:
        usage_error(c->name, "unknown option");
        return OPTION_INVALID;
    }
}

int pricing_parse_args(const pricing_command *c, int argc, char **argv, pricing_args *args)
{
    struct option table[OPTION_COUNT + 1];
    char shortopts[OPTION_COUNT + 1];
    build_option_table(c->options, table, shortopts);
    *args = (pricing_args){.format = FORMAT_UNSET};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, shortopts, table, NULL)) != -1) {
        if (opt == 'h') {
            fputs(c->help, stdout);
            if (c->help_tail)
                c->help_tail(stdout);
            return EXIT_CLEAN;
        }
        int taken = c->option ? c->option(c->ud, opt, optarg) : OPTION_NOT_MINE;
        if (taken == OPTION_NOT_MINE)
            taken = shared_option(c, opt, optarg, args);
        if (taken == OPTION_INVALID)
            return EXIT_USAGE;
    }
    if (c->operands == 0 && optind < argc)
        return usage_error(c->name, "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* --- catalog and diagnostics ------------------------------------------- */

void pricing_print_diags(const diag_list *d)
{
    for (size_t i = 0; i < d->count; i++)
        diag_print(stderr, &d->items[i]);
}

pricing_catalog *pricing_open_catalog(const char *db_path)
{
    diag_list diags;
    diag_list_init(&diags);
    pricing_catalog *cat = pricing_catalog_open(db_path, &diags);
    for (size_t i = 0; i < diags.count; i++)
        if (diags.items[i].level != DIAG_NOTE)
            diag_print(stderr, &diags.items[i]);
    diag_list_free(&diags);
    return cat;
}

/* --- dispatch ----------------------------------------------------------- */

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    {"update", pricing_update_main},
    {"status", pricing_status_main},
    {"show", pricing_show_main},
    {"export", pricing_export_main},
};

int cmd_pricing(int argc, char **argv)
{
    if (argc < 2) {
        fputs(pricing_help, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
        fputs(pricing_help, stdout);
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (!strcmp(sub, subcommands[i].name))
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "stackaudit pricing: unknown command '%s'\n\n", sub);
    fputs(pricing_help, stderr);
    return EXIT_USAGE;
}
