/* env_secrets.h - secrets in the environment of containers (compose services
 * and Kubernetes containers alike), for the C checks: each environment
 * entry with the source bytes of its value, the byte ranges of every secret
 * in a file's environments, and reporting a finding that masks the secrets
 * on its line. Also the two checks of rules/builtin/container.yaml that
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

typedef struct env_entry {
    const char *name;
    const doc_node *value; /* the value node (its span is the text as written) */
    const char *raw;       /* source bytes of value's span */
    size_t len;
    size_t base;           /* file offset of raw[0] */
} env_entry;

/* Entry i of an "environment" sequence (container attribute); false for
 * valueFrom entries and values that are not text of the scanned file. */
bool env_entry_at(const input_file *in, const doc_node *env, size_t i, env_entry *out);
/* A secret by its name (text_name_is_secret) whose value is written out:
 * not empty, not interpolated, not a switch, not the path of a secret file
 * (/run/secrets/...), not a placeholder (<token>, INSERT_..., YOUR_...). */
bool env_literal_secret(const env_entry *e);

typedef struct range_list {
    size_t (*items)[2]; /* [start, end) byte offsets */
    size_t count;
    size_t cap;
} range_list;

/* Every secret in the environment values of the file's containers, found
 * by name or by shape: what every finding in that file must mask. */
range_list env_secret_ranges(const input_file *in);
void range_list_free(range_list *l);
/* While a memo is on (lint_run_checks turns it on around the C checks, when
 * no input changes), env_secret_ranges computes each input's ranges once
 * and hands out copies. Per thread; begin/end calls nest. */
void env_secret_memo_begin(void);
void env_secret_memo_end(void);

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
