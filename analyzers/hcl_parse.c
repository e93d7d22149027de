/* hcl_parse.c - HCL2 native syntax: bodies, attributes and blocks, and the
 * hcl_parse() entry point (contract in frontend.h).
 *
 * Guarantees: the result is a DOC_MAP whose pairs are attributes (key
 * scalar -> value node) and blocks (key scalar = block type, value =
 * DOC_BLOCK with scalar labels and a DOC_MAP body spanning its braces); a
 * block spans from its type name to its closing brace. Attributes must end
 * with a newline; one-line blocks ("a { b = 1 }") hold at most one
 * attribute, as HashiCorp's parser requires. A repeated attribute name in
 * one body is a warning at the second name (the later value wins through
 * doc_get). Nesting of blocks and expressions is bounded by lim->max_depth.
 * The file is checked for valid UTF-8 first; a leading BOM is ignored. */
#include <stdarg.h>
#include <string.h>

#include "analyzers/frontend.h"
#include "analyzers/hcl_parser.h"

void hp_error(hcl_parser *p, src_pos at, const char *fmt, ...)
{
    if (p->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(p->diags, DIAG_ERROR, p->f->path, at.line, at.col, fmt, ap);
    va_end(ap);
    p->failed = true;
    p->tok.type = HT_EOF;
}

void hp_error_found(hcl_parser *p, const char *expected)
{
    if (p->failed)
        return;
    const hcl_token *t = &p->tok;
    hp_error(p, t->start, "expected %s, found %s", expected, hcl_tok_describe(p->a, t));
}

void hp_scan(hcl_parser *p)
{
    if (p->failed)
        return;
    hcl_lex_next(&p->lx, &p->tok);
    if (p->tok.type == HT_INVALID)
        hp_error(p, p->tok.start, "%s", p->lx.error);
}

void hp_next(hcl_parser *p)
{
    p->prev_end = p->tok.end;
    hp_scan(p);
}

bool hp_enter(hcl_parser *p, src_pos at)
{
    if (p->depth >= p->max_depth) {
        hp_error(p, at, "nesting is deeper than %zu levels (blocks, objects, tuples and expressions; "
                 "raise the limit with --max-depth)", p->max_depth);
        return false;
    }
    p->depth++;
    return true;
}

doc_node *hp_expr_node(hcl_parser *p, expr_kind kind, src_pos start, src_pos end)
{
    src_span span = {.start = start, .end = end};
    doc_node *n = doc_new(p->a, DOC_EXPR, p->f, span);
    n->u.expr.kind = kind;
    return n;
}

void hp_warn_duplicate(hcl_parser *p, const char *what, const doc_node *key, const doc_node *first)
{
    diag_add(p->diags, DIAG_WARNING, p->f->path, key->span.start.line, key->span.start.col,
             "duplicate %s '%s' (first defined at line %u)", what, key->u.scalar.text,
             first->span.start.line);
}

static uint64_t key_hash(const doc_node *key)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < key->u.scalar.len; i++)
        h = (h ^ (unsigned char)key->u.scalar.text[i]) * 1099511628211ull;
    return h;
}

static bool key_equal(const doc_node *x, const doc_node *y)
{
    return x->u.scalar.len == y->u.scalar.len &&
           memcmp(x->u.scalar.text, y->u.scalar.text, x->u.scalar.len) == 0;
}

static const doc_node *keyset_find(const hcl_keyset *set, const doc_node *key)
{
    for (size_t i = (size_t)key_hash(key) & (set->cap - 1); set->slots[i]; i = (i + 1) & (set->cap - 1))
        if (key_equal(set->slots[i], key))
            return set->slots[i];
    return NULL;
}

static void keyset_insert(hcl_keyset *set, const doc_node *key)
{
    size_t i = (size_t)key_hash(key) & (set->cap - 1);
    while (set->slots[i])
        i = (i + 1) & (set->cap - 1);
    set->slots[i] = key;
    set->count++;
}

static bool counts_as_key(const doc_pair *pair)
{
    return pair->key->kind == DOC_SCALAR && pair->value->kind != DOC_BLOCK;
}

/* Maps below this size are scanned instead of hashed. */
#define KEYSET_SCAN_LIMIT 8

