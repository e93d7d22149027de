/* yaml_baseline.c - the floor the benchmark compares stackaudit against: read
 * each YAML file and run libyaml's event parser (yaml_parser_parse) to the
 * end of the stream, building nothing.
 *
 *   yaml_baseline [-q] [-l LIST]... [FILE]...
 *
 * LIST holds one path per line (empty lines ignored). Prints one summary line
 * on stdout:
 *
 *   files=N bytes=B documents=D events=E errors=X seconds=S mb_per_s=M
 *
 * (MB = 10^6 bytes; seconds cover reading and parsing, not process start).
 * A file that cannot be read or parsed is reported on stderr as
 * PATH:LINE:COL: PROBLEM (unless -q) and the run goes on. Exit status: 0 when
 * every file parsed, 1 when some did not, 2 on a usage error or unreadable
 * list. Built by bench/run.sh with: cc -O2 bench/yaml_baseline.c $(pkg-config
 * --cflags --libs yaml-0.1). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

typedef struct totals {
    uint64_t files, bytes, documents, events, errors;
} totals;

typedef struct buffer {
    unsigned char *data;
    size_t len, cap;
} buffer;

static bool quiet;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool read_file(const char *path, buffer *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    buf->len = 0;
    for (;;) {
        if (buf->cap - buf->len < 65536) {
            size_t cap = buf->cap ? buf->cap * 2 : 1 << 20;
            unsigned char *p = realloc(buf->data, cap);
            if (!p) {
                fclose(f);
                errno = ENOMEM;
                return false;
            }
            buf->data = p;
            buf->cap = cap;
        }
        size_t n = fread(buf->data + buf->len, 1, buf->cap - buf->len, f);
        buf->len += n;
        if (n == 0)
            break;
    }
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

/* Parses one file's bytes to the end of the stream; false on a YAML error. */
static bool parse_events(const char *path, const buffer *buf, totals *t)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "%s: out of memory initializing libyaml\n", path);
        return false;
    }
    yaml_parser_set_input_string(&parser, buf->data, buf->len);
    bool ok = true;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            if (!quiet)
                fprintf(stderr, "%s:%zu:%zu: %s%s%s\n", path, parser.problem_mark.line + 1,
                        parser.problem_mark.column + 1, parser.problem ? parser.problem : "error",
                        parser.context ? " " : "", parser.context ? parser.context : "");
            ok = false;
            break;
        }
        t->events++;
        if (event.type == YAML_DOCUMENT_START_EVENT)
            t->documents++;
        yaml_event_type_t type = event.type;
        yaml_event_delete(&event);
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&parser);
    return ok;
}

static void run_file(const char *path, buffer *buf, totals *t)
{
    t->files++;
    if (!read_file(path, buf)) {
        if (!quiet)
            fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        t->errors++;
        return;
    }
    t->bytes += buf->len;
    if (!parse_events(path, buf, t))
        t->errors++;
}

static bool run_list(const char *list, buffer *buf, totals *t)
{
    FILE *f = fopen(list, "r");
    if (!f) {
        fprintf(stderr, "yaml_baseline: cannot open list %s: %s\n", list, strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) != -1) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            run_file(line, buf, t);
    }
    free(line);
    fclose(f);
    return true;
}

int main(int argc, char **argv)
{
    totals t = {0};
    buffer buf = {0};
    bool usage_ok = true;
    double start = now_seconds();
    for (int i = 1; i < argc && usage_ok; i++) {
        if (strcmp(argv[i], "-q") == 0)
            quiet = true;
        else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
            usage_ok = run_list(argv[++i], &buf, &t);
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "usage: yaml_baseline [-q] [-l LIST]... [FILE]...\n");
            usage_ok = false;
        } else
            run_file(argv[i], &buf, &t);
    }
    double seconds = now_seconds() - start;
    free(buf.data);
    if (!usage_ok)
        return 2;
    printf("files=%llu bytes=%llu documents=%llu events=%llu errors=%llu seconds=%.6f "
           "mb_per_s=%.2f\n",
           (unsigned long long)t.files, (unsigned long long)t.bytes,
           (unsigned long long)t.documents, (unsigned long long)t.events,
           (unsigned long long)t.errors, seconds,
           seconds > 0 ? (double)t.bytes / 1e6 / seconds : 0.0);
    return t.errors ? 1 : 0;
}
