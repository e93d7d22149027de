/* checks_k8s_workload.c - built-in C checks on Kubernetes workloads and
 * their pod specs: resource requests (with LimitRange defaults), the default
 * namespace, service account token automount, shareProcessNamespace, single
 * replicas without an HPA, and CronJob overlap and starting deadline. Rule
 * records and examples are in rules/builtin/kubernetes.yaml.
 *
 * Guarantees: each finding points at the offending value, or at the mapping
 * the missing field belongs in (the object's namespace or name for the
 * default namespace, the schedule for CronJob fields); one finding per
 * container or workload, in scan order. Read-only over the model. */
#include <stdint.h>
#include <string.h>

#include "rules/checks_k8s.h"
#include "rules/engine.h"
#include "rules/k8s_model.h"

/* ---- resource requests ------------------------------------------------- */

/* True when a LimitRange of namespace ns gives containers a default request
 * for resource: the API server derives it from defaultRequest, default, max
 * (the default limit when none is given) or min. */
static bool limit_range_defaults(const k8s_model *m, const char *ns, const char *resource)
{
    for (size_t i = 0; i < m->limit_ranges.count; i++) {
        const entity *e = m->limit_ranges.items[i];
        if (strcmp(k8s_ns_of(e), ns) != 0)
            continue;
        const doc_node *limits = doc_get(e->attrs, "limits");
        for (size_t j = 0; limits && limits->kind == DOC_SEQ && j < limits->u.seq.count; j++) {
            const doc_node *l = limits->u.seq.items[j];
            static const char *const sources[] = {"defaultRequest", "default", "max", "min"};
            if (!doc_str_eq(doc_get(l, "type"), "Container"))
                continue;
            for (size_t k = 0; k < sizeof sources / sizeof *sources; k++)
                if (k8s_present(doc_get(doc_get(l, sources[k]), resource)))
                    return true;
        }
    }
    return false;
}

static void report_requests_missing(const rule *r, lint_context *ctx, const char *resource)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.containers.count; i++) {
        const entity *e = m.containers.items[i];
        if (doc_is_true(doc_get(e->attrs, "init")))
            continue;
        const doc_node *requests = doc_get(e->attrs, "requests");
        if (k8s_present(doc_get(requests, resource)) ||
            k8s_present(doc_get(doc_get(e->attrs, "limits"), resource)) ||
            limit_range_defaults(&m, k8s_ns_of(e), resource))
            continue;
        lint_report(ctx, r, requests ? requests : e->source,
                    "container '%s' of '%s' requests no %s (no resources.requests.%s, and no "
                    "limit or LimitRange default to take it from)",
                    k8s_str_or(e->name, "?"), k8s_str_or(e->owner, "?"),
                    !strcmp(resource, "cpu") ? "CPU" : resource, resource);
    }
    k8s_model_free(&m);
}

void check_k8s_cpu_request_missing(const rule *r, lint_context *ctx)
{
    report_requests_missing(r, ctx, "cpu");
}

void check_k8s_memory_request_missing(const rule *r, lint_context *ctx)
{
    report_requests_missing(r, ctx, "memory");
}

/* ---- pod spec fields --------------------------------------------------- */

void check_k8s_default_namespace(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        if (strcmp(k8s_ns_of(e), "default") != 0)
            continue;
        lint_report(ctx, r, k8s_object_anchor(e),
                    "%s '%s' is deployed to the default namespace (%s)",
                    k8s_object_kind(e), k8s_str_or(e->name, "?"),
                    e->ns ? "metadata.namespace: default" : "metadata.namespace unset");
    }
    k8s_model_free(&m);
}

