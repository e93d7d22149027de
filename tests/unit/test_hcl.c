/* test_hcl.c - the HCL front-end: literal values and their types, exact
 * spans of every construct, expression kinds, templates and heredocs,
 * comments, duplicate attributes, each syntax error with its position, the
 * seed snippets, UTF-8/CRLF/BOM positions and the nesting limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/frontend.h"
#define PARSE_FRONTEND FRONTEND_HCL /* parse(), parse_with(): support_parse.h */
#include "tests/unit/support_parse.h"

/* Parses a file of the repository (unit tests run from its root, or
 * STACKAUDIT_ROOT names it). */
static void parse_repo_file(parse_case *c, const char *rel)
{
    const char *repo = getenv("STACKAUDIT_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", repo && *repo ? repo : ".", rel);
    *c = (parse_case){.a = arena_new()};
    diag_list_init(&c->diags);
    parse_limits lim = parse_limits_default();
    c->f = src_load(c->a, path, &lim, &c->diags);
    if (!c->f)
        fail_msg("cannot read %s", path);
    c->ok = hcl_parse(c->a, c->f, &lim, &c->root, &c->diags);
    if (!c->ok)
        fail_msg("%s:%u:%u: %s", path, c->diags.items[0].line, c->diags.items[0].col,
                 c->diags.items[0].message);
}

#define assert_ok(c)                                                           \
    do {                                                                       \
        if (!(c)->ok)                                                          \
            fail_msg("parse failed at %u:%u: %s", (c)->diags.items[0].line,    \
                     (c)->diags.items[0].col, (c)->diags.items[0].message);    \
        assert_int_equal(diag_count(&(c)->diags, DIAG_ERROR), 0);              \
        assert_non_null((c)->root);                                            \
        assert_int_equal((c)->root->kind, DOC_MAP);                            \
    } while (0)

/* Asserts the parse failed with exactly one error at line:col whose message
 * contains `msg`, and that nothing was returned. */
#define assert_error(c, l, col_, msg)                                          \
    do {                                                                       \
        assert_false((c)->ok);                                                 \
        assert_null((c)->root);                                                \
        assert_single_error_at(c, "t.tf", l, col_, msg);                       \
    } while (0)

static doc_node *attr(const doc_node *body, const char *name)
{
    doc_node *n = doc_get(body, name);
    if (!n)
        fail_msg("no attribute '%s'", name);
    return n;
}

static void assert_str(const doc_node *n, const char *s, scalar_style style)
{
    assert_non_null(n);
    assert_int_equal(n->kind, DOC_SCALAR);
    assert_int_equal(n->u.scalar.type, SCALAR_STR);
    assert_int_equal(n->u.scalar.style, style);
    assert_int_equal(n->u.scalar.len, strlen(s));
    assert_memory_equal(n->u.scalar.text, s, strlen(s));
}

static void assert_int_scalar(const doc_node *n, int64_t v)
{
    assert_non_null(n);
    assert_int_equal(n->kind, DOC_SCALAR);
    assert_int_equal(n->u.scalar.type, SCALAR_INT);
    assert_int_equal(n->u.scalar.i, v);
    assert_true(n->u.scalar.f == (double)v);
}

static void assert_float_scalar(const doc_node *n, double v)
{
    assert_non_null(n);
    assert_int_equal(n->kind, DOC_SCALAR);
    assert_int_equal(n->u.scalar.type, SCALAR_FLOAT);
    if (n->u.scalar.f != v)
        fail_msg("float %.17g, expected %.17g", n->u.scalar.f, v);
}

static void assert_expr(const doc_node *n, expr_kind kind, const char *text)
{
    assert_non_null(n);
    if (n->kind != DOC_EXPR)
        fail_msg("'%s' is a %s, not an expression", text, doc_kind_name(n->kind));
    if (n->u.expr.kind != kind)
        fail_msg("'%s' is a %s expression, expected %s", text, expr_kind_name(n->u.expr.kind),
                 expr_kind_name(kind));
    size_t len;
    const char *raw = doc_raw(n, &len);
    if (len != strlen(text) || memcmp(raw, text, len) != 0)
        fail_msg("expression text '%.*s', expected '%s'", (int)len, raw, text);
}

/* ---- literals and structure -------------------------------------------- */

static void test_attributes_and_literal_types(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "name = \"web\"\ncount = 3\nratio = 0.5\nenabled = true\nnothing = null\n");
    assert_ok(&c);
    assert_span(c.root, 1, 1, 0, 6, 1, 65);
    assert_int_equal(c.root->u.map.count, 5);

    const doc_pair *p = pair_at(c.root, 0);
    assert_str(p->key, "name", STYLE_PLAIN);
    assert_span(p->key, 1, 1, 0, 1, 5, 4);
    assert_str(p->value, "web", STYLE_DOUBLE_QUOTED);
    assert_span(p->value, 1, 8, 7, 1, 13, 12);

    p = pair_at(c.root, 1);
    assert_span(p->key, 2, 1, 13, 2, 6, 18);
    assert_int_scalar(p->value, 3);
    assert_span(p->value, 2, 9, 21, 2, 10, 22);

    doc_node *ratio = attr(c.root, "ratio");
    assert_float_scalar(ratio, 0.5);
    assert_span(ratio, 3, 9, 31, 3, 12, 34);

    doc_node *enabled = attr(c.root, "enabled");
    assert_int_equal(enabled->u.scalar.type, SCALAR_BOOL);
    assert_true(enabled->u.scalar.b);
    assert_span(enabled, 4, 11, 45, 4, 15, 49);

    doc_node *nothing = attr(c.root, "nothing");
    assert_int_equal(nothing->u.scalar.type, SCALAR_NULL);
    assert_string_equal(nothing->u.scalar.text, "");
    assert_span(nothing, 5, 11, 60, 5, 15, 64);
    parse_case_done(&c);

    parse(&c, "f = false\n");
    assert_ok(&c);
    assert_int_equal(attr(c.root, "f")->u.scalar.type, SCALAR_BOOL);
    assert_false(attr(c.root, "f")->u.scalar.b);
    parse_case_done(&c);
}

