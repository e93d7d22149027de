/* tf_var_groups.h - the variable files Terraform loads together and the
 * clients they declare, for the per-client checks (rules/checks_tf_clients.c,
 * rules/checks_tf_client_names.c): terraform.tfvars,
 * terraform.tfvars.json and *.auto.tfvars(.json) of one directory, in
 * Terraform's load order, plus each other variable file of that directory
 * on its own (as with -var-file).
 *
 * Guarantees: every parsed variable file of the run is in at least one
 * group; directories are visited in path order and the files of a group in
 * load order, so a later definition of a name replaces an earlier one; a
 * directory with only auto-loaded files gives one group; a group only
 * points into the inputs' entities and lives for the callback. */
#ifndef SA_TF_VAR_GROUPS_H
#define SA_TF_VAR_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/doc.h"
#include "rules/rule.h"

typedef struct tf_var_value {
    const char *name;
    const doc_node *value;
} tf_var_value;

/* The variables of one group, each name once, in first-definition order. */
typedef struct tf_var_group {
    tf_var_value *vars;
    size_t count;
} tf_var_group;

/* The value of a variable of the group, or NULL. */
const doc_node *tf_var_group_get(const tf_var_group *g, const char *name);

/* The enabled-clients list of a group (`enabled_clients`, else
 * `active_clients`, when a list) and the name of its variable, or NULL. */
const doc_node *tf_enabled_clients(const tf_var_group *g, const char **name);
/* A map variable keyed by client: at least one key is an enabled client;
 * without an enabled-clients list, a map named after clients (client_cidrs). */
bool tf_client_keyed(const doc_node *v, const char *name, const doc_node *enabled);

typedef void (*tf_var_group_fn)(lint_context *ctx, const rule *r, const tf_var_group *g,
                                void *state);

/* Calls fn once per group of the variable files of ctx. */
void tf_for_each_var_group(lint_context *ctx, const rule *r, tf_var_group_fn fn, void *state);

#endif
