/* doc.c - document tree construction and lookup; see doc.h. */
#include "doc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* doc.h lays a node out in five 16-byte arena units; keep it there. */
_Static_assert(sizeof(void *) != 8 || sizeof(doc_node) == 80, "doc_node grew past 80 bytes");

/* Nodes are set whole (the rest zero) in place of a zero-filled allocation:
 * cheaper than clearing the 80 bytes first. */
doc_node *doc_new(arena *a, doc_kind kind, const src_file *f, src_span span)
{
    doc_node *n = arena_alloc_uninit(a, sizeof *n);
    *n = (doc_node){.kind = kind, .file = f, .span = span};
    return n;
}

/* A scalar node whose text (len bytes and a NUL, not yet written) follows
 * it in the same allocation, which the arena rounds up to whole 16-byte
 * units: one allocation per scalar, the text on the node's cache lines, and
 * room to copy short texts in 16-byte chunks. */
static inline doc_node *scalar_node(arena *a, const src_file *f, src_span span, scalar_type type,
                                    scalar_style style, size_t len)
{
    doc_node *n = arena_alloc_uninit(a, sizeof *n + len + 1);
    *n = (doc_node){.kind = DOC_SCALAR, .file = f, .span = span,
                    .u.scalar = {.type = type, .style = style, .len = (uint32_t)len,
                                 .text = (const char *)(n + 1)}};
    return n;
}

doc_node *doc_new_scalar(arena *a, const src_file *f, src_span span, scalar_type type,
                         scalar_style style, const char *text, size_t len)
{
    doc_node *n = scalar_node(a, f, span, type, style, len);
    char *t = (char *)(n + 1);
    memcpy(t, text, len);
    t[len] = '\0';
    return n;
}

/* Texts up to this long are copied 16 bytes at a time without a memcpy
 * call (whose branches on the length mispredict for short copies). */
#define CHUNKED_COPY_MAX 64

doc_node *doc_new_scalar_padded(arena *a, const src_file *f, src_span span, scalar_style style,
                                const char *text, size_t len)
{
    if (len >= CHUNKED_COPY_MAX)
        return doc_new_scalar(a, f, span, SCALAR_STR, style, text, len);
    doc_node *n = scalar_node(a, f, span, SCALAR_STR, style, len);
    char *t = (char *)(n + 1);
    /* whole chunks up to the one holding the NUL: inside the rounded
     * allocation, and inside text's readable len + 16 bytes */
    size_t i = 0;
    do {
        memcpy(t + i, text + i, 16);
        i += 16;
    } while (i <= len);
    t[len] = '\0';
    return n;
}

doc_node *doc_new_str(arena *a, const src_file *f, src_span span, const char *text)
{
    return doc_new_scalar(a, f, span, SCALAR_STR, STYLE_DOUBLE_QUOTED, text, strlen(text));
}

/* v in decimal (what "%lld" prints), written to the end of buf[24];
 * returns where the text starts. */
