/* checks_kubernetes.c - the registry rows of the built-in Kubernetes C
 * checks: each `check:` name of rules/builtin/kubernetes.yaml and the
 * function that runs it (declared in rules/checks_k8s.h, written in
 * rules/checks_k8s_workload.c, checks_k8s_rbac.c, checks_k8s_isolation.c). */
#include "rules/checks.h"
#include "rules/checks_k8s.h"

const check_entry checks_kubernetes[] = {
    {"k8s-cpu-request-missing", check_k8s_cpu_request_missing, CHECK_ALL_KUBERNETES},
    {"k8s-memory-request-missing", check_k8s_memory_request_missing, CHECK_ALL_KUBERNETES},
    {"k8s-default-namespace", check_k8s_default_namespace, CHECK_ALL_KUBERNETES},
    {"k8s-sa-token-automount", check_k8s_sa_token_automount, CHECK_ALL_KUBERNETES},
    {"k8s-share-process-namespace", check_k8s_share_process_namespace, CHECK_ALL_KUBERNETES},
    {"k8s-single-replica", check_k8s_single_replica, CHECK_ALL_KUBERNETES},
    {"k8s-cronjob-concurrency", check_k8s_cronjob_concurrency, CHECK_ALL_KUBERNETES},
    {"k8s-cronjob-starting-deadline", check_k8s_cronjob_starting_deadline, CHECK_ALL_KUBERNETES},
    {"k8s-rbac-wildcard", check_k8s_rbac_wildcard, CHECK_ALL_KUBERNETES},
    {"k8s-rbac-secrets-read", check_k8s_rbac_secrets_read, CHECK_ALL_KUBERNETES},
    {"k8s-rbac-pods-exec", check_k8s_rbac_pods_exec, CHECK_ALL_KUBERNETES},
    {"k8s-rbac-escalation-verbs", check_k8s_rbac_escalation_verbs, CHECK_ALL_KUBERNETES},
    {"k8s-namespace-default-deny", check_k8s_namespace_default_deny, CHECK_ALL_KUBERNETES},
    {"k8s-namespace-quota", check_k8s_namespace_quota, CHECK_ALL_KUBERNETES},
    {"k8s-cross-namespace-service-account", check_k8s_cross_namespace_service_account, CHECK_ALL_KUBERNETES},
    {"k8s-cross-namespace-secret", check_k8s_cross_namespace_secret, CHECK_ALL_KUBERNETES},
    {NULL, NULL},
};
