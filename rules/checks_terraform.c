/* checks_terraform.c - the registry rows of the built-in Terraform C
 * checks: each `check:` name of rules/builtin/terraform.yaml and the
 * function that runs it (declared in rules/checks_tf.h, written in
 * rules/checks_tf_network.c, checks_tf_secrets.c, checks_tf_clients.c,
 * checks_tf_client_names.c and checks_tf_instance_types.c; shared helpers in
 * rules/tf_model.h, tf_exposure.h and tf_var_groups.h). */
#include "rules/checks.h"
#include "rules/checks_tf.h"

const check_entry checks_terraform[] = {
    {"tf-all-ports-open", check_tf_all_ports_open, CHECK_ALL_TERRAFORM},
    {"tf-ssh-open", check_tf_ssh_open, CHECK_ALL_TERRAFORM},
    {"tf-rdp-open", check_tf_rdp_open, CHECK_ALL_TERRAFORM},
    {"tf-db-port-open", check_tf_db_port_open, CHECK_ALL_TERRAFORM},
    {"tf-world-open", check_tf_world_open, CHECK_ALL_TERRAFORM},
    {"tf-plaintext-secret", check_tf_plaintext_secret, CHECK_ALL_TERRAFORM},
    {"tf-aws-access-key-id", check_tf_aws_access_key_id, CHECK_ALL_TERRAFORM},
    {"tf-private-key", check_tf_private_key, CHECK_ALL_TERRAFORM},
    {"tfvars-client-no-config", check_tfvars_client_no_config, CHECK_ALL_TERRAFORM},
    {"tfvars-client-config-not-enabled", check_tfvars_client_config_not_enabled, CHECK_ALL_TERRAFORM},
    {"tfvars-client-cidr-overlap", check_tfvars_client_cidr_overlap, CHECK_ALL_TERRAFORM},
    {"tfvars-client-cross-access", check_tfvars_client_cross_access, CHECK_ALL_TERRAFORM},
    {"tfvars-client-name", check_tfvars_client_name, CHECK_ALL_TERRAFORM},
    {"tf-instance-type", check_tf_instance_type, CHECK_ALL_TERRAFORM},
    {NULL, NULL},
};
