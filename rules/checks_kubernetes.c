/* checks_kubernetes.c - built-in C checks for Kubernetes: rules that need
 * more than one entity (a LimitRange, a ServiceAccount, an HPA, every
 * NetworkPolicy of a namespace ...) or source fields the entity model does
 * not carry (shareProcessNamespace, CronJob policies). Their metadata and
 * examples are in rules/builtin/kubernetes.yaml.
 *
 * Guarantees: the whole scan is one cluster; objects without
 * metadata.namespace are in namespace "default"; namespace-wide findings are
 * reported once per namespace, at its Namespace object's name when scanned,
 * else at the first workload of that namespace (inputs in scan order);
 * every other finding points at the offending value, or at the mapping the
 * missing field belongs in. Read-only over the model. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "rules/checks.h"
#include "rules/engine.h"

/* ---- the model: the Kubernetes entities of the scan, by kind ------------ */

typedef struct entity_vec {
    const entity **items;
    size_t count;
    size_t cap;
} entity_vec;

/* Each vector in scan order, except service_accounts and secrets: sorted by
 * name, then namespace, for lookups by name. */
typedef struct k8s_model {
    entity_vec workloads, containers, service_accounts, secrets, hpas, limit_ranges, roles,
        namespaces, network_policies, quotas;
} k8s_model;

static void vec_push(entity_vec *v, const entity *e)
{
    if (v->count == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = xrealloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->count++] = e;
}

static const char *ns_of(const entity *e);

static const char *name_of(const entity *e)
{
    return e->name ? e->name : "";
}

static int by_name_then_ns(const void *a, const void *b)
{
    const entity *x = *(const entity *const *)a, *y = *(const entity *const *)b;
    int c = strcmp(name_of(x), name_of(y));
    return c ? c : strcmp(ns_of(x), ns_of(y));
}

static entity_vec *vec_for(k8s_model *m, const char *kind)
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
            return (entity_vec *)((char *)m + table[i].offset);
    return NULL;
}

static k8s_model model_collect(const lint_context *ctx)
{
    k8s_model m = {0};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (in->failed || !in->src)
            continue;
        for (size_t j = 0; j < in->entities.count; j++) {
            const entity *e = in->entities.items[j];
            entity_vec *v = e->platform == PLATFORM_KUBERNETES ? vec_for(&m, e->kind) : NULL;
            if (v)
                vec_push(v, e);
        }
    }
    if (m.service_accounts.count)
        qsort(m.service_accounts.items, m.service_accounts.count, sizeof(const entity *),
              by_name_then_ns);
    if (m.secrets.count)
        qsort(m.secrets.items, m.secrets.count, sizeof(const entity *), by_name_then_ns);
    return m;
}

static void model_free(k8s_model *m)
{
    entity_vec *all[] = {&m->workloads,    &m->containers,   &m->service_accounts,
                         &m->secrets,      &m->hpas,         &m->limit_ranges,
                         &m->roles,        &m->namespaces,   &m->network_policies,
                         &m->quotas};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]->items);
    memset(m, 0, sizeof *m);
}

static bool is_kind(const entity *e, const char *kind)
{
    return strcmp(e->kind, kind) == 0;
}

/* The namespace an object lives in; objects without one go to "default". */
static const char *ns_of(const entity *e)
{
    return e->ns && *e->ns ? e->ns : "default";
}

/* The Kubernetes kind as written (Deployment, Pod ...). */
static const char *object_kind(const entity *e)
{
    const char *k = doc_str(doc_get(e->attrs, "kind"));
    return k ? k : "object";
}

static const char *str_or(const char *s, const char *fallback)
{
    return s && *s ? s : fallback;
}

static bool present(const doc_node *n)
{
    return n && !(n->kind == DOC_SCALAR && n->u.scalar.type == SCALAR_NULL);
}

/* Absent, null, "", {} or []. */
static bool empty_node(const doc_node *n)
{
    if (!present(n))
        return true;
    switch (n->kind) {
    case DOC_SCALAR: return n->u.scalar.len == 0;
    case DOC_MAP: return n->u.map.count == 0;
    case DOC_SEQ: return n->u.seq.count == 0;
    default: return false;
    }
}

/* The item of a sequence whose text is s, or NULL. */
static const doc_node *seq_find(const doc_node *seq, const char *s)
{
    for (size_t i = 0; seq && seq->kind == DOC_SEQ && i < seq->u.seq.count; i++)
        if (doc_str_eq(seq->u.seq.items[i], s))
            return seq->u.seq.items[i];
    return NULL;
}

