/* checks_kubernetes.c - the registry rows of the built-in Kubernetes C
 * checks: each `check:` name of rules/builtin/kubernetes.yaml and the
 * functions that run it (declared in rules/checks_k8s.h, written in
 * rules/checks_k8s_workload.c, checks_k8s_rbac.c, checks_k8s_isolation.c).
 *
 * Checks about one object at a time run per file. Checks that judge the scan
 * as one cluster collect what they need of each file into its digest while
 * the file is loaded (rules/k8s_digest.h) and report once every file is
 * read; most of them settle pending findings (k8s_report_pending). */
#include "rules/checks.h"
#include "rules/checks_k8s.h"
#include "rules/k8s_digest.h"

#define K8S CHECK_FORMAT(FMT_KUBERNETES)
#define PER_FILE(name, fn) {name, fn, CHECK_PER_FILE, NULL, K8S}
#define CLUSTER(name, fn, collect) {name, fn, CHECK_ALL_KUBERNETES, collect, K8S}

const check_entry checks_kubernetes[] = {
    CLUSTER("k8s-cpu-request-missing", k8s_report_pending, collect_k8s_cpu_request_missing),
    CLUSTER("k8s-memory-request-missing", k8s_report_pending, collect_k8s_memory_request_missing),
    PER_FILE("k8s-default-namespace", check_k8s_default_namespace),
    CLUSTER("k8s-sa-token-automount", k8s_report_pending, collect_k8s_sa_token_automount),
    PER_FILE("k8s-share-process-namespace", check_k8s_share_process_namespace),
    CLUSTER("k8s-single-replica", k8s_report_pending, collect_k8s_single_replica),
    PER_FILE("k8s-cronjob-concurrency", check_k8s_cronjob_concurrency),
    PER_FILE("k8s-cronjob-starting-deadline", check_k8s_cronjob_starting_deadline),
    PER_FILE("k8s-rbac-wildcard", check_k8s_rbac_wildcard),
    PER_FILE("k8s-rbac-secrets-read", check_k8s_rbac_secrets_read),
    PER_FILE("k8s-rbac-pods-exec", check_k8s_rbac_pods_exec),
    PER_FILE("k8s-rbac-escalation-verbs", check_k8s_rbac_escalation_verbs),
    CLUSTER("k8s-namespace-default-deny", check_k8s_namespace_default_deny, collect_k8s_facts),
    CLUSTER("k8s-namespace-quota", check_k8s_namespace_quota, collect_k8s_facts),
    CLUSTER("k8s-cross-namespace-service-account", k8s_report_pending,
            collect_k8s_cross_namespace_service_account),
    CLUSTER("k8s-cross-namespace-secret", k8s_report_pending, collect_k8s_cross_namespace_secret),
    {NULL, NULL, CHECK_PER_FILE, NULL, 0},
};