static void test_numbers(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a = -1\nb = - 5\nc = 1e3\nd = -2.5E-1\ne = 9223372036854775807\n"
              "f = 9223372036854775808\ng = 007\nh = 1.0\ni = 6.02e+23\nj = -1.5\n");
    assert_ok(&c);
    doc_node *a = attr(c.root, "a");
    assert_int_scalar(a, -1);
    assert_string_equal(a->u.scalar.text, "-1");
    assert_int_equal(a->u.scalar.style, STYLE_PLAIN);
    assert_span(a, 1, 5, 4, 1, 7, 6);
    doc_node *b = attr(c.root, "b");
    assert_int_scalar(b, -5);
    assert_span(b, 2, 5, 11, 2, 8, 14);
    doc_node *e3 = attr(c.root, "c");
    assert_float_scalar(e3, 1000.0);
    assert_int_equal(e3->u.scalar.i, 1000); /* integral floats carry i too */
    assert_string_equal(e3->u.scalar.text, "1e3");
    assert_span(e3, 3, 5, 19, 3, 8, 22);
    assert_float_scalar(attr(c.root, "d"), -0.25);
    assert_int_scalar(attr(c.root, "e"), INT64_MAX);
    assert_float_scalar(attr(c.root, "f"), 9223372036854775808.0);
    doc_node *g = attr(c.root, "g");
    assert_int_scalar(g, 7);
    assert_string_equal(g->u.scalar.text, "007");
    assert_float_scalar(attr(c.root, "h"), 1.0);
    assert_float_scalar(attr(c.root, "i"), 6.02e23);
    assert_float_scalar(attr(c.root, "j"), -1.5);
    parse_case_done(&c);

    /* Only a minus directly before a number literal is folded. */
    parse(&c, "a = --1\nb = -(1)\nc = 1 - 1\nd = -1 + 2\ne = [-1, - 2]\n");
    assert_ok(&c);
    assert_expr(attr(c.root, "a"), EXPR_OPERATOR, "--1");
    assert_expr(attr(c.root, "b"), EXPR_OPERATOR, "-(1)");
    assert_expr(attr(c.root, "c"), EXPR_OPERATOR, "1 - 1");
    assert_expr(attr(c.root, "d"), EXPR_OPERATOR, "-1 + 2");
    doc_node *e = attr(c.root, "e");
    assert_int_scalar(item_at(e, 0), -1);
    assert_int_scalar(item_at(e, 1), -2);
    assert_span(item_at(e, 1), 5, 10, 47, 5, 13, 50);
    parse_case_done(&c);
}

static void test_string_escapes(void **state)
{
    (void)state;
    parse_case c;
    const char *src = "s = \"a\\tb\\nc\\rd\\\"e\\\\f\\u00e9\\U0001F600$${x}%%{y}$z%w\"\n"
                      "empty = \"\"\nlone = \"$\"\npct = \"100%\"\nhash = \"# not // comments /* */\"\n";
    parse(&c, src);
    assert_ok(&c);
    doc_node *s = attr(c.root, "s");
    assert_str(s, "a\tb\nc\rd\"e\\f\xC3\xA9\xF0\x9F\x98\x80${x}%{y}$z%w", STYLE_DOUBLE_QUOTED);
    assert_span(s, 1, 5, 4, 1, 53, 52);
    assert_str(attr(c.root, "empty"), "", STYLE_DOUBLE_QUOTED);
    assert_span(attr(c.root, "empty"), 2, 9, 61, 2, 11, 63);
    assert_str(attr(c.root, "lone"), "$", STYLE_DOUBLE_QUOTED);
    assert_str(attr(c.root, "pct"), "100%", STYLE_DOUBLE_QUOTED);
    assert_str(attr(c.root, "hash"), "# not // comments /* */", STYLE_DOUBLE_QUOTED);
    assert_int_equal(c.f->ncomments, 0);
    parse_case_done(&c);

    /* \u0000 decodes to a NUL byte inside the value (len counts it). */
    parse(&c, "z = \"a\\u0000b\"\n");
    assert_ok(&c);
    doc_node *z = attr(c.root, "z");
    assert_int_equal(z->u.scalar.len, 3);
    assert_memory_equal(z->u.scalar.text, "a\0b", 3);
    parse_case_done(&c);
}

static void test_heredocs(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a = <<EOT\nhello\n  world\nEOT\n"
              "b = <<-EOT\n    x\n      y\n\n    z\n    EOT\n"
              "c = <<-EOT\n\tone\n\t  two\n  EOT\n"
              "d = <<EOT\nEOT\n"
              "e = <<-EOT\n  p\n      \n  q\n  EOT\n"
              "f = <<EOT\n  keeps \\n and \"quotes\" and $${x} and %%{y}\n   EOT\n"
              "g = 1\n");
    assert_ok(&c);
    doc_node *a = attr(c.root, "a");
    assert_str(a, "hello\n  world\n", STYLE_HEREDOC);
    assert_span(a, 1, 5, 4, 4, 4, 27);
    doc_node *b = attr(c.root, "b");
    assert_str(b, "x\n  y\n\nz\n", STYLE_HEREDOC);
    assert_span(b, 5, 5, 32, 10, 8, 67);
    assert_str(attr(c.root, "c"), "one\n  two\n", STYLE_HEREDOC); /* a tab counts as one */
    assert_str(attr(c.root, "d"), "", STYLE_HEREDOC);
    /* whitespace-only lines neither count nor lose their spaces (as HashiCorp) */
    assert_str(attr(c.root, "e"), "p\n      \nq\n", STYLE_HEREDOC);
    assert_str(attr(c.root, "f"), "  keeps \\n and \"quotes\" and ${x} and %{y}\n", STYLE_HEREDOC);
    doc_node *g = attr(c.root, "g");
    assert_int_scalar(g, 1);
    assert_int_equal(g->span.start.line, 25);
    parse_case_done(&c);

    /* A closing marker at the very end of the file, without a newline. */
    parse(&c, "x = <<E\nv\nE");
    assert_ok(&c);
    assert_str(attr(c.root, "x"), "v\n", STYLE_HEREDOC);
    assert_span(attr(c.root, "x"), 1, 5, 4, 3, 2, 11);
    parse_case_done(&c);

    /* Heredocs inside a tuple, the comma on the line after the marker. */
    parse(&c, "l = [\n  <<-A\n    one\n  A\n  ,\n  <<B\ntwo\nB\n]\n");
    assert_ok(&c);
    doc_node *l = attr(c.root, "l");
    assert_str(item_at(l, 0), "one\n", STYLE_HEREDOC);
    assert_str(item_at(l, 1), "two\n", STYLE_HEREDOC);
    parse_case_done(&c);
}

