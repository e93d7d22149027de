/* offer_filter.c - per-service row filters; see offer_filter.h. One
 * function per offer code, each reading only named columns. */
#include "offer_filter.h"

#include <stdio.h>
#include <string.h>

const offer_col offer_common_columns[] = {
    OC_SKU,        OC_TERM_TYPE,      OC_PRICE_DESCRIPTION, OC_EFFECTIVE_DATE, OC_STARTING_RANGE,
    OC_ENDING_RANGE, OC_UNIT,         OC_PRICE_PER_UNIT,    OC_CURRENCY,       OC_PRODUCT_FAMILY,
    OC_LOCATION_TYPE, OC_USAGE_TYPE,  OC_REGION_CODE,
};
const size_t offer_common_column_count = sizeof offer_common_columns / sizeof *offer_common_columns;

static bool eq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *offer_usage_type_base(const char *ut)
{
    size_t i = 0;
    while (i < 6 && ((ut[i] >= 'A' && ut[i] <= 'Z') || (ut[i] >= '0' && ut[i] <= '9')))
        i++;
    if (i >= 2 && i <= 5 && ut[i] == '-')
        return ut + i + 1;
    return ut;
}

static void clear(offer_match *m)
{
    m->resource = m->component = m->os = m->tenancy = m->arch = "";
    m->engine = m->deployment = m->variant = "";
}

static bool set(offer_match *m, const char *resource, const char *component)
{
    m->resource = resource;
    m->component = component;
    return true;
}

static bool in_region(const char *const *v)
{
    return eq(v[OC_LOCATION_TYPE], "AWS Region");
}

/* An offer line a service keeps, by product family (NULL: any) and usage
 * type suffix (or group, where the service says), and its catalog key. */
typedef struct offer_line {
    const char *family, *usage;
    const char *resource, *component;
} offer_line;

#define LINE_COUNT(lines) (sizeof lines / sizeof *lines)

/* Sets m from the first of the n lines that matches family and usage. */
static bool set_from_lines(const offer_line *lines, size_t n, const char *family,
                           const char *usage, offer_match *m)
{
    for (size_t i = 0; i < n; i++)
        if ((!lines[i].family || eq(family, lines[i].family)) && eq(usage, lines[i].usage))
            return set(m, lines[i].resource, lines[i].component);
    return false;
}

/* Sets m from the line matching the row's family and usage type suffix. */
static bool classify_by_lines(const char *const *v, offer_match *m, const offer_line *lines,
                              size_t n)
{
    return set_from_lines(lines, n, v[OC_PRODUCT_FAMILY],
                          offer_usage_type_base(v[OC_USAGE_TYPE]), m);
}

/* --- AmazonEC2 ---------------------------------------------------------- */

static bool ec2_instance(const char *const *v, offer_match *m, const char *ut)
{
    if (!eq(v[OC_OPERATING_SYSTEM], "Linux") || !eq(v[OC_TENANCY], "Shared") ||
        !eq(v[OC_PRE_INSTALLED_SW], "NA") || !eq(v[OC_CAPACITY_STATUS], "Used"))
        return false;
    if (*v[OC_MARKET_OPTION] && !eq(v[OC_MARKET_OPTION], "OnDemand"))
        return false;
    if (*v[OC_LICENSE_MODEL] && !eq(v[OC_LICENSE_MODEL], "No License required"))
        return false;
    if (*v[OC_OPERATION] && !eq(v[OC_OPERATION], "RunInstances"))
        return false;
    if (!starts(ut, "BoxUsage:") || !*v[OC_INSTANCE_TYPE] || !eq(v[OC_UNIT], "Hrs"))
        return false;
    m->os = "Linux";
    m->tenancy = "Shared";
    return set(m, v[OC_INSTANCE_TYPE], "instance-hour");
}

