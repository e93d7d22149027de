/* env_secrets.c - secrets in container environments: a file's table of
 * entries (each looked at once: secret by name, credentials by shape) with
 * the byte ranges to mask, masked reporting, and the container-env-secret /
 * container-env-credential checks; see env_secrets.h. */
#include "rules/env_secrets.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "rules/checks_memo.h"
#include "rules/text_scan.h"

static bool usable(const input_file *in)
{
    return in && !in->failed && in->src;
}

static bool is_container(const entity *e)
{
    return !strcmp(e->kind, "container");
}

static const doc_node *env_of(const entity *e)
{
    const doc_node *n = is_container(e) ? doc_get(e->attrs, "environment") : NULL;
    return n && n->kind == DOC_SEQ ? n : NULL;
}

const char *env_owner_text(const entity *e, char *buf, size_t size)
{
    if (e->platform == PLATFORM_COMPOSE) {
        snprintf(buf, size, "service '%s'", e->name ? e->name : "?");
    } else if (e->owner) {
        const char *kind = doc_str(doc_get(e->attrs, "workload_kind"));
        snprintf(buf, size, "container '%s' of %s '%s'", e->name ? e->name : "?",
                 kind ? kind : "workload", e->owner);
    } else {
        snprintf(buf, size, "container '%s'", e->name ? e->name : "?");
    }
    return buf;
}

/* ---- environment entries ------------------------------------------------- */

/* Entry i of an "environment" sequence; false for valueFrom entries and
 * values that are not text in the scanned file. */
static bool env_entry_at(const input_file *in, const doc_node *env, size_t i, env_entry *out)
{
    const doc_node *item = env->u.seq.items[i];
    out->name = doc_str(doc_get(item, "name"));
    out->value = doc_get(item, "value");
    if (!out->name || !out->value || out->value->kind != DOC_SCALAR || out->value->file != in->src)
        return false;
    out->raw = doc_raw(out->value, &out->len);
    out->base = out->value->span.start.offset;
    return true;
}

/* A template value waiting to be filled in: <password>, {{ .token }},
 * INSERT_TOKEN, REPLACE_WITH_KEY, YOUR_API_KEY. */
static bool is_placeholder(const char *v, size_t n)
{
    if ((v[0] == '<' && v[n - 1] == '>') || strstr(v, "{{"))
        return true;
    static const char *const prefixes[] = {"INSERT_", "INSERT-", "REPLACE_", "REPLACE-", "YOUR_",
                                           "YOUR-"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncasecmp(v, prefixes[i], strlen(prefixes[i])))
            return true;
    return false;
}

/* A secret by its name whose value is written out: not empty, not an
 * interpolation, not a switch, not the path of a secret file, not a
 * placeholder. */
static bool env_literal_secret(const env_entry *e)
{
    const char *v = e->value->u.scalar.text;
    size_t n = e->value->u.scalar.len;
    if (!n || !text_name_is_secret(e->name) || text_is_boolean_word(v))
        return false;
    if (text_has_interpolation(e->raw, e->len))
        return false;
    if (!strncmp(v, "/run/secrets/", 13) || !strncmp(v, "/var/run/secrets/", 17))
        return false;
    return !is_placeholder(v, n);
}

static void range_add(range_list *l, size_t start, size_t end)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count][0] = start;
    l->items[l->count][1] = end;
    l->count++;
}

static void range_list_free(range_list *l)
{
    free(l->items);
    *l = (range_list){0};
}

/* ---- the table of a file --------------------------------------------------- */

static void table_add(env_table *t, size_t *cap, const entity *e, const env_entry *ee)
{
    if (t->count == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        t->items = xrealloc(t->items, *cap * sizeof *t->items);
    }
    env_item *it = &t->items[t->count++];
    *it = (env_item){.e = e, .entry = *ee, .literal_secret = env_literal_secret(ee),
                     .first_cred = t->ncreds};
    secret_match m[ENV_MAX_CREDS];
    it->ncreds = text_find_credentials(ee->raw, ee->len, m, ENV_MAX_CREDS);
    size_t kept = env_item_kept_creds(it);
    if (kept) {
        t->creds = xrealloc(t->creds, (t->ncreds + kept) * sizeof *t->creds);
        memcpy(t->creds + t->ncreds, m, kept * sizeof *m);
        t->ncreds += kept;
    }
}

/* The secrets of it to mask: a literal secret or a value with too many
 * credentials whole, else each credential. */
static void add_secrets(env_table *t, const env_item *it)
{
    size_t base = it->entry.base;
    if (it->literal_secret || it->ncreds > ENV_MAX_CREDS) {
        range_add(&t->secrets, base, base + it->entry.len);
        return;
    }
    for (size_t j = 0; j < it->ncreds; j++) {
        const secret_match *m = &t->creds[it->first_cred + j];
        range_add(&t->secrets, base + m->start, base + m->end);
    }
}

static void *make_table(const input_file *in)
{
    env_table *t = xcalloc(1, sizeof *t);
    size_t cap = 0;
    for (size_t i = 0; i < in->entities.count; i++) {
        const entity *e = in->entities.items[i];
        const doc_node *env = env_of(e);
        for (size_t k = 0; env && k < env->u.seq.count; k++) {
            env_entry ee;
            if (env_entry_at(in, env, k, &ee))
                table_add(t, &cap, e, &ee);
        }
    }
    for (size_t i = 0; i < t->count; i++)
        add_secrets(t, &t->items[i]);
    return t;
}

