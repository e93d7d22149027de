/* pricing.c - `stackaudit pricing update|status|show|export`: build,
 * refresh and inspect the local AWS price catalog (pricing/catalog.h,
 * pricing/update.h; user documentation in docs/pricing.md).
 *
 * Exit codes: 0 done (also "unchanged"), 2 usage errors and failed updates
 * (network, HTTP, CSV, cache directory: the previous catalog is kept),
 * 3 internal failures. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "cmd/common.h"
#include "core/arena.h"
#include "core/json_out.h"
#include "core/strbuf.h"
#include "pricing/catalog.h"
#include "pricing/offer_filter.h"
#include "pricing/update.h"

#define DEFAULT_REGION "us-east-1"
#define DEFAULT_MAX_SIZE "4G"

static const char pricing_help[] =
    "Usage: stackaudit pricing COMMAND [OPTIONS]\n\n"
    "Build, refresh and inspect the local AWS price catalog (an SQLite file at\n"
    "$XDG_CACHE_HOME/stackaudit/pricing.db, or ~/.cache/stackaudit/pricing.db).\n"
    "It starts as the price list built into stackaudit, so cost estimates work\n"
    "offline; 'update' refreshes it from the official AWS price-list files.\n\n"
    "Commands:\n"
    "  update   download or read AWS offer files into the catalog\n"
    "  status   where the catalog is, its age, sources and rows per service/region\n"
    "  show     the prices of one resource (m5.large, db.t3.micro, ebs-gp3 ...)\n"
    "  export   every price as CSV\n\n"
    "Run 'stackaudit pricing COMMAND --help' for a command's options.\n"
    "Documentation: docs/pricing.md\n";

static const char update_help[] =
    "Usage: stackaudit pricing update [--service SERVICE...] [--region REGION...]\n"
    "                                 [--url URL... | --file PATH...] [OPTIONS]\n\n"
    "Refresh the catalog from AWS price-list offer files in their CSV form. By default\n"
    "the current regional offer file of each service and region is downloaded from\n"
    "the AWS public price-list endpoint:\n"
    "  https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/SERVICE/current/REGION/index.csv\n"
    "Files are streamed (never held whole in memory) and only the rows the estimator\n"
    "needs are kept. The new catalog replaces the old one only when everything\n"
    "succeeded; on any failure the old catalog is kept and still used.\n\n"
    "Options:\n"
    "      --service SERVICE  offer code to refresh, repeatable or comma-separated\n"
    "                         (default: every supported service, see below)\n"
    "      --region REGION    region code, repeatable or comma-separated\n"
    "                         (default: " DEFAULT_REGION "; with --url/--file: keep only these)\n"
    "      --url URL          read this offer CSV instead (repeatable)\n"
    "      --file PATH        read this local offer CSV instead (repeatable)\n"
    "      --pricing-db PATH  the catalog file (default: the cache path above)\n"
    "      --max-size SIZE    refuse downloads larger than SIZE (K/M/G; default " DEFAULT_MAX_SIZE ")\n"
    "      --connect-timeout SECONDS  (default 30)\n"
    "      --timeout SECONDS  whole transfer (default 3600)\n"
    "      --retries N        retries after a transient failure (default 3)\n"
    "      --no-progress      no progress bar (it is only drawn on a terminal anyway)\n"
    "  -q, --quiet            no progress lines\n"
    "  -h, --help             show this help\n\n"
    "Environment: https_proxy, http_proxy, no_proxy (proxies, read by libcurl);\n"
    "STACKAUDIT_PRICING_ENDPOINT (price-list host, default\n"
    PRICING_DEFAULT_ENDPOINT ");\n"
    "STACKAUDIT_RETRY_BASE_MS (first retry delay, default 1000, doubled each retry).\n\n"
    "Supported services: ";

static const char status_help[] =
    "Usage: stackaudit pricing status [--pricing-db PATH] [--format text|json]\n\n"
    "Show the catalog: its file, schema version, age, where its prices come from\n"
    "(the built-in list, offer files or URLs with their AWS version), and how many\n"
    "prices it holds per service and region.\n";

static const char show_help[] =
    "Usage: stackaudit pricing show RESOURCE [--region REGION] [--service SERVICE]\n"
    "                               [--component COMPONENT] [--pricing-db PATH]\n"
    "                               [--format text|json]\n\n"
    "Show the catalog's prices for RESOURCE (an instance type such as m5.large,\n"
    "db.t3.micro, cache.t3.micro, or a catalog name such as ebs-gp3, alb,\n"
    "lambda-arm; see docs/pricing.md), with unit, tier and source.\n"
    "Exits 2 when the catalog has no such price (the reason is printed).\n";

static const char export_help[] =
    "Usage: stackaudit pricing export --format csv [--output FILE] [--service SERVICE]\n"
    "                                 [--region REGION] [--pricing-db PATH]\n\n"
    "Write every price of the catalog as CSV (to standard output by default), one\n"
    "row per price and tier, with its unit, attributes and source.\n";

enum {
    OPT_PRICING_DB = OPT_FIRST_COMMAND_OPTION,
    OPT_SERVICE,
    OPT_REGION,
    OPT_URL,
    OPT_FILE,
    OPT_MAX_SIZE_DL,
    OPT_CONNECT_TIMEOUT,
    OPT_TIMEOUT,
    OPT_RETRIES,
    OPT_NO_PROGRESS,
    OPT_FORMAT,
    OPT_COMPONENT,
    OPT_OUTPUT
};

/* A growable list of strings pointing into argv (or split copies). */
typedef struct str_list {
    const char **items;
    size_t count;
} str_list;