/* The pod spec of a workload entity, read from its source object. */
static const doc_node *pod_spec(const entity *e)
{
    const char *kind = object_kind(e);
    const doc_node *spec;
    if (!strcmp(kind, "Pod"))
        spec = doc_get(e->source, "spec");
    else if (!strcmp(kind, "CronJob"))
        spec = doc_path(e->source, "spec.jobTemplate.spec.template.spec");
    else
        spec = doc_path(e->source, "spec.template.spec");
    return spec && spec->kind == DOC_MAP ? spec : NULL;
}

/* Where to point for "this object": its namespace, else its name, else it. */
static const doc_node *object_anchor(const entity *e)
{
    const doc_node *n = doc_path(e->source, "metadata.namespace");
    if (!present(n))
        n = doc_path(e->source, "metadata.name");
    return present(n) ? n : e->source;
}

/* "a, b, c" of a sequence of scalars. */
static void join_seq(strbuf *sb, const doc_node *seq)
{
    for (size_t i = 0; seq && seq->kind == DOC_SEQ && i < seq->u.seq.count; i++) {
        const char *s = doc_str(seq->u.seq.items[i]);
        sb_addf(sb, "%s\"%s\"", i ? ", " : "", s ? s : "?");
    }
}

/* Index of the first entity named name in v (sorted by name), or v->count. */
static size_t first_named(const entity_vec *v, const char *name)
{
    size_t lo = 0, hi = v->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(name_of(v->items[mid]), name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The entity named name in namespace ns of a name-sorted vector, or NULL. */
static const entity *find_named(const entity_vec *v, const char *ns, const char *name)
{
    for (size_t i = first_named(v, name); i < v->count && !strcmp(name_of(v->items[i]), name);
         i++)
        if (!strcmp(ns_of(v->items[i]), ns))
            return v->items[i];
    return NULL;
}

/* When name is not declared in ns but in another namespace: that namespace. */
static const char *declared_elsewhere(const entity_vec *v, const char *ns, const char *name)
{
    size_t first = first_named(v, name);
    if (first == v->count || strcmp(name_of(v->items[first]), name) != 0 ||
        find_named(v, ns, name))
        return NULL;
    return ns_of(v->items[first]);
}

/* ---- resource requests ------------------------------------------------- */

/* True when a LimitRange of namespace ns gives containers a default request
 * for resource: the API server derives it from defaultRequest, default, max
 * (the default limit when none is given) or min. */
static bool limit_range_defaults(const k8s_model *m, const char *ns, const char *resource)
{
    for (size_t i = 0; i < m->limit_ranges.count; i++) {
        const entity *e = m->limit_ranges.items[i];
        if (strcmp(ns_of(e), ns) != 0)
            continue;
        const doc_node *limits = doc_get(e->attrs, "limits");
        for (size_t j = 0; limits && limits->kind == DOC_SEQ && j < limits->u.seq.count; j++) {
            const doc_node *l = limits->u.seq.items[j];
            static const char *const sources[] = {"defaultRequest", "default", "max", "min"};
            if (!doc_str_eq(doc_get(l, "type"), "Container"))
                continue;
            for (size_t k = 0; k < sizeof sources / sizeof *sources; k++)
                if (present(doc_get(doc_get(l, sources[k]), resource)))
                    return true;
        }
    }
    return false;
}

static void check_request_missing(const rule *r, lint_context *ctx, const char *resource)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.containers.count; i++) {
        const entity *e = m.containers.items[i];
        if (doc_is_true(doc_get(e->attrs, "init")))
            continue;
        const doc_node *requests = doc_get(e->attrs, "requests");
        if (present(doc_get(requests, resource)) ||
            present(doc_get(doc_get(e->attrs, "limits"), resource)) ||
            limit_range_defaults(&m, ns_of(e), resource))
            continue;
        lint_report(ctx, r, requests ? requests : e->source,
                    "container '%s' of '%s' requests no %s (no resources.requests.%s, and no "
                    "limit or LimitRange default to take it from)",
                    str_or(e->name, "?"), str_or(e->owner, "?"),
                    !strcmp(resource, "cpu") ? "CPU" : resource, resource);
    }
    model_free(&m);
}

static void check_cpu_request_missing(const rule *r, lint_context *ctx)
{
    check_request_missing(r, ctx, "cpu");
}

