/* tf_instance_types.c - does an AWS instance type exist? See tf_instance_types.h.
 *
 * The family table below lists EC2 instance families (current and previous
 * generation, as documented by AWS up to 2025); RDS and ElastiCache classes
 * use the same families behind their "db." / "cache." prefix. The embedded
 * price list is the authority for exact types it prices. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/embedded.h"
#include "rules/tf_instance_types.h"

static const char *const families[] = {
    /* general purpose */
    "a1", "m1", "m2", "m3", "m4", "m5", "m5a", "m5ad", "m5d", "m5dn", "m5n", "m5zn", "m6a", "m6g",
    "m6gd", "m6i", "m6id", "m6idn", "m6in", "m7a", "m7g", "m7gd", "m7i", "m7i-flex", "m8a", "m8g",
    "m8gd", "m8i", "m8i-flex", "t1", "t2", "t3", "t3a", "t4g", "mac1", "mac2", "mac2-m1ultra",
    "mac2-m2", "mac2-m2pro", "mac-m4", "mac-m4pro",
    /* compute optimized */
    "c1", "c3", "c4", "c5", "c5a", "c5ad", "c5d", "c5n", "c6a", "c6g", "c6gd", "c6gn", "c6i",
    "c6id", "c6in", "c7a", "c7g", "c7gd", "c7gn", "c7i", "c7i-flex", "c8g", "c8gd", "c8gn", "c8i",
    "c8i-flex", "cc1", "cc2", "cg1",
    /* memory optimized */
    "cr1", "r3", "r4", "r5", "r5a", "r5ad", "r5b", "r5d", "r5dn", "r5n", "r6a", "r6g", "r6gd",
    "r6i", "r6id", "r6idn", "r6in", "r7a", "r7g", "r7gd", "r7i", "r7iz", "r8g", "r8gd", "r8i",
    "r8i-flex", "x1", "x1e", "x2g", "x2gd", "x2idn", "x2iedn", "x2iezn", "x8g", "z1d",
    /* storage optimized */
    "d2", "d3", "d3en", "h1", "hi1", "hs1", "i2", "i3", "i3en", "i4g", "i4i", "i7i", "i7ie", "i8g",
    "i8ge", "im4gn", "is4gen",
    /* accelerated computing */
    "dl1", "dl2q", "f1", "f2", "g2", "g3", "g3s", "g4ad", "g4dn", "g5", "g5g", "g6", "g6e", "g6f",
    "g7e", "gr6", "gr6f", "inf1", "inf2", "p2", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en",
    "p6-b200", "p6-b300", "p6e-gb200", "trn1", "trn1n", "trn2", "trn2u", "vt1",
    /* high performance computing */
    "hpc6a", "hpc6id", "hpc7a", "hpc7g", "hpc8a",
};
#define NFAMILIES (sizeof families / sizeof *families)

/* Sizes offered as suggestions, in a sensible order of preference. */
static const char *const common_sizes[] = {"large",    "xlarge",   "2xlarge",  "4xlarge",
                                           "medium",   "small",    "micro",    "nano",
                                           "8xlarge",  "12xlarge", "16xlarge", "24xlarge",
                                           "metal",    "3xlarge",  "6xlarge",  "9xlarge",
                                           "18xlarge", "32xlarge", "48xlarge"};
#define NSIZES (sizeof common_sizes / sizeof *common_sizes)

int itype_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63)
        return 1000;
    int d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

/* True when the embedded price list prices exactly this type (resource column). */
static bool priced(const char *type)
{
    const embedded_file *f = embedded_find("pricing/data/aws_prices.csv");
    if (!f)
        return false;
    char needle[80];
    int len = snprintf(needle, sizeof needle, ",%s,", type);
    if (len <= 0 || (size_t)len >= sizeof needle)
        return false;
    /* the resource is the third column: ",region,TYPE," - match ",TYPE," after
     * a region column on the same line */
    for (const char *p = f->data; (p = strstr(p, needle)) != NULL; p++) {
        const char *line = p;
        while (line > f->data && line[-1] != '\n')
            line--;
        int commas = 0;
        for (const char *q = line; q < p; q++)
            commas += *q == ',';
        if (commas == 1)
            return true;
    }
    return false;
}

static bool known_family(const char *fam)
{
    for (size_t i = 0; i < NFAMILIES; i++)
        if (!strcmp(families[i], fam))
            return true;
    return false;
}

/* Series letters ("m", "hpc", "mac") and generation digits of a family;
 * gen -1 when no digit follows the letters. Returns the suffix after them. */
static const char *family_parts(const char *fam, char *series, size_t cap, int *gen)
{
    size_t i = 0;
    while (fam[i] && islower((unsigned char)fam[i]) && i + 1 < cap) {
        series[i] = fam[i];
        i++;
    }
    series[i] = '\0';
    *gen = -1;
    if (isdigit((unsigned char)fam[i])) {
        *gen = 0;
        while (isdigit((unsigned char)fam[i]))
            *gen = *gen * 10 + (fam[i++] - '0');
    }
    return fam + i;
}

