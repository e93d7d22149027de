/* offer_csv.c - AWS offer-file CSV reader; see offer_csv.h. The checks
 * common to every service (on-demand term, USD, region, free-tier and
 * zero-priced placeholder rows, price and range syntax) live here; the
 * service-specific selection lives in offer_filter.c. */
#include "offer_csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "pricing/csv_stream.h"
#include "pricing/offer_filter.h"
#include "pricing/units.h"

/* At most this many metadata lines before the header (AWS writes 5). */
#define MAX_PREAMBLE_RECORDS 20

static const char *const col_names[OC_COUNT] = {
    [OC_SKU] = "SKU",
    [OC_TERM_TYPE] = "TermType",
    [OC_PRICE_DESCRIPTION] = "PriceDescription",
    [OC_EFFECTIVE_DATE] = "EffectiveDate",
    [OC_STARTING_RANGE] = "StartingRange",
    [OC_ENDING_RANGE] = "EndingRange",
    [OC_UNIT] = "Unit",
    [OC_PRICE_PER_UNIT] = "PricePerUnit",
    [OC_CURRENCY] = "Currency",
    [OC_PRODUCT_FAMILY] = "Product Family",
    [OC_LOCATION] = "Location",
    [OC_LOCATION_TYPE] = "Location Type",
    [OC_USAGE_TYPE] = "usageType",
    [OC_OPERATION] = "operation",
    [OC_REGION_CODE] = "Region Code",
    [OC_INSTANCE_TYPE] = "Instance Type",
    [OC_TENANCY] = "Tenancy",
    [OC_OPERATING_SYSTEM] = "Operating System",
    [OC_PRE_INSTALLED_SW] = "Pre Installed S/W",
    [OC_CAPACITY_STATUS] = "CapacityStatus",
    [OC_LICENSE_MODEL] = "License Model",
    [OC_MARKET_OPTION] = "MarketOption",
    [OC_VOLUME_API_NAME] = "Volume API Name",
    [OC_VOLUME_TYPE] = "Volume Type",
    [OC_DATABASE_ENGINE] = "Database Engine",
    [OC_DEPLOYMENT_OPTION] = "Deployment Option",
    [OC_CACHE_ENGINE] = "Cache Engine",
    [OC_GROUP] = "Group",
    [OC_GROUP_DESCRIPTION] = "Group Description",
    [OC_CPU_ARCHITECTURE] = "CPU Architecture",
};

const char *offer_col_name(offer_col c)
{
    return c < OC_COUNT ? col_names[c] : "?";
}

struct offer_reader {
    offer_options o;
    csv_stream *csv;
    offer_meta meta;
    offer_stats stats;
    const offer_service *svc;
    int idx[OC_COUNT]; /* field index of each column, -1 when absent */
    size_t preamble;
    size_t early_after; /* fields needed by the service's early_reject, 0 = none */
    bool failed;
};

static void fail(offer_reader *r, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(offer_reader *r, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->o.diags, DIAG_ERROR, r->o.origin, (uint32_t)line, line ? 1 : 0, fmt, ap);
    va_end(ap);
    r->failed = true;
}

static void copy_field(char *dst, size_t dsz, const char *src)
{
    snprintf(dst, dsz, "%s", src);
}

/* One of the lines before the header: "Key","Value". */
static int on_preamble(offer_reader *r, const csv_record *rec)
{
    if (++r->preamble > MAX_PREAMBLE_RECORDS || rec->nfields > 2) {
        char shown[64];
        snprintf(shown, sizeof shown, "%s", rec->nfields ? rec->fields[0] : "");
        fail(r, rec->line,
             "not an AWS offer-file CSV: expected metadata lines (\"FormatVersion\", "
             "\"OfferCode\" ...) and then a header row starting with \"SKU\", found a "
             "%zu-field row starting with \"%s\"",
             rec->nfields, shown);
        return 1;
    }
    const char *key = rec->fields[0], *value = rec->nfields > 1 ? rec->fields[1] : "";
    if (strcmp(key, "FormatVersion") == 0)
        copy_field(r->meta.format_version, sizeof r->meta.format_version, value);
    else if (strcmp(key, "Publication Date") == 0)
        copy_field(r->meta.publication_date, sizeof r->meta.publication_date, value);
    else if (strcmp(key, "Version") == 0)
        copy_field(r->meta.version, sizeof r->meta.version, value);
    else if (strcmp(key, "OfferCode") == 0)
        copy_field(r->meta.offer_code, sizeof r->meta.offer_code, value);
    return 0;
}

