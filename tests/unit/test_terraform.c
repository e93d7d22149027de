/* test_terraform.c - Terraform files -> entities: variable values from
 * .tfvars / .tfvars.json (the seed 000 and 004 snippets), and resources,
 * data sources, modules, variables, locals, outputs and providers from .tf
 * and .tf.json, with exact spans (analyzers/terraform.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/entity_testlib.h"

#define FIX "tests/fixtures/entities/"

static void test_seed000_enabled_clients(void **state)
{
    (void)state;
    input_file *in = ent_load(FIX "seed000/terraform.tfvars", NULL, FMT_TFVARS, NULL);
    assert_int_equal(in->entities.count, 2);
    entity *ec = ent_find(in, "tf_variable_value", "enabled_clients");
    assert_int_equal(ec->platform, PLATFORM_TERRAFORM);
    const doc_node *v = ent_attr(ec, "value");
    assert_int_equal(v->kind, DOC_SEQ);
    assert_int_equal(ent_len(v), 3);
    assert_string_equal(doc_str(v->u.seq.items[2]), "est-test-c");
    assert_span(v->u.seq.items[2], 1, 48, "\"est-test-c\"");
    assert_span(v, 1, 19, "[\"est-test-a\", \"est-test-b\", \"est-test-c\"]");
    assert_ptr_equal(ec->source, v);

    entity *ac = ent_find(in, "tf_variable_value", "analytics_configs");
    const doc_node *c = doc_get(ent_attr(ac, "value"), "est-test-c");
    assert_non_null(c);
    assert_string_equal(doc_str(doc_get(c, "instance_type")), "t3.xlarge");
    assert_span(doc_get(c, "instance_type"), 5, 26, "\"t3.xlarge\"");
    int64_t size = 0;
    assert_true(doc_int(doc_get(c, "data_volume_size"), &size));
    assert_int_equal(size, 200);
    assert_span(doc_get(c, "root_volume_size"), 6, 26, "40");
    assert_int_equal(in->diags.count, 0);
    ent_free(in);

    in = ent_load(FIX "seed000/capacity.tfvars", NULL, FMT_TFVARS, NULL);
    ac = ent_find(in, "tf_variable_value", "analytics_configs");
    assert_int_equal(ent_len(ent_attr(ac, "value")), 2);
    const doc_node *bi = doc_get(ent_attr(ac, "value"), "client-business-intel");
    assert_string_equal(doc_str(doc_get(bi, "instance_type")), "c5.large");
    assert_span(doc_get(bi, "data_volume_size"), 12, 24, "200");
    ent_free(in);
}

static void test_seed004_compute_layer(void **state)
{
    (void)state;
    input_file *in = ent_load(FIX "seed004/dev.tfvars", NULL, FMT_TFVARS, NULL);
    assert_int_equal(in->entities.count, 4);
    assert_str_attr(ent_find(in, "tf_variable_value", "environment"), "value", "dev");
    assert_bool_attr(ent_find(in, "tf_variable_value", "enable_eks"), "value", false);
    assert_span(ent_attr(ent_find(in, "tf_variable_value", "enable_eks"), "value"), 3, 14,
                "false");
    assert_str_attr(ent_find(in, "tf_variable_value", "lambda_log_level"), "value", "DEBUG");
    ent_free(in);

    in = ent_load(FIX "seed004/compute.auto.tfvars", NULL, FMT_TFVARS, NULL);
    assert_int_equal(in->entities.count, 8);
    assert_string_equal(in->entities.items[3]->name, "eks_node_groups");
    entity *ng = ent_find(in, "tf_variable_value", "eks_node_groups");
    const doc_node *groups = ent_attr(ng, "value");
    assert_int_equal(ent_len(groups), 2);
    const doc_node *spot = doc_get(groups, "spot");
    assert_string_equal(doc_str(doc_get(spot, "capacity_type")), "SPOT");
    assert_int_equal(ent_len(doc_get(spot, "instance_types")), 3);
    int64_t max = 0;
    assert_true(doc_int(doc_path(spot, "scaling_config.max_size"), &max));
    assert_int_equal(max, 20);
    assert_span(doc_path(spot, "scaling_config.max_size"), 20, 22, "20");
    assert_span(doc_path(groups, "general.scaling_config.desired_size"), 9, 22, "3");
    assert_bool_attr(ent_find(in, "tf_variable_value", "eks_cluster_endpoint_public_access"),
                     "value", false);
    entity *ecs = ent_find(in, "tf_variable_value", "ecs_services");
    const doc_node *web = doc_get(ent_attr(ecs, "value"), "web-app");
    assert_string_equal(doc_str(doc_path(web, "task_definition.cpu")), "512");
    const doc_node *containers = doc_path(web, "task_definition.containers");
    assert_int_equal(containers->kind, DOC_SEQ);
    assert_string_equal(doc_str(doc_get(containers->u.seq.items[0], "image")), "nginx:latest");
    assert_true(doc_int(doc_path(web, "load_balancer.container_port"), &max));
    assert_int_equal(max, 80);
    /* a reference in a variable file stays an unevaluated expression */
    entity *lf = ent_find(in, "tf_variable_value", "lambda_functions");
    const doc_node *ref = doc_path(ent_attr(lf, "value"), "api-handler.environment_variables.ENVIRONMENT");
    assert_int_equal(ref->kind, DOC_EXPR);
    assert_span(ref, 69, 21, "var.environment");
    ent_free(in);

    in = ent_load(FIX "seed004/prod.tfvars.json", NULL, FMT_TFVARS_JSON, NULL);
    assert_int_equal(in->entities.count, 3);
    assert_str_attr(ent_find(in, "tf_variable_value", "environment"), "value", "prod");
    assert_span(ent_attr(ent_find(in, "tf_variable_value", "environment"), "value"), 2, 18,
                "\"prod\"");
    assert_bool_attr(ent_find(in, "tf_variable_value", "enable_eks"), "value", true);
    ng = ent_find(in, "tf_variable_value", "eks_node_groups");
    assert_true(doc_int(doc_path(ent_attr(ng, "value"), "general.scaling_config.max_size"), &max));
    assert_int_equal(max, 10);
    ent_free(in);
}

