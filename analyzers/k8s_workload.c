/* k8s_workload.c - Kubernetes workloads (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) -> one
 * "k8s_workload" entity and one "container" entity per container and init
 * container, in the shared container shape (docs/entities.md).
 *
 * Guarantees: the pod-level securityContext (and the legacy seccomp /
 * AppArmor annotations) apply to every container unless the container sets
 * the same field (the container wins, as the kubelet does); each attribute
 * keeps the span of whichever text it was taken from; volume mounts are
 * resolved against the pod's volumes so "volumes" has the same meaning as
 * for compose (type, source, target, read_only). */
#include <string.h>

#include "analyzers/container.h"
#include "analyzers/k8s_build.h"

typedef struct pod_ctx {
    const k8s_object *o;
    const doc_node *spec;       /* pod spec */
    const doc_node *pod_meta;   /* pod (template) metadata */
    const doc_node *pod_sc;     /* pod securityContext */
    const doc_node *pod_anns;   /* pod (template) annotations */
    const doc_node *host_network, *host_pid, *host_ipc; /* pod spec fields */
    const char *workload_name;
} pod_ctx;

static const char *pod_spec_path(const char *kind, const char **meta_path)
{
    static const char *templated[] = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                      "ReplicationController", "Job"};
    if (strcmp(kind, "Pod") == 0) {
        *meta_path = "metadata";
        return "spec";
    }
    for (size_t i = 0; i < sizeof templated / sizeof *templated; i++) {
        if (strcmp(kind, templated[i]) == 0) {
            *meta_path = "spec.template.metadata";
            return "spec.template.spec";
        }
    }
    if (strcmp(kind, "CronJob") == 0) {
        *meta_path = "spec.jobTemplate.spec.template.metadata";
        return "spec.jobTemplate.spec.template.spec";
    }
    return NULL;
}

/* ---- pod volumes -------------------------------------------------------- */

/* The volume source field of a pod volume (hostPath, secret, ...). */
static const doc_pair *volume_source(const doc_node *vol)
{
    for (size_t i = 0; vol && vol->kind == DOC_MAP && i < vol->u.map.count; i++)
        if (!doc_str_eq(vol->u.map.pairs[i].key, "name"))
            return &vol->u.map.pairs[i];
    return NULL;
}

/* What a mount of this volume reads: the host path, secret name, ... */
static doc_node *volume_source_value(arena *a, const doc_pair *src)
{
    if (!src)
        return NULL;
    const char *t = doc_str(src->key);
    static const struct {
        const char *type, *field;
    } fields[] = {{"hostPath", "path"},           {"secret", "secretName"},
                  {"configMap", "name"},          {"persistentVolumeClaim", "claimName"},
                  {"nfs", "path"},                {"iscsi", "targetPortal"},
                  {"azureFile", "shareName"},     {"awsElasticBlockStore", "volumeID"},
                  {"gcePersistentDisk", "pdName"}, {"csi", "driver"}};
    for (size_t i = 0; t && i < sizeof fields / sizeof *fields; i++)
        if (strcmp(t, fields[i].type) == 0)
            return attr_as_str(a, doc_get(src->value, fields[i].field));
    return NULL;
}

