/* input.c - load one file: read, check, detect, parse, build entities; see input.h. */
#include "input.h"

#include <stdlib.h>
#include <string.h>

#include "analyzers/detect.h"

load_options load_options_default(void)
{
    load_options o = {.limits = parse_limits_default(), .build_entities = true,
                      .use_environment = true};
    return o;
}

const char *input_format_name(input_format f)
{
    static const char *names[] = {"unknown", "compose", "kubernetes", "terraform", "tfvars",
                                  "tfvars-json"};
    return names[f];
}

static bool only_whitespace(const src_file *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (!strchr(" \t\r\n", f->data[i]))
            return false;
    return true;
}

static void fail(input_file *in)
{
    in->failed = true;
    in->docs.docs = NULL;
    in->docs.count = 0;
}

static void parse_yaml(input_file *in, name_class nc, const load_options *opts)
{
    if (!yaml_parse(in->arena, in->src, &opts->limits, &in->docs, &in->diags)) {
        fail(in);
        return;
    }
    if (in->docs.count == 0) {
        diag_add(&in->diags, DIAG_ERROR, in->path, 1, 1,
                 "file holds no YAML document (only comments or whitespace)");
        fail(in);
        return;
    }
    const char *reason = NULL;
    in->format = detect_yaml_content(nc, &in->docs, &reason);
    if (in->format == FMT_UNKNOWN)
        in->skip_reason = reason;
}

static void parse_single_root(input_file *in, bool json, const load_options *opts)
{
    doc_node *root = NULL;
    bool ok = json ? json_parse(in->arena, in->src, &opts->limits, &root, &in->diags)
                   : hcl_parse(in->arena, in->src, &opts->limits, &root, &in->diags);
    if (!ok) {
        fail(in);
        return;
    }
    in->docs.docs = arena_alloc(in->arena, sizeof(doc_node *));
    in->docs.docs[0] = root;
    in->docs.count = 1;
}

input_file *input_load(const char *path, const load_options *opts)
{
    input_file *in = xcalloc(1, sizeof *in);
    in->path = xstrdup(path);
    in->arena = arena_new();
    diag_list_init(&in->diags);
    name_class nc = detect_by_name(path);
    if (nc == NAME_OTHER) {
        in->skip_reason = "not a Terraform, compose or Kubernetes file name (.tf, .tfvars, "
                          ".tfvars.json, .yaml, .yml)";
        return in;
    }
    in->src = src_load(in->arena, path, &opts->limits, &in->diags);
    if (!in->src) {
        in->failed = true;
        return in;
    }
    if (!src_check_text(in->src, &in->diags)) {
        in->failed = true;
        return in;
    }
    bool yaml = nc == NAME_YAML || nc == NAME_COMPOSE_YAML;
    if (only_whitespace(in->src) && (yaml || nc == NAME_TFVARS_JSON)) {
        diag_add(&in->diags, DIAG_ERROR, path, 0, 0, "empty file: nothing to check");
        in->failed = true;
        return in;
    }
    switch (nc) {
    case NAME_YAML:
    case NAME_COMPOSE_YAML:
        parse_yaml(in, nc, opts);
        break;
    case NAME_TERRAFORM:
        in->format = FMT_TERRAFORM;
        parse_single_root(in, false, opts);
        break;
    case NAME_TFVARS:
        in->format = FMT_TFVARS;
        parse_single_root(in, false, opts);
        break;
    case NAME_TFVARS_JSON:
        in->format = FMT_TFVARS_JSON;
        parse_single_root(in, true, opts);
        if (!in->failed && in->docs.docs[0]->kind != DOC_MAP) {
            diag_add(&in->diags, DIAG_ERROR, path, in->docs.docs[0]->span.start.line,
                     in->docs.docs[0]->span.start.col,
                     "a .tfvars.json file must hold one JSON object of variable values");
            fail(in);
        }
        break;
    case NAME_OTHER:
        break;
    }
    if (in->failed || in->format == FMT_UNKNOWN || !opts->build_entities)
        return in;
    switch (in->format) {
    case FMT_COMPOSE:
        compose_build_entities(in, opts);
        break;
    case FMT_KUBERNETES:
        k8s_build_entities(in);
        break;
    case FMT_TERRAFORM:
    case FMT_TFVARS:
    case FMT_TFVARS_JSON:
        terraform_build_entities(in);
        break;
    case FMT_UNKNOWN:
        break;
    }
    return in;
}

void input_release_model(input_file *in, bool keep_source)
{
    if (in->released)
        return;
    src_file *src = in->src && keep_source ? src_clone(in->src) : NULL;
    memset(&in->entities, 0, sizeof in->entities);
    memset(&in->docs, 0, sizeof in->docs);
    arena_free(in->arena);
    in->arena = NULL;
    in->src = src;
    in->released = true;
}

void input_free(input_file *in)
{
    if (!in)
        return;
    if (in->released)
        free(in->src);
    if (in->lint_digest)
        in->lint_digest_free(in->lint_digest);
    arena_free(in->arena);
    diag_list_free(&in->diags);
    free(in->path);
    free(in);
}
