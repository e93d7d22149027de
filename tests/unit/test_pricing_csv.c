/* test_pricing_csv.c - the push CSV tokenizer (pricing/csv_stream.h):
 * quoting, lazy quotes, line breaks, line numbers, chunk boundaries,
 * limits and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "pricing/csv_stream.h"

/* Records rendered as "line:field|field|...\n". */
typedef struct collected {
    strbuf out;
    size_t records;
    size_t stop_after; /* 0 = never */
} collected;

static int collect(void *ud, const csv_record *rec)
{
    collected *c = ud;
    sb_addf(&c->out, "%llu:", (unsigned long long)rec->line);
    for (size_t i = 0; i < rec->nfields; i++) {
        assert_int_equal(strlen(rec->fields[i]), rec->lens[i]);
        sb_addf(&c->out, "%s%s", i ? "|" : "", rec->fields[i]);
    }
    sb_addc(&c->out, '\n');
    c->records++;
    return c->stop_after && c->records == c->stop_after;
}

/* Feeds text in chunks of `chunk` bytes (0 = all at once). */
static csv_status run(const char *text, size_t chunk, collected *c, csv_stream **out_stream)
{
    sb_init(&c->out);
    c->records = 0;
    csv_stream *s = csv_stream_new(collect, c, 64, 8);
    size_t len = strlen(text);
    csv_status st = CSV_OK;
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len && st == CSV_OK; off += chunk)
        st = csv_feed(s, text + off, off + chunk <= len ? chunk : len - off);
    if (st == CSV_OK)
        st = csv_finish(s);
    if (out_stream)
        *out_stream = s;
    else
        csv_stream_free(s);
    return st;
}

static void expect(const char *text, const char *rendered)
{
    /* the same result whatever the chunking */
    size_t chunks[] = {0, 1, 2, 3, 7};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        collected c = {0};
        assert_int_equal(run(text, chunks[i], &c, NULL), CSV_OK);
        assert_string_equal(c.out.buf, rendered);
        sb_free(&c.out);
    }
}

static void test_aws_style_quoting(void **state)
{
    (void)state;
    /* every non-empty field quoted, empty fields bare, commas inside quotes */
    expect("\"SKU\",\"Unit\",,\"Windows with SQL Server Web (Amazon VPC), c6i.large\"\n"
           "\"A\",\"Hrs\",,\"x\"\n",
           "1:SKU|Unit||Windows with SQL Server Web (Amazon VPC), c6i.large\n"
           "2:A|Hrs||x\n");
}

static void test_doubled_quotes_and_lazy_quotes(void **state)
{
    (void)state;
    expect("\"say \"\"hi\"\"\",b\n", "1:say \"hi\"|b\n");
    /* a stray quote inside an unquoted field is kept */
    expect("ab\"c,d\n", "1:ab\"c|d\n");
    /* a stray quote inside a quoted field, not followed by a separator */
    expect("\"5\" disk\",x\n", "1:5\" disk|x\n");
}

static void test_line_breaks_and_line_numbers(void **state)
{
    (void)state;
    /* CRLF, a lone CR, a quoted field spanning lines: record lines are where
     * each record starts */
    expect("a,b\r\nc,d\re,f\n\"multi\nline\",g\nh,i\n",
           "1:a|b\n2:c|d\n3:e|f\n4:multi\nline|g\n6:h|i\n");
}

static void test_empty_lines_skipped_and_last_record_without_newline(void **state)
{
    (void)state;
    expect("a,b\n\n\nc,d", "1:a|b\n4:c|d\n");
    expect("a,\n", "1:a|\n");
    expect("a,", "1:a|\n");
    expect("\"\"\n", "1:\n"); /* one quoted empty field is a record */
}

static void test_bom_skipped_even_split_across_chunks(void **state)
{
    (void)state;
    expect("\xEF\xBB\xBF\"SKU\",x\n", "1:SKU|x\n");
    /* an almost-BOM is data */
    expect("\xEF\xBBz,y\n", "1:\xEF\xBBz|y\n");
}

static void test_unterminated_quote_is_an_error_naming_its_line(void **state)
{
    (void)state;
    collected c = {0};
    csv_stream *s;
    assert_int_equal(run("a,b\nc,\"never closed\nmore\n", 3, &c, &s), CSV_ERROR);
    assert_int_equal(csv_error_line(s), 2);
    assert_non_null(strstr(csv_error_message(s), "quoted field that starts on line 2"));
    assert_string_equal(c.out.buf, "1:a|b\n");
    csv_stream_free(s);
    sb_free(&c.out);
}

