/* yaml_front.c - YAML bytes -> doc trees, driven by libyaml events.
 *
 * Guarantees (beyond analyzers/frontend.h):
 * - Spans: a scalar spans its text including quotes, tag and anchor (a block
 *   scalar from its indicator to the end of its last non-blank line); a flow
 *   collection spans from its properties/opening bracket to the closing
 *   bracket; a block collection from its first character to the end of its
 *   last entry (trailing blank lines and comments are not part of it). An
 *   empty document's null scalar sits, zero-width, at the end of its "---".
 * - Tags are stored as libyaml resolves them: "!!str" becomes
 *   "tag:yaml.org,2002:str", local tags stay as written ("!Ref"). Only plain
 *   scalars are typed (doc_scalar_infer); a plain scalar tagged !!str or "!"
 *   stays a string.
 * - dollar_free is set on every node whose subtree as parsed (keys, values,
 *   aliased, merged and dropped duplicate pairs included) holds no '$' in a
 *   scalar's decoded text, and never on one that does.
 * - Aliases return the anchored node itself (nodes are shared). Anchors are
 *   per document. An alias to an unknown anchor, or to a collection that
 *   contains the alias, is an error.
 * - Duplicate keys and merge keys: see yaml_merge.c. A duplicate key's earlier
 *   pair is removed from the mapping; merged pairs keep their source spans.
 * - Limits: nesting deeper than lim->max_depth fails at the opening of the
 *   collection that is too deep; more than lim->max_nodes nodes in one
 *   document (aliases counted at their expanded size, never materialized)
 *   fails at the node that crossed the limit. Both stop the parse at once.
 * - Positions are exact for UTF-8, CRLF, lone CR and a BOM. They take the
 *   line and column of libyaml's marks when its lines are src_file's
 *   (lf_breaks), else they come from its character index through a
 *   pos_cursor; either way they cost O(bytes) per file. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/frontend.h"
#include "analyzers/yaml_internal.h"

#define TAG_STR "tag:yaml.org,2002:str"

void yaml_error_at(yaml_ctx *ctx, src_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(ctx->diags, DIAG_ERROR, ctx->f->path, pos.line, pos.col, fmt, ap);
    va_end(ap);
}

/* mark_pos() for the marks the run map does not cover. */
static src_pos rare_mark_pos(yaml_ctx *ctx, const yaml_mark_t *m)
{
    const src_file *f = ctx->f;
    if (f->plain_ascii && m->index <= f->len) {
        /* libyaml's end-of-stream mark on a line after the last one, kept
         * as libyaml counts it: one byte per character */
        src_pos p = {.offset = (uint32_t)m->index, .line = (uint32_t)m->line + 1,
                     .col = (uint32_t)m->column + 1};
        return p;
    }
    if (!f->lf_breaks)
        return pos_cursor_at_char(&ctx->cur, m->index);
    /* libyaml moves its end-of-stream mark to a line after the last one */
    return src_pos_at(f, f->len);
}

static inline src_pos mark_pos(yaml_ctx *ctx, const yaml_mark_t *m)
{
    if (m->line < ctx->mark_lines)
        return pos_cursor_at_mark(&ctx->cur, m->index, (uint32_t)m->line, (uint32_t)m->column);
    return rare_mark_pos(ctx, m);
}

/* How far next_byte looks ahead: far enough that scalars rarely cross the
 * end, near enough that the bytes are still in cache when libyaml reads them. */
#define SEEK_WINDOW 2048

/* Offset of the first byte c at or after from in f, or an offset where the
 * search stopped without one (f->len, or SEEK_WINDOW bytes on): no c lies
 * between from and the answer. Scalars come in file order and the bytes
 * looked for ('#', '$') are rare, so the answer is usually the one s
 * remembers. */
