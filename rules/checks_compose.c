/* checks_compose.c - the built-in C checks for docker compose (rule records
 * in rules/builtin/compose.yaml), and the registry row of the two checks on
 * the shared container entity that live in rules/env_secrets.c:
 *
 *   compose-hardcoded-ip           service located by an IP in environment / extra_hosts
 *   compose-dependency-healthcheck depended-on service without a healthcheck
 *   compose-healthy-condition      condition: service_healthy on a service without one
 *   compose-edge-data-network      internet-facing service on a network with the data tier
 *   compose-large-port-range       wide host port range published
 *   compose-secret-file-in-project top-level secret read from a file in the project
 *   container-env-secret, container-env-credential  (rules/env_secrets.c)
 *
 * What the checks read of a file's services is looked up once per file
 * (service_table, through rules/checks_memo.h).
 *
 * Guarantees: each finding points at the most precise node (the address
 * inside a value, the depends_on condition, the network entry, the service
 * key); every finding masks the environment secrets on its line
 * (env_report); values interpolated from variables are not literals and
 * are never reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/name_table.h"
#include "core/strbuf.h"
#include "rules/checks.h"
#include "rules/checks_memo.h"
#include "rules/engine.h"
#include "rules/env_secrets.h"
#include "rules/text_scan.h"

#define MAX_MATCHES 8

/* ---- inputs, entities, names ------------------------------------------- */

static bool usable(const input_file *in)
{
    return in && !in->failed && in->src;
}

static bool is_compose_service(const entity *e)
{
    return !strcmp(e->kind, "container") && e->platform == PLATFORM_COMPOSE;
}

/* The key naming the service in the file as written (its `db:` line). */
static const doc_node *service_key(const input_file *in, const entity *e)
{
    for (size_t d = 0; d < in->docs.count; d++) {
        const doc_node *services = doc_get(in->docs.docs[d], "services");
        if (!services || services->kind != DOC_MAP)
            continue;
        for (size_t i = 0; i < services->u.map.count; i++) {
            const doc_pair *p = &services->u.map.pairs[i];
            if (p->value && p->value->span.start.offset == e->source->span.start.offset &&
                doc_str_eq(p->key, e->name))
                return p->key;
        }
    }
    return e->source;
}

static const doc_node *seq_attr(const entity *e, const char *key)
{
    const doc_node *n = doc_get(e->attrs, key);
    return n && n->kind == DOC_SEQ ? n : NULL;
}

static bool has_healthcheck(const entity *e)
{
    const doc_node *hc = doc_get(e->attrs, "healthcheck");
    return hc && !doc_is_true(doc_get(hc, "disabled"));
}

/* ---- images ------------------------------------------------------------- */

/* Copies the repository part of an image reference in lower case, without
 * tag and digest: "Docker.io/library/postgres:16@sha256:..." ->
 * "docker.io/library/postgres". */
static void image_repository(const char *image, char *out, size_t size)
{
    size_t n = 0;
    for (; image[n] && image[n] != '@' && n + 1 < size; n++)
        out[n] = (char)(image[n] >= 'A' && image[n] <= 'Z' ? image[n] + 32 : image[n]);
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    char *colon = strrchr(slash ? slash : out, ':');
    if (colon)
        *colon = '\0';
}

/* strcmp's order; most names differ in their first byte, which is
 * compared without a call. */
static int cmp_name(const void *key, const void *name)
{
    const char *a = key, *b = *(const char *const *)name;
    if (*a != *b)
        return (unsigned char)*a - (unsigned char)*b;
    return strcmp(a, b);
}

static bool name_in(const char *name, const char *const *names, size_t nnames)
{
    return bsearch(name, names, nnames, sizeof *names, cmp_name) != NULL;
}

/* Images of databases, caches and brokers (sorted by strcmp). */
static const char *const data_images[] = {
    "azure-sql-edge", "cassandra", "clickhouse-server", "cockroach", "couchbase",
    "couchdb", "cp-kafka", "dragonfly", "elasticsearch", "influxdb", "kafka", "keydb",
    "mariadb", "memcached", "minio", "mongo", "mongodb", "mssql", "mysql", "mysql-server",
    "neo4j", "opensearch", "percona", "percona-server", "postgis", "postgres",
    "postgresql", "rabbitmq", "redis", "redis-stack", "redis-stack-server", "redismod",
    "redpanda", "scylla", "timescaledb", "valkey"};