static void test_blocks(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "resource \"aws_instance\" \"web\" {\n  ami = \"x\"\n  ebs { size = 1 }\n"
              "  network_interface {\n    index = 0\n  }\n}\nlocals {}\nprovider aws {\n}\n");
    assert_ok(&c);
    assert_int_equal(c.root->u.map.count, 3);
    assert_int_equal(doc_count_blocks(c.root, "resource"), 1);
    assert_int_equal(doc_count_blocks(c.root, NULL), 3);
    assert_null(doc_get(c.root, "resource")); /* blocks are not attributes */

    const doc_pair *p = pair_at(c.root, 0);
    assert_str(p->key, "resource", STYLE_PLAIN);
    assert_span(p->key, 1, 1, 0, 1, 9, 8);
    const doc_node *r = p->value;
    assert_int_equal(r->kind, DOC_BLOCK);
    assert_string_equal(r->u.block.type, "resource");
    assert_span(r, 1, 1, 0, 7, 2, 104);
    assert_int_equal(r->u.block.nlabels, 2);
    assert_str(r->u.block.labels[0], "aws_instance", STYLE_DOUBLE_QUOTED);
    assert_span(r->u.block.labels[0], 1, 10, 9, 1, 24, 23);
    assert_str(r->u.block.labels[1], "web", STYLE_DOUBLE_QUOTED);
    assert_span(r->u.block.labels[1], 1, 25, 24, 1, 30, 29);
    const doc_node *body = r->u.block.body;
    assert_int_equal(body->kind, DOC_MAP);
    assert_span(body, 1, 31, 30, 7, 2, 104);
    assert_str(attr(body, "ami"), "x", STYLE_DOUBLE_QUOTED);
    assert_span(attr(body, "ami"), 2, 9, 40, 2, 12, 43);

    const doc_node *ebs = pair_at(body, 1)->value;
    assert_int_equal(ebs->kind, DOC_BLOCK);
    assert_int_equal(ebs->u.block.nlabels, 0);
    assert_span(ebs, 3, 3, 46, 3, 19, 62);
    assert_span(ebs->u.block.body, 3, 7, 50, 3, 19, 62);
    assert_int_scalar(attr(ebs->u.block.body, "size"), 1);
    assert_span(attr(ebs->u.block.body, "size"), 3, 16, 59, 3, 17, 60);

    const doc_node *ni = pair_at(body, 2)->value;
    assert_string_equal(ni->u.block.type, "network_interface");
    assert_span(ni, 4, 3, 65, 6, 4, 102);
    assert_int_scalar(attr(ni->u.block.body, "index"), 0);

    const doc_node *locals = pair_at(c.root, 1)->value;
    assert_span(locals, 8, 1, 105, 8, 10, 114);
    assert_int_equal(locals->u.block.body->u.map.count, 0);

    const doc_node *prov = pair_at(c.root, 2)->value;
    assert_int_equal(prov->u.block.nlabels, 1);
    assert_str(prov->u.block.labels[0], "aws", STYLE_PLAIN); /* bare label */
    assert_span(prov->u.block.labels[0], 9, 10, 124, 9, 13, 127);
    assert_span(prov, 9, 1, 115, 10, 2, 131);
    parse_case_done(&c);

    /* Repeated block types, a one-line block holding a one-line object. */
    parse(&c, "a {\n  b { c = { d = 1 } }\n  b {\n  }\n}\na {\n}\n");
    assert_ok(&c);
    assert_int_equal(doc_count_blocks(c.root, "a"), 2);
    const doc_node *first = pair_at(c.root, 0)->value->u.block.body;
    assert_int_equal(doc_count_blocks(first, "b"), 2);
    const doc_node *inner = pair_at(first, 0)->value->u.block.body;
    assert_int_scalar(doc_path(inner, "c.d"), 1);
    parse_case_done(&c);
}

static void test_tuples_and_objects(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "t = [1, \"a\", [true], ]\no = { a = 1, \"b\": 2\n  (k) = 3\n  \"${p}x\" = 4\n"
              "  5 = \"five\"\n}\ne = {}\n");
    assert_ok(&c);
    doc_node *t = attr(c.root, "t");
    assert_int_equal(t->kind, DOC_SEQ);
    assert_span(t, 1, 5, 4, 1, 23, 22);
    assert_int_equal(t->u.seq.count, 3);
    assert_int_scalar(item_at(t, 0), 1);
    assert_span(item_at(t, 0), 1, 6, 5, 1, 7, 6);
    assert_str(item_at(t, 1), "a", STYLE_DOUBLE_QUOTED);
    assert_span(item_at(t, 1), 1, 9, 8, 1, 12, 11);
    doc_node *inner = item_at(t, 2);
    assert_span(inner, 1, 14, 13, 1, 20, 19);
    assert_true(item_at(inner, 0)->u.scalar.b);

    doc_node *o = attr(c.root, "o");
    assert_int_equal(o->kind, DOC_MAP);
    assert_span(o, 2, 5, 27, 6, 2, 81);
    assert_int_equal(o->u.map.count, 5);
    const doc_pair *p = pair_at(o, 0);
    assert_str(p->key, "a", STYLE_PLAIN);
    assert_span(p->key, 2, 7, 29, 2, 8, 30);
    assert_int_scalar(p->value, 1);
    p = pair_at(o, 1);
    assert_str(p->key, "b", STYLE_DOUBLE_QUOTED);
    assert_span(p->key, 2, 14, 36, 2, 17, 39);
    assert_int_scalar(p->value, 2);
    assert_span(p->value, 2, 19, 41, 2, 20, 42);
    p = pair_at(o, 2);
    assert_expr(p->key, EXPR_PAREN, "(k)");
    assert_span(p->key, 3, 3, 45, 3, 6, 48);
    p = pair_at(o, 3);
    assert_expr(p->key, EXPR_TEMPLATE, "\"${p}x\"");
    assert_span(p->key, 4, 3, 55, 4, 10, 62);
    p = pair_at(o, 4);
    assert_int_scalar(p->key, 5);
    assert_str(p->value, "five", STYLE_DOUBLE_QUOTED);
    assert_int_scalar(doc_get(o, "a"), 1);
    assert_int_scalar(doc_get(o, "b"), 2);

    doc_node *e = attr(c.root, "e");
    assert_int_equal(e->kind, DOC_MAP);
    assert_int_equal(e->u.map.count, 0);
    assert_span(e, 7, 5, 86, 7, 7, 88);
    parse_case_done(&c);

    /* Separators: commas, newlines, both, trailing; newlines inside []. */
    parse(&c, "o = {\n  a = 1,\n\n  b = [\n    1,\n    2\n  ]\n  c: \"x\", d = {}, }\n"
              "l = [\n  1\n  ,\n  2,\n]\n");
    assert_ok(&c);
    doc_node *o2 = attr(c.root, "o");
    assert_int_equal(o2->u.map.count, 4);
    assert_int_equal(attr(o2, "b")->u.seq.count, 2);
    assert_str(attr(o2, "c"), "x", STYLE_DOUBLE_QUOTED);
    assert_int_equal(attr(c.root, "l")->u.seq.count, 2);
    parse_case_done(&c);
}

/* ---- expressions -------------------------------------------------------- */

typedef struct expr_case {
    const char *text;
    expr_kind kind;
} expr_case;

