/* test_json.c - the JSON front-end: values, exact spans, string decoding,
 * numbers, duplicate keys, every syntax error with its position, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/frontend.h"
#define PARSE_FRONTEND FRONTEND_JSON /* parse(), parse_with(): support_parse.h */
#include "tests/unit/support_parse.h"

/* Parses text and asserts exactly one error at line:col with message msg. */
#define assert_json_error(text, l, col_, msg)                                  \
    do {                                                                       \
        parse_case c_;                                                         \
        parse(&c_, (text));                                                    \
        assert_false(c_.ok);                                                   \
        assert_null(c_.root);                                                  \
        assert_int_equal(c_.diags.count, 1);                                   \
        const diag *e_ = &c_.diags.items[0];                                   \
        assert_int_equal(e_->level, DIAG_ERROR);                               \
        assert_string_equal(e_->path, "t.tfvars.json");                        \
        assert_string_equal(e_->message, (msg));                               \
        assert_int_equal(e_->line, (l));                                       \
        assert_int_equal(e_->col, (col_));                                     \
        parse_case_done(&c_);                                                  \
    } while (0)

static void assert_scalar(const doc_node *n, scalar_type type, const char *text)
{
    assert_non_null(n);
    assert_int_equal(n->kind, DOC_SCALAR);
    assert_int_equal(n->u.scalar.type, type);
    assert_string_equal(n->u.scalar.text, text);
}

static void test_object_values_and_spans(void **state)
{
    (void)state;
    parse_case c;
    const char *text = "{\n"                                  /* 0 */
                       "  \"name\": \"web\",\n"               /* 2 */
                       "  \"port\": 8080,\n"                  /* 19 */
                       "  \"tags\": [\"a\", \"b\"],\n"        /* 35 */
                       "  \"on\": true, \"off\": false,\n"    /* 57 */
                       "  \"none\": null,\n"                  /* 85 */
                       "  \"ratio\": 0.5,\n"                  /* 101 */
                       "  \"empty\": {}, \"list\": []\n"      /* 117 */
                       "}\n";                                 /* 143 */
    parse(&c, text);
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 0);
    doc_node *r = c.root;
    assert_int_equal(r->kind, DOC_MAP);
    assert_int_equal(r->u.map.count, 9);
    assert_span(r, 1, 1, 0, 9, 2, 144);
    const doc_pair *p = &r->u.map.pairs[0];
    assert_scalar(p->key, SCALAR_STR, "name");
    assert_int_equal(p->key->u.scalar.style, STYLE_DOUBLE_QUOTED);
    assert_span(p->key, 2, 3, 4, 2, 9, 10);
    assert_scalar(p->value, SCALAR_STR, "web");
    assert_span(p->value, 2, 11, 12, 2, 16, 17);
    doc_node *port = doc_get(r, "port");
    assert_scalar(port, SCALAR_INT, "8080");
    assert_int_equal(port->u.scalar.i, 8080);
    assert_span(port, 3, 11, 29, 3, 15, 33);
    doc_node *tags = doc_get(r, "tags");
    assert_int_equal(tags->kind, DOC_SEQ);
    assert_int_equal(tags->u.seq.count, 2);
    assert_span(tags, 4, 11, 45, 4, 21, 55);
    assert_scalar(tags->u.seq.items[1], SCALAR_STR, "b");
    assert_span(tags->u.seq.items[1], 4, 17, 51, 4, 20, 54);
    assert_scalar(doc_get(r, "on"), SCALAR_BOOL, "true");
    assert_true(doc_get(r, "on")->u.scalar.b);
    assert_span(doc_get(r, "on"), 5, 9, 65, 5, 13, 69);
    assert_scalar(doc_get(r, "off"), SCALAR_BOOL, "false");
    assert_false(doc_get(r, "off")->u.scalar.b);
    assert_scalar(doc_get(r, "none"), SCALAR_NULL, "null");
    assert_span(doc_get(r, "none"), 6, 11, 95, 6, 15, 99);
    assert_scalar(doc_get(r, "ratio"), SCALAR_FLOAT, "0.5");
    assert_true(doc_get(r, "ratio")->u.scalar.f == 0.5);
    doc_node *empty = doc_get(r, "empty");
    assert_int_equal(empty->kind, DOC_MAP);
    assert_int_equal(empty->u.map.count, 0);
    assert_span(empty, 8, 12, 128, 8, 14, 130);
    assert_span(doc_get(r, "list"), 8, 24, 140, 8, 26, 142);
    assert_int_equal(c.f->ncomments, 0);
    parse_case_done(&c);
}

