/* input.h - one input file: detected format, parsed documents, entities.
 *
 * input_load() is self-contained and thread-safe (each input owns its arena
 * and diagnostics), so files can be loaded by worker threads. Guarantees: a
 * file that cannot be read or parsed is marked failed with an error
 * diagnostic at its position and holds no documents; a file that is not an
 * infrastructure file is marked skipped with the reason; it never aborts the
 * run. */
#ifndef SA_INPUT_H
#define SA_INPUT_H

#include <stdbool.h>

#include "analyzers/entity.h"
#include "analyzers/frontend.h"

typedef enum input_format {
    FMT_UNKNOWN,
    FMT_COMPOSE,
    FMT_KUBERNETES,
    FMT_TERRAFORM, /* .tf */
    FMT_TFVARS,    /* .tfvars, .auto.tfvars */
    FMT_TFVARS_JSON /* .tfvars.json, .tf.json */
} input_format;

typedef struct load_options {
    parse_limits limits;
    bool build_entities; /* false: parse only (inspect --tree, benchmarks) */
    bool use_environment; /* compose interpolation reads the process environment */
    /* About the one file loaded with these options: its directory was listed
     * and holds no entry named .env, so a compose file's interpolation does
     * not look for one (the look-up would find none). */
    bool no_dotenv_beside;
} load_options;

typedef struct input_file {
    char *path;
    input_format format;
    arena *arena;
    src_file *src;
    doc_stream docs;       /* YAML documents, or the single HCL body / JSON root */
    entity_list entities;
    diag_list diags;
    bool failed;           /* unreadable or unparsable: skipped, exit code 2 */
    bool released;         /* input_release_model: no docs, entities or arena;
                              src is a malloc'd copy, or NULL */
    void *lint_digest;     /* what lint's cluster-wide checks keep of this input
                              once its tree is released (rules/k8s_digest.h) */
    void (*lint_digest_free)(void *digest);
    const char *skip_reason; /* set when not an infrastructure file (FMT_UNKNOWN) */
} input_file;

load_options load_options_default(void);
input_file *input_load(const char *path, const load_options *opts);
void input_free(input_file *in);
/* Drops the documents and entities (and the arena holding them), keeping
 * the path, format and diagnostics, and with keep_source the source text
 * with its comments (what text reports and later suppression checks read);
 * without it src becomes NULL. */
void input_release_model(input_file *in, bool keep_source);
const char *input_format_name(input_format f);

/* Entity builders, one per platform (analyzers/compose*.c, k8s*.c, terraform*.c).
 * They only add entities and warnings; they never fail the file. */
void compose_build_entities(input_file *in, const load_options *opts);
void k8s_build_entities(input_file *in);
void terraform_build_entities(input_file *in);

#endif
