/* test_pricing_offer.c - the AWS offer-file reader (pricing/offer_csv.h)
 * and the per-service filters (pricing/offer_filter.h), on the real EC2
 * excerpt, the fixtures built from it, and rows in the documented layouts. */
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
#include "pricing/offer_csv.h"
#include "pricing/offer_filter.h"

static char *read_fixture(const char *name, size_t *len)
{
    const char *root = getenv("STACKAUDIT_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/pricing/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = xmalloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Kept rows rendered one per line. */
typedef struct kept {
    strbuf out;
    size_t rows;
} kept;

static int keep(void *ud, const price_row *r, uint64_t line)
{
    kept *k = ud;
    k->rows++;
    sb_addf(&k->out, "%llu %s %s %s %s os=%s tenancy=%s arch=%s engine=%s deployment=%s %s %s",
            (unsigned long long)line, r->service, r->region, r->resource, r->component, r->os,
            r->tenancy, r->arch, r->engine, r->deployment, r->usd_text, r->unit);
    if (r->begin_range > 0 || r->has_end)
        sb_addf(&k->out, " [%.15g..%s%.15g]", r->begin_range, r->has_end ? "" : "inf",
                r->has_end ? r->end_range : 0.0);
    sb_addf(&k->out, " sku=%s date=%s\n", r->sku, r->effective_date);
    return 0;
}

typedef struct run_result {
    bool ok;
    kept k;
    diag_list diags;
    offer_meta meta;
    offer_stats stats;
} run_result;

/* Reads text through the offer reader in chunks of `chunk` bytes. */
static void run_offer(const char *text, size_t len, size_t chunk, const char *const *services,
                      size_t nservices, const char *const *regions, size_t nregions,
                      run_result *r)
{
    memset(r, 0, sizeof *r);
    sb_init(&r->k.out);
    diag_list_init(&r->diags);
    offer_options o = {.origin = "offer.csv",
                       .services = services,
                       .nservices = nservices,
                       .regions = regions,
                       .nregions = nregions,
                       .on_row = keep,
                       .ud = &r->k,
                       .diags = &r->diags};
    offer_reader *rd = offer_reader_new(&o);
    bool ok = true;
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t off = 0; off < len && ok; off += chunk)
        ok = offer_reader_feed(rd, text + off, off + chunk <= len ? chunk : len - off);
    r->ok = ok && offer_reader_finish(rd);
    r->meta = *offer_reader_meta(rd);
    r->stats = *offer_reader_stats(rd);
    offer_reader_free(rd);
}

static void done(run_result *r)
{
    sb_free(&r->k.out);
    diag_list_free(&r->diags);
}

static void assert_one_error(const run_result *r, uint32_t line, const char *needle)
{
    assert_false(r->ok);
    assert_int_equal(diag_count(&r->diags, DIAG_ERROR), 1);
    const diag *d = &r->diags.items[0];
    assert_string_equal(d->path, "offer.csv");
    assert_int_equal(d->line, line);
    if (!strstr(d->message, needle))
        fail_msg("'%s' not in '%s'", needle, d->message);
}

static void test_real_excerpt_metadata_and_no_row_passes(void **state)
{
    (void)state;
    size_t len;
    char *text = read_fixture("AmazonEC2_global_offer_excerpt.csv", &len);
    run_result r;
    run_offer(text, len, 0, NULL, 0, NULL, 0, &r);
    assert_true(r.ok);
    assert_string_equal(r.meta.format_version, "v1.0");
    assert_string_equal(r.meta.publication_date, "2025-09-12T22:53:08Z");
    assert_string_equal(r.meta.version, "20250912225308");
    assert_string_equal(r.meta.offer_code, "AmazonEC2");
    assert_int_equal(r.meta.header_line, 6);
    assert_int_equal(r.meta.ncolumns, 91);
    assert_int_equal(r.stats.data_rows, 44);
    /* Reserved, Dedicated, Host, RHEL, Windows, SQL, capacity reservations,
     * Local Zone, bare metal: the Linux/Shared/Used/NA filter keeps none */
    assert_int_equal(r.stats.kept_rows, 0);
    assert_int_equal(r.stats.bytes, len);
    done(&r);
    free(text);
}

static const char ec2_expected[] =
    "51 AmazonEC2 us-east-1 m5.large instance-hour os=Linux tenancy=Shared arch= engine= "
    "deployment= 0.096 Hrs sku=6C86BEPQVG73ZGGR date=2021-02-01\n"
    "52 AmazonEC2 us-east-1 t3.micro instance-hour os=Linux tenancy=Shared arch= engine= "
    "deployment= 0.0104 Hrs sku=CRAJUW7BTXFMT2UJ date=2021-02-01\n"
    "53 AmazonEC2 us-east-1 t3.small instance-hour os=Linux tenancy=Shared arch= engine= "
    "deployment= 0.0208 Hrs sku=QA3NBPZEQKZ2K9AR date=2021-02-01\n"
    "54 AmazonEC2 us-east-2 ebs-gp3 storage os= tenancy= arch= engine= deployment= 0.08 GB-Mo "
    "sku=M6UGCCQ3CDJQAA37 date=2023-03-01\n";

static void test_ec2_fixture_keeps_exactly_the_linux_shared_on_demand_rows(void **state)
{
    (void)state;
    size_t len;
    char *text = read_fixture("AmazonEC2_offer_fixture.csv", &len);
    /* same answer whatever the chunk size (streaming) */
    size_t chunks[] = {0, 1, 4096, 65536};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        run_result r;
        run_offer(text, len, chunks[i], NULL, 0, NULL, 0, &r);
        assert_true(r.ok);
        assert_int_equal(r.stats.data_rows, 48);
        assert_int_equal(r.stats.kept_rows, 4);
        assert_string_equal(r.k.out.buf, ec2_expected);
        done(&r);
    }
    /* region filter */
    const char *regions[] = {"us-east-2"};
    run_result r;
    run_offer(text, len, 0, NULL, 0, regions, 1, &r);
    assert_true(r.ok);
    assert_int_equal(r.stats.kept_rows, 1);
    assert_non_null(strstr(r.k.out.buf, "ebs-gp3 storage"));
    done(&r);
    free(text);
}

