/* doc_json.c - doc tree to JSON writers; see doc_json.h. */
#include "doc_json.h"

#include <stdlib.h>
#include <string.h>

void doc_json_span(json_out *j, src_span span)
{
    json_begin_object(j);
    json_key(j, "start");
    json_begin_object(j);
    json_key(j, "line");
    json_int(j, span.start.line);
    json_key(j, "col");
    json_int(j, span.start.col);
    json_key(j, "offset");
    json_int(j, span.start.offset);
    json_end_object(j);
    json_key(j, "end");
    json_begin_object(j);
    json_key(j, "line");
    json_int(j, span.end.line);
    json_key(j, "col");
    json_int(j, span.end.col);
    json_key(j, "offset");
    json_int(j, span.end.offset);
    json_end_object(j);
    json_end_object(j);
}

static void scalar_value(json_out *j, const doc_node *n)
{
    switch (n->u.scalar.type) {
    case SCALAR_STR:
        json_stringn(j, n->u.scalar.text, n->u.scalar.len);
        break;
    case SCALAR_INT:
        json_int(j, n->u.scalar.i);
        break;
    case SCALAR_FLOAT:
        json_double(j, n->u.scalar.f);
        break;
    case SCALAR_BOOL:
        json_bool(j, n->u.scalar.b);
        break;
    case SCALAR_NULL:
        json_null(j);
        break;
    }
}

void doc_json_tree(json_out *j, const doc_node *n)
{
    if (!n) {
        json_null(j);
        return;
    }
    json_begin_object(j);
    json_key(j, "kind");
    json_string(j, doc_kind_name(n->kind));
    json_key(j, "span");
    doc_json_span(j, n->span);
    if (n->tag) {
        json_key(j, "tag");
        json_string(j, n->tag);
    }
    switch (n->kind) {
    case DOC_MAP:
        json_key(j, "pairs");
        json_begin_array(j);
        for (size_t i = 0; i < n->u.map.count; i++) {
            json_begin_object(j);
            json_key(j, "key");
            doc_json_tree(j, n->u.map.pairs[i].key);
            json_key(j, "value");
            doc_json_tree(j, n->u.map.pairs[i].value);
            json_end_object(j);
        }
        json_end_array(j);
        break;
    case DOC_SEQ:
        json_key(j, "items");
        json_begin_array(j);
        for (size_t i = 0; i < n->u.seq.count; i++)
            doc_json_tree(j, n->u.seq.items[i]);
        json_end_array(j);
        break;
    case DOC_SCALAR:
        json_key(j, "type");
        json_string(j, scalar_type_name(n->u.scalar.type));
        json_key(j, "style");
        json_string(j, scalar_style_name(n->u.scalar.style));
        json_key(j, "value");
        scalar_value(j, n);
        break;
    case DOC_BLOCK:
        json_key(j, "type");
        json_string(j, n->u.block.type);
        json_key(j, "labels");
        json_begin_array(j);
        for (size_t i = 0; i < n->u.block.nlabels; i++)
            json_string(j, doc_str(n->u.block.labels[i]));
        json_end_array(j);
        json_key(j, "body");
        doc_json_tree(j, n->u.block.body);
        break;
    case DOC_EXPR: {
        size_t len;
        const char *raw = doc_raw(n, &len);
        json_key(j, "expr");
        json_string(j, expr_kind_name(n->u.expr.kind));
        json_key(j, "text");
        json_stringn(j, raw, len);
        break;
    }
    }
    json_end_object(j);
}

/* Key text of a pair: scalar text, else the raw source of the key. */
static void key_text(const doc_node *k, const char **s, size_t *len)
{
    if (k && k->kind == DOC_SCALAR) {
        *s = k->u.scalar.text;
        *len = k->u.scalar.len;
    } else if (k) {
        *s = doc_raw(k, len);
    } else {
        *s = "";
        *len = 0;
    }
}

void doc_json_value(json_out *j, const doc_node *n)
{
    if (!n) {
        json_null(j);
        return;
    }
    switch (n->kind) {
    case DOC_MAP:
        json_begin_object(j);
        for (size_t i = 0; i < n->u.map.count; i++) {
            const doc_pair *p = &n->u.map.pairs[i];
            const char *k;
            size_t klen;
            key_text(p->key, &k, &klen);
            /* later duplicates win: skip a key that appears again later */
            bool later = false;
            if (!(p->value && p->value->kind == DOC_BLOCK)) {
                for (size_t m = i + 1; m < n->u.map.count && !later; m++) {
                    const char *k2;
                    size_t k2len;
                    key_text(n->u.map.pairs[m].key, &k2, &k2len);
                    later = k2len == klen && !memcmp(k, k2, klen) &&
                            !(n->u.map.pairs[m].value && n->u.map.pairs[m].value->kind == DOC_BLOCK);
                }
            }
            if (later)
                continue;
            char *kz = strndup(k, klen);
            json_key(j, kz);
            free(kz);
            doc_json_value(j, p->value);
        }
        json_end_object(j);
        break;
    case DOC_SEQ:
        json_begin_array(j);
        for (size_t i = 0; i < n->u.seq.count; i++)
            doc_json_value(j, n->u.seq.items[i]);
        json_end_array(j);
        break;
    case DOC_SCALAR:
        scalar_value(j, n);
        break;
    case DOC_BLOCK:
        json_begin_object(j);
        json_key(j, "type");
        json_string(j, n->u.block.type);
        json_key(j, "labels");
        json_begin_array(j);
        for (size_t i = 0; i < n->u.block.nlabels; i++)
            json_string(j, doc_str(n->u.block.labels[i]));
        json_end_array(j);
        json_key(j, "body");
        doc_json_value(j, n->u.block.body);
        json_end_object(j);
        break;
    case DOC_EXPR: {
        size_t len;
        const char *raw = doc_raw(n, &len);
        json_stringn(j, raw, len);
        break;
    }
    }
}

static void span_rows(json_out *j, const doc_node *n, strbuf *path)
{
    if (!n)
        return;
    if (path->len) {
        json_key(j, path->buf);
        json_begin_array(j);
        json_int(j, n->span.start.line);
        json_int(j, n->span.start.col);
        json_int(j, n->span.end.line);
        json_int(j, n->span.end.col);
        json_end_array(j);
    }
    size_t mark = path->len;
    if (n->kind == DOC_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const char *k;
            size_t klen;
            key_text(n->u.map.pairs[i].key, &k, &klen);
            if (path->len)
                sb_addc(path, '.');
            sb_addn(path, k, klen);
            span_rows(j, n->u.map.pairs[i].value, path);
            path->len = mark;
            path->buf[mark] = '\0';
        }
    } else if (n->kind == DOC_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++) {
            sb_addf(path, "[%zu]", i);
            span_rows(j, n->u.seq.items[i], path);
            path->len = mark;
            path->buf[mark] = '\0';
        }
    }
}

void doc_json_span_table(json_out *j, const doc_node *n)
{
    strbuf path;
    sb_init(&path);
    json_begin_object(j);
    span_rows(j, n, &path);
    json_end_object(j);
    sb_free(&path);
}