static void test_expression_kinds_and_spans(void **state)
{
    (void)state;
    static const expr_case cases[] = {
        {"var.region", EXPR_REFERENCE},
        {"local.a.b", EXPR_REFERENCE},
        {"aws_instance.web[0].id", EXPR_REFERENCE},
        {"a.b.c.d.e.f", EXPR_REFERENCE},
        {"for", EXPR_REFERENCE}, /* only a keyword right after [ or { */
        {"f(x).id", EXPR_REFERENCE},
        {"(a).b", EXPR_REFERENCE},
        {"{a = 1}.a", EXPR_REFERENCE},
        {"aws_instance.web[0]", EXPR_INDEX},
        {"var.tags[\"Name\"]", EXPR_INDEX},
        {"var.list.0", EXPR_INDEX},
        {"var.m[var.k]", EXPR_INDEX},
        {"f(x)[0]", EXPR_INDEX},
        {"[1, 2][0]", EXPR_INDEX},
        {"a[*].b", EXPR_SPLAT},
        {"a.*.b", EXPR_SPLAT},
        {"a[*]", EXPR_SPLAT},
        {"a.*.b.c", EXPR_SPLAT},
        {"a.*.b[0]", EXPR_SPLAT},
        {"a[*].b[0].c", EXPR_SPLAT},
        {"length(var.x)", EXPR_CALL},
        {"f()", EXPR_CALL},
        {"max(var.n...)", EXPR_CALL},
        {"f(1, 2,)", EXPR_CALL},
        {"provider::aws::arn_parse(var.arn)", EXPR_CALL},
        {"f(\n  1,\n  2,\n)", EXPR_CALL},
        {"1 + 2 * 3", EXPR_OPERATOR},
        {"-var.x", EXPR_OPERATOR},
        {"!var.enabled", EXPR_OPERATOR},
        {"!a.b", EXPR_OPERATOR},
        {"!!a", EXPR_OPERATOR},
        {"a && b || c", EXPR_OPERATOR},
        {"a == b", EXPR_OPERATOR},
        {"a != b", EXPR_OPERATOR},
        {"a <= b", EXPR_OPERATOR},
        {"a >= b", EXPR_OPERATOR},
        {"a < b", EXPR_OPERATOR},
        {"a > b", EXPR_OPERATOR},
        {"a % b / c", EXPR_OPERATOR},
        {"(a + b) * c", EXPR_OPERATOR},
        {"a ? b : c", EXPR_CONDITIONAL},
        {"a || b ? c : d", EXPR_CONDITIONAL},
        {"a ? b : c ? d : e", EXPR_CONDITIONAL},
        {"true ? 1 : 0", EXPR_CONDITIONAL},
        {"[for s in var.l : upper(s)]", EXPR_FOR},
        {"[for i, s in var.l : s if i > 0]", EXPR_FOR},
        {"{for k, v in var.m : k => v}", EXPR_FOR},
        {"{for v in var.l : v.g => v... if v.ok}", EXPR_FOR},
        {"[\n  for x in y :\n  x\n]", EXPR_FOR},
        {"{\n  for k, v in m : k => v\n}", EXPR_FOR},
        {"(var.a)", EXPR_PAREN},
        {"(\n  a\n  + b\n)", EXPR_PAREN},
        {"\"${var.x}\"", EXPR_TEMPLATE},
        {"\"a-${var.x}-b\"", EXPR_TEMPLATE},
        {"\"%{ if a }y%{ else }n%{ endif }\"", EXPR_TEMPLATE},
        {"\"%{~ for x in l ~}${x}%{~ endfor ~}\"", EXPR_TEMPLATE},
        {"\"%{ for k, v in m }${k}=${v}%{ endfor }\"", EXPR_TEMPLATE},
        {"\"${ {a = 1}.a }\"", EXPR_TEMPLATE},
        {"\"${\"${x}\"}\"", EXPR_TEMPLATE},
        {"\"a ${~ b ~} c\"", EXPR_TEMPLATE},
        {"\"${\n  x\n}\"", EXPR_TEMPLATE},
        {"\"%{ if a }%{ for x in l }${x}%{ endfor }%{ endif }\"", EXPR_TEMPLATE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[256];
        snprintf(src, sizeof src, "x = %s\ny = 1\n", cases[i].text);
        parse_case c;
        parse(&c, src);
        assert_ok(&c);
        doc_node *x = attr(c.root, "x");
        assert_expr(x, cases[i].kind, cases[i].text);
        assert_int_equal(x->span.start.offset, 4);
        assert_int_equal(x->span.start.line, 1);
        assert_int_equal(x->span.start.col, 5);
        assert_int_equal(x->span.end.offset, 4 + strlen(cases[i].text));
        assert_int_scalar(attr(c.root, "y"), 1);
        parse_case_done(&c);
    }
}

static void test_expression_spans_exclude_comments_and_children_inside_literals(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "x = a + b # trailing\nl = [var.a, f(1), \"${x}\"]\no = { k = var.k }\n"
              "h = <<EOT\nenv=${var.env}\nEOT\n");
    assert_ok(&c);
    doc_node *x = attr(c.root, "x");
    assert_expr(x, EXPR_OPERATOR, "a + b");
    assert_span(x, 1, 5, 4, 1, 10, 9);
    doc_node *l = attr(c.root, "l");
    assert_expr(item_at(l, 0), EXPR_REFERENCE, "var.a");
    assert_span(item_at(l, 0), 2, 6, 26, 2, 11, 31);
    assert_expr(item_at(l, 1), EXPR_CALL, "f(1)");
    assert_expr(item_at(l, 2), EXPR_TEMPLATE, "\"${x}\"");
    assert_expr(attr(attr(c.root, "o"), "k"), EXPR_REFERENCE, "var.k");
    doc_node *h = attr(c.root, "h");
    assert_expr(h, EXPR_TEMPLATE, "<<EOT\nenv=${var.env}\nEOT");
    assert_span(h, 4, 5, 69, 6, 4, 93);
    parse_case_done(&c);
}

/* ---- comments ------------------------------------------------------------ */

static void assert_comment(const src_file *f, size_t i, comment_style style, const char *text,
                           uint32_t sl, uint32_t sc, uint32_t so, uint32_t el, uint32_t ec, uint32_t eo)
{
    assert_true(i < f->ncomments);
    const src_comment *cm = &f->comments[i];
    assert_int_equal(cm->style, style);
    assert_string_equal(cm->text, text);
    assert_int_equal(cm->span.start.line, sl);
    assert_int_equal(cm->span.start.col, sc);
    assert_int_equal(cm->span.start.offset, so);
    assert_int_equal(cm->span.end.line, el);
    assert_int_equal(cm->span.end.col, ec);
    assert_int_equal(cm->span.end.offset, eo);
}

static void test_comments_in_file_order(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "# hash one\na = 1 // slash two\n/* block\nthree */ b = [ # four\n  2, /* five */\n]\n"
              "c = \"# not\" // six\n# seven");
    assert_ok(&c);
    assert_int_equal(c.f->ncomments, 7);
    assert_comment(c.f, 0, COMMENT_HASH, "hash one", 1, 1, 0, 1, 11, 10);
    assert_comment(c.f, 1, COMMENT_SLASH, "slash two", 2, 7, 17, 2, 19, 29);
    assert_comment(c.f, 2, COMMENT_BLOCK, "block\nthree", 3, 1, 30, 4, 9, 47);
    assert_comment(c.f, 3, COMMENT_HASH, "four", 4, 16, 54, 4, 22, 60);
    assert_comment(c.f, 4, COMMENT_BLOCK, "five", 5, 6, 66, 5, 16, 76);
    assert_comment(c.f, 5, COMMENT_SLASH, "six", 7, 13, 91, 7, 19, 97);
    assert_comment(c.f, 6, COMMENT_HASH, "seven", 8, 1, 98, 8, 8, 105);
    assert_int_equal(attr(c.root, "b")->u.seq.count, 1);
    assert_str(attr(c.root, "c"), "# not", STYLE_DOUBLE_QUOTED);
    parse_case_done(&c);

    /* Comments inside templates' interpolations are comments; a '#' in the
     * literal part of a template or heredoc is not. */
    parse(&c, "t = \"# x ${ a /* in */ } //\"\nh = <<EOT\n# not a comment\nEOT\n");
    assert_ok(&c);
    assert_int_equal(c.f->ncomments, 1);
    assert_comment(c.f, 0, COMMENT_BLOCK, "in", 1, 15, 14, 1, 23, 22);
    assert_str(attr(c.root, "h"), "# not a comment\n", STYLE_HEREDOC);
    parse_case_done(&c);

    /* CRLF: a line comment's span stops before the carriage return. */
    parse(&c, "a = 1 # c\r\n");
    assert_ok(&c);
    assert_comment(c.f, 0, COMMENT_HASH, "c", 1, 7, 6, 1, 10, 9);
    parse_case_done(&c);
}

