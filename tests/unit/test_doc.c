/* test_doc.c - document tree helpers, scalar typing, JSON writers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/doc.h"
#include "core/doc_json.h"
#include "core/json_out.h"

static doc_node *plain(arena *a, const src_file *f, const char *s)
{
    doc_node *n = doc_new_scalar(a, f, src_span_of(f, 0, 0), SCALAR_STR, STYLE_PLAIN, s, strlen(s));
    doc_scalar_infer(n);
    return n;
}

static void test_scalar_inference_follows_yaml_core_schema(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "x", "", 0);
    assert_int_equal(plain(a, f, "~")->u.scalar.type, SCALAR_NULL);
    assert_int_equal(plain(a, f, "")->u.scalar.type, SCALAR_NULL);
    assert_int_equal(plain(a, f, "True")->u.scalar.type, SCALAR_BOOL);
    assert_int_equal(plain(a, f, "yes")->u.scalar.type, SCALAR_STR);
    doc_node *n = plain(a, f, "-42");
    assert_int_equal(n->u.scalar.type, SCALAR_INT);
    assert_int_equal(n->u.scalar.i, -42);
    n = plain(a, f, "0x1F");
    assert_int_equal(n->u.scalar.i, 31);
    n = plain(a, f, "0o17");
    assert_int_equal(n->u.scalar.i, 15);
    n = plain(a, f, "1e3");
    assert_int_equal(n->u.scalar.type, SCALAR_FLOAT);
    assert_true(n->u.scalar.f == 1000.0);
    assert_int_equal(plain(a, f, "1.5")->u.scalar.type, SCALAR_FLOAT);
    assert_true(isinf(plain(a, f, "-.inf")->u.scalar.f));
    assert_int_equal(plain(a, f, "8080:80")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "1.2.3")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "99999999999999999999")->u.scalar.type, SCALAR_STR);
    /* floats beyond int64 stay floats and are not read as integers */
    doc_node *big = plain(a, f, "1e22");
    assert_int_equal(big->u.scalar.type, SCALAR_FLOAT);
    int64_t iv;
    assert_false(doc_int(big, &iv));
    assert_true(doc_int(plain(a, f, "2.0"), &iv));
    assert_int_equal(iv, 2);
    doc_node *q = doc_new_scalar(a, f, src_span_of(f, 0, 0), SCALAR_STR, STYLE_DOUBLE_QUOTED, "12", 2);
    doc_scalar_infer(q);
    assert_int_equal(q->u.scalar.type, SCALAR_STR);
    int64_t v;
    assert_true(doc_int(q, &v));
    assert_int_equal(v, 12);
    arena_free(a);
}

static void test_scalar_inference_int64_bounds_and_casings(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "x", "", 0);
    assert_int_equal(plain(a, f, "9223372036854775807")->u.scalar.i, INT64_MAX);
    assert_int_equal(plain(a, f, "-9223372036854775808")->u.scalar.i, INT64_MIN);
    assert_int_equal(plain(a, f, "9223372036854775808")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "-9223372036854775809")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "+007")->u.scalar.i, 7);
    assert_int_equal(plain(a, f, "1_000")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "NULL")->u.scalar.type, SCALAR_NULL);
    assert_int_equal(plain(a, f, "nULL")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "FALSE")->u.scalar.type, SCALAR_BOOL);
    assert_int_equal(plain(a, f, "FaLSE")->u.scalar.type, SCALAR_STR);
    assert_int_equal(plain(a, f, "~x")->u.scalar.type, SCALAR_STR);
    assert_true(isinf(plain(a, f, ".INF")->u.scalar.f));
    assert_int_equal(plain(a, f, ".iNF")->u.scalar.type, SCALAR_STR);
    assert_true(isnan(plain(a, f, ".NaN")->u.scalar.f));
    assert_int_equal(plain(a, f, "-.nan")->u.scalar.type, SCALAR_STR);
    arena_free(a);
}