/* Images of reverse proxies (sorted by strcmp). */
static const char *const proxy_images[] = {
    "caddy", "envoy", "haproxy", "httpd", "kong", "nginx", "nginx-proxy",
    "nginx-proxy-manager", "nginx-unprivileged", "openresty", "swag", "traefik", "varnish"};

/* Whether a path component of the repository of image (may be NULL) is
 * one of data_images (*data), one of proxy_images (*proxy). */
static void classify_image(const char *image, bool *data, bool *proxy)
{
    *data = *proxy = false;
    if (!image)
        return;
    char repo[256];
    image_repository(image, repo, sizeof repo);
    for (char *part = repo; part && *part;) {
        char *next = strchr(part, '/');
        if (next)
            *next++ = '\0';
        *data |= name_in(part, data_images, sizeof data_images / sizeof *data_images);
        *proxy |= name_in(part, proxy_images, sizeof proxy_images / sizeof *proxy_images);
        part = next;
    }
}

/* What the checks read of one entity of a compose file: each service's
 * maps are looked up once for all of them, one map after the other. */
typedef struct service_facts {
    bool service;                 /* a compose service (nothing else is set when not) */
    bool healthcheck;             /* it has one, not disabled */
    const doc_node *depends_on;   /* as written (e->written), or NULL */
    const doc_node *extra_hosts;  /* as written */
    const doc_node *links;        /* as written */
    const doc_node *ports;        /* attribute lists, or NULL when not lists */
    const doc_node *networks;
    const doc_node *environment;
    const char *image;            /* attribute, or NULL */
    bool data_image;              /* image is one of data_images (classify_image) */
    bool proxy_image;             /* image is one of proxy_images */
} service_facts;

/* The facts of each entity of a compose file, by entity index. */
typedef struct service_table {
    service_facts *of;
} service_table;

static void *make_services(const input_file *in)
{
    service_table *t = xmalloc(sizeof *t);
    t->of = xcalloc(in->entities.count + 1, sizeof *t->of);
    for (size_t k = 0; k < in->entities.count; k++) {
        const entity *e = in->entities.items[k];
        if (!is_compose_service(e))
            continue;
        t->of[k] = (service_facts){
            .service = true,
            .depends_on = e->written->depends_on,
            .extra_hosts = e->written->extra_hosts,
            .links = e->written->links,
            .ports = seq_attr(e, "ports"),
            .networks = seq_attr(e, "networks"),
            .environment = seq_attr(e, "environment"),
            .image = doc_str(doc_get(e->attrs, "image")),
            .healthcheck = has_healthcheck(e),
        };
        classify_image(t->of[k].image, &t->of[k].data_image, &t->of[k].proxy_image);
    }
    return t;
}

static void free_services(void *table)
{
    service_table *t = table;
    free(t->of);
    free(t);
}

static const checks_memo_kind service_tables = {make_services, free_services};

/* The index of the entity of in that is the compose service name, or
 * in->entities.count. */
static size_t find_service(const input_file *in, const service_table *sv, const char *name)
{
    size_t i = 0;
    for (; i < in->entities.count; i++) {
        const entity *e = in->entities.items[i];
        if (sv->of[i].service && e->name && !strcmp(e->name, name))
            break;
    }
    return i;
}

/* ---- compose-hardcoded-ip ---------------------------------------------- */

/* Variables whose addresses are not service locations. */
static bool ip_name_exempt(const char *name)
{
    static const char *const words[] = {"VERSION", "MASK",  "SUBNET",   "CIDR",   "ALLOW",
                                        "TRUST",   "WHITELIST", "BLACKLIST", "DENY", "BLOCK",
                                        "IGNORE",  "EXCLUDE", "NO_PROXY"};
    char up[128];
    size_t n = 0;
    for (; name[n] && n + 1 < sizeof up; n++)
        up[n] = (char)(name[n] >= 'a' && name[n] <= 'z' ? name[n] - 32 : name[n]);
    up[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(up, words[i]))
            return true;
    return false;
}

