/* pricing_status.c - `stackaudit pricing status`: the catalog's file,
 * schema and offer versions, age, sources and price counts per service and
 * region, as text for people or as one JSON object.
 *
 * Exit codes: 0 shown; 2 usage errors or an unusable catalog; 3 the
 * catalog could not be read. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/pricing.h"
#include "core/json_out.h"
#include "core/strbuf.h"

#define STATUS_CMD "pricing status"

static const char status_help[] =
    "Usage: stackaudit pricing status [--pricing-db PATH] [--format text|json]\n\n"
    "Show the catalog: its file, schema version, age, where its prices come from\n"
    "(the built-in list, offer files or URLs with their AWS version), and how many\n"
    "prices it holds per service and region.\n";

/* "schema 2; prices: AmazonEC2 20250912225308, built-in list": the schema
 * and the AWS offer versions the prices come from. */
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

/* --- JSON ---------------------------------------------------------------- */

static void put_string(json_out *j, const char *key, const char *value)
{
    json_key(j, key);
    json_string(j, value);
}

static void put_int(json_out *j, const char *key, int64_t value)
{
    json_key(j, key);
    json_int(j, value);
}

static void source_json(json_out *j, const pricing_source_info *in)
{
    json_begin_object(j);
    put_string(j, "kind", in->kind);
    put_string(j, "location", in->location);
    put_string(j, "offer_code", in->offer_code);
    put_string(j, "offer_version", in->offer_version);
    put_string(j, "publication_date", in->publication_date);
    put_int(j, "fetched_at", in->fetched_at);
    put_string(j, "etag", in->etag);
    put_string(j, "last_modified", in->last_modified);
    put_int(j, "rows", in->rows);
    json_end_object(j);
}

static void count_json(json_out *j, const pricing_count *count)
{
    json_begin_object(j);
    put_string(j, "service", count->service);
    put_string(j, "region", count->region);
    put_int(j, "rows", count->rows);
    json_end_object(j);
}

static void status_json(const pricing_catalog *cat, const pricing_status *s)
{
    strbuf sb;
    sb_init(&sb);
    json_out j;
    json_init(&j, &sb, true);
    json_begin_object(&j);
    put_string(&j, "path", pricing_catalog_path(cat));
    json_key(&j, "in_memory");
    json_bool(&j, pricing_catalog_in_memory(cat));
    put_int(&j, "schema_version", s->schema_version);
    char *version = catalog_version(s);
    put_string(&j, "catalog_version", version);
    free(version);
    put_int(&j, "created_at", s->created_at);
    put_int(&j, "updated_at", s->updated_at);
    put_int(&j, "age_seconds", s->updated_at > 0 ? (int64_t)time(NULL) - s->updated_at : -1);
    put_int(&j, "total_rows", s->total_rows);
    json_key(&j, "sources");
    json_begin_array(&j);
    for (size_t i = 0; i < s->nsources; i++)
        source_json(&j, &s->sources[i]);
    json_end_array(&j);
    json_key(&j, "rows");
    json_begin_array(&j);
    for (size_t i = 0; i < s->ncounts; i++)
        count_json(&j, &s->counts[i]);
    json_end_array(&j);
    json_end_object(&j);
    fputs(sb.buf, stdout);
    fputc('\n', stdout);
    sb_free(&sb);
}

/* --- text ---------------------------------------------------------------- */

/* "2025-09-12 22:53:08 UTC (3 days ago)", or "unknown (age unknown)". */
static void format_when(int64_t t, char *buf, size_t n)
{
    char date[40], age[40];
    int64_t seconds = (int64_t)time(NULL) - t;
    if (t <= 0) {
        snprintf(date, sizeof date, "unknown");
        snprintf(age, sizeof age, "age unknown");
    } else {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
        if (seconds < 120)
            snprintf(age, sizeof age, "%" PRId64 " seconds ago", seconds < 0 ? 0 : seconds);
        else if (seconds < 7200)
            snprintf(age, sizeof age, "%" PRId64 " minutes ago", seconds / 60);
        else if (seconds < 172800)
            snprintf(age, sizeof age, "%" PRId64 " hours ago", seconds / 3600);
        else
            snprintf(age, sizeof age, "%" PRId64 " days ago", seconds / 86400);
    }
    snprintf(buf, n, "%s (%s)", date, age);
}

static void source_text(const pricing_source_info *in)
{
    char when[96];
    format_when(in->fetched_at, when, sizeof when);
    printf("  %-8s %s\n", in->kind, in->location);
    if (*in->offer_code)
        printf("           offer %s version %s, published %s\n", in->offer_code,
               *in->offer_version ? in->offer_version : "?",
               *in->publication_date ? in->publication_date : "?");
    printf("           %" PRId64 " prices, read %s", in->rows, when);
    if (*in->etag)
        printf(", ETag %s", in->etag);
    printf("\n");
}

static void status_text(const pricing_catalog *cat, const pricing_status *s)
{
    char when[96];
    if (pricing_catalog_in_memory(cat))
        printf("catalog:         (in memory: the built-in price list; the cache file is unusable)\n");
    else
        printf("catalog:         %s\n", pricing_catalog_path(cat));
    char *version = catalog_version(s);
    printf("catalog version: %s\n", version);
    free(version);
    format_when(s->updated_at, when, sizeof when);
    printf("updated:         %s\n", when);
    printf("sources:\n");
    for (size_t i = 0; i < s->nsources; i++)
        source_text(&s->sources[i]);
    printf("prices per service and region:\n");
    for (size_t i = 0; i < s->ncounts; i++)
        printf("  %-18s %-36s %6" PRId64 "\n", s->counts[i].service, s->counts[i].region,
               s->counts[i].rows);
    printf("total: %" PRId64 " prices\n", s->total_rows);
}

static const pricing_command status_command = {
    .name = STATUS_CMD,
    .options = "pricing-db format help",
    .formats = "text or json",
    .help = status_help,
};

int pricing_status_main(int argc, char **argv)
{
    pricing_args args;
    int rc = pricing_parse_args(&status_command, argc, argv, &args);
    if (rc >= 0)
        return rc;
    pricing_catalog *cat = pricing_open_catalog(args.db_path);
    if (!cat)
        return EXIT_USAGE;
    pricing_status s;
    diag_list diags;
    diag_list_init(&diags);
    rc = EXIT_CLEAN;
    if (!pricing_catalog_status(cat, &s, &diags)) {
        pricing_print_diags(&diags);
        rc = EXIT_INTERNAL;
    } else {
        if (args.format == FORMAT_JSON)
            status_json(cat, &s);
        else
            status_text(cat, &s);
        pricing_status_free(&s);
    }
    diag_list_free(&diags);
    pricing_catalog_close(cat);
    return rc;
}
