/* offer_csv.h - streaming reader for an AWS Price List bulk offer file in
 * its CSV form (../shared/pricing/FORMAT.md section 2): metadata lines
 * ("FormatVersion", "Publication Date", "Version", "OfferCode" ...), then
 * the header row (the first row whose first cell is "SKU"), then one row
 * per price dimension.
 *
 * Bytes are pushed in as they arrive (offer_reader_feed), so a file of any
 * size is read with bounded memory; each row that the service's filter
 * keeps (offer_filter.h: on-demand, Linux/Shared/Used/no software for EC2,
 * the equivalents for other services) is handed to the callback as a
 * normalised price_row.
 *
 * Columns are mapped by name, never by position (AWS adds columns); a
 * header that lacks a column the service's filter needs, a row whose field
 * count differs from the header's, an unterminated quote, a price that is
 * not a number, or a file that ends before its header are errors with the
 * origin (file or URL) and the CSV line. */
#ifndef SA_PRICING_OFFER_CSV_H
#define SA_PRICING_OFFER_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "pricing/price_row.h"

/* Columns the filters read (header names in offer_csv.c). */
typedef enum offer_col {
    OC_SKU,
    OC_TERM_TYPE,
    OC_PRICE_DESCRIPTION,
    OC_EFFECTIVE_DATE,
    OC_STARTING_RANGE,
    OC_ENDING_RANGE,
    OC_UNIT,
    OC_PRICE_PER_UNIT,
    OC_CURRENCY,
    OC_PRODUCT_FAMILY,
    OC_LOCATION,
    OC_LOCATION_TYPE,
    OC_USAGE_TYPE,
    OC_OPERATION,
    OC_REGION_CODE,
    OC_INSTANCE_TYPE,
    OC_TENANCY,
    OC_OPERATING_SYSTEM,
    OC_PRE_INSTALLED_SW,
    OC_CAPACITY_STATUS,
    OC_LICENSE_MODEL,
    OC_MARKET_OPTION,
    OC_VOLUME_API_NAME,
    OC_VOLUME_TYPE,
    OC_DATABASE_ENGINE,
    OC_DEPLOYMENT_OPTION,
    OC_CACHE_ENGINE,
    OC_GROUP,
    OC_GROUP_DESCRIPTION,
    OC_CPU_ARCHITECTURE,
    OC_COUNT
} offer_col;

/* The header spelling of a column ("Instance Type"). */
const char *offer_col_name(offer_col c);

typedef struct offer_meta {
    char format_version[32];
    char publication_date[64];
    char version[64];
    char offer_code[64];
    uint64_t header_line; /* 0 until the header was read */
    size_t ncolumns;
} offer_meta;

typedef struct offer_stats {
    uint64_t bytes;     /* bytes fed */
    uint64_t data_rows; /* rows after the header */
    uint64_t kept_rows; /* rows the filter kept */
} offer_stats;

typedef int (*offer_row_fn)(void *ud, const price_row *row, uint64_t line);

typedef struct offer_options {
    const char *origin;             /* file path or URL, for diagnostics */
    const char *const *services;    /* accepted offer codes; none = any supported */
    size_t nservices;
    const char *const *regions;     /* region codes to keep; none = all */
    size_t nregions;
    offer_row_fn on_row;            /* non-zero return stops with an error */
    void *ud;
    diag_list *diags;
    const char *citation;           /* stored with each row; may be NULL */
} offer_options;

typedef struct offer_reader offer_reader;

offer_reader *offer_reader_new(const offer_options *o);
void offer_reader_free(offer_reader *r);
/* false: the input was rejected (a diagnostic was added); stop feeding. */
bool offer_reader_feed(offer_reader *r, const char *data, size_t len);
bool offer_reader_finish(offer_reader *r);
const offer_meta *offer_reader_meta(const offer_reader *r);
const offer_stats *offer_reader_stats(const offer_reader *r);

#endif