/* ---- duplicates ------------------------------------------------------------ */

static void test_duplicate_attribute_warning(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a = 1\nb = 2\nblk {\n  a = 5\n}\nblk {\n}\na = 3\n");
    assert_ok(&c);
    assert_int_equal(c.diags.count, 1);
    const diag *w = &c.diags.items[0];
    assert_int_equal(w->level, DIAG_WARNING);
    assert_string_equal(w->path, "t.tf");
    assert_int_equal(w->line, 8);
    assert_int_equal(w->col, 1);
    assert_string_equal(w->message, "duplicate attribute 'a' (first defined at line 1)");
    assert_int_scalar(doc_get(c.root, "a"), 3); /* the later value wins */
    assert_int_equal(c.root->u.map.count, 5);   /* both are kept in order */
    parse_case_done(&c);

    parse(&c, "o = {\n  k = 1\n  \"k\" = 2\n}\n");
    assert_ok(&c);
    assert_int_equal(c.diags.count, 1);
    assert_int_equal(c.diags.items[0].level, DIAG_WARNING);
    assert_int_equal(c.diags.items[0].line, 3);
    assert_int_equal(c.diags.items[0].col, 3);
    assert_string_equal(c.diags.items[0].message, "duplicate object key 'k' (first defined at line 2)");
    assert_int_scalar(doc_get(attr(c.root, "o"), "k"), 2);
    parse_case_done(&c);

    /* Many attributes: duplicates found past the hash table's growth. */
    char big[40000];
    size_t n = 0;
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "attr_%d = %d\n", i, i);
    n += (size_t)snprintf(big + n, sizeof big - n, "attr_1234 = 0\n");
    parse_limits lim = parse_limits_default();
    parse_with(&c, big, n, &lim);
    assert_ok(&c);
    assert_int_equal(c.diags.count, 1);
    assert_int_equal(c.diags.items[0].line, 2001);
    assert_string_equal(c.diags.items[0].message,
                        "duplicate attribute 'attr_1234' (first defined at line 1235)");
    parse_case_done(&c);
}

/* ---- errors ------------------------------------------------------------------ */

typedef struct error_case {
    const char *src;
    unsigned line, col;
    const char *msg;
} error_case;