/* Reorders the columns of every row after the header: the reader maps
 * columns by name, so the result must not change. */
static void test_columns_are_mapped_by_name_not_position(void **state)
{
    (void)state;
    size_t len;
    char *text = read_fixture("AmazonEC2_offer_fixture.csv", &len);
    /* swap the first two columns of the header and of every data row by
     * rewriting each line: "a","b",rest -> "b","a",rest (fields are quoted) */
    strbuf out;
    sb_init(&out);
    size_t lineno = 0;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        lineno++;
        if (lineno >= 6) {
            char *c1 = memchr(line, ',', n);
            char *c2 = memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - line));
            sb_addn(&out, c1 + 1, (size_t)(c2 - c1 - 1));
            sb_addc(&out, ',');
            sb_addn(&out, line, (size_t)(c1 - line));
            sb_addn(&out, c2, n - (size_t)(c2 - line));
        } else {
            sb_addn(&out, line, n);
        }
        sb_addc(&out, '\n');
        line += n + (nl ? 1 : 0);
    }
    assert_non_null(strstr(out.buf, "\"OfferTermCode\",\"SKU\""));
    run_result r;
    /* the header no longer starts with SKU: it must still be found? No - the
     * header is the first row whose first cell is SKU, so this is rejected
     * with a clear message */
    run_offer(out.buf, out.len, 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 6, "header row starting with \"SKU\"");
    done(&r);
    /* now keep SKU first and move PricePerUnit to the end instead */
    sb_free(&out);
    sb_init(&out);
    const char *hdr = "\"SKU\",\"TermType\",\"PriceDescription\",\"EffectiveDate\",\"StartingRange\","
                      "\"EndingRange\",\"Unit\",\"Currency\",\"Product Family\",\"Location Type\","
                      "\"usageType\",\"Region Code\",\"Instance Type\",\"Tenancy\","
                      "\"Operating System\",\"Pre Installed S/W\",\"CapacityStatus\","
                      "\"Volume API Name\",\"Extra New Column\",\"PricePerUnit\"\n";
    sb_adds(&out, "\"FormatVersion\",\"v1.0\"\n\"OfferCode\",\"AmazonEC2\"\n");
    sb_adds(&out, hdr);
    sb_adds(&out, "\"6C86BEPQVG73ZGGR\",\"OnDemand\",\"$0.096 per On Demand Linux m5.large "
                  "Instance Hour\",\"2021-02-01\",\"0\",\"Inf\",\"Hrs\",\"USD\",\"Compute "
                  "Instance\",\"AWS Region\",\"BoxUsage:m5.large\",\"us-east-1\",\"m5.large\","
                  "\"Shared\",\"Linux\",\"NA\",\"Used\",,\"whatever\",\"0.0960000000\"\n");
    run_offer(out.buf, out.len, 0, NULL, 0, NULL, 0, &r);
    assert_true(r.ok);
    assert_int_equal(r.meta.header_line, 3);
    assert_string_equal(r.k.out.buf,
                        "4 AmazonEC2 us-east-1 m5.large instance-hour os=Linux tenancy=Shared "
                        "arch= engine= deployment= 0.096 Hrs sku=6C86BEPQVG73ZGGR "
                        "date=2021-02-01\n");
    done(&r);
    sb_free(&out);
    free(text);
}

