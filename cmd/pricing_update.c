/* pricing_update.c - `stackaudit pricing update`: reads its options into
 * an update request, checks the services and regions, lists the offer
 * files to read (given with --url/--file, or the current regional offer
 * file of each service and region) and runs pricing_update (update.h).
 *
 * Exit codes: 0 updated or unchanged; 2 usage errors and failed updates
 * (the previous catalog is then kept and still used). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/pricing.h"
#include "core/arena.h"
#include "pricing/offer_filter.h"
#include "pricing/update.h"

#define UPDATE_CMD "pricing update"
#define DEFAULT_REGION "us-east-1"
#define DEFAULT_MAX_SIZE "4G"

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

/* What the options asked for. */
typedef struct update_request {
    arena *a;
    str_list services, regions, urls, files;
    size_t max_size;
    long connect_timeout, timeout, retries;
    bool progress, quiet;
} update_request;

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

/* --connect-timeout, --timeout and --retries: a whole number in min..max. */
static int set_count_option(const char *arg, const char *name, long min, long max, long *out)
{
    long v;
    if (!parse_count(arg, max, &v) || v < min) {
        usage_error(UPDATE_CMD, "invalid value '%s' for --%s", arg, name);
        return OPTION_INVALID;
    }
    *out = v;
    return OPTION_TAKEN;
}