static void test_limits(void **state)
{
    (void)state;
    collected c = {0};
    csv_stream *s;
    /* run() sets 64 bytes / 8 fields */
    char longrec[200];
    memset(longrec, 'x', 150);
    strcpy(longrec + 150, "\n");
    assert_int_equal(run(longrec, 0, &c, &s), CSV_ERROR);
    assert_non_null(strstr(csv_error_message(s), "longer than 64 bytes"));
    assert_int_equal(csv_error_line(s), 1);
    csv_stream_free(s);
    sb_free(&c.out);

    assert_int_equal(run("ok\n1,2,3,4,5,6,7,8,9\n", 0, &c, &s), CSV_ERROR);
    assert_non_null(strstr(csv_error_message(s), "more than 8 fields"));
    assert_int_equal(csv_error_line(s), 2);
    csv_stream_free(s);
    sb_free(&c.out);
}

static void test_callback_can_stop(void **state)
{
    (void)state;
    collected c = {.stop_after = 2};
    sb_init(&c.out);
    csv_stream *s = csv_stream_new(collect, &c, 0, 0);
    const char *text = "a\nb\nc\nd\n";
    assert_int_equal(csv_feed(s, text, strlen(text)), CSV_STOPPED);
    assert_int_equal(c.records, 2);
    assert_int_equal(csv_bytes(s), strlen(text));
    csv_stream_free(s);
    sb_free(&c.out);
}

/* A prefilter that skips every record whose first field is "skip". */
static int skip_marked(void *ud, const csv_record *partial)
{
    (void)ud;
    assert_int_equal(partial->nfields, 1);
    return strcmp(partial->fields[0], "skip") == 0 ? -1 : 0;
}

static int collect_with_skips(void *ud, const csv_record *rec)
{
    collected *c = ud;
    if (rec->skipped) {
        assert_int_equal(rec->nstored, 1);
        sb_addf(&c->out, "%llu:skipped %zu fields\n", (unsigned long long)rec->line, rec->nfields);
        c->records++;
        return 0;
    }
    return collect(ud, rec);
}

static void test_prefilter_skips_records_but_keeps_lines_and_field_counts(void **state)
{
    (void)state;
    const char *text = "\"skip\",\"a, \"\"b\"\"\",,\"multi\nline\",\"5\" disk\"\n"
                       "\"keep\",\"x\"\r\n"
                       "skip,1,2\n"
                       "\"keep\",\"y\n z\"\n"
                       "\"skip\",\"last, no newline\"";
    const char *expected = "1:skipped 5 fields\n"
                           "3:keep|x\n"
                           "4:skipped 3 fields\n"
                           "5:keep|y\n z\n"
                           "7:skipped 2 fields\n";
    size_t chunks[] = {0, 1, 2, 5, 9};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        collected c = {0};
        sb_init(&c.out);
        csv_stream *s = csv_stream_new(collect_with_skips, &c, 0, 0);
        csv_stream_set_prefilter(s, skip_marked, 1);
        size_t len = strlen(text), chunk = chunks[i] ? chunks[i] : len;
        csv_status st = CSV_OK;
        for (size_t off = 0; off < len && st == CSV_OK; off += chunk)
            st = csv_feed(s, text + off, off + chunk <= len ? chunk : len - off);
        assert_int_equal(st, CSV_OK);
        assert_int_equal(csv_finish(s), CSV_OK);
        assert_string_equal(c.out.buf, expected);
        csv_stream_free(s);
        sb_free(&c.out);
    }
    /* a skipped record cut inside a quoted field is still an error */
    collected c = {0};
    sb_init(&c.out);
    csv_stream *s = csv_stream_new(collect_with_skips, &c, 0, 0);
    csv_stream_set_prefilter(s, skip_marked, 1);
    const char *cut = "\"keep\",\"x\"\n\"skip\",\"a\",\"two\nlines, then cut";
    assert_int_equal(csv_feed(s, cut, strlen(cut)), CSV_OK);
    assert_int_equal(csv_finish(s), CSV_ERROR);
    assert_int_equal(csv_error_line(s), 2);
    assert_non_null(strstr(csv_error_message(s), "quoted field that starts on line 2"));
    csv_stream_free(s);
    sb_free(&c.out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_style_quoting),
        cmocka_unit_test(test_doubled_quotes_and_lazy_quotes),
        cmocka_unit_test(test_line_breaks_and_line_numbers),
        cmocka_unit_test(test_empty_lines_skipped_and_last_record_without_newline),
        cmocka_unit_test(test_bom_skipped_even_split_across_chunks),
        cmocka_unit_test(test_unterminated_quote_is_an_error_naming_its_line),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_callback_can_stop),
        cmocka_unit_test(test_prefilter_skips_records_but_keeps_lines_and_field_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
