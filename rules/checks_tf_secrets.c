/* checks_tf_secrets.c - built-in C checks for secrets written into .tf and
 * variable files: literal values of secret-named keys and URLs with a
 * literal password (TF-PLAINTEXT-SECRET), AWS access key ids
 * (TF-AWS-ACCESS-KEY-ID) and PEM private keys (TF-PRIVATE-KEY-LITERAL).
 * Rule records and examples are in rules/builtin/terraform.yaml.
 *
 * Guarantees: each finding points at the secret's own bytes (inside the
 * quotes; the header line of a private key), and those bytes are masked in
 * every output. References to secret stores, interpolations, placeholders
 * ("<...>", "****") and AWS's documentation keys (...EXAMPLE) are not
 * secrets; a value one rule reports (a key id, a private key) is not
 * reported again by TF-PLAINTEXT-SECRET. */
#include <ctype.h>
#include <string.h>

#include "core/source.h"
#include "rules/checks_tf.h"
#include "rules/engine.h"
#include "rules/text_scan.h"
#include "rules/tf_model.h"

/* ---- what a secret looks like -------------------------------------------- */

/* A key that names a secret: password, db_password, API_KEY, clientSecret... */
static bool secret_key(const char *key)
{
    char n[128];
    size_t j = 0;
    for (size_t i = 0; key[i] && j + 1 < sizeof n; i++)
        if (isalnum((unsigned char)key[i]))
            n[j++] = (char)tolower((unsigned char)key[i]);
    n[j] = '\0';
    static const char *const suffixes[] = {"password",  "passwd",     "passphrase", "secret",
                                           "secretkey", "token",      "apikey",     "privatekey",
                                           "accesskey", "secretstring", NULL};
    for (size_t i = 0; suffixes[i]; i++)
        if (tf_ends_with(n, suffixes[i]))
            return true;
    /* short forms only as a separate word: db_pass, DB_PW (not "bypass") */
    char lk[128];
    tf_lower_copy(lk, sizeof lk, key);
    return !strcmp(lk, "pass") || !strcmp(lk, "pw") || tf_ends_with(lk, "_pass") ||
           tf_ends_with(lk, "_pw") || tf_ends_with(lk, "-pass") || tf_ends_with(lk, "-pw");
}

/* An AWS access key id (AKIA/ASIA + 16) starting at p, alone as a word. */
static bool access_key_id_at(const char *p, const char *start)
{
    if (strncmp(p, "AKIA", 4) != 0 && strncmp(p, "ASIA", 4) != 0)
        return false;
    if (p > start && isalnum((unsigned char)p[-1]))
        return false;
    for (int i = 4; i < 20; i++)
        if (!isupper((unsigned char)p[i]) && !isdigit((unsigned char)p[i]))
            return false;
    /* AWS's documentation key (AKIAIOSFODNN7EXAMPLE and kin) is no credential */
    return !isalnum((unsigned char)p[20]) && strncmp(p + 13, "EXAMPLE", 7) != 0;
}

/* A value that is a literal secret (not empty, not a reference to a secret
 * store, not a placeholder, not something the key-id/private-key checks report). */
static bool literal_secret(const doc_node *v)
{
    if (!tf_is_string(v))
        return false;
    const char *t = v->u.scalar.text;
    while (isspace((unsigned char)*t))
        t++;
    size_t n = strlen(t);
    if (n < 4)
        return false;
    static const char *const refs[] = {"arn:", "{{resolve:", "vault:", "ssm:", "projects/",
                                       "/", "${", "secretsmanager:", NULL};
    for (size_t i = 0; refs[i]; i++)
        if (!strncmp(t, refs[i], strlen(refs[i])))
            return false;
    if (t[0] == '<' && t[n - 1] == '>')
        return false;
    bool filler = true;
    for (size_t i = 0; i < n; i++)
        filler &= t[i] == '*' || t[i] == 'x' || t[i] == 'X' || t[i] == '.';
    if (filler || strstr(t, "-----BEGIN"))
        return false;
    if (n == 20 && access_key_id_at(t, t))
        return false;
    return true;
}

/* ---- TF-PLAINTEXT-SECRET --------------------------------------------------- */

typedef struct secret_walk {
    lint_context *ctx;
    const rule *r;
} secret_walk;

/* Reports the secret at file bytes [start, end) of node n, pointing at it. */
static void report_secret(secret_walk *w, const doc_node *n, size_t start, size_t end,
                          const char *fmt_key, const char *what)
{
    doc_node at = *n;
    at.span = src_span_of(n->file, start, end);
    lint_report_masked(w->ctx, w->r, &at, start, end,
                       "'%s' %s; pass it in from a secret store or a sensitive variable set "
                       "outside version control",
                       fmt_key, what);
}

/* A value: a URL with a literal password, or a literal secret under a
 * secret-named key. The finding points at the secret's own bytes (inside the
 * quotes), which are masked. */
