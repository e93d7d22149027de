/* yaml_internal.h - state shared by the YAML front-end's files
 * (yaml_front.c: event loop and tree building; yaml_merge.c: duplicate keys
 * and merge keys; yaml_errors.c: libyaml errors as diagnostics;
 * yaml_comments.c: comment recovery). Not for use outside analyzers/yaml_*.c. */
#ifndef SA_YAML_INTERNAL_H
#define SA_YAML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "analyzers/frontend.h"
#include "analyzers/name_table.h"
#include "analyzers/pos_cursor.h"

/* An anchored node: the node and its size once aliases are expanded. */
typedef struct yaml_anchor {
    doc_node *node;
    size_t size;
    bool complete; /* false while the anchored collection is still open */
} yaml_anchor;

/* One open mapping or sequence. */
typedef struct yaml_frame {
    doc_node *node;
    size_t first_child;  /* index of its first child in yaml_ctx.children */
    yaml_anchor *anchor; /* when the collection carries an anchor */
    size_t size;         /* nodes in this subtree with aliases expanded */
    src_pos last_end;    /* where the last child's text ends */
    bool flow;           /* [..] / {..}: the end event marks the closing bracket */
    bool dollar;         /* some child is not dollar_free */
} yaml_frame;

/* The last answer of yaml_front.c's next_byte for one byte. */
typedef struct yaml_byte_seek {
    size_t from; /* none of the byte lies in [from, at); at holds it, or is */
    size_t at;   /* where the search stopped (from > at: nothing known) */
} yaml_byte_seek;

/* Byte range of a scalar's text, where '#' never starts a comment. */
typedef struct yaml_range {
    size_t start;
    size_t end;
} yaml_range;

typedef struct yaml_ctx {
    arena *a;
    src_file *f;
    const parse_limits *lim;
    diag_list *diags;
    pos_cursor cur;
    size_t mark_lines; /* marks on lines below this are src_file's lines (its
                          nlines when lf_breaks, else 0) */

    yaml_frame *stack;
    size_t depth;
    size_t stack_cap;

    doc_node **children; /* children of the open collections, innermost last */
    size_t nchildren;
    size_t children_cap;

    name_table anchors;    /* name -> yaml_anchor*, for the current document */
    size_t doc_nodes;      /* nodes of the current document, aliases expanded */
    bool doc_used_alias;
    src_pos doc_start_end; /* end of the "---" (or the start) of the current document */
    doc_node *root;

    doc_node **docs;
    size_t ndocs;
    size_t docs_cap;

    yaml_byte_seek hash;   /* '#' */
    yaml_byte_seek dollar; /* '$' */
    yaml_range *scalars; /* in file order */
    size_t nscalars;
    size_t scalars_cap;
} yaml_ctx;

/* Adds an error diagnostic at pos. */
void yaml_error_at(yaml_ctx *ctx, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Turns the error libyaml reported into one clear diagnostic. */
void yaml_report_libyaml_error(yaml_ctx *ctx, const yaml_parser_t *parser);

/* True for a plain "<<" key (untagged or tagged !!merge). */
bool yaml_is_merge_key(const doc_node *key);

/* Called when a mapping is complete: warns about duplicate explicit keys
 * (keeping the later value) and applies merge keys. False (with an error
 * diagnostic) when a merge value is not a mapping or a list of mappings. */
bool yaml_finish_mapping(yaml_ctx *ctx, doc_node *map);

/* Adds every comment of f (outside the given scalar ranges) with
 * src_add_comment, in file order. */
void yaml_collect_comments(arena *a, src_file *f, yaml_range *scalars, size_t nscalars);

#endif