static doc_node *pod_volume(arena *a, const doc_node *vol)
{
    if (!vol || vol->kind != DOC_MAP)
        return NULL;
    doc_node *m = attr_map_new(a, vol);
    ATTR_SET(a, m, "name", attr_as_str(a, doc_get(vol, "name")));
    const doc_pair *src = volume_source(vol);
    if (!src)
        return m;
    ATTR_SET(a, m, "type", attr_as_str(a, src->key));
    const doc_node *v = src->value;
    const char *t = doc_str(src->key);
    if (strcmp(t, "hostPath") == 0) {
        ATTR_SET(a, m, "path", attr_as_str(a, doc_get(v, "path")));
        ATTR_SET(a, m, "host_path_type", attr_as_str(a, doc_get(v, "type")));
    } else if (strcmp(t, "secret") == 0) {
        ATTR_SET(a, m, "secret_name", attr_as_str(a, doc_get(v, "secretName")));
    } else if (strcmp(t, "configMap") == 0) {
        ATTR_SET(a, m, "config_map", attr_as_str(a, doc_get(v, "name")));
    } else if (strcmp(t, "persistentVolumeClaim") == 0) {
        ATTR_SET(a, m, "claim_name", attr_as_str(a, doc_get(v, "claimName")));
        ATTR_SET(a, m, "read_only", attr_as_bool(a, doc_get(v, "readOnly")));
    } else if (strcmp(t, "emptyDir") == 0) {
        ATTR_SET(a, m, "medium", attr_as_str(a, doc_get(v, "medium")));
        ATTR_SET(a, m, "size_limit", attr_as_str(a, doc_get(v, "sizeLimit")));
    } else if (strcmp(t, "nfs") == 0) {
        ATTR_SET(a, m, "server", attr_as_str(a, doc_get(v, "server")));
        ATTR_SET(a, m, "path", attr_as_str(a, doc_get(v, "path")));
        ATTR_SET(a, m, "read_only", attr_as_bool(a, doc_get(v, "readOnly")));
    }
    return m;
}

static const doc_node *find_pod_volume(const pod_ctx *p, const char *name)
{
    const doc_node *vols = doc_get(p->spec, "volumes");
    for (size_t i = 0; name && vols && vols->kind == DOC_SEQ && i < vols->u.seq.count; i++)
        if (doc_str_eq(doc_get(vols->u.seq.items[i], "name"), name))
            return vols->u.seq.items[i];
    return NULL;
}

/* The name node of a StatefulSet volumeClaimTemplate called name. */
static const doc_node *find_claim_template(const pod_ctx *p, const char *name)
{
    const doc_node *t = doc_path(p->o->obj, "spec.volumeClaimTemplates");
    for (size_t i = 0; name && t && t->kind == DOC_SEQ && i < t->u.seq.count; i++) {
        const doc_node *n = doc_path(t->u.seq.items[i], "metadata.name");
        if (doc_str_eq(n, name))
            return n;
    }
    return NULL;
}

/* ---- container fields --------------------------------------------------- */

/* Container field first, then the pod-level one. */
static const doc_node *sc_field(const pod_ctx *p, const doc_node *csc, const char *key)
{
    const doc_node *n = doc_get(csc, key);
    return attr_present(n) ? n : doc_get(p->pod_sc, key);
}

/* The profile from the securityContext field, else from the container's
 * annotation (container_ann_prefix + the container name cname), else from
 * the pod's annotation pod_ann (when not NULL). The container's annotation
 * key is only formatted when the pod has annotations. */
static doc_node *profile(k8s_build *b, const pod_ctx *p, const doc_node *csc, const char *field,
                         const char *container_ann_prefix, const char *cname,
                         const char *pod_ann)
{
    const doc_node *f = sc_field(p, csc, field);
    if (attr_present(f))
        return container_profile_from_k8s(b->a, f);
    const doc_node *anns = p->pod_anns;
    if (!anns)
        return NULL;
    const doc_node *ann = doc_get(anns, arena_printf(b->a, "%s%s", container_ann_prefix, cname));
    if (!attr_present(ann) && pod_ann)
        ann = doc_get(anns, pod_ann);
    return attr_as_str(b->a, ann);
}