static bool classify_ec2(const char *const *v, offer_match *m)
{
    if (!in_region(v))
        return false;
    const char *family = v[OC_PRODUCT_FAMILY];
    const char *ut = offer_usage_type_base(v[OC_USAGE_TYPE]);
    if (eq(family, "Compute Instance"))
        return ec2_instance(v, m, ut);
    if (eq(family, "Storage") && starts(ut, "EBS:VolumeUsage")) {
        const char *api = v[OC_VOLUME_API_NAME];
        if (!*api || strlen(api) > 40)
            return false;
        snprintf(m->buf, sizeof m->buf, "ebs-%s", api);
        return set(m, m->buf, "storage");
    }
    static const offer_line lines[] = {
        {NULL, "EBS:VolumeP-IOPS.gp3", "ebs-gp3", "iops"},
        {NULL, "EBS:VolumeP-IOPS.piops", "ebs-io1", "iops"},
        /* io2: the first tier; .tier2/.tier3 are not kept */
        {NULL, "EBS:VolumeP-IOPS.io2", "ebs-io2", "iops"},
        {NULL, "EBS:VolumeP-Throughput.gp3", "ebs-gp3", "throughput"},
        {NULL, "EBS:VolumeIOUsage", "ebs-standard", "io-requests"},
        {NULL, "EBS:SnapshotUsage", "ebs-snapshot", "storage"},
        {"NAT Gateway", "NatGateway-Hours", "nat-gateway", "gateway-hour"},
        {"NAT Gateway", "NatGateway-Bytes", "nat-gateway", "data-processed"},
        {"IP Address", "ElasticIP:IdleAddress", "elastic-ip", "idle-address-hour"},
    };
    return set_from_lines(lines, LINE_COUNT(lines), family, ut, m);
}

/* Consistent with classify_ec2: every kept row is in an AWS Region, and a
 * kept instance-hour is Linux on shared tenancy. */
static bool ec2_early_reject(const char *const *v)
{
    const char *family = v[OC_PRODUCT_FAMILY];
    if (!in_region(v) || eq(family, "Compute Instance (bare metal)"))
        return true;
    if (eq(family, "Compute Instance"))
        return !eq(v[OC_TENANCY], "Shared") || !eq(v[OC_OPERATING_SYSTEM], "Linux");
    return false;
}

/* --- containers, load balancers, serverless ---------------------------- */

static bool classify_eks(const char *const *v, offer_match *m)
{
    const char *ut = offer_usage_type_base(v[OC_USAGE_TYPE]);
    if (!eq(v[OC_PRODUCT_FAMILY], "Compute"))
        return false;
    if (eq(ut, "AmazonEKS-Hours:perCluster")) {
        m->variant = "standard-support";
        return set(m, "eks-cluster", "cluster-hour");
    }
    if (eq(ut, "AmazonEKS-Hours:extendedSupport")) {
        m->variant = "extended-support";
        return set(m, "eks-cluster", "cluster-hour");
    }
    return false;
}

static bool classify_elb(const char *const *v, offer_match *m)
{
    if (!in_region(v))
        return false;
    const char *family = v[OC_PRODUCT_FAMILY];
    const char *resource = eq(family, "Load Balancer-Application") ? "alb"
                           : eq(family, "Load Balancer-Network")   ? "nlb"
                                                                   : NULL;
    if (!resource)
        return false;
    const char *ut = offer_usage_type_base(v[OC_USAGE_TYPE]);
    if (eq(ut, "LoadBalancerUsage"))
        return set(m, resource, "lb-hour");
    if (eq(ut, "LCUUsage"))
        return set(m, resource, "lcu-hour");
    return false;
}