static void secrets_leaf(secret_walk *w, const doc_node *n, const char *key)
{
    size_t len;
    const char *raw = doc_raw(n, &len);
    size_t base = n->span.start.offset;
    secret_match m[4];
    size_t found = text_find_credentials(raw, len, m, 4);
    for (size_t i = 0; i < found && i < 4; i++) {
        if (m[i].kind != SECRET_URL_PASSWORD)
            continue; /* access key ids and private keys have their own rules */
        report_secret(w, n, base + m[i].start, base + m[i].end, key ? key : "value",
                      "holds a URL with a literal password (" SECRET_MASK ")");
        return;
    }
    if (!key || !secret_key(key) || !literal_secret(n))
        return;
    size_t start = base, end = n->span.end.offset;
    if (len >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len - 1] == raw[0]) {
        start++;
        end--;
    }
    report_secret(w, n, start, end, key, "is set to a literal secret (" SECRET_MASK ") in the file");
}

/* default_key: the variable name when walking a `variable` block body. */
static void secrets_walk(secret_walk *w, const doc_node *n, const char *key, const char *default_key,
                         int depth)
{
    if (!n || depth > 64)
        return;
    if (n->kind == DOC_BLOCK) {
        const char *var = NULL;
        if (!strcmp(n->u.block.type, "variable") && n->u.block.nlabels == 1)
            var = doc_str(n->u.block.labels[0]);
        secrets_walk(w, n->u.block.body, n->u.block.type, var, depth + 1);
        return;
    }
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const char *k = doc_str(n->u.map.pairs[i].key);
            if (default_key && k && !strcmp(k, "default"))
                k = default_key;
            secrets_walk(w, n->u.map.pairs[i].value, k, NULL, depth + 1);
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            secrets_walk(w, n->u.seq.items[i], key, NULL, depth + 1);
    } else if (n->kind == DOC_SCALAR || n->kind == DOC_EXPR) {
        secrets_leaf(w, n, key);
    }
}

void check_tf_plaintext_secret(const rule *r, lint_context *ctx)
{
    secret_walk w = {.ctx = ctx, .r = r};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        for (size_t d = 0; d < in->docs.count; d++)
            secrets_walk(&w, in->docs.docs[d], NULL, NULL, 0);
    }
}

/* ---- TF-AWS-ACCESS-KEY-ID and TF-PRIVATE-KEY-LITERAL: the file's text ---- */

/* Reports file bytes [start, end), masking [start, mask_end). */
static void report_text_range(lint_context *ctx, const rule *r, const src_file *f, size_t start,
                              size_t end, size_t mask_end, const char *msg)
{
    doc_node at = {.kind = DOC_SCALAR, .file = f, .span = src_span_of(f, start, end)};
    lint_report_masked(ctx, r, &at, start, mask_end, "%s", msg);
}

void check_tf_aws_access_key_id(const rule *r, lint_context *ctx)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        const src_file *f = in->src;
        for (size_t off = 0; off + 20 <= f->len; off++) {
            const char *p = memchr(f->data + off, 'A', f->len - 20 + 1 - off);
            if (!p)
                break;
            off = (size_t)(p - f->data);
            if (!access_key_id_at(p, f->data))
                continue;
            report_text_range(ctx, r, f, off, off + 20, off + 20,
                              p[0] == 'A' && p[1] == 'K'
                                  ? "AWS access key id (" SECRET_MASK ") written in the file: "
                                    "rotate the key and use a role or a credentials profile"
                                  : "AWS temporary access key id (" SECRET_MASK ") written in "
                                    "the file: remove it and use a role or a credentials profile");
            off += 19;
        }
    }
}

/* The end of a PEM private key whose header line closes at head_end (the
 * "-----" after "BEGIN ... PRIVATE KEY"): past its END line, else where the
 * text ends; NULL when fewer than 40 characters of key material follow (a
 * bare marker in a comment). */
static const char *private_key_end(const char *head_end)
{
    const char *q = head_end + 5;
    size_t material = 0;
    while (*q && strncmp(q, "-----END", 8) != 0) {
        if (isalnum((unsigned char)*q) || *q == '+' || *q == '/' || *q == '=')
            material++;
        q++;
    }
    if (material < 40)
        return NULL;
    if (strncmp(q, "-----END", 8) != 0)
        return q;
    const char *close = strstr(q + 8, "-----");
    return close ? close + 5 : q + 8;
}

void check_tf_private_key(const rule *r, lint_context *ctx)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        const src_file *f = in->src;
        const char *data = f->data;
        for (const char *p = data; (p = strstr(p, "-----BEGIN ")) != NULL; p++) {
            const char *eol = strstr(p, "-----\n");
            const char *head_end = strstr(p + 11, "-----");
            if (!head_end || (eol && head_end > eol))
                continue;
            /* "PRIVATE KEY" in the header line: RSA, EC, OPENSSH, ENCRYPTED ... */
            size_t hl = (size_t)(head_end - p);
            char head[96];
            if (hl >= sizeof head)
                continue;
            memcpy(head, p, hl);
            head[hl] = '\0';
            if (!strstr(head, "PRIVATE KEY"))
                continue;
            const char *end = private_key_end(head_end);
            if (!end)
                continue;
            size_t start = (size_t)(p - data);
            report_text_range(ctx, r, f, start, start + hl + 5, (size_t)(end - data),
                              "private key (" SECRET_MASK ") written in the file: revoke it, and "
                              "load keys from a secret store or a file kept out of version "
                              "control");
            p = end - 1;
        }
    }
}
