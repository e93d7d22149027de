/* entity.h - the normalized model rules and pricing read.
 *
 * An entity is one thing the user's files declare (a container, a network,
 * a Kubernetes Service, a Terraform variable value ...). Its attributes are a
 * doc tree (DOC_MAP) with a fixed, documented shape per kind (docs/entities.md);
 * every attribute node carries the span of the source text it came from, so a
 * finding about any attribute can point at the exact file:line:col.
 * Guarantees: entities are allocated in their input file's arena and listed
 * in source order. */
#ifndef SA_ENTITY_H
#define SA_ENTITY_H

#include "core/doc.h"

typedef enum platform {
    PLATFORM_COMPOSE,
    PLATFORM_KUBERNETES,
    PLATFORM_TERRAFORM
} platform;

/* The keys of a compose service that checks read as written rather than as
 * attributes (rules/checks_compose.c); the compose analyzer records their
 * nodes while it reads the service, so nothing reads its map again. */
#define COMPOSE_WRITTEN_FIELDS(X) X(depends_on) X(extra_hosts) X(links)

/* A compose service's values of COMPOSE_WRITTEN_FIELDS, as doc_get() on
 * its source gives them (NULL when absent). */
typedef struct compose_written {
#define CW_MEMBER(f) const doc_node *f;
    COMPOSE_WRITTEN_FIELDS(CW_MEMBER)
#undef CW_MEMBER
} compose_written;

typedef struct entity {
    const char *kind;       /* "container", "compose_network", "k8s_service", ... */
    platform platform;
    const char *name;       /* service / object / variable name */
    const char *ns;         /* Kubernetes namespace as written, NULL when absent */
    const char *owner;      /* enclosing object (the workload of a container), or NULL */
    const src_file *file;
    const doc_node *source; /* node the entity was read from */
    const doc_node *name_node; /* node naming it (a compose service's key...), or NULL;
                                  findings about a missing setting point here */
    doc_node *attrs;        /* DOC_MAP, shape per kind in docs/entities.md */
    const compose_written *written; /* a compose service's keys as written, else NULL */
} entity;

typedef struct entity_list {
    entity **items;
    size_t count;
    size_t cap;
} entity_list;

/* Creates an entity with an empty attrs map and appends it to list. */
entity *entity_add(arena *a, entity_list *list, const char *kind, platform p, const char *name,
                   const doc_node *source);
const char *platform_name(platform p);

#endif
