/* test_checks_terraform.c - the Terraform C checks (rules/checks_tf_*.c) and the
 * instance-type knowledge of rules/tf_instance_types.c: verdicts and
 * suggestions, one finding per open rule at the world CIDR itself, exact
 * spans and masks for secrets (never in a message nor in the shown line),
 * variable files judged together the way Terraform loads them, and the
 * configurable client naming convention. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "rules/tf_instance_types.h"
#include "tests/unit/support_lint.h"

/* ---- instance types ------------------------------------------------------ */

static void expect_type(const char *value, itype_verdict want, const char *suggestion)
{
    itype_result r;
    itype_check(value, &r);
    if (r.verdict != want)
        fail_msg("%s: verdict %d, want %d (%s)", value, r.verdict, want, r.reason);
    if (suggestion && strcmp(r.suggestion, suggestion) != 0)
        fail_msg("%s: suggestion '%s', want '%s'", value, r.suggestion, suggestion);
}

static void test_instance_types_that_exist(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "m5.large",    "m4.large",     "t3.micro",       "t2.nano",          "t4g.2xlarge",
        "m5.24xlarge", "x2idn.metal",  "c7i-flex.large", "m7i.metal-48xl",   "r6g.medium",
        "a1.medium",   "m3.medium",    "mac2.metal",     "u-6tb1.112xlarge", "m1.small",
        "c9g.large",   "m8x.large",    "db.t3.micro",    "db.r6g.large",     "db.serverless",
        "cache.t3.micro", "cache.m6g.large", "p5.48xlarge", "trn1n.32xlarge", "g6e.xlarge"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        expect_type(ok[i], ITYPE_OK, NULL);
}

static void test_instance_types_that_do_not(void **state)
{
    (void)state;
    expect_type("m5.small", ITYPE_BAD_SIZE, "m5.large");
    expect_type("m5.medium", ITYPE_BAD_SIZE, "m5.large");
    expect_type("t3.xlage", ITYPE_BAD_SIZE, "t3.xlarge");
    expect_type("t3.4xlarge", ITYPE_BAD_SIZE, "t3.2xlarge");
    expect_type("m5.xxlarge", ITYPE_BAD_SIZE, "m5.xlarge");
    expect_type("t3.metal", ITYPE_BAD_SIZE, NULL);
    expect_type("mac1.large", ITYPE_BAD_SIZE, "mac1.metal");
    expect_type("db.m5.medium", ITYPE_BAD_SIZE, "db.m5.large");
    expect_type("cache.m5.small", ITYPE_BAD_SIZE, "cache.m5.large");
    expect_type("m5x.large", ITYPE_UNKNOWN_FAMILY, "m5.large");
    expect_type("t3x.micro", ITYPE_UNKNOWN_FAMILY, NULL);
    expect_type("q5.large", ITYPE_UNKNOWN_FAMILY, NULL);
    expect_type("c5a.small", ITYPE_BAD_SIZE, "c5a.large");
}

static void test_values_that_are_not_types(void **state)
{
    (void)state;
    static const char *const not_types[] = {"optimal", "${var.x}", "r6g.large.search",
                                            "ml.t3.medium", "Standard_D2s_v3", "n1-standard-1",
                                            "c5", "M5.LARGE", ".large", "m5."};
    for (size_t i = 0; i < sizeof not_types / sizeof *not_types; i++)
        expect_type(not_types[i], ITYPE_NOT_A_TYPE, NULL);
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(itype_edit_distance("large", "large"), 0);
    assert_int_equal(itype_edit_distance("lagre", "large"), 1); /* transposition */
    assert_int_equal(itype_edit_distance("xlage", "xlarge"), 1);
    assert_int_equal(itype_edit_distance("", "abc"), 3);
}

/* ---- checks ---------------------------------------------------------------- */