static bool classify_ecs(const char *const *v, offer_match *m)
{
    if (!eq(v[OC_PRODUCT_FAMILY], "Compute"))
        return false;
    const char *ut = offer_usage_type_base(v[OC_USAGE_TYPE]);
    static const struct {
        const char *usage, *resource, *component, *arch;
    } lines[] = {
        {"Fargate-vCPU-Hours:perCPU", "fargate-linux-x86", "vcpu-hour", "x86_64"},
        {"Fargate-GB-Hours", "fargate-linux-x86", "memory-gb-hour", "x86_64"},
        {"Fargate-ARM-vCPU-Hours:perCPU", "fargate-linux-arm", "vcpu-hour", "arm64"},
        {"Fargate-ARM-GB-Hours", "fargate-linux-arm", "memory-gb-hour", "arm64"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (eq(ut, lines[i].usage)) {
            m->os = "Linux";
            m->arch = lines[i].arch;
            return set(m, lines[i].resource, lines[i].component);
        }
    if (eq(ut, "Fargate-EphemeralStorage-GB-Hours"))
        return set(m, "fargate", "ephemeral-storage-gb-hour");
    return false;
}

static bool classify_lambda(const char *const *v, offer_match *m)
{
    if (!eq(v[OC_PRODUCT_FAMILY], "Serverless"))
        return false;
    const char *group = v[OC_GROUP], *ut = v[OC_USAGE_TYPE];
    if (eq(group, "AWS-Lambda-Requests") && strstr(ut, "Request") && !strstr(ut, "Edge")) {
        m->arch = "x86_64";
        return set(m, "lambda-x86", "requests");
    }
    if (eq(group, "AWS-Lambda-Requests-ARM") && strstr(ut, "Request")) {
        m->arch = "arm64";
        return set(m, "lambda-arm", "requests");
    }
    if (eq(group, "AWS-Lambda-Duration") && strstr(ut, "GB-Second") && !strstr(ut, "Edge") &&
        !strstr(ut, "Provisioned")) {
        m->arch = "x86_64";
        return set(m, "lambda-x86", "duration");
    }
    if (eq(group, "AWS-Lambda-Duration-ARM") && strstr(ut, "GB-Second") &&
        !strstr(ut, "Provisioned")) {
        m->arch = "arm64";
        return set(m, "lambda-arm", "duration");
    }
    return false;
}

static bool classify_apigw(const char *const *v, offer_match *m)
{
    static const offer_line lines[] = {
        {"API Calls", "ApiGatewayRequest", "apigw-rest", "requests"},
        {"API Calls", "ApiGatewayHttpRequest", "apigw-http", "requests"},
    };
    return classify_by_lines(v, m, lines, LINE_COUNT(lines));
}

/* --- databases and caches ----------------------------------------------- */

static bool classify_rds(const char *const *v, offer_match *m)
{
    if (!in_region(v))
        return false;
    const char *family = v[OC_PRODUCT_FAMILY], *engine = v[OC_DATABASE_ENGINE];
    const char *deployment = v[OC_DEPLOYMENT_OPTION];
    const char *ut = offer_usage_type_base(v[OC_USAGE_TYPE]);
    bool single_or_multi = eq(deployment, "Single-AZ") || eq(deployment, "Multi-AZ");
    if (eq(family, "Database Instance")) {
        if (!*v[OC_INSTANCE_TYPE] || !eq(v[OC_UNIT], "Hrs"))
            return false;
        if (eq(engine, "Aurora PostgreSQL") || eq(engine, "Aurora MySQL")) {
            if (!starts(ut, "InstanceUsage:")) /* not IOOptimized, not serverless */
                return false;
            m->engine = engine;
            return set(m, v[OC_INSTANCE_TYPE], "instance-hour");
        }
        if (!(eq(engine, "PostgreSQL") || eq(engine, "MySQL") || eq(engine, "MariaDB")) ||
            !single_or_multi)
            return false;
        m->engine = engine;
        m->deployment = deployment;
        return set(m, v[OC_INSTANCE_TYPE], "instance-hour");
    }
    if (eq(family, "Database Storage") && eq(engine, "Any") && single_or_multi) {
        const char *vt = v[OC_VOLUME_TYPE];
        const char *resource = eq(vt, "General Purpose")                         ? "rds-gp2"
                               : eq(vt, "Provisioned IOPS")                      ? "rds-io1"
                               : eq(vt, "Magnetic")                              ? "rds-standard"
                               : eq(vt, "General Purpose-GP3") &&
                                       strstr(ut, "GP3-Storage")                 ? "rds-gp3"
                                                                                 : NULL;
        if (!resource)
            return false;
        m->deployment = deployment;
        return set(m, resource, "storage");
    }
    if (eq(family, "Provisioned IOPS") && eq(engine, "Any") && single_or_multi &&
        eq(v[OC_GROUP_DESCRIPTION], "RDS Provisioned IOPS")) {
        m->deployment = deployment;
        return set(m, "rds-io1", "iops");
    }
    if (eq(family, "Storage Snapshot") && eq(engine, "Any") && eq(ut, "RDS:ChargedBackupUsage"))
        return set(m, "rds-backup", "storage");
    return false;
}

static bool classify_elasticache(const char *const *v, offer_match *m)
{
    const char *engine = v[OC_CACHE_ENGINE];
    if (!in_region(v) || !eq(v[OC_PRODUCT_FAMILY], "Cache Instance") ||
        !*v[OC_INSTANCE_TYPE] || !eq(v[OC_UNIT], "Hrs"))
        return false;
    if (!(eq(engine, "Redis") || eq(engine, "Memcached") || eq(engine, "Valkey")))
        return false;
    m->engine = engine;
    return set(m, v[OC_INSTANCE_TYPE], "node-hour");
}

static bool classify_dynamodb(const char *const *v, offer_match *m)
{
    static const offer_line by_group[] = {
        {"Amazon DynamoDB PayPerRequest Throughput", "DDB-ReadUnits", "dynamodb-ondemand",
         "read-request-units"},
        {"Amazon DynamoDB PayPerRequest Throughput", "DDB-WriteUnits", "dynamodb-ondemand",
         "write-request-units"},
        {"Provisioned IOPS", "DDB-ReadUnits", "dynamodb-provisioned", "read-capacity-hour"},
        {"Provisioned IOPS", "DDB-WriteUnits", "dynamodb-provisioned", "write-capacity-hour"},
    };
    const char *family = v[OC_PRODUCT_FAMILY];
    const char *ut = offer_usage_type_base(v[OC_USAGE_TYPE]);
    if (set_from_lines(by_group, LINE_COUNT(by_group), family, v[OC_GROUP], m))
        return true;
    if (eq(family, "Database Storage") && eq(ut, "TimedStorage-ByteHrs")) {
        m->variant = "standard";
        return set(m, "dynamodb", "storage");
    }
    return false;
}

/* --- storage, logs, network, security ----------------------------------- */

static bool classify_s3(const char *const *v, offer_match *m)
{
    static const offer_line lines[] = {
        {"Storage", "TimedStorage-ByteHrs", "s3-standard", "storage"},
        {"API Request", "Requests-Tier1", "s3-standard", "put-requests"},
        {"API Request", "Requests-Tier2", "s3-standard", "get-requests"},
    };
    return classify_by_lines(v, m, lines, LINE_COUNT(lines));
}

static bool classify_cloudwatch(const char *const *v, offer_match *m)
{
    static const offer_line lines[] = {
        {"Data Payload", "DataProcessing-Bytes", "cloudwatch-logs", "ingestion"},
        {"Data Payload", "DataScanned-Bytes", "cloudwatch-logs", "insights-scanned"},
        {"Storage Snapshot", "TimedStorage-ByteHrs", "cloudwatch-logs", "storage"},
    };
    return classify_by_lines(v, m, lines, LINE_COUNT(lines));
}

static bool classify_waf(const char *const *v, offer_match *m)
{
    static const offer_line lines[] = {
        {NULL, "WebACLV2", "wafv2-web-acl", "web-acl"},
        {NULL, "RuleV2", "wafv2-web-acl", "rule"},
        {NULL, "RequestV2-Tier1", "wafv2-web-acl", "requests"},
    };
    return classify_by_lines(v, m, lines, LINE_COUNT(lines));
}

static bool classify_vpc(const char *const *v, offer_match *m)
{
    static const offer_line lines[] = {
        {NULL, "PublicIPv4:InUseAddress", "public-ipv4", "address-hour"},
    };
    return classify_by_lines(v, m, lines, LINE_COUNT(lines));
}

/* --- table -------------------------------------------------------------- */

static const offer_col ec2_cols[] = {OC_INSTANCE_TYPE,    OC_TENANCY,         OC_OPERATING_SYSTEM,
                                     OC_PRE_INSTALLED_SW, OC_CAPACITY_STATUS, OC_VOLUME_API_NAME};
static const offer_col ec2_early_cols[] = {OC_PRODUCT_FAMILY, OC_LOCATION_TYPE, OC_TENANCY,
                                           OC_OPERATING_SYSTEM};
static const offer_col rds_cols[] = {OC_INSTANCE_TYPE, OC_DATABASE_ENGINE, OC_DEPLOYMENT_OPTION,
                                     OC_VOLUME_TYPE};
static const offer_col cache_cols[] = {OC_INSTANCE_TYPE, OC_CACHE_ENGINE};
static const offer_col group_cols[] = {OC_GROUP};

#define COLS(a) a, sizeof a / sizeof *a
static const offer_service services[] = {
    {"AmazonEC2",
     "Linux/Shared/on-demand instance-hours (capacity Used, no pre-installed software), EBS "
     "storage/IOPS/throughput/snapshots, NAT gateway, idle Elastic IP",
     COLS(ec2_cols), classify_ec2, ec2_early_reject, COLS(ec2_early_cols)},
    {"AmazonEKS", "cluster-hours (standard and extended support)", NULL, 0, classify_eks},
    {"AWSELB", "ALB/NLB hours and LCU-hours", NULL, 0, classify_elb},
    {"AmazonECS", "Fargate Linux vCPU-hours and GB-hours (x86_64, arm64), ephemeral storage",
     NULL, 0, classify_ecs},
    {"AWSLambda", "requests and duration GB-seconds (x86_64, arm64)", COLS(group_cols),
     classify_lambda},
    {"AmazonApiGateway", "REST and HTTP API requests (tiers)", NULL, 0, classify_apigw},
    {"AmazonRDS",
     "PostgreSQL/MySQL/MariaDB (Single-AZ, Multi-AZ) and Aurora instance-hours, gp2/gp3/io1/"
     "magnetic storage, io1 IOPS, backup storage",
     COLS(rds_cols), classify_rds},
    {"AmazonElastiCache", "Redis/Valkey/Memcached node-hours", COLS(cache_cols),
     classify_elasticache},
    {"AmazonDynamoDB", "on-demand request units, provisioned capacity-hours, standard storage",
     COLS(group_cols), classify_dynamodb},
    {"AmazonS3", "S3 Standard storage (tiers) and requests", NULL, 0, classify_s3},
    {"AmazonCloudWatch", "Logs ingestion, archival storage, Insights data scanned", NULL, 0,
     classify_cloudwatch},
    {"awswaf", "WAFv2 web ACLs, rules, requests", NULL, 0, classify_waf},
    {"AmazonVPC", "public IPv4 address-hours", NULL, 0, classify_vpc},
};
#undef COLS

const offer_service *offer_service_find(const char *code)
{
    for (size_t i = 0; i < sizeof services / sizeof *services; i++)
        if (eq(services[i].code, code))
            return &services[i];
    return NULL;
}

size_t offer_service_count(void)
{
    return sizeof services / sizeof *services;
}

const offer_service *offer_service_at(size_t i)
{
    return i < offer_service_count() ? &services[i] : NULL;
}

void offer_match_clear(offer_match *m)
{
    clear(m);
}