static void test_map_lookup_last_wins_and_paths(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "x", "", 0);
    doc_node *inner = doc_new(a, DOC_MAP, f, src_span_of(f, 0, 0));
    doc_map_set(a, inner, "c", doc_new_bool(a, f, src_span_of(f, 0, 0), true));
    doc_node *m = doc_new(a, DOC_MAP, f, src_span_of(f, 0, 0));
    for (int i = 0; i < 10; i++)
        doc_map_set(a, m, "k", doc_new_int(a, f, src_span_of(f, 0, 0), i));
    doc_map_set(a, m, "b", inner);
    int64_t v = -1;
    assert_true(doc_int(doc_get(m, "k"), &v));
    assert_int_equal(v, 9);
    assert_true(doc_is_true(doc_path(m, "b.c")));
    assert_null(doc_path(m, "b.c.d"));
    assert_null(doc_get(NULL, "x"));
    assert_null(doc_get(m, "missing"));
    arena_free(a);
}

/* Lookups rule keys out by their signature (length and first four bytes)
 * and still match exactly as strcmp would: keys that share a signature,
 * keys past four bytes, keys with a NUL inside (matched up to the NUL),
 * and HCL blocks never. */
static void test_map_lookup_by_signature_is_exact(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "x", "", 0);
    src_span sp = src_span_of(f, 0, 0);
    doc_node *m = doc_new(a, DOC_MAP, f, sp);
    const char *keys[] = {"REDIS_HOST", "REDIS_PORT", "ab", "abc", "abcd", "", "image"};
    for (int i = 0; i < 7; i++)
        doc_map_set(a, m, keys[i], doc_new_int(a, f, sp, i));
    doc_node *nul_key = doc_new_scalar(a, f, sp, SCALAR_STR, STYLE_DOUBLE_QUOTED, "a\0b", 3);
    doc_map_add(a, m, nul_key, doc_new_int(a, f, sp, 7));
    assert_int_equal(m->u.map.pairs[7].key_sig, DOC_SIG_NODE);
    doc_node *blk = doc_new(a, DOC_BLOCK, f, sp);
    doc_map_add(a, m, doc_new_str(a, f, sp, "image"), blk);
    for (int i = 0; i < 7; i++) {
        int64_t v = -1;
        assert_true(doc_int(doc_get(m, keys[i]), &v));
        assert_int_equal(v, i);
        assert_int_equal(m->u.map.pairs[i].key_sig, doc_text_sig(keys[i], strlen(keys[i])));
    }
    int64_t v = -1;
    assert_true(doc_int(doc_get(m, "a"), &v)); /* "a\0b" reads as "a" */
    assert_int_equal(v, 7);
    assert_null(doc_get(m, "REDIS_HOSX"));
    assert_null(doc_get(m, "abcde"));
    assert_int_equal(doc_get_pairn(m, "abcx", 3)->value->u.scalar.i, 3);
    assert_int_equal(doc_get_pairn(m, "image.tag", 5)->value->u.scalar.i, 6); /* not the block */
    for (int i = 0; i < 7; i++) /* the lookup by a known signature: the same pairs */
        assert_ptr_equal(doc_get_pair_sig(m, keys[i], strlen(keys[i]),
                                          doc_text_sig(keys[i], strlen(keys[i]))),
                         doc_get_pair(m, keys[i]));
    assert_int_equal(doc_get_pair_sig(m, "a", 1, doc_text_sig("a", 1))->value->u.scalar.i, 7);
    assert_null(doc_get_pair_sig(NULL, "a", 1, doc_text_sig("a", 1)));
    arena_free(a);
}

static void test_int_nodes_print_like_lld(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "x", "", 0);
    const int64_t v[] = {0, 7, -7, 10, 65535, -100, INT64_MAX, INT64_MIN};
    const char *want[] = {"0", "7", "-7", "10", "65535", "-100", "9223372036854775807",
                          "-9223372036854775808"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        doc_node *n = doc_new_int(a, f, src_span_of(f, 0, 0), v[i]);
        assert_string_equal(n->u.scalar.text, want[i]);
        assert_int_equal(n->u.scalar.len, strlen(want[i]));
        assert_int_equal(n->u.scalar.i, v[i]);
    }
    arena_free(a);
}