static void test_syntax_errors_with_positions(void **state)
{
    (void)state;
    static const error_case cases[] = {
        {"foo\n", 1, 4, "expected '=' or '{' after 'foo', found end of line"},
        {"foo bar baz = 1\n", 1, 13, "unexpected '=' after the labels of block 'foo'"},
        {"foo \"x\"\n{\n}\n", 1, 8, "the '{' opening block 'foo' must be on the same line"},
        {"a = \"abc\n", 1, 5, "unterminated string"},
        {"a = \"abc", 1, 5, "unterminated string: missing closing '\"' before the end of the file"},
        {"a = <<EOF\nline\n", 1, 5, "unterminated heredoc: expected 'EOF' before end of file"},
        {"a = <<EOF\nline\n  EOFX\n", 1, 5, "unterminated heredoc: expected 'EOF'"},
        {"a = <<EOF x\nEOF\n", 1, 5, "the marker 'EOF' must be followed directly by a newline"},
        {"a = <<\"EOF\"\nEOF\n", 1, 5, "'<<' must be followed by a marker name"},
        {"resource \"a\" \"b\" {\n  x = 1\n", 3, 1, "unclosed '{' opened at line 1, column 18"},
        {"x {\n  y {\n    z = 1\n}\n", 5, 1, "unclosed '{' opened at line 1, column 3"},
        {"a = [1, 2\n", 2, 1, "unclosed '[' opened at line 1, column 5"},
        {"a = (1\n", 2, 1, "unclosed '(' opened at line 1, column 5"},
        {"a = {\n  b = 1\n", 3, 1, "unclosed '{' opened at line 1, column 5"},
        {"a = f(1,\n", 2, 1, "unclosed '(' of the call to 'f' opened at line 1, column 6"},
        {"a = \"${x\"\n", 1, 9, "expected '}' to close the '${' opened at line 1, column 6"},
        {"a = \"${x", 1, 9, "unclosed '${' opened at line 1, column 6"},
        {"a = \"bad \\q\"\n", 1, 10, "invalid escape sequence '\\q'"},
        {"a = \"\\u12\"\n", 1, 6, "\\u must be followed by four hexadecimal digits"},
        {"a = \"\\U0001F6\"\n", 1, 6, "\\U must be followed by eight hexadecimal digits"},
        {"a = \"\\uD800\"\n", 1, 6, "U+D800 cannot be encoded in UTF-8"},
        {"a =\nb = 1\n", 1, 4, "expected an expression before the end of the line"},
        {"a = ", 1, 5, "expected an expression, found end of file"},
        {"a = 1, b = 2\n", 1, 6, "unexpected ',' after the value of 'a'"},
        {"a = 1 b = 2\n", 1, 7, "expected a newline after the value of 'a', found 'b'"},
        {"\"quoted\" = 1\n", 1, 1, "attribute names must not be quoted"},
        {"= 1\n", 1, 1, "expected an attribute or block definition, found '='"},
        {"}\n", 1, 1, "unexpected '}': no block is open here"},
        {"x { a = 1, b = 2 }\n", 1, 10, "a single-line block can hold only one attribute"},
        {"x { a = 1\n}\n", 1, 10, "a single-line block must be closed on the same line"},
        {"x { y {} }\n", 1, 5, "a single-line block can only contain one attribute"},
        {"x {\n} y = 1\n", 2, 3, "expected a newline after the closing '}' of block 'x'"},
        {"a = 1 /*\n*/ b = 2\n", 2, 4, "expected a newline after the value of 'a'"},
        {"a = 1 /* never closed\n", 1, 7, "unterminated comment: '/*' has no closing '*/'"},
        {"a = b & c\n", 1, 7, "unexpected '&'; the logical AND operator is '&&'"},
        {"a = b | c\n", 1, 7, "unexpected '|'; the logical OR operator is '||'"},
        {"a = 'x'\n", 1, 5, "strings in HCL use double quotes"},
        {"a = 1 ~ 2\n", 1, 7, "unexpected '~'"},
        {"a = @\n", 1, 5, "unexpected character '@'"},
        {"a = \x01\n", 1, 5, "unexpected control character U+0001"},
        {"a = 1\rb = 2\n", 1, 6, "carriage return without a following line feed"},
        {"a = var.list.0.1\n", 1, 14, "invalid legacy index '.0.1': chaining two indexes is not allowed; write [0][1]"},
        {"a = var.\n", 1, 9, "expected an attribute name after '.', found end of line"},
        {"a = x[*\n", 2, 1, "expected ']' after '[*'"},
        {"a = x.*.*\n", 1, 9, "a splat ('.*') cannot contain another splat"},
        {"a = [for x y : x]\n", 1, 12, "expected 'in' after the variable names of the 'for' expression"},
        {"a = [for x in y x]\n", 1, 17, "expected ':' after the collection of the 'for' expression"},
        {"a = [for x in y : x => x]\n", 1, 21, "a tuple 'for' expression ([for ...]) cannot have a key"},
        {"a = {for x in y : x}\n", 1, 19, "needs 'key => value'"},
        {"a = [for x in y : x...]\n", 1, 20, "grouping with '...' is only allowed in object 'for'"},
        {"a = { for = 1 }\n", 1, 11, "expected a variable name after 'for', found '='"},
        {"a = f(x..., y)\n", 1, 11, "expected ')' after '...' (only the last argument can be expanded)"},
        {"a = f(x y)\n", 1, 9, "expected ',' or ')' after a function argument, found 'y'"},
        {"a = x ? y\n", 1, 10, "expected ':' in the conditional expression started by '?' at line 1, column 7"},
        {"a = [1 2]\n", 1, 8, "expected ',' or ']' after a tuple element, found number 2"},
        {"a = { b = 1 c = 2 }\n", 1, 13, "expected ',' or a newline after an object element"},
        {"a = { b }\n", 1, 9, "expected '=' or ':' after the object key 'b', found '}'"},
        {"a = provider::(x)\n", 1, 15, "expected a function name after '::'"},
        {"a = \"%{ if x }yes\"\n", 1, 6, "the '%{ if }' directive has no matching '%{ endif }'"},
        {"a = \"%{ else }\"\n", 1, 6, "unexpected '%{ else }': no '%{ if }' is open"},
        {"a = \"%{ endif }\"\n", 1, 6, "unexpected '%{ endif }': no matching directive is open"},
        {"a = \"%{ for x in y }${x}%{ endif }\"\n", 1, 25, "the open directive is a '%{ for }'"},
        {"a = \"%{ if x }1%{ else }2%{ else }3%{ endif }\"\n", 1, 26, "already has an else clause"},
        {"a = \"%{ for x in y }1%{ else }2%{ endfor }\"\n", 1, 22, "a '%{ for }' cannot have an else clause"},
        {"a = \"%{ when x }\"\n", 1, 9, "unknown template directive 'when'"},
        {"a = \"%{ if x y }\"\n", 1, 14, "expected '}' to close the '%{' opened at line 1, column 6"},
        {"a = <<EOT\n%{ if x }\nEOT\n", 2, 1, "no matching '%{ endif }' before the end of the heredoc"},
        {"resource \"aws_${x}\" \"y\" {\n}\n", 1, 15, "template sequences are not allowed in a block label"},
        {"a = \"caf\xC3\xA9\" \xFF\n", 1, 12, "invalid UTF-8 (byte 0xFF at offset 12)"},
        {"a = 1\nb = \xC3\n", 2, 5, "invalid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parse_case c;
        parse(&c, cases[i].src);
        assert_error(&c, cases[i].line, cases[i].col, cases[i].msg);
        parse_case_done(&c);
    }
}

static void test_binary_and_empty_input(void **state)
{
    (void)state;
    parse_case c;
    parse_limits lim = parse_limits_default();
    parse_with(&c, "a = 1\n\0\0\0", 9, &lim);
    assert_error(&c, 2, 1, "binary file (NUL byte at offset 6)");
    parse_case_done(&c);

    parse(&c, "");
    assert_ok(&c);
    assert_int_equal(c.root->u.map.count, 0);
    assert_span(c.root, 1, 1, 0, 1, 1, 0);
    assert_int_equal(c.f->ncomments, 0);
    parse_case_done(&c);

    parse(&c, "\n\n# only a comment\n\n");
    assert_ok(&c);
    assert_int_equal(c.root->u.map.count, 0);
    assert_int_equal(c.f->ncomments, 1);
    parse_case_done(&c);
}

/* ---- limits ------------------------------------------------------------------ */

static void assert_depth_error(const char *prefix, char open, size_t count, unsigned col)
{
    size_t plen = strlen(prefix);
    char *src = malloc(plen + count + 2);
    memcpy(src, prefix, plen);
    memset(src + plen, open, count);
    src[plen + count] = '\n';
    parse_case c;
    parse_limits lim = parse_limits_default();
    parse_with(&c, src, plen + count + 1, &lim);
    assert_error(&c, 1, col, "nesting is deeper than 256 levels");
    parse_case_done(&c);
    free(src);
}

static void test_depth_limit_fails_fast_on_100000_levels(void **state)
{
    (void)state;
    /* a = [[[[... : 256 levels are fine, the 257th '[' is reported. */
    assert_depth_error("a = ", '[', 100000, 4 + 257);
    assert_depth_error("a = ", '(', 100000, 4 + 257);
    assert_depth_error("a = ", '!', 100000, 4 + 257);
    assert_depth_error("a = ", '-', 100000, 4 + 257);

    /* objects: a = {b = {b = {... */
    size_t n = 100000;
    char *src = malloc(n * 6 + 8);
    size_t len = (size_t)sprintf(src, "a = ");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "{b = ");
    parse_case c;
    parse_limits lim = parse_limits_default();
    parse_with(&c, src, len, &lim);
    assert_error(&c, 1, 5 + 5 * 256, "nesting is deeper than 256 levels");
    parse_case_done(&c);

    /* nested blocks, one per line: x {\n x {\n ... */
    len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "x {\n");
    parse_with(&c, src, len, &lim);
    assert_error(&c, 257, 3, "nesting is deeper than 256 levels");
    parse_case_done(&c);

    /* nested template interpolations: "${"${"${... */
    len = (size_t)sprintf(src, "a = ");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "\"${");
    parse_with(&c, src, len, &lim);
    assert_false(c.ok);
    assert_non_null(strstr(c.diags.items[0].message, "nesting is deeper than 256 levels"));
    parse_case_done(&c);

    /* a configured limit is honoured... */
    parse_limits small = parse_limits_default();
    small.max_depth = 3;
    parse_with(&c, "a = [[[1]]]\n", 12, &small);
    assert_ok(&c);
    parse_case_done(&c);
    parse_with(&c, "a = [[[[1]]]]\n", 14, &small);
    assert_error(&c, 1, 8, "nesting is deeper than 3 levels");
    parse_case_done(&c);
    parse_with(&c, "a = x ? y : z ? 1 : z ? 2 : z ? 3 : 4\n", 38, &small);
    assert_error(&c, 1, 31, "nesting is deeper than 3 levels");
    parse_case_done(&c);

    /* ...and a huge one is capped so the C stack cannot overflow. */
    parse_limits huge = parse_limits_default();
    huge.max_depth = (size_t)1 << 40;
    len = (size_t)sprintf(src, "a = ");
    memset(src + len, '[', n);
    parse_with(&c, src, len + n, &huge);
    assert_false(c.ok);
    assert_non_null(strstr(c.diags.items[0].message, "nesting is deeper than 1000 levels"));
    parse_case_done(&c);
    free(src);

    /* Long flat inputs are not nesting: 100,000 operands and list items. */
    src = malloc(n * 4 + 16);
    len = (size_t)sprintf(src, "a = 1");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, " + 1");
    src[len++] = '\n';
    parse_with(&c, src, len, &lim);
    assert_ok(&c);
    assert_int_equal(attr(c.root, "a")->u.expr.kind, EXPR_OPERATOR);
    parse_case_done(&c);
    free(src);
}

