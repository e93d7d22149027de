/* units.h - price units: the spellings found in aws_prices.csv and in AWS
 * offer files mapped onto one vocabulary, and exact decimal rescaling of a
 * price when the unit changes ("3.50 per 1M requests" -> "0.0000035 per
 * Requests").
 *
 * Guarantees: prices are handled as decimal text, so a power-of-ten rescale
 * is exact; a unit that is not in the table is kept verbatim (never guessed). */
#ifndef SA_PRICING_UNITS_H
#define SA_PRICING_UNITS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct unit_norm {
    const char *unit; /* canonical spelling ("Hrs", "GB-Mo", "Requests" ...) */
    int pow10;        /* the raw price is per 10^pow10 canonical units */
    bool per_1024;    /* the raw price is per 1024 canonical units (GiBps -> MiBps) */
    bool known;       /* false: unit is the raw text, unchanged */
} unit_norm;

/* Maps a raw unit onto the canonical one; an unknown unit is returned as is
 * with known = false. The result's unit points to static storage or to raw. */
unit_norm units_normalize(const char *raw);

/* Parses a non-negative decimal ("0.0960000000", "3.50", "294") and writes
 * its value per canonical unit as trimmed decimal text into out (e.g.
 * "0.096", "0.0000035"), and as a double into *usd. Returns false when text
 * is not a plain decimal number or out is too small. */
bool units_scale_price(const char *text, const unit_norm *u, char *out, size_t outsz,
                       double *usd);

/* Multiplier that turns a quantity in raw units into canonical units
 * (10^pow10, or 1024): applied to tier ranges. */
double units_quantity_factor(const unit_norm *u);

#endif
