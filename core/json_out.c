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
    char *p = sb_room(j->sb, separator_room(j->depth) + n);
    return put_separator(j, p);
}

static void before_item(json_out *j)
{
    sb_commit(j->sb, begin_item(j, 0));
}

static void open(json_out *j, char c)
{
    before_item(j);
    sb_addc(j->sb, c);
    if (j->depth + 1 < JSON_MAX_DEPTH)
        j->depth++;
    j->first[j->depth] = true;
}

static void close(json_out *j, char c)
{
    bool empty = j->first[j->depth];
    if (j->depth > 0)
        j->depth--;
    char *p = sb_room(j->sb, separator_room(j->depth));
    if (!empty && j->pretty)
        p = put_indent(p, j->depth);
    *p++ = c;
    sb_commit(j->sb, p);
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
        sb_addn(sb, esc, 2);
        return p + 1;
    }
    if (c < 0x20) {
        switch (c) {
        case '\n': sb_addn(sb, "\\n", 2); break;
        case '\r': sb_addn(sb, "\\r", 2); break;
        case '\t': sb_addn(sb, "\\t", 2); break;
        default: {
            static const char hex[] = "0123456789abcdef";
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_addn(sb, u, 6); /* "\\u%04x" */
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
        sb_addn(sb, "\xEF\xBF\xBD", 3);
        return p + 1;
    }
    sb_addn(sb, (const char *)p, len);
    return p + len;
}

void json_escape(strbuf *sb, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    sb_addc(sb, '"');
    for (;;) {
        const unsigned char *q = plain_run(p, end);
        sb_addn(sb, (const char *)p, (size_t)(q - p));
        if (q == end)
            break;
        p = put_special(sb, q, end);
    }
    sb_addc(sb, '"');
}

/* True when s needs no escaping: printable ASCII without '"' and '\\'. */
static bool plain_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    return plain_run(p, p + n) == p + n;
}

void json_keyn(json_out *j, const char *key, size_t n)
{
    if (plain_text(key, n)) { /* the common case: all in one piece */
        char *p = json_put_quoted(begin_item(j, n + 4), key, n);
        *p++ = ':';
        if (j->pretty)
            *p++ = ' ';
        sb_commit(j->sb, p);
    } else {
        before_item(j);
        json_escape(j->sb, key, n);
        sb_addn(j->sb, ": ", j->pretty ? 2 : 1);
    }
    j->after_key = true;
}

void json_stringn(json_out *j, const char *s, size_t n)
{
    if (plain_text(s, n)) {
        sb_commit(j->sb, json_put_quoted(begin_item(j, n + 2), s, n));
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

/* ---- numbers ----------------------------------------------------------
 * Up to eight digits are made at once in a 64-bit word (halves, then
 * quarters, then digits, each lane split by a multiply and a shift) and
 * stored with one 8-byte write: no loop per digit, and no branch on the
 * number of digits below 10^8. The text is the same as "%llu". */

/* v < 10^8 as 8 ASCII digits with leading zeros, the first digit in the
 * lowest byte of the word. */
static inline uint64_t eight_digits(uint32_t v)
{
    uint64_t x = v / 10000 | (uint64_t)(v % 10000) << 32; /* 2 lanes of 0..9999 */
    uint64_t high = (x * 10486 >> 20) & 0x0000007F0000007Full; /* lane / 100 (exact below 43699) */
    x = high | (x - high * 100) << 16;                          /* 4 lanes of 0..99 */
    high = (x * 103 >> 10) & 0x000F000F000F000Full;            /* lane / 10 (exact below 179) */
    x = high | (x - high * 10) << 8;                            /* 8 lanes of 0..9 */
    return x + ONES * '0';
}

/* The number of digits of v < 10^8 (1 for 0): about log10 from the bit
 * length, corrected by one compare. */
static inline unsigned digit_count(uint32_t v)
{
    static const uint32_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
                                     10000000, 100000000};
    uint32_t w = v | 1;
    unsigned t = (32 - (unsigned)__builtin_clz(w)) * 1233 >> 12;
    return t + (w >= pow10[t]);
}

/* The last n (1 to 8) of eight_digits' digits at p, with an 8-byte write;
 * returns their end. */
static inline char *put_digits(char *p, uint64_t digits, unsigned n)
{
    digits >>= 8 * (8 - n);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    digits = __builtin_bswap64(digits);
#endif
    memcpy(p, &digits, 8);
    return p + n;
}

/* v >= 10^8 at p: its digits before the last 8, then those 8 (apart from
 * json_put_uint, which needs no stack frame for the numbers it sees most). */
static __attribute__((noinline)) char *put_long_uint(char *p, uint64_t v)
{
    p = json_put_uint(p, v / 100000000);
    return put_digits(p, eight_digits((uint32_t)(v % 100000000)), 8);
}

char *json_put_uint(char *p, uint64_t v)
{
    if (v >= 100000000)
        return put_long_uint(p, v);
    return put_digits(p, eight_digits((uint32_t)v), digit_count((uint32_t)v));
}

void json_int(json_out *j, int64_t v)
{
    char *p = begin_item(j, 1 + JSON_UINT_ROOM);
    *p = '-';
    p += v < 0;
    sb_commit(j->sb, json_put_uint(p, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v));
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
        sb_addn(j->sb, "true", 4);
    else
        sb_addn(j->sb, "false", 5);
}

void json_null(json_out *j)
{
    before_item(j);
    sb_addn(j->sb, "null", 4);
}
