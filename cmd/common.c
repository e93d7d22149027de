/* common.c - shared option handling and diagnostics output; see common.h. */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

void input_args_init(input_args *a)
{
    memset(a, 0, sizeof *a);
    a->scan = scan_options_default();
}

void input_args_free(input_args *a)
{
    free(a->excludes);
    a->excludes = NULL;
    a->nexcludes = 0;
}

bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return false;
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024ULL, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1024ULL * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1024ULL * 1024 * 1024, end++;
    if (*end && strcmp(end, "B") && strcmp(end, "iB"))
        return false;
    *out = (size_t)(v * mul);
    return true;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "stackaudit %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'stackaudit %s --help'.\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

int input_args_option(input_args *a, int opt, const char *arg, const char *cmd)
{
    size_t v;
    switch (opt) {
    case OPT_EXCLUDE:
        a->excludes = xrealloc(a->excludes, (a->nexcludes + 1) * sizeof(char *));
        a->excludes[a->nexcludes++] = arg;
        a->scan.walk.excludes = a->excludes;
        a->scan.walk.nexcludes = a->nexcludes;
        return 1;
    case OPT_MAX_DEPTH:
    case OPT_MAX_NODES:
    case OPT_MAX_FILE_SIZE:
        if (!parse_size(arg, &v) || v == 0) {
            usage_error(cmd, "invalid value '%s' for a limit (a positive number)", arg);
            return -1;
        }
        if (opt == OPT_MAX_DEPTH)
            a->scan.load.limits.max_depth = v;
        else if (opt == OPT_MAX_NODES)
            a->scan.load.limits.max_nodes = v;
        else
            a->scan.load.limits.max_file_size = v;
        return 1;
    case OPT_NO_ENV:
        a->scan.load.use_environment = false;
        return 1;
    case 'j':
        if (!parse_size(arg, &v) || v == 0 || v > 1024) {
            usage_error(cmd, "invalid value '%s' for --jobs (1..1024)", arg);
            return -1;
        }
        a->scan.threads = (int)v;
        return 1;
    case 'v':
        a->verbose = true;
        return 1;
    default:
        return 0;
    }
}

static bool print_list(FILE *out, const diag_list *d, bool verbose)
{
    bool err = false;
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].level == DIAG_NOTE && !verbose)
            continue;
        diag_print(out, &d->items[i]);
        err |= d->items[i].level == DIAG_ERROR;
    }
    return err;
}

bool print_scan_diagnostics(FILE *out, const scan_result *r, bool verbose)
{
    bool err = print_list(out, &r->diags, verbose);
    for (size_t i = 0; i < r->count; i++) {
        const input_file *in = r->inputs[i];
        err |= print_list(out, &in->diags, verbose);
        if (verbose && in->skip_reason && !in->failed)
            fprintf(out, "%s: note: skipped: %s\n", in->path, in->skip_reason);
    }
    return err;
}
