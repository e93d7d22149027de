/* k8s_model.c - collects the Kubernetes entities of a lint run by kind and
 * answers the questions the Kubernetes C checks share (the pod spec of a
 * workload, where to point for an object, is a name declared in a
 * namespace). The model of one input is a table of rules/checks_memo.h.
 * See k8s_model.h for the guarantees. */
#include "rules/k8s_model.h"

#include <stdlib.h>

#include "core/arena.h"
#include "rules/checks_memo.h"
#include "rules/engine.h"

/* ---- collecting ------------------------------------------------------- */

static void vec_push(k8s_entity_vec *v, const entity *e)
{
    if (v->count == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = xrealloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->count++] = e;
}

/* The vector entities of an entity kind go to, or NULL for other kinds. */
static k8s_entity_vec *vec_for(k8s_model *m, const char *kind)
{
    static const struct {
        const char *kind;
        size_t offset;
    } table[] = {
        {"k8s_workload", offsetof(k8s_model, workloads)},
        {"container", offsetof(k8s_model, containers)},
        {"k8s_service_account", offsetof(k8s_model, service_accounts)},
        {"k8s_secret", offsetof(k8s_model, secrets)},
        {"k8s_hpa", offsetof(k8s_model, hpas)},
        {"k8s_limit_range", offsetof(k8s_model, limit_ranges)},
        {"k8s_role", offsetof(k8s_model, roles)},
        {"k8s_cluster_role", offsetof(k8s_model, roles)},
        {"k8s_namespace", offsetof(k8s_model, namespaces)},
        {"k8s_network_policy", offsetof(k8s_model, network_policies)},
        {"k8s_resource_quota", offsetof(k8s_model, quotas)},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (!strcmp(kind, table[i].kind))
            return (k8s_entity_vec *)((char *)m + table[i].offset);
    return NULL;
}

static void collect_input(k8s_model *m, const input_file *in)
{
    if (in->failed || !in->src)
        return;
    for (size_t j = 0; j < in->entities.count; j++) {
        const entity *e = in->entities.items[j];
        k8s_entity_vec *v = e->platform == PLATFORM_KUBERNETES ? vec_for(m, e->kind) : NULL;
        if (v)
            vec_push(v, e);
    }
}

static void model_free(void *model)
{
    k8s_model *m = model;
    k8s_entity_vec *all[] = {&m->workloads,    &m->containers,   &m->service_accounts,
                             &m->secrets,      &m->hpas,         &m->limit_ranges,
                             &m->roles,        &m->namespaces,   &m->network_policies,
                             &m->quotas};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]->items);
    free(m);
}

static void *make_input_model(const input_file *in)
{
    k8s_model *m = xcalloc(1, sizeof *m);
    collect_input(m, in);
    return m;
}

static const checks_memo_kind input_models = {make_input_model, model_free};

const k8s_model *k8s_model_take(const lint_context *ctx)
{
    if (ctx->ninputs == 1)
        return checks_memo_take(ctx->inputs[0], &input_models);
    k8s_model *m = xcalloc(1, sizeof *m);
    for (size_t i = 0; i < ctx->ninputs; i++)
        collect_input(m, ctx->inputs[i]);
    return m;
}

void k8s_model_drop(const lint_context *ctx, const k8s_model *m)
{
    if (ctx->ninputs == 1)
        checks_memo_drop(m, &input_models);
    else
        model_free((void *)m);
}

/* ---- one entity ------------------------------------------------------- */

const char *k8s_object_kind(const entity *e)
{
    const char *k = doc_str(doc_get(e->attrs, "kind"));
    return k ? k : "object";
}

const doc_node *k8s_pod_spec(const entity *e)
{
    const char *kind = k8s_object_kind(e);
    const doc_node *spec;
    if (!strcmp(kind, "Pod"))
        spec = doc_get(e->source, "spec");
    else if (!strcmp(kind, "CronJob"))
        spec = doc_path(e->source, "spec.jobTemplate.spec.template.spec");
    else
        spec = doc_path(e->source, "spec.template.spec");
    return spec && spec->kind == DOC_MAP ? spec : NULL;
}

const doc_node *k8s_object_anchor(const entity *e)
{
    const doc_node *n = doc_path(e->source, "metadata.namespace");
    if (!k8s_present(n))
        n = doc_path(e->source, "metadata.name");
    return k8s_present(n) ? n : e->source;
}

/* ---- document nodes --------------------------------------------------- */

bool k8s_empty_node(const doc_node *n)
{
    if (!k8s_present(n))
        return true;
    switch (n->kind) {
    case DOC_SCALAR: return n->u.scalar.len == 0;
    case DOC_MAP: return n->u.map.count == 0;
    case DOC_SEQ: return n->u.seq.count == 0;
    default: return false;
    }
}

const doc_node *k8s_seq_find(const doc_node *seq, const char *s)
{
    for (size_t i = 0; seq && seq->kind == DOC_SEQ && i < seq->u.seq.count; i++)
        if (doc_str_eq(seq->u.seq.items[i], s))
            return seq->u.seq.items[i];
    return NULL;
}