/* Service addresses written literally in raw (not inside ${...}). */
static size_t service_ips(const char *raw, size_t len, ipv4_match *out, size_t max)
{
    ipv4_match all[MAX_MATCHES];
    size_t n = text_find_ipv4(raw, len, all, MAX_MATCHES), kept = 0;
    for (size_t i = 0; i < n && i < MAX_MATCHES; i++)
        if (ipv4_is_service_address(&all[i]) && !text_in_interpolation(raw, len, all[i].start) &&
            kept < max)
            out[kept++] = all[i];
    return kept;
}

static void list_ips(strbuf *sb, const char *raw, const ipv4_match *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sb_adds(sb, i == 0 ? "" : i + 1 == n ? " and " : ", ");
        sb_addn(sb, raw + m[i].start, m[i].end - m[i].start);
    }
}

/* What a compose check does with one compose file of the run; env is
 * that file's environment table (its secrets are masked in every report),
 * sv the facts of its entities. */
typedef void (*compose_file_fn)(const rule *r, lint_context *ctx, const input_file *in,
                                const env_table *env, const service_table *sv);

/* Runs fn on every readable compose file, in input order. */
static void each_compose_file(const rule *r, lint_context *ctx, compose_file_fn fn)
{
    for (size_t i = 0; i < ctx->ninputs; i++) {
        const input_file *in = ctx->inputs[i];
        if (!usable(in) || in->format != FMT_COMPOSE)
            continue;
        const env_table *env = env_table_take(in);
        const service_table *sv = checks_memo_take(in, &service_tables);
        fn(r, ctx, in, env, sv);
        checks_memo_drop(sv, &service_tables);
        env_table_drop(env);
    }
}

/* Reports the environment entries of e that name a service by a literal
 * address: env's items from *next on that are e's (the table is in entity
 * order); *next moves past them. */
static void hardcoded_ip_in_env(const rule *r, lint_context *ctx, const input_file *in,
                                const env_table *env, const entity *e, size_t *next)
{
    for (; *next < env->count && env->items[*next].e == e; (*next)++) {
        const env_entry *ee = &env->items[*next].entry;
        ipv4_match m[4];
        size_t n;
        if (!(n = service_ips(ee->raw, ee->len, m, 4)) || ip_name_exempt(ee->name))
            continue; /* (the cheaper test first: most values hold no address) */
        strbuf ips;
        sb_init(&ips);
        list_ips(&ips, ee->raw, m, n);
        env_report(ctx, r, in, &env->secrets,
                   src_span_of(in->src, ee->base + m[0].start, ee->base + m[0].end),
                   "service '%s' points %s at the hard-coded address%s %s: it breaks "
                   "when that host or container is replaced; use the service name or "
                   "a variable",
                   e->name, ee->name, n > 1 ? "es" : "", ips.buf);
        sb_free(&ips);
    }
}

static void hardcoded_ip_in_file(const rule *r, lint_context *ctx, const input_file *in,
                                 const env_table *env, const service_table *sv)
{
    size_t next = 0; /* env's first item not seen yet */
    for (size_t k = 0; k < in->entities.count; k++) {
        const entity *e = in->entities.items[k];
        if (!sv->of[k].service) {
            while (next < env->count && env->items[next].e == e)
                next++;
            continue;
        }
        hardcoded_ip_in_env(r, ctx, in, env, e, &next);
        const doc_node *hosts = sv->of[k].extra_hosts;
        size_t count = hosts && hosts->kind == DOC_SEQ ? hosts->u.seq.count
                       : hosts && hosts->kind == DOC_MAP ? hosts->u.map.count
                                                         : 0;
        for (size_t j = 0; j < count; j++) {
            const doc_node *h = hosts->kind == DOC_SEQ ? hosts->u.seq.items[j]
                                                       : hosts->u.map.pairs[j].value;
            const char *host = hosts->kind == DOC_MAP ? doc_str(hosts->u.map.pairs[j].key)
                                                      : NULL;
            if (!h || h->kind != DOC_SCALAR || h->file != in->src)
                continue;
            size_t len;
            const char *raw = doc_raw(h, &len);
            ipv4_match m[4];
            size_t n = service_ips(raw, len, m, 4);
            if (!n)
                continue;
            size_t base = h->span.start.offset;
            strbuf ips;
            sb_init(&ips);
            list_ips(&ips, raw, m, n);
            env_report(ctx, r, in, &env->secrets,
                       src_span_of(in->src, base + m[0].start, base + m[0].end),
                       "service '%s' pins %s%s%s to the hard-coded address %s in "
                       "extra_hosts: it breaks when that host is replaced; use a DNS name "
                       "or a service on a shared network",
                       e->name, host ? "'" : "a host name", host ? host : "",
                       host ? "'" : "", ips.buf);
            sb_free(&ips);
        }
    }
}

