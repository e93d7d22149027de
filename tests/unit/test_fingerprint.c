/* test_fingerprint.c - the fingerprints of findings (rules/engine.h): FNV-1a
 * over the rule id, the path and the text with whitespace left out. Baselines
 * written by earlier versions hold these values, so they must never change:
 * the hash is checked against a plain byte-by-byte FNV-1a, over every byte
 * value, and against values pinned once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rules/engine.h"

#define PRIME 1099511628211ULL

static uint64_t step(uint64_t h, unsigned char c)
{
    return (h ^ c) * PRIME;
}

/* The fingerprint as first written: one branch per byte. */
static uint64_t reference(const char *id, const char *path, const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = id; *s; s++)
        h = step(h, (unsigned char)*s);
    h = step(h, 0);
    for (const char *s = path; *s; s++)
        h = step(h, (unsigned char)*s);
    h = step(h, 0);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            h = step(h, c);
    }
    return h;
}

static void test_every_byte_value(void **state)
{
    (void)state;
    rule r = {.id = "K8S-SA-TOKEN-AUTOMOUNT"};
    char text[512];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)(i * 7 % 256);
    for (size_t len = 0; len <= sizeof text; len += 37)
        assert_true(lint_fingerprint_text(&r, "a/b.yaml", text, len) ==
                    reference(r.id, "a/b.yaml", text, len));
}

static void test_whitespace_is_left_out(void **state)
{
    (void)state;
    rule r = {.id = "R-1"};
    const char *spaced = "spec:\n  containers:\r\n\t- name: web\n";
    const char *bare = "spec:containers:-name:web";
    assert_true(lint_fingerprint_text(&r, "p", spaced, strlen(spaced)) ==
                lint_fingerprint_text(&r, "p", bare, strlen(bare)));
    assert_true(lint_fingerprint_text(&r, "p", bare, strlen(bare)) ==
                reference(r.id, "p", bare, strlen(bare)));
}

static void test_pinned_values(void **state)
{
    (void)state;
    rule r = {.id = "R-1"};
    /* computed apart from this code */
    assert_true(lint_fingerprint_text(&r, "p", "", 0) == 0x2c3f38fc7c9e0fbbULL);
    assert_true(lint_fingerprint_text(&r, "p", "a b", 3) == 0xc17f762c3d123164ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_value),
        cmocka_unit_test(test_whitespace_is_left_out),
        cmocka_unit_test(test_pinned_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
