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

#define NO_END (-1.0) /* a row's end_range when its tier has no end */

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
    /* optional: NULL = "" */
    const char *os, *tenancy, *arch, *engine, *deployment, *variant;
    double begin, end; /* tier range in canonical units; end 0 = none */
    enum special special;
} default_rule;

static const default_rule rules[] = {
    {"AmazonEC2", "ebs-snapshot", "snapshot storage", "storage"},
    {"AmazonEC2", "ebs-*", "storage", "storage"},
    {"AmazonEC2", "ebs-*", "provisioned IOPS", "iops"},
    {"AmazonEC2", "ebs-gp3", "provisioned throughput", "throughput"},
    {"AmazonEC2", "ebs-standard", "I/O requests", "io-requests"},
    {"AmazonEC2", "elastic-ip", "idle Elastic IP address-hour", "idle-address-hour"},
    {"AmazonEC2", "nat-gateway", "gateway-hour", "gateway-hour"},
    {"AmazonEC2", "nat-gateway", "data processed", "data-processed"},
    {"AmazonEC2", "*.*", "instance-hour Linux Shared OnDemand", "instance-hour", .os = "Linux", .tenancy = "Shared"},
    {"AmazonEKS", "eks-cluster", "control plane cluster-hour (standard support)", "cluster-hour", .variant = "standard-support"},
    {"AmazonEKS", "eks-cluster", "control plane cluster-hour (extended support)", "cluster-hour", .variant = "extended-support"},
    {"AWSELB", "alb", "load balancer-hour", "lb-hour"},
    {"AWSELB", "alb", "LCU-hour", "lcu-hour"},
    {"AWSELB", "nlb", "load balancer-hour", "lb-hour"},
    {"AWSELB", "nlb", "NLCU-hour", "lcu-hour"},
    {"AmazonECS", "fargate-linux-x86", "vCPU-hour", "vcpu-hour", .os = "Linux", .arch = "x86_64"},
    {"AmazonECS", "fargate-linux-x86", "GB-hour (memory)", "memory-gb-hour", .os = "Linux", .arch = "x86_64"},
    {"AmazonECS", "fargate-linux-arm", "vCPU-hour", "vcpu-hour", .os = "Linux", .arch = "arm64"},
    {"AmazonECS", "fargate-linux-arm", "GB-hour (memory)", "memory-gb-hour", .os = "Linux", .arch = "arm64"},
    {"AmazonECS", "fargate", "ephemeral storage above 20 GB", "ephemeral-storage-gb-hour"},
    {"AWSLambda", "lambda-x86", "request", "requests", .arch = "x86_64"},
    {"AWSLambda", "lambda-arm", "request", "requests", .arch = "arm64"},
    {"AWSLambda", "lambda-x86", "duration GB-second (first tier: first 6B GB-s/month)", "duration", .arch = "x86_64", .end = 6e9},
    {"AWSLambda", "lambda-arm", "duration GB-second (first tier: first 7.5B GB-s/month)", "duration", .arch = "arm64", .end = 7.5e9},
    {"AWSLambda", "lambda-x86", "ephemeral storage above 512 MB", "ephemeral-storage", .arch = "x86_64"},
    {"AmazonApiGateway", "apigw-rest", "requests (first 333M/month)", "requests", .end = 333e6},
    {"AmazonApiGateway", "apigw-rest", "requests (next 667M/month)", "requests", .begin = 333e6, .end = 1e9},
    {"AmazonApiGateway", "apigw-http", "requests (first 300M/month)", "requests", .end = 300e6},
    {"AmazonApiGateway", "apigw-http", "requests (over 300M/month)", "requests", .begin = 300e6},
    {"AmazonCloudFront", "cloudfront", "data transfer out to internet (first 10 TB/month)", "data-transfer-out", .end = 10240},
    {"AmazonCloudFront", "cloudfront", "HTTPS requests", "https-requests"},
    {"AmazonCloudFront", "cloudfront", "HTTP requests", "http-requests"},
    {"AmazonCloudWatch", "cloudwatch-logs", "data ingested", "ingestion"},
    {"AmazonCloudWatch", "cloudwatch-logs", "archival storage", "storage"},
    {"AmazonCloudWatch", "cloudwatch-logs", "Logs Insights data scanned", "insights-scanned"},
    {"AmazonDynamoDB", "dynamodb-ondemand", "write request unit", "write-request-units"},
    {"AmazonDynamoDB", "dynamodb-ondemand", "read request unit", "read-request-units"},
    {"AmazonDynamoDB", "dynamodb", "data storage (Standard table class)", "storage", .variant = "standard"},
    {"AmazonDynamoDB", "dynamodb-provisioned", "write capacity unit-hour", "write-capacity-hour"},
    {"AmazonDynamoDB", "dynamodb-provisioned", "read capacity unit-hour", "read-capacity-hour"},
    {"AmazonS3", "s3-standard", "storage first 50 TB/month", "storage", .end = 51200},
    {"AmazonS3", "s3-standard", "storage next 450 TB/month", "storage", .begin = 51200, .end = 512000},
    {"AmazonS3", "s3-standard", "storage over 500 TB/month", "storage", .begin = 512000},
    {"AmazonS3", "s3-standard", "PUT, COPY, POST, LIST requests", "put-requests"},
    {"AmazonS3", "s3-standard", "GET, SELECT and all other requests", "get-requests"},
    {"AmazonMQ", "mq.*", "broker-hour ActiveMQ active/standby Multi-AZ", "broker-hour", .engine = "ActiveMQ", .deployment = "active-standby-multi-az"},
    {"AmazonMQ", "mq.*", "broker-hour ActiveMQ single-instance", "broker-hour", .engine = "ActiveMQ", .deployment = "single-instance"},
    {"AmazonMQ", "mq.*", "broker-hour RabbitMQ single-instance", "broker-hour", .engine = "RabbitMQ", .deployment = "single-instance"},
    {"AmazonMQ", "mq.*", "cluster-hour RabbitMQ cluster Multi-AZ", "cluster-hour", .engine = "RabbitMQ", .deployment = "cluster-multi-az"},
    {"AmazonMQ", "mq-storage-efs", "ActiveMQ EFS storage", "storage", .engine = "ActiveMQ"},
    {"AmazonMQ", "mq-storage-ebs", "EBS broker storage", "storage"},
    {"AmazonRDS", "db.*", "instance-hour ", "instance-hour", .special = SP_ENGINE_DEPLOYMENT},
    {"AmazonRDS", "rds-backup", "additional backup storage", "storage"},
    {"AmazonRDS", "rds-*", "storage ", "storage", .special = SP_DEPLOYMENT},
    {"AmazonRDS", "rds-*", "provisioned IOPS ", "iops", .special = SP_DEPLOYMENT},
    {"AmazonElastiCache", "cache.*", "node-hour ", "node-hour", .special = SP_ENGINE},
    {"AmazonRoute53", "route53", "hosted zone (first 25 zones)", "hosted-zone", .end = 25},
    {"AmazonVPC", "public-ipv4", "public IPv4 address-hour", "address-hour"},
    {"awswaf", "wafv2-web-acl", "web ACL", "web-acl"},
    {"awswaf", "wafv2-web-acl", "rule", "rule"},
    {"awswaf", "wafv2-web-acl", "requests", "requests"},
};

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

static const char *or_empty(const char *s)
{
    return s ? s : "";
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
        snprintf(variant, sizeof variant, "%s", or_empty(rule->variant));
    snprintf(engine, sizeof engine, "%s", or_empty(rule->engine));
    snprintf(deployment, sizeof deployment, "%s", or_empty(rule->deployment));
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
        .os = or_empty(rule->os),
        .tenancy = or_empty(rule->tenancy),
        .arch = or_empty(rule->arch),
        .term = "OnDemand",
        .engine = engine,
        .deployment = deployment,
        .variant = variant,
        .unit = unit.unit,
        .usd = usd,
        .usd_text = usd_text,
        .begin_range = rule->begin,
        .end_range = rule->end != 0 ? rule->end : NO_END,
        .has_end = rule->end != 0,
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