/* Line `line` of loaded file i as text output shows it with f's mask. */
static char *shown_line(size_t i, uint32_t line, const finding *f)
{
    return lint_harness_shown_line(harness.inputs[i], line, f);
}

static finding_list lint_one(const char *name, const char *text, const char *const *ids)
{
    lint_harness_reset();
    lint_harness_add(name, text);
    return lint_harness_run(NULL, ids);
}

static const char *const exposure_rules[] = {"TF-ALL-PORTS-OPEN", "TF-SSH-OPEN", "TF-RDP-OPEN",
                                             "TF-DB-PORT-OPEN", "TF-WORLD-OPEN", NULL};

static void test_ssh_rule_points_at_the_world_cidr(void **state)
{
    (void)state;
    const char *text = "resource \"aws_security_group\" \"alb\" {\n"
                       "  ingress {\n"
                       "    from_port   = 22\n"
                       "    to_port     = 22\n"
                       "    protocol    = \"tcp\"\n"
                       "    cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n"
                       "  }\n"
                       "}\n";
    finding_list l = lint_one("main.tf", text, exposure_rules);
    assert_int_equal(l.count, 1);
    const finding *f = &l.items[0];
    assert_string_equal(f->rule->id, "TF-SSH-OPEN");
    size_t at = (size_t)(strstr(text, "\"0.0.0.0/0\"") - text);
    assert_int_equal(f->span.start.line, 6);
    assert_int_equal(f->span.start.col, 34);
    assert_int_equal(f->span.start.offset, at);
    assert_int_equal(f->span.end.offset, at + 11);
    assert_string_equal(f->message, "ingress rule of aws_security_group.alb admits SSH (port 22) "
                                    "from 0.0.0.0/0, the whole internet");
    finding_list_free(&l);
}

static void test_each_open_rule_gets_one_class(void **state)
{
    (void)state;
    /* tcp 0-65535 covers 22, 3389 and 5432 too: reported once, as all ports */
    const char *text = "resource \"aws_security_group_rule\" \"wide\" {\n"
                       "  type        = \"ingress\"\n"
                       "  from_port   = 0\n"
                       "  to_port     = 65535\n"
                       "  protocol    = \"tcp\"\n"
                       "  cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "}\n"
                       "resource \"aws_vpc_security_group_ingress_rule\" \"pg\" {\n"
                       "  from_port   = 5430\n"
                       "  to_port     = 5440\n"
                       "  ip_protocol = \"tcp\"\n"
                       "  cidr_ipv6   = \"::/0\"\n"
                       "}\n"
                       "resource \"aws_security_group\" \"app\" {\n"
                       "  ingress {\n"
                       "    from_port        = 8080\n"
                       "    to_port          = 8090\n"
                       "    protocol         = \"tcp\"\n"
                       "    ipv6_cidr_blocks = [\"::/0\"]\n"
                       "  }\n"
                       "}\n";
    finding_list l = lint_one("main.tf", text, exposure_rules);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.items[0].rule->id, "TF-ALL-PORTS-OPEN");
    assert_int_equal(l.items[0].span.start.line, 6);
    assert_string_equal(l.items[1].rule->id, "TF-DB-PORT-OPEN");
    assert_int_equal(l.items[1].span.start.line, 12);
    assert_non_null(strstr(l.items[1].message, "database port 5432 (ports 5430-5440) from ::/0"));
    assert_string_equal(l.items[2].rule->id, "TF-WORLD-OPEN");
    assert_int_equal(l.items[2].span.start.line, 19);
    assert_non_null(strstr(l.items[2].message, "ports 8080-8090"));
    finding_list_free(&l);
}

