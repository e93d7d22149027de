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
/* Findings formatted as one piece (about 600 bytes each), on one thread:
 * about 300 KB, so that a chunk's buffer stays small (it is faulted in
 * once per thread, and is read back from the cache by the write). */
#define FINDINGS_PER_CHUNK 512

/* The JSON strings of texts that findings share by address: a finding's
 * rule id and category are its rule's, its severity name static, its path
 * its input's (findings come file after file), and equal messages are
 * mostly one interned copy. Direct-mapped on the address. A text with
 * nothing to escape (nearly all) is written from where it is: the memo
 * keeps its length only. Only the escapes of the others are kept, in
 * `texts`, which starts over when it has grown past MEMO_TEXT bytes at the
 * start of a finding; so the memo stays small and is not faulted in. */
#define MEMO_BITS 12
#define MEMO_TEXT (256 * 1024)
#define AS_IS UINT32_MAX /* quoted.at of a text written as it is */

/* What goes between a string's quotes: the text itself (at == AS_IS) or
 * its escape at `at` in a memo's texts (which stay far below 4 GiB). */
typedef struct quoted {
    uint32_t at, len;
} quoted;

typedef struct quoted_memo {
    struct memo_slot {
        const char *key;
        quoted text;
    } slot[1 << MEMO_BITS];
    strbuf texts;
} quoted_memo;

/* Starts the memo over if its texts have grown too long: done before a
 * finding's look-ups, so that they all stay valid until it is written. */
static void memo_trim(quoted_memo *m)
{
    if (m->texts.len <= MEMO_TEXT)
        return;
    for (size_t i = 0; i < sizeof m->slot / sizeof m->slot[0]; i++)
        m->slot[i].key = NULL;
    sb_reset(&m->texts);
}

/* The escape of s goes to the memo's texts and stays there only if it
 * differs from s (quotes aside): json_escape lengthens every byte it
 * changes, so an escape as long as s is s itself. */
static quoted memo_quote(quoted_memo *m, const char *s)
{
    struct memo_slot *slot =
        &m->slot[((uintptr_t)s * 0x9E3779B97F4A7C15ULL) >> (64 - MEMO_BITS)];
    if (slot->key != s) {
        size_t at = m->texts.len, n = strlen(s);
        json_escape(&m->texts, s, n);
        size_t len = m->texts.len - at - 2; /* without its quotes */
        if (len == n) {
            sb_commit(&m->texts, m->texts.buf + at);
            slot->text = (quoted){AS_IS, (uint32_t)n};
        } else {
            slot->text = (quoted){(uint32_t)(at + 1), (uint32_t)len};
        }
        slot->key = s;
    }
    return slot->text;
}

/* Where the text between s's quotes is (q from memo_quote(m, s)). */
static const char *quoted_text(const quoted_memo *m, const char *s, quoted q)
{
    return q.at == AS_IS ? s : m->texts.buf + q.at;
}

/* Writes n bytes of s at p; returns the end (inline: a literal's length is
 * a constant, and its copy a few moves). */
static inline char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)


/* Room for what a finding's text holds besides the texts of its five
 * strings: its member names, punctuation, quotes and indentation (about
 * 330 bytes), six numbers, a boolean and the fingerprint (each with a few
 * bytes of slack). */
#define FINDING_ROOM (400 + 6 * JSON_UINT_ROOM + FINGERPRINT_SIZE + 1)

/* A position object, as a member of a finding, at p; returns the end. */
static char *put_pos(char *p, src_pos pos)
{
    p = PUT_LIT(p, "{\n        \"line\": ");
    p = json_put_uint(p, pos.line);
    p = PUT_LIT(p, ",\n        \"col\": ");
    p = json_put_uint(p, pos.col);
    p = PUT_LIT(p, ",\n        \"offset\": ");
    p = json_put_uint(p, pos.offset);
    return PUT_LIT(p, "\n      }");
}

/* "true" or "false" at p, with an 8-byte copy instead of a branch on v;
 * returns the end. */
static char *put_bool(char *p, bool v)
{
    static const char text[2][8] = {"false", "true"};
    memcpy(p, text[v], 8);
    return p + (v ? 4 : 5);
}

/* A finding's fingerprint as a JSON string at p (hex digits: nothing to
 * escape); returns the end. */
static char *put_fingerprint(char *p, uint64_t fingerprint)
{
    *p = '"';
    finding_fingerprint_hex(fingerprint, p + 1); /* its NUL makes way for the quote */
    p[FINGERPRINT_SIZE] = '"';
    return p + FINGERPRINT_SIZE + 1;
}

/* One element of the findings array with its separator, laid out as
 * json_out's pretty writer lays out an object at that depth (in an array
 * in the top object): written directly, as it is most of the output, with
 * one capacity check. */
static void write_finding(strbuf *sb, quoted_memo *memo, const finding *f, bool first)
{
    memo_trim(memo);
    const finding_rule *r = f->rule;
    quoted rule = memo_quote(memo, r->id), sev = memo_quote(memo, severity_name(r->sev)),
           category = memo_quote(memo, r->category), file = memo_quote(memo, f->path),
           message = memo_quote(memo, f->message);
    char *p = sb_room(sb, FINDING_ROOM + rule.len + sev.len + category.len + file.len +
                              message.len);
    *p = ',';
    p += !first;
    p = PUT_LIT(p, "\n    {\n      \"rule_id\": ");
    p = json_put_quoted(p, quoted_text(memo, r->id, rule), rule.len);
    p = PUT_LIT(p, ",\n      \"severity\": ");
    p = json_put_quoted(p, quoted_text(memo, severity_name(r->sev), sev), sev.len);
    p = PUT_LIT(p, ",\n      \"category\": ");
    p = json_put_quoted(p, quoted_text(memo, r->category, category), category.len);
    p = PUT_LIT(p, ",\n      \"file\": ");
    p = json_put_quoted(p, quoted_text(memo, f->path, file), file.len);
    p = PUT_LIT(p, ",\n      \"start\": ");
    p = put_pos(p, f->span.start);
    p = PUT_LIT(p, ",\n      \"end\": ");
    p = put_pos(p, f->span.end);
    p = PUT_LIT(p, ",\n      \"message\": ");
    p = json_put_quoted(p, quoted_text(memo, f->message, message), message.len);
    p = PUT_LIT(p, ",\n      \"fix_available\": ");
    p = put_bool(p, r->fixable);
    p = PUT_LIT(p, ",\n      \"fingerprint\": ");
    p = put_fingerprint(p, f->fingerprint);
    p = PUT_LIT(p, "\n    }");
    sb_commit(sb, p);
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
        counts[d->findings->items[i]->rule->sev]++;
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
