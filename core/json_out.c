/* json_out.c - streaming JSON writer; see json_out.h. */
#include "json_out.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void json_init(json_out *j, strbuf *sb, bool pretty)
{
    memset(j, 0, sizeof *j);
    j->sb = sb;
    j->pretty = pretty;
    j->first[0] = true;
}

/* ---- appending to the buffer ----------------------------------------------
 * The writer appends to sb directly: one capacity check per piece instead of
 * one per byte (same bytes as sb_addn/sb_addc, which keep sb NUL-terminated). */

static inline char *room(strbuf *sb, size_t n)
{
    if (sb->len + n + 1 > sb->cap)
        sb_grow(sb, n);
    return sb->buf + sb->len;
}

static inline void put_n(strbuf *sb, const char *s, size_t n)
{
    char *p = room(sb, n);
    memcpy(p, s, n);
    sb->len += n;
    p[n] = '\0';
}

static inline void put_c(strbuf *sb, char c)
{
    char *p = room(sb, 1);
    p[0] = c;
    p[1] = '\0';
    sb->len++;
}

static void newline_indent(json_out *j)
{
    if (!j->pretty)
        return;
    size_t n = 1 + 2 * (size_t)j->depth;
    char *p = room(j->sb, n);
    p[0] = '\n';
    memset(p + 1, ' ', n - 1);
    p[n] = '\0';
    j->sb->len += n;
}

/* Called before every value or key. */
static void before_item(json_out *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->first[j->depth])
        put_c(j->sb, ',');
    j->first[j->depth] = false;
    if (j->depth > 0)
        newline_indent(j);
}

static void open(json_out *j, char c)
{
    before_item(j);
    put_c(j->sb, c);
    if (j->depth + 1 < JSON_MAX_DEPTH)
        j->depth++;
    j->first[j->depth] = true;
}

static void close(json_out *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (!empty)
        newline_indent(j);
    put_c(j->sb, c);
}

void json_begin_object(json_out *j) { open(j, '{'); }
void json_end_object(json_out *j) { close(j, '}'); }
void json_begin_array(json_out *j) { open(j, '['); }
void json_end_array(json_out *j) { close(j, ']'); }

/* Bytes copied as they are inside a string: printable ASCII but '"' and '\'. */
static bool is_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* True when one of the 8 bytes of x is zero (exact as a yes/no answer). */
static inline bool word_has_zero(uint64_t x)
{
    return ((x - ONES) & ~x & HIGHS) != 0;
}

/* The end of the run of plain bytes starting at p: 8 bytes at a time while
 * none of them is a control byte, non-ASCII, '"' or '\\'. */
static const unsigned char *plain_run(const unsigned char *p, const unsigned char *end)
{
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        bool special = ((x - ONES * 0x20) & ~x & HIGHS) != 0 || /* a byte < 0x20 */
                       (x & HIGHS) != 0 ||                      /* a byte >= 0x80 */
                       word_has_zero(x ^ (ONES * '"')) || word_has_zero(x ^ (ONES * '\\'));
        if (special)
            break;
        p += 8;
    }
    while (p < end && is_plain(*p))
        p++;
    return p;
}

void json_escape(strbuf *sb, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    sb_grow(sb, n + 2);
    put_c(sb, '"');
    while (p < end) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            put_n(sb, esc, 2);
            p++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': put_n(sb, "\\n", 2); break;
            case '\r': put_n(sb, "\\r", 2); break;
            case '\t': put_n(sb, "\\t", 2); break;
            default: {
                static const char hex[] = "0123456789abcdef";
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                put_n(sb, u, 6); /* "\\u%04x" */
                break;
            }
            }
            p++;
        } else if (c < 0x80) {
            const unsigned char *q = plain_run(p, end);
            put_n(sb, (const char *)p, (size_t)(q - p));
            p = q;
        } else {
            size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
            bool ok = len && (size_t)(end - p) >= len;
            for (size_t i = 1; ok && i < len; i++)
                ok = (p[i] & 0xC0) == 0x80;
            if (ok) {
                put_n(sb, (const char *)p, len);
                p += len;
            } else {
                put_n(sb, "\xEF\xBF\xBD", 3);
                p++;
            }
        }
    }
    put_c(sb, '"');
}

/* True when s needs no escaping: printable ASCII without '"' and '\\'. */
static bool plain_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_plain((unsigned char)s[i]))
            return false;
    return true;
}

void json_key(json_out *j, const char *key)
{
    before_item(j);
    size_t n = strlen(key);
    if (plain_ascii(key, n)) {
        char *p = room(j->sb, n + 4);
        p[0] = '"';
        memcpy(p + 1, key, n);
        p[n + 1] = '"';
        j->sb->len += n + 2;
        p[n + 2] = '\0';
    } else {
        json_escape(j->sb, key, n);
    }
    if (j->pretty)
        put_n(j->sb, ": ", 2);
    else
        put_c(j->sb, ':');
    j->after_key = true;
}

void json_stringn(json_out *j, const char *s, size_t n)
{
    before_item(j);
    json_escape(j->sb, s, n);
}

void json_string(json_out *j, const char *s)
{
    if (!s) {
        json_null(j);
        return;
    }
    json_stringn(j, s, strlen(s));
}

void json_int(json_out *j, int64_t v)
{
    before_item(j);
    /* decimal by hand: the same text as "%lld", without the printf machinery */
    char buf[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[sizeof buf - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[sizeof buf - 1 - n++] = '-';
    put_n(j->sb, buf + sizeof buf - n, n);
}

void json_double(json_out *j, double v)
{
    before_item(j);
    if (!isfinite(v)) {
        sb_addn(j->sb, "null", 4);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", v);
    /* shortest representation that round-trips */
    for (int prec = 1; prec <= 17; prec++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) {
            memcpy(buf, tmp, sizeof tmp);
            break;
        }
    }
    sb_adds(j->sb, buf);
    if (!strpbrk(buf, ".eEn"))
        sb_addn(j->sb, ".0", 2);
}

void json_bool(json_out *j, bool v)
{
    before_item(j);
    if (v)
        put_n(j->sb, "true", 4);
    else
        put_n(j->sb, "false", 5);
}

void json_null(json_out *j)
{
    before_item(j);
    put_n(j->sb, "null", 4);
}
