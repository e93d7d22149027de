/* default_catalog.h - the built-in price list: pricing/data/aws_prices.csv
 * (copied from ../shared/pricing, every row citing where its number was
 * read) is embedded in the binary at build time (tools/embed.py) and turned
 * into catalog rows here, so prices work offline on a fresh machine.
 *
 * Each row's free-text `attribute` is mapped onto the catalog vocabulary
 * (component, engine, deployment, tier range...) by an explicit table, and
 * its unit normalised (units.h). A row the table does not know is an error,
 * never skipped silently: tests/unit/test_pricing_default.c checks that all
 * embedded rows map. */
#ifndef SA_PRICING_DEFAULT_CATALOG_H
#define SA_PRICING_DEFAULT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "pricing/price_row.h"

#define DEFAULT_CATALOG_NAME "pricing/data/aws_prices.csv"

/* Called for each row; return 0 to continue, non-zero to stop (the parse
 * then fails; the callback reports its own error). */
typedef int (*price_row_fn)(void *ud, const price_row *row, uint64_t line);

/* The embedded CSV text (NUL-terminated), its length in *len. NULL if the
 * binary was built without it. */
const char *default_catalog_text(size_t *len);

/* Parses CSV text of the aws_prices.csv shape (header
 * service,region,resource,attribute,unit,usd_per_unit,source) and calls fn
 * for each row. Errors name origin and the CSV line. Returns true when
 * every row was mapped and accepted. *rows receives the row count. */
bool default_catalog_parse(const char *origin, const char *text, size_t len, price_row_fn fn,
                           void *ud, size_t *rows, diag_list *diags);

#endif