static void test_string_escapes_are_decoded(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "[\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00!\", "
              "\"nul\\u0000x\", \"raw é\"]");
    assert_true(c.ok);
    doc_node **it = c.root->u.seq.items;
    assert_scalar(it[0], SCALAR_STR, "q\"b\\s/\b\f\n\r\t");
    assert_span(it[0], 1, 2, 1, 1, 23, 22);
    assert_scalar(it[1], SCALAR_STR, "\xc3\xa9\xe2\x82\xac");
    assert_scalar(it[2], SCALAR_STR, "\xf0\x9f\x98\x80!");
    assert_int_equal(it[3]->u.scalar.len, 5);
    assert_memory_equal(it[3]->u.scalar.text, "nul\0x", 5);
    assert_scalar(it[4], SCALAR_STR, "raw \xc3\xa9");
    parse_case_done(&c);
}

static void test_numbers_int_or_float(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "[0, -0, -42, 9223372036854775807, 9223372036854775808, 1.5, 1e3, -1.25E-2, "
              "-9223372036854775808, 1e400]");
    assert_true(c.ok);
    doc_node **it = c.root->u.seq.items;
    assert_scalar(it[0], SCALAR_INT, "0");
    assert_scalar(it[1], SCALAR_INT, "-0");
    assert_int_equal(it[1]->u.scalar.i, 0);
    assert_scalar(it[2], SCALAR_INT, "-42");
    assert_int_equal(it[2]->u.scalar.i, -42);
    assert_true(it[2]->u.scalar.f == -42.0);
    assert_scalar(it[3], SCALAR_INT, "9223372036854775807");
    assert_int_equal(it[3]->u.scalar.i, INT64_MAX);
    assert_scalar(it[4], SCALAR_FLOAT, "9223372036854775808"); /* beyond int64 */
    assert_true(it[4]->u.scalar.f == 9223372036854775808.0);
    assert_scalar(it[5], SCALAR_FLOAT, "1.5");
    assert_true(it[5]->u.scalar.f == 1.5);
    assert_scalar(it[6], SCALAR_FLOAT, "1e3");
    assert_true(it[6]->u.scalar.f == 1000.0);
    assert_int_equal(it[6]->u.scalar.i, 1000);
    assert_scalar(it[7], SCALAR_FLOAT, "-1.25E-2");
    assert_true(it[7]->u.scalar.f == -0.0125);
    assert_span(it[7], 1, 66, 65, 1, 74, 73);
    assert_scalar(it[8], SCALAR_INT, "-9223372036854775808");
    assert_int_equal(it[8]->u.scalar.i, INT64_MIN);
    assert_scalar(it[9], SCALAR_FLOAT, "1e400");
    assert_true(isinf(it[9]->u.scalar.f));
    parse_case_done(&c);
}

static void test_top_level_scalars(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "  \"just text\"\n");
    assert_true(c.ok);
    assert_scalar(c.root, SCALAR_STR, "just text");
    assert_span(c.root, 1, 3, 2, 1, 14, 13);
    parse_case_done(&c);
    parse(&c, "42");
    assert_true(c.ok);
    assert_scalar(c.root, SCALAR_INT, "42");
    parse_case_done(&c);
    parse(&c, "null");
    assert_true(c.ok);
    assert_scalar(c.root, SCALAR_NULL, "null");
    parse_case_done(&c);
}

