/* model_load.c - what building stackaudit's model costs, without printing
 * it: calls input_load() (read, check, detect, parse to the document tree
 * and, with -e, build the entities) on each file, one thread, and frees it.
 * It is the number to set against bench/yaml_baseline; `stackaudit inspect`
 * adds walking, threads and JSON output on top.
 *
 *   model_load [-e] [-q] [-l LIST]... [FILE]...
 *
 * -e builds entities too (like `inspect`; without it, like `inspect --tree`).
 * LIST holds one path per line. Prints one summary line on stdout:
 *
 *   files=N bytes=B documents=D entities=E warnings=W failed=F skipped=S
 *   seconds=T mb_per_s=M
 *
 * (MB = 10^6 bytes; seconds cover loading only, not process start). A file
 * that fails is reported on stderr with its first error diagnostic (unless
 * -q). Exit status: 0 when every file loaded, 1 when some failed or were
 * skipped, 2 on a usage error. Built by bench/run.sh against the
 * libstackaudit.a next to the binary being measured. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analyzers/input.h"

typedef struct totals {
    uint64_t files, bytes, documents, entities, warnings, failed, skipped;
} totals;

static bool quiet;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load_one(const char *path, const load_options *opts, totals *t)
{
    struct stat st;
    t->files++;
    if (stat(path, &st) == 0)
        t->bytes += (uint64_t)st.st_size;
    input_file *in = input_load(path, opts);
    t->documents += in->docs.count;
    t->entities += in->entities.count;
    t->warnings += diag_count(&in->diags, DIAG_WARNING);
    if (in->failed) {
        t->failed++;
        for (size_t i = 0; !quiet && i < in->diags.count; i++) {
            const diag *d = &in->diags.items[i];
            if (d->level == DIAG_ERROR) {
                fprintf(stderr, "%s:%d:%d: %s\n", path, (int)d->line, (int)d->col, d->message);
                break;
            }
        }
    } else if (in->skip_reason) {
        t->skipped++;
        if (!quiet)
            fprintf(stderr, "%s: skipped: %s\n", path, in->skip_reason);
    }
    input_free(in);
}

static bool load_list(const char *list, const load_options *opts, totals *t)
{
    FILE *f = fopen(list, "r");
    if (!f) {
        fprintf(stderr, "model_load: cannot open list %s: %s\n", list, strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) != -1) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            load_one(line, opts, t);
    }
    free(line);
    fclose(f);
    return true;
}

int main(int argc, char **argv)
{
    load_options opts = load_options_default();
    opts.build_entities = false;
    for (int i = 1; i < argc; i++) /* options first: -e changes every load */
        if (strcmp(argv[i], "-e") == 0)
            opts.build_entities = true;
        else if (strcmp(argv[i], "-q") == 0)
            quiet = true;
    totals t = {0};
    bool usage_ok = true;
    double start = now_seconds();
    for (int i = 1; i < argc && usage_ok; i++) {
        if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "-q") == 0)
            continue;
        if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
            usage_ok = load_list(argv[++i], &opts, &t);
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "usage: model_load [-e] [-q] [-l LIST]... [FILE]...\n");
            usage_ok = false;
        } else
            load_one(argv[i], &opts, &t);
    }
    double seconds = now_seconds() - start;
    if (!usage_ok)
        return 2;
    printf("files=%llu bytes=%llu documents=%llu entities=%llu warnings=%llu failed=%llu "
           "skipped=%llu seconds=%.6f mb_per_s=%.2f\n",
           (unsigned long long)t.files, (unsigned long long)t.bytes,
           (unsigned long long)t.documents, (unsigned long long)t.entities,
           (unsigned long long)t.warnings, (unsigned long long)t.failed,
           (unsigned long long)t.skipped, seconds,
           seconds > 0 ? (double)t.bytes / 1e6 / seconds : 0.0);
    return t.failed || t.skipped ? 1 : 0;
}