static char *int_text(char buf[24], int64_t v)
{
    char *p = buf + 24;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

doc_node *doc_new_int(arena *a, const src_file *f, src_span span, int64_t v)
{
    char buf[24];
    char *t = int_text(buf, v);
    doc_node *n = doc_new_scalar(a, f, span, SCALAR_INT, STYLE_PLAIN, t,
                                 (size_t)(buf + sizeof buf - t));
    n->u.scalar.i = v;
    n->u.scalar.f = (double)v;
    return n;
}

/* The text is one of two constants, shared rather than copied. */
doc_node *doc_new_bool(arena *a, const src_file *f, src_span span, bool v)
{
    doc_node *n = arena_alloc_uninit(a, sizeof *n);
    *n = (doc_node){.kind = DOC_SCALAR, .file = f, .span = span,
                    .u.scalar = {.type = SCALAR_BOOL, .style = STYLE_PLAIN, .b = v,
                                 .text = v ? "true" : "false", .len = v ? 4 : 5}};
    return n;
}

void doc_map_add_pair(arena *a, doc_node *map, doc_pair p)
{
    if (map->u.map.count == map->u.map.cap) {
        size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
        map->u.map.pairs = arena_grow(a, map->u.map.pairs, map->u.map.cap * sizeof(doc_pair),
                                      cap * sizeof(doc_pair));
        map->u.map.cap = cap;
    }
    map->u.map.pairs[map->u.map.count++] = p;
}

void doc_map_add(arena *a, doc_node *map, doc_node *key, doc_node *value)
{
    doc_map_add_pair(a, map, doc_pair_of(key, value));
}

void doc_map_setn(arena *a, doc_node *map, const char *key, size_t len, doc_node *value)
{
    doc_node *k = doc_new_scalar(a, value->file, value->span, SCALAR_STR, STYLE_PLAIN, key, len);
    doc_map_add(a, map, k, value);
}

void doc_map_set(arena *a, doc_node *map, const char *key, doc_node *value)
{
    doc_map_setn(a, map, key, strlen(key), value);
}

void doc_seq_add(arena *a, doc_node *seq, doc_node *item)
{
    if (seq->u.seq.count == seq->u.seq.cap) {
        size_t cap = seq->u.seq.cap ? seq->u.seq.cap * 2 : 4;
        seq->u.seq.items = arena_grow(a, seq->u.seq.items, seq->u.seq.cap * sizeof(doc_node *),
                                      cap * sizeof(doc_node *));
        seq->u.seq.cap = cap;
    }
    seq->u.seq.items[seq->u.seq.count++] = item;
}

const doc_pair *doc_get_pairn(const doc_node *map, const char *key, size_t klen)
{
    return doc_get_pair_sig(map, key, klen, doc_text_sig(key, klen));
}

doc_node *doc_path(const doc_node *node, const char *dotted)
{
    const char *s = dotted;
    doc_node *cur = (doc_node *)node;
    while (cur && *s) {
        size_t n = 0;
        while (s[n] && s[n] != '.')
            n++;
        if (n >= 256) /* no key is looked up past this length */
            return NULL;
        const doc_pair *p = doc_get_pairn(cur, s, n);
        cur = p ? p->value : NULL;
        s += n;
        if (*s == '.')
            s++;
    }
    return cur;
}

const char *doc_str(const doc_node *node)
{
    return node && node->kind == DOC_SCALAR ? node->u.scalar.text : NULL;
}

bool doc_str_eq(const doc_node *node, const char *s)
{
    const char *t = doc_str(node);
    return t && strcmp(t, s) == 0;
}

bool doc_is_true(const doc_node *node)
{
    if (!node || node->kind != DOC_SCALAR)
        return false;
    if (node->u.scalar.type == SCALAR_BOOL)
        return node->u.scalar.b;
    const char *t = node->u.scalar.text;
    return strcasecmp(t, "true") == 0 || strcasecmp(t, "yes") == 0 || strcasecmp(t, "on") == 0;
}

bool doc_int(const doc_node *node, int64_t *out)
{
    if (!node || node->kind != DOC_SCALAR)
        return false;
    if (node->u.scalar.type == SCALAR_INT) {
        *out = node->u.scalar.i;
        return true;
    }
    if (node->u.scalar.type == SCALAR_FLOAT) {
        double f = node->u.scalar.f;
        if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0) || f != (double)(int64_t)f)
            return false;
        *out = (int64_t)f;
        return true;
    }
    if (node->u.scalar.type != SCALAR_STR || !node->u.scalar.len)
        return false;
    const char *t = node->u.scalar.text;
    char *end;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (errno || *end || end == t)
        return false;
    *out = v;
    return true;
}

size_t doc_count_blocks(const doc_node *body, const char *type)
{
    if (!body || body->kind != DOC_MAP)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < body->u.map.count; i++) {
        const doc_node *v = body->u.map.pairs[i].value;
        if (v && v->kind == DOC_BLOCK && (!type || strcmp(v->u.block.type, type) == 0))
            n++;
    }
    return n;
}

const char *doc_raw(const doc_node *node, size_t *len)
{
    *len = node->span.end.offset - node->span.start.offset;
    return node->file->data + node->span.start.offset;
}

const char *doc_kind_name(doc_kind k)
{
    static const char *names[] = {"mapping", "sequence", "scalar", "block", "expression"};
    return names[k];
}

const char *scalar_type_name(scalar_type t)
{
    static const char *names[] = {"string", "int", "float", "bool", "null"};
    return names[t];
}

const char *scalar_style_name(scalar_style s)
{
    static const char *names[] = {"plain", "single-quoted", "double-quoted", "literal", "folded",
                                  "heredoc"};
    return names[s];
}

const char *expr_kind_name(expr_kind k)
{
    static const char *names[] = {"template", "reference", "call", "operator", "conditional",
                                  "for", "splat", "index", "paren"};
    return names[k];
}

static bool is_digit_of(char c, int base)
{
    if (base == 16)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    return c >= '0' && c < '0' + base;
}

/* Non-empty, and only digits of the base (and '_', which callers reject). */
static bool all_digits(const char *s, int base)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s != '_' && !is_digit_of(*s, base))
            return false;
    return true;
}

