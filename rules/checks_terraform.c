/* checks_terraform.c - built-in C checks for Terraform: .tf files and
 * variable definitions files (.tfvars, .auto.tfvars, .tfvars.json).
 * Their rule records (id, message, documentation, examples) are in
 * rules/builtin/terraform.yaml; the table at the bottom maps `check:` names
 * to functions.
 *
 * Network exposure (TF-ALL-PORTS-OPEN, TF-SSH-OPEN, TF-RDP-OPEN,
 * TF-DB-PORT-OPEN, TF-WORLD-OPEN): one walker finds every rule that admits
 * 0.0.0.0/0 or ::/0 - security group ingress blocks and rule resources in
 * .tf, security-group-like objects (from_port/to_port/cidr_blocks, or the
 * named rules of the terraform-aws-modules security-group module) and
 * CIDR-like variables in .tfvars and module arguments - and puts each in
 * exactly one class (all ports > SSH > RDP > database > other; 80/443 alone
 * and ICMP are not reported), so one open rule gives one finding, at the
 * world CIDR itself.
 *
 * Secrets (TF-PLAINTEXT-SECRET, TF-AWS-ACCESS-KEY-ID, TF-PRIVATE-KEY-LITERAL):
 * literal values of secret-named keys, AWS access key ids and PEM private
 * keys; the secret's bytes are masked in every output.
 *
 * Per-client isolation on variable files (TFVARS-CLIENT-*), modeled on a
 * per-client analytics layer: `enabled_clients` (or `active_clients`) and
 * maps keyed by client name (`analytics_configs`, `client_cidrs`, ...). The
 * variable files Terraform loads together - terraform.tfvars and *.auto.tfvars
 * of one directory, plus each other .tfvars of that directory on its own - are
 * judged together, later files overriding earlier ones.
 *
 * Instance types (TF-INSTANCE-TYPE-UNKNOWN): see rules/tf_instance_types.h.
 *
 * Guarantees: only literal values are judged (expressions are never
 * guessed at); each node is reported at most once per rule. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/source.h"
#include "rules/checks.h"
#include "rules/engine.h"
#include "rules/text_scan.h"
#include "rules/tf_instance_types.h"
#include "rules/values.h"

/* ---- small helpers ------------------------------------------------------ */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool tf_input(const input_file *in)
{
    return in && !in->failed && in->src &&
           (in->format == FMT_TERRAFORM || in->format == FMT_TFVARS ||
            in->format == FMT_TFVARS_JSON);
}

static bool tfvars_input(const input_file *in)
{
    if (!tf_input(in))
        return false;
    return in->format == FMT_TFVARS ||
           (in->format == FMT_TFVARS_JSON && !ends_with(in->path, ".tf.json"));
}

/* Lower-case copy, truncated to cap. */
static void lower_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

/* True when word is one of the tokens of lk (split on anything not a letter or digit). */
static bool has_token(const char *lk, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = lk; (p = strstr(p, word)) != NULL; p++) {
        bool start = p == lk || !isalnum((unsigned char)p[-1]);
        bool end = !isalnum((unsigned char)p[wl]);
        if (start && end)
            return true;
    }
    return false;
}

static bool any_substr(const char *lk, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strstr(lk, words[i]))
            return true;
    return false;
}

static bool any_token(const char *lk, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (has_token(lk, words[i]))
            return true;
    return false;
}

static const doc_node *body_of(const doc_node *n)
{
    return n && n->kind == DOC_BLOCK ? n->u.block.body : n;
}

static bool is_string(const doc_node *n)
{
    return n && n->kind == DOC_SCALAR && n->u.scalar.type == SCALAR_STR;
}

/* Nodes already reported by one check run (each node at most once): an
 * open-addressing hash set of pointers. */
typedef struct seen_set {
    const void **slots;
    size_t count;
    size_t cap; /* power of two, or 0 */
} seen_set;

static size_t seen_hash(const void *p, size_t cap)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

/* Adds p; false when it was already there. */
static bool seen_add(seen_set *s, const void *p)
{
    if (2 * (s->count + 1) > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        const void **slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i])
                continue;
            size_t h = seen_hash(s->slots[i], cap);
            while (slots[h])
                h = (h + 1) & (cap - 1);
            slots[h] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t h = seen_hash(p, s->cap);
    while (s->slots[h]) {
        if (s->slots[h] == p)
            return false;
        h = (h + 1) & (s->cap - 1);
    }
    s->slots[h] = p;
    s->count++;
    return true;
}

static void seen_free(seen_set *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---- network exposure --------------------------------------------------- */

typedef enum expo {
    EXPO_NONE, /* not an exposure we report (ICMP, unknown ports) */
    EXPO_WEB,  /* 80 or 443 only: meant to face the internet */
    EXPO_OTHER,
    EXPO_DB,
    EXPO_RDP,
    EXPO_SSH,
    EXPO_ALL
} expo;

typedef struct exposure {
    expo cls;
    int lo, hi;    /* port range when known, else -1 */
    int db_port;   /* the database port the range covers */
    bool by_name;  /* classified from a variable name, not from ports */
} exposure;

typedef enum proto { PROTO_TCP, PROTO_UDP, PROTO_ALL, PROTO_ICMP, PROTO_OTHER } proto;

/* Database and data-store client ports. A range counts as a database
 * exposure when it covers one and is narrow (<= 100 ports); wider ranges are
 * judged as "other". */
static const int db_ports[] = {1433, 1521, 2379, 3306,  5432,  5439,  5984,  6379,
                               9042, 9200, 9300, 11211, 27017, 27018, 27019, 50000};

/* Ports of the database rule names of the terraform-aws-modules
 * security-group module ("postgresql-tcp" ...). */
static const struct {
    const char *word;
    int port;
} named_db_ports[] = {{"postgres", 5432}, {"mysql", 3306},       {"mssql", 1433},
                      {"oracle", 1521},   {"redshift", 5439},    {"redis", 6379},
                      {"mongodb", 27017}, {"memcached", 11211},  {"elasticsearch", 9200},
                      {"cassandra", 9042}, {"couchdb", 5984},    {"etcd", 2379}};

static const char *const db_words[] = {
    "postgres", "mysql", "mariadb", "aurora", "redis", "elasticache", "memcache", "mongo",
    "docdb", "documentdb", "elasticsearch", "opensearch", "cassandra", "mssql", "sqlserver",
    "oracle", "redshift", "couchdb", "influxdb", "neo4j", "database", NULL};
static const char *const db_tokens[] = {"db", "dbs", "rds", "pg", "sql", "etcd", NULL};
static const char *const web_tokens[] = {"http", "https", "web", "www", "alb", "elb", "lb",
                                         "cdn", "cloudfront", "website", NULL};
static const char *const outbound_words[] = {"egress", "outbound", NULL};
static const char *const outbound_tokens[] = {"destination", "dest", "route", "routes", "nat", NULL};

static proto proto_of(const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR)
        return PROTO_TCP; /* absent or an expression: assume the common case */
    char p[32];
    lower_copy(p, sizeof p, n->u.scalar.text);
    if (!strcmp(p, "tcp") || !strcmp(p, "6"))
        return PROTO_TCP;
    if (!strcmp(p, "udp") || !strcmp(p, "17"))
        return PROTO_UDP;
    if (!strcmp(p, "-1") || !strcmp(p, "all") || !strcmp(p, "any") || !strcmp(p, "*"))
        return PROTO_ALL;
    if (!strcmp(p, "icmp") || !strcmp(p, "1") || !strcmp(p, "icmpv6") || !strcmp(p, "58") ||
        !strcmp(p, "ipv6-icmp"))
        return PROTO_ICMP;
    return PROTO_OTHER;
}