static void test_duplicate_keys_warn_and_later_value_wins(void **state)
{
    (void)state;
    parse_case c;
    parse(&c, "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}");
    assert_true(c.ok);
    assert_int_equal(c.diags.count, 1);
    const diag *d = &c.diags.items[0];
    assert_int_equal(d->level, DIAG_WARNING);
    assert_int_equal(d->line, 3);
    assert_int_equal(d->col, 2);
    assert_string_equal(d->message,
                        "duplicate key 'a' (first defined at line 1); the later value is used");
    assert_int_equal(c.root->u.map.count, 2);
    assert_string_equal(c.root->u.map.pairs[0].key->u.scalar.text, "b");
    assert_int_equal(doc_get(c.root, "a")->u.scalar.i, 3);
    assert_span(c.root->u.map.pairs[1].key, 3, 2, 19, 3, 5, 22);
    parse_case_done(&c);
}

static void test_positions_with_utf8_crlf_and_bom(void **state)
{
    (void)state;
    parse_case c;
    /* BOM (3 bytes, 1 character), "é" 2 bytes, "€" 3 bytes, CRLF */
    parse(&c, "\xEF\xBB\xBF{\"\xc3\xa9\xe2\x82\xac\": \"x\",\r\n  \"k\": 1}\r\n");
    assert_true(c.ok);
    assert_span(c.root, 1, 2, 3, 2, 10, 28);
    const doc_pair *p = &c.root->u.map.pairs[0];
    assert_scalar(p->key, SCALAR_STR, "\xc3\xa9\xe2\x82\xac");
    assert_span(p->key, 1, 3, 4, 1, 7, 11);
    assert_span(p->value, 1, 9, 13, 1, 12, 16);
    p = &c.root->u.map.pairs[1];
    assert_span(p->key, 2, 3, 21, 2, 6, 24);
    assert_span(p->value, 2, 8, 26, 2, 9, 27);
    parse_case_done(&c);
}

static void test_syntax_errors_with_positions(void **state)
{
    (void)state;
    assert_json_error("{\"a\": 1,}", 1, 8, "trailing comma before '}' is not allowed in JSON");
    assert_json_error("[1,\n 2,\n]", 2, 3, "trailing comma before ']' is not allowed in JSON");
    assert_json_error("{\"a\": 1} x", 1, 10,
                      "unexpected 'x' after the JSON value; only one top-level value is allowed");
    assert_json_error("[1] [2]", 1, 5,
                      "unexpected '[' after the JSON value; only one top-level value is allowed");
    assert_json_error("{\"a\": 1,\n \"b\": \"abc", 2, 7, "unterminated string starting at line 2");
    assert_json_error("{\"a\": \"x\ty\"}", 1, 9,
                      "control character U+0009 inside a string must be escaped (\\u0009)");
    assert_json_error("{\"a\": \"abc,\n \"b\": 1}", 1, 12,
                      "line break inside a string; escape it as \\n (or is the closing quote "
                      "missing?)");
    assert_json_error("[\"\\ud83d\"]", 1, 3,
                      "lone surrogate \\uD83D in string (a high surrogate must be followed by a "
                      "low surrogate \\uDC00-\\uDFFF)");
    assert_json_error("[\"ab\\ude00\"]", 1, 5,
                      "lone surrogate \\uDE00 in string (a low surrogate without a high one)");
    assert_json_error("[\"\\ud83d\\u0041\"]", 1, 3,
                      "lone surrogate \\uD83D in string (a high surrogate must be followed by a "
                      "low surrogate \\uDC00-\\uDFFF)");
    assert_json_error("[\"\\x41\"]", 1, 3,
                      "invalid escape in string: backslash followed by 'x' (valid: \\\" \\\\ \\/ "
                      "\\b \\f \\n \\r \\t \\uXXXX)");
    assert_json_error("[\"\\u12G4\"]", 1, 3,
                      "invalid \\u escape in string: expected 4 hex digits after \\u");
    assert_json_error("[\"a\xff\"]", 1, 4, "invalid UTF-8 in string (byte 0xFF)");
    assert_json_error("{\"n\": 012}", 1, 7, "invalid number: leading zeros are not allowed in JSON");
    assert_json_error("[1.]", 1, 4, "invalid number: expected a digit after '.'");
    assert_json_error("[-]", 1, 3, "invalid number: expected a digit after '-'");
    assert_json_error("[1e+]", 1, 5, "invalid number: expected a digit in the exponent");
    assert_json_error("[+1]", 1, 2, "expected a value, found '+'");
    assert_json_error("{\"a\" 1}", 1, 6, "expected ':' after object key \"a\", found '1'");
    assert_json_error("{\"a\": 1 \"b\": 2}", 1, 9,
                      "expected ',' or '}' after a member of the object, found '\"'");
    assert_json_error("[1 2]", 1, 4, "expected ',' or ']' after an item of the array, found '2'");
    assert_json_error("{a: 1}", 1, 2, "expected an object key in double quotes, found 'a'");
    assert_json_error("{'a': 1}", 1, 2, "object keys must be in double quotes, not single quotes");
    assert_json_error("['a']", 1, 2, "single-quoted strings are not valid JSON; use double quotes");
    assert_json_error("{\n  // note\n  \"a\": 1}", 2, 3, "comments are not allowed in JSON");
    assert_json_error("[1, /* x */ 2]", 1, 5, "comments are not allowed in JSON");
    assert_json_error("", 1, 1, "empty input; expected a JSON value");
    assert_json_error(" \n\t", 2, 2, "empty input; expected a JSON value");
    assert_json_error("{\"a\": [1,\n 2", 2, 3,
                      "unexpected end of file: the array starting at line 1, column 7 is not "
                      "closed with ']'");
    assert_json_error("{\"a\": ", 1, 7, "unexpected end of file; expected a value");
    assert_json_error("[True]", 1, 2,
                      "invalid value 'True'; expected a string in double quotes, a number, true, "
                      "false, null, an object or an array");
    assert_json_error("[truex]", 1, 2,
                      "invalid value 'truex'; expected a string in double quotes, a number, "
                      "true, false, null, an object or an array");
    assert_json_error("[1,,2]", 1, 4, "expected a value, found ','");
}

