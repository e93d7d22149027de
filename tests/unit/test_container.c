/* test_container.c - attribute helpers: shared attribute names, exact
 * sub-spans of scalars, attribute maps drafted on the stack. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analyzers/container.h"

static void assert_pos_equal(src_pos x, src_pos y)
{
    assert_int_equal(x.offset, y.offset);
    assert_int_equal(x.line, y.line);
    assert_int_equal(x.col, y.col);
}

/* The scalar whose source is f->data[start, end) and whose text is text. */
static doc_node *scalar_at(arena *a, const src_file *f, size_t start, size_t end,
                           scalar_style style, const char *text)
{
    return doc_new_scalar(a, f, src_span_of(f, start, end), SCALAR_STR, style, text,
                          strlen(text));
}

static void test_attr_set_shares_one_key_per_name(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "t.yaml", "x", 1);
    doc_node *v = scalar_at(a, f, 0, 1, STYLE_PLAIN, "x");
    doc_node *m1 = attr_map_new(a, v), *m2 = attr_map_new(a, v);
    char name[] = "image";
    attr_set(a, m1, "image", v);
    attr_set(a, m2, name, v); /* same text, another pointer */
    attr_set(a, m2, "user", NULL);
    assert_int_equal(m1->u.map.count, 1);
    assert_int_equal(m2->u.map.count, 1);
    const doc_node *k = m1->u.map.pairs[0].key;
    assert_ptr_equal(k, m2->u.map.pairs[0].key);
    assert_string_equal(doc_str(k), "image");
    size_t len;
    const char *raw = doc_raw(k, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(raw, "image", 5);
    assert_ptr_equal(doc_get(m1, "image"), v);
    arena_free(a);
}

/* Loads text, makes a scalar of value over [start, end) whose value starts
 * at byte content, and asserts that attr_sub_span gives what src_span_of
 * gives for the value's parts before and after its '='. */
static void assert_sub_spans_exact(arena *a, const char *text, size_t start, size_t end,
                                   scalar_style style, const char *value, size_t content)
{
    src_file *f = src_from_memory(a, "t.yaml", text, strlen(text));
    diag_list d;
    diag_list_init(&d);
    assert_true(src_check_text(f, &d));
    diag_list_free(&d);
    doc_node *n = scalar_at(a, f, start, end, style, value);
    size_t vlen = strlen(value), eq = (size_t)(strchr(value, '=') - value);
    src_span s = attr_sub_span(n, value, vlen, eq + 1, vlen);
    src_span want = src_span_of(f, content + eq + 1, content + vlen);
    assert_pos_equal(s.start, want.start);
    assert_pos_equal(s.end, want.end);
    s = attr_sub_span(n, value, vlen, 0, eq);
    want = src_span_of(f, content, content + eq);
    assert_pos_equal(s.start, want.start);
    assert_pos_equal(s.end, want.end);
}

/* attr_sub_span gives what src_span_of gives for the same bytes, in ASCII
 * and UTF-8 files, and for a scalar whose tag is on the line before. */
static void test_sub_spans_are_exact_positions(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *texts[] = {"k: \"ab=cd\"\n", "k: \"\xc3\xa9=cd\"\n", "k: !!str\n  ab=cd\n"};
    for (size_t t = 0; t < 3; t++) {
        bool tagged = t == 2;
        size_t start = 3, end = strlen(texts[t]) - 1;
        assert_sub_spans_exact(a, texts[t], start, end, tagged ? STYLE_PLAIN : STYLE_DOUBLE_QUOTED,
                               t == 1 ? "\xc3\xa9=cd" : "ab=cd", tagged ? 11 : start + 1);
    }
    arena_free(a);
}

/* A scalar on an ASCII line of a file with UTF-8 elsewhere gets the spans
 * src_span_of gives, as does one whose line holds UTF-8 before it. */