static bool port_value(const doc_node *n, int *out)
{
    int64_t v;
    if (!n || n->kind != DOC_SCALAR || !doc_int(n, &v) || v < 0 || v > 65535)
        return false;
    *out = (int)v;
    return true;
}

static exposure classify_ports(int lo, int hi, proto p)
{
    exposure x = {.cls = EXPO_OTHER, .lo = lo, .hi = hi};
    if (p == PROTO_ALL) {
        x.cls = EXPO_ALL;
        x.lo = x.hi = -1;
        return x;
    }
    if (p == PROTO_ICMP) {
        x.cls = EXPO_NONE;
        return x;
    }
    if (lo <= 1 && hi >= 65535) {
        x.cls = EXPO_ALL;
        return x;
    }
    if (p == PROTO_TCP && lo <= 22 && hi >= 22) {
        x.cls = EXPO_SSH;
        return x;
    }
    if ((p == PROTO_TCP || p == PROTO_UDP) && lo <= 3389 && hi >= 3389) {
        x.cls = EXPO_RDP;
        return x;
    }
    if (p == PROTO_TCP && hi - lo <= 100)
        for (size_t i = 0; i < sizeof db_ports / sizeof *db_ports; i++)
            if (lo <= db_ports[i] && hi >= db_ports[i]) {
                x.cls = EXPO_DB;
                x.db_port = db_ports[i];
                return x;
            }
    if (lo == hi && (lo == 80 || lo == 443))
        x.cls = EXPO_WEB;
    return x;
}

/* The most severe of two exposures. */
static exposure worse(exposure a, exposure b)
{
    return b.cls > a.cls ? b : a;
}

/* Rule names of the terraform-aws-modules security-group module
 * ("ssh-tcp", "postgresql-tcp", "https-443-tcp", "all-all"). */
static exposure classify_named(const char *name)
{
    exposure x = {.cls = EXPO_OTHER, .lo = -1, .hi = -1};
    char n[64];
    lower_copy(n, sizeof n, name);
    if (strstr(n, "icmp"))
        x.cls = EXPO_NONE;
    else if (!strncmp(n, "all-", 4))
        x.cls = EXPO_ALL;
    else if (strstr(n, "ssh"))
        x.cls = EXPO_SSH, x.lo = x.hi = 22;
    else if (strstr(n, "rdp"))
        x.cls = EXPO_RDP, x.lo = x.hi = 3389;
    else if (any_substr(n, db_words) || !strncmp(n, "etcd", 4)) {
        x.cls = EXPO_DB;
        for (size_t i = 0; i < sizeof named_db_ports / sizeof *named_db_ports; i++)
            if (strstr(n, named_db_ports[i].word)) {
                x.db_port = x.lo = x.hi = named_db_ports[i].port;
                break;
            }
    } else if (!strcmp(n, "http-80-tcp") || !strcmp(n, "https-443-tcp") ||
             !strcmp(n, "https-443-udp"))
        x.cls = EXPO_WEB;
    x.by_name = true;
    return x;
}

/* Is a key one that holds CIDR blocks? (lower-cased) */
static bool cidr_key(const char *lk)
{
    if (strstr(lk, "cidr") || strstr(lk, "source_ranges") || strstr(lk, "ip_range") ||
        strstr(lk, "allowlist") || strstr(lk, "whitelist"))
        return true;
    static const char *const last[] = {"_ips", "allowed_ips", "_networks", "_addresses",
                                       "_prefixes", NULL};
    for (size_t i = 0; last[i]; i++)
        if (ends_with(lk, last[i]) || !strcmp(lk, last[i] + (last[i][0] == '_')))
            return true;
    return false;
}

/* Words saying a CIDR variable is about who may connect (lower-cased). */
static const char *const ingress_words[] = {"ingress", "allow", "source",  "access", "trusted",
                                            "whitelist", "allowlist", "permit", "inbound",
                                            "admin",     "management", "mgmt", NULL};

/* Keys that hold destinations, not sources (egress rules, routes), or that
 * another rule judges (EKS public access CIDRs). */
static bool not_ingress_key(const char *lk)
{
    return any_substr(lk, outbound_words) || any_token(lk, outbound_tokens) ||
           strstr(lk, "public_access_cidrs") != NULL;
}

/* Exposure named by a key or path (lower-cased): "ssh_ingress_cidrs" -> SSH. */
static exposure classify_words(const char *lk)
{
    exposure x = {.cls = EXPO_OTHER, .lo = -1, .hi = -1, .by_name = true};
    if (strstr(lk, "ssh") || has_token(lk, "bastion"))
        x.cls = EXPO_SSH;
    else if (strstr(lk, "rdp") || strstr(lk, "remote_desktop"))
        x.cls = EXPO_RDP;
    else if (any_substr(lk, db_words) || any_token(lk, db_tokens))
        x.cls = EXPO_DB;
    else if (any_token(lk, web_tokens))
        x.cls = EXPO_WEB;
    return x;
}

/* "0.0.0.0/0" or "::/0" when text (a CIDR, or a comma-separated list of
 * them) contains the whole address space; NULL otherwise. */
static const char *world_in(const char *text)
{
    if (!text)
        return NULL;
    char buf[256];
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        while (i < n && (text[i] == ',' || isspace((unsigned char)text[i])))
            i++;
        size_t j = i;
        while (j < n && text[j] != ',' && !isspace((unsigned char)text[j]))
            j++;
        if (j > i && j - i < sizeof buf) {
            memcpy(buf, text + i, j - i);
            buf[j - i] = '\0';
            cidr c;
            if (cidr_parse(buf, &c) && cidr_is_any(&c))
                return c.family == 4 ? "0.0.0.0/0" : "::/0";
        }
        i = j;
    }
    return NULL;
}

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
    seen_set seen;
    const char *root;               /* display path of the walked value */
    path_seg segs[MAX_PATH_SEGS];
    int nsegs;
} net_scan;