static void check_hardcoded_ip(const rule *r, lint_context *ctx)
{
    each_compose_file(r, ctx, hardcoded_ip_in_file);
}

/* ---- compose-dependency-healthcheck / compose-healthy-condition -------- */

typedef struct dependency {
    const char *service;   /* the service depended on */
    const char *condition; /* service_started (short syntax), service_healthy, ... */
    const doc_node *at;    /* the condition value, else the entry naming the service */
} dependency;

static size_t dependency_count(const doc_node *deps)
{
    if (!deps)
        return 0;
    return deps->kind == DOC_SEQ ? deps->u.seq.count : deps->kind == DOC_MAP ? deps->u.map.count : 0;
}

static bool dependency_at(const doc_node *deps, size_t i, dependency *out)
{
    if (deps->kind == DOC_SEQ) {
        const doc_node *n = deps->u.seq.items[i];
        out->service = doc_str(n);
        out->condition = "service_started";
        out->at = n;
    } else {
        const doc_pair *p = &deps->u.map.pairs[i];
        const doc_node *given = doc_get(p->value, "condition");
        out->service = doc_str(p->key);
        out->condition = doc_str(given) ? doc_str(given) : "service_started";
        out->at = doc_str(given) ? given : p->key;
    }
    return out->service != NULL;
}

static void healthy_condition_in_file(const rule *r, lint_context *ctx, const input_file *in,
                                      const env_table *env, const service_table *sv)
{
    for (size_t k = 0; k < in->entities.count; k++) {
        const entity *e = in->entities.items[k];
        const doc_node *deps = sv->of[k].depends_on;
        for (size_t j = 0; j < dependency_count(deps); j++) {
            dependency d;
            if (!dependency_at(deps, j, &d) || strcmp(d.condition, "service_healthy"))
                continue;
            size_t dep = find_service(in, sv, d.service);
            if (dep == in->entities.count || sv->of[dep].healthcheck || d.at->file != in->src)
                continue;
            env_report(ctx, r, in, &env->secrets, d.at->span,
                       "service '%s' waits for '%s' to be healthy, but '%s' defines no "
                       "healthcheck: docker compose up fails unless its image declares a "
                       "HEALTHCHECK",
                       e->name, d.service, d.service);
        }
    }
}

static void check_healthy_condition(const rule *r, lint_context *ctx)
{
    each_compose_file(r, ctx, healthy_condition_in_file);
}

/* The services that wait only for the start of one service (short syntax
 * or condition: service_started), in entity order, each once: a chain
 * through waiter_index.links. */
typedef struct waiters {
    size_t first, last; /* indexes in links */
    size_t count;
} waiters;

typedef struct waiter_link {
    const entity *e;
    size_t next; /* index in links; 0 ends the chain (links[0] is unused) */
} waiter_link;

typedef struct waiter_index {
    name_table by_name; /* depended-on service name -> index in list */
    waiters *list;
    size_t count, cap;
    waiter_link *links;
    size_t nlinks, links_cap;
} waiter_index;

static void *grow_array(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(p, *cap * size);
}

/* Adds e to the waiters of service, unless it is already the last one
 * there (entities are added in order, so each appears once). */