static void test_what_is_not_exposure(void **state)
{
    (void)state;
    const char *text = "resource \"aws_security_group\" \"web\" {\n"
                       "  ingress {\n"
                       "    from_port   = 443\n"
                       "    to_port     = 443\n"
                       "    protocol    = \"tcp\"\n"
                       "    cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "  }\n"
                       "  ingress {\n"
                       "    from_port   = -1\n"
                       "    to_port     = -1\n"
                       "    protocol    = \"icmp\"\n"
                       "    cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "  }\n"
                       "  ingress {\n"
                       "    from_port   = var.port\n"
                       "    to_port     = var.port\n"
                       "    protocol    = \"tcp\"\n"
                       "    cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "  }\n"
                       "  egress {\n"
                       "    from_port   = 0\n"
                       "    to_port     = 0\n"
                       "    protocol    = \"-1\"\n"
                       "    cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "  }\n"
                       "}\n"
                       "resource \"aws_security_group_rule\" \"out\" {\n"
                       "  type        = \"egress\"\n"
                       "  from_port   = 22\n"
                       "  to_port     = 22\n"
                       "  protocol    = \"tcp\"\n"
                       "  cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "}\n"
                       "resource \"aws_route\" \"internet\" {\n"
                       "  destination_cidr_block = \"0.0.0.0/0\"\n"
                       "}\n"
                       "locals {\n"
                       "  all_ipv4_cidr = \"0.0.0.0/0\"\n"
                       "}\n"
                       "module \"web_sg\" {\n"
                       "  source              = \"terraform-aws-modules/security-group/aws\"\n"
                       "  ingress_cidr_blocks = [\"0.0.0.0/0\"]\n"
                       "  ingress_rules       = [\"https-443-tcp\", \"http-80-tcp\", \"all-icmp\"]\n"
                       "  egress_rules        = [\"all-all\"]\n"
                       "  egress_cidr_blocks  = [\"0.0.0.0/0\"]\n"
                       "}\n";
    finding_list l = lint_one("main.tf", text, exposure_rules);
    assert_int_equal(l.count, 0);
    finding_list_free(&l);
}

static void test_tfvars_exposure_by_name_and_module_rules(void **state)
{
    (void)state;
    const char *text = "ssh_ingress_cidrs = [\"0.0.0.0/0\"]\n"
                       "alb_ingress_cidrs = [\"0.0.0.0/0\"]\n"
                       "egress_cidrs      = [\"0.0.0.0/0\"]\n"
                       "ingress_cidr_blocks = [\"::/0\"]\n"
                       "ingress_rules       = [\"https-443-tcp\", \"rdp-tcp\"]\n"
                       "ingress_with_cidr_blocks = [\n"
                       "  { rule = \"mysql-tcp\", cidr_blocks = \"10.0.0.0/8,0.0.0.0/0\" },\n"
                       "]\n";
    finding_list l = lint_one("terraform.tfvars", text, exposure_rules);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.items[0].rule->id, "TF-SSH-OPEN");
    assert_int_equal(l.items[0].span.start.line, 1);
    assert_int_equal(l.items[0].span.start.col, 22);
    assert_string_equal(l.items[1].rule->id, "TF-RDP-OPEN");
    assert_int_equal(l.items[1].span.start.line, 4);
    assert_string_equal(l.items[2].rule->id, "TF-DB-PORT-OPEN");
    assert_int_equal(l.items[2].span.start.line, 7);
    assert_non_null(strstr(l.items[2].message, "database port 3306 from 0.0.0.0/0"));
    finding_list_free(&l);
}

static void test_secret_span_and_mask(void **state)
{
    (void)state;
    const char *text = "db_username = \"analytics\"\n"
                       "db_password = \"Sup3r-s3cret!\"\n"
                       "db_password_secret_arn = \"arn:aws:secretsmanager:us-east-1:1:secret:x\"\n"
                       "admin_password = \"<set me>\"\n"
                       "password_length = 24\n"
                       "bypass = \"not-a-secret\"\n";
    const char *ids[] = {"TF-PLAINTEXT-SECRET", NULL};
    finding_list l = lint_one("terraform.tfvars", text, ids);
    assert_int_equal(l.count, 1);
    const finding *f = &l.items[0];
    size_t at = (size_t)(strstr(text, "Sup3r") - text);
    assert_int_equal(f->span.start.line, 2);
    assert_int_equal(f->span.start.col, 16);
    assert_int_equal(f->span.start.offset, at);
    assert_int_equal(f->span.end.offset, at + 13);
    assert_int_equal(f->mask_start, at);
    assert_int_equal(f->mask_end, at + 13);
    assert_null(strstr(f->message, "Sup3r"));
    assert_non_null(strstr(f->message, "'db_password'"));
    char *line = shown_line(0, 2, f);
    assert_string_equal(line, "db_password = \"********\"");
    free(line);
    finding_list_free(&l);
}