/* Newest generation of a series in the table; -1 when the series is unknown. */
static int newest_generation(const char *series)
{
    int best = -1;
    for (size_t i = 0; i < NFAMILIES; i++) {
        char s[16];
        int gen;
        family_parts(families[i], s, sizeof s, &gen);
        if (!strcmp(s, series) && gen > best)
            best = gen;
    }
    return best;
}

typedef enum size_kind {
    SZ_BAD,
    SZ_NANO,
    SZ_MICRO,
    SZ_SMALL,
    SZ_MEDIUM,
    SZ_LARGE,
    SZ_XLARGE,
    SZ_NXLARGE,
    SZ_METAL
} size_kind;

static size_kind parse_size(const char *s, int *n)
{
    *n = 1; /* always set: callers read it whatever the kind */
    static const struct {
        const char *name;
        size_kind kind;
    } fixed[] = {{"nano", SZ_NANO},   {"micro", SZ_MICRO}, {"small", SZ_SMALL},
                 {"medium", SZ_MEDIUM}, {"large", SZ_LARGE}, {"xlarge", SZ_XLARGE},
                 {"metal", SZ_METAL}};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (!strcmp(s, fixed[i].name))
            return fixed[i].kind;
    if (!strncmp(s, "metal-", 6)) { /* metal-16xl, metal-24xl, metal-48xl */
        const char *p = s + 6;
        if (!isdigit((unsigned char)*p) || *p == '0')
            return SZ_BAD;
        while (isdigit((unsigned char)*p))
            p++;
        return !strcmp(p, "xl") ? SZ_METAL : SZ_BAD;
    }
    if (isdigit((unsigned char)s[0]) && s[0] != '0') {
        int v = 0;
        const char *p = s;
        while (isdigit((unsigned char)*p) && v < 10000)
            v = v * 10 + (*p++ - '0');
        if (!strcmp(p, "xlarge") && v >= 2 && v <= 999) {
            *n = v;
            return SZ_NXLARGE;
        }
    }
    return SZ_BAD;
}

static bool burstable(const char *fam)
{
    return fam[0] == 't' && isdigit((unsigned char)fam[1]) && strcmp(fam, "t1") != 0;
}

/* Graviton families: the processor letter after the generation is 'g'. */
static bool graviton(const char *fam)
{
    char series[16];
    int gen;
    const char *suffix = family_parts(fam, series, sizeof series, &gen);
    return gen >= 0 && suffix[0] == 'g';
}

/* Can family fam come in that size? Fills why when not. */
static bool size_allowed(const char *fam, size_kind k, int n, char *why, size_t cap)
{
    if (!strncmp(fam, "mac", 3)) {
        if (k == SZ_METAL)
            return true;
        snprintf(why, cap, "%s instances only come as %s.metal", fam, fam);
        return false;
    }
    if (!strcmp(fam, "t1")) {
        if (k == SZ_MICRO)
            return true;
        snprintf(why, cap, "t1 only comes as t1.micro");
        return false;
    }
    if (burstable(fam)) {
        if (k == SZ_METAL || (k == SZ_NXLARGE && n != 2)) {
            snprintf(why, cap, "%s sizes go from nano to 2xlarge", fam);
            return false;
        }
        return true;
    }
    switch (k) {
    case SZ_NANO:
    case SZ_MICRO:
        snprintf(why, cap, "only burstable t-families have %s sizes",
                 k == SZ_NANO ? "nano" : "micro");
        return false;
    case SZ_SMALL:
        if (!strcmp(fam, "m1"))
            return true;
        snprintf(why, cap, "%s has no small size (small exists for burstable t-families)", fam);
        return false;
    case SZ_MEDIUM:
        if (!strcmp(fam, "m1") || !strcmp(fam, "m3") || !strcmp(fam, "c1") ||
            !strcmp(fam, "a1") || graviton(fam))
            return true;
        snprintf(why, cap, "%s has no medium size; its smallest size is large or bigger", fam);
        return false;
    default:
        return true;
    }
}

/* A family is judged known when listed, or when it may be newer than the
 * table (its generation is not older than the newest known generation of
 * its series), or when it belongs to an open-ended kind (u-*, mac*). */
static bool family_may_exist(const char *fam)
{
    if (known_family(fam) || !strncmp(fam, "u-", 2) || !strncmp(fam, "u7", 2) ||
        !strncmp(fam, "mac", 3))
        return true;
    char series[16];
    int gen;
    family_parts(fam, series, sizeof series, &gen);
    int newest = newest_generation(series);
    if (newest < 0 || gen < 0)
        return false;       /* unknown series, or letters without a generation */
    return gen >= newest;   /* same or newer generation than the table: give it the benefit */
}

/* Best size of family fam for a written size: the closest allowed common
 * size, preferring priced types, else the family's smallest allowed size. */