static void check_memory_request_missing(const rule *r, lint_context *ctx)
{
    check_request_missing(r, ctx, "memory");
}

/* ---- pod spec fields --------------------------------------------------- */

static void check_default_namespace(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        if (strcmp(ns_of(e), "default") != 0)
            continue;
        lint_report(ctx, r, object_anchor(e), "%s '%s' is deployed to the default namespace (%s)",
                    object_kind(e), str_or(e->name, "?"),
                    e->ns ? "metadata.namespace: default" : "metadata.namespace unset");
    }
    model_free(&m);
}

static void check_sa_token_automount(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = pod_spec(e);
        if (!spec)
            continue;
        const doc_node *pod_flag = doc_get(e->attrs, "automount_service_account_token");
        if (pod_flag && !doc_is_true(pod_flag))
            continue; /* false on the pod wins */
        const char *sa = str_or(doc_str(doc_get(e->attrs, "service_account")), "default");
        const entity *account = find_named(&m.service_accounts, ns_of(e), sa);
        const doc_node *sa_flag =
            account ? doc_get(account->attrs, "automount_service_account_token") : NULL;
        if (!pod_flag && sa_flag && !doc_is_true(sa_flag))
            continue;
        if (pod_flag)
            lint_report(ctx, r, pod_flag,
                        "%s '%s' sets automountServiceAccountToken: true: its containers get "
                        "the API token of ServiceAccount '%s'",
                        object_kind(e), str_or(e->name, "?"), sa);
        else if (account)
            lint_report(ctx, r, spec,
                        "%s '%s' mounts the API token of ServiceAccount '%s': "
                        "automountServiceAccountToken is false neither in the pod spec nor on "
                        "the ServiceAccount",
                        object_kind(e), str_or(e->name, "?"), sa);
        else
            lint_report(ctx, r, spec,
                        "%s '%s' mounts the API token of ServiceAccount '%s': the pod spec does "
                        "not set automountServiceAccountToken: false",
                        object_kind(e), str_or(e->name, "?"), sa);
    }
    model_free(&m);
}

static void check_share_process_namespace(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = pod_spec(e);
        const doc_node *share = doc_get(spec, "shareProcessNamespace");
        if (doc_is_true(share))
            lint_report(ctx, r, share,
                        "%s '%s' sets shareProcessNamespace: true: each container sees and can "
                        "signal the others' processes and read their environment and files",
                        object_kind(e), str_or(e->name, "?"));
    }
    model_free(&m);
}

/* ---- replicas and CronJobs --------------------------------------------- */

static bool hpa_targets(const k8s_model *m, const entity *w)
{
    for (size_t i = 0; i < m->hpas.count; i++) {
        const entity *h = m->hpas.items[i];
        if (strcmp(ns_of(h), ns_of(w)) != 0)
            continue;
        const doc_node *ref = doc_get(h->attrs, "target_ref");
        if (doc_str_eq(doc_get(ref, "kind"), object_kind(w)) &&
            doc_str_eq(doc_get(ref, "name"), str_or(w->name, "")))
            return true;
    }
    return false;
}

static void check_single_replica(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const char *kind = object_kind(e);
        if (strcmp(kind, "Deployment") != 0 && strcmp(kind, "StatefulSet") != 0)
            continue;
        const doc_node *spec = doc_get(e->source, "spec");
        const doc_node *replicas = doc_get(spec, "replicas");
        int64_t n = 1;
        if (present(replicas) && !doc_int(replicas, &n))
            continue; /* a template expression: unknown */
        if (n != 1 || hpa_targets(&m, e))
            continue;
        const doc_node *at = present(replicas) ? replicas : spec ? spec : e->source;
        lint_report(ctx, r, at,
                    "%s '%s' runs a single replica (%s) and no HorizontalPodAutoscaler scales "
                    "it: every drain, crash or eviction is an outage",
                    kind, str_or(e->name, "?"),
                    present(replicas) ? "replicas: 1" : "replicas unset, default 1");
    }
    model_free(&m);
}

/* CronJobs that are not suspended, with their spec. */
static const doc_node *active_cronjob_spec(const entity *e)
{
    if (strcmp(object_kind(e), "CronJob") != 0)
        return NULL;
    const doc_node *spec = doc_get(e->source, "spec");
    if (!spec || spec->kind != DOC_MAP || doc_is_true(doc_get(spec, "suspend")))
        return NULL;
    return spec;
}

