/* k8s_digest.c - the facts and pending findings the cluster-wide Kubernetes
 * checks keep of each input, and settling those findings once every input
 * is read. See k8s_digest.h for the guarantees. */
#include "rules/k8s_digest.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "rules/engine.h"
#include "rules/k8s_model.h"

/* ---- building one input's digest ---------------------------------------- */

/* Room for one more element in a vector of elem-byte items. */
static void *grow(void *items, size_t count, size_t *cap, size_t elem)
{
    if (count < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 8;
    return xrealloc(items, *cap * elem);
}
#define PUSH(d, field) \
    (d->field = grow(d->field, d->n##field, &d->cap_##field, sizeof *d->field), \
     &d->field[d->n##field++])

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
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

/* True when LimitRange lr gives containers a default request for resource:
 * the API server derives it from defaultRequest, default, max (the default
 * limit when none is given) or min. */
static bool limit_range_defaults(const entity *lr, const char *resource)
{
    static const char *const sources[] = {"defaultRequest", "default", "max", "min"};
    const doc_node *limits = doc_get(lr->attrs, "limits");
    for (size_t j = 0; limits && limits->kind == DOC_SEQ && j < limits->u.seq.count; j++) {
        const doc_node *l = limits->u.seq.items[j];
        if (!doc_str_eq(doc_get(l, "type"), "Container"))
            continue;
        for (size_t k = 0; k < sizeof sources / sizeof *sources; k++)
            if (k8s_present(doc_get(doc_get(l, sources[k]), resource)))
                return true;
    }
    return false;
}

static void add_named(k8s_named *n, const entity *e)
{
    n->ns = xstrdup(k8s_ns_of(e));
    n->name = xstrdup(k8s_name_of(e));
    const doc_node *flag = doc_get(e->attrs, "automount_service_account_token");
    n->automount_off = flag && !doc_is_true(flag);
}

static void anchor_set(k8s_anchor *a, const input_file *in, const doc_node *at)
{
    a->span = at->span;
    a->text = lint_fingerprint_text_of(in, at->span, &a->len);
}

static void collect_facts(k8s_digest *d, const k8s_model *m)
{
    for (size_t i = 0; i < m->service_accounts.count; i++)
        add_named(PUSH(d, accounts), m->service_accounts.items[i]);
    for (size_t i = 0; i < m->secrets.count; i++)
        add_named(PUSH(d, secrets), m->secrets.items[i]);
    for (size_t i = 0; i < m->hpas.count; i++) {
        const entity *e = m->hpas.items[i];
        const doc_node *ref = doc_get(e->attrs, "target_ref");
        k8s_hpa *h = PUSH(d, hpas);
        h->ns = xstrdup(k8s_ns_of(e));
        h->kind = dup_or_null(doc_str(doc_get(ref, "kind")));
        h->name = dup_or_null(doc_str(doc_get(ref, "name")));
    }
    for (size_t i = 0; i < m->limit_ranges.count; i++) {
        const entity *e = m->limit_ranges.items[i];
        k8s_limit_range *l = PUSH(d, limit_ranges);
        l->ns = xstrdup(k8s_ns_of(e));
        l->cpu = limit_range_defaults(e, "cpu");
        l->memory = limit_range_defaults(e, "memory");
    }
    for (size_t i = 0; i < m->namespaces.count; i++) {
        const entity *e = m->namespaces.items[i];
        if (!e->name || !*e->name)
            continue;
        const doc_node *name = doc_path(e->source, "metadata.name");
        k8s_ns_object *n = PUSH(d, namespaces);
        n->name = xstrdup(e->name);
        anchor_set(&n->anchor, d->in, k8s_present(name) ? name : e->source);
    }
    for (size_t i = 0; i < m->workloads.count; i++) {
        const entity *e = m->workloads.items[i];
        k8s_workload_ref *w = PUSH(d, workloads);
        w->ns = xstrdup(k8s_ns_of(e));
        w->kind = xstrdup(k8s_object_kind(e));
        w->name = xstrdup(k8s_str_or(e->name, "?"));
        anchor_set(&w->anchor, d->in, k8s_object_anchor(e));
    }
    for (size_t i = 0; i < m->network_policies.count; i++)
        if (is_default_deny(m->network_policies.items[i]))
            *PUSH(d, default_deny) = xstrdup(k8s_ns_of(m->network_policies.items[i]));
    for (size_t i = 0; i < m->quotas.count; i++)
        *PUSH(d, quotas) = xstrdup(k8s_ns_of(m->quotas.items[i]));
}

static void digest_free(void *p)
{
    k8s_digest *d = p;
    for (size_t i = 0; i < d->npending; i++)
        free(d->pending[i].texts);
    k8s_named *named[] = {d->accounts, d->secrets};
    size_t nnamed[] = {d->naccounts, d->nsecrets};
    for (size_t v = 0; v < 2; v++)
        for (size_t i = 0; i < nnamed[v]; i++) {
            free(named[v][i].ns);
            free(named[v][i].name);
        }
    for (size_t i = 0; i < d->nhpas; i++) {
        free(d->hpas[i].ns);
        free(d->hpas[i].kind);
        free(d->hpas[i].name);
    }
    for (size_t i = 0; i < d->nlimit_ranges; i++)
        free(d->limit_ranges[i].ns);
    for (size_t i = 0; i < d->nnamespaces; i++) {
        free(d->namespaces[i].name);
        free(d->namespaces[i].anchor.text);
    }
    for (size_t i = 0; i < d->nworkloads; i++) {
        free(d->workloads[i].anchor.text);
        free(d->workloads[i].ns);
        free(d->workloads[i].kind);
        free(d->workloads[i].name);
    }
    for (size_t i = 0; i < d->ndefault_deny; i++)
        free(d->default_deny[i]);
    for (size_t i = 0; i < d->nquotas; i++)
        free(d->quotas[i]);
    free(d->pending);
    free(d->accounts);
    free(d->secrets);
    free(d->hpas);
    free(d->limit_ranges);
    free(d->namespaces);
    free(d->workloads);
    free(d->default_deny);
    free(d->quotas);
    suppression_list_free(&d->suppressions);
    free(d);
}

k8s_digest *k8s_digest_of(input_file *in)
{
    if (in->format != FMT_KUBERNETES || in->failed || !in->src)
        return NULL;
    if (in->lint_digest)
        return in->lint_digest;
    k8s_digest *d = xcalloc(1, sizeof *d);
    d->in = in;
    suppression_list_build(&d->suppressions, in->src);
    for (size_t i = 0; i < d->suppressions.count; i++)
        d->suppressions.items[i].comment = NULL; /* in the source, which may go */
    input_file *one[1] = {in};
    lint_context ctx = {.inputs = one, .ninputs = 1};
    const k8s_model *m = k8s_model_take(&ctx);
    collect_facts(d, m);
    k8s_model_drop(&ctx, m);
    in->lint_digest = d;
    in->lint_digest_free = digest_free;
    return d;
}

void k8s_digest_pend(k8s_digest *d, const rule *r, k8s_pending_when when, src_span span,
                     const char *ns, const char *arg, const char *arg2, const char *message)
{
    k8s_pending *p = PUSH(d, pending);
    /* the finding pended just before, for each other way a check can go,
     * may be of the same rule and span: it has the fingerprint */
    const k8s_pending *prev = d->npending > 1 ? p - 1 : NULL;
    bool same = prev && prev->rule == r && prev->span.start.offset == span.start.offset &&
                prev->span.end.offset == span.end.offset;
    p->rule = r;
    p->when = when;
    p->span = span;
    p->fingerprint = same ? prev->fingerprint : lint_fingerprint_span(r, d->in, span);
    const char *from[] = {ns, arg, arg2, message};
    const char **to[] = {&p->ns, &p->arg, &p->arg2, &p->message};
    size_t len[4], size = 0;
    for (size_t i = 0; i < 4; i++) {
        len[i] = from[i] ? strlen(from[i]) + 1 : 0;
        size += len[i];
    }
    char *t = p->texts = xmalloc(size ? size : 1);
    for (size_t i = 0; i < 4; i++) {
        *to[i] = from[i] ? memcpy(t, from[i], len[i]) : NULL;
        t += len[i];
    }
}

void k8s_pend_each_workload(const rule *r, lint_context *one, k8s_workload_fn fn)
{
    k8s_digest *d = k8s_digest_of(one->inputs[0]);
    if (!d)
        return;
    const k8s_model *m = k8s_model_take(one);
    strbuf msg;
    sb_init(&msg);
    for (size_t i = 0; i < m->workloads.count; i++)
        fn(r, d, m->workloads.items[i], &msg);
    sb_free(&msg);
    k8s_model_drop(one, m);
}

/* ---- settling against every input's facts -------------------------------- */

const k8s_digest *k8s_digest_at(const lint_context *ctx, size_t i)
{
    const input_file *in = ctx->inputs[i];
    return in->format == FMT_KUBERNETES ? in->lint_digest : NULL;
}

/* A sorted set of keys made of fields joined by '\x1f'. */
typedef struct key_set {
    char **items;
    size_t count, cap;
} key_set;

/* Bytes of the key of a, b and c (c may be NULL), with its NUL. */
static size_t key_size(const char *a, const char *b, const char *c)
{
    return strlen(a) + 1 + strlen(b) + (c ? 1 + strlen(c) : 0) + 1;
}

static void key_write(char *k, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b);
    memcpy(k, a, la);
    k[la] = '\x1f';
    memcpy(k + la + 1, b, lb + 1);
    if (c) {
        k[la + 1 + lb] = '\x1f';
        memcpy(k + la + lb + 2, c, strlen(c) + 1);
    }
}

static char *key_of(const char *a, const char *b, const char *c)
{
    char *k = xmalloc(key_size(a, b, c));
    key_write(k, a, b, c);
    return k;
}

static void key_add(key_set *s, char *key)
{
    s->items = grow(s->items, s->count, &s->cap, sizeof *s->items);
    s->items[s->count++] = key;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool key_has(const key_set *s, const char *a, const char *b, const char *c)
{
    if (!s->count)
        return false;
    char buf[256];
    size_t size = key_size(a, b, c);
    char *k = size <= sizeof buf ? buf : xmalloc(size);
    key_write(k, a, b, c);
    bool found = bsearch(&k, s->items, s->count, sizeof *s->items, by_key) != NULL;
    if (k != buf)
        free(k);
    return found;
}

static void key_set_free(key_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
}

/* "ns, resource" for each default a LimitRange gives; "ns, kind, name" for
 * each HPA target. */
static void facts_index(const lint_context *ctx, key_set *defaults, key_set *hpa_targets)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const k8s_digest *d = k8s_digest_at(ctx, i);
        for (size_t k = 0; d && k < d->nlimit_ranges; k++) {
            if (d->limit_ranges[k].cpu)
                key_add(defaults, key_of(d->limit_ranges[k].ns, "cpu", NULL));
            if (d->limit_ranges[k].memory)
                key_add(defaults, key_of(d->limit_ranges[k].ns, "memory", NULL));
        }
        for (size_t k = 0; d && k < d->nhpas; k++)
            if (d->hpas[k].kind && d->hpas[k].name)
                key_add(hpa_targets, key_of(d->hpas[k].ns, d->hpas[k].kind, d->hpas[k].name));
    }
    if (defaults->count)
        qsort(defaults->items, defaults->count, sizeof *defaults->items, by_key);
    if (hpa_targets->count)
        qsort(hpa_targets->items, hpa_targets->count, sizeof *hpa_targets->items, by_key);
}

/* Every ServiceAccount (or Secret) of the scan, sorted by name then
 * namespace, for binary search. */
typedef struct named_index {
    const k8s_named **items;
    size_t count;
} named_index;

static int by_name_then_ns(const void *a, const void *b)
{
    const k8s_named *x = *(const k8s_named *const *)a, *y = *(const k8s_named *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->ns, y->ns);
}

static named_index named_index_build(const lint_context *ctx, bool secrets)
{
    named_index ix = {0};
    size_t cap = 0;
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const k8s_digest *d = k8s_digest_at(ctx, i);
        size_t n = !d ? 0 : secrets ? d->nsecrets : d->naccounts;
        for (size_t k = 0; k < n; k++) {
            ix.items = grow(ix.items, ix.count, &cap, sizeof *ix.items);
            ix.items[ix.count++] = secrets ? &d->secrets[k] : &d->accounts[k];
        }
    }
    if (ix.count)
        qsort(ix.items, ix.count, sizeof *ix.items, by_name_then_ns);
    return ix;
}

/* Index of the first entry named name, or ix->count. */
static size_t first_named(const named_index *ix, const char *name)
{
    size_t lo = 0, hi = ix->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->items[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const k8s_named *find_named(const named_index *ix, const char *ns, const char *name)
{
    for (size_t i = first_named(ix, name); i < ix->count && !strcmp(ix->items[i]->name, name);
         i++)
        if (!strcmp(ix->items[i]->ns, ns))
            return ix->items[i];
    return NULL;
}

/* When name is not declared in ns but elsewhere: the first such namespace
 * in (name, namespace) order; else NULL. */
static const char *declared_elsewhere(const named_index *ix, const char *ns, const char *name)
{
    size_t first = first_named(ix, name);
    if (first == ix->count || strcmp(ix->items[first]->name, name) != 0 ||
        find_named(ix, ns, name))
        return NULL;
    return ix->items[first]->ns;
}

/* The facts of every input, each index made when a pending finding first
 * needs it (a rule's findings wait on one kind of fact). */
typedef struct cluster {
    const lint_context *ctx;
    named_index accounts, secrets;
    key_set defaults, hpa_targets;
    bool have_accounts, have_secrets, have_facts;
} cluster;

static const named_index *accounts_of(cluster *c)
{
    if (!c->have_accounts) {
        c->accounts = named_index_build(c->ctx, false);
        c->have_accounts = true;
    }
    return &c->accounts;
}

static const named_index *secrets_of(cluster *c)
{
    if (!c->have_secrets) {
        c->secrets = named_index_build(c->ctx, true);
        c->have_secrets = true;
    }
    return &c->secrets;
}

static cluster *with_facts(cluster *c)
{
    if (!c->have_facts) {
        facts_index(c->ctx, &c->defaults, &c->hpa_targets);
        c->have_facts = true;
    }
    return c;
}

static void cluster_free(cluster *c)
{
    free(c->accounts.items);
    free(c->secrets.items);
    key_set_free(&c->defaults);
    key_set_free(&c->hpa_targets);
}

/* Reports r at span of in, whose digest is d, unless d's suppressions
 * silence it. */
static void report(lint_context *ctx, const rule *r, const input_file *in, const k8s_digest *d,
                   src_span span, uint64_t fingerprint, const char *message)
{
    finding about = {.rule = &r->found_as, .span = span};
    if (!suppression_list_applies(&d->suppressions, &about))
        lint_report_fingerprinted(ctx, r, in, span, fingerprint, message);
}

void k8s_report_anchor(lint_context *ctx, const rule *r, const input_file *in,
                       const k8s_anchor *a, const char *message)
{
    report(ctx, r, in, in->lint_digest, a->span,
           lint_fingerprint_text(r, in->path, a->text, a->len), message);
}

/* Whether p stands; for the *_ELSEWHERE kinds *other is set to the
 * namespace that ends the message. */
static bool stands(const k8s_pending *p, cluster *c, const char **other)
{
    const k8s_named *account;
    switch (p->when) {
    case K8S_UNLESS_LIMIT_RANGE_DEFAULT:
        return !key_has(&with_facts(c)->defaults, p->ns, p->arg, NULL);
    case K8S_UNLESS_HPA:
        return !key_has(&with_facts(c)->hpa_targets, p->ns, p->arg, p->arg2);
    case K8S_ALWAYS:
        return true;
    case K8S_IF_SA_AUTOMOUNTS:
        account = find_named(accounts_of(c), p->ns, p->arg);
        return account && !account->automount_off;
    case K8S_IF_SA_MISSING:
        return !find_named(accounts_of(c), p->ns, p->arg);
    case K8S_IF_SA_ELSEWHERE:
        return (*other = declared_elsewhere(accounts_of(c), p->ns, p->arg)) != NULL;
    case K8S_IF_SECRET_ELSEWHERE:
        return (*other = declared_elsewhere(secrets_of(c), p->ns, p->arg)) != NULL;
    }
    return false;
}

void k8s_report_pending(const rule *r, lint_context *ctx)
{
    cluster c = {.ctx = ctx};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const k8s_digest *d = k8s_digest_at(ctx, i);
        for (size_t k = 0; d && k < d->npending; k++) {
            const k8s_pending *p = &d->pending[k];
            const char *other = NULL;
            if (p->rule != r || !stands(p, &c, &other))
                continue;
            if (!other) {
                report(ctx, r, ctx->inputs[i], d, p->span, p->fingerprint, p->message);
                continue;
            }
            strbuf msg;
            sb_init(&msg);
            sb_addf(&msg, "%s%s'", p->message, other);
            report(ctx, r, ctx->inputs[i], d, p->span, p->fingerprint, msg.buf);
            sb_free(&msg);
        }
    }
    cluster_free(&c);
}
