/* doc.h - the one document tree for every input format.
 *
 * A YAML document, an HCL body or a JSON value becomes a tree of doc_nodes:
 * mappings (ordered pairs), sequences, scalars, HCL blocks and unevaluated
 * expressions. Guarantees: every node knows its file and exact span (start
 * and end byte offset, line and character column); mapping pairs keep their
 * source order and the key node has its own span; scalars keep their decoded
 * value, their type and their quoting style while the original text is always
 * f->data[span.start.offset .. span.end.offset). Nodes live in an arena and
 * may be shared (YAML aliases point at the anchored node). */
#ifndef SA_DOC_H
#define SA_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "source.h"

typedef enum doc_kind {
    DOC_MAP,
    DOC_SEQ,
    DOC_SCALAR,
    DOC_BLOCK, /* HCL block: type, labels, body (a DOC_MAP) */
    DOC_EXPR   /* HCL expression that is not a literal; raw text via span */
} doc_kind;

typedef enum scalar_type {
    SCALAR_STR,
    SCALAR_INT,
    SCALAR_FLOAT,
    SCALAR_BOOL,
    SCALAR_NULL
} scalar_type;

typedef enum scalar_style {
    STYLE_PLAIN,         /* unquoted */
    STYLE_SINGLE_QUOTED, /* 'x' */
    STYLE_DOUBLE_QUOTED, /* "x" */
    STYLE_LITERAL,       /* YAML | */
    STYLE_FOLDED,        /* YAML > */
    STYLE_HEREDOC        /* HCL <<EOF / <<-EOF */
} scalar_style;

typedef enum expr_kind {
    EXPR_TEMPLATE,    /* "..${x}.." or %{ } directives, heredoc with interpolation */
    EXPR_REFERENCE,   /* var.x, local.y, aws_instance.a.id */
    EXPR_CALL,        /* f(x) */
    EXPR_OPERATOR,    /* a + b, !a, -a, a == b ... */
    EXPR_CONDITIONAL, /* c ? a : b */
    EXPR_FOR,         /* [for ...] / {for ...} */
    EXPR_SPLAT,       /* a[*].b, a.*.b */
    EXPR_INDEX,       /* a[0], a["k"] */
    EXPR_PAREN        /* (expr) */
} expr_kind;

typedef struct doc_node doc_node;

/* A pair is 24 bytes: the key at a glance (key_sig) sits beside the two
 * pointers, so that lookups rule out most pairs without reading key nodes.
 * Pairs are made by doc_pair_of() (or with a key_sig known to be
 * doc_key_sig(key)) or copied whole; a key is never set alone. */
typedef struct doc_pair {
    doc_node *key;   /* a scalar in YAML/JSON/HCL attributes; the type name for HCL blocks */
    doc_node *value;
    uint64_t key_sig; /* doc_key_sig(key) */
} doc_pair;

/* Laid out for size (80 bytes, five 16-byte arena units): trees of large
 * inputs stay in memory, so every byte per node counts. Counts and lengths
 * are 32-bit, as are src_pos offsets (files are far below 4 GiB). */
struct doc_node {
    const src_file *file;
    src_span span;
    const char *tag; /* YAML tag as written ("!Ref", "tag:yaml.org,2002:str"), or NULL */
    union {
        struct {
            const char *text; /* decoded value, NUL-terminated ("" for null) */
            int64_t i;        /* SCALAR_INT; also set for SCALAR_FLOAT when integral */
            double f;         /* SCALAR_FLOAT and SCALAR_INT */
            uint32_t len;
            scalar_type type : 8;
            scalar_style style : 8;
            bool b; /* SCALAR_BOOL */
        } scalar;
        struct {
            doc_pair *pairs;
            uint32_t count;
            uint32_t cap;
        } map;
        struct {
            doc_node **items;
            uint32_t count;
            uint32_t cap;
        } seq;
        struct {
            const char *type;
            doc_node **labels; /* scalar nodes */
            doc_node *body;    /* DOC_MAP: attributes as pairs, nested blocks as pairs whose value is a DOC_BLOCK */
            uint32_t nlabels;
        } block;
        struct {
            expr_kind kind;
        } expr;
    } u;
    doc_kind kind : 8;
    /* Set by the YAML front-end when no scalar text in this subtree (the
     * node, its keys, values and aliased nodes) holds a '$'; false when that
     * is unknown (other front-ends, synthesized and copied nodes). Lets
     * compose interpolation skip whole subtrees without reading them. */
    bool dollar_free;
};

