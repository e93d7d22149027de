/* env_secrets.h - secrets in the environment of containers (compose services
 * and Kubernetes containers alike), for the C checks: a file's table of
 * environment entries with the source bytes of their values and the
 * secrets in them, worked out once per file, and reporting a finding that
 * masks the secrets on its line. Also the two checks of rules/builtin/container.yaml that
 * need this (container-env-secret, container-env-credential).
 *
 * Guarantees: a finding reported through env_report() masks every secret
 * that touches its first line, whichever rule the finding is from, so the
 * source line text output shows never carries one; values interpolated
 * from variables (${VAR}, $VAR, $(VAR)) are never taken for secrets. */
#ifndef SA_ENV_SECRETS_H
#define SA_ENV_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/engine.h"
#include "rules/text_scan.h"

typedef struct env_entry {
    const char *name;
    const doc_node *value; /* the value node (its span is the text as written) */
    const char *raw;       /* source bytes of value's span */
    size_t len;
    size_t base;           /* file offset of raw[0] */
} env_entry;

typedef struct range_list {
    size_t (*items)[2]; /* [start, end) byte offsets */
    size_t count;
    size_t cap;
} range_list;

/* Most credentials of one value that are kept (env_item.ncreds may say more). */
#define ENV_MAX_CREDS 8

/* An entry of a container's "environment" whose value is text of the
 * scanned file (valueFrom entries are left out), with what the checks ask
 * of it. */
typedef struct env_item {
    const entity *e; /* the container */
    env_entry entry;
    /* A secret by its name (text_name_is_secret) whose value is written out:
     * not empty, not interpolated, not a switch, not the path of a secret
     * file (/run/secrets/...), not a placeholder (<token>, INSERT_..., YOUR_...). */
    bool literal_secret;
    size_t ncreds;     /* credentials by shape in the value (text_find_credentials) */
    size_t first_cred; /* the first env_item_kept_creds of them in env_table.creds */
} env_item;

/* How many of the item's credentials env_table.creds holds: min(ncreds, ENV_MAX_CREDS). */
static inline size_t env_item_kept_creds(const env_item *it)
{
    return it->ncreds < ENV_MAX_CREDS ? it->ncreds : ENV_MAX_CREDS;
}

/* The environment entries of one file's containers, in entity and entry
 * order, and every secret among them, found by name or by shape: what
 * every finding in that file must mask. */
typedef struct env_table {
    env_item *items;
    size_t count;
    secret_match *creds;
    size_t ncreds;
    range_list secrets;
} env_table;

/* The table of in, made once per input while the checks' memo is on
 * (rules/checks_memo.h); give it back with env_table_drop. */
const env_table *env_table_take(const input_file *in);
void env_table_drop(const env_table *t);

/* Reports a finding of r at span of in's file, masking the hull of the
 * secrets that touch span's first line. */
void env_report(lint_context *ctx, const rule *r, const input_file *in, const range_list *secrets,
                src_span span, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* "service 'db'" for compose, "container 'app' of Deployment 'web'" for Kubernetes. */
const char *env_owner_text(const entity *e, char *buf, size_t size);

/* The checks (rule records in rules/builtin/container.yaml). */
void check_container_env_secret(const rule *r, lint_context *ctx);
void check_container_env_credential(const rule *r, lint_context *ctx);

#endif
