/* k8s_objects.c - every Kubernetes kind that is not a workload -> one entity:
 * k8s_service, k8s_ingress, k8s_network_policy, k8s_namespace,
 * k8s_resource_quota, k8s_limit_range, k8s_hpa, k8s_pdb, k8s_role,
 * k8s_cluster_role, k8s_role_binding, k8s_cluster_role_binding,
 * k8s_service_account, k8s_secret, k8s_configmap, and k8s_object for the
 * rest (docs/entities.md).
 *
 * Guarantees: field names become snake_case attributes with the spans of
 * the values as written; Secret values (data, stringData) and Secret
 * annotations never enter the model, only the key names do. */
#include <string.h>

#include "analyzers/container.h"
#include "analyzers/k8s_build.h"

static doc_node *as_written(const doc_node *n)
{
    return attr_present(n) ? (doc_node *)n : NULL;
}

/* A mapping with some fields renamed: {from, to} pairs, values as
 * int_or_str / bool / as written depending on conv. */
typedef enum conv { AS_STR, AS_INT, AS_INT_OR_STR, AS_BOOL, AS_WRITTEN, AS_STR_SEQ, AS_PROTO } conv;

typedef struct field_map {
    const char *from, *to;
    conv how;
} field_map;

static doc_node *convert(arena *a, const doc_node *n, conv how)
{
    switch (how) {
    case AS_STR: return attr_as_str(a, n);
    case AS_INT: return attr_as_int(a, n);
    case AS_INT_OR_STR: return k8s_int_or_str(a, n);
    case AS_BOOL: return attr_as_bool(a, n);
    case AS_STR_SEQ: return attr_str_seq(a, n);
    case AS_WRITTEN: return as_written(n);
    case AS_PROTO: return container_protocol(a, n);
    }
    return NULL;
}

static void set_fields(arena *a, doc_node *out, const doc_node *in, const field_map *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        attr_set(a, out, f[i].to, convert(a, doc_path(in, f[i].from), f[i].how));
}

/* A sequence of mappings, each mapped with fields. */
static doc_node *map_seq(arena *a, const doc_node *seq, const field_map *f, size_t n)
{
    if (!attr_present(seq) || seq->kind != DOC_SEQ)
        return NULL;
    doc_node *out = attr_seq_new(a, seq);
    for (size_t i = 0; i < seq->u.seq.count; i++) {
        const doc_node *item = seq->u.seq.items[i];
        if (item->kind != DOC_MAP)
            continue;
        doc_node *m = attr_map_new(a, item);
        set_fields(a, m, item, f, n);
        doc_seq_add(a, out, m);
    }
    return out;
}

#define N(arr) (sizeof(arr) / sizeof *(arr))

/* ---- Service ------------------------------------------------------------ */

static void service(arena *a, doc_node *m, const doc_node *spec)
{
    static const field_map ports[] = {{"name", "name", AS_STR},
                                      {"port", "port", AS_INT},
                                      {"targetPort", "target_port", AS_INT_OR_STR},
                                      {"nodePort", "node_port", AS_INT},
                                      {"protocol", "protocol", AS_PROTO}};
    static const field_map fields[] = {{"type", "type", AS_STR},
                                       {"clusterIP", "cluster_ip", AS_STR},
                                       {"externalName", "external_name", AS_STR},
                                       {"selector", "selector", AS_WRITTEN},
                                       {"externalIPs", "external_ips", AS_STR_SEQ},
                                       {"loadBalancerIP", "load_balancer_ip", AS_STR},
                                       {"loadBalancerSourceRanges",
                                        "load_balancer_source_ranges", AS_STR_SEQ},
                                       {"externalTrafficPolicy", "external_traffic_policy",
                                        AS_STR}};
    set_fields(a, m, spec, fields, 1);
    ATTR_SET(a, m, "ports", map_seq(a, doc_get(spec, "ports"), ports, N(ports)));
    set_fields(a, m, spec, fields + 1, N(fields) - 1);
}

/* ---- Ingress ------------------------------------------------------------ */

/* backend: v1 {service: {name, port: {number|name}}} or v1beta1
 * {serviceName, servicePort}. */
