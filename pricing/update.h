/* update.h - `stackaudit pricing update`: refresh the catalog from AWS
 * offer files (URLs or local files), atomically.
 *
 * How: the current catalog's rows are copied into a new file next to it
 * (PATH.new-PID-N), every source is streamed through the offer-file reader
 * into that file inside one transaction, the rows a source supersedes are
 * dropped, sanity checks run, and only then is the new file renamed over
 * the old one. Any failure - network, HTTP status, a cut-off transfer, a
 * malformed or truncated CSV, unexpected columns, no usable rows, a
 * read-only or full directory - leaves the old catalog byte-for-byte as it
 * was, and it stays in use.
 *
 * What is replaced: a source delivers prices for (service, region) pairs;
 * rows of those pairs that came from an earlier offer file are dropped. A
 * built-in price of such a pair is dropped too when the new rows have the
 * same resource and component; built-in prices the offer file does not
 * provide (or whose rows stackaudit does not map) are kept, with their
 * built-in source, so an update never loses coverage.
 *
 * Sanity checks: each source keeps at least one row; a source for a known
 * (service, region) delivers that pair; with --region every asked region
 * is delivered; the new catalog is not empty.
 *
 * Retries: a transient failure (connection refused or reset, timeout,
 * transfer cut off, HTTP 408/429/5xx) is retried with exponential backoff
 * (retry_base_ms, doubled each time, plus up to 25% jitter); the partial
 * rows of the failed attempt are rolled back first. The first source that
 * fails for good ends the update (nothing more is downloaded). */
#ifndef SA_PRICING_UPDATE_H
#define SA_PRICING_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"
#include "pricing/download.h"

#define PRICING_DEFAULT_ENDPOINT "https://pricing.us-east-1.amazonaws.com"

typedef enum pricing_source_kind { PRICING_SOURCE_URL, PRICING_SOURCE_FILE } pricing_source_kind;

typedef struct pricing_source {
    pricing_source_kind kind;
    const char *location; /* URL or file path */
    const char *service;  /* expected offer code, or NULL (taken from the file) */
    const char *region;   /* expected region, or NULL */
} pricing_source;

typedef struct pricing_update_options {
    const char *db_path;            /* NULL: pricing_default_db_path() */
    const char *const *regions;     /* keep only these regions (all when none) */
    size_t nregions;
    const char *const *services;    /* accept only these offers (any when none) */
    size_t nservices;
    const pricing_source *sources;
    size_t nsources;
    download_options download;      /* timeouts, size cap, progress */
    int retries;                    /* extra attempts after a transient failure */
    unsigned retry_base_ms;         /* first backoff delay */
    FILE *log;                      /* progress lines, or NULL */
} pricing_update_options;

typedef struct pricing_update_result {
    bool replaced;          /* the catalog file was replaced */
    size_t sources_read;    /* sources whose rows were ingested */
    size_t sources_unchanged; /* 304 Not Modified */
    uint64_t rows_added;    /* rows from the sources */
    uint64_t rows_total;    /* rows in the new catalog */
} pricing_update_result;

/* The URL of the current regional offer CSV of service in region. */
char *pricing_offer_url(const char *endpoint, const char *service, const char *region);

/* Runs the update. Returns false (with DIAG_ERRORs naming the URL or file,
 * and the CSV line where relevant) when the catalog was left unchanged
 * because something failed; true when it was replaced or every source was
 * unchanged (304). */
bool pricing_update(const pricing_update_options *o, pricing_update_result *res,
                    diag_list *diags);

#endif
