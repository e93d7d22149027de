/* test_source.c - positions, UTF-8 checking, loading limits, diagnostics. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/source.h"

static void test_positions_count_characters_not_bytes(void **state)
{
    (void)state;
    arena *a = arena_new();
    /* "é" is 2 bytes, "€" 3 bytes */
    const char *text = "a: é€x\nb: 2\r\nlast";
    src_file *f = src_from_memory(a, "t.yaml", text, strlen(text));
    assert_int_equal(f->nlines, 3);
    src_pos p = src_pos_at(f, 8); /* 'x' after "a: é€" = 3 + 2 + 3 bytes */
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 6);
    assert_int_equal(p.offset, 8);
    p = src_pos_at(f, 10); /* 'b' */
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 1);
    p = src_pos_at(f, strlen(text)); /* end of file */
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 5);
    /* inverse: line 0-based 0, char col 5 -> byte 8 */
    assert_int_equal(src_offset_of(f, 0, 5), 8);
    assert_int_equal(src_offset_of(f, 1, 0), 10);
    assert_int_equal(src_offset_of(f, 9, 0), strlen(text));
    size_t len;
    const char *line = src_line_text(f, 2, &len);
    assert_int_equal(len, 4); /* "b: 2" without \r */
    assert_memory_equal(line, "b: 2", 4);
    arena_free(a);
}

/* Files with more lines than the loader keeps on the stack get every line
 * start too. */
static void test_line_index_of_a_long_file(void **state)
{
    (void)state;
    arena *a = arena_new();
    size_t nl = 10000, len = nl * 3 + 1;
    char *text = malloc(len);
    for (size_t i = 0; i < nl; i++)
        memcpy(text + 3 * i, "ab\n", 3);
    text[len - 1] = 'z';
    src_file *f = src_from_memory(a, "t.yaml", text, len);
    assert_int_equal(f->nlines, nl + 1);
    for (size_t i = 0; i <= nl; i++)
        assert_int_equal(f->line_starts[i], 3 * i);
    src_file *empty = src_from_memory(a, "e.yaml", "", 0);
    assert_int_equal(empty->nlines, 1);
    assert_int_equal(empty->line_starts[0], 0);
    free(text);
    arena_free(a);
}

/* The loader's one pass (a block of bytes at a time) finds every line start
 * and the first bad byte wherever a special byte sequence lies: across
 * block boundaries, in the last partial block, after an earlier bad byte. */
static void test_scan_finds_lines_and_bad_bytes_at_every_offset(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        bool valid, ascii, lf;
    } cases[] = {
        {"\xe2\x82\xac", 3, true, false, true},  /* a 3-byte character */
        {"\xe2\x80\xa8", 3, true, false, false}, /* LS: a YAML line break */
        {"\r\n", 2, true, true, true},
        {"\rb", 2, true, true, false},             /* a lone CR */
        {"\xff", 1, false, false, false},
        {"\0", 1, false, false, false},
    };
    enum { LEN = 150 };
    arena *a = arena_new();
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        for (size_t at = 0; at + cases[c].len + 8 <= LEN; at++) {
            char text[LEN];
            for (size_t i = 0; i < LEN; i++)
                text[i] = i % 7 == 6 ? '\n' : 'a';
            memcpy(text + at, cases[c].bytes, cases[c].len);
            text[LEN - 3] = '\xff'; /* a later bad byte: never the one reported */
            /* lengths that end the last block at several offsets; only an
             * invalid file's reaches the later bad byte */
            size_t len = cases[c].valid ? LEN - 3 - at % 5 : LEN - at % 3;
            src_file *f = src_from_memory(a, "t.yaml", text, len);
            uint32_t n = 1;
            assert_int_equal(f->line_starts[0], 0);
            for (size_t i = 0; i < len; i++)
                if (text[i] == '\n')
                    assert_int_equal(f->line_starts[n++], i + 1);
            assert_int_equal(f->nlines, n);
            assert_int_equal(f->bad_byte, cases[c].valid ? len : at);
            assert_int_equal(f->plain_ascii, cases[c].valid && cases[c].ascii && cases[c].lf);
            assert_int_equal(f->lf_breaks, cases[c].valid && cases[c].lf);
        }
    }
    arena_free(a);
}

static void test_check_text_reports_first_bad_byte(void **state)
{
    (void)state;
    arena *a = arena_new();
    diag_list d;
    diag_list_init(&d);
    src_file *ok = src_from_memory(a, "ok.yaml", "k: \xe2\x82\xac\n", 7);
    assert_true(src_check_text(ok, &d));
    assert_int_equal(d.count, 0);

    src_file *bad = src_from_memory(a, "bad.yaml", "k: v\nx: \xff\n", 10);
    assert_false(src_check_text(bad, &d));
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[0].col, 4);
    assert_non_null(strstr(d.items[0].message, "invalid UTF-8"));

    src_file *overlong = src_from_memory(a, "o.yaml", "\xc0\xaf", 2);
    assert_false(src_check_text(overlong, &d));

    src_file *bin = src_from_memory(a, "b.yaml", "ab\0cd", 5);
    assert_false(src_check_text(bin, &d));
    assert_non_null(strstr(d.items[d.count - 1].message, "binary file"));
    assert_int_equal(d.items[d.count - 1].col, 3);
    diag_list_free(&d);
    arena_free(a);
}