static void ingress_backend(arena *a, doc_node *out, const doc_node *backend)
{
    const doc_node *svc = doc_path(backend, "service.name");
    const doc_node *port = doc_path(backend, "service.port.number");
    if (!attr_present(port))
        port = doc_path(backend, "service.port.name");
    if (!attr_present(svc)) {
        svc = doc_get(backend, "serviceName");
        port = doc_get(backend, "servicePort");
    }
    ATTR_SET(a, out, "service", attr_as_str(a, svc));
    ATTR_SET(a, out, "port", k8s_int_or_str(a, port));
}

static void ingress(k8s_build *b, const k8s_object *o, doc_node *m, const doc_node *spec)
{
    arena *a = b->a;
    const doc_node *cls = doc_get(spec, "ingressClassName");
    if (!attr_present(cls))
        cls = doc_get(o->meta, "annotations");
    if (cls && cls->kind == DOC_MAP)
        cls = doc_get(cls, "kubernetes.io/ingress.class");
    ATTR_SET(a, m, "ingress_class", attr_as_str(a, cls));
    static const field_map tls[] = {{"hosts", "hosts", AS_STR_SEQ},
                                    {"secretName", "secret_name", AS_STR}};
    ATTR_SET(a, m, "tls", map_seq(a, doc_get(spec, "tls"), tls, N(tls)));

    const doc_node *rules = doc_get(spec, "rules");
    doc_node *hosts = NULL, *backends = NULL, *rules_out = NULL;
    const doc_node *def = doc_get(spec, "defaultBackend");
    if (!attr_present(def))
        def = doc_get(spec, "backend");
    if (attr_present(def)) {
        doc_node *d = attr_map_new(a, def);
        ingress_backend(a, d, def);
        ATTR_SET(a, m, "default_backend", d);
        backends = attr_seq_new(a, def);
        attr_push(a, backends, doc_get(d, "service"));
    }
    if (attr_present(rules) && rules->kind == DOC_SEQ) {
        hosts = attr_seq_new(a, rules);
        rules_out = attr_seq_new(a, rules);
        if (!backends)
            backends = attr_seq_new(a, rules);
        for (size_t i = 0; i < rules->u.seq.count; i++) {
            const doc_node *r = rules->u.seq.items[i];
            if (r->kind != DOC_MAP)
                continue;
            doc_node *rm = attr_map_new(a, r);
            doc_node *host = attr_as_str(a, doc_get(r, "host"));
            attr_push(a, hosts, host);
            ATTR_SET(a, rm, "host", host);
            const doc_node *paths = doc_path(r, "http.paths");
            doc_node *po = NULL;
            for (size_t j = 0; paths && paths->kind == DOC_SEQ && j < paths->u.seq.count; j++) {
                const doc_node *pth = paths->u.seq.items[j];
                if (pth->kind != DOC_MAP)
                    continue;
                if (!po)
                    po = attr_seq_new(a, paths);
                doc_node *pm = attr_map_new(a, pth);
                ATTR_SET(a, pm, "path", attr_as_str(a, doc_get(pth, "path")));
                ATTR_SET(a, pm, "path_type", attr_as_str(a, doc_get(pth, "pathType")));
                ingress_backend(a, pm, doc_get(pth, "backend"));
                attr_push(a, backends, doc_get(pm, "service"));
                doc_seq_add(a, po, pm);
            }
            ATTR_SET(a, rm, "paths", po);
            doc_seq_add(a, rules_out, rm);
        }
    }
    ATTR_SET(a, m, "hosts", hosts);
    ATTR_SET(a, m, "rules", rules_out);
    ATTR_SET(a, m, "backends", backends);
}

/* ---- NetworkPolicy ------------------------------------------------------ */

static doc_node *netpol_rules(arena *a, const doc_node *rules, const char *peers_key,
                              const char *peers_attr)
{
    if (!attr_present(rules) || rules->kind != DOC_SEQ)
        return NULL;
    static const field_map peer[] = {{"namespaceSelector", "namespace_selector", AS_WRITTEN},
                                     {"podSelector", "pod_selector", AS_WRITTEN},
                                     {"ipBlock.cidr", "ip_block_cidr", AS_STR},
                                     {"ipBlock.except", "ip_block_except", AS_STR_SEQ}};
    static const field_map port[] = {{"protocol", "protocol", AS_PROTO},
                                     {"port", "port", AS_INT_OR_STR},
                                     {"endPort", "end_port", AS_INT}};
    doc_node *out = attr_seq_new(a, rules);
    for (size_t i = 0; i < rules->u.seq.count; i++) {
        const doc_node *r = rules->u.seq.items[i];
        doc_node *rm = attr_map_new(a, r);
        if (r->kind == DOC_MAP) {
            attr_set(a, rm, peers_attr, map_seq(a, doc_get(r, peers_key), peer, N(peer)));
            ATTR_SET(a, rm, "ports", map_seq(a, doc_get(r, "ports"), port, N(port)));
        }
        doc_seq_add(a, out, rm);
    }
    return out;
}