static void test_tfvars_block_is_a_warning(void **state)
{
    (void)state;
    input_file *in = ent_load("x.tfvars", "region = \"eu-west-1\"\nresource \"a\" \"b\" {\n}\n",
                              FMT_TFVARS, NULL);
    assert_int_equal(in->entities.count, 1);
    const diag *d = ent_diag(in, "blocks are not allowed in a variable definitions file");
    assert_int_equal(d->level, DIAG_WARNING);
    assert_int_equal(d->line, 2);
    assert_int_equal(d->col, 1);
    ent_free(in);
}

static void test_tf_configuration(void **state)
{
    (void)state;
    input_file *in = ent_load(FIX "terraform/main.tf", NULL, FMT_TERRAFORM, NULL);
    /* 2 providers, 3 variables, 2 locals, 1 data, 2 resources, 1 module, 2 outputs */
    assert_int_equal(in->entities.count, 13);
    assert_string_equal(in->entities.items[0]->kind, "tf_provider");
    assert_string_equal(in->entities.items[12]->kind, "tf_output");

    entity *p0 = in->entities.items[0];
    assert_string_equal(p0->name, "aws");
    assert_str_attr(p0, "region", "us-east-2");
    assert_span(ent_attr(p0, "region"), 3, 12, "\"us-east-2\"");
    assert_no_attr(p0, "alias");
    entity *p1 = in->entities.items[1];
    assert_str_attr(p1, "alias", "west");
    assert_no_attr(p1, "region"); /* var.west_region is not a literal */
    assert_int_equal(ent_attr(p1, "body.region")->kind, DOC_EXPR);

    entity *v = ent_find(in, "tf_variable", "edge_instance_count");
    assert_str_attr(v, "type", "number");
    assert_span(ent_attr(v, "type"), 12, 17, "number");
    assert_int_attr(v, "default", 2);
    assert_str_attr(v, "description", "Edge instances");
    assert_span(ent_attr(v, "name"), 11, 10, "\"edge_instance_count\"");
    entity *clients = ent_find(in, "tf_variable", "clients");
    assert_str_attr(clients, "type", "map(object({\n    instance_type = string\n  }))");
    assert_int_equal(ent_attr(clients, "default")->kind, DOC_MAP);
    assert_bool_attr(clients, "sensitive", false);
    entity *pw = ent_find(in, "tf_variable", "db_password");
    assert_bool_attr(pw, "sensitive", true);
    assert_no_attr(pw, "default");

    entity *l = ent_find(in, "tf_local", "name_prefix");
    assert_int_equal(ent_attr(l, "value")->kind, DOC_EXPR);
    assert_span(ent_attr(l, "value"), 31, 17, "\"${var.project_name}-edge\"");
    assert_int_attr(ent_find(in, "tf_local", "tier_count"), "value", 3);

    entity *ami = ent_find(in, "tf_data", "data.aws_ami.ubuntu");
    assert_str_attr(ami, "type", "aws_ami");
    assert_str_attr(ami, "name", "ubuntu");
    assert_bool_attr(ami, "body.most_recent", true);

    entity *edge = ent_find(in, "tf_resource", "aws_instance.edge");
    assert_str_attr(edge, "type", "aws_instance");
    assert_span(ent_attr(edge, "type"), 39, 10, "\"aws_instance\"");
    assert_str_attr(edge, "name", "edge");
    const doc_node *count = ent_attr(edge, "count");
    assert_int_equal(count->kind, DOC_EXPR);
    assert_span(count, 40, 11, "var.edge_instance_count");
    assert_no_attr(edge, "for_each");
    assert_string_equal(doc_str(ent_attr(edge, "body.tags.Role")), "edge");
    assert_span(edge->source, 39, 1, ent_raw(edge->source)); /* the whole block */
    assert_int_equal(edge->source->span.end.line, 52);
    entity *tg = ent_find(in, "tf_resource", "aws_lb_target_group.api");
    assert_int_attr(tg, "body.port", 8080);
    assert_int_equal(doc_count_blocks(ent_attr(tg, "body"), "health_check"), 1);

    entity *mod = ent_find(in, "tf_module", "compute");
    assert_str_attr(mod, "source", "./modules/compute");
    assert_str_attr(mod, "version", "1.2.0");
    assert_int_equal(ent_attr(mod, "for_each")->kind, DOC_EXPR);
    assert_no_attr(mod, "count");

    entity *o = ent_find(in, "tf_output", "edge_ips");
    assert_int_equal(ent_attr(o, "value")->kind, DOC_EXPR);
    assert_str_attr(o, "description", "Public IPs of the edge instances");
    assert_no_attr(o, "sensitive");
    assert_bool_attr(ent_find(in, "tf_output", "db_password"), "sensitive", true);
    assert_int_equal(in->diags.count, 0);
    ent_free(in);
}

