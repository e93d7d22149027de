/* test_pricing_update.c - refreshing the catalog from offer files
 * (pricing/update.h): what replaces what, atomicity across sources, the
 * old file untouched byte for byte on failure, no temporary file left.
 * Downloads (HTTP errors, retries, 304, cut-off transfers, proxies) are
 * covered end to end by tests/cli/test_pricing.py against a local server. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/catalog.h"
#include "pricing/update.h"

static char dir[64];
static char db[128];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/sa-update-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/pricing.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static char *fixture(const char *name)
{
    const char *root = getenv("STACKAUDIT_ROOT");
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "%s/tests/fixtures/pricing/%s", root ? root : ".", name);
    return sb_detach(&sb);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    strbuf sb;
    sb_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return sb_detach(&sb);
}

static void write_text(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static size_t leftover_temp_files(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".new-"))
            n++;
    closedir(d);
    return n;
}

static bool update_files(const char *const *files, size_t nfiles, diag_list *d,
                         pricing_update_result *res)
{
    pricing_source src[4];
    for (size_t i = 0; i < nfiles; i++)
        src[i] = (pricing_source){PRICING_SOURCE_FILE, files[i], NULL, NULL};
    pricing_update_options o = {.db_path = db, .sources = src, .nsources = nfiles};
    return pricing_update(&o, res, d);
}

static pricing_price lookup(const char *service, const char *region, const char *resource,
                            const char *component)
{
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(db, &d);
    assert_non_null(cat);
    pricing_query q = {.service = service, .region = region, .resource = resource,
                       .component = component};
    pricing_price p;
    pricing_lookup(cat, &q, &p);
    /* keep what the tests read after closing */
    static char usd[64], source[1024], sku[64];
    if (p.priced) {
        snprintf(usd, sizeof usd, "%s", p.usd_text);
        snprintf(source, sizeof source, "%s", p.source);
        snprintf(sku, sizeof sku, "%s", p.sku);
        p.usd_text = usd;
        p.source = source;
        p.sku = sku;
    }
    pricing_catalog_close(cat);
    diag_list_free(&d);
    return p;
}

static void test_offer_rows_replace_builtin_ones_and_keep_the_rest(void **state)
{
    (void)state;
    char *ec2 = fixture("AmazonEC2_offer_fixture.csv");
    diag_list d;
    diag_list_init(&d);
    pricing_update_result res;
    const char *files[] = {ec2};
    assert_true(update_files(files, 1, &d, &res));
    assert_int_equal(diag_count(&d, DIAG_ERROR), 0);
    assert_true(res.replaced);
    assert_int_equal(res.sources_read, 1);
    assert_int_equal(res.rows_added, 4);
    assert_int_equal(res.rows_total, 769); /* 4 built-in rows replaced by 4 offer rows */
    pricing_price p = lookup("AmazonEC2", "us-east-1", "m5.large", "instance-hour");
    assert_true(p.priced);
    assert_string_equal(p.usd_text, "0.096");
    assert_string_equal(p.sku, "6C86BEPQVG73ZGGR");
    assert_non_null(strstr(p.source, "AWS price list AmazonEC2 version 20250912225308 "
                                     "(published 2025-09-12T22:53:08Z), "));
    assert_non_null(strstr(p.source, "AmazonEC2_offer_fixture.csv, SKU 6C86BEPQVG73ZGGR"));
    /* built-in prices the file does not have are kept, with their source */
    p = lookup("AmazonEC2", "us-east-1", "t3.nano", "instance-hour");
    assert_true(p.priced);
    assert_string_equal(p.usd_text, "0.0052");
    assert_non_null(strstr(p.source, "built-in price list: "));
    p = lookup("AmazonEC2", "us-east-2", "ebs-gp3", "storage");
    assert_string_equal(p.sku, "M6UGCCQ3CDJQAA37");
    p = lookup("AmazonEC2", "us-east-2", "ebs-gp3", "iops");
    assert_true(p.priced);
    assert_string_equal(p.sku, "");
    assert_int_equal(leftover_temp_files(), 0);

    /* a newer file for the same service replaces the earlier offer rows:
     * without its t3.small row, t3.small is no longer priced */
    size_t len;
    char *text = slurp(ec2, &len);
    char *t3small = strstr(text, "\"QA3NBPZEQKZ2K9AR\"");
    char *eol = strchr(t3small, '\n');
    memmove(t3small, eol + 1, strlen(eol + 1) + 1);
    char newer[256];
    snprintf(newer, sizeof newer, "%s/newer.csv", dir);
    write_text(newer, text, strlen(text));
    files[0] = newer;
    assert_true(update_files(files, 1, &d, &res));
    assert_int_equal(res.rows_added, 3);
    p = lookup("AmazonEC2", "us-east-1", "t3.small", "instance-hour");
    assert_false(p.priced);
    assert_non_null(strstr(p.reason, "no AmazonEC2 price for t3.small in us-east-1 (the catalog has it in eu-west-1, us-east-2, us-west-2)"));
    p = lookup("AmazonEC2", "us-east-1", "t3.micro", "instance-hour");
    assert_non_null(strstr(p.source, "newer.csv, SKU CRAJUW7BTXFMT2UJ"));
    free(text);
    free(ec2);
    diag_list_free(&d);
}

