/* test_check_formats.c - a C check that names the input formats it can
 * report on (check_entry.formats) gives nothing on an input of any other
 * format: run by itself on such an input, it reports no finding and its
 * collect function keeps no digest. That is what lets lint skip it there
 * (rules/engine.c run_file_checks). The inputs are rich in what the checks
 * look for: secrets in environments, hard-coded addresses, dependencies,
 * port ranges, Kubernetes workloads, CronJobs and Roles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rules/engine.h"
#include "tests/unit/support_lint.h"

static const char compose_yaml[] =
    "services:\n"
    "  web:\n"
    "    image: nginx:1.25\n"
    "    ports:\n"
    "      - \"0.0.0.0:8000-9000:8000-9000\"\n"
    "    environment:\n"
    "      DB_PASSWORD: hunter2hunter2\n"
    "      DB_HOST: 172.20.0.2\n"
    "      DB_URL: postgres://app:s3cretpass@db:5432/app\n"
    "    depends_on:\n"
    "      db:\n"
    "        condition: service_healthy\n"
    "    networks: [edge, data]\n"
    "  db:\n"
    "    image: postgres:16\n"
    "    networks: [data]\n"
    "networks:\n"
    "  edge: {}\n"
    "  data: {}\n"
    "secrets:\n"
    "  key:\n"
    "    file: ./key.pem\n";

static const char k8s_yaml[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  replicas: 1\n"
    "  template:\n"
    "    spec:\n"
    "      shareProcessNamespace: true\n"
    "      containers:\n"
    "        - name: app\n"
    "          image: web:1.0\n"
    "          env:\n"
    "            - name: API_TOKEN\n"
    "              value: hunter2hunter2\n"
    "---\n"
    "apiVersion: batch/v1\n"
    "kind: CronJob\n"
    "metadata:\n"
    "  name: nightly\n"
    "spec:\n"
    "  schedule: \"0 1 * * *\"\n"
    "  jobTemplate:\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: job\n"
    "              image: job:1.0\n"
    "---\n"
    "apiVersion: rbac.authorization.k8s.io/v1\n"
    "kind: Role\n"
    "metadata:\n"
    "  name: all\n"
    "  namespace: shop\n"
    "rules:\n"
    "  - apiGroups: [\"*\"]\n"
    "    resources: [\"*\", secrets, pods/exec]\n"
    "    verbs: [\"*\", get, escalate]\n";

static const char tf_text[] =
    "resource \"aws_security_group\" \"open\" {\n"
    "  ingress {\n"
    "    from_port   = 0\n"
    "    to_port     = 65535\n"
    "    cidr_blocks = [\"0.0.0.0/0\"]\n"
    "  }\n"
    "}\n"
    "variable \"db_password\" {\n"
    "  default = \"hunter2hunter2\"\n"
    "}\n";

static const char tfvars_text[] = "db_password = \"hunter2hunter2\"\n"
                                  "enabled_clients = [\"acme\"]\n";

static const char tfvars_json_text[] = "{\"db_password\": \"hunter2hunter2\"}\n";

/* Runs r's per-file check, or its collect function, on in alone. */
static finding_list run_alone(const rule *r, input_file *in)
{
    input_file *one[1] = {in};
    lint_context ctx = {.rules = &harness.rules, .inputs = one, .ninputs = 1};
    if (r->check_scope == CHECK_PER_FILE)
        r->check(r, &ctx);
    else if (r->collect)
        r->collect(r, &ctx);
    return ctx.findings;
}

static void test_checks_give_nothing_on_other_formats(void **state)
{
    (void)state;
    lint_harness_reset();
    lint_harness_add("docker-compose.yml", compose_yaml);
    lint_harness_add("deploy.yaml", k8s_yaml);
    lint_harness_add("main.tf", tf_text);
    lint_harness_add("terraform.tfvars", tfvars_text);
    lint_harness_add("extra.tfvars.json", tfvars_json_text);
    const input_format formats[] = {FMT_COMPOSE, FMT_KUBERNETES, FMT_TERRAFORM, FMT_TFVARS,
                                    FMT_TFVARS_JSON};
    for (size_t i = 0; i < harness.ninputs; i++)
        assert_int_equal(harness.inputs[i]->format, formats[i]);
    size_t runs = 0;
    for (size_t k = 0; k < harness.rules.count; k++) {
        const rule *r = harness.rules.items[k];
        if (!r->check || !r->check_formats)
            continue;
        for (size_t i = 0; i < harness.ninputs; i++) {
            input_file *in = harness.inputs[i];
            if (r->check_formats & CHECK_FORMAT(in->format))
                continue;
            finding_list found = run_alone(r, in);
            if (found.count)
                fail_msg("%s reports on %s", r->id, in->path);
            assert_null(in->lint_digest);
            finding_list_free(&found);
            runs++;
        }
    }
    assert_true(runs >= 40); /* 8 compose, 2 container and 16 Kubernetes checks */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_give_nothing_on_other_formats),
    };
    return cmocka_run_group_tests(tests, lint_harness_setup, lint_harness_teardown);
}