static void test_sub_spans_on_ascii_lines_of_utf8_files(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *texts[] = {"# \xc3\xa9\nk: \"ab=cd\"\n", "k\xc3\xa9: \"ab=cd\"\n",
                           "k: \"ab=cd\" # \xc3\xa9\n",
                           "# \xc3\xa9\nk: !!str \"a\xc3\xa9" "b=cd\"\n"};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        const char *q = strchr(texts[t], '"');
        bool tagged = t == 3;
        size_t content = (size_t)(q - texts[t]) + 1;
        size_t start = tagged ? content - 7 : content - 1; /* at the tag, or the quote */
        size_t end = (size_t)(strrchr(texts[t], '"') - texts[t]) + 1;
        assert_sub_spans_exact(a, texts[t], start, end, STYLE_DOUBLE_QUOTED,
                               tagged ? "a\xc3\xa9" "b=cd" : "ab=cd", content);
    }
    arena_free(a);
}

static void test_attr_set_literal_shares_the_key(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "t.yaml", "x", 1);
    doc_node *v = scalar_at(a, f, 0, 1, STYLE_PLAIN, "x");
    doc_node *m = attr_map_new(a, v);
    for (int i = 0; i < 2; i++) {
        ATTR_SET(a, m, "image", v);
        ATTR_SET(a, m, "user", NULL);
    }
    attr_set(a, m, "image", v);
    assert_int_equal(m->u.map.count, 3);
    assert_ptr_equal(m->u.map.pairs[0].key, m->u.map.pairs[1].key);
    assert_ptr_equal(m->u.map.pairs[0].key, m->u.map.pairs[2].key);
    assert_string_equal(doc_str(m->u.map.pairs[0].key), "image");
    arena_free(a);
}

static void test_fields_are_what_doc_get_gives(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "t.yaml", "x", 1);
    doc_node *v1 = scalar_at(a, f, 0, 1, STYLE_PLAIN, "1");
    doc_node *v2 = scalar_at(a, f, 0, 1, STYLE_PLAIN, "2");
    doc_node *m = attr_map_new(a, v1);
    doc_map_set(a, m, "image", v1);
    doc_map_set(a, m, "user", v1);
    doc_map_set(a, m, "image", v2); /* the later one wins */
    static const attr_field fields[] = {ATTR_FIELD("image"), ATTR_FIELD("user"),
                                        ATTR_FIELD("im"), ATTR_FIELD("images")};
    const doc_node *out[4];
    attr_fields(m, fields, 4, out);
    for (size_t i = 0; i < 4; i++)
        assert_ptr_equal(out[i], doc_get(m, fields[i].name));
    assert_ptr_equal(out[0], v2);
    attr_fields(v1, fields, 4, out); /* not a mapping */
    for (size_t i = 0; i < 4; i++)
        assert_null(out[i]);
    arena_free(a);
}

static void test_draft_stores_exactly_sized_pairs(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "t.yaml", "x", 1);
    doc_node *v = scalar_at(a, f, 0, 1, STYLE_PLAIN, "x");
    doc_node *target = attr_map_new(a, v);
    attr_draft d;
    doc_node *m = attr_draft_begin(&d, target);
    char key[8];
    for (int i = 0; i < ATTR_DRAFT_CAP + 5; i++) { /* past the stack part too */
        key[0] = (char)('a' + i % 26);
        key[1] = (char)('a' + i / 26);
        key[2] = '\0';
        attr_set(a, m, key, v);
    }
    attr_draft_finish(a, &d, target, 1);
    assert_int_equal(target->u.map.count, ATTR_DRAFT_CAP + 5);
    assert_int_equal(target->u.map.cap, ATTR_DRAFT_CAP + 6);
    assert_string_equal(doc_str(target->u.map.pairs[ATTR_DRAFT_CAP + 4].key), "ac");
    attr_set(a, target, "interpolated", v);
    assert_ptr_equal(doc_get(target, "interpolated"), v);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attr_set_shares_one_key_per_name),
        cmocka_unit_test(test_sub_spans_are_exact_positions),
        cmocka_unit_test(test_sub_spans_on_ascii_lines_of_utf8_files),
        cmocka_unit_test(test_attr_set_literal_shares_the_key),
        cmocka_unit_test(test_fields_are_what_doc_get_gives),
        cmocka_unit_test(test_draft_stores_exactly_sized_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
