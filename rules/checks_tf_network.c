/* checks_tf_network.c - built-in C checks for network exposure in .tf and
 * variable files (TF-ALL-PORTS-OPEN, TF-SSH-OPEN, TF-RDP-OPEN,
 * TF-DB-PORT-OPEN, TF-WORLD-OPEN). Rule records and examples are in
 * rules/builtin/terraform.yaml.
 *
 * One walker finds every rule that admits 0.0.0.0/0 or ::/0 - security
 * group ingress blocks and rule resources (AWS), google_compute_firewall
 * allow blocks (GCP), security-group-like objects in variable values,
 * module arguments, variable defaults and locals, and CIDR-like variables
 * named after who may connect - and each check reports the rules of its
 * class (rules/tf_exposure.h).
 *
 * Guarantees: one open rule gives one finding, at the world CIDR itself,
 * under the most severe class it covers; 80/443 alone and ICMP are never
 * reported; egress rules, routes and other destinations are skipped; only
 * literal values are judged; each node is reported at most once per rule. */
#include <stdio.h>
#include <string.h>

#include "rules/checks_tf.h"
#include "rules/engine.h"
#include "rules/tf_exposure.h"
#include "rules/tf_model.h"
#include "rules/values.h"

#define MAX_PATH_SEGS 64

typedef struct path_seg {
    const char *key; /* NULL: a list index */
    size_t index;
} path_seg;

typedef struct net_scan {
    lint_context *ctx;
    const rule *r;
    expo want;
    const input_file *in;
    tf_seen_set seen;
    const char *root; /* display path of the walked value */
    path_seg segs[MAX_PATH_SEGS];
    int nsegs;
} net_scan;

/* Reports each world CIDR in n (a scalar or a list of them). */
static void net_report(net_scan *s, const doc_node *n, const char *where, const exposure *x)
{
    if (!n || x->cls != s->want)
        return;
    if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            net_report(s, n->u.seq.items[i], where, x);
        return;
    }
    const char *world = n->kind == DOC_SCALAR ? expo_world_in(n->u.scalar.text) : NULL;
    if (!world || !tf_seen_add(&s->seen, n))
        return;
    char what[96];
    expo_describe(x, what, sizeof what);
    if (x->cls == EXPO_OTHER && x->by_name)
        lint_report(s->ctx, s->r, n,
                    "%s admits %s, the whole internet; only web ports (80/443) should be open "
                    "to everyone",
                    where, world);
    else
        lint_report(s->ctx, s->r, n, "%s admits %s from %s, the whole internet", where, what,
                    world);
}

/* A security-group-like rule: report its world CIDRs with its exposure. */
static void net_rule(net_scan *s, const doc_node *m, const char *where)
{
    if (!m || m->kind != DOC_MAP || expo_outbound_rule(m))
        return;
    exposure x = expo_of_rule(m);
    if (x.cls != s->want)
        return;
    for (size_t i = 0; i < m->u.map.count; i++) {
        char k[96];
        tf_lower_copy(k, sizeof k, doc_str(m->u.map.pairs[i].key));
        if (expo_cidr_key(k) && !expo_not_ingress_key(k))
            net_report(s, m->u.map.pairs[i].value, where, &x);
    }
}

/* ---- values: tfvars values, module arguments, defaults, locals ---------- */

/* The named rules that go with a module-style `ingress_cidr_blocks`
 * (`ingress_rules`, a sibling attribute or a variable of the same file). */
static const doc_node *sibling_rules(const net_scan *s, const doc_node *parent, const char *lk)
{
    if (strncmp(lk, "ingress_", 8) != 0)
        return NULL;
    if (parent)
        return doc_get(parent, "ingress_rules");
    for (size_t i = 0; i < s->in->entities.count; i++) {
        const entity *e = s->in->entities.items[i];
        if (!strcmp(e->kind, "tf_variable_value") && e->name && !strcmp(e->name, "ingress_rules"))
            return doc_get(e->attrs, "value");
    }
    return NULL;
}

/* The display path of the node net_walk is at: root, then .key / [index]. */
static void render_path(const net_scan *s, char *out, size_t cap)
{
    size_t used = (size_t)snprintf(out, cap, "%s", s->root ? s->root : "");
    for (int i = 0; i < s->nsegs && used < cap; i++) {
        const path_seg *g = &s->segs[i];
        int w = g->key ? snprintf(out + used, cap - used, "%s%s", used ? "." : "", g->key)
                       : snprintf(out + used, cap - used, "[%zu]", g->index);
        used += w > 0 ? (size_t)w : 0;
    }
}

