/* tf_model.h - what the Terraform C checks (rules/checks_tf_*.c) share:
 * which inputs are Terraform, lower-case key matching, the words that say a
 * CIDR key is about destinations or about who may connect, blocks written
 * once or repeated, and the set of nodes a check has already reported.
 *
 * Guarantees: pure functions over the inputs and document nodes (nothing is
 * changed); only inputs that were read and parsed count as Terraform; key
 * matching works on lower-cased copies truncated to the caller's buffer. */
#ifndef SA_TF_MODEL_H
#define SA_TF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzers/input.h"
#include "core/doc.h"

/* ---- inputs ------------------------------------------------------------ */

/* A parsed .tf, .tf.json, .tfvars or .tfvars.json input. */
bool tf_input(const input_file *in);
/* A parsed variable definitions file (.tfvars, .tfvars.json, not .tf.json). */
bool tf_vars_input(const input_file *in);

/* ---- text -------------------------------------------------------------- */

bool tf_ends_with(const char *s, const char *suffix);
/* Lower-case copy of src (NULL reads as ""), truncated to cap. */
void tf_lower_copy(char *dst, size_t cap, const char *src);
/* True when word is one of the tokens of lk (split on anything not a letter
 * or digit). */
bool tf_has_token(const char *lk, const char *word);
/* True when one of the NULL-terminated words is a substring / a token of lk. */
bool tf_any_substr(const char *lk, const char *const *words);
bool tf_any_token(const char *lk, const char *const *words);

/* Words of a CIDR key about who may connect (lower-case, NULL-terminated). */
extern const char *const tf_ingress_words[];
/* A key (lower-cased) about destinations: egress rules, routes, NAT. */
bool tf_outbound_key(const char *lk);

/* ---- nodes ------------------------------------------------------------- */

/* The body of a block, else n itself. */
static inline const doc_node *tf_body_of(const doc_node *n)
{
    return n && n->kind == DOC_BLOCK ? n->u.block.body : n;
}

static inline bool tf_is_string(const doc_node *n)
{
    return n && n->kind == DOC_SCALAR && n->u.scalar.type == SCALAR_STR;
}

/* True when an item of the sequence seq (or NULL) is the string s. */
bool tf_seq_has(const doc_node *seq, const char *s);

/* The blocks an attribute value holds: each item of a list (a repeated
 * block), or the body of a single block; none for NULL. */
static inline size_t tf_block_count(const doc_node *v)
{
    return !v ? 0 : v->kind == DOC_SEQ ? v->u.seq.count : 1;
}

static inline const doc_node *tf_block_item(const doc_node *v, size_t i)
{
    return v->kind == DOC_SEQ ? v->u.seq.items[i] : tf_body_of(v);
}

/* ---- reported nodes ---------------------------------------------------- */

/* Nodes already reported by one check run (each node at most once): an
 * open-addressing hash set of pointers. Zero-initialised is empty. */
typedef struct tf_seen_set {
    const void **slots;
    size_t count;
    size_t cap; /* power of two, or 0 */
} tf_seen_set;

/* Adds p; false when it was already there. */
bool tf_seen_add(tf_seen_set *s, const void *p);
void tf_seen_free(tf_seen_set *s);

#endif