static const doc_node *cronjob_anchor(const doc_node *spec)
{
    const doc_node *s = doc_get(spec, "schedule");
    return present(s) ? s : spec;
}

static void check_cronjob_concurrency(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = active_cronjob_spec(e);
        if (!spec)
            continue;
        const doc_node *policy = doc_get(spec, "concurrencyPolicy");
        if (present(policy) && !doc_str_eq(policy, "Allow"))
            continue;
        lint_report(ctx, r, present(policy) ? policy : cronjob_anchor(spec),
                    "CronJob '%s' lets runs overlap (concurrencyPolicy %s): a run that outlasts "
                    "the schedule interval does not stop the next one",
                    str_or(e->name, "?"), present(policy) ? "Allow" : "unset, default Allow");
    }
    model_free(&m);
}

static void check_cronjob_starting_deadline(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = active_cronjob_spec(e);
        if (!spec || present(doc_get(spec, "startingDeadlineSeconds")))
            continue;
        lint_report(ctx, r, cronjob_anchor(spec),
                    "CronJob '%s' sets no startingDeadlineSeconds: a missed run starts whenever "
                    "the controller catches up, however late",
                    str_or(e->name, "?"));
    }
    model_free(&m);
}

/* ---- RBAC -------------------------------------------------------------- */

typedef void (*rbac_rule_fn)(const rule *r, lint_context *ctx, const entity *role,
                             const doc_node *item);

/* Calls fn for every rule of every Role and ClusterRole. */
static void each_rbac_rule(const rule *r, lint_context *ctx, rbac_rule_fn fn)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.roles.count; i++) {
        const entity *e = m.roles.items[i];
        const doc_node *rules = doc_get(e->attrs, "rules");
        for (size_t j = 0; rules && rules->kind == DOC_SEQ && j < rules->u.seq.count; j++)
            if (rules->u.seq.items[j]->kind == DOC_MAP)
                fn(r, ctx, e, rules->u.seq.items[j]);
    }
    model_free(&m);
}

/* "apiGroups [...], resources [...], verbs [...]" of an RBAC rule. */
static char *rbac_rule_text(const doc_node *item)
{
    strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "apiGroups [");
    join_seq(&sb, doc_get(item, "api_groups"));
    sb_adds(&sb, "], resources [");
    join_seq(&sb, doc_get(item, "resources"));
    sb_adds(&sb, "], verbs [");
    join_seq(&sb, doc_get(item, "verbs"));
    sb_adds(&sb, "]");
    return sb_detach(&sb);
}

static void rbac_wildcard(const rule *r, lint_context *ctx, const entity *role,
                          const doc_node *item)
{
    static const struct {
        const char *attr, *field;
    } fields[] = {{"api_groups", "apiGroups"}, {"resources", "resources"}, {"verbs", "verbs"}};
    const doc_node *first = NULL;
    const char *field = NULL;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const doc_node *star = seq_find(doc_get(item, fields[i].attr), "*");
        if (star && (!first || star->span.start.offset < first->span.start.offset)) {
            first = star;
            field = fields[i].field;
        }
    }
    if (!first)
        return;
    char *text = rbac_rule_text(item);
    lint_report(ctx, r, first, "%s '%s' grants '*' in %s: %s", object_kind(role),
                str_or(role->name, "?"), field, text);
    free(text);
}

/* Verbs of item among want (joined into sb); the first one found, or NULL. */
static const doc_node *verbs_among(const doc_node *item, const char *const *want, size_t n,
                                   strbuf *sb)
{
    const doc_node *verbs = doc_get(item, "verbs");
    const doc_node *first = NULL;
    for (size_t i = 0; verbs && verbs->kind == DOC_SEQ && i < verbs->u.seq.count; i++) {
        const doc_node *v = verbs->u.seq.items[i];
        for (size_t k = 0; k < n; k++) {
            if (doc_str_eq(v, want[k])) {
                sb_addf(sb, "%s%s", first ? ", " : "", want[k]);
                if (!first)
                    first = v;
                break;
            }
        }
    }
    return first;
}