const doc_node *hcl_keyset_add(arena *a, hcl_keyset *set, const doc_node *map, const doc_node *key)
{
    if (!set->cap) {
        if (map->u.map.count < KEYSET_SCAN_LIMIT) {
            for (size_t i = 0; i < map->u.map.count; i++) {
                const doc_pair *pair = &map->u.map.pairs[i];
                if (counts_as_key(pair) && key_equal(pair->key, key))
                    return pair->key;
            }
            return NULL;
        }
        set->cap = 4 * KEYSET_SCAN_LIMIT;
        set->slots = arena_alloc(a, set->cap * sizeof *set->slots);
        for (size_t i = 0; i < map->u.map.count; i++) {
            const doc_pair *pair = &map->u.map.pairs[i];
            if (counts_as_key(pair) && !keyset_find(set, pair->key))
                keyset_insert(set, pair->key);
        }
    }
    const doc_node *first = keyset_find(set, key);
    if (first)
        return first;
    if ((set->count + 1) * 2 > set->cap) {
        hcl_keyset grown = {.cap = set->cap * 2};
        grown.slots = arena_alloc(a, grown.cap * sizeof *grown.slots);
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i])
                keyset_insert(&grown, set->slots[i]);
        *set = grown;
    }
    keyset_insert(set, key);
    return NULL;
}

static src_span span_of(src_pos start, src_pos end)
{
    src_span s = {.start = start, .end = end};
    return s;
}

static doc_node *name_scalar(hcl_parser *p, const hcl_token *t)
{
    return doc_new_scalar(p->a, p->f, span_of(t->start, t->end), SCALAR_STR, STYLE_PLAIN, t->text,
                          t->len);
}

static void add_label(hcl_parser *p, doc_node *blk, doc_node *label, size_t *cap)
{
    if (blk->u.block.nlabels == *cap) {
        size_t ncap = *cap ? *cap * 2 : 2;
        blk->u.block.labels = arena_grow(p->a, blk->u.block.labels, *cap * sizeof(doc_node *),
                                         ncap * sizeof(doc_node *));
        *cap = ncap;
    }
    blk->u.block.labels[blk->u.block.nlabels++] = label;
}

static bool parse_body_items(hcl_parser *p, doc_node *body, bool top, src_pos open);

/* The body of a one-line block "type labels { name = value }": at most one
 * attribute, closed on the same line. The lookahead is the token after '{'. */
static bool parse_single_attr_body(hcl_parser *p, doc_node *body, const char *type)
{
    const hcl_token *t = hp_peek(p);
    if (t->type != HT_IDENT) {
        hp_error_found(p, "an attribute name or a newline after '{'");
        return false;
    }
    hcl_token name = *t;
    hp_next(p);
    t = hp_peek(p);
    if (t->type == HT_OQUOTE || t->type == HT_IDENT || t->type == HT_LBRACE) {
        hp_error(p, name.start,
                 "a single-line block can only contain one attribute; put the nested block '%.*s' "
                 "on a line of its own inside '%s { ... }'", (int)name.len, name.text, type);
        return false;
    }
    if (t->type != HT_EQUAL) {
        hp_error(p, t->start, "expected '=' after '%.*s', found %s", (int)name.len, name.text,
                 hcl_tok_describe(p->a, t));
        return false;
    }
    hp_next(p);
    doc_node *value = hp_expr(p);
    if (!value)
        return false;
    doc_map_add(p->a, body, name_scalar(p, &name), value);
    t = hp_peek(p);
    switch (t->type) {
    case HT_RBRACE:
        return true;
    case HT_COMMA:
        hp_error(p, t->start, "a single-line block can hold only one attribute; write block '%s' "
                 "over several lines with one attribute per line", type);
        return false;
    case HT_NEWLINE:
        hp_error(p, t->start, "a single-line block must be closed on the same line: expected '}' "
                 "after the value of '%.*s'", (int)name.len, name.text);
        return false;
    default:
        hp_error_found(p, "'}' after the single attribute of a one-line block");
        return false;
    }
}

/* Block after its type name: labels, '{', body, '}'. */
static doc_node *parse_block(hcl_parser *p, const hcl_token *type_tok)
{
    doc_node *blk = doc_new(p->a, DOC_BLOCK, p->f, span_of(type_tok->start, type_tok->end));
    blk->u.block.type = arena_strndup(p->a, type_tok->text, type_tok->len);
    const char *type = blk->u.block.type;
    size_t cap = 0;
    for (;;) {
        const hcl_token *t = hp_peek(p);
        if (t->type == HT_LBRACE)
            break;
        if (t->type == HT_OQUOTE) {
            doc_node *label = hp_template(p, true);
            if (!label)
                return NULL;
            add_label(p, blk, label, &cap);
        } else if (t->type == HT_IDENT) {
            add_label(p, blk, name_scalar(p, t), &cap);
            hp_next(p);
        } else if (t->type == HT_EQUAL) {
            hp_error(p, t->start, "unexpected '=' after the labels of block '%s'; an attribute is "
                     "written 'name = value' without labels", type);
            return NULL;
        } else if (t->type == HT_NEWLINE) {
            hp_error(p, t->start, "the '{' opening block '%s' must be on the same line as its type "
                     "and labels", type);
            return NULL;
        } else {
            hp_error_found(p, "a quoted block label or '{'");
            return NULL;
        }
    }
    hcl_token open = p->tok;
    if (!hp_enter(p, open.start))
        return NULL;
    hp_next(p);
    doc_node *body = doc_new(p->a, DOC_MAP, p->f, span_of(open.start, open.end));
    hcl_tok_type after_open = p->tok.type;
    bool ok;
    if (after_open == HT_NEWLINE || after_open == HT_EOF || after_open == HT_RBRACE)
        ok = parse_body_items(p, body, false, open.start);
    else
        ok = parse_single_attr_body(p, body, type);
    if (!ok)
        return NULL;
    hp_next(p); /* '}' */
    hp_leave(p);
    body->span.end = p->prev_end;
    blk->span.end = p->prev_end;
    blk->u.block.body = body;
    const hcl_token *t = hp_peek(p);
    if (t->type != HT_NEWLINE && t->type != HT_EOF) {
        hp_error(p, t->start, "expected a newline after the closing '}' of block '%s', found %s",
                 type, hcl_tok_describe(p->a, t));
        return NULL;
    }
    return blk;
}

