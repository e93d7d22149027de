/* test_arena.c - the arena allocator: alignment, zero-filled memory, large
 * blocks, and arena_reset (everything forgotten, memory reused zeroed). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void test_alloc_aligned_and_zeroed(void **state)
{
    (void)state;
    arena *a = arena_new();
    for (size_t size = 1; size < 300; size += 7) {
        unsigned char *p = arena_alloc(a, size);
        assert_int_equal((uintptr_t)p % 16, 0);
        assert_true(all_zero(p, size));
        memset(p, 0xAB, size);
    }
    assert_int_equal(arena_used(a), 6688); /* 43 sizes 1, 8, ... 295, each rounded up to 16 */
    arena_free(a);
}

static void test_reset_forgets_and_rezeroes(void **state)
{
    (void)state;
    arena *a = arena_new();
    unsigned char *first = arena_alloc(a, 64);
    memset(first, 0xFF, 64);
    char *s = arena_strdup(a, "scratch");
    assert_string_equal(s, "scratch");
    assert_int_equal(arena_used(a), 72); /* strings are packed: 8 bytes, not 16 */

    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    /* the kept block is reused from its start, and what it hands out is zero again */
    unsigned char *again = arena_alloc(a, 64);
    assert_ptr_equal(again, first);
    assert_true(all_zero(again, 64));
    assert_int_equal(arena_used(a), 64);
    arena_free(a);
}

static void test_reset_releases_many_and_large_blocks(void **state)
{
    (void)state;
    arena *a = arena_new();
    for (int round = 0; round < 50; round++) {
        /* several standard blocks and one allocation larger than a block */
        for (int i = 0; i < 40; i++) {
            unsigned char *p = arena_alloc(a, 4000);
            assert_true(all_zero(p, 4000));
            memset(p, round + 1, 4000);
        }
        unsigned char *big = arena_alloc(a, 200000);
        assert_int_equal((uintptr_t)big % 16, 0);
        assert_true(all_zero(big, 200000));
        memset(big, 0x5A, 200000);
        assert_int_equal(arena_used(a), 40 * 4000 + 200000);
        arena_reset(a);
        assert_int_equal(arena_used(a), 0);
    }
    arena_free(a);
}

static void test_reset_of_empty_arena(void **state)
{
    (void)state;
    arena *a = arena_new();
    arena_reset(a);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    char *s = arena_strndup(a, "abcdef", 3);
    assert_string_equal(s, "abc");
    arena_free(a);
}

static void test_grow_keeps_contents(void **state)
{
    (void)state;
    arena *a = arena_new();
    int *v = arena_alloc(a, 4 * sizeof(int));
    for (int i = 0; i < 4; i++)
        v[i] = i * 10;
    int *w = arena_grow(a, v, 4 * sizeof(int), 8 * sizeof(int));
    for (int i = 0; i < 4; i++)
        assert_int_equal(w[i], i * 10);
    for (int i = 4; i < 8; i++)
        assert_int_equal(w[i], 0);
    arena_free(a);
}

/* Strings and aligned allocations share blocks (strings from the end) and
 * never overlap, across many block changes. */
static void test_strings_and_objects_share_blocks(void **state)
{
    (void)state;
    arena *a = arena_new();
    enum { N = 20000 };
    static unsigned char *objs[N];
    static char *strs[N];
    size_t want = 0;
    for (int i = 0; i < N; i++) {
        size_t osize = 16 + (size_t)(i % 5) * 16;
        objs[i] = arena_alloc(a, osize);
        assert_int_equal((uintptr_t)objs[i] % 16, 0);
        assert_true(all_zero(objs[i], osize));
        memset(objs[i], i & 0xFF, osize);
        char buf[32];
        int n = snprintf(buf, sizeof buf, "s%d", i);
        strs[i] = i % 2 ? arena_strdup(a, buf) : arena_printf(a, "s%d", i);
        want += osize + (size_t)n + 1;
    }
    for (int i = 0; i < N; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "s%d", i);
        assert_string_equal(strs[i], buf);
        assert_int_equal(objs[i][0], i & 0xFF);
    }
    assert_int_equal(arena_used(a), want);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_aligned_and_zeroed),
        cmocka_unit_test(test_reset_forgets_and_rezeroes),
        cmocka_unit_test(test_reset_releases_many_and_large_blocks),
        cmocka_unit_test(test_reset_of_empty_arena),
        cmocka_unit_test(test_grow_keeps_contents),
        cmocka_unit_test(test_strings_and_objects_share_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
