/* compose_interp.h - docker compose variable interpolation and .env files.
 *
 * Syntax, as docker compose implements it: $VAR, ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt},
 * defaults/alternatives that are themselves interpolated, and $$ for a
 * literal $. Values come from the process environment (when enabled; it
 * wins) and then from the .env file beside the compose file.
 *
 * Guarantees: interp_string never fails; every problem (unset variable,
 * required variable missing, invalid syntax) is reported with the byte
 * offset of its '$' in the input, and the output is what docker compose
 * would produce (unset -> empty string, invalid syntax kept literally).
 * interp_tree copies only the parts of a tree that change: replaced scalars
 * keep the span, style and file of the original text, so every later
 * finding still points at the template the user wrote. */
#ifndef SA_COMPOSE_INTERP_H
#define SA_COMPOSE_INTERP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/doc.h"

typedef struct interp_vars {
    const char **names; /* .env entries, later definitions win */
    const char **values;
    size_t count;
    size_t cap;
    bool use_environment; /* consult getenv() first */
} interp_vars;

void interp_vars_init(interp_vars *v, bool use_environment);
void interp_vars_set(arena *a, interp_vars *v, const char *name, const char *value);
/* The value of name, or NULL when it is not set anywhere. */
const char *interp_vars_get(const interp_vars *v, const char *name);

/* Parses .env text (KEY=VALUE lines, blank lines and # comments, optional
 * "export " prefix, 'single' quotes taken literally, "double" quotes with
 * \n \t \" \\ escapes and ${VAR} expansion, unquoted values with ${VAR}
 * expansion and " #" inline comments, KEY alone = taken from the
 * environment when enabled). Lines that are not KEY=VALUE are reported as
 * warnings at their position in f. */
void interp_dotenv_parse(arena *a, interp_vars *v, const src_file *f, diag_list *diags);
/* Loads "<dir of compose_path>/.env" when it exists; an unreadable file is a
 * warning. Returns true when a .env file was read. */
bool interp_dotenv_load(arena *a, interp_vars *v, const char *compose_path,
                        const parse_limits *lim, diag_list *diags);

typedef enum interp_problem_kind {
    INTERP_UNSET,    /* $VAR / ${VAR} not set: empty string substituted */
    INTERP_REQUIRED, /* ${VAR?err} / ${VAR:?err} not satisfied */
    INTERP_INVALID   /* not a valid interpolation; kept literally */
} interp_problem_kind;

typedef struct interp_problem {
    interp_problem_kind kind;
    size_t offset;       /* byte offset of the '$' in the input */
    const char *name;    /* the variable (NULL for INTERP_INVALID) */
    const char *message; /* complete, user-facing */
} interp_problem;

typedef struct interp_result {
    char *text; /* NUL-terminated, arena-allocated */
    size_t len;
    bool changed; /* text differs from the input */
    interp_problem *problems;
    size_t nproblems;
} interp_result;

void interp_string(arena *a, const interp_vars *v, const char *s, size_t len,
                   interp_result *out);

/* Whole-tree interpolation of every string value (mapping keys are left as
 * written, as compose does). */
typedef struct interp_tree_ctx interp_tree_ctx;

interp_tree_ctx *interp_tree_new(arena *a, const interp_vars *v, diag_list *diags);
/* Returns root itself when nothing changed, else a copy sharing every
 * unchanged subtree. Problems become warnings at their exact position; an
 * unset variable is reported once per context (file), at its first use, as
 * docker compose does. */
doc_node *interp_tree(interp_tree_ctx *ctx, doc_node *root);
/* Number of scalars whose text changed. */
size_t interp_tree_count(const interp_tree_ctx *ctx);
/* The original scalar (template as written) whose span contains span, or
 * NULL when that text was not changed by interpolation. */
const doc_node *interp_tree_original(interp_tree_ctx *ctx, src_span span);
/* The lines that hold part of a changed scalar's original: lines[l] != 0
 * for the lines l < *nlines that do; interp_tree_original(span) is NULL
 * whenever span.start.line is not one of them. NULL (and *nlines 0) when
 * nothing changed. Valid until the next interp_tree call. */
const unsigned char *interp_tree_lines(interp_tree_ctx *ctx, size_t *nlines);
/* Releases the context's own memory (nodes stay in the arena). */
void interp_tree_free(interp_tree_ctx *ctx);

#endif