static doc_node *container_ports(k8s_build *b, const doc_node *ports)
{
    if (!attr_present(ports) || ports->kind != DOC_SEQ)
        return NULL;
    arena *a = b->a;
    doc_node *seq = attr_seq_new(a, ports);
    for (size_t i = 0; i < ports->u.seq.count; i++) {
        const doc_node *e = ports->u.seq.items[i];
        port_fields pf = {0};
        pf.container_port = attr_as_int(a, doc_get(e, "containerPort"));
        if (!pf.container_port) {
            attr_warn(&b->in->diags, e, "container port entry needs a containerPort; ignored");
            continue;
        }
        pf.name = attr_as_str(a, doc_get(e, "name"));
        pf.host_ip = attr_as_str(a, doc_get(e, "hostIP"));
        pf.host_port = attr_as_int(a, doc_get(e, "hostPort"));
        pf.protocol = container_protocol(a, doc_get(e, "protocol"));
        if (!pf.protocol)
            pf.protocol = doc_new_str(a, e->file, e->span, "tcp");
        const doc_node *pub_from = pf.host_port ? pf.host_port : e;
        pf.published = doc_new_bool(a, pub_from->file, pub_from->span,
                                    pf.host_port && pf.host_port->u.scalar.i != 0);
        doc_seq_add(a, seq, container_port_map(a, e, &pf));
    }
    return seq;
}

static doc_node *container_env(k8s_build *b, const doc_node *env)
{
    if (!attr_present(env) || env->kind != DOC_SEQ)
        return NULL;
    arena *a = b->a;
    doc_node *seq = attr_seq_new(a, env);
    for (size_t i = 0; i < env->u.seq.count; i++) {
        const doc_node *e = env->u.seq.items[i];
        if (e->kind != DOC_MAP)
            continue;
        doc_node *m = attr_map_new(a, e);
        ATTR_SET(a, m, "name", attr_as_str(a, doc_get(e, "name")));
        ATTR_SET(a, m, "value", attr_as_str(a, doc_get(e, "value")));
        const doc_node *from = doc_get(e, "valueFrom");
        if (from && from->kind == DOC_MAP && from->u.map.count) {
            const doc_pair *ref = &from->u.map.pairs[0];
            ATTR_SET(a, m, "value_from", attr_as_str(a, ref->key));
            ATTR_SET(a, m, "value_from_name", attr_as_str(a, doc_get(ref->value, "name")));
            const doc_node *key = doc_get(ref->value, "key");
            if (!attr_present(key))
                key = doc_get(ref->value, "fieldPath");
            if (!attr_present(key))
                key = doc_get(ref->value, "resource");
            ATTR_SET(a, m, "value_from_key", attr_as_str(a, key));
        }
        doc_seq_add(a, seq, m);
    }
    return seq;
}

static doc_node *container_env_from(k8s_build *b, const doc_node *env_from)
{
    if (!attr_present(env_from) || env_from->kind != DOC_SEQ)
        return NULL;
    arena *a = b->a;
    doc_node *seq = attr_seq_new(a, env_from);
    for (size_t i = 0; i < env_from->u.seq.count; i++) {
        const doc_node *e = env_from->u.seq.items[i];
        if (e->kind != DOC_MAP)
            continue;
        doc_node *m = attr_map_new(a, e);
        for (size_t j = 0; j < e->u.map.count; j++) {
            const doc_pair *p = &e->u.map.pairs[j];
            if (doc_str_eq(p->key, "secretRef") || doc_str_eq(p->key, "configMapRef")) {
                ATTR_SET(a, m, "type", attr_as_str(a, p->key));
                ATTR_SET(a, m, "name", attr_as_str(a, doc_get(p->value, "name")));
                ATTR_SET(a, m, "optional", attr_as_bool(a, doc_get(p->value, "optional")));
            }
        }
        ATTR_SET(a, m, "prefix", attr_as_str(a, doc_get(e, "prefix")));
        doc_seq_add(a, seq, m);
    }
    return seq;
}

/* volumeMounts as written (normalized keys) and resolved to the shared
 * volume shape. */