/* A world CIDR under a CIDR-like key (lk, lower-cased) at display path
 * `path`: its exposure comes from the named rules beside it, else from the
 * words of the key and of the enclosing names. */
static void net_cidr_value(net_scan *s, const doc_node *n, const char *lk, const doc_node *parent,
                           const char *path)
{
    exposure x;
    const doc_node *named = sibling_rules(s, parent, lk);
    if (named && named->kind == DOC_SEQ && named->u.seq.count) {
        x = (exposure){.cls = EXPO_NONE, .lo = -1, .hi = -1};
        for (size_t i = 0; i < named->u.seq.count; i++)
            if (doc_str(named->u.seq.items[i]))
                x = expo_worse(x, expo_of_rule_name(doc_str(named->u.seq.items[i])));
    } else {
        x = expo_of_words(lk);
        if (x.cls == EXPO_OTHER) { /* the enclosing names may say more: alb.allowed_cidrs */
            char lp[512];
            tf_lower_copy(lp, sizeof lp, path);
            exposure y = expo_of_words(lp);
            if (y.cls != EXPO_OTHER)
                x = y;
            /* a bare constant (all_ipv4_cidr, internet_cidr) says nothing
             * about ingress: only names about who may connect count */
            else if (!tf_any_substr(lp, tf_ingress_words))
                return;
        }
    }
    char where[560];
    snprintf(where, sizeof where, "'%s'", path);
    net_report(s, n, where, &x);
}

/* Walks a value tree; the display path is kept as a stack of segments and
 * only rendered for what gets reported. */
static void net_walk(net_scan *s, const doc_node *n, const char *key, const doc_node *parent,
                     bool outbound, int depth)
{
    if (!n || depth >= MAX_PATH_SEGS)
        return;
    n = tf_body_of(n);
    char path[512];
    if (n->kind == DOC_MAP) {
        if (!outbound && expo_rule_like(n)) {
            render_path(s, path, sizeof path);
            net_rule(s, n, path);
            return;
        }
        for (size_t i = 0; i < n->u.map.count; i++) {
            const char *k = doc_str(n->u.map.pairs[i].key);
            const doc_node *v = n->u.map.pairs[i].value;
            if (!k || !v)
                continue;
            char lk[96];
            tf_lower_copy(lk, sizeof lk, k);
            if (v->kind == DOC_SCALAR && (outbound || !expo_cidr_key(lk)))
                continue; /* a plain value under a key that holds no CIDRs */
            s->segs[s->nsegs++] = (path_seg){.key = k};
            net_walk(s, v, k, n, outbound || expo_not_ingress_key(lk), depth + 1);
            s->nsegs--;
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++) {
            s->segs[s->nsegs++] = (path_seg){.index = i};
            net_walk(s, n->u.seq.items[i], key, parent, outbound, depth + 1);
            s->nsegs--;
        }
    } else if (n->kind == DOC_SCALAR && key && !outbound) {
        char lk[96];
        tf_lower_copy(lk, sizeof lk, key);
        if (!expo_cidr_key(lk) || expo_not_ingress_key(lk) || !expo_world_in(n->u.scalar.text))
            return;
        render_path(s, path, sizeof path);
        net_cidr_value(s, n, lk, parent, path);
    }
}

/* Walks a value from its root; outbound when the root's name is about
 * destinations. */
static void net_walk_root(net_scan *s, const doc_node *n, const char *key, const char *root,
                          bool outbound)
{
    s->root = root;
    s->nsegs = 0;
    net_walk(s, n, key, NULL, outbound, 0);
}

/* ---- resources ----------------------------------------------------------- */

