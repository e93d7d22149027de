/* checks_k8s_isolation.c - built-in C checks on isolation between
 * Kubernetes namespaces: every namespace that runs workloads has a
 * default-deny ingress NetworkPolicy and a ResourceQuota or LimitRange, and
 * no workload uses a ServiceAccount or Secret that the scan declares only in
 * another namespace. Rule records and examples are in
 * rules/builtin/kubernetes.yaml.
 *
 * Guarantees: the whole scan is one cluster; namespace-wide findings are
 * reported once per namespace, at its Namespace object's name when scanned,
 * else at the first workload of that namespace (inputs in scan order);
 * reference findings point at the name that refers across namespaces, once
 * per workload and Secret (its first use in source order). Read-only over
 * the model. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "rules/checks_k8s.h"
#include "rules/engine.h"
#include "rules/k8s_model.h"

/* ---- namespaces -------------------------------------------------------- */

typedef struct ns_info {
    const char *name;
    const entity *ns_object;      /* its Namespace, when scanned */
    const entity *first_workload; /* in scan order */
    size_t workloads;
    bool default_deny;            /* a NetworkPolicy isolates every pod for ingress */
    bool quota;                   /* a ResourceQuota or LimitRange */
} ns_info;

typedef struct ns_table {
    ns_info *items;
    size_t count;
} ns_table;

static ns_info *ns_lookup(ns_table *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (!strcmp(t->items[i].name, name))
            return &t->items[i];
    t->items = xrealloc(t->items, (t->count + 1) * sizeof *t->items);
    ns_info *n = &t->items[t->count++];
    memset(n, 0, sizeof *n);
    n->name = name;
    return n;
}

/* An empty label selector ({} or absent) selects everything. */
static bool selector_matches_all(const doc_node *sel)
{
    if (!k8s_present(sel))
        return true;
    if (sel->kind != DOC_MAP)
        return false;
    return k8s_empty_node(doc_get(sel, "matchLabels")) &&
           k8s_empty_node(doc_get(sel, "matchExpressions"));
}

/* A NetworkPolicy ingress rule that admits every source. */
static bool ingress_rule_admits_all(const doc_node *rule_item)
{
    const doc_node *from = doc_get(rule_item, "from");
    if (k8s_empty_node(from))
        return true;
    for (size_t i = 0; from->kind == DOC_SEQ && i < from->u.seq.count; i++) {
        const doc_node *peer = from->u.seq.items[i];
        const doc_node *nsel = doc_get(peer, "namespace_selector");
        const char *cidr = doc_str(doc_get(peer, "ip_block_cidr"));
        if (k8s_present(nsel) && selector_matches_all(nsel) &&
            selector_matches_all(doc_get(peer, "pod_selector")))
            return true;
        if (cidr && (!strcmp(cidr, "0.0.0.0/0") || !strcmp(cidr, "::/0")))
            return true;
    }
    return false;
}

/* Selects every pod for ingress and admits only listed sources (or none). */
static bool is_default_deny(const entity *np)
{
    if (!selector_matches_all(doc_get(np->attrs, "pod_selector")))
        return false;
    const doc_node *types = doc_get(np->attrs, "policy_types");
    if (k8s_present(types) && !k8s_seq_find(types, "Ingress"))
        return false;
    const doc_node *ingress = doc_get(np->attrs, "ingress");
    for (size_t i = 0; ingress && ingress->kind == DOC_SEQ && i < ingress->u.seq.count; i++)
        if (ingress_rule_admits_all(ingress->u.seq.items[i]))
            return false;
    return true;
}

