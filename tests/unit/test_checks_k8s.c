/* test_checks_k8s.c - the cluster-wide Kubernetes checks across files, run
 * the way `stackaudit lint` runs them: each file's rules right after it is
 * loaded, its tree released, the cluster-wide checks last, over the digests
 * (rules/k8s_digest.h). The facts that decide a finding sit in another file
 * than the workload it is about; the findings must be exactly those of a
 * run that keeps every tree. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "tests/unit/support_lint.h"

static const char *const cluster_rules[] = {
    "K8S-CPU-REQUEST-MISSING",       "K8S-MEMORY-REQUEST-MISSING",
    "K8S-SA-TOKEN-AUTOMOUNT",        "K8S-SINGLE-REPLICA",
    "K8S-NAMESPACE-NO-DEFAULT-DENY", "K8S-NAMESPACE-NO-QUOTA",
    "K8S-CROSS-NAMESPACE-SERVICE-ACCOUNT", "K8S-CROSS-NAMESPACE-SECRET",
    NULL};

/* The workloads: shop/web (guarded by facts in facts.yaml), lab/solo (not). */
static const char workloads_yaml[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  namespace: shop\n"
    "spec:\n"
    "  replicas: 1\n"
    "  template:\n"
    "    spec:\n"
    "      serviceAccountName: builder\n"
    "      containers:\n"
    "        - name: app\n"
    "          image: shop/web:1.0\n"
    "          env:\n"
    "            - name: DB_PASSWORD\n"
    "              valueFrom:\n"
    "                secretKeyRef:\n"
    "                  name: db-creds\n"
    "                  key: password\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: solo\n"
    "  namespace: lab\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: app\n"
    "          image: lab/solo:1.0\n";

static const char facts_yaml[] =
    "apiVersion: v1\n"
    "kind: Namespace\n"
    "metadata:\n"
    "  name: shop\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: LimitRange\n"
    "metadata:\n"
    "  name: defaults\n"
    "  namespace: shop\n"
    "spec:\n"
    "  limits:\n"
    "    - type: Container\n"
    "      defaultRequest:\n"
    "        cpu: 100m\n"
    "---\n"
    "apiVersion: autoscaling/v2\n"
    "kind: HorizontalPodAutoscaler\n"
    "metadata:\n"
    "  name: web\n"
    "  namespace: shop\n"
    "spec:\n"
    "  scaleTargetRef:\n"
    "    apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    name: web\n"
    "  minReplicas: 2\n"
    "  maxReplicas: 5\n"
    "---\n"
    "apiVersion: networking.k8s.io/v1\n"
    "kind: NetworkPolicy\n"
    "metadata:\n"
    "  name: deny-all\n"
    "  namespace: shop\n"
    "spec:\n"
    "  podSelector: {}\n"
    "  policyTypes: [Ingress]\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: ServiceAccount\n"
    "metadata:\n"
    "  name: builder\n"
    "  namespace: ci\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Secret\n"
    "metadata:\n"
    "  name: db-creds\n"
    "  namespace: ci\n";

/* Lints the loaded files as `stackaudit lint` does when release is true,
 * else keeping every tree (the harness run). */
static finding_list run(bool release)
{
    const rule_set *rules = &harness.rules;
    bool *enabled = calloc(rules->count, sizeof(bool));
    for (size_t i = 0; cluster_rules[i]; i++)
        enabled[lint_rule_index(rules, rule_set_find(rules, cluster_rules[i]))] = true;
    lint_options opts = {.enabled = enabled};
    lint_context ctx = {.rules = rules, .opts = &opts, .inputs = harness.inputs,
                        .ninputs = harness.ninputs};
    for (size_t i = 0; i < harness.ninputs; i++) {
        lint_run_file(rules, &opts, NULL, harness.inputs[i], &ctx.findings);
        if (release) {
            assert_false(lint_keeps_model(rules, &opts, harness.inputs[i]->format));
            input_release_model(harness.inputs[i], true);
        }
    }
    lint_run_checks(&ctx);
    finding_list_sort(&ctx.findings);
    free(enabled);
    return ctx.findings;
}

static void load_files(void)
{
    lint_harness_reset();
    lint_harness_add("workloads.yaml", workloads_yaml);
    lint_harness_add("facts.yaml", facts_yaml);
}

static const finding *find(const finding_list *l, const char *rule_id, uint32_t line)
{
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->items[i].rule->id, rule_id) && l->items[i].span.start.line == line)
            return &l->items[i];
    return NULL;
}