/* Constructors (all arena-allocated, zero-filled). */
doc_node *doc_new(arena *a, doc_kind kind, const src_file *f, src_span span);
doc_node *doc_new_scalar(arena *a, const src_file *f, src_span span, scalar_type type,
                         scalar_style style, const char *text, size_t len);
/* doc_new_scalar (type SCALAR_STR) for text that may be read past its end:
 * the len + 16 bytes from text must be readable (bytes of a loaded file,
 * whose NUL ends them, for instance). Copies short texts without a memcpy
 * call. */
doc_node *doc_new_scalar_padded(arena *a, const src_file *f, src_span span, scalar_style style,
                                const char *text, size_t len);
/* Synthesized scalars for entities; the span is the source the value was
 * derived from. */
doc_node *doc_new_str(arena *a, const src_file *f, src_span span, const char *text);
doc_node *doc_new_int(arena *a, const src_file *f, src_span span, int64_t v);
doc_node *doc_new_bool(arena *a, const src_file *f, src_span span, bool v);
void doc_map_add(arena *a, doc_node *map, doc_node *key, doc_node *value);
/* doc_map_add of a pair whose key_sig the caller already knows. */
void doc_map_add_pair(arena *a, doc_node *map, doc_pair p);
/* Adds key (a synthesized string scalar with the value's span) -> value. */
void doc_map_set(arena *a, doc_node *map, const char *key, doc_node *value);
/* The same with key's length known. */
void doc_map_setn(arena *a, doc_node *map, const char *key, size_t len, doc_node *value);
void doc_seq_add(arena *a, doc_node *seq, doc_node *item);

/* Lookups. doc_get_pairn returns the LAST pair whose key text is the klen
 * bytes at key (later keys win, as in YAML loaders; key need not be
 * NUL-terminated), or NULL; for HCL bodies only attributes are matched, not
 * blocks. NULL-safe on node. doc_get_pair and doc_get (the pair's value) take
 * a NUL-terminated key; they are inline, so that a literal key's length is
 * known when compiling. */
const doc_pair *doc_get_pairn(const doc_node *map, const char *key, size_t klen);
static inline const doc_pair *doc_get_pair(const doc_node *map, const char *key)
{
    return doc_get_pairn(map, key, strlen(key));
}
static inline doc_node *doc_get(const doc_node *map, const char *key)
{
    const doc_pair *p = doc_get_pair(map, key);
    return p ? p->value : NULL;
}
/* Whether map key k is key (klen bytes): the match doc_get makes. Inline:
 * callers test many keys in a row. */
static inline bool doc_key_is(const doc_node *k, const char *key, size_t klen)
{
    /* Same matches as strcmp(text, key) == 0, tested so that most keys are
     * ruled out by the node alone (its length), without reading the text:
     * text equals key exactly when its first klen bytes are key's and a NUL
     * follows (text is NUL-terminated at u.scalar.len). */
    if (!k || k->kind != DOC_SCALAR || k->u.scalar.len < klen)
        return false;
    const char *text = k->u.scalar.text;
    return text[klen] == '\0' && (!klen || (text[0] == key[0] && memcmp(text, key, klen) == 0));
}
/* The signature of a key text of len bytes: its length (clamped below
 * UINT32_MAX - 1) and its first four bytes (all of it, zero-padded, when it
 * is shorter). Two texts shorter than that, with no NUL byte, are equal
 * exactly when their signatures are and so are their bytes past the fourth. */
static inline uint64_t doc_text_sig(const char *t, size_t len)
{
    const unsigned char *u = (const unsigned char *)t;
    uint32_t head = 0;
    if (len >= 4)
        memcpy(&head, t, 4);
    else if (len)
        head = u[0] | (len > 1 ? (uint32_t)u[1] << 8 : 0) | (len > 2 ? (uint32_t)u[2] << 16 : 0);
    return (uint64_t)head << 32 | (len < UINT32_MAX - 1 ? len : UINT32_MAX - 1);
}
/* doc_key_sig of every key that lookups must ask the node about: NULL, not
 * a scalar, or a scalar whose text holds a NUL byte (or is too long). No
 * doc_text_sig equals it. */