static void waiter_add(waiter_index *x, const char *service, const entity *e)
{
    uintptr_t at;
    if (!name_table_add(&x->by_name, service, strlen(service), x->count, &at)) {
        x->list = grow_array(x->list, &x->cap, x->count + 1, sizeof *x->list);
        at = x->count++;
        x->list[at] = (waiters){0};
    }
    waiters *w = &x->list[at];
    if (w->count && x->links[w->last].e == e)
        return;
    x->links = grow_array(x->links, &x->links_cap, x->nlinks + 1, sizeof *x->links);
    size_t l = x->nlinks++;
    x->links[l] = (waiter_link){.e = e};
    if (w->count)
        x->links[w->last].next = l;
    else
        w->first = l;
    w->last = l;
    w->count++;
}

/* One pass over every depends_on of the file. */
static void waiter_index_build(waiter_index *x, const input_file *in, const service_table *sv)
{
    *x = (waiter_index){.nlinks = 1};
    name_table_init(&x->by_name);
    for (size_t k = 0; k < in->entities.count; k++) {
        const entity *e = in->entities.items[k];
        const doc_node *deps = sv->of[k].depends_on;
        for (size_t j = 0; j < dependency_count(deps); j++) {
            dependency d;
            if (dependency_at(deps, j, &d) && !strcmp(d.condition, "service_started"))
                waiter_add(x, d.service, e);
        }
    }
}

static void waiter_index_free(waiter_index *x)
{
    free(x->list);
    free(x->links);
    name_table_free(&x->by_name);
}

static void dependency_healthcheck_in_file(const rule *r, lint_context *ctx, const input_file *in,
                                           const env_table *env, const service_table *sv)
{
    /* dependents that only wait for the start (service_healthy ones are
     * COMPOSE-HEALTHY-CONDITION-WITHOUT-HEALTHCHECK's) */
    waiter_index x;
    waiter_index_build(&x, in, sv);
    for (size_t t = 0; t < in->entities.count && x.count; t++) {
        const entity *target = in->entities.items[t];
        uintptr_t at;
        if (!sv->of[t].service || sv->of[t].healthcheck ||
            !name_table_get(&x.by_name, target->name, strlen(target->name), &at))
            continue;
        const waiters *w = &x.list[at];
        strbuf names;
        sb_init(&names);
        for (size_t l = w->first, i = 0; i < w->count; l = x.links[l].next, i++)
            sb_addf(&names, "%s'%s'", i ? ", " : "", x.links[l].e->name);
        const doc_node *key = service_key(in, target);
        env_report(ctx, r, in, &env->secrets, key->span,
                   "service '%s' has no healthcheck, but %s depend%s on it: %s before "
                   "it is ready; add a healthcheck and wait with condition: "
                   "service_healthy",
                   target->name, names.buf, w->count == 1 ? "s" : "",
                   w->count == 1 ? "it starts" : "they start");
        sb_free(&names);
    }
    waiter_index_free(&x);
}

static void check_dependency_healthcheck(const rule *r, lint_context *ctx)
{
    each_compose_file(r, ctx, dependency_healthcheck_in_file);
}

/* ---- compose-edge-data-network ----------------------------------------- */

static bool is_public_host_ip(const doc_node *ip)
{
    const char *t = doc_str(ip);
    return !t || !*t || !strcmp(t, "0.0.0.0") || !strcmp(t, "::") || !strcmp(t, "[::]");
}

/* Why the service of f faces the internet, or NULL: it publishes 80/443
 * on every interface, or runs a reverse-proxy image. */
static const char *edge_reason(const service_facts *f, char *buf, size_t size)
{
    const doc_node *ports = f->ports;
    for (size_t i = 0; ports && i < ports->u.seq.count; i++) {
        const doc_node *p = ports->u.seq.items[i];
        int64_t lo, hi;
        if (!doc_is_true(doc_get(p, "published")) || !is_public_host_ip(doc_get(p, "host_ip")) ||
            !doc_int(doc_get(p, "host_port"), &lo))
            continue;
        if (!doc_int(doc_get(p, "host_port_end"), &hi))
            hi = lo;
        int web = lo <= 80 && 80 <= hi ? 80 : lo <= 443 && 443 <= hi ? 443 : 0;
        if (web) {
            snprintf(buf, size, "publishes port %d on all interfaces", web);
            return buf;
        }
    }
    if (f->proxy_image) {
        snprintf(buf, size, "runs the reverse proxy image %s", f->image);
        return buf;
    }
    return NULL;
}