static void describe(const exposure *x, char *out, size_t cap)
{
    char range[48] = "";
    if (x->lo >= 0 && x->hi > x->lo)
        snprintf(range, sizeof range, "ports %d-%d", x->lo, x->hi);
    else if (x->lo >= 0)
        snprintf(range, sizeof range, "port %d", x->lo);
    switch (x->cls) {
    case EXPO_ALL:
        snprintf(out, cap, "all ports%s%s%s", *range ? " (" : "", range, *range ? ")" : "");
        break;
    case EXPO_SSH:
        snprintf(out, cap, "SSH (%s)", *range ? range : "port 22");
        break;
    case EXPO_RDP:
        snprintf(out, cap, "RDP (%s)", *range ? range : "port 3389");
        break;
    case EXPO_DB:
        if (x->db_port && x->lo != x->hi)
            snprintf(out, cap, "database port %d (%s)", x->db_port, range);
        else if (x->db_port)
            snprintf(out, cap, "database port %d", x->db_port);
        else
            snprintf(out, cap, "database access");
        break;
    default:
        snprintf(out, cap, "%s", *range ? range : "traffic");
        break;
    }
}

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
    const char *world = n->kind == DOC_SCALAR ? world_in(n->u.scalar.text) : NULL;
    if (!world || !seen_add(&s->seen, n))
        return;
    char what[96];
    describe(x, what, sizeof what);
    if (x->cls == EXPO_OTHER && x->by_name)
        lint_report(s->ctx, s->r, n,
                    "%s admits %s, the whole internet; only web ports (80/443) should be open "
                    "to everyone",
                    where, world);
    else
        lint_report(s->ctx, s->r, n, "%s admits %s from %s, the whole internet", where, what,
                    world);
}

/* Exposure of a security-group-like rule object (ingress block, rule
 * resource body, tfvars object); EXPO_NONE when its ports are not literal. */
static exposure rule_exposure(const doc_node *m)
{
    exposure none = {.cls = EXPO_NONE, .lo = -1, .hi = -1};
    const char *named = doc_str(doc_get(m, "rule"));
    if (named)
        return classify_named(named);
    const doc_node *pn = doc_get(m, "protocol");
    if (!pn)
        pn = doc_get(m, "ip_protocol");
    proto p = proto_of(pn);
    if (p == PROTO_ALL || p == PROTO_ICMP)
        return classify_ports(0, 65535, p);
    int lo, hi;
    const doc_node *from = doc_get(m, "from_port"), *to = doc_get(m, "to_port");
    if (from || to) {
        bool ok_lo = port_value(from, &lo), ok_hi = port_value(to, &hi);
        if (!ok_lo && !ok_hi)
            return none;
        if (!ok_lo)
            lo = hi;
        if (!ok_hi)
            hi = lo;
        if (hi < lo)
            return none;
        return classify_ports(lo, hi, p);
    }
    if (port_value(doc_get(m, "port"), &lo))
        return classify_ports(lo, lo, p);
    const doc_node *ports = doc_get(m, "ports");
    if (ports && ports->kind == DOC_SEQ) {
        exposure x = none;
        for (size_t i = 0; i < ports->u.seq.count; i++) {
            port_range pr;
            if (port_range_parse(doc_str(ports->u.seq.items[i]), &pr))
                x = worse(x, classify_ports(pr.lo, pr.hi, p));
        }
        return x;
    }
    return none;
}

static bool outbound_rule(const doc_node *m)
{
    char t[32];
    lower_copy(t, sizeof t, doc_str(doc_get(m, "type")));
    if (!strcmp(t, "egress"))
        return true;
    lower_copy(t, sizeof t, doc_str(doc_get(m, "direction")));
    return !strcmp(t, "egress") || !strcmp(t, "outbound");
}

/* A map shaped like a security group rule: a port/protocol/named-rule field
 * and a field holding source CIDRs. One pass over its keys. */
static bool rule_like(const doc_node *m)
{
    static const char *const fields[] = {"from_port", "to_port", "port", "ports", "rule",
                                         "protocol", "ip_protocol", NULL};
    bool ports = false, cidrs = false;
    for (size_t i = 0; i < m->u.map.count && !(ports && cidrs); i++) {
        const char *k = doc_str(m->u.map.pairs[i].key);
        if (!k)
            continue;
        for (size_t f = 0; !ports && fields[f]; f++)
            ports = !strcmp(k, fields[f]);
        if (!cidrs) {
            char lk[96];
            lower_copy(lk, sizeof lk, k);
            cidrs = cidr_key(lk) && !not_ingress_key(lk);
        }
    }
    return ports && cidrs;
}

/* A security-group-like rule: report its world CIDRs with its exposure. */
static void net_rule(net_scan *s, const doc_node *m, const char *where)
{
    if (!m || m->kind != DOC_MAP || outbound_rule(m))
        return;
    exposure x = rule_exposure(m);
    if (x.cls != s->want)
        return;
    for (size_t i = 0; i < m->u.map.count; i++) {
        char k[96];
        lower_copy(k, sizeof k, doc_str(m->u.map.pairs[i].key));
        if (cidr_key(k) && !not_ingress_key(k))
            net_report(s, m->u.map.pairs[i].value, where, &x);
    }
}

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

/* Walks a value tree (tfvars value, module arguments, variable default);
 * the display path is kept as a stack of segments and only rendered for
 * what gets reported. */
