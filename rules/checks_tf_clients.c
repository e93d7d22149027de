/* checks_tf_clients.c - built-in C checks for per-client isolation in
 * variable files (TFVARS-CLIENT-NO-CONFIG, -CONFIG-NOT-ENABLED,
 * -CIDR-OVERLAP, -CROSS-ACCESS), modeled on a per-client analytics layer:
 * `enabled_clients` (or `active_clients`) and maps keyed by client name
 * (`analytics_configs`, `client_cidrs`, ...). Client names are judged in
 * rules/checks_tf_client_names.c; rule records and examples are in
 * rules/builtin/terraform.yaml.
 *
 * Guarantees: the variable files Terraform loads together are judged
 * together, later files overriding earlier ones (rules/tf_var_groups.h);
 * only literal values are judged; each node is reported at most once per
 * rule. A CIDR is a client's own network or a source it admits by the
 * words of its key (ingress words win); destinations (egress, routes, NAT)
 * and 0.0.0.0/0 are never a client's; an overlap is reported at the later
 * of the two networks, a cross access at the admitted source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "rules/checks_tf.h"
#include "rules/engine.h"
#include "rules/tf_model.h"
#include "rules/tf_var_groups.h"
#include "rules/values.h"

/* ---- config maps ------------------------------------------------------------- */

/* A per-client config map of the group: *_configs / *_config / configs,
 * keyed by enabled clients. */
static bool client_configs(const tf_var_value *var, const doc_node *enabled)
{
    const char *name = var->name;
    return (tf_ends_with(name, "_configs") || tf_ends_with(name, "_config") ||
            !strcmp(name, "configs")) &&
           tf_client_keyed(var->value, name, enabled);
}

/* Runs fn over every variable group with an empty reported-node set. */
static void run_reported(const rule *r, lint_context *ctx, tf_var_group_fn fn)
{
    tf_seen_set seen = {0};
    tf_for_each_var_group(ctx, r, fn, &seen);
    tf_seen_free(&seen);
}

/* ---- TFVARS-CLIENT-NO-CONFIG and -CONFIG-NOT-ENABLED ------------------------- */

static void clients_without_config(lint_context *ctx, const rule *r, const tf_var_group *g,
                                   void *state)
{
    tf_seen_set *seen = state;
    const char *ename;
    const doc_node *enabled = tf_enabled_clients(g, &ename);
    if (!enabled)
        return;
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!client_configs(&g->vars[v], enabled))
            continue;
        for (size_t i = 0; i < enabled->u.seq.count; i++) {
            const doc_node *c = enabled->u.seq.items[i];
            const char *name = doc_str(c);
            if (!name || doc_get(m, name) || !tf_seen_add(seen, c))
                continue;
            char where[300] = "";
            if (m->file && m->file != c->file)
                snprintf(where, sizeof where, " (%s)", m->file->path);
            lint_report(ctx, r, c,
                        "client '%s' is in %s but has no entry in %s%s: its instances get the "
                        "module defaults, or the plan fails on the missing key",
                        name, ename, g->vars[v].name, where);
        }
    }
}

static void configs_not_enabled(lint_context *ctx, const rule *r, const tf_var_group *g,
                                void *state)
{
    tf_seen_set *seen = state;
    const char *ename;
    const doc_node *enabled = tf_enabled_clients(g, &ename);
    if (!enabled)
        return;
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!client_configs(&g->vars[v], enabled))
            continue;
        for (size_t i = 0; i < m->u.map.count; i++) {
            const doc_node *k = m->u.map.pairs[i].key;
            const char *name = doc_str(k);
            if (!name || tf_seq_has(enabled, name) || !tf_seen_add(seen, k))
                continue;
            lint_report(ctx, r, k,
                        "%s configures client '%s', which is not in %s: the entry is dead "
                        "configuration, or the client was meant to be enabled",
                        g->vars[v].name, name, ename);
        }
    }
}

void check_tfvars_client_no_config(const rule *r, lint_context *ctx)
{
    run_reported(r, ctx, clients_without_config);
}

void check_tfvars_client_config_not_enabled(const rule *r, lint_context *ctx)
{
    run_reported(r, ctx, configs_not_enabled);
}

/* ---- client CIDRs ----------------------------------------------------------- */

/* A CIDR block that belongs to a client: its own network, or a source it admits. */
typedef enum cidr_role { ROLE_NONE, ROLE_OWN, ROLE_INGRESS } cidr_role;

typedef struct client_cidr {
    const char *client;
    const doc_node *node;
    cidr block;
    cidr_role role;
    const char *var;
} client_cidr;

typedef struct cidr_list {
    client_cidr *items;
    size_t count;
} cidr_list;

static const char *const own_words[] = {"cidr", "subnet", "network", "vpc", "range", "block",
                                        "prefix", NULL};

/* Role named by a key (lower-cased) that is not about destinations:
 * ingress words win over own-network words. */
