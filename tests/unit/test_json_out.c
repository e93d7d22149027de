/* test_json_out.c - the streaming JSON writer: exact bytes for integers at
 * their limits and for every digit count (json_put_uint writes up to eight
 * digits at once), escapes of every kind wherever they fall in a long string
 * (the writer copies plain text 8 bytes at a time), keys, compact and
 * pretty layout. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_out.h"

static void test_int_limits(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, false);
    json_begin_array(&j);
    const int64_t v[] = {0, 7, -7, 10, -10, 1234567890123LL, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        json_int(&j, v[i]);
    json_end_array(&j);
    assert_string_equal(sb.buf, "[0,7,-7,10,-10,1234567890123,9223372036854775807,"
                                "-9223372036854775808]");
    assert_int_equal(sb.len, strlen(sb.buf));
    sb_free(&sb);
}

/* json_put_uint writes what "%llu" prints, within JSON_UINT_ROOM bytes
 * (the room is a block of its own, so that ASan sees a write past it). */
static void check_uint(char *room, uint64_t v)
{
    char want[24];
    snprintf(want, sizeof want, "%llu", (unsigned long long)v);
    char *end = json_put_uint(room, v);
    assert_int_equal(end - room, strlen(want));
    assert_memory_equal(room, want, strlen(want));
}

static void test_uint_digits(void **state)
{
    (void)state;
    char *room = malloc(JSON_UINT_ROOM);
    assert_non_null(room);
    for (uint64_t v = 0; v < 200000; v++)
        check_uint(room, v);
    for (uint64_t p = 10; p <= 10000000000000000000ull; p *= 10) {
        for (uint64_t d = 1; d <= 3; d++) {
            check_uint(room, p - d);
            check_uint(room, p + d - 1);
            check_uint(room, p * 9 / 7);
        }
        if (p > UINT64_MAX / 10)
            break;
    }
    check_uint(room, UINT64_MAX);
    uint64_t x = 88172645463325252ull; /* xorshift64 */
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        check_uint(room, x >> (i % 64));
    }
    free(room);
}

static void test_escapes(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    json_escape(&sb, "a\"b\\c\n\r\t\x01\x1f\x7f", 11);
    assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f\x7f\"");
    sb_reset(&sb);
    /* valid UTF-8 kept, invalid bytes replaced by U+FFFD */
    json_escape(&sb, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x80\xC3", 11);
    assert_string_equal(sb.buf, "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD\"");
    sb_free(&sb);
}

/* A special byte at every position of a 40-byte run of plain text. */
static void test_escape_at_every_offset(void **state)
{
    (void)state;
    const char specials[] = {'"', '\\', '\n', '\x02', '\x80'};
    const char *expect[] = {"\\\"", "\\\\", "\\n", "\\u0002", "\xEF\xBF\xBD"};
    for (size_t k = 0; k < sizeof specials; k++) {
        for (size_t at = 0; at < 40; at++) {
            char in[41];
            memset(in, 'x', 40);
            in[at] = specials[k];
            in[40] = '\0';
            char want[64];
            snprintf(want, sizeof want, "\"%.*s%s%.*s\"", (int)at, in, expect[k], (int)(39 - at),
                     in + at + 1);
            strbuf sb;
            sb_init(&sb);
            json_escape(&sb, in, 40);
            assert_string_equal(sb.buf, want);
            sb_free(&sb);
        }
    }
}

/* What json_escape gives for one byte among plain ones. */
static void escaped_byte(unsigned char c, char *out)
{
    if (c == '"' || c == '\\')
        sprintf(out, "\\%c", c);
    else if (c == '\n')
        strcpy(out, "\\n");
    else if (c == '\r')
        strcpy(out, "\\r");
    else if (c == '\t')
        strcpy(out, "\\t");
    else if (c < 0x20)
        sprintf(out, "\\u%04x", c);
    else if (c >= 0x80)
        strcpy(out, "\xEF\xBF\xBD"); /* alone: never valid UTF-8 */
    else
        sprintf(out, "%c", c);
}

/* Every byte value at every offset of strings of 1 to 20 bytes (the
 * writer checks words of 8 and 4 bytes, overlapping at the end). */