static inline size_t next_byte(const src_file *f, yaml_byte_seek *s, char c, size_t from)
{
    if (from < s->from || from > s->at) {
        size_t n = from < f->len ? f->len - from : 0;
        if (n > SEEK_WINDOW)
            n = SEEK_WINDOW;
        const char *h = n ? memchr(f->data + from, c, n) : NULL;
        s->from = from;
        s->at = h ? (size_t)(h - f->data) : from + n;
    }
    return s->at;
}

static void push_scalar_range(yaml_ctx *ctx, size_t start, size_t end)
{
    if (ctx->nscalars == ctx->scalars_cap) {
        ctx->scalars_cap = ctx->scalars_cap ? ctx->scalars_cap * 2 : 64;
        ctx->scalars = xrealloc(ctx->scalars, ctx->scalars_cap * sizeof *ctx->scalars);
    }
    ctx->scalars[ctx->nscalars].start = start;
    ctx->scalars[ctx->nscalars].end = end;
    ctx->nscalars++;
}

/* Remembers where a scalar's text lies, for comment recovery. Only ranges
 * that contain a '#' can matter, so only those (and a few that next_byte
 * cannot rule out) are kept. */
static inline void remember_scalar_range(yaml_ctx *ctx, size_t start, size_t end)
{
    if (end > start && next_byte(ctx->f, &ctx->hash, '#', start) < end)
        push_scalar_range(ctx, start, end);
}

/* Counts n more nodes for the current document; false once over the limit. */
static bool count_nodes(yaml_ctx *ctx, size_t n, src_pos at)
{
    ctx->doc_nodes += n;
    if (ctx->doc_nodes <= ctx->lim->max_nodes)
        return true;
    if (ctx->doc_used_alias)
        yaml_error_at(ctx, at,
                      "document expands to more than %zu nodes through aliases (--max-nodes); "
                      "possible alias bomb",
                      ctx->lim->max_nodes);
    else
        yaml_error_at(ctx, at, "document has more than %zu nodes (--max-nodes)",
                      ctx->lim->max_nodes);
    return false;
}

/* Registers an anchor defined on node (which may still be open). */
static yaml_anchor *define_anchor(yaml_ctx *ctx, const yaml_char_t *name, doc_node *node,
                                  bool complete)
{
    yaml_anchor *an = arena_alloc(ctx->a, sizeof *an);
    an->node = node;
    an->size = 1;
    an->complete = complete;
    const char *key = arena_strdup(ctx->a, (const char *)name);
    name_table_put(&ctx->anchors, key, strlen(key), (uintptr_t)an);
    return an;
}

/* Hands a finished node (of the given expanded size, whose text ends at end)
 * to the open collection, or makes it the document root. Children wait in
 * one shared array so each collection gets an exactly sized array at its end. */
static inline void attach(yaml_ctx *ctx, doc_node *node, size_t size, src_pos end)
{
    if (ctx->depth == 0) {
        ctx->root = node;
        return;
    }
    yaml_frame *fr = &ctx->stack[ctx->depth - 1];
    fr->size += size;
    fr->last_end = end;
    fr->dollar |= !node->dollar_free;
    if (ctx->nchildren == ctx->children_cap) {
        ctx->children_cap = ctx->children_cap ? ctx->children_cap * 2 : 256;
        ctx->children = xrealloc(ctx->children, ctx->children_cap * sizeof *ctx->children);
    }
    ctx->children[ctx->nchildren++] = node;
}

/* doc_key_sig of a mapping key. libyaml refuses NUL characters in its
 * input, so only escapes in double quotes put a NUL byte in scalar text:
 * other scalars skip the check. */
static inline uint64_t key_sig(const doc_node *key)
{
    if (key->kind == DOC_SCALAR && key->u.scalar.style != STYLE_DOUBLE_QUOTED)
        return doc_key_sig_nul_free(key);
    return doc_key_sig(key);
}