static void container_mounts(k8s_build *b, const pod_ctx *p, doc_node *m, const doc_node *mounts)
{
    if (!attr_present(mounts) || mounts->kind != DOC_SEQ)
        return;
    arena *a = b->a;
    doc_node *written = attr_seq_new(a, mounts);
    doc_node *resolved = attr_seq_new(a, mounts);
    for (size_t i = 0; i < mounts->u.seq.count; i++) {
        const doc_node *e = mounts->u.seq.items[i];
        if (e->kind != DOC_MAP)
            continue;
        doc_node *name = attr_as_str(a, doc_get(e, "name"));
        doc_node *target = attr_as_str(a, doc_get(e, "mountPath"));
        doc_node *ro = attr_as_bool(a, doc_get(e, "readOnly"));
        doc_node *w = attr_map_new(a, e);
        ATTR_SET(a, w, "name", name);
        ATTR_SET(a, w, "mount_path", target);
        ATTR_SET(a, w, "read_only", ro);
        ATTR_SET(a, w, "sub_path", attr_as_str(a, doc_get(e, "subPath")));
        ATTR_SET(a, w, "mount_propagation", attr_as_str(a, doc_get(e, "mountPropagation")));
        doc_seq_add(a, written, w);

        const char *vname = name ? name->u.scalar.text : NULL;
        const doc_node *vol = find_pod_volume(p, vname);
        const doc_node *claim = vol ? NULL : find_claim_template(p, vname);
        if (!vol && !claim) {
            if (name)
                attr_warn(&b->in->diags, name,
                          "volume mount \"%s\" refers to no volume of the pod spec",
                          name->u.scalar.text);
            continue;
        }
        doc_node *r = attr_map_new(a, e);
        if (vol) {
            const doc_pair *src = volume_source(vol);
            ATTR_SET(a, r, "type", src ? attr_as_str(a, src->key) : NULL);
            ATTR_SET(a, r, "source", volume_source_value(a, src));
        } else {
            ATTR_SET(a, r, "type", doc_new_str(a, claim->file, claim->span, "volumeClaimTemplate"));
            ATTR_SET(a, r, "source", (doc_node *)claim);
        }
        ATTR_SET(a, r, "target", target);
        ATTR_SET(a, r, "read_only", ro ? ro : doc_new_bool(a, e->file, e->span, false));
        ATTR_SET(a, r, "name", name);
        doc_seq_add(a, resolved, r);
    }
    ATTR_SET(a, m, "volumes", resolved);
    ATTR_SET(a, m, "volume_mounts", written);
}

static doc_node *resource_map(arena *a, const doc_node *res)
{
    if (!attr_present(res) || res->kind != DOC_MAP)
        return NULL;
    doc_node *m = attr_map_new(a, res);
    for (size_t i = 0; i < res->u.map.count; i++) {
        doc_node *v = attr_as_str(a, res->u.map.pairs[i].value);
        if (v)
            doc_map_add(a, m, res->u.map.pairs[i].key, v);
    }
    return m;
}

/* The pod's host namespace settings, on the workload and on each container. */
static void set_host_namespaces(arena *a, const pod_ctx *p, doc_node *m)
{
    ATTR_SET(a, m, "host_network", attr_as_bool(a, p->host_network));
    ATTR_SET(a, m, "host_pid", attr_as_bool(a, p->host_pid));
    ATTR_SET(a, m, "host_ipc", attr_as_bool(a, p->host_ipc));
}