static ns_table namespaces_collect(const k8s_model *m)
{
    ns_table t = {0};
    for (size_t i = 0; i < m->namespaces.count; i++) {
        const entity *e = m->namespaces.items[i];
        if (e->name && *e->name) {
            ns_info *n = ns_lookup(&t, e->name);
            if (!n->ns_object)
                n->ns_object = e;
        }
    }
    for (size_t i = 0; i < m->workloads.count; i++) {
        ns_info *n = ns_lookup(&t, k8s_ns_of(m->workloads.items[i]));
        if (!n->workloads++)
            n->first_workload = m->workloads.items[i];
    }
    for (size_t i = 0; i < m->network_policies.count; i++)
        if (is_default_deny(m->network_policies.items[i]))
            ns_lookup(&t, k8s_ns_of(m->network_policies.items[i]))->default_deny = true;
    for (size_t i = 0; i < m->quotas.count; i++)
        ns_lookup(&t, k8s_ns_of(m->quotas.items[i]))->quota = true;
    for (size_t i = 0; i < m->limit_ranges.count; i++)
        ns_lookup(&t, k8s_ns_of(m->limit_ranges.items[i]))->quota = true;
    return t;
}

static const doc_node *namespace_anchor(const ns_info *n)
{
    if (n->ns_object) {
        const doc_node *name = doc_path(n->ns_object->source, "metadata.name");
        return k8s_present(name) ? name : n->ns_object->source;
    }
    return k8s_object_anchor(n->first_workload);
}

static bool has_default_deny(const ns_info *n)
{
    return n->default_deny;
}

static bool has_quota(const ns_info *n)
{
    return n->quota;
}

/* Reports every namespace that runs workloads without what guarded tests
 * for; lack ends the message, after "... (first: Kind 'name') but ". */
static void report_unguarded_namespaces(const rule *r, lint_context *ctx,
                                        bool (*guarded)(const ns_info *n), const char *lack)
{
    k8s_model m = k8s_model_collect(ctx);
    ns_table t = namespaces_collect(&m);
    for (size_t i = 0; i < t.count; i++) {
        const ns_info *n = &t.items[i];
        if (!n->workloads || guarded(n))
            continue;
        lint_report(ctx, r, namespace_anchor(n),
                    "namespace '%s' runs %zu workload%s (first: %s '%s') but %s", n->name,
                    n->workloads, n->workloads == 1 ? "" : "s",
                    k8s_object_kind(n->first_workload), k8s_str_or(n->first_workload->name, "?"),
                    lack);
    }
    free(t.items);
    k8s_model_free(&m);
}

void check_k8s_namespace_default_deny(const rule *r, lint_context *ctx)
{
    report_unguarded_namespaces(r, ctx, has_default_deny,
                                "no NetworkPolicy among the scanned files denies ingress by "
                                "default: every pod of the cluster can reach them");
}

void check_k8s_namespace_quota(const rule *r, lint_context *ctx)
{
    report_unguarded_namespaces(r, ctx, has_quota,
                                "has no ResourceQuota or LimitRange among the scanned files: "
                                "nothing bounds what it consumes");
}

/* ---- references across namespaces -------------------------------------- */

void check_k8s_cross_namespace_service_account(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *sa = doc_get(e->attrs, "service_account");
        const char *name = doc_str(sa);
        if (!name || !strcmp(name, "default"))
            continue;
        const char *other = k8s_declared_elsewhere(&m.service_accounts, k8s_ns_of(e), name);
        if (other)
            lint_report(ctx, r, sa,
                        "%s '%s' in namespace '%s' runs as ServiceAccount '%s', which the "
                        "scanned files declare only in namespace '%s'",
                        k8s_object_kind(e), k8s_str_or(e->name, "?"), k8s_ns_of(e), name, other);
    }
    k8s_model_free(&m);
}

/* The references of one workload (and its containers) to Secrets by name. */
typedef struct secret_use {
    const doc_node *name;
    const char *how; /* env, envFrom, volume, imagePullSecrets */
} secret_use;

typedef struct secret_uses {
    secret_use *items;
    size_t count;
    size_t cap;
} secret_uses;

static void use_add(secret_uses *u, const doc_node *name, const char *how)
{
    const char *s = doc_str(name);
    if (!s || !*s)
        return;
    if (u->count == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 8;
        u->items = xrealloc(u->items, u->cap * sizeof *u->items);
    }
    u->items[u->count].name = name;
    u->items[u->count].how = how;
    u->count++;
}

