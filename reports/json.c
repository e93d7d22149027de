/* json.c - lint findings as JSON, schema version 1 (docs/lint-json.md).
 * Messages never contain masked secrets (rules render them masked). */
#include <pthread.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/json_out.h"
#include "core/parallel.h"
#include "reports/report.h"

#define LINT_JSON_VERSION 1
/* Findings formatted as one piece (about 600 bytes each), on one thread. */
#define FINDINGS_PER_CHUNK 2048

/* Appends the string literal lit. */
#define ADD_LIT(sb, lit) sb_addn((sb), (lit), sizeof(lit) - 1)

static void add_string(strbuf *sb, const char *s)
{
    json_escape(sb, s, strlen(s));
}

/* A position object, as a member of a finding. */
static void add_pos(strbuf *sb, src_pos p)
{
    ADD_LIT(sb, "{\n        \"line\": ");
    json_append_int(sb, p.line);
    ADD_LIT(sb, ",\n        \"col\": ");
    json_append_int(sb, p.col);
    ADD_LIT(sb, ",\n        \"offset\": ");
    json_append_int(sb, (int64_t)p.offset);
    ADD_LIT(sb, "\n      }");
}

/* One element of the findings array with its separator, laid out as
 * json_out's pretty writer lays out an object at that depth (in an array
 * in the top object): written directly, as it is most of the output. */
static void write_finding(strbuf *sb, const finding *f, bool first)
{
    if (!first)
        sb_addc(sb, ',');
    ADD_LIT(sb, "\n    {\n      \"rule_id\": ");
    add_string(sb, f->rule_id);
    ADD_LIT(sb, ",\n      \"severity\": ");
    add_string(sb, severity_name(f->sev));
    ADD_LIT(sb, ",\n      \"category\": ");
    add_string(sb, f->category);
    ADD_LIT(sb, ",\n      \"file\": ");
    add_string(sb, f->path);
    ADD_LIT(sb, ",\n      \"start\": ");
    add_pos(sb, f->span.start);
    ADD_LIT(sb, ",\n      \"end\": ");
    add_pos(sb, f->span.end);
    ADD_LIT(sb, ",\n      \"message\": ");
    add_string(sb, f->message);
    if (f->fixable)
        ADD_LIT(sb, ",\n      \"fix_available\": true,\n      \"fingerprint\": ");
    else
        ADD_LIT(sb, ",\n      \"fix_available\": false,\n      \"fingerprint\": ");
    char fingerprint[FINGERPRINT_SIZE];
    finding_fingerprint_hex(f->fingerprint, fingerprint);
    add_string(sb, fingerprint);
    ADD_LIT(sb, "\n    }");
}

/* The findings array is formatted in chunks on the thread pool and
 * written out in order as each chunk is ready. A chunk's text goes into a
 * buffer from `spare`, which gets it back once written: a thread holds one
 * at a time, so there are never more buffers than threads, and each is
 * reused instead of a large block being allocated (and faulted in) per
 * chunk. */
typedef struct chunks {
    const finding_refs *findings;
    FILE *out;
    strbuf **text; /* one per chunk, from its making to its writing */
    pthread_mutex_t lock;
    strbuf **spare; /* buffers not in use (guarded by lock) */
    size_t nspare;
} chunks;

static strbuf *take_buffer(chunks *c)
{
    pthread_mutex_lock(&c->lock);
    strbuf *sb = c->nspare ? c->spare[--c->nspare] : NULL;
    pthread_mutex_unlock(&c->lock);
    if (!sb) {
        sb = xmalloc(sizeof *sb);
        sb_init(sb);
        sb_grow(sb, FINDINGS_PER_CHUNK * 640);
    }
    return sb;
}

static void make_chunk(size_t k, void *ud)
{
    chunks *c = ud;
    size_t from = k * FINDINGS_PER_CHUNK, to = from + FINDINGS_PER_CHUNK;
    if (to > c->findings->count)
        to = c->findings->count;
    strbuf *sb = c->text[k] = take_buffer(c);
    for (size_t i = from; i < to; i++)
        write_finding(sb, c->findings->items[i], i == 0);
}

static void write_chunk(size_t k, void *ud)
{
    chunks *c = ud;
    strbuf *sb = c->text[k];
    fwrite(sb->buf, 1, sb->len, c->out);
    sb_reset(sb);
    pthread_mutex_lock(&c->lock);
    c->spare[c->nspare++] = sb;
    pthread_mutex_unlock(&c->lock);
}

void report_json(FILE *out, const report_data *d)
{
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, true);
    size_t counts[SEV_CRITICAL + 1] = {0};
    for (size_t i = 0; i < d->findings->count; i++)
        counts[d->findings->items[i]->sev]++;
    json_begin_object(&j);
    json_key(&j, "version");
    json_int(&j, LINT_JSON_VERSION);
    json_key(&j, "tool");
    json_begin_object(&j);
    json_key(&j, "name");
    json_string(&j, "stackaudit");
    json_key(&j, "version");
    json_string(&j, STACKAUDIT_VERSION);
    json_end_object(&j);
    json_key(&j, "summary");
    json_begin_object(&j);
    json_key(&j, "files_scanned");
    json_int(&j, (int64_t)d->files_scanned);
    json_key(&j, "files_failed");
    json_int(&j, (int64_t)d->files_failed);
    json_key(&j, "findings");
    json_int(&j, (int64_t)d->findings->count);
    json_key(&j, "by_severity");
    json_begin_object(&j);
    for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
        json_key(&j, severity_name((severity)s));
        json_int(&j, (int64_t)counts[s]);
    }
    json_end_object(&j);
    json_end_object(&j);
    json_key(&j, "findings");
    json_begin_array(&j);
    fwrite(sb.buf, 1, sb.len, out);
    sb_reset(&sb);
    size_t n = d->findings->count, nchunks = (n + FINDINGS_PER_CHUNK - 1) / FINDINGS_PER_CHUNK;
    chunks c = {.findings = d->findings, .out = out,
                .text = xcalloc(nchunks + 1, sizeof(strbuf *)),
                .spare = xcalloc(nchunks + 1, sizeof(strbuf *))};
    pthread_mutex_init(&c.lock, NULL);
    parallel_for_ordered(nchunks, d->threads, make_chunk, write_chunk, &c);
    pthread_mutex_destroy(&c.lock);
    for (size_t i = 0; i < c.nspare; i++) {
        sb_free(c.spare[i]);
        free(c.spare[i]);
    }
    free(c.spare);
    free(c.text);
    json_elements_written(&j, n);
    json_end_array(&j);
    json_end_object(&j);
    sb_addc(&sb, '\n');
    fwrite(sb.buf, 1, sb.len, out);
    sb_free(&sb);
}