/* ---- positions: UTF-8, CRLF, BOM -------------------------------------------- */

static void test_positions_utf8_crlf_bom(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "s = \"\xE6\x97\xA5\xE6\x9C\xAC\" # \xC3\xBC\nt = 1\n");
    assert_ok(&c);
    doc_node *s = attr(c.root, "s");
    assert_str(s, "\xE6\x97\xA5\xE6\x9C\xAC", STYLE_DOUBLE_QUOTED);
    assert_span(s, 1, 5, 4, 1, 9, 12);
    assert_comment(c.f, 0, COMMENT_HASH, "\xC3\xBC", 1, 10, 13, 1, 13, 17);
    assert_span(pair_at(c.root, 1)->key, 2, 1, 18, 2, 2, 19);
    parse_case_done(&c);

    /* Non-ASCII identifiers and labels; columns count characters. */
    parse(&c, "n\xC3\xA9v = { cl\xC3\xA9 = \"v\" }\n");
    assert_ok(&c);
    doc_node *nev = attr(c.root, "n\xC3\xA9v");
    assert_span(nev, 1, 7, 7, 1, 20, 21);
    assert_span(pair_at(nev, 0)->key, 1, 9, 9, 1, 12, 13);
    parse_case_done(&c);

    parse(&c, "a = 1\r\nb = \"x\"\r\nc = <<EOT\r\nline\r\nEOT\r\nd {\r\n  e = true\r\n}\r\n");
    assert_ok(&c);
    assert_span(attr(c.root, "a"), 1, 5, 4, 1, 6, 5);
    assert_str(attr(c.root, "b"), "x", STYLE_DOUBLE_QUOTED);
    assert_span(attr(c.root, "b"), 2, 5, 11, 2, 8, 14);
    doc_node *h = attr(c.root, "c");
    assert_str(h, "line\r\n", STYLE_HEREDOC); /* heredoc bytes kept as written, as HashiCorp */
    assert_span(h, 3, 5, 20, 5, 4, 36);
    const doc_node *d = pair_at(c.root, 3)->value;
    assert_span(d, 6, 1, 38, 8, 2, 56);
    assert_true(attr(d->u.block.body, "e")->u.scalar.b);
    parse_case_done(&c);

    /* A UTF-8 byte order mark is skipped (it still occupies column 1). */
    parse(&c, "\xEF\xBB\xBF" "a = 1\n");
    assert_ok(&c);
    assert_span(pair_at(c.root, 0)->key, 1, 2, 3, 1, 3, 4);
    assert_int_scalar(attr(c.root, "a"), 1);
    parse_case_done(&c);
}

/* ---- fixtures and seed snippets ---------------------------------------------- */

static const doc_node *block_body(const doc_node *body, size_t pair_index, const char *type)
{
    const doc_node *b = pair_at(body, pair_index)->value;
    assert_int_equal(b->kind, DOC_BLOCK);
    assert_string_equal(b->u.block.type, type);
    return b->u.block.body;
}

static void test_all_constructs_fixture(void **state)
{
    (void)state;
    parse_case c;
    parse_repo_file(&c, "tests/fixtures/hcl/all_constructs.tf");
    assert_ok(&c);
    assert_int_equal(c.diags.count, 0);
    assert_int_equal(doc_count_blocks(c.root, NULL), 4);
    assert_int_equal(c.f->ncomments, 4);
    assert_string_equal(c.f->comments[2].text, "slash comment");
    assert_int_equal(c.f->comments[3].style, COMMENT_BLOCK);

    const doc_node *var = block_body(c.root, 1, "variable");
    assert_expr(attr(var, "type"), EXPR_CALL, "map(object({ tier = string }))");
    const doc_node *def = attr(var, "default");
    assert_str(attr(attr(def, "acme-prod"), "tier"), "enterprise", STYLE_DOUBLE_QUOTED);
    assert_int_scalar(attr(attr(def, "beta"), "seats"), -12);
    assert_int_equal(attr(attr(def, "beta"), "seats")->span.start.line, 11);

    const doc_node *l = block_body(c.root, 2, "locals");
    assert_str(attr(l, "literal_string"), "plain", STYLE_DOUBLE_QUOTED);
    assert_int_scalar(attr(l, "literal_number"), 42);
    assert_float_scalar(attr(l, "literal_float"), 0.25);
    assert_false(attr(l, "literal_bool")->u.scalar.b);
    assert_int_equal(attr(l, "literal_null")->u.scalar.type, SCALAR_NULL);
    const doc_node *tuple = attr(l, "literal_tuple");
    assert_int_equal(tuple->u.seq.count, 5);
    assert_float_scalar(item_at(item_at(tuple, 4), 0), 2.0);
    assert_str(attr(attr(l, "literal_object"), "b"), "two", STYLE_DOUBLE_QUOTED);
    assert_int_equal(doc_path(l, "literal_object.c.d")->kind, DOC_SEQ);
    assert_str(attr(l, "heredoc_flush"), "alpha\n  beta\n", STYLE_HEREDOC);
    assert_int_equal(attr(l, "reference")->u.expr.kind, EXPR_REFERENCE);
    assert_int_equal(attr(l, "index")->u.expr.kind, EXPR_INDEX);
    assert_int_equal(attr(l, "splat")->u.expr.kind, EXPR_SPLAT);
    assert_int_equal(attr(l, "call")->u.expr.kind, EXPR_CALL);
    assert_int_equal(attr(l, "operator")->u.expr.kind, EXPR_OPERATOR);
    assert_int_equal(attr(l, "conditional")->u.expr.kind, EXPR_CONDITIONAL);
    assert_int_equal(attr(l, "for_expr")->u.expr.kind, EXPR_FOR);
    assert_int_equal(attr(l, "paren")->u.expr.kind, EXPR_PAREN);
    assert_int_equal(attr(l, "template")->u.expr.kind, EXPR_TEMPLATE);
    assert_expr(attr(l, "heredoc_tpl"), EXPR_TEMPLATE, "<<EOT\nenv=${var.env}\nEOT");

    const doc_node *res = pair_at(c.root, 3)->value;
    assert_str(res->u.block.labels[1], "web", STYLE_DOUBLE_QUOTED);
    const doc_node *rb = res->u.block.body;
    assert_int_scalar(attr(rb, "count"), 2);
    assert_span(attr(rb, "count"), 42, 19, 1105, 42, 20, 1106);
    assert_int_equal(doc_count_blocks(rb, "ebs_block_device"), 1);
    assert_expr(doc_path(rb, "tags.Name"), EXPR_TEMPLATE, "\"web-${count.index}\"");
    parse_case_done(&c);
}