#define DOC_SIG_NODE UINT64_MAX
/* doc_key_sig of a scalar key whose text the caller knows holds no NUL
 * byte (the check is skipped). */
static inline uint64_t doc_key_sig_nul_free(const doc_node *key)
{
    if (key->u.scalar.len >= UINT32_MAX - 1)
        return DOC_SIG_NODE;
    return doc_text_sig(key->u.scalar.text, key->u.scalar.len);
}
/* doc_text_sig of a scalar key's text, or DOC_SIG_NODE. */
static inline uint64_t doc_key_sig(const doc_node *key)
{
    if (!key || key->kind != DOC_SCALAR || strlen(key->u.scalar.text) != key->u.scalar.len)
        return DOC_SIG_NODE;
    return doc_key_sig_nul_free(key);
}
static inline doc_pair doc_pair_of(doc_node *key, doc_node *value)
{
    return (doc_pair){.key = key, .value = value, .key_sig = doc_key_sig(key)};
}
/* doc_key_is(p->key, key, klen) where q is doc_text_sig(key, klen), told
 * from p->key_sig alone for most pairs whose key is not key. */
static inline bool doc_pair_key_is(const doc_pair *p, const char *key, size_t klen, uint64_t q)
{
    if (p->key_sig == q)
        return klen <= 4 || memcmp(p->key->u.scalar.text + 4, key + 4, klen - 4) == 0;
    if (p->key_sig != DOC_SIG_NODE)
        return false; /* most pairs */
    return doc_key_is(p->key, key, klen);
}
/* doc_get_pairn(map, key, klen) for a caller that knows q, doc_text_sig(key,
 * klen) (a key of a rule, signed once when loaded); doc_get_pairn is this
 * with q computed. Inline: its loop runs in the caller. */
static inline const doc_pair *doc_get_pair_sig(const doc_node *map, const char *key, size_t klen,
                                               uint64_t q)
{
    if (!map || map->kind != DOC_MAP)
        return NULL;
    for (size_t i = map->u.map.count; i-- > 0;) {
        const doc_pair *p = &map->u.map.pairs[i];
        if (doc_pair_key_is(p, key, klen, q) && !(p->value && p->value->kind == DOC_BLOCK))
            return p;
    }
    return NULL;
}
/* Follows a dotted path of keys ("spec.template.spec"); NULL if any is missing. */
doc_node *doc_path(const doc_node *node, const char *dotted);
/* Scalar text or NULL when node is NULL or not a scalar. */
const char *doc_str(const doc_node *node);
/* True when node is a scalar of the given text. */
bool doc_str_eq(const doc_node *node, const char *s);
/* Truthiness of a scalar: bool true, or string "true"/"yes"/"on" (case-insensitive). */
bool doc_is_true(const doc_node *node);
/* Integer value of an int scalar or of a string that is a whole decimal number. */
bool doc_int(const doc_node *node, int64_t *out);
/* Number of nested blocks of the given type in an HCL body (NULL type: any). */
size_t doc_count_blocks(const doc_node *body, const char *type);

const char *doc_kind_name(doc_kind k);
const char *scalar_type_name(scalar_type t);
const char *scalar_style_name(scalar_style s);
const char *expr_kind_name(expr_kind k);

/* Raw source text of a node (pointer into file data, not NUL-terminated). */
const char *doc_raw(const doc_node *node, size_t *len);

/* Infers the YAML 1.2 core-schema type of a plain scalar, as the Go loaders
 * behind compose and Kubernetes do: null (null, Null, NULL, ~, empty),
 * bool (true/false in three casings), int (decimal, 0x, 0o), float (incl.
 * .inf/.nan). yes/no/on/off stay strings (doc_is_true still accepts them).
 * Only STYLE_PLAIN scalars are typed; quoted ones stay strings. */
void doc_scalar_infer(doc_node *n);

#endif