static void test_every_byte_at_every_offset_of_short_strings(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    for (size_t len = 1; len <= 20; len++) {
        for (size_t at = 0; at < len; at++) {
            for (unsigned c = 0; c < 256; c++) {
                char in[21], esc[8], want[64];
                memset(in, 'x', len);
                in[at] = (char)c;
                escaped_byte((unsigned char)c, esc);
                snprintf(want, sizeof want, "\"%.*s%s%.*s\"", (int)at, in, esc,
                         (int)(len - at - 1), in + at + 1);
                sb_reset(&sb);
                json_escape(&sb, in, len);
                assert_string_equal(sb.buf, want);
            }
        }
    }
    sb_free(&sb);
}

/* Compact output, and pretty output deeper than one 8-byte store of spaces. */
static void test_compact_and_deep(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, false);
    json_begin_object(&j);
    json_key(&j, "a");
    json_stringn(&j, "b\"c", 3);
    json_key(&j, "k\n");
    json_int(&j, -12);
    json_end_object(&j);
    assert_string_equal(sb.buf, "{\"a\":\"b\\\"c\",\"k\\n\":-12}");
    sb_reset(&sb);
    json_init(&j, &sb, true);
    for (int d = 0; d < 6; d++)
        json_begin_array(&j);
    json_string(&j, "deep");
    json_string(&j, NULL);
    for (int d = 0; d < 6; d++)
        json_end_array(&j);
    assert_string_equal(sb.buf, "[\n"
                                "  [\n"
                                "    [\n"
                                "      [\n"
                                "        [\n"
                                "          [\n"
                                "            \"deep\",\n"
                                "            null\n"
                                "          ]\n"
                                "        ]\n"
                                "      ]\n"
                                "    ]\n"
                                "  ]\n"
                                "]");
    assert_int_equal(sb.len, strlen(sb.buf));
    sb_free(&sb);
}

static void test_pretty_object(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, true);
    json_begin_object(&j);
    json_key(&j, "plain");
    json_bool(&j, true);
    json_key(&j, "needs \"escaping\"");
    json_begin_array(&j);
    json_null(&j);
    json_bool(&j, false);
    json_end_array(&j);
    json_key(&j, "empty");
    json_begin_object(&j);
    json_end_object(&j);
    json_end_object(&j);
    assert_string_equal(sb.buf, "{\n"
                                "  \"plain\": true,\n"
                                "  \"needs \\\"escaping\\\"\": [\n"
                                "    null,\n"
                                "    false\n"
                                "  ],\n"
                                "  \"empty\": {}\n"
                                "}");
    sb_free(&sb);
}

/* Elements appended to the buffer by other means, then the rest written
 * by the writer: the same text as when the writer wrote them all. */
static void document(strbuf *sb, int n, bool by_hand)
{
    json_out j;
    json_init(&j, sb, true);
    json_begin_object(&j);
    json_key(&j, "items");
    json_begin_array(&j);
    for (int i = 0; i < n; i++) {
        if (!by_hand) {
            json_int(&j, i);
            continue;
        }
        sb_adds(sb, i ? ",\n    " : "\n    ");
        sb_commit(sb, json_put_uint(sb_room(sb, JSON_UINT_ROOM), (uint64_t)i));
    }
    if (by_hand)
        json_elements_written(&j, (size_t)n);
    json_end_array(&j);
    json_key(&j, "after");
    json_bool(&j, true);
    json_end_object(&j);
}

static void test_elements_written_elsewhere(void **state)
{
    (void)state;
    for (int n = 0; n < 4; n++) {
        strbuf whole, by_hand;
        sb_init(&whole);
        sb_init(&by_hand);
        document(&whole, n, false);
        document(&by_hand, n, true);
        assert_string_equal(by_hand.buf, whole.buf);
        sb_free(&whole);
        sb_free(&by_hand);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_limits),
        cmocka_unit_test(test_uint_digits),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_escape_at_every_offset),
        cmocka_unit_test(test_every_byte_at_every_offset_of_short_strings),
        cmocka_unit_test(test_compact_and_deep),
        cmocka_unit_test(test_pretty_object),
        cmocka_unit_test(test_elements_written_elsewhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