static void test_depth_limit_with_100000_brackets(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 1);
    memset(text, '[', n);
    text[n] = '\0';
    parse_case c;
    parse_limits lim = parse_limits_default();
    parse_with(&c, text, n, &lim);
    assert_false(c.ok);
    assert_null(c.root);
    assert_int_equal(c.diags.count, 1);
    assert_string_equal(c.diags.items[0].message, "nesting deeper than 256 levels (--max-depth)");
    assert_int_equal(c.diags.items[0].line, 1);
    assert_int_equal(c.diags.items[0].col, 257);
    assert_true(arena_used(c.a) < 1024 * 1024);
    parse_case_done(&c);
    free(text);

    lim.max_depth = 2;
    parse_with(&c, "[[1]]", 5, &lim);
    assert_true(c.ok);
    parse_case_done(&c);
    parse_with(&c, "{\"a\": {\"b\": {}}}", 16, &lim);
    assert_false(c.ok);
    assert_int_equal(c.diags.items[0].col, 13);
    parse_case_done(&c);

    lim = parse_limits_default();
    lim.max_nodes = 3;
    parse_with(&c, "[1, 2, 3]", 9, &lim);
    assert_false(c.ok);
    assert_string_equal(c.diags.items[0].message, "document has more than 3 nodes (--max-nodes)");
    assert_int_equal(c.diags.items[0].col, 8);
    parse_case_done(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_values_and_spans),
        cmocka_unit_test(test_string_escapes_are_decoded),
        cmocka_unit_test(test_numbers_int_or_float),
        cmocka_unit_test(test_top_level_scalars),
        cmocka_unit_test(test_duplicate_keys_warn_and_later_value_wins),
        cmocka_unit_test(test_positions_with_utf8_crlf_and_bom),
        cmocka_unit_test(test_syntax_errors_with_positions),
        cmocka_unit_test(test_depth_limit_with_100000_brackets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
