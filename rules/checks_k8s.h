/* checks_k8s.h - the built-in C checks for Kubernetes (rule records with
 * `check: k8s-...` in rules/builtin/kubernetes.yaml), one function per rule,
 * named after it. rules/checks_kubernetes.c maps the names to them. */
#ifndef SA_CHECKS_K8S_H
#define SA_CHECKS_K8S_H

#include "rules/rule.h"

/* Workloads and their pod specs (rules/checks_k8s_workload.c). */
void collect_k8s_cpu_request_missing(const rule *r, lint_context *one);
void collect_k8s_memory_request_missing(const rule *r, lint_context *one);
void check_k8s_default_namespace(const rule *r, lint_context *ctx);
void collect_k8s_sa_token_automount(const rule *r, lint_context *one);
void check_k8s_share_process_namespace(const rule *r, lint_context *ctx);
void collect_k8s_single_replica(const rule *r, lint_context *one);
void check_k8s_cronjob_concurrency(const rule *r, lint_context *ctx);
void check_k8s_cronjob_starting_deadline(const rule *r, lint_context *ctx);

/* Roles and ClusterRoles (rules/checks_k8s_rbac.c). */
void check_k8s_rbac_wildcard(const rule *r, lint_context *ctx);
void check_k8s_rbac_secrets_read(const rule *r, lint_context *ctx);
void check_k8s_rbac_pods_exec(const rule *r, lint_context *ctx);
void check_k8s_rbac_escalation_verbs(const rule *r, lint_context *ctx);

/* Namespace isolation (rules/checks_k8s_isolation.c). */
void collect_k8s_facts(const rule *r, lint_context *one);
void check_k8s_namespace_default_deny(const rule *r, lint_context *ctx);
void check_k8s_namespace_quota(const rule *r, lint_context *ctx);
void collect_k8s_cross_namespace_service_account(const rule *r, lint_context *one);
void collect_k8s_cross_namespace_secret(const rule *r, lint_context *one);

#endif
