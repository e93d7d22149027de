/* checks_k8s_isolation.c - built-in C checks on isolation between
 * Kubernetes namespaces: every namespace that runs workloads has a
 * default-deny ingress NetworkPolicy and a ResourceQuota or LimitRange, and
 * no workload uses a ServiceAccount or Secret that the scan declares only in
 * another namespace. Rule records and examples are in
 * rules/builtin/kubernetes.yaml.
 *
 * They judge the scan as one cluster, from the digest each file leaves
 * (rules/k8s_digest.h): the namespace checks read its facts, the reference
 * checks settle the pending findings collected while the file was loaded.
 *
 * Guarantees: namespace-wide findings are
 * reported once per namespace, at its Namespace object's name when scanned,
 * else at the first workload of that namespace (inputs in scan order);
 * reference findings point at the name that refers across namespaces, once
 * per workload and Secret (its first use in source order). Read-only over
 * the inputs. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/name_table.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "rules/checks_k8s.h"
#include "rules/engine.h"
#include "rules/k8s_digest.h"
#include "rules/k8s_model.h"

/* ---- namespaces -------------------------------------------------------- */

typedef struct ns_info {
    const char *name;
    const k8s_ns_object *ns_object;          /* its Namespace, when scanned */
    const input_file *ns_object_in;
    const k8s_workload_ref *first_workload; /* in scan order */
    const input_file *first_workload_in;
    size_t workloads;
    bool default_deny;                      /* a NetworkPolicy isolates every pod for ingress */
    bool quota;                             /* a ResourceQuota or LimitRange */
} ns_info;

/* The namespaces in the order first named, found by name (by_name: name ->
 * index into items). */
typedef struct ns_table {
    ns_info *items;
    size_t count, cap;
    name_table by_name;
} ns_table;

static ns_info *ns_lookup(ns_table *t, const char *name)
{
    uintptr_t at;
    if (name_table_add(&t->by_name, name, strlen(name), t->count, &at))
        return &t->items[at];
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->items = xrealloc(t->items, t->cap * sizeof *t->items);
    }
    ns_info *n = &t->items[t->count++];
    memset(n, 0, sizeof *n);
    n->name = name;
    return n;
}

static void ns_table_free(ns_table *t)
{
    free(t->items);
    name_table_free(&t->by_name);
}

/* Namespace objects first, then the namespaces workloads name, each in
 * scan order; then what guards each. */
static ns_table namespaces_collect(const lint_context *ctx)
{
    ns_table t = {0};
    name_table_init(&t.by_name);
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const k8s_digest *d = k8s_digest_at(ctx, i);
        for (size_t k = 0; d && k < d->nnamespaces; k++) {
            ns_info *n = ns_lookup(&t, d->namespaces[k].name);
            if (!n->ns_object) {
                n->ns_object = &d->namespaces[k];
                n->ns_object_in = ctx->inputs[i];
            }
        }
    }
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const k8s_digest *d = k8s_digest_at(ctx, i);
        for (size_t k = 0; d && k < d->nworkloads; k++) {
            ns_info *n = ns_lookup(&t, d->workloads[k].ns);
            if (!n->workloads++) {
                n->first_workload = &d->workloads[k];
                n->first_workload_in = ctx->inputs[i];
            }
        }
    }
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const k8s_digest *d = k8s_digest_at(ctx, i);
        for (size_t k = 0; d && k < d->ndefault_deny; k++)
            ns_lookup(&t, d->default_deny[k])->default_deny = true;
        for (size_t k = 0; d && k < d->nquotas; k++)
            ns_lookup(&t, d->quotas[k])->quota = true;
        for (size_t k = 0; d && k < d->nlimit_ranges; k++)
            ns_lookup(&t, d->limit_ranges[k].ns)->quota = true;
    }
    return t;
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
 * for, at its Namespace object's name, else at its first workload; lack
 * ends the message, after "... (first: Kind 'name') but ". */