static void test_any_failure_leaves_the_catalog_byte_for_byte(void **state)
{
    (void)state;
    char *lambda = fixture("AWSLambda_offer_fixture.csv");
    char *excerpt = fixture("AmazonEC2_global_offer_excerpt.csv");
    diag_list d;
    diag_list_init(&d);
    pricing_update_result res;
    const char *first[] = {lambda};
    assert_true(update_files(first, 1, &d, &res));
    size_t before_len;
    char *before = slurp(db, &before_len);

    /* a good source then a truncated one: nothing of either is kept */
    size_t len;
    char *text = slurp(lambda, &len);
    char bad[256];
    snprintf(bad, sizeof bad, "%s/truncated.csv", dir);
    write_text(bad, text, len - 40);
    char *s3 = fixture("AmazonS3_offer_fixture.csv");
    const char *both[] = {s3, bad};
    assert_false(update_files(both, 2, &d, &res));
    assert_false(res.replaced);
    bool named = false;
    for (size_t i = 0; i < d.count; i++)
        named |= d.items[i].level == DIAG_ERROR && strcmp(d.items[i].path, bad) == 0 &&
                 d.items[i].line == 11;
    assert_true(named);

    /* a file none of whose rows is usable */
    const char *none[] = {excerpt};
    diag_list_free(&d);
    diag_list_init(&d);
    assert_false(update_files(none, 1, &d, &res));
    assert_non_null(strstr(d.items[0].message, "no usable prices: none of the 44 rows"));
    /* a missing file */
    const char *missing[] = {"/proc/self/no-such-offer.csv"};
    assert_false(update_files(missing, 1, &d, &res));

    size_t after_len;
    char *after = slurp(db, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    assert_int_equal(leftover_temp_files(), 0);
    pricing_price p = lookup("AmazonS3", "us-east-1", "s3-standard", "put-requests");
    assert_non_null(strstr(p.source, "built-in price list: "));
    free(before);
    free(after);
    free(text);
    free(s3);
    free(lambda);
    free(excerpt);
    diag_list_free(&d);
}

static void test_region_filter_and_expectations(void **state)
{
    (void)state;
    char *ec2 = fixture("AmazonEC2_offer_fixture.csv");
    pricing_source src = {PRICING_SOURCE_FILE, ec2, NULL, NULL};
    const char *regions[] = {"us-east-2"};
    pricing_update_options o = {.db_path = db, .sources = &src, .nsources = 1,
                                .regions = regions, .nregions = 1};
    diag_list d;
    diag_list_init(&d);
    pricing_update_result res;
    assert_true(pricing_update(&o, &res, &d));
    assert_int_equal(res.rows_added, 1);
    /* us-east-1 was not asked: its built-in rows stay */
    pricing_price p = lookup("AmazonEC2", "us-east-1", "m5.large", "instance-hour");
    assert_string_equal(p.sku, "");
    const char *absent[] = {"eu-central-1"};
    o.regions = absent;
    assert_false(pricing_update(&o, &res, &d));
    assert_non_null(strstr(d.items[d.count - 1].message,
                           "no usable prices: none of the 48 rows of this AmazonEC2 offer file is "
                           "an on-demand USD price stackaudit keeps in eu-central-1"));
    /* a source expected for a region must deliver it */
    src.region = "us-west-2";
    src.service = "AmazonEC2";
    o.regions = NULL;
    o.nregions = 0;
    assert_false(pricing_update(&o, &res, &d));
    assert_non_null(strstr(d.items[d.count - 1].message, "no usable prices"));
    free(ec2);
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_offer_rows_replace_builtin_ones_and_keep_the_rest,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_any_failure_leaves_the_catalog_byte_for_byte, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_region_filter_and_expectations, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
