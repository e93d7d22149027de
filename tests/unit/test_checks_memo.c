/* test_checks_memo.c - while the checks' memo is on, a table of one kind
 * is made once per input and handed out again (dropping it keeps it);
 * kinds and inputs do not mix; with the memo off, every take makes a table
 * and every drop frees it; ending the memo frees what it kept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "rules/checks_memo.h"

static int made, freed;

static void *make_counted(const input_file *in)
{
    made++;
    const input_file **t = malloc(sizeof *t);
    *t = in;
    return t;
}

static void free_counted(void *t)
{
    freed++;
    free(t);
}

static const checks_memo_kind kind_a = {make_counted, free_counted};
static const checks_memo_kind kind_b = {make_counted, free_counted};

static void test_memo_on(void **state)
{
    (void)state;
    made = freed = 0;
    input_file in1 = {0}, in2 = {0};
    checks_memo_begin();
    const void *a1 = checks_memo_take(&in1, &kind_a);
    checks_memo_drop(a1, &kind_a);
    assert_ptr_equal(checks_memo_take(&in1, &kind_a), a1);
    const void *b1 = checks_memo_take(&in1, &kind_b);
    const void *a2 = checks_memo_take(&in2, &kind_a);
    assert_ptr_not_equal(b1, a1);
    assert_ptr_not_equal(a2, a1);
    assert_ptr_equal(*(const input_file *const *)a2, &in2);
    assert_int_equal(made, 3);
    assert_int_equal(freed, 0);
    checks_memo_begin(); /* nested: the same memo */
    assert_ptr_equal(checks_memo_take(&in2, &kind_a), a2);
    checks_memo_end();
    assert_int_equal(freed, 0);
    checks_memo_end();
    assert_int_equal(freed, 3);
}

static void test_memo_off(void **state)
{
    (void)state;
    made = freed = 0;
    input_file in = {0};
    const void *t1 = checks_memo_take(&in, &kind_a);
    const void *t2 = checks_memo_take(&in, &kind_a);
    assert_ptr_not_equal(t1, t2);
    checks_memo_drop(t1, &kind_a);
    checks_memo_drop(t2, &kind_a);
    assert_int_equal(made, 2);
    assert_int_equal(freed, 2);
}

/* Many inputs: the memo's table grows and still finds each one's table. */
static void test_memo_grows(void **state)
{
    (void)state;
    made = freed = 0;
    enum { N = 200 };
    static input_file ins[N];
    const void *tables[N];
    checks_memo_begin();
    for (size_t i = 0; i < N; i++)
        tables[i] = checks_memo_take(&ins[i], &kind_a);
    for (size_t i = 0; i < N; i++)
        assert_ptr_equal(checks_memo_take(&ins[i], &kind_a), tables[i]);
    assert_int_equal(made, N);
    checks_memo_end();
    assert_int_equal(freed, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_on),
        cmocka_unit_test(test_memo_off),
        cmocka_unit_test(test_memo_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