static void test_missing_columns_are_named(void **state)
{
    (void)state;
    const char *text =
        "\"FormatVersion\",\"v1.0\"\n\"OfferCode\",\"AmazonEC2\"\n"
        "\"SKU\",\"TermType\",\"PriceDescription\",\"EffectiveDate\",\"StartingRange\","
        "\"EndingRange\",\"Unit\",\"PricePerUnit\",\"Currency\",\"Product Family\","
        "\"Location Type\",\"usageType\",\"Region Code\",\"Instance Type\","
        "\"Operating System\",\"Pre Installed S/W\",\"Volume API Name\"\n";
    run_result r;
    run_offer(text, strlen(text), 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 3, "unexpected columns: the header has no \"Tenancy\", "
                            "\"CapacityStatus\" columns, which AmazonEC2 offer files have");
    done(&r);

    /* the Savings Plans CSV (FORMAT.md 2.4) is not an offer file */
    const char *sp = "FormatVersion,v1.0\nOfferCode,AWSComputeSavingsPlan\n"
                     "SKU,RateCode,Unit,EffectiveDate,DiscountedRate,Currency\n";
    run_offer(sp, strlen(sp), 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 3, "AWSComputeSavingsPlan offer files are not supported");
    done(&r);
}

static void test_truncated_and_malformed_rows_name_their_line(void **state)
{
    (void)state;
    size_t len;
    char *text = read_fixture("AmazonEC2_offer_fixture.csv", &len);
    /* cut inside the quoted description of the m5.large row (line 51) */
    const char *m5 = strstr(text, "\"6C86BEPQVG73ZGGR\",\"JRTCKXETXF\"");
    assert_non_null(m5);
    const char *mid = strstr(m5, "per On Demand");
    run_result r;
    run_offer(text, (size_t)(mid - text), 1000, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 51, "ends inside the quoted field that starts on line 51");
    done(&r);
    /* cut right after a field: the row has too few fields */
    const char *after = strstr(m5, ",\"Hrs\"");
    run_offer(text, (size_t)(after - text), 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 51, "8 fields, but the header on line 6 has 91");
    done(&r);
    /* a row with two extra fields */
    strbuf sb;
    sb_init(&sb);
    sb_addn(&sb, text, (size_t)(m5 - text));
    const char *eol = strchr(m5, '\n');
    sb_addn(&sb, m5, (size_t)(eol - m5));
    sb_adds(&sb, ",\"x\",\"y\"\n");
    run_offer(sb.buf, sb.len, 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 51, "93 fields, but the header on line 6 has 91");
    done(&r);
    sb_free(&sb);
    /* a price that is not a number on a row the filter keeps */
    sb_init(&sb);
    sb_addn(&sb, text, (size_t)(m5 - text));
    const char *price = strstr(m5, "\"0.0960000000\"");
    sb_addn(&sb, m5, (size_t)(price - m5));
    sb_adds(&sb, "\"0.096USD\"");
    sb_adds(&sb, price + strlen("\"0.0960000000\""));
    run_offer(sb.buf, sb.len, 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 51, "PricePerUnit \"0.096USD\" of SKU 6C86BEPQVG73ZGGR is not a decimal");
    done(&r);
    sb_free(&sb);
    /* only metadata: truncated before the header */
    run_offer(text, (size_t)(strstr(text, "\"SKU\"") - text), 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 0, "no header row starting with \"SKU\" (the input ends after 5 metadata");
    done(&r);
    /* nothing at all */
    run_offer("", 0, 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 0, "empty input");
    done(&r);
    /* an HTML error page served with status 200 */
    const char *html = "<!DOCTYPE html>\n<html><head><title>Error</title></head>\n"
                       "<body>Access Denied, sorry, try later</body></html>\n";
    run_offer(html, strlen(html), 0, NULL, 0, NULL, 0, &r);
    assert_true(!r.ok);
    assert_int_equal(r.diags.count, 1);
    done(&r);
    free(text);
}