/* Moves the children of the collection that just ended into it. */
static void adopt_children(yaml_ctx *ctx, const yaml_frame *fr)
{
    size_t n = ctx->nchildren - fr->first_child;
    doc_node **kids = n ? ctx->children + fr->first_child : NULL;
    doc_node *node = fr->node;
    if (node->kind == DOC_SEQ) {
        node->u.seq.items = n ? arena_memdup(ctx->a, kids, n * sizeof *kids) : NULL;
        node->u.seq.count = node->u.seq.cap = n;
    } else {
        size_t npairs = n / 2; /* libyaml always pairs keys with values */
        doc_pair *pairs = npairs ? arena_alloc_uninit(ctx->a, npairs * sizeof *pairs) : NULL;
        for (size_t i = 0; i < npairs; i++)
            pairs[i] = (doc_pair){kids[2 * i], kids[2 * i + 1], key_sig(kids[2 * i])};
        node->u.map.pairs = pairs;
        node->u.map.count = node->u.map.cap = npairs;
    }
    ctx->nchildren = fr->first_child;
}

/* End offset of a block scalar without the line breaks and blank lines that
 * libyaml consumes after it (never before the end of its header line). */
static size_t block_scalar_end(const src_file *f, size_t start, size_t end)
{
    const char *d = f->data;
    const char *nl = memchr(d + start, '\n', end - start);
    size_t header_end = nl ? (size_t)(nl - d) : end;
    if (header_end > start && d[header_end - 1] == '\r')
        header_end--;
    size_t p = end;
    for (;;) {
        size_t q = p; /* q: end of the line before p, without its line break */
        if (q > header_end && d[q - 1] == '\n')
            q--;
        if (q > header_end && d[q - 1] == '\r')
            q--;
        if (q <= header_end)
            return header_end;
        size_t ls = q;
        while (ls > header_end && d[ls - 1] != '\n')
            ls--;
        size_t i = ls;
        while (i < q && (d[i] == ' ' || d[i] == '\t'))
            i++;
        if (i < q)
            return q; /* the last line with text */
        p = ls;       /* blank line: drop it */
    }
}

/* Length classes of a scalar's text for may_be_typed: 0, 1, 2-3, 4-5, 6+
 * bytes, as bits. */
enum { LEN_0 = 1, LEN_1 = 2, LEN_2_3 = 4, LEN_4_5 = 8, LEN_6_UP = 16 };

static unsigned length_class(size_t len)
{
    static const unsigned char class_of[7] = {LEN_0,   LEN_1,   LEN_2_3, LEN_2_3,
                                              LEN_4_5, LEN_4_5, LEN_6_UP};
    return class_of[len < 6 ? len : 6]; /* a conditional move, not a branch */
}

/* The length classes at which a text starting with a byte may be typed by
 * doc_scalar_infer(): null and bool words are four or five bytes ("null",
 * "False"), "~" one, the empty text none; numbers start with a digit, or
 * with '+', '-' or '.' and at least one byte more. */
#define NUMBER_LENGTHS (LEN_1 | LEN_2_3 | LEN_4_5 | LEN_6_UP)
#define SIGNED_LENGTHS (LEN_2_3 | LEN_4_5 | LEN_6_UP)
static const unsigned char typed_lengths[256] = {
    ['\0'] = LEN_0, ['~'] = LEN_1,
    ['n'] = LEN_4_5, ['N'] = LEN_4_5, ['t'] = LEN_4_5, ['T'] = LEN_4_5, ['f'] = LEN_4_5,
    ['F'] = LEN_4_5,
    ['+'] = SIGNED_LENGTHS, ['-'] = SIGNED_LENGTHS, ['.'] = SIGNED_LENGTHS,
    ['0'] = NUMBER_LENGTHS, ['1'] = NUMBER_LENGTHS, ['2'] = NUMBER_LENGTHS,
    ['3'] = NUMBER_LENGTHS, ['4'] = NUMBER_LENGTHS, ['5'] = NUMBER_LENGTHS,
    ['6'] = NUMBER_LENGTHS, ['7'] = NUMBER_LENGTHS, ['8'] = NUMBER_LENGTHS,
    ['9'] = NUMBER_LENGTHS,
};