static void list_add(str_list *l, const char *s)
{
    l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = s;
}

/* Adds each comma-separated part of arg (copies kept in a). */
static void list_add_split(str_list *l, arena *a, const char *arg)
{
    const char *p = arg;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n)
            list_add(l, arena_strndup(a, p, n));
        p += n + (comma ? 1 : 0);
    }
}

static void print_diags(const diag_list *d)
{
    for (size_t i = 0; i < d->count; i++)
        diag_print(stderr, &d->items[i]);
}

static void print_services(FILE *out)
{
    for (size_t i = 0; i < offer_service_count(); i++)
        fprintf(out, "%s%s", i ? ", " : "", offer_service_at(i)->code);
    fprintf(out, ".\n(AmazonCloudFront, AmazonMQ and AmazonRoute53 prices come from the "
                 "built-in list only.)\n");
}

static bool parse_count(const char *s, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max)
        return false;
    *out = v;
    return true;
}

static bool valid_region(const char *r)
{
    if (!*r || strlen(r) > 40)
        return false;
    for (const char *p = r; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

/* --- update ------------------------------------------------------------- */

static int run_update(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"service", required_argument, NULL, OPT_SERVICE},
        {"region", required_argument, NULL, OPT_REGION},
        {"url", required_argument, NULL, OPT_URL},
        {"file", required_argument, NULL, OPT_FILE},
        {"pricing-db", required_argument, NULL, OPT_PRICING_DB},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE_DL},
        {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"retries", required_argument, NULL, OPT_RETRIES},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "pricing update";
    arena *a = arena_new();
    str_list services = {0}, regions = {0}, urls = {0}, files = {0};
    const char *db_path = NULL;
    size_t max_size = 0;
    parse_size(DEFAULT_MAX_SIZE, &max_size);
    long connect_timeout = 30, timeout = 3600, retries = 3;
    bool progress = isatty(STDERR_FILENO), quiet = false;
    int rc = EXIT_USAGE, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_SERVICE:
            list_add_split(&services, a, optarg);
            break;
        case OPT_REGION:
            list_add_split(&regions, a, optarg);
            break;
        case OPT_URL:
            list_add(&urls, optarg);
            break;
        case OPT_FILE:
            list_add(&files, optarg);
            break;
        case OPT_PRICING_DB:
            db_path = optarg;
            break;
        case OPT_MAX_SIZE_DL:
            if (!parse_size(optarg, &max_size) || max_size == 0) {
                usage_error(cmd, "invalid --max-size '%s' (a size such as 500M or 4G)", optarg);
                goto out;
            }
            break;
        case OPT_CONNECT_TIMEOUT:
        case OPT_TIMEOUT:
        case OPT_RETRIES: {
            long v;
            if (!parse_count(optarg, opt == OPT_RETRIES ? 20 : 86400, &v) ||
                (opt != OPT_RETRIES && v == 0)) {
                usage_error(cmd, "invalid value '%s' for --%s", optarg,
                            opt == OPT_RETRIES ? "retries" : opt == OPT_TIMEOUT ? "timeout"
                                                                               : "connect-timeout");
                goto out;
            }
            if (opt == OPT_CONNECT_TIMEOUT)
                connect_timeout = v;
            else if (opt == OPT_TIMEOUT)
                timeout = v;
            else
                retries = v;
            break;
        }
        case OPT_NO_PROGRESS:
            progress = false;
            break;
        case 'q':
            quiet = true;
            progress = false;
            break;
        case 'h':
            fputs(update_help, stdout);
            print_services(stdout);
            rc = EXIT_CLEAN;
            goto out;
        default:
            usage_error(cmd, "unknown option");
            goto out;
        }
    }
    if (optind < argc) {
        usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    for (size_t i = 0; i < services.count; i++)
        if (!offer_service_find(services.items[i])) {
            fprintf(stderr, "stackaudit %s: unknown or unsupported service '%s'; supported: ",
                    cmd, services.items[i]);
            print_services(stderr);
            goto out;
        }
    for (size_t i = 0; i < regions.count; i++)
        if (!valid_region(regions.items[i])) {
            usage_error(cmd, "invalid region '%s' (a region code such as us-east-1)",
                        regions.items[i]);
            goto out;
        }

    /* what to read */
    size_t nsources = urls.count + files.count;
    bool defaults = nsources == 0;
    if (defaults) {
        size_t ns = services.count ? services.count : offer_service_count();
        nsources = ns * (regions.count ? regions.count : 1);
    }
    pricing_source *sources = arena_alloc(a, (nsources ? nsources : 1) * sizeof *sources);
    size_t k = 0;
    if (defaults) {
        const char *endpoint = getenv("STACKAUDIT_PRICING_ENDPOINT");
        if (!endpoint || !*endpoint)
            endpoint = PRICING_DEFAULT_ENDPOINT;
        size_t ns = services.count ? services.count : offer_service_count();
        for (size_t s = 0; s < ns; s++) {
            const char *svc = services.count ? services.items[s] : offer_service_at(s)->code;
            for (size_t r = 0; r < (regions.count ? regions.count : 1); r++) {
                const char *region = regions.count ? regions.items[r] : DEFAULT_REGION;
                char *url = pricing_offer_url(endpoint, svc, region);
                sources[k++] = (pricing_source){PRICING_SOURCE_URL, arena_strdup(a, url), svc, region};
                free(url);
            }
        }
    } else {
        for (size_t i = 0; i < urls.count; i++)
            sources[k++] = (pricing_source){PRICING_SOURCE_URL, urls.items[i], NULL, NULL};
        for (size_t i = 0; i < files.count; i++)
            sources[k++] = (pricing_source){PRICING_SOURCE_FILE, files.items[i], NULL, NULL};
    }

    unsigned retry_base_ms = 1000;
    const char *env = getenv("STACKAUDIT_RETRY_BASE_MS");
    long v;
    if (env && *env) {
        if (!parse_count(env, 600000, &v)) {
            usage_error(cmd, "invalid STACKAUDIT_RETRY_BASE_MS '%s' (milliseconds)", env);
            goto out;
        }
        retry_base_ms = (unsigned)v;
    }
    pricing_update_options o = {
        .db_path = db_path,
        .regions = defaults ? NULL : regions.items,
        .nregions = defaults ? 0 : regions.count,
        .services = defaults ? NULL : services.items,
        .nservices = defaults ? 0 : services.count,
        .sources = sources,
        .nsources = k,
        .download = {.connect_timeout_s = connect_timeout,
                     .total_timeout_s = timeout,
                     .max_bytes = max_size,
                     .progress = progress,
                     .label = "downloading"},
        .retries = (int)retries,
        .retry_base_ms = retry_base_ms,
        .log = quiet ? NULL : stderr,
    };
    diag_list diags;
    diag_list_init(&diags);
    pricing_update_result res;
    bool ok = pricing_update(&o, &res, &diags);
    print_diags(&diags);
    diag_list_free(&diags);
    if (!ok) {
        fprintf(stderr, "stackaudit pricing update: failed; the previous catalog is unchanged "
                        "and still used\n");
        rc = EXIT_USAGE;
    } else {
        if (!res.replaced)
            printf("not modified: the catalog is unchanged (%zu source(s) not modified)\n",
                   res.sources_unchanged);
        else
            printf("updated: %" PRIu64 " prices from %zu source(s)%s; the catalog now holds %" PRIu64
                   " prices\n",
                   res.rows_added, res.sources_read,
                   res.sources_unchanged ? " (others not modified)" : "", res.rows_total);
        rc = EXIT_CLEAN;
    }
out:
    free(services.items);
    free(regions.items);
    free(urls.items);
    free(files.items);
    arena_free(a);
    return rc;
}

