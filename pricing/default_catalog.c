/* default_catalog.c - embedded aws_prices.csv -> catalog rows; see
 * default_catalog.h. The mapping table below is the whole interpretation of
 * the file's free-text `attribute` column. */
#include "default_catalog.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/embedded.h"
#include "pricing/csv_stream.h"
#include "pricing/units.h"

#define NO_END (-1.0)

enum special {
    SP_NONE,
    SP_ENGINE_DEPLOYMENT, /* "instance-hour <Engine> [Single-AZ|Multi-AZ] on-demand" */
    SP_DEPLOYMENT,        /* "storage Single-AZ" */
    SP_ENGINE             /* "node-hour <Engine> on-demand" */
};

typedef struct default_rule {
    const char *service;
    const char *resource;  /* exact; "x*" = prefix; "*.*" = an instance type */
    const char *attribute; /* prefix of the attribute text */
    const char *component;
    const char *os, *tenancy, *arch, *engine, *deployment, *variant;
    double begin, end; /* tier range in canonical units; end NO_END = none */
    enum special special;
} default_rule;

#define R(svc, res, attr, comp) svc, res, attr, comp
static const default_rule rules[] = {
    {R("AmazonEC2", "ebs-snapshot", "snapshot storage", "storage"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "ebs-*", "storage", "storage"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "ebs-*", "provisioned IOPS", "iops"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "ebs-gp3", "provisioned throughput", "throughput"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "ebs-standard", "I/O requests", "io-requests"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "elastic-ip", "idle Elastic IP address-hour", "idle-address-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "nat-gateway", "gateway-hour", "gateway-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "nat-gateway", "data processed", "data-processed"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEC2", "*.*", "instance-hour Linux Shared OnDemand", "instance-hour"), "Linux", "Shared", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonEKS", "eks-cluster", "control plane cluster-hour (standard support)", "cluster-hour"), "", "", "", "", "", "standard-support", 0, NO_END, SP_NONE},
    {R("AmazonEKS", "eks-cluster", "control plane cluster-hour (extended support)", "cluster-hour"), "", "", "", "", "", "extended-support", 0, NO_END, SP_NONE},
    {R("AWSELB", "alb", "load balancer-hour", "lb-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AWSELB", "alb", "LCU-hour", "lcu-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AWSELB", "nlb", "load balancer-hour", "lb-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AWSELB", "nlb", "NLCU-hour", "lcu-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonECS", "fargate-linux-x86", "vCPU-hour", "vcpu-hour"), "Linux", "", "x86_64", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonECS", "fargate-linux-x86", "GB-hour (memory)", "memory-gb-hour"), "Linux", "", "x86_64", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonECS", "fargate-linux-arm", "vCPU-hour", "vcpu-hour"), "Linux", "", "arm64", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonECS", "fargate-linux-arm", "GB-hour (memory)", "memory-gb-hour"), "Linux", "", "arm64", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonECS", "fargate", "ephemeral storage above 20 GB", "ephemeral-storage-gb-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AWSLambda", "lambda-x86", "request", "requests"), "", "", "x86_64", "", "", "", 0, NO_END, SP_NONE},
    {R("AWSLambda", "lambda-arm", "request", "requests"), "", "", "arm64", "", "", "", 0, NO_END, SP_NONE},
    {R("AWSLambda", "lambda-x86", "duration GB-second (first tier: first 6B GB-s/month)", "duration"), "", "", "x86_64", "", "", "", 0, 6e9, SP_NONE},
    {R("AWSLambda", "lambda-arm", "duration GB-second (first tier: first 7.5B GB-s/month)", "duration"), "", "", "arm64", "", "", "", 0, 7.5e9, SP_NONE},
    {R("AWSLambda", "lambda-x86", "ephemeral storage above 512 MB", "ephemeral-storage"), "", "", "x86_64", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonApiGateway", "apigw-rest", "requests (first 333M/month)", "requests"), "", "", "", "", "", "", 0, 333e6, SP_NONE},
    {R("AmazonApiGateway", "apigw-rest", "requests (next 667M/month)", "requests"), "", "", "", "", "", "", 333e6, 1e9, SP_NONE},
    {R("AmazonApiGateway", "apigw-http", "requests (first 300M/month)", "requests"), "", "", "", "", "", "", 0, 300e6, SP_NONE},
    {R("AmazonApiGateway", "apigw-http", "requests (over 300M/month)", "requests"), "", "", "", "", "", "", 300e6, NO_END, SP_NONE},
    {R("AmazonCloudFront", "cloudfront", "data transfer out to internet (first 10 TB/month)", "data-transfer-out"), "", "", "", "", "", "", 0, 10240, SP_NONE},
    {R("AmazonCloudFront", "cloudfront", "HTTPS requests", "https-requests"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonCloudFront", "cloudfront", "HTTP requests", "http-requests"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonCloudWatch", "cloudwatch-logs", "data ingested", "ingestion"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonCloudWatch", "cloudwatch-logs", "archival storage", "storage"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonCloudWatch", "cloudwatch-logs", "Logs Insights data scanned", "insights-scanned"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonDynamoDB", "dynamodb-ondemand", "write request unit", "write-request-units"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonDynamoDB", "dynamodb-ondemand", "read request unit", "read-request-units"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonDynamoDB", "dynamodb", "data storage (Standard table class)", "storage"), "", "", "", "", "", "standard", 0, NO_END, SP_NONE},
    {R("AmazonDynamoDB", "dynamodb-provisioned", "write capacity unit-hour", "write-capacity-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonDynamoDB", "dynamodb-provisioned", "read capacity unit-hour", "read-capacity-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonS3", "s3-standard", "storage first 50 TB/month", "storage"), "", "", "", "", "", "", 0, 51200, SP_NONE},
    {R("AmazonS3", "s3-standard", "storage next 450 TB/month", "storage"), "", "", "", "", "", "", 51200, 512000, SP_NONE},
    {R("AmazonS3", "s3-standard", "storage over 500 TB/month", "storage"), "", "", "", "", "", "", 512000, NO_END, SP_NONE},
    {R("AmazonS3", "s3-standard", "PUT, COPY, POST, LIST requests", "put-requests"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonS3", "s3-standard", "GET, SELECT and all other requests", "get-requests"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonMQ", "mq.*", "broker-hour ActiveMQ active/standby Multi-AZ", "broker-hour"), "", "", "", "ActiveMQ", "active-standby-multi-az", "", 0, NO_END, SP_NONE},
    {R("AmazonMQ", "mq.*", "broker-hour ActiveMQ single-instance", "broker-hour"), "", "", "", "ActiveMQ", "single-instance", "", 0, NO_END, SP_NONE},
    {R("AmazonMQ", "mq.*", "broker-hour RabbitMQ single-instance", "broker-hour"), "", "", "", "RabbitMQ", "single-instance", "", 0, NO_END, SP_NONE},
    {R("AmazonMQ", "mq.*", "cluster-hour RabbitMQ cluster Multi-AZ", "cluster-hour"), "", "", "", "RabbitMQ", "cluster-multi-az", "", 0, NO_END, SP_NONE},
    {R("AmazonMQ", "mq-storage-efs", "ActiveMQ EFS storage", "storage"), "", "", "", "ActiveMQ", "", "", 0, NO_END, SP_NONE},
    {R("AmazonMQ", "mq-storage-ebs", "EBS broker storage", "storage"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonRDS", "db.*", "instance-hour ", "instance-hour"), "", "", "", "", "", "", 0, NO_END, SP_ENGINE_DEPLOYMENT},
    {R("AmazonRDS", "rds-backup", "additional backup storage", "storage"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("AmazonRDS", "rds-*", "storage ", "storage"), "", "", "", "", "", "", 0, NO_END, SP_DEPLOYMENT},
    {R("AmazonRDS", "rds-*", "provisioned IOPS ", "iops"), "", "", "", "", "", "", 0, NO_END, SP_DEPLOYMENT},
    {R("AmazonElastiCache", "cache.*", "node-hour ", "node-hour"), "", "", "", "", "", "", 0, NO_END, SP_ENGINE},
    {R("AmazonRoute53", "route53", "hosted zone (first 25 zones)", "hosted-zone"), "", "", "", "", "", "", 0, 25, SP_NONE},
    {R("AmazonVPC", "public-ipv4", "public IPv4 address-hour", "address-hour"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("awswaf", "wafv2-web-acl", "web ACL", "web-acl"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("awswaf", "wafv2-web-acl", "rule", "rule"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
    {R("awswaf", "wafv2-web-acl", "requests", "requests"), "", "", "", "", "", "", 0, NO_END, SP_NONE},
};
#undef R

enum { F_SERVICE, F_REGION, F_RESOURCE, F_ATTRIBUTE, F_UNIT, F_USD, F_SOURCE, F_COUNT };
static const char *const column_names[F_COUNT] = {
    "service", "region", "resource", "attribute", "unit", "usd_per_unit", "source"};

typedef struct parse_ctx {
    const char *origin;
    price_row_fn fn;
    void *ud;
    diag_list *diags;
    int col[F_COUNT];
    bool have_header;
    size_t rows;
    bool failed;
} parse_ctx;

const char *default_catalog_text(size_t *len)
{
    const embedded_file *f = embedded_find(DEFAULT_CATALOG_NAME);
    if (!f)
        return NULL;
    *len = f->len;
    return f->data;
}

static bool resource_matches(const char *pattern, const char *resource)
{
    if (strcmp(pattern, "*.*") == 0)
        return strchr(resource, '.') != NULL;
    size_t n = strlen(pattern);
    if (n > 0 && pattern[n - 1] == '*')
        return strncmp(pattern, resource, n - 1) == 0;
    return strcmp(pattern, resource) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with_cut(char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m || strcmp(s + n - m, suffix) != 0)
        return false;
    s[n - m] = '\0';
    return true;
}

/* "global (US, Mexico, Canada edge)" -> region "global", variant
 * "edge-us-mexico-canada". */
static void split_region(const char *raw, char *region, size_t rsz, char *variant, size_t vsz)
{
    const char *paren = strstr(raw, " (");
    if (!paren || raw[strlen(raw) - 1] != ')') {
        snprintf(region, rsz, "%s", raw);
        variant[0] = '\0';
        return;
    }
    snprintf(region, rsz, "%.*s", (int)(paren - raw), raw);
    char inner[128];
    snprintf(inner, sizeof inner, "%.*s", (int)(strlen(paren + 2) - 1), paren + 2);
    ends_with_cut(inner, " edge");
    size_t n = (size_t)snprintf(variant, vsz, "edge-");
    int dash = 0;
    for (const char *p = inner; *p && n + 2 < vsz; p++) {
        if (isalnum((unsigned char)*p)) {
            variant[n++] = (char)tolower((unsigned char)*p);
            dash = 0;
        } else if (!dash) {
            variant[n++] = '-';
            dash = 1;
        }
    }
    while (n > 0 && variant[n - 1] == '-')
        n--;
    variant[n] = '\0';
}

static int on_record(void *ud, const csv_record *rec)
{
    parse_ctx *c = ud;
    if (!c->have_header) {
        for (int i = 0; i < F_COUNT; i++) {
            c->col[i] = -1;
            for (size_t j = 0; j < rec->nfields; j++)
                if (strcmp(rec->fields[j], column_names[i]) == 0)
                    c->col[i] = (int)j;
            if (c->col[i] < 0) {
                diag_add(c->diags, DIAG_ERROR, c->origin, (uint32_t)rec->line, 1,
                         "the header has no '%s' column (expected "
                         "service,region,resource,attribute,unit,usd_per_unit,source)",
                         column_names[i]);
                c->failed = true;
                return 1;
            }
        }
        c->have_header = true;
        return 0;
    }
    const char *f[F_COUNT];
    for (int i = 0; i < F_COUNT; i++) {
        if ((size_t)c->col[i] >= rec->nfields) {
            diag_add(c->diags, DIAG_ERROR, c->origin, (uint32_t)rec->line, 1,
                     "%zu fields, fewer than the header has", rec->nfields);
            c->failed = true;
            return 1;
        }
        f[i] = rec->fields[c->col[i]];
    }
    const default_rule *rule = NULL;
    for (size_t i = 0; i < sizeof rules / sizeof *rules && !rule; i++)
        if (strcmp(rules[i].service, f[F_SERVICE]) == 0 &&
            resource_matches(rules[i].resource, f[F_RESOURCE]) &&
            starts_with(f[F_ATTRIBUTE], rules[i].attribute))
            rule = &rules[i];
    if (!rule) {
        diag_add(c->diags, DIAG_ERROR, c->origin, (uint32_t)rec->line, 1,
                 "no mapping for %s %s \"%s\" (pricing/default_catalog.c rules)", f[F_SERVICE],
                 f[F_RESOURCE], f[F_ATTRIBUTE]);
        c->failed = true;
        return 1;
    }

    char region[64], variant[128], engine[128] = "", deployment[128] = "";
    split_region(f[F_REGION], region, sizeof region, variant, sizeof variant);
    if (!variant[0])
        snprintf(variant, sizeof variant, "%s", rule->variant);
    snprintf(engine, sizeof engine, "%s", rule->engine);
    snprintf(deployment, sizeof deployment, "%s", rule->deployment);
    if (rule->special != SP_NONE) {
        char rest[128];
        snprintf(rest, sizeof rest, "%s", f[F_ATTRIBUTE] + strlen(rule->attribute));
        ends_with_cut(rest, " on-demand");
        if (rule->special == SP_DEPLOYMENT) {
            snprintf(deployment, sizeof deployment, "%s", rest);
        } else {
            if (rule->special == SP_ENGINE_DEPLOYMENT) {
                if (ends_with_cut(rest, " Single-AZ"))
                    snprintf(deployment, sizeof deployment, "Single-AZ");
                else if (ends_with_cut(rest, " Multi-AZ"))
                    snprintf(deployment, sizeof deployment, "Multi-AZ");
            }
            snprintf(engine, sizeof engine, "%s", rest);
        }
    }

    unit_norm unit = units_normalize(f[F_UNIT]);
    char usd_text[64];
    double usd;
    if (!unit.known) {
        diag_add(c->diags, DIAG_ERROR, c->origin, (uint32_t)rec->line, 1,
                 "unknown unit '%s' (pricing/units.c)", f[F_UNIT]);
        c->failed = true;
        return 1;
    }
    if (!units_scale_price(f[F_USD], &unit, usd_text, sizeof usd_text, &usd)) {
        diag_add(c->diags, DIAG_ERROR, c->origin, (uint32_t)rec->line, 1,
                 "usd_per_unit '%s' is not a decimal number", f[F_USD]);
        c->failed = true;
        return 1;
    }
    price_row row = {
        .service = f[F_SERVICE],
        .region = region,
        .resource = f[F_RESOURCE],
        .component = rule->component,
        .os = rule->os,
        .tenancy = rule->tenancy,
        .arch = rule->arch,
        .term = "OnDemand",
        .engine = engine,
        .deployment = deployment,
        .variant = variant,
        .unit = unit.unit,
        .usd = usd,
        .usd_text = usd_text,
        .begin_range = rule->begin,
        .end_range = rule->end,
        .has_end = rule->end != NO_END,
        .effective_date = "",
        .description = f[F_ATTRIBUTE],
        .sku = "",
        .citation = f[F_SOURCE],
    };
    c->rows++;
    if (c->fn(c->ud, &row, rec->line) != 0) {
        c->failed = true;
        return 1;
    }
    return 0;
}

bool default_catalog_parse(const char *origin, const char *text, size_t len, price_row_fn fn,
                           void *ud, size_t *rows, diag_list *diags)
{
    parse_ctx c = {.origin = origin, .fn = fn, .ud = ud, .diags = diags};
    csv_stream *s = csv_stream_new(on_record, &c, 0, 64);
    csv_status st = csv_feed(s, text, len);
    if (st == CSV_OK)
        st = csv_finish(s);
    if (st == CSV_ERROR)
        diag_add(diags, DIAG_ERROR, origin, (uint32_t)csv_error_line(s), 1, "%s",
                 csv_error_message(s));
    csv_stream_free(s);
    if (st == CSV_OK && !c.have_header) {
        diag_add(diags, DIAG_ERROR, origin, 1, 1, "empty price list");
        return false;
    }
    if (rows)
        *rows = c.rows;
    return st == CSV_OK && !c.failed;
}