/* False when doc_scalar_infer() would certainly leave the text (len bytes)
 * a string. Skipping the call saves most of the typing cost on real files;
 * one table look-up, where a switch on the first byte mispredicts. */
static bool may_be_typed(const char *text, size_t len)
{
    return typed_lengths[(unsigned char)text[0]] & length_class(len);
}

/* Whether the text of a scalar (of the given style, source from start to
 * libyaml's end mark) holds no '$'. Only escapes in double quotes make text
 * that is not in the source; any other scalar is told from its source bytes. */
static bool scalar_dollar_free(yaml_ctx *ctx, const yaml_event_t *ev, scalar_style style,
                               size_t start, size_t end)
{
    if (style == STYLE_DOUBLE_QUOTED)
        return !memchr(ev->data.scalar.value, '$', ev->data.scalar.length);
    return next_byte(ctx->f, &ctx->dollar, '$', start) >= end;
}

/* Where a scalar's decoded text lies in the file, byte for byte, with the
 * 16 bytes after it readable (doc_new_scalar_padded), or NULL. That is so for
 * a plain or quoted scalar on one line whose source (start to end, quotes
 * included) is its text and the quotes, and which holds no escape: there is
 * no line to fold, tags, anchors and most escapes would make the source
 * longer than that, and a double-quoted scalar's escapes "\N" and "\_" are
 * as long as the two bytes they stand for, so it must hold no backslash. */
static const char *scalar_source(const yaml_ctx *ctx, const yaml_event_t *ev, scalar_style style,
                                 size_t start, size_t end)
{
    if (style != STYLE_PLAIN && style != STYLE_SINGLE_QUOTED && style != STYLE_DOUBLE_QUOTED)
        return NULL;
    size_t quotes = style == STYLE_PLAIN ? 0 : 1, len = ev->data.scalar.length;
    if (ev->start_mark.line != ev->end_mark.line || end - start != len + 2 * quotes ||
        end - quotes + 16 > ctx->f->len + 1)
        return NULL;
    const char *text = ctx->f->data + start + quotes;
    if (style == STYLE_DOUBLE_QUOTED && memchr(text, '\\', len))
        return NULL;
    return text;
}

static bool on_scalar(yaml_ctx *ctx, const yaml_event_t *ev)
{
    src_pos start = mark_pos(ctx, &ev->start_mark);
    src_pos end = mark_pos(ctx, &ev->end_mark);
    if (!count_nodes(ctx, 1, start))
        return false;
    scalar_style style;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = STYLE_SINGLE_QUOTED; break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = STYLE_DOUBLE_QUOTED; break;
    case YAML_LITERAL_SCALAR_STYLE: style = STYLE_LITERAL; break;
    case YAML_FOLDED_SCALAR_STYLE: style = STYLE_FOLDED; break;
    default: style = STYLE_PLAIN; break;
    }
    bool dollar_free = scalar_dollar_free(ctx, ev, style, start.offset, end.offset);
    const char *d = ctx->f->data;
    if (style == STYLE_LITERAL || style == STYLE_FOLDED) {
        /* '#' is text from the line after the header to libyaml's end */
        const char *nl = memchr(d + start.offset, '\n', end.offset - start.offset);
        if (nl)
            remember_scalar_range(ctx, (size_t)(nl - d), end.offset);
        end = src_pos_at(ctx->f, block_scalar_end(ctx->f, start.offset, end.offset));
    } else {
        remember_scalar_range(ctx, start.offset, end.offset);
    }
    src_span span = {start, end};
    const char *text = scalar_source(ctx, ev, style, start.offset, end.offset);
    doc_node *n = text ? doc_new_scalar_padded(ctx->a, ctx->f, span, style, text,
                                               ev->data.scalar.length)
                       : doc_new_scalar(ctx->a, ctx->f, span, SCALAR_STR, style,
                                        (const char *)ev->data.scalar.value,
                                        ev->data.scalar.length);
    n->dollar_free = dollar_free;
    const char *tag = (const char *)ev->data.scalar.tag;
    if (tag)
        n->tag = arena_strdup(ctx->a, tag);
    if (style == STYLE_PLAIN && may_be_typed(n->u.scalar.text, n->u.scalar.len) &&
        !(tag && (!strcmp(tag, TAG_STR) || !strcmp(tag, "!"))))
        doc_scalar_infer(n);
    if (ev->data.scalar.anchor)
        define_anchor(ctx, ev->data.scalar.anchor, n, true);
    attach(ctx, n, 1, end);
    return true;
}