static void test_service_checks(void **state)
{
    (void)state;
    size_t len;
    char *text = read_fixture("AmazonEC2_offer_fixture.csv", &len);
    const char *rds[] = {"AmazonRDS"};
    run_result r;
    run_offer(text, len, 0, rds, 1, NULL, 0, &r);
    assert_one_error(&r, 6, "this is an AmazonEC2 offer file, but --service asked for AmazonRDS");
    done(&r);
    /* without an OfferCode line, exactly one --service names it */
    const char *no_code = strstr(text, "\"SKU\"");
    const char *ec2[] = {"AmazonEC2"};
    run_offer(no_code, strlen(no_code), 0, ec2, 1, NULL, 0, &r);
    assert_true(r.ok);
    assert_int_equal(r.stats.kept_rows, 4);
    done(&r);
    run_offer(no_code, strlen(no_code), 0, NULL, 0, NULL, 0, &r);
    assert_one_error(&r, 1, "no \"OfferCode\" metadata line");
    done(&r);
    free(text);
}

static void test_lambda_tiers_free_tier_and_edge(void **state)
{
    (void)state;
    size_t len;
    char *text = read_fixture("AWSLambda_offer_fixture.csv", &len);
    run_result r;
    run_offer(text, len, 0, NULL, 0, NULL, 0, &r);
    assert_true(r.ok);
    assert_int_equal(r.stats.data_rows, 5);
    assert_string_equal(
        r.k.out.buf,
        "7 AWSLambda us-east-1 lambda-x86 requests os= tenancy= arch=x86_64 engine= deployment= "
        "0.0000002 Requests sku=FIXTURE-LAMBDA-REQ date=2026-03-01\n"
        "8 AWSLambda us-east-1 lambda-x86 duration os= tenancy= arch=x86_64 engine= deployment= "
        "0.0000166667 GB-Seconds [0..6000000000] sku=FIXTURE-LAMBDA-DUR date=2026-03-01\n"
        "9 AWSLambda us-east-1 lambda-arm duration os= tenancy= arch=arm64 engine= deployment= "
        "0.0000133334 GB-Seconds [0..7500000000] sku=FIXTURE-LAMBDA-ARM date=2026-03-01\n");
    done(&r);
    free(text);

    text = read_fixture("AmazonS3_offer_fixture.csv", &len);
    run_offer(text, len, 0, NULL, 0, NULL, 0, &r);
    assert_true(r.ok);
    assert_int_equal(r.stats.kept_rows, 4);
    assert_non_null(strstr(r.k.out.buf, "s3-standard storage os= tenancy= arch= engine= "
                                        "deployment= 0.022 GB-Mo [51200..512000]"));
    assert_non_null(strstr(r.k.out.buf, "0.021 GB-Mo [512000..inf0]"));
    done(&r);
    free(text);
}