/* One attribute or block; the lookahead is its name. */
static bool parse_body_item(hcl_parser *p, doc_node *body, hcl_keyset *attrs)
{
    hcl_token name = p->tok;
    hp_next(p);
    const hcl_token *t = hp_peek(p);
    if (t->type == HT_EQUAL) {
        hp_next(p);
        doc_node *value = hp_expr(p);
        if (!value)
            return false;
        t = hp_peek(p);
        if (t->type == HT_COMMA) {
            hp_error(p, t->start, "unexpected ',' after the value of '%.*s': attributes are separated "
                     "by newlines, not commas", (int)name.len, name.text);
            return false;
        }
        if (t->type != HT_NEWLINE && t->type != HT_EOF) {
            hp_error(p, t->start, "expected a newline after the value of '%.*s', found %s",
                     (int)name.len, name.text, hcl_tok_describe(p->a, t));
            return false;
        }
        doc_node *key = name_scalar(p, &name);
        const doc_node *first = hcl_keyset_add(p->a, attrs, body, key);
        if (first)
            hp_warn_duplicate(p, "attribute", key, first);
        doc_map_add(p->a, body, key, value);
        return true;
    }
    if (t->type == HT_OQUOTE || t->type == HT_IDENT || t->type == HT_LBRACE) {
        doc_node *blk = parse_block(p, &name);
        if (!blk)
            return false;
        doc_map_add(p->a, body, name_scalar(p, &name), blk);
        return true;
    }
    if (!p->failed)
        hp_error(p, t->start, "expected '=' or '{' after '%.*s', found %s", (int)name.len, name.text,
                 hcl_tok_describe(p->a, t));
    return false;
}

/* Items of a body until '}' (left as the lookahead) or, at top level, the
 * end of the file. */
static bool parse_body_items(hcl_parser *p, doc_node *body, bool top, src_pos open)
{
    hcl_keyset attrs = {0};
    for (;;) {
        const hcl_token *t = hp_peek(p);
        switch (t->type) {
        case HT_NEWLINE:
            hp_next(p);
            continue;
        case HT_IDENT:
            if (!parse_body_item(p, body, &attrs))
                return false;
            continue;
        case HT_EOF:
            if (p->failed)
                return false;
            if (top)
                return true;
            hp_error(p, t->start, "unclosed '{' opened at line %u, column %u: expected '}' before end "
                     "of file", open.line, open.col);
            return false;
        case HT_RBRACE:
            if (!top)
                return true;
            hp_error(p, t->start, "unexpected '}': no block is open here");
            return false;
        case HT_OQUOTE:
            hp_error(p, t->start, "attribute names must not be quoted; write the name bare "
                     "(name = value), or put quoted keys inside an object (var = { \"key\" = value })");
            return false;
        default:
            hp_error_found(p, "an attribute or block definition");
            return false;
        }
    }
}

bool hcl_parse(arena *a, src_file *f, const parse_limits *lim, doc_node **body, diag_list *diags)
{
    *body = NULL;
    if (!src_check_text(f, diags))
        return false;
    f->comments = NULL;
    f->ncomments = 0;
    hcl_parser p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.f = f;
    p.diags = diags;
    p.nl_sig = true;
    p.max_depth = lim ? lim->max_depth : parse_limits_default().max_depth;
    if (p.max_depth > HCL_HARD_MAX_DEPTH)
        p.max_depth = HCL_HARD_MAX_DEPTH;
    sb_init(&p.sb);
    hcl_lex_init(&p.lx, a, f);
    src_pos origin = hcl_lex_pos(&p.lx);
    hp_scan(&p);
    doc_node *root = doc_new(a, DOC_MAP, f, src_span_of(f, 0, f->len));
    bool ok = parse_body_items(&p, root, true, origin) && !p.failed;
    sb_free(&p.sb);
    if (!ok)
        return false;
    *body = root;
    return true;
}