static bool on_collection_start(yaml_ctx *ctx, const yaml_event_t *ev, doc_kind kind)
{
    src_pos start = mark_pos(ctx, &ev->start_mark);
    if (ctx->depth >= ctx->lim->max_depth) {
        yaml_error_at(ctx, start, "nesting deeper than %zu levels (--max-depth)",
                      ctx->lim->max_depth);
        return false;
    }
    if (!count_nodes(ctx, 1, start))
        return false;
    const yaml_char_t *anchor, *tag;
    bool flow;
    if (kind == DOC_MAP) {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    } else {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    }
    src_span span = {start, mark_pos(ctx, &ev->end_mark)};
    doc_node *n = doc_new(ctx->a, kind, ctx->f, span);
    if (tag)
        n->tag = arena_strdup(ctx->a, (const char *)tag);
    if (ctx->depth == ctx->stack_cap) {
        ctx->stack_cap = ctx->stack_cap ? ctx->stack_cap * 2 : 32;
        ctx->stack = xrealloc(ctx->stack, ctx->stack_cap * sizeof *ctx->stack);
    }
    yaml_frame *fr = &ctx->stack[ctx->depth++];
    fr->node = n;
    fr->first_child = ctx->nchildren;
    fr->anchor = anchor ? define_anchor(ctx, anchor, n, false) : NULL;
    fr->size = 1;
    fr->last_end = span.end;
    fr->flow = flow;
    fr->dollar = false;
    return true;
}

static bool on_collection_end(yaml_ctx *ctx, const yaml_event_t *ev)
{
    yaml_frame fr = ctx->stack[--ctx->depth];
    if (fr.flow)
        fr.node->span.end = mark_pos(ctx, &ev->end_mark);
    else
        fr.node->span.end = fr.last_end;
    adopt_children(ctx, &fr);
    fr.node->dollar_free = !fr.dollar;
    if (fr.node->kind == DOC_MAP && !yaml_finish_mapping(ctx, fr.node))
        return false;
    if (fr.anchor) {
        fr.anchor->size = fr.size;
        fr.anchor->complete = true;
    }
    attach(ctx, fr.node, fr.size, fr.node->span.end);
    return true;
}

static bool on_alias(yaml_ctx *ctx, const yaml_event_t *ev)
{
    src_pos start = mark_pos(ctx, &ev->start_mark);
    src_pos end = mark_pos(ctx, &ev->end_mark);
    const char *name = (const char *)ev->data.alias.anchor;
    uintptr_t found;
    if (!name_table_get(&ctx->anchors, name, strlen(name), &found)) {
        yaml_error_at(ctx, start,
                      "alias '*%s' refers to an anchor '&%s' that is not defined before it in "
                      "this document",
                      name, name);
        return false;
    }
    const yaml_anchor *an = (const yaml_anchor *)found;
    if (!an->complete) {
        yaml_error_at(ctx, start,
                      "alias '*%s' is inside the node it refers to; recursive structures are "
                      "not supported",
                      name);
        return false;
    }
    ctx->doc_used_alias = true;
    if (!count_nodes(ctx, an->size, start))
        return false;
    attach(ctx, an->node, an->size, end);
    return true;
}