static void test_tf_wrong_labels(void **state)
{
    (void)state;
    input_file *in = ent_load(FIX "terraform/broken.tf", NULL, FMT_TERRAFORM, NULL);
    assert_int_equal(in->entities.count, 1);
    assert_int_attr(ent_find(in, "tf_local", "ok"), "value", 1);
    const diag *d = ent_diag(in, "a resource block takes 2 labels, not 1");
    assert_int_equal(d->level, DIAG_WARNING);
    assert_int_equal(d->line, 1);
    assert_int_equal(d->col, 1);
    d = ent_diag(in, "a variable block takes 1 label, not 2");
    assert_int_equal(d->line, 5);
    ent_free(in);
}

static void test_tf_json_configuration(void **state)
{
    (void)state;
    input_file *in = ent_load(FIX "terraform/main.tf.json", NULL, FMT_TFVARS_JSON, NULL);
    assert_int_equal(in->entities.count, 6);
    entity *web = ent_find(in, "tf_resource", "aws_instance.web");
    assert_str_attr(web, "type", "aws_instance");
    assert_span(ent_attr(web, "type"), 3, 5, "\"aws_instance\"");
    assert_int_attr(web, "count", 2);
    assert_str_attr(web, "body.instance_type", "t3.micro");
    entity *region = ent_find(in, "tf_variable", "region");
    assert_str_attr(region, "type", "string");
    assert_str_attr(region, "default", "us-east-1");
    assert_str_attr(ent_find(in, "tf_local", "env"), "value", "prod");
    assert_str_attr(ent_find(in, "tf_output", "ip"), "value", "${aws_instance.web.public_ip}");
    assert_str_attr(in->entities.items[4], "region", "us-east-1");
    assert_str_attr(in->entities.items[5], "alias", "west");
    assert_str_attr(in->entities.items[5], "region", "us-west-2");
    ent_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed000_enabled_clients),
        cmocka_unit_test(test_seed004_compute_layer),
        cmocka_unit_test(test_tfvars_block_is_a_warning),
        cmocka_unit_test(test_tf_configuration),
        cmocka_unit_test(test_tf_wrong_labels),
        cmocka_unit_test(test_tf_json_configuration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
