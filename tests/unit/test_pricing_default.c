/* test_pricing_default.c - the built-in price list: every row of the
 * embedded pricing/data/aws_prices.csv maps onto the catalog vocabulary
 * (pricing/default_catalog.h), with the right attributes, units and tiers,
 * and no two rows compete for the same key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/default_catalog.h"

typedef struct seen {
    char **keys;
    size_t n, cap;
    strbuf picked; /* rendering of rows the tests look at */
} seen;

static bool interesting(const price_row *r)
{
    static const char *const resources[] = {"db.t3.micro", "cloudfront", "s3-standard",
                                            "apigw-rest", "lambda-arm", "ebs-gp3",
                                            "mq.m5.large", "eks-cluster", "route53"};
    if (strcmp(r->region, "us-east-1") && strcmp(r->region, "us-east-2") &&
        strncmp(r->region, "global", 6))
        return false;
    for (size_t i = 0; i < sizeof resources / sizeof *resources; i++)
        if (strcmp(r->resource, resources[i]) == 0)
            return strcmp(r->resource, "ebs-gp3") || strcmp(r->region, "us-east-2") == 0;
    return false;
}

static int on_row(void *ud, const price_row *r, uint64_t line)
{
    seen *s = ud;
    assert_true(line >= 2);
    assert_string_equal(r->term, "OnDemand");
    assert_true(r->usd >= 0);
    assert_true(*r->citation);
    assert_true(*r->unit);
    /* the key a lookup uses, tier start included: must be unique */
    strbuf key;
    sb_init(&key);
    sb_addf(&key, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%.15g", r->service, r->region, r->resource,
            r->component, r->os, r->tenancy, r->arch, r->term, r->engine, r->deployment,
            r->variant, r->begin_range);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->keys[i], key.buf) == 0)
            fail_msg("line %llu: duplicate key %s", (unsigned long long)line, key.buf);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->keys = xrealloc(s->keys, s->cap * sizeof *s->keys);
    }
    s->keys[s->n++] = sb_detach(&key);
    if (interesting(r)) {
        sb_addf(&s->picked, "%s %s %s %s", r->service, r->region, r->resource, r->component);
        const char *names[] = {"os", "tenancy", "arch", "engine", "deployment", "variant"};
        const char *vals[] = {r->os, r->tenancy, r->arch, r->engine, r->deployment, r->variant};
        for (int i = 0; i < 6; i++)
            if (*vals[i])
                sb_addf(&s->picked, " %s=%s", names[i], vals[i]);
        sb_addf(&s->picked, " %s/%s", r->usd_text, r->unit);
        if (r->has_end)
            sb_addf(&s->picked, " [%.15g..%.15g]", r->begin_range, r->end_range);
        else if (r->begin_range > 0)
            sb_addf(&s->picked, " [%.15g..inf]", r->begin_range);
        sb_addc(&s->picked, '\n');
    }
    return 0;
}

