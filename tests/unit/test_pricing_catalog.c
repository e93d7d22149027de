/* test_pricing_catalog.c - the SQLite price catalog (pricing/catalog.h):
 * first-use creation from the built-in list, lookups and their "unpriced"
 * reasons, tiers, 10,000 indexed lookups, corruption rebuild, foreign and
 * newer files, schema migration, unwritable locations, default path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/catalog.h"
#include "pricing/catalog_db.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/sa-pricing-XXXXXX");
    assert_non_null(mkdtemp(dir));
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

static char *path_in(const char *name)
{
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "%s/%s", dir, name);
    return sb_detach(&sb);
}

static bool has_diag(const diag_list *d, diag_level level, const char *needle)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].level == level && strstr(d->items[i].message, needle))
            return true;
    return false;
}

static void assert_reason(pricing_catalog *cat, pricing_query q, const char *needle)
{
    pricing_price p;
    assert_false(pricing_lookup(cat, &q, &p));
    if (!strstr(p.reason, needle))
        fail_msg("'%s' not in reason '%s'", needle, p.reason);
}

static void test_first_open_creates_the_file_from_the_builtin_list(void **state)
{
    (void)state;
    char *path = path_in("a/b/pricing.db");
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    assert_non_null(cat);
    assert_true(has_diag(&d, DIAG_NOTE, "created the price catalog from the built-in price list"));
    assert_int_equal(diag_count(&d, DIAG_ERROR) + diag_count(&d, DIAG_WARNING), 0);
    assert_false(pricing_catalog_in_memory(cat));
    assert_string_equal(pricing_catalog_path(cat), path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);

    pricing_query q = {.service = "AmazonEC2", .region = "us-east-1", .resource = "m5.large",
                       .component = "instance-hour", .os = "Linux", .tenancy = "Shared"};
    pricing_price p;
    assert_true(pricing_lookup(cat, &q, &p));
    assert_true(p.usd_per_unit == 0.096);
    assert_string_equal(p.usd_text, "0.096");
    assert_string_equal(p.unit, "Hrs");
    assert_string_equal(p.sku, "");
    assert_string_equal(p.term, "OnDemand");
    assert_int_equal(p.tiers, 1);
    assert_false(p.has_end);
    assert_non_null(strstr(p.source, "built-in price list: aws/karpenter-provider-aws@"));
    /* attributes may be left out when only one combination matches */
    pricing_query loose = {.service = "AmazonEC2", .region = "eu-west-1", .resource = "m5.large"};
    assert_true(pricing_lookup(cat, &loose, &p));
    assert_string_equal(p.usd_text, "0.107");
    assert_string_equal(p.component, "instance-hour");
    assert_string_equal(p.os, "Linux");
    pricing_catalog_close(cat);

    /* a second open reuses the file without a note */
    diag_list_free(&d);
    diag_list_init(&d);
    cat = pricing_catalog_open(path, &d);
    assert_non_null(cat);
    assert_int_equal(d.count, 0);
    pricing_catalog_close(cat);
    diag_list_free(&d);
    free(path);
}

