/* checks_k8s_workload.c - built-in C checks on Kubernetes workloads and
 * their pod specs: resource requests (with LimitRange defaults), the default
 * namespace, service account token automount, shareProcessNamespace, single
 * replicas without an HPA, and CronJob overlap and starting deadline. Rule
 * records and examples are in rules/builtin/kubernetes.yaml.
 *
 * The checks that depend on other files (a LimitRange default, a
 * ServiceAccount, an HPA) collect pending findings into each file's digest
 * (rules/k8s_digest.h), settled once every file is read; the others run per
 * file.
 *
 * Guarantees: each finding points at the offending value, or at the mapping
 * the missing field belongs in (the object's namespace or name for the
 * default namespace, the schedule for CronJob fields); one finding per
 * container or workload, in scan order. Read-only over the model. */
#include <stdint.h>
#include <string.h>

#include "core/strbuf.h"
#include "rules/checks_k8s.h"
#include "rules/engine.h"
#include "rules/k8s_digest.h"
#include "rules/k8s_model.h"

/* ---- resource requests ------------------------------------------------- */

/* Pending until every LimitRange is read: one may give the default (see
 * k8s_digest.c limit_range_defaults). */
static void collect_requests_missing(const rule *r, lint_context *one, const char *resource)
{
    k8s_digest *d = k8s_digest_of(one->inputs[0]);
    if (!d)
        return;
    const k8s_model *m = k8s_model_take(one);
    for (size_t i = 0; i < m->containers.count; i++) {
        const entity *e = m->containers.items[i];
        if (doc_is_true(doc_get(e->attrs, "init")))
            continue;
        const doc_node *requests = doc_get(e->attrs, "requests");
        if (k8s_present(doc_get(requests, resource)) ||
            k8s_present(doc_get(doc_get(e->attrs, "limits"), resource)))
            continue;
        strbuf msg;
        sb_init(&msg);
        sb_addf(&msg,
                "container '%s' of '%s' requests no %s (no resources.requests.%s, and no "
                "limit or LimitRange default to take it from)",
                k8s_str_or(e->name, "?"), k8s_str_or(e->owner, "?"),
                !strcmp(resource, "cpu") ? "CPU" : resource, resource);
        k8s_digest_pend(d, r, K8S_UNLESS_LIMIT_RANGE_DEFAULT,
                        (requests ? requests : e->source)->span, k8s_ns_of(e), resource, NULL,
                        msg.buf);
        sb_free(&msg);
    }
    k8s_model_drop(one, m);
}

void collect_k8s_cpu_request_missing(const rule *r, lint_context *one)
{
    collect_requests_missing(r, one, "cpu");
}

void collect_k8s_memory_request_missing(const rule *r, lint_context *one)
{
    collect_requests_missing(r, one, "memory");
}

/* ---- pod spec fields --------------------------------------------------- */

void check_k8s_default_namespace(const rule *r, lint_context *ctx)
{
    const k8s_model *m = k8s_model_take(ctx);
    for (size_t i = 0; i < m->workloads.count; i++) {
        const entity *e = m->workloads.items[i];
        if (strcmp(k8s_ns_of(e), "default") != 0)
            continue;
        lint_report(ctx, r, k8s_object_anchor(e),
                    "%s '%s' is deployed to the default namespace (%s)",
                    k8s_object_kind(e), k8s_str_or(e->name, "?"),
                    e->ns ? "metadata.namespace: default" : "metadata.namespace unset");
    }
    k8s_model_drop(ctx, m);
}

/* The pod's own setting decides now; otherwise the ServiceAccount's, once
 * every ServiceAccount is read: one pending finding for each way it can go. */
static void pend_sa_token_automount(const rule *r, k8s_digest *d, const entity *e, strbuf *msg)
{
    const doc_node *spec = k8s_pod_spec(e);
    if (!spec)
        return;
    const doc_node *pod_flag = doc_get(e->attrs, "automount_service_account_token");
    if (pod_flag && !doc_is_true(pod_flag))
        return; /* false on the pod wins */
    const char *sa = k8s_str_or(doc_str(doc_get(e->attrs, "service_account")), "default");
    const char *kind = k8s_object_kind(e), *name = k8s_str_or(e->name, "?");
    sb_reset(msg);
    if (pod_flag) {
        sb_addf(msg,
                "%s '%s' sets automountServiceAccountToken: true: its containers get "
                "the API token of ServiceAccount '%s'",
                kind, name, sa);
        k8s_digest_pend(d, r, K8S_ALWAYS, pod_flag->span, NULL, NULL, NULL, msg->buf);
        return;
    }
    sb_addf(msg,
            "%s '%s' mounts the API token of ServiceAccount '%s': "
            "automountServiceAccountToken is false neither in the pod spec nor on "
            "the ServiceAccount",
            kind, name, sa);
    k8s_digest_pend(d, r, K8S_IF_SA_AUTOMOUNTS, spec->span, k8s_ns_of(e), sa, NULL, msg->buf);
    sb_reset(msg);
    sb_addf(msg,
            "%s '%s' mounts the API token of ServiceAccount '%s': the pod spec does "
            "not set automountServiceAccountToken: false",
            kind, name, sa);
    k8s_digest_pend(d, r, K8S_IF_SA_MISSING, spec->span, k8s_ns_of(e), sa, NULL, msg->buf);
}