static int update_option(void *ud, int opt, const char *arg)
{
    update_request *u = ud;
    switch (opt) {
    case OPT_SERVICE:
        list_add_split(&u->services, u->a, arg);
        return OPTION_TAKEN;
    case OPT_REGION:
        list_add_split(&u->regions, u->a, arg);
        return OPTION_TAKEN;
    case OPT_URL:
        list_add(&u->urls, arg);
        return OPTION_TAKEN;
    case OPT_FILE:
        list_add(&u->files, arg);
        return OPTION_TAKEN;
    case OPT_MAX_SIZE_DL:
        if (!parse_size(arg, &u->max_size) || u->max_size == 0) {
            usage_error(UPDATE_CMD, "invalid --max-size '%s' (a size such as 500M or 4G)", arg);
            return OPTION_INVALID;
        }
        return OPTION_TAKEN;
    case OPT_CONNECT_TIMEOUT:
        return set_count_option(arg, "connect-timeout", 1, 86400, &u->connect_timeout);
    case OPT_TIMEOUT:
        return set_count_option(arg, "timeout", 1, 86400, &u->timeout);
    case OPT_RETRIES:
        return set_count_option(arg, "retries", 0, 20, &u->retries);
    case OPT_NO_PROGRESS:
        u->progress = false;
        return OPTION_TAKEN;
    case 'q':
        u->quiet = true;
        u->progress = false;
        return OPTION_TAKEN;
    default:
        return OPTION_NOT_MINE;
    }
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

/* Every --service is supported and every --region well-formed; prints the
 * usage error otherwise. */
static bool services_and_regions_valid(const update_request *u)
{
    for (size_t i = 0; i < u->services.count; i++)
        if (!offer_service_find(u->services.items[i])) {
            fprintf(stderr, "stackaudit %s: unknown or unsupported service '%s'; supported: ",
                    UPDATE_CMD, u->services.items[i]);
            print_services(stderr);
            return false;
        }
    for (size_t i = 0; i < u->regions.count; i++)
        if (!valid_region(u->regions.items[i])) {
            usage_error(UPDATE_CMD, "invalid region '%s' (a region code such as us-east-1)",
                        u->regions.items[i]);
            return false;
        }
    return true;
}

static bool reads_defaults(const update_request *u)
{
    return u->urls.count + u->files.count == 0;
}

/* The offer files to read: the --url and --file ones, or by default the
 * current regional offer file of each asked (else supported) service in
 * each asked region (else DEFAULT_REGION). */
static pricing_source *offer_sources(const update_request *u, size_t *count)
{
    size_t nservices = u->services.count ? u->services.count : offer_service_count();
    size_t nregions = u->regions.count ? u->regions.count : 1;
    size_t n = reads_defaults(u) ? nservices * nregions : u->urls.count + u->files.count;
    pricing_source *sources = arena_alloc(u->a, (n ? n : 1) * sizeof *sources);
    size_t k = 0;
    if (reads_defaults(u)) {
        const char *endpoint = getenv("STACKAUDIT_PRICING_ENDPOINT");
        if (!endpoint || !*endpoint)
            endpoint = PRICING_DEFAULT_ENDPOINT;
        for (size_t s = 0; s < nservices; s++) {
            const char *svc = u->services.count ? u->services.items[s] : offer_service_at(s)->code;
            for (size_t r = 0; r < nregions; r++) {
                const char *region = u->regions.count ? u->regions.items[r] : DEFAULT_REGION;
                char *url = pricing_offer_url(endpoint, svc, region);
                sources[k++] =
                    (pricing_source){PRICING_SOURCE_URL, arena_strdup(u->a, url), svc, region};
                free(url);
            }
        }
    } else {
        for (size_t i = 0; i < u->urls.count; i++)
            sources[k++] = (pricing_source){PRICING_SOURCE_URL, u->urls.items[i], NULL, NULL};
        for (size_t i = 0; i < u->files.count; i++)
            sources[k++] = (pricing_source){PRICING_SOURCE_FILE, u->files.items[i], NULL, NULL};
    }
    *count = k;
    return sources;
}

/* STACKAUDIT_RETRY_BASE_MS, 1000 when unset; false after a usage error. */
static bool retry_base_from_env(unsigned *ms)
{
    const char *env = getenv("STACKAUDIT_RETRY_BASE_MS");
    long v;
    *ms = 1000;
    if (!env || !*env)
        return true;
    if (!parse_count(env, 600000, &v)) {
        usage_error(UPDATE_CMD, "invalid STACKAUDIT_RETRY_BASE_MS '%s' (milliseconds)", env);
        return false;
    }
    *ms = (unsigned)v;
    return true;
}

static int report_result(bool ok, const pricing_update_result *res)
{
    if (!ok) {
        fprintf(stderr, "stackaudit pricing update: failed; the previous catalog is unchanged "
                        "and still used\n");
        return EXIT_USAGE;
    }
    if (!res->replaced)
        printf("not modified: the catalog is unchanged (%zu source(s) not modified)\n",
               res->sources_unchanged);
    else
        printf("updated: %" PRIu64 " prices from %zu source(s)%s; the catalog now holds %" PRIu64
               " prices\n",
               res->rows_added, res->sources_read,
               res->sources_unchanged ? " (others not modified)" : "", res->rows_total);
    return EXIT_CLEAN;
}

static int run_update(const update_request *u, const char *db_path)
{
    if (!services_and_regions_valid(u))
        return EXIT_USAGE;
    size_t nsources;
    const pricing_source *sources = offer_sources(u, &nsources);
    unsigned retry_base_ms;
    if (!retry_base_from_env(&retry_base_ms))
        return EXIT_USAGE;
    bool defaults = reads_defaults(u);
    pricing_update_options o = {
        .db_path = db_path,
        .regions = defaults ? NULL : u->regions.items,
        .nregions = defaults ? 0 : u->regions.count,
        .services = defaults ? NULL : u->services.items,
        .nservices = defaults ? 0 : u->services.count,
        .sources = sources,
        .nsources = nsources,
        .download = {.connect_timeout_s = u->connect_timeout,
                     .total_timeout_s = u->timeout,
                     .max_bytes = u->max_size,
                     .progress = u->progress,
                     .label = "downloading"},
        .retries = (int)u->retries,
        .retry_base_ms = retry_base_ms,
        .log = u->quiet ? NULL : stderr,
    };
    diag_list diags;
    diag_list_init(&diags);
    pricing_update_result res;
    bool ok = pricing_update(&o, &res, &diags);
    pricing_print_diags(&diags);
    diag_list_free(&diags);
    return report_result(ok, &res);
}

int pricing_update_main(int argc, char **argv)
{
    update_request u = {
        .a = arena_new(),
        .connect_timeout = 30,
        .timeout = 3600,
        .retries = 3,
        .progress = isatty(STDERR_FILENO),
    };
    parse_size(DEFAULT_MAX_SIZE, &u.max_size);
    const pricing_command c = {
        .name = UPDATE_CMD,
        .options = "service region url file pricing-db max-size connect-timeout timeout "
                   "retries no-progress quiet help",
        .help = update_help,
        .help_tail = print_services,
        .option = update_option,
        .ud = &u,
    };
    pricing_args args;
    int rc = pricing_parse_args(&c, argc, argv, &args);
    if (rc < 0)
        rc = run_update(&u, args.db_path);
    free(u.services.items);
    free(u.regions.items);
    free(u.urls.items);
    free(u.files.items);
    arena_free(u.a);
    return rc;
}