static void rbac_secrets_read(const rule *r, lint_context *ctx, const entity *role,
                              const doc_node *item)
{
    static const char *const read[] = {"get", "list", "watch", "*"};
    const doc_node *secrets = seq_find(doc_get(item, "resources"), "secrets");
    const doc_node *groups = doc_get(item, "api_groups");
    if (!secrets || !(seq_find(groups, "") || seq_find(groups, "*")) ||
        !empty_node(doc_get(item, "resource_names")))
        return;
    strbuf verbs;
    sb_init(&verbs);
    if (verbs_among(item, read, sizeof read / sizeof *read, &verbs))
        lint_report(ctx, r, secrets, "%s '%s' allows %s on secrets%s: every Secret in its scope "
                    "is readable",
                    object_kind(role), str_or(role->name, "?"), verbs.buf,
                    is_kind(role, "k8s_cluster_role") ? " (in every namespace when bound by a "
                                                        "ClusterRoleBinding)" : "");
    sb_free(&verbs);
}

static void rbac_pods_exec(const rule *r, lint_context *ctx, const entity *role,
                           const doc_node *item)
{
    static const char *const exec[] = {"create", "get", "*"};
    const doc_node *res = doc_get(item, "resources");
    const doc_node *sub = seq_find(res, "pods/exec");
    if (!sub)
        sub = seq_find(res, "pods/attach");
    if (!sub)
        sub = seq_find(res, "pods/*");
    const doc_node *groups = doc_get(item, "api_groups");
    if (!sub || !(seq_find(groups, "") || seq_find(groups, "*")))
        return;
    strbuf verbs;
    sb_init(&verbs);
    if (verbs_among(item, exec, sizeof exec / sizeof *exec, &verbs))
        lint_report(ctx, r, sub, "%s '%s' allows %s on %s: its subjects can run commands inside "
                    "pods, with their tokens and Secrets",
                    object_kind(role), str_or(role->name, "?"), verbs.buf, doc_str(sub));
    sb_free(&verbs);
}

static void rbac_escalation_verbs(const rule *r, lint_context *ctx, const entity *role,
                                  const doc_node *item)
{
    static const char *const esc[] = {"bind", "escalate", "impersonate"};
    strbuf verbs;
    sb_init(&verbs);
    const doc_node *first = verbs_among(item, esc, sizeof esc / sizeof *esc, &verbs);
    if (first) {
        strbuf res;
        sb_init(&res);
        join_seq(&res, doc_get(item, "resources"));
        lint_report(ctx, r, first, "%s '%s' grants %s on [%s]: a path to permissions its "
                    "subjects do not hold",
                    object_kind(role), str_or(role->name, "?"), verbs.buf, res.buf);
        sb_free(&res);
    }
    sb_free(&verbs);
}

static void check_rbac_wildcard(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_wildcard);
}

static void check_rbac_secrets_read(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_secrets_read);
}

static void check_rbac_pods_exec(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_pods_exec);
}

static void check_rbac_escalation_verbs(const rule *r, lint_context *ctx)
{
    each_rbac_rule(r, ctx, rbac_escalation_verbs);
}

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
    if (!present(sel))
        return true;
    if (sel->kind != DOC_MAP)
        return false;
    return empty_node(doc_get(sel, "matchLabels")) && empty_node(doc_get(sel, "matchExpressions"));
}

