/* test_text_pool.c - interned texts: equal texts share one copy on a
 * thread, copies stay valid as the pool grows, texts longer than a block,
 * texts with NULs, batches, and several threads interning into one pool at
 * once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/text_pool.h"

static void test_equal_texts_share_a_copy(void **state)
{
    (void)state;
    text_pool *p = text_pool_new();
    char buf[] = "service 'web' has no restart policy";
    const char *a = text_pool_intern(p, buf, strlen(buf));
    buf[9] = 'x'; /* the pool holds a copy, not the caller's bytes */
    assert_string_equal(a, "service 'web' has no restart policy");
    const char *b = text_pool_intern(p, "service 'web' has no restart policy", strlen(a));
    assert_ptr_equal(a, b);
    const char *c = text_pool_intern(p, buf, strlen(buf));
    assert_ptr_not_equal(a, c);
    assert_string_equal(c, buf);
    const char *prefix = text_pool_intern(p, "service", 7); /* a prefix is another text */
    assert_string_equal(prefix, "service");
    assert_ptr_not_equal(prefix, a);
    text_pool_free(p);
    text_pool_free(NULL);
}

/* 20000 distinct texts (the table grows several times, texts fill many
 * blocks, one every 1000 is longer than a block), interned twice. */
static void test_many_texts_stay_valid(void **state)
{
    (void)state;
    enum { N = 20000, LONG = 70000 };
    static char big[LONG + 32];
    static const char *first[N];
    text_pool *p = text_pool_new();
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i++) {
            char buf[32];
            int len = snprintf(buf, sizeof buf, "text %d", i);
            const char *s = buf;
            if (i % 1000 == 0) {
                memset(big, 'y', LONG);
                memcpy(big + LONG, buf, (size_t)len + 1);
                s = big;
                len += LONG;
            }
            const char *t = text_pool_intern(p, s, (size_t)len);
            assert_int_equal(strlen(t), (size_t)len);
            assert_memory_equal(t, s, (size_t)len);
            if (round == 0)
                first[i] = t;
            else
                assert_ptr_equal(t, first[i]);
        }
    }
    char want[32];
    snprintf(want, sizeof want, "text %d", 1);
    assert_string_equal(first[1], want);
    text_pool_free(p);
}

static void test_empty_and_embedded_nul(void **state)
{
    (void)state;
    text_pool *p = text_pool_new();
    const char *e = text_pool_intern(p, "", 0);
    assert_string_equal(e, "");
    assert_ptr_equal(e, text_pool_intern(p, "abc", 0));
    const char *a = text_pool_intern(p, "a\0b", 3);
    const char *b = text_pool_intern(p, "a\0c", 3);
    assert_ptr_not_equal(a, b);
    assert_memory_equal(b, "a\0c", 4);
    text_pool_free(p);
}

typedef struct worker_arg {
    text_pool *pool;
    int id;
    int ok;
} worker_arg;

static void *intern_many(void *ud)
{
    worker_arg *w = ud;
    w->ok = 1;
    for (int i = 0; i < 5000; i++) {
        char buf[48];
        int key = i % 2 ? i : w->id * 100000 + i; /* odd: on every thread; even: its own */
        int len = snprintf(buf, sizeof buf, "%s %d", i % 2 ? "shared" : "own", key);
        const char *t = text_pool_intern(w->pool, buf, (size_t)len);
        if (strcmp(t, buf) != 0 || text_pool_intern(w->pool, buf, (size_t)len) != t)
            w->ok = 0;
    }
    return NULL;
}

static void test_threads_intern_at_once(void **state)
{
    (void)state;
    text_pool *p = text_pool_new();
    pthread_t t[4];
    worker_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (worker_arg){p, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, intern_many, &a[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_true(a[i].ok);
    }
    text_pool_free(p);
}

/* In batches (more texts than one batch, repeats inside a batch and
 * across calls): the same copies as one at a time. */
static void test_intern_all(void **state)
{
    (void)state;
    text_pool *p = text_pool_new();
    enum { N = 50 };
    char bufs[N][16];
    const char *texts[N];
    for (int i = 0; i < N; i++) {
        snprintf(bufs[i], sizeof bufs[i], "message %d", i % 20);
        texts[i] = bufs[i];
    }
    text_pool_intern_all(p, texts, N);
    for (int i = 0; i < N; i++) {
        assert_string_equal(texts[i], bufs[i]);
        assert_ptr_not_equal(texts[i], bufs[i]);
        assert_ptr_equal(texts[i], texts[i % 20]);
        assert_ptr_equal(texts[i], text_pool_intern(p, bufs[i], strlen(bufs[i])));
    }
    text_pool_intern_all(p, texts, 0);
    text_pool_free(p);
}

/* A thread that used a freed pool starts afresh with the next one. */
static void test_pool_after_pool(void **state)
{
    (void)state;
    for (int k = 0; k < 3; k++) {
        text_pool *p = text_pool_new();
        const char *a = text_pool_intern(p, "again", 5);
        assert_string_equal(a, "again");
        assert_ptr_equal(a, text_pool_intern(p, "again", 5));
        text_pool_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_texts_share_a_copy),
        cmocka_unit_test(test_many_texts_stay_valid),
        cmocka_unit_test(test_empty_and_embedded_nul),
        cmocka_unit_test(test_threads_intern_at_once),
        cmocka_unit_test(test_intern_all),
        cmocka_unit_test(test_pool_after_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