static size_t count_of(const finding_list *l, const char *rule_id)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += !strcmp(l->items[i].rule->id, rule_id);
    return n;
}

static void test_facts_in_another_file_decide(void **state)
{
    (void)state;
    load_files();
    finding_list f = run(true);

    /* shop/web: the LimitRange gives a CPU default, not a memory one */
    assert_null(find(&f, "K8S-CPU-REQUEST-MISSING", 12));
    assert_non_null(find(&f, "K8S-MEMORY-REQUEST-MISSING", 12));
    /* the HPA scales web; nothing scales solo (replicas unset: at its spec) */
    assert_int_equal(count_of(&f, "K8S-SINGLE-REPLICA"), 1);
    assert_non_null(find(&f, "K8S-SINGLE-REPLICA", 27));
    /* builder and db-creds exist only in namespace ci */
    const finding *sa = find(&f, "K8S-CROSS-NAMESPACE-SERVICE-ACCOUNT", 10);
    assert_non_null(sa);
    assert_string_equal(sa->message,
                        "Deployment 'web' in namespace 'shop' runs as ServiceAccount 'builder', "
                        "which the scanned files declare only in namespace 'ci'");
    assert_int_equal(sa->span.start.col, 27);
    const finding *secret = find(&f, "K8S-CROSS-NAMESPACE-SECRET", 18);
    assert_non_null(secret);
    assert_non_null(strstr(secret->message, "reads Secret 'db-creds' (env), which the scanned "
                                            "files declare only in namespace 'ci'"));
    /* no ServiceAccount builder in shop: the "pod spec does not set" wording */
    const finding *token = find(&f, "K8S-SA-TOKEN-AUTOMOUNT", 10);
    assert_non_null(token);
    assert_non_null(strstr(token->message, "the pod spec does not set"));
    /* shop is guarded (policy and LimitRange); lab is not, reported at solo's namespace */
    assert_int_equal(count_of(&f, "K8S-NAMESPACE-NO-DEFAULT-DENY"), 1);
    assert_int_equal(count_of(&f, "K8S-NAMESPACE-NO-QUOTA"), 1);
    const finding *lab = find(&f, "K8S-NAMESPACE-NO-QUOTA", 25);
    assert_non_null(lab);
    assert_non_null(strstr(lab->message, "namespace 'lab' runs 1 workload (first: Deployment 'solo')"));
    finding_list_free(&f);
}

static void test_released_run_equals_kept_run(void **state)
{
    (void)state;
    load_files();
    finding_list kept = run(false);
    load_files();
    finding_list released = run(true);
    assert_int_equal(kept.count, released.count);
    for (size_t i = 0; i < kept.count; i++) {
        assert_string_equal(kept.items[i].rule->id, released.items[i].rule->id);
        assert_string_equal(kept.items[i].message, released.items[i].message);
        assert_int_equal(kept.items[i].fingerprint, released.items[i].fingerprint);
        assert_memory_equal(&kept.items[i].span, &released.items[i].span, sizeof(src_span));
    }
    finding_list_free(&kept);
    finding_list_free(&released);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts_in_another_file_decide),
        cmocka_unit_test(test_released_run_equals_kept_run),
    };
    return cmocka_run_group_tests(tests, lint_harness_setup, lint_harness_teardown);
}
