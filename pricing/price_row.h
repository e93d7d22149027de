/* price_row.h - one normalised catalog price, as produced by the default
 * catalog builder (default_catalog.c) and the offer-file filter
 * (offer_filter.c), and stored by the catalog (catalog.c).
 *
 * Every text field is non-NULL ("" when it does not apply). The vocabulary
 * of resource, component and attribute values is documented in
 * docs/pricing.md; both producers use the same one, so a lookup gives the
 * same answer whether the price came from the built-in default or from an
 * AWS offer file. */
#ifndef SA_PRICING_PRICE_ROW_H
#define SA_PRICING_PRICE_ROW_H

#include <stdbool.h>

typedef struct price_row {
    const char *service;   /* AWS offer code: "AmazonEC2", "AWSLambda" ... */
    const char *region;    /* region code "us-east-1", or "global" */
    const char *resource;  /* "m5.large", "db.t3.micro", "ebs-gp3", "alb" ... */
    const char *component; /* what is charged: "instance-hour", "storage" ... */
    const char *os;        /* "Linux" for instance-hours; "" otherwise */
    const char *tenancy;   /* "Shared" for instance-hours; "" otherwise */
    const char *arch;      /* "x86_64" / "arm64" where the price depends on it */
    const char *term;      /* "OnDemand" (the only term the catalog keeps) */
    const char *engine;    /* "PostgreSQL", "Redis", "ActiveMQ" ... */
    const char *deployment; /* "Single-AZ", "Multi-AZ", "single-instance" ... */
    const char *variant;   /* anything else that selects a price */
    const char *unit;      /* normalised unit: "Hrs", "GB-Mo", "Requests" ... */
    double usd;            /* USD per unit */
    const char *usd_text;  /* the same price as exact decimal text */
    double begin_range;    /* tier start, in units (0 when not tiered) */
    double end_range;      /* tier end; has_end false = no upper bound */
    bool has_end;
    const char *effective_date; /* "2025-09-01", "" when unknown */
    const char *description;    /* PriceDescription, or the default's attribute */
    const char *sku;            /* offer-file SKU, "" for the default catalog */
    const char *citation;       /* where the number was read (default catalog) */
} price_row;

#endif
