/* pricing.h - what the `stackaudit pricing` subcommands share
 * (cmd/pricing.c, pricing_update.c, pricing_status.c, pricing_show.c): one
 * option parser driven by a per-subcommand description, the catalog
 * opener and diagnostics printing. Internal to cmd/.
 *
 * Guarantees: every subcommand gets the same treatment of -h/--help
 * (its help on stdout, exit 0), of unknown options and bad --format values
 * (a usage error naming the subcommand, exit 2) and of extra operands;
 * the getopt_long table of a subcommand holds exactly the options it
 * lists, in its order, so abbreviations resolve as they always did. */
#ifndef SA_CMD_PRICING_H
#define SA_CMD_PRICING_H

#include <stdio.h>

#include "cmd/common.h"
#include "core/diag.h"
#include "pricing/catalog.h"

enum pricing_option_id {
    OPT_PRICING_DB = OPT_FIRST_COMMAND_OPTION,
    OPT_SERVICE,
    OPT_REGION,
    OPT_URL,
    OPT_FILE,
    OPT_MAX_SIZE_DL,
    OPT_CONNECT_TIMEOUT,
    OPT_TIMEOUT,
    OPT_RETRIES,
    OPT_NO_PROGRESS,
    OPT_FORMAT,
    OPT_COMPONENT,
    OPT_OUTPUT
};

/* What --format asked for; FORMAT_UNSET when it was not given. */
typedef enum pricing_format {
    FORMAT_UNSET = -1,
    FORMAT_TEXT,
    FORMAT_JSON,
    FORMAT_CSV
} pricing_format;

/* The options the shared parser stores (the ones a subcommand's own
 * handler did not take). */
typedef struct pricing_args {
    const char *db_path;   /* --pricing-db, NULL: the default path */
    pricing_filter filter; /* --service, --region, --component */
    pricing_format format; /* --format */
    const char *output;    /* --output */
} pricing_args;

/* Results of a subcommand's own option handler. */
enum { OPTION_TAKEN, OPTION_INVALID, OPTION_NOT_MINE };

/* One subcommand as the parser sees it. */
typedef struct pricing_command {
    const char *name;    /* for messages: "pricing status" */
    const char *options; /* its long options, space-separated, in table order */
    const char *formats; /* what --format accepts: "text or json", "csv" */
    int operands;        /* 0: any operand is an error; else checked by the caller */
    const char *help;    /* printed for -h/--help, then help_tail if set */
    void (*help_tail)(FILE *out);
    /* Optional: takes an option first; OPTION_INVALID after printing the
     * usage error, OPTION_NOT_MINE to leave it to the shared parser. */
    int (*option)(void *ud, int opt, const char *arg);
    void *ud;
} pricing_command;

/* Parses argv[1..] (getopt_long, from optind 1). Returns -1 when the
 * subcommand should run (optind at the first operand), EXIT_CLEAN after
 * printing the help, EXIT_USAGE after printing a usage error. */
int pricing_parse_args(const pricing_command *c, int argc, char **argv, pricing_args *args);

/* Prints every diagnostic to stderr. */
void pricing_print_diags(const diag_list *d);

/* Opens the catalog (NULL: the default path), printing its warnings and
 * errors (not its notes); NULL when it cannot be used. */
pricing_catalog *pricing_open_catalog(const char *db_path);

/* The subcommands; argv[0] is the subcommand's name. */
int pricing_update_main(int argc, char **argv);
int pricing_status_main(int argc, char **argv);
int pricing_show_main(int argc, char **argv);
int pricing_export_main(int argc, char **argv);

#endif