/* --- shared: open the catalog ------------------------------------------- */

static pricing_catalog *open_catalog(const char *db_path)
{
    diag_list diags;
    diag_list_init(&diags);
    pricing_catalog *cat = pricing_catalog_open(db_path, &diags);
    for (size_t i = 0; i < diags.count; i++)
        if (diags.items[i].level != DIAG_NOTE)
            diag_print(stderr, &diags.items[i]);
    diag_list_free(&diags);
    return cat;
}

static void format_time(int64_t t, char *buf, size_t n)
{
    if (t <= 0) {
        snprintf(buf, n, "unknown");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void format_age(int64_t t, char *buf, size_t n)
{
    int64_t age = (int64_t)time(NULL) - t;
    if (t <= 0)
        snprintf(buf, n, "age unknown");
    else if (age < 120)
        snprintf(buf, n, "%" PRId64 " seconds ago", age < 0 ? 0 : age);
    else if (age < 7200)
        snprintf(buf, n, "%" PRId64 " minutes ago", age / 60);
    else if (age < 172800)
        snprintf(buf, n, "%" PRId64 " hours ago", age / 3600);
    else
        snprintf(buf, n, "%" PRId64 " days ago", age / 86400);
}

static int parse_format(const char *cmd, const char *arg, const char *allowed, int *json)
{
    if (strcmp(arg, "text") == 0 && strstr(allowed, "text")) {
        *json = 0;
        return 0;
    }
    if (strcmp(arg, "json") == 0 && strstr(allowed, "json")) {
        *json = 1;
        return 0;
    }
    if (strcmp(arg, "csv") == 0 && strstr(allowed, "csv")) {
        *json = 2;
        return 0;
    }
    return usage_error(cmd, "unknown --format '%s' (%s)", arg, allowed);
}

/* --- status ------------------------------------------------------------- */

/* "schema 2; AmazonEC2 20250912225308, built-in list": the schema and the
 * AWS offer versions the prices come from. */
static char *catalog_version(const pricing_status *s)
{
    strbuf sb;
    sb_init(&sb);
    sb_addf(&sb, "schema %d; prices:", s->schema_version);
    size_t n = 0;
    for (size_t i = 0; i < s->nsources; i++) {
        const pricing_source_info *in = &s->sources[i];
        if (strcmp(in->kind, "builtin") == 0)
            sb_addf(&sb, "%s built-in list", n++ ? "," : "");
        else if (*in->offer_code)
            sb_addf(&sb, "%s %s %s", n++ ? "," : "", in->offer_code,
                    *in->offer_version ? in->offer_version : "(no version)");
        else
            sb_addf(&sb, "%s %s", n++ ? "," : "", in->kind);
    }
    if (!n)
        sb_adds(&sb, " none");
    return sb_detach(&sb);
}

static void status_json(const pricing_catalog *cat, const pricing_status *s)
{
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, true);
    json_begin_object(&j);
    json_key(&j, "path");
    json_string(&j, pricing_catalog_path(cat));
    json_key(&j, "in_memory");
    json_bool(&j, pricing_catalog_in_memory(cat));
    json_key(&j, "schema_version");
    json_int(&j, s->schema_version);
    char *version = catalog_version(s);
    json_key(&j, "catalog_version");
    json_string(&j, version);
    free(version);
    json_key(&j, "created_at");
    json_int(&j, s->created_at);
    json_key(&j, "updated_at");
    json_int(&j, s->updated_at);
    json_key(&j, "age_seconds");
    json_int(&j, s->updated_at > 0 ? (int64_t)time(NULL) - s->updated_at : -1);
    json_key(&j, "total_rows");
    json_int(&j, s->total_rows);
    json_key(&j, "sources");
    json_begin_array(&j);
    for (size_t i = 0; i < s->nsources; i++) {
        const pricing_source_info *in = &s->sources[i];
        json_begin_object(&j);
        json_key(&j, "kind");
        json_string(&j, in->kind);
        json_key(&j, "location");
        json_string(&j, in->location);
        json_key(&j, "offer_code");
        json_string(&j, in->offer_code);
        json_key(&j, "offer_version");
        json_string(&j, in->offer_version);
        json_key(&j, "publication_date");
        json_string(&j, in->publication_date);
        json_key(&j, "fetched_at");
        json_int(&j, in->fetched_at);
        json_key(&j, "etag");
        json_string(&j, in->etag);
        json_key(&j, "last_modified");
        json_string(&j, in->last_modified);
        json_key(&j, "rows");
        json_int(&j, in->rows);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_key(&j, "rows");
    json_begin_array(&j);
    for (size_t i = 0; i < s->ncounts; i++) {
        json_begin_object(&j);
        json_key(&j, "service");
        json_string(&j, s->counts[i].service);
        json_key(&j, "region");
        json_string(&j, s->counts[i].region);
        json_key(&j, "rows");
        json_int(&j, s->counts[i].rows);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    fputs(sb.buf, stdout);
    fputc('\n', stdout);
    sb_free(&sb);
}

static void status_text(const pricing_catalog *cat, const pricing_status *s)
{
    char when[64], age[64];
    if (pricing_catalog_in_memory(cat))
        printf("catalog:         (in memory: the built-in price list; the cache file is unusable)\n");
    else
        printf("catalog:         %s\n", pricing_catalog_path(cat));
    char *version = catalog_version(s);
    printf("catalog version: %s\n", version);
    free(version);
    format_time(s->updated_at, when, sizeof when);
    format_age(s->updated_at, age, sizeof age);
    printf("updated:         %s (%s)\n", when, age);
    printf("sources:\n");
    for (size_t i = 0; i < s->nsources; i++) {
        const pricing_source_info *in = &s->sources[i];
        format_time(in->fetched_at, when, sizeof when);
        format_age(in->fetched_at, age, sizeof age);
        printf("  %-8s %s\n", in->kind, in->location);
        if (*in->offer_code)
            printf("           offer %s version %s, published %s\n", in->offer_code,
                   *in->offer_version ? in->offer_version : "?",
                   *in->publication_date ? in->publication_date : "?");
        printf("           %" PRId64 " prices, read %s (%s)", in->rows, when, age);
        if (*in->etag)
            printf(", ETag %s", in->etag);
        printf("\n");
    }
    printf("prices per service and region:\n");
    for (size_t i = 0; i < s->ncounts; i++)
        printf("  %-18s %-36s %6" PRId64 "\n", s->counts[i].service, s->counts[i].region,
               s->counts[i].rows);
    printf("total: %" PRId64 " prices\n", s->total_rows);
}

static int run_status(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"pricing-db", required_argument, NULL, OPT_PRICING_DB},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "pricing status", *db_path = NULL;
    int json = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_PRICING_DB:
            db_path = optarg;
            break;
        case OPT_FORMAT:
            if (parse_format(cmd, optarg, "text or json", &json))
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(status_help, stdout);
            return EXIT_CLEAN;
        default:
            return usage_error(cmd, "unknown option");
        }
    }
    if (optind < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    pricing_catalog *cat = open_catalog(db_path);
    if (!cat)
        return EXIT_USAGE;
    pricing_status s;
    diag_list diags;
    diag_list_init(&diags);
    int rc = EXIT_CLEAN;
    if (!pricing_catalog_status(cat, &s, &diags)) {
        print_diags(&diags);
        rc = EXIT_INTERNAL;
    } else {
        if (json)
            status_json(cat, &s);
        else
            status_text(cat, &s);
        pricing_status_free(&s);
    }
    diag_list_free(&diags);
    pricing_catalog_close(cat);
    return rc;
}

/* --- show --------------------------------------------------------------- */

typedef struct show_ctx {
    json_out *j; /* NULL: text */
    size_t rows;
} show_ctx;

static void attrs_text(const price_row *r, strbuf *sb)
{
    const char *names[] = {"os", "tenancy", "arch", "engine", "deployment", "variant"};
    const char *vals[] = {r->os, r->tenancy, r->arch, r->engine, r->deployment, r->variant};
    for (int i = 0; i < 6; i++)
        if (*vals[i])
            sb_addf(sb, "%s%s=%s", sb->len ? " " : "", names[i], vals[i]);
}

static int show_row(void *ud, const price_row *r, const char *source)
{
    show_ctx *c = ud;
    c->rows++;
    if (c->j) {
        json_out *j = c->j;
        json_begin_object(j);
        const char *keys[] = {"service", "region",     "resource", "component", "os",
                              "tenancy", "arch",       "term",     "engine",    "deployment",
                              "variant", "unit",       "usd_text"};
        const char *vals[] = {r->service, r->region,     r->resource, r->component, r->os,
                              r->tenancy, r->arch,       r->term,     r->engine,    r->deployment,
                              r->variant, r->unit,       r->usd_text};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
            json_key(j, keys[i]);
            json_string(j, vals[i]);
        }
        json_key(j, "usd_per_unit");
        json_double(j, r->usd);
        json_key(j, "begin_range");
        json_double(j, r->begin_range);
        json_key(j, "end_range");
        if (r->has_end)
            json_double(j, r->end_range);
        else
            json_null(j);
        json_key(j, "effective_date");
        json_string(j, r->effective_date);
        json_key(j, "sku");
        json_string(j, r->sku);
        json_key(j, "description");
        json_string(j, r->description);
        json_key(j, "source");
        json_string(j, source);
        json_end_object(j);
        return 0;
    }
    strbuf attrs;
    sb_init(&attrs);
    attrs_text(r, &attrs);
    printf("%s %s %s %s%s%s%s: %s USD per %s", r->service, r->region, r->resource, r->component,
           attrs.len ? " (" : "", attrs.buf, attrs.len ? ")" : "", r->usd_text, r->unit);
    if (r->begin_range > 0 || r->has_end) {
        printf(" [tier from %.15g", r->begin_range);
        if (r->has_end)
            printf(" to %.15g", r->end_range);
        printf(" %s]", r->unit);
    }
    if (*r->effective_date)
        printf(", effective %s", r->effective_date);
    printf("\n    source: %s\n", source);
    sb_free(&attrs);
    return 0;
}