/* True when text names host as a whole host name ("db", "db:5432",
 * "postgresql://u:p@db/app", "http://db"), not as part of another word. */
static bool text_names_host(const char *text, const char *host)
{
    size_t hl = strlen(host);
    for (const char *p = strstr(text, host); hl && p; p = strstr(p + 1, host)) {
        char before = p == text ? '\0' : p[-1], after = p[hl];
        if ((before == '\0' || strchr("=@/:,; \t\"'", before)) &&
            (after == '\0' || strchr(":/,; \t\"'?", after)))
            return true;
    }
    return false;
}

/* True when the service of app itself talks to the service named data: it
 * depends_on or links it, or names it as a host in an environment value. */
static bool service_uses(const service_facts *app, const char *data)
{
    const doc_node *deps = app->depends_on;
    for (size_t j = 0; j < dependency_count(deps); j++) {
        dependency d;
        if (dependency_at(deps, j, &d) && !strcmp(d.service, data))
            return true;
    }
    const doc_node *links = app->links;
    for (size_t j = 0; links && links->kind == DOC_SEQ && j < links->u.seq.count; j++) {
        const char *l = doc_str(links->u.seq.items[j]);
        size_t n = strlen(data);
        if (l && !strncmp(l, data, n) && (l[n] == '\0' || l[n] == ':'))
            return true;
    }
    const doc_node *env = app->environment;
    for (size_t j = 0; env && j < env->u.seq.count; j++) {
        const char *v = doc_str(doc_get(env->u.seq.items[j], "value"));
        if (v && text_names_host(v, data))
            return true;
    }
    return false;
}

static bool on_network(const service_facts *f, const char *net)
{
    const doc_node *nets = f->networks;
    for (size_t i = 0; nets && i < nets->u.seq.count; i++)
        if (doc_str_eq(nets->u.seq.items[i], net))
            return true;
    return false;
}

static void edge_data_network_in_file(const rule *r, lint_context *ctx, const input_file *in,
                                      const env_table *env, const service_table *sv)
{
    char reason[256];
    for (size_t k = 0; k < in->entities.count; k++) {
        const entity *edge = in->entities.items[k];
        const service_facts *f = &sv->of[k];
        if (!f->service || !edge_reason(f, reason, sizeof reason))
            continue;
        const doc_node *nets = f->networks;
        for (size_t n = 0; nets && n < nets->u.seq.count; n++) {
            const doc_node *net = nets->u.seq.items[n];
            const char *name = doc_str(net);
            if (!name || net->file != in->src)
                continue;
            strbuf data;
            sb_init(&data);
            size_t count = 0;
            for (size_t d = 0; d < in->entities.count; d++) {
                const entity *db = in->entities.items[d];
                if (d == k || !sv->of[d].data_image || !on_network(&sv->of[d], name) ||
                    service_uses(f, db->name))
                    continue; /* an application needs the network to its own data */
                sb_addf(&data, "%s'%s' (%s)", count ? ", " : "", db->name, sv->of[d].image);
                count++;
            }
            if (count)
                env_report(ctx, r, in, &env->secrets, net->span,
                           "service '%s' faces the internet (%s) and shares network '%s' "
                           "with the data service%s %s: a compromised edge reaches the "
                           "data tier directly; put them on separate networks",
                           edge->name, reason, name, count == 1 ? "" : "s", data.buf);
            sb_free(&data);
        }
    }
}

static void check_edge_data_network(const rule *r, lint_context *ctx)
{
    each_compose_file(r, ctx, edge_data_network_in_file);
}

/* ---- compose-large-port-range ------------------------------------------ */

static int64_t max_port_range(const lint_context *ctx)
{
    int64_t v;
    if (ctx->settings && doc_int(doc_get(ctx->settings, "compose_max_port_range"), &v) && v > 0)
        return v;
    return 100;
}