static void report_unguarded_namespaces(const rule *r, lint_context *ctx,
                                        bool (*guarded)(const ns_info *n), const char *lack)
{
    ns_table t = namespaces_collect(ctx);
    strbuf msg;
    sb_init(&msg);
    for (size_t i = 0; i < t.count; i++) {
        const ns_info *n = &t.items[i];
        if (!n->workloads || guarded(n))
            continue;
        sb_reset(&msg);
        sb_addf(&msg, "namespace '%s' runs %zu workload%s (first: %s '%s') but %s", n->name,
                n->workloads, n->workloads == 1 ? "" : "s", n->first_workload->kind,
                n->first_workload->name, lack);
        if (n->ns_object)
            k8s_report_anchor(ctx, r, n->ns_object_in, &n->ns_object->anchor, msg.buf);
        else
            k8s_report_anchor(ctx, r, n->first_workload_in, &n->first_workload->anchor, msg.buf);
    }
    sb_free(&msg);
    ns_table_free(&t);
}

/* The namespace checks read only the facts of each input's digest. */
void collect_k8s_facts(const rule *r, lint_context *one)
{
    (void)r;
    k8s_digest_of(one->inputs[0]);
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

/* Pending until every ServiceAccount is read: the namespaces declaring it. */
static void pend_cross_namespace_service_account(const rule *r, k8s_digest *d, const entity *e,
                                                 strbuf *msg)
{
    const doc_node *sa = doc_get(e->attrs, "service_account");
    const char *name = doc_str(sa);
    if (!name || !strcmp(name, "default"))
        return;
    sb_reset(msg);
    sb_addf(msg,
            "%s '%s' in namespace '%s' runs as ServiceAccount '%s', which the "
            "scanned files declare only in namespace '",
            k8s_object_kind(e), k8s_str_or(e->name, "?"), k8s_ns_of(e), name);
    k8s_digest_pend(d, r, K8S_IF_SA_ELSEWHERE, sa->span, k8s_ns_of(e), name, NULL, msg->buf);
}

void collect_k8s_cross_namespace_service_account(const rule *r, lint_context *one)
{
    k8s_pend_each_workload(r, one, pend_cross_namespace_service_account);
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

/* Makes the first use (in source order) of each Secret w reads pending
 * until every Secret is read: the namespaces declaring it; empties u. */
static void pend_secret_uses(const rule *r, k8s_digest *d, const entity *w, secret_uses *u)
{
    if (u->count > 1)
        qsort(u->items, u->count, sizeof *u->items, by_source_offset);
    strbuf msg;
    sb_init(&msg);
    for (size_t i = 0; i < u->count; i++) {
        const char *name = doc_str(u->items[i].name);
        bool repeat = false;
        for (size_t j = 0; j < i && !repeat; j++)
            repeat = !strcmp(doc_str(u->items[j].name), name);
        if (repeat)
            continue;
        sb_reset(&msg);
        sb_addf(&msg,
                "%s '%s' in namespace '%s' reads Secret '%s' (%s), which the scanned "
                "files declare only in namespace '",
                k8s_object_kind(w), k8s_str_or(w->name, "?"), k8s_ns_of(w), name,
                u->items[i].how);
        k8s_digest_pend(d, r, K8S_IF_SECRET_ELSEWHERE, u->items[i].name->span, k8s_ns_of(w),
                        name, NULL, msg.buf);
    }
    sb_free(&msg);
    u->count = 0;
}

/* Walks the file's entities in order: a workload's containers follow it. */
void collect_k8s_cross_namespace_secret(const rule *r, lint_context *one)
{
    input_file *in = one->inputs[0];
    k8s_digest *d = k8s_digest_of(in);
    if (!d)
        return;
    secret_uses uses = {0};
    const entity *w = NULL;
    for (size_t j = 0; j < in->entities.count; j++) {
        const entity *e = in->entities.items[j];
        if (e->platform != PLATFORM_KUBERNETES)
            continue;
        if (k8s_is_kind(e, "k8s_workload")) {
            if (w)
                pend_secret_uses(r, d, w, &uses);
            w = e;
            workload_secret_uses(e, &uses);
        } else if (k8s_is_kind(e, "container") && w &&
                   !strcmp(k8s_str_or(e->owner, ""), k8s_name_of(w))) {
            container_secret_uses(e, &uses);
        }
    }
    if (w)
        pend_secret_uses(r, d, w, &uses);
    free(uses.items);
}