static void net_walk(net_scan *s, const doc_node *n, const char *key, const doc_node *parent,
                     bool outbound, int depth)
{
    if (!n || depth >= MAX_PATH_SEGS)
        return;
    n = body_of(n);
    char path[512];
    if (n->kind == DOC_MAP) {
        if (!outbound && rule_like(n)) {
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
            lower_copy(lk, sizeof lk, k);
            if (v->kind == DOC_SCALAR && (outbound || !cidr_key(lk)))
                continue; /* a plain value under a key that holds no CIDRs */
            s->segs[s->nsegs++] = (path_seg){.key = k};
            net_walk(s, n->u.map.pairs[i].value, k, n, outbound || not_ingress_key(lk), depth + 1);
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
        lower_copy(lk, sizeof lk, key);
        if (!cidr_key(lk) || not_ingress_key(lk) || !world_in(n->u.scalar.text))
            return;
        render_path(s, path, sizeof path);
        exposure x;
        const doc_node *named = sibling_rules(s, parent, lk);
        if (named && named->kind == DOC_SEQ && named->u.seq.count) {
            x = (exposure){.cls = EXPO_NONE, .lo = -1, .hi = -1};
            for (size_t i = 0; i < named->u.seq.count; i++)
                if (doc_str(named->u.seq.items[i]))
                    x = worse(x, classify_named(doc_str(named->u.seq.items[i])));
        } else {
            x = classify_words(lk);
            if (x.cls == EXPO_OTHER) { /* the enclosing names may say more: alb.allowed_cidrs */
                char lp[512];
                lower_copy(lp, sizeof lp, path);
                exposure y = classify_words(lp);
                if (y.cls != EXPO_OTHER)
                    x = y;
                /* a bare constant (all_ipv4_cidr, internet_cidr) says nothing
                 * about ingress: only names about who may connect count */
                else if (!any_substr(lp, ingress_words))
                    return;
            }
        }
        char where[560];
        snprintf(where, sizeof where, "'%s'", path);
        net_report(s, n, where, &x);
    }
}

static void net_walk_root(net_scan *s, const doc_node *n, const char *key, const char *root,
                          bool outbound)
{
    s->root = root;
    s->nsegs = 0;
    net_walk(s, n, key, NULL, outbound, 0);
}

/* GCP: google_compute_firewall with source_ranges and allow blocks. */
static void net_gcp_firewall(net_scan *s, const entity *e, const doc_node *body)
{
    char dir[16];
    lower_copy(dir, sizeof dir, doc_str(doc_get(body, "direction")));
    if (*dir && strcmp(dir, "ingress") != 0)
        return;
    exposure x = {.cls = EXPO_NONE, .lo = -1, .hi = -1};
    for (size_t i = 0; i < body->u.map.count; i++) {
        const doc_pair *p = &body->u.map.pairs[i];
        if (!doc_str_eq(p->key, "allow"))
            continue;
        const doc_node *items[1] = {body_of(p->value)};
        const doc_node *const *list = items;
        size_t count = 1;
        if (p->value && p->value->kind == DOC_SEQ) {
            list = (const doc_node *const *)p->value->u.seq.items;
            count = p->value->u.seq.count;
        }
        for (size_t k = 0; k < count; k++) {
            const doc_node *a = list[k];
            if (!a || a->kind != DOC_MAP)
                continue;
            proto pr = proto_of(doc_get(a, "protocol"));
            const doc_node *ports = doc_get(a, "ports");
            if (!ports || pr == PROTO_ALL) {
                x = worse(x, classify_ports(0, 65535, pr == PROTO_ICMP ? PROTO_ICMP : PROTO_ALL));
                continue;
            }
            for (size_t j = 0; ports->kind == DOC_SEQ && j < ports->u.seq.count; j++) {
                port_range rg;
                if (port_range_parse(doc_str(ports->u.seq.items[j]), &rg))
                    x = worse(x, classify_ports(rg.lo, rg.hi, pr));
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
            if (!doc_str_eq(p->key, "ingress") || !p->value)
                continue;
            if (p->value->kind == DOC_SEQ) {
                for (size_t k = 0; k < p->value->u.seq.count; k++)
                    net_rule(s, p->value->u.seq.items[k], where);
            } else {
                net_rule(s, body_of(p->value), where);
            }
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
            lower_copy(lk, sizeof lk, name);
            if (!strcmp(e->kind, "tf_variable_value")) {
                net_walk_root(&s, doc_get(e->attrs, "value"), name, name, not_ingress_key(lk));
            } else if (!strcmp(e->kind, "tf_resource")) {
                net_resource(&s, e);
            } else if (!strcmp(e->kind, "tf_module")) {
                snprintf(path, sizeof path, "module.%s", name);
                net_walk_root(&s, doc_get(e->attrs, "body"), NULL, path, false);
            } else if (!strcmp(e->kind, "tf_variable")) {
                snprintf(path, sizeof path, "var.%s", name);
                net_walk_root(&s, doc_get(e->attrs, "default"), name, path, not_ingress_key(lk));
            } else if (!strcmp(e->kind, "tf_local")) {
                snprintf(path, sizeof path, "local.%s", name);
                net_walk_root(&s, doc_get(e->attrs, "value"), name, path, not_ingress_key(lk));
            }
        }
    }
    seen_free(&s.seen);
}

static void check_all_ports_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_ALL);
}

static void check_ssh_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_SSH);
}

static void check_rdp_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_RDP);
}

static void check_db_port_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_DB);
}

static void check_world_open(const rule *r, lint_context *ctx)
{
    net_scan_all(r, ctx, EXPO_OTHER);
}

/* ---- secrets ------------------------------------------------------------ */

/* A key that names a secret: password, db_password, API_KEY, clientSecret... */
static bool secret_key(const char *key)
{
    char n[128];
    size_t j = 0;
    for (size_t i = 0; key[i] && j + 1 < sizeof n; i++)
        if (isalnum((unsigned char)key[i]))
            n[j++] = (char)tolower((unsigned char)key[i]);
    n[j] = '\0';
    static const char *const suffixes[] = {"password",  "passwd",     "passphrase", "secret",
                                           "secretkey", "token",      "apikey",     "privatekey",
                                           "accesskey", "secretstring", NULL};
    for (size_t i = 0; suffixes[i]; i++)
        if (ends_with(n, suffixes[i]))
            return true;
    /* short forms only as a separate word: db_pass, DB_PW (not "bypass") */
    char lk[128];
    lower_copy(lk, sizeof lk, key);
    return !strcmp(lk, "pass") || !strcmp(lk, "pw") || ends_with(lk, "_pass") ||
           ends_with(lk, "_pw") || ends_with(lk, "-pass") || ends_with(lk, "-pw");
}

static bool access_key_id_at(const char *p, const char *start)
{
    if (strncmp(p, "AKIA", 4) != 0 && strncmp(p, "ASIA", 4) != 0)
        return false;
    if (p > start && isalnum((unsigned char)p[-1]))
        return false;
    for (int i = 4; i < 20; i++)
        if (!isupper((unsigned char)p[i]) && !isdigit((unsigned char)p[i]))
            return false;
    /* AWS's documentation key (AKIAIOSFODNN7EXAMPLE and kin) is no credential */
    return !isalnum((unsigned char)p[20]) && strncmp(p + 13, "EXAMPLE", 7) != 0;
}

/* A value that is a literal secret (not empty, not a reference to a secret
 * store, not a placeholder, not something the key-id/private-key checks report). */
static bool literal_secret(const doc_node *v)
{
    if (!is_string(v))
        return false;
    const char *t = v->u.scalar.text;
    while (isspace((unsigned char)*t))
        t++;
    size_t n = strlen(t);
    if (n < 4)
        return false;
    static const char *const refs[] = {"arn:", "{{resolve:", "vault:", "ssm:", "projects/",
                                       "/", "${", "secretsmanager:", NULL};
    for (size_t i = 0; refs[i]; i++)
        if (!strncmp(t, refs[i], strlen(refs[i])))
            return false;
    if (t[0] == '<' && t[n - 1] == '>')
        return false;
    bool filler = true;
    for (size_t i = 0; i < n; i++)
        filler &= t[i] == '*' || t[i] == 'x' || t[i] == 'X' || t[i] == '.';
    if (filler || strstr(t, "-----BEGIN"))
        return false;
    if (n == 20 && access_key_id_at(t, t))
        return false;
    return true;
}