/* An empty list allows anything; else s must be in it. */
static bool allowed_by(const char *const *list, size_t n, const char *s)
{
    if (n == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void list_services(strbuf *sb)
{
    for (size_t i = 0; i < offer_service_count(); i++)
        sb_addf(sb, "%s%s", i ? ", " : "", offer_service_at(i)->code);
}

/* Decides from the first columns of a row whether to read the rest: not
 * on-demand (most rows), or surely rejected by the service's filter. */
static int prefilter(void *ud, const csv_record *partial)
{
    const offer_reader *r = ud;
    if (strcmp(partial->fields[r->idx[OC_TERM_TYPE]], "OnDemand") != 0)
        return -1;
    if (!r->early_after)
        return 0;
    if (partial->nfields < r->early_after)
        return (int)r->early_after;
    const char *v[OC_COUNT];
    for (int c = 0; c < OC_COUNT; c++)
        v[c] = r->idx[c] >= 0 && (size_t)r->idx[c] < partial->nfields ? partial->fields[r->idx[c]]
                                                                       : "";
    return r->svc->early_reject(v) ? -1 : 0;
}

static int on_header(offer_reader *r, const csv_record *rec)
{
    const char *code = r->meta.offer_code;
    if (!*code) {
        if (r->o.nservices != 1) {
            fail(r, rec->line,
                 "the file has no \"OfferCode\" metadata line, so its service is unknown; "
                 "name it with exactly one --service");
            return 1;
        }
        copy_field(r->meta.offer_code, sizeof r->meta.offer_code, r->o.services[0]);
    }
    if (!allowed_by(r->o.services, r->o.nservices, code)) {
        strbuf sb;
        sb_init(&sb);
        for (size_t i = 0; i < r->o.nservices; i++)
            sb_addf(&sb, "%s%s", i ? ", " : "", r->o.services[i]);
        fail(r, rec->line, "this is an %s offer file, but --service asked for %s", code, sb.buf);
        sb_free(&sb);
        return 1;
    }
    r->svc = offer_service_find(code);
    if (!r->svc) {
        strbuf sb;
        sb_init(&sb);
        list_services(&sb);
        fail(r, rec->line,
             "%s offer files are not supported (their prices come only from the built-in "
             "catalog); supported: %s",
             code, sb.buf);
        sb_free(&sb);
        return 1;
    }
    for (int c = 0; c < OC_COUNT; c++) {
        r->idx[c] = -1;
        for (size_t j = 0; j < rec->nfields && r->idx[c] < 0; j++)
            if (strcmp(rec->fields[j], col_names[c]) == 0)
                r->idx[c] = (int)j;
        for (size_t j = 0; j < rec->nfields && r->idx[c] < 0; j++)
            if (strcasecmp(rec->fields[j], col_names[c]) == 0)
                r->idx[c] = (int)j;
    }
    strbuf missing;
    sb_init(&missing);
    size_t nmissing = 0;
    for (size_t i = 0; i < offer_common_column_count + r->svc->nrequired; i++) {
        offer_col c = i < offer_common_column_count ? offer_common_columns[i]
                                                    : r->svc->required[i - offer_common_column_count];
        if (r->idx[c] < 0) {
            sb_addf(&missing, "%s\"%s\"", nmissing ? ", " : "", col_names[c]);
            nmissing++;
        }
    }
    if (nmissing) {
        fail(r, rec->line,
             "unexpected columns: the header has no %s column%s, which %s offer files have "
             "(%zu columns found; is this an %s offer CSV?)",
             missing.buf, nmissing > 1 ? "s" : "", code, rec->nfields, code);
        sb_free(&missing);
        return 1;
    }
    sb_free(&missing);
    r->meta.header_line = rec->line;
    r->meta.ncolumns = rec->nfields;
    /* most rows (Reserved terms) are rejected on TermType: skip them
     * without copying their other fields */
    r->early_after = 0;
    for (size_t i = 0; r->svc->early_reject && i < r->svc->nearly; i++) {
        int at = r->idx[r->svc->early_cols[i]];
        if (at < 0) { /* not a required column: no early decision */
            r->early_after = 0;
            break;
        }
        if ((size_t)at + 1 > r->early_after)
            r->early_after = (size_t)at + 1;
    }
    csv_stream_set_prefilter(r->csv, prefilter, (size_t)r->idx[OC_TERM_TYPE] + 1);
    return 0;
}

static bool mentions_free_tier(const char *s)
{
    for (; *s; s++)
        if ((*s == 'f' || *s == 'F') && strncasecmp(s, "free tier", 9) == 0)
            return true;
    return false;
}

/* A range bound: "" -> 0 (start) or none (end); "Inf" -> none. */
static bool parse_bound(const char *s, double *out, bool *present)
{
    if (!*s || strcmp(s, "Inf") == 0) {
        *present = false;
        *out = 0;
        return true;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || v < 0 || !isfinite(v))
        return false;
    *out = v;
    *present = true;
    return true;
}

static int on_data(offer_reader *r, const csv_record *rec)
{
    r->stats.data_rows++;
    if (rec->nfields != r->meta.ncolumns) {
        fail(r, rec->line,
             "%zu fields, but the header on line %llu has %zu (truncated or malformed row)",
             rec->nfields, (unsigned long long)r->meta.header_line, r->meta.ncolumns);
        return 1;
    }
    /* cheapest rejections first: most rows of an EC2 file are Reserved (the
     * prefilter skipped those) */
    if (rec->skipped || strcmp(rec->fields[r->idx[OC_TERM_TYPE]], "OnDemand") != 0)
        return 0;
    const char *region = rec->fields[r->idx[OC_REGION_CODE]];
    if (!*region || !allowed_by(r->o.regions, r->o.nregions, region))
        return 0;
    if (strcmp(rec->fields[r->idx[OC_CURRENCY]], "USD") != 0)
        return 0;

    const char *v[OC_COUNT];
    for (int c = 0; c < OC_COUNT; c++)
        v[c] = r->idx[c] >= 0 ? rec->fields[r->idx[c]] : "";
    offer_match m;
    offer_match_clear(&m);
    if (!r->svc->classify(v, &m))
        return 0;
    if (mentions_free_tier(v[OC_PRICE_DESCRIPTION]))
        return 0;

    unit_norm unit = units_normalize(v[OC_UNIT]);
    char usd_text[64];
    double usd;
    if (!units_scale_price(v[OC_PRICE_PER_UNIT], &unit, usd_text, sizeof usd_text, &usd)) {
        fail(r, rec->line, "PricePerUnit \"%s\" of SKU %s is not a decimal number",
             v[OC_PRICE_PER_UNIT], v[OC_SKU]);
        return 1;
    }
    double begin, end;
    bool has_begin, has_end;
    if (!parse_bound(v[OC_STARTING_RANGE], &begin, &has_begin) ||
        !parse_bound(v[OC_ENDING_RANGE], &end, &has_end) || (has_end && end < begin)) {
        fail(r, rec->line, "bad price range \"%s\"..\"%s\" for SKU %s", v[OC_STARTING_RANGE],
             v[OC_ENDING_RANGE], v[OC_SKU]);
        return 1;
    }
    /* $0 placeholders (capacity reservations...) are not prices; a $0 tier
     * of a tiered price is kept so the tiers stay complete. */
    if (usd == 0 && begin == 0 && !has_end)
        return 0;
    double factor = units_quantity_factor(&unit);
    price_row row = {
        .service = r->meta.offer_code,
        .region = region,
        .resource = m.resource,
        .component = m.component,
        .os = m.os,
        .tenancy = m.tenancy,
        .arch = m.arch,
        .term = "OnDemand",
        .engine = m.engine,
        .deployment = m.deployment,
        .variant = m.variant,
        .unit = unit.unit,
        .usd = usd,
        .usd_text = usd_text,
        .begin_range = begin * factor,
        .end_range = has_end ? end * factor : 0,
        .has_end = has_end,
        .effective_date = v[OC_EFFECTIVE_DATE],
        .description = v[OC_PRICE_DESCRIPTION],
        .sku = v[OC_SKU],
        .citation = r->o.citation ? r->o.citation : "",
    };
    if (r->o.on_row(r->o.ud, &row, rec->line) != 0) {
        r->failed = true;
        return 1;
    }
    r->stats.kept_rows++;
    return 0;
}

static int on_record(void *ud, const csv_record *rec)
{
    offer_reader *r = ud;
    if (r->meta.header_line)
        return on_data(r, rec);
    if (rec->nfields > 0 && strcmp(rec->fields[0], "SKU") == 0)
        return on_header(r, rec);
    return on_preamble(r, rec);
}

offer_reader *offer_reader_new(const offer_options *o)
{
    offer_reader *r = xcalloc(1, sizeof *r);
    r->o = *o;
    r->csv = csv_stream_new(on_record, r, 0, 0);
    return r;
}

void offer_reader_free(offer_reader *r)
{
    if (!r)
        return;
    csv_stream_free(r->csv);
    free(r);
}

static bool check(offer_reader *r, csv_status st)
{
    if (st == CSV_ERROR && !r->failed)
        fail(r, csv_error_line(r->csv), "malformed CSV: %s", csv_error_message(r->csv));
    r->stats.bytes = csv_bytes(r->csv);
    return !r->failed && st == CSV_OK;
}

bool offer_reader_feed(offer_reader *r, const char *data, size_t len)
{
    if (r->failed)
        return false;
    return check(r, csv_feed(r->csv, data, len));
}

bool offer_reader_finish(offer_reader *r)
{
    if (r->failed)
        return false;
    if (!check(r, csv_finish(r->csv)))
        return false;
    if (!r->meta.header_line) {
        if (r->stats.bytes == 0)
            fail(r, 0, "empty input: no offer-file CSV received");
        else
            fail(r, 0,
                 "not an AWS offer-file CSV, or truncated: no header row starting with "
                 "\"SKU\" (the input ends after %zu metadata line(s))",
                 r->preamble);
        return false;
    }
    return true;
}

const offer_meta *offer_reader_meta(const offer_reader *r)
{
    return &r->meta;
}

const offer_stats *offer_reader_stats(const offer_reader *r)
{
    return &r->stats;
}