static void workload_secret_uses(const entity *w, secret_uses *u)
{
    const doc_node *vols = doc_get(w->attrs, "volumes");
    for (size_t i = 0; vols && vols->kind == DOC_SEQ && i < vols->u.seq.count; i++) {
        const doc_node *v = vols->u.seq.items[i];
        if (doc_str_eq(doc_get(v, "type"), "secret"))
            use_add(u, doc_get(v, "secret_name"), "volume");
    }
    const doc_node *pull = doc_get(w->attrs, "image_pull_secrets");
    for (size_t i = 0; pull && pull->kind == DOC_SEQ && i < pull->u.seq.count; i++)
        use_add(u, pull->u.seq.items[i], "imagePullSecrets");
}

static void container_secret_uses(const entity *c, secret_uses *u)
{
    const doc_node *env = doc_get(c->attrs, "environment");
    for (size_t i = 0; env && env->kind == DOC_SEQ && i < env->u.seq.count; i++) {
        const doc_node *v = env->u.seq.items[i];
        if (doc_str_eq(doc_get(v, "value_from"), "secretKeyRef"))
            use_add(u, doc_get(v, "value_from_name"), "env");
    }
    const doc_node *from = doc_get(c->attrs, "env_from");
    for (size_t i = 0; from && from->kind == DOC_SEQ && i < from->u.seq.count; i++) {
        const doc_node *v = from->u.seq.items[i];
        if (doc_str_eq(doc_get(v, "type"), "secretRef"))
            use_add(u, doc_get(v, "name"), "envFrom");
    }
}

static int by_source_offset(const void *a, const void *b)
{
    size_t x = ((const secret_use *)a)->name->span.start.offset;
    size_t y = ((const secret_use *)b)->name->span.start.offset;
    return (x > y) - (x < y);
}

/* Reports the first use (in source order) of each Secret w reads that the
 * scan declares only in another namespace; empties u. */
static void report_secret_uses(const rule *r, lint_context *ctx, const k8s_model *m,
                               const entity *w, secret_uses *u)
{
    if (u->count > 1)
        qsort(u->items, u->count, sizeof *u->items, by_source_offset);
    for (size_t i = 0; i < u->count; i++) {
        const char *name = doc_str(u->items[i].name);
        bool repeat = false;
        for (size_t j = 0; j < i && !repeat; j++)
            repeat = !strcmp(doc_str(u->items[j].name), name);
        const char *other = repeat ? NULL : k8s_declared_elsewhere(&m->secrets, k8s_ns_of(w), name);
        if (other)
            lint_report(ctx, r, u->items[i].name,
                        "%s '%s' in namespace '%s' reads Secret '%s' (%s), which the scanned "
                        "files declare only in namespace '%s'",
                        k8s_object_kind(w), k8s_str_or(w->name, "?"), k8s_ns_of(w), name,
                        u->items[i].how, other);
    }
    u->count = 0;
}

/* Walks each file's entities in order: a workload's containers follow it. */
void check_k8s_cross_namespace_secret(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    secret_uses uses = {0};
    for (size_t i = 0; m.secrets.count && i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (in->failed || !in->src)
            continue;
        const entity *w = NULL;
        for (size_t j = 0; j < in->entities.count; j++) {
            const entity *e = in->entities.items[j];
            if (e->platform != PLATFORM_KUBERNETES)
                continue;
            if (k8s_is_kind(e, "k8s_workload")) {
                if (w)
                    report_secret_uses(r, ctx, &m, w, &uses);
                w = e;
                workload_secret_uses(e, &uses);
            } else if (k8s_is_kind(e, "container") && w &&
                       !strcmp(k8s_str_or(e->owner, ""), k8s_name_of(w))) {
                container_secret_uses(e, &uses);
            }
        }
        if (w)
            report_secret_uses(r, ctx, &m, w, &uses);
    }
    free(uses.items);
    k8s_model_free(&m);
}
