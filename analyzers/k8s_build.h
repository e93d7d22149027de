/* k8s_build.h - shared state of the Kubernetes entity builders (k8s.c
 * dispatches each object, k8s_workload.c builds workloads and their
 * containers, k8s_objects.c every other kind). Internal to analyzers/. */
#ifndef SA_K8S_BUILD_H
#define SA_K8S_BUILD_H

#include "analyzers/input.h"

typedef struct k8s_build {
    arena *a;
    input_file *in;
} k8s_build;

/* One Kubernetes object: its mapping, and its kind / apiVersion nodes (for
 * items of a typed List these may be derived from the list). */
typedef struct k8s_object {
    const doc_node *obj;
    const doc_node *kind_node;        /* string scalar */
    const doc_node *api_version_node; /* string scalar */
    const doc_node *meta; /* metadata, or NULL */
    const char *kind;
    const char *name; /* metadata.name (or generateName), "" when absent */
    const char *ns;   /* metadata.namespace or NULL */
} k8s_object;

/* Appends an entity of entity_kind for o, without attributes. */
entity *k8s_entity_add(k8s_build *b, const k8s_object *o, const char *entity_kind);
/* Sets in m the attributes every Kubernetes entity has: api_version, kind,
 * namespace (when set), labels and annotations (when present; annotations
 * are left out for Secrets). */
void k8s_common_attrs(k8s_build *b, const k8s_object *o, doc_node *m);
/* k8s_entity_add, then k8s_common_attrs on the entity's attributes. */
entity *k8s_entity_new(k8s_build *b, const k8s_object *o, const char *entity_kind);

/* Workload kinds (Pod, Deployment, ... CronJob): a "k8s_workload" entity and
 * one "container" entity per container and init container. Returns false
 * when o is not a workload kind. */
bool k8s_build_workload(k8s_build *b, const k8s_object *o);

/* Services, Ingresses, NetworkPolicies, ... and "k8s_object" for any other
 * kind; always adds exactly one entity. */
void k8s_build_other(k8s_build *b, const k8s_object *o);

/* Helpers shared by both files. */
doc_node *k8s_name_seq(arena *a, const doc_node *list_of_refs); /* [{name: x}] -> [x] */
doc_node *k8s_int_or_str(arena *a, const doc_node *n);          /* 8080 or "http" */

#endif