static void build_container(k8s_build *b, const pod_ctx *p, const doc_node *c, bool init)
{
    arena *a = b->a;
    if (!c || c->kind != DOC_MAP)
        return;
    const char *cname = doc_str(doc_get(c, "name"));
    entity *e = entity_add(a, &b->in->entities, "container", PLATFORM_KUBERNETES,
                           cname ? cname : "", c);
    e->ns = p->o->ns;
    e->owner = p->workload_name;
    e->name_node = doc_get(c, "name");
    attr_draft draft;
    doc_node *m = attr_draft_begin(&draft, e->attrs);
    const doc_node *csc = doc_get(c, "securityContext");
    ATTR_SET(a, m, "image", attr_as_str(a, doc_get(c, "image")));
    ATTR_SET(a, m, "image_pull_policy", attr_as_str(a, doc_get(c, "imagePullPolicy")));
    ATTR_SET(a, m, "command", attr_str_seq(a, doc_get(c, "command")));
    ATTR_SET(a, m, "args", attr_str_seq(a, doc_get(c, "args")));
    ATTR_SET(a, m, "run_as_user", attr_as_int(a, sc_field(p, csc, "runAsUser")));
    ATTR_SET(a, m, "run_as_group", attr_as_int(a, sc_field(p, csc, "runAsGroup")));
    ATTR_SET(a, m, "run_as_non_root", attr_as_bool(a, sc_field(p, csc, "runAsNonRoot")));
    ATTR_SET(a, m, "privileged", attr_as_bool(a, doc_get(csc, "privileged")));
    ATTR_SET(a, m, "read_only", attr_as_bool(a, doc_get(csc, "readOnlyRootFilesystem")));
    ATTR_SET(a, m, "cap_add", container_cap_seq(a, doc_path(csc, "capabilities.add")));
    ATTR_SET(a, m, "cap_drop", container_cap_seq(a, doc_path(csc, "capabilities.drop")));
    doc_node *ape = attr_as_bool(a, doc_get(csc, "allowPrivilegeEscalation"));
    ATTR_SET(a, m, "allow_privilege_escalation", ape);
    if (ape)
        ATTR_SET(a, m, "no_new_privileges",
                 doc_new_bool(a, ape->file, ape->span, !ape->u.scalar.b));
    const char *cn = cname ? cname : "";
    ATTR_SET(a, m, "seccomp",
             profile(b, p, csc, "seccompProfile", "container.seccomp.security.alpha.kubernetes.io/",
                     cn, "seccomp.security.alpha.kubernetes.io/pod"));
    ATTR_SET(a, m, "apparmor",
             profile(b, p, csc, "appArmorProfile",
                     "container.apparmor.security.beta.kubernetes.io/", cn, NULL));
    ATTR_SET(a, m, "proc_mount", attr_as_str(a, doc_get(csc, "procMount")));
    set_host_namespaces(a, p, m);
    ATTR_SET(a, m, "ports", container_ports(b, doc_get(c, "ports")));
    ATTR_SET(a, m, "environment", container_env(b, doc_get(c, "env")));
    ATTR_SET(a, m, "env_from", container_env_from(b, doc_get(c, "envFrom")));
    container_mounts(b, p, m, doc_get(c, "volumeMounts"));
    ATTR_SET(a, m, "limits", resource_map(a, doc_path(c, "resources.limits")));
    ATTR_SET(a, m, "requests", resource_map(a, doc_path(c, "resources.requests")));
    static const struct {
        const char *field, *attr;
    } probes[] = {{"livenessProbe", "liveness_probe"},
                  {"readinessProbe", "readiness_probe"},
                  {"startupProbe", "startup_probe"}};
    for (size_t i = 0; i < 3; i++) {
        const doc_node *probe = doc_get(c, probes[i].field);
        attr_set(a, m, probes[i].attr, attr_present(probe) ? (doc_node *)probe : NULL);
    }
    ATTR_SET(a, m, "init", doc_new_bool(a, c->file, c->span, init));
    ATTR_SET(a, m, "workload_kind", (doc_node *)p->o->kind_node);
    attr_draft_finish(a, &draft, e->attrs, 0);
}

/* ---- the workload ------------------------------------------------------- */

static doc_node *count_node(arena *a, const doc_node *list, const doc_node *fallback)
{
    const doc_node *from = list ? list : fallback;
    size_t n = list && list->kind == DOC_SEQ ? list->u.seq.count : 0;
    return doc_new_int(a, from->file, from->span, (int64_t)n);
}

/* A pod spec's container list (a sequence), or NULL. */
static const doc_node *container_list(const doc_node *spec, const char *key)
{
    const doc_node *list = doc_get(spec, key);
    return list && list->kind == DOC_SEQ ? list : NULL;
}