static int run_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"pricing-db", required_argument, NULL, OPT_PRICING_DB},
        {"region", required_argument, NULL, OPT_REGION},
        {"service", required_argument, NULL, OPT_SERVICE},
        {"component", required_argument, NULL, OPT_COMPONENT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "pricing show", *db_path = NULL;
    pricing_filter f = {0};
    int json = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_PRICING_DB:
            db_path = optarg;
            break;
        case OPT_REGION:
            f.region = optarg;
            break;
        case OPT_SERVICE:
            f.service = optarg;
            break;
        case OPT_COMPONENT:
            f.component = optarg;
            break;
        case OPT_FORMAT:
            if (parse_format(cmd, optarg, "text or json", &json))
                return EXIT_USAGE;
            break;
        case 'h':
            fputs(show_help, stdout);
            return EXIT_CLEAN;
        default:
            return usage_error(cmd, "unknown option");
        }
    }
    if (optind + 1 != argc)
        return usage_error(cmd, optind == argc ? "which resource? (e.g. m5.large)"
                                               : "one resource at a time");
    f.resource = argv[optind];
    pricing_catalog *cat = open_catalog(db_path);
    if (!cat)
        return EXIT_USAGE;
    strbuf sb;
    sb_init(&sb);
    json_out j;
    show_ctx c = {json ? &j : NULL, 0};
    if (json) {
        json_init(&j, &sb, true);
        json_begin_array(&j);
    }
    diag_list diags;
    diag_list_init(&diags);
    int rc = EXIT_CLEAN;
    if (!pricing_catalog_each(cat, &f, show_row, &c, &diags)) {
        print_diags(&diags);
        rc = EXIT_INTERNAL;
    } else if (c.rows == 0) {
        if (f.service && f.region) {
            pricing_query q = {.service = f.service, .region = f.region, .resource = f.resource,
                               .component = f.component};
            pricing_price p;
            pricing_lookup(cat, &q, &p);
            fprintf(stderr, "stackaudit pricing show: %s\n", p.reason);
        } else {
            fprintf(stderr,
                    "stackaudit pricing show: no price for '%s'%s%s%s%s in the catalog (names: "
                    "docs/pricing.md; more prices: 'stackaudit pricing update')\n",
                    f.resource, f.region ? " in " : "", f.region ? f.region : "",
                    f.service ? " for " : "", f.service ? f.service : "");
        }
        rc = EXIT_USAGE;
    }
    if (json) {
        json_end_array(&j);
        if (rc != EXIT_INTERNAL)
            printf("%s\n", sb.buf);
    }
    sb_free(&sb);
    diag_list_free(&diags);
    pricing_catalog_close(cat);
    return rc;
}