static cidr_role role_of_lower_key(const char *lk)
{
    if (tf_any_substr(lk, tf_ingress_words))
        return ROLE_INGRESS;
    if (tf_any_substr(lk, own_words))
        return ROLE_OWN;
    return ROLE_NONE;
}

/* Role named by a key; none for destinations. */
static cidr_role role_of_key(const char *key)
{
    char lk[96];
    tf_lower_copy(lk, sizeof lk, key);
    return tf_outbound_key(lk) ? ROLE_NONE : role_of_lower_key(lk);
}

static void collect_cidrs(cidr_list *out, const char *client, const char *var, const doc_node *n,
                          cidr_role role, int depth)
{
    if (!n || depth > 16)
        return;
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const char *k = doc_str(n->u.map.pairs[i].key);
            cidr_role kr = ROLE_NONE;
            if (k) {
                char lk[96];
                tf_lower_copy(lk, sizeof lk, k);
                if (tf_outbound_key(lk))
                    continue; /* destinations are not the client's */
                kr = role_of_lower_key(lk);
            }
            collect_cidrs(out, client, var, n->u.map.pairs[i].value, kr != ROLE_NONE ? kr : role,
                          depth + 1);
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            collect_cidrs(out, client, var, n->u.seq.items[i], role, depth + 1);
    } else if (role != ROLE_NONE && tf_is_string(n) && strchr(n->u.scalar.text, '/')) {
        cidr c;
        if (!cidr_parse(n->u.scalar.text, &c) || cidr_is_any(&c))
            return;
        out->items = xrealloc(out->items, (out->count + 1) * sizeof *out->items);
        out->items[out->count++] =
            (client_cidr){.client = client, .node = n, .block = c, .role = role, .var = var};
    }
}

/* Every client CIDR of a group, in the order the variables were written. */
static cidr_list group_cidrs(const tf_var_group *g)
{
    const char *ename;
    const doc_node *enabled = tf_enabled_clients(g, &ename);
    cidr_list out = {0};
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!tf_client_keyed(m, g->vars[v].name, enabled))
            continue;
        cidr_role base = role_of_key(g->vars[v].name);
        for (size_t i = 0; i < m->u.map.count; i++) {
            const char *client = doc_str(m->u.map.pairs[i].key);
            if (client)
                collect_cidrs(&out, client, g->vars[v].name, m->u.map.pairs[i].value, base, 0);
        }
    }
    return out;
}

/* The first of items [0, upto) that is another client's own network and
 * overlaps c, or NULL. */
static const client_cidr *other_client_network(const cidr_list *l, size_t upto,
                                               const client_cidr *c)
{
    for (size_t i = 0; i < upto; i++) {
        const client_cidr *y = &l->items[i];
        if (y->role == ROLE_OWN && strcmp(y->client, c->client) != 0 &&
            cidr_overlaps(&c->block, &y->block))
            return y;
    }
    return NULL;
}

/* ---- TFVARS-CLIENT-CIDR-OVERLAP and -CROSS-ACCESS ------------------------------ */

/* A client network overlapping the network of a client written before it. */
static void client_cidr_overlap(lint_context *ctx, const rule *r, const tf_var_group *g,
                                void *state)
{
    tf_seen_set *seen = state;
    cidr_list l = group_cidrs(g);
    for (size_t j = 0; j < l.count; j++) {
        const client_cidr *b = &l.items[j];
        if (b->role != ROLE_OWN)
            continue;
        const client_cidr *a = other_client_network(&l, j, b);
        if (!a || !tf_seen_add(seen, b->node))
            continue;
        lint_report(ctx, r, b->node,
                    "client '%s' network %.63s overlaps %.63s of client '%s' (%s, line %u): the "
                    "two clients' subnets and security-group rules cannot be kept apart",
                    b->client, doc_str(b->node), doc_str(a->node), a->client, a->var,
                    a->node->span.start.line);
    }
    free(l.items);
}

/* A source a client admits that covers another client's network. */
static void client_cidr_cross_access(lint_context *ctx, const rule *r, const tf_var_group *g,
                                     void *state)
{
    tf_seen_set *seen = state;
    cidr_list l = group_cidrs(g);
    for (size_t j = 0; j < l.count; j++) {
        const client_cidr *z = &l.items[j];
        if (z->role != ROLE_INGRESS)
            continue;
        const client_cidr *y = other_client_network(&l, l.count, z);
        if (!y || !tf_seen_add(seen, z->node))
            continue;
        lint_report(ctx, r, z->node,
                    "client '%s' admits %.63s, which covers %.63s of client '%s' (%s, line %u): "
                    "one client can reach another's instances",
                    z->client, doc_str(z->node), doc_str(y->node), y->client, y->var,
                    y->node->span.start.line);
    }
    free(l.items);
}

void check_tfvars_client_cidr_overlap(const rule *r, lint_context *ctx)
{
    run_reported(r, ctx, client_cidr_overlap);
}

void check_tfvars_client_cross_access(const rule *r, lint_context *ctx)
{
    run_reported(r, ctx, client_cidr_cross_access);
}
