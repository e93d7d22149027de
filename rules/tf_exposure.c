/* tf_exposure.c - classifies what a world-open rule exposes: by ports and
 * protocol, by a security-group module rule name, by the words of a CIDR
 * variable's name, and reads security-group-like objects. See
 * tf_exposure.h for the guarantees. */
#include "rules/tf_exposure.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules/tf_model.h"
#include "rules/values.h"

/* Database and data-store client ports. */
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

/* ---- classes ----------------------------------------------------------- */

proto expo_proto_of(const doc_node *n)
{
    if (!n || n->kind != DOC_SCALAR)
        return PROTO_TCP; /* absent or an expression: assume the common case */
    char p[32];
    tf_lower_copy(p, sizeof p, n->u.scalar.text);
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

exposure expo_of_ports(int lo, int hi, proto p)
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

exposure expo_of_rule_name(const char *name)
{
    exposure x = {.cls = EXPO_OTHER, .lo = -1, .hi = -1};
    char n[64];
    tf_lower_copy(n, sizeof n, name);
    if (strstr(n, "icmp"))
        x.cls = EXPO_NONE;
    else if (!strncmp(n, "all-", 4))
        x.cls = EXPO_ALL;
    else if (strstr(n, "ssh"))
        x.cls = EXPO_SSH, x.lo = x.hi = 22;
    else if (strstr(n, "rdp"))
        x.cls = EXPO_RDP, x.lo = x.hi = 3389;
    else if (tf_any_substr(n, db_words) || !strncmp(n, "etcd", 4)) {
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

exposure expo_of_words(const char *lk)
{
    exposure x = {.cls = EXPO_OTHER, .lo = -1, .hi = -1, .by_name = true};
    if (strstr(lk, "ssh") || tf_has_token(lk, "bastion"))
        x.cls = EXPO_SSH;
    else if (strstr(lk, "rdp") || strstr(lk, "remote_desktop"))
        x.cls = EXPO_RDP;
    else if (tf_any_substr(lk, db_words) || tf_any_token(lk, db_tokens))
        x.cls = EXPO_DB;
    else if (tf_any_token(lk, web_tokens))
        x.cls = EXPO_WEB;
    return x;
}

void expo_describe(const exposure *x, char *out, size_t cap)
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

/* ---- keys and values ---------------------------------------------------- */

bool expo_cidr_key(const char *lk)
{
    if (strstr(lk, "cidr") || strstr(lk, "source_ranges") || strstr(lk, "ip_range") ||
        strstr(lk, "allowlist") || strstr(lk, "whitelist"))
        return true;
    static const char *const last[] = {"_ips", "allowed_ips", "_networks", "_addresses",
                                       "_prefixes", NULL};
    for (size_t i = 0; last[i]; i++)
        if (tf_ends_with(lk, last[i]) || !strcmp(lk, last[i] + (last[i][0] == '_')))
            return true;
    return false;
}

bool expo_not_ingress_key(const char *lk)
{
    return tf_outbound_key(lk) || strstr(lk, "public_access_cidrs") != NULL;
}

const char *expo_world_in(const char *text)
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

/* ---- rule objects -------------------------------------------------------- */

static bool port_value(const doc_node *n, int *out)
{
    int64_t v;
    if (!n || n->kind != DOC_SCALAR || !doc_int(n, &v) || v < 0 || v > 65535)
        return false;
    *out = (int)v;
    return true;
}

exposure expo_of_rule(const doc_node *m)
{
    exposure none = {.cls = EXPO_NONE, .lo = -1, .hi = -1};
    const char *named = doc_str(doc_get(m, "rule"));
    if (named)
        return expo_of_rule_name(named);
    const doc_node *pn = doc_get(m, "protocol");
    if (!pn)
        pn = doc_get(m, "ip_protocol");
    proto p = expo_proto_of(pn);
    if (p == PROTO_ALL || p == PROTO_ICMP)
        return expo_of_ports(0, 65535, p);
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
        return expo_of_ports(lo, hi, p);
    }
    if (port_value(doc_get(m, "port"), &lo))
        return expo_of_ports(lo, lo, p);
    const doc_node *ports = doc_get(m, "ports");
    if (ports && ports->kind == DOC_SEQ) {
        exposure x = none;
        for (size_t i = 0; i < ports->u.seq.count; i++) {
            port_range pr;
            if (port_range_parse(doc_str(ports->u.seq.items[i]), &pr))
                x = expo_worse(x, expo_of_ports(pr.lo, pr.hi, p));
        }
        return x;
    }
    return none;
}

bool expo_outbound_rule(const doc_node *m)
{
    char t[32];
    tf_lower_copy(t, sizeof t, doc_str(doc_get(m, "type")));
    if (!strcmp(t, "egress"))
        return true;
    tf_lower_copy(t, sizeof t, doc_str(doc_get(m, "direction")));
    return !strcmp(t, "egress") || !strcmp(t, "outbound");
}

/* One pass over the keys. */
bool expo_rule_like(const doc_node *m)
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
            tf_lower_copy(lk, sizeof lk, k);
            cidrs = expo_cidr_key(lk) && !expo_not_ingress_key(lk);
        }
    }
    return ports && cidrs;
}