typedef struct secret_walk {
    lint_context *ctx;
    const rule *r;
} secret_walk;

/* Reports the secret at file bytes [start, end) of node n, pointing at it. */
static void report_secret(secret_walk *w, const doc_node *n, size_t start, size_t end,
                          const char *fmt_key, const char *what)
{
    doc_node at = *n;
    at.span = src_span_of(n->file, start, end);
    lint_report_masked(w->ctx, w->r, &at, start, end,
                       "'%s' %s; pass it in from a secret store or a sensitive variable set "
                       "outside version control",
                       fmt_key, what);
}

/* A value: a URL with a literal password, or a literal secret under a
 * secret-named key. The finding points at the secret's own bytes (inside the
 * quotes), which are masked. */
static void secrets_leaf(secret_walk *w, const doc_node *n, const char *key)
{
    size_t len;
    const char *raw = doc_raw(n, &len);
    size_t base = n->span.start.offset;
    secret_match m[4];
    size_t found = text_find_credentials(raw, len, m, 4);
    for (size_t i = 0; i < found && i < 4; i++) {
        if (m[i].kind != SECRET_URL_PASSWORD)
            continue; /* access key ids and private keys have their own rules */
        report_secret(w, n, base + m[i].start, base + m[i].end, key ? key : "value",
                      "holds a URL with a literal password (" SECRET_MASK ")");
        return;
    }
    if (!key || !secret_key(key) || !literal_secret(n))
        return;
    size_t start = base, end = n->span.end.offset;
    if (len >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len - 1] == raw[0]) {
        start++;
        end--;
    }
    report_secret(w, n, start, end, key, "is set to a literal secret (" SECRET_MASK ") in the file");
}

/* default_key: the variable name when walking a `variable` block body. */
static void secrets_walk(secret_walk *w, const doc_node *n, const char *key, const char *default_key,
                         int depth)
{
    if (!n || depth > 64)
        return;
    if (n->kind == DOC_BLOCK) {
        const char *var = NULL;
        if (!strcmp(n->u.block.type, "variable") && n->u.block.nlabels == 1)
            var = doc_str(n->u.block.labels[0]);
        secrets_walk(w, n->u.block.body, n->u.block.type, var, depth + 1);
        return;
    }
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const char *k = doc_str(n->u.map.pairs[i].key);
            if (default_key && k && !strcmp(k, "default"))
                k = default_key;
            secrets_walk(w, n->u.map.pairs[i].value, k, NULL, depth + 1);
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            secrets_walk(w, n->u.seq.items[i], key, NULL, depth + 1);
    } else if (n->kind == DOC_SCALAR || n->kind == DOC_EXPR) {
        secrets_leaf(w, n, key);
    }
}

static void check_plaintext_secret(const rule *r, lint_context *ctx)
{
    secret_walk w = {.ctx = ctx, .r = r};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        for (size_t d = 0; d < in->docs.count; d++)
            secrets_walk(&w, in->docs.docs[d], NULL, NULL, 0);
    }
}

static void report_text_range(lint_context *ctx, const rule *r, const src_file *f, size_t start,
                              size_t end, size_t mask_end, const char *msg)
{
    doc_node at = {.kind = DOC_SCALAR, .file = f, .span = src_span_of(f, start, end)};
    lint_report_masked(ctx, r, &at, start, mask_end, "%s", msg);
}

static void check_access_key_id(const rule *r, lint_context *ctx)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        const src_file *f = in->src;
        for (size_t off = 0; off + 20 <= f->len; off++) {
            const char *p = memchr(f->data + off, 'A', f->len - 20 + 1 - off);
            if (!p)
                break;
            off = (size_t)(p - f->data);
            if (!access_key_id_at(p, f->data))
                continue;
            report_text_range(ctx, r, f, off, off + 20, off + 20,
                              p[0] == 'A' && p[1] == 'K'
                                  ? "AWS access key id (" SECRET_MASK ") written in the file: "
                                    "rotate the key and use a role or a credentials profile"
                                  : "AWS temporary access key id (" SECRET_MASK ") written in "
                                    "the file: remove it and use a role or a credentials profile");
            off += 19;
        }
    }
}

static void check_private_key(const rule *r, lint_context *ctx)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        const src_file *f = in->src;
        const char *data = f->data;
        for (const char *p = data; (p = strstr(p, "-----BEGIN ")) != NULL; p++) {
            const char *eol = strstr(p, "-----\n");
            const char *head_end = strstr(p + 11, "-----");
            if (!head_end || (eol && head_end > eol))
                continue;
            /* "PRIVATE KEY" in the header line: RSA, EC, OPENSSH, ENCRYPTED ... */
            size_t hl = (size_t)(head_end - p);
            char head[96];
            if (hl >= sizeof head)
                continue;
            memcpy(head, p, hl);
            head[hl] = '\0';
            if (!strstr(head, "PRIVATE KEY"))
                continue;
            /* some key material must follow: not a bare marker in a comment */
            const char *q = head_end + 5;
            size_t material = 0;
            while (*q && strncmp(q, "-----END", 8) != 0) {
                if (isalnum((unsigned char)*q) || *q == '+' || *q == '/' || *q == '=')
                    material++;
                q++;
            }
            if (material < 40)
                continue;
            const char *end = q;
            if (!strncmp(q, "-----END", 8)) {
                const char *close = strstr(q + 8, "-----");
                end = close ? close + 5 : q + 8;
            }
            size_t start = (size_t)(p - data);
            report_text_range(ctx, r, f, start, start + hl + 5, (size_t)(end - data),
                              "private key (" SECRET_MASK ") written in the file: revoke it, and "
                              "load keys from a secret store or a file kept out of version "
                              "control");
            p = end - 1;
        }
    }
}

/* ---- per-client isolation (variable files) ----------------------------- */

typedef struct tf_var {
    const char *name;
    const doc_node *value;
} tf_var;

/* The variables of a set of variable files Terraform loads together; a
 * later definition of a name replaces an earlier one. */
typedef struct var_group {
    tf_var *vars;
    size_t count;
} var_group;