static void suggest_size(const char *prefix, const char *fam, const char *size, char *out,
                         size_t cap)
{
    int best = 1000, best_rank = 0;
    const char *pick = NULL;
    char why[160];
    /* a written "4xlarge" is closer in kind to "2xlarge" than to "xlarge" */
    bool written_n = isdigit((unsigned char)size[0]);
    for (size_t i = 0; i < NSIZES; i++) {
        int n = 1;
        size_kind k = parse_size(common_sizes[i], &n);
        if (!size_allowed(fam, k, n, why, sizeof why))
            continue;
        char full[64];
        snprintf(full, sizeof full, "%s%s.%s", prefix, fam, common_sizes[i]);
        int d = itype_edit_distance(size, common_sizes[i]);
        int rank = (written_n == (k == SZ_NXLARGE)) * 2 + priced(full);
        if (d < best || (d == best && rank > best_rank)) {
            best = d;
            best_rank = rank;
            pick = common_sizes[i];
        }
    }
    if (pick && best > 3) {
        /* nothing close: the smallest size the family has */
        static const char *const smallest[] = {"nano", "micro", "small", "medium", "large", "metal"};
        for (size_t i = 0; i < sizeof smallest / sizeof *smallest; i++) {
            int n = 1;
            size_kind k = parse_size(smallest[i], &n);
            if (size_allowed(fam, k, n, why, sizeof why)) {
                pick = smallest[i];
                break;
            }
        }
    }
    if (pick)
        snprintf(out, cap, "%s%s.%s", prefix, fam, pick);
    else
        out[0] = '\0';
}

static bool type_shaped(const char *s)
{
    /* family.size: lower-case letters, digits and '-', exactly one dot */
    if (!islower((unsigned char)s[0]))
        return false;
    int dots = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            dots++;
        else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
            return false;
    }
    return dots == 1 && s[strlen(s) - 1] != '.';
}

void itype_check(const char *value, itype_result *out)
{
    memset(out, 0, sizeof *out);
    out->verdict = ITYPE_NOT_A_TYPE;
    if (!value)
        return;
    const char *prefix = "";
    const char *rest = value;
    if (!strncmp(value, "db.", 3)) {
        prefix = "db.";
        rest = value + 3;
        if (!strcmp(rest, "serverless")) {
            out->verdict = ITYPE_OK;
            return;
        }
    } else if (!strncmp(value, "cache.", 6)) {
        prefix = "cache.";
        rest = value + 6;
    }
    if (strlen(rest) >= sizeof out->family || !type_shaped(rest))
        return;
    const char *dot = strchr(rest, '.');
    size_t flen = (size_t)(dot - rest);
    if (flen == 0 || flen >= sizeof out->family || strlen(dot + 1) >= sizeof out->size)
        return;
    memcpy(out->family, rest, flen);
    out->family[flen] = '\0';
    snprintf(out->size, sizeof out->size, "%s", dot + 1);
    /* the family must start like one: letters then a digit, or a known open kind */
    char series[16];
    int gen;
    family_parts(out->family, series, sizeof series, &gen);
    if (series[0] == '\0')
        return;
    out->verdict = ITYPE_OK;
    int n;
    size_kind k = parse_size(out->size, &n);
    bool family_ok = family_may_exist(out->family);
    char why[160];
    if (family_ok && k != SZ_BAD && size_allowed(out->family, k, n, why, sizeof why))
        return;
    /* the table says no; the price list, where it knows the type, says yes */
    if (priced(value))
        return;
    if (!family_ok) {
        out->verdict = ITYPE_UNKNOWN_FAMILY;
        snprintf(out->reason, sizeof out->reason, "there is no '%s' instance family", out->family);
        /* closest known family; then a size it has */
        int best = 1000;
        bool best_priced = false;
        const char *pick = NULL;
        for (size_t i = 0; i < NFAMILIES; i++) {
            int d = itype_edit_distance(out->family, families[i]);
            if (d > best || (d == best && best_priced))
                continue;
            char full[64];
            snprintf(full, sizeof full, "%s%s.%s", prefix, families[i], out->size);
            bool p = priced(full);
            if (d < best || (d == best && p && !best_priced)) {
                best = d;
                best_priced = p;
                pick = families[i];
            }
        }
        if (pick && best <= 2) {
            if (k != SZ_BAD && size_allowed(pick, k, n, why, sizeof why))
                snprintf(out->suggestion, sizeof out->suggestion, "%s%s.%s", prefix, pick,
                         out->size);
            else
                suggest_size(prefix, pick, out->size, out->suggestion, sizeof out->suggestion);
        }
        return;
    }
    if (k == SZ_BAD) {
        out->verdict = ITYPE_BAD_SIZE;
        snprintf(out->reason, sizeof out->reason, "'%s' is not an instance size", out->size);
    } else if (!size_allowed(out->family, k, n, out->reason, sizeof out->reason)) {
        out->verdict = ITYPE_BAD_SIZE;
    } else {
        return;
    }
    suggest_size(prefix, out->family, out->size, out->suggestion, sizeof out->suggestion);
}
