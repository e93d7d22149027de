/* test_strbuf.c - sb_addf prints what snprintf prints, whether the format has
 * only plain %s conversions (copied piece by piece) or others (vsnprintf),
 * and whether the text fits the room made first or not. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"

/* A NULL that the compiler cannot see (printf's "(null)" for %s). */
static const char *volatile null_str;

static void test_plain_strings(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "service '%s' uses %s", "web", "nginx");
    assert_string_equal(sb.buf, "service 'web' uses nginx");
    sb_addf(&sb, "; 100%% %s%s, %s", "", "sure", null_str);
    assert_string_equal(sb.buf, "service 'web' uses nginx; 100% sure, (null)");
    assert_int_equal(sb.len, strlen(sb.buf));
    sb_reset(&sb);
    sb_addf(&sb, "no conversion");
    assert_string_equal(sb.buf, "no conversion");
    sb_free(&sb);
}

static void test_other_conversions(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "%s has %zu port%s, %d%%", "web", (size_t)3, "s", -7);
    assert_string_equal(sb.buf, "web has 3 ports, -7%");
    sb_addf(&sb, "%.*s|%5s|%-3s|", 2, "abc", "x", "y");
    assert_string_equal(sb.buf, "web has 3 ports, -7%ab|    x|y  |");
    sb_addf(&sb, "%s", "");
    sb_addf(&sb, "%.0s", "gone");
    assert_string_equal(sb.buf, "web has 3 ports, -7%ab|    x|y  |");
    assert_int_equal(sb.len, strlen(sb.buf));
    sb_free(&sb);
}

static void test_long_texts(void **state)
{
    (void)state;
    char big[3000], want[7000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "<%s>", big);
    sb_addf(&sb, "[%d:%s]", 42, big);
    snprintf(want, sizeof want, "<%s>[%d:%s]", big, 42, big);
    assert_string_equal(sb.buf, want);
    assert_int_equal(sb.len, strlen(want));
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_strings),
        cmocka_unit_test(test_other_conversions),
        cmocka_unit_test(test_long_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
