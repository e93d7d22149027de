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

static void newline_indent(json_out *j)
{
    if (!j->pretty)
        return;
    size_t n = 1 + 2 * (size_t)j->depth;
    sb_grow(j->sb, n);
    char *p = j->sb->buf + j->sb->len;
    p[0] = '\n';
    memset(p + 1, ' ', n - 1);
    j->sb->len += n;
    j->sb->buf[j->sb->len] = '\0';
}

/* Called before every value or key. */
static void before_item(json_out *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->first[j->depth])
        sb_addc(j->sb, ',');
    j->first[j->depth] = false;
    if (j->depth > 0)
        newline_indent(j);
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
    if (!empty)
        newline_indent(j);
    sb_addc(j->sb, c);
}

void json_begin_object(json_out *j) { open(j, '{'); }
void json_end_object(json_out *j) { close(j, '}'); }
void json_begin_array(json_out *j) { open(j, '['); }
void json_end_array(json_out *j) { close(j, ']'); }

void json_escape(strbuf *sb, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    sb_grow(sb, n + 2);
    sb_addc(sb, '"');
    while (p < end) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)c);
            p++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': sb_addn(sb, "\\n", 2); break;
            case '\r': sb_addn(sb, "\\r", 2); break;
            case '\t': sb_addn(sb, "\\t", 2); break;
            default: sb_addf(sb, "\\u%04x", c); break;
            }
            p++;
        } else if (c < 0x80) {
            const unsigned char *q = p;
            while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
                q++;
            sb_addn(sb, (const char *)p, (size_t)(q - p));
            p = q;
        } else {
            size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
            bool ok = len && (size_t)(end - p) >= len;
            for (size_t i = 1; ok && i < len; i++)
                ok = (p[i] & 0xC0) == 0x80;
            if (ok) {
                sb_addn(sb, (const char *)p, len);
                p += len;
            } else {
                sb_addn(sb, "\xEF\xBF\xBD", 3);
                p++;
            }
        }
    }
    sb_addc(sb, '"');
}

/* True when s needs no escaping: printable ASCII without '"' and '\\'. */
static bool plain_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
            return false;
    }
    return true;
}

void json_key(json_out *j, const char *key)
{
    before_item(j);
    size_t n = strlen(key);
    if (plain_ascii(key, n)) {
        sb_grow(j->sb, n + 2);
        char *p = j->sb->buf + j->sb->len;
        p[0] = '"';
        memcpy(p + 1, key, n);
        p[n + 1] = '"';
        j->sb->len += n + 2;
        j->sb->buf[j->sb->len] = '\0';
    } else {
        json_escape(j->sb, key, n);
    }
    sb_addn(j->sb, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
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
    sb_addn(j->sb, buf + sizeof buf - n, n);
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
    sb_adds(j->sb, v ? "true" : "false");
}

void json_null(json_out *j)
{
    before_item(j);
    sb_addn(j->sb, "null", 4);
}
