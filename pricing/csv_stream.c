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
    uint64_t line;       /* line after the last complete record (1-based) */
    uint64_t rec_line;   /* line where the current record started */
    uint64_t bytes;
    int in_record;       /* anything seen since the last record ended */

    char *buf; /* field bytes of the current record, each NUL-terminated */
    size_t len, cap;
    size_t *starts; /* start offset of each completed field */
    size_t *lens;
    const char **ptrs;
    size_t nfields, fields_cap;
    size_t field_start;

    csv_prefilter_fn prefilter;
    size_t prefilter_first; /* fields before the first call */
    size_t prefilter_next;  /* fields before the next call in this record */
    int skipping;           /* the prefilter skipped the current record */
    size_t stored;          /* fields stored before skipping */
    uint64_t skipped_breaks; /* line breaks inside quotes of a skipped record */
    uint64_t quote_line;     /* skipped_breaks when the current quoted field began */

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

void csv_stream_set_prefilter(csv_stream *s, csv_prefilter_fn fn, size_t after)
{
    s->prefilter = after ? fn : NULL;
    s->prefilter_first = after;
    s->prefilter_next = s->nfields == 0 ? after : 0;
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

/* Slow path of reserve: the record limit, then growth. */
static int grow(csv_stream *s, size_t n)
{
    /* the field bytes plus one NUL per field */
    if (s->len + n > s->max_record_bytes + s->nfields) {
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

/* Room for n more bytes plus a NUL. */
static inline int reserve(csv_stream *s, size_t n)
{
    if (s->len + n + 1 > s->cap || s->len + n > s->max_record_bytes + s->nfields)
        return grow(s, n);
    return 0;
}

static inline int append(csv_stream *s, const char *p, size_t n)
{
    if (reserve(s, n))
        return -1;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

static int grow_fields(csv_stream *s)
{
    if (s->nfields >= s->max_fields) {
        char msg[128];
        snprintf(msg, sizeof msg, "record has more than %zu fields", s->max_fields);
        fail(s, s->rec_line, msg);
        return -1;
    }
    s->fields_cap *= 2;
    s->starts = xrealloc(s->starts, s->fields_cap * sizeof *s->starts);
    s->lens = xrealloc(s->lens, s->fields_cap * sizeof *s->lens);
    s->ptrs = xrealloc(s->ptrs, s->fields_cap * sizeof *s->ptrs);
    return 0;
}

static inline int end_field(csv_stream *s)
{
    if ((s->nfields >= s->fields_cap || s->nfields >= s->max_fields) && grow_fields(s))
        return -1;
    if (reserve(s, 0))
        return -1;
    s->starts[s->nfields] = s->field_start;
    s->lens[s->nfields] = s->len - s->field_start;
    s->nfields++;
    s->buf[s->len++] = '\0';
    s->field_start = s->len;
    return 0;
}

/* Line breaks inside the quoted fields of the current record, before byte
 * offset upto of the record buffer. Counted once per record rather than
 * per field: they are rare. */
static uint64_t inner_breaks(const csv_stream *s, size_t upto)
{
    uint64_t n = 0;
    const char *q = s->buf, *e = s->buf + upto;
    while (q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
        n++;
        q++;
    }
    return n;
}

/* The current record as the callbacks see it: its first `stored` fields,
 * out of nfields. */
static csv_record current_record(csv_stream *s, size_t stored, int skipped)
{
    for (size_t i = 0; i < stored; i++)
        s->ptrs[i] = s->buf + s->starts[i];
    return (csv_record){s->rec_line, s->nfields, s->ptrs, s->lens, stored, skipped};
}

/* Hands the current record to the record callback. */
static csv_status emit_record(csv_stream *s, size_t stored, int skipped)
{
    csv_record rec = current_record(s, stored, skipped);
    return s->fn(s->ud, &rec) != 0 ? CSV_STOPPED : CSV_OK;
}

/* Forgets the record just ended, whose quoted fields held `breaks` line
 * breaks, and moves the line counter past it. */
static void start_next_record(csv_stream *s, uint64_t breaks)
{
    s->line = s->rec_line + breaks + 1;
    s->rec_line = s->line;
    s->len = 0;
    s->nfields = 0;
    s->field_start = 0;
    s->in_record = 0;
    s->skipping = 0;
    s->stored = 0;
    s->skipped_breaks = 0;
    s->prefilter_next = s->prefilter_first;
}

/* Emits the completed record (an empty line is skipped) and moves the line
 * counter past it. */
static csv_status end_record(csv_stream *s)
{
    csv_status st = CSV_OK;
    uint64_t breaks = inner_breaks(s, s->len);
    if (!(s->nfields == 1 && s->lens[0] == 0 && !s->in_record))
        st = emit_record(s, s->nfields, 0);
    start_next_record(s, breaks);
    return st;
}

/* The end of a record the prefilter skipped. */
static csv_status end_skipped_record(csv_stream *s)
{
    uint64_t breaks = inner_breaks(s, s->len) + s->skipped_breaks;
    csv_status st = emit_record(s, s->stored, 1);
    start_next_record(s, breaks);
    return st;
}

/* Asks the prefilter about the record so far. */
static void consult_prefilter(csv_stream *s)
{
    csv_record rec = current_record(s, s->nfields, 0);
    int answer = s->prefilter(s->ud, &rec);
    if (answer < 0) {
        s->skipping = 1;
        s->stored = s->nfields;
        s->prefilter_next = 0;
    } else {
        s->prefilter_next = answer > 0 && (size_t)answer > s->nfields ? (size_t)answer : 0;
    }
}

/* The first byte b in [p, end), or NULL. Fields are short, so a word at a
 * time beats a call to memchr. */
static inline const char *find_byte(const char *p, const char *end, unsigned char b)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const uint64_t pattern = ones * b;
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        x ^= pattern;
        uint64_t hit = (x - ones) & ~x & highs; /* lowest set bit: first match */
        if (hit)
            return p + (__builtin_ctzll(hit) >> 3);
        p += 8;
    }
    for (; p < end; p++)
        if ((unsigned char)*p == b)
            return p;
    return NULL;
#else
    return memchr(p, b, (size_t)(end - p));
#endif
}

/* Consumes a skipped record up to its end: the same syntax as process(),
 * counting fields and line breaks, copying nothing. */
static const char *skip_rest(csv_stream *s, const char *p, const char *end, csv_status *st)
{
    /* the first line break ahead: a quoted run that ends before it holds
     * none, so breaks are only counted in the rare runs that cross it */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    char c;
    /* resume where the previous chunk stopped */
    switch (s->state) {
    case ST_QUOTED:
        goto quoted;
    case ST_QUOTE:
        goto after_quote;
    case ST_UNQUOTED:
        goto unquoted;
    case ST_CR:
    case ST_FIELD_START:
        break;
    }
    for (;;) { /* at the start of a field */
        if (p == end) {
            s->state = ST_FIELD_START;
            return p;
        }
        if (*p == '"') {
            s->quote_line = s->skipped_breaks; /* made absolute if it is ever reported */
            p++;
        quoted:;
            const char *q = find_byte(p, end, '"');
            const char *stop = q ? q : end;
            for (; nl && nl < stop; nl = memchr(nl + 1, '\n', (size_t)(end - nl - 1)))
                s->skipped_breaks++;
            if (!q) {
                s->state = ST_QUOTED;
                return end;
            }
            p = q + 1;
        after_quote:
            if (p == end) {
                s->state = ST_QUOTE;
                return p;
            }
            if (*p == '"') { /* "" inside quotes */
                p++;
                goto quoted;
            }
            if (*p != ',' && *p != '\n' && *p != '\r')
                goto quoted; /* a stray quote: literal (lazy quotes) */
        } else {
        unquoted:
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                p++;
            if (p == end) {
                s->state = ST_UNQUOTED;
                return p;
            }
        }
        c = *p++; /* a separator */
        s->nfields++;
        if (c != ',') {
            s->state = c == '\r' ? ST_CR : ST_FIELD_START;
            *st = end_skipped_record(s);
            return p;
        }
    }
}

#define TRY(expr)                                                                             \
    do {                                                                                      \
        if ((expr) != 0)                                                                      \
            return CSV_ERROR;                                                                 \
    } while (0)

/* Ends the field and, on a line break, the record. c is the byte after the
 * field: ',' '\n' or '\r'. */
#define END_FIELD_ON(c)                                                                       \
    do {                                                                                      \
        TRY(end_field(s));                                                                    \
        if ((c) == ',') {                                                                     \
            s->in_record = 1;                                                                 \
            s->state = ST_FIELD_START;                                                        \
            if (s->nfields == s->prefilter_next && s->prefilter)                              \
                consult_prefilter(s);                                                         \
        } else {                                                                              \
            s->state = (c) == '\r' ? ST_CR : ST_FIELD_START;                                  \
            csv_status st_ = end_record(s);                                                   \
            if (st_ != CSV_OK)                                                                \
                return st_;                                                                   \
        }                                                                                     \
    } while (0)

static csv_status process(csv_stream *s, const char *p, const char *end)
{
    while (p < end) {
        if (s->skipping) {
            csv_status st = CSV_OK;
            p = skip_rest(s, p, end, &st);
            if (st != CSV_OK)
                return st;
            continue;
        }
        switch (s->state) {
        case ST_CR:
            s->state = ST_FIELD_START;
            if (*p == '\n')
                p++;
            break;
        case ST_FIELD_START:
            if (*p == '"') {
                s->in_record = 1;
                s->state = ST_QUOTED;
                p++;
                goto quoted;
            }
            if (*p == ',' || *p == '\n' || *p == '\r') { /* an empty field */
                char c = *p++;
                END_FIELD_ON(c);
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
                return CSV_OK;
            char c = *p++;
            END_FIELD_ON(c);
            break;
        }
        case ST_QUOTED:
        quoted:;
            const char *q = find_byte(p, end, '"');
            if (!q) {
                TRY(append(s, p, (size_t)(end - p)));
                return CSV_OK;
            }
            TRY(append(s, p, (size_t)(q - p)));
            p = q + 1;
            s->state = ST_QUOTE;
            if (p == end)
                return CSV_OK;
            /* fall through */
        case ST_QUOTE: {
            char c = *p;
            if (c == ',' || c == '\n' || c == '\r') {
                p++;
                END_FIELD_ON(c);
                break;
            }
            /* '""' is one quote; a quote followed by anything else was a
             * stray literal quote (lazy quotes) */
            TRY(append(s, "\"", 1));
            if (c == '"')
                p++;
            s->state = ST_QUOTED;
            goto quoted;
        }
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

/* The input ended inside the quoted field that starts on line. */
static csv_status fail_in_quotes(csv_stream *s, uint64_t line)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "the input ends inside the quoted field that starts on line %llu (truncated file?)",
             (unsigned long long)line);
    return fail(s, line, msg);
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
    if (s->skipping) {
        if (s->state == ST_QUOTED)
            return fail_in_quotes(s, s->rec_line + inner_breaks(s, s->len) + s->quote_line);
        if (s->state == ST_CR)
            return CSV_OK;
        s->nfields++; /* the last field, ended by the end of the input */
        return end_skipped_record(s);
    }
    switch (s->state) {
    case ST_QUOTED:
        return fail_in_quotes(s, s->rec_line + inner_breaks(s, s->field_start));
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
