/* pricing_show.c - `stackaudit pricing show RESOURCE` (the prices of one
 * resource, as text or a JSON array) and `stackaudit pricing export` (every
 * price as CSV). Both list catalog rows through pricing_catalog_each in
 * the catalog's order, with the same attribute columns.
 *
 * Exit codes: 0 listed; 2 usage errors, an unusable catalog, no price for
 * the resource (the reason is printed) or an export that could not be
 * written; 3 the catalog could not be read. */
#include <errno.h>
#include <string.h>

#include "cmd/pricing.h"
#include "core/json_out.h"
#include "core/strbuf.h"

#define SHOW_CMD "pricing show"
#define EXPORT_CMD "pricing export"

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

/* The text attributes of a row that both listings show first, in order:
 * service, region, resource, component, os, tenancy, arch, term, engine,
 * deployment, variant, unit, usd_text. */
enum { ROW_ATTRIBUTES = 13 };

static void row_attributes(const price_row *r, const char *out[ROW_ATTRIBUTES])
{
    const char *vals[ROW_ATTRIBUTES] = {
        r->service, r->region, r->resource,   r->component, r->os,   r->tenancy,  r->arch,
        r->term,    r->engine, r->deployment, r->variant,   r->unit, r->usd_text,
    };
    memcpy(out, vals, sizeof vals);
}

/* Lists the rows of f through fn; on failure prints why and returns false. */
static bool each_row(pricing_catalog *cat, const pricing_filter *f, pricing_each_fn fn, void *ud)
{
    diag_list diags;
    diag_list_init(&diags);
    bool ok = pricing_catalog_each(cat, f, fn, ud, &diags);
    if (!ok)
        pricing_print_diags(&diags);
    diag_list_free(&diags);
    return ok;
}

/* --- show ---------------------------------------------------------------- */

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

static void show_row_json(json_out *j, const price_row *r, const char *source)
{
    static const char *const keys[ROW_ATTRIBUTES] = {
        "service", "region", "resource",   "component", "os",   "tenancy",  "arch",
        "term",    "engine", "deployment", "variant",   "unit", "usd_text",
    };
    const char *vals[ROW_ATTRIBUTES];
    row_attributes(r, vals);
    json_begin_object(j);
    for (size_t i = 0; i < ROW_ATTRIBUTES; i++) {
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
    const char *tail_keys[] = {"effective_date", "sku", "description", "source"};
    const char *tail_vals[] = {r->effective_date, r->sku, r->description, source};
    for (size_t i = 0; i < sizeof tail_keys / sizeof *tail_keys; i++) {
        json_key(j, tail_keys[i]);
        json_string(j, tail_vals[i]);
    }
    json_end_object(j);
}

static void show_row_text(const price_row *r, const char *source)
{
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
}

static int show_row(void *ud, const price_row *r, const char *source)
{
    show_ctx *c = ud;
    c->rows++;
    if (c->j)
        show_row_json(c->j, r, source);
    else
        show_row_text(r, source);
    return 0;
}

/* Why the catalog has no price for f: the lookup's reason when service and
 * region are known, else a hint where to look. */
static void explain_no_price(pricing_catalog *cat, const pricing_filter *f)
{
    if (f->service && f->region) {
        pricing_query q = {.service = f->service, .region = f->region, .resource = f->resource,
                           .component = f->component};
        pricing_price p;
        pricing_lookup(cat, &q, &p);
        fprintf(stderr, "stackaudit pricing show: %s\n", p.reason);
        return;
    }
    fprintf(stderr,
            "stackaudit pricing show: no price for '%s'%s%s%s%s in the catalog (names: "
            "docs/pricing.md; more prices: 'stackaudit pricing update')\n",
            f->resource, f->region ? " in " : "", f->region ? f->region : "",
            f->service ? " for " : "", f->service ? f->service : "");
}

static const pricing_command show_command = {
    .name = SHOW_CMD,
    .options = "pricing-db region service component format help",
    .formats = "text or json",
    .operands = 1,
    .help = show_help,
};

int pricing_show_main(int argc, char **argv)
{
    pricing_args args;
    int rc = pricing_parse_args(&show_command, argc, argv, &args);
    if (rc >= 0)
        return rc;
    if (optind + 1 != argc)
        return usage_error(SHOW_CMD, optind == argc ? "which resource? (e.g. m5.large)"
                                                    : "one resource at a time");
    pricing_filter *f = &args.filter;
    f->resource = argv[optind];
    pricing_catalog *cat = pricing_open_catalog(args.db_path);
    if (!cat)
        return EXIT_USAGE;
    bool json = args.format == FORMAT_JSON;
    strbuf sb;
    sb_init(&sb);
    json_out j;
    show_ctx ctx = {json ? &j : NULL, 0};
    if (json) {
        json_init(&j, &sb, true);
        json_begin_array(&j);
    }
    rc = EXIT_CLEAN;
    if (!each_row(cat, f, show_row, &ctx)) {
        rc = EXIT_INTERNAL;
    } else if (ctx.rows == 0) {
        explain_no_price(cat, f);
        rc = EXIT_USAGE;
    }
    if (json) {
        json_end_array(&j);
        if (rc != EXIT_INTERNAL)
            printf("%s\n", sb.buf);
    }
    sb_free(&sb);
    pricing_catalog_close(cat);
    return rc;
}

/* --- export -------------------------------------------------------------- */

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
    const char *attributes[ROW_ATTRIBUTES];
    row_attributes(r, attributes);
    for (size_t i = 0; i < ROW_ATTRIBUTES; i++)
        csv_field(out, attributes[i], false);
    const char *tail[] = {begin, end, r->effective_date, r->sku, r->description, source};
    size_t n = sizeof tail / sizeof *tail;
    for (size_t i = 0; i < n; i++)
        csv_field(out, tail[i], i + 1 == n);
    return ferror(out) ? 1 : 0;
}

/* Writes the CSV of f to out (header first); returns the exit code. */
static int export_csv(pricing_catalog *cat, const pricing_filter *f, FILE *out,
                      const char *output)
{
    fputs("service,region,resource,component,os,tenancy,arch,term,engine,deployment,variant,"
          "unit,usd_per_unit,begin_range,end_range,effective_date,sku,description,source\n",
          out);
    int rc = each_row(cat, f, export_row, out) ? EXIT_CLEAN : EXIT_INTERNAL;
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "%s: error: writing the export failed: %s\n", output ? output : "stdout",
                strerror(errno));
        rc = EXIT_USAGE;
    }
    return rc;
}

static const pricing_command export_command = {
    .name = EXPORT_CMD,
    .options = "pricing-db format output region service help",
    .formats = "csv",
    .help = export_help,
};

int pricing_export_main(int argc, char **argv)
{
    pricing_args args;
    int rc = pricing_parse_args(&export_command, argc, argv, &args);
    if (rc >= 0)
        return rc;
    if (args.format != FORMAT_CSV)
        return usage_error(EXPORT_CMD, "give --format csv");
    pricing_catalog *cat = pricing_open_catalog(args.db_path);
    if (!cat)
        return EXIT_USAGE;
    FILE *out = stdout;
    if (args.output && !(out = fopen(args.output, "w"))) {
        fprintf(stderr, "%s: error: cannot write the export: %s\n", args.output,
                strerror(errno));
        pricing_catalog_close(cat);
        return EXIT_USAGE;
    }
    rc = export_csv(cat, &args.filter, out, args.output);
    if (out != stdout)
        fclose(out);
    pricing_catalog_close(cat);
    return rc;
}