/* A NetworkPolicy ingress rule that admits every source. */
static bool ingress_rule_admits_all(const doc_node *rule_item)
{
    const doc_node *from = doc_get(rule_item, "from");
    if (empty_node(from))
        return true;
    for (size_t i = 0; from->kind == DOC_SEQ && i < from->u.seq.count; i++) {
        const doc_node *peer = from->u.seq.items[i];
        const doc_node *nsel = doc_get(peer, "namespace_selector");
        const char *cidr = doc_str(doc_get(peer, "ip_block_cidr"));
        if (present(nsel) && selector_matches_all(nsel) &&
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
    if (present(types) && !seq_find(types, "Ingress"))
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
        ns_info *n = ns_lookup(&t, ns_of(m->workloads.items[i]));
        if (!n->workloads++)
            n->first_workload = m->workloads.items[i];
    }
    for (size_t i = 0; i < m->network_policies.count; i++)
        if (is_default_deny(m->network_policies.items[i]))
            ns_lookup(&t, ns_of(m->network_policies.items[i]))->default_deny = true;
    for (size_t i = 0; i < m->quotas.count; i++)
        ns_lookup(&t, ns_of(m->quotas.items[i]))->quota = true;
    for (size_t i = 0; i < m->limit_ranges.count; i++)
        ns_lookup(&t, ns_of(m->limit_ranges.items[i]))->quota = true;
    return t;
}

static const doc_node *namespace_anchor(const ns_info *n)
{
    if (n->ns_object) {
        const doc_node *name = doc_path(n->ns_object->source, "metadata.name");
        return present(name) ? name : n->ns_object->source;
    }
    return object_anchor(n->first_workload);
}

static void check_namespace_default_deny(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    ns_table t = namespaces_collect(&m);
    for (size_t i = 0; i < t.count; i++) {
        const ns_info *n = &t.items[i];
        if (!n->workloads || n->default_deny)
            continue;
        lint_report(ctx, r, namespace_anchor(n),
                    "namespace '%s' runs %zu workload%s (first: %s '%s') but no NetworkPolicy "
                    "among the scanned files denies ingress by default: every pod of the "
                    "cluster can reach them",
                    n->name, n->workloads, n->workloads == 1 ? "" : "s",
                    object_kind(n->first_workload), str_or(n->first_workload->name, "?"));
    }
    free(t.items);
    model_free(&m);
}

static void check_namespace_quota(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    ns_table t = namespaces_collect(&m);
    for (size_t i = 0; i < t.count; i++) {
        const ns_info *n = &t.items[i];
        if (!n->workloads || n->quota)
            continue;
        lint_report(ctx, r, namespace_anchor(n),
                    "namespace '%s' runs %zu workload%s (first: %s '%s') but has no "
                    "ResourceQuota or LimitRange among the scanned files: nothing bounds what "
                    "it consumes",
                    n->name, n->workloads, n->workloads == 1 ? "" : "s",
                    object_kind(n->first_workload), str_or(n->first_workload->name, "?"));
    }
    free(t.items);
    model_free(&m);
}

/* ---- references across namespaces -------------------------------------- */

static void check_cross_namespace_service_account(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *sa = doc_get(e->attrs, "service_account");
        const char *name = doc_str(sa);
        if (!name || !strcmp(name, "default"))
            continue;
        const char *other = declared_elsewhere(&m.service_accounts, ns_of(e), name);
        if (other)
            lint_report(ctx, r, sa,
                        "%s '%s' in namespace '%s' runs as ServiceAccount '%s', which the "
                        "scanned files declare only in namespace '%s'",
                        object_kind(e), str_or(e->name, "?"), ns_of(e), name, other);
    }
    model_free(&m);
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
        const char *other = repeat ? NULL : declared_elsewhere(&m->secrets, ns_of(w), name);
        if (other)
            lint_report(ctx, r, u->items[i].name,
                        "%s '%s' in namespace '%s' reads Secret '%s' (%s), which the scanned "
                        "files declare only in namespace '%s'",
                        object_kind(w), str_or(w->name, "?"), ns_of(w), name, u->items[i].how,
                        other);
    }
    u->count = 0;
}

/* Walks each file's entities in order: a workload's containers follow it. */
static void check_cross_namespace_secret(const rule *r, lint_context *ctx)
{
    k8s_model m = model_collect(ctx);
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
            if (is_kind(e, "k8s_workload")) {
                if (w)
                    report_secret_uses(r, ctx, &m, w, &uses);
                w = e;
                workload_secret_uses(e, &uses);
            } else if (is_kind(e, "container") && w && !strcmp(str_or(e->owner, ""), name_of(w))) {
                container_secret_uses(e, &uses);
            }
        }
        if (w)
            report_secret_uses(r, ctx, &m, w, &uses);
    }
    free(uses.items);
    model_free(&m);
}

const check_entry checks_kubernetes[] = {
    {"k8s-cpu-request-missing", check_cpu_request_missing},
    {"k8s-memory-request-missing", check_memory_request_missing},
    {"k8s-default-namespace", check_default_namespace},
    {"k8s-sa-token-automount", check_sa_token_automount},
    {"k8s-share-process-namespace", check_share_process_namespace},
    {"k8s-single-replica", check_single_replica},
    {"k8s-cronjob-concurrency", check_cronjob_concurrency},
    {"k8s-cronjob-starting-deadline", check_cronjob_starting_deadline},
    {"k8s-rbac-wildcard", check_rbac_wildcard},
    {"k8s-rbac-secrets-read", check_rbac_secrets_read},
    {"k8s-rbac-pods-exec", check_rbac_pods_exec},
    {"k8s-rbac-escalation-verbs", check_rbac_escalation_verbs},
    {"k8s-namespace-default-deny", check_namespace_default_deny},
    {"k8s-namespace-quota", check_namespace_quota},
    {"k8s-cross-namespace-service-account", check_cross_namespace_service_account},
    {"k8s-cross-namespace-secret", check_cross_namespace_secret},
    {NULL, NULL},
};
