/* json.c - lint findings as JSON, schema version 1 (docs/lint-json.md).
 * Messages never contain masked secrets (rules render them masked). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* The JSON strings (quoted, escaped) of texts that findings share by
 * address: a finding's rule id and category are its rule's, its severity
 * name static, its path its input's (findings come file after file).
 * Direct-mapped on the address; the strings are kept in `texts`, which
 * starts over when it grows past MEMO_TEXT bytes. */
#define MEMO_SLOTS 64
#define MEMO_TEXT (64 * 1024)

typedef struct quoted_memo {
    const char *key[MEMO_SLOTS];
    size_t at[MEMO_SLOTS], len[MEMO_SLOTS];
    strbuf texts;
} quoted_memo;

static void add_shared_string(strbuf *sb, quoted_memo *m, const char *s)
{
    size_t slot = (size_t)(((uintptr_t)s * 0x9E3779B97F4A7C15ULL) >> 58); /* 6 bits */
    if (m->key[slot] != s) {
        if (m->texts.len > MEMO_TEXT) {
            memset(m->key, 0, sizeof m->key);
            sb_reset(&m->texts);
        }
        m->key[slot] = s;
        m->at[slot] = m->texts.len;
        add_string(&m->texts, s);
        m->len[slot] = m->texts.len - m->at[slot];
    }
    sb_addn(sb, m->texts.buf + m->at[slot], m->len[slot]);
}

/* One element of the findings array with its separator, laid out as
 * json_out's pretty writer lays out an object at that depth (in an array
 * in the top object): written directly, as it is most of the output. */
static void write_finding(strbuf *sb, quoted_memo *memo, const finding *f, bool first)
{
    if (!first)
        sb_addc(sb, ',');
    ADD_LIT(sb, "\n    {\n      \"rule_id\": ");
    add_shared_string(sb, memo, f->rule_id);
    ADD_LIT(sb, ",\n      \"severity\": ");
    add_shared_string(sb, memo, severity_name(f->sev));
    ADD_LIT(sb, ",\n      \"category\": ");
    add_shared_string(sb, memo, f->category);
    ADD_LIT(sb, ",\n      \"file\": ");
    add_shared_string(sb, memo, f->path);
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
    char fingerprint[FINGERPRINT_SIZE + 1] = {'"'}; /* hex digits: nothing to escape */
    finding_fingerprint_hex(f->fingerprint, fingerprint + 1);
    fingerprint[FINGERPRINT_SIZE] = '"';
    sb_addn(sb, fingerprint, sizeof fingerprint);
    ADD_LIT(sb, "\n    }");
}

/* The findings array is formatted in chunks on the thread pool and
 * written out in order as each chunk is ready. A chunk's text goes into a
 * buffer from `spare`, which gets it back once written: a thread holds one
 * at a time, so there are never more buffers than threads, and each is
 * reused (with its memo) instead of a large block being allocated (and
 * faulted in) per chunk. */
typedef struct chunk_buffer {
    strbuf text;
    quoted_memo memo;
} chunk_buffer;

typedef struct chunks {
    const finding_refs *findings;
    FILE *out;
    chunk_buffer **made; /* one per chunk, from its making to its writing */
    pthread_mutex_t lock;
    chunk_buffer **spare; /* buffers not in use (guarded by lock) */
    size_t nspare;
} chunks;

static chunk_buffer *take_buffer(chunks *c)
{
    pthread_mutex_lock(&c->lock);
    chunk_buffer *b = c->nspare ? c->spare[--c->nspare] : NULL;
    pthread_mutex_unlock(&c->lock);
    if (!b) {
        b = xcalloc(1, sizeof *b);
        sb_init(&b->text);
        sb_grow(&b->text, FINDINGS_PER_CHUNK * 640);
        sb_init(&b->memo.texts);
    }
    return b;
}

static void make_chunk(size_t k, void *ud)
{
    chunks *c = ud;
    size_t from = k * FINDINGS_PER_CHUNK, to = from + FINDINGS_PER_CHUNK;
    if (to > c->findings->count)
        to = c->findings->count;
    chunk_buffer *b = c->made[k] = take_buffer(c);
    for (size_t i = from; i < to; i++)
        write_finding(&b->text, &b->memo, c->findings->items[i], i == 0);
}

static void write_chunk(size_t k, void *ud)
{
    chunks *c = ud;
    chunk_buffer *b = c->made[k];
    fwrite(b->text.buf, 1, b->text.len, c->out);
    sb_reset(&b->text);
    pthread_mutex_lock(&c->lock);
    c->spare[c->nspare++] = b;
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
                .made = xcalloc(nchunks + 1, sizeof(chunk_buffer *)),
                .spare = xcalloc(nchunks + 1, sizeof(chunk_buffer *))};
    pthread_mutex_init(&c.lock, NULL);
    parallel_for_ordered(nchunks, d->threads, make_chunk, write_chunk, &c);
    pthread_mutex_destroy(&c.lock);
    for (size_t i = 0; i < c.nspare; i++) {
        sb_free(&c.spare[i]->text);
        sb_free(&c.spare[i]->memo.texts);
        free(c.spare[i]);
    }
    free(c.spare);
    free(c.made);
    json_elements_written(&j, n);
    json_end_array(&j);
    json_end_object(&j);
    sb_addc(&sb, '\n');
    fwrite(sb.buf, 1, sb.len, out);
    sb_free(&sb);
}