static void test_secret_in_tf_variable_default_and_url(void **state)
{
    (void)state;
    const char *text = "variable \"api_token\" {\n"
                       "  type    = string\n"
                       "  default = \"tok-9f8e7d6c5b4a\"\n"
                       "}\n"
                       "variable \"db_password\" {\n"
                       "  type      = string\n"
                       "  sensitive = true\n"
                       "}\n"
                       "locals {\n"
                       "  dsn = \"postgresql://app:pw-42x@db:5432/app\"\n"
                       "  ref = \"postgresql://app:${var.db_password}@db:5432/app\"\n"
                       "}\n";
    const char *ids[] = {"TF-PLAINTEXT-SECRET", NULL};
    finding_list l = lint_one("main.tf", text, ids);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[0].span.start.line, 3);
    assert_non_null(strstr(l.items[0].message, "'api_token'"));
    size_t pw = (size_t)(strstr(text, "pw-42x") - text);
    assert_int_equal(l.items[1].span.start.offset, pw);
    assert_int_equal(l.items[1].mask_start, pw);
    assert_int_equal(l.items[1].mask_end, pw + 6);
    assert_null(strstr(l.items[1].message, "pw-42x"));
    finding_list_free(&l);
}

static void test_access_key_and_private_key(void **state)
{
    (void)state;
    const char *text = "# old key: AKIA2E0A8F3B244C9986\n"
                       "doc_key = \"AKIAIOSFODNN7EXAMPLE\"\n"
                       "tls_key = <<EOT\n"
                       "-----BEGIN EC PRIVATE KEY-----\n"
                       "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oQn8bE7ZLTu4oAoGCCqGSM49\n"
                       "-----END EC PRIVATE KEY-----\n"
                       "EOT\n";
    const char *ids[] = {"TF-AWS-ACCESS-KEY-ID", "TF-PRIVATE-KEY-LITERAL", NULL};
    finding_list l = lint_one("terraform.tfvars", text, ids);
    assert_int_equal(l.count, 2);
    const finding *k = &l.items[0];
    assert_string_equal(k->rule->id, "TF-AWS-ACCESS-KEY-ID");
    assert_int_equal(k->span.start.line, 1);
    assert_int_equal(k->span.start.col, 12);
    assert_int_equal(k->mask_start, 11);
    assert_int_equal(k->mask_end, 31);
    assert_null(strstr(k->message, "AKIA"));
    const finding *p = &l.items[1];
    assert_string_equal(p->rule->id, "TF-PRIVATE-KEY-LITERAL");
    assert_int_equal(p->span.start.line, 4);
    size_t begin = (size_t)(strstr(text, "-----BEGIN") - text);
    size_t end = (size_t)(strstr(text, "KEY-----\nEOT") - text) + 8;
    assert_int_equal(p->mask_start, begin);
    assert_int_equal(p->mask_end, end);
    char *line = shown_line(0, 5, p);
    assert_null(strstr(line, "MHcC"));
    free(line);
    finding_list_free(&l);
}

static const char *const client_rules[] = {"TFVARS-CLIENT-NO-CONFIG",
                                           "TFVARS-CLIENT-CONFIG-NOT-ENABLED",
                                           "TFVARS-CLIENT-CIDR-OVERLAP",
                                           "TFVARS-CLIENT-CROSS-ACCESS",
                                           "TFVARS-CLIENT-NAME-INVALID", NULL};

