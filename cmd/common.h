/* common.h - what every subcommand shares: options for reading inputs,
 * printing diagnostics, exit codes.
 *
 * Exit codes (DESIGN.md): 0 nothing at/above the threshold, 1 findings
 * at/above --fail-on, 2 usage or input errors, 3 internal failure. */
#ifndef SA_CMD_COMMON_H
#define SA_CMD_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "analyzers/scan.h"

enum {
    EXIT_CLEAN = 0,
    EXIT_FINDINGS = 1,
    EXIT_USAGE = 2, /* also: input files that could not be read or parsed */
    EXIT_INTERNAL = 3
};

/* Long-option ids of the shared input options (above any short option). */
enum {
    OPT_EXCLUDE = 1000,
    OPT_MAX_DEPTH,
    OPT_MAX_NODES,
    OPT_MAX_FILE_SIZE,
    OPT_NO_ENV,
    OPT_FIRST_COMMAND_OPTION = 1100
};

#define COMMON_INPUT_OPTIONS                                                                  \
    {"exclude", required_argument, NULL, OPT_EXCLUDE},                                        \
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},                                \
        {"max-nodes", required_argument, NULL, OPT_MAX_NODES},                                \
        {"max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE},                        \
        {"no-env", no_argument, NULL, OPT_NO_ENV}, {"jobs", required_argument, NULL, 'j'},    \
        {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'}

#define COMMON_INPUT_HELP                                                                     \
    "Input options:\n"                                                                        \
    "  -j, --jobs N          worker threads (default: number of cores)\n"                     \
    "      --exclude GLOB    skip files/directories matching GLOB (repeatable)\n"             \
    "      --max-depth N     nesting limit per document (default 256)\n"                      \
    "      --max-nodes N     node limit after YAML alias expansion (default 1000000)\n"       \
    "      --max-file-size N file size limit, with optional K/M/G suffix (default 64M)\n"     \
    "      --no-env          do not read the process environment for compose ${VAR}s\n"      \
    "  -v, --verbose         also show skipped files and why\n"                               \
    "  -h, --help            show this help\n"

typedef struct input_args {
    scan_options scan;
    const char **excludes;
    size_t nexcludes;
    bool verbose;
} input_args;

void input_args_init(input_args *a);
void input_args_free(input_args *a);
/* Handles a shared option; returns 1 if handled, 0 if not one of ours,
 * -1 on a bad value (message printed). */
int input_args_option(input_args *a, int opt, const char *arg, const char *cmd);
/* Prints "stackaudit CMD: msg" and the hint to use --help; returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints every diagnostic of the scan (notes and skip reasons only when
 * verbose) to out in input order; returns true if any error was printed. */
bool print_scan_diagnostics(FILE *out, const scan_result *r, bool verbose);
/* Parses "123", "64K", "64M", "1G" into bytes/count. */
bool parse_size(const char *s, size_t *out);

#endif
