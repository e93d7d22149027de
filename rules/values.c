/* values.c - quantities, CIDR blocks and port ranges; see values.h. */
#include "values.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool quantity_parse(const char *s, quantity_kind kind, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s)
        return false;
    const char *suf = end;
    double mul = 1;
    if (kind == QTY_BYTES_DOCKER) {
        if (!*suf)
            mul = 1;
        else if (!strcasecmp(suf, "b"))
            mul = 1;
        else if (!strcasecmp(suf, "k") || !strcasecmp(suf, "kb") || !strcasecmp(suf, "ki") || !strcasecmp(suf, "kib"))
            mul = 1024.0;
        else if (!strcasecmp(suf, "m") || !strcasecmp(suf, "mb") || !strcasecmp(suf, "mi") || !strcasecmp(suf, "mib"))
            mul = 1024.0 * 1024;
        else if (!strcasecmp(suf, "g") || !strcasecmp(suf, "gb") || !strcasecmp(suf, "gi") || !strcasecmp(suf, "gib"))
            mul = 1024.0 * 1024 * 1024;
        else
            return false;
        *out = v * mul;
        return true;
    }
    static const struct {
        const char *suf;
        double mul;
    } units[] = {{"", 1},          {"m", 1e-3},     {"k", 1e3},      {"K", 1e3},
                 {"M", 1e6},       {"G", 1e9},      {"T", 1e12},     {"P", 1e15},
                 {"Ki", 1024.0},   {"Mi", 1048576.0}, {"Gi", 1073741824.0},
                 {"Ti", 1099511627776.0}, {"Pi", 1125899906842624.0}};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(suf, units[i].suf)) {
            *out = v * units[i].mul;
            return true;
        }
    return false;
}

bool cidr_parse(const char *s, cidr *out)
{
    if (!s)
        return false;
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    int prefix = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        errno = 0;
        long p = strtol(slash + 1, &end, 10);
        if (errno || *end || end == slash + 1 || p < 0)
            return false;
        prefix = (int)p;
    }
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->addr) == 1) {
        out->family = 4;
        if (prefix > 32)
            return false;
        out->prefix = prefix < 0 ? 32 : prefix;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out->addr) == 1) {
        out->family = 6;
        if (prefix > 128)
            return false;
        out->prefix = prefix < 0 ? 128 : prefix;
        return true;
    }
    return false;
}

bool cidr_is_any(const cidr *c)
{
    return c->prefix == 0;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, int bits)
{
    int full = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t)(0xFF << (8 - rest));
        return (a[full] & mask) == (b[full] & mask);
    }
    return true;
}

bool cidr_contains(const cidr *outer, const cidr *inner)
{
    return outer->family == inner->family && outer->prefix <= inner->prefix &&
           prefix_equal(outer->addr, inner->addr, outer->prefix);
}

bool cidr_overlaps(const cidr *a, const cidr *b)
{
    return cidr_contains(a, b) || cidr_contains(b, a);
}

bool port_range_parse(const char *s, port_range *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long lo = strtol(s, &end, 10);
    if (errno || end == s || lo < 0 || lo > 65535)
        return false;
    long hi = lo;
    if (*end == '-') {
        const char *h = end + 1;
        hi = strtol(h, &end, 10);
        if (errno || end == h || hi < lo || hi > 65535)
            return false;
    }
    if (*end == '/')
        end += strcspn(end, "");
    if (*end)
        return false;
    out->lo = (int)lo;
    out->hi = (int)hi;
    return true;
}

bool port_range_overlaps(port_range a, port_range b)
{
    return a.lo <= b.hi && b.lo <= a.hi;
}