void check_k8s_sa_token_automount(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = k8s_pod_spec(e);
        if (!spec)
            continue;
        const doc_node *pod_flag = doc_get(e->attrs, "automount_service_account_token");
        if (pod_flag && !doc_is_true(pod_flag))
            continue; /* false on the pod wins */
        const char *sa = k8s_str_or(doc_str(doc_get(e->attrs, "service_account")), "default");
        const entity *account = k8s_find_named(&m.service_accounts, k8s_ns_of(e), sa);
        const doc_node *sa_flag =
            account ? doc_get(account->attrs, "automount_service_account_token") : NULL;
        if (!pod_flag && sa_flag && !doc_is_true(sa_flag))
            continue;
        if (pod_flag)
            lint_report(ctx, r, pod_flag,
                        "%s '%s' sets automountServiceAccountToken: true: its containers get "
                        "the API token of ServiceAccount '%s'",
                        k8s_object_kind(e), k8s_str_or(e->name, "?"), sa);
        else if (account)
            lint_report(ctx, r, spec,
                        "%s '%s' mounts the API token of ServiceAccount '%s': "
                        "automountServiceAccountToken is false neither in the pod spec nor on "
                        "the ServiceAccount",
                        k8s_object_kind(e), k8s_str_or(e->name, "?"), sa);
        else
            lint_report(ctx, r, spec,
                        "%s '%s' mounts the API token of ServiceAccount '%s': the pod spec does "
                        "not set automountServiceAccountToken: false",
                        k8s_object_kind(e), k8s_str_or(e->name, "?"), sa);
    }
    k8s_model_free(&m);
}

void check_k8s_share_process_namespace(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = k8s_pod_spec(e);
        const doc_node *share = doc_get(spec, "shareProcessNamespace");
        if (doc_is_true(share))
            lint_report(ctx, r, share,
                        "%s '%s' sets shareProcessNamespace: true: each container sees and can "
                        "signal the others' processes and read their environment and files",
                        k8s_object_kind(e), k8s_str_or(e->name, "?"));
    }
    k8s_model_free(&m);
}

/* ---- replicas and CronJobs --------------------------------------------- */

/* True when a HorizontalPodAutoscaler of w's namespace targets w (kind and name). */
static bool hpa_targets(const k8s_model *m, const entity *w)
{
    for (size_t i = 0; i < m->hpas.count; i++) {
        const entity *h = m->hpas.items[i];
        if (strcmp(k8s_ns_of(h), k8s_ns_of(w)) != 0)
            continue;
        const doc_node *ref = doc_get(h->attrs, "target_ref");
        if (doc_str_eq(doc_get(ref, "kind"), k8s_object_kind(w)) &&
            doc_str_eq(doc_get(ref, "name"), k8s_str_or(w->name, "")))
            return true;
    }
    return false;
}

void check_k8s_single_replica(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const char *kind = k8s_object_kind(e);
        if (strcmp(kind, "Deployment") != 0 && strcmp(kind, "StatefulSet") != 0)
            continue;
        const doc_node *spec = doc_get(e->source, "spec");
        const doc_node *replicas = doc_get(spec, "replicas");
        int64_t n = 1;
        if (k8s_present(replicas) && !doc_int(replicas, &n))
            continue; /* a template expression: unknown */
        if (n != 1 || hpa_targets(&m, e))
            continue;
        const doc_node *at = k8s_present(replicas) ? replicas : spec ? spec : e->source;
        lint_report(ctx, r, at,
                    "%s '%s' runs a single replica (%s) and no HorizontalPodAutoscaler scales "
                    "it: every drain, crash or eviction is an outage",
                    kind, k8s_str_or(e->name, "?"),
                    k8s_present(replicas) ? "replicas: 1" : "replicas unset, default 1");
    }
    k8s_model_free(&m);
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
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
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
    k8s_model_free(&m);
}

void check_k8s_cronjob_starting_deadline(const rule *r, lint_context *ctx)
{
    k8s_model m = k8s_model_collect(ctx);
    for (size_t i = 0; i < m.workloads.count; i++) {
        const entity *e = m.workloads.items[i];
        const doc_node *spec = active_cronjob_spec(e);
        if (!spec || k8s_present(doc_get(spec, "startingDeadlineSeconds")))
            continue;
        lint_report(ctx, r, cronjob_anchor(spec),
                    "CronJob '%s' sets no startingDeadlineSeconds: a missed run starts whenever "
                    "the controller catches up, however late",
                    k8s_str_or(e->name, "?"));
    }
    k8s_model_free(&m);
}