static void group_add_file(var_group *g, const input_file *in)
{
    for (size_t i = 0; i < in->entities.count; i++) {
        const entity *e = in->entities.items[i];
        if (strcmp(e->kind, "tf_variable_value") != 0 || !e->name)
            continue;
        const doc_node *v = doc_get(e->attrs, "value");
        size_t k;
        for (k = 0; k < g->count; k++)
            if (!strcmp(g->vars[k].name, e->name))
                break;
        if (k == g->count) {
            g->vars = xrealloc(g->vars, (g->count + 1) * sizeof *g->vars);
            g->count++;
        }
        g->vars[k].name = e->name;
        g->vars[k].value = v;
    }
}

static const doc_node *group_get(const var_group *g, const char *name)
{
    for (size_t i = 0; i < g->count; i++)
        if (!strcmp(g->vars[i].name, name))
            return g->vars[i].value;
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static size_t dir_len(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? (size_t)(s - path) : 0;
}

/* Files Terraform loads without being asked. */
static bool auto_loaded(const char *path)
{
    const char *b = base_name(path);
    return !strcmp(b, "terraform.tfvars") || !strcmp(b, "terraform.tfvars.json") ||
           ends_with(b, ".auto.tfvars") || ends_with(b, ".auto.tfvars.json");
}

/* Load order among auto-loaded files: terraform.tfvars, its .json, then
 * *.auto.tfvars(.json) in lexical order. */
static int auto_rank_cmp(const void *a, const void *b)
{
    const input_file *x = *(const input_file *const *)a, *y = *(const input_file *const *)b;
    const char *bx = base_name(x->path), *by = base_name(y->path);
    int rx = !strcmp(bx, "terraform.tfvars") ? 0 : !strcmp(bx, "terraform.tfvars.json") ? 1 : 2;
    int ry = !strcmp(by, "terraform.tfvars") ? 0 : !strcmp(by, "terraform.tfvars.json") ? 1 : 2;
    return rx != ry ? rx - ry : strcmp(bx, by);
}

typedef void (*group_fn)(lint_context *ctx, const rule *r, const var_group *g, void *state);

typedef struct var_file {
    const input_file *in;
    size_t order; /* position among the scanned inputs */
} var_file;

static int var_file_dir_cmp(const void *a, const void *b)
{
    const var_file *x = a, *y = b;
    size_t lx = dir_len(x->in->path), ly = dir_len(y->in->path);
    int c = strncmp(x->in->path, y->in->path, lx < ly ? lx : ly);
    if (c == 0 && lx != ly)
        c = lx < ly ? -1 : 1;
    if (c == 0)
        c = x->order < y->order ? -1 : x->order > y->order;
    return c;
}

static void run_group(lint_context *ctx, const rule *r, group_fn fn, void *state,
                      const input_file *const *autos, size_t nauto, const input_file *other)
{
    var_group g = {0};
    for (size_t k = 0; k < nauto; k++)
        group_add_file(&g, autos[k]);
    if (other)
        group_add_file(&g, other);
    fn(ctx, r, &g, state);
    free(g.vars);
}

/* Calls fn once per set of variable files loaded together: the
 * auto-loaded files of a directory, plus each other variable file of that
 * directory on its own (as with -var-file). */
static void for_each_var_group(lint_context *ctx, const rule *r, group_fn fn, void *state)
{
    size_t n = 0;
    var_file *files = xcalloc(ctx->ninputs ? ctx->ninputs : 1, sizeof *files);
    for (size_t i = 0; i < ctx->ninputs; i++)
        if (tfvars_input(ctx->inputs[i]))
            files[n++] = (var_file){ctx->inputs[i], i};
    qsort(files, n, sizeof *files, var_file_dir_cmp);
    const input_file **autos = xcalloc(n ? n : 1, sizeof *autos);
    for (size_t i = 0; i < n;) {
        size_t j = i, nauto = 0;
        size_t dl = dir_len(files[i].in->path);
        while (j < n && dir_len(files[j].in->path) == dl &&
               strncmp(files[j].in->path, files[i].in->path, dl) == 0)
            j++;
        bool others = false;
        for (size_t k = i; k < j; k++) {
            if (auto_loaded(files[k].in->path))
                autos[nauto++] = files[k].in;
            else
                others = true;
        }
        qsort(autos, nauto, sizeof *autos, auto_rank_cmp);
        if (!others)
            run_group(ctx, r, fn, state, autos, nauto, NULL);
        for (size_t k = i; k < j; k++)
            if (!auto_loaded(files[k].in->path))
                run_group(ctx, r, fn, state, autos, nauto, files[k].in);
        i = j;
    }
    free(autos);
    free(files);
}

/* The enabled-clients list of a group, or NULL. */
static const doc_node *enabled_clients(const var_group *g, const char **name)
{
    static const char *const names[] = {"enabled_clients", "active_clients", NULL};
    for (size_t i = 0; names[i]; i++) {
        const doc_node *v = group_get(g, names[i]);
        if (v && v->kind == DOC_SEQ) {
            *name = names[i];
            return v;
        }
    }
    return NULL;
}

static bool list_has(const doc_node *seq, const char *s)
{
    for (size_t i = 0; seq && i < seq->u.seq.count; i++)
        if (doc_str_eq(seq->u.seq.items[i], s))
            return true;
    return false;
}

/* A map variable keyed by client: at least one key is an enabled client;
 * without an enabled-clients list, a map named after clients (client_cidrs). */
static bool client_keyed(const doc_node *v, const char *name, const doc_node *enabled)
{
    if (!v || v->kind != DOC_MAP)
        return false;
    if (!enabled)
        return strstr(name, "client") != NULL;
    for (size_t i = 0; i < v->u.map.count; i++)
        if (doc_str(v->u.map.pairs[i].key) && list_has(enabled, doc_str(v->u.map.pairs[i].key)))
            return true;
    return false;
}

static bool configs_name(const char *name)
{
    return ends_with(name, "_configs") || ends_with(name, "_config") || !strcmp(name, "configs");
}

typedef struct report_state {
    seen_set seen;
} report_state;

static void clients_without_config(lint_context *ctx, const rule *r, const var_group *g,
                                   void *state)
{
    report_state *st = state;
    const char *ename;
    const doc_node *enabled = enabled_clients(g, &ename);
    if (!enabled)
        return;
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!configs_name(g->vars[v].name) || !client_keyed(m, g->vars[v].name, enabled))
            continue;
        for (size_t i = 0; i < enabled->u.seq.count; i++) {
            const doc_node *c = enabled->u.seq.items[i];
            const char *name = doc_str(c);
            if (!name || doc_get(m, name) || !seen_add(&st->seen, c))
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

static void configs_not_enabled(lint_context *ctx, const rule *r, const var_group *g, void *state)
{
    report_state *st = state;
    const char *ename;
    const doc_node *enabled = enabled_clients(g, &ename);
    if (!enabled)
        return;
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!configs_name(g->vars[v].name) || !client_keyed(m, g->vars[v].name, enabled))
            continue;
        for (size_t i = 0; i < m->u.map.count; i++) {
            const doc_node *k = m->u.map.pairs[i].key;
            const char *name = doc_str(k);
            if (!name || list_has(enabled, name) || !seen_add(&st->seen, k))
                continue;
            lint_report(ctx, r, k,
                        "%s configures client '%s', which is not in %s: the entry is dead "
                        "configuration, or the client was meant to be enabled",
                        g->vars[v].name, name, ename);
        }
    }
}

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

