/* entity_testlib.h - helpers for the entity builder tests (test_compose.c,
 * test_k8s.c, test_terraform.c): build an input_file by hand from text or a
 * file, run the parser and the builder, find entities and attributes by
 * path, and assert values together with their exact spans.
 *
 * Include after <cmocka.h>. Everything is static inline so each test file
 * uses what it needs. */
#ifndef SA_ENTITY_TESTLIB_H
#define SA_ENTITY_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/input.h"

/* Parses text (or the file at path when text is NULL) as fmt and runs the
 * entity builder of that format. */
static inline input_file *ent_load(const char *path, const char *text, input_format fmt,
                                   const load_options *opts)
{
    input_file *in = xcalloc(1, sizeof *in);
    in->path = xstrdup(path);
    in->arena = arena_new();
    diag_list_init(&in->diags);
    in->format = fmt;
    parse_limits lim = parse_limits_default();
    in->src = text ? src_from_memory(in->arena, path, text, strlen(text))
                   : src_load(in->arena, path, &lim, &in->diags);
    if (!in->src)
        fail_msg("cannot load %s", path);
    bool ok;
    if (fmt == FMT_COMPOSE || fmt == FMT_KUBERNETES) {
        ok = yaml_parse(in->arena, in->src, &lim, &in->docs, &in->diags);
    } else {
        doc_node *root = NULL;
        ok = fmt == FMT_TFVARS_JSON ? json_parse(in->arena, in->src, &lim, &root, &in->diags)
                                    : hcl_parse(in->arena, in->src, &lim, &root, &in->diags);
        if (ok) {
            in->docs.docs = arena_alloc(in->arena, sizeof(doc_node *));
            in->docs.docs[0] = root;
            in->docs.count = 1;
        }
    }
    if (!ok) {
        for (size_t i = 0; i < in->diags.count; i++)
            diag_print(stderr, &in->diags.items[i]);
        fail_msg("%s did not parse", path);
    }
    switch (fmt) {
    case FMT_COMPOSE:
        compose_build_entities(in, opts);
        break;
    case FMT_KUBERNETES:
        k8s_build_entities(in);
        break;
    default:
        terraform_build_entities(in);
        break;
    }
    return in;
}

static inline void ent_free(input_file *in)
{
    arena_free(in->arena);
    diag_list_free(&in->diags);
    free(in->path);
    free(in);
}

/* The entity of kind and name (and owner, when not NULL), or NULL. */
static inline entity *ent_find_owned(const input_file *in, const char *kind, const char *owner,
                                     const char *name)
{
    for (size_t i = 0; i < in->entities.count; i++) {
        entity *e = in->entities.items[i];
        if (strcmp(e->kind, kind) == 0 && strcmp(e->name, name) == 0 &&
            (!owner || (e->owner && strcmp(e->owner, owner) == 0)))
            return e;
    }
    return NULL;
}

static inline entity *ent_find(const input_file *in, const char *kind, const char *name)
{
    entity *e = ent_find_owned(in, kind, NULL, name);
    if (!e)
        fail_msg("no %s entity named %s", kind, name);
    return e;
}

static inline size_t ent_count(const input_file *in, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < in->entities.count; i++)
        n += strcmp(in->entities.items[i]->kind, kind) == 0;
    return n;
}

/* Follows "ports[0].host_port" (keys separated by '.', [i] indexes). */
static inline doc_node *ent_path(const doc_node *n, const char *path)
{
    char key[128];
    const char *p = path;
    while (n && *p) {
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);
            if (n->kind != DOC_SEQ || i >= n->u.seq.count)
                return NULL;
            n = n->u.seq.items[i];
            p = end + 1;
        } else {
            size_t k = strcspn(p, ".[");
            if (k >= sizeof key)
                return NULL;
            memcpy(key, p, k);
            key[k] = '\0';
            n = doc_get(n, key);
            p += k;
        }
        if (*p == '.')
            p++;
    }
    return (doc_node *)n;
}

static inline doc_node *ent_attr(const entity *e, const char *path)
{
    return ent_path(e->attrs, path);
}

static inline size_t ent_len(const doc_node *n)
{
    if (!n)
        return 0;
    return n->kind == DOC_SEQ ? n->u.seq.count : n->kind == DOC_MAP ? n->u.map.count : 1;
}

static inline char *ent_raw(const doc_node *n)
{
    static char buf[4096];
    size_t len;
    const char *r = doc_raw(n, &len);
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, r, len);
    buf[len] = '\0';
    return buf;
}

/* node exists, its span starts at line:col and covers exactly raw. */
#define assert_span(node, line_, col_, raw_)                                          \
    do {                                                                              \
        const doc_node *n_ = (node);                                                  \
        assert_non_null(n_);                                                          \
        assert_int_equal(n_->span.start.line, (line_));                               \
        assert_int_equal(n_->span.start.col, (col_));                                 \
        assert_string_equal(ent_raw(n_), (raw_));                                     \
        assert_int_equal(n_->span.end.offset - n_->span.start.offset, strlen(raw_)); \
    } while (0)

#define assert_str_attr(e, path, expected)                                   \
    do {                                                                     \
        const doc_node *n_ = ent_attr((e), (path));                          \
        if (!n_)                                                             \
            fail_msg("attribute %s missing", (path));                        \
        assert_int_equal(n_->kind, DOC_SCALAR);                              \
        assert_int_equal(n_->u.scalar.type, SCALAR_STR);                     \
        assert_string_equal(n_->u.scalar.text, (expected));                  \
    } while (0)

#define assert_int_attr(e, path, expected)                                   \
    do {                                                                     \
        const doc_node *n_ = ent_attr((e), (path));                          \
        if (!n_)                                                             \
            fail_msg("attribute %s missing", (path));                        \
        assert_int_equal(n_->kind, DOC_SCALAR);                              \
        assert_int_equal(n_->u.scalar.type, SCALAR_INT);                     \
        assert_int_equal(n_->u.scalar.i, (expected));                        \
    } while (0)

#define assert_bool_attr(e, path, expected)                                  \
    do {                                                                     \
        const doc_node *n_ = ent_attr((e), (path));                          \
        if (!n_)                                                             \
            fail_msg("attribute %s missing", (path));                        \
        assert_int_equal(n_->kind, DOC_SCALAR);                              \
        assert_int_equal(n_->u.scalar.type, SCALAR_BOOL);                    \
        assert_int_equal(n_->u.scalar.b, (expected));                        \
    } while (0)

#define assert_no_attr(e, path)                                              \
    do {                                                                     \
        if (ent_attr((e), (path)))                                           \
            fail_msg("attribute %s should be absent", (path));               \
    } while (0)

/* The number of diagnostics at level whose message contains needle. */
static inline size_t ent_diags_with(const input_file *in, diag_level level, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < in->diags.count; i++)
        n += in->diags.items[i].level == level && strstr(in->diags.items[i].message, needle);
    return n;
}

/* The first diagnostic whose message contains needle (fails when none). */
static inline const diag *ent_diag(const input_file *in, const char *needle)
{
    for (size_t i = 0; i < in->diags.count; i++)
        if (strstr(in->diags.items[i].message, needle))
            return &in->diags.items[i];
    for (size_t i = 0; i < in->diags.count; i++)
        diag_print(stderr, &in->diags.items[i]);
    fail_msg("no diagnostic containing \"%s\"", needle);
    return NULL;
}

#endif
