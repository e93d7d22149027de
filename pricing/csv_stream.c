/* csv_stream.c - push CSV tokenizer; see csv_stream.h.
 *
 * The hot path is the quoted field (every non-empty field of an AWS offer
 * file is quoted): memchr finds the closing quote, the run is copied once. */
#include "csv_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

enum state {
    ST_FIELD_START, /* at the start of a field */
    ST_UNQUOTED,    /* inside an unquoted field */
    ST_QUOTED,      /* inside a quoted field */
    ST_QUOTE,       /* just saw a '"' inside a quoted field */
    ST_CR           /* just ended a record on '\r'; swallow one '\n' */
};

struct csv_stream {
    csv_record_fn fn;
    void *ud;
    size_t max_record_bytes;
    size_t max_fields;

    enum state state;
    int bom_seen; /* bytes of the UTF-8 BOM matched so far; 3 = done */
    uint64_t line;       /* current line (1-based) */
    uint64_t rec_line;   /* line where the current record started */
    uint64_t quote_line; /* line where the current quoted field started */
    uint64_t bytes;
    int in_record;       /* anything seen since the last record ended */

    char *buf; /* field bytes of the current record, each NUL-terminated */
    size_t len, cap;
    size_t *starts; /* start offset of each completed field */
    size_t *lens;
    const char **ptrs;
    size_t nfields, fields_cap;
    size_t field_start;

    int failed;
    char error[256];
    uint64_t error_line;
};

csv_stream *csv_stream_new(csv_record_fn fn, void *ud, size_t max_record_bytes,
                           size_t max_fields)
{
    csv_stream *s = xcalloc(1, sizeof *s);
    s->fn = fn;
    s->ud = ud;
    s->max_record_bytes = max_record_bytes ? max_record_bytes : CSV_DEFAULT_MAX_RECORD_BYTES;
    s->max_fields = max_fields ? max_fields : CSV_DEFAULT_MAX_FIELDS;
    s->line = 1;
    s->rec_line = 1;
    s->cap = 4096;
    s->buf = xmalloc(s->cap);
    s->fields_cap = 128;
    s->starts = xmalloc(s->fields_cap * sizeof *s->starts);
    s->lens = xmalloc(s->fields_cap * sizeof *s->lens);
    s->ptrs = xmalloc(s->fields_cap * sizeof *s->ptrs);
    return s;
}

void csv_stream_free(csv_stream *s)
{
    if (!s)
        return;
    free(s->buf);
    free(s->starts);
    free(s->lens);
    free(s->ptrs);
    free(s);
}

const char *csv_error_message(const csv_stream *s)
{
    return s->error;
}

uint64_t csv_error_line(const csv_stream *s)
{
    return s->error_line;
}

uint64_t csv_bytes(const csv_stream *s)
{
    return s->bytes;
}

static csv_status fail(csv_stream *s, uint64_t line, const char *msg)
{
    s->failed = 1;
    s->error_line = line;
    snprintf(s->error, sizeof s->error, "%s", msg);
    return CSV_ERROR;
}

/* Room for n more bytes plus a NUL; fails past the record limit. */
static int reserve(csv_stream *s, size_t n)
{
    if (s->len + n + 1 <= s->cap)
        return 0;
    if (s->len + n + 1 > s->max_record_bytes + s->max_fields) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "record longer than %zu bytes (malformed CSV, or a quote that is never closed)",
                 s->max_record_bytes);
        fail(s, s->rec_line, msg);
        return -1;
    }
    size_t cap = s->cap;
    while (cap < s->len + n + 1)
        cap *= 2;
    s->buf = xrealloc(s->buf, cap);
    s->cap = cap;
    return 0;
}