/* The decimal digits d, negated when neg, as an int64 (what strtoll reads);
 * false when outside its range. */
static bool decimal_int64(const char *d, bool neg, int64_t *out)
{
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; *d; d++) {
        unsigned digit = (unsigned)(*d - '0');
        if (v > (limit - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *out = !neg ? (int64_t)v : v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    return true;
}

/* True when t is the lowercase word in one of the casings YAML accepts:
 * word, Word or WORD. */
static bool in_yaml_casing(const char *t, const char *word)
{
    if (t[0] == word[0])
        return !strcmp(t + 1, word + 1);
    if (t[0] != word[0] - 'a' + 'A')
        return false;
    if (!strcmp(t + 1, word + 1))
        return true;
    size_t i = 1;
    for (; word[i]; i++)
        if (t[i] != word[i] - 'a' + 'A')
            return false;
    return t[i] == '\0';
}

/* Types the null and bool spellings; false when t (len bytes) is neither.
 * Every word spelling is four or five bytes long, so most words are ruled
 * out by their length. */
static bool infer_keyword(doc_node *n, const char *t, size_t len)
{
    if (len > 5 || (len > 1 && len < 4))
        return false;
    switch (t[0]) {
    case '\0':
        n->u.scalar.type = SCALAR_NULL;
        return true;
    case '~':
        if (t[1])
            return false;
        n->u.scalar.type = SCALAR_NULL;
        return true;
    case 'n':
    case 'N':
        if (!in_yaml_casing(t, "null"))
            return false;
        n->u.scalar.type = SCALAR_NULL;
        return true;
    case 't':
    case 'T':
    case 'f':
    case 'F': {
        bool v = t[0] == 't' || t[0] == 'T';
        if (!in_yaml_casing(t, v ? "true" : "false"))
            return false;
        n->u.scalar.type = SCALAR_BOOL;
        n->u.scalar.b = v;
        return true;
    }
    default:
        return false;
    }
}

void doc_scalar_infer(doc_node *n)
{
    if (n->kind != DOC_SCALAR || n->u.scalar.style != STYLE_PLAIN)
        return;
    const char *t = n->u.scalar.text;
    if (infer_keyword(n, t, n->u.scalar.len))
        return;
    const char *d = t;
    if (*d == '-' || *d == '+')
        d++;
    if (!(*d >= '0' && *d <= '9') && *d != '.')
        return; /* every number starts with a digit or '.' */
    errno = 0;
    if (d[0] == '0' && (d[1] == 'x' || d[1] == 'o') && d[2]) {
        int base = d[1] == 'x' ? 16 : 8;
        if (!all_digits(d + 2, base) || strchr(d, '_'))
            return;
        long long v = strtoll(d + 2, NULL, base);
        if (errno)
            return;
        n->u.scalar.type = SCALAR_INT;
        n->u.scalar.i = *t == '-' ? -v : v;
        n->u.scalar.f = (double)n->u.scalar.i;
        return;
    }
    /* the leading digits, read once for both int and float */
    const char *p = d;
    while (*p >= '0' && *p <= '9')
        p++;
    size_t digits = (size_t)(p - d);
    if (!*p && digits) {
        int64_t v;
        if (!decimal_int64(d, *t == '-', &v))
            return; /* out of range: keep as string */
        n->u.scalar.type = SCALAR_INT;
        n->u.scalar.i = v;
        n->u.scalar.f = (double)v;
        return;
    }
    if (d[0] == '.' && in_yaml_casing(d + 1, "inf")) {
        n->u.scalar.type = SCALAR_FLOAT;
        n->u.scalar.f = *t == '-' ? -INFINITY : INFINITY;
        return;
    }
    if (t[0] == '.' && (!strcmp(t, ".nan") || !strcmp(t, ".NaN") || !strcmp(t, ".NAN"))) {
        n->u.scalar.type = SCALAR_FLOAT;
        n->u.scalar.f = NAN;
        return;
    }
    /* float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?,
     * on from the leading digits */
    bool dot = false;
    if (*p == '.') {
        dot = true;
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (!digits)
        return;
    bool expo = false;
    if (*p == 'e' || *p == 'E') {
        expo = true;
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p || (!dot && !expo))
        return;
    n->u.scalar.type = SCALAR_FLOAT;
    double f = strtod(t, NULL);
    n->u.scalar.f = f;
    /* integral and inside int64: also readable as an integer */
    if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 && f == (double)(int64_t)f)
        n->u.scalar.i = (int64_t)f;
}
