/* k8s_digest.h - what the cluster-wide Kubernetes checks keep of one input
 * after its document tree is released.
 *
 * lint runs each file's rules right after loading it and then releases the
 * file's tree. The checks that judge the scan as one cluster (a LimitRange
 * default, an HPA, a ServiceAccount or Secret declared in some other file;
 * the default-deny policy and quota of each namespace) cannot finish until
 * every file is read, so while a file is loaded each of them writes into the
 * file's digest:
 *  - facts: the few objects another file's finding may depend on;
 *  - pending findings: complete findings (rule, span, message) that stand
 *    or fall with one cluster fact, named by `when`.
 * Once all files are read, k8s_report_pending settles the pending findings
 * of a rule against the facts of every digest (k8s_cluster).
 *
 * Guarantees: a digest holds copies and spans only, and with them what
 * reporting needs of the source text (fingerprints, the text of anchors,
 * the file's suppression comments), so that settling reads nothing of the
 * input but its path: lint drops the source text too once the tree is
 * released, unless the report shows source lines. Records are in source
 * order; settling gives the findings the whole-tree checks gave, suppressed
 * ones left out. */
#ifndef SA_K8S_DIGEST_H
#define SA_K8S_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzers/input.h"
#include "core/strbuf.h"
#include "rules/rule.h"
#include "rules/suppress.h"

typedef enum k8s_pending_when {
    K8S_UNLESS_LIMIT_RANGE_DEFAULT, /* no LimitRange of ns gives a default for arg */
    K8S_UNLESS_HPA,                 /* no HPA of ns targets kind arg, name arg2 */
    K8S_ALWAYS,
    K8S_IF_SA_AUTOMOUNTS,           /* ServiceAccount arg of ns exists, automount not off */
    K8S_IF_SA_MISSING,              /* no ServiceAccount arg in ns */
    K8S_IF_SA_ELSEWHERE,            /* ServiceAccount arg declared only outside ns */
    K8S_IF_SECRET_ELSEWHERE         /* Secret arg declared only outside ns */
} k8s_pending_when;

typedef struct k8s_pending {
    const rule *rule;
    k8s_pending_when when;
    src_span span;
    uint64_t fingerprint;
    const char *ns, *arg, *arg2;
    const char *message; /* the *_ELSEWHERE kinds: the text before the other namespace's
                            name, which is followed by "'" */
    char *texts; /* one allocation holding the strings above */
} k8s_pending;

typedef struct k8s_named { /* a ServiceAccount or Secret */
    char *ns, *name;
    bool automount_off; /* ServiceAccount: automountServiceAccountToken set and not true */
} k8s_named;

typedef struct k8s_hpa {
    char *ns, *kind, *name; /* scaleTargetRef kind and name; NULL when not strings */
} k8s_hpa;

typedef struct k8s_limit_range {
    char *ns;
    bool cpu, memory; /* gives containers a default request for it */
} k8s_limit_range;

/* Where a finding about an object points: a span, and what its
 * fingerprint reads there (lint_fingerprint_text_of). */
typedef struct k8s_anchor {
    src_span span;
    char *text;
    size_t len;
} k8s_anchor;

typedef struct k8s_ns_object { /* a Namespace object */
    char *name;
    k8s_anchor anchor; /* its metadata.name, else the object */
} k8s_ns_object;

typedef struct k8s_workload_ref { /* a workload, for the per-namespace checks */
    char *ns, *kind, *name;
    k8s_anchor anchor; /* k8s_object_anchor */
} k8s_workload_ref;

typedef struct k8s_digest {
    const input_file *in; /* whose digest it is */
    suppression_list suppressions; /* the input's (comments no longer point anywhere) */
    k8s_pending *pending;
    size_t npending, cap_pending;
    k8s_named *accounts, *secrets;
    size_t naccounts, cap_accounts, nsecrets, cap_secrets;
    k8s_hpa *hpas;
    size_t nhpas, cap_hpas;
    k8s_limit_range *limit_ranges;
    size_t nlimit_ranges, cap_limit_ranges;
    k8s_ns_object *namespaces;
    size_t nnamespaces, cap_namespaces;
    k8s_workload_ref *workloads;
    size_t nworkloads, cap_workloads;
    char **default_deny; /* namespaces a default-deny ingress NetworkPolicy isolates */
    size_t ndefault_deny, cap_default_deny;
    char **quotas;       /* namespaces with a ResourceQuota */
    size_t nquotas, cap_quotas;
} k8s_digest;

/* The digest of in (a Kubernetes input that is still loaded), made with
 * its facts on first use; NULL for other inputs. */
k8s_digest *k8s_digest_of(input_file *in);
/* The digest of ctx's input i, or NULL when it has none. */
const k8s_digest *k8s_digest_at(const lint_context *ctx, size_t i);
/* Adds a pending finding; copies every string (NULL stays NULL), all into
 * one allocation. */
void k8s_digest_pend(k8s_digest *d, const rule *r, k8s_pending_when when, src_span span,
                     const char *ns, const char *arg, const char *arg2, const char *message);

/* Calls fn on each workload of one (a loaded Kubernetes input), with the
 * input's digest and a message buffer fn may reset and use. */
typedef void (*k8s_workload_fn)(const rule *r, k8s_digest *d, const entity *w, strbuf *msg);
void k8s_pend_each_workload(const rule *r, lint_context *one, k8s_workload_fn fn);

/* Reports r's pending findings of every input of ctx that still stand. */
void k8s_report_pending(const rule *r, lint_context *ctx);
/* Reports r at anchor a of in (an input with a digest), unless in's
 * suppressions silence it. */
void k8s_report_anchor(lint_context *ctx, const rule *r, const input_file *in,
                       const k8s_anchor *a, const char *message);

#endif