static int append(csv_stream *s, const char *p, size_t n)
{
    if (reserve(s, n))
        return -1;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

static int end_field(csv_stream *s)
{
    if (s->nfields == s->fields_cap) {
        if (s->fields_cap >= s->max_fields) {
            char msg[128];
            snprintf(msg, sizeof msg, "record has more than %zu fields", s->max_fields);
            fail(s, s->rec_line, msg);
            return -1;
        }
        s->fields_cap *= 2;
        s->starts = xrealloc(s->starts, s->fields_cap * sizeof *s->starts);
        s->lens = xrealloc(s->lens, s->fields_cap * sizeof *s->lens);
        s->ptrs = xrealloc(s->ptrs, s->fields_cap * sizeof *s->ptrs);
    }
    if (reserve(s, 0))
        return -1;
    s->starts[s->nfields] = s->field_start;
    s->lens[s->nfields] = s->len - s->field_start;
    s->nfields++;
    s->buf[s->len++] = '\0';
    s->field_start = s->len;
    return 0;
}

/* Emits the completed record (an empty line is skipped). */
static csv_status end_record(csv_stream *s)
{
    csv_status st = CSV_OK;
    if (!(s->nfields == 1 && s->lens[0] == 0 && s->buf[0] == '\0' && !s->in_record)) {
        for (size_t i = 0; i < s->nfields; i++)
            s->ptrs[i] = s->buf + s->starts[i];
        csv_record rec = {s->rec_line, s->nfields, s->ptrs, s->lens};
        if (s->fn(s->ud, &rec) != 0)
            st = CSV_STOPPED;
    }
    s->len = 0;
    s->nfields = 0;
    s->field_start = 0;
    s->in_record = 0;
    return st;
}

#define TRY(expr)                                                                             \
    do {                                                                                      \
        if ((expr) != 0)                                                                      \
            return CSV_ERROR;                                                                 \
    } while (0)

static csv_status process(csv_stream *s, const char *p, const char *end)
{
    csv_status st;
    while (p < end) {
        switch (s->state) {
        case ST_CR:
            s->state = ST_FIELD_START;
            if (*p == '\n')
                p++;
            break;
        case ST_FIELD_START:
            if (s->nfields == 0 && s->len == 0)
                s->rec_line = s->line;
            if (*p == '"') {
                s->state = ST_QUOTED;
                s->quote_line = s->line;
                s->in_record = 1;
                p++;
                break;
            }
            s->state = ST_UNQUOTED;
            /* fall through */
        case ST_UNQUOTED: {
            const char *run = p;
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                p++;
            if (p > run) {
                s->in_record = 1;
                TRY(append(s, run, (size_t)(p - run)));
            }
            if (p == end)
                break;
            TRY(end_field(s));
            if (*p == ',') {
                s->in_record = 1;
                s->state = ST_FIELD_START;
                p++;
                break;
            }
            s->state = *p == '\r' ? ST_CR : ST_FIELD_START;
            p++;
            s->line++;
            if ((st = end_record(s)) != CSV_OK)
                return st;
            break;
        }
        case ST_QUOTED: {
            const char *q = memchr(p, '"', (size_t)(end - p));
            const char *run_end = q ? q : end;
            for (const char *nl = p; (nl = memchr(nl, '\n', (size_t)(run_end - nl))) != NULL; nl++)
                s->line++;
            TRY(append(s, p, (size_t)(run_end - p)));
            if (!q)
                return CSV_OK;
            p = q + 1;
            s->state = ST_QUOTE;
            break;
        }
        case ST_QUOTE:
            if (*p == '"') {
                TRY(append(s, "\"", 1));
                s->state = ST_QUOTED;
                p++;
            } else if (*p == ',') {
                TRY(end_field(s));
                s->state = ST_FIELD_START;
                p++;
            } else if (*p == '\n' || *p == '\r') {
                TRY(end_field(s));
                s->state = *p == '\r' ? ST_CR : ST_FIELD_START;
                p++;
                s->line++;
                if ((st = end_record(s)) != CSV_OK)
                    return st;
            } else {
                /* lazy quote: a stray '"' inside a quoted field is literal */
                TRY(append(s, "\"", 1));
                s->state = ST_QUOTED;
            }
            break;
        }
    }
    return CSV_OK;
}

csv_status csv_feed(csv_stream *s, const char *data, size_t len)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    if (s->failed)
        return CSV_ERROR;
    s->bytes += len;
    const char *p = data, *end = data + len;
    while (s->bom_seen < 3 && p < end) {
        if ((unsigned char)*p == bom[s->bom_seen]) {
            s->bom_seen++;
            p++;
            continue;
        }
        int matched = s->bom_seen;
        s->bom_seen = 3;
        if (matched) { /* not a BOM after all: those bytes are data */
            csv_status st = process(s, (const char *)bom, (const char *)bom + matched);
            if (st != CSV_OK)
                return st;
        }
    }
    return process(s, p, end);
}

csv_status csv_finish(csv_stream *s)
{
    if (s->failed)
        return CSV_ERROR;
    if (s->bom_seen > 0 && s->bom_seen < 3) {
        int matched = s->bom_seen;
        s->bom_seen = 3;
        csv_status st = csv_feed(s, "\xEF\xBB", (size_t)matched);
        s->bytes -= (uint64_t)matched;
        if (st != CSV_OK)
            return st;
    }
    switch (s->state) {
    case ST_QUOTED: {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "the input ends inside the quoted field that starts on line %llu "
                 "(truncated file?)",
                 (unsigned long long)s->quote_line);
        return fail(s, s->quote_line, msg);
    }
    case ST_QUOTE:
    case ST_UNQUOTED:
        TRY(end_field(s));
        return end_record(s);
    case ST_FIELD_START:
        if (s->nfields > 0) { /* "a,b," then EOF: the last field is empty */
            TRY(end_field(s));
            return end_record(s);
        }
        return CSV_OK;
    case ST_CR:
        return CSV_OK;
    }
    return CSV_OK;
}