/* --- the filters, row by row (values as in FORMAT.md sections 4 and 5) -- */

typedef struct cell {
    offer_col col;
    const char *value;
} cell;

static bool classify(const char *service, const cell *cells, size_t n, offer_match *m)
{
    const char *v[OC_COUNT];
    for (int i = 0; i < OC_COUNT; i++)
        v[i] = "";
    v[OC_LOCATION_TYPE] = "AWS Region";
    for (size_t i = 0; i < n; i++)
        v[cells[i].col] = cells[i].value;
    const offer_service *svc = offer_service_find(service);
    assert_non_null(svc);
    offer_match_clear(m);
    return svc->classify(v, m);
}

#define CLASSIFY(svc, m, ...)                                                                 \
    classify(svc, (const cell[]){__VA_ARGS__}, sizeof((const cell[]){__VA_ARGS__}) / sizeof(cell), m)

static void test_ec2_filter(void **state)
{
    (void)state;
    offer_match m;
#define EC2_BASE                                                                              \
    {OC_PRODUCT_FAMILY, "Compute Instance"}, {OC_INSTANCE_TYPE, "m5.large"},                  \
        {OC_USAGE_TYPE, "USE2-BoxUsage:m5.large"}, {OC_UNIT, "Hrs"}, {OC_PRE_INSTALLED_SW, "NA"}
    assert_true(CLASSIFY("AmazonEC2", &m, EC2_BASE, {OC_OPERATING_SYSTEM, "Linux"},
                         {OC_TENANCY, "Shared"}, {OC_CAPACITY_STATUS, "Used"},
                         {OC_OPERATION, "RunInstances"}, {OC_MARKET_OPTION, "OnDemand"},
                         {OC_LICENSE_MODEL, "No License required"}));
    assert_string_equal(m.resource, "m5.large");
    assert_string_equal(m.component, "instance-hour");
    assert_string_equal(m.os, "Linux");
    assert_string_equal(m.tenancy, "Shared");
    /* each selecting attribute, when different, rejects the row */
    assert_false(CLASSIFY("AmazonEC2", &m, EC2_BASE, {OC_OPERATING_SYSTEM, "RHEL"},
                          {OC_TENANCY, "Shared"}, {OC_CAPACITY_STATUS, "Used"}));
    assert_false(CLASSIFY("AmazonEC2", &m, EC2_BASE, {OC_OPERATING_SYSTEM, "Linux"},
                          {OC_TENANCY, "Dedicated"}, {OC_CAPACITY_STATUS, "Used"}));
    assert_false(CLASSIFY("AmazonEC2", &m, EC2_BASE, {OC_OPERATING_SYSTEM, "Linux"},
                          {OC_TENANCY, "Shared"}, {OC_CAPACITY_STATUS, "UnusedCapacityReservation"}));
    assert_false(CLASSIFY("AmazonEC2", &m, EC2_BASE, {OC_OPERATING_SYSTEM, "Linux"},
                          {OC_TENANCY, "Shared"}, {OC_CAPACITY_STATUS, "Used"},
                          {OC_OPERATION, "RunInstances:0004"}));
    assert_false(CLASSIFY("AmazonEC2", &m, EC2_BASE, {OC_OPERATING_SYSTEM, "Linux"},
                          {OC_TENANCY, "Shared"}, {OC_CAPACITY_STATUS, "Used"},
                          {OC_LOCATION_TYPE, "AWS Local Zone"}));
    assert_false(CLASSIFY("AmazonEC2", &m, {OC_PRODUCT_FAMILY, "Compute Instance (bare metal)"},
                          {OC_INSTANCE_TYPE, "m5.metal"}, {OC_USAGE_TYPE, "BoxUsage:m5.metal"},
                          {OC_UNIT, "Hrs"}, {OC_PRE_INSTALLED_SW, "NA"},
                          {OC_OPERATING_SYSTEM, "Linux"}, {OC_TENANCY, "Shared"},
                          {OC_CAPACITY_STATUS, "Used"}));
    /* EBS, NAT gateway, idle Elastic IP */
    assert_true(CLASSIFY("AmazonEC2", &m, {OC_PRODUCT_FAMILY, "Storage"},
                         {OC_USAGE_TYPE, "EU-EBS:VolumeUsage.st1"}, {OC_VOLUME_API_NAME, "st1"}));
    assert_string_equal(m.resource, "ebs-st1");
    assert_string_equal(m.component, "storage");
    assert_true(CLASSIFY("AmazonEC2", &m, {OC_PRODUCT_FAMILY, "Provisioned Throughput"},
                         {OC_USAGE_TYPE, "USE2-EBS:VolumeP-Throughput.gp3"}));
    assert_string_equal(m.resource, "ebs-gp3");
    assert_string_equal(m.component, "throughput");
    assert_true(CLASSIFY("AmazonEC2", &m, {OC_PRODUCT_FAMILY, "System Operation"},
                         {OC_USAGE_TYPE, "EBS:VolumeP-IOPS.piops"}));
    assert_string_equal(m.resource, "ebs-io1");
    assert_true(CLASSIFY("AmazonEC2", &m, {OC_PRODUCT_FAMILY, "NAT Gateway"},
                         {OC_USAGE_TYPE, "EU-NatGateway-Hours"}));
    assert_string_equal(m.resource, "nat-gateway");
    assert_string_equal(m.component, "gateway-hour");
    assert_true(CLASSIFY("AmazonEC2", &m, {OC_PRODUCT_FAMILY, "IP Address"},
                         {OC_USAGE_TYPE, "ElasticIP:IdleAddress"}));
    assert_string_equal(m.component, "idle-address-hour");
#undef EC2_BASE
}

