/* json.c - lint findings as JSON, schema version 1 (docs/lint-json.md).
 * Messages never contain masked secrets (rules render them masked). */
#include <stdlib.h>

#include "core/arena.h"
#include "core/json_out.h"
#include "core/parallel.h"
#include "reports/report.h"

#define LINT_JSON_VERSION 1
/* Findings formatted as one piece (about 600 bytes each), on one thread. */
#define FINDINGS_PER_CHUNK 2048

static void pos(json_out *j, const char *key, src_pos p)
{
    json_key(j, key);
    json_begin_object(j);
    json_key(j, "line");
    json_int(j, p.line);
    json_key(j, "col");
    json_int(j, p.col);
    json_key(j, "offset");
    json_int(j, p.offset);
    json_end_object(j);
}

static void write_finding(json_out *j, const finding *f)
{
    json_begin_object(j);
    json_key(j, "rule_id");
    json_string(j, f->rule_id);
    json_key(j, "severity");
    json_string(j, severity_name(f->sev));
    json_key(j, "category");
    json_string(j, f->category);
    json_key(j, "file");
    json_string(j, f->path);
    pos(j, "start", f->span.start);
    pos(j, "end", f->span.end);
    json_key(j, "message");
    json_string(j, f->message);
    json_key(j, "fix_available");
    json_bool(j, f->fixable);
    json_key(j, "fingerprint");
    json_string(j, f->fingerprint);
    json_end_object(j);
}

/* The findings array is formatted in chunks on the thread pool and
 * written out in order as each chunk is ready. */
typedef struct chunks {
    const finding_refs *findings;
    const json_out *doc; /* inside the findings array */
    strbuf *text;        /* one per chunk, from its making to its writing */
    FILE *out;
} chunks;

static void make_chunk(size_t k, void *ud)
{
    chunks *c = ud;
    size_t from = k * FINDINGS_PER_CHUNK, to = from + FINDINGS_PER_CHUNK;
    if (to > c->findings->count)
        to = c->findings->count;
    strbuf *sb = &c->text[k];
    sb_init(sb);
    sb_grow(sb, (to - from) * 640);
    json_out part;
    json_part(&part, c->doc, sb, k == 0);
    for (size_t i = from; i < to; i++)
        write_finding(&part, c->findings->items[i]);
}

static void write_chunk(size_t k, void *ud)
{
    chunks *c = ud;
    fwrite(c->text[k].buf, 1, c->text[k].len, c->out);
    sb_free(&c->text[k]);
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
    chunks c = {.findings = d->findings, .doc = &j, .text = xcalloc(nchunks + 1, sizeof(strbuf)),
                .out = out};
    parallel_for_ordered(nchunks, d->threads, make_chunk, write_chunk, &c);
    free(c.text);
    json_parts_written(&j, n);
    json_end_array(&j);
    json_end_object(&j);
    sb_addc(&sb, '\n');
    fwrite(sb.buf, 1, sb.len, out);
    sb_free(&sb);
}