static void large_port_range_in_file(const rule *r, lint_context *ctx, const input_file *in,
                                     const env_table *env, const service_table *sv)
{
    int64_t limit = max_port_range(ctx);
    for (size_t k = 0; k < in->entities.count; k++) {
        const entity *e = in->entities.items[k];
        const doc_node *ports = sv->of[k].ports;
        for (size_t j = 0; ports && j < ports->u.seq.count; j++) {
            const doc_node *p = ports->u.seq.items[j];
            int64_t lo, hi;
            if (!doc_is_true(doc_get(p, "published")) || p->file != in->src)
                continue;
            bool host = doc_int(doc_get(p, "host_port"), &lo);
            if (host ? !doc_int(doc_get(p, "host_port_end"), &hi)
                     : !doc_int(doc_get(p, "container_port"), &lo) ||
                           !doc_int(doc_get(p, "container_port_end"), &hi))
                continue;
            if (hi - lo + 1 <= limit)
                continue;
            const char *proto = doc_str(doc_get(p, "protocol"));
            env_report(ctx, r, in, &env->secrets, p->span,
                       "service '%s' publishes %lld %shost ports (%lld-%lld%s%s), more than "
                       "%lld: publish only the ports it listens on",
                       e->name, (long long)(hi - lo + 1), host ? "" : "random ",
                       (long long)lo, (long long)hi, proto ? "/" : "", proto ? proto : "",
                       (long long)limit);
        }
    }
}

static void check_large_port_range(const rule *r, lint_context *ctx)
{
    each_compose_file(r, ctx, large_port_range_in_file);
}

/* ---- compose-secret-file-in-project ------------------------------------ */

/* A relative path that stays inside the compose file's directory. */
static bool path_in_project(const char *path)
{
    if (!*path || path[0] == '/' || path[0] == '~' || path[0] == '\\' || strchr(path, '$'))
        return false;
    if (path[1] == ':') /* C:\... */
        return false;
    return strncmp(path, "..", 2) != 0;
}

static void secret_file_in_project_in_file(const rule *r, lint_context *ctx, const input_file *in,
                                           const env_table *env, const service_table *sv)
{
    (void)sv; /* top-level secrets are not about services */
    for (size_t d = 0; d < in->docs.count; d++) {
        const doc_node *top = doc_get(in->docs.docs[d], "secrets");
        for (size_t k = 0; top && top->kind == DOC_MAP && k < top->u.map.count; k++) {
            const doc_pair *p = &top->u.map.pairs[k];
            const doc_node *file = doc_get(p->value, "file");
            const char *path = doc_str(file);
            if (!path || file->kind != DOC_SCALAR || !path_in_project(path))
                continue;
            env_report(ctx, r, in, &env->secrets, file->span,
                       "secret '%s' is read from %s inside the project directory: keep "
                       "the file out of version control (.gitignore) or outside the "
                       "project",
                       doc_str(p->key) ? doc_str(p->key) : "?", path);
        }
    }
}

static void check_secret_file_in_project(const rule *r, lint_context *ctx)
{
    each_compose_file(r, ctx, secret_file_in_project_in_file);
}

#define COMPOSE CHECK_FORMAT(FMT_COMPOSE)
#define CONTAINERS (CHECK_FORMAT(FMT_COMPOSE) | CHECK_FORMAT(FMT_KUBERNETES))

const check_entry checks_compose[] = {
    {"container-env-secret", check_container_env_secret, CHECK_PER_FILE, NULL, CONTAINERS},
    {"container-env-credential", check_container_env_credential, CHECK_PER_FILE, NULL, CONTAINERS},
    {"compose-hardcoded-ip", check_hardcoded_ip, CHECK_PER_FILE, NULL, COMPOSE},
    {"compose-dependency-healthcheck", check_dependency_healthcheck, CHECK_PER_FILE, NULL, COMPOSE},
    {"compose-healthy-condition", check_healthy_condition, CHECK_PER_FILE, NULL, COMPOSE},
    {"compose-edge-data-network", check_edge_data_network, CHECK_PER_FILE, NULL, COMPOSE},
    {"compose-large-port-range", check_large_port_range, CHECK_PER_FILE, NULL, COMPOSE},
    {"compose-secret-file-in-project", check_secret_file_in_project, CHECK_PER_FILE, NULL, COMPOSE},
    {NULL, NULL, CHECK_PER_FILE, NULL, 0},
};