/* Role named by a key: ingress words win over own-network words. */
static cidr_role role_of_key(const char *key)
{
    char lk[96];
    lower_copy(lk, sizeof lk, key);
    if (any_substr(lk, outbound_words) || any_token(lk, outbound_tokens))
        return ROLE_NONE;
    if (any_substr(lk, ingress_words))
        return ROLE_INGRESS;
    if (any_substr(lk, own_words))
        return ROLE_OWN;
    return ROLE_NONE;
}

static void collect_cidrs(cidr_list *out, const char *client, const char *var, const doc_node *n,
                          cidr_role role, int depth)
{
    if (!n || depth > 16)
        return;
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const char *k = doc_str(n->u.map.pairs[i].key);
            cidr_role kr = k ? role_of_key(k) : ROLE_NONE;
            if (k && kr == ROLE_NONE) {
                char lk[96];
                lower_copy(lk, sizeof lk, k);
                if (any_substr(lk, outbound_words) || any_token(lk, outbound_tokens))
                    continue; /* destinations are not the client's */
            }
            collect_cidrs(out, client, var, n->u.map.pairs[i].value, kr != ROLE_NONE ? kr : role,
                          depth + 1);
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            collect_cidrs(out, client, var, n->u.seq.items[i], role, depth + 1);
    } else if (role != ROLE_NONE && is_string(n) && strchr(n->u.scalar.text, '/')) {
        cidr c;
        if (!cidr_parse(n->u.scalar.text, &c) || cidr_is_any(&c))
            return;
        out->items = xrealloc(out->items, (out->count + 1) * sizeof *out->items);
        out->items[out->count++] =
            (client_cidr){.client = client, .node = n, .block = c, .role = role, .var = var};
    }
}

/* Every client CIDR of a group, in the order the variables were written. */
static cidr_list group_cidrs(const var_group *g, const doc_node *enabled)
{
    cidr_list out = {0};
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!client_keyed(m, g->vars[v].name, enabled))
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

static void cidr_text(const client_cidr *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s", doc_str(c->node));
}

static void client_cidr_overlap(lint_context *ctx, const rule *r, const var_group *g, void *state)
{
    report_state *st = state;
    const char *ename;
    const doc_node *enabled = enabled_clients(g, &ename);
    cidr_list l = group_cidrs(g, enabled);
    for (size_t j = 0; j < l.count; j++) {
        const client_cidr *b = &l.items[j];
        if (b->role != ROLE_OWN)
            continue;
        for (size_t i = 0; i < j; i++) {
            const client_cidr *a = &l.items[i];
            if (a->role != ROLE_OWN || !strcmp(a->client, b->client) ||
                !cidr_overlaps(&a->block, &b->block))
                continue;
            if (!seen_add(&st->seen, b->node))
                break;
            char ta[64], tb[64];
            cidr_text(a, ta, sizeof ta);
            cidr_text(b, tb, sizeof tb);
            lint_report(ctx, r, b->node,
                        "client '%s' network %s overlaps %s of client '%s' (%s, line %u): the "
                        "two clients' subnets and security-group rules cannot be kept apart",
                        b->client, tb, ta, a->client, a->var, a->node->span.start.line);
            break;
        }
    }
    free(l.items);
}

static void client_cidr_cross_access(lint_context *ctx, const rule *r, const var_group *g,
                                     void *state)
{
    report_state *st = state;
    const char *ename;
    const doc_node *enabled = enabled_clients(g, &ename);
    cidr_list l = group_cidrs(g, enabled);
    for (size_t j = 0; j < l.count; j++) {
        const client_cidr *z = &l.items[j];
        if (z->role != ROLE_INGRESS)
            continue;
        for (size_t i = 0; i < l.count; i++) {
            const client_cidr *y = &l.items[i];
            if (y->role != ROLE_OWN || !strcmp(y->client, z->client) ||
                !cidr_overlaps(&z->block, &y->block))
                continue;
            if (!seen_add(&st->seen, z->node))
                break;
            char tz[64], ty[64];
            cidr_text(z, tz, sizeof tz);
            cidr_text(y, ty, sizeof ty);
            lint_report(ctx, r, z->node,
                        "client '%s' admits %s, which covers %s of client '%s' (%s, line %u): "
                        "one client can reach another's instances",
                        z->client, tz, ty, y->client, y->var, y->node->span.start.line);
            break;
        }
    }
    free(l.items);
}

#define DEFAULT_CLIENT_NAME_PATTERN "^[a-z][a-z0-9-]{1,30}[a-z0-9]$"

typedef struct name_state {
    seen_set seen;         /* reported nodes */
    pcre2_code *re;
    pcre2_match_data *md;
    const char *pattern;
    char note[320];        /* about a broken configured pattern, or "" */
    char **names;          /* names reported per file: "path\nname" */
    size_t nnames;
} name_state;

static bool name_reported(name_state *st, const char *path, const char *name)
{
    size_t len = strlen(path) + strlen(name) + 2;
    char *key = xmalloc(len);
    snprintf(key, len, "%s\n%s", path, name);
    for (size_t i = 0; i < st->nnames; i++)
        if (!strcmp(st->names[i], key)) {
            free(key);
            return true;
        }
    st->names = xrealloc(st->names, (st->nnames + 1) * sizeof *st->names);
    st->names[st->nnames++] = key;
    return false;
}

static void check_one_name(lint_context *ctx, const rule *r, name_state *st, const doc_node *n)
{
    const char *name = doc_str(n);
    if (!name || !n->file)
        return;
    int rc = pcre2_match(st->re, (PCRE2_SPTR)name, strlen(name), 0, 0, st->md, NULL);
    if (rc >= 0 || name_reported(st, n->file->path, name) || !seen_add(&st->seen, n))
        return;
    lint_report(ctx, r, n,
                "client name '%s' does not match the naming convention %s: client names end "
                "up in resource names, IAM roles, SSM paths and log groups%s",
                name, st->pattern, st->note);
}