static void test_seed_snippets(void **state)
{
    (void)state;
    parse_case c;
    /* 000: per-client analytics map */
    parse_repo_file(&c, "tests/hcl_diff/cases/seed000_analytics_clients.tfvars");
    const doc_node *cfg = attr(c.root, "analytics_configs");
    const doc_node *prod = attr(cfg, "est-prod-analytics");
    assert_str(attr(prod, "instance_type"), "m5.2xlarge", STYLE_DOUBLE_QUOTED);
    assert_span(attr(prod, "instance_type"), 6, 26, 258, 6, 38, 270);
    assert_int_scalar(attr(prod, "data_volume_size"), 500);
    assert_int_scalar(doc_path(cfg, "est-dev-test.root_volume_size"), 20);
    assert_int_equal(c.f->ncomments, 10);
    assert_string_equal(c.f->comments[3].text, "8 vCPU, 32 GB RAM");
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed000_cost_optimisation.tfvars");
    const doc_node *enabled = attr(c.root, "enabled_clients");
    assert_str(item_at(enabled, 1), "active-client-2", STYLE_DOUBLE_QUOTED);
    assert_str(doc_path(c.root, "analytics_configs.dev-client.instance_type"), "t3.micro",
               STYLE_DOUBLE_QUOTED);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed000_ecs.tf");
    const doc_node *ecs = pair_at(c.root, 0)->value;
    assert_str(ecs->u.block.labels[0], "aws_ecs_service", STYLE_DOUBLE_QUOTED);
    assert_expr(attr(ecs->u.block.body, "desired_count"), EXPR_REFERENCE,
                "var.analytics_configs[each.key].desired_count");
    parse_case_done(&c);

    /* 001: launch template with a one-line block, ASG with conditionals */
    parse_repo_file(&c, "tests/hcl_diff/cases/seed001_frontend_asg.tf");
    assert_int_equal(doc_count_blocks(c.root, "resource"), 2);
    const doc_node *lt = block_body(c.root, 0, "resource");
    assert_expr(attr(lt, "instance_type"), EXPR_CONDITIONAL, "var.prod ? \"c5.2xlarge\" : \"t2.xlarge\"");
    assert_expr(attr(lt, "name_prefix"), EXPR_TEMPLATE, "\"${var.environment}-frontend-\"");
    const doc_node *profile = pair_at(lt, 4)->value;
    assert_string_equal(profile->u.block.type, "iam_instance_profile");
    assert_expr(attr(profile->u.block.body, "name"), EXPR_REFERENCE, "var.ssm_instance_profile.name");
    const doc_node *asg = block_body(c.root, 1, "resource");
    assert_expr(attr(asg, "vpc_zone_identifier"), EXPR_SPLAT, "var.private_subnets[*].id");
    assert_str(doc_path(pair_at(asg, 7)->value->u.block.body, "version"), "$Latest",
               STYLE_DOUBLE_QUOTED);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed001_scaling_policy.tf");
    const doc_node *alarm = block_body(c.root, 1, "resource");
    assert_str(attr(alarm, "threshold"), "80", STYLE_DOUBLE_QUOTED);
    assert_int_scalar(attr(block_body(c.root, 0, "resource"), "cooldown"), 300);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed001_phase3.tf");
    assert_int_equal(c.root->u.map.count, 0);
    assert_int_equal(c.f->ncomments, 3);
    assert_string_equal(c.f->comments[1].text, "- Amazon MQ instead of self-managed RabbitMQ");
    parse_case_done(&c);

    /* 003: instances with templatefile() and the ALB */
    parse_repo_file(&c, "tests/hcl_diff/cases/seed003_ec2.tf");
    const doc_node *edge = block_body(c.root, 0, "resource");
    assert_str(doc_path(edge, "tags.FetchSSL"), "true", STYLE_DOUBLE_QUOTED);
    assert_expr(doc_path(edge, "tags.Name"), EXPR_TEMPLATE, "\"${var.project_name}-edge-${count.index}\"");
    assert_int_equal(attr(edge, "user_data")->u.expr.kind, EXPR_CALL);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed003_alb.tf");
    const doc_node *tg = block_body(c.root, 1, "resource");
    assert_int_scalar(attr(tg, "port"), 8080);
    assert_str(doc_path(pair_at(tg, 4)->value->u.block.body, "path"), "/api/health",
               STYLE_DOUBLE_QUOTED);
    assert_false(attr(block_body(c.root, 0, "resource"), "internal")->u.scalar.b);
    parse_case_done(&c);

    /* 004: environment tfvars */
    parse_repo_file(&c, "tests/hcl_diff/cases/seed004_prod.tfvars");
    assert_str(attr(c.root, "environment"), "prod", STYLE_DOUBLE_QUOTED);
    assert_true(attr(c.root, "enable_eks")->u.scalar.b);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed004_eks.tfvars");
    assert_int_scalar(doc_path(c.root, "eks_node_groups.spot.scaling_config.max_size"), 20);
    assert_str(item_at(doc_path(c.root, "eks_node_groups.spot.instance_types"), 2), "m4.large",
               STYLE_DOUBLE_QUOTED);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed004_ecs.tfvars");
    const doc_node *containers = doc_path(c.root, "ecs_services.web-app.task_definition.containers");
    const doc_node *pm = item_at(attr(item_at(containers, 0), "portMappings"), 0);
    assert_int_scalar(attr(pm, "containerPort"), 80);
    assert_span(attr(pm, "containerPort"), 15, 27, 355, 15, 29, 357);
    assert_str(doc_path(c.root, "ecs_services.web-app.task_definition.cpu"), "512", STYLE_DOUBLE_QUOTED);
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed004_lambda.tfvars");
    const doc_node *fn = doc_path(c.root, "lambda_functions.api-handler");
    assert_int_scalar(attr(fn, "memory_size"), 256);
    assert_expr(doc_path(fn, "environment_variables.LOG_LEVEL"), EXPR_REFERENCE, "var.lambda_log_level");
    assert_expr(item_at(doc_path(fn, "vpc_config.security_group_ids"), 0), EXPR_INDEX,
                "data.terraform_remote_state.networking.outputs.security_group_ids[\"lambda\"]");
    parse_case_done(&c);

    parse_repo_file(&c, "tests/hcl_diff/cases/seed004_api_gateway.tfvars");
    assert_str(item_at(doc_path(c.root, "api_gateway_http_apis.fast.cors_configuration.allow_methods"), 3),
               "DELETE", STYLE_DOUBLE_QUOTED);
    parse_case_done(&c);

    /* The raw seed 000 fragment (a quoted name at top level) is an error. */
    parse(&c, "# High-performance analytics client\n\"est-prod-analytics\" = {\n  instance_type = \"m5.2xlarge\"\n}\n");
    assert_error(&c, 2, 1, "attribute names must not be quoted");
    parse_case_done(&c);
}

static void test_failure_leaves_no_result(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "a = 1\nb = [\n");
    assert_false(c.ok);
    assert_null(c.root);
    parse_case_done(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attributes_and_literal_types),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_heredocs),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_tuples_and_objects),
        cmocka_unit_test(test_expression_kinds_and_spans),
        cmocka_unit_test(test_expression_spans_exclude_comments_and_children_inside_literals),
        cmocka_unit_test(test_comments_in_file_order),
        cmocka_unit_test(test_duplicate_attribute_warning),
        cmocka_unit_test(test_syntax_errors_with_positions),
        cmocka_unit_test(test_binary_and_empty_input),
        cmocka_unit_test(test_depth_limit_fails_fast_on_100000_levels),
        cmocka_unit_test(test_positions_utf8_crlf_bom),
        cmocka_unit_test(test_all_constructs_fixture),
        cmocka_unit_test(test_seed_snippets),
        cmocka_unit_test(test_failure_leaves_no_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