static void test_every_embedded_row_maps(void **state)
{
    (void)state;
    size_t len = 0, rows = 0;
    const char *text = default_catalog_text(&len);
    assert_non_null(text);
    assert_true(len > 500000);
    seen s = {0};
    sb_init(&s.picked);
    diag_list d;
    diag_list_init(&d);
    bool ok = default_catalog_parse(DEFAULT_CATALOG_NAME, text, len, on_row, &s, &rows, &d);
    for (size_t i = 0; i < d.count; i++)
        diag_print(stderr, &d.items[i]);
    assert_true(ok);
    assert_int_equal(d.count, 0);
    assert_int_equal(rows, 769);
    assert_int_equal(s.n, 769);
    const char *expected[] = {
        "AmazonRDS us-east-1 db.t3.micro instance-hour engine=PostgreSQL deployment=Single-AZ 0.018/Hrs\n",
        "AmazonRDS us-east-1 db.t3.micro instance-hour engine=PostgreSQL deployment=Multi-AZ 0.036/Hrs\n",
        "AmazonRDS us-east-1 db.t3.micro instance-hour engine=MariaDB deployment=Single-AZ 0.017/Hrs\n",
        "AmazonCloudFront global cloudfront data-transfer-out variant=edge-us-mexico-canada 0.085/GB [0..10240]\n",
        "AmazonCloudFront global cloudfront data-transfer-out variant=edge-europe-israel 0.085/GB [0..10240]\n",
        "AmazonCloudFront global cloudfront https-requests variant=edge-us-mexico-canada 0.000001/Requests\n",
        "AmazonS3 us-east-1 s3-standard storage 0.023/GB-Mo [0..51200]\n",
        "AmazonS3 us-east-1 s3-standard storage 0.022/GB-Mo [51200..512000]\n",
        "AmazonS3 us-east-1 s3-standard storage 0.021/GB-Mo [512000..inf]\n",
        "AmazonS3 us-east-1 s3-standard put-requests 0.000005/Requests\n",
        "AmazonApiGateway us-east-1 apigw-rest requests 0.0000035/Requests [0..333000000]\n",
        "AmazonApiGateway us-east-1 apigw-rest requests 0.0000028/Requests [333000000..1000000000]\n",
        "AWSLambda us-east-1 lambda-arm duration arch=arm64 0.0000133334/GB-Seconds [0..7500000000]\n",
        "AWSLambda us-east-1 lambda-arm requests arch=arm64 0.0000002/Requests\n",
        "AmazonEC2 us-east-2 ebs-gp3 throughput 0.04/MiBps-Mo\n",
        "AmazonEC2 us-east-2 ebs-gp3 storage 0.08/GB-Mo\n",
        "AmazonMQ us-east-1 mq.m5.large cluster-hour engine=RabbitMQ deployment=cluster-multi-az 0.864/Hrs\n",
        "AmazonMQ us-east-1 mq.m5.large broker-hour engine=ActiveMQ deployment=active-standby-multi-az 0.576/Hrs\n",
        "AmazonEKS us-east-1 eks-cluster cluster-hour variant=extended-support 0.6/Hrs\n",
        "AmazonRoute53 global route53 hosted-zone 0.5/Mo [0..25]\n",
    };
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        if (!strstr(s.picked.buf, expected[i]))
            fail_msg("missing: %s\nin:\n%s", expected[i], s.picked.buf);
    for (size_t i = 0; i < s.n; i++)
        free(s.keys[i]);
    free(s.keys);
    sb_free(&s.picked);
    diag_list_free(&d);
}

static int count_only(void *ud, const price_row *r, uint64_t line)
{
    (void)r;
    (void)line;
    (*(int *)ud)++;
    return 0;
}

static void test_unknown_rows_are_errors_not_skipped(void **state)
{
    (void)state;
    const char *text =
        "service,region,resource,attribute,unit,usd_per_unit,source\n"
        "AmazonEC2,us-east-1,m5.large,instance-hour Linux Shared OnDemand,Hrs,0.096,src\n"
        "AmazonEC2,us-east-1,m5.large,instance-hour Windows Shared OnDemand,Hrs,0.188,src\n";
    diag_list d;
    diag_list_init(&d);
    int n = 0;
    assert_false(default_catalog_parse("prices.csv", text, strlen(text), count_only, &n, NULL, &d));
    assert_int_equal(n, 1);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].line, 3);
    assert_non_null(strstr(d.items[0].message, "no mapping for AmazonEC2 m5.large"));
    diag_list_free(&d);

    const char *bad_unit = "service,region,resource,attribute,unit,usd_per_unit,source\n"
                           "AmazonEC2,us-east-1,m5.large,instance-hour Linux Shared OnDemand,"
                           "Fortnights,0.096,src\n";
    diag_list_init(&d);
    assert_false(default_catalog_parse("prices.csv", bad_unit, strlen(bad_unit), count_only, &n,
                                       NULL, &d));
    assert_non_null(strstr(d.items[0].message, "unknown unit 'Fortnights'"));
    diag_list_free(&d);

    const char *no_col = "service,region,resource,unit,usd_per_unit,source\n";
    diag_list_init(&d);
    assert_false(default_catalog_parse("prices.csv", no_col, strlen(no_col), count_only, &n,
                                       NULL, &d));
    assert_int_equal(d.items[0].line, 1);
    assert_non_null(strstr(d.items[0].message, "no 'attribute' column"));
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_embedded_row_maps),
        cmocka_unit_test(test_unknown_rows_are_errors_not_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