static void test_other_service_filters(void **state)
{
    (void)state;
    offer_match m;
    assert_true(CLASSIFY("AmazonRDS", &m, {OC_PRODUCT_FAMILY, "Database Instance"},
                         {OC_INSTANCE_TYPE, "db.t3.micro"}, {OC_UNIT, "Hrs"},
                         {OC_DATABASE_ENGINE, "PostgreSQL"}, {OC_DEPLOYMENT_OPTION, "Multi-AZ"},
                         {OC_USAGE_TYPE, "Multi-AZUsage:db.t3.micro"}));
    assert_string_equal(m.engine, "PostgreSQL");
    assert_string_equal(m.deployment, "Multi-AZ");
    assert_false(CLASSIFY("AmazonRDS", &m, {OC_PRODUCT_FAMILY, "Database Instance"},
                          {OC_INSTANCE_TYPE, "db.t3.micro"}, {OC_UNIT, "Hrs"},
                          {OC_DATABASE_ENGINE, "PostgreSQL"},
                          {OC_DEPLOYMENT_OPTION, "Multi-AZ (readable standbys)"}));
    assert_false(CLASSIFY("AmazonRDS", &m, {OC_PRODUCT_FAMILY, "Database Instance"},
                          {OC_INSTANCE_TYPE, "db.r6g.large"}, {OC_UNIT, "Hrs"},
                          {OC_DATABASE_ENGINE, "Aurora PostgreSQL"},
                          {OC_USAGE_TYPE, "InstanceUsageIOOptimized:db.r6g.large"}));
    assert_true(CLASSIFY("AmazonRDS", &m, {OC_PRODUCT_FAMILY, "Database Storage"},
                         {OC_DATABASE_ENGINE, "Any"}, {OC_DEPLOYMENT_OPTION, "Single-AZ"},
                         {OC_VOLUME_TYPE, "General Purpose-GP3"},
                         {OC_USAGE_TYPE, "USE2-RDS:GP3-Storage"}));
    assert_string_equal(m.resource, "rds-gp3");
    assert_string_equal(m.deployment, "Single-AZ");
    assert_true(CLASSIFY("AmazonElastiCache", &m, {OC_PRODUCT_FAMILY, "Cache Instance"},
                         {OC_INSTANCE_TYPE, "cache.t3.micro"}, {OC_UNIT, "Hrs"},
                         {OC_CACHE_ENGINE, "Valkey"}));
    assert_string_equal(m.component, "node-hour");
    assert_string_equal(m.engine, "Valkey");
    assert_true(CLASSIFY("AWSELB", &m, {OC_PRODUCT_FAMILY, "Load Balancer-Network"},
                         {OC_USAGE_TYPE, "EU-LCUUsage"}));
    assert_string_equal(m.resource, "nlb");
    assert_string_equal(m.component, "lcu-hour");
    assert_true(CLASSIFY("AmazonEKS", &m, {OC_PRODUCT_FAMILY, "Compute"},
                         {OC_USAGE_TYPE, "USE1-AmazonEKS-Hours:perCluster"}));
    assert_string_equal(m.variant, "standard-support");
    assert_true(CLASSIFY("AmazonECS", &m, {OC_PRODUCT_FAMILY, "Compute"},
                         {OC_USAGE_TYPE, "USE1-Fargate-vCPU-Hours:perCPU"}));
    assert_string_equal(m.resource, "fargate-linux-x86");
    assert_string_equal(m.arch, "x86_64");
    assert_true(CLASSIFY("AmazonApiGateway", &m, {OC_PRODUCT_FAMILY, "API Calls"},
                         {OC_USAGE_TYPE, "USE1-ApiGatewayHttpRequest"}));
    assert_string_equal(m.resource, "apigw-http");
    assert_true(CLASSIFY("AmazonDynamoDB", &m,
                         {OC_PRODUCT_FAMILY, "Amazon DynamoDB PayPerRequest Throughput"},
                         {OC_GROUP, "DDB-WriteUnits"}));
    assert_string_equal(m.component, "write-request-units");
    assert_true(CLASSIFY("AmazonCloudWatch", &m, {OC_PRODUCT_FAMILY, "Data Payload"},
                         {OC_USAGE_TYPE, "USE1-DataProcessing-Bytes"}));
    assert_string_equal(m.component, "ingestion");
    assert_false(CLASSIFY("AmazonCloudWatch", &m, {OC_PRODUCT_FAMILY, "Data Payload"},
                          {OC_USAGE_TYPE, "USE1-DataProcessingIA-Bytes"}));
    assert_true(CLASSIFY("awswaf", &m, {OC_USAGE_TYPE, "USE1-WebACLV2"}));
    assert_string_equal(m.component, "web-acl");
    assert_true(CLASSIFY("AmazonVPC", &m, {OC_USAGE_TYPE, "USE1-PublicIPv4:InUseAddress"}));
    assert_string_equal(m.resource, "public-ipv4");
    assert_null(offer_service_find("AmazonMQ"));
    assert_string_equal(offer_usage_type_base("APN1-DedicatedUsage:c6i.large"),
                        "DedicatedUsage:c6i.large");
    assert_string_equal(offer_usage_type_base("BoxUsage:m5.large"), "BoxUsage:m5.large");
    assert_string_equal(offer_usage_type_base("NatGateway-Hours"), "NatGateway-Hours");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_excerpt_metadata_and_no_row_passes),
        cmocka_unit_test(test_ec2_fixture_keeps_exactly_the_linux_shared_on_demand_rows),
        cmocka_unit_test(test_columns_are_mapped_by_name_not_position),
        cmocka_unit_test(test_missing_columns_are_named),
        cmocka_unit_test(test_truncated_and_malformed_rows_name_their_line),
        cmocka_unit_test(test_service_checks),
        cmocka_unit_test(test_lambda_tiers_free_tier_and_edge),
        cmocka_unit_test(test_ec2_filter),
        cmocka_unit_test(test_other_service_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