/* The workload's own attributes, from its pod spec p->spec (a mapping). */
static void workload_attrs(k8s_build *b, const pod_ctx *p, doc_node *m,
                           const doc_node *containers, const doc_node *inits)
{
    arena *a = b->a;
    const doc_node *spec = doc_get(p->o->obj, "spec");
    ATTR_SET(a, m, "replicas", attr_as_int(a, doc_get(spec, "replicas")));
    const doc_node *selector = doc_get(spec, "selector");
    ATTR_SET(a, m, "selector", attr_present(selector) ? (doc_node *)selector : NULL);
    ATTR_SET(a, m, "schedule", attr_as_str(a, doc_get(spec, "schedule")));
    if (strcmp(p->o->kind, "Pod") != 0) {
        const doc_node *pl = doc_get(p->pod_meta, "labels");
        ATTR_SET(a, m, "pod_labels", attr_present(pl) ? (doc_node *)pl : NULL);
    }
    const doc_node *sa = doc_get(p->spec, "serviceAccountName");
    if (!attr_present(sa))
        sa = doc_get(p->spec, "serviceAccount");
    ATTR_SET(a, m, "service_account", attr_as_str(a, sa));
    ATTR_SET(a, m, "automount_service_account_token",
             attr_as_bool(a, doc_get(p->spec, "automountServiceAccountToken")));
    set_host_namespaces(a, p, m);
    ATTR_SET(a, m, "security_context", attr_present(p->pod_sc) ? (doc_node *)p->pod_sc : NULL);
    const doc_node *vols = doc_get(p->spec, "volumes");
    if (attr_present(vols) && vols->kind == DOC_SEQ) {
        doc_node *seq = attr_seq_new(a, vols);
        for (size_t i = 0; i < vols->u.seq.count; i++)
            attr_push(a, seq, pod_volume(a, vols->u.seq.items[i]));
        ATTR_SET(a, m, "volumes", seq);
    }
    ATTR_SET(a, m, "image_pull_secrets", k8s_name_seq(a, doc_get(p->spec, "imagePullSecrets")));
    const doc_node *ns = doc_get(p->spec, "nodeSelector");
    ATTR_SET(a, m, "node_selector", attr_present(ns) ? (doc_node *)ns : NULL);
    ATTR_SET(a, m, "container_count", count_node(a, containers, p->spec));
    if (inits)
        ATTR_SET(a, m, "init_container_count", count_node(a, inits, p->spec));
}

bool k8s_build_workload(k8s_build *b, const k8s_object *o)
{
    const char *meta_path;
    const char *spec_path = pod_spec_path(o->kind, &meta_path);
    if (!spec_path)
        return false;
    entity *e = k8s_entity_add(b, o, "k8s_workload");
    pod_ctx p = {.o = o, .workload_name = o->name};
    p.spec = doc_path(o->obj, spec_path);
    p.pod_meta = doc_path(o->obj, meta_path);
    if (!p.spec || p.spec->kind != DOC_MAP) {
        k8s_common_attrs(b, o, e->attrs);
        attr_warn(&b->in->diags, o->obj, "%s %s has no pod spec (%s); no containers read",
                  o->kind, o->name, spec_path);
        return true;
    }
    p.pod_sc = doc_get(p.spec, "securityContext");
    p.pod_anns = doc_get(p.pod_meta, "annotations");
    p.host_network = doc_get(p.spec, "hostNetwork");
    p.host_pid = doc_get(p.spec, "hostPID");
    p.host_ipc = doc_get(p.spec, "hostIPC");
    const doc_node *containers = container_list(p.spec, "containers");
    const doc_node *inits = container_list(p.spec, "initContainers");
    attr_draft draft;
    doc_node *m = attr_draft_begin(&draft, e->attrs);
    k8s_common_attrs(b, o, m);
    workload_attrs(b, &p, m, containers, inits);
    attr_draft_finish(b->a, &draft, e->attrs, 0);
    /* containers in source order, whichever list comes first */
    const doc_node *lists[2] = {inits, containers};
    bool init_first = !containers || (inits && inits->span.start.offset <
                                                    containers->span.start.offset);
    for (int k = 0; k < 2; k++) {
        int which = init_first ? k : 1 - k;
        const doc_node *list = lists[which];
        for (size_t i = 0; list && i < list->u.seq.count; i++)
            build_container(b, &p, list->u.seq.items[i], which == 0);
    }
    return true;
}
