/* checks_tf.h - the built-in C checks for Terraform (rule records with
 * `check: tf-...` / `check: tfvars-...` in rules/builtin/terraform.yaml),
 * one function per check, named after it. rules/checks_terraform.c maps the
 * names to them. */
#ifndef SA_CHECKS_TF_H
#define SA_CHECKS_TF_H

#include "rules/rule.h"

/* Network exposure to 0.0.0.0/0 or ::/0 (rules/checks_tf_network.c). */
void check_tf_all_ports_open(const rule *r, lint_context *ctx);
void check_tf_ssh_open(const rule *r, lint_context *ctx);
void check_tf_rdp_open(const rule *r, lint_context *ctx);
void check_tf_db_port_open(const rule *r, lint_context *ctx);
void check_tf_world_open(const rule *r, lint_context *ctx);

/* Secrets written into the files (rules/checks_tf_secrets.c). */
void check_tf_plaintext_secret(const rule *r, lint_context *ctx);
void check_tf_aws_access_key_id(const rule *r, lint_context *ctx);
void check_tf_private_key(const rule *r, lint_context *ctx);

/* Per-client isolation in variable files (rules/checks_tf_clients.c). */
void check_tfvars_client_no_config(const rule *r, lint_context *ctx);
void check_tfvars_client_config_not_enabled(const rule *r, lint_context *ctx);
void check_tfvars_client_cidr_overlap(const rule *r, lint_context *ctx);
void check_tfvars_client_cross_access(const rule *r, lint_context *ctx);
/* Client naming convention (rules/checks_tf_client_names.c). */
void check_tfvars_client_name(const rule *r, lint_context *ctx);

/* Instance types that cannot exist (rules/checks_tf_instance_types.c). */
void check_tf_instance_type(const rule *r, lint_context *ctx);

#endif
