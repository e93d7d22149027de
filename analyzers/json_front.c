/* json_front.c - JSON (RFC 8259) bytes -> one doc tree with exact spans.
 *
 * Guarantees (beyond analyzers/frontend.h):
 * - objects -> DOC_MAP whose keys are SCALAR_STR double-quoted scalars,
 *   arrays -> DOC_SEQ, strings -> SCALAR_STR with every escape decoded
 *   (\uXXXX and surrogate pairs to UTF-8; a lone surrogate is an error),
 *   numbers -> SCALAR_INT when integral and within int64, else SCALAR_FLOAT
 *   (text kept as written), true/false -> SCALAR_BOOL, null -> SCALAR_NULL
 *   (the text of literals, too, is kept as written).
 * - Spans: a string includes its quotes, a number or literal its characters,
 *   an object/array runs from its opening to its closing bracket inclusive.
 * - Duplicate keys: warning at the later key, the later value is kept and the
 *   earlier pair removed (map_keys.h).
 * - Errors name the exact position: trailing commas, missing ',' or ':',
 *   unquoted or single-quoted keys, comments, control characters and line
 *   breaks in strings, bad escapes, invalid UTF-8 in strings, leading zeros,
 *   unterminated strings (at the opening quote), unclosed objects/arrays,
 *   anything after the top-level value, an empty input.
 * - Nesting is handled with an explicit stack (no recursion), so
 *   lim->max_depth (checked at the bracket that is one level too deep) and
 *   lim->max_nodes are the only bounds. A leading UTF-8 BOM is skipped. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/frontend.h"
#include "analyzers/map_keys.h"
#include "analyzers/pos_cursor.h"
#include "core/strbuf.h"

typedef struct json_frame {
    doc_node *node;
    doc_node *key; /* object: key of the member being read */
} json_frame;

typedef struct json_ctx {
    arena *a;
    src_file *f;
    const parse_limits *lim;
    diag_list *diags;
    const char *s;
    size_t len;
    size_t pos;
    pos_cursor cur;
    json_frame *stack;
    size_t depth;
    size_t cap;
    size_t nodes;
    strbuf buf; /* decoding strings with escapes */
} json_ctx;

static void error_at(json_ctx *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(json_ctx *c, size_t off, const char *fmt, ...)
{
    src_pos p = src_pos_at(c->f, off);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->diags, DIAG_ERROR, c->f->path, p.line, p.col, fmt, ap);
    va_end(ap);
}

/* "'x'", "end of file" or "byte 0xC3" for messages. */
static const char *describe(const json_ctx *c, size_t off, char *buf, size_t size)
{
    if (off >= c->len)
        return "end of file";
    unsigned char ch = (unsigned char)c->s[off];
    if (ch >= 0x20 && ch < 0x7F)
        snprintf(buf, size, "'%c'", ch);
    else
        snprintf(buf, size, "byte 0x%02X", ch);
    return buf;
}

static void skip_ws(json_ctx *c)
{
    while (c->pos < c->len) {
        char ch = c->s[c->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            return;
        c->pos++;
    }
}

static src_span span_of(json_ctx *c, size_t start, size_t end)
{
    src_span sp;
    sp.start = pos_cursor_at_byte(&c->cur, start);
    sp.end = pos_cursor_at_byte(&c->cur, end);
    return sp;
}

static bool count_node(json_ctx *c, size_t at)
{
    if (++c->nodes <= c->lim->max_nodes)
        return true;
    error_at(c, at, "document has more than %zu nodes (--max-nodes)", c->lim->max_nodes);
    return false;
}

static void put_utf8(strbuf *b, unsigned cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sb_addn(b, out, n);
}

/* The 4 hex digits after the "\\u" at bs, if they are there. */
static bool hex4_at(const json_ctx *c, size_t bs, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = bs + 2; i < bs + 6; i++) {
        char ch = i < c->len ? c->s[i] : '\0';
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0)
            return false;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return true;
}