static void network_policy(arena *a, doc_node *m, const doc_node *spec)
{
    static const field_map f[] = {{"podSelector", "pod_selector", AS_WRITTEN},
                                  {"policyTypes", "policy_types", AS_STR_SEQ}};
    set_fields(a, m, spec, f, N(f));
    ATTR_SET(a, m, "ingress", netpol_rules(a, doc_get(spec, "ingress"), "from", "from"));
    ATTR_SET(a, m, "egress", netpol_rules(a, doc_get(spec, "egress"), "to", "to"));
}

/* ---- RBAC --------------------------------------------------------------- */

static void role(arena *a, doc_node *m, const doc_node *obj)
{
    static const field_map rule[] = {{"apiGroups", "api_groups", AS_STR_SEQ},
                                     {"resources", "resources", AS_STR_SEQ},
                                     {"verbs", "verbs", AS_STR_SEQ},
                                     {"resourceNames", "resource_names", AS_STR_SEQ},
                                     {"nonResourceURLs", "non_resource_urls", AS_STR_SEQ}};
    ATTR_SET(a, m, "rules", map_seq(a, doc_get(obj, "rules"), rule, N(rule)));
    ATTR_SET(a, m, "aggregation_rule", as_written(doc_get(obj, "aggregationRule")));
}

static void role_binding(arena *a, doc_node *m, const doc_node *obj)
{
    static const field_map ref[] = {{"kind", "kind", AS_STR},
                                    {"name", "name", AS_STR},
                                    {"apiGroup", "api_group", AS_STR}};
    static const field_map subj[] = {{"kind", "kind", AS_STR},
                                     {"name", "name", AS_STR},
                                     {"namespace", "namespace", AS_STR},
                                     {"apiGroup", "api_group", AS_STR}};
    const doc_node *rr = doc_get(obj, "roleRef");
    if (attr_present(rr) && rr->kind == DOC_MAP) {
        doc_node *r = attr_map_new(a, rr);
        set_fields(a, r, rr, ref, N(ref));
        ATTR_SET(a, m, "role_ref", r);
    }
    ATTR_SET(a, m, "subjects", map_seq(a, doc_get(obj, "subjects"), subj, N(subj)));
}

/* ---- keys of Secrets and ConfigMaps ------------------------------------- */

static doc_node *key_names(arena *a, const doc_node *obj, const char *first, const char *second)
{
    const char *sections[2] = {first, second};
    doc_node *seq = NULL;
    for (int s = 0; s < 2; s++) {
        const doc_node *d = doc_get(obj, sections[s]);
        if (!d || d->kind != DOC_MAP)
            continue;
        if (!seq)
            seq = attr_seq_new(a, d);
        for (size_t i = 0; i < d->u.map.count; i++)
            attr_push(a, seq, attr_as_str(a, d->u.map.pairs[i].key));
    }
    return seq;
}

/* ---- dispatch ----------------------------------------------------------- */

