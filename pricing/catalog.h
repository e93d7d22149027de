/* catalog.h - the local AWS price catalog (an SQLite file) and the lookup
 * API the cost estimator calls.
 *
 * Where it lives: $XDG_CACHE_HOME/stackaudit/pricing.db, falling back to
 * ~/.cache/stackaudit/pricing.db, or any path the caller gives
 * (--pricing-db). On first use the file is created from the price list
 * built into the binary (pricing/data/aws_prices.csv), so lookups work on a
 * fresh machine without network; `stackaudit pricing update` refreshes it
 * from the official AWS price-list files (update.h).
 *
 * What a price is: USD per unit for one (service, region, resource,
 * component) and the attributes that select it; see docs/pricing.md for
 * the resource and component names of every service, e.g.
 *
 *   AmazonEC2  us-east-1  m5.large     instance-hour  os=Linux tenancy=Shared  Hrs
 *   AmazonEC2  us-east-1  ebs-gp3      storage                                 GB-Mo
 *   AmazonRDS  eu-west-1  db.t3.micro  instance-hour  engine=PostgreSQL
 *                                                     deployment=Multi-AZ      Hrs
 *   AWSLambda  us-east-1  lambda-arm   duration       arch=arm64 (tiered)      GB-Seconds
 *
 * Guarantees:
 *  - never a guess: a lookup either finds exactly one price (one attribute
 *    combination; several tiers of it are fine) or answers "unpriced" with
 *    a reason a user can act on (unknown region, unknown resource, which
 *    attribute is missing to choose between several prices...);
 *  - every price carries its source (the citation of the built-in row, or
 *    the AWS offer file, its version and the SKU);
 *  - lookups use the index on (service, region, resource, component): the
 *    first lookup in a (service, region) reads that index range once, later
 *    ones are answered from memory; 10,000 lookups take about 10 ms, and
 *    well under 100 ms even when every one asks for a different resource
 *    (bench/pricing_bench.sh);
 *  - a corrupted cache file (PRAGMA quick_check on open) is set aside as
 *    PATH.corrupt and rebuilt from the built-in default, with a warning;
 *  - nothing here exits the process; errors are diagnostics.
 *
 * A pricing_catalog is not thread-safe: open one per thread (opening is
 * cheap once the file exists). */
#ifndef SA_PRICING_CATALOG_H
#define SA_PRICING_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "pricing/price_row.h"

typedef struct pricing_catalog pricing_catalog;

/* The default catalog path (malloc'ed), or NULL with an error when neither
 * XDG_CACHE_HOME (absolute) nor HOME is usable. */
char *pricing_default_db_path(diag_list *diags);

/* Opens the catalog at path (NULL: the default path).
 *   - missing: created from the built-in default (parent directories too);
 *   - corrupted: moved to PATH.corrupt and rebuilt from the built-in
 *     default; a DIAG_WARNING tells the user;
 *   - older schema: migrated in place (PRAGMA user_version);
 *   - cannot be created, rebuilt or migrated (read-only or full cache
 *     directory): the built-in default is used from memory, with a
 *     DIAG_WARNING naming the reason;
 *   - newer schema, or an SQLite file that is not a catalog: NULL with a
 *     DIAG_ERROR (the file is left alone).
 * Returns NULL only with a DIAG_ERROR. */
pricing_catalog *pricing_catalog_open(const char *path, diag_list *diags);
void pricing_catalog_close(pricing_catalog *cat);

/* The file the catalog was read from ("" when the built-in default is used
 * from memory). */
const char *pricing_catalog_path(const pricing_catalog *cat);
bool pricing_catalog_in_memory(const pricing_catalog *cat);

/* What to price. service, region and resource are required; every other
 * field may be NULL, meaning "any value" - the lookup then succeeds only if
 * a single attribute combination matches. term defaults to any (the
 * catalog keeps OnDemand only). */
typedef struct pricing_query {
    const char *service;   /* "AmazonEC2" */
    const char *region;    /* "us-east-1", or "global" */
    const char *resource;  /* "m5.large", "ebs-gp3", "alb" ... */
    const char *component; /* "instance-hour", "storage" ... */
    const char *os;
    const char *tenancy;
    const char *arch;
    const char *term;
    const char *engine;
    const char *deployment;
    const char *variant;
} pricing_query;

/* The answer. Strings stay valid until the catalog is closed. */
typedef struct pricing_price {
    bool priced;
    double usd_per_unit;   /* of the first tier when tiered */
    const char *usd_text;  /* exact decimal text of usd_per_unit */
    const char *unit;      /* "Hrs", "GB-Mo", "Requests", "GB-Seconds" ... */
    const char *source;    /* where the price comes from */
    const char *effective_date; /* "" when unknown */
    const char *sku;            /* "" for built-in prices */
    const char *component;      /* the matched row's attributes */
    const char *os, *tenancy, *arch, *term, *engine, *deployment, *variant;
    double begin_range;  /* the tier this price applies from (units) */
    double end_range;    /* and up to, when has_end */
    bool has_end;
    size_t tiers;        /* 1, or the number of tiers (pricing_lookup_tiers) */
    char reason[512];    /* when !priced: why, and what to do about it */
} pricing_price;

/* Looks a price up. Returns out->priced; never fails otherwise (an SQLite
 * error becomes an unpriced answer whose reason says so). */
bool pricing_lookup(pricing_catalog *cat, const pricing_query *q, pricing_price *out);

/* All tiers of the price pricing_lookup would return, lowest range first:
 * writes up to max of them to out and returns the number of tiers (0 when
 * unpriced; out[0].reason then says why if max >= 1). */
size_t pricing_lookup_tiers(pricing_catalog *cat, const pricing_query *q, pricing_price *out,
                            size_t max);

/* --- listing (pricing show / export) ------------------------------------ */

typedef struct pricing_filter {
    const char *service, *region, *resource, *component; /* NULL = any */
} pricing_filter;

/* A stored price: the row (row.citation replaced by the full source). */
typedef int (*pricing_each_fn)(void *ud, const price_row *row, const char *source);

/* Calls fn for every matching price, ordered by service, region,
 * resource, component, attributes, tier. A non-zero return stops. */
bool pricing_catalog_each(pricing_catalog *cat, const pricing_filter *f, pricing_each_fn fn,
                          void *ud, diag_list *diags);

/* --- status ------------------------------------------------------------- */

typedef struct pricing_source_info {
    char *kind;     /* "builtin", "file", "url", "migrated" */
    char *location; /* path or URL */
    char *offer_code, *offer_version, *publication_date, *etag, *last_modified;
    int64_t fetched_at; /* unix time the rows were read */
    int64_t rows;
} pricing_source_info;

typedef struct pricing_count {
    char *service, *region;
    int64_t rows;
} pricing_count;

typedef struct pricing_status {
    int schema_version;
    int64_t created_at, updated_at; /* unix time, 0 when unknown */
    int64_t total_rows;
    pricing_source_info *sources;
    size_t nsources;
    pricing_count *counts; /* per service and region, sorted */
    size_t ncounts;
} pricing_status;

bool pricing_catalog_status(pricing_catalog *cat, pricing_status *st, diag_list *diags);
void pricing_status_free(pricing_status *st);

#endif
