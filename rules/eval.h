/* eval.h - evaluation of rule conditions against doc nodes (internal to
 * the engine; exposed for unit tests).
 *
 * Semantics (docs/rules.md): a path is resolved relative to the current
 * item; pseudo-paths start with '$' ($name, $namespace, $kind, $platform,
 * $key, $path, $value, $entity.PATH, $var.NAME). Scalar tests applied to a
 * list hold when any item passes (negated tests: when every item passes). */
#ifndef SA_EVAL_H
#define SA_EVAL_H

#include "analyzers/input.h"
#include "core/strbuf.h"
#include "rules/rule.h"

typedef struct eval_item {
    const doc_node *node;
    const char *key;  /* nearest mapping key above the item, or NULL */
    /* Attribute path of the item, "" for the entity itself; for an element
     * of a list (elem > 0), the list's path: the item's is path[elem - 1],
     * spelled out only when asked for (eval_item_path). */
    const char *path;
    size_t elem;
} eval_item;

/* What evaluation can remember while it works through one file: the items
 * of each `each` of the current entity and the Terraform variables looked up
 * by $var. Optional (NULL: nothing is remembered); one per thread. */
typedef struct eval_memo eval_memo;

typedef struct eval_ctx {
    const entity *e;
    const input_file *in;
    eval_item item;
    arena *scratch; /* per-thread, for synthesized values */
    void *match_data; /* pcre2_match_data*, per thread */
    eval_memo *memo;  /* or NULL */
} eval_ctx;

eval_memo *eval_memo_new(void);
void eval_memo_free(eval_memo *m);
/* Call before evaluating another entity (item lists live in the scratch
 * arena, so call it whenever the scratch arena is reset). A memo serves
 * one file: make a new one for the next. */
void eval_memo_next_entity(eval_memo *m);

/* Rule text split once, at load time, into what evaluation walks; out and
 * what it points to live in a (text must outlive it too). */
void eval_path_compile(arena *a, const char *text, rule_path *out);
void eval_template_compile(arena *a, const char *tmpl, rule_template *out);
const rule_each *eval_each_compile(arena *a, const char *each);

const doc_node *eval_resolve(const eval_ctx *c, const rule_path *path);
bool eval_cond(const eval_ctx *c, const cond *k);
/* Items a rule's `each` selects (or the entity attrs when each is NULL).
 * With a memo, the list is shared by every rule of the entity with the same
 * `each` selector: callers must not modify it. */
void eval_each(const eval_ctx *c, const rule_each *each, eval_item **items, size_t *count);
/* The "[N]" that ends the path of an element of a list (it->elem > 0), in
 * buf, with its length; 0 for other items. */
size_t eval_item_path_suffix(const eval_item *it, char buf[32]);
/* Renders a message template at the end of out. */
void eval_message(const eval_ctx *c, const rule_template *tmpl, strbuf *out);

#endif