static void test_load_limits_and_errors(void **state)
{
    (void)state;
    char path[] = "/tmp/sa-src-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    close(fd);
    arena *a = arena_new();
    diag_list d;
    diag_list_init(&d);
    parse_limits lim = parse_limits_default();
    src_file *f = src_load(a, path, &lim, &d);
    assert_non_null(f);
    assert_int_equal(f->len, 10);
    assert_string_equal(f->data, "0123456789");
    lim.max_file_size = 5;
    assert_null(src_load(a, path, &lim, &d));
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.items[0].message, "over the limit of 5 bytes"));
    assert_null(src_load(a, "/proc/self/no-such-file.yaml", &lim, &d));
    assert_non_null(strstr(d.items[1].message, "No such file"));
    assert_null(src_load(a, "/tmp", &lim, &d));
    assert_non_null(strstr(d.items[2].message, "not a regular file"));
    unlink(path);
    diag_list_free(&d);
    arena_free(a);
}

static void test_load_optional_reports_missing_without_diagnostic(void **state)
{
    (void)state;
    char dir[] = "/tmp/sa-src-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[64], file[64];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(file, sizeof file, "%s/fifo/x", dir); /* ENOTDIR */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    arena *a = arena_new();
    diag_list d;
    diag_list_init(&d);
    parse_limits lim = parse_limits_default();
    src_status status;
    assert_null(src_load_optional(a, "/proc/self/no-such-file.yaml", &lim, &d, &status));
    assert_int_equal(status, SRC_MISSING);
    assert_null(src_load_optional(a, file, &lim, &d, &status));
    assert_int_equal(status, SRC_MISSING);
    assert_int_equal(d.count, 0);
    /* a FIFO without a writer is refused at once, not waited on */
    assert_null(src_load_optional(a, fifo, &lim, &d, &status));
    assert_int_equal(status, SRC_NOT_REGULAR);
    assert_null(src_load_optional(a, dir, &lim, &d, &status));
    assert_int_equal(status, SRC_NOT_REGULAR);
    assert_int_equal(d.count, 2);
    assert_string_equal(d.items[0].message, "cannot read file: not a regular file");
    assert_null(src_load(a, fifo, &lim, &d));
    assert_string_equal(d.items[2].message, "cannot read file: not a regular file");
    unlink(fifo);
    rmdir(dir);
    diag_list_free(&d);
    arena_free(a);
}

static void test_comments_are_trimmed_and_kept_in_order(void **state)
{
    (void)state;
    arena *a = arena_new();
    src_file *f = src_from_memory(a, "c.tf", "x", 1);
    for (int i = 0; i < 9; i++) {
        char body[32];
        int n = snprintf(body, sizeof body, "  note %d \r\n", i);
        src_add_comment(a, f, src_span_of(f, 0, 1), COMMENT_HASH, body, (size_t)n);
    }
    assert_int_equal(f->ncomments, 9);
    assert_string_equal(f->comments[0].text, "note 0");
    assert_string_equal(f->comments[8].text, "note 8");
    arena_free(a);
}

static void test_diag_print_format(void **state)
{
    (void)state;
    diag_list d;
    diag_list_init(&d);
    diag_add(&d, DIAG_ERROR, "a.yaml", 3, 7, "bad %s", "thing");
    diag_add(&d, DIAG_WARNING, "b.tf", 0, 0, "no position");
    char buf[256];
    FILE *out = fmemopen(buf, sizeof buf, "w");
    diag_print(out, &d.items[0]);
    diag_print(out, &d.items[1]);
    fclose(out);
    assert_string_equal(buf, "a.yaml:3:7: error: bad thing\nb.tf: warning: no position\n");
    assert_int_equal(diag_count(&d, DIAG_ERROR), 1);
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_count_characters_not_bytes),
        cmocka_unit_test(test_line_index_of_a_long_file),
        cmocka_unit_test(test_scan_finds_lines_and_bad_bytes_at_every_offset),
        cmocka_unit_test(test_check_text_reports_first_bad_byte),
        cmocka_unit_test(test_load_limits_and_errors),
        cmocka_unit_test(test_load_optional_reports_missing_without_diagnostic),
        cmocka_unit_test(test_comments_are_trimmed_and_kept_in_order),
        cmocka_unit_test(test_diag_print_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