static void test_unpriced_answers_say_why(void **state)
{
    (void)state;
    char *path = path_in("reasons.db");
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    assert_non_null(cat);
    assert_reason(cat, (pricing_query){"AmazonEC2", "ap-south-1", "m5.large"},
                  "no AmazonEC2 prices for region ap-south-1 in the catalog (it has eu-west-1, "
                  "us-east-1, us-east-2, us-west-2); run 'stackaudit pricing update --service "
                  "AmazonEC2 --region ap-south-1'");
    assert_reason(cat, (pricing_query){"AmazonEC2", "us-east-2", "nat-gateway"},
                  "no AmazonEC2 price for nat-gateway in us-east-2 (the catalog has it in "
                  "us-east-1)");
    assert_reason(cat, (pricing_query){"AmazonEC2", "us-east-1", "m5.lrage"},
                  "unknown AmazonEC2 resource 'm5.lrage': not in the catalog for us-east-1");
    assert_reason(cat, (pricing_query){"AmazonFoo", "us-east-1", "x"},
                  "no AmazonFoo prices in the catalog (services priced: AWSELB, AWSLambda,");
    assert_reason(cat, (pricing_query){.service = "AmazonEC2", .region = "us-east-1",
                                       .resource = "m5.large", .os = "Windows"},
                  "no AmazonEC2 price for m5.large in us-east-1 with os=Windows (the catalog "
                  "has: instance-hour [os=Linux tenancy=Shared])");
    assert_reason(cat, (pricing_query){.service = "AmazonRDS", .region = "us-east-1",
                                       .resource = "db.t3.micro"},
                  "ambiguous: several AmazonRDS prices match db.t3.micro in us-east-1; choose "
                  "with engine (");
    assert_reason(cat, (pricing_query){.service = "AmazonRDS", .region = "us-east-1",
                                       .resource = "db.t3.micro", .engine = "PostgreSQL"},
                  "choose with deployment (");
    assert_reason(cat, (pricing_query){.service = "AmazonEC2", .region = "us-east-1"},
                  "needs a service, a region and a resource");
    pricing_price p;
    pricing_query q = {.service = "AmazonRDS", .region = "us-east-1", .resource = "db.t3.micro",
                       .engine = "PostgreSQL", .deployment = "Multi-AZ"};
    assert_true(pricing_lookup(cat, &q, &p));
    assert_string_equal(p.usd_text, "0.036");
    pricing_catalog_close(cat);
    diag_list_free(&d);
    free(path);
}

static void test_tiers(void **state)
{
    (void)state;
    char *path = path_in("tiers.db");
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    pricing_query q = {.service = "AmazonS3", .region = "us-east-1", .resource = "s3-standard",
                       .component = "storage"};
    pricing_price p;
    assert_true(pricing_lookup(cat, &q, &p));
    assert_string_equal(p.usd_text, "0.023");
    assert_int_equal(p.tiers, 3);
    assert_true(p.begin_range == 0 && p.has_end && p.end_range == 51200);
    pricing_price t[4];
    assert_int_equal(pricing_lookup_tiers(cat, &q, t, 4), 3);
    assert_string_equal(t[1].usd_text, "0.022");
    assert_true(t[1].begin_range == 51200 && t[1].end_range == 512000);
    assert_string_equal(t[2].usd_text, "0.021");
    assert_true(t[2].begin_range == 512000 && !t[2].has_end);
    /* fewer slots than tiers: the count is still the full one */
    assert_int_equal(pricing_lookup_tiers(cat, &q, t, 1), 3);
    q = (pricing_query){.service = "AmazonApiGateway", .region = "us-east-1",
                        .resource = "apigw-rest"};
    assert_int_equal(pricing_lookup_tiers(cat, &q, t, 4), 2);
    assert_string_equal(t[0].unit, "Requests");
    assert_string_equal(t[0].usd_text, "0.0000035");
    assert_true(t[1].begin_range == 333e6 && t[1].end_range == 1e9);
    q.resource = "nope";
    assert_int_equal(pricing_lookup_tiers(cat, &q, t, 4), 0);
    assert_false(t[0].priced);
    assert_non_null(strstr(t[0].reason, "unknown AmazonApiGateway resource 'nope'"));
    pricing_catalog_close(cat);
    diag_list_free(&d);
    free(path);
}

typedef struct key_list {
    pricing_query *q;
    char **usd;
    size_t n, cap;
    arena *a;
} key_list;

static int collect_key(void *ud, const price_row *r, const char *source)
{
    (void)source;
    key_list *k = ud;
    if (r->begin_range > 0)
        return 0; /* lookups answer the first tier */
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 1024;
        k->q = xrealloc(k->q, k->cap * sizeof *k->q);
        k->usd = xrealloc(k->usd, k->cap * sizeof *k->usd);
    }
    arena *a = k->a;
    k->q[k->n] = (pricing_query){arena_strdup(a, r->service), arena_strdup(a, r->region),
                                 arena_strdup(a, r->resource), arena_strdup(a, r->component),
                                 arena_strdup(a, r->os), arena_strdup(a, r->tenancy),
                                 arena_strdup(a, r->arch), arena_strdup(a, r->term),
                                 arena_strdup(a, r->engine), arena_strdup(a, r->deployment),
                                 arena_strdup(a, r->variant)};
    k->usd[k->n] = arena_strdup(a, r->usd_text);
    k->n++;
    return 0;
}