/* GCP: google_compute_firewall with source_ranges and allow blocks. */
static void net_gcp_firewall(net_scan *s, const entity *e, const doc_node *body)
{
    char dir[16];
    tf_lower_copy(dir, sizeof dir, doc_str(doc_get(body, "direction")));
    if (*dir && strcmp(dir, "ingress") != 0)
        return;
    exposure x = {.cls = EXPO_NONE, .lo = -1, .hi = -1};
    for (size_t i = 0; i < body->u.map.count; i++) {
        const doc_pair *p = &body->u.map.pairs[i];
        if (!doc_str_eq(p->key, "allow"))
            continue;
        for (size_t k = 0; k < tf_block_count(p->value); k++) {
            const doc_node *a = tf_block_item(p->value, k);
            if (!a || a->kind != DOC_MAP)
                continue;
            proto pr = expo_proto_of(doc_get(a, "protocol"));
            const doc_node *ports = doc_get(a, "ports");
            if (!ports || pr == PROTO_ALL) {
                x = expo_worse(x, expo_of_ports(0, 65535, pr == PROTO_ICMP ? PROTO_ICMP : PROTO_ALL));
                continue;
            }
            for (size_t j = 0; ports->kind == DOC_SEQ && j < ports->u.seq.count; j++) {
                port_range rg;
                if (port_range_parse(doc_str(ports->u.seq.items[j]), &rg))
                    x = expo_worse(x, expo_of_ports(rg.lo, rg.hi, pr));
            }
        }
    }
    char where[300];
    snprintf(where, sizeof where, "%s", e->name);
    net_report(s, doc_get(body, "source_ranges"), where, &x);
}

static void net_resource(net_scan *s, const entity *e)
{
    const char *type = doc_str(doc_get(e->attrs, "type"));
    const doc_node *body = doc_get(e->attrs, "body");
    if (!type || !body || body->kind != DOC_MAP)
        return;
    char where[300];
    if (!strcmp(type, "aws_security_group") || !strcmp(type, "aws_default_security_group")) {
        snprintf(where, sizeof where, "ingress rule of %s", e->name);
        for (size_t i = 0; i < body->u.map.count; i++) {
            const doc_pair *p = &body->u.map.pairs[i];
            if (!doc_str_eq(p->key, "ingress"))
                continue;
            for (size_t k = 0; k < tf_block_count(p->value); k++)
                net_rule(s, tf_block_item(p->value, k), where);
        }
    } else if (!strcmp(type, "aws_security_group_rule")) {
        if (doc_str_eq(doc_get(body, "type"), "ingress")) {
            snprintf(where, sizeof where, "%s", e->name);
            net_rule(s, body, where);
        }
    } else if (!strcmp(type, "aws_vpc_security_group_ingress_rule")) {
        snprintf(where, sizeof where, "%s", e->name);
        net_rule(s, body, where);
    } else if (!strcmp(type, "google_compute_firewall")) {
        net_gcp_firewall(s, e, body);
    }
}

/* ---- the checks ---------------------------------------------------------- */

static void net_scan_all(const rule *r, lint_context *ctx, expo want)
{
    net_scan s = {.ctx = ctx, .r = r, .want = want};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        s.in = in;
        for (size_t k = 0; k < in->entities.count; k++) {
            const entity *e = in->entities.items[k];
            const char *name = e->name ? e->name : "";
            char lk[96], path[300];
            tf_lower_copy(lk, sizeof lk, name);
            if (!strcmp(e->kind, "tf_variable_value")) {
                net_walk_root(&s, doc_get(e->attrs, "value"), name, name, expo_not_ingress_key(lk));
            } else if (!strcmp(e->kind, "tf_resource")) {
                net_resource(&s, e);
            } else if (!strcmp(e->kind, "tf_module")) {
                snprintf(path, sizeof path, "module.%s", name);
                net_walk_root(&s, doc_get(e->attrs, "body"), NULL, path, false);
            } else if (!strcmp(e->kind, "tf_variable")) {
                snprintf(path, sizeof path, "var.%s", name);
                net_walk_root(&s, doc_get(e->attrs, "default"), name, path,
                              expo_not_ingress_key(lk));
            } else if (!strcmp(e->kind, "tf_local")) {
                snprintf(path, sizeof path, "local.%s", name);
                net_walk_root(&s, doc_get(e->attrs, "value"), name, path, expo_not_ingress_key(lk));
            }
        }
    }
    tf_seen_free(&s.seen);
}

void check_tf_all_ports_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_ALL);
}

void check_tf_ssh_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_SSH);
}

void check_tf_rdp_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_RDP);
}

void check_tf_db_port_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_DB);
}

void check_tf_world_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_OTHER);
}