void collect_k8s_sa_token_automount(const rule *r, lint_context *one)
{
    k8s_pend_each_workload(r, one, pend_sa_token_automount);
}

void check_k8s_share_process_namespace(const rule *r, lint_context *ctx)
{
    const k8s_model *m = k8s_model_take(ctx);
    for (size_t i = 0; i < m->workloads.count; i++) {
        const entity *e = m->workloads.items[i];
        const doc_node *spec = k8s_pod_spec(e);
        const doc_node *share = doc_get(spec, "shareProcessNamespace");
        if (doc_is_true(share))
            lint_report(ctx, r, share,
                        "%s '%s' sets shareProcessNamespace: true: each container sees and can "
                        "signal the others' processes and read their environment and files",
                        k8s_object_kind(e), k8s_str_or(e->name, "?"));
    }
    k8s_model_drop(ctx, m);
}

/* ---- replicas and CronJobs --------------------------------------------- */

/* Pending until every HorizontalPodAutoscaler is read: one may scale it. */
static void pend_single_replica(const rule *r, k8s_digest *d, const entity *e, strbuf *msg)
{
    const char *kind = k8s_object_kind(e);
    if (strcmp(kind, "Deployment") != 0 && strcmp(kind, "StatefulSet") != 0)
        return;
    const doc_node *spec = doc_get(e->source, "spec");
    const doc_node *replicas = doc_get(spec, "replicas");
    int64_t n = 1;
    if (k8s_present(replicas) && !doc_int(replicas, &n))
        return; /* a template expression: unknown */
    if (n != 1)
        return;
    const doc_node *at = k8s_present(replicas) ? replicas : spec ? spec : e->source;
    sb_reset(msg);
    sb_addf(msg,
            "%s '%s' runs a single replica (%s) and no HorizontalPodAutoscaler scales "
            "it: every drain, crash or eviction is an outage",
            kind, k8s_str_or(e->name, "?"),
            k8s_present(replicas) ? "replicas: 1" : "replicas unset, default 1");
    k8s_digest_pend(d, r, K8S_UNLESS_HPA, at->span, k8s_ns_of(e), kind, k8s_str_or(e->name, ""),
                    msg->buf);
}

void collect_k8s_single_replica(const rule *r, lint_context *one)
{
    k8s_pend_each_workload(r, one, pend_single_replica);
}

/* CronJobs that are not suspended, with their spec. */
static const doc_node *active_cronjob_spec(const entity *e)
{
    if (strcmp(k8s_object_kind(e), "CronJob") != 0)
        return NULL;
    const doc_node *spec = doc_get(e->source, "spec");
    if (!spec || spec->kind != DOC_MAP || doc_is_true(doc_get(spec, "suspend")))
        return NULL;
    return spec;
}

static const doc_node *cronjob_anchor(const doc_node *spec)
{
    const doc_node *s = doc_get(spec, "schedule");
    return k8s_present(s) ? s : spec;
}

void check_k8s_cronjob_concurrency(const rule *r, lint_context *ctx)
{
    const k8s_model *m = k8s_model_take(ctx);
    for (size_t i = 0; i < m->workloads.count; i++) {
        const entity *e = m->workloads.items[i];
        const doc_node *spec = active_cronjob_spec(e);
        if (!spec)
            continue;
        const doc_node *policy = doc_get(spec, "concurrencyPolicy");
        if (k8s_present(policy) && !doc_str_eq(policy, "Allow"))
            continue;
        lint_report(ctx, r, k8s_present(policy) ? policy : cronjob_anchor(spec),
                    "CronJob '%s' lets runs overlap (concurrencyPolicy %s): a run that outlasts "
                    "the schedule interval does not stop the next one",
                    k8s_str_or(e->name, "?"),
                    k8s_present(policy) ? "Allow" : "unset, default Allow");
    }
    k8s_model_drop(ctx, m);
}

void check_k8s_cronjob_starting_deadline(const rule *r, lint_context *ctx)
{
    const k8s_model *m = k8s_model_take(ctx);
    for (size_t i = 0; i < m->workloads.count; i++) {
        const entity *e = m->workloads.items[i];
        const doc_node *spec = active_cronjob_spec(e);
        if (!spec || k8s_present(doc_get(spec, "startingDeadlineSeconds")))
            continue;
        lint_report(ctx, r, cronjob_anchor(spec),
                    "CronJob '%s' sets no startingDeadlineSeconds: a missed run starts whenever "
                    "the controller catches up, however late",
                    k8s_str_or(e->name, "?"));
    }
    k8s_model_drop(ctx, m);
}