static void test_ten_thousand_lookups_are_all_answered(void **state)
{
    (void)state;
    char *path = path_in("bulk.db");
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    key_list k = {.a = arena_new()};
    assert_true(pricing_catalog_each(cat, NULL, collect_key, &k, &d));
    assert_true(k.n > 700);
    size_t priced = 0, unpriced = 0;
    for (size_t i = 0; i < 10000; i++) {
        pricing_price p;
        if (i % 10 == 9) { /* one in ten asks for a region the catalog lacks */
            pricing_query q = k.q[i % k.n];
            q.region = "ap-south-1";
            assert_false(pricing_lookup(cat, &q, &p));
            assert_true(p.reason[0] != '\0');
            unpriced++;
            continue;
        }
        assert_true(pricing_lookup(cat, &k.q[i % k.n], &p));
        assert_string_equal(p.usd_text, k.usd[i % k.n]);
        priced++;
    }
    assert_int_equal(priced, 9000);
    assert_int_equal(unpriced, 1000);
    free(k.q);
    free(k.usd);
    arena_free(k.a);
    pricing_catalog_close(cat);
    diag_list_free(&d);
    free(path);
}

static void write_file(const char *path, const void *data, size_t n, long offset)
{
    FILE *f = fopen(path, offset < 0 ? "wb" : "r+b");
    assert_non_null(f);
    if (offset >= 0)
        fseek(f, offset, SEEK_SET);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void check_rebuilt(const char *path, const char *needle)
{
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    assert_non_null(cat);
    assert_false(pricing_catalog_in_memory(cat));
    assert_true(has_diag(&d, DIAG_WARNING, "the price catalog was corrupted ("));
    assert_true(has_diag(&d, DIAG_WARNING, "rebuilt it from the built-in price list"));
    assert_true(has_diag(&d, DIAG_WARNING, needle));
    char aside[512];
    snprintf(aside, sizeof aside, "%s.corrupt", path);
    struct stat st;
    assert_int_equal(stat(aside, &st), 0);
    pricing_price p;
    pricing_query q = {.service = "AmazonEC2", .region = "us-east-1", .resource = "t3.micro"};
    assert_true(pricing_lookup(cat, &q, &p));
    assert_string_equal(p.usd_text, "0.0104");
    pricing_catalog_close(cat);
    diag_list_free(&d);
}

static void test_corrupted_file_is_set_aside_and_rebuilt(void **state)
{
    (void)state;
    char *path = path_in("corrupt.db");
    /* not a database at all */
    write_file(path, "this is not an SQLite file, just text that got here somehow\n", 60, -1);
    check_rebuilt(path, "file is not a database");

    /* a real catalog whose pages are damaged: PRAGMA quick_check finds it */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    char junk[4096];
    memset(junk, 0x5A, sizeof junk);
    write_file(path, junk, sizeof junk, (long)(st.st_size / 2) & ~4095L);
    check_rebuilt(path, "corrupted");
    free(path);
}

static void test_foreign_and_newer_files_are_left_alone(void **state)
{
    (void)state;
    char *path = path_in("other.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes(x); INSERT INTO notes VALUES('mine')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    diag_list d;
    diag_list_init(&d);
    assert_null(pricing_catalog_open(path, &d));
    assert_true(has_diag(&d, DIAG_ERROR, "not a stackaudit price catalog; not touching it"));
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_size, after.st_size);
    assert_true(before.st_mtime == after.st_mtime);
    diag_list_free(&d);

    /* a catalog written by a newer stackaudit */
    char *newer = path_in("newer.db");
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(newer, &d);
    pricing_catalog_close(cat);
    assert_int_equal(sqlite3_open(newer, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    diag_list_free(&d);
    diag_list_init(&d);
    assert_null(pricing_catalog_open(newer, &d));
    assert_true(has_diag(&d, DIAG_ERROR, "catalog schema 99 is newer than this stackaudit's (2)"));
    diag_list_free(&d);
    free(newer);
    free(path);
}

/* What a schema-1 catalog holds beyond its tables (migration step 0 -> 1
 * of pricing/catalog_db.c, which is never edited once released). */
static const char schema_1_rows[] =
    "INSERT INTO prices(service, region, resource, component, unit, usd, usd_text, citation)"
    " VALUES('AmazonEC2', 'us-east-1', 'm5.large', 'instance-hour', 'Hrs', 0.096, '0.096',"
    " 'kept from schema 1');"
    "PRAGMA user_version = 1; PRAGMA application_id = 1396789315;";

static void test_schema_1_is_migrated_in_place(void **state)
{
    (void)state;
    char *path = path_in("v1.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const char *schema_1 = catalog_db_migration_sql(0);
    assert_non_null(schema_1);
    assert_null(catalog_db_migration_sql(CATALOG_SCHEMA_VERSION));
    assert_int_equal(sqlite3_exec(db, schema_1, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, schema_1_rows, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    assert_non_null(cat);
    assert_int_equal(d.count, 0);
    pricing_price p;
    pricing_query q = {.service = "AmazonEC2", .region = "us-east-1", .resource = "m5.large"};
    assert_true(pricing_lookup(cat, &q, &p));
    assert_string_equal(p.usd_text, "0.096");
    assert_string_equal(p.source, "rows of a schema-1 catalog: kept from schema 1");
    pricing_status s;
    assert_true(pricing_catalog_status(cat, &s, &d));
    assert_int_equal(s.schema_version, 2);
    assert_int_equal(s.total_rows, 1);
    assert_int_equal(s.nsources, 1);
    assert_string_equal(s.sources[0].kind, "migrated");
    assert_int_equal(s.sources[0].rows, 1);
    pricing_status_free(&s);
    pricing_catalog_close(cat);
    diag_list_free(&d);
    free(path);
}

static void test_unusable_location_falls_back_to_memory(void **state)
{
    (void)state;
    char *file = path_in("plainfile");
    write_file(file, "x", 1, -1);
    char *path = path_in("plainfile/pricing.db"); /* parent is a regular file */
    diag_list d;
    diag_list_init(&d);
    pricing_catalog *cat = pricing_catalog_open(path, &d);
    assert_non_null(cat);
    assert_true(pricing_catalog_in_memory(cat));
    assert_true(has_diag(&d, DIAG_WARNING, "Not a directory"));
    assert_true(has_diag(&d, DIAG_WARNING, "using the built-in price list from memory"));
    pricing_price p;
    pricing_query q = {.service = "AWSLambda", .region = "us-east-1", .resource = "lambda-x86",
                       .component = "requests"};
    assert_true(pricing_lookup(cat, &q, &p));
    assert_string_equal(p.usd_text, "0.0000002");
    pricing_status s;
    assert_true(pricing_catalog_status(cat, &s, &d));
    assert_int_equal(s.total_rows, 769);
    pricing_status_free(&s);
    pricing_catalog_close(cat);
    diag_list_free(&d);
    free(path);
    free(file);
}

static void test_default_path(void **state)
{
    (void)state;
    char *old_xdg = getenv("XDG_CACHE_HOME") ? xstrdup(getenv("XDG_CACHE_HOME")) : NULL;
    char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    diag_list d;
    diag_list_init(&d);
    setenv("XDG_CACHE_HOME", "/var/cache/me", 1);
    setenv("HOME", "/home/me", 1);
    char *p = pricing_default_db_path(&d);
    assert_string_equal(p, "/var/cache/me/stackaudit/pricing.db");
    free(p);
    setenv("XDG_CACHE_HOME", "relative/is/ignored", 1);
    p = pricing_default_db_path(&d);
    assert_string_equal(p, "/home/me/.cache/stackaudit/pricing.db");
    free(p);
    unsetenv("XDG_CACHE_HOME");
    unsetenv("HOME");
    assert_null(pricing_default_db_path(&d));
    assert_true(has_diag(&d, DIAG_ERROR, "give --pricing-db PATH"));
    if (old_xdg)
        setenv("XDG_CACHE_HOME", old_xdg, 1);
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_xdg);
    free(old_home);
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_open_creates_the_file_from_the_builtin_list),
        cmocka_unit_test(test_unpriced_answers_say_why),
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_ten_thousand_lookups_are_all_answered),
        cmocka_unit_test(test_corrupted_file_is_set_aside_and_rebuilt),
        cmocka_unit_test(test_foreign_and_newer_files_are_left_alone),
        cmocka_unit_test(test_schema_1_is_migrated_in_place),
        cmocka_unit_test(test_unusable_location_falls_back_to_memory),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