static void on_document_start(yaml_ctx *ctx, const yaml_event_t *ev)
{
    if (ctx->anchors.cap > 256)
        name_table_free(&ctx->anchors); /* do not wipe a big table per document */
    else
        name_table_clear(&ctx->anchors);
    ctx->doc_nodes = 0;
    ctx->doc_used_alias = false;
    ctx->root = NULL;
    ctx->doc_start_end = mark_pos(ctx, &ev->end_mark);
}

static void on_document_end(yaml_ctx *ctx)
{
    doc_node *root = ctx->root;
    if (root && root->kind == DOC_SCALAR && root->u.scalar.style == STYLE_PLAIN &&
        root->u.scalar.len == 0 && !root->tag &&
        root->span.start.offset == root->span.end.offset) {
        /* empty document: libyaml places it at the next token; put it at "---" */
        root->span.start = root->span.end = ctx->doc_start_end;
    }
    if (ctx->ndocs == ctx->docs_cap) {
        size_t cap = ctx->docs_cap ? ctx->docs_cap * 2 : 4;
        ctx->docs = arena_grow(ctx->a, ctx->docs, ctx->docs_cap * sizeof *ctx->docs,
                               cap * sizeof *ctx->docs);
        ctx->docs_cap = cap;
    }
    ctx->docs[ctx->ndocs++] = root;
}

/* Scalars, most of the events, are told apart before the jump table. */
static bool on_event(yaml_ctx *ctx, const yaml_event_t *ev)
{
    if (ev->type == YAML_SCALAR_EVENT)
        return on_scalar(ctx, ev);
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT: on_document_start(ctx, ev); return true;
    case YAML_DOCUMENT_END_EVENT: on_document_end(ctx); return true;
    case YAML_ALIAS_EVENT: return on_alias(ctx, ev);
    case YAML_SEQUENCE_START_EVENT: return on_collection_start(ctx, ev, DOC_SEQ);
    case YAML_MAPPING_START_EVENT: return on_collection_start(ctx, ev, DOC_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return on_collection_end(ctx, ev);
    default: return true; /* stream start/end, no-op */
    }
}

bool yaml_parse(arena *a, src_file *f, const parse_limits *lim, doc_stream *out,
                diag_list *diags)
{
    out->docs = NULL;
    out->count = 0;
    yaml_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.a = a;
    ctx.f = f;
    ctx.lim = lim;
    ctx.diags = diags;
    pos_cursor_init(&ctx.cur, f);
    ctx.mark_lines = f->lf_breaks ? f->nlines : 0;
    ctx.hash.from = ctx.dollar.from = SIZE_MAX; /* nothing known: next_byte() looks */
    name_table_init(&ctx.anchors);

    yaml_parser_t parser;
    bool ok = true;
    if (!yaml_parser_initialize(&parser)) {
        diag_add(diags, DIAG_ERROR, f->path, 0, 0, "out of memory initializing the YAML parser");
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)f->data, f->len);
    /* Fixed encoding: no UTF-16 guessing, and a BOM counts as a character in
     * mark indexes, as it does in src_pos columns. */
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_report_libyaml_error(&ctx, &parser);
            ok = false;
            break;
        }
        bool handled = on_event(&ctx, &ev);
        bool stream_end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (!handled) {
            ok = false;
            break;
        }
        if (stream_end)
            break;
    }
    yaml_parser_delete(&parser);
    free(ctx.stack);
    free(ctx.children);
    name_table_free(&ctx.anchors);

    if (ok)
        yaml_collect_comments(a, f, ctx.scalars, ctx.nscalars);
    free(ctx.scalars);
    if (ok) {
        out->docs = ctx.docs;
        out->count = ctx.ndocs;
    }
    return ok;
}