static void free_table(void *table)
{
    env_table *t = table;
    free(t->items);
    free(t->creds);
    range_list_free(&t->secrets);
    free(t);
}

static const checks_memo_kind env_tables = {make_table, free_table};

const env_table *env_table_take(const input_file *in)
{
    return checks_memo_take(in, &env_tables);
}

void env_table_drop(const env_table *t)
{
    checks_memo_drop(t, &env_tables);
}

/* The byte range to mask for a finding on line: the hull of the secrets
 * that touch the line (0, 0 when none). */
static void mask_for_line(const range_list *secrets, const src_file *f, uint32_t line,
                          size_t *ms, size_t *me)
{
    size_t len;
    const char *text = src_line_text(f, line, &len);
    size_t ls = (size_t)(text - f->data), le = ls + len;
    *ms = *me = 0;
    for (size_t i = 0; i < secrets->count; i++) {
        size_t s = secrets->items[i][0], e = secrets->items[i][1];
        if (e <= ls || s > le)
            continue;
        if (*me == 0 || s < *ms)
            *ms = s;
        if (e > *me)
            *me = e;
    }
}

void env_report(lint_context *ctx, const rule *r, const input_file *in, const range_list *secrets,
                src_span span, const char *fmt, ...)
{
    doc_node at = {.kind = DOC_SCALAR, .file = in->src, .span = span};
    strbuf msg;
    sb_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    size_t ms, me;
    mask_for_line(secrets, in->src, span.start.line, &ms, &me);
    lint_report_masked(ctx, r, &at, ms, me, "%s", msg.buf);
    sb_free(&msg);
}

/* raw with every secret of the list replaced by the mask; NULL when the
 * value is too long or spans lines to be worth quoting. */
static char *masked_rendition(const env_entry *ee, const range_list *secrets)
{
    if (ee->len > 160 || memchr(ee->raw, '\n', ee->len))
        return NULL;
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < ee->len;) {
        size_t off = ee->base + i, skip_to = 0;
        for (size_t k = 0; k < secrets->count; k++)
            if (secrets->items[k][0] <= off && off < secrets->items[k][1] &&
                secrets->items[k][1] > skip_to)
                skip_to = secrets->items[k][1];
        if (skip_to) {
            sb_adds(&sb, SECRET_MASK);
            i = skip_to - ee->base;
        } else {
            sb_addc(&sb, ee->raw[i++]);
        }
    }
    return sb_detach(&sb);
}

/* ---- container-env-secret / container-env-credential ------------------- */

void check_container_env_secret(const rule *r, lint_context *ctx)
{
    const rule *cred = rule_set_find(ctx->rules, "CONTAINER-ENV-CREDENTIAL");
    bool cred_on = cred && cred->check && lint_rule_enabled(ctx, cred);
    char buf[256];
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!usable(in))
            continue;
        const env_table *t = env_table_take(in);
        for (size_t k = 0; k < t->count; k++) {
            const env_item *it = &t->items[k];
            /* a URL with a password, a key: the credential rule says it better */
            if (!it->literal_secret || (cred_on && it->ncreds > 0))
                continue;
            env_report(ctx, r, in, &t->secrets, it->entry.value->span,
                       "environment variable %s of %s holds a literal secret (%s): "
                       "reference a secret or a variable instead, and rotate it",
                       it->entry.name, env_owner_text(it->e, buf, sizeof buf), SECRET_MASK);
        }
        env_table_drop(t);
    }
}

/* "a password in a URL and an AWS access key ID": the kinds of the
 * credentials m[0, n), each once, in order. */
static void credential_kinds(strbuf *what, const secret_match *m, size_t n, bool seen[3])
{
    for (size_t q = 0; q < n; q++) {
        if (seen[m[q].kind])
            continue;
        sb_adds(what, what->len ? " and " : "");
        sb_adds(what, secret_kind_text(m[q].kind));
        seen[m[q].kind] = true;
    }
}

void check_container_env_credential(const rule *r, lint_context *ctx)
{
    char buf[256];
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!usable(in))
            continue;
        const env_table *t = env_table_take(in);
        for (size_t k = 0; k < t->count; k++) {
            const env_item *it = &t->items[k];
            if (!it->ncreds)
                continue;
            const secret_match *m = &t->creds[it->first_cred];
            strbuf what;
            sb_init(&what);
            bool seen[3] = {false, false, false};
            credential_kinds(&what, m, env_item_kept_creds(it), seen);
            const env_entry *ee = &it->entry;
            char *shown = seen[SECRET_URL_PASSWORD] ? masked_rendition(ee, &t->secrets) : NULL;
            src_span at = src_span_of(in->src, ee->base + m[0].start, ee->base + m[0].end);
            env_report(ctx, r, in, &t->secrets, at,
                       "environment variable %s of %s holds %s%s%s%s: move the "
                       "credential to a secret and rotate it",
                       ee->name, env_owner_text(it->e, buf, sizeof buf), what.buf,
                       shown ? " (" : "", shown ? shown : "", shown ? ")" : "");
            free(shown);
            sb_free(&what);
        }
        env_table_drop(t);
    }
}
