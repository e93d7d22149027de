/* compose_fields.h - one compose service field -> its normalized attribute
 * (docs/entities.md, kind "container").
 *
 * Guarantees: each function reads one field as compose accepts it (every
 * short and long syntax), returns the normalized node with exact spans, or
 * NULL when the field is absent; problems are warnings, never failures. */
#ifndef SA_COMPOSE_FIELDS_H
#define SA_COMPOSE_FIELDS_H

#include "core/diag.h"
#include "core/doc.h"

/* environment: list ("KEY=value", "KEY") or map form -> seq of {name, value}. */
doc_node *compose_environment(arena *a, const doc_node *env, diag_list *diags);
/* env_file: string, list of strings or of {path, required} -> seq of paths. */
doc_node *compose_env_files(arena *a, const doc_node *env_file);
/* volumes (short and long syntax) plus tmpfs -> seq of {type, source,
 * target, read_only, mode}. */
doc_node *compose_volume_mounts(arena *a, const doc_node *volumes, const doc_node *tmpfs,
                                diag_list *diags);
/* labels: map or list of "key=value" -> map key -> string. */
doc_node *compose_labels(arena *a, const doc_node *labels, diag_list *diags);
/* healthcheck -> {test, interval, timeout, retries, start_period,
 * start_interval, disabled}. */
doc_node *compose_healthcheck(arena *a, const doc_node *hc);
/* depends_on (list or map) / networks (list or map) -> seq of names. */
doc_node *compose_name_list(arena *a, const doc_node *list_or_map);
/* secrets: list of names or of {source, target} -> seq of source names. */
doc_node *compose_secrets(arena *a, const doc_node *secrets);
/* command / entrypoint: list, or a string split like a shell does. */
doc_node *compose_command(arena *a, const doc_node *cmd, diag_list *diags);
/* security_opt -> sets security_opt, no_new_privileges, seccomp, apparmor. */
void compose_security_opts(arena *a, doc_node *attrs, const doc_node *opts, diag_list *diags);
/* A service's fields that hold resources (NULL when absent). */
typedef struct compose_resource_fields {
    const doc_node *deploy;
    const doc_node *cpus;
    const doc_node *mem_limit;
    const doc_node *pids_limit;
    const doc_node *mem_reservation;
} compose_resource_fields;

/* deploy.resources / mem_limit / cpus / pids_limit / mem_reservation ->
 * sets limits and requests. */
void compose_resources(arena *a, doc_node *attrs, const compose_resource_fields *svc);

#endif