/* --- export ------------------------------------------------------------- */

static void csv_field(FILE *out, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputc(last ? '\n' : ',', out);
}

static int export_row(void *ud, const price_row *r, const char *source)
{
    FILE *out = ud;
    char begin[40], end[40] = "";
    snprintf(begin, sizeof begin, "%.15g", r->begin_range);
    if (r->has_end)
        snprintf(end, sizeof end, "%.15g", r->end_range);
    const char *fields[] = {r->service,    r->region,   r->resource,   r->component,
                            r->os,         r->tenancy,  r->arch,       r->term,
                            r->engine,     r->deployment, r->variant,  r->unit,
                            r->usd_text,   begin,       end,           r->effective_date,
                            r->sku,        r->description, source};
    size_t n = sizeof fields / sizeof *fields;
    for (size_t i = 0; i < n; i++)
        csv_field(out, fields[i], i + 1 == n);
    return ferror(out) ? 1 : 0;
}

static int run_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"pricing-db", required_argument, NULL, OPT_PRICING_DB},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"region", required_argument, NULL, OPT_REGION},
        {"service", required_argument, NULL, OPT_SERVICE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "pricing export", *db_path = NULL, *output = NULL;
    pricing_filter f = {0};
    int format = -1, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_PRICING_DB:
            db_path = optarg;
            break;
        case OPT_FORMAT:
            if (parse_format(cmd, optarg, "csv", &format))
                return EXIT_USAGE;
            break;
        case OPT_OUTPUT:
            output = optarg;
            break;
        case OPT_REGION:
            f.region = optarg;
            break;
        case OPT_SERVICE:
            f.service = optarg;
            break;
        case 'h':
            fputs(export_help, stdout);
            return EXIT_CLEAN;
        default:
            return usage_error(cmd, "unknown option");
        }
    }
    if (optind < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (format != 2)
        return usage_error(cmd, "give --format csv");
    pricing_catalog *cat = open_catalog(db_path);
    if (!cat)
        return EXIT_USAGE;
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        fprintf(stderr, "%s: error: cannot write the export: %s\n", output, strerror(errno));
        pricing_catalog_close(cat);
        return EXIT_USAGE;
    }
    fputs("service,region,resource,component,os,tenancy,arch,term,engine,deployment,variant,"
          "unit,usd_per_unit,begin_range,end_range,effective_date,sku,description,source\n",
          out);
    diag_list diags;
    diag_list_init(&diags);
    int rc = EXIT_CLEAN;
    if (!pricing_catalog_each(cat, &f, export_row, out, &diags)) {
        print_diags(&diags);
        rc = EXIT_INTERNAL;
    }
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "%s: error: writing the export failed: %s\n", output ? output : "stdout",
                strerror(errno));
        rc = EXIT_USAGE;
    }
    if (out != stdout)
        fclose(out);
    diag_list_free(&diags);
    pricing_catalog_close(cat);
    return rc;
}

/* --- dispatch ----------------------------------------------------------- */

int cmd_pricing(int argc, char **argv)
{
    if (argc < 2) {
        fputs(pricing_help, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
        fputs(pricing_help, stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(sub, "update"))
        return run_update(argc - 1, argv + 1);
    if (!strcmp(sub, "status"))
        return run_status(argc - 1, argv + 1);
    if (!strcmp(sub, "show"))
        return run_show(argc - 1, argv + 1);
    if (!strcmp(sub, "export"))
        return run_export(argc - 1, argv + 1);
    fprintf(stderr, "stackaudit pricing: unknown command '%s'\n\n", sub);
    fputs(pricing_help, stderr);
    return EXIT_USAGE;
}
