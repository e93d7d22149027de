/* offer_filter.h - which rows of an AWS offer file the catalog keeps, and
 * under which catalog key (resource, component, attributes), per service.
 *
 * The rules follow ../shared/pricing/FORMAT.md sections 4 and 5: for EC2
 * the Linux, shared-tenancy, no-pre-installed-software, used-capacity
 * on-demand instance-hour (Karpenter's and instance-selector's filter), and
 * EBS, NAT gateway and idle Elastic IP lines; for the other services the
 * product family and usage-type suffix (never the region prefix) that
 * identify the line. Term type, currency and zero prices are checked by the
 * caller (offer_csv.c) for every service.
 *
 * Guarantees: a row is kept only when every attribute that selects its
 * price matched; anything else is skipped, never approximated. */
#ifndef SA_PRICING_OFFER_FILTER_H
#define SA_PRICING_OFFER_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "pricing/offer_csv.h"

typedef struct offer_match {
    const char *resource, *component, *os, *tenancy, *arch, *engine, *deployment, *variant;
    char buf[96]; /* storage for a composed resource name ("ebs-gp3") */
} offer_match;

typedef struct offer_service {
    const char *code;          /* offer code, "AmazonEC2" */
    const char *covers;        /* what the filter keeps, for docs and messages */
    const offer_col *required; /* columns beyond the common ones */
    size_t nrequired;
    /* v[c] is the row's value of column c ("" when absent). */
    bool (*classify)(const char *const *v, offer_match *m);
    /* Optional, for speed: true when classify would surely reject a row,
     * judging from early_cols only (the reader asks before it copies the
     * rest of the row). */
    bool (*early_reject)(const char *const *v);
    const offer_col *early_cols;
    size_t nearly;
} offer_service;

/* Columns every service's filter needs. */
extern const offer_col offer_common_columns[];
extern const size_t offer_common_column_count;

/* The service, or NULL when its offer rows are not mapped (its prices then
 * come only from the built-in catalog). */
const offer_service *offer_service_find(const char *code);
size_t offer_service_count(void);
const offer_service *offer_service_at(size_t i);

/* Sets every field of m to "" (call before classify). */
void offer_match_clear(offer_match *m);

/* "BoxUsage:m5.large" for "USE2-BoxUsage:m5.large": drops a region prefix
 * of 2 to 5 capitals/digits and a dash. */
const char *offer_usage_type_base(const char *usage_type);

#endif