/* Decodes the escape whose backslash is at c->pos into c->buf. */
static bool read_escape(json_ctx *c)
{
    size_t bs = c->pos;
    char e = bs + 1 < c->len ? c->s[bs + 1] : '\0';
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    const char *hit = e ? strchr(from, e) : NULL;
    if (hit) {
        sb_addc(&c->buf, to[hit - from]);
        c->pos += 2;
        return true;
    }
    if (e != 'u') {
        char what[16];
        error_at(c, bs, "invalid escape in string: backslash followed by %s (valid: \\\" \\\\ \\/ "
                        "\\b \\f \\n \\r \\t \\uXXXX)",
                 describe(c, bs + 1, what, sizeof what));
        return false;
    }
    unsigned cp;
    if (!hex4_at(c, bs, &cp)) {
        error_at(c, bs, "invalid \\u escape in string: expected 4 hex digits after \\u");
        return false;
    }
    c->pos += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        error_at(c, bs, "lone surrogate \\u%04X in string (a low surrogate without a high one)",
                 cp);
        return false;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned lo;
        if (c->pos + 1 >= c->len || c->s[c->pos] != '\\' || c->s[c->pos + 1] != 'u' ||
            !hex4_at(c, c->pos, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
            error_at(c, bs,
                     "lone surrogate \\u%04X in string (a high surrogate must be followed by "
                     "a low surrogate \\uDC00-\\uDFFF)",
                     cp);
            return false;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        c->pos += 6;
    }
    put_utf8(&c->buf, cp);
    return true;
}

/* Reads the string whose opening quote is at c->pos; c->pos ends after the
 * closing quote. The decoded text is arena-allocated. */
static bool read_string(json_ctx *c, const char **text, size_t *len)
{
    size_t open = c->pos;
    const unsigned char *s = (const unsigned char *)c->s;
    const unsigned char *end = s + c->len;
    size_t run = open + 1; /* start of the bytes not yet copied */
    bool escaped = false;
    c->pos++;
    for (;;) {
        if (c->pos >= c->len) {
            src_pos p = src_pos_at(c->f, open);
            error_at(c, open, "unterminated string starting at line %u", p.line);
            return false;
        }
        unsigned char ch = s[c->pos];
        if (ch == '"')
            break;
        if (ch == '\\') {
            if (!escaped) {
                sb_reset(&c->buf);
                escaped = true;
            }
            sb_addn(&c->buf, c->s + run, c->pos - run);
            if (!read_escape(c))
                return false;
            run = c->pos;
        } else if (ch < 0x20) {
            if (ch == '\n' || ch == '\r')
                error_at(c, c->pos,
                         "line break inside a string; escape it as \\n (or is the closing quote "
                         "missing?)");
            else
                error_at(c, c->pos,
                         "control character U+%04X inside a string must be escaped (\\u%04X)", ch,
                         ch);
            return false;
        } else if (ch < 0x80) {
            c->pos++;
        } else {
            size_t n = src_utf8_len(s + c->pos, end);
            if (!n) {
                error_at(c, c->pos, "invalid UTF-8 in string (byte 0x%02X)", ch);
                return false;
            }
            c->pos += n;
        }
    }
    if (escaped) {
        sb_addn(&c->buf, c->s + run, c->pos - run);
        *text = c->buf.buf;
        *len = c->buf.len;
    } else {
        *text = c->s + open + 1;
        *len = c->pos - open - 1;
    }
    c->pos++; /* closing quote */
    return true;
}

static doc_node *parse_string_node(json_ctx *c)
{
    size_t start = c->pos;
    const char *text;
    size_t len;
    if (!count_node(c, start) || !read_string(c, &text, &len))
        return NULL;
    return doc_new_scalar(c->a, c->f, span_of(c, start, c->pos), SCALAR_STR,
                          STYLE_DOUBLE_QUOTED, text, len);
}

static bool is_digit(const json_ctx *c, size_t i)
{
    return i < c->len && c->s[i] >= '0' && c->s[i] <= '9';
}

static doc_node *parse_number(json_ctx *c)
{
    size_t start = c->pos, p = start;
    bool integral = true;
    if (c->s[p] == '-')
        p++;
    if (!is_digit(c, p)) {
        error_at(c, p, "invalid number: expected a digit after '-'");
        return NULL;
    }
    if (c->s[p] == '0') {
        p++;
        if (is_digit(c, p)) {
            error_at(c, start, "invalid number: leading zeros are not allowed in JSON");
            return NULL;
        }
    } else {
        while (is_digit(c, p))
            p++;
    }
    if (p < c->len && c->s[p] == '.') {
        p++;
        integral = false;
        if (!is_digit(c, p)) {
            error_at(c, p, "invalid number: expected a digit after '.'");
            return NULL;
        }
        while (is_digit(c, p))
            p++;
    }
    if (p < c->len && (c->s[p] == 'e' || c->s[p] == 'E')) {
        p++;
        integral = false;
        if (p < c->len && (c->s[p] == '+' || c->s[p] == '-'))
            p++;
        if (!is_digit(c, p)) {
            error_at(c, p, "invalid number: expected a digit in the exponent");
            return NULL;
        }
        while (is_digit(c, p))
            p++;
    }
    if (!count_node(c, start))
        return NULL;
    c->pos = p;
    doc_node *n = doc_new_scalar(c->a, c->f, span_of(c, start, p), SCALAR_FLOAT, STYLE_PLAIN,
                                 c->s + start, p - start);
    const char *text = n->u.scalar.text;
    if (integral) {
        errno = 0;
        long long v = strtoll(text, NULL, 10);
        if (errno == 0) {
            n->u.scalar.type = SCALAR_INT;
            n->u.scalar.i = v;
            n->u.scalar.f = (double)v;
            return n;
        }
    }
    double f = strtod(text, NULL);
    n->u.scalar.f = f;
    if (isfinite(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0 &&
        f == (double)(int64_t)f)
        n->u.scalar.i = (int64_t)f;
    return n;
}

static bool is_word_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

/* true / false / null, or an error naming the word that was found. */
static doc_node *parse_literal(json_ctx *c)
{
    size_t start = c->pos, p = start;
    while (p < c->len && is_word_char(c->s[p]))
        p++;
    size_t n = p - start;
    const char *w = c->s + start;
    scalar_type type;
    bool b = false;
    if (n == 4 && !memcmp(w, "true", 4)) {
        type = SCALAR_BOOL;
        b = true;
    } else if (n == 5 && !memcmp(w, "false", 5)) {
        type = SCALAR_BOOL;
    } else if (n == 4 && !memcmp(w, "null", 4)) {
        type = SCALAR_NULL;
    } else {
        int shown = n > 40 ? 40 : (int)n;
        error_at(c, start,
                 "invalid value '%.*s'; expected a string in double quotes, a number, true, "
                 "false, null, an object or an array",
                 shown, w);
        return NULL;
    }
    if (!count_node(c, start))
        return NULL;
    c->pos = p;
    /* the text stays as written ("null"), as the YAML front-end keeps it */
    doc_node *node = doc_new_scalar(c->a, c->f, span_of(c, start, p), type, STYLE_PLAIN, w, n);
    node->u.scalar.b = b;
    return node;
}

/* Error for a character that cannot start a value. */
static void bad_value_start(json_ctx *c)
{
    char what[16];
    size_t at = c->pos;
    if (at >= c->len)
        error_at(c, at, "unexpected end of file; expected a value");
    else if (c->s[at] == '/')
        error_at(c, at, "comments are not allowed in JSON");
    else if (c->s[at] == '\'')
        error_at(c, at, "single-quoted strings are not valid JSON; use double quotes");
    else
        error_at(c, at, "expected a value, found %s", describe(c, at, what, sizeof what));
}

/* Reads `"key" :` of an object member into fr->key. */
static bool parse_member_key(json_ctx *c, json_frame *fr)
{
    char what[16];
    if (c->pos >= c->len || c->s[c->pos] != '"') {
        if (c->pos < c->len && c->s[c->pos] == '/')
            error_at(c, c->pos, "comments are not allowed in JSON");
        else if (c->pos < c->len && c->s[c->pos] == '\'')
            error_at(c, c->pos, "object keys must be in double quotes, not single quotes");
        else
            error_at(c, c->pos, "expected an object key in double quotes, found %s",
                     describe(c, c->pos, what, sizeof what));
        return false;
    }
    doc_node *key = parse_string_node(c);
    if (!key)
        return false;
    skip_ws(c);
    if (c->pos >= c->len || c->s[c->pos] != ':') {
        int shown = key->u.scalar.len > 40 ? 40 : (int)key->u.scalar.len;
        error_at(c, c->pos, "expected ':' after object key \"%.*s\", found %s", shown,
                 key->u.scalar.text, describe(c, c->pos, what, sizeof what));
        return false;
    }
    c->pos++;
    skip_ws(c);
    fr->key = key;
    return true;
}

/* Opens an object or array at c->pos. *done is set with the node when it is
 * empty ({} / []) and therefore already complete. */
static bool open_container(json_ctx *c, doc_node **done)
{
    size_t at = c->pos;
    bool obj = c->s[at] == '{';
    if (c->depth >= c->lim->max_depth) {
        error_at(c, at, "nesting deeper than %zu levels (--max-depth)", c->lim->max_depth);
        return false;
    }
    if (!count_node(c, at))
        return false;
    src_span sp = span_of(c, at, at + 1);
    doc_node *n = doc_new(c->a, obj ? DOC_MAP : DOC_SEQ, c->f, sp);
    c->pos++;
    skip_ws(c);
    if (c->pos < c->len && c->s[c->pos] == (obj ? '}' : ']')) {
        c->pos++;
        n->span.end = pos_cursor_at_byte(&c->cur, c->pos);
        *done = n;
        return true;
    }
    if (c->depth == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->stack = xrealloc(c->stack, c->cap * sizeof *c->stack);
    }
    json_frame *fr = &c->stack[c->depth++];
    fr->node = n;
    fr->key = NULL;
    *done = NULL;
    return !obj || parse_member_key(c, fr);
}

/* Parses one value at c->pos (whitespace skipped). Returns the complete
 * node, or NULL with *opened set when a container was opened, or NULL with
 * *opened clear on error. */
static doc_node *parse_value(json_ctx *c, bool *opened)
{
    *opened = false;
    char ch = c->pos < c->len ? c->s[c->pos] : '\0';
    if (ch == '{' || ch == '[') {
        doc_node *done;
        if (!open_container(c, &done))
            return NULL;
        *opened = done == NULL;
        return done;
    }
    if (ch == '"')
        return parse_string_node(c);
    if (ch == '-' || (ch >= '0' && ch <= '9'))
        return parse_number(c);
    if (is_word_char(ch))
        return parse_literal(c);
    bad_value_start(c);
    return NULL;
}

/* After value v is complete: attach it and read separators / closing
 * brackets. Returns 1 when another value is expected at c->pos, 0 when the
 * top-level value is complete (*root set), -1 on error. */
static int complete_value(json_ctx *c, doc_node *v, doc_node **root)
{
    char what[16];
    for (;;) {
        if (c->depth == 0) {
            *root = v;
            return 0;
        }
        json_frame *fr = &c->stack[c->depth - 1];
        bool obj = fr->node->kind == DOC_MAP;
        if (obj)
            doc_map_add(c->a, fr->node, fr->key, v);
        else
            doc_seq_add(c->a, fr->node, v);
        fr->key = NULL;
        skip_ws(c);
        char close = obj ? '}' : ']';
        char ch = c->pos < c->len ? c->s[c->pos] : '\0';
        if (c->pos < c->len && ch == ',') {
            size_t comma = c->pos++;
            skip_ws(c);
            if (c->pos < c->len && (c->s[c->pos] == '}' || c->s[c->pos] == ']')) {
                error_at(c, comma, "trailing comma before '%c' is not allowed in JSON",
                         c->s[c->pos]);
                return -1;
            }
            if (obj && !parse_member_key(c, fr))
                return -1;
            return 1;
        }
        if (c->pos < c->len && ch == close) {
            c->pos++;
            fr->node->span.end = pos_cursor_at_byte(&c->cur, c->pos);
            if (obj)
                map_dedupe_keys(fr->node, NULL, c->diags);
            v = fr->node;
            c->depth--;
            continue;
        }
        const char *kind = obj ? "object" : "array";
        if (c->pos >= c->len)
            error_at(c, c->pos,
                     "unexpected end of file: the %s starting at line %u, column %u is not "
                     "closed with '%c'",
                     kind, fr->node->span.start.line, fr->node->span.start.col, close);
        else
            error_at(c, c->pos, "expected ',' or '%c' after %s %s, found %s", close,
                     obj ? "a member of the" : "an item of the", kind,
                     describe(c, c->pos, what, sizeof what));
        return -1;
    }
}

bool json_parse(arena *a, src_file *f, const parse_limits *lim, doc_node **root,
                diag_list *diags)
{
    json_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.f = f;
    c.lim = lim;
    c.diags = diags;
    c.s = f->data;
    c.len = f->len;
    pos_cursor_init(&c.cur, f);
    sb_init(&c.buf);
    *root = NULL;

    if (c.len >= 3 && memcmp(c.s, "\xEF\xBB\xBF", 3) == 0)
        c.pos = 3;
    skip_ws(&c);
    bool ok = false;
    if (c.pos >= c.len) {
        error_at(&c, c.pos, "empty input; expected a JSON value");
    } else {
        doc_node *result = NULL;
        for (;;) {
            bool opened;
            doc_node *v = parse_value(&c, &opened);
            if (opened)
                continue;
            if (!v)
                break;
            int next = complete_value(&c, v, &result);
            if (next < 0)
                break;
            if (next == 0) {
                skip_ws(&c);
                char what[16];
                if (c.pos < c.len)
                    error_at(&c, c.pos,
                             "unexpected %s after the JSON value; only one top-level value is "
                             "allowed",
                             describe(&c, c.pos, what, sizeof what));
                else
                    ok = true;
                break;
            }
        }
        if (ok)
            *root = result;
    }
    free(c.stack);
    sb_free(&c.buf);
    return ok;
}
