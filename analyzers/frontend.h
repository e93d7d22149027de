/* frontend.h - the three parsers that turn bytes into doc trees.
 *
 * Shared guarantees: on success every node carries exact spans into f and
 * f->comments is filled in file order; duplicate mapping keys / attributes
 * are reported as DIAG_WARNING at the second key (the later value wins, as
 * the tools users run do). On failure (syntax error, limit exceeded) an
 * error diagnostic names f->path, line, column and what went wrong, nothing
 * is returned in the out parameters, and the function returns false.
 * Limits (lim) are enforced without crashing or unbounded memory. */
#ifndef SA_FRONTEND_H
#define SA_FRONTEND_H

#include <stdbool.h>

#include "core/doc.h"

typedef struct doc_stream {
    doc_node **docs;
    size_t count;
} doc_stream;

/* YAML (libyaml): multi-document streams, anchors/aliases resolved, merge
 * keys (<<: *a, <<: [*a, *b]) applied with explicit keys winning, tags kept
 * on nodes. Empty documents (only comments / "---") are kept as a null scalar
 * so document indexes match the file. */
bool yaml_parse(arena *a, src_file *f, const parse_limits *lim, doc_stream *out,
                diag_list *diags);

/* HCL2 native syntax (Terraform .tf / .tfvars). *body is a DOC_MAP whose
 * pairs are attributes (key -> value) and blocks (key = type name,
 * value = DOC_BLOCK). */
bool hcl_parse(arena *a, src_file *f, const parse_limits *lim, doc_node **body,
               diag_list *diags);

/* JSON (RFC 8259) for *.tfvars.json and friends. */
bool json_parse(arena *a, src_file *f, const parse_limits *lim, doc_node **root,
                diag_list *diags);

#endif
