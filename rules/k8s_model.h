/* k8s_model.h - the Kubernetes entities of the inputs of a lint context
 * (during lint, of one loaded file: the per-file checks and the digests of
 * rules/k8s_digest.h read it), grouped by kind, and the small readers the
 * Kubernetes C checks share (rules/checks_k8s_*.c).
 *
 * Guarantees: only inputs that were read and parsed contribute; every vector
 * keeps scan order (inputs in order, each input's entities in source order).
 * Objects without metadata.namespace are in namespace "default". The model
 * only points into the inputs' entities: it never changes them, and
 * k8s_model_drop releases only its own vectors. */
#ifndef SA_K8S_MODEL_H
#define SA_K8S_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "analyzers/entity.h"
#include "rules/rule.h"

typedef struct k8s_entity_vec {
    const entity **items;
    size_t count;
    size_t cap;
} k8s_entity_vec;

typedef struct k8s_model {
    k8s_entity_vec workloads, containers, service_accounts, secrets, hpas, limit_ranges,
        roles, /* Roles and ClusterRoles */
        namespaces, network_policies, quotas;
} k8s_model;

/* The Kubernetes entities of every usable input of ctx; give the model
 * back with k8s_model_drop (same ctx). While the checks' memo is on
 * (rules/checks_memo.h), the model of a context of one input is made once
 * per input and shared by every take. */
const k8s_model *k8s_model_take(const lint_context *ctx);
void k8s_model_drop(const lint_context *ctx, const k8s_model *m);

/* ---- one entity ------------------------------------------------------- */

static inline bool k8s_is_kind(const entity *e, const char *kind)
{
    return strcmp(e->kind, kind) == 0;
}

/* s, or fallback when s is NULL or "". */
static inline const char *k8s_str_or(const char *s, const char *fallback)
{
    return s && *s ? s : fallback;
}

/* The entity's name, "" when it has none. */
static inline const char *k8s_name_of(const entity *e)
{
    return e->name ? e->name : "";
}

/* The namespace an object lives in; objects without one go to "default". */
static inline const char *k8s_ns_of(const entity *e)
{
    return k8s_str_or(e->ns, "default");
}

/* The Kubernetes kind as written (Deployment, Pod ...), else "object". */
const char *k8s_object_kind(const entity *e);
/* The pod spec of a workload entity, read from its source object, or NULL. */
const doc_node *k8s_pod_spec(const entity *e);
/* Where to point for "this object": its namespace, else its name, else it. */
const doc_node *k8s_object_anchor(const entity *e);

/* ---- document nodes --------------------------------------------------- */

/* Present and not null. */
static inline bool k8s_present(const doc_node *n)
{
    return n && !(n->kind == DOC_SCALAR && n->u.scalar.type == SCALAR_NULL);
}

/* Absent, null, "", {} or []. */
bool k8s_empty_node(const doc_node *n);
/* The item of a sequence whose text is s, or NULL. */
const doc_node *k8s_seq_find(const doc_node *seq, const char *s);

#endif
