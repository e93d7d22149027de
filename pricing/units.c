/* units.c - unit vocabulary and exact decimal rescaling; see units.h. */
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct unit_alias {
    const char *raw;
    const char *unit;
    int pow10;
    bool per_1024;
} unit_alias;

/* Raw spellings, compared case-insensitively. Left: what aws_prices.csv or
 * an offer file writes; right: the catalog's unit. */
static const unit_alias aliases[] = {
    {"Hrs", "Hrs", 0, false},
    {"Hours", "Hrs", 0, false},
    {"Hour", "Hrs", 0, false},
    {"GB-Mo", "GB-Mo", 0, false},
    {"GB-Month", "GB-Mo", 0, false},
    {"GB-Seconds", "GB-Seconds", 0, false},
    {"GB-Second", "GB-Seconds", 0, false},
    {"Lambda-GB-Second", "GB-Seconds", 0, false},
    {"Lambda-GB-Seconds", "GB-Seconds", 0, false},
    {"Requests", "Requests", 0, false},
    {"Request", "Requests", 0, false},
    {"IOs", "Requests", 0, false},
    {"1k requests", "Requests", 3, false},
    {"10k requests", "Requests", 4, false},
    {"1M requests", "Requests", 6, false},
    {"IOPS-Mo", "IOPS-Mo", 0, false},
    {"MiBps-Mo", "MiBps-Mo", 0, false},
    {"MBps-Mo", "MiBps-Mo", 0, false}, /* aws_prices.csv: infracost's label for MiB/s */
    {"GiBps-Mo", "MiBps-Mo", 0, true},
    {"GB", "GB", 0, false},
    {"LCU-Hrs", "LCU-Hrs", 0, false},
    {"GB-Hours", "GB-Hours", 0, false},
    {"GB-Hrs", "GB-Hours", 0, false},
    {"vCPU-Hours", "vCPU-Hours", 0, false},
    {"vCPU-Hrs", "vCPU-Hours", 0, false},
    {"Mo", "Mo", 0, false},
    {"month", "Mo", 0, false},
    {"Months", "Mo", 0, false},
    {"WRU", "WriteRequestUnits", 0, false},
    {"WriteRequestUnits", "WriteRequestUnits", 0, false},
    {"RRU", "ReadRequestUnits", 0, false},
    {"ReadRequestUnits", "ReadRequestUnits", 0, false},
    {"WCU-Hrs", "WCU-Hrs", 0, false},
    {"WriteCapacityUnit-Hrs", "WCU-Hrs", 0, false},
    {"RCU-Hrs", "RCU-Hrs", 0, false},
    {"ReadCapacityUnit-Hrs", "RCU-Hrs", 0, false},
};

unit_norm units_normalize(const char *raw)
{
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcasecmp(aliases[i].raw, raw) == 0)
            return (unit_norm){aliases[i].unit, aliases[i].pow10, aliases[i].per_1024, true};
    return (unit_norm){raw, 0, false, false};
}

double units_quantity_factor(const unit_norm *u)
{
    if (u->per_1024)
        return 1024.0;
    return pow(10.0, u->pow10);
}

/* Writes the digits with the decimal point placed so that the value has
 * `point` digits before it (point may be <= 0 or > ndigits), trimmed. */
static bool write_decimal(const char *digits, size_t nd, long point, char *out, size_t outsz)
{
    char tmp[160];
    size_t n = 0;
    if (nd + (size_t)labs(point) + 4 > sizeof tmp)
        return false;
    if (point <= 0) {
        tmp[n++] = '0';
        tmp[n++] = '.';
        for (long i = 0; i < -point; i++)
            tmp[n++] = '0';
        memcpy(tmp + n, digits, nd);
        n += nd;
    } else {
        for (long i = 0; i < point; i++)
            tmp[n++] = (size_t)i < nd ? digits[i] : '0';
        if ((size_t)point < nd) {
            tmp[n++] = '.';
            memcpy(tmp + n, digits + point, nd - (size_t)point);
            n += nd - (size_t)point;
        }
    }
    tmp[n] = '\0';
    /* trim: leading zeros of the integer part, trailing zeros of the fraction */
    char *s = tmp;
    while (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
        s++;
    if (strchr(s, '.')) {
        size_t len = strlen(s);
        while (len > 0 && s[len - 1] == '0')
            s[--len] = '\0';
        if (len > 0 && s[len - 1] == '.')
            s[--len] = '\0';
    }
    if (strlen(s) + 1 > outsz)
        return false;
    strcpy(out, s);
    return true;
}

bool units_scale_price(const char *text, const unit_norm *u, char *out, size_t outsz,
                       double *usd)
{
    char digits[128];
    size_t nd = 0;
    long point = -1;
    const char *p = text;
    if (!*p)
        return false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd + 1 >= sizeof digits)
                return false;
            digits[nd++] = *p;
        } else if (*p == '.' && point < 0) {
            point = (long)nd;
        } else {
            return false;
        }
    }
    if (nd == 0)
        return false;
    if (point < 0)
        point = (long)nd;
    digits[nd] = '\0';
    if (u->per_1024) {
        double v = strtod(text, NULL) / 1024.0;
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.12g", v);
        if (strchr(tmp, 'e')) /* tiny values: write them out in full */
            snprintf(tmp, sizeof tmp, "%.20f", v);
        /* reuse the trimming of write_decimal on the plain text */
        unit_norm plain = {u->unit, 0, false, true};
        *usd = v;
        return strchr(tmp, 'e') == NULL && units_scale_price(tmp, &plain, out, outsz, &(double){0});
    }
    if (!write_decimal(digits, nd, point - u->pow10, out, outsz))
        return false;
    *usd = strtod(out, NULL);
    return true;
}