void k8s_build_other(k8s_build *b, const k8s_object *o)
{
    arena *a = b->a;
    const char *k = o->kind;
    const doc_node *obj = o->obj;
    const doc_node *spec = doc_get(obj, "spec");
    entity *e;
    if (strcmp(k, "Service") == 0) {
        e = k8s_entity_new(b, o, "k8s_service");
        service(a, e->attrs, spec);
    } else if (strcmp(k, "Ingress") == 0) {
        e = k8s_entity_new(b, o, "k8s_ingress");
        ingress(b, o, e->attrs, spec);
    } else if (strcmp(k, "NetworkPolicy") == 0) {
        e = k8s_entity_new(b, o, "k8s_network_policy");
        network_policy(a, e->attrs, spec);
    } else if (strcmp(k, "Namespace") == 0) {
        k8s_entity_new(b, o, "k8s_namespace");
    } else if (strcmp(k, "ResourceQuota") == 0) {
        static const field_map f[] = {{"hard", "hard", AS_WRITTEN},
                                      {"scopes", "scopes", AS_STR_SEQ},
                                      {"scopeSelector", "scope_selector", AS_WRITTEN}};
        e = k8s_entity_new(b, o, "k8s_resource_quota");
        set_fields(a, e->attrs, spec, f, N(f));
    } else if (strcmp(k, "LimitRange") == 0) {
        e = k8s_entity_new(b, o, "k8s_limit_range");
        ATTR_SET(a, e->attrs, "limits", as_written(doc_get(spec, "limits")));
    } else if (strcmp(k, "HorizontalPodAutoscaler") == 0) {
        static const field_map f[] = {
            {"minReplicas", "min_replicas", AS_INT},
            {"maxReplicas", "max_replicas", AS_INT},
            {"targetCPUUtilizationPercentage", "target_cpu_utilization_percentage", AS_INT},
            {"metrics", "metrics", AS_WRITTEN}};
        static const field_map ref[] = {{"kind", "kind", AS_STR},
                                        {"name", "name", AS_STR},
                                        {"apiVersion", "api_version", AS_STR}};
        e = k8s_entity_new(b, o, "k8s_hpa");
        set_fields(a, e->attrs, spec, f, 2);
        const doc_node *tr = doc_get(spec, "scaleTargetRef");
        if (attr_present(tr) && tr->kind == DOC_MAP) {
            doc_node *r = attr_map_new(a, tr);
            set_fields(a, r, tr, ref, N(ref));
            ATTR_SET(a, e->attrs, "target_ref", r);
        }
        set_fields(a, e->attrs, spec, f + 2, N(f) - 2);
    } else if (strcmp(k, "PodDisruptionBudget") == 0) {
        static const field_map f[] = {{"minAvailable", "min_available", AS_INT_OR_STR},
                                      {"maxUnavailable", "max_unavailable", AS_INT_OR_STR},
                                      {"selector", "selector", AS_WRITTEN}};
        e = k8s_entity_new(b, o, "k8s_pdb");
        set_fields(a, e->attrs, spec, f, N(f));
    } else if (strcmp(k, "Role") == 0 || strcmp(k, "ClusterRole") == 0) {
        e = k8s_entity_new(b, o, k[0] == 'R' ? "k8s_role" : "k8s_cluster_role");
        role(a, e->attrs, obj);
    } else if (strcmp(k, "RoleBinding") == 0 || strcmp(k, "ClusterRoleBinding") == 0) {
        e = k8s_entity_new(b, o, k[0] == 'R' ? "k8s_role_binding" : "k8s_cluster_role_binding");
        role_binding(a, e->attrs, obj);
    } else if (strcmp(k, "ServiceAccount") == 0) {
        e = k8s_entity_new(b, o, "k8s_service_account");
        ATTR_SET(a, e->attrs, "automount_service_account_token",
                 attr_as_bool(a, doc_get(obj, "automountServiceAccountToken")));
        ATTR_SET(a, e->attrs, "secrets", k8s_name_seq(a, doc_get(obj, "secrets")));
        ATTR_SET(a, e->attrs, "image_pull_secrets",
                 k8s_name_seq(a, doc_get(obj, "imagePullSecrets")));
    } else if (strcmp(k, "Secret") == 0) {
        e = k8s_entity_new(b, o, "k8s_secret");
        ATTR_SET(a, e->attrs, "type", attr_as_str(a, doc_get(obj, "type")));
        ATTR_SET(a, e->attrs, "keys", key_names(a, obj, "data", "stringData"));
        ATTR_SET(a, e->attrs, "immutable", attr_as_bool(a, doc_get(obj, "immutable")));
    } else if (strcmp(k, "ConfigMap") == 0) {
        e = k8s_entity_new(b, o, "k8s_configmap");
        ATTR_SET(a, e->attrs, "keys", key_names(a, obj, "data", "binaryData"));
        ATTR_SET(a, e->attrs, "immutable", attr_as_bool(a, doc_get(obj, "immutable")));
    } else {
        k8s_entity_new(b, o, "k8s_object");
    }
}
