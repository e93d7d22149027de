/* doc_json.h - doc trees as JSON: the raw tree with spans (inspect --tree)
 * and plain values with a flat span table (inspect entities).
 *
 * Guarantees: deterministic output; shared nodes (YAML aliases) are written
 * in full at every use; depth is bounded by the parse limits upstream. */
#ifndef SA_DOC_JSON_H
#define SA_DOC_JSON_H

#include "doc.h"
#include "json_out.h"

void doc_json_span(json_out *j, src_span span);
/* {"kind":..., "span":..., ...} recursively (shape in docs/inspect.md). */
void doc_json_tree(json_out *j, const doc_node *n);
/* The node as a plain JSON value: maps -> objects (later duplicate keys
 * win), sequences -> arrays, scalars typed, expressions -> their source text,
 * HCL blocks -> {"type":..,"labels":[..],"body":{..}}. */
void doc_json_value(json_out *j, const doc_node *n);
/* {"path.to[0].attr": [line, col, end_line, end_col], ...} for every node. */
void doc_json_span_table(json_out *j, const doc_node *n);

#endif
