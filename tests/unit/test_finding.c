/* test_finding.c - finding lists: messages in the list's texts stay valid as
 * the list grows, move with the findings and are freed with the list; with a
 * text pool they are interned there; fingerprints as text and in the order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/finding.h"

/* n findings with messages "<tag> i" and one long message every 50. */
static void fill(finding_list *l, const char *tag, int n)
{
    char buf[8192];
    for (int i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof buf, "%s %d", tag, i);
        if (i % 50 == 49) { /* longer than a block */
            memset(buf + len, 'x', 5000);
            len += 5000;
        }
        finding *f = finding_list_add(l);
        f->message = finding_list_text(l, buf, (size_t)len);
    }
}

static void check(const finding_list *l, size_t from, const char *tag, int n)
{
    char want[64];
    for (int i = 0; i < n; i++) {
        const char *m = l->items[from + (size_t)i].message;
        int len = snprintf(want, sizeof want, "%s %d", tag, i);
        assert_memory_equal(m, want, (size_t)len);
        assert_int_equal(strlen(m), (size_t)len + (i % 50 == 49 ? 5000 : 0));
    }
}

static void test_texts_survive_growth(void **state)
{
    (void)state;
    finding_list l = {0};
    fill(&l, "a", 3000);
    check(&l, 0, "a", 3000);
    finding *f = finding_list_add(&l);
    f->message = finding_list_text(&l, "", 0);
    assert_string_equal(l.items[3000].message, "");
    finding_list_free(&l);
    assert_null(l.texts);
    assert_int_equal(l.count, 0);
}

static void test_texts_move_with_findings(void **state)
{
    (void)state;
    finding_list all = {0}, a = {0}, b = {0}, empty = {0};
    fill(&a, "a", 120);
    fill(&b, "b", 7);
    finding_list_move(&all, &empty);
    finding_list_move(&all, &a);
    assert_null(a.texts);
    assert_null(a.items);
    fill(&all, "c", 60); /* texts added after a move */
    finding_list_move(&all, &b);
    check(&all, 0, "a", 120);
    check(&all, 120, "c", 60);
    check(&all, 180, "b", 7);
    finding_list_free(&all); /* every block once (ASan) */
}

static void test_adopt_after_copying(void **state)
{
    (void)state;
    finding_list all = {0}, a = {0};
    fill(&a, "a", 10);
    finding_list_reserve(&all, a.count);
    memcpy(all.items, a.items, a.count * sizeof *a.items);
    all.count = a.count;
    finding_list_adopt(&all, &a);
    assert_int_equal(a.count, 0);
    check(&all, 0, "a", 10);
    finding_list_free(&all);
}

static void test_shrink(void **state)
{
    (void)state;
    finding_list l = {0};
    fill(&l, "s", 37);
    assert_true(l.cap > l.count);
    finding_list_shrink(&l);
    assert_int_equal(l.cap, 37);
    check(&l, 0, "s", 37);
    fill(&l, "t", 3); /* it grows again as before */
    check(&l, 37, "t", 3);
    finding_list_free(&l);

    finding_list empty = {0};
    finding_list_reserve(&empty, 4);
    finding_list_shrink(&empty);
    assert_null(empty.items);
    assert_int_equal(empty.cap, 0);
    finding_list_free(&empty);
}

static void test_messages_in_a_pool(void **state)
{
    (void)state;
    text_pool *pool = text_pool_new();
    finding_list a = {0}, b = {0};
    fill(&a, "p", 120);
    fill(&b, "p", 120);
    finding_list_intern(&a, pool);
    finding_list_intern(&b, pool);
    check(&a, 0, "p", 120);
    assert_null(a.texts); /* the lists' own blocks are gone */
    assert_ptr_equal(a.items[7].message, b.items[7].message);
    assert_ptr_equal(a.items[49].message, b.items[49].message); /* a long one */
    finding_list_move(&a, &b);
    finding_list_free(&b);
    check(&a, 120, "p", 120);
    finding_list_free(&a);
    text_pool_free(pool);
}

static void test_fingerprint_text_and_order(void **state)
{
    (void)state;
    char hex[FINGERPRINT_SIZE];
    finding_fingerprint_hex(0x0635030c091b6264ULL, hex);
    assert_string_equal(hex, "0635030c091b6264");
    finding_fingerprint_hex(UINT64_MAX, hex);
    assert_string_equal(hex, "ffffffffffffffff");
    finding x = {.path = "f", .message = "m", .fingerprint = 0x9000000000000000ULL};
    finding y = x;
    y.fingerprint = 0x0a00000000000000ULL; /* "0a..." < "90..." as text and as number */
    assert_true(finding_cmp(&y, &x) < 0);
    assert_true(finding_cmp(&x, &y) > 0);
    assert_int_equal(finding_cmp(&x, &x), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_texts_survive_growth),
        cmocka_unit_test(test_texts_move_with_findings),
        cmocka_unit_test(test_adopt_after_copying),
        cmocka_unit_test(test_shrink),
        cmocka_unit_test(test_messages_in_a_pool),
        cmocka_unit_test(test_fingerprint_text_and_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