static void test_clients_across_auto_loaded_files(void **state)
{
    (void)state;
    lint_harness_reset();
    lint_harness_add("layer/terraform.tfvars", "enabled_clients = [\"acme\", \"initech\"]\n");
    lint_harness_add("layer/clients.auto.tfvars",
             "analytics_configs = {\n"
             "  acme   = { allowed_cidrs = [\"10.1.0.0/16\"] }\n"
             "  globex = {}\n"
             "}\n"
             "client_cidrs = {\n"
             "  acme    = [\"10.1.1.0/24\"]\n"
             "  initech = [\"10.1.2.0/24\", \"10.9.0.0/24\"]\n"
             "}\n");
    lint_harness_add("other/terraform.tfvars", "analytics_configs = { initech = {} }\n");
    finding_list l = lint_harness_run(NULL, client_rules);
    assert_int_equal(l.count, 3);
    /* sorted by file: layer/clients.auto.tfvars first */
    assert_string_equal(l.items[0].rule->id, "TFVARS-CLIENT-CROSS-ACCESS");
    assert_int_equal(l.items[0].span.start.line, 2);
    assert_non_null(strstr(l.items[0].message, "client 'acme' admits 10.1.0.0/16, which covers "
                                               "10.1.2.0/24 of client 'initech'"));
    assert_string_equal(l.items[1].rule->id, "TFVARS-CLIENT-CONFIG-NOT-ENABLED");
    assert_int_equal(l.items[1].span.start.line, 3);
    assert_string_equal(l.items[2].rule->id, "TFVARS-CLIENT-NO-CONFIG");
    assert_int_equal(l.items[2].span.start.line, 1);
    assert_int_equal(l.items[2].span.start.col, 28);
    assert_non_null(strstr(l.items[2].message, "clients.auto.tfvars"));
    finding_list_free(&l);
    lint_harness_reset();
}

static void test_clients_with_explicit_var_files(void **state)
{
    (void)state;
    lint_harness_reset();
    /* terraform.tfvars is loaded with each -var-file: prod lacks initech */
    lint_harness_add("env/terraform.tfvars", "enabled_clients = [\"acme\", \"initech\"]\n");
    lint_harness_add("env/staging.tfvars", "analytics_configs = { acme = {}, initech = {} }\n");
    lint_harness_add("env/prod.tfvars", "analytics_configs = { acme = {} }\n");
    finding_list l = lint_harness_run(NULL, client_rules);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].rule->id, "TFVARS-CLIENT-NO-CONFIG");
    assert_non_null(strstr(l.items[0].message, "'initech'"));
    assert_non_null(strstr(l.items[0].message, "prod.tfvars"));
    finding_list_free(&l);
    lint_harness_reset();
}

