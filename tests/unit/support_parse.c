/* support_parse.c - the front-end test helpers of support_parse.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/support_parse.h"

void parse_case_run(parse_case *c, parse_frontend fe, const char *text, size_t len,
                    const parse_limits *lim)
{
    static const char *const names[] = {"t.tfvars.json", "t.yaml", "t.tf"};
    *c = (parse_case){.a = arena_new()};
    diag_list_init(&c->diags);
    c->f = src_from_memory(c->a, names[fe], text, len);
    switch (fe) {
    case FRONTEND_JSON:
        c->root = (doc_node *)(uintptr_t)1; /* must be reset on failure */
        c->ok = json_parse(c->a, c->f, lim, &c->root, &c->diags);
        break;
    case FRONTEND_YAML:
        c->docs.docs = (doc_node **)(uintptr_t)1; /* must be reset on failure */
        c->docs.count = 99;
        c->ok = yaml_parse(c->a, c->f, lim, &c->docs, &c->diags);
        break;
    case FRONTEND_HCL:
        c->root = (doc_node *)(uintptr_t)1; /* must be reset on failure */
        c->ok = hcl_parse(c->a, c->f, lim, &c->root, &c->diags);
        break;
    }
}

void parse_case_text(parse_case *c, parse_frontend fe, const char *text)
{
    parse_limits lim = parse_limits_default();
    parse_case_run(c, fe, text, strlen(text), &lim);
}

void parse_case_done(parse_case *c)
{
    diag_list_free(&c->diags);
    arena_free(c->a);
}

const doc_pair *pair_at(const doc_node *map, size_t i)
{
    assert_non_null(map);
    assert_int_equal(map->kind, DOC_MAP);
    assert_true(i < map->u.map.count);
    return &map->u.map.pairs[i];
}

doc_node *item_at(const doc_node *seq, size_t i)
{
    assert_non_null(seq);
    assert_int_equal(seq->kind, DOC_SEQ);
    assert_true(i < seq->u.seq.count);
    return seq->u.seq.items[i];
}