static void client_names(lint_context *ctx, const rule *r, const var_group *g, void *state)
{
    name_state *st = state;
    const char *ename;
    const doc_node *enabled = enabled_clients(g, &ename);
    for (size_t i = 0; enabled && i < enabled->u.seq.count; i++)
        check_one_name(ctx, r, st, enabled->u.seq.items[i]);
    for (size_t v = 0; v < g->count; v++) {
        const doc_node *m = g->vars[v].value;
        if (!client_keyed(m, g->vars[v].name, enabled))
            continue;
        for (size_t i = 0; i < m->u.map.count; i++)
            check_one_name(ctx, r, st, m->u.map.pairs[i].key);
    }
}

static void check_client_no_config(const rule *r, lint_context *ctx)
{
    report_state st = {0};
    for_each_var_group(ctx, r, clients_without_config, &st);
    seen_free(&st.seen);
}

static void check_client_config_not_enabled(const rule *r, lint_context *ctx)
{
    report_state st = {0};
    for_each_var_group(ctx, r, configs_not_enabled, &st);
    seen_free(&st.seen);
}

static void check_client_cidr_overlap(const rule *r, lint_context *ctx)
{
    report_state st = {0};
    for_each_var_group(ctx, r, client_cidr_overlap, &st);
    seen_free(&st.seen);
}

static void check_client_cross_access(const rule *r, lint_context *ctx)
{
    report_state st = {0};
    for_each_var_group(ctx, r, client_cidr_cross_access, &st);
    seen_free(&st.seen);
}

static pcre2_code *compile_pattern(const char *pattern, char *err, size_t cap)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, cap, "%s at offset %zu", (const char *)msg, (size_t)off);
    }
    return re;
}

static void check_client_name(const rule *r, lint_context *ctx)
{
    name_state st = {.pattern = DEFAULT_CLIENT_NAME_PATTERN};
    const char *configured = doc_str(doc_get(ctx->settings, "client_name_pattern"));
    char err[160];
    if (configured) {
        st.re = compile_pattern(configured, err, sizeof err);
        if (st.re)
            st.pattern = configured;
        else
            snprintf(st.note, sizeof st.note,
                     " (settings.client_name_pattern in .stackaudit.yaml is not a valid regex: "
                     "%s; the default is used)",
                     err);
    }
    if (!st.re)
        st.re = compile_pattern(DEFAULT_CLIENT_NAME_PATTERN, err, sizeof err);
    if (!st.re)
        return;
    st.md = pcre2_match_data_create_from_pattern(st.re, NULL);
    for_each_var_group(ctx, r, client_names, &st);
    pcre2_match_data_free(st.md);
    pcre2_code_free(st.re);
    for (size_t i = 0; i < st.nnames; i++)
        free(st.names[i]);
    free(st.names);
    seen_free(&st.seen);
}

/* ---- instance types ----------------------------------------------------- */

/* Keys holding instance types (lower-cased); *class_only: RDS classes
 * (db.*), *cache_only: node types (only cache.* is an instance class). */
static bool itype_key(const char *lk, bool *db_only, bool *cache_only)
{
    *db_only = *cache_only = false;
    if (!strcmp(lk, "instance_type") || !strcmp(lk, "instance_types") ||
        ends_with(lk, "_instance_type") || ends_with(lk, "_instance_types"))
        return true;
    if (!strcmp(lk, "instance_class") || ends_with(lk, "_instance_class")) {
        *db_only = true;
        return true;
    }
    if (!strcmp(lk, "node_type") || ends_with(lk, "_node_type")) {
        *cache_only = true;
        return true;
    }
    return false;
}

typedef struct itype_walk {
    lint_context *ctx;
    const rule *r;
    seen_set seen;
} itype_walk;

static void itype_value(itype_walk *w, const doc_node *n, bool db_only, bool cache_only)
{
    if (!is_string(n))
        return;
    const char *v = n->u.scalar.text;
    if ((db_only && strncmp(v, "db.", 3) != 0) || (cache_only && strncmp(v, "cache.", 6) != 0))
        return;
    itype_result res;
    itype_check(v, &res);
    if ((res.verdict != ITYPE_UNKNOWN_FAMILY && res.verdict != ITYPE_BAD_SIZE) ||
        !seen_add(&w->seen, n))
        return;
    if (res.suggestion[0])
        lint_report(w->ctx, w->r, n, "instance type '%s' does not exist: %s (did you mean %s?)", v,
                    res.reason, res.suggestion);
    else
        lint_report(w->ctx, w->r, n, "instance type '%s' does not exist: %s", v, res.reason);
}

static void itype_walk_node(itype_walk *w, const doc_node *n, const char *key, int depth)
{
    if (!n || depth > 64)
        return;
    if (n->kind == DOC_BLOCK) {
        itype_walk_node(w, n->u.block.body, n->u.block.type, depth + 1);
    } else if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++)
            itype_walk_node(w, n->u.map.pairs[i].value, doc_str(n->u.map.pairs[i].key),
                            depth + 1);
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++)
            itype_walk_node(w, n->u.seq.items[i], key, depth + 1);
    } else if (key) {
        char lk[96];
        bool db_only, cache_only;
        lower_copy(lk, sizeof lk, key);
        if (itype_key(lk, &db_only, &cache_only))
            itype_value(w, n, db_only, cache_only);
    }
}

static void check_instance_type(const rule *r, lint_context *ctx)
{
    itype_walk w = {.ctx = ctx, .r = r};
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!tf_input(in))
            continue;
        for (size_t k = 0; k < in->entities.count; k++) {
            const entity *e = in->entities.items[k];
            if (!strcmp(e->kind, "tf_variable_value") || !strcmp(e->kind, "tf_local"))
                itype_walk_node(&w, doc_get(e->attrs, "value"), e->name, 0);
            else if (!strcmp(e->kind, "tf_variable"))
                itype_walk_node(&w, doc_get(e->attrs, "default"), e->name, 0);
            else if (!strcmp(e->kind, "tf_resource") || !strcmp(e->kind, "tf_module") ||
                     !strcmp(e->kind, "tf_data"))
                itype_walk_node(&w, doc_get(e->attrs, "body"), NULL, 0);
        }
    }
    seen_free(&w.seen);
}

const check_entry checks_terraform[] = {
    {"tf-all-ports-open", check_all_ports_open},
    {"tf-ssh-open", check_ssh_open},
    {"tf-rdp-open", check_rdp_open},
    {"tf-db-port-open", check_db_port_open},
    {"tf-world-open", check_world_open},
    {"tf-plaintext-secret", check_plaintext_secret},
    {"tf-aws-access-key-id", check_access_key_id},
    {"tf-private-key", check_private_key},
    {"tfvars-client-no-config", check_client_no_config},
    {"tfvars-client-config-not-enabled", check_client_config_not_enabled},
    {"tfvars-client-cidr-overlap", check_client_cidr_overlap},
    {"tfvars-client-cross-access", check_client_cross_access},
    {"tfvars-client-name", check_client_name},
    {"tf-instance-type", check_instance_type},
    {NULL, NULL},
};
