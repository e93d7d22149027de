/* strbuf.c - growable byte buffer; see strbuf.h. */
#include "strbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static char sb_empty[1];

void sb_init(strbuf *sb)
{
    sb->buf = sb_empty;
    sb->len = 0;
    sb->cap = 0;
}

void sb_free(strbuf *sb)
{
    if (sb->cap)
        free(sb->buf);
    sb_init(sb);
}

void sb_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->cap)
        sb->buf[0] = '\0';
}

void sb_grow(strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    if (sb->cap) {
        sb->buf = xrealloc(sb->buf, cap);
    } else {
        sb->buf = xmalloc(cap);
        sb->buf[0] = '\0';
    }
    sb->cap = cap;
}

void sb_adds(strbuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

/* Whether every conversion in fmt is a plain %s or %%: such formats (most
 * messages) are copied piece by piece, as vsnprintf would print them. */
static bool only_plain_strings(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%'))
        if (p[1] != 's' && p[1] != '%')
            return false;
    return true;
}

static void add_plain_strings(strbuf *sb, const char *fmt, va_list ap)
{
    for (const char *p; (p = strchr(fmt, '%')); fmt = p + 2) {
        sb_addn(sb, fmt, (size_t)(p - fmt));
        if (p[1] == '%') {
            sb_addc(sb, '%');
        } else {
            const char *s = va_arg(ap, const char *);
            sb_adds(sb, s ? s : "(null)");
        }
    }
    sb_adds(sb, fmt);
}

/* Room made before formatting, beyond the format's length: most formatted
 * pieces fit, so the buffer grows once and vsnprintf runs once (a second
 * pass only when they do not fit). */
#define SB_PRINTF_ROOM 64

void sb_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    sb_grow(sb, strlen(fmt) + SB_PRINTF_ROOM);
    if (only_plain_strings(fmt)) {
        add_plain_strings(sb, fmt, ap);
        return;
    }
    size_t room = sb->cap - sb->len;
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(sb->buf + sb->len, room, fmt, cp);
    va_end(cp);
    if (n <= 0) {
        sb->buf[sb->len] = '\0'; /* an error may leave part of the output */
        return;
    }
    if ((size_t)n >= room) {
        sb_grow(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    }
    sb->len += (size_t)n;
}

void sb_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

char *sb_detach(strbuf *sb)
{
    char *p;
    if (sb->cap) {
        p = sb->buf;
    } else {
        p = xmalloc(1);
        p[0] = '\0';
    }
    sb_init(sb);
    return p;
}
