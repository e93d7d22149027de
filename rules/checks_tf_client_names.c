/* checks_tf_client_names.c - the built-in C check TFVARS-CLIENT-NAME-INVALID:
 * client names (the items of enabled_clients / active_clients and the keys
 * of maps keyed by client) that do not match the naming convention,
 * settings.client_name_pattern of .stackaudit.yaml or by default
 * ^[a-z][a-z0-9-]{1,30}[a-z0-9]$. The rule record is in
 * rules/builtin/terraform.yaml.
 *
 * Guarantees: a configured pattern that does not compile falls back to the
 * default, and every finding says so; a name is reported at most once per
 * file (at its first occurrence in group order), each node at most once;
 * the variable files Terraform loads together are judged together
 * (rules/tf_var_groups.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "rules/checks_tf.h"
#include "rules/engine.h"
#include "rules/tf_model.h"
#include "rules/tf_var_groups.h"

#define DEFAULT_CLIENT_NAME_PATTERN "^[a-z][a-z0-9-]{1,30}[a-z0-9]$"

typedef struct name_state {
    tf_seen_set seen; /* reported nodes */
    pcre2_code *re;
    pcre2_match_data *md;
    const char *pattern;
    char note[320]; /* about a broken configured pattern, or "" */
    char **names;   /* names reported per file: "path\nname" */
    size_t nnames;
} name_state;

/* True when name was already reported in the file at path; else records it. */
static bool name_reported(name_state *st, const char *path, const char *name)
{
    size_t len = strlen(path) + strlen(name) + 2;
    char *key = xmalloc(len);
    snprintf(key, len, "%s\n%s", path, name);
    for (size_t i = 0; i < st->nnames; i++)
        if (!strcmp(st->names[i], key)) {
            free(key);
            return true;
        }
    st->names = xrealloc(st->names, (st->nnames + 1) * sizeof *st->names);
    st->names[st->nnames++] = key;
    return false;
}

static void check_one_name(lint_context *ctx, const rule *r, name_state *st, const doc_node *n)
{
    const char *name = doc_str(n);
    if (!name || !n->file)
        return;
    int rc = pcre2_match(st->re, (PCRE2_SPTR)name, strlen(name), 0, 0, st->md, NULL);
    if (rc >= 0 || name_reported(st, n->file->path, name) || !tf_seen_add(&st->seen, n))
        return;
    lint_report(ctx, r, n,
                "client name '%s' does not match the naming convention %s: client names end "
                "up in resource names, IAM roles, SSM paths and log groups%s",
                name, st->pattern, st->note);
}

static void client_names(lint_context *ctx, const rule *r, const tf_var_group *g, void *state)
{
    name_state *st = state;
    const char *ename;
    const doc_node *enabled = tf_enabled_clients(g, &ename);
    for (size_t i = 0; enabled && i < enabled->u.seq.count; i++)
        check_one_name(ctx, r, st, enabled->u.seq.items[i]);
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!tf_client_keyed(m, g->vars[v].name, enabled))
            continue;
        for (size_t i = 0; i < m->u.map.count; i++)
            check_one_name(ctx, r, st, m->u.map.pairs[i].key);
    }
}

static pcre2_code *compile_pattern(const char *pattern, char *err, size_t cap)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, cap, "%s at offset %zu", (const char *)msg, (size_t)off);
    }
    return re;
}

/* The pattern is settings.client_name_pattern when it compiles, else the
 * default (and the message says why). */
void check_tfvars_client_name(const rule *r, lint_context *ctx)
{
    name_state st = {.pattern = DEFAULT_CLIENT_NAME_PATTERN};
    const char *configured = doc_str(doc_get(ctx->settings, "client_name_pattern"));
    char err[160];
    if (configured) {
        st.re = compile_pattern(configured, err, sizeof err);
        if (st.re)
            st.pattern = configured;
        else
            snprintf(st.note, sizeof st.note,
                     " (settings.client_name_pattern in .stackaudit.yaml is not a valid regex: "
                     "%s; the default is used)",
                     err);
    }
    if (!st.re)
        st.re = compile_pattern(DEFAULT_CLIENT_NAME_PATTERN, err, sizeof err);
    if (!st.re)
        return;
    st.md = pcre2_match_data_create_from_pattern(st.re, NULL);
    tf_for_each_var_group(ctx, r, client_names, &st);
    pcre2_match_data_free(st.md);
    pcre2_code_free(st.re);
    for (size_t i = 0; i < st.nnames; i++)
        free(st.names[i]);
    free(st.names);
    tf_seen_free(&st.seen);
}
