/* test_pos_cursor.c - incremental positions agree with src_pos_at. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analyzers/pos_cursor.h"

/* For each code point, in file order: its byte offset, and libyaml's
 * character index (one per code point, two for "\r\n"). */
typedef struct char_at {
    size_t offset;
    size_t index;
} char_at;

static size_t chars_of(const src_file *f, char_at *out)
{
    size_t n = 0, index = 0;
    for (size_t i = 0; i <= f->len; i++) {
        if (i < f->len && ((unsigned char)f->data[i] & 0xC0) == 0x80)
            continue;
        out[n].offset = i;
        out[n++].index = index++;
    }
    return n;
}

static void assert_pos_equal(src_pos got, src_pos want)
{
    assert_int_equal(got.offset, want.offset);
    assert_int_equal(got.line, want.line);
    assert_int_equal(got.col, want.col);
}

/* Marks in file order, out of order and past the end map to the exact
 * position, in files with and without non-ASCII characters. */
static void test_marks_match_src_pos_at(void **state)
{
    (void)state;
    const char *texts[] = {"a: b\nc: d\n",
                           "\xEF\xBB\xBFk: \xC3\xA9t\xC3\xA9\n- \xE2\x82\xAC\n\xF0\x9F\x98\x80x",
                           "\xC3\xA9", "plain", ""};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        arena *a = arena_new();
        src_file *f = src_from_memory(a, "t.yaml", texts[t], strlen(texts[t]));
        bool ok = src_check_text(f, NULL);
        assert_true(ok);
        char_at chars[64];
        size_t n = chars_of(f, chars);
        pos_cursor c;
        pos_cursor_init(&c, f);
        for (size_t pass = 0; pass < 2; pass++) {
            for (size_t k = 0; k < n; k++) {
                /* forwards, then backwards */
                const char_at *ch = &chars[pass ? n - 1 - k : k];
                src_pos want = src_pos_at(f, ch->offset);
                src_pos got = pos_cursor_at_mark(&c, ch->index, want.line - 1, want.col - 1);
                assert_pos_equal(got, want);
                assert_pos_equal(pos_cursor_at_char(&c, ch->index), want);
                assert_pos_equal(pos_cursor_at_byte(&c, ch->offset), want);
            }
        }
        src_pos end = pos_cursor_at_mark(&c, chars[n - 1].index + 5, 0, 0);
        assert_int_equal(end.offset, f->len);
        arena_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_match_src_pos_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