/* Texts of every length around the 16-byte chunks, read from a buffer with
 * 16 bytes to spare, come out exact and NUL-terminated, and nodes made one
 * after another do not overwrite each other's text. */
static void test_padded_scalars_copy_exactly(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "x", "", 0);
    char src[200 + 16];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (char)('a' + i % 26);
    doc_node *nodes[200];
    for (size_t len = 0; len < 200; len++)
        nodes[len] = doc_new_scalar_padded(a, f, src_span_of(f, 0, 0), STYLE_PLAIN,
                                           src + 199 - len, len);
    for (size_t len = 0; len < 200; len++) {
        const doc_node *n = nodes[len];
        assert_int_equal(n->u.scalar.len, len);
        assert_int_equal(n->u.scalar.type, SCALAR_STR);
        assert_memory_equal(n->u.scalar.text, src + 199 - len, len);
        assert_int_equal(n->u.scalar.text[len], '\0');
    }
    arena_free(a);
}

static void test_json_writer_escapes_and_formats(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, false);
    json_begin_object(&j);
    json_key(&j, "s");
    json_string(&j, "a\"b\\c\n\x01\xff\xc3\xa9");
    json_key(&j, "n");
    json_int(&j, -3);
    json_key(&j, "f");
    json_double(&j, 0.1);
    json_key(&j, "g");
    json_double(&j, 2.0);
    json_key(&j, "e");
    json_begin_array(&j);
    json_end_array(&j);
    json_key(&j, "a");
    json_begin_array(&j);
    json_bool(&j, true);
    json_null(&j);
    json_double(&j, NAN);
    json_end_array(&j);
    json_end_object(&j);
    assert_string_equal(sb.buf, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\xc3\xa9\",\"n\":-3,"
                                "\"f\":0.1,\"g\":2.0,\"e\":[],\"a\":[true,null,null]}");
    sb_reset(&sb);
    json_init(&j, &sb, true);
    json_begin_object(&j);
    json_key(&j, "x");
    json_begin_array(&j);
    json_int(&j, 1);
    json_end_array(&j);
    json_end_object(&j);
    assert_string_equal(sb.buf, "{\n  \"x\": [\n    1\n  ]\n}");
    sb_free(&sb);
}

static void test_doc_json_value_and_span_table(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *text = "image: nginx\nports: [80]";
    src_file *f = src_from_memory(a, "c.yaml", text, strlen(text));
    doc_node *m = doc_new(a, DOC_MAP, f, src_span_of(f, 0, strlen(text)));
    doc_map_set(a, m, "image", doc_new_str(a, f, src_span_of(f, 7, 12), "nginx"));
    doc_node *seq = doc_new(a, DOC_SEQ, f, src_span_of(f, 20, 24));
    doc_seq_add(a, seq, doc_new_int(a, f, src_span_of(f, 21, 23), 80));
    doc_map_set(a, m, "ports", seq);
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, false);
    doc_json_value(&j, m);
    assert_string_equal(sb.buf, "{\"image\":\"nginx\",\"ports\":[80]}");
    sb_reset(&sb);
    json_init(&j, &sb, false);
    doc_json_span_table(&j, m);
    assert_string_equal(sb.buf, "{\"image\":[1,8,1,13],\"ports\":[2,8,2,12],\"ports[0]\":[2,9,2,11]}");
    sb_free(&sb);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_inference_follows_yaml_core_schema),
        cmocka_unit_test(test_scalar_inference_int64_bounds_and_casings),
        cmocka_unit_test(test_map_lookup_last_wins_and_paths),
        cmocka_unit_test(test_map_lookup_by_signature_is_exact),
        cmocka_unit_test(test_int_nodes_print_like_lld),
        cmocka_unit_test(test_padded_scalars_copy_exactly),
        cmocka_unit_test(test_json_writer_escapes_and_formats),
        cmocka_unit_test(test_doc_json_value_and_span_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