static void test_client_overlap_and_names(void **state)
{
    (void)state;
    const char *text = "enabled_clients = [\"est-test-b\", \"est-test-c\", \"Est_D\"]\n"
                       "client_cidrs = {\n"
                       "  \"est-test-b\" = [\"10.20.3.0/24\", \"10.20.4.0/24\"]\n"
                       "  \"est-test-c\" = [\"10.20.4.0/25\", \"10.20.6.0/24\"]\n"
                       "  \"Est_D\"      = [\"10.30.0.0/24\"]\n"
                       "}\n";
    finding_list l = lint_one("terraform.tfvars", text, client_rules);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].rule->id, "TFVARS-CLIENT-NAME-INVALID");
    assert_int_equal(l.items[0].span.start.line, 1); /* once per name and file */
    assert_string_equal(l.items[1].rule->id, "TFVARS-CLIENT-CIDR-OVERLAP");
    assert_int_equal(l.items[1].span.start.line, 4);
    assert_int_equal(l.items[1].span.start.col, 19);
    assert_non_null(strstr(l.items[1].message, "client 'est-test-c' network 10.20.4.0/25 overlaps "
                                               "10.20.4.0/24 of client 'est-test-b'"));
    finding_list_free(&l);

    /* a configured convention replaces the default */
    arena *a = arena_new();
    src_span none = {{0, 0, 0}, {0, 0, 0}};
    doc_node *settings = doc_new(a, DOC_MAP, NULL, none);
    doc_map_set(a, settings, "client_name_pattern", doc_new_str(a, NULL, none, "^[A-Za-z_-]+$"));
    const char *names[] = {"TFVARS-CLIENT-NAME-INVALID", NULL};
    l = lint_harness_run(settings, names);
    assert_int_equal(l.count, 0);
    doc_map_set(a, settings, "client_name_pattern", doc_new_str(a, NULL, none, "^[a-z("));
    l = lint_harness_run(settings, names);
    assert_int_equal(l.count, 1);
    assert_non_null(strstr(l.items[0].message, "not a valid regex"));
    finding_list_free(&l);
    arena_free(a);
    lint_harness_reset();
}

static void test_client_maps_without_enabled_list(void **state)
{
    (void)state;
    const char *text = "client_cidrs = {\n"
                       "  alpha = [\"10.0.0.0/24\"]\n"
                       "  beta  = [\"10.0.0.128/25\"]\n"
                       "}\n"
                       "subnet_cidrs = { a = [\"10.1.0.0/24\"], b = [\"10.1.0.0/24\"] }\n";
    finding_list l = lint_one("terraform.tfvars", text, client_rules);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].rule->id, "TFVARS-CLIENT-CIDR-OVERLAP");
    assert_int_equal(l.items[0].span.start.line, 3);
    finding_list_free(&l);
    lint_harness_reset();
}

static void test_instance_type_finding(void **state)
{
    (void)state;
    const char *text = "resource \"aws_instance\" \"edge\" {\n"
                       "  instance_type = var.ha ? \"c5.2xlarge\" : \"t3.large\"\n"
                       "}\n"
                       "resource \"aws_db_instance\" \"db\" {\n"
                       "  instance_class = \"db.m5.medium\"\n"
                       "}\n"
                       "resource \"aws_redshift_cluster\" \"dw\" {\n"
                       "  node_type = \"ra3.xlplus\"\n"
                       "}\n";
    const char *ids[] = {"TF-INSTANCE-TYPE-UNKNOWN", NULL};
    finding_list l = lint_one("main.tf", text, ids);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].span.start.line, 5);
    assert_int_equal(l.items[0].span.start.col, 20);
    assert_string_equal(l.items[0].message,
                        "instance type 'db.m5.medium' does not exist: m5 has no medium size; its "
                        "smallest size is large or bigger (did you mean db.m5.large?)");
    finding_list_free(&l);
    lint_harness_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instance_types_that_exist),
        cmocka_unit_test(test_instance_types_that_do_not),
        cmocka_unit_test(test_values_that_are_not_types),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_ssh_rule_points_at_the_world_cidr),
        cmocka_unit_test(test_each_open_rule_gets_one_class),
        cmocka_unit_test(test_what_is_not_exposure),
        cmocka_unit_test(test_tfvars_exposure_by_name_and_module_rules),
        cmocka_unit_test(test_secret_span_and_mask),
        cmocka_unit_test(test_secret_in_tf_variable_default_and_url),
        cmocka_unit_test(test_access_key_and_private_key),
        cmocka_unit_test(test_clients_across_auto_loaded_files),
        cmocka_unit_test(test_clients_with_explicit_var_files),
        cmocka_unit_test(test_client_overlap_and_names),
        cmocka_unit_test(test_client_maps_without_enabled_list),
        cmocka_unit_test(test_instance_type_finding),
    };
    return cmocka_run_group_tests(tests, lint_harness_setup, lint_harness_teardown);
}
