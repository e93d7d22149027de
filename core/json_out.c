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

void json_elements_written(json_out *j, size_t n)
{
    if (n)
        j->first[j->depth] = false;
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

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Room for a separator at depth: a comma, a newline and two spaces per
 * level, and 8 more bytes (spaces are stored 8 at a time). */
static inline size_t separator_room(int depth)
{
    return 2 * (size_t)depth + 10;
}

/* A newline and two spaces per level at p (separator_room() room);
 * returns the end. */
static inline char *put_indent(char *p, int depth)
{
    static const uint64_t eight = ONES * ' ';
    size_t n = 2 * (size_t)depth;
    *p++ = '\n';
    for (size_t i = 0; i < n; i += 8)
        memcpy(p + i, &eight, 8);
    return p + n;
}

/* Ends what was written at sb's end with p (one past the last byte). */
static inline void commit(strbuf *sb, char *p)
{
    *p = '\0';
    sb->len = (size_t)(p - sb->buf);
}

/* Writes at p what comes before a value or key: nothing right after a key,
 * else the comma after a previous element, then the newline and indent of
 * the current level (pretty output). p has separator_room() room. */
static inline char *put_separator(json_out *j, char *p)
{
    if (j->after_key) {
        j->after_key = false;
        return p;
    }
    *p = ',';
    p += !j->first[j->depth];
    j->first[j->depth] = false;
    if (j->pretty && j->depth > 0)
        p = put_indent(p, j->depth);
    return p;
}

/* The separator before a value or key, with room for n more bytes after
 * it; returns where they go. */
static inline char *begin_item(json_out *j, size_t n)
{
    char *p = room(j->sb, separator_room(j->depth) + n);
    return put_separator(j, p);
}

static void before_item(json_out *j)
{
    commit(j->sb, begin_item(j, 0));
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
    char *p = room(j->sb, separator_room(j->depth));
    if (!empty && j->pretty)
        p = put_indent(p, j->depth);
    *p++ = c;
    commit(j->sb, p);
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

/* True when one of the 8 bytes of x is not plain. With every byte below
 * 0x80 (else the answer is yes), a byte below 0x20, '"' or '\\' sets its
 * high bit in one of the differences; a borrow can set higher bytes' bits
 * too, but only after a byte that answers yes. */
static inline bool word_special(uint64_t x)
{
    uint64_t below = x - ONES * 0x20;
    uint64_t quote = (x ^ (ONES * '"')) - ONES;
    uint64_t slash = (x ^ (ONES * '\\')) - ONES;
    return ((x | below | quote | slash) & HIGHS) != 0;
}

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

static inline uint64_t load4(const unsigned char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

/* The end of the run of plain bytes starting at p: 8 bytes at a time while
 * none of them is a control byte, non-ASCII, '"' or '\\'; then the last
 * bytes as one word (overlapping bytes known plain), or, in a string of 4
 * to 7 bytes, as two overlapping 4-byte words. */
static inline const unsigned char *plain_run(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *start = p;
    while (end - p >= 8 && !word_special(load8(p)))
        p += 8;
    size_t left = (size_t)(end - p);
    if (left < 8 && end - start >= 8 && !word_special(load8(end - 8)))
        return end;
    if (left >= 4 && left < 8 && !word_special(load4(p) | load4(end - 4) << 32))
        return end;
    while (p < end && is_plain(*p))
        p++;
    return p;
}

/* Appends the escape of the special byte or UTF-8 sequence at p (before
 * end); returns what follows it. */
static const unsigned char *put_special(strbuf *sb, const unsigned char *p,
                                        const unsigned char *end)
{
    unsigned c = *p;
    if (c == '"' || c == '\\') {
        char esc[2] = {'\\', (char)c};
        put_n(sb, esc, 2);
        return p + 1;
    }
    if (c < 0x20) {
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
        return p + 1;
    }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len && (size_t)(end - p) >= len;
    for (size_t i = 1; ok && i < len; i++)
        ok = (p[i] & 0xC0) == 0x80;
    if (!ok) {
        put_n(sb, "\xEF\xBF\xBD", 3);
        return p + 1;
    }
    put_n(sb, (const char *)p, len);
    return p + len;
}

void json_escape(strbuf *sb, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    put_c(sb, '"');
    for (;;) {
        const unsigned char *q = plain_run(p, end);
        put_n(sb, (const char *)p, (size_t)(q - p));
        if (q == end)
            break;
        p = put_special(sb, q, end);
    }
    put_c(sb, '"');
}

/* True when s needs no escaping: printable ASCII without '"' and '\\'. */
static bool plain_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    return plain_run(p, p + n) == p + n;
}

/* s (plain text) in quotes at p; returns the end. */
static inline char *put_plain_string(char *p, const char *s, size_t n)
{
    *p++ = '"';
    memcpy(p, s, n);
    p += n;
    *p++ = '"';
    return p;
}

void json_keyn(json_out *j, const char *key, size_t n)
{
    if (plain_text(key, n)) { /* the common case: all in one piece */
        char *p = put_plain_string(begin_item(j, n + 4), key, n);
        *p++ = ':';
        if (j->pretty)
            *p++ = ' ';
        commit(j->sb, p);
    } else {
        before_item(j);
        json_escape(j->sb, key, n);
        put_n(j->sb, ": ", j->pretty ? 2 : 1);
    }
    j->after_key = true;
}

void json_stringn(json_out *j, const char *s, size_t n)
{
    if (plain_text(s, n)) {
        commit(j->sb, put_plain_string(begin_item(j, n + 2), s, n));
    } else {
        before_item(j);
        json_escape(j->sb, s, n);
    }
}

void json_string(json_out *j, const char *s)
{
    if (!s) {
        json_null(j);
        return;
    }
    json_stringn(j, s, strlen(s));
}

/* v in decimal at the end of buf[24]; returns the number of digits (and
 * sign): the same text as "%lld", without the printf machinery. */
static size_t format_int(char buf[24], int64_t v)
{
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[24 - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[24 - 1 - n++] = '-';
    return n;
}

void json_int(json_out *j, int64_t v)
{
    char buf[24];
    size_t n = format_int(buf, v);
    char *p = begin_item(j, n);
    memcpy(p, buf + 24 - n, n);
    commit(j->sb, p + n);
}

void json_append_int(strbuf *sb, int64_t v)
{
    char buf[24];
    size_t n = format_int(buf, v);
    put_n(sb, buf + 24 - n, n);
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
